//! Issue metrics: how many were opened and closed, how long they lived, how soon someone
//! answered.
//!
//! The issues counted are those opened inside the window (devstats' "new issues"). Lifetime
//! and time to close are measured on those closed before the window's end. First response
//! follows devstats, with one refinement: on issues at least a day old (as of the window's
//! end), the first comment counts as a response only when someone other than the issue's
//! author wrote it. Where the source does not name issue authors (devstats dumps), any first
//! comment counts, as in devstats, and the report says so. The shares answered within 1 h …
//! 14 d are over all day-old issues, answered or not.

use std::collections::HashMap;

use jiff::Timestamp;
use serde::Serialize;

use crate::measure::{Measure, mean, median, percent};
use crate::model::{Author, Issue, IssueState};
use crate::report::{CountBin, Gap, NamedCount, Window, days_between, hours_between, top_counts};

/// The response-time cut-offs, in hours, with their labels.
pub const RESPONSE_CUTOFFS: &[(&str, f64)] = &[
    ("1 h", 1.0),
    ("12 h", 12.0),
    ("24 h", 24.0),
    ("3 d", 72.0),
    ("7 d", 168.0),
    ("14 d", 336.0),
];

/// How many issues were answered within one cut-off.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cutoff {
    /// `1 h`, `12 h`, …
    pub label: String,
    /// The cut-off in hours.
    pub hours: f64,
    /// Day-old issues first answered sooner than this.
    pub count: usize,
    /// That count as a percentage of all day-old issues.
    pub percent: f64,
}

/// The issue part of a health report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IssueReport {
    /// Issues opened in the window.
    pub opened: usize,
    /// Of those, closed before the window's end.
    pub closed: usize,
    /// `closed` as a percentage of `opened`.
    pub closed_percent: Measure<f64>,
    /// Median hours from opening to closing, over the closed ones.
    pub lifetime_median_hours: Measure<f64>,
    /// Closed issues by lifetime in whole days: `0` … `29`, then `≥30`.
    pub lifetime_days: Measure<Vec<CountBin>>,
    /// Mean days from opening to closing.
    pub time_to_close_mean_days: Measure<f64>,
    /// Median days from opening to closing.
    pub time_to_close_median_days: Measure<f64>,
    /// Issues opened in the window that were at least one day old at its end.
    pub day_old: usize,
    /// Of those, how many got a response.
    pub responded: Measure<usize>,
    /// `responded` as a percentage of `day_old`.
    pub responded_percent: Measure<f64>,
    /// Median hours to the first response, over the answered ones.
    pub response_median_hours: Measure<f64>,
    /// Share of day-old issues answered within each cut-off.
    pub answered_within: Measure<Vec<Cutoff>>,
    /// Who answered first most often (top ten).
    pub first_responders: Measure<Vec<NamedCount>>,
    /// Whether a comment by the issue's own author was skipped as a response (false when the
    /// data does not name issue authors: then any first comment counts).
    pub response_excludes_author: bool,
}

/// The first response to `issue` before `end`: when, and by whom (`None` for an unnamed
/// author). Comments by the issue's author do not count when the author is known.
fn first_response(
    issue: &Issue,
    comments: &[crate::model::Comment],
    end: Option<Timestamp>,
) -> Option<(Timestamp, String)> {
    comments
        .iter()
        .filter(|c| end.is_none_or(|end| c.created_at < end))
        .filter(|c| match (&issue.author, &c.author) {
            (Some(Author::Login(author)), Some(Author::Login(commenter))) => author != commenter,
            _ => true,
        })
        .min_by_key(|c| c.created_at)
        .map(|c| {
            let who = match &c.author {
                Some(Author::Login(login)) => login.clone(),
                Some(Author::Deleted) => "ghost".to_string(),
                None => "(unknown)".to_string(),
            };
            (c.created_at, who)
        })
}

/// Lifetimes in whole days, binned `0` … `29` and `≥30`.
fn lifetime_histogram(days: &[f64]) -> Vec<CountBin> {
    let mut counts = [0usize; 31];
    for &d in days {
        let slot = (d.max(0.0).floor() as usize).min(30);
        if let Some(count) = counts.get_mut(slot) {
            *count += 1;
        }
    }
    counts
        .iter()
        .enumerate()
        .map(|(day, &count)| CountBin {
            label: if day == 30 {
                "≥30".to_string()
            } else {
                day.to_string()
            },
            count,
        })
        .collect()
}

/// The issue metrics of `issues` over `window`; unknown metrics are added to `gaps`.
pub fn compute(issues: &[Issue], window: &Window, gaps: &mut Vec<Gap>) -> IssueReport {
    let opened: Vec<&Issue> = issues
        .iter()
        .filter(|i| window.contains(i.created_at))
        .collect();
    let closed: Vec<&Issue> = opened
        .iter()
        .copied()
        .filter(|i| i.state == IssueState::Closed)
        .filter(|i| i.closed_at.is_none_or(|at| window.before_end(at)))
        .collect();
    let lifetimes_hours: Vec<f64> = closed
        .iter()
        .filter_map(|i| i.closed_at.map(|at| hours_between(i.created_at, at)))
        .collect();
    let lifetimes_days: Vec<f64> = lifetimes_hours.iter().map(|h| h / 24.0).collect();
    let lifetime_unknown = !closed.is_empty() && lifetimes_hours.is_empty();
    if lifetime_unknown {
        gaps.push(Gap::new(
            "issue lifetime and time to close",
            "issue close times",
        ));
    }
    let lifetime = |value: Option<f64>| {
        if lifetime_unknown {
            Measure::NotInData
        } else {
            Measure::from_option(value)
        }
    };

    let day_old: Vec<&Issue> = match window.as_of {
        Some(as_of) => opened
            .iter()
            .copied()
            .filter(|i| days_between(i.created_at, as_of) >= 1.0)
            .collect(),
        None => Vec::new(),
    };
    let with_comments: Vec<(&Issue, &[crate::model::Comment])> = day_old
        .iter()
        .filter_map(|i| i.comments.as_deref().map(|c| (*i, c)))
        .collect();
    let comments_unknown = !day_old.is_empty() && with_comments.is_empty();
    let response_excludes_author = with_comments
        .iter()
        .all(|(i, _)| matches!(i.author, Some(Author::Login(_))));
    let responses: Vec<(f64, String)> = with_comments
        .iter()
        .filter_map(|(issue, comments)| {
            first_response(issue, comments, window.until)
                .map(|(at, who)| (hours_between(issue.created_at, at), who))
        })
        .collect();

    let (responded, responded_percent, response_median_hours, answered_within, first_responders) =
        if comments_unknown {
            gaps.push(Gap::new(
                "first response (share, median time, cut-offs, first responders)",
                "issue comments",
            ));
            (
                Measure::NotInData,
                Measure::NotInData,
                Measure::NotInData,
                Measure::NotInData,
                Measure::NotInData,
            )
        } else {
            let hours: Vec<f64> = responses.iter().map(|(h, _)| *h).collect();
            let denominator = with_comments.len();
            let cutoffs = RESPONSE_CUTOFFS
                .iter()
                .map(|(label, limit)| {
                    let count = hours.iter().filter(|h| **h < *limit).count();
                    Cutoff {
                        label: label.to_string(),
                        hours: *limit,
                        count,
                        percent: 100.0 * count as f64 / denominator.max(1) as f64,
                    }
                })
                .collect();
            let mut by_responder: HashMap<String, usize> = HashMap::new();
            for (_, who) in &responses {
                *by_responder.entry(who.clone()).or_default() += 1;
            }
            let some = denominator > 0;
            (
                if some {
                    Measure::Value(responses.len())
                } else {
                    Measure::NoneToMeasure
                },
                percent(responses.len(), denominator),
                Measure::from_option(median(&hours)),
                if some {
                    Measure::Value(cutoffs)
                } else {
                    Measure::NoneToMeasure
                },
                if some {
                    Measure::Value(top_counts(by_responder, 10))
                } else {
                    Measure::NoneToMeasure
                },
            )
        };
    if !response_excludes_author && !with_comments.is_empty() {
        gaps.push(Gap::new(
            "first response counts the issue author's own comments",
            "issue authors",
        ));
    }

    IssueReport {
        opened: opened.len(),
        closed: closed.len(),
        closed_percent: percent(closed.len(), opened.len()),
        lifetime_median_hours: lifetime(median(&lifetimes_hours)),
        lifetime_days: if lifetime_unknown {
            Measure::NotInData
        } else if lifetimes_days.is_empty() {
            Measure::NoneToMeasure
        } else {
            Measure::Value(lifetime_histogram(&lifetimes_days))
        },
        time_to_close_mean_days: lifetime(mean(&lifetimes_days)),
        time_to_close_median_days: lifetime(median(&lifetimes_days)),
        day_old: day_old.len(),
        responded,
        responded_percent,
        response_median_hours,
        answered_within,
        first_responders,
        response_excludes_author,
    }
}

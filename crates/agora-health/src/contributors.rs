//! Contributors over time: newcomers per month, whether they come back, and whether a
//! sprint's spike of newcomers lasts.
//!
//! A contribution is a merged PR (after the PR filters); a new contributor of a month is an
//! author whose first merged PR in all the data was merged that month (UTC). They are
//! retained at 6 (12) months when they have another merged PR within 6 (12) calendar months
//! of the first. A month's retention is unknown — never zero — until 6 (12) months after its
//! end have passed by the window's end. A month is a spike (a sprint, typically) when it
//! brings at least three newcomers and at least twice the median of the twelve months
//! before; the spike lasted when its 6-month retention is at least the overall one.

use std::collections::{BTreeMap, HashMap};

use jiff::{Timestamp, ToSpan as _, civil::Date, tz::TimeZone};
use serde::Serialize;

use crate::measure::{Measure, median, percent};
use crate::model::{Author, Pull};
use crate::report::{Gap, Window};

/// Newcomers of one month and how many came back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CohortMonth {
    /// `YYYY-MM`.
    pub month: String,
    /// Authors whose first merged PR was merged this month.
    pub new: usize,
    /// Of those, how many had another merged PR within 6 months; `None` while not yet known.
    pub returned_6m: Option<usize>,
    /// Same within 12 months.
    pub returned_12m: Option<usize>,
}

/// The newcomers of the last six months of the window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RecentNewcomers {
    /// Authors whose first merged PR falls in the six months before the window's end.
    pub new: usize,
    /// Of those, how many have merged another PR since.
    pub returned: usize,
}

/// A month with a spike of newcomers and what became of them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Spike {
    /// `YYYY-MM`.
    pub month: String,
    /// Newcomers that month.
    pub new: usize,
    /// Median newcomers per month over the twelve months before.
    pub baseline: f64,
    /// Percentage of the spike's newcomers retained at 6 months; `None` while not yet known.
    pub returned_6m_percent: Option<f64>,
    /// Whether that is at least the overall 6-month retention; `None` while not yet known.
    pub lasting: Option<bool>,
}

/// The contributor part of a health report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ContributorReport {
    /// Newcomers per month, from the first newcomer in the window to its end.
    pub months: Measure<Vec<CohortMonth>>,
    /// Percentage of newcomers (in months already known) retained at 6 months.
    pub retention_6m_percent: Measure<f64>,
    /// Same at 12 months.
    pub retention_12m_percent: Measure<f64>,
    /// Newcomers of the last six months and how many came back.
    pub last_six_months: Measure<RecentNewcomers>,
    /// Months with a spike of newcomers.
    pub spikes: Measure<Vec<Spike>>,
}

/// The first day of `at`'s month (UTC).
fn month_of(at: Timestamp) -> Date {
    at.to_zoned(TimeZone::UTC).date().first_of_month()
}

/// `at` plus `months` calendar months (UTC).
fn plus_months(at: Timestamp, months: i32) -> Option<Timestamp> {
    at.to_zoned(TimeZone::UTC)
        .checked_add(months.months())
        .ok()
        .map(|z| z.timestamp())
}

/// The start of `month` (a first of month) as a timestamp.
fn start_of(month: Date) -> Option<Timestamp> {
    month.to_zoned(TimeZone::UTC).ok().map(|z| z.timestamp())
}

/// One newcomer: when they first merged, and their later merges.
struct Newcomer {
    first: Timestamp,
    later: Vec<Timestamp>,
}

impl Newcomer {
    /// Whether another merge followed within `months` of the first.
    fn returned_within(&self, months: i32) -> bool {
        plus_months(self.first, months)
            .is_some_and(|limit| self.later.iter().any(|at| *at <= limit))
    }
}

/// The contributor metrics over `window` from the considered PRs.
pub fn compute(pulls: &[&Pull], window: &Window, gaps: &mut Vec<Gap>) -> ContributorReport {
    let unknown = ContributorReport {
        months: Measure::NotInData,
        retention_6m_percent: Measure::NotInData,
        retention_12m_percent: Measure::NotInData,
        last_six_months: Measure::NotInData,
        spikes: Measure::NotInData,
    };
    let mut merges: HashMap<&str, Vec<Timestamp>> = HashMap::new();
    let mut any_merged = false;
    for pull in pulls {
        if pull.merged_at.is_some() || pull.state == crate::model::PullState::Merged {
            any_merged = true;
        }
        if let (Some(Author::Login(login)), Some(at)) = (&pull.author, pull.merged_at) {
            merges.entry(login.as_str()).or_default().push(at);
        }
    }
    if any_merged && merges.is_empty() {
        gaps.push(Gap::new(
            "contributors over time",
            "PR authors and merge times",
        ));
        return unknown;
    }
    let Some(as_of) = window.as_of else {
        return ContributorReport {
            months: Measure::NoneToMeasure,
            retention_6m_percent: Measure::NoneToMeasure,
            retention_12m_percent: Measure::NoneToMeasure,
            last_six_months: Measure::NoneToMeasure,
            spikes: Measure::NoneToMeasure,
        };
    };
    let newcomers: Vec<Newcomer> = merges
        .into_values()
        .filter_map(|mut times| {
            times.sort();
            let (&first, rest) = times.split_first()?;
            window.contains(first).then(|| Newcomer {
                first,
                later: rest.iter().copied().filter(|at| *at <= as_of).collect(),
            })
        })
        .collect();

    // Newcomers by month, every month from the first to the window's end.
    let mut by_month: BTreeMap<Date, Vec<&Newcomer>> = BTreeMap::new();
    for newcomer in &newcomers {
        by_month
            .entry(month_of(newcomer.first))
            .or_default()
            .push(newcomer);
    }
    let mut months = Vec::new();
    if let Some(&first_month) = by_month.keys().next() {
        let last_month = month_of(as_of.checked_sub(1.second()).unwrap_or(as_of));
        let mut month = first_month;
        while month <= last_month {
            let cohort = by_month.get(&month).map(Vec::as_slice).unwrap_or(&[]);
            let known_after = |n: i32| {
                month
                    .checked_add(1.month())
                    .ok()
                    .and_then(start_of)
                    .and_then(|end| plus_months(end, n))
                    .is_some_and(|limit| limit <= as_of)
            };
            let returned = |n: i32| {
                known_after(n).then(|| cohort.iter().filter(|c| c.returned_within(n)).count())
            };
            months.push((
                month,
                CohortMonth {
                    month: format!("{:04}-{:02}", month.year(), month.month()),
                    new: cohort.len(),
                    returned_6m: returned(6),
                    returned_12m: returned(12),
                },
            ));
            let Ok(next) = month.checked_add(1.month()) else {
                break;
            };
            month = next;
        }
    }

    let retention = |pick: fn(&CohortMonth) -> Option<usize>| {
        let (returned, total) = months
            .iter()
            .filter_map(|(_, m)| pick(m).map(|r| (r, m.new)))
            .fold((0, 0), |(r, t), (rm, tm)| (r + rm, t + tm));
        percent(returned, total)
    };
    let retention_6m = retention(|m| m.returned_6m);
    let retention_12m = retention(|m| m.returned_12m);

    let recent_start = plus_months(as_of, -6);
    let recent: Vec<&Newcomer> = newcomers
        .iter()
        .filter(|n| recent_start.is_some_and(|start| n.first > start))
        .collect();
    let last_six_months = RecentNewcomers {
        new: recent.len(),
        returned: recent.iter().filter(|n| !n.later.is_empty()).count(),
    };

    let counts: Vec<usize> = months.iter().map(|(_, m)| m.new).collect();
    let mut spikes = Vec::new();
    for (index, (_, month)) in months.iter().enumerate() {
        let before: Vec<f64> = counts
            .iter()
            .take(index)
            .skip(index.saturating_sub(12))
            .map(|c| *c as f64)
            .collect();
        if before.len() < 6 {
            continue;
        }
        let baseline = median(&before).unwrap_or(0.0);
        if month.new >= 3 && month.new as f64 >= 2.0 * baseline {
            let share = month
                .returned_6m
                .map(|r| 100.0 * r as f64 / month.new as f64);
            spikes.push(Spike {
                month: month.month.clone(),
                new: month.new,
                baseline,
                returned_6m_percent: share,
                lasting: match (share, retention_6m.value()) {
                    (Some(share), Some(overall)) => Some(share >= *overall),
                    _ => None,
                },
            });
        }
    }

    let some = !months.is_empty();
    ContributorReport {
        months: if some {
            Measure::Value(months.into_iter().map(|(_, m)| m).collect())
        } else {
            Measure::NoneToMeasure
        },
        retention_6m_percent: retention_6m,
        retention_12m_percent: retention_12m,
        last_six_months: Measure::Value(last_six_months),
        spikes: if some {
            Measure::Value(spikes)
        } else {
            Measure::NoneToMeasure
        },
    }
}

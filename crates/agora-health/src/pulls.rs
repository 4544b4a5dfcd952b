//! Pull request metrics: merges over time, lifetimes, mergeability, participants, authors
//! and the pony factor.
//!
//! As devstats does, only PRs to the development branch (`main` or `master`) count, PRs by
//! the configured bots are left out, and so are PRs whose author deleted their account.
//! Merged PRs are those merged inside the window; authors are counted on them: unique
//! authors, fly-by authors (exactly one merged PR in the window), and the pony factor (the
//! fewest authors whose merged PRs make up at least half of all merged PRs). A merged PR is a
//! first-time contribution when it is its author's first merged PR in all the data. Merges
//! are binned in 30-day bins from the first merge (or `--since`), and smoothed over four bins
//! centred as devstats' `np.convolve(h, ones(4), 'same') / 4` (bins i−2 … i+1, missing bins
//! as zero). Lifetimes are survival counts: how many merged PRs took at least so long to
//! merge, and how many open PRs have been open at least so long.

use std::collections::{BTreeMap, HashMap};

use jiff::{Timestamp, ToSpan as _, civil::Date, tz::TimeZone};
use serde::Serialize;

use crate::measure::{Measure, median, percent, quantile};
use crate::model::{Author, Mergeable, Pull, PullState};
use crate::report::{
    CountBin, Gap, NamedCount, Options, Window, days_between, hours_between, top_counts,
};

/// The bin width of "merged PRs over time", in days.
pub const BIN_DAYS: i64 = 30;

/// The survival curve's sample points: (label, days).
pub const SURVIVAL_POINTS: &[(&str, f64)] = &[
    ("0", 0.0),
    ("1 h", 1.0 / 24.0),
    ("6 h", 0.25),
    ("1 d", 1.0),
    ("2 d", 2.0),
    ("1 w", 7.0),
    ("2 w", 14.0),
    ("1 mo", 30.0),
    ("2 mo", 60.0),
    ("3 mo", 90.0),
    ("6 mo", 182.5),
    ("1 y", 365.0),
    ("2 y", 730.0),
    ("3 y", 1095.0),
    ("5 y", 1826.0),
    ("10 y", 3652.0),
];

/// The PRs that count, and what was left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Considered<'a> {
    /// The PRs that pass the filters.
    pub pulls: Vec<&'a Pull>,
    /// The counts of what the filters did.
    pub filter: PullFilter,
}

/// What the PR filters left out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PullFilter {
    /// Base branches that count.
    pub branches: Vec<String>,
    /// Authors taken for bots.
    pub bots: Vec<String>,
    /// PRs in the data.
    pub total: usize,
    /// Left out: PRs to another branch (backports, gh-pages, …).
    pub other_branch: usize,
    /// Left out: PRs by bots.
    pub by_bots: usize,
    /// Left out: PRs whose author deleted their account.
    pub deleted_author: usize,
    /// PRs that count.
    pub considered: usize,
}

/// Merges in one 30-day bin.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MergeBin {
    /// First day of the bin (UTC).
    pub start: Date,
    /// PRs merged in the bin.
    pub merged: usize,
    /// Of those, first-time contributions.
    pub first_time: usize,
    /// Four-bin moving average of `merged`.
    pub merged_average: f64,
    /// Four-bin moving average of `first_time`.
    pub first_time_average: f64,
}

/// One sample of the survival curves.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SurvivalPoint {
    /// The age, as a label (`1 d`, `3 mo`).
    pub label: String,
    /// The age in days.
    pub days: f64,
    /// Merged PRs that took at least this long to merge.
    pub merged: usize,
    /// Open PRs open at least this long.
    pub open: usize,
}

/// PR lifetimes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Lifetimes {
    /// Median days from opening to merging.
    pub merged_median_days: Measure<f64>,
    /// Median age of the open PRs, in days.
    pub open_median_days: Measure<f64>,
    /// From this age on (days), more open PRs than merged ones are at least that old:
    /// beyond it, a PR is more likely to sit than to be merged.
    pub open_outlast_merged_from_days: Measure<f64>,
    /// The survival curves, sampled.
    pub survival: Vec<SurvivalPoint>,
}

/// Open PRs created in one year, by mergeability.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MergeabilityBin {
    /// Year of creation.
    pub year: i16,
    /// Merge cleanly.
    pub mergeable: usize,
    /// Have conflicts.
    pub conflicting: usize,
    /// GitHub had not computed it.
    pub unknown: usize,
}

/// Merged PRs with a given number of participants, and how long they took.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ParticipantsRow {
    /// Participants (`10+` for ten or more).
    pub participants: String,
    /// Merged PRs with that many.
    pub prs: usize,
    /// Lower quartile of their lifetime, hours.
    pub lifetime_q1_hours: f64,
    /// Median lifetime, hours.
    pub lifetime_median_hours: f64,
    /// Upper quartile of their lifetime, hours.
    pub lifetime_q3_hours: f64,
}

/// The PR part of a health report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PullReport {
    /// What the filters left out.
    pub filter: PullFilter,
    /// PRs opened in the window.
    pub opened: usize,
    /// PRs merged in the window.
    pub merged: usize,
    /// PRs open at the window's end (opened in the window).
    pub open: usize,
    /// Unique authors of the merged PRs.
    pub unique_authors: Measure<usize>,
    /// Authors with exactly one merged PR.
    pub flyby_authors: Measure<usize>,
    /// `flyby_authors` as a percentage of `unique_authors`.
    pub flyby_percent: Measure<f64>,
    /// The fewest authors whose merged PRs make up at least half of all merged PRs.
    pub pony_factor: Measure<usize>,
    /// The authors with the most merged PRs (top ten).
    pub top_authors: Measure<Vec<NamedCount>>,
    /// Authors by number of merged PRs: 1, 2, 3, 4, 5, 6–10, 11–20, 21–50, >50.
    pub merged_per_author: Measure<Vec<CountBin>>,
    /// Merged PRs per 30-day bin, all and first-time.
    pub merged_over_time: Measure<Vec<MergeBin>>,
    /// Lifetimes and survival curves.
    pub lifetimes: Lifetimes,
    /// Open PRs by creation year and mergeability.
    pub mergeability: Measure<Vec<MergeabilityBin>>,
    /// Lifetime of merged PRs by number of participants.
    pub participants: Measure<Vec<ParticipantsRow>>,
    /// Median number of approving reviews on merged PRs.
    pub reviews_median: Measure<f64>,
}

/// `value` as a measure, or not in the data when `unknown`.
fn known_unless<T>(unknown: bool, value: Option<T>) -> Measure<T> {
    if unknown {
        Measure::NotInData
    } else {
        Measure::from_option(value)
    }
}

/// Applies the branch, bot and deleted-author filters.
pub fn filter<'a>(pulls: &'a [Pull], options: &Options, gaps: &mut Vec<Gap>) -> Considered<'a> {
    let mut result = PullFilter {
        branches: options.branches.clone(),
        bots: options.bots.clone(),
        total: pulls.len(),
        other_branch: 0,
        by_bots: 0,
        deleted_author: 0,
        considered: 0,
    };
    let mut kept = Vec::new();
    let mut branch_unknown = false;
    for pull in pulls {
        match &pull.base_branch {
            Some(branch) if !options.branches.iter().any(|b| b == branch) => {
                result.other_branch += 1;
                continue;
            }
            None => branch_unknown = true,
            Some(_) => {}
        }
        match &pull.author {
            Some(Author::Deleted) => {
                result.deleted_author += 1;
                continue;
            }
            Some(Author::Login(login)) if options.bots.iter().any(|b| b == login) => {
                result.by_bots += 1;
                continue;
            }
            _ => {}
        }
        kept.push(pull);
    }
    if branch_unknown {
        gaps.push(Gap::new(
            "PRs to other branches are counted too",
            "PR base branches",
        ));
    }
    result.considered = kept.len();
    Considered {
        pulls: kept,
        filter: result,
    }
}

/// The login of a PR's author, when the data names it.
fn login(pull: &Pull) -> Option<&str> {
    pull.author.as_ref().and_then(Author::login)
}

/// Whether `pull` was merged inside `window` (merged without a time counts only when the
/// window is unbounded).
fn merged_in(pull: &Pull, window: &Window) -> bool {
    match pull.merged_at {
        Some(at) => window.contains(at),
        None => pull.state == PullState::Merged && window.since.is_none() && window.until.is_none(),
    }
}

/// Each author's first merge in all the data: (merged_at, number).
pub(crate) fn first_merges<'a>(pulls: &[&'a Pull]) -> HashMap<&'a str, (Timestamp, u64)> {
    let mut first: HashMap<&str, (Timestamp, u64)> = HashMap::new();
    for pull in pulls.iter().copied() {
        if let (Some(login), Some(at)) = (login(pull), pull.merged_at) {
            let key = (at, pull.number);
            first
                .entry(login)
                .and_modify(|held| *held = (*held).min(key))
                .or_insert(key);
        }
    }
    first
}

/// Authors by merged PRs, binned as devstats does.
fn per_author_histogram(counts: &HashMap<String, usize>) -> Vec<CountBin> {
    let bins: [(&str, usize, usize); 9] = [
        ("1", 1, 1),
        ("2", 2, 2),
        ("3", 3, 3),
        ("4", 4, 4),
        ("5", 5, 5),
        ("6–10", 6, 10),
        ("11–20", 11, 20),
        ("21–50", 21, 50),
        (">50", 51, usize::MAX),
    ];
    bins.iter()
        .map(|(label, low, high)| CountBin {
            label: label.to_string(),
            count: counts.values().filter(|c| *c >= low && *c <= high).count(),
        })
        .collect()
}

/// The pony factor of per-author counts: the fewest authors covering at least half.
pub fn pony_factor(counts: &[usize]) -> Option<usize> {
    let total: usize = counts.iter().sum();
    if total == 0 {
        return None;
    }
    let mut sorted = counts.to_vec();
    sorted.sort_unstable_by(|a, b| b.cmp(a));
    let mut covered = 0;
    for (index, count) in sorted.iter().enumerate() {
        covered += count;
        if 2 * covered >= total {
            return Some(index + 1);
        }
    }
    None
}

/// The first UTC day of `at`.
fn day_of(at: Timestamp) -> Date {
    at.to_zoned(TimeZone::UTC).date()
}

/// Merges per 30-day bin and their moving averages.
fn merge_bins(
    merged: &[(&Pull, Timestamp)],
    first: &HashMap<&str, (Timestamp, u64)>,
    window: &Window,
) -> Vec<MergeBin> {
    let Some(start) = window
        .since
        .or_else(|| merged.iter().map(|(_, at)| *at).min())
    else {
        return Vec::new();
    };
    let Some(end) = window.as_of else {
        return Vec::new();
    };
    let width = BIN_DAYS * 86_400;
    let full_bins = (end.as_second() - start.as_second()) / width;
    let bins = usize::try_from(full_bins).unwrap_or(0);
    let mut all = vec![0usize; bins];
    let mut first_time = vec![0usize; bins];
    for (pull, at) in merged {
        let offset = (at.as_second() - start.as_second()) / width;
        let Ok(slot) = usize::try_from(offset) else {
            continue;
        };
        if let Some(count) = all.get_mut(slot) {
            *count += 1;
            let is_first = login(pull)
                .and_then(|l| first.get(l))
                .is_some_and(|held| *held == (*at, pull.number));
            if is_first && let Some(count) = first_time.get_mut(slot) {
                *count += 1;
            }
        }
    }
    let average = |counts: &[usize], index: usize| -> f64 {
        let low = index.saturating_sub(2);
        let sum: usize = counts.iter().skip(low).take(index + 2 - low).sum();
        sum as f64 / 4.0
    };
    (0..bins)
        .map(|index| MergeBin {
            start: day_of(start)
                .checked_add((BIN_DAYS * index as i64).days())
                .unwrap_or(day_of(start)),
            merged: all.get(index).copied().unwrap_or(0),
            first_time: first_time.get(index).copied().unwrap_or(0),
            merged_average: average(&all, index),
            first_time_average: average(&first_time, index),
        })
        .collect()
}

/// How many of `sorted` are at least `t`.
fn at_least(sorted: &[f64], t: f64) -> usize {
    sorted.len() - sorted.partition_point(|v| *v < t)
}

/// The survival curves and the age from which open PRs outnumber merged ones.
fn lifetimes(merged_days: &mut [f64], open_days: &mut [f64]) -> Lifetimes {
    merged_days.sort_by(f64::total_cmp);
    open_days.sort_by(f64::total_cmp);
    let survival = SURVIVAL_POINTS
        .iter()
        .map(|(label, days)| SurvivalPoint {
            label: label.to_string(),
            days: *days,
            merged: at_least(merged_days, *days),
            open: at_least(open_days, *days),
        })
        .collect();
    let crossing = merged_days
        .iter()
        .chain(open_days.iter())
        .copied()
        .filter(|t| at_least(merged_days, *t) < at_least(open_days, *t))
        .min_by(f64::total_cmp);
    Lifetimes {
        merged_median_days: Measure::from_option(median(merged_days)),
        open_median_days: Measure::from_option(median(open_days)),
        open_outlast_merged_from_days: Measure::from_option(crossing),
        survival,
    }
}

/// The PR metrics of the considered PRs over `window`; unknown metrics are added to `gaps`.
pub fn compute(considered: &Considered<'_>, window: &Window, gaps: &mut Vec<Gap>) -> PullReport {
    let pulls = &considered.pulls;
    let opened = pulls
        .iter()
        .filter(|p| window.contains(p.created_at))
        .count();
    let merged: Vec<&Pull> = pulls
        .iter()
        .copied()
        .filter(|p| merged_in(p, window))
        .collect();
    let open: Vec<&Pull> = pulls
        .iter()
        .copied()
        .filter(|p| p.state == PullState::Open && window.contains(p.created_at))
        .collect();

    // Authors.
    let mut per_author: HashMap<String, usize> = HashMap::new();
    for login in merged.iter().filter_map(|p| login(p)) {
        *per_author.entry(login.to_string()).or_default() += 1;
    }
    let authors_unknown = !merged.is_empty() && per_author.is_empty();
    if authors_unknown {
        gaps.push(Gap::new(
            "authors, fly-by authors, pony factor",
            "PR authors",
        ));
    }
    let counts: Vec<usize> = per_author.values().copied().collect();
    let flyby = counts.iter().filter(|c| **c == 1).count();
    let some_authors = !per_author.is_empty();

    // Merges over time.
    let timed: Vec<(&Pull, Timestamp)> = merged
        .iter()
        .filter_map(|p| p.merged_at.map(|at| (*p, at)))
        .collect();
    let first = first_merges(pulls);
    let merged_over_time = if !merged.is_empty() && timed.is_empty() {
        gaps.push(Gap::new(
            "merged PRs over time, PR lifetimes",
            "merge times",
        ));
        Measure::NotInData
    } else {
        let bins = merge_bins(&timed, &first, window);
        if bins.is_empty() {
            Measure::NoneToMeasure
        } else {
            Measure::Value(bins)
        }
    };

    // Lifetimes.
    let mut merged_days: Vec<f64> = timed
        .iter()
        .map(|(p, at)| days_between(p.created_at, *at))
        .collect();
    let mut open_days: Vec<f64> = match window.as_of {
        Some(as_of) => open
            .iter()
            .map(|p| days_between(p.created_at, as_of).max(0.0))
            .collect(),
        None => Vec::new(),
    };
    let mut lifetimes = lifetimes(&mut merged_days, &mut open_days);
    if merged_over_time.is_not_in_data() {
        lifetimes.merged_median_days = Measure::NotInData;
        lifetimes.open_outlast_merged_from_days = Measure::NotInData;
    }

    // Mergeability of open PRs.
    let mergeability = if open.is_empty() {
        Measure::NoneToMeasure
    } else if open.iter().all(|p| p.mergeable.is_none()) {
        gaps.push(Gap::new("mergeability of open PRs", "PR mergeability"));
        Measure::NotInData
    } else {
        let mut years: BTreeMap<i16, MergeabilityBin> = BTreeMap::new();
        for pull in &open {
            let year = day_of(pull.created_at).year();
            let bin = years.entry(year).or_insert(MergeabilityBin {
                year,
                mergeable: 0,
                conflicting: 0,
                unknown: 0,
            });
            match pull.mergeable {
                Some(Mergeable::Mergeable) => bin.mergeable += 1,
                Some(Mergeable::Conflicting) => bin.conflicting += 1,
                Some(Mergeable::Unknown) | None => bin.unknown += 1,
            }
        }
        Measure::Value(years.into_values().collect())
    };

    // Participants against lifetime.
    let with_participants: Vec<(u32, f64)> = timed
        .iter()
        .filter_map(|(p, at)| {
            p.participants
                .map(|n| (n, hours_between(p.created_at, *at)))
        })
        .collect();
    let participants = if timed.is_empty() {
        Measure::NoneToMeasure
    } else if with_participants.is_empty() {
        gaps.push(Gap::new("participants against lifetime", "PR participants"));
        Measure::NotInData
    } else {
        let mut groups: BTreeMap<u32, Vec<f64>> = BTreeMap::new();
        for (n, hours) in with_participants {
            groups.entry(n.min(10)).or_default().push(hours);
        }
        Measure::Value(
            groups
                .into_iter()
                .map(|(n, hours)| ParticipantsRow {
                    participants: if n >= 10 {
                        "10+".to_string()
                    } else {
                        n.to_string()
                    },
                    prs: hours.len(),
                    lifetime_q1_hours: quantile(&hours, 0.25).unwrap_or(0.0),
                    lifetime_median_hours: quantile(&hours, 0.5).unwrap_or(0.0),
                    lifetime_q3_hours: quantile(&hours, 0.75).unwrap_or(0.0),
                })
                .collect(),
        )
    };

    let reviews: Vec<f64> = merged
        .iter()
        .filter_map(|p| p.reviews.map(f64::from))
        .collect();
    let reviews_median = if !merged.is_empty() && reviews.is_empty() {
        gaps.push(Gap::new("approving reviews per merged PR", "PR reviews"));
        Measure::NotInData
    } else {
        Measure::from_option(median(&reviews))
    };

    PullReport {
        filter: considered.filter.clone(),
        opened,
        merged: merged.len(),
        open: open.len(),
        unique_authors: known_unless(authors_unknown, some_authors.then_some(per_author.len())),
        flyby_authors: known_unless(authors_unknown, some_authors.then_some(flyby)),
        flyby_percent: if authors_unknown {
            Measure::NotInData
        } else {
            percent(flyby, per_author.len())
        },
        pony_factor: known_unless(authors_unknown, pony_factor(&counts)),
        top_authors: known_unless(
            authors_unknown,
            some_authors.then(|| top_counts(per_author.clone(), 10)),
        ),
        merged_per_author: known_unless(
            authors_unknown,
            some_authors.then(|| per_author_histogram(&per_author)),
        ),
        merged_over_time,
        lifetimes,
        mergeability,
        participants,
        reviews_median,
    }
}

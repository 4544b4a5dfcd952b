//! Time axes: ticks on calendar boundaries, chosen by the span of the data.
//!
//! Positions on a time axis are days since 1970-01-01 (UTC), as `f64` so that a commit's time
//! of day can sit between two ticks. [`ticks`] tries intervals from the finest (a minute) to
//! the coarsest (a decade) and keeps the first that needs at most the wanted number of ticks;
//! each tick is the start of a minute or hour (multiples of 5, 15, 30 minutes or 3, 6, 12
//! hours, UTC), a day, a week (Monday), a month, a quarter or a year, never a time some fixed
//! distance after the first point. Labels say as much as the interval needs: `14:30` within a
//! day (with the date at the first tick and wherever the day changes), `2024-03-05` for days
//! and weeks, `Mar 2024` for months, `2024 Q2` for quarters, `2024` for years.

use jiff::ToSpan as _;
use jiff::civil::{Date, Weekday};

/// The spacing of time ticks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Interval {
    /// Every `n` minutes (UTC, multiples of `n` past the hour); `n` divides 60.
    Minutes(u16),
    /// Every `n` hours (UTC, multiples of `n` since midnight); `n` divides 24.
    Hours(u16),
    /// Every day.
    Day,
    /// Every Monday.
    Week,
    /// The first of every month.
    Month,
    /// The first of January, April, July and October.
    Quarter,
    /// The first of January of every `n`th year (multiples of `n`).
    Years(i16),
}

impl Interval {
    /// The candidates, finest first, with their typical length in days.
    const ALL: [(Interval, f64); 16] = [
        (Interval::Minutes(1), 1.0 / 1440.0),
        (Interval::Minutes(5), 5.0 / 1440.0),
        (Interval::Minutes(15), 15.0 / 1440.0),
        (Interval::Minutes(30), 30.0 / 1440.0),
        (Interval::Hours(1), 1.0 / 24.0),
        (Interval::Hours(3), 3.0 / 24.0),
        (Interval::Hours(6), 6.0 / 24.0),
        (Interval::Hours(12), 12.0 / 24.0),
        (Interval::Day, 1.0),
        (Interval::Week, 7.0),
        (Interval::Month, 30.44),
        (Interval::Quarter, 91.31),
        (Interval::Years(1), 365.25),
        (Interval::Years(2), 730.5),
        (Interval::Years(5), 1826.25),
        (Interval::Years(10), 3652.5),
    ];

    /// The first boundary at or after `date`.
    fn ceil(self, date: Date) -> Date {
        let floor = self.floor(date);
        if floor == date {
            date
        } else {
            self.next(floor)
        }
    }

    /// The last boundary at or before `date`.
    fn floor(self, date: Date) -> Date {
        match self {
            Interval::Minutes(_) | Interval::Hours(_) | Interval::Day => date,
            Interval::Week => date
                .nth_weekday(-1, Weekday::Monday)
                .ok()
                .filter(|_| date.weekday() != Weekday::Monday)
                .unwrap_or(date),
            Interval::Month => date.first_of_month(),
            Interval::Quarter => {
                let month = (date.month() - 1) / 3 * 3 + 1;
                Date::new(date.year(), month, 1).unwrap_or(date)
            }
            Interval::Years(n) => {
                let year = date.year().div_euclid(n) * n;
                Date::new(year, 1, 1).unwrap_or(date)
            }
        }
    }

    /// The boundary after a boundary.
    fn next(self, date: Date) -> Date {
        let step = match self {
            Interval::Minutes(_) | Interval::Hours(_) | Interval::Day => 1.day(),
            Interval::Week => 1.week(),
            Interval::Month => 1.month(),
            Interval::Quarter => 3.months(),
            Interval::Years(n) => i64::from(n).years(),
        };
        date.checked_add(step).unwrap_or(Date::MAX)
    }

    /// The length of a sub-day interval in days (`None` for a day and longer).
    fn within_a_day(self) -> Option<f64> {
        match self {
            Interval::Minutes(n) => Some(f64::from(n) / 1440.0),
            Interval::Hours(n) => Some(f64::from(n) / 24.0),
            _ => None,
        }
    }

    /// The label of a boundary.
    fn label(self, date: Date) -> String {
        match self {
            Interval::Minutes(_) | Interval::Hours(_) | Interval::Day | Interval::Week => {
                date.to_string()
            }
            Interval::Month => date.strftime("%b %Y").to_string(),
            Interval::Quarter => format!("{} Q{}", date.year(), (date.month() - 1) / 3 + 1),
            Interval::Years(_) => date.year().to_string(),
        }
    }
}

/// 1970-01-01, day zero of a time axis.
const EPOCH: Date = jiff::civil::date(1970, 1, 1);

/// Days since 1970-01-01 of a date.
pub fn day_number(date: Date) -> f64 {
    EPOCH
        .until(date)
        .map_or(0.0, |span| f64::from(span.get_days()))
}

/// Days since 1970-01-01 of a Unix time in seconds (with the time of day as a fraction).
pub fn day_of_seconds(seconds: i64) -> f64 {
    seconds as f64 / 86_400.0
}

/// The date of a day number (its whole part).
pub fn date_of(day: f64) -> Date {
    let whole = day.floor().clamp(-700_000.0, 2_900_000.0) as i64;
    EPOCH.checked_add(whole.days()).unwrap_or(EPOCH)
}

/// One tick of a time axis.
#[derive(Debug, Clone, PartialEq)]
pub struct TimeTick {
    /// The boundary.
    pub date: Date,
    /// Its position, days since 1970-01-01.
    pub day: f64,
    /// Its label.
    pub label: String,
}

/// Ticks on calendar boundaries within `[from, to]` (days since 1970-01-01), at most `most`
/// of them (at least two boundaries are tried for, coarser intervals first failing that).
pub fn ticks(from: f64, to: f64, most: usize) -> (Interval, Vec<TimeTick>) {
    let (from, to) = if to < from { (to, from) } else { (from, to) };
    let span = (to - from).max(1.0 / 1440.0);
    let interval = Interval::ALL
        .iter()
        .find(|(_, length)| span / length <= most.max(2) as f64)
        .map_or(Interval::Years(10), |(interval, _)| *interval);
    let mut out = Vec::new();
    if let Some(step) = interval.within_a_day() {
        // Multiples of the step since the epoch's midnight are whole minutes or hours (UTC).
        let first = (from / step).ceil() as i64;
        let last = (to / step).floor() as i64;
        let mut previous: Option<Date> = None;
        for k in (first..=last).take(most.max(2) + 1) {
            let day = k as f64 * step;
            let date = date_of(day);
            let minutes = ((day - day.floor()) * 1440.0).round() as i64;
            let clock = format!("{:02}:{:02}", minutes / 60 % 24, minutes % 60);
            let label = if previous == Some(date) {
                clock
            } else {
                format!("{date} {clock}")
            };
            previous = Some(date);
            out.push(TimeTick { date, day, label });
        }
        return (interval, out);
    }
    let last = date_of(to);
    let mut date = interval.ceil(date_of(from.ceil()));
    while date <= last && out.len() <= most {
        out.push(TimeTick {
            date,
            day: day_number(date),
            label: interval.label(date),
        });
        let next = interval.next(date);
        if next <= date {
            break;
        }
        date = next;
    }
    (interval, out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_span_chooses_the_interval() {
        let d = |y, m, day| day_number(jiff::civil::date(y, m, day));
        let (interval, found) = ticks(d(2024, 1, 3), d(2024, 1, 9), 8);
        assert_eq!(interval, Interval::Day);
        assert_eq!(found[0].label, "2024-01-03");
        let (interval, found) = ticks(d(2022, 5, 17), d(2024, 5, 1), 8);
        assert_eq!(interval, Interval::Quarter);
        assert_eq!(found[0].label, "2022 Q3");
        let (interval, found) = ticks(d(2014, 2, 1), d(2025, 6, 1), 8);
        assert_eq!(interval, Interval::Years(2));
        assert_eq!(found[0].label, "2016");
        let (interval, found) = ticks(d(2024, 1, 1), d(2024, 6, 30), 8);
        assert_eq!(interval, Interval::Month);
        assert_eq!(found[0].label, "Jan 2024");
        assert_eq!(found.len(), 6);
    }

    #[test]
    fn data_minutes_apart_gets_ticks_within_the_day() {
        // 2024-01-03 14:02 .. 14:41 UTC: ticks every 5 or 15 minutes, the date said once.
        let base = day_number(jiff::civil::date(2024, 1, 3));
        let (interval, found) = ticks(base + 842.0 / 1440.0, base + 881.0 / 1440.0, 8);
        assert_eq!(interval, Interval::Minutes(5));
        assert_eq!(found[0].label, "2024-01-03 14:05");
        assert_eq!(found[1].label, "14:10");
        assert_eq!(found.last().map(|t| t.label.as_str()), Some("14:40"));
        // Across midnight the new day is named again.
        let (interval, found) = ticks(base + 0.8, base + 1.3, 6);
        assert_eq!(interval, Interval::Hours(3));
        assert!(
            found.iter().any(|t| t.label == "2024-01-04 00:00"),
            "{found:?}"
        );
    }

    proptest! {
        #[test]
        fn ticks_fall_on_calendar_boundaries_inside_the_span(
            from in 0f64..25_000.0, span in 0.001f64..20_000.0, most in 3usize..12
        ) {
            let to = from + span;
            let (interval, found) = ticks(from, to, most);
            prop_assert!(found.len() <= most + 1);
            for tick in &found {
                prop_assert!(tick.day >= from.floor() && tick.day <= to, "{tick:?}");
                let date = tick.date;
                let minutes = ((tick.day - tick.day.floor()) * 1440.0).round() as i64;
                let on_boundary = match interval {
                    Interval::Minutes(n) => minutes % i64::from(n) == 0,
                    Interval::Hours(n) => minutes % (60 * i64::from(n)) == 0,
                    Interval::Day => true,
                    Interval::Week => date.weekday() == Weekday::Monday,
                    Interval::Month => date.day() == 1,
                    Interval::Quarter => date.day() == 1 && (date.month() - 1) % 3 == 0,
                    Interval::Years(n) => date.day() == 1 && date.month() == 1 && date.year() % n == 0,
                };
                prop_assert!(on_boundary, "{interval:?} {date}");
            }
            for pair in found.windows(2) {
                prop_assert!(pair[1].day > pair[0].day);
            }
        }
    }
}

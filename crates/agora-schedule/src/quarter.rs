//! Calendar quarters, the unit in which SPEC 0 publishes its drop schedule.

use jiff::Timestamp;
use jiff::civil::Date;

/// A calendar quarter: Q1 is January to March.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct Quarter {
    /// The year.
    pub year: i16,
    /// 1 to 4.
    pub number: u8,
}

impl Quarter {
    /// The quarter that holds `date`.
    pub fn of_date(date: Date) -> Quarter {
        Quarter {
            year: date.year(),
            number: ((date.month() - 1) / 3 + 1) as u8,
        }
    }

    /// The quarter that holds `timestamp`, read in UTC.
    pub fn of_timestamp(timestamp: Timestamp) -> Quarter {
        Quarter::of_date(timestamp.to_zoned(jiff::tz::TimeZone::UTC).date())
    }

    /// The quarter's first day.
    pub fn start(self) -> Date {
        let month = (self.number as i8 - 1) * 3 + 1;
        Date::new(self.year, month, 1).unwrap_or(Date::MIN)
    }
}

impl std::fmt::Display for Quarter {
    /// `2026 - Quarter 2`, as SPEC 0's table spells it.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} - Quarter {}", self.year, self.number)
    }
}

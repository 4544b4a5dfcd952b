//! What the numbers on a chart measure, and how they are written.
//!
//! A [`Quantity`] says what a value is (a count, a percentage, a duration in seconds or in
//! hours, a size in bytes, or a number in some other unit). [`Quantity::axis_unit`] picks one
//! unit for a whole linear axis from the magnitude of its largest tick (`ms` for a series of a
//! few milliseconds, `MiB` for a few million bytes, days for durations past two days), so tick
//! labels stay short and the axis title names the unit once. [`Quantity::format`] writes one
//! value with its own best unit and three significant digits, for hover text and log-axis
//! ticks, where values a thousand times apart share an axis.

/// What a value measures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Quantity {
    /// A number of things.
    Count,
    /// A percentage (0 to 100).
    Percent,
    /// A duration in seconds (asv's `seconds`).
    Seconds,
    /// A duration in hours.
    Hours,
    /// A size in bytes (asv's `bytes`).
    Bytes,
    /// A number in a unit of its own, shown after it.
    Other(String),
}

/// A unit of display: its symbol and how many base units it holds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Unit {
    /// What follows the number (`ms`, `KiB`, `d`); empty for plain numbers.
    pub symbol: &'static str,
    /// The size of one of it in the quantity's base unit.
    pub factor: f64,
}

const SECONDS: [Unit; 4] = [
    Unit {
        symbol: "ns",
        factor: 1e-9,
    },
    Unit {
        symbol: "µs",
        factor: 1e-6,
    },
    Unit {
        symbol: "ms",
        factor: 1e-3,
    },
    Unit {
        symbol: "s",
        factor: 1.0,
    },
];

const BYTES: [Unit; 5] = [
    Unit {
        symbol: "B",
        factor: 1.0,
    },
    Unit {
        symbol: "KiB",
        factor: 1024.0,
    },
    Unit {
        symbol: "MiB",
        factor: 1_048_576.0,
    },
    Unit {
        symbol: "GiB",
        factor: 1_073_741_824.0,
    },
    Unit {
        symbol: "TiB",
        factor: 1_099_511_627_776.0,
    },
];

/// Durations in hours: hours below two days, days from there (the health views' rule).
const HOURS: [Unit; 2] = [
    Unit {
        symbol: "h",
        factor: 1.0,
    },
    Unit {
        symbol: "d",
        factor: 24.0,
    },
];

/// Hours at and above which a duration reads in days.
const DAYS_FROM_HOURS: f64 = 48.0;

const PLAIN: Unit = Unit {
    symbol: "",
    factor: 1.0,
};

impl Quantity {
    /// The quantity of an asv benchmark unit (`seconds`, `bytes`, anything else as is).
    pub fn from_asv(unit: &str) -> Quantity {
        match unit {
            "seconds" => Quantity::Seconds,
            "bytes" => Quantity::Bytes,
            "" => Quantity::Count,
            other => Quantity::Other(other.to_string()),
        }
    }

    /// The unit that fits a value of this size: the largest unit not bigger than it.
    pub fn unit_for(&self, magnitude: f64) -> Unit {
        let magnitude = magnitude.abs();
        let pick = |units: &[Unit]| {
            let mut chosen = units[0];
            for unit in units {
                if magnitude >= unit.factor * (1.0 - 1e-9) {
                    chosen = *unit;
                }
            }
            chosen
        };
        match self {
            Quantity::Seconds => pick(&SECONDS),
            Quantity::Bytes => pick(&BYTES),
            Quantity::Hours if magnitude >= DAYS_FROM_HOURS => HOURS[1],
            Quantity::Hours => HOURS[0],
            Quantity::Percent => Unit {
                symbol: "%",
                factor: 1.0,
            },
            Quantity::Count | Quantity::Other(_) => PLAIN,
        }
    }

    /// The one unit of a linear axis whose ticks reach `largest`.
    pub fn axis_unit(&self, largest: f64) -> Unit {
        match self {
            Quantity::Other(_) => PLAIN,
            _ => self.unit_for(largest),
        }
    }

    /// What the axis title says the unit is (`ms`, `%`, `hours`), if anything.
    pub fn unit_name(&self, unit: Unit) -> String {
        match (self, unit.symbol) {
            (Quantity::Other(name), _) => name.clone(),
            (Quantity::Hours, "h") => "hours".into(),
            (Quantity::Hours, _) => "days".into(),
            (_, symbol) => symbol.to_string(),
        }
    }

    /// One value with its own best unit, three significant digits: `1.23 ms`, `512 KiB`,
    /// `36 h`, `15.1 d`, `42%`, `1,234`.
    pub fn format(&self, value: f64) -> String {
        if !value.is_finite() {
            return "n/a".into();
        }
        let unit = self.unit_for(value);
        let number = significant(value / unit.factor);
        match (self, unit.symbol) {
            (Quantity::Count, _) if value.fract() == 0.0 => grouped(value),
            (Quantity::Other(name), _) => format!("{number} {name}"),
            (_, "") => number,
            (_, "%") => format!("{number}%"),
            (_, symbol) => format!("{number} {symbol}"),
        }
    }
}

/// A number with three significant digits and no trailing zeros (`1.5`, `120`, `0.0123`);
/// integers of more digits are written whole.
pub fn significant(value: f64) -> String {
    if value == 0.0 || !value.is_finite() {
        return "0".into();
    }
    let digits = value.abs().log10().floor() as i32;
    let decimals = (2 - digits).max(0) as usize;
    let text = format!("{value:.decimals$}");
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    }
}

/// A whole number with thin groups of three digits (`5,795`).
fn grouped(value: f64) -> String {
    let digits = format!("{}", value.abs().round() as u64);
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if value < 0.0 { format!("-{out}") } else { out }
}

/// A tick label in the axis unit: the number alone (the axis title names the unit).
pub fn tick_label(value: f64, unit: Unit) -> String {
    let scaled = value / unit.factor;
    if scaled.fract().abs() < 1e-9 && scaled.abs() >= 1000.0 {
        return grouped(scaled);
    }
    // Ticks are round: up to six decimals is exact for them, trailing zeros trimmed.
    let text = format!("{scaled:.6}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" {
        "0".into()
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_follow_the_magnitude() {
        assert_eq!(Quantity::Seconds.format(0.00123), "1.23 ms");
        assert_eq!(Quantity::Seconds.format(4.5e-8), "45 ns");
        assert_eq!(Quantity::Seconds.format(2.0), "2 s");
        assert_eq!(Quantity::Bytes.format(3.5 * 1_048_576.0), "3.5 MiB");
        assert_eq!(Quantity::Bytes.format(512.0), "512 B");
        assert_eq!(Quantity::Hours.format(36.0), "36 h");
        assert_eq!(Quantity::Hours.format(362.0), "15.1 d");
        assert_eq!(Quantity::Percent.format(42.0), "42%");
        assert_eq!(Quantity::Count.format(5795.0), "5,795");
        assert_eq!(Quantity::Other("rows".into()).format(12.0), "12 rows");
        assert_eq!(Quantity::Seconds.format(0.0), "0 ns");
        assert_eq!(Quantity::Seconds.format(f64::NAN), "n/a");
    }

    #[test]
    fn axes_name_their_unit_once() {
        let unit = Quantity::Seconds.axis_unit(0.004);
        assert_eq!(unit.symbol, "ms");
        assert_eq!(tick_label(0.002, unit), "2");
        assert_eq!(tick_label(0.0025, unit), "2.5");
        assert_eq!(
            Quantity::Hours.unit_name(Quantity::Hours.axis_unit(20_000.0)),
            "days"
        );
        assert_eq!(tick_label(6000.0, PLAIN), "6,000");
    }
}

//! Human-readable values: durations in seconds and sizes in bytes with a unit prefix, three
//! significant digits, other units as plain numbers. Used by the text, HTML and feed views.

/// A value in its benchmark's unit, e.g. `1.23ms`, `94.4M`, `17`.
pub fn human_value(value: f64, unit: &str) -> String {
    if value.is_nan() {
        return "n/a".into();
    }
    match unit {
        "seconds" => {
            const UNITS: [(&str, f64); 6] = [
                ("ns", 1e-9),
                ("μs", 1e-6),
                ("ms", 1e-3),
                ("s", 1.0),
                ("m", 60.0),
                ("h", 3600.0),
            ];
            let magnitude = value.abs();
            let mut chosen = UNITS[0];
            for unit in UNITS {
                if magnitude >= unit.1 {
                    chosen = unit;
                }
            }
            format!("{}{}", significant(value / chosen.1, 3), chosen.0)
        }
        "bytes" => {
            const PREFIXES: [&str; 7] = ["", "k", "M", "G", "T", "P", "E"];
            let mut scaled = value;
            let mut k = 0;
            while scaled.abs() >= 1000.0 && k + 1 < PREFIXES.len() {
                scaled /= 1000.0;
                k += 1;
            }
            format!("{}{}", significant(scaled, 3), PREFIXES[k])
        }
        _ => significant(value, 3),
    }
}

/// `value` with `digits` significant digits, trailing zeros dropped.
pub fn significant(value: f64, digits: i32) -> String {
    if value == 0.0 || !value.is_finite() {
        return format!("{value}");
    }
    let magnitude = value.abs().log10().floor() as i32 + 1;
    if !(-4..=9).contains(&magnitude) {
        return format!("{:.*e}", (digits - 1).max(0) as usize, value);
    }
    let decimals = (digits - magnitude).max(0) as usize;
    let mut text = format!("{value:.decimals$}");
    if text.contains('.') {
        text = text.trim_end_matches('0').trim_end_matches('.').to_owned();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_sizes_and_plain_numbers() {
        assert_eq!(human_value(0.00123, "seconds"), "1.23ms");
        assert_eq!(human_value(2.5, "seconds"), "2.5s");
        assert_eq!(human_value(94384128.0, "bytes"), "94.4M");
        assert_eq!(human_value(17.0, "unit"), "17");
        assert_eq!(human_value(f64::NAN, "unit"), "n/a");
    }
}

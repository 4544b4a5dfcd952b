//! Human-readable values: durations in seconds and sizes in bytes with a unit prefix, three
//! significant digits, other units as plain numbers; and changes between two values. Used by
//! the text, HTML and feed views.
//!
//! A change is never shown as `NaN` or `inf`. As asv's feed does when it would divide by zero,
//! a change from zero is shown as the difference in the benchmark's unit (`+1.5ms`); a change
//! between two equal values (zero to zero included) is `no change`; a change with a side that
//! is not a finite number is `n/a`. (asv reads `NaN` results as missing, so they never reach
//! a fit or a change.)

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

/// `after / before` when both are finite, `before` is not zero and the quotient is finite.
pub fn ratio(before: f64, after: f64) -> Option<f64> {
    if !before.is_finite() || !after.is_finite() || before == 0.0 {
        return None;
    }
    Some(after / before).filter(|r| r.is_finite())
}

/// The difference `after - before` in the benchmark's unit with its sign (`+1.5ms`, `-2M`),
/// `None` when it is not a finite number.
fn signed_difference(before: f64, after: f64, unit: &str) -> Option<String> {
    let difference = after - before;
    if !difference.is_finite() {
        return None;
    }
    let sign = if difference < 0.0 { "-" } else { "+" };
    Some(format!("{sign}{}", human_value(difference.abs(), unit)))
}

/// A change as a factor, `×2.00`; see the module's description for zeros and non-numbers.
pub fn factor_text(before: f64, after: f64, unit: &str) -> String {
    if before == after && before.is_finite() {
        return "no change".into();
    }
    match ratio(before, after) {
        Some(factor) => format!("×{factor:.2}"),
        None => signed_difference(before, after, unit).unwrap_or_else(|| "n/a".into()),
    }
}

/// A change as a percentage with one decimal, `+12.3%`; see the module's description for zeros
/// and non-numbers.
pub fn percent_text(before: f64, after: f64, unit: &str) -> String {
    if before == after && before.is_finite() {
        return "no change".into();
    }
    match ratio(before, after) {
        Some(factor) => format!("{:+.1}%", 100.0 * (factor - 1.0)),
        None => signed_difference(before, after, unit).unwrap_or_else(|| "n/a".into()),
    }
}

/// `value` as Python formats it with `{:.2g}` (asv's feed writes differences so).
pub fn python_g2(value: f64) -> String {
    if !value.is_finite() {
        return if value.is_nan() {
            "nan".into()
        } else if value > 0.0 {
            "inf".into()
        } else {
            "-inf".into()
        };
    }
    if value == 0.0 {
        return if value.is_sign_negative() { "-0" } else { "0" }.into();
    }
    // The exponent after rounding to two significant digits decides the notation.
    let scientific = format!("{value:.1e}");
    let (mantissa, exponent) = scientific.split_once('e').unwrap_or((&scientific, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    if (-4..2).contains(&exponent) {
        let decimals = (1 - exponent).max(0) as usize;
        let text = format!("{value:.decimals$}");
        if text.contains('.') {
            text.trim_end_matches('0').trim_end_matches('.').to_owned()
        } else {
            text
        }
    } else {
        let mantissa = if mantissa.contains('.') {
            mantissa.trim_end_matches('0').trim_end_matches('.')
        } else {
            mantissa
        };
        let sign = if exponent < 0 { '-' } else { '+' };
        format!("{mantissa}e{sign}{:02}", exponent.abs())
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

    #[test]
    fn changes_with_a_zero_or_non_finite_side_are_never_nan_or_inf() {
        assert_eq!(factor_text(1.0, 2.0, "seconds"), "×2.00");
        assert_eq!(percent_text(2.0, 2.5, "seconds"), "+25.0%");
        assert_eq!(percent_text(2.0, 1.0, "seconds"), "-50.0%");
        // Zero to zero: nothing changed.
        assert_eq!(factor_text(0.0, 0.0, "seconds"), "no change");
        assert_eq!(percent_text(0.0, 0.0, "seconds"), "no change");
        // From zero: the difference in the unit, as asv's feed says it.
        assert_eq!(factor_text(0.0, 0.0015, "seconds"), "+1.5ms");
        assert_eq!(percent_text(0.0, 2e6, "bytes"), "+2M");
        assert_eq!(percent_text(3.0, 0.0, "unit"), "-100.0%");
        // A side that is not a number.
        for (before, after) in [
            (f64::NAN, 1.0),
            (1.0, f64::NAN),
            (f64::NAN, f64::NAN),
            (f64::INFINITY, 1.0),
            (0.0, f64::INFINITY),
        ] {
            for text in [
                factor_text(before, after, "seconds"),
                percent_text(before, after, "seconds"),
            ] {
                assert_eq!(text, "n/a", "{before} → {after}");
            }
        }
        assert_eq!(ratio(0.0, 1.0), None);
        assert_eq!(ratio(1e-300, 1e300), None);
        assert_eq!(ratio(2.0, 3.0), Some(1.5));
    }

    #[test]
    fn differences_are_formatted_as_python_does_with_2g() {
        for (value, python) in [
            (0.0, "0"),
            (1.0, "1"),
            (1.5, "1.5"),
            (-2.25, "-2.2"),
            (12.0, "12"),
            (123.0, "1.2e+02"),
            (99.9, "1e+02"),
            (0.000123, "0.00012"),
            (0.0000123, "1.2e-05"),
            (1e308, "1e+308"),
        ] {
            assert_eq!(python_g2(value), python, "{value}");
        }
    }
}

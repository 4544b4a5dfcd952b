//! Value scales: where a number sits on an axis, and which round numbers label it.
//!
//! A [`Scale`] maps a domain `[lo, hi]` onto `[0, 1]`, linearly or by logarithm. The domain is
//! never chosen by hand: [`Scale::fit`] takes the data and returns a domain whose ends are
//! ticks, so the axis starts and ends on labelled round numbers. Linear ticks are multiples of
//! 1, 2 or 5 × 10^k (about five of them); logarithmic ticks are powers of ten, with 2 and 5
//! between them when the data spans fewer than three decades. [`ScaleKind::for_data`] is the
//! one rule for choosing: positive data spanning more than two decades reads better on a log
//! axis, anything with a zero or a sign change stays linear. A flat series (every value the
//! same) gets an axis around its value, never a degenerate one.

/// How values are placed along an axis.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ScaleKind {
    /// Equal distances for equal differences.
    Linear,
    /// Equal distances for equal ratios (positive values only).
    Log,
}

/// The ratio of largest to smallest positive value above which data goes on a log axis.
pub const LOG_ABOVE_RATIO: f64 = 100.0;

impl ScaleKind {
    /// The scale the data reads best on: log for positive data spanning more than two
    /// decades ([`LOG_ABOVE_RATIO`]), else linear.
    pub fn for_data(values: &[f64]) -> ScaleKind {
        let finite = values.iter().copied().filter(|v| v.is_finite());
        let (mut lo, mut hi, mut any) = (f64::INFINITY, f64::NEG_INFINITY, false);
        for v in finite {
            if v <= 0.0 {
                return ScaleKind::Linear;
            }
            lo = lo.min(v);
            hi = hi.max(v);
            any = true;
        }
        if any && hi / lo > LOG_ABOVE_RATIO {
            ScaleKind::Log
        } else {
            ScaleKind::Linear
        }
    }
}

/// A fitted scale: its kind, its domain and the ticks that label it.
#[derive(Debug, Clone, PartialEq)]
pub struct Scale {
    /// Linear or logarithmic.
    pub kind: ScaleKind,
    /// The low end of the domain (a tick).
    pub lo: f64,
    /// The high end of the domain (a tick).
    pub hi: f64,
    /// The ticks, ascending, from `lo` to `hi`.
    pub ticks: Vec<f64>,
}

/// The round step (1, 2 or 5 × 10^k) nearest above `span / target`.
pub fn nice_step(span: f64, target: usize) -> f64 {
    let raw = span / target.max(1) as f64;
    if raw <= 0.0 || !raw.is_finite() {
        return 1.0;
    }
    let magnitude = 10f64.powf(raw.log10().floor());
    for factor in [1.0, 2.0, 5.0, 10.0] {
        if factor * magnitude >= raw * (1.0 - 1e-9) {
            return factor * magnitude;
        }
    }
    10.0 * magnitude
}

/// Round linear ticks covering `[lo, hi]`: multiples of one [`nice_step`], about `target`
/// intervals, the first at or below `lo` and the last at or above `hi`.
pub fn linear_ticks(lo: f64, hi: f64, target: usize) -> Vec<f64> {
    let step = nice_step(hi - lo, target);
    // A bound within a hair of a multiple of the step is that multiple.
    let first = (lo / step + 1e-9).floor() as i64;
    let last = (hi / step - 1e-9).ceil() as i64;
    (first..=last.max(first + 1))
        // Multiply rather than add, so that ticks stay exact multiples of the step.
        .map(|k| tidy(k as f64 * step))
        .collect()
}

/// Removes floating-point noise (`0.30000000000000004` → `0.3`) by rounding to 12 significant
/// digits.
fn tidy(value: f64) -> f64 {
    if value == 0.0 || !value.is_finite() {
        return 0.0;
    }
    let digits = 11 - value.abs().log10().floor() as i32;
    let scale = 10f64.powi(digits);
    (value * scale).round() / scale
}

/// Log ticks covering `[lo, hi]` (both positive): powers of ten, and 2 and 5 times them when
/// the range spans fewer than three decades.
pub fn log_ticks(lo: f64, hi: f64) -> Vec<f64> {
    let first = (lo.log10() + 1e-9).floor() as i32;
    let last = (hi.log10() - 1e-9).ceil() as i32;
    let last = last.max(first + 1);
    let factors: &[f64] = if last - first < 3 {
        &[1.0, 2.0, 5.0]
    } else {
        &[1.0]
    };
    let mut ticks = Vec::new();
    for exponent in first..=last {
        for factor in factors {
            let tick = tidy(factor * 10f64.powi(exponent));
            ticks.push(tick);
        }
    }
    // Keep one tick at or below `lo` and one at or above `hi`.
    let below = ticks
        .iter()
        .rposition(|t| *t <= lo * (1.0 + 1e-9))
        .unwrap_or(0);
    let above = ticks
        .iter()
        .position(|t| *t >= hi * (1.0 - 1e-9))
        .unwrap_or(ticks.len() - 1);
    ticks[below..=above].to_vec()
}

impl Scale {
    /// The scale for `values` (non-finite ones ignored): the kind [`ScaleKind::for_data`]
    /// chooses unless `kind` says, a linear domain from zero when `include_zero`, and about
    /// `target` tick intervals on a linear axis.
    pub fn fit(
        values: &[f64],
        kind: Option<ScaleKind>,
        include_zero: bool,
        target: usize,
    ) -> Scale {
        let finite: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
        let kind = kind.unwrap_or_else(|| ScaleKind::for_data(&finite));
        let lo = finite.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = finite.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        if finite.is_empty() {
            return Scale::from_ticks(ScaleKind::Linear, linear_ticks(0.0, 1.0, target));
        }
        match kind {
            ScaleKind::Log if lo > 0.0 => Scale::from_ticks(ScaleKind::Log, log_ticks(lo, hi)),
            _ => {
                let (mut lo, mut hi) = (lo, hi);
                if include_zero {
                    lo = lo.min(0.0);
                    hi = hi.max(0.0);
                }
                let flat = hi - lo <= f64::EPSILON * hi.abs().max(lo.abs());
                if flat {
                    // A flat series: all zero gets 0 to 1; else a band around the value
                    // (from zero when zero is wanted).
                    if hi == 0.0 {
                        hi = 1.0;
                    } else {
                        let half = hi.abs() / 2.0;
                        hi += half;
                        lo = if include_zero { lo.min(0.0) } else { lo - half };
                    }
                }
                Scale::from_ticks(ScaleKind::Linear, linear_ticks(lo, hi, target))
            }
        }
    }

    fn from_ticks(kind: ScaleKind, ticks: Vec<f64>) -> Scale {
        let lo = ticks.first().copied().unwrap_or(0.0);
        let hi = ticks.last().copied().unwrap_or(1.0);
        Scale {
            kind,
            lo,
            hi,
            ticks,
        }
    }

    /// Where `value` sits, from 0 at `lo` to 1 at `hi` (clamped; on a log scale, values at or
    /// below zero sit at 0).
    pub fn position(&self, value: f64) -> f64 {
        let at = match self.kind {
            ScaleKind::Linear => (value - self.lo) / (self.hi - self.lo),
            ScaleKind::Log if value > 0.0 => {
                (value.ln() - self.lo.ln()) / (self.hi.ln() - self.lo.ln())
            }
            ScaleKind::Log => 0.0,
        };
        if at.is_finite() {
            at.clamp(0.0, 1.0)
        } else {
            0.0
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Whether `step` is 1, 2 or 5 × 10^k.
    fn is_round(step: f64) -> bool {
        let magnitude = 10f64.powf(step.log10().floor());
        let mantissa = step / magnitude;
        [1.0, 2.0, 5.0, 10.0]
            .iter()
            .any(|m| (mantissa - m).abs() < 1e-6)
    }

    #[test]
    fn steps_are_round() {
        assert_eq!(nice_step(10.0, 5), 2.0);
        assert_eq!(nice_step(23.0, 5), 5.0);
        assert_eq!(nice_step(0.7, 5), 0.2);
        assert_eq!(nice_step(20_000.0, 5), 5000.0);
    }

    #[test]
    fn linear_ticks_read_like_a_plotting_librarys() {
        assert_eq!(linear_ticks(0.0, 5795.0, 5), [0.0, 2000.0, 4000.0, 6000.0]);
        assert_eq!(linear_ticks(0.0, 1.0, 5), [0.0, 0.2, 0.4, 0.6, 0.8, 1.0]);
        assert_eq!(linear_ticks(0.1, 0.3, 4), [0.1, 0.15, 0.2, 0.25, 0.3]);
    }

    #[test]
    fn log_ticks_are_decades_or_one_two_five() {
        assert_eq!(
            log_ticks(1.0, 20_000.0),
            [1.0, 10.0, 100.0, 1000.0, 10_000.0, 100_000.0]
        );
        assert_eq!(log_ticks(3.0, 40.0), [2.0, 5.0, 10.0, 20.0, 50.0]);
    }

    #[test]
    fn the_data_chooses_the_scale() {
        assert_eq!(ScaleKind::for_data(&[1.0, 20_000.0]), ScaleKind::Log);
        assert_eq!(ScaleKind::for_data(&[1.0, 50.0]), ScaleKind::Linear);
        assert_eq!(ScaleKind::for_data(&[0.0, 20_000.0]), ScaleKind::Linear);
        assert_eq!(ScaleKind::for_data(&[]), ScaleKind::Linear);
    }

    #[test]
    fn flat_series_get_a_sensible_axis() {
        let zeros = Scale::fit(&[0.0, 0.0, 0.0], None, false, 5);
        assert_eq!((zeros.lo, zeros.hi), (0.0, 1.0));
        assert!(zeros.ticks.iter().all(|t| t.is_finite()));
        let flat = Scale::fit(&[2e-3, 2e-3], None, false, 5);
        assert!(flat.lo < 2e-3 && flat.hi > 2e-3, "{flat:?}");
        assert!(flat.hi - flat.lo > 1e-4, "{flat:?}");
        let from_zero = Scale::fit(&[7.0], None, true, 5);
        assert_eq!(from_zero.lo, 0.0);
        assert!(from_zero.position(7.0) > 0.5 && from_zero.position(7.0) < 1.0);
    }

    proptest! {
        #[test]
        fn linear_ticks_are_round_cover_the_data_and_ascend(
            lo in -1e6f64..1e6, width in 1e-6f64..1e6, target in 2usize..10
        ) {
            let hi = lo + width;
            let ticks = linear_ticks(lo, hi, target);
            prop_assert!(ticks.len() >= 2);
            prop_assert!(ticks[0] <= lo + width * 1e-6);
            prop_assert!(*ticks.last().unwrap_or(&f64::NAN) >= hi - width * 1e-6);
            let step = ticks[1] - ticks[0];
            prop_assert!(is_round(step), "step {step}");
            for pair in ticks.windows(2) {
                prop_assert!(pair[1] > pair[0]);
                prop_assert!(((pair[1] - pair[0]) - step).abs() <= step * 1e-6);
            }
            // Every tick is a whole multiple of the step: round numbers.
            for tick in &ticks {
                let multiple = tick / step;
                prop_assert!((multiple - multiple.round()).abs() < 1e-6, "{tick} / {step}");
            }
            prop_assert!(ticks.len() <= 2 * target + 2);
        }

        #[test]
        fn log_ticks_are_round_cover_the_data_and_ascend(
            lo in 1e-9f64..1e6, ratio in 1.0f64..1e6
        ) {
            let hi = lo * ratio;
            let ticks = log_ticks(lo, hi);
            prop_assert!(ticks[0] <= lo * (1.0 + 1e-9));
            prop_assert!(*ticks.last().unwrap_or(&f64::NAN) >= hi * (1.0 - 1e-9));
            for pair in ticks.windows(2) {
                prop_assert!(pair[1] > pair[0]);
            }
            for tick in &ticks {
                prop_assert!(is_round(*tick), "{tick}");
            }
        }

        #[test]
        fn positions_are_monotone_and_within_the_frame(
            values in proptest::collection::vec(-1e4f64..1e4, 1..20)
        ) {
            let scale = Scale::fit(&values, None, false, 5);
            let mut sorted = values.clone();
            sorted.sort_by(f64::total_cmp);
            let positions: Vec<f64> = sorted.iter().map(|v| scale.position(*v)).collect();
            for pair in positions.windows(2) {
                prop_assert!(pair[1] >= pair[0]);
            }
            prop_assert!(positions.iter().all(|p| (0.0..=1.0).contains(p)));
        }
    }
}

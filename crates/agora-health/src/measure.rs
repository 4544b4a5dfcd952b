//! Values that may be unknown, and the few statistics the metrics need.
//!
//! A [`Measure`] is either a value, "not in the data" (the source lacks a field the metric
//! needs), or "nothing to measure" (the data is there but the window holds no items, e.g. a
//! median over no closed issues). Both unknown kinds serialize to JSON `null`; the report's
//! `gaps` list says which metrics are missing which fields. Medians and quantiles interpolate
//! linearly between neighbours (NumPy's default, which devstats uses).

use serde::{Serialize, Serializer};

/// A metric's value, or why there is none.
#[derive(Debug, Clone, PartialEq)]
pub enum Measure<T> {
    /// The computed value.
    Value(T),
    /// The source does not carry a field this metric needs.
    NotInData,
    /// The data is there, but nothing in the window to compute it over.
    NoneToMeasure,
}

impl<T> Measure<T> {
    /// The value, if known.
    pub fn value(&self) -> Option<&T> {
        match self {
            Measure::Value(value) => Some(value),
            _ => None,
        }
    }

    /// Whether the source lacks what this metric needs.
    pub fn is_not_in_data(&self) -> bool {
        matches!(self, Measure::NotInData)
    }

    /// Applies `f` to a known value, keeping the reason otherwise.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Measure<U> {
        match self {
            Measure::Value(value) => Measure::Value(f(value)),
            Measure::NotInData => Measure::NotInData,
            Measure::NoneToMeasure => Measure::NoneToMeasure,
        }
    }

    /// A value from an `Option`: `None` means nothing to measure.
    pub fn from_option(value: Option<T>) -> Measure<T> {
        value.map_or(Measure::NoneToMeasure, Measure::Value)
    }
}

impl<T: Serialize> Serialize for Measure<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Measure::Value(value) => value.serialize(serializer),
            Measure::NotInData | Measure::NoneToMeasure => serializer.serialize_none(),
        }
    }
}

/// The `q`-quantile (0 ≤ q ≤ 1) of `values`, interpolating linearly; `None` when empty.
pub fn quantile(values: &[f64], q: f64) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let position = q.clamp(0.0, 1.0) * (sorted.len() - 1) as f64;
    let below = position.floor() as usize;
    let above = position.ceil() as usize;
    let (low, high) = (sorted.get(below)?, sorted.get(above)?);
    Some(low + (high - low) * (position - below as f64))
}

/// The median of `values`; `None` when empty.
pub fn median(values: &[f64]) -> Option<f64> {
    quantile(values, 0.5)
}

/// The arithmetic mean of `values`; `None` when empty.
pub fn mean(values: &[f64]) -> Option<f64> {
    if values.is_empty() {
        None
    } else {
        Some(values.iter().sum::<f64>() / values.len() as f64)
    }
}

/// `part` as a percentage of `whole`; nothing to measure when `whole` is zero.
pub fn percent(part: usize, whole: usize) -> Measure<f64> {
    if whole == 0 {
        Measure::NoneToMeasure
    } else {
        Measure::Value(100.0 * part as f64 / whole as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_averages_the_middle_pair() {
        assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), Some(2.5));
        assert_eq!(median(&[5.0, 1.0, 3.0]), Some(3.0));
        assert_eq!(median(&[]), None);
    }

    #[test]
    fn quartiles_interpolate_like_numpy() {
        // numpy.percentile([1, 2, 3, 4, 10], [25, 75]) == [2., 4.]
        let values = [10.0, 1.0, 2.0, 3.0, 4.0];
        assert_eq!(quantile(&values, 0.25), Some(2.0));
        assert_eq!(quantile(&values, 0.75), Some(4.0));
        // numpy.percentile([1, 2], 25) == 1.25
        assert_eq!(quantile(&[2.0, 1.0], 0.25), Some(1.25));
    }

    #[test]
    fn unknown_measures_serialize_to_null_and_percent_of_nothing_is_unknown() {
        let measures = [
            Measure::Value(1.5),
            Measure::NotInData,
            Measure::NoneToMeasure,
        ];
        let json = serde_json::to_string(&measures).unwrap_or_default();
        assert_eq!(json, "[1.5,null,null]");
        assert_eq!(percent(1, 0), Measure::NoneToMeasure);
        assert_eq!(percent(1, 4), Measure::Value(25.0));
        assert_eq!(mean(&[1.0, 2.0, 6.0]), Some(3.0));
    }
}

//! Hand-made series whose steps asv 0.6.6 computed (`asv.step_detect.detect_steps`); the
//! numbers are asv's, copied from its output.

use super::*;

fn fit(y: &[Option<f64>], w: Option<&[Option<f64>]>) -> Vec<(i64, i64, f64, f64, f64)> {
    detect_steps(y, w)
        .expect("a series of ordinary values is fitted")
        .into_iter()
        .map(|s| (s.left, s.right, s.value, s.min, s.error))
        .collect()
}

fn some(values: &[f64]) -> Vec<Option<f64>> {
    values.iter().copied().map(Some).collect()
}

#[test]
fn flat_series_is_one_step() {
    assert_eq!(fit(&some(&[1.0; 10]), None), vec![(0, 10, 1.0, 1.0, 0.0)]);
}

#[test]
fn one_step() {
    let mut y = vec![1.0; 10];
    y.extend([2.0; 10]);
    assert_eq!(
        fit(&some(&y), None),
        vec![(0, 10, 1.0, 1.0, 0.0), (10, 20, 2.0, 2.0, 0.0)]
    );
}

#[test]
fn two_steps() {
    let mut y = vec![1.0; 8];
    y.extend([3.0; 8]);
    y.extend([2.0; 8]);
    assert_eq!(
        fit(&some(&y), None),
        vec![
            (0, 8, 1.0, 1.0, 0.0),
            (8, 16, 3.0, 3.0, 0.0),
            (16, 24, 2.0, 2.0, 0.0)
        ]
    );
}

#[test]
fn noisy_step() {
    let y: Vec<f64> = (0..40)
        .map(|i| {
            let noise = (((i * 7919) % 13) as f64 - 6.0) / 100.0;
            1.0 + noise + if i >= 25 { 0.5 } else { 0.0 }
        })
        .collect();
    assert_eq!(
        fit(&some(&y), None),
        vec![
            (0, 25, 1.0, 0.94, 0.03160000000000003),
            (25, 40, 1.5, 1.44, 0.03533333333333336)
        ]
    );
}

#[test]
fn long_series_beyond_the_window() {
    let y: Vec<f64> = (0..150)
        .map(|i| {
            1.0 + 0.01 * ((i * 37) % 11) as f64
                + if i > 60 { 1.0 } else { 0.0 }
                + if i > 120 { 0.3 } else { 0.0 }
        })
        .collect();
    assert_eq!(
        fit(&some(&y), None),
        vec![
            (0, 61, 1.05, 1.0, 0.027377049180327892),
            (61, 121, 2.05, 2.0, 0.027166666666666693),
            (121, 150, 2.3499999999999996, 2.3, 0.027586206896551734)
        ]
    );
}

#[test]
fn gaps_are_skipped_and_positions_kept() {
    let y = [
        Some(1.0),
        None,
        Some(1.1),
        Some(f64::NAN),
        Some(0.9),
        Some(1.0),
        None,
        Some(3.0),
        Some(3.1),
        None,
        Some(2.9),
        Some(3.0),
    ];
    assert_eq!(
        fit(&y, None),
        vec![
            (0, 6, 1.0, 0.9, 0.05000000000000002),
            (7, 12, 3.0, 2.9, 0.050000000000000044)
        ]
    );
}

#[test]
fn missing_weights_get_the_median() {
    let y = some(&[1.0, 1.2, 0.8, 1.0, 2.0, 2.2, 1.8, 2.0]);
    let w = [
        Some(2.0),
        None,
        Some(1.0),
        None,
        Some(4.0),
        None,
        Some(0.5),
        Some(1.0),
    ];
    assert_eq!(
        fit(&y, Some(&w)),
        vec![
            (0, 4, 1.0, 0.8, 0.09999999999999998),
            (4, 8, 2.0, 1.8, 0.07500000000000004)
        ]
    );
}

#[test]
fn a_non_positive_weight_drops_the_point() {
    let y = some(&[1.0, 1.0, 50.0, 1.0, 1.0]);
    let w = some(&[1.0, 1.0, 0.0, 1.0, 1.0]);
    assert_eq!(fit(&y, Some(&w)), vec![(0, 5, 1.0, 1.0, 0.0)]);
}

#[test]
fn one_and_two_points() {
    assert_eq!(fit(&[Some(5.0)], None), vec![(0, 1, 5.0, 5.0, 0.0)]);
    assert_eq!(
        fit(&some(&[1.0, 2.0]), None),
        vec![(0, 1, 1.0, 1.0, 0.0), (1, 2, 2.0, 2.0, 0.0)]
    );
    assert!(fit(&[], None).is_empty());
    assert!(fit(&[None, Some(f64::NAN)], None).is_empty());
}

#[test]
fn weighted_median_breaks_ties_between_the_middle_points() {
    let y = [1.0, 3.0];
    let w = [1.0, 1.0];
    let mut costs = RangeCost::new(&y, &w);
    assert_eq!(costs.median_cost(0, 1), (2.0, 2.0));
    let w = [3.0, 1.0];
    let mut costs = RangeCost::new(&y, &w);
    assert_eq!(costs.median_cost(0, 1), (1.0, 2.0));
}

#[test]
fn golden_search_finds_a_parabola_minimum() {
    let x = golden_search(|x| (x - 0.3) * (x - 0.3), -1.0, 1.0, 1e-6, 0.0, false);
    assert!((x - 0.3).abs() < 1e-5, "{x}");
}

/// The reference weighted median of points sorted by value (then weight), computed the plain
/// way: the total weight, then the first point where the running weight reaches half of it,
/// or the mean of it and the next when exactly half.
fn weighted_median(sorted: &[(f64, f64)]) -> f64 {
    let mut midpoint = 0.0;
    for &(_, weight) in sorted {
        midpoint += weight;
    }
    midpoint /= 2.0;
    let mut sum = 0.0;
    for (i, &(value, weight)) in sorted.iter().enumerate() {
        sum += weight;
        if sum >= midpoint {
            if sum == midpoint
                && let Some(next) = sorted.get(i + 1)
            {
                return (next.0 + value) / 2.0;
            }
            return value;
        }
    }
    // Rounding left the running sum short of the midpoint: take the largest point.
    sorted.last().map_or(0.0, |p| p.0)
}

/// Checks every `step`-th range of a series against the weighted median of its gathered,
/// sorted points and the cost summed in index order, bit for bit.
fn check_ranges_bit_for_bit(y: &[f64], w: &[f64], step: usize) -> usize {
    let n = y.len();
    let mut costs = RangeCost::new(y, w);
    let mut checked = 0;
    for l in (0..n).step_by(step) {
        for r in (l..n).step_by(step.max(2) - 1) {
            let mut points: Vec<(f64, f64)> = (l..=r).map(|i| (y[i], w[i])).collect();
            points.sort_unstable_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
            let expected = weighted_median(&points);
            let expected_cost: f64 =
                (l..=r).fold(0.0, |acc, i| acc + w[i] * (y[i] - expected).abs());
            let (median, cost) = costs.median_cost(l, r);
            assert_eq!(median.to_bits(), expected.to_bits(), "median of {l}..={r}");
            assert_eq!(cost.to_bits(), expected_cost.to_bits(), "cost of {l}..={r}");
            checked += 1;
        }
    }
    checked
}

#[test]
fn range_medians_and_costs_equal_those_of_the_gathered_sorted_points() {
    let mut state = 12345u64;
    let mut next = || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 33) as usize
    };
    // Repeated values and dyadic weights, so that ties and running sums equal to the
    // midpoint occur; then values and weights without ties, whose sums round.
    let n = 160;
    let y: Vec<f64> = (0..n).map(|_| (next() % 7) as f64 * 0.5).collect();
    let w: Vec<f64> = (0..n).map(|_| [1.0, 0.5, 2.0, 0.25][next() % 4]).collect();
    assert!(check_ranges_bit_for_bit(&y, &w, 1) > 10_000);
    let y: Vec<f64> = (0..n).map(|_| (next() % 1000) as f64 / 7.0).collect();
    let w: Vec<f64> = (0..n).map(|_| (1 + next() % 97) as f64 / 13.0).collect();
    assert!(check_ranges_bit_for_bit(&y, &w, 1) > 10_000);
    // A long series, whose short ranges beyond the window are sorted rather than picked
    // from the global order.
    let n = 1200;
    let y: Vec<f64> = (0..n).map(|_| (next() % 50) as f64 * 0.1).collect();
    let w: Vec<f64> = (0..n).map(|_| (1 + next() % 9) as f64 / 3.0).collect();
    assert!(check_ranges_bit_for_bit(&y, &w, 13) > 4_000);
    // Equal weights summing exactly to the midpoint: the mean of the two middle points.
    let y = vec![1.0; 30]
        .into_iter()
        .chain(vec![3.0; 30])
        .collect::<Vec<f64>>();
    let w = vec![1.0; 60];
    let mut costs = RangeCost::new(&y, &w);
    assert_eq!(costs.median(0, 59), 2.0);
}

#[test]
fn two_values_of_1e308_are_refused_before_the_fit() {
    // Their sums overflow: asv's fit (and agora's before this check) looped for ever on them,
    // allocating all the while.
    let mut y = some(&[1.0; 10]);
    y.push(None);
    y.extend(some(&[1e308, 1e308]));
    y.extend(some(&[2.0; 4]));
    let refused = detect_steps(&y, None);
    assert!(
        matches!(
            refused,
            Err(FitError::Overflow { position: 11 | 12, value, weight })
                if value == 1e308 && weight == 1.0
        ),
        "{refused:?}"
    );
    // An infinite weight (a zero-width interval that rounded) is refused the same way.
    let w = vec![Some(1.0), Some(f64::INFINITY), Some(1.0)];
    let refused = detect_steps(&some(&[1.0, 1.0, 2.0]), Some(&w));
    assert!(
        matches!(refused, Err(FitError::Overflow { position: 1, .. })),
        "{refused:?}"
    );
    // Values far larger than any measurement, whose sums still fit, are fitted.
    let mut big = vec![1e200; 8];
    big.extend([3e200; 8]);
    assert_eq!(
        fit(&some(&big), None),
        vec![(0, 8, 1e200, 1e200, 0.0), (8, 16, 3e200, 3e200, 0.0)]
    );
}

#[test]
fn the_exact_fit_ends_when_its_costs_overflow() {
    // The median of two 1e308 is (1e308 + 1e308) / 2 = inf, so the cost of the pair and the
    // penalty taken from it are infinite, and every candidate cost is NaN.
    let y = [1e308, 1e308];
    let w = [1.0, 1.0];
    let mut costs = RangeCost::new(&y, &w);
    let gamma = costs.cost(0, 1);
    assert!(gamma.is_infinite());
    let partition = solve_potts(&mut costs, gamma, WINDOW);
    assert_eq!(partition.right.last(), Some(&2));
    assert!(partition.right.len() <= 2, "{partition:?}");
    assert!(partition.right.windows(2).all(|pair| pair[0] < pair[1]));
    assert_eq!(partition.right.len(), partition.values.len());
    // The whole search for the penalty ends too, with one partition of the two points.
    let (partition, _) = solve_potts_autogamma(&y, &w).expect("two points");
    assert_eq!(partition.right.last(), Some(&2));
    assert!(partition.right.len() <= 2, "{partition:?}");
}

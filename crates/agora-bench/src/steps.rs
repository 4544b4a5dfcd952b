//! Step detection: a piecewise-constant fit of a noisy series, as `asv publish` computes it.
//!
//! The fit minimises the Potts functional `γ·k + Σ_segments Σ w·|y − m|`, where `k` is the
//! number of segments and `m` each segment's weighted median. An exact dynamic programme over
//! segments of at most [`WINDOW`] points gives a first partition; neighbouring segments are then
//! merged, greedily, while a merge lowers the cost, and each boundary is moved by up to
//! [`WINDOW`] points where that lowers the cost of its two segments. The penalty `γ` is chosen
//! by a golden-section search on `ln(γ/γ₀)` of an information criterion
//! `β·k + ln(σ₀ + σ*)`, with `β = 4·ln(n)/n`, `σ*` the weighted L1 size of the residuals after
//! removing an AR(1) correlation whose coefficient is itself fitted by golden section on
//! `[−1, 1]`, and `σ₀` a noise floor. Every floating-point operation happens in the order asv
//! performs it, so the segments, their values and the regressions built on them are the same
//! numbers asv 0.6.6 writes.
//!
//! A series whose values (or weights) are so large that the fit's sums would overflow is
//! refused ([`FitError::Overflow`]) before the fit starts: asv would loop for ever on it (an
//! infinite cost turns every candidate into NaN, and the partition's back-pointers into a
//! cycle). [`solve_potts`] also ends on such input by itself: a right end no candidate
//! compares for is left as one segment from the start.
//!
//! [`RangeCost`] memoises the weighted median and weighted L1 cost of index ranges: a dense
//! table for ranges that fit in the window (the dynamic programme asks only those), a map for
//! the longer ranges merging asks about.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// The longest segment the exact dynamic programme considers, and the farthest a boundary moves.
pub const WINDOW: usize = 20;

/// Why a series cannot be fitted.
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
pub enum FitError {
    /// The weighted sums of the fit would overflow `f64` (values or weights far beyond any
    /// real measurement, such as two results of `1e308`).
    #[error(
        "the value {value:e} (weight {weight:e}) at position {position} makes the step fit's sums overflow"
    )]
    Overflow {
        /// The position of the largest term: an index into the series given to
        /// [`detect_steps`], a revision from [`crate::series::column_steps`].
        position: i64,
        /// Its value.
        value: f64,
        /// Its weight (after normalisation by the median weight).
        weight: f64,
    },
}

/// Refuses points whose weighted sums would overflow anywhere in the fit.
///
/// The fit adds weighted distances `w·|y − m|` (at most `S = Σ w·|y| + max|y|·Σ w`), and
/// penalties `γ` up to `S·(10n)^1.62` (the top of the golden-section bracket), `n` of them
/// at a time; a series passes when `2·S·(1 + n·(10n)²)` is finite, which leaves every real
/// measurement (and values up to about 1e280 for long series) alone.
pub fn check_fit_bounds(y: &[f64], w: &[f64]) -> Result<(), FitError> {
    let n = y.len() as f64;
    let mut weighted = 0.0f64;
    let mut total_weight = 0.0f64;
    let mut largest = 0.0f64;
    // The point with the largest term, reported when the series is refused.
    let mut worst: Option<(usize, f64)> = None;
    for (i, (&value, &weight)) in y.iter().zip(w).enumerate() {
        let term = weight.abs() * value.abs();
        weighted += term;
        total_weight += weight.abs();
        largest = largest.max(value.abs());
        let size = if term.is_nan() {
            f64::INFINITY
        } else {
            term.max(value.abs())
        };
        if worst.is_none_or(|(_, seen)| size > seen) {
            worst = Some((i, size));
        }
    }
    let bound = 2.0 * (weighted + largest * total_weight) * (1.0 + n * (10.0 * n).powi(2));
    if bound.is_finite() {
        return Ok(());
    }
    let at = worst.map_or(0, |(i, _)| i);
    Err(FitError::Overflow {
        position: at as i64,
        value: y.get(at).copied().unwrap_or(f64::NAN),
        weight: w.get(at).copied().unwrap_or(f64::NAN),
    })
}

/// One constant piece of a fitted series.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Step {
    /// First position of the piece (inclusive), in the caller's coordinates.
    pub left: i64,
    /// One past the last non-missing position of the piece (exclusive).
    pub right: i64,
    /// The piece's level: the weighted median of its points.
    pub value: f64,
    /// The smallest point of the piece.
    pub min: f64,
    /// The mean weighted absolute deviation of the points from the level.
    pub error: f64,
}

/// Weighted medians and weighted L1 costs of ranges of one series, memoised.
pub struct RangeCost<'a> {
    y: &'a [f64],
    w: &'a [f64],
    /// `window_median[r * WINDOW + (r - l)]` for ranges `l..=r` shorter than [`WINDOW`], all
    /// computed up front (the dynamic programme asks for every one of them).
    window_median: Vec<f64>,
    /// The matching weighted L1 costs.
    window_cost: Vec<f64>,
    long: HashMap<u64, (f64, f64), BuildHasherDefault<RangeHasher>>,
    scratch: Vec<(f64, f64)>,
    /// Running weight sums of `scratch`.
    running: Vec<f64>,
    /// Indices of all points sorted by (value, weight), for long ranges.
    order: Vec<u32>,
    /// The indices of `order` inside the range asked about.
    picked: Vec<u32>,
}

/// A multiplicative hasher for the packed `(l, r)` keys of long ranges.
#[derive(Default)]
struct RangeHasher(u64);

impl Hasher for RangeHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }

    fn write_u64(&mut self, value: u64) {
        self.0 = (value ^ (value >> 29)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

/// A range whose length times this is at least the series' length is picked from the global
/// sort order (a pass over the whole series) instead of being sorted.
const SORT_OR_SCAN: usize = 8;

impl<'a> RangeCost<'a> {
    /// A memo over the points `y` with weights `w` (same length).
    pub fn new(y: &'a [f64], w: &'a [f64]) -> RangeCost<'a> {
        let mut costs = RangeCost {
            y,
            w,
            window_median: vec![0.0; y.len() * WINDOW],
            window_cost: vec![0.0; y.len() * WINDOW],
            long: HashMap::default(),
            scratch: Vec::with_capacity(WINDOW),
            running: Vec::new(),
            order: Vec::new(),
            picked: Vec::new(),
        };
        costs.fill_windows();
        costs
    }

    /// Computes every range shorter than [`WINDOW`]. For each right end `r` the ranges grow
    /// leftwards by inserting one point into a sorted buffer beside its running weight sums;
    /// an insertion changes only the sums from its position on, and each range's median is
    /// the first point whose running sum reaches half the last one ([`median_from_running`]):
    /// the sums, in the same order, of a range's sorted weights. Then the costs are summed
    /// side by side, one lane per left end. Each lane still adds its terms from its left end
    /// rightwards, as asv does (a lane that has not started adds `0.0`, which leaves its `0.0`
    /// unchanged), so the sums are bit for bit the ones a range-at-a-time loop gives, without
    /// waiting on one long chain of additions.
    fn fill_windows(&mut self) {
        let (y, w) = (self.y, self.w);
        for r in 0..y.len() {
            let first = r.saturating_sub(WINDOW - 1);
            // lanes[k] is the range (r - k)..=r.
            let mut medians = [0.0; WINDOW];
            let mut sorted = [(0.0f64, 0.0f64); WINDOW];
            let mut running = [0.0f64; WINDOW];
            for (len, l) in (first..=r).rev().enumerate() {
                let point = (y[l], w[l]);
                let at = sorted[..len].partition_point(|p| {
                    p.0.total_cmp(&point.0)
                        .then(p.1.total_cmp(&point.1))
                        .is_lt()
                });
                sorted.copy_within(at..len, at + 1);
                sorted[at] = point;
                let mut sum = if at == 0 { 0.0 } else { running[at - 1] };
                for (slot, p) in running[at..=len].iter_mut().zip(&sorted[at..=len]) {
                    sum += p.1;
                    *slot = sum;
                }
                medians[len] = median_from_running(&sorted[..=len], &running[..=len]);
            }
            let lanes = r - first + 1;
            let mut sums = [0.0f64; WINDOW];
            for i in first..=r {
                let (value, weight) = (y[i], w[i]);
                // Lane k starts at l = r - k, so it is running when i >= r - k, i.e. k >= r - i.
                let started = r - i;
                for (sum, median) in sums[started..lanes]
                    .iter_mut()
                    .zip(&medians[started..lanes])
                {
                    *sum += weight * (value - median).abs();
                }
            }
            let base = r * WINDOW;
            self.window_median[base..base + lanes].copy_from_slice(&medians[..lanes]);
            self.window_cost[base..base + lanes].copy_from_slice(&sums[..lanes]);
        }
    }

    /// The weighted median and weighted L1 cost of the points `l..=r`.
    pub fn median_cost(&mut self, l: usize, r: usize) -> (f64, f64) {
        if r - l < WINDOW {
            let slot = r * WINDOW + (r - l);
            (self.window_median[slot], self.window_cost[slot])
        } else {
            let key = ((l as u64) << 32) | r as u64;
            if let Some(found) = self.long.get(&key) {
                return *found;
            }
            let value = self.compute(l, r);
            self.long.insert(key, value);
            value
        }
    }

    /// The weighted median of `l..=r`.
    pub fn median(&mut self, l: usize, r: usize) -> f64 {
        self.median_cost(l, r).0
    }

    /// The weighted L1 cost of `l..=r` around its weighted median.
    pub fn cost(&mut self, l: usize, r: usize) -> f64 {
        self.median_cost(l, r).1
    }

    fn compute(&mut self, l: usize, r: usize) -> (f64, f64) {
        let y = &self.y[l..=r];
        let w = &self.w[l..=r];
        // The range's points in sorted order, in `scratch`.
        if (r - l + 1) * SORT_OR_SCAN >= self.y.len() {
            self.pick_sorted(l, r);
        } else {
            self.scratch.clear();
            self.scratch
                .extend(y.iter().copied().zip(w.iter().copied()));
            self.scratch
                .sort_unstable_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
        }
        self.running.clear();
        let mut sum = 0.0;
        for &(_, weight) in &self.scratch {
            sum += weight;
            self.running.push(sum);
        }
        let median = median_from_running(&self.scratch, &self.running);
        let mut cost = 0.0;
        for (value, weight) in y.iter().zip(w) {
            cost += weight * (value - median).abs();
        }
        (median, cost)
    }

    /// Puts the points of `l..=r` in `scratch` in sorted order, picked from the global sort
    /// order (a pass over the whole series) instead of sorted.
    fn pick_sorted(&mut self, l: usize, r: usize) {
        if self.order.is_empty() {
            let (all_y, all_w) = (self.y, self.w);
            self.order = (0..all_y.len() as u32).collect();
            self.order.sort_unstable_by(|&a, &b| {
                let (a, b) = (a as usize, b as usize);
                all_y[a]
                    .total_cmp(&all_y[b])
                    .then(all_w[a].total_cmp(&all_w[b]))
            });
            self.picked = vec![0; all_y.len()];
        }
        // Pick the range's indices without a branch per point (which way it goes is random).
        let span = r - l;
        let mut count = 0;
        for &i in &self.order {
            self.picked[count] = i;
            count += usize::from((i as usize).wrapping_sub(l) <= span);
        }
        let (all_y, all_w) = (self.y, self.w);
        self.scratch.clear();
        self.scratch.extend(
            self.picked[..count]
                .iter()
                .map(|&i| (all_y[i as usize], all_w[i as usize])),
        );
    }
}

/// The weighted median of points sorted by value (then weight), given the running sums of
/// their weights: the first point whose running sum reaches half the total, or the mean of it
/// and the next when exactly half; the largest point when rounding leaves every sum short.
fn median_from_running(sorted: &[(f64, f64)], running: &[f64]) -> f64 {
    let Some(&total) = running.last() else {
        return 0.0;
    };
    let midpoint = total / 2.0;
    match running.iter().position(|&sum| sum >= midpoint) {
        Some(i) => {
            if running[i] == midpoint
                && let Some(next) = sorted.get(i + 1)
            {
                (next.0 + sorted[i].0) / 2.0
            } else {
                sorted[i].0
            }
        }
        None => sorted[sorted.len() - 1].0,
    }
}

/// A partition: exclusive right ends of the segments, their levels and their costs.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Partition {
    /// Exclusive right end of each segment, increasing; the last is the series length.
    pub right: Vec<usize>,
    /// Weighted median of each segment.
    pub values: Vec<f64>,
    /// Weighted L1 cost of each segment.
    pub costs: Vec<f64>,
}

/// The exact Potts fit with segments of at most `max_size` points.
pub fn solve_potts(costs: &mut RangeCost<'_>, gamma: f64, max_size: usize) -> Partition {
    let n = costs.y.len();
    if n == 0 {
        return Partition::default();
    }
    if n == 1 {
        let (median, cost) = costs.median_cost(0, 0);
        return Partition {
            right: vec![1],
            values: vec![median],
            costs: vec![cost],
        };
    }
    // best[r + 1]: the lowest cost of 0..=r; start[r]: one before the best left end of the
    // last segment ending at r (-1 for the first segment).
    let mut best = vec![0.0; n + 1];
    // A right end for which no candidate compares (a NaN cost) keeps -1: one segment from the
    // start, so that the walk back below always moves left and ends. asv starts from 0 here,
    // which makes a cycle (and an endless list) on such input; on any other input every right
    // end is set below, so the partition is asv's.
    let mut start = vec![-1isize; n];
    best[0] = -gamma;
    for r in 0..n {
        let first = (r + 1).saturating_sub(max_size);
        // The best and its left end are kept in locals and stored once per right end.
        let mut lowest = f64::INFINITY;
        // Left at -1 when no candidate compares (a NaN cost).
        let mut lowest_start = start[r];
        if max_size <= WINDOW {
            let row = &costs.window_cost[r * WINDOW..r * WINDOW + WINDOW];
            for (l, &best_before) in best.iter().enumerate().take(r + 1).skip(first) {
                let candidate = best_before + gamma + row[r - l];
                if candidate <= lowest {
                    lowest = candidate;
                    lowest_start = l as isize - 1;
                }
            }
        } else {
            for (l, &best_before) in best.iter().enumerate().take(r + 1).skip(first) {
                let candidate = best_before + gamma + costs.cost(l, r);
                if candidate <= lowest {
                    lowest = candidate;
                    lowest_start = l as isize - 1;
                }
            }
        }
        best[r + 1] = lowest;
        start[r] = lowest_start;
    }
    let mut partition = Partition::default();
    let mut r = n as isize - 1;
    while r >= 0 {
        let l = start[r as usize];
        let (median, cost) = costs.median_cost((l + 1) as usize, r as usize);
        partition.right.push(r as usize + 1);
        partition.values.push(median);
        partition.costs.push(cost);
        r = l;
    }
    partition.right.reverse();
    partition.values.reverse();
    partition.costs.reverse();
    partition
}

/// The windowed Potts fit followed by greedy merging and boundary moves.
pub fn solve_potts_approx(costs: &mut RangeCost<'_>, gamma: f64) -> Partition {
    if costs.y.is_empty() {
        return Partition::default();
    }
    let first = solve_potts(costs, gamma, WINDOW);
    merge_pieces(costs, gamma, first.right, WINDOW)
}

/// Merges neighbouring segments while that lowers the cost, then moves each boundary by up to
/// `max_size` points where that lowers the cost of the two segments beside it.
pub fn merge_pieces(
    costs: &mut RangeCost<'_>,
    gamma: f64,
    mut right: Vec<usize>,
    max_size: usize,
) -> Partition {
    loop {
        let mut min_change = 0.0;
        let mut min_change_j = right.len();
        let mut l = 0;
        for j in 1..right.len() {
            if min_change_j + 2 < j {
                break;
            }
            let merged = costs.cost(l, right[j] - 1);
            let apart =
                costs.cost(l, right[j - 1] - 1) + costs.cost(right[j - 1], right[j] - 1) + gamma;
            let change = merged - apart;
            if change <= min_change {
                min_change = change;
                min_change_j = j - 1;
            }
            l = right[j - 1];
        }
        if min_change_j < right.len() {
            right.remove(min_change_j);
        } else {
            break;
        }
    }

    let mut l = 0usize;
    for j in 1..right.len() {
        let boundary = right[j - 1] as isize;
        let end = right[j] as isize;
        let mut score = costs.cost(l, right[j - 1] - 1) + costs.cost(right[j - 1], right[j] - 1);
        let mut best_offset = 0isize;
        let reach = max_size as isize;
        for offset in -reach..=reach {
            let moved = boundary + offset;
            if offset == 0 || moved - 1 < l as isize || moved > end - 1 {
                continue;
            }
            let moved = moved as usize;
            let candidate = costs.cost(l, moved - 1) + costs.cost(moved, right[j] - 1);
            if candidate < score {
                best_offset = offset;
                score = candidate;
            }
        }
        if best_offset != 0 {
            right[j - 1] = (boundary + best_offset) as usize;
        }
        l = right[j - 1];
    }

    let mut partition = Partition {
        right,
        ..Partition::default()
    };
    let mut l = 0;
    for &r in &partition.right {
        let (median, cost) = costs.median_cost(l, r - 1);
        partition.costs.push(cost);
        partition.values.push(median);
        l = r;
    }
    partition
}

/// Golden-section search for a minimum of `f` on `[a, b]`; with `expand_bounds` the bracket is
/// widened so that the first two probes fall on `a` and `b`.
pub fn golden_search(
    mut f: impl FnMut(f64) -> f64,
    a: f64,
    b: f64,
    xatol: f64,
    ftol: f64,
    expand_bounds: bool,
) -> f64 {
    let ratio = 2.0 / (1.0 + 5f64.sqrt());
    let (mut x0, mut x3) = if expand_bounds {
        (
            (ratio * a - (1.0 - ratio) * b) / (2.0 * ratio - 1.0),
            (ratio * b - (1.0 - ratio) * a) / (2.0 * ratio - 1.0),
        )
    } else {
        (a, b)
    };
    let mut x1 = ratio * x0 + (1.0 - ratio) * x3;
    let mut x2 = (1.0 - ratio) * x0 + ratio * x3;
    let mut f1 = f(x1);
    let mut f2 = f(x2);
    let f0 = f1.abs().max(f2.abs());
    loop {
        if (x0 - x3).abs() < xatol || (f1 - f2).abs() < ftol * f0 {
            break;
        }
        if f2 < f1 {
            x0 = x1;
            x1 = x2;
            x2 = ratio * x1 + (1.0 - ratio) * x3;
            f1 = f2;
            f2 = f(x2);
        } else {
            x3 = x2;
            x2 = x1;
            x1 = ratio * x2 + (1.0 - ratio) * x0;
            f2 = f1;
            f1 = f(x1);
        }
    }
    if f2 < f1 { x2 } else { x1 }
}

/// The weighted L1 size of the residuals after an AR(1) correlation `rho` is taken out.
fn sigma_star(y: &[f64], w: &[f64], partition: &Partition, rho: f64) -> f64 {
    let mut previous = y[0] - partition.values[0];
    let mut sum = previous.abs() * w[0];
    let mut l = 1;
    for (&r, &value) in partition.right.iter().zip(&partition.values) {
        for i in l..r.max(l) {
            let residual = y[i] - value;
            sum += (residual - rho * previous).abs() * w[i];
            previous = residual;
        }
        l = r;
    }
    sum
}

/// The Potts fit with `γ` chosen by the information criterion; `None` for an empty series.
pub fn solve_potts_autogamma(y: &[f64], w: &[f64]) -> Option<(Partition, f64)> {
    let n = y.len();
    if n == 0 {
        return None;
    }
    let mut costs = RangeCost::new(y, w);
    let beta = 4.0 * (n as f64).ln() / n as f64;
    let mut gamma_0 = costs.cost(0, n - 1);
    if gamma_0 == 0.0 {
        gamma_0 = 1.0;
    }
    let mut best: Option<(Partition, f64)> = None;
    let mut best_objective = f64::INFINITY;
    let mut objective = |x: f64| {
        let gamma = gamma_0 * x.exp();
        let partition = solve_potts_approx(&mut costs, gamma);
        let rho = golden_search(
            |rho| sigma_star(y, w, &partition, rho),
            -1.0,
            1.0,
            0.05,
            1e-8,
            true,
        );
        let values = &partition.values;
        let sigma_0 = if values.len() > 2 {
            let smallest = values
                .windows(2)
                .map(|pair| (pair[1] - pair[0]).abs())
                .fold(f64::INFINITY, |acc, d| if d < acc { d } else { acc });
            0.1 * smallest
        } else {
            let smallest = values
                .iter()
                .map(|v| v.abs())
                .fold(f64::INFINITY, |acc, d| if d < acc { d } else { acc });
            0.001 * smallest
        };
        let sigma_0 = sigma_0.max(1e-300);
        let noise = sigma_star(y, w, &partition, rho);
        let value = beta * partition.right.len() as f64 + (sigma_0 + noise).ln();
        if value < best_objective {
            best_objective = value;
            best = Some((partition, gamma));
        }
        value
    };
    let a = (0.1 / n as f64).ln();
    golden_search(&mut objective, a, 0.0, a.abs() * 0.1, 0.0, true);
    best
}

/// Fits steps to a series with missing points (`None` or NaN) and optional weights.
///
/// Points with a non-positive weight count as missing. Weights are divided by the median of the
/// known weights; a point without a weight gets weight 1 (the median). Positions in the steps
/// are indices into `y`. A series whose sums would overflow is refused ([`check_fit_bounds`]).
pub fn detect_steps(y: &[Option<f64>], w: Option<&[Option<f64>]>) -> Result<Vec<Step>, FitError> {
    let mut index = Vec::with_capacity(y.len());
    let mut kept = Vec::with_capacity(y.len());
    for (j, value) in y.iter().enumerate() {
        let Some(value) = value.filter(|v| !v.is_nan()) else {
            continue;
        };
        if let Some(weights) = w
            && let Some(Some(weight)) = weights.get(j)
            && *weight <= 0.0
        {
            continue;
        }
        index.push(j);
        kept.push(value);
    }
    let weights: Vec<f64> = match w {
        None => vec![1.0; kept.len()],
        Some(weights) => {
            let mut known: Vec<f64> = weights
                .iter()
                .flatten()
                .copied()
                .filter(|v| !v.is_nan())
                .collect();
            let mut median = median_of(&mut known).unwrap_or(1.0);
            if median == 0.0 {
                median = 1.0;
            }
            index
                .iter()
                .map(|&j| match weights.get(j).copied().flatten() {
                    Some(weight) if !weight.is_nan() => weight / median,
                    _ => 1.0,
                })
                .collect()
        }
    };
    if let Err(FitError::Overflow {
        position,
        value,
        weight,
    }) = check_fit_bounds(&kept, &weights)
    {
        let position = index.get(position as usize).map_or(position, |&j| j as i64);
        return Err(FitError::Overflow {
            position,
            value,
            weight,
        });
    }
    let Some((partition, _gamma)) = solve_potts_autogamma(&kept, &weights) else {
        return Ok(Vec::new());
    };
    let mut steps = Vec::with_capacity(partition.right.len());
    let mut l = 0;
    for ((&r, &value), &cost) in partition
        .right
        .iter()
        .zip(&partition.values)
        .zip(&partition.costs)
    {
        let min = kept[l..r]
            .iter()
            .copied()
            .fold(f64::INFINITY, |acc, v| if v < acc { v } else { acc });
        steps.push(Step {
            left: index[l] as i64,
            right: index[r - 1] as i64 + 1,
            value,
            min,
            error: (cost / (r - l) as f64).abs(),
        });
        l = r;
    }
    Ok(steps)
}

/// The median as Python's `statistics.median` computes it (mean of the two middle values).
fn median_of(values: &mut [f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_unstable_by(f64::total_cmp);
    let n = values.len();
    Some(if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    })
}

#[cfg(test)]
mod tests;

//! asv's regression rules on hand-made steps; the expected answers are those of
//! `asv.step_detect.detect_regressions` (asv 0.6.6).

use super::*;

fn steps(list: &[(i64, i64, f64)]) -> Vec<Step> {
    list.iter()
        .map(|&(left, right, value)| Step {
            left,
            right,
            value,
            min: value,
            error: 0.0,
        })
        .collect()
}

/// `(latest, best, jumps)` as asv returns them.
type Answer = (f64, f64, Vec<(i64, i64, f64, f64)>);

fn detect(list: &[(i64, i64, f64)], threshold: f64) -> Option<Answer> {
    detect_regressions(&steps(list), threshold, 2).map(|d| (d.latest, d.best, d.jumps))
}

#[test]
fn an_improvement_is_no_regression() {
    assert_eq!(detect(&[(0, 10, 2.0), (10, 20, 1.0)], 0.05), None);
}

#[test]
fn an_upward_step_is_a_regression() {
    assert_eq!(
        detect(&[(0, 10, 1.0), (10, 20, 2.0)], 0.05),
        Some((2.0, 1.0, vec![(9, 10, 1.0, 2.0)]))
    );
}

#[test]
fn the_threshold_filters_small_steps() {
    assert_eq!(detect(&[(0, 10, 1.0), (10, 20, 1.04)], 0.05), None);
    assert_eq!(
        detect(&[(0, 10, 1.0), (10, 20, 1.04)], 0.03),
        Some((1.04, 1.0, vec![(9, 10, 1.0, 1.04)]))
    );
}

#[test]
fn a_step_within_the_error_is_noise() {
    let mut s = steps(&[(0, 10, 1.0), (10, 20, 1.15)]);
    s[0].error = 0.2;
    assert_eq!(detect_regressions(&s, 0.05, 2), None);
}

#[test]
fn a_short_blip_back_to_the_old_level_is_withdrawn() {
    assert_eq!(
        detect(&[(0, 10, 2.0), (10, 11, 1.0), (11, 20, 2.0)], 0.05),
        None
    );
}

#[test]
fn a_short_segment_on_the_way_up_is_kept() {
    assert_eq!(
        detect(&[(0, 10, 1.0), (10, 11, 1.5), (11, 20, 2.0)], 0.05),
        Some((2.0, 1.0, vec![(9, 10, 1.0, 1.5), (10, 11, 1.5, 2.0)]))
    );
}

#[test]
fn two_regressions_and_a_partial_fix() {
    assert_eq!(
        detect(&[(0, 10, 1.0), (10, 20, 2.0), (20, 30, 4.0)], 0.05),
        Some((4.0, 1.0, vec![(9, 10, 1.0, 2.0), (19, 20, 2.0, 4.0)]))
    );
    assert_eq!(
        detect(&[(0, 10, 1.0), (10, 20, 3.0), (20, 30, 2.0)], 0.05),
        Some((2.0, 1.0, vec![(9, 10, 1.0, 2.0)]))
    );
}

//! The model behind a project's benchmark dashboard, and the writing of its files.
//!
//! `agora-site` renders the dashboard (an index with the regressions and a summary of geometric
//! means, and one page per benchmark module, `bench/<module>.html`, the part of the benchmark
//! names before their first dot, with a chart per series); this module holds what those pages
//! are computed from and where they link: [`summary_series`] (asv's summary: per revision, the
//! geometric mean of all series of a benchmark, each series' short gaps (at most a tenth of its
//! points) filled by linear interpolation first), [`regression_series`] (how a regression's
//! series is named), [`module_of`] and [`benchmark_page`]. A page per module rather than per
//! benchmark keeps a site to a few files (kedro's 47 benchmarks make 6 pages).
//!
//! [`write_changed`] writes only the files whose bytes differ from what is there, so a second
//! publish after one new result rewrites only the pages that changed.

use std::collections::BTreeMap;
use std::path::Path;

use crate::format::Benchmarks;
use crate::regressions::Regression;
use crate::series::{Graph, Point, sanitize_filename};
use crate::steps::Step;

/// One series as the dashboard draws it: the series, its points, its steps per value column.
pub type DrawnSeries<'a> = (&'a Graph, Vec<Point>, Vec<Vec<Step>>);

/// asv's geometric mean with missing values skipped, the sign of the sum kept.
fn geom_mean(values: &[f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let exponent = 1.0 / values.len() as f64;
    let mut product = 1.0;
    let mut sum = 0.0;
    for &v in values {
        product *= v.abs().powf(exponent);
        sum += v;
    }
    Some(if sum >= 0.0 { product } else { -product })
}

/// Fills gaps of at most a tenth of the known points by linear interpolation.
fn fill_gaps(y: &[Option<f64>]) -> Vec<Option<f64>> {
    let known = y.iter().filter(|v| v.is_some()).count();
    let max_gap = (0.1 * known as f64).ceil() as usize;
    let mut filled = y.to_vec();
    let mut previous: Option<f64> = None;
    let mut previous_index = 0usize;
    for (i, v) in y.iter().enumerate() {
        if let Some(v) = *v {
            let gap = i.saturating_sub(previous_index + 1);
            if gap > 0
                && gap <= max_gap
                && let Some(p) = previous
            {
                for k in 1..=gap {
                    filled[previous_index + k] =
                        Some((v * k as f64 + (gap + 1 - k) as f64 * p) / (gap + 1) as f64);
                }
            }
            previous = Some(v);
            previous_index = i;
        }
    }
    filled
}

/// The summary series of one benchmark: per revision, the geometric mean over its series.
pub fn summary_series(graphs: &[&[Point]]) -> Vec<(u32, f64)> {
    let mut revisions: Vec<u32> = graphs
        .iter()
        .flat_map(|points| points.iter().map(|p| p.revision))
        .collect();
    revisions.sort_unstable();
    revisions.dedup();
    let position: BTreeMap<u32, usize> =
        revisions.iter().enumerate().map(|(i, &r)| (r, i)).collect();
    let mut columns: Vec<Vec<Option<f64>>> = Vec::new();
    for points in graphs {
        let width = points.first().map_or(1, |p| p.values.len());
        for j in 0..width {
            let mut column = vec![None; revisions.len()];
            for p in points.iter() {
                column[position[&p.revision]] =
                    p.values.get(j).copied().flatten().filter(|v| !v.is_nan());
            }
            columns.push(column);
        }
    }
    let filled: Vec<Vec<Option<f64>>> = columns.iter().map(|c| fill_gaps(c)).collect();
    let mut out = Vec::new();
    for (i, &revision) in revisions.iter().enumerate() {
        if columns.iter().all(|c| c[i].is_none()) {
            continue;
        }
        let values: Vec<f64> = filled.iter().filter_map(|c| c[i]).collect();
        if let Some(mean) = geom_mean(&values) {
            out.push((revision, mean));
        }
    }
    out
}

/// How the regressions table names a regression's series: the benchmark with its parameters
/// (`name(n=100, kind='a')`, or asv's name when the parameter names are unknown), and where it
/// ran (`machine m, branch main`, then the parameters that tell its series apart).
pub fn regression_series(regression: &Regression, benchmarks: &Benchmarks) -> (String, String) {
    let named = regression.param_index.and_then(|index| {
        let benchmark = benchmarks.get(&regression.benchmark)?;
        if benchmark.param_names.len() != benchmark.params.len() {
            return None;
        }
        let values = crate::series::combination(&benchmark.params, index);
        let pairs: Vec<String> = benchmark
            .param_names
            .iter()
            .zip(values)
            .map(|(name, value)| format!("{name}={value}"))
            .collect();
        Some(format!("{}({})", regression.benchmark, pairs.join(", ")))
    });
    let mut place = Vec::new();
    if let Some(machine) = &regression.machine {
        place.push(format!("machine {machine}"));
    }
    if let Some(branch) = &regression.branch {
        place.push(format!("branch {branch}"));
    }
    for (key, value) in &regression.graph_params {
        if key != "machine" && key != "branch" {
            place.push(format!("{key}={}", value.as_deref().unwrap_or("null")));
        }
    }
    (
        named.unwrap_or_else(|| regression.name.clone()),
        place.join(", "),
    )
}

/// The module of a benchmark: its name up to the first dot (the whole name when it has none).
pub fn module_of(name: &str) -> &str {
    name.split_once('.').map_or(name, |(module, _)| module)
}

/// Where one benchmark is shown, relative to the site's root: its section on its module's page.
pub fn benchmark_page(name: &str) -> String {
    format!("bench/{}.html#{name}", sanitize_filename(module_of(name)))
}

/// Writes the files whose bytes differ from those on disk (on all cores); returns how many were
/// written.
pub fn write_changed(out: &Path, files: &[(String, Vec<u8>)]) -> std::io::Result<usize> {
    let outcomes = crate::parallel::map_on_all_cores(files, |(relative, bytes)| {
        write_if_changed(out, relative, bytes)
    });
    let mut written = 0;
    for outcome in outcomes {
        if outcome? {
            written += 1;
        }
    }
    Ok(written)
}

/// Writes `bytes` to `out/relative` (creating its folder) unless the file already holds them;
/// whether it was written.
pub fn write_if_changed(out: &Path, relative: &str, bytes: &[u8]) -> std::io::Result<bool> {
    let path = out.join(relative);
    if file_holds(&path, bytes) {
        return Ok(false);
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(&path, bytes)?;
    Ok(true)
}

/// Whether the file at `path` holds exactly `bytes` (compared a block at a time, without
/// reading the whole file into memory).
fn file_holds(path: &Path, bytes: &[u8]) -> bool {
    use std::io::Read as _;
    let Ok(mut file) = std::fs::File::open(path) else {
        return false;
    };
    if file.metadata().map(|m| m.len()).ok() != Some(bytes.len() as u64) {
        return false;
    }
    let mut block = vec![0; 64 * 1024];
    let mut at = 0;
    loop {
        match file.read(&mut block) {
            Ok(0) => return at == bytes.len(),
            Ok(n) => {
                if bytes.get(at..at + n) != Some(&block[..n]) {
                    return false;
                }
                at += n;
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => return false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gaps_are_filled_linearly_when_short() {
        let y = [
            Some(1.0),
            None,
            Some(3.0),
            Some(3.0),
            Some(3.0),
            Some(3.0),
            Some(3.0),
            Some(3.0),
            Some(3.0),
            Some(3.0),
            Some(3.0),
        ];
        let filled = fill_gaps(&y);
        assert_eq!(filled[1], Some(2.0));
        // A gap longer than a tenth of the points stays open.
        let y = [Some(1.0), None, None, Some(4.0)];
        assert_eq!(fill_gaps(&y)[1], None);
    }

    #[test]
    fn benchmarks_are_shown_on_the_page_of_their_module() {
        assert_eq!(module_of("bench_core.Core.time_add"), "bench_core");
        assert_eq!(module_of("toplevel"), "toplevel");
        assert_eq!(
            benchmark_page("bench_core.Core.time_add"),
            "bench/bench_core.html#bench_core.Core.time_add"
        );
        assert_eq!(benchmark_page("a<b>.t"), "bench/a_b_.html#a<b>.t");
    }

    #[test]
    fn geometric_mean_keeps_the_sign_of_the_sum() {
        assert_eq!(geom_mean(&[4.0, 1.0]), Some(2.0));
        assert_eq!(geom_mean(&[-4.0, -1.0]), Some(-2.0));
        assert_eq!(geom_mean(&[]), None);
    }
}

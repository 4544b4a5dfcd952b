//! The stored form of a project's analysis: its series (described, without their results),
//! their points and fitted steps, the regressions and the warnings.
//!
//! The analysis costs building the series from every result file and fitting them, so
//! `agora bench ingest` stores it with [`encode`], and `regressions` and `publish` read it
//! back with [`decode`] (the dashboard needs everything) or [`decode_report`] (a list of
//! regressions needs only the small part). The form is a header (`AGS1`), the small parts as
//! one JSON document (series descriptions, the report, warnings, run times), then the points
//! and steps as raw little-endian numbers in series order. Decoding is bounds-checked: a
//! truncated or foreign blob is an error, which callers treat as a missing snapshot.

use crate::packed::{DecodeError, Reader, Writer};
use crate::regressions::RegressionReport;
use crate::series::{Graph, Point};
use crate::steps::Step;

const MAGIC: &[u8; 4] = b"AGS1";

/// A project's analysis, as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    /// The series, described (their raw results are not kept).
    pub graphs: Vec<Graph>,
    /// The points of each series (none when read by [`decode_report`]).
    pub points: Vec<Vec<Point>>,
    /// The fitted steps of each series, per value column (none when read by
    /// [`decode_report`]).
    pub steps: Vec<Vec<Vec<Step>>>,
    /// The regressions.
    pub report: RegressionReport,
    /// Results that could not be placed, and stored files that could not be read.
    pub warnings: Vec<String>,
    /// When benchmarks ran: (position in benchmarks.json, revision, milliseconds since the
    /// epoch), for the benchmarks the report names, sorted.
    pub run_times: Vec<(u32, u32, i64)>,
}

/// The JSON part of a snapshot, as read back: series (described), report, warnings, run times.
type Described = (
    Vec<Graph>,
    RegressionReport,
    Vec<String>,
    Vec<(u32, u32, i64)>,
);

/// The binary form of a snapshot.
pub fn encode(snapshot: &Snapshot) -> Vec<u8> {
    let described = (
        &snapshot.graphs,
        &snapshot.report,
        &snapshot.warnings,
        &snapshot.run_times,
    );
    // Serializing plain strings, numbers and maps cannot fail; NaN is written as null, which
    // decoding refuses, so such a snapshot is recomputed rather than misread.
    let json = serde_json::to_vec(&described).unwrap_or_default();
    let mut out = Writer(Vec::with_capacity(json.len() + 64));
    out.0.extend_from_slice(MAGIC);
    out.u32(json.len() as u32);
    out.0.extend_from_slice(&json);
    for points in &snapshot.points {
        out.u32(points.len() as u32);
        for point in points {
            out.u32(point.revision);
            out.u32(point.values.len() as u32);
            for &value in &point.values {
                out.opt_f64(value);
            }
            out.u32(point.weights.len() as u32);
            for &weight in &point.weights {
                out.opt_f64(weight);
            }
        }
    }
    for columns in &snapshot.steps {
        out.u32(columns.len() as u32);
        for column in columns {
            out.u32(column.len() as u32);
            for step in column {
                out.0.extend_from_slice(&step.left.to_le_bytes());
                out.0.extend_from_slice(&step.right.to_le_bytes());
                for v in [step.value, step.min, step.error] {
                    out.0.extend_from_slice(&v.to_bits().to_le_bytes());
                }
            }
        }
    }
    out.0
}

fn opt_f64s(input: &mut Reader<'_>) -> Result<Vec<Option<f64>>, DecodeError> {
    let n = input.count(1)?;
    (0..n).map(|_| input.opt_f64()).collect()
}

fn f64_at(input: &mut Reader<'_>) -> Result<f64, DecodeError> {
    Ok(f64::from_bits(u64::from_le_bytes(input.array()?)))
}

/// Reads the header and the JSON part; the reader is left at the points.
fn decode_described(bytes: &[u8]) -> Result<(Described, Reader<'_>), DecodeError> {
    if !bytes.starts_with(MAGIC) {
        return Err(DecodeError::Truncated(0));
    }
    let mut input = Reader { bytes, at: 4 };
    let json_len = input.count(1)?;
    let described: Described = serde_json::from_slice(input.take(json_len)?)?;
    Ok((described, input))
}

/// Reads a snapshot back without its points and steps, for a caller that needs only the
/// series, the report, the warnings and the run times.
pub fn decode_report(bytes: &[u8]) -> Result<Snapshot, DecodeError> {
    let ((graphs, report, warnings, run_times), _) = decode_described(bytes)?;
    Ok(Snapshot {
        graphs,
        points: Vec::new(),
        steps: Vec::new(),
        report,
        warnings,
        run_times,
    })
}

/// Reads a snapshot back; an error for anything [`encode`] did not write.
pub fn decode(bytes: &[u8]) -> Result<Snapshot, DecodeError> {
    let ((graphs, report, warnings, run_times), mut input) = decode_described(bytes)?;
    let mut points = Vec::with_capacity(graphs.len());
    for _ in &graphs {
        let n = input.count(12)?;
        let mut list = Vec::with_capacity(n);
        for _ in 0..n {
            let revision = input.u32()?;
            let values = opt_f64s(&mut input)?;
            let weights = opt_f64s(&mut input)?;
            list.push(Point {
                revision,
                values,
                weights,
            });
        }
        points.push(list);
    }
    let mut steps = Vec::with_capacity(graphs.len());
    for _ in &graphs {
        let columns = input.count(4)?;
        let mut per_column = Vec::with_capacity(columns);
        for _ in 0..columns {
            let n = input.count(40)?;
            let mut column = Vec::with_capacity(n);
            for _ in 0..n {
                column.push(Step {
                    left: i64::from_le_bytes(input.array()?),
                    right: i64::from_le_bytes(input.array()?),
                    value: f64_at(&mut input)?,
                    min: f64_at(&mut input)?,
                    error: f64_at(&mut input)?,
                });
            }
            per_column.push(column);
        }
        steps.push(per_column);
    }
    if input.at != bytes.len() {
        return Err(DecodeError::Truncated(input.at));
    }
    Ok(Snapshot {
        graphs,
        points,
        steps,
        report,
        warnings,
        run_times,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::regressions::{Jump, Regression};
    use std::collections::BTreeMap;

    /// A series known only by its description, as a snapshot keeps it.
    fn described(
        name: &str,
        params: &BTreeMap<String, Option<String>>,
        parameterized: bool,
        width: usize,
    ) -> Graph {
        serde_json::from_value(serde_json::json!({"benchmark": name, "params": params,
            "path": format!("graphs/x/{name}"), "parameterized": parameterized, "width": width}))
        .expect("a described series")
    }

    fn sample() -> Snapshot {
        let params = BTreeMap::from([
            ("branch".to_owned(), Some("main".to_owned())),
            ("machine".to_owned(), Some("m".to_owned())),
            ("python".to_owned(), None),
        ]);
        Snapshot {
            graphs: vec![
                described("b.t", &params, false, 1),
                described("b.p", &params, true, 2),
            ],
            points: vec![
                vec![
                    Point {
                        revision: 3,
                        values: vec![Some(1.5)],
                        weights: vec![None],
                    },
                    Point {
                        revision: 9,
                        values: vec![Some(f64::NAN)],
                        weights: vec![Some(0.25)],
                    },
                ],
                vec![Point {
                    revision: 4,
                    values: vec![None, Some(2.0)],
                    weights: vec![Some(1.0), Some(3.0)],
                }],
            ],
            steps: vec![
                vec![vec![Step {
                    left: 3,
                    right: 10,
                    value: 1.5,
                    min: 1.5,
                    error: 0.0,
                }]],
                vec![vec![], vec![]],
            ],
            report: RegressionReport {
                project: "p".into(),
                regressions: vec![Regression {
                    name: "b.t".into(),
                    benchmark: "b.t".into(),
                    graph_path: "graphs/x/b.t.json".into(),
                    graph_params: BTreeMap::new(),
                    param_index: None,
                    machine: Some("m".into()),
                    branch: Some("main".into()),
                    latest: 2.0,
                    best: 1.0,
                    jumps: vec![Jump {
                        before: Some(3),
                        after: 9,
                        value_before: 1.0,
                        value_after: 2.0,
                    }],
                    unit: "seconds".into(),
                }],
                warnings: vec!["w".into()],
            },
            warnings: vec!["commit abc is on none of the branches (main)".into()],
            run_times: vec![(0, 9, 1_700_000_000_000)],
        }
    }

    /// `PartialEq` with NaN compared by bits.
    fn same(a: &Snapshot, b: &Snapshot) -> bool {
        format!("{a:?}") == format!("{b:?}")
    }

    #[test]
    fn a_snapshot_survives_the_round_trip() {
        let snapshot = sample();
        let bytes = encode(&snapshot);
        let back = decode(&bytes).expect("decoded");
        assert!(same(&back, &snapshot), "{back:?}");
        assert_eq!(back.graphs[1].width, 2);
        assert!(back.points[0][1].values[0].is_some_and(f64::is_nan));
        // Without the points and steps: the rest as stored.
        let report = decode_report(&bytes).expect("decoded");
        assert!(report.points.is_empty() && report.steps.is_empty());
        let whole = Snapshot {
            points: Vec::new(),
            steps: Vec::new(),
            ..snapshot
        };
        assert_eq!(report, whole);
    }

    #[test]
    fn every_truncation_and_foreign_bytes_are_errors() {
        let bytes = encode(&sample());
        for end in 0..bytes.len() {
            assert!(decode(&bytes[..end]).is_err(), "cut at {end}");
        }
        // The report alone is read from the header and the JSON part, which a cut inside
        // them breaks.
        let json_end = 8 + u32::from_le_bytes(bytes[4..8].try_into().expect("four")) as usize;
        for end in 0..json_end {
            assert!(decode_report(&bytes[..end]).is_err(), "cut at {end}");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(decode(&longer).is_err());
        assert!(decode(b"{\"graphs\": []}").is_err());
    }
}

//! `agora health` end to end on scipy's real devstats dumps: imported with `agora github
//! import`, reported for all time (the numbers devstats gives: 5,795 merged PRs, 1,033
//! unique authors, 672 fly-by authors, pony factor 16), every format, the window flags, the
//! `--all` dashboard, bad input, and the HTML page loaded in headless Chromium.

mod support;

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::Command as Process;

use support::{agora, corpus, stderr, stdout};

/// A fresh folder with scipy's dumps imported into its store (`agora.db`) by `agora github
/// import`; `None` without the corpus.
fn scipy_store() -> Option<(tempfile::TempDir, PathBuf)> {
    let corpus = corpus()?;
    let dumps = corpus.join("github/devstats");
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("agora.db");
    let output = agora(dir.path(), "http://127.0.0.1:9/simple")
        .args(["--offline", "--db"])
        .arg(&db)
        .args(["github", "import"])
        .arg(dumps.join("scipy_issues.json"))
        .arg(dumps.join("scipy_prs.json"))
        .args(["--repo", "scipy/scipy"])
        .output()
        .expect("runs");
    assert!(output.status.success(), "import: {}", stderr(&output));
    Some((dir, dumps))
}

/// `agora health ARGS…` in `dir`, on its `agora.db`.
fn health(dir: &Path, args: &[&str]) -> std::process::Output {
    agora(dir, "http://127.0.0.1:9/simple")
        .args(["--offline", "--db"])
        .arg(dir.join("agora.db"))
        .arg("health")
        .args(args)
        .output()
        .expect("runs")
}

fn json_of(output: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("{e}: {}", stdout(output)))
}

#[test]
fn scipy_all_time_from_the_store_matches_devstats() {
    let Some((dir, _)) = scipy_store() else {
        return;
    };
    let output = health(dir.path(), &["scipy/scipy", "--format", "json"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let report = json_of(&output);
    assert_eq!(report["repo"], "scipy/scipy");
    assert_eq!(report["pulls"]["merged"], 5_795);
    assert_eq!(report["pulls"]["unique_authors"], 1_033);
    assert_eq!(report["pulls"]["flyby_authors"], 672);
    assert_eq!(report["pulls"]["pony_factor"], 16);
    assert_eq!(report["pulls"]["filter"]["total"], 7_620);
    assert_eq!(report["issues"]["opened"], 2_538);

    // The other views show the same numbers.
    let text = stdout(&health(dir.path(), &["scipy/scipy"]));
    assert!(text.contains("Pony factor"), "{text}");
    assert!(
        text.lines()
            .any(|l| l.contains("Pony factor") && l.trim_end().ends_with(" 16")),
        "{text}"
    );
    let markdown = stdout(&health(
        dir.path(),
        &["scipy/scipy", "--format", "markdown"],
    ));
    assert!(markdown.contains("| Pony factor | 16 |"), "{markdown}");
    assert!(markdown.contains("| Unique authors of merged PRs | 1033 |"));

    // A project name of the ecosystem stands for its repository.
    let by_name = json_of(&health(dir.path(), &["scipy", "--format", "json"]));
    assert_eq!(by_name, report);
    // --out writes the same bytes the command would print.
    let written = health(
        dir.path(),
        &["scipy/scipy", "--format", "json", "--out", "r.json"],
    );
    assert!(written.status.success() && written.stdout.is_empty());
    let file = std::fs::read(dir.path().join("r.json")).expect("written");
    assert_eq!(file, output.stdout);
}

#[test]
fn a_window_counts_only_what_happened_inside_it() {
    let Some((dir, _)) = scipy_store() else {
        return;
    };
    let all = json_of(&health(dir.path(), &["scipy/scipy", "--format", "json"]));
    let since = json_of(&health(
        dir.path(),
        &["scipy/scipy", "--since", "2020-01-01", "--format", "json"],
    ));
    let until = json_of(&health(
        dir.path(),
        &["scipy/scipy", "--until", "2020-01-01", "--format", "json"],
    ));
    let merged = |v: &serde_json::Value| v["pulls"]["merged"].as_u64().unwrap_or(0);
    assert!(merged(&since) > 0 && merged(&until) > 0);
    assert_eq!(merged(&since) + merged(&until), merged(&all));
    assert_eq!(until["window"]["as_of"], "2020-01-01T00:00:00Z");

    // --bot replaces the list: rgommers' PRs are left out like a bot's.
    let without = json_of(&health(
        dir.path(),
        &["scipy/scipy", "--bot", "rgommers", "--format", "json"],
    ));
    assert_eq!(
        without["pulls"]["filter"]["bots"],
        serde_json::json!(["rgommers"])
    );
    let left_out = without["pulls"]["filter"]["by_bots"].as_u64().unwrap_or(0);
    assert!(left_out > 400, "{left_out}");
    assert!(merged(&without) < merged(&all));
    assert_eq!(without["pulls"]["unique_authors"], 1_032);

    let bad = health(dir.path(), &["scipy/scipy", "--since", "yesterday"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        stderr(&bad).contains("--since `yesterday`"),
        "{}",
        stderr(&bad)
    );
    let reversed = health(
        dir.path(),
        &[
            "scipy/scipy",
            "--since",
            "2021-01-01",
            "--until",
            "2020-01-01",
        ],
    );
    assert_eq!(reversed.status.code(), Some(2));
}

#[test]
fn a_repository_without_data_cannot_be_reported() {
    let dir = tempfile::tempdir().expect("tempdir");
    let output = health(dir.path(), &["numpy/numpy"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("no GitHub data for numpy/numpy"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn all_writes_the_dashboard_and_a_page_per_project_with_data() {
    let Some((dir, _)) = scipy_store() else {
        return;
    };
    let site = dir.path().join("site");
    let output = health(dir.path(), &["--all", "--out", "site", "--format", "json"]);
    // The built-in ecosystem has ten projects; only scipy has data: exit 1, pages written.
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(stderr(&output).contains("no GitHub data for numpy/numpy"));
    let summary = json_of(&output);
    let rows = summary["projects"].as_array().expect("rows");
    let scipy = rows
        .iter()
        .find(|r| r["repo"] == "scipy/scipy")
        .expect("scipy row");
    assert_eq!(scipy["pony_factor"], 16);
    assert_eq!(scipy["sparkline"].as_array().map(Vec::len), Some(24));
    let index = std::fs::read_to_string(site.join("index.html")).expect("index.html");
    assert!(
        index.contains(r#"<a href="scipy-scipy.html">scipy&#x2f;scipy</a>"#),
        "{index}"
    );
    assert!(site.join("scipy-scipy.html").is_file());
    // The raw data beside each page: the same JSON as `--format json`.
    assert!(index.contains(r#"<a href="scipy-scipy.json">data</a>"#));
    let data: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(site.join("scipy-scipy.json")).expect("data written"),
    )
    .expect("JSON");
    assert_eq!(data["pulls"]["pony_factor"], 16);
    assert!(!site.join("numpy-numpy.html").exists());
}

// ---- headless Chromium -------------------------------------------------------------------

/// A decoded 8-bit RGB or RGBA PNG: width, height and one RGB triple per pixel.
struct Image {
    width: usize,
    height: usize,
    pixels: Vec<[u8; 3]>,
}

/// Decodes the PNGs Chromium writes (8-bit RGB/RGBA, not interlaced).
fn decode_png(bytes: &[u8]) -> Image {
    assert_eq!(bytes.get(..8), Some(&b"\x89PNG\r\n\x1a\n"[..]), "not a PNG");
    let mut at = 8;
    let (mut width, mut height, mut channels) = (0usize, 0usize, 0usize);
    let mut compressed = Vec::new();
    while at + 8 <= bytes.len() {
        let length = u32::from_be_bytes(bytes[at..at + 4].try_into().expect("length")) as usize;
        let kind = &bytes[at + 4..at + 8];
        let data = &bytes[at + 8..at + 8 + length];
        match kind {
            b"IHDR" => {
                width = u32::from_be_bytes(data[0..4].try_into().expect("w")) as usize;
                height = u32::from_be_bytes(data[4..8].try_into().expect("h")) as usize;
                assert_eq!(data[8], 8, "bit depth");
                channels = match data[9] {
                    2 => 3,
                    6 => 4,
                    other => panic!("colour type {other}"),
                };
                assert_eq!(data[12], 0, "interlaced");
            }
            b"IDAT" => compressed.extend_from_slice(data),
            b"IEND" => break,
            _ => {}
        }
        at += 12 + length;
    }
    let mut raw = Vec::new();
    flate2::read::ZlibDecoder::new(&compressed[..])
        .read_to_end(&mut raw)
        .expect("inflate");
    let stride = width * channels;
    let mut previous = vec![0u8; stride];
    let mut pixels = Vec::with_capacity(width * height);
    for row in 0..height {
        let start = row * (stride + 1);
        let filter = raw[start];
        let mut line = raw[start + 1..start + 1 + stride].to_vec();
        for i in 0..stride {
            let left = if i >= channels { line[i - channels] } else { 0 };
            let up = previous[i];
            let up_left = if i >= channels {
                previous[i - channels]
            } else {
                0
            };
            let predicted = match filter {
                0 => 0,
                1 => left,
                2 => up,
                3 => ((u16::from(left) + u16::from(up)) / 2) as u8,
                4 => {
                    let p = i16::from(left) + i16::from(up) - i16::from(up_left);
                    let (pa, pb, pc) = (
                        (p - i16::from(left)).abs(),
                        (p - i16::from(up)).abs(),
                        (p - i16::from(up_left)).abs(),
                    );
                    if pa <= pb && pa <= pc {
                        left
                    } else if pb <= pc {
                        up
                    } else {
                        up_left
                    }
                }
                other => panic!("filter {other}"),
            };
            line[i] = line[i].wrapping_add(predicted);
        }
        for pixel in line.chunks(channels) {
            pixels.push([pixel[0], pixel[1], pixel[2]]);
        }
        previous = line;
    }
    Image {
        width,
        height,
        pixels,
    }
}

/// Pixels that are clearly coloured (charts' blues, greens, oranges), not text grey.
fn coloured_pixels(image: &Image) -> usize {
    image
        .pixels
        .iter()
        .filter(|[r, g, b]| {
            let max = (*r).max(*g).max(*b);
            let min = (*r).min(*g).min(*b);
            max - min > 60
        })
        .count()
}

/// Chromium, when installed.
fn chromium() -> Option<PathBuf> {
    for name in ["chromium", "chromium-browser"] {
        for dir in std::env::var_os("PATH")
            .map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
            .unwrap_or_default()
        {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return Some(candidate);
            }
        }
    }
    None
}

/// Loads `page` in headless Chromium: (screenshot, DOM, console lines).
fn load_in_chromium(
    browser: &Path,
    page: &Path,
    work: &Path,
    name: &str,
) -> (Image, String, Vec<String>) {
    let url = format!("file://{}", page.display());
    let common = |command: &mut Process, profile: &str| {
        command.args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--enable-logging=stderr",
            "--v=0",
            "--hide-scrollbars",
            "--window-size=1280,9000",
        ]);
        command.arg(format!("--user-data-dir={}", work.join(profile).display()));
    };
    let png = work.join(format!("{name}.png"));
    let mut shot = Process::new(browser);
    common(&mut shot, &format!("{name}-shot"));
    let shot = shot
        .arg(format!("--screenshot={}", png.display()))
        .arg(&url)
        .output()
        .expect("chromium runs");
    assert!(
        shot.status.success(),
        "{}",
        String::from_utf8_lossy(&shot.stderr)
    );
    let mut dump = Process::new(browser);
    common(&mut dump, &format!("{name}-dom"));
    let dump = dump
        .arg("--dump-dom")
        .arg(&url)
        .output()
        .expect("chromium runs");
    assert!(
        dump.status.success(),
        "{}",
        String::from_utf8_lossy(&dump.stderr)
    );
    let console: Vec<String> = String::from_utf8_lossy(&shot.stderr)
        .lines()
        .chain(String::from_utf8_lossy(&dump.stderr).lines())
        .filter(|l| {
            l.contains(":CONSOLE")
                || l.contains("Uncaught")
                || l.contains("Failed to load resource")
        })
        .map(str::to_string)
        .collect();
    let image = decode_png(&std::fs::read(&png).expect("screenshot written"));
    (
        image,
        String::from_utf8_lossy(&dump.stdout).into_owned(),
        console,
    )
}

/// `page` with every chart (`<svg class="chart"…</svg>`) removed: the blank control.
fn without_charts(page: &str) -> String {
    let mut out = String::new();
    let mut rest = page;
    while let Some(start) = rest.find("<svg class=\"chart\"") {
        out.push_str(&rest[..start]);
        let end = rest[start..]
            .find("</svg>")
            .map_or(rest.len(), |e| start + e + 6);
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

#[test]
fn the_html_report_renders_its_charts_in_headless_chromium() {
    let Some(browser) = chromium() else {
        if std::env::var_os("CI").is_some() {
            panic!("CI is set but chromium is not installed (.ci/run installs it)");
        }
        eprintln!("note: chromium is not installed; skipping the headless browser test");
        return;
    };
    let Some((dir, _)) = scipy_store() else {
        return;
    };
    let page = dir.path().join("scipy.html");
    let output = health(
        dir.path(),
        &["scipy/scipy", "--format", "html", "--out", "scipy.html"],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let html = std::fs::read_to_string(&page).expect("page written");
    let blank = dir.path().join("blank.html");
    std::fs::write(&blank, without_charts(&html)).expect("control written");

    let (image, dom, console) = load_in_chromium(&browser, &page, dir.path(), "report");
    assert!(console.is_empty(), "console output: {console:#?}");
    assert_eq!(
        dom.matches("<svg class=\"chart\"").count(),
        10,
        "charts in the DOM"
    );
    assert!(dom.contains("Health of scipy/scipy"));
    assert_eq!((image.width, image.height), (1280, 9000));

    let (control, _, control_console) = load_in_chromium(&browser, &blank, dir.path(), "blank");
    assert!(control_console.is_empty(), "{control_console:#?}");
    let drawn = coloured_pixels(&image);
    let baseline = coloured_pixels(&control);
    eprintln!("coloured pixels: {drawn} with charts, {baseline} without");
    // Ten charts of bars and lines: far more coloured pixels than the page without them.
    assert!(
        drawn > baseline + 50_000,
        "coloured pixels: {drawn} with charts, {baseline} without"
    );
}

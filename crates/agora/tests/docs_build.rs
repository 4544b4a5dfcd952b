//! `agora docs build` end to end: the fixture package in `tests/fixtures/docs/build/demo`
//! (re-exports through `__all__` and star imports, an alias, inherited members, a property, a
//! compiled class known from a stub and `add_newdoc` calls with a `$NAME` table, an exception),
//! its pages and inventory; then the real clients: `sphobjinv convert plain` reads the
//! inventory and a Sphinx project with intersphinx pointed at agora's numpy inventory links
//! `:func:`numpy.mean`` and `:class:`numpy.ndarray`` to agora's pages.
//!
//! The clients run from the venv `AGORA_DOCS_PYTHON` names (`.ci/run` makes it), numpy's sdist
//! from `AGORA_NUMPY_SDIST`; without them those parts are skipped with a note, except in CI.

use std::path::{Path, PathBuf};
use std::process::Command as Process;

use assert_cmd::Command;

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/docs/build/demo")
}

fn build(path: &Path, out: &Path, extra: &[&str]) -> (String, String, Option<i32>) {
    let output = Command::cargo_bin("agora")
        .unwrap_or_else(|e| panic!("{e}"))
        .env("CI", "true")
        .args(["docs", "build"])
        .arg(path)
        .arg("--out")
        .arg(out)
        .args(extra)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
        output.status.code(),
    )
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn fixture_package_pages_inventory_and_summary() {
    let out = tempfile::tempdir().expect("tempdir");
    let (stdout, stderr, code) = build(&fixture(), out.path(), &["--format", "json"]);
    assert_eq!(code, Some(0), "{stderr}");
    let summary: serde_json::Value = serde_json::from_str(&stdout).expect("json summary");
    assert_eq!(summary["project"], "demo");
    assert_eq!(summary["version"], "1.2.0");
    // `missing_function` in mean's See Also is the unresolved name (twice: `average` is an
    // alias of `mean`), listed with file:line; `np.absolute` is another project's.
    assert_eq!(
        summary["see_also"]["unresolved"].as_array().map(Vec::len),
        Some(2),
        "{stdout}"
    );
    assert_eq!(
        summary["see_also"]["external"],
        serde_json::json!(["np.absolute"])
    );
    assert!(stderr.contains("demo/_core/numeric.py:6: warning: demo.mean: See Also `missing_function` does not resolve"), "{stderr}");

    let inventory = agora_docs_inventory(&out.path().join("objects.inv"));
    for (name, role) in [
        ("demo", "module"),
        ("demo.sub", "module"),
        ("demo.mean", "function"),
        ("demo.average", "function"),
        ("demo.public_helper", "function"),
        ("demo.OLD", "data"),
        ("demo.Child", "class"),
        ("demo.Child.total", "method"),
        ("demo.Child.size", "property"),
        ("demo.Child.kind", "attribute"),
        ("demo.DemoError", "exception"),
        ("demo.Array", "class"),
        ("demo.Array.T", "attribute"),
        ("demo.Array.reshape", "method"),
        ("demo.absolute", "data"),
        // A stub's `def isalnum` for a name imported from compiled code that the code
        // generator's table makes a ufunc: data, as numpy documents ufuncs.
        ("demo.text.isalnum", "data"),
        // `int8 = integer[_8Bit]` is a sized alias; `byte = integer[_NBitByte]` and
        // `short = int8` name the class.
        ("demo.int8", "attribute"),
        ("demo.byte", "class"),
        ("demo.short", "class"),
        ("demo.Placed", "class"),
    ] {
        assert!(
            inventory.contains(&format!("{name} py:{role} ")),
            "{name} {role} missing:\n{inventory}"
        );
    }
    // A class documented under another name than where it is defined is listed under that
    // name too, as autodoc's `:canonical:` does, unless it sets its `__module__`.
    assert!(
        inventory
            .contains("demo._core.numeric.Child py:class 1 api/demo.Child.html#demo.Child -\n"),
        "{inventory}"
    );
    assert!(
        !inventory.contains("demo._core.numeric.Placed"),
        "{inventory}"
    );
    assert!(
        !inventory.contains("_private")
            && !inventory.contains("_hidden")
            && !inventory.contains("tests"),
        "{inventory}"
    );

    let mean = read(&out.path().join("api/demo.mean.html"));
    assert!(
        mean.contains("<code class=\"sig-params\">(a, axis=None, *, keepdims=False)</code>"),
        "{mean}"
    );
    assert!(mean.contains("href=\"https:&#x2f;&#x2f;github.com&#x2f;example&#x2f;demo&#x2f;blob&#x2f;v1.2.0&#x2f;demo&#x2f;_core&#x2f;numeric.py#L6-L34\">[source]</a>"), "{mean}");
    assert!(
        mean.contains("<a class=\"reference\" href=\"demo.Array.html\">Array</a>"),
        "types link: {mean}"
    );
    assert!(mean.contains("<a class=\"reference\" href=\"demo.average.html\"><code class=\"xref\">average</code></a>"), "{mean}");
    assert!(mean.contains("<mfrac>"), "math as MathML: {mean}");
    assert!(
        mean.contains("<span class=\"gp\">&gt;&gt;&gt;</span>"),
        "highlighted example: {mean}"
    );
    // One stylesheet for the whole site, linked, not inlined in every page.
    assert!(
        mean.contains("<link rel=\"stylesheet\" href=\"..&#x2f;assets&#x2f;style.css\">")
            && !mean.contains("<style>"),
        "{mean}"
    );
    assert!(read(&out.path().join("assets/style.css")).contains("dl.sig"));
    let parameters = mean.find("id=\"parameters\"").expect("parameters");
    let returns = mean.find("id=\"returns\"").expect("returns");
    let see_also = mean.find("id=\"see-also\"").expect("see also");
    let examples = mean.find("id=\"examples\"").expect("examples");
    assert!(
        parameters < returns && returns < see_also && see_also < examples,
        "numpydoc's order"
    );
    let absolute = read(&out.path().join("api/demo.absolute.html"));
    assert!(
        absolute.contains("Where to put it."),
        "the $PARAMS table was filled in: {absolute}"
    );
    assert!(
        absolute.contains("(x, &#x2f;, out=None)"),
        "signature from the docstring: {absolute}"
    );
    let child = read(&out.path().join("api/demo.Child.html"));
    assert!(
        child.contains("href=\"demo.Child.total.html\"") && child.contains("Sum it all."),
        "inherited members listed: {child}"
    );
    let index = read(&out.path().join("index.html"));
    assert!(index.contains("href=\"api&#x2f;demo.sub.html\""), "{index}");
    assert!(
        index.contains("<link rel=\"stylesheet\" href=\"assets&#x2f;style.css\">"),
        "{index}"
    );
}

#[test]
fn unreadable_input_is_a_clear_error() {
    let out = tempfile::tempdir().expect("tempdir");
    let (_, stderr, code) = build(&out.path().join("nothing-here"), out.path(), &[]);
    assert_eq!(code, Some(2));
    assert!(
        stderr.contains("neither a source directory nor an sdist"),
        "{stderr}"
    );
}

/// The decompressed body of an inventory, with the header checked.
fn agora_docs_inventory(path: &Path) -> String {
    use std::io::Read as _;
    let bytes = std::fs::read(path).expect("objects.inv");
    let mut lines = 0;
    let mut body_start = 0;
    for (index, byte) in bytes.iter().enumerate() {
        if *byte == b'\n' {
            lines += 1;
            if lines == 4 {
                body_start = index + 1;
                break;
            }
        }
    }
    let header = String::from_utf8_lossy(&bytes[..body_start]);
    assert!(
        header.starts_with("# Sphinx inventory version 2\n# Project: "),
        "{header}"
    );
    let mut body = String::new();
    flate2::read::ZlibDecoder::new(&bytes[body_start..])
        .read_to_string(&mut body)
        .expect("zlib body");
    body
}

fn env_path(variable: &str) -> Option<PathBuf> {
    match std::env::var_os(variable) {
        Some(value) => Some(PathBuf::from(value)),
        None if std::env::var_os("CI").is_some() => {
            panic!("{variable} must be set in CI (.ci/run sets it)")
        }
        None => {
            eprintln!(
                "note: {variable} is not set; skipping the real-client part of the docs test"
            );
            None
        }
    }
}

#[test]
fn sphobjinv_and_sphinx_intersphinx_read_agoras_numpy_inventory() {
    let (Some(python), Some(sdist)) =
        (env_path("AGORA_DOCS_PYTHON"), env_path("AGORA_NUMPY_SDIST"))
    else {
        return;
    };
    let out = tempfile::tempdir().expect("tempdir");
    let (_, stderr, code) = build(
        &sdist,
        &out.path().join("site"),
        &["--no-pages", "--project", "NumPy"],
    );
    assert_eq!(code, Some(0), "{stderr}");
    let inventory = out.path().join("site/objects.inv");

    // sphobjinv decodes it to the plain form.
    let plain = out.path().join("objects.txt");
    let status = Process::new(&python)
        .args(["-m", "sphobjinv", "convert", "plain", "-q"])
        .arg(&inventory)
        .arg(&plain)
        .status()
        .expect("sphobjinv runs");
    assert!(status.success(), "sphobjinv convert plain failed");
    let text = read(&plain);
    assert!(
        text.starts_with("# Sphinx inventory version 2\n# Project: NumPy\n# Version: 2.4.6\n"),
        "{}",
        &text[..200.min(text.len())]
    );
    assert!(
        text.contains("numpy.mean py:function 1 api/numpy.mean.html#$ -\n"),
        "numpy.mean in sphobjinv's view"
    );
    assert!(
        text.contains("numpy.ndarray py:class 1 api/numpy.ndarray.html#$ -\n"),
        "numpy.ndarray in sphobjinv's view"
    );

    // A Sphinx project linking into agora's pages through intersphinx.
    let project = out.path().join("sphinx");
    std::fs::create_dir_all(&project).expect("mkdir");
    std::fs::write(
        project.join("conf.py"),
        format!(
            "extensions = ['sphinx.ext.intersphinx']\nproject = 'client'\nintersphinx_mapping = {{'numpy': ('https://docs.example.org/numpy/', {:?})}}\nintersphinx_disabled_reftypes = []\n",
            inventory.display().to_string()
        ),
    )
    .expect("conf.py");
    std::fs::write(
        project.join("index.rst"),
        "Client\n======\n\nSee :func:`numpy.mean` and :class:`numpy.ndarray`.\n",
    )
    .expect("index.rst");
    let output = Process::new(&python)
        .args(["-m", "sphinx", "-b", "html", "-q", "-W"])
        .arg(&project)
        .arg(project.join("_build"))
        .output()
        .expect("sphinx runs");
    assert!(
        output.status.success(),
        "sphinx-build failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let html = read(&project.join("_build/index.html"));
    assert!(
        html.contains("href=\"https://docs.example.org/numpy/api/numpy.mean.html#numpy.mean\""),
        "numpy.mean not linked to agora's page"
    );
    assert!(
        html.contains(
            "href=\"https://docs.example.org/numpy/api/numpy.ndarray.html#numpy.ndarray\""
        ),
        "numpy.ndarray not linked to agora's page"
    );
}

#[test]
fn numpy_mean_page_in_a_browser() {
    let Some(sdist) = env_path("AGORA_NUMPY_SDIST") else {
        return;
    };
    if std::env::var_os("AGORA_BROWSER_TESTS").is_none() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI runs the browser test (.ci/run sets AGORA_BROWSER_TESTS)"
        );
        eprintln!("note: AGORA_BROWSER_TESTS is not set; skipping the docs browser test");
        return;
    }
    let out = tempfile::tempdir().expect("tempdir");
    let site = out.path().join("site");
    let (_, stderr, code) = build(&sdist, &site, &["--project", "NumPy"]);
    assert_eq!(code, Some(0), "{stderr}");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../site-tests/docs.mjs");
    let output = Process::new("node")
        .arg(&script)
        .arg(&site)
        .output()
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    println!("{stdout}");
}

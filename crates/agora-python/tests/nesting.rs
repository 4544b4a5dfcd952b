//! The nesting limits against the stack: the deepest modules the limits admit parse on a
//! stack of `STACK_BYTES`, one step further is a syntax error with a line, and far deeper
//! input (which used to abort the process) is refused the same way.

use agora_python::nesting::{MAX_BRACKETS, MAX_EXPRESSION_NESTING, MAX_INDENTATION};
use agora_python::{STACK_BYTES, parse_module, parse_module_on_this_stack};

/// The deepest modules of each shape the limits admit, by name.
fn deepest_admitted() -> Vec<(&'static str, String)> {
    // `x = ` spends one level on the statement; each shape spends its levels on one chain.
    let levels = MAX_EXPRESSION_NESTING - 1;
    let indented = |depth: usize, line: &str| -> String {
        let mut text = String::new();
        for level in 0..depth {
            text.push_str(&format!("{}def f{level}():\n", "    ".repeat(level)));
        }
        text.push_str(&format!("{}{line}\n", "    ".repeat(depth)));
        text
    };
    vec![
        ("sum", format!("x = {}\n", vec!["a"; levels + 1].join("+"))),
        (
            "power",
            format!("x = {}\n", vec!["a"; levels + 1].join("**")),
        ),
        ("attributes", format!("x = a{}\n", ".b".repeat(levels))),
        ("unary minus", format!("x = {}a\n", "- ".repeat(levels))),
        ("not", format!("x = {}a\n", "not ".repeat(levels))),
        ("lambdas", format!("x = {}a\n", "lambda: ".repeat(levels))),
        (
            "lambdas with parameters",
            format!("x = {}a\n", "lambda a, b=1: ".repeat(levels)),
        ),
        (
            "nested f-strings",
            format!(
                "x = {}a{}\n",
                "f'{".repeat(MAX_BRACKETS / 2),
                "}'".repeat(MAX_BRACKETS / 2)
            ),
        ),
        (
            "ternaries",
            format!("x = {}a\n", "a if a else ".repeat(levels / 2)),
        ),
        ("calls", format!("x = f{}\n", "()".repeat(levels - 1))),
        ("subscripts", format!("x = a{}\n", "[0]".repeat(levels - 1))),
        (
            "brackets",
            format!(
                "x = {}a{}\n",
                "(".repeat(MAX_BRACKETS),
                ")".repeat(MAX_BRACKETS)
            ),
        ),
        (
            "bracketed sums",
            format!(
                "x = {}a{}\n",
                "a+(".repeat(MAX_BRACKETS),
                ")".repeat(MAX_BRACKETS)
            ),
        ),
        ("nested functions", indented(MAX_INDENTATION, "pass")),
        (
            "sum in the deepest function",
            indented(
                MAX_INDENTATION,
                // Not `yield …`: the generator check stops at a `yield`, but walks this.
                &format!("x = {}", vec!["a"; levels].join("+")),
            ),
        ),
        ("nested ifs", {
            let mut text = String::new();
            for level in 0..MAX_INDENTATION {
                text.push_str(&format!("{}if x:\n", " ".repeat(level)));
            }
            text.push_str(&format!("{}pass\n", " ".repeat(MAX_INDENTATION)));
            text
        }),
    ]
}

/// Runs `work` on a new thread with a stack of `bytes`.
fn on_stack<T: Send + 'static>(bytes: usize, work: impl FnOnce() -> T + Send + 'static) -> T {
    let handle = std::thread::Builder::new()
        .stack_size(bytes)
        .spawn(work)
        .unwrap_or_else(|error| panic!("cannot start a thread: {error}"));
    handle
        .join()
        .unwrap_or_else(|_| panic!("the thread panicked"))
}

#[test]
fn the_deepest_admitted_modules_parse_on_the_measured_stack() {
    for (name, source) in deepest_admitted() {
        let result = on_stack(STACK_BYTES, move || {
            parse_module_on_this_stack("m", &source).map(|m| m.definitions.len())
        });
        assert!(result.is_ok(), "{name}: {result:?}");
    }
}

#[test]
fn one_step_past_each_limit_is_a_syntax_error_with_its_line() {
    let cases = [
        (
            format!(
                "x = 1\ny = {}\n",
                vec!["a"; MAX_EXPRESSION_NESTING + 1].join("+")
            ),
            "expression nested too deeply",
        ),
        (
            format!(
                "x = 1\ny = {}a{}\n",
                "[".repeat(MAX_BRACKETS + 1),
                "]".repeat(MAX_BRACKETS + 1)
            ),
            "too many nested parentheses",
        ),
        (
            {
                let mut text = String::from("x = 1\n");
                for level in 0..=MAX_INDENTATION {
                    text.push_str(&format!("{}while x:\n", " ".repeat(level)));
                }
                text.push_str(&format!("{}pass\n", " ".repeat(MAX_INDENTATION + 1)));
                text
            },
            "too many levels of indentation",
        ),
    ];
    for (source, message) in cases {
        let error = parse_module("m", &source).err();
        assert!(
            error
                .as_ref()
                .is_some_and(|e| e.message.starts_with(message)),
            "{message}: {error:?}"
        );
        let line = error.map(|e| e.line);
        let expected = if message.starts_with("too many levels") {
            // The 101st indentation is on the line of the innermost `pass`.
            Some(u32::try_from(MAX_INDENTATION + 3).unwrap_or(u32::MAX))
        } else {
            Some(2)
        };
        assert_eq!(line, expected, "{message}");
    }
}

/// The inputs of issue 15 that aborted `agora docs lint`, on a thread with a small stack:
/// `parse_module` must move to a stack of its own and refuse them.
#[test]
fn hostile_depths_are_refused_on_any_stack() {
    let hostile = [
        format!("x = {}\n", vec!["a"; 40_000].join("+")),
        format!("x = a{}\n", ".b".repeat(40_000)),
        format!("x = {}a\n", "- ".repeat(50_000)),
        {
            let mut text = String::new();
            for level in 0..2_200 {
                text.push_str(&format!("{}if x:\n", " ".repeat(level)));
            }
            text.push_str(&format!("{}pass\n", " ".repeat(2_200)));
            text
        },
    ];
    for source in hostile {
        let refused = on_stack(256 * 1024, move || parse_module("m", &source).is_err());
        assert!(refused);
    }
}

/// Runs one shape of [`deepest_admitted`] on a stack of `bytes` in a child process (an
/// overflow aborts the process): whether it came through.
fn fits(name: &str, bytes: usize) -> bool {
    let Ok(exe) = std::env::current_exe() else {
        return false;
    };
    std::process::Command::new(exe)
        .args(["--exact", "measure_one", "--ignored", "--nocapture"])
        .env("AGORA_NESTING_SHAPE", name)
        .env("AGORA_NESTING_STACK", bytes.to_string())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|status| status.success())
}

/// The child side of [`fits`].
#[test]
#[ignore = "run by measure_stack_needs in a child process"]
fn measure_one() {
    let (Ok(name), Ok(bytes)) = (
        std::env::var("AGORA_NESTING_SHAPE"),
        std::env::var("AGORA_NESTING_STACK"),
    ) else {
        return;
    };
    let bytes: usize = bytes.parse().unwrap_or(STACK_BYTES);
    let source = deepest_admitted()
        .into_iter()
        .find(|(shape, _)| *shape == name)
        .map(|(_, source)| source)
        .unwrap_or_default();
    let result = on_stack(bytes, move || {
        parse_module_on_this_stack("m", &source).is_ok()
    });
    assert!(result);
}

/// Prints the smallest stack each shape needs (to 16 KiB), the figures behind `STACK_BYTES`.
#[test]
#[ignore = "a measurement: cargo test -p agora-python --test nesting -- --ignored --nocapture"]
fn measure_stack_needs() {
    let mut worst = 0;
    for (name, _) in deepest_admitted() {
        let (mut low, mut high) = (16 * 1024, STACK_BYTES);
        assert!(fits(name, high), "{name} does not fit in STACK_BYTES");
        while high - low > 16 * 1024 {
            let middle = low + (high - low) / 2;
            if fits(name, middle) {
                high = middle;
            } else {
                low = middle;
            }
        }
        println!("{name}: {} KiB", high / 1024);
        worst = worst.max(high);
    }
    println!(
        "worst: {} KiB of STACK_BYTES = {} KiB",
        worst / 1024,
        STACK_BYTES / 1024
    );
}

//! Writes a [`Figure`] as an `<svg>` element.
//!
//! A figure is already laid out: each [`Mark`] is one SVG element with its coordinates, so
//! writing it out is one line per mark. This is the hot path of a benchmark project's pages
//! (a chart per benchmark, hundreds of points each), so marks are written straight into one
//! `String` rather than turned into template values first: the template engine spent four
//! fifths of such a rebuild converting marks. Every text and attribute value goes through
//! minijinja's own [`HtmlEscape`], the escaper of every page template, and numbers are printed
//! as the templates print them (`12.0`, `3.5`), so a chart reads the same inside any page.

use std::fmt::Write;

use minijinja::HtmlEscape;

use super::{Figure, Mark};

/// A number as minijinja prints a float: Rust's shortest form, with `.0` on whole numbers.
struct Number(f64);

impl std::fmt::Display for Number {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let value = self.0;
        if value.is_nan() {
            f.write_str("NaN")
        } else if value.is_infinite() {
            f.write_str(if value < 0.0 { "-inf" } else { "inf" })
        } else if value.fract() == 0.0 && value.abs() < 1e15 {
            write!(f, "{value}.0")
        } else {
            let text = value.to_string();
            f.write_str(&text)?;
            if !text.contains('.') {
                f.write_str(".0")?;
            }
            Ok(())
        }
    }
}

/// `figure` as SVG markup.
pub(super) fn write(figure: &Figure) -> String {
    let mut out = String::with_capacity(256 + figure.marks.len() * 96);
    // Writing into a String cannot fail.
    let _ = write_into(&mut out, figure);
    out
}

fn write_into(out: &mut String, figure: &Figure) -> std::fmt::Result {
    let (width, height) = (Number(figure.width), Number(figure.height));
    let linked = figure
        .marks
        .iter()
        .any(|m| matches!(m, Mark::Dot { href, .. } if !href.is_empty()));
    writeln!(
        out,
        r#"<svg class="{}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="{}" aria-label="{}">"#,
        HtmlEscape(figure.class),
        if linked { "group" } else { "img" },
        HtmlEscape(&figure.title),
    )?;
    writeln!(out, "<title>{}</title>", HtmlEscape(&figure.title))?;
    writeln!(out, "<desc>{}</desc>", HtmlEscape(&figure.desc))?;
    for mark in &figure.marks {
        match mark {
            Mark::Line {
                x1,
                y1,
                x2,
                y2,
                class,
            } => writeln!(
                out,
                r#"<line class="{}" x1="{}" y1="{}" x2="{}" y2="{}"/>"#,
                HtmlEscape(class),
                Number(*x1),
                Number(*y1),
                Number(*x2),
                Number(*y2)
            )?,
            Mark::Segment {
                x1,
                x2,
                y,
                stroke,
                tip,
            } => writeln!(
                out,
                r#"<line class="step" x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}"><title>{}</title></line>"#,
                Number(*x1),
                Number(*y),
                Number(*x2),
                Number(*y),
                HtmlEscape(stroke),
                HtmlEscape(tip)
            )?,
            Mark::Rect {
                x,
                y,
                width,
                height,
                class,
                fill,
                tip,
            } => {
                write!(
                    out,
                    r#"<rect class="{}" x="{}" y="{}" width="{}" height="{}""#,
                    HtmlEscape(class),
                    Number(*x),
                    Number(*y),
                    Number(*width),
                    Number(*height)
                )?;
                if !fill.is_empty() {
                    write!(out, r#" fill="{}""#, HtmlEscape(fill))?;
                }
                out.push('>');
                if !tip.is_empty() {
                    write!(out, "<title>{}</title>", HtmlEscape(tip))?;
                }
                out.push_str("</rect>\n");
            }
            Mark::Dot {
                cx,
                cy,
                r,
                fill,
                tip,
                href,
            } => {
                if !href.is_empty() {
                    write!(out, r#"<a href="{}">"#, HtmlEscape(href))?;
                }
                write!(
                    out,
                    r#"<circle cx="{}" cy="{}" r="{}" fill="{}"><title>{}</title></circle>"#,
                    Number(*cx),
                    Number(*cy),
                    Number(*r),
                    HtmlEscape(fill),
                    HtmlEscape(tip)
                )?;
                if !href.is_empty() {
                    out.push_str("</a>");
                }
                out.push('\n');
            }
            Mark::Polyline {
                points,
                class,
                stroke,
            } => writeln!(
                out,
                r#"<polyline class="{}" fill="none" stroke="{}" points="{}"/>"#,
                HtmlEscape(class),
                HtmlEscape(stroke),
                HtmlEscape(points)
            )?,
            Mark::Text {
                x,
                y,
                anchor,
                class,
                text,
                rotate,
            } => {
                write!(
                    out,
                    r#"<text class="{}" x="{}" y="{}" text-anchor="{}""#,
                    HtmlEscape(class),
                    Number(*x),
                    Number(*y),
                    HtmlEscape(anchor)
                )?;
                if *rotate {
                    write!(
                        out,
                        r#" transform="rotate(-90 {} {})""#,
                        Number(*x),
                        Number(*y)
                    )?;
                }
                writeln!(out, ">{}</text>", HtmlEscape(text))?;
            }
        }
    }
    out.push_str("</svg>\n");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_the_templates_print_them() {
        for (value, text) in [
            (12.0, "12.0"),
            (0.0, "0.0"),
            (-3.0, "-3.0"),
            (3.5, "3.5"),
            (-0.1, "-0.1"),
            (1e21, "1000000000000000000000.0"),
            (f64::NAN, "NaN"),
        ] {
            assert_eq!(Number(value).to_string(), text, "{value}");
            // The engine's own printing of the same float.
            if value.is_finite() {
                assert_eq!(minijinja::Value::from(value).to_string(), text);
            }
        }
    }

    #[test]
    fn a_linked_dot_makes_the_figure_a_group_and_every_text_is_escaped() {
        let mut figure = Figure::new(100.0, 50.0, "a \"quoted\" <title>");
        figure.marks.push(Mark::Dot {
            cx: 1.0,
            cy: 2.5,
            r: 3.0,
            fill: "#4c78a8".into(),
            tip: "x < y & z".into(),
            href: "https://example.org/?a=1&b=2".into(),
        });
        figure.marks.push(Mark::Text {
            x: 5.0,
            y: 6.0,
            anchor: "end",
            class: "axis-title",
            text: "<b>ms</b>".into(),
            rotate: true,
        });
        let svg = write(&figure);
        assert!(svg.contains(r#"role="group""#), "{svg}");
        assert!(
            svg.contains("aria-label=\"a &quot;quoted&quot; &lt;title&gt;\""),
            "{svg}"
        );
        assert!(
            svg.contains(r#"<a href="https:&#x2f;&#x2f;example.org&#x2f;?a=1&amp;b=2">"#),
            "{svg}"
        );
        assert!(
            svg.contains("<title>x &lt; y &amp; z</title></circle></a>\n"),
            "{svg}"
        );
        assert!(
            svg.contains(r#"transform="rotate(-90 5.0 6.0)">&lt;b&gt;ms&lt;&#x2f;b&gt;</text>"#),
            "{svg}"
        );
        assert!(svg.ends_with("</svg>\n"));
        assert!(!svg.contains("<b>"));
    }
}

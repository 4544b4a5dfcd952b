//! The reStructuredText of docstrings as HTML: the subset numpydoc docstrings use.
//!
//! Blocks: paragraphs, bullet and enumerated lists, definition-like indented blocks, literal
//! blocks after `::`, doctest blocks (`>>>`, highlighted by [`highlight_doctest`]), simple
//! tables (shown as preformatted text), citations (`.. [1] …`) and the directives
//! `versionadded`/`versionchanged`/`deprecated`, `note`/`warning`/`seealso`, `math` (MathML
//! through pulldown-latex, no JavaScript) and `code-block`; other directives show their body
//! as text. Inline: ``literal``, `*emphasis*`, `**strong**`, `:role:`target``, `` `name` ``
//! (linked when the resolver knows it), `` `text <url>`_ `` links and `:math:` (MathML).
//! Every piece of text is escaped; only markup made here is emitted.

/// Turns a name written in a docstring into the URL of its page, or `None`.
pub type Linker<'a> = &'a dyn Fn(&str) -> Option<String>;

/// HTML-escapes text.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// The indentation of a line (spaces; a tab counts as up to the next multiple of 8).
fn indent(line: &str) -> usize {
    let mut width = 0;
    for c in line.chars() {
        match c {
            ' ' => width += 1,
            '\t' => width = (width / 8 + 1) * 8,
            _ => break,
        }
    }
    width
}

fn blank(line: &str) -> bool {
    line.trim().is_empty()
}

/// Removes the common indentation of lines.
fn dedent(lines: &[&str]) -> Vec<String> {
    let margin = lines
        .iter()
        .filter(|l| !blank(l))
        .map(|l| indent(l))
        .min()
        .unwrap_or(0);
    lines
        .iter()
        .map(|l| {
            let expanded = l.replace('\t', "        ");
            expanded.chars().skip(margin).collect::<String>()
        })
        .collect()
}

/// Renders docstring lines (already dedented) as HTML blocks.
pub fn to_html(lines: &[String], link: Linker<'_>) -> String {
    let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
    let mut out = String::new();
    blocks(&refs, link, &mut out, 0);
    out
}

/// The end (exclusive) of the block of lines indented more than `base`, from `start`;
/// trailing blank lines are not part of it.
fn indented_end(lines: &[&str], start: usize, base: usize) -> usize {
    let mut end = start;
    let mut last_content = start;
    while end < lines.len() {
        if blank(lines[end]) {
            end += 1;
            continue;
        }
        if indent(lines[end]) <= base {
            break;
        }
        end += 1;
        last_content = end;
    }
    last_content
}

/// A list item marker: bullet or enumerator, with the width of the marker and the space.
fn list_marker(line: &str) -> Option<(bool, usize)> {
    let trimmed = line.trim_start();
    for bullet in ["- ", "* ", "+ ", "• "] {
        if trimmed.starts_with(bullet) {
            return Some((false, bullet.len()));
        }
    }
    let digits = trimmed.chars().take_while(char::is_ascii_digit).count();
    let enumerator = if digits > 0 && trimmed[digits..].starts_with(". ") {
        Some(digits + 2)
    } else if trimmed.starts_with("#. ") {
        Some(3)
    } else if trimmed.starts_with('(') && digits == 0 {
        let inner = trimmed[1..]
            .chars()
            .take_while(char::is_ascii_digit)
            .count();
        (inner > 0 && trimmed[1 + inner..].starts_with(") ")).then_some(inner + 3)
    } else {
        None
    };
    enumerator.map(|width| (true, width))
}

fn blocks(lines: &[&str], link: Linker<'_>, out: &mut String, depth: usize) {
    if depth > 16 {
        out.push_str(&format!("<pre>{}</pre>", escape(&lines.join("\n"))));
        return;
    }
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        if blank(line) {
            i += 1;
            continue;
        }
        let base = indent(line);
        let trimmed = line.trim();
        // A block quote: indented more than the text around it.
        if base > 0 {
            let end = (i..lines.len())
                .find(|&j| !blank(lines[j]) && indent(lines[j]) < base)
                .unwrap_or(lines.len());
            let inner = dedent(&lines[i..end]);
            let inner: Vec<&str> = inner.iter().map(String::as_str).collect();
            out.push_str("<blockquote>");
            blocks(&inner, link, out, depth + 1);
            out.push_str("</blockquote>");
            i = end;
            continue;
        }
        if trimmed.starts_with(">>>") {
            let end = (i..lines.len())
                .find(|&j| blank(lines[j]))
                .unwrap_or(lines.len());
            out.push_str(&format!(
                "<pre class=\"doctest\"><code>{}</code></pre>",
                highlight_doctest(&lines[i..end].join("\n"))
            ));
            i = end;
            continue;
        }
        if let Some(rest) = trimmed.strip_prefix(".. ") {
            i = directive(lines, i, rest, link, out, depth);
            continue;
        }
        if is_table_border(trimmed) {
            let end = (i..lines.len())
                .find(|&j| blank(lines[j]))
                .unwrap_or(lines.len());
            out.push_str(&format!(
                "<pre class=\"table\">{}</pre>",
                escape(&lines[i..end].join("\n"))
            ));
            i = end;
            continue;
        }
        if let Some((ordered, _)) = list_marker(line) {
            i = list(lines, i, ordered, link, out, depth);
            continue;
        }
        // A paragraph: up to a blank line or an indented line.
        let mut end = i + 1;
        while end < lines.len()
            && !blank(lines[end])
            && indent(lines[end]) == 0
            && list_marker(lines[end]).is_none()
        {
            end += 1;
        }
        let text = lines[i..end].join("\n");
        let next_indented = end < lines.len() && !blank(lines[end]) && indent(lines[end]) > 0;
        if let Some(head) = text.strip_suffix("::") {
            let head = head.trim_end();
            if !head.is_empty() {
                let head = if head.ends_with(' ') || text.ends_with(" ::") {
                    head.to_string()
                } else {
                    format!("{head}:")
                };
                out.push_str(&format!("<p>{}</p>", inline(&head, link)));
            }
            let body_start = end;
            let body_end = indented_end(lines, body_start, 0);
            let body = dedent(&lines[body_start..body_end]);
            let body = body.join("\n");
            out.push_str(&format!(
                "<pre><code>{}</code></pre>",
                escape(body.trim_matches('\n'))
            ));
            i = body_end;
            continue;
        }
        if next_indented && end == i + 1 {
            // A term and its indented definition.
            let body_end = indented_end(lines, end, 0);
            let body = dedent(&lines[end..body_end]);
            let body: Vec<&str> = body.iter().map(String::as_str).collect();
            out.push_str(&format!(
                "<dl class=\"simple\"><dt>{}</dt><dd>",
                inline(trimmed, link)
            ));
            blocks(&body, link, out, depth + 1);
            out.push_str("</dd></dl>");
            i = body_end;
            continue;
        }
        out.push_str(&format!("<p>{}</p>", inline(&text, link)));
        i = end;
    }
}

fn is_table_border(line: &str) -> bool {
    line.len() > 2 && line.starts_with("==") && line.chars().all(|c| c == '=' || c == ' ')
        || (line.starts_with("+-")
            && line.ends_with('+')
            && line.chars().all(|c| c == '-' || c == '+' || c == '='))
}

fn list(
    lines: &[&str],
    start: usize,
    ordered: bool,
    link: Linker<'_>,
    out: &mut String,
    depth: usize,
) -> usize {
    let tag = if ordered { "ol" } else { "ul" };
    out.push_str(&format!("<{tag}>"));
    let mut i = start;
    while i < lines.len() {
        let Some((item_ordered, width)) = list_marker(lines[i]).filter(|_| indent(lines[i]) == 0)
        else {
            break;
        };
        if item_ordered != ordered {
            break;
        }
        let first: String = lines[i].trim_start().chars().skip(width).collect();
        let mut end = i + 1;
        // Continuation lines: indented, or the item's paragraph going on unindented.
        while end < lines.len() {
            let next = lines[end];
            if blank(next) {
                let more =
                    end + 1 < lines.len() && !blank(lines[end + 1]) && indent(lines[end + 1]) > 0;
                if more {
                    end += 1;
                    continue;
                }
                break;
            }
            if indent(next) == 0 && (list_marker(next).is_some() || blank(lines[end - 1])) {
                break;
            }
            end += 1;
        }
        let mut body = vec![first];
        body.extend(
            dedent(&lines[i + 1..end])
                .into_iter()
                .map(|l| l.trim_start().to_string().clone())
                .collect::<Vec<_>>(),
        );
        let body_refs: Vec<&str> = body.iter().map(String::as_str).collect();
        out.push_str("<li>");
        let mut inner = String::new();
        blocks(&body_refs, link, &mut inner, depth + 1);
        // A one-paragraph item without its <p>.
        let inner = match inner
            .strip_prefix("<p>")
            .and_then(|s| s.strip_suffix("</p>"))
        {
            Some(text) if !text.contains("<p>") => text.to_string(),
            _ => inner,
        };
        out.push_str(&inner);
        out.push_str("</li>");
        i = end;
        while i < lines.len() && blank(lines[i]) {
            i += 1;
        }
    }
    out.push_str(&format!("</{tag}>"));
    i.max(start + 1)
}

/// Renders a directive starting at `lines[start]` (`rest` is the text after `.. `); returns
/// the index after it.
fn directive(
    lines: &[&str],
    start: usize,
    rest: &str,
    link: Linker<'_>,
    out: &mut String,
    depth: usize,
) -> usize {
    let body_end = indented_end(lines, start + 1, 0);
    let body = dedent(&lines[start + 1..body_end]);
    let body_refs: Vec<&str> = body.iter().map(String::as_str).collect();
    // Citations `.. [1] text`.
    if let Some(citation) = rest.strip_prefix('[')
        && let Some((label, text)) = citation.split_once(']')
    {
        let mut all = vec![text.trim().to_string()];
        all.extend(body.iter().map(|l| l.trim().to_string()));
        out.push_str(&format!(
            "<div class=\"citation\" id=\"cite-{}\"><span class=\"label\">[{}]</span> {}</div>",
            escape(label),
            escape(label),
            inline(all.join(" ").trim(), link)
        ));
        return body_end;
    }
    let Some((name, argument)) = rest.split_once("::") else {
        // A comment or a target (`.. _label:`): not shown.
        return body_end;
    };
    let name = name.trim();
    let argument = argument.trim();
    // Options (`:options:` lines) at the top of the body are not content.
    let content_start = body_refs
        .iter()
        .position(|l| !l.trim_start().starts_with(':') || blank(l))
        .unwrap_or(body_refs.len());
    let content = &body_refs[content_start..];
    match name {
        "versionadded" | "versionchanged" | "deprecated" => {
            let label = match name {
                "versionadded" => "Added in version",
                "versionchanged" => "Changed in version",
                _ => "Deprecated since version",
            };
            out.push_str(&format!("<div class=\"versionmodified {name}\"><p><span class=\"versionlabel\">{label} {}.</span>", escape(argument)));
            let mut inner = String::new();
            blocks(content, link, &mut inner, depth + 1);
            out.push_str(&format!(
                " {}</p></div>",
                inner.trim_start_matches("<p>").trim_end_matches("</p>")
            ));
        }
        "note" | "warning" | "seealso" | "hint" | "important" | "tip" | "caution" | "attention"
        | "danger" | "error" | "admonition" => {
            let title = if name == "admonition" {
                argument.to_string()
            } else if name == "seealso" {
                "See also".to_string()
            } else {
                capitalise(name)
            };
            out.push_str(&format!(
                "<div class=\"admonition {name}\"><p class=\"admonition-title\">{}</p>",
                escape(&title)
            ));
            if name != "admonition" && !argument.is_empty() {
                out.push_str(&format!("<p>{}</p>", inline(argument, link)));
            }
            blocks(content, link, out, depth + 1);
            out.push_str("</div>");
        }
        "math" => {
            let source = if argument.is_empty() {
                content.join("\n")
            } else {
                format!("{argument}\n{}", content.join("\n"))
            };
            for equation in source.split("\n\n").filter(|e| !e.trim().is_empty()) {
                out.push_str(&format!(
                    "<div class=\"math\">{}</div>",
                    math(equation.trim(), true)
                ));
            }
        }
        "code-block" | "code" | "sourcecode" | "literalinclude" | "highlight" => {
            let text = content.join("\n");
            if argument.starts_with("python") && text.trim_start().starts_with(">>>") {
                out.push_str(&format!(
                    "<pre class=\"doctest\"><code>{}</code></pre>",
                    highlight_doctest(text.trim_matches('\n'))
                ));
            } else {
                out.push_str(&format!(
                    "<pre><code>{}</code></pre>",
                    escape(text.trim_matches('\n'))
                ));
            }
        }
        // Directives that produce nothing standalone (plots run code; autosummary lists).
        "plot" | "autosummary" | "toctree" | "only" | "currentmodule" | "module" | "index"
        | "testsetup" | "testcleanup" | "ipython" => {}
        _ => blocks(content, link, out, depth + 1),
    }
    body_end
}

fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().collect::<String>() + chars.as_str())
        .unwrap_or_default()
}

/// LaTeX as MathML; the source, escaped, when it does not convert.
pub fn math(latex: &str, display: bool) -> String {
    use pulldown_latex::config::DisplayMode;
    let storage = pulldown_latex::Storage::new();
    let parser = pulldown_latex::Parser::new(latex, &storage);
    let mut html = String::new();
    let config = pulldown_latex::RenderConfig {
        display_mode: if display {
            DisplayMode::Block
        } else {
            DisplayMode::Inline
        },
        annotation: Some(latex),
        ..Default::default()
    };
    match pulldown_latex::push_mathml(&mut html, parser, config) {
        Ok(()) => html,
        Err(_) => format!("<code class=\"math\">{}</code>", escape(latex)),
    }
}

/// Inline markup of one paragraph's text.
pub fn inline(text: &str, link: Linker<'_>) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    let mut plain = String::new();
    let flush = |plain: &mut String, out: &mut String| {
        out.push_str(&escape(plain));
        plain.clear();
    };
    while i < chars.len() {
        let c = chars[i];
        let prev_ok = i == 0 || !chars[i - 1].is_alphanumeric();
        if c == '`' && prev_ok {
            // ``literal``
            if chars.get(i + 1) == Some(&'`') {
                if let Some(end) = find(&chars, i + 2, "``") {
                    flush(&mut plain, &mut out);
                    let literal: String = chars[i + 2..end].iter().collect();
                    out.push_str(&format!(
                        "<code class=\"literal\">{}</code>",
                        escape(&literal)
                    ));
                    i = end + 2;
                    continue;
                }
            } else if let Some(end) = find(&chars, i + 1, "`") {
                flush(&mut plain, &mut out);
                let content: String = chars[i + 1..end].iter().collect();
                let mut next = end + 1;
                if chars.get(next) == Some(&'_') {
                    next += 1;
                    if chars.get(next) == Some(&'_') {
                        next += 1;
                    }
                    out.push_str(&hyperlink(&content));
                } else {
                    out.push_str(&reference(&content, None, link));
                }
                i = next;
                continue;
            }
        }
        if c == ':'
            && prev_ok
            && let Some((role, after)) = role_at(&chars, i)
            && chars.get(after) == Some(&'`')
            && let Some(end) = find(&chars, after + 1, "`")
        {
            flush(&mut plain, &mut out);
            let content: String = chars[after + 1..end].iter().collect();
            if role == "math" {
                out.push_str(&math(&content, false));
            } else {
                out.push_str(&reference(&content, Some(&role), link));
            }
            i = end + 1;
            continue;
        }
        if c == '*' && prev_ok {
            let strong = chars.get(i + 1) == Some(&'*');
            let open = if strong { 2 } else { 1 };
            let marker = if strong { "**" } else { "*" };
            if chars.get(i + open).is_some_and(|c| !c.is_whitespace())
                && let Some(end) = find(&chars, i + open, marker)
                && end > i + open
            {
                flush(&mut plain, &mut out);
                let content: String = chars[i + open..end].iter().collect();
                let tag = if strong { "strong" } else { "em" };
                out.push_str(&format!("<{tag}>{}</{tag}>", escape(&content)));
                i = end + open;
                continue;
            }
        }
        plain.push(c);
        i += 1;
    }
    flush(&mut plain, &mut out);
    out
}

/// The position of `marker` at or after `from`.
fn find(chars: &[char], from: usize, marker: &str) -> Option<usize> {
    let marker: Vec<char> = marker.chars().collect();
    (from..chars.len()).find(|&j| chars[j..].starts_with(&marker))
}

/// A `:role:` (also `:py:func:`) at `start`: its last name and the index after it.
fn role_at(chars: &[char], start: usize) -> Option<(String, usize)> {
    let mut j = start + 1;
    let mut role = String::new();
    while j < chars.len() && (chars[j].is_alphanumeric() || matches!(chars[j], ':' | '-' | '_')) {
        if chars[j] == ':' && chars.get(j + 1) == Some(&'`') {
            return (!role.is_empty())
                .then(|| (role.rsplit(':').next().unwrap_or(&role).to_string(), j + 1));
        }
        role.push(chars[j]);
        j += 1;
    }
    None
}

/// `` `text <url>`_ `` (or a bare `` `name`_ ``).
fn hyperlink(content: &str) -> String {
    if let Some((text, rest)) = content.rsplit_once('<')
        && let Some(url) = rest.strip_suffix('>')
        && (url.starts_with("https://") || url.starts_with("http://"))
    {
        let text = if text.trim().is_empty() {
            url
        } else {
            text.trim()
        };
        return format!(
            "<a class=\"external\" href=\"{}\">{}</a>",
            escape(url),
            escape(text)
        );
    }
    escape(content)
}

/// A cross-reference (`name`, `text <name>`, `~a.b`, `!name`), linked when it resolves.
fn reference(content: &str, role: Option<&str>, link: Linker<'_>) -> String {
    let (shown, target) = match content.rsplit_once('<') {
        Some((text, rest)) if rest.ends_with('>') && !text.trim().is_empty() => (
            text.trim().to_string(),
            rest.trim_end_matches('>').to_string(),
        ),
        _ => {
            let target = content.trim_start_matches('!').to_string();
            let shown = match target.strip_prefix('~') {
                Some(rest) => rest.rsplit('.').next().unwrap_or(rest).to_string(),
                None => target.clone(),
            };
            (shown, target.trim_start_matches('~').to_string())
        }
    };
    let is_code = role.is_some_and(|r| {
        matches!(
            r,
            "func" | "meth" | "class" | "attr" | "mod" | "data" | "obj" | "exc" | "const" | "py"
        )
    });
    if let Some(role) = role
        && !is_code
    {
        // `:ref:`, `:doc:`, `:term:`… point into prose docs this build does not have.
        return format!(
            "<span class=\"xref {}\">{}</span>",
            escape(role),
            escape(&shown)
        );
    }
    let shown_html = format!("<code class=\"xref\">{}</code>", escape(&shown));
    match link(&target) {
        Some(url) => format!(
            "<a class=\"reference\" href=\"{}\">{shown_html}</a>",
            escape(&url)
        ),
        None if role.is_none() && !looks_like_name(&target) => {
            format!("<cite>{}</cite>", escape(&shown))
        }
        None => shown_html,
    }
}

fn looks_like_name(text: &str) -> bool {
    !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '.' | '(' | ')'))
}

/// Python keywords shown as keywords in examples.
const KEYWORDS: &[&str] = &[
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue",
    "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import",
    "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while",
    "with", "yield",
];

/// A doctest session as highlighted HTML: prompts, keywords, strings, numbers, comments and
/// output each in their own span.
pub fn highlight_doctest(text: &str) -> String {
    let mut out = String::new();
    for (index, line) in text.split('\n').enumerate() {
        if index > 0 {
            out.push('\n');
        }
        let (prompt, code) = if let Some(code) = line.trim_start().strip_prefix(">>>") {
            (">>>", code)
        } else if let Some(code) = line
            .trim_start()
            .strip_prefix("...")
            .filter(|_| line.trim_start() != "...")
        {
            ("...", code)
        } else {
            out.push_str(&format!("<span class=\"go\">{}</span>", escape(line)));
            continue;
        };
        out.push_str(&format!("<span class=\"gp\">{}</span>", escape(prompt)));
        out.push_str(&highlight_python(code));
    }
    out
}

/// One line of Python source, highlighted.
fn highlight_python(code: &str) -> String {
    let chars: Vec<char> = code.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '#' {
            let rest: String = chars[i..].iter().collect();
            out.push_str(&format!("<span class=\"c\">{}</span>", escape(&rest)));
            break;
        }
        if c == '"' || c == '\'' {
            let mut j = i + 1;
            while j < chars.len() && chars[j] != c {
                if chars[j] == '\\' {
                    j += 1;
                }
                j += 1;
            }
            let end = (j + 1).min(chars.len());
            let literal: String = chars[i..end].iter().collect();
            out.push_str(&format!("<span class=\"s\">{}</span>", escape(&literal)));
            i = end;
            continue;
        }
        if c.is_ascii_digit()
            && (i == 0 || !(chars[i - 1].is_alphanumeric() || chars[i - 1] == '_'))
        {
            let mut j = i;
            while j < chars.len()
                && (chars[j].is_ascii_alphanumeric() || chars[j] == '.' || chars[j] == '_')
            {
                j += 1;
            }
            let number: String = chars[i..j].iter().collect();
            out.push_str(&format!("<span class=\"m\">{}</span>", escape(&number)));
            i = j;
            continue;
        }
        if c.is_alphabetic() || c == '_' {
            let mut j = i;
            while j < chars.len() && (chars[j].is_alphanumeric() || chars[j] == '_') {
                j += 1;
            }
            let word: String = chars[i..j].iter().collect();
            if KEYWORDS.contains(&word.as_str()) {
                out.push_str(&format!("<span class=\"k\">{word}</span>"));
            } else {
                out.push_str(&escape(&word));
            }
            i = j;
            continue;
        }
        out.push_str(&escape(&c.to_string()));
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<String> {
        text.split('\n').map(str::to_string).collect()
    }

    fn linker(name: &str) -> Option<String> {
        (name == "numpy.sum" || name == "sum").then(|| "numpy.sum.html".to_string())
    }

    #[test]
    fn inline_markup() {
        let html = inline(
            "Use ``x < 1`` with *care*, **really**, see `sum` and :func:`numpy.sum`, `site <https://numpy.org>`_ and `unknown thing`.",
            &linker,
        );
        assert!(
            html.contains("<code class=\"literal\">x &lt; 1</code>"),
            "{html}"
        );
        assert!(
            html.contains("<em>care</em>") && html.contains("<strong>really</strong>"),
            "{html}"
        );
        assert!(
            html.contains(
                "<a class=\"reference\" href=\"numpy.sum.html\"><code class=\"xref\">sum</code></a>"
            ),
            "{html}"
        );
        assert!(
            html.contains("href=\"numpy.sum.html\"><code class=\"xref\">numpy.sum</code>"),
            "{html}"
        );
        assert!(
            html.contains("<a class=\"external\" href=\"https://numpy.org\">site</a>"),
            "{html}"
        );
        assert!(html.contains("<cite>unknown thing</cite>"), "{html}");
    }

    #[test]
    fn blocks_lists_literals_directives_and_math() {
        let html = to_html(
            &lines(
                "Para one\ncontinues.\n\n- a\n- b\n  more\n\n1. x\n2. y\n\nCode::\n\n    x = 1\n\n.. versionadded:: 1.2.0\n\n.. math:: \\frac{1}{N}\n\n>>> x = 'a' # c\n1\n\n.. [1] A book.",
            ),
            &linker,
        );
        assert!(html.contains("<p>Para one\ncontinues.</p>"), "{html}");
        assert!(
            html.contains("<ul><li>a</li><li>b\nmore</li></ul>"),
            "{html}"
        );
        assert!(html.contains("<ol><li>x</li><li>y</li></ol>"), "{html}");
        assert!(
            html.contains("<p>Code:</p><pre><code>x = 1</code></pre>"),
            "{html}"
        );
        assert!(html.contains("Added in version 1.2.0."), "{html}");
        assert!(html.contains("<div class=\"math\"><math"), "{html}");
        assert!(html.contains("<mfrac>"), "{html}");
        assert!(html.contains("<span class=\"gp\">&gt;&gt;&gt;</span> x = <span class=\"s\">&#39;a&#39;</span> <span class=\"c\"># c</span>\n<span class=\"go\">1</span>"), "{html}");
        assert!(
            html.contains("<span class=\"label\">[1]</span> A book."),
            "{html}"
        );
    }

    #[test]
    fn text_is_always_escaped() {
        let html = to_html(&lines("<script>alert(1)</script> `<b>`"), &linker);
        assert!(
            !html.contains("<script>") && !html.contains("<b>"),
            "{html}"
        );
    }
}

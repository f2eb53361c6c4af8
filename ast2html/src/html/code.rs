//! Code blocks and inline code: the shared highlighter's tokens as pandoc's
//! `sourceCode` markup, with line anchors and numbers.

#[allow(unused_imports, reason = "the writer's imports, shared by its parts")]
use super::*;

impl Writer<'_> {
    pub(super) fn write_code_block(&mut self, out: &mut String, attr: &Attr, code: &str) {
        // Pandoc counts every code block without an id, highlighted or not,
        // for the `cbN` ids.
        if attr.id.is_empty() {
            self.code_blocks += 1;
        }
        let syntax = self
            .opts
            .highlight_style
            .and_then(|_| find_language(&attr.classes));
        let number_lines = attr.has_class("numberLines") || attr.has_class("number-lines");
        if syntax.is_none() && !number_lines {
            out.push_str("<pre");
            self.write_attr(out, attr);
            // The block scrolls sideways when a line is longer than the
            // page: a keyboard reaches it (WCAG 2.1.1), as on GitHub.
            write_scroll_tabindex(out, attr);
            out.push_str("><code>");
            escape(out, code, Context::Code);
            out.push_str("</code></pre>");
            return;
        }
        let id = if attr.id.is_empty() {
            format!("cb{}", self.code_blocks)
        } else {
            attr.id.clone()
        };
        let lines: Vec<Vec<Token<'_>>> =
            match syntax.map(|language| self.highlighter.highlight(code, &language)) {
                Some(Ok(lines)) => lines,
                Some(Err(message)) => {
                    self.warn(format!("code block {id} left unhighlighted: {message}"));
                    code.split('\n')
                        .map(|l| vec![(TokenType::Normal, l)])
                        .collect()
                }
                None => code
                    .split('\n')
                    .map(|l| vec![(TokenType::Normal, l)])
                    .collect(),
            };
        // The line ids count from it too, numbered or not, as in pandoc.
        let start = self.first_line_number(attr, &id, lines.len());
        out.push_str("<div class=\"sourceCode\" id=\"");
        escape(out, &id, Context::Attribute);
        out.push('"');
        self.write_key_values(out, attr, &["id", "class"]);
        // The div is what scrolls (see the plain block above).
        write_scroll_tabindex(out, attr);
        out.push_str("><pre class=\"sourceCode");
        if number_lines {
            out.push_str(" numberSource");
        }
        for class in &attr.classes {
            out.push(' ');
            escape(out, class, Context::Attribute);
        }
        out.push_str("\"><code class=\"sourceCode");
        if let Some(language) = syntax {
            out.push(' ');
            escape(out, language.name, Context::Attribute);
        }
        out.push('"');
        if number_lines && start != 1 {
            // `first_line_number` keeps `start - 1` in range.
            let _ = write!(out, " style=\"counter-reset: source-line {};\"", start - 1);
        }
        out.push('>');
        for (i, tokens) in lines.iter().enumerate() {
            if i > 0 {
                out.push('\n');
            }
            let mut line_id = String::new();
            escape(&mut line_id, &id, Context::Attribute);
            // In range: `first_line_number` checked the last line's number.
            let _ = write!(line_id, "-{}", start + i as i64);
            // The anchor (its number drawn by the stylesheet) is a link for
            // the mouse, kept out of the tab order and of the accessibility
            // tree: numbered or not, a screen reader would meet one empty
            // link a line (pandoc hides them only in unnumbered blocks).
            let _ = write!(
                out,
                "<span id=\"{line_id}\"><a href=\"#{line_id}\" aria-hidden=\"true\" tabindex=\"-1\"></a>"
            );
            write_tokens(out, tokens, Context::Code);
            out.push_str("</span>");
        }
        out.push_str("</code></pre></div>");
    }

    /// The number of a highlighted code block's first line: its `startFrom`
    /// (or `start-from`), 1 when it has none, or (with a warning) when it is
    /// not a number or numbering `lines` lines from it would overflow.
    pub(super) fn first_line_number(&mut self, attr: &Attr, id: &str, lines: usize) -> i64 {
        let Some(value) = attr.get("startFrom").or_else(|| attr.get("start-from")) else {
            return 1;
        };
        let Ok(start) = value.trim().parse::<i64>() else {
            self.warn(format!(
                "code block {id}: startFrom {} is not a number: numbering starts at 1",
                quote(value)
            ));
            return 1;
        };
        let last = i64::try_from(lines)
            .ok()
            .and_then(|n| start.checked_add(n - 1));
        if last.is_none() || start.checked_sub(1).is_none() {
            self.warn(format!(
                "code block {id}: startFrom {start} is out of range: numbering starts at 1"
            ));
            return 1;
        }
        start
    }

    pub(super) fn write_code(&mut self, out: &mut String, attr: &Attr, code: &str) {
        let syntax = self
            .opts
            .highlight_style
            .and_then(|_| find_language(&attr.classes));
        if let Some(language) = syntax {
            if let Ok(lines) = self.highlighter.highlight(code, &language) {
                out.push_str("<code");
                if !attr.id.is_empty() {
                    out.push_str(" id=\"");
                    escape(out, &attr.id, Context::Attribute);
                    out.push('"');
                }
                out.push_str(" class=\"sourceCode");
                for class in &attr.classes {
                    out.push(' ');
                    escape(out, class, Context::Attribute);
                }
                out.push('"');
                let own: &[&str] = if attr.id.is_empty() {
                    &["class"]
                } else {
                    &["id", "class"]
                };
                self.write_key_values(out, attr, own);
                out.push('>');
                for (i, tokens) in lines.iter().enumerate() {
                    if i > 0 {
                        out.push('\n');
                    }
                    write_tokens(out, tokens, Context::Text);
                }
                out.push_str("</code>");
                return;
            }
        }
        out.push_str("<code");
        self.write_attr(out, attr);
        out.push('>');
        escape(out, code, Context::Text);
        out.push_str("</code>");
    }
}

/// `tabindex="0"` on the element of a code block that scrolls, unless the
/// document gives the block a `tabindex` of its own.
fn write_scroll_tabindex(out: &mut String, attr: &Attr) {
    if attr.get("tabindex").is_none() {
        out.push_str(" tabindex=\"0\"");
    }
}

/// Highlighted tokens; `context` is `Code` in blocks, `Text` in inline code,
/// as pandoc escapes them.
pub(super) fn write_tokens(out: &mut String, tokens: &[Token<'_>], context: Context) {
    for (kind, text) in tokens {
        match kind.class() {
            Some(class) => {
                let _ = write!(out, "<span class=\"{class}\">");
                escape(out, text, context);
                out.push_str("</span>");
            }
            None => escape(out, text, context),
        }
    }
}

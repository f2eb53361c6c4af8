//! Code blocks: the shared highlighter's tokens as pandoc's `\XTok{...}`
//! macros in a fancyvrb `Highlighting` environment.

#[allow(unused_imports, reason = "the writer's imports, shared by its parts")]
use super::*;

impl Writer<'_> {
    pub(super) fn code_block(&mut self, attr: &Attr, code: &str) {
        if self.in_note {
            self.verbatim_in_note = true;
        }
        if !attr.id.is_empty() {
            self.anchor(&attr.id);
            self.out.push_str("%\n");
        }
        let mut options = Vec::new();
        // fancyvrb's environment is one more list: at LaTeX's limit it
        // would stop with "Too deeply nested"; `resetmargins` starts it anew.
        if self.list_depth >= MAX_LIST_DEPTH {
            self.warn(format!(
                "code block inside {} nested lists and quotes: LaTeX allows {MAX_LIST_DEPTH}, written at the left margin",
                self.list_depth
            ));
            options.push("resetmargins=true".to_string());
        }
        if attr.has_class("numberLines") || attr.has_class("number-lines") {
            options.push("numbers=left".to_string());
            if let Some(start) = attr.get("startFrom").or_else(|| attr.get("start-from")) {
                let parsed = match start.trim().parse::<i64>() {
                    Ok(n) => Some(n),
                    Err(e) => match e.kind() {
                        IntErrorKind::PosOverflow => Some(i64::MAX),
                        IntErrorKind::NegOverflow => Some(i64::MIN),
                        _ => None,
                    },
                };
                match parsed {
                    Some(n) => {
                        let lines = i64::try_from(code.lines().count()).unwrap_or(TEX_INT_MAX);
                        let first = match tex_start(n, lines) {
                            Some(first) => {
                                self.warn(format!(
                                    "code block startFrom=\"{start}\": TeX numbers stop at \u{b1}{TEX_INT_MAX}, numbered from {first}"
                                ));
                                first
                            }
                            None => n,
                        };
                        options.push(format!("firstnumber={first}"));
                    }
                    None => self.warn(format!(
                        "code block startFrom=\"{start}\" is not a number: numbering starts at 1"
                    )),
                }
            }
        }
        // The first class that names a known language, as pandoc takes it.
        let mut body = String::new();
        let language = self
            .options
            .highlight_style
            .and_then(|_| highlight::find_language(&attr.classes));
        let highlighted = match language.map(|l| self.highlighter.highlight(code, &l)) {
            Some(Ok(lines)) => {
                highlight::write_lines(&lines, &mut body);
                true
            }
            _ => false,
        };
        if !highlighted && self.options.highlight_style.is_some() {
            let first = attr
                .classes
                .iter()
                .find(|c| !writer_support::highlight::is_code_option_class(c));
            if let Some(first) = first {
                self.warn(format!(
                    "no syntax highlighting for language \"{first}\": code block written plain"
                ));
            }
        }
        if !highlighted {
            escape(code, Context::Verbatim, &mut body);
        }
        self.out.push_str("\\begin{Shaded}\n\\begin{Highlighting}");
        if !options.is_empty() {
            let _ = write!(self.out, "[{}]", options.join(","));
        }
        self.out.push('\n');
        self.out.push_str(&body);
        if !body.ends_with('\n') {
            self.out.push('\n');
        }
        self.out.push_str("\\end{Highlighting}\n\\end{Shaded}\n");
    }
}

//! One diagnostic type for every stage (filters and writers), and one way
//! to print them: each distinct message once, in order of first
//! appearance, with how many times it came (`(3 times)`).

use std::fmt;
use std::io::Write as _;

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// Information (a filter skipped because of the document's `lang`).
    Note,
    /// Something the output may lose (raw TeX left for an HTML target, math
    /// shown as TeX).
    Warning,
    /// A typography problem found by `ast-filters --check`.
    Problem,
}

/// One message about the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// The part of the stage that found it: a filter (`french-spacing`,
    /// `raw-tex`), `options` for the options read from the metadata; empty
    /// for a writer, which is the stage itself.
    pub filter: &'static str,
    /// Where: `section "Introduction"`, `metadata field "author"`, `before
    /// the first heading`; `None` for the whole document (or when the
    /// message says it).
    pub place: Option<String>,
    pub message: String,
}

impl Diagnostic {
    /// A writer's warning: the message says what and where.
    pub fn warning(message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            filter: "",
            place: None,
            message: message.into(),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let severity = match self.severity {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Problem => "problem",
        };
        write!(f, "{severity}: ")?;
        if !self.filter.is_empty() {
            write!(f, "{}: ", self.filter)?;
        }
        if let Some(place) = &self.place {
            write!(f, "{place}: ")?;
        }
        f.write_str(&self.message)
    }
}

/// Diagnostics gathered to be printed once each, with their count.
#[derive(Debug, Default)]
pub struct Diagnostics {
    /// Distinct lines in order of first appearance, and their counts.
    lines: Vec<(String, usize)>,
    index: std::collections::HashMap<String, usize>,
}

impl Diagnostics {
    /// Adds one diagnostic (anything displayed as `severity: message`).
    pub fn push(&mut self, diagnostic: impl fmt::Display) {
        let line = diagnostic.to_string();
        match self.index.get(&line) {
            Some(&i) => self.lines[i].1 += 1,
            None => {
                self.index.insert(line.clone(), self.lines.len());
                self.lines.push((line, 1));
            }
        }
    }

    /// The text printed for `stage`: one line per distinct diagnostic,
    /// `stage: severity: message`, with ` (N times)` when it came N > 1 times.
    pub fn render(&self, stage: &str) -> String {
        let mut text = String::new();
        for (line, n) in &self.lines {
            text.push_str(stage);
            text.push_str(": ");
            text.push_str(line);
            if *n > 1 {
                text.push_str(&format!(" ({n} times)"));
            }
            text.push('\n');
        }
        text
    }

    /// Prints them on stderr, in one write.
    pub fn print(&self, stage: &str) {
        let _ = std::io::stderr()
            .lock()
            .write_all(self.render(stage).as_bytes());
    }
}

/// Prints `diagnostics` on stderr for `stage`, each distinct one once with
/// its count.
pub fn print_diagnostics<T: fmt::Display>(stage: &str, diagnostics: impl IntoIterator<Item = T>) {
    let mut all = Diagnostics::default();
    for d in diagnostics {
        all.push(d);
    }
    all.print(stage);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_diagnostics_are_printed_once_with_their_count() {
        let mut all = Diagnostics::default();
        all.push(Diagnostic::warning("a"));
        all.push(Diagnostic {
            severity: Severity::Problem,
            filter: "french-spacing",
            place: Some("section \"Intro\"".into()),
            message: "b".into(),
        });
        all.push(Diagnostic::warning("a"));
        all.push(Diagnostic::warning("a"));
        assert_eq!(
            all.render("stage"),
            "stage: warning: a (3 times)\nstage: problem: french-spacing: section \"Intro\": b\n"
        );
    }
}

//! `--check` with positions and `--fix`: the problems placed in the
//! Markdown files, printed as a compiler prints them, or fixed there.
//!
//! A fix changes only the bytes of a problem: a run of spaces (at most one
//! line break) becomes the no-break space, a missing one is inserted,
//! straight double quotes become guillemets. Before anything is written,
//! each change is checked against the file as it is now: the text the
//! positions point at must be there (a space, the `Str` after it, the
//! quote marks). A file where it is not has changed since `md2ast` read
//! it and is left alone, with a message; so is a file that changes while
//! it is being fixed. Files are replaced atomically (a temporary file
//! renamed over them), with their mode kept.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::Path;

use ast::sourcepos::{match_source, LineIndex};
use ast::Error;

use crate::located::{Change, SourceSpot};
use crate::text::NBSP;

/// How `--fix` writes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FixOptions {
    /// Print a unified diff on stdout instead of writing the files.
    pub diff: bool,
    /// Write pandoc's escaped space `\ ` for U+00A0 (ASCII sources).
    pub escaped_nbsp: bool,
    /// Insert missing spaces too (`typography.add-missing`).
    pub add_missing: bool,
}

/// What `--check` or `--fix` found and did.
#[derive(Debug, Default)]
pub struct Outcome {
    /// One line each, for stderr (`file:line:col: warning: ...`, or what
    /// was fixed, or why not).
    pub messages: Vec<String>,
    /// The unified diff (`--fix --diff`).
    pub diff: String,
    /// Problems found (`--check`), or left unfixed (`--fix`).
    pub problems: usize,
    /// Changes made (or shown, with `--diff`).
    pub fixed: usize,
}

/// A file read once, to place and check changes.
struct SourceFile {
    text: String,
    lines: LineIndex,
}

impl SourceFile {
    fn read(path: &str) -> Result<SourceFile, String> {
        let bytes = std::fs::read(path).map_err(|e| format!("cannot read it: {e}"))?;
        let text = String::from_utf8(bytes).map_err(|_| "it is not UTF-8".to_string())?;
        let lines = LineIndex::new(&text);
        Ok(SourceFile { text, lines })
    }

    fn offset(&self, point: (usize, usize)) -> Option<usize> {
        self.lines.offset(&self.text, point)
    }
}

/// The files of the spots, read once each, in the order first met.
fn read_files(spots: &[SourceSpot]) -> (Vec<String>, HashMap<String, Result<SourceFile, String>>) {
    let mut order = Vec::new();
    let mut files = HashMap::new();
    for s in spots {
        if !s.path.is_empty() && !files.contains_key(&s.path) {
            order.push(s.path.clone());
            files.insert(s.path.clone(), SourceFile::read(&s.path));
        }
    }
    (order, files)
}

/// The exact point of a spot, read in its file when it can be (a `Str`'s
/// characters may not be one for one with its source: `--` for `–`).
fn exact_point(spot: &SourceSpot, file: Option<&SourceFile>) -> (usize, usize) {
    if let (
        Change::Insert {
            start, text, at, ..
        },
        Some(f),
    ) = (&spot.what, file)
    {
        if let Some(o) = f
            .offset(*start)
            .and_then(|s| str_offset(&f.text, s, text, *at))
        {
            return f.lines.line_col(&f.text, o);
        }
    }
    spot.point()
}

/// The source offset of byte `at` of `text`, a `Str` whose source starts at `start`.
fn str_offset(src: &str, start: usize, text: &str, at: usize) -> Option<usize> {
    let mut found = None;
    let end = match_source(src, start, text, |k, s| {
        if k == at {
            found = Some(s);
        }
    })?;
    if at == text.len() {
        return Some(end);
    }
    found
}

/// `--check`: each problem as `file:line:col: warning: message`, in the
/// order of the files and of the text.
pub fn check(spots: &[SourceSpot]) -> Outcome {
    let (order, files) = read_files(spots);
    let mut lines: Vec<(usize, (usize, usize), String)> = Vec::new();
    let mut unplaced = Vec::new();
    for s in spots {
        if let Change::Unplaced { text } = &s.what {
            unplaced.push(if text.is_empty() {
                format!("{}: warning: {}", s.path, s.message)
            } else if s.path.is_empty() {
                format!(
                    "ast-filters: warning: {} (no source position): \"{text}\"",
                    s.message
                )
            } else {
                format!(
                    "{}: warning: {} (not placed: the file changed since md2ast read it): \"{text}\"",
                    s.path, s.message
                )
            });
            continue;
        }
        let file = files.get(&s.path).and_then(|f| f.as_ref().ok());
        let (line, col) = exact_point(s, file);
        let rank = order.iter().position(|p| p == &s.path).unwrap_or(0);
        lines.push((
            rank,
            (line, col),
            format!("{}:{line}:{col}: warning: {}", s.path, s.message),
        ));
    }
    lines.sort();
    lines.dedup_by(|a, b| a.2 == b.2);
    let problems = lines.len() + unplaced.len();
    let mut messages: Vec<String> = lines.into_iter().map(|l| l.2).collect();
    messages.extend(unplaced);
    Outcome {
        messages,
        problems,
        ..Outcome::default()
    }
}

/// One change in a file's bytes.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Edit {
    start: usize,
    end: usize,
    text: String,
}

/// Why a change cannot be made.
enum Refusal {
    /// The file does not hold what the positions say: it changed.
    Changed,
    /// The change cannot be written there (markup between the words).
    Cannot(String),
}

/// The space as written in the source.
fn written(space: char, opts: &FixOptions) -> String {
    if space == NBSP && opts.escaped_nbsp {
        "\\ ".into()
    } else {
        space.to_string()
    }
}

/// The edits of one spot in `f`, checked against its text.
fn edits_of(spot: &SourceSpot, f: &SourceFile, opts: &FixOptions) -> Result<Vec<Edit>, Refusal> {
    if let Some(why) = spot.unfixable {
        return Err(Refusal::Cannot(why.into()));
    }
    let text = &f.text;
    match &spot.what {
        Change::Space {
            from,
            to,
            space,
            next,
            prev,
        } => {
            let (s, e) = (
                f.offset(*from).ok_or(Refusal::Changed)?,
                f.offset(*to).ok_or(Refusal::Changed)?,
            );
            if let Some(next) = next {
                if match_source(text, e, next, |_, _| {}).is_none() {
                    return Err(Refusal::Changed);
                }
            }
            let gap = text.get(s..e).ok_or(Refusal::Changed)?;
            if gap.is_empty() {
                return Err(Refusal::Changed);
            }
            if !gap
                .bytes()
                .all(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
            {
                return Err(Refusal::Cannot(format!(
                    "markup between the words ({:?}): fix it by hand",
                    crate::text::clip(gap, 20, false)
                )));
            }
            if gap.matches('\n').count() > 1 {
                return Err(Refusal::Changed);
            }
            // The space joins two lines: the line after them must not be a
            // line of `=` or `-`, which under a single line makes a heading.
            if gap.contains('\n') {
                let after = text[e..].split_once('\n').map_or("", |(_, rest)| rest);
                let next_line = after.lines().next().unwrap_or("").trim();
                if !next_line.is_empty()
                    && (next_line.bytes().all(|c| c == b'=')
                        || next_line.bytes().all(|c| c == b'-'))
                {
                    return Err(Refusal::Cannot(
                        "joining the two lines would make a heading of them (the next line is a rule)"
                            .into(),
                    ));
                }
            }
            let mut edits = vec![Edit {
                start: s,
                end: e,
                text: written(*space, opts),
            }];
            // A literal emphasis mark in the words beside the space
            // (`mot* ;`) could open or close emphasis once the space is a
            // no-break one: escaped.
            let bytes = text.as_bytes();
            let mut escape = |start: usize, word: &str| {
                let mut marks = Vec::new();
                match_source(text, start, word, |k, o| {
                    if matches!(word.as_bytes()[k], b'*' | b'_')
                        && bytes[o] == word.as_bytes()[k]
                        && !(o > 0 && bytes[o - 1] == b'\\')
                    {
                        marks.push(o);
                    }
                });
                for o in marks {
                    edits.push(Edit {
                        start: o,
                        end: o + 1,
                        text: format!("\\{}", bytes[o] as char),
                    });
                }
            };
            if let Some((word, start)) = prev {
                if let Some(o) = f.offset(*start) {
                    escape(o, word);
                }
            }
            if let Some(word) = next {
                escape(e, word);
            }
            // A straight quote beside the space was read as a curly one
            // because of the space (`mot " ;`): beside a no-break space it
            // would be read the other way, so the reader's mark is written.
            let curly = |c: char| matches!(c, '\u{2018}' | '\u{2019}' | '\u{201c}' | '\u{201d}');
            if let (Some(c), Some(q @ (b'"' | b'\''))) = (
                prev.as_ref().and_then(|p| p.0.chars().next_back()),
                s.checked_sub(1).map(|b| text.as_bytes()[b]),
            ) {
                if curly(c) && (q == b'"') == matches!(c, '\u{201c}' | '\u{201d}') {
                    edits.push(Edit {
                        start: s - 1,
                        end: s,
                        text: c.to_string(),
                    });
                }
            }
            if let (Some(c), Some(q @ (b'"' | b'\''))) = (
                next.as_deref().and_then(|n| n.chars().next()),
                text.as_bytes().get(e).copied(),
            ) {
                if curly(c) && (q == b'"') == matches!(c, '\u{201c}' | '\u{201d}') {
                    edits.push(Edit {
                        start: e,
                        end: e + 1,
                        text: c.to_string(),
                    });
                }
            }
            Ok(edits)
        }
        Change::Insert {
            start,
            text: str_text,
            at,
            space,
        } => {
            let s = f.offset(*start).ok_or(Refusal::Changed)?;
            let o = str_offset(text, s, str_text, *at).ok_or(Refusal::Changed)?;
            Ok(vec![Edit {
                start: o,
                end: o,
                text: written(*space, opts),
            }])
        }
        Change::Quotes {
            start,
            end,
            open,
            close,
        } => {
            let (s, e) = (
                f.offset(*start).ok_or(Refusal::Changed)?,
                f.offset(*end).ok_or(Refusal::Changed)?,
            );
            let quoted = text.get(s..e).ok_or(Refusal::Changed)?;
            if quoted.len() < 2 || !quoted.starts_with('"') || !quoted.ends_with('"') {
                return Err(Refusal::Changed);
            }
            let esc = |t: &str| {
                if opts.escaped_nbsp {
                    t.replace(NBSP, "\\ ")
                } else {
                    t.to_string()
                }
            };
            // pandoc drops spaces before a closing quote (`"Il a dit "oui"`):
            // the guillemet takes their place.
            let inner = quoted[1..quoted.len() - 1].trim_end_matches([' ', '\t']);
            let close_start = s + 1 + inner.len();
            if inner.is_empty() {
                return Err(Refusal::Changed);
            }
            Ok(vec![
                Edit {
                    start: s,
                    end: s + 1,
                    text: esc(open),
                },
                Edit {
                    start: close_start,
                    end: e,
                    text: esc(close),
                },
            ])
        }
        // Placed in a file, but its words are not where md2ast saw them.
        Change::Unplaced { .. } | Change::Lost { .. } => Err(Refusal::Changed),
    }
}

/// `--fix`: changes the files (or, with `opts.diff`, prints what would change).
pub fn fix(spots: &[SourceSpot], opts: &FixOptions) -> Result<Outcome, Error> {
    let (order, files) = read_files(spots);
    let mut outcome = Outcome::default();
    let not_added = spots
        .iter()
        .filter(|s| s.missing && !opts.add_missing)
        .count();
    for s in spots {
        if let (Change::Unplaced { text }, true) = (&s.what, s.path.is_empty()) {
            outcome.problems += 1;
            outcome.messages.push(format!(
                "ast-filters: warning: {} (no source position, not fixed): \"{text}\"",
                s.message
            ));
        }
    }
    for path in &order {
        let f = match &files[path] {
            Ok(f) => f,
            Err(why) => {
                outcome.messages.push(format!("{path}: not fixed: {why}"));
                outcome.problems += spots.iter().filter(|s| &s.path == path).count();
                continue;
            }
        };
        let mut edits = Vec::new();
        let mut changed = false;
        for s in spots.iter().filter(|s| &s.path == path) {
            if s.missing && !opts.add_missing {
                continue;
            }
            match edits_of(s, f, opts) {
                Ok(e) => edits.extend(e),
                Err(Refusal::Changed) => changed = true,
                Err(Refusal::Cannot(why)) => {
                    let (line, col) = exact_point(s, Some(f));
                    outcome.problems += 1;
                    outcome.messages.push(format!(
                        "{path}:{line}:{col}: warning: {} (not fixed: {why})",
                        s.message
                    ));
                }
            }
        }
        if changed {
            outcome.problems += edits.len().max(1);
            outcome.messages.push(format!(
                "{path}: not fixed: the file changed since it was read (run md2ast --sourcepos \
                 again), or a filter changed the text of its blocks"
            ));
            continue;
        }
        edits.sort();
        edits.dedup();
        // Two changes of the same bytes (a figure's caption is its image's
        // text, read twice): the first stays.
        let mut kept: Vec<Edit> = Vec::with_capacity(edits.len());
        for e in edits {
            match kept.last() {
                Some(k) if e.start < k.end || (e.start == k.start && e.start == e.end) => {}
                _ => kept.push(e),
            }
        }
        if kept.is_empty() {
            continue;
        }
        let mut new = String::with_capacity(f.text.len() + 4 * kept.len());
        let mut from = 0;
        for e in &kept {
            new.push_str(&f.text[from..e.start]);
            new.push_str(&e.text);
            from = e.end;
        }
        new.push_str(&f.text[from..]);
        let n = kept.len();
        if opts.diff {
            outcome.diff.push_str(&unified_diff(path, &f.text, &new));
            outcome.fixed += n;
            continue;
        }
        // Read again just before the write: a file changed meanwhile stays.
        match std::fs::read(path) {
            Ok(now) if now == f.text.as_bytes() => {}
            _ => {
                outcome.problems += n;
                outcome.messages.push(format!(
                    "{path}: not fixed: the file changed while it was being fixed"
                ));
                continue;
            }
        }
        stage_cli::write_output(Some(Path::new(path)), |w| {
            w.write_all(new.as_bytes()).map_err(|source| Error::Output {
                path: path.into(),
                source,
            })
        })?;
        outcome.fixed += n;
        outcome
            .messages
            .push(format!("{path}: {n} fix{}", if n == 1 { "" } else { "es" }));
    }
    if not_added > 0 {
        outcome.messages.push(format!(
            "ast-filters: note: {not_added} missing space{} not added (typography.add-missing is \
             false; -M typography.add-missing=true adds them)",
            if not_added == 1 { "" } else { "s" }
        ));
    }
    Ok(outcome)
}

/// A unified diff of a file, as `diff -u` prints it (`a/` and `b/` paths).
fn unified_diff(path: &str, old: &str, new: &str) -> String {
    let diff = similar::TextDiff::from_lines(old, new);
    let mut out = String::new();
    let _ = write!(
        out,
        "{}",
        diff.unified_diff()
            .context_radius(3)
            .header(&format!("a/{path}"), &format!("b/{path}"))
    );
    out
}

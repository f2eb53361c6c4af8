//! Divs: fenced divs (`::: {.class}` ... `:::`) and HTML divs
//! (`<div>` ... `</div>`) whose content is read as Markdown.

use super::definition_list::def_marker;
use super::ir::B;
use super::list::list_start;
use super::references::{find_label_end, note_marker};
use super::scan::{quote_start, split_lines};
use super::{BlockParser, Ctx, MAX_DEPTH};
use crate::attr::{indent_of, is_blank, is_space, parse_attributes};
use ast::Attr;

impl BlockParser<'_> {
    pub(super) fn fenced_div(
        &mut self,
        lines: &[&str],
        i: usize,
        ctx: Ctx,
        out: &mut Vec<B>,
    ) -> Option<usize> {
        let line = lines[i];
        let b = line.as_bytes();
        let mut k = 0;
        while k < b.len() && b[k] == b':' {
            k += 1;
        }
        while k < b.len() && is_space(b[k]) {
            k += 1;
        }
        let rest = &line[k..];
        let (attr, used) = if let Some((a, n)) = parse_attributes(rest) {
            (a, n)
        } else {
            let n = rest.bytes().take_while(|&c| !is_space(c)).count();
            if n == 0 {
                return None;
            }
            (
                Attr {
                    classes: vec![rest[..n].to_string()],
                    ..Attr::default()
                },
                n,
            )
        };
        if !rest[used..]
            .trim_matches(|c| c == ' ' || c == '\t' || c == ':')
            .is_empty()
        {
            return None;
        }
        if self.depth > MAX_DEPTH {
            return None;
        }
        self.depth += 1;
        let inner = Ctx {
            div_level: ctx.div_level + 1,
            div_open: true,
            top: false,
            ..ctx
        };
        let open = self.html_open.len();
        let (blocks, end) = self.parse_lines(lines, i + 1, inner);
        self.html_open.truncate(open);
        self.depth -= 1;
        out.push(B::Div(attr, blocks));
        // pandoc 3 closes a div left open at the end of its container.
        Some((end + 1).min(lines.len()))
    }

    pub(super) fn html_div(
        &mut self,
        lines: &[&str],
        i: usize,
        ctx: Ctx,
        out: &mut Vec<B>,
    ) -> Option<usize> {
        // Indented four spaces, it is code.
        if indent_of(lines[i]) > 3 {
            return None;
        }
        let line = lines[i].trim_start_matches(' ');
        let lower = line.get(..4)?;
        if !lower.eq_ignore_ascii_case("<div") {
            return None;
        }
        if !matches!(
            line.as_bytes().get(4),
            Some(b'>' | b' ' | b'\t' | b'/') | None
        ) {
            return None;
        }
        // pandoc's `htmlTag`: attribute names must be names (`<div <>` is
        // no tag), quoted values may hold `>`, the tag may span lines.
        let (k, close, attr) = match crate::html::tag_len(line) {
            Some(n) => (
                i,
                lines[i].len() - line.len() + n,
                crate::html::tag_attr(&line[4..n - 1]),
            ),
            None => {
                const MAX_TAG_LINES: usize = 8;
                let end = lines.len().min(i + MAX_TAG_LINES);
                let mut joined = line.to_string();
                let mut found = None;
                for (k, l) in lines.iter().enumerate().take(end).skip(i + 1) {
                    joined.push('\n');
                    joined.push_str(l);
                    if let Some(n) = crate::html::tag_len(&joined) {
                        found = Some((k, n));
                        break;
                    }
                }
                let (k, n) = found?;
                let e = lines[k].len() - (joined.len() - n);
                (k, e, crate::html::tag_attr(&joined[4..n - 1]))
            }
        };
        // The div's content: the rest of the opener's line and the following lines.
        let mut inner: Vec<String> = Vec::new();
        let first_rest = &lines[k][close..];
        let mut depth = 1usize;
        let mut j = k;
        let mut piece = first_rest.to_string();
        let mut tail_at;
        // Text indented four spaces after the opener is code: a `</div>`
        // there closes nothing.
        let mut in_code = !is_blank(first_rest) && indent_of(first_rest) >= 4;
        // So is a line indented four spaces where a block starts (after
        // the opener's line or a blank line), and the indented or blank
        // lines after it: an indented code block.
        let mut at_block_start = is_blank(first_rest);
        let mut code_block = false;
        // The block the piece is in, as pandoc's parsers read on from the
        // opener: one taking its lines raw (a list item, a quote, a note, a
        // definition) takes a `</div>` after text as its own text.
        let mut raw_lines = RawLines::None;
        let mut starts_block = true;
        let mut had_text = false;
        // The line a `</div>` follows (an index in `inner`).
        let mut tail_line = None;
        // In a note's lines (pandoc's `rawLines` take any line after the
        // marker's, and the line after an empty marker line even blank).
        let mut in_note = false;
        let mut note_pending = false;
        // The lines of the current paragraph before this one and the depth
        // before them: a code span or TeX math may run over a line's end
        // and hold a `</div>`.
        let mut para = String::new();
        let mut para_depth = depth;
        loop {
            let code = in_code;
            if starts_block {
                para.clear();
                para_depth = depth;
            }
            let (d, at) = if in_code {
                (depth, None)
            } else {
                match scan_div_tags(&piece, depth, lines.get(j + 1..).unwrap_or(&[])) {
                    (_, Some(pos)) if !para.is_empty() && para.len() < 1 << 16 => {
                        let joined = format!("{para}\n{piece}");
                        match scan_div_tags(&joined, para_depth, lines.get(j + 1..).unwrap_or(&[]))
                        {
                            (d2, None) => (d2, None),
                            (d2, Some(p2)) if p2 > para.len() => (d2, Some(p2 - para.len() - 1)),
                            _ => (0, Some(pos)),
                        }
                    }
                    r => r,
                }
            };
            in_code = false;
            depth = d;
            let at_start = starts_block;
            if !code && !is_blank(&piece) {
                // The line as pandoc's parsers see it, up to the closer.
                let seen = match at {
                    Some(pos) => format!("{}</div>", &piece[..pos]),
                    None => piece.clone(),
                };
                raw_lines = if starts_block {
                    match raw_lines_start(&seen) {
                        // A definition after a blank line under its term.
                        RawLines::None if had_text && def_marker(&seen).is_some() => RawLines::List,
                        RawLines::None
                            if raw_lines == RawLines::List
                                && (indent_of(&piece) >= 2 || piece.starts_with('\t')) =>
                        {
                            RawLines::List
                        }
                        r => r,
                    }
                } else if raw_lines == RawLines::None && def_marker(&seen).is_some() {
                    RawLines::List
                } else {
                    raw_lines
                };
                if starts_block {
                    let note = note_marker(&seen).and_then(|(_, r)| r.strip_prefix(':'));
                    in_note = note.is_some();
                    note_pending = note.is_some_and(|r| r.trim().is_empty());
                } else {
                    note_pending = false;
                }
                starts_block = false;
                had_text = true;
            }
            // A reference definition takes the closer into its URL, or as a
            // URL in brackets (`</div>`), when nothing (no title) follows.
            let reference_takes = |pos: usize| {
                let url = piece[..pos].trim_end();
                let after = piece[pos + "</div>".len()..].trim_end();
                at_start
                    && reference_rest(url).is_some_and(|r| match r.trim() {
                        "" => after.is_empty(),
                        r => !r
                            .split([' ', '\t'])
                            .skip(1)
                            .any(|w| w.starts_with(['"', '\'', '('])),
                    })
            };
            if at.is_some_and(|pos| {
                // pandoc's closer check stands at the line's start: after
                // spaces, the closer is a list item's or a quote's text.
                (raw_lines != RawLines::None
                    && !piece[..pos].is_empty()
                    && (!at_start || !piece[..pos].trim().is_empty()))
                    || reference_takes(pos)
                    || (in_note && !at_start)
            }) {
                // Taken by the block: the div stays open.
                depth = 1;
            } else if let Some(pos) = at {
                let before = &piece[..pos];
                // A `</div>` at the start of the line ends a paragraph
                // before it; after indentation it does not.
                let blank_before = inner.last().is_some_and(|l| l.trim().is_empty());
                if before.is_empty() || (before.trim().is_empty() && blank_before) {
                    inner.push(String::new());
                    inner.push(String::new());
                } else if !before.trim().is_empty() {
                    // Spaces before the closer make no line break.
                    tail_line = Some(inner.len());
                    inner.push(before.trim_end_matches([' ', '\t']).to_string());
                }
                // What follows `</div>` on its line starts the next block.
                tail_at = pos + "</div>".len();
                if j == k {
                    tail_at += close;
                }
                break;
            }
            if !code && !is_blank(&piece) {
                if !para.is_empty() {
                    para.push('\n');
                }
                para.push_str(&piece);
            }
            inner.push(piece);
            j += 1;
            if self.depth > MAX_DEPTH {
                return None;
            }
            if j >= lines.len() {
                // pandoc 3 closes a div left open at the end of its
                // container; each level copies the rest, within a budget.
                if self.depth > 0 {
                    let copied: usize = inner.iter().map(|l| l.len() + 1).sum();
                    if copied > self.open_div_budget {
                        return None;
                    }
                    self.open_div_budget -= copied;
                }
                j -= 1;
                tail_at = lines[j].len();
                // The container's end ends its last paragraph as a `Para`.
                inner.push(String::new());
                break;
            }
            piece = lines[j].to_string();
            if is_blank(&piece) && note_pending {
                note_pending = false;
            } else if is_blank(&piece) {
                at_block_start = true;
                starts_block = true;
                in_note = false;
            } else {
                code_block = indent_of(&piece) >= 4 && (code_block || at_block_start);
                in_code = code_block;
                at_block_start = false;
            }
        }
        let mut text = inner.join("\n");
        drop(inner);
        if !text.ends_with('\n') {
            text.push('\n');
        }
        self.depth += 1;
        let sub = split_lines(&text);
        let inner_ctx = Ctx {
            html_div: 0,
            div_level: 0,
            top: false,
            ..ctx
        };
        // pandoc's `divHtml` sets the HTML block open to `div`.
        let open = self.html_open.len();
        self.html_open.push("div".into());
        let outer_tail = self.closer_tail;
        self.closer_tail = tail_line
            .and_then(|t| sub.get(t))
            .map(|l| l.as_ptr() as usize);
        let (blocks, _) = self.parse_lines(&sub, 0, inner_ctx);
        self.closer_tail = outer_tail;
        self.html_open.truncate(open);
        self.depth -= 1;
        out.push(B::Div(attr, blocks));
        Some(self.block_at_tail_as(lines, j, tail_at, true, ctx, out))
    }
}

/// The kind of block a line starts that takes its following lines raw.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum RawLines {
    None,
    /// A list item (continued by indented lines after a blank line).
    List,
    /// A block quote or a note.
    Other,
}

/// What block taking raw lines `l` (a line at a block's start) starts.
pub(super) fn raw_lines_start(l: &str) -> RawLines {
    let note = note_marker(l).is_some_and(|(_, r)| r.starts_with(':'));
    if list_start(l).is_some() {
        RawLines::List
    } else if quote_start(l).is_some() || note || is_fenced_div_opener(l) {
        RawLines::Other
    } else {
        RawLines::None
    }
}

/// After `[label]:` at a line's start (no note): the rest.
fn reference_rest(l: &str) -> Option<&str> {
    if indent_of(l) > 3 || note_marker(l).is_some() {
        return None;
    }
    let t = l.trim_start_matches(' ');
    if !t.starts_with('[') {
        return None;
    }
    t[find_label_end(t)? + 1..].strip_prefix(':')
}

/// `:::` and one word (a class, or a closer read as one).
fn is_fenced_div_opener(l: &str) -> bool {
    let Some(rest) = l.strip_prefix(":::") else {
        return false;
    };
    let rest = rest.trim_start_matches(':').trim_start_matches([' ', '\t']);
    let word = rest.trim_end_matches([' ', '\t', ':']);
    !word.is_empty() && !word.contains([' ', '\t'])
}

/// Finds `</div>` closing the div at `depth`, counting nested `<div`s
/// (tags, which may run over the line's end onto the lines `more`).
fn scan_div_tags(s: &str, mut depth: usize, more: &[&str]) -> (usize, Option<usize>) {
    let lower = s.to_ascii_lowercase();
    let mut i = 0;
    while let Some(p) = lower[i..].find(['<', '`', '$', '\\']) {
        let at = i + p;
        let rest = &lower[at..];
        if let Some(after) = rest.strip_prefix('\\') {
            i = at + 1 + after.chars().next().map_or(0, char::len_utf8);
            continue;
        }
        if rest.starts_with('`') {
            // A tag in a code span is code.
            i = crate::inline::atom_end(&lower, at, false)
                .unwrap_or(at + rest.bytes().take_while(|&c| c == b'`').count());
            continue;
        }
        if rest.starts_with('$') {
            // So is one in TeX math; a `$` opening none is text, the next
            // one may open some (`$$</div>$` is `$` and math).
            i = crate::inline::atom_end(&lower, at, true).unwrap_or(at + 1);
            continue;
        }
        if rest.starts_with("<div")
            && matches!(rest.as_bytes().get(4), Some(b'>' | b' ' | b'\t') | None)
            && is_tag_over_lines(&s[at..], more)
        {
            depth += 1;
        } else if rest.starts_with("</div>") {
            depth -= 1;
            if depth == 0 {
                return (0, Some(at));
            }
        }
        i = at + 1;
    }
    (depth, None)
}

/// Whether the `<div` starting `s` is a tag, on its line or running onto
/// the next lines (a few, not past a blank line).
fn is_tag_over_lines(s: &str, more: &[&str]) -> bool {
    if crate::html::tag_len(s).is_some() {
        return true;
    }
    if s.contains('>') {
        // A `>` on the line that ends no tag: none runs on.
        return false;
    }
    const MAX_TAG_LINES: usize = 8;
    let mut joined = s.to_string();
    for l in more.iter().take(MAX_TAG_LINES) {
        if is_blank(l) {
            break;
        }
        joined.push('\n');
        joined.push_str(l);
        if crate::html::tag_len(&joined).is_some() {
            return true;
        }
    }
    false
}

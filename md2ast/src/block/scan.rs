//! Line scanning: splitting the input into lines and recognising, from a
//! single line, what it starts or ends (rules, fences, quote markers, div
//! closers). List and definition markers are in their own modules.

use crate::attr::{indent_of, is_space};

/// Splits text into lines without their `\n`; a final newline adds no line.
pub(crate) fn split_lines(text: &str) -> Vec<&str> {
    let b = text.as_bytes();
    let mut lines = Vec::with_capacity(memchr::memchr_iter(b'\n', b).count() + 1);
    let mut start = 0;
    for end in memchr::memchr_iter(b'\n', b) {
        lines.push(&text[start..end]);
        start = end + 1;
    }
    if !text.ends_with('\n') {
        lines.push(&text[start..]);
    }
    lines
}

/// Removes up to `n` leading spaces.
pub(crate) fn strip_indent(line: &str, n: usize) -> &str {
    let k = indent_of(line).min(n);
    &line[k..]
}

pub(super) fn is_fence_start(l: &str) -> bool {
    let t = l.trim_start_matches(' ');
    indent_of(l) < 4 && (t.starts_with("```") || t.starts_with("~~~"))
}

pub(super) fn quote_start(l: &str) -> Option<&str> {
    let ind = indent_of(l);
    if ind > 3 {
        return None;
    }
    let rest = l[ind..].strip_prefix('>')?;
    Some(rest.strip_prefix(' ').unwrap_or(rest))
}

pub(crate) fn is_hrule(l: &str) -> bool {
    let t = l.trim_start_matches(' ');
    if indent_of(l) > 3 {
        return false;
    }
    let Some(&c) = t.as_bytes().first() else {
        return false;
    };
    if !matches!(c, b'*' | b'-' | b'_') {
        return false;
    }
    let mut n = 0;
    for b in t.bytes() {
        if b == c {
            n += 1;
        } else if !is_space(b) {
            return false;
        }
    }
    n >= 3
}

pub(super) fn is_div_fence_end(l: &str) -> bool {
    l.starts_with(":::") && l.bytes().all(|b| b == b':' || is_space(b))
}

pub(super) fn is_html_div_close(l: &str) -> bool {
    l.trim().eq_ignore_ascii_case("</div>")
}

/// The last line of the text that starts at `lines[i][from..]` when code
/// spans and TeX math (with `math`) are read as pandoc reads them, whole:
/// one opened on the line and closed on a later one (before a blank line)
/// carries the text over, as in an ATX heading or a pipe-table row.
pub(crate) fn last_line_of_inlines(lines: &[&str], i: usize, from: usize, math: bool) -> usize {
    let first = &lines[i][from..];
    if !(first.contains('`') || (math && first.contains('$'))) {
        return i;
    }
    // The lines up to a blank one, joined (a short window: rows and
    // headings are short).
    const WINDOW: usize = 64;
    let mut end = i + 1;
    while end < lines.len() && end < i + WINDOW && !crate::attr::is_blank(lines[end]) {
        end += 1;
    }
    if end == i + 1 {
        return i;
    }
    let joined = lines[i..end].join("\n");
    let b = joined.as_bytes();
    let mut line_end = lines[i].len();
    let mut last = i;
    let mut p = from;
    while p < line_end {
        match b[p] {
            b'\\' => p += 1 + joined[p + 1..].chars().next().map_or(1, char::len_utf8),
            b'`' | b'$' => match crate::inline::atom_end(&joined, p, math) {
                Some(e) => {
                    p = e;
                    while p > line_end {
                        last += 1;
                        line_end += 1 + lines[last].len();
                    }
                }
                None => p += b[p..].iter().take_while(|&&c| c == b[p]).count(),
            },
            _ => p += 1,
        }
    }
    last
}

/// Whether `l` starts with the closing tag `</name>` (any case, spaces
/// allowed before `>`).
pub(super) fn is_closing_tag(l: &str, name: &str) -> bool {
    let Some(rest) = l.strip_prefix("</") else {
        return false;
    };
    rest.get(..name.len())
        .is_some_and(|n| n.eq_ignore_ascii_case(name))
        && rest[name.len()..]
            .trim_start_matches([' ', '\t', '\n'])
            .starts_with('>')
}

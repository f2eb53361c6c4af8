//! Note definitions (`[^label]: ...`) and reference link definitions
//! (`[label]: url "title"`).

use super::scan::is_div_fence_end;
use super::{BlockParser, Ctx, B};
use crate::attr::{indent_of, is_blank, parse_attributes};
use ast::Attr;

impl BlockParser<'_> {
    pub(super) fn note_block(
        &mut self,
        lines: &[&str],
        i: usize,
        ctx: Ctx,
        out: &mut Vec<B>,
    ) -> Option<usize> {
        let div_open = ctx.div_open;
        let line = lines[i];
        let (label, rest) = note_marker(line)?;
        // In a fenced div, a closing fence ends the definition's lines.
        let ends =
            |l: &str| is_blank(l) || note_marker(l).is_some() || (div_open && is_div_fence_end(l));
        let rest = rest.strip_prefix(':')?;
        let mut raw = String::new();
        let mut j = i + 1;
        // Nothing after the marker and no line after it, where pandoc's
        // text has no blank line either: no definition, text.
        if is_blank(rest) && j >= lines.len() && ctx.end_open {
            return None;
        }
        if is_blank(rest) && j < lines.len() {
            // pandoc's `optional blankline` then `anyLine`: with nothing
            // after the marker, the next line is the first, whatever it is.
            raw.push_str(indent_four(lines[j]));
            j += 1;
        } else {
            raw.push_str(indent_four(rest));
        }
        raw.push('\n');
        // Lines of the first paragraph (lazy), then indented continuations.
        while j < lines.len() && !ends(lines[j]) {
            raw.push_str(indent_four(lines[j]));
            raw.push('\n');
            j += 1;
        }
        loop {
            let mut k = j;
            while k < lines.len() && is_blank(lines[k]) {
                k += 1;
            }
            if k > j && k < lines.len() && indent_of(lines[k]) >= 4 {
                for _ in j..k {
                    raw.push('\n');
                }
                j = k;
                while j < lines.len() && !ends(lines[j]) {
                    raw.push_str(indent_four(lines[j]));
                    raw.push('\n');
                    j += 1;
                }
            } else {
                break;
            }
        }
        raw.push('\n');
        // pandoc parses the definition's text in place (`parseFromString'`),
        // with the state around it: in a list item, a list marker ends a
        // paragraph; in a fenced div, a closing fence does.
        let inner = Ctx {
            in_list: ctx.in_list,
            div_open,
            ..Ctx::default()
        };
        let blocks = self.parse_text(&raw, inner);
        // Only a note or a note reference in the text counts (`^[`, `[^`),
        // or raw TeX, which may define macros there.
        let counts = raw.contains('^') || raw.contains('\\');
        let index = self.col.note_defs.len();
        out.push(B::NoteDef(index, counts));
        self.col.note_defs.push(blocks);
        // The last definition of a label is the note (pandoc warns).
        self.col.notes.insert(label.to_string(), index);
        Some(j)
    }

    pub(super) fn reference_key(
        &mut self,
        lines: &[&str],
        i: usize,
        out: &mut Vec<B>,
    ) -> Option<usize> {
        let line = lines[i];
        let t = line.trim_start_matches(' ');
        // `[^label]:` is a note (tried before); `[^]:` or `[^ a]:` are no
        // notes but reference definitions.
        if indent_of(line) > 3 || !t.starts_with('[') || note_marker(line).is_some() {
            return None;
        }
        let close = find_label_end(t)?;
        // An empty label is one too (`[]: /u`, used by `[]`); one that
        // starts with `@` is a citation.
        let label = &t[1..close];
        if self.col.ext.citations && label_has_citation(label) {
            return None;
        }
        let rest = t[close + 1..].strip_prefix(':')?;
        let mut rest = rest.trim_start_matches([' ', '\t']).to_string();
        let mut j = i + 1;
        // The destination may be on the next line; without one it is empty.
        if rest.is_empty() {
            if let Some(n) = lines.get(j).filter(|n| !is_blank(n)) {
                rest = n.trim().to_string();
                j += 1;
            }
        }
        // `<url>`; a `<` never closed is read as the start of a plain URL.
        let angled = rest
            .strip_prefix('<')
            .and_then(|r| r.find('>').map(|e| (r, e)));
        let (url, after) = if let Some((r, e)) = angled {
            (r[..e].to_string(), r[e + 1..].to_string())
        } else {
            // pandoc takes no destination that starts with `[`, and reads
            // words up to a title, attributes or a bracketed label (`[b]`,
            // not an unclosed `[`) as the URL.
            // A label may close on a following line of the paragraph.
            let more: Vec<&str> = lines[j..]
                .iter()
                .take(MAX_LABEL_LINES)
                .take_while(|l| !is_blank(l))
                .copied()
                .collect();
            let label_at = |r: &str| {
                r.starts_with('[')
                    && !r.starts_with("[^")
                    && (find_label_end(r).is_some()
                        || (!more.is_empty()
                            && find_label_end(&format!("{r}\n{}", more.join("\n"))).is_some()))
            };
            if rest.starts_with('[') {
                return None;
            }
            // A title first (pandoc's `referenceTitle` parses there,
            // whatever follows it) or whole attributes: the URL is empty.
            let title_first = |r: &str| match r.chars().next() {
                Some('(') => paren_title_end(r).is_some(),
                Some(q @ ('"' | '\'')) => quoted_title_closes(r, q),
                _ => parse_attributes(r).is_some_and(|(_, n)| r[n..].trim().is_empty()),
            };
            let mut words: Vec<&str> = Vec::new();
            let mut r = rest.as_str();
            loop {
                r = r.trim_start_matches([' ', '\t']);
                if r.is_empty()
                    || (!words.is_empty() && (r.starts_with(['"', '\'', '(', '{']) || label_at(r)))
                    || (words.is_empty() && title_first(r))
                {
                    break;
                }
                let e = r.find([' ', '\t']).unwrap_or(r.len());
                words.push(&r[..e]);
                r = &r[e..];
            }
            (words.join(" "), r.to_string())
        };
        let mut after = after.trim().to_string();
        if after.is_empty() {
            if let Some(n) = lines.get(j) {
                let nt = n.trim();
                if nt.starts_with(['"', '\'', '(']) && !is_blank(n) {
                    after = nt.to_string();
                    j += 1;
                }
            }
        }
        let mut title = String::new();
        let mut attr = Attr::default();
        let mut url = url;
        let first_after = after.clone();
        let mut a = after.as_str();
        if let Some(q) = a.chars().next().filter(|c| matches!(c, '"' | '\'' | '(')) {
            let endq = if q == '(' { ')' } else { q };
            // The title ends at the quote after which only attributes (or
            // nothing) remain: a title may hold that quote, attributes too.
            let title_end = |body: &str| {
                body.match_indices(endq).map(|(e, _)| e).find(|&e| {
                    let rest = body[e + 1..].trim();
                    rest.is_empty()
                        || parse_attributes(rest).is_some_and(|(_, n)| rest[n..].trim().is_empty())
                })
            };
            // pandoc's title goes on over line ends (not a blank line).
            const MAX_TITLE_LINES: usize = 16;
            let mut e = title_end(&a[1..]);
            let mut k = j;
            // Only a title not closed on its line goes on (a quote that is
            // not before a letter or digit ends it).
            let closed_here = if q == '(' {
                paren_title_end(a).is_some()
            } else {
                quoted_title_closes(a, q)
            };
            while e.is_none()
                && !closed_here
                && k < lines.len().min(j + MAX_TITLE_LINES)
                && !is_blank(lines[k])
            {
                after.push('\n');
                after.push_str(lines[k].trim());
                k += 1;
                e = title_end(&after[1..]);
            }
            if let Some(e) = e {
                j = k;
                a = after.as_str();
                let body = &a[1..];
                // Its white space collapses to single spaces (`T.words`).
                title = crate::inline::unescape_and_decode(&body[..e])
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ");
                a = body[e + 1..].trim();
            } else if closed_here {
                // A title followed by more than attributes: no definition.
                return None;
            } else {
                // A quote never closed is no title: its words are the URL's.
                for w in first_after.split_whitespace() {
                    url.push(' ');
                    url.push_str(w);
                }
                a = "";
            }
        }
        // Attributes may come on the next line.
        if a.is_empty() {
            if let Some(n) = lines.get(j).map(|n| n.trim()) {
                if parse_attributes(n).is_some_and(|(_, len)| n[len..].trim().is_empty()) {
                    a = n;
                    j += 1;
                }
            }
        }
        if !a.is_empty() {
            let (at, n) = parse_attributes(a)?;
            if !a[n..].trim().is_empty() {
                return None;
            }
            attr = at;
        }
        let key = normalize_label(label);
        let url = crate::inline::escape_uri(&crate::inline::unescape_and_decode(&url));
        self.col.refs.insert(key, (url, title, attr));
        // Its citations (`[voir [@a]]`) are counted where it stands.
        if self.col.ext.citations && label.contains('@') {
            out.push(B::Counted(label.to_string()));
        }
        Some(j)
    }
}

/// The end of a title in balanced parentheses at the start of `r`
/// (pandoc's `charsInBalanced '(' ')'`, an empty one too).
fn paren_title_end(r: &str) -> Option<usize> {
    crate::inline::balanced_end(r.as_bytes(), 0, b'(', b')')
}

/// Whether a quoted title opens at the start of `r` and closes on its
/// line: pandoc's `quotedTitle` wants no space after the opening quote and
/// a closing one not before a letter or digit (`""` is an empty title).
fn quoted_title_closes(r: &str, q: char) -> bool {
    !r[1..].starts_with(char::is_whitespace)
        && r[1..].match_indices(q).any(|(p, _)| {
            !r[1 + p + 1..]
                .chars()
                .next()
                .is_some_and(char::is_alphanumeric)
        })
}

/// Lines a reference label after a URL is looked for on (pandoc reads a
/// label over line ends, not over a blank line).
const MAX_LABEL_LINES: usize = 8;

/// Whether a bracket's text reads as pandoc's `normalCite` (tried before
/// a reference definition, `notFollowedBy cite`): citations separated by
/// `;`, each a prefix without `;`, a key (`@key` not after a word) and a
/// suffix, with brackets nested in them skipped whole: a key inside them
/// is another citation, in the prefix (`[voir [@a]]` and `[@a; x]` are
/// no citations but labels).
fn label_has_citation(label: &str) -> bool {
    let b = label.as_bytes();
    // The end of a nested bracket group opening at `i`, or `i + 1`.
    let skip_group = |i: usize| find_label_end(&label[i..]).map_or(i + 1, |e| i + e + 1);
    let key_at = |i: usize| {
        b[i] == b'@'
            && (i == 0 || matches!(b[i - 1], b' ' | b'\t' | b'\n' | b'-' | b'[' | b'('))
            && b.get(i + 1)
                .is_some_and(|&c| c.is_ascii_alphanumeric() || c == b'_' || c == b'{' || c >= 0x80)
    };
    let mut i = 0;
    loop {
        // The prefix, up to the key.
        loop {
            match b.get(i) {
                None | Some(b';') => return false,
                Some(b'\\') => i += 2,
                Some(b'[') => i = skip_group(i),
                Some(_) if key_at(i) => break,
                Some(_) => i += 1,
            }
        }
        // The suffix, up to `;` (another citation) or the end.
        loop {
            match b.get(i) {
                None => return true,
                Some(b';') => {
                    i += 1;
                    break;
                }
                Some(b'\\') => i += 2,
                Some(b'[') => i = skip_group(i),
                Some(_) => i += 1,
            }
        }
    }
}

/// `[^label]` at the start of a line: the label and the rest.
pub(super) fn note_marker(l: &str) -> Option<(&str, &str)> {
    if indent_of(l) > 3 {
        return None;
    }
    let t = l.trim_start_matches(' ');
    let r = t.strip_prefix("[^")?;
    let e = r.find(']')?;
    let label = &r[..e];
    // No white space, `^` or `[` (as note references are read).
    if label.is_empty() || label.contains([' ', '\t', '^', '[']) {
        return None;
    }
    Some((label, &r[e + 1..]))
}

/// Index of the `]` ending a reference label starting with `[` at 0.
pub(super) fn find_label_end(t: &str) -> Option<usize> {
    let b = t.as_bytes();
    let mut depth = 0;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 1,
            b'[' => depth += 1,
            b']' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// Reference labels match case-insensitively with white space collapsed.
pub(crate) fn normalize_label(label: &str) -> String {
    let mut s = String::with_capacity(label.len());
    for w in label.split_whitespace() {
        if !s.is_empty() {
            s.push(' ');
        }
        s.push_str(&w.to_lowercase());
    }
    s
}

/// pandoc's `optional indentSpaces` before a note's line: four columns
/// go, fewer stay (`$a` then ` b$` keeps its space in the math).
fn indent_four(l: &str) -> &str {
    if indent_of(l) >= 4 {
        &l[4..]
    } else {
        l
    }
}

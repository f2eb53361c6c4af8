//! Bullet, ordered and example lists: their markers (pandoc's
//! `bulletListStart`, `orderedListStart`), items and looseness.

use super::definition_list::def_marker;
use super::ir::B;
use super::leaf::fenced_code;
use super::scan::{is_closing_tag, is_div_fence_end, is_fence_start, is_hrule};
use super::{BlockParser, Ctx, MAX_DEPTH};
use crate::attr::{indent_of, is_blank, is_space};
use ast::{ListAttributes, ListNumberDelim, ListNumberStyle};

impl BlockParser<'_> {
    pub(super) fn ordered_list(
        &mut self,
        lines: &[&str],
        i: usize,
        ctx: Ctx,
        out: &mut Vec<B>,
    ) -> Option<usize> {
        let (m, _) = ordered_start(lines[i], None)?;
        self.list(lines, i, ctx, Some(m), out)
    }

    /// Parses a bullet list (`ordered` is `None`) or an ordered list.
    pub(super) fn list(
        &mut self,
        lines: &[&str],
        i: usize,
        ctx: Ctx,
        ordered: Option<OrdMarker>,
        out: &mut Vec<B>,
    ) -> Option<usize> {
        let start_of = |l: &str| -> Option<usize> {
            match ordered {
                None => bullet_start(l),
                Some(m) => ordered_start(l, Some((m.style, m.delim))).map(|(_, n)| n),
            }
        };
        start_of(lines[i])?;
        if self.depth > MAX_DEPTH {
            return None;
        }
        let mut items: Vec<Vec<B>> = Vec::new();
        let mut loose = false;
        let mut example_start = 1;
        let mut j = i;
        while j < lines.len() {
            let Some(content_at) = start_of(lines[j]) else {
                break;
            };
            let example = ordered.is_some_and(|m| m.style == ListNumberStyle::Example);
            // pandoc applies the four-space rule to example lists: their
            // items continue at four columns, whatever the marker's width.
            let indent = if example { 4 } else { content_at };
            if example {
                // A label used again takes its first number (pandoc 3.9)
                // and numbers nothing new.
                self.col.example_markers += 1;
                let label = example_label(lines[j]);
                let n = match label.and_then(|l| self.col.examples.get(l)) {
                    Some(&n) => n,
                    None => {
                        self.col.example_count += 1;
                        let n = self.col.example_count;
                        if let Some(label) = label {
                            self.col.examples.insert(label.to_string(), n);
                            self.col
                                .example_ordinals
                                .insert(label.to_string(), self.col.example_markers);
                        }
                        n
                    }
                };
                if items.is_empty() {
                    example_start = n;
                }
            }
            // The item's lines are slices of the list's: a deep nesting of
            // lists copies no text at each level.
            let in_div = ctx.div_open;
            let html_closer = self.html_open.last().map(String::as_str);
            let (mut item, next) =
                list_item_lines(lines, j, content_at, indent, in_div, html_closer);
            j = next;
            let boxed;
            // pandoc boxes the item's first paragraph only: not the term
            // of a definition list or a setext heading's text.
            let next_is = |k: usize, f: &dyn Fn(&str) -> bool| item.get(k).is_some_and(|l| f(l));
            let def = |l: &str| super::definition_list::def_marker(l).is_some();
            // A setext underline or a table's rule (`===`, `---`, `|--|`).
            let setext = |l: &str| {
                let t = l.trim_end();
                // A rule of dashes alone starts the line (a pipe table's may not).
                if t.starts_with([' ', '\t']) && !t.contains('|') {
                    return false;
                }
                (!t.is_empty() && t.bytes().all(|c| c == b'='))
                    || (t.contains('-')
                        && t.bytes()
                            .all(|c| matches!(c, b'-' | b'|' | b':' | b'+' | b' ')))
            };
            // Dashes in groups (`- - -`, `-- --`) rule a simple table only
            // with a row under them.
            let grouped = |l: &str| l.trim().contains(' ') && !l.contains('|');
            // A grid border (`+---+`) under text is no rule.
            let border = |l: &str| l.trim_start().starts_with('+') && !l.contains('|');
            let not_para = next_is(1, &def)
                || (next_is(1, &|l: &str| is_blank(l)) && next_is(2, &def))
                || (next_is(1, &setext)
                    && !next_is(1, &border)
                    && (!next_is(1, &grouped) || next_is(2, &|l: &str| !is_blank(l))));
            if self.col.ext.task_lists && !not_para {
                if let Some(b) = task_marker(item[0]) {
                    boxed = b;
                    item[0] = &boxed;
                }
            }
            let end_open =
                !item.last().is_some_and(|l| is_blank(l)) && (j < lines.len() || ctx.end_open);
            let mut blocks = self.parse_item_lines(
                &item,
                Ctx {
                    in_list: true,
                    div_open: ctx.div_open,
                    end_open,
                    ..Ctx::default()
                },
            );
            // pandoc boxes the item's first block when it is a paragraph,
            // wherever it starts: after an empty marker line or a
            // reference definition too.
            if self.col.ext.task_lists && !not_para {
                let first = blocks
                    .iter_mut()
                    .find(|b| !matches!(b, B::NoteDef(..) | B::Counted(..)));
                if let Some(B::Para(t) | B::Plain(t)) = first {
                    if let Some(b) = task_marker(t) {
                        *t = b;
                    }
                }
            }
            let is_last = j >= lines.len() || start_of(lines[j]).is_none();
            // pandoc 3: a list is loose when blank lines separate its items
            // or the blocks of an item.
            // (A note definition is no block: the one before it may be last.)
            let last = blocks
                .iter()
                .rposition(|b| !matches!(b, B::NoteDef(..) | B::Counted(..)));
            let inner_para = blocks.iter().enumerate().any(|(k, b)| {
                matches!(b, B::Para(t) if !(self.col.ext.implicit_figures && is_figure(t)))
                    && !(is_last && Some(k) == last)
            });
            // A blank line after an item makes it loose only by making its
            // last paragraph a `Para` (after a nested list, it does not).
            if inner_para {
                loose = true;
            }
            items.push(blocks);
        }
        set_looseness(&mut items, loose);
        match ordered {
            None => out.push(B::BList(items)),
            Some(m) => {
                let style = if m.style == ListNumberStyle::DefaultStyle
                    && m.delim == ListNumberDelim::DefaultDelim
                    && !m.hash
                {
                    ListNumberStyle::Decimal
                } else {
                    m.style
                };
                let delim = if m.delim == ListNumberDelim::DefaultDelim && !m.hash {
                    ListNumberDelim::Period
                } else {
                    m.delim
                };
                out.push(B::OList(
                    ListAttributes {
                        start: if m.style == ListNumberStyle::Example {
                            example_start
                        } else {
                            m.start
                        },
                        style,
                        delim,
                    },
                    items,
                ));
            }
        }
        Some(j)
    }
}

/// Whether a paragraph's text is an image alone (`![alt](src)`, maybe
/// with attributes), which pandoc makes a figure: no `Para` that makes a
/// list loose.
fn is_figure(t: &str) -> bool {
    let t = t.trim();
    let Some(rest) = t.strip_prefix("![") else {
        return false;
    };
    // The alt text: brackets balanced, not empty.
    let b = rest.as_bytes();
    let (mut depth, mut k) = (1usize, 0usize);
    while k < b.len() {
        match b[k] {
            b'\\' => k += 1,
            b'[' => depth += 1,
            b']' => {
                depth -= 1;
                if depth == 0 {
                    break;
                }
            }
            b'\n' => return false,
            _ => {}
        }
        k += 1;
    }
    if k >= b.len() || rest[..k].trim().is_empty() {
        return false;
    }
    let Some(after) = rest[k + 1..].strip_prefix('(') else {
        return false;
    };
    // The target: no nested parentheses, no line end.
    let Some(close) = after.find(')') else {
        return false;
    };
    let target = &after[..close];
    if target.contains(['(', '\n', '<']) {
        return false;
    }
    let tail = after[close + 1..].trim_end();
    tail.is_empty()
        || (tail.starts_with('{') && tail.ends_with('}') && tail.matches('{').count() == 1)
}

/// The label of an example item `(@label)`, `@label.` or `@label)`.
fn example_label(l: &str) -> Option<&str> {
    let t = l.trim_start_matches(' ');
    let t = t.strip_prefix('(').unwrap_or(t);
    let rest = t.strip_prefix('@')?;
    let n = rest
        .bytes()
        .take_while(|&c| c.is_ascii_alphanumeric() || c == b'_' || c == b'-')
        .count();
    (n > 0).then(|| &rest[..n])
}

/// The first line of an item with its task-list box `[ ]` / `[x]`
/// replaced, if it starts with one.
pub(super) fn task_marker(first: &str) -> Option<String> {
    // pandoc finds the box in the item's text: escaped brackets are
    // brackets there (`\\[ ] d`).
    let inner = first
        .strip_prefix('[')
        .or_else(|| first.strip_prefix("\\["))?;
    let close = inner.find(']')?;
    // A box and nothing after it on its line is no task.
    let rest = inner[close + 1..].strip_prefix(' ')?;
    if rest.split('\n').next().unwrap_or("").trim().is_empty() {
        return None;
    }
    // Nor one before a block-level tag, which ends its paragraph there
    // (the box's space is trimmed off).
    if super::raw_html::is_block_tag_at(rest.trim_start_matches([' ', '\t'])) {
        return None;
    }
    let content = &inner[..close];
    let mark = match content.strip_suffix('\\').unwrap_or(content) {
        "x" | "X" => "\u{2612}",
        // Any white space in the box (`[ ]`, `[  ]`).
        b if !b.is_empty() && b.bytes().all(|c| c == b' ') => "\u{2610}",
        _ => return None,
    };
    Some(format!("{mark} {rest}"))
}

/// Loose lists hold `Para`s, tight ones `Plain`s (the items' own blocks).
fn set_looseness(items: &mut [Vec<B>], loose: bool) {
    for item in items.iter_mut() {
        for b in item.iter_mut() {
            match b {
                B::Plain(t) if loose => *b = B::Para(std::mem::take(t)),
                B::Para(t) if !loose => *b = B::Plain(std::mem::take(t)),
                _ => {}
            }
        }
    }
}

/// pandoc's `rawListItem` and `listContinuation`: the lines of a list item
/// starting at `lines[i]` whose content begins at column `content_at` and
/// continues at column `indent`, without that indentation (blank lines as
/// empty lines). In a fenced div (`in_div`), its closing fence ends the
/// item; elsewhere `:::` is text (an HTML div's content comes without its
/// `</div>`).
pub(super) fn list_item_lines<'l>(
    lines: &[&'l str],
    i: usize,
    content_at: usize,
    indent: usize,
    in_div: bool,
    html_closer: Option<&str>,
) -> (Vec<&'l str>, usize) {
    // pandoc's `notFollowedByDivCloser` and `notFollowedByHtmlCloser`.
    let closes = |l: &str| {
        (in_div && is_div_fence_end(l)) || html_closer.is_some_and(|n| is_closing_tag(l, n))
    };
    let mut raw: Vec<&'l str> = Vec::new();
    let first = lines[i];
    let content = if first.len() >= content_at {
        &first[content_at..]
    } else {
        ""
    };
    raw.push(content);
    let mut j = i + 1;
    while j < lines.len() {
        let l = lines[j];
        // pandoc's `rawListItem`: a fenced code block ends the item, an
        // unclosed fence is a lazy line.
        if is_blank(l)
            || list_start(l).is_some()
            || (is_fence_start(l) && fenced_code(lines, j).is_some())
        {
            break;
        }
        if indent_of(l) >= indent && list_start(l[indent..].trim_start_matches(' ')).is_some() {
            break;
        }
        if closes(l) {
            break;
        }
        let indented = indent_of(l) >= indent;
        // A definition marker less indented than the item ends it.
        if !indented && def_marker(l).is_some() {
            break;
        }
        // pandoc's `listLine`: the item's indentation is removed whole or
        // not at all (a lazy line keeps its spaces).
        raw.push(if indented { &l[indent..] } else { l });
        j += 1;
    }
    while j < lines.len() && is_blank(lines[j]) {
        raw.push("");
        j += 1;
    }
    // Continuations: indented lines, then lazy ones.
    loop {
        if j >= lines.len() {
            break;
        }
        let l = lines[j];
        if is_blank(l) || closes(l) || indent_of(l) < indent {
            break;
        }
        raw.push(&l[indent..]);
        j += 1;
        while j < lines.len() {
            let l = lines[j];
            if is_blank(l) || closes(l) {
                break;
            }
            if indent_of(l) >= indent {
                raw.push(&l[indent..]);
            } else if list_start(l).is_none() && def_marker(l).is_none() {
                raw.push(l);
            } else {
                break;
            }
            j += 1;
        }
        while j < lines.len() && is_blank(lines[j]) {
            raw.push("");
            j += 1;
        }
    }
    (raw, j)
}

/// pandoc's `listStart`: a bullet or ordered list marker at the start of `l`.
pub(super) fn list_start(l: &str) -> Option<usize> {
    bullet_start(l).or_else(|| ordered_start(l, None).map(|(_, n)| n))
}

/// A bullet marker: returns the column where the item's content starts.
fn bullet_start(l: &str) -> Option<usize> {
    let ind = indent_of(l);
    if ind > 3 {
        return None;
    }
    let b = l.as_bytes();
    let c = *b.get(ind)?;
    if !matches!(c, b'*' | b'+' | b'-') {
        return None;
    }
    if is_hrule(l) {
        return None;
    }
    marker_end(b, ind + 1)
}

/// After a list marker ending at `k`: one space (or the end of the line), then
/// up to three more spaces unless the rest of the line is blank.
pub(super) fn marker_end(b: &[u8], k: usize) -> Option<usize> {
    if k == b.len() {
        return Some(k);
    }
    if b[k] != b' ' && b[k] != b'\t' {
        return None;
    }
    let mut e = k + 1;
    let mut extra = 0;
    while e < b.len() && b[e] == b' ' && extra < 3 {
        e += 1;
        extra += 1;
    }
    // Five spaces or more: the content starts after one, and is indented
    // code (pandoc 3.9, as CommonMark). Spaces alone count as well: they
    // set the column that lines after a blank line continue at.
    if extra == 3 && b.get(e).is_some_and(|&c| c == b' ') {
        return Some(k + 1);
    }
    if e < b.len() && b[e..].iter().all(|&c| is_space(c)) {
        return Some(k + 1);
    }
    Some(e)
}

#[derive(Clone, Copy, Debug)]
pub(super) struct OrdMarker {
    start: i64,
    style: ListNumberStyle,
    delim: ListNumberDelim,
    hash: bool,
}

/// An ordered list marker; with `want`, only one of that style and delimiter.
fn ordered_start(
    l: &str,
    want: Option<(ListNumberStyle, ListNumberDelim)>,
) -> Option<(OrdMarker, usize)> {
    let ind = indent_of(l);
    if ind > 3 {
        return None;
    }
    let b = l.as_bytes();
    let s = &l[ind..];
    if s.starts_with("p. ") && s.as_bytes().get(3).is_some_and(u8::is_ascii_digit) {
        return None;
    }
    let mut k = ind;
    let paren_open = b.get(k) == Some(&b'(');
    if paren_open {
        k += 1;
    }
    let num_start = k;
    while k < b.len() && b[k].is_ascii_alphanumeric() {
        k += 1;
    }
    let num = &l[num_start..k];
    if num.is_empty() && b.get(k) == Some(&b'#') {
        k += 1;
    } else if num.is_empty() && b.get(k) == Some(&b'@') {
        // An example marker: `@` or `@label`.
        k += 1;
        while k < b.len() && (b[k].is_ascii_alphanumeric() || b[k] == b'_' || b[k] == b'-') {
            k += 1;
        }
    }
    let num_text = &l[num_start..k];
    if num_text.is_empty() {
        return None;
    }
    let delim = match (paren_open, b.get(k)) {
        (true, Some(b')')) => ListNumberDelim::TwoParens,
        (false, Some(b')')) => ListNumberDelim::OneParen,
        (false, Some(b'.')) => ListNumberDelim::Period,
        _ => return None,
    };
    k += 1;
    let (start, style, hash) = classify_number(num_text, want.map(|w| w.0))?;
    let delim = if hash {
        ListNumberDelim::DefaultDelim
    } else {
        delim
    };
    if hash && delim != ListNumberDelim::DefaultDelim {
        return None;
    }
    // A later item of a list: pandoc reads its marker in the list's
    // delimiter (a `#.` list's is the period) and style, `#` always (a
    // `#.` list takes numbers).
    if let Some((ws, wd)) = want {
        let raw_delim = match (paren_open, b[k - 1]) {
            (true, _) => ListNumberDelim::TwoParens,
            (false, b')') => ListNumberDelim::OneParen,
            _ => ListNumberDelim::Period,
        };
        let delim_ok = match wd {
            ListNumberDelim::DefaultDelim => raw_delim == ListNumberDelim::Period,
            d => raw_delim == d,
        };
        let style_ok = hash
            || ws == style
            || (ws == ListNumberStyle::DefaultStyle && style == ListNumberStyle::Decimal);
        if !(delim_ok && style_ok) {
            return None;
        }
    }
    let end = marker_end(b, k)?;
    if delim == ListNumberDelim::Period
        && (style == ListNumberStyle::UpperAlpha
            || (style == ListNumberStyle::UpperRoman
                && [1, 5, 10, 50, 100, 500, 1000].contains(&start)))
    {
        // "A. Name" could be an initial: insist on two spaces.
        if k < b.len() && b.get(k + 1).is_some_and(|&c| c != b' ') {
            return None;
        }
    }
    Some((
        OrdMarker {
            start,
            style,
            delim,
            hash,
        },
        end,
    ))
}

fn classify_number(t: &str, want: Option<ListNumberStyle>) -> Option<(i64, ListNumberStyle, bool)> {
    if t == "#" {
        return Some((1, ListNumberStyle::DefaultStyle, true));
    }
    if t.starts_with('@') {
        return Some((1, ListNumberStyle::Example, false));
    }
    if t.bytes().all(|c| c.is_ascii_digit()) {
        if t.len() > 9 {
            return None;
        }
        return Some((t.parse().ok()?, ListNumberStyle::Decimal, false));
    }
    let lower = t.bytes().all(|c| c.is_ascii_lowercase());
    let upper = t.bytes().all(|c| c.is_ascii_uppercase());
    if !lower && !upper {
        return None;
    }
    let roman = roman_value(t);
    let single = t.len() == 1;
    let alpha_style = if lower {
        ListNumberStyle::LowerAlpha
    } else {
        ListNumberStyle::UpperAlpha
    };
    let roman_style = if lower {
        ListNumberStyle::LowerRoman
    } else {
        ListNumberStyle::UpperRoman
    };
    if let Some(w) = want {
        if w == alpha_style && single {
            return Some((
                (t.as_bytes()[0].to_ascii_lowercase() - b'a' + 1) as i64,
                alpha_style,
                false,
            ));
        }
        if w == roman_style {
            return roman.map(|v| (v, roman_style, false));
        }
        return None;
    }
    if t == "i" || t == "I" {
        return Some((1, roman_style, false));
    }
    if single {
        return Some((
            (t.as_bytes()[0].to_ascii_lowercase() - b'a' + 1) as i64,
            alpha_style,
            false,
        ));
    }
    roman.map(|v| (v, roman_style, false))
}

/// A roman numeral read as pandoc's `romanNumeral` reads it: greedily, in
/// a fixed order (thousands, 900, 500, 400, hundreds, 90, 50, 40, tens, 9,
/// 5, 4, ones), so that it must be the whole of `t` (`ici` is no numeral:
/// pandoc reads `i` and then finds no delimiter).
fn roman_value(t: &str) -> Option<i64> {
    let b = t.as_bytes();
    let mut i = 0;
    let is = |i: usize, c: u8| b.get(i).is_some_and(|x| x.to_ascii_lowercase() == c);
    let mut total = 0i64;
    let many = |i: &mut usize, c: u8, v: i64, total: &mut i64| {
        while is(*i, c) {
            *i += 1;
            *total += v;
        }
    };
    let pair = |i: &mut usize, a: u8, z: u8, v: i64, total: &mut i64| {
        if is(*i, a) && is(*i + 1, z) {
            *i += 2;
            *total += v;
        }
    };
    let one = |i: &mut usize, c: u8, v: i64, total: &mut i64| {
        if is(*i, c) {
            *i += 1;
            *total += v;
        }
    };
    many(&mut i, b'm', 1000, &mut total);
    pair(&mut i, b'c', b'm', 900, &mut total);
    one(&mut i, b'd', 500, &mut total);
    pair(&mut i, b'c', b'd', 400, &mut total);
    many(&mut i, b'c', 100, &mut total);
    pair(&mut i, b'x', b'c', 90, &mut total);
    one(&mut i, b'l', 50, &mut total);
    pair(&mut i, b'x', b'l', 40, &mut total);
    many(&mut i, b'x', 10, &mut total);
    pair(&mut i, b'i', b'x', 9, &mut total);
    one(&mut i, b'v', 5, &mut total);
    pair(&mut i, b'i', b'v', 4, &mut total);
    many(&mut i, b'i', 1, &mut total);
    (i == b.len() && total > 0).then_some(total)
}

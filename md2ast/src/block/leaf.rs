//! Leaf blocks: paragraphs, ATX and setext headings, fenced and indented
//! code blocks, line blocks.

use super::definition_list::def_marker;
use super::ir::B;
use super::list::list_start;
use super::raw_html::{block_start_in_text, block_tag_in_text};
use super::scan::{is_div_fence_end, is_html_div_close, strip_indent};
use super::{BlockParser, Ctx};
use crate::attr::{
    indent_of, is_blank, is_space, parse_attributes, parse_raw_attribute, split_trailing_attributes,
};
use ast::{Attr, Format};

impl BlockParser<'_> {
    pub(super) fn para(&mut self, lines: &[&str], i: usize, ctx: Ctx, out: &mut Vec<B>) -> usize {
        let mut j = i + 1;
        let mut is_para = false;
        while j < lines.len() {
            let l = lines[j];
            if is_blank(l) {
                is_para = true;
                break;
            }
            // In a list, an item of a list or of a definition list (pandoc 3
            // reads definitions as list items) ends the paragraph.
            // Unless an HTML tag runs over the line's end: pandoc's inline
            // parser takes it whole, before any `endline`.
            if ctx.in_list
                && (list_start(l).is_some() || def_marker(l).is_some())
                && !tag_over_line_end(lines, j)
            {
                break;
            }
            // Only a fence at the line's start: pandoc's `endline` looks for
            // a backtick there (an indented one is a code span).
            if l.starts_with("```")
                && fenced_code(lines, j).is_some()
                && !code_span_open(&lines[i..j], &lines[j..])
            {
                is_para = true;
                break;
            }
            if ctx.div_open && is_div_fence_end(l) {
                is_para = true;
                break;
            }
            if ctx.html_div > 0 && is_html_div_close(l) {
                is_para = true;
                break;
            }
            j += 1;
        }
        // The lines joined, without the first line's indentation, in one copy.
        let first = lines[i].trim_start_matches([' ', '\t']);
        let len = first.len() + lines[i + 1..j].iter().map(|l| l.len() + 1).sum::<usize>();
        let mut text = String::with_capacity(len + 1);
        text.push_str(first);
        for l in &lines[i + 1..j] {
            text.push('\n');
            text.push_str(l);
        }
        let ext = &self.col.ext;
        if let Some(q) = block_start_in_text(&text, false, ext.raw_html, ext.raw_tex) {
            // pandoc's inlines stop at a block-level tag or a TeX command
            // they refuse: the text before it is a `Plain`, the tag or the
            // command starts the next block.
            // pandoc's `para` ends as a `Para` at a line starting with
            // `</div>` when the innermost open HTML block is a div.
            let at_closer = text[..q].ends_with('\n')
                && self.html_open.last().is_some_and(|n| n == "div")
                && super::scan::is_closing_tag(&text[q..], "div");
            text.truncate(q);
            if at_closer {
                out.push(B::Para(text));
            } else {
                out.push(B::Plain(text));
            }
            let (mut k, mut at) = (i, lines[i].len() - first.len() + q);
            while at > lines[k].len() {
                at -= lines[k].len() + 1;
                k += 1;
            }
            return self.block_at_tail(lines, k, at, ctx, out);
        }
        if (text.len() - text.trim_end_matches('\\').len()) % 2 == 1 {
            text.push('\n');
        } else if j >= lines.len() && text.ends_with("  ") {
            // At the very end of its container (a list item without a
            // blank line after it), two spaces still break the line.
            text.push('\n');
        }
        if is_para {
            out.push(B::Para(text));
        } else {
            out.push(B::Plain(text));
        }
        j
    }
}

/// Whether an inline HTML tag starting on `lines[j - 1]` ends on
/// `lines[j]` or later.
fn tag_over_line_end(lines: &[&str], j: usize) -> bool {
    const MAX_TAG_LINES: usize = 4;
    let prev = lines[j - 1];
    prev.match_indices('<').any(|(p, _)| {
        let mut joined = prev[p..].to_string();
        for l in lines.iter().skip(j).take(MAX_TAG_LINES) {
            if is_blank(l) {
                break;
            }
            joined.push('\n');
            joined.push_str(l);
        }
        crate::html::tag_len(&joined)
            .is_some_and(|n| n > prev.len() - p && !crate::block::is_block_tag_at(&joined))
    })
}

pub(super) fn fenced_code(lines: &[&str], i: usize) -> Option<(B, usize)> {
    let line = lines[i];
    let ind = indent_of(line);
    if ind > 3 {
        return None;
    }
    let b = line.as_bytes();
    let c = b[ind];
    let mut k = ind;
    while k < b.len() && b[k] == c {
        k += 1;
    }
    let size = k - ind;
    if size < 3 {
        return None;
    }
    let rest = line[k..].trim();
    if c == b'`' && rest.contains('`') {
        return None;
    }
    enum Kind {
        Raw(String),
        Code(Attr),
    }
    let kind = if rest.is_empty() {
        Kind::Code(Attr::default())
    } else if let Some((f, n)) =
        parse_raw_attribute(rest).filter(|(_, n)| rest[*n..].trim().is_empty())
    {
        let _ = n;
        Kind::Raw(f)
    } else if let Some((a, n)) = parse_attributes(rest) {
        if !rest[n..].trim().is_empty() {
            return None;
        }
        Kind::Code(a)
    } else {
        let lang_end = rest.find([' ', '\t']).unwrap_or(rest.len());
        let lang = &rest[..lang_end];
        // pandoc 3.9: a language holds no brace (```` ```{toctree} ```` is
        // no fence but a code span).
        if lang.contains(['{', '}']) {
            return None;
        }
        let after = rest[lang_end..].trim();
        let mut attr = if after.is_empty() {
            Attr::default()
        } else {
            let (a, n) = parse_attributes(after)?;
            if !after[n..].trim().is_empty() {
                return None;
            }
            a
        };
        attr.classes.insert(0, to_language_id(lang));
        Kind::Code(attr)
    };
    let mut j = i + 1;
    let mut content: Vec<&str> = Vec::new();
    while j < lines.len() {
        let l = lines[j];
        let li = indent_of(l);
        let t = &l[li..];
        if li < 4 && t.as_bytes().first() == Some(&c) {
            let n = t.bytes().take_while(|&x| x == c).count();
            if n >= size && is_blank(&t[n..]) {
                let text = content.join("\n");
                let b = match kind {
                    Kind::Raw(f) => B::Raw(Format(f), text),
                    Kind::Code(a) => B::Code(a, text),
                };
                return Some((b, j + 1));
            }
        }
        content.push(strip_indent(l, ind));
        j += 1;
    }
    None
}

/// pandoc's `toLanguageId`: lower case, with a few aliases.
/// pandoc 3.9 only lowercases the language (`C++` stays `c++`).
fn to_language_id(lang: &str) -> String {
    lang.to_lowercase()
}

pub(super) fn atx_header(
    lines: &[&str],
    i: usize,
    math: bool,
    raw_tex: bool,
) -> Option<(B, usize)> {
    let b = lines[i].as_bytes();
    let mut level = 0;
    while level < b.len() && b[level] == b'#' {
        level += 1;
    }
    // pandoc reads any number of `#`s: `#######` is a level 7 heading.
    if level == 0 {
        return None;
    }
    if level < b.len() && !is_space(b[level]) {
        return None;
    }
    // A code span or math closed on a later line carries the heading on.
    let last = super::scan::last_line_of_inlines(lines, i, level, math);
    let joined;
    let line = if last == i {
        lines[i]
    } else {
        joined = lines[i..=last].join("\n");
        joined.as_str()
    };
    let mut text = line[level..].trim();
    // An emphasis opener that never closes takes the rest of the line as
    // its text (pandoc's `one`, `two` and `three` read inlines to the
    // end): no closing `#`s, no attributes.
    if emphasis_runs_to_end(text, math) {
        let at_end = text.as_ptr() as usize + text.len() == line.as_ptr() as usize + line.len();
        return Some((
            B::Header(level as i64, Attr::default(), heading_text(text, at_end)),
            last + 1,
        ));
    }
    let (t, attr) = header_attributes(text);
    text = t.trim_end();
    // Closing `#`s, wherever an inline may end (pandoc tries its closing
    // before each inline: `# C#` is `C`); an escaped `#` stays.
    let stripped = text.trim_end_matches('#');
    if stripped.len() != text.len() {
        let escapes = stripped.bytes().rev().take_while(|&c| c == b'\\').count();
        text = if escapes % 2 == 1 {
            &text[..stripped.len() + 1]
        } else {
            stripped.trim_end()
        };
    }
    // Attributes come after the closing `#`s only (pandoc's `atxClosing`):
    // before them they are text.
    let attr = attr.unwrap_or_default();
    let text = inline_takes_spaces(line, text, raw_tex);
    // A backslash right at the line's end is a line break; before a
    // space, an escaped space.
    let at_end = text.as_ptr() as usize + text.len() == line.as_ptr() as usize + line.len();
    Some((
        B::Header(level as i64, attr, heading_text(text, at_end)),
        last + 1,
    ))
}

/// A heading's text ending in a TeX control word (`\d`, `\d*`) or a
/// period: pandoc's raw TeX inline, or its word after which an
/// abbreviation (`p.`) takes a no-break space, reads the white space after
/// it before the heading's closing is tried. `text` is a slice of `line`.
fn inline_takes_spaces<'a>(line: &'a str, text: &'a str, raw_tex: bool) -> &'a str {
    let core = text.strip_suffix('*').unwrap_or(text);
    let word = core.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let letters = core.len() - word.len();
    let slashes = word.len() - word.trim_end_matches('\\').len();
    let tex = raw_tex && letters > 0 && slashes % 2 == 1;
    if !tex && !text.ends_with('.') {
        return text;
    }
    let start = text.as_ptr() as usize - line.as_ptr() as usize;
    let end = start + text.len();
    let rest = &line[end..];
    let spaces = rest.len() - rest.trim_start_matches([' ', '\t']).len();
    &line[start..end + spaces]
}

/// Whether, read as pandoc's Markdown inlines, `text` holds an emphasis
/// opener (`*`, `_`, up to three, not before white space; `_` not right
/// after a word) whose closer never comes: pandoc's enclosure parsers
/// then read the inlines up to the text's end. Code spans, math, escapes
/// and tags are skipped as the inlines they are.
pub(super) fn emphasis_runs_to_end(text: &str, math: bool) -> bool {
    let b: Vec<char> = text.chars().collect();
    let scan = EmphasisScan {
        b: &b,
        math,
        depth: std::cell::Cell::new(0),
    };
    let mut m = 0;
    while m < b.len() {
        match scan.inline(m) {
            Some(next) => m = next,
            None => return true,
        }
    }
    false
}

struct EmphasisScan<'a> {
    b: &'a [char],
    math: bool,
    /// Enclosures open around the current inline: past a bound, an
    /// opener is read as text, so that no line can exhaust the stack.
    depth: std::cell::Cell<usize>,
}

impl EmphasisScan<'_> {
    fn is(&self, m: usize, c: char) -> bool {
        self.b.get(m) == Some(&c)
    }

    /// pandoc's `ender c n`: `n` times `c`, and for `_` no letter or digit after.
    fn ender(&self, m: usize, c: char, n: usize) -> bool {
        (m..m + n).all(|k| self.is(k, c))
            && (c == '*' || !self.b.get(m + n).is_some_and(|x| x.is_alphanumeric()))
    }

    /// One inline at `m`: where the next one starts, `None` when an
    /// enclosure in it runs to the end.
    fn inline(&self, m: usize) -> Option<usize> {
        let b = self.b;
        match b[m] {
            '\\' => Some(m + 2),
            '`' => {
                let run = b[m..].iter().take_while(|&&c| c == '`').count();
                let mut k = m + run;
                while k < b.len() {
                    let r = b[k..].iter().take_while(|&&c| c == '`').count();
                    if r == run {
                        return Some(k + r);
                    }
                    k += r.max(1);
                }
                Some(m + run)
            }
            '$' if self.math => {
                let display = self.is(m + 1, '$');
                let open = if display { m + 2 } else { m + 1 };
                if !display && b.get(open).is_none_or(|c| c.is_whitespace()) {
                    return Some(m + 1);
                }
                let mut k = open;
                while k < b.len() {
                    match b[k] {
                        '\\' => k += 2,
                        '$' if display && self.is(k + 1, '$') => return Some(k + 2),
                        '$' if !display
                            && !b[k - 1].is_whitespace()
                            && !b.get(k + 1).is_some_and(|c| c.is_ascii_digit()) =>
                        {
                            return Some(k + 1)
                        }
                        _ => k += 1,
                    }
                }
                Some(open)
            }
            '<' if b
                .get(m + 1)
                .is_some_and(|c| c.is_ascii_alphabetic() || matches!(c, '/' | '!' | '?')) =>
            {
                match b[m..].iter().position(|&c| c == '>') {
                    Some(p) => Some(m + p + 1),
                    None => Some(m + 1),
                }
            }
            // A link, span or reference (`[...]` then `(`, `{` or `[`):
            // its text is its own.
            '[' => {
                let Some(close) = self.matching(m, '[', ']') else {
                    return Some(m + 1);
                };
                match b.get(close + 1) {
                    Some('(') => Some(self.matching(close + 1, '(', ')').map_or(m + 1, |e| e + 1)),
                    Some('{') => Some(self.matching(close + 1, '{', '}').map_or(m + 1, |e| e + 1)),
                    Some('[') => Some(self.matching(close + 1, '[', ']').map_or(m + 1, |e| e + 1)),
                    // Plain brackets too: pandoc's inlines do not read
                    // an opener's text past a balanced `]`.
                    _ => Some(close + 1),
                }
            }
            // A citation key takes its `_`s (`@_a_`).
            '@' if m == 0 || !b[m - 1].is_alphanumeric() => {
                let reg = |k: usize| b.get(k).is_some_and(|c| c.is_alphanumeric() || *c == '_');
                if b.get(m + 1) == Some(&'{') {
                    return Some(self.matching(m + 1, '{', '}').map_or(m + 1, |e| e + 1));
                }
                if !(reg(m + 1) || self.is(m + 1, '*')) {
                    return Some(m + 1);
                }
                let mut k = m + 2;
                loop {
                    if reg(k) {
                        k += 1;
                    } else if b.get(k).is_some_and(|c| ":.#$%&-+?<>~/".contains(*c)) && reg(k + 1) {
                        k += 2;
                    } else {
                        break Some(k);
                    }
                }
            }
            c @ ('*' | '_') => {
                let n = b[m..].iter().take_while(|&&x| x == c).count();
                let after = m + n;
                // pandoc's `str` reads letters, digits and a `.` not
                // before another (an ellipsis `...` is no word): a `_`
                // right after one is a symbol of its own, and the next
                // `_` of the run may open.
                if c == '_' && m > 0 && self.after_str(m) {
                    return Some(m + 1);
                }
                let opens = n <= 3 && b.get(after).is_some_and(|x| !x.is_whitespace());
                if !opens || self.depth.get() >= super::MAX_DEPTH {
                    return Some(after);
                }
                self.depth.set(self.depth.get() + 1);
                let end = match n {
                    1 => self.one(c, after),
                    2 => self.two(c, after),
                    _ => self.three(c, after),
                };
                self.depth.set(self.depth.get() - 1);
                end
            }
            _ => Some(m + 1),
        }
    }

    /// Whether pandoc's `str` ends right before `m`.
    fn after_str(&self, m: usize) -> bool {
        let b = self.b;
        match b[m - 1] {
            '.' => {
                let dots = b[..m].iter().rev().take_while(|&&c| c == '.').count();
                dots % 3 != 0
            }
            x => x.is_alphanumeric(),
        }
    }

    /// The index of the `close` that balances the `open` at `m`.
    fn matching(&self, m: usize, open: char, close: char) -> Option<usize> {
        let mut depth = 0usize;
        let mut k = m;
        while k < self.b.len() {
            match self.b[k] {
                '\\' => k += 1,
                x if x == open => depth += 1,
                x if x == close => {
                    depth -= 1;
                    if depth == 0 {
                        return Some(k);
                    }
                }
                _ => {}
            }
            k += 1;
        }
        None
    }

    fn one(&self, c: char, mut m: usize) -> Option<usize> {
        loop {
            if m >= self.b.len() {
                return None;
            }
            if !self.ender(m, c, 1) {
                m = self.inline(m)?;
            } else if self.is(m + 1, c) && !self.ender(m + 2, c, 1) {
                m = self.two(c, m + 2)?;
            } else {
                return Some(m + 1);
            }
        }
    }

    fn two(&self, c: char, mut m: usize) -> Option<usize> {
        loop {
            if m >= self.b.len() {
                return None;
            }
            if self.ender(m, c, 2) {
                return Some(m + 2);
            }
            m = self.inline(m)?;
        }
    }

    fn three(&self, c: char, mut m: usize) -> Option<usize> {
        while !self.ender(m, c, 1) {
            if m >= self.b.len() {
                return None;
            }
            m = self.inline(m)?;
        }
        if self.ender(m, c, 3) {
            Some(m + 3)
        } else if self.ender(m, c, 2) {
            self.one(c, m + 2)
        } else {
            self.two(c, m + 1)
        }
    }
}

/// A heading's trailing attributes `{...}`, unless the inline before them
/// takes them: pandoc reads the heading's inlines first, and a code span,
/// a bracketed span, a link or an image just before `{` has its own
/// attributes (`` # `a`{.s} ``).
pub(super) fn header_attributes(text: &str) -> (&str, Option<Attr>) {
    let (before, attr) = split_trailing_attributes(text);
    // An escaped `\{` opens no attributes.
    let escaped = before.len() - before.trim_end_matches('\\').len();
    if attr.is_some()
        && (inline_takes_attributes(before) || escaped % 2 == 1 || tex_reads_braces(text, before))
    {
        return (text, None);
    }
    (before, attr)
}

/// Whether `before`, the start of `text`, ends with a TeX control word
/// (`\X`, `\X*`, white space after it or not) whose raw TeX inline, as
/// pandoc reads it, takes the braces that follow as its argument
/// (`# A \X{#c}` has no identifier `c`; `\LaTeX {#c}` takes none).
fn tex_reads_braces(text: &str, before: &str) -> bool {
    let t = before.trim_end_matches([' ', '\t']);
    let t = t.strip_suffix('*').unwrap_or(t);
    let word = t.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let slashes = word.len() - word.trim_end_matches('\\').len();
    if word.len() == t.len() || slashes % 2 == 0 {
        return false;
    }
    let start = word.len() - 1;
    crate::inline::tex_command_len(&text[start..]).is_some_and(|n| start + n > before.len())
}

/// Whether `text` ends with an inline that takes attributes written right
/// after it: a closed code span, `[...]` (not a note `[^...]`), or a link or
/// image `[...](...)`.
fn inline_takes_attributes(text: &str) -> bool {
    let b = text.as_bytes();
    let escaped = |k: usize| b[..k].iter().rev().take_while(|&&c| c == b'\\').count() % 2 == 1;
    match b.last() {
        Some(b'`') => {
            // Code spans read from the start: a run of backticks opens one
            // when a run of the same length follows, else its first
            // backtick is text.
            let run = |k: usize| b[k..].iter().take_while(|&&c| c == b'`').count();
            let mut k = 0;
            while k < b.len() {
                match b[k] {
                    b'\\' => k += 2,
                    b'`' => {
                        let m = run(k);
                        let mut c = k + m;
                        let close = loop {
                            match b[c.min(b.len())..].iter().position(|&x| x == b'`') {
                                None => break None,
                                Some(p) => {
                                    let at = c + p;
                                    let r = run(at);
                                    if r == m {
                                        break Some(at);
                                    }
                                    c = at + r;
                                }
                            }
                        };
                        match close {
                            Some(at) if at + m == b.len() => return true,
                            Some(at) => k = at + m,
                            None => k += 1,
                        }
                    }
                    _ => k += 1,
                }
            }
            false
        }
        // A note reference (`[^a]`, not `[^]` nor `[^a b]`) takes none.
        Some(b']') => matching_open(b, b.len() - 1, b'[', b']')
            .is_some_and(|o| !escaped(o) && !crate::inline::starts_note_marker(&text[o..])),
        // A link: `(...)` right after a `]` that a `[` opens.
        Some(b')') => matching_open(b, b.len() - 1, b'(', b')').is_some_and(|o| {
            o > 0
                && b[o - 1] == b']'
                && !escaped(o - 1)
                && matching_open(b, o - 1, b'[', b']')
                    .is_some_and(|k| !crate::inline::starts_note_marker(&text[k..]))
        }),
        _ => false,
    }
}

/// The unescaped `open` that the `close` at `b[at]` closes, if any.
fn matching_open(b: &[u8], at: usize, open: u8, close: u8) -> Option<usize> {
    let mut depth = 0usize;
    let mut k = at + 1;
    while k > 0 {
        k -= 1;
        let escaped = b[..k].iter().rev().take_while(|&&c| c == b'\\').count() % 2 == 1;
        if escaped {
            continue;
        }
        if b[k] == close {
            depth += 1;
        } else if b[k] == open {
            depth -= 1;
            if depth == 0 {
                return Some(k);
            }
        }
    }
    None
}

/// A heading's text; a final escaping backslash escapes the line's end
/// (a `LineBreak`) or, before attributes or closing `#`s, a space.
fn heading_text(text: &str, at_line_end: bool) -> String {
    let backslashes = text.len() - text.trim_end_matches('\\').len();
    let mut s = text.to_string();
    if backslashes % 2 == 1 {
        s.push(if at_line_end { '\n' } else { ' ' });
    }
    s
}

pub(super) fn setext_header(lines: &[&str], i: usize, math: bool) -> Option<(B, usize)> {
    let next = lines.get(i + 1)?;
    let t = next.trim_end();
    let level = if !t.is_empty() && t.bytes().all(|c| c == b'=') {
        1
    } else if !t.is_empty() && t.bytes().all(|c| c == b'-') {
        2
    } else {
        return None;
    };
    // pandoc tries setext headings before indented code: any indentation.
    let line = lines[i];
    if is_blank(line) {
        return None;
    }
    // pandoc reads the text as inlines, which stop at a block-level tag.
    if block_tag_in_text(line.trim(), true).is_some() {
        return None;
    }
    // Nor is it a heading when an inline runs past the line: a comment or
    // a code span closed further on takes the underline in.
    if inline_runs_past(lines, i) {
        return None;
    }
    // Math opened on the line and closed further on does too.
    if math && super::scan::last_line_of_inlines(lines, i, 0, math) > i {
        return None;
    }
    // An emphasis opener that never closes takes the attributes in.
    let (text, attr) = if emphasis_runs_to_end(line.trim(), math) {
        (line.trim(), None)
    } else {
        header_attributes(line.trim())
    };
    Some((
        B::Header(
            level,
            attr.unwrap_or_default(),
            heading_text(
                inline_takes_spaces(line, text.trim_end(), false),
                line.trim_end().len() == line.len() && !line.ends_with('}'),
            ),
        ),
        i + 2,
    ))
}

/// Whether an HTML comment or a code span opened on `lines[i]` closes on a
/// later line (looked for over a bounded number of lines).
fn inline_runs_past(lines: &[&str], i: usize) -> bool {
    const MAX_LINES: usize = 64;
    let line = lines[i];
    let after = &lines[i + 1..lines.len().min(i + 1 + MAX_LINES)];
    if let Some(p) = line.rfind("<!--") {
        if !line[p + 4..].contains("-->") && after.iter().any(|l| l.contains("-->")) {
            return true;
        }
    }
    line.contains('`') && code_span_open(&lines[i..=i], after)
}

/// Whether a code span opened in `before` (a paragraph's lines) closes in
/// `after` (before a blank line): pandoc's inline code then reads over the
/// lines between, and a fence among them starts no code block.
fn code_span_open(before: &[&str], after: &[&str]) -> bool {
    // Bounded, so that a long paragraph of fence-like lines stays linear.
    const MAX_LINES: usize = 256;
    if before.len() > MAX_LINES {
        return false;
    }
    let after = &after[..after.len().min(MAX_LINES)];
    let text = before.join("\n");
    let b = text.as_bytes();
    let run_at = |b: &[u8], k: usize| b[k..].iter().take_while(|&&c| c == b'`').count();
    // Whether a run of exactly `n` backticks is in `b[from..]`.
    let has_run = |b: &[u8], mut k: usize, n: usize| {
        while k < b.len() {
            if b[k] == b'`' {
                let m = run_at(b, k);
                if m == n {
                    return true;
                }
                k += m;
            } else {
                k += 1;
            }
        }
        false
    };
    let mut k = 0;
    while k < b.len() {
        match b[k] {
            b'\\' => k += 2,
            b'`' => {
                let n = run_at(b, k);
                let rest = k + n;
                if has_run(b, rest, n) {
                    // Closed within the paragraph: skip to the closer.
                    let mut e = rest;
                    loop {
                        let m = if b[e] == b'`' { run_at(b, e) } else { 0 };
                        if m == n {
                            k = e + n;
                            break;
                        }
                        e += m.max(1);
                    }
                } else {
                    let closes_after = after
                        .iter()
                        .take_while(|l| !is_blank(l))
                        .any(|l| has_run(l.as_bytes(), 0, n));
                    if closes_after {
                        return true;
                    }
                    // The first backtick is text; a code span may start at
                    // the next one (pandoc reads ```` ```` ```` as ` then ```).
                    k += 1;
                }
            }
            _ => k += 1,
        }
    }
    false
}

pub(super) fn indented_code(lines: &[&str], i: usize) -> (B, usize) {
    let mut j = i;
    let mut content: Vec<&str> = Vec::new();
    let mut last_nonblank = i;
    while j < lines.len() {
        let l = lines[j];
        if is_blank(l) {
            content.push(if l.len() > 4 { &l[4..] } else { "" });
            j += 1;
            continue;
        }
        if indent_of(l) < 4 {
            break;
        }
        content.push(&l[4..]);
        j += 1;
        last_nonblank = j;
    }
    // pandoc's `indentedLine` takes a line of white space indented four
    // columns too: the ones right after the code are in it (what they hold
    // past the indentation stays, the line ends go).
    let mut end = last_nonblank;
    while end < lines.len() && is_blank(lines[end]) && indent_of(lines[end]) >= 4 {
        end += 1;
    }
    content.truncate(end - i);
    let mut text = content.join("\n");
    text.truncate(text.trim_end_matches('\n').len());
    (B::Code(Attr::default(), text), end)
}

pub(super) fn line_block(lines: &[&str], i: usize, raw_html: bool) -> Option<(B, usize)> {
    // pandoc's `lineBlockLine` (`| ` and text) or `blankLineBlockLine` (`|`
    // and white space only).
    let is_lb_start = |l: &str| {
        l.strip_prefix('|')
            .is_some_and(|r| r.starts_with(' ') || is_blank(r))
    };
    if !is_lb_start(lines[i]) {
        return None;
    }
    let mut out: Vec<String> = Vec::new();
    let mut j = i;
    while j < lines.len() && is_lb_start(lines[j]) {
        let l = lines[j];
        j += 1;
        if is_blank(&l[1..]) {
            // An empty line of the block, which takes no continuation.
            out.push(String::new());
            continue;
        }
        let content = &l[2..];
        let mut s = String::new();
        let lead = content.bytes().take_while(|&b| b == b' ').count();
        for _ in 0..lead {
            s.push('\u{a0}');
        }
        s.push_str(&content[lead..]);
        // Continuation lines begin with a space, which is dropped (even a
        // line of spaces only); the lines are joined with one space.
        while j < lines.len() && lines[j].starts_with(' ') {
            s.push(' ');
            s.push_str(&lines[j][1..]);
            j += 1;
        }
        // pandoc trims the line's inlines: trailing white space goes, but
        // not an escaped space (`\ `).
        let kept = s.trim_end_matches([' ', '\t']).len();
        let escapes = s[..kept].bytes().rev().take_while(|&b| b == b'\\').count();
        s.truncate(if escapes % 2 == 1 { kept + 1 } else { kept });
        // pandoc's inlines stop at a block-level tag, and the line ends there.
        if let Some(q) = block_tag_in_text(&s, true).filter(|_| raw_html) {
            s.truncate(s[..q].trim_end_matches([' ', '\t']).len());
        }
        out.push(s);
    }
    Some((B::LineBlock(out), j))
}

//! Source positions kept in the AST, with pandoc's `commonmark+sourcepos`
//! convention: a node with attributes gets a `data-pos` attribute
//! (`path@line:col-line:col`, 1-based, columns in characters, the end
//! exclusive); a node without gets wrapped in a `Span` (inlines) or a `Div`
//! (blocks) whose attributes are `wrapper="1"` and `data-pos`. `pandoc -f
//! json` reads such a document as any other. A wrapper `Span` may hold a
//! run of words and the spaces between them (md2ast's, to keep the JSON
//! small): each word is then found in the source with [`find_word`] from
//! the end of the one before.
//!
//! Written by `md2ast --sourcepos`, read by `ast-filters --check`/`--fix`,
//! which also use [`match_source`] to find each character of a `Str` in the
//! Markdown it was read from.

mod align;

use std::fmt;

pub use align::{place_words, Aligner, Granularity};

use crate::{Attr, Block, Inline, MutVisitor, Visitor, Walkable};

/// The attribute that holds a position.
pub const DATA_POS: &str = "data-pos";
/// The attribute that marks a `Span` or `Div` made only to hold a position.
pub const WRAPPER: &str = "wrapper";

/// A place in a source file: `path@line:col-line:col`, 1-based, columns in
/// characters, the end exclusive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourcePos {
    pub path: String,
    pub start: (usize, usize),
    pub end: (usize, usize),
}

impl SourcePos {
    /// Reads a `data-pos` value; several ranges (`a@1:3-1:9;2:3-2:8`, each
    /// line of a paragraph, as pandoc writes for one in a block quote and
    /// md2ast for each) give the start of the first and the furthest end.
    /// `None` for anything else (pandoc writes an empty value for some soft
    /// breaks).
    pub fn parse(value: &str) -> Option<SourcePos> {
        let (path, ranges) = value.rsplit_once('@')?;
        let mut lines = SourcePos::lines(ranges);
        let (start, mut end) = lines.next()??;
        for line in lines {
            end = end.max(line?.1);
        }
        Some(SourcePos {
            path: path.to_string(),
            start,
            end,
        })
    }

    /// The ranges of a `data-pos` value without its path (`1:3-1:9;2:3-2:8`):
    /// a block's lines, in order.
    pub fn lines(
        ranges: &str,
    ) -> impl Iterator<Item = Option<((usize, usize), (usize, usize))>> + '_ {
        let point = |p: &str| -> Option<(usize, usize)> {
            let (l, c) = p.split_once(':')?;
            Some((l.parse().ok()?, c.parse().ok()?))
        };
        ranges.split(';').map(move |range| {
            let (start, end) = range.split_once('-')?;
            Some((point(start)?, point(end)?))
        })
    }
}

impl fmt::Display for SourcePos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}@{}:{}-{}:{}",
            self.path, self.start.0, self.start.1, self.end.0, self.end.1
        )
    }
}

/// True for the attributes of a wrapper `Span` or `Div`.
pub fn is_wrapper(attr: &Attr) -> bool {
    attr.id.is_empty()
        && attr.classes.is_empty()
        && attr
            .attributes
            .iter()
            .any(|(k, v)| k == WRAPPER && v == "1")
}

/// True when attributes hold a position (`data-pos="FILE@L:C-L:C"`; a
/// `data-pos` of another form is an attribute like any other).
fn is_position(attr: &Attr) -> bool {
    data_pos(attr).is_some_and(|v| SourcePos::parse(v).is_some())
}

/// The `data-pos` value of some attributes.
pub fn data_pos(attr: &Attr) -> Option<&str> {
    attr.attributes
        .iter()
        .find(|(k, _)| k == DATA_POS)
        .map(|(_, v)| v.as_str())
}

/// The attributes of a wrapper holding `pos`.
pub fn wrapper_attr(pos: String) -> Attr {
    Attr {
        id: String::new(),
        classes: Vec::new(),
        attributes: vec![(WRAPPER.into(), "1".into()), (DATA_POS.into(), pos)],
    }
}

/// Takes every wrapper out of `doc` (its content in its place), and, unless
/// `keep_own`, the `data-pos` of nodes with attributes of their own: what
/// the document is without positions (`keep_own: false`), or what a
/// writer shows of them (`true`: `<h1 data-pos=...>` as pandoc's HTML
/// writer, no element made for a wrapper).
pub fn remove_wrappers<W: Walkable + ?Sized>(doc: &mut W, keep_own: bool) {
    doc.walk_mut(&mut Unwrap { keep_own });
}

/// True when `doc` holds a wrapper `Span` or `Div` anywhere.
pub fn has_wrappers<W: Walkable + ?Sized>(doc: &W) -> bool {
    let mut find = Find {
        found: false,
        any_pos: false,
    };
    doc.walk(&mut find);
    find.found
}

/// True when `doc` holds a position anywhere: a wrapper, or a `data-pos`
/// attribute of a node.
pub fn has_positions<W: Walkable + ?Sized>(doc: &W) -> bool {
    let mut find = Find {
        found: false,
        any_pos: true,
    };
    doc.walk(&mut find);
    find.found
}

struct Find {
    found: bool,
    /// A `data-pos` of a node's own counts too.
    any_pos: bool,
}

impl Visitor for Find {
    fn visit_inline(&mut self, il: &Inline) {
        self.found |= match il {
            Inline::Span(a, _) if is_wrapper(a) => true,
            Inline::Span(a, _)
            | Inline::Link(a, ..)
            | Inline::Image(a, ..)
            | Inline::Code(a, _) => self.any_pos && is_position(a),
            _ => false,
        };
    }
    fn visit_block(&mut self, b: &Block) {
        self.found |= match b {
            Block::Div(a, _) if is_wrapper(a) => true,
            Block::Header(_, a, _)
            | Block::CodeBlock(a, _)
            | Block::Div(a, _)
            | Block::Figure(a, ..) => self.any_pos && is_position(a),
            Block::Table(t) => {
                self.any_pos
                    && (is_position(&t.attr)
                        || std::iter::once(&t.head.1)
                            .chain(t.bodies.iter().flat_map(|b| [&b.2, &b.3]))
                            .chain(std::iter::once(&t.foot.1))
                            .flatten()
                            .any(|r| is_position(&r.0) || r.1.iter().any(|c| is_position(&c.0))))
            }
            _ => false,
        };
    }
}

/// Takes every position out of `doc`.
pub fn strip_positions<W: Walkable + ?Sized>(doc: &mut W) {
    remove_wrappers(doc, false);
}

struct Unwrap {
    keep_own: bool,
}

impl Unwrap {
    fn own(&self, attr: &mut Attr) {
        if !self.keep_own && is_position(attr) {
            attr.attributes
                .retain(|(k, v)| k != DATA_POS || SourcePos::parse(v).is_none());
        }
    }
}

impl MutVisitor for Unwrap {
    fn visit_inline(&mut self, il: &mut Inline) {
        match il {
            Inline::Span(attr, _) if is_wrapper(attr) => {}
            Inline::Span(attr, _)
            | Inline::Link(attr, ..)
            | Inline::Image(attr, ..)
            | Inline::Code(attr, _) => self.own(attr),
            _ => {}
        }
    }

    fn visit_inlines(&mut self, ils: &mut Vec<Inline>) {
        if !ils
            .iter()
            .any(|il| matches!(il, Inline::Span(a, _) if is_wrapper(a)))
        {
            return;
        }
        let old = std::mem::take(ils);
        for il in old {
            match il {
                Inline::Span(a, content) if is_wrapper(&a) => ils.extend(content),
                il => ils.push(il),
            }
        }
    }

    fn visit_block(&mut self, b: &mut Block) {
        match b {
            Block::Div(attr, _) if is_wrapper(attr) => {}
            Block::Header(_, attr, _)
            | Block::CodeBlock(attr, _)
            | Block::Div(attr, _)
            | Block::Figure(attr, ..) => self.own(attr),
            Block::Table(t) => {
                self.own(&mut t.attr);
                for rows in std::iter::once(&mut t.head.1)
                    .chain(t.bodies.iter_mut().flat_map(|b| [&mut b.2, &mut b.3]))
                    .chain(std::iter::once(&mut t.foot.1))
                {
                    for row in rows.iter_mut() {
                        self.own(&mut row.0);
                        for cell in row.1.iter_mut() {
                            self.own(&mut cell.0);
                        }
                    }
                }
            }
            _ => {}
        }
    }

    fn visit_blocks(&mut self, bs: &mut Vec<Block>) {
        if !bs
            .iter()
            .any(|b| matches!(b, Block::Div(a, _) if is_wrapper(a)))
        {
            return;
        }
        let old = std::mem::take(bs);
        for b in old {
            match b {
                Block::Div(a, content) if is_wrapper(&a) => bs.extend(content),
                b => bs.push(b),
            }
        }
    }
}

/// Matches the text of a `Str` against Markdown source at byte `at`, as
/// pandoc's reader makes one from the other: backslash escapes (`\:`, `\ `
/// for U+00A0), the `smart` extension (`'` for `’`, `"` for `“”`, `--` and
/// `---` for the dashes, `...` for `…`), a space become U+00A0 after an
/// abbreviation, an HTML entity for any one character, and emphasis marks
/// inside a word (`gras****gras` is one `Str`). `on_char` is
/// given, for each character of `text`, its byte offset in `text` and in
/// `src`. Returns the end of the match in `src`.
pub fn match_source(
    src: &str,
    at: usize,
    text: &str,
    mut on_char: impl FnMut(usize, usize),
) -> Option<usize> {
    let b = src.as_bytes();
    let mut p = at;
    for (k, c) in text.char_indices() {
        let mut sc = src.get(p..)?.chars().next()?;
        // Emphasis marks the reader dropped inside a word (`gras****gras`).
        if c != sc && matches!(sc, '*' | '_') && k > 0 {
            while matches!(b.get(p), Some(b'*' | b'_')) {
                p += 1;
            }
            sc = src.get(p..)?.chars().next()?;
        }
        on_char(k, p);
        if sc == c && sc != '\\' && sc != '&' {
            p += sc.len_utf8();
            continue;
        }
        let rest = &b[p..];
        p += match (c, sc) {
            (_, '\\') => match src[p + 1..].chars().next() {
                Some(n) if n == c || (c == '\u{a0}' && n == ' ') => 1 + n.len_utf8(),
                _ if c == '\\' => 1,
                _ => return None,
            },
            (_, '&') => match rest.iter().take(12).position(|&x| x == b';') {
                Some(semi)
                    if semi > 1
                        && rest[1..semi]
                            .iter()
                            .all(|x| x.is_ascii_alphanumeric() || *x == b'#') =>
                {
                    semi + 1
                }
                _ if c == '&' => 1,
                _ => return None,
            },
            ('\u{2019}' | '\u{2018}', '\'') | ('\u{201c}' | '\u{201d}', '"') => 1,
            ('\u{2014}', '-') if rest.starts_with(b"---") => 3,
            ('\u{2013}', '-') if rest.starts_with(b"--") => 2,
            ('\u{2026}', '.') if rest.starts_with(b"...") => 3,
            ('\u{2026}', '.') if rest.starts_with(b". . .") => 5,
            ('\u{a0}', ' ') => 1,
            _ => return None,
        };
    }
    Some(p)
}

/// Finds the source of a `Str` in `src` from byte `from`, starting before
/// `limit`: the first place, with the smallest start, where [`match_source`]
/// matches a whole word (not the end of a longer one, unless it starts at
/// `from` itself: `\fin;` is a raw TeX inline and `;`). Returns its start
/// and end. md2ast places words with it, and `ast-filters` finds each word
/// of a wrapper around several again with it.
pub fn find_word(src: &str, from: usize, limit: usize, text: &str) -> Option<(usize, usize)> {
    let b = src.as_bytes();
    let first = *text.as_bytes().first()?;
    let word_char = |c: char| c.is_alphanumeric();
    let end = limit.min(b.len());
    // Text without escapes or entities matches where its bytes are equal
    // (what `match_source` would say, at a tenth of the cost).
    let plain = !text.as_bytes().iter().any(|&c| c == b'\\' || c == b'&');
    let mut p = from;
    while p < end {
        if plain && b[p] == first && b[p..].starts_with(text.as_bytes()) {
            let e = p + text.len();
            if (p == from || !src[..p].ends_with(word_char)) && !src[e..].starts_with(word_char) {
                return Some((p, e));
            }
        }
        let c = b[p];
        let may = c == first
            || c == b'\\'
            || c == b'&'
            || (first >= 0x80 && matches!(c, b'\'' | b'"' | b'-' | b'.' | b' '));
        if may && src.is_char_boundary(p) && (p == from || !src[..p].ends_with(word_char)) {
            if let Some(e) = match_source(src, p, text, |_, _| {}) {
                if !src[e..].starts_with(word_char) {
                    return Some((p, e));
                }
            }
        }
        p += 1;
    }
    None
}

/// Line starts of a text, to turn byte offsets into `line:col` (columns in
/// characters) and back.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|&(_, c)| c == b'\n')
                .map(|(i, _)| i + 1),
        );
        LineIndex { starts }
    }

    /// The 1-based line and column (in characters) of byte `offset`.
    pub fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let line = self.starts.partition_point(|&s| s <= offset).max(1) - 1;
        let start = self.starts[line];
        let col = text.get(start..offset).map_or(0, |s| s.chars().count());
        (line + 1, col + 1)
    }

    /// The byte offset of 1-based `line:col` (columns in characters), if
    /// it is in the text (the end of a line and of the text included).
    pub fn offset(&self, text: &str, (line, col): (usize, usize)) -> Option<usize> {
        let start = *self.starts.get(line.checked_sub(1)?)?;
        let mut chars = text[start..].char_indices();
        let mut left = col.checked_sub(1)?;
        loop {
            if left == 0 {
                return Some(chars.next().map_or(text.len(), |(i, _)| start + i));
            }
            let (_, c) = chars.next()?;
            if c == '\n' {
                return None;
            }
            left -= 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_read_as_written() {
        let p = SourcePos::parse("content/a b@c.md@3:1-4:12;2:1-4:1").expect("parses");
        assert_eq!(p.path, "content/a b@c.md");
        assert_eq!((p.start, p.end), ((3, 1), (4, 12)));
        assert_eq!(p.to_string(), "content/a b@c.md@3:1-4:12");
        assert_eq!(SourcePos::parse(""), None);
    }

    #[test]
    fn str_text_matches_its_source() {
        let src = "l'été -- M. X\\: \\ y &amp; z...";
        let mut offsets = Vec::new();
        let end = match_source(
            src,
            0,
            "l\u{2019}été\u{a0}\u{2013}\u{a0}M.\u{a0}X:\u{a0}\u{a0}y\u{a0}&\u{a0}z\u{2026}",
            |_, s| offsets.push(s),
        );
        // Spaces are matched here only as U+00A0 (abbreviations).
        assert_eq!(end, Some(src.len()));
        assert_eq!(offsets[0..3], [0, 1, 2]);
        assert_eq!(match_source("mot", 0, "mit", |_, _| {}), None);
    }

    #[test]
    fn positions_found_and_taken_out() {
        let pos = |v: &str| (DATA_POS.to_string(), v.to_string());
        let own = Attr {
            id: "h".into(),
            classes: Vec::new(),
            attributes: vec![pos("a.md@1:1-1:5"), ("k".into(), "v".into())],
        };
        let other = Attr {
            attributes: vec![pos("not a position")],
            ..Attr::default()
        };
        let word = Inline::Str("mot".into());
        let mut doc = vec![
            Block::Header(1, own, vec![word.clone()]),
            Block::Div(
                wrapper_attr("a.md@2:1-2:4".into()),
                vec![Block::Para(vec![word.clone()])],
            ),
            Block::Div(other.clone(), Vec::new()),
        ];
        assert!(has_positions(&doc) && has_wrappers(&doc));
        strip_positions(&mut doc);
        let plain = Attr {
            id: "h".into(),
            classes: Vec::new(),
            attributes: vec![("k".into(), "v".into())],
        };
        assert_eq!(
            doc,
            vec![
                Block::Header(1, plain, vec![word.clone()]),
                Block::Para(vec![word]),
                Block::Div(other, Vec::new()),
            ]
        );
        // A `data-pos` of another form is not a position.
        assert!(!has_positions(&doc));
        let header = vec![Block::Header(
            1,
            Attr {
                attributes: vec![pos("a.md@1:1-1:5")],
                ..Attr::default()
            },
            Vec::new(),
        )];
        assert!(has_positions(&header) && !has_wrappers(&header));
    }

    #[test]
    fn line_index_counts_characters() {
        let text = "ab\nété x\n";
        let idx = LineIndex::new(text);
        let x = text.find('x').expect("x");
        assert_eq!(idx.line_col(text, x), (2, 5));
        assert_eq!(idx.offset(text, (2, 5)), Some(x));
        assert_eq!(idx.offset(text, (2, 7)), None);
        assert_eq!(idx.offset(text, (3, 1)), Some(text.len()));
    }
}

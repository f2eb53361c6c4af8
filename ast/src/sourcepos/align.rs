//! The aligner behind `md2ast --sourcepos` and `ast-filters --check`/`--fix`:
//! the nodes of a document read from Markdown, found in that Markdown.
//!
//! Each block is aligned with the source text, in document order, a
//! cursor moving forward through the files. Each `Str` is found from the
//! cursor as the reader makes it from its source ([`find_word`]: escapes,
//! smart punctuation, entities), the markup between is skipped; the text of
//! code, math and raw inlines is found as written. Notes are found at
//! their definitions, metadata under its key in the YAML blocks. A piece of
//! text that cannot be found (text the reader makes up, such as example
//! numbers) gets no position.
//!
//! Two granularities ([`Granularity`]): md2ast gives each block, nested
//! ones too, its position (a block's words are found again from there, at
//! once, by whoever needs them: [`place_words`]), which keeps `--sourcepos`
//! cheap (a wrapper per run of words made md2ast three times as slow);
//! words are placed in the metadata, and by [`place_words`] everywhere: a
//! run of words with the spaces between them gets one wrapper `Span`
//! (pandoc wraps each word and each space), markup without attributes
//! (emphasis, quotes, math...) one each, nodes with attributes a `data-pos`.

use std::collections::HashMap;

use super::{data_pos, find_word, is_wrapper, wrapper_attr, SourcePos, DATA_POS};
use crate::{Attr, Block, Caption, Inline, Meta, MetaValue, Pandoc, Row};

/// How far a piece of text is looked for from the cursor: inside a block,
/// and for the first text of a top-level block (which may come after note
/// and reference definitions).
const NEAR: usize = 4 << 10;
const FAR: usize = 64 << 10;

/// What gets a position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Granularity {
    /// Every block, nested ones too (a list item's, a quote's, a note's,
    /// a table cell's), and the metadata's words: a word's place is found
    /// again from its innermost block ([`place_words`]).
    Nested,
    /// Every block, run of words and piece of markup.
    Words,
}

/// Places the nodes of a document in its Markdown sources.
pub struct Aligner {
    granularity: Granularity,
    /// The sources, each followed by a blank line.
    text: String,
    /// Each source: where it starts in `text`, its first line, its name.
    files: Vec<(usize, usize, String)>,
    /// Start of each line of `text`.
    lines: Vec<usize>,
    /// The YAML blocks: their ranges in `text`.
    yaml: Vec<(usize, usize)>,
    cursor: usize,
    /// Note labels and where their text starts (found on first use).
    notes: Option<HashMap<String, usize>>,
    /// The last column computed: (line start, offset, column), so that
    /// columns along a line cost one pass over it.
    last_col: (usize, usize, usize),
    /// The line of the last column computed.
    last_line: usize,
    /// The ranges of a paragraph's lines (its inlines between line
    /// breaks, soft or hard), while its inlines are placed.
    segments: Option<Vec<(usize, usize)>>,
}

impl Aligner {
    /// An aligner over `sources` (name, text), read as one document.
    /// `yaml`: each YAML block's first line (0-based, in the sources read
    /// as one text, each followed by a blank line) and its number of lines.
    pub fn new(
        sources: &[(&str, &str)],
        yaml: &[(usize, usize)],
        granularity: Granularity,
    ) -> Aligner {
        let total: usize = sources.iter().map(|s| s.1.len() + 2).sum();
        let mut text = String::with_capacity(total);
        let mut files = Vec::with_capacity(sources.len());
        let mut lines = vec![0];
        for &(path, source) in sources {
            let base = text.len();
            files.push((base, lines.len() - 1, path.to_string()));
            text.push_str(source);
            if !text.ends_with('\n') {
                text.push('\n');
            }
            text.push('\n');
            lines
                .extend(memchr::memchr_iter(b'\n', &text.as_bytes()[base..]).map(|i| base + i + 1));
        }
        // The reader's lines are the normalised text's (CRLF as LF): the
        // same lines, one per `\n`.
        let yaml = yaml
            .iter()
            .filter_map(|&(first, count)| {
                let start = *lines.get(first)?;
                let end = lines.get(first + count).copied().unwrap_or(text.len());
                Some((start, end))
            })
            .collect();
        Aligner {
            granularity,
            text,
            files,
            lines,
            yaml,
            cursor: 0,
            notes: None,
            last_col: (usize::MAX, 0, 0),
            last_line: 0,
            segments: None,
        }
    }

    /// `path@line:col-line:col` of a byte range of `text`.
    fn pos(&mut self, start: usize, end: usize) -> String {
        let f = self.files.partition_point(|f| f.0 <= start).max(1) - 1;
        let (a, b) = (self.line_col(start), self.line_col(end));
        let first = self.files[f].1;
        format!(
            "{}@{}:{}-{}:{}",
            self.files[f].2,
            a.0 - first,
            a.1,
            b.0 - first,
            b.1
        )
    }

    /// The position of a block made of several lines: each line's range,
    /// as pandoc writes a paragraph of a block quote (`f@1:3-1:9;2:3-2:8`),
    /// so that a word's line is known and its column found within it.
    fn pos_of_lines(&mut self, start: usize, end: usize, lines: &[(usize, usize)]) -> String {
        let whole = lines.first().is_some_and(|l| l.0 == start)
            && lines.iter().map(|l| l.1).max() == Some(end);
        if lines.len() < 2 || !whole {
            return self.pos(start, end);
        }
        let mut out = self.pos(lines[0].0, lines[0].1);
        let first = self.files[self.files.partition_point(|f| f.0 <= start).max(1) - 1].1;
        for &(s, e) in &lines[1..] {
            let (a, b) = (self.line_col(s), self.line_col(e));
            use std::fmt::Write;
            let _ = write!(out, ";{}:{}-{}:{}", a.0 - first, a.1, b.0 - first, b.1);
        }
        out
    }

    fn line_col(&mut self, offset: usize) -> (usize, usize) {
        // Offsets mostly move forward, a line or two at a time.
        let mut line = self.last_line;
        if self.lines[line] <= offset && self.lines.get(line + 1).is_some_and(|&n| n <= offset) {
            line += 1;
        }
        if !(self.lines[line] <= offset && self.lines.get(line + 1).is_none_or(|&n| n > offset)) {
            line = self.lines.partition_point(|&s| s <= offset).max(1) - 1;
        }
        self.last_line = line;
        let start = self.lines[line];
        let (cached_start, cached_offset, cached_col) = self.last_col;
        let col = if cached_start == start && cached_offset <= offset {
            cached_col + chars(&self.text[cached_offset..offset])
        } else {
            chars(&self.text[start..offset])
        };
        self.last_col = (start, offset, col);
        (line + 1, col + 1)
    }

    /// The nearest character boundary at or before `i`.
    fn floor(&self, mut i: usize) -> usize {
        while !self.text.is_char_boundary(i) {
            i -= 1;
        }
        i
    }

    fn line_start(&self, offset: usize) -> usize {
        self.lines[self.lines.partition_point(|&s| s <= offset).max(1) - 1]
    }

    /// Skips spaces and line breaks (a backslash at the end of a line is one).
    fn skip_space(&self, mut p: usize) -> usize {
        let b = self.text.as_bytes();
        while p < b.len() {
            match b[p] {
                b' ' | b'\t' | b'\r' | b'\n' => p += 1,
                b'\\' if matches!(b.get(p + 1), Some(b'\n')) => p += 2,
                b'\\' if b.get(p + 1) == Some(&b'\r') && b.get(p + 2) == Some(&b'\n') => p += 3,
                _ => break,
            }
        }
        p
    }

    /// Finds the source of a `Str` from the cursor, within `window` bytes.
    fn find_str(&self, s: &str, window: usize) -> Option<(usize, usize)> {
        find_word(&self.text, self.cursor, self.cursor + window, s)
    }

    /// Finds text written as is (code, math, raw) from the cursor.
    fn find_verbatim(&self, s: &str, window: usize) -> Option<(usize, usize)> {
        if s.is_empty() {
            return None;
        }
        let end = self.floor((self.cursor + window + s.len()).min(self.text.len()));
        let hay = self.text.get(self.cursor..end)?;
        hay.find(s)
            .map(|i| (self.cursor + i, self.cursor + i + s.len()))
    }

    /// Skips the markup that closes an inline from `p`: emphasis marks, a
    /// closing quote, `]` followed by a link's target or reference, and
    /// attributes in braces.
    fn tail(&self, mut p: usize, marks: Marks) -> usize {
        let t = &self.text;
        let b = t.as_bytes();
        let closing: &[u8] = match marks {
            Marks::Quote => {
                if let Some(c) = t[p..].chars().next() {
                    if matches!(c, '"' | '\'' | '\u{201d}' | '\u{2019}') {
                        p += c.len_utf8();
                    } else {
                        // pandoc closes a quote after a space too, and drops
                        // the space (`"Il a dit "oui"` is `Quoted [Il a dit]`
                        // then `oui\u{201d}`).
                        let q = p + t[p..].len() - t[p..].trim_start_matches([' ', '\t']).len();
                        if q > p && matches!(b.get(q), Some(b'"' | b'\'')) {
                            p = q + 1;
                        }
                    }
                }
                return p;
            }
            Marks::Emphasis => b"*_",
            Marks::Tilde => b"~",
            Marks::Caret => b"^",
            Marks::Bracket => b"",
            Marks::Verbatim => b"`$",
        };
        while p < b.len() && closing.contains(&b[p]) {
            p += 1;
        }
        if b.get(p) == Some(&b']') {
            p += 1;
            if let Some(&open @ (b'(' | b'[')) = b.get(p) {
                p = self.balanced(p, open);
            }
        }
        if b.get(p) == Some(&b'{') {
            p = self.balanced(p, b'{');
        }
        p
    }

    /// The end of a bracketed group that opens at `p` (nested groups and
    /// escapes skipped), or `p` when it does not close nearby.
    fn balanced(&self, p: usize, open: u8) -> usize {
        let close = match open {
            b'(' => b')',
            b'[' => b']',
            _ => b'}',
        };
        let b = self.text.as_bytes();
        let mut depth = 0;
        let mut i = p;
        let end = (p + 4096).min(b.len());
        while i < end {
            match b[i] {
                b'\\' => i += 1,
                c if c == open => depth += 1,
                c if c == close => {
                    depth -= 1;
                    if depth == 0 {
                        return i + 1;
                    }
                }
                _ => {}
            }
            i += 1;
        }
        p
    }

    /// Annotates a top-level block.
    /// Places a top-level block (the next one of the document).
    pub fn top_block(&mut self, b: &mut Block) {
        self.skip_definitions();
        self.block(b, FAR);
    }

    /// Moves the cursor past the note and reference definitions that come
    /// next (their text is not where the blocks after them are).
    fn skip_definitions(&mut self) {
        let b = self.text.as_bytes();
        // A block starts on a line of its own: the rest of the line of the
        // block before (a table's closing `|`) is not looked at.
        if self.cursor > 0 && b[self.cursor - 1] != b'\n' {
            self.cursor =
                memchr::memchr(b'\n', &b[self.cursor..]).map_or(b.len(), |i| self.cursor + i + 1);
        }
        loop {
            let p = self.skip_space(self.cursor);
            let start = self.line_start(p);
            let line = &self.text[start..];
            let indent = line.len() - line.trim_start_matches(' ').len();
            let rest = &line[indent..];
            let is_definition = indent <= 3
                && rest.starts_with('[')
                && rest
                    .find("]:")
                    .is_some_and(|close| !rest[..close].contains('\n'));
            if !is_definition {
                return;
            }
            // The definition's lines, then those indented under it (a
            // note's later paragraphs), up to a line that is neither.
            let mut q = start;
            let mut first = true;
            loop {
                let end = memchr::memchr(b'\n', &b[q..]).map_or(b.len(), |i| q + i + 1);
                let line = &self.text[q..end];
                let blank = line.trim().is_empty();
                let indented = line.starts_with("    ") || line.starts_with('\t');
                if q >= b.len() || !(first || blank || indented || !prev_blank(b, q)) {
                    break;
                }
                first = false;
                q = end;
            }
            if q <= self.cursor {
                return;
            }
            self.cursor = q;
        }
    }

    /// Annotates the metadata, each value found under its key in the YAML
    /// blocks (the last block holding it, whose value wins).
    pub fn meta(&mut self, meta: &mut Meta) {
        let granularity = std::mem::replace(&mut self.granularity, Granularity::Words);
        for (key, value) in meta.iter_mut() {
            let found = self
                .yaml
                .iter()
                .rev()
                .find_map(|&(s, e)| self.find_key(key, s, e).map(|p| (p, e)));
            if let Some((p, end)) = found {
                self.cursor = p;
                self.meta_value(value, end);
            }
        }
        self.cursor = 0;
        self.granularity = granularity;
    }

    /// The byte offset of a 1-based `line:col` of the text.
    fn offset_of(&self, (line, col): (usize, usize)) -> Option<usize> {
        let &start = self.lines.get(line.checked_sub(1)?)?;
        Some(
            self.text[start..]
                .char_indices()
                .nth(col.saturating_sub(1))
                .map_or(self.text.len(), |(i, _)| start + i),
        )
    }

    /// Places the words of `b`, a block placed at `pos` by md2ast. False,
    /// and `b` left as it is, when the block is not found where `pos` says
    /// (its file changed since).
    fn place_block_at(&mut self, b: &mut Block, pos: &SourcePos) -> bool {
        let (Some(start), Some(end)) = (self.offset_of(pos.start), self.offset_of(pos.end)) else {
            return false;
        };
        let mut placed = b.clone();
        self.cursor = start;
        if self.block(&mut placed, NEAR) != Some((start, end)) {
            return false;
        }
        *b = placed;
        true
    }

    /// Places the words of a paragraph's inlines line by line, each line
    /// (its inlines between line breaks) from its range in `lines` (md2ast's
    /// position of the paragraph): when the paragraph as a whole is not
    /// where its position says (a filter changed a word at one of its
    /// ends), the other lines still are. Returns the lines not found.
    #[allow(clippy::type_complexity)]
    fn place_lines_at(
        &mut self,
        ils: &mut Vec<Inline>,
        lines: &[((usize, usize), (usize, usize))],
    ) -> Vec<((usize, usize), (usize, usize))> {
        let is_break = |il: &Inline| matches!(il, Inline::SoftBreak | Inline::LineBreak);
        let count = ils.iter().filter(|il| is_break(il)).count() + 1;
        if count != lines.len() {
            return lines.to_vec();
        }
        let mut lost = Vec::new();
        let old = std::mem::take(ils);
        let mut segment: Vec<Inline> = Vec::new();
        let mut line = lines.iter();
        let mut place = |this: &mut Aligner, segment: &mut Vec<Inline>, out: &mut Vec<Inline>| {
            let Some(&(start, end)) = line.next() else {
                return;
            };
            let mut placed = segment.clone();
            let found = match (this.offset_of(start), this.offset_of(end)) {
                (Some(s), Some(e)) => {
                    this.cursor = s;
                    this.inlines(&mut placed, NEAR) == Some((s, e))
                }
                _ => false,
            };
            if found {
                out.append(&mut placed);
                segment.clear();
            } else {
                lost.push((start, end));
                out.append(segment);
            }
        };
        for il in old {
            if is_break(&il) {
                place(self, &mut segment, ils);
                ils.push(il);
            } else {
                segment.push(il);
            }
        }
        place(self, &mut segment, ils);
        lost
    }

    /// Where the value of `key:` starts, at the start of a line of `s..e`.
    fn find_key(&self, key: &str, s: usize, e: usize) -> Option<usize> {
        let region = &self.text[s..e];
        let mut from = 0;
        while let Some(i) = region[from..].find(key) {
            let at = from + i;
            let line_start = region[..at].rfind('\n').map_or(0, |n| n + 1);
            let after = &region[at + key.len()..];
            if region[line_start..at]
                .bytes()
                .all(|c| c == b' ' || c == b'-')
                && after.trim_start_matches(['"', '\'']).starts_with(':')
            {
                return Some(s + at + key.len());
            }
            from = at + key.len();
        }
        None
    }

    fn meta_value(&mut self, value: &mut MetaValue, end: usize) {
        match value {
            MetaValue::MetaInlines(ils) => {
                self.inlines(ils, NEAR);
            }
            MetaValue::MetaBlocks(bs) => {
                self.blocks(bs, NEAR);
            }
            MetaValue::MetaList(items) => items.iter_mut().for_each(|v| self.meta_value(v, end)),
            MetaValue::MetaMap(map) => {
                let start = self.cursor;
                for (k, v) in map.iter_mut() {
                    if let Some(p) = self.find_key(k, start, end) {
                        self.cursor = p;
                        self.meta_value(v, end);
                    }
                }
            }
            MetaValue::MetaBool(_) | MetaValue::MetaString(_) => {}
        }
    }

    fn blocks(&mut self, bs: &mut [Block], window: usize) -> Option<(usize, usize)> {
        let mut ext: Option<(usize, usize)> = None;
        let mut window = window;
        for b in bs {
            ext = union(ext, self.block(b, window));
            window = NEAR;
        }
        ext
    }

    /// Annotates a block; returns its range.
    fn block(&mut self, b: &mut Block, window: usize) -> Option<(usize, usize)> {
        let mut lines = Vec::new();
        let (ext, wrap) = match b {
            Block::Plain(ils) | Block::Para(ils) => {
                self.segments = Some(Vec::new());
                let ext = self.inlines(ils, window);
                lines = self.segments.take().unwrap_or_default();
                (ext, true)
            }
            Block::LineBlock(lines) => {
                let mut ext = None;
                let mut w = window;
                for l in lines {
                    ext = union(ext, self.inlines(l, w));
                    w = NEAR;
                }
                (ext, true)
            }
            Block::Header(_, attr, ils) => {
                let ext = self
                    .inlines(ils, window)
                    .map(|(s, e)| (self.line_start(s), e));
                self.set_pos(attr, ext);
                (ext, false)
            }
            Block::CodeBlock(attr, text) => {
                let ext = self.verbatim_block(text, window);
                self.set_pos(attr, ext);
                (ext, false)
            }
            Block::RawBlock(_, text) => (self.verbatim_block(text, window), true),
            Block::BlockQuote(bs) => (self.blocks(bs, window), true),
            Block::OrderedList(_, items) | Block::BulletList(items) => {
                let mut ext = None;
                let mut w = window;
                for item in items {
                    ext = union(ext, self.blocks(item, w));
                    w = NEAR;
                }
                (ext, true)
            }
            Block::DefinitionList(items) => {
                let mut ext = None;
                let mut w = window;
                for (term, defs) in items {
                    ext = union(ext, self.inlines(term, w));
                    w = NEAR;
                    for d in defs {
                        ext = union(ext, self.blocks(d, w));
                    }
                }
                (ext, true)
            }
            Block::HorizontalRule => {
                let s = self.skip_space(self.cursor);
                let e = self.text[s..].find('\n').map_or(self.text.len(), |i| s + i);
                self.cursor = e;
                (Some((s, e)), true)
            }
            Block::Table(t) => {
                let start = self.cursor;
                let mut ext = None;
                let mut w = window;
                for rows in std::iter::once(&mut t.head.1)
                    .chain(t.bodies.iter_mut().flat_map(|b| [&mut b.2, &mut b.3]))
                    .chain(std::iter::once(&mut t.foot.1))
                {
                    for Row(_, cells) in rows.iter_mut() {
                        for cell in cells.iter_mut() {
                            ext = union(ext, self.blocks(&mut cell.4, w));
                            w = NEAR;
                        }
                    }
                }
                // The caption is before the table (a line `: ...` or
                // `Table: ...` between the block before and the first
                // cell) or after it.
                let cells_end = self.cursor;
                let first_cell = ext.map_or(start, |e| e.0);
                // From the start of the line (a table placed again from
                // its position starts at its caption's text).
                let from = self.line_start(start.min(first_cell));
                let before = self.text[from..first_cell]
                    .split_inclusive('\n')
                    .scan(from, |at, line| {
                        let here = *at;
                        *at += line.len();
                        Some((here, line.trim_start()))
                    })
                    .find(|(_, l)| l.starts_with(':') || l.starts_with("Table:"))
                    .map(|(at, _)| at);
                match before {
                    Some(at) => {
                        self.cursor = at;
                        ext = union(ext, self.caption(&mut t.caption, first_cell - at));
                        self.cursor = self.cursor.max(cells_end);
                    }
                    None => ext = union(ext, self.caption(&mut t.caption, NEAR)),
                }
                self.set_pos(&mut t.attr, ext);
                (ext, false)
            }
            Block::Figure(attr, caption, bs) => {
                // An implicit figure: the caption is the image's text, read
                // twice from the same place.
                let start = self.cursor;
                let cap = self.caption(caption, window);
                let after_caption = self.cursor;
                self.cursor = start;
                let body = self.blocks(bs, window);
                self.cursor = self.cursor.max(after_caption);
                let ext = union(cap, body);
                self.set_pos(attr, ext);
                (ext, false)
            }
            Block::Div(attr, bs) => {
                let ext = self.blocks(bs, window);
                self.set_pos(attr, ext);
                (ext, false)
            }
        };
        if wrap {
            if let Some((s, e)) = ext {
                let inner = std::mem::replace(b, Block::HorizontalRule);
                let pos = self.pos_of_lines(s, e, &lines);
                *b = Block::Div(wrapper_attr(pos), vec![inner]);
            }
        }
        ext
    }

    fn caption(
        &mut self,
        Caption(short, long): &mut Caption,
        window: usize,
    ) -> Option<(usize, usize)> {
        let mut ext = None;
        if let Some(s) = short {
            ext = self.inlines(s, window);
        }
        union(ext, self.blocks(long, window))
    }

    /// The lines of a code or raw block: its first and last lines found.
    fn verbatim_block(&mut self, text: &str, window: usize) -> Option<(usize, usize)> {
        let first = text.lines().find(|l| !l.trim().is_empty())?.trim();
        let (s, e) = self.find_verbatim(first, window)?;
        self.cursor = e;
        let lines = text.lines().filter(|l| !l.trim().is_empty()).count();
        let last = text.lines().rev().find(|l| !l.trim().is_empty());
        // The last line, if there are more, within the block's length.
        let end = match last.filter(|_| lines > 1) {
            Some(last) => self
                .find_verbatim(last.trim(), text.len())
                .map_or(e, |(_, e)| e),
            None => e,
        };
        self.cursor = end;
        Some((self.line_start(s), end))
    }

    fn set_inline_pos(&mut self, attr: &mut Attr, ext: Option<(usize, usize)>) {
        if self.granularity == Granularity::Words {
            self.set_pos(attr, ext);
        }
    }

    fn set_pos(&mut self, attr: &mut Attr, ext: Option<(usize, usize)>) {
        if let Some((s, e)) = ext {
            let pos = self.pos(s, e);
            attr.attributes.push((DATA_POS.into(), pos));
        }
    }

    /// Annotates a list of inlines; returns its range.
    fn inlines(&mut self, ils: &mut Vec<Inline>, window: usize) -> Option<(usize, usize)> {
        let mut ext = None;
        let mut window = window;
        // The placed words: a run of them (with the spaces between) gets
        // one wrapper.
        let words_placed = self.granularity == Granularity::Words;
        let mut words: Vec<Option<(usize, usize)>> = if words_placed {
            vec![None; ils.len()]
        } else {
            Vec::new()
        };
        // A paragraph's own inlines (not those inside them): its lines.
        let mut segments = self.segments.take();
        let mut segment: Option<(usize, usize)> = None;

        for (k, il) in ils.iter_mut().enumerate() {
            let before = self.cursor;
            let (range, wrap) = match il {
                Inline::Str(s) => match self.find_str(s, window) {
                    Some(r) => {
                        self.cursor = r.1;
                        if words_placed {
                            words[k] = Some(r);
                        }
                        (Some(r), false)
                    }
                    None => (None, false),
                },
                Inline::Space => continue,
                Inline::SoftBreak | Inline::LineBreak => {
                    if let (Some(lines), Some(r)) = (&mut segments, segment.take()) {
                        lines.push(r);
                    }
                    continue;
                }
                Inline::Emph(c) | Inline::Strong(c) => {
                    (self.container(c, before, window, Marks::Emphasis), true)
                }
                Inline::Strikeout(c) | Inline::Subscript(c) => {
                    (self.container(c, before, window, Marks::Tilde), true)
                }
                Inline::Superscript(c) => (self.container(c, before, window, Marks::Caret), true),
                Inline::Underline(c) | Inline::SmallCaps(c) | Inline::Cite(_, c) => {
                    (self.container(c, before, window, Marks::Bracket), true)
                }
                Inline::Quoted(_, c) => (self.container(c, before, window, Marks::Quote), true),
                Inline::Span(attr, c) => {
                    let r = self.container(c, before, window, Marks::Bracket);
                    self.set_inline_pos(attr, r);
                    (r, false)
                }
                Inline::Link(attr, c, _) | Inline::Image(attr, c, _) => {
                    let r = self.container(c, before, window, Marks::Bracket);
                    self.set_inline_pos(attr, r);
                    (r, false)
                }
                Inline::Code(attr, text) => {
                    let r = self.verbatim(text, before, window);
                    self.set_inline_pos(attr, r);
                    (r, false)
                }
                Inline::Math(_, text) | Inline::RawInline(_, text) => {
                    (self.verbatim(text, before, window), true)
                }
                Inline::Note(bs) => (self.note(bs, before, window), true),
            };
            window = NEAR;
            ext = union(ext, range);
            if segments.is_some() {
                segment = union(segment, range);
            }
            if let (true, Some((s, e)), Granularity::Words) = (wrap, range, self.granularity) {
                let inner = std::mem::replace(il, Inline::Space);
                *il = Inline::Span(Box::new(wrapper_attr(self.pos(s, e))), vec![inner]);
            }
        }
        if let Some(mut lines) = segments {
            lines.extend(segment);
            self.segments = Some(lines);
        }
        if words.iter().any(Option::is_some) {
            self.wrap_runs(ils, &words);
        }
        ext
    }

    /// Wraps each run of placed words, with the spaces and soft breaks
    /// between them, in one `Span`: a word's own place is found again in
    /// the source by whoever needs it (`ast-filters`), as it was found here;
    /// a wrapper per word would make the JSON four times as large.
    fn wrap_runs(&mut self, ils: &mut Vec<Inline>, words: &[Option<(usize, usize)>]) {
        let old = std::mem::take(ils);
        let mut out = Vec::with_capacity(old.len());
        let mut run: Vec<Inline> = Vec::new();
        // The run's range, and the spaces after its last word (not in it).
        let mut range: Option<(usize, usize)> = None;
        let mut spaces: Vec<Inline> = Vec::new();
        for (il, word) in old.into_iter().zip(words) {
            match (word, &il) {
                (Some(r), _) => {
                    range = Some(range.map_or(*r, |(s, _)| (s, r.1)));
                    run.append(&mut spaces);
                    run.push(il);
                }
                (None, Inline::Space | Inline::SoftBreak) if range.is_some() => spaces.push(il),
                _ => {
                    self.flush_run(&mut out, &mut run, range.take());
                    out.append(&mut spaces);
                    out.push(il);
                }
            }
        }
        self.flush_run(&mut out, &mut run, range);
        out.append(&mut spaces);
        *ils = out;
    }

    fn flush_run(
        &mut self,
        out: &mut Vec<Inline>,
        run: &mut Vec<Inline>,
        range: Option<(usize, usize)>,
    ) {
        if let Some((s, e)) = range {
            let pos = self.pos(s, e);
            out.push(Inline::Span(
                Box::new(wrapper_attr(pos)),
                std::mem::take(run),
            ));
        }
    }

    /// An inline of markup around inlines: from its opening mark (the first
    /// character after `before` that is not a space) to its closing one.
    fn container(
        &mut self,
        c: &mut Vec<Inline>,
        before: usize,
        window: usize,
        marks: Marks,
    ) -> Option<(usize, usize)> {
        let (_, e) = self.inlines(c, window)?;
        let mut s = self.skip_space(before);
        if matches!(marks, Marks::Quote) {
            // From the quote mark, not the markup before it (a definition's
            // `:`, emphasis around the quote: `*"cité"*`).
            let quote_marks = ['"', '\'', '\u{201c}', '\u{2018}'];
            if let Some(q) = self.text.get(s..e).and_then(|t| t.find(quote_marks)) {
                s += q;
            }
        }
        let end = self.tail(e, marks);
        self.cursor = end;
        Some((s.min(e), end))
    }

    fn verbatim(&mut self, text: &str, before: usize, window: usize) -> Option<(usize, usize)> {
        // Code spans may be broken across lines: their first line is looked for.
        let first = text.split('\n').next().unwrap_or(text);
        let (_, e) = self.find_verbatim(first, window)?;
        let s = self.skip_space(before);
        let end = self.tail(e, Marks::Verbatim);
        self.cursor = end;
        Some((s.min(e), end))
    }

    /// A note: inline (`^[...]`) where it is, or a reference (`[^label]`)
    /// whose definition is looked up.
    fn note(&mut self, bs: &mut [Block], before: usize, window: usize) -> Option<(usize, usize)> {
        let near = &self.text[before..self.floor((before + 256).min(self.text.len()))];
        let reference = near.find("[^");
        let inline = near.find("^[");
        match (reference, inline) {
            (Some(r), i) if i.is_none_or(|i| r < i) => {
                let s = before + r;
                let close = self.text[s..].find(']')? + s;
                let label = self.text[s + 2..close].to_string();
                let def = self.note_definition(&label);
                self.cursor = close + 1;
                if let Some(d) = def {
                    let back = self.cursor;
                    self.cursor = d;
                    self.blocks(bs, NEAR);
                    self.cursor = back;
                }
                Some((s, close + 1))
            }
            (_, Some(_)) => {
                let (_, e) = self.blocks(bs, window)?;
                let s = self.skip_space(before);
                let end = self.tail(e, Marks::Verbatim);
                self.cursor = end;
                Some((s, end))
            }
            _ => None,
        }
    }

    /// Where the text of the definition `[^label]:` starts.
    fn note_definition(&mut self, label: &str) -> Option<usize> {
        let text = &self.text;
        let notes = self.notes.get_or_insert_with(|| {
            let mut notes = HashMap::new();
            for &start in &self.lines {
                let line = &text[start..];
                let indent = line.len() - line.trim_start_matches(' ').len();
                let line = &line[indent..];
                if indent > 3 || !line.starts_with("[^") {
                    continue;
                }
                if let Some(close) = line.find("]:") {
                    let label = &line[2..close];
                    if !label.contains(['\n', ']']) {
                        // The last definition is the one the reader keeps
                        // (pandoc 3.9 warns of the others).
                        notes.insert(label.to_string(), start + indent + close + 2);
                    }
                }
            }
            notes
        });
        notes.get(label).copied()
    }
}

fn union(a: Option<(usize, usize)>, b: Option<(usize, usize)>) -> Option<(usize, usize)> {
    match (a, b) {
        (Some(a), Some(b)) => Some((a.0.min(b.0), a.1.max(b.1))),
        (a, None) => a,
        (None, b) => b,
    }
}

/// The marks that close an inline after its content.
#[derive(Clone, Copy)]
enum Marks {
    /// `*` or `_` (emphasis, strong emphasis).
    Emphasis,
    /// `~` (subscript, strikeout).
    Tilde,
    /// `^` (superscript).
    Caret,
    /// `]` and what follows it only (links, spans, citations).
    Bracket,
    /// A closing quote.
    Quote,
    /// Backticks or dollars (code, raw inlines, math).
    Verbatim,
}

/// True when the line before the one at `q` is blank.
fn prev_blank(b: &[u8], q: usize) -> bool {
    if q < 2 {
        return true;
    }
    let before = &b[..q - 1];
    let start = memchr::memrchr(b'\n', before).map_or(0, |i| i + 1);
    before[start..].iter().all(|c| c.is_ascii_whitespace())
}

fn chars(s: &str) -> usize {
    // Counting the bytes that start a character is faster than decoding.
    s.bytes().filter(|&b| (b as i8) >= -0x40).count()
}

/// Places the words of a document whose blocks have positions (`md2ast
/// --sourcepos`): each block that holds words itself (a paragraph, a
/// heading...) is aligned again, word by word, from its start in its
/// source file, read with `read` (once per file); so is a block placed
/// with nothing placed inside it (md2ast's top-level positions of old).
/// Blocks inside a placed one are placed on their own: a pandoc filter
/// that changed a list item leaves the words of the others in place. A
/// block whose file cannot be read, or that already has words placed, is
/// left as it is; so is one not found where its position says, whose
/// position is returned (its file changed since md2ast read it, or a
/// filter changed its text).
pub fn place_words(
    doc: &mut Pandoc,
    mut read: impl FnMut(&str) -> Option<String>,
) -> Vec<SourcePos> {
    let mut placer = WordPlacer {
        aligners: HashMap::new(),
        changed: Vec::new(),
        read: &mut read,
    };
    placer.blocks(&mut doc.blocks);
    placer.changed
}

struct WordPlacer<'r> {
    aligners: HashMap<String, Option<Aligner>>,
    changed: Vec<SourcePos>,
    read: &'r mut dyn FnMut(&str) -> Option<String>,
}

impl WordPlacer<'_> {
    fn blocks(&mut self, bs: &mut [Block]) {
        for b in bs {
            self.block(b);
        }
    }

    fn block(&mut self, b: &mut Block) {
        let (value, inner) = match b {
            Block::Div(attr, inner) if is_wrapper(attr) && inner.len() == 1 => {
                (data_pos(attr).map(str::to_string), &mut inner[0])
            }
            Block::Header(_, attr, _)
            | Block::CodeBlock(attr, _)
            | Block::Div(attr, _)
            | Block::Figure(attr, ..) => (data_pos(attr).map(str::to_string), b),
            Block::Table(t) => (data_pos(&t.attr).map(str::to_string), b),
            _ => (None, b),
        };
        let Some(value) = value else { return };
        let Some(pos) = SourcePos::parse(&value) else {
            return;
        };
        if has_inner_positions(inner) {
            return;
        }
        // A block of blocks whose blocks are placed: each on its own.
        if !holds_words(inner) && has_placed_blocks(inner) {
            self.inner_blocks(inner);
            return;
        }
        // Whatever is placed inside (a note's blocks) is placed again.
        strip_block_positions(inner);
        let aligner = match self.aligners.entry(pos.path.clone()) {
            std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::hash_map::Entry::Vacant(e) => {
                let text = (self.read)(&pos.path);
                e.insert(
                    text.map(|text| Aligner::new(&[(&pos.path, &text)], &[], Granularity::Words)),
                )
            }
        };
        let Some(a) = aligner else { return };
        // The block's own position is there already: its inside only.
        let own = block_attr(inner).map(|a| std::mem::take(&mut a.attributes));
        if !a.place_block_at(inner, &pos) {
            // A paragraph's lines, each on its own.
            let lines: Vec<_> = value
                .rsplit_once('@')
                .and_then(|(_, ranges)| SourcePos::lines(ranges).collect::<Option<Vec<_>>>())
                .unwrap_or_default();
            match inner {
                Block::Para(ils) | Block::Plain(ils) if lines.len() > 1 => {
                    for (start, end) in a.place_lines_at(ils, &lines) {
                        self.changed.push(SourcePos {
                            path: pos.path.clone(),
                            start,
                            end,
                        });
                    }
                }
                _ => self.changed.push(pos),
            }
        }
        match own {
            Some(own) => {
                if let Some(attr) = block_attr(inner) {
                    attr.attributes = own;
                }
            }
            // A wrapper made again around the block: taken off.
            None => {
                if let Block::Div(attr, bs) = inner {
                    if is_wrapper(attr) && bs.len() == 1 {
                        if let Some(only) = bs.pop() {
                            *inner = only;
                        }
                    }
                }
            }
        }
    }

    /// The blocks directly inside `b`.
    fn inner_blocks(&mut self, b: &mut Block) {
        match b {
            Block::BlockQuote(bs) | Block::Div(_, bs) => self.blocks(bs),
            Block::OrderedList(_, items) | Block::BulletList(items) => {
                items.iter_mut().for_each(|i| self.blocks(i))
            }
            Block::Figure(_, Caption(_, long), bs) => {
                self.blocks(long);
                self.blocks(bs);
            }
            Block::Table(t) => {
                self.blocks(&mut t.caption.1);
                for rows in std::iter::once(&mut t.head.1)
                    .chain(t.bodies.iter_mut().flat_map(|b| [&mut b.2, &mut b.3]))
                    .chain(std::iter::once(&mut t.foot.1))
                {
                    for Row(_, cells) in rows.iter_mut() {
                        for cell in cells.iter_mut() {
                            self.blocks(&mut cell.4);
                        }
                    }
                }
            }
            Block::Plain(_)
            | Block::Para(_)
            | Block::LineBlock(_)
            | Block::CodeBlock(..)
            | Block::RawBlock(..)
            | Block::DefinitionList(_)
            | Block::Header(..)
            | Block::HorizontalRule => {}
        }
    }
}

/// True for a block with words of its own, not only in blocks inside it:
/// a table's short caption, a definition list's terms count.
fn holds_words(b: &Block) -> bool {
    match b {
        Block::Plain(_)
        | Block::Para(_)
        | Block::LineBlock(_)
        | Block::CodeBlock(..)
        | Block::RawBlock(..)
        | Block::DefinitionList(_)
        | Block::Header(..)
        | Block::HorizontalRule => true,
        Block::Table(t) => t.caption.0.is_some(),
        Block::Figure(_, c, _) => c.0.is_some(),
        Block::BlockQuote(_) | Block::Div(..) | Block::OrderedList(..) | Block::BulletList(_) => {
            false
        }
    }
}

/// True when a block inside `b` (not in a note) has a position.
fn has_placed_blocks(b: &Block) -> bool {
    let mut found = false;
    let mut check = |b: &Block| {
        found |= match b {
            Block::Div(attr, _) => data_pos(attr).is_some(),
            Block::Header(_, attr, _) | Block::CodeBlock(attr, _) | Block::Figure(attr, ..) => {
                data_pos(attr).is_some()
            }
            Block::Table(t) => data_pos(&t.attr).is_some(),
            _ => false,
        }
    };
    match b {
        Block::BlockQuote(bs) | Block::Div(_, bs) => bs.iter().for_each(&mut check),
        Block::OrderedList(_, items) | Block::BulletList(items) => {
            items.iter().flatten().for_each(&mut check)
        }
        Block::Figure(_, Caption(_, long), bs) => long.iter().chain(bs.iter()).for_each(check),
        Block::Table(t) => t
            .caption
            .1
            .iter()
            .chain(
                std::iter::once(&t.head.1)
                    .chain(t.bodies.iter().flat_map(|b| [&b.2, &b.3]))
                    .chain(std::iter::once(&t.foot.1))
                    .flatten()
                    .flat_map(|Row(_, cells)| cells.iter().flat_map(|c| c.4.iter())),
            )
            .for_each(check),
        _ => {}
    }
    found
}

/// Takes the positions out of the blocks inside `b` (a note's, md2ast's
/// nested ones): its wrappers and their `data-pos`, its own kept.
fn strip_block_positions(b: &mut Block) {
    let own = block_attr(b).map(|a| std::mem::take(&mut a.attributes));
    super::strip_positions(b);
    if let (Some(own), Some(attr)) = (own, block_attr(b)) {
        attr.attributes = own;
    }
}

/// The attributes of a block that has some.
fn block_attr(b: &mut Block) -> Option<&mut Attr> {
    match b {
        Block::Header(_, a, _)
        | Block::CodeBlock(a, _)
        | Block::Div(a, _)
        | Block::Figure(a, ..) => Some(a),
        Block::Table(t) => Some(&mut t.attr),
        _ => None,
    }
}

/// True when a position is found inside `b` (a word's or a block's).
fn has_inner_positions(b: &Block) -> bool {
    let mut found = false;
    crate::query_inlines(b, |il: &Inline| {
        found |= matches!(il, Inline::Span(a, _) if is_wrapper(a));
    });
    found
}

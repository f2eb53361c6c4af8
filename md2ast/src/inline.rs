//! The inline parser: pandoc's Markdown inline grammar, as a recursive descent
//! parser over one block's text. Like pandoc's, a construct that does not
//! close leaves its opening characters as text and keeps what was parsed.

use ast::{Attr, Citation, CitationMode, Format, Inline, MathType, QuoteType, Target};

use crate::attr::{is_space, parse_attributes, parse_raw_attribute};
use crate::convert::Conv;

/// pandoc's default list of abbreviations: a following space becomes a no-break space.
const ABBREVIATIONS: &[&str] = &[
    "aet.", "aetat.", "al.", "Apr.", "Aug.", "bk.", "Bros.", "c.", "Capt.", "cf.", "ch.", "chap.",
    "chs.", "Co.", "col.", "Corp.", "cp.", "d.", "Dec.", "Dr.", "e.g.", "ed.", "eds.", "esp.",
    "f.", "fasc.", "Feb.", "ff.", "fig.", "fl.", "fol.", "fols.", "Fr.", "Gen.", "Gov.", "Hon.",
    "i.e.", "ill.", "Inc.", "incl.", "Jan.", "Jr.", "Jul.", "Jun.", "Ltd.", "M.A.", "M.D.", "Mar.",
    "Mr.", "Mrs.", "Ms.", "n.", "n.b.", "nn.", "No.", "Nov.", "Oct.", "p.", "Ph.D.", "pp.",
    "Pres.", "Prof.", "pt.", "q.v.", "Rep.", "Rev.", "s.v.", "s.vv.", "saec.", "sec.", "Sen.",
    "Sep.", "Sept.", "Sgt.", "Sr.", "St.", "univ.", "viz.", "vol.", "vs.",
];

/// Nesting deeper than this reads the opening character as text.
const MAX_NESTING: usize = 64;

/// `char::is_alphanumeric` with a fast path for the accented Latin letters
/// of French text (U+00C0 to U+024F, all letters but `×` and `÷`).
#[inline]
fn is_alnum(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else if ('\u{c0}'..='\u{24f}').contains(&c) {
        c != '\u{d7}' && c != '\u{f7}'
    } else {
        c.is_alphanumeric()
    }
}

/// Adds an inline, merging as pandoc's `Inlines` monoid does.
pub(crate) fn push(out: &mut Vec<Inline>, il: Inline) {
    use Inline::*;
    let Some(last) = out.last_mut() else {
        out.push(il);
        return;
    };
    match (last, il) {
        (Str(a), Str(b)) => a.push_str(&b),
        (Space, Space) => {}
        (last @ Space, SoftBreak) => *last = SoftBreak,
        (SoftBreak, Space) => {}
        (SoftBreak, SoftBreak) => {}
        (last @ (Space | SoftBreak), LineBreak) => *last = LineBreak,
        (LineBreak, Space | SoftBreak) => {}
        // pandoc-types' builder joins the two lists as they are (`[Str
        // "b"] <> [Str "c"]`), without merging where they meet.
        (Emph(a), Emph(b))
        | (Strong(a), Strong(b))
        | (Underline(a), Underline(b))
        | (Strikeout(a), Strikeout(b))
        | (Superscript(a), Superscript(b))
        | (Subscript(a), Subscript(b)) => a.extend(b),
        (_, il) => out.push(il),
    }
}

/// `push(out, Inline::Space)`, the most frequent push, without moving a
/// whole `Inline` through the general match.
fn push_space(out: &mut Vec<Inline>) {
    if !matches!(
        out.last(),
        Some(Inline::Space | Inline::SoftBreak | Inline::LineBreak)
    ) {
        out.push(Inline::Space);
    }
}

pub(crate) fn extend(out: &mut Vec<Inline>, more: Vec<Inline>) {
    let mut it = more.into_iter();
    if let Some(first) = it.next() {
        push(out, first);
        out.extend(it);
    }
}

fn push_str(out: &mut Vec<Inline>, s: &str) {
    if let Some(Inline::Str(a)) = out.last_mut() {
        a.push_str(s);
    } else {
        out.push(Inline::Str(s.to_string()));
    }
}

/// About how many inlines `text` makes: a word and a space for each space
/// or line break of prose.
fn estimate_inlines(text: &[u8]) -> usize {
    // Counted a block of bytes at a time into a byte, which vectorizes.
    let gaps: usize = text
        .chunks(255)
        .map(|c| {
            let n = c
                .iter()
                .fold(0u8, |n, &b| n + u8::from(b == b' ' || b == b'\n'));
            usize::from(n)
        })
        .sum();
    2 * gaps + 2
}

/// What [`trim`] removes at either end.
fn is_space_inline(i: &Inline) -> bool {
    matches!(i, Inline::Space | Inline::SoftBreak)
}

/// pandoc's `trimInlines`: no leading or trailing spaces and breaks.
pub(crate) fn trim(mut v: Vec<Inline>) -> Vec<Inline> {
    while v.last().is_some_and(is_space_inline) {
        v.pop();
    }
    let lead = v.iter().take_while(|i| is_space_inline(i)).count();
    if lead > 0 {
        v.drain(..lead);
    }
    v
}

/// Where a sequence of inlines stops.
/// How a sub-text is read, as pandoc reads it (see `InlineParser::chunk`).
#[derive(Clone, Copy, PartialEq)]
enum Chunk {
    /// `parseFromString`: the position after the last word is kept.
    Shared,
    /// `parseFromString'`: none before it.
    Fresh,
    /// In place (a native span): not one of pandoc's chunks.
    InPlace,
}

/// What an attempt that fails puts back (see `InlineParser::save_last`).
#[derive(Clone, Copy)]
struct Saved {
    last_str_end: usize,
    chunk_str: Option<(u32, u32, u32)>,
    in_inline_note: bool,
}

/// Added to the chunk depth of a text pandoc reads in place.
const IN_PLACE_CHUNK: u32 = 1000;

#[derive(Clone, Copy, PartialEq)]
enum Stop {
    Ender(u8, usize),
    DoubleQuote,
    Strike,
}

pub(crate) struct InlineParser<'a, 'c> {
    s: &'a str,
    b: &'a [u8],
    pos: usize,
    /// End of the last `str` run, for `_` emphasis and quotes after words.
    last_str_end: usize,
    /// How deep in pandoc's `parseFromString` chunks this text is (0: the
    /// block's own text). pandoc keeps the position after the last `str`
    /// across chunks, and a chunk's positions restart at line 1, column 1
    /// (under a name one `_chunk` longer per level): a later chunk at the
    /// same depth sees a word end where that one was (`^A^ [[@s]]`: no
    /// citation at the `@`, column 2 like the end of `A`).
    chunk: u32,
    /// A line and column computed before, to count on from.
    line_col: std::cell::Cell<(usize, u32, u32)>,
    /// Where the white space an emphasis opener took with it (`* `, as
    /// pandoc's `enclosure` reads it) ends: no space before a `~~` there.
    ws_taken_to: usize,
    in_single: bool,
    in_double: bool,
    in_link: bool,
    /// Attempts that failed (a quote, strikeout or script that never
    /// closed), by position, kind and quote context: trying one again would
    /// fail again, and retrying nested failures is exponential.
    failed: std::collections::HashSet<(usize, u8)>,
    /// Matching `[` and `]` positions, computed once when first needed:
    /// finding each `]` by scanning is quadratic on many unclosed `[`.
    bracket_pairs: Option<Vec<(usize, usize)>>,
    /// Where the last `\end{NAME}` of the text starts, by environment name
    /// (computed once per name): a `\begin{NAME}` after it never closes,
    /// and scanning to the end for each of many unclosed ones is quadratic.
    last_env_end: std::collections::HashMap<&'a str, Option<usize>>,
    depth: usize,
    /// The next word starts a new `Str` (after a line break dropped
    /// between East Asian characters, as pandoc's filter leaves them).
    split_str: bool,
    pub(crate) conv: &'c mut Conv,
}

impl<'a, 'c> InlineParser<'a, 'c> {
    pub(crate) fn new(s: &'a str, conv: &'c mut Conv) -> Self {
        InlineParser {
            s,
            b: s.as_bytes(),
            pos: 0,
            last_str_end: usize::MAX,
            chunk: 0,
            line_col: std::cell::Cell::new((0, 1, 1)),
            ws_taken_to: usize::MAX,
            in_single: false,
            in_double: false,
            in_link: false,
            failed: std::collections::HashSet::new(),
            bracket_pairs: None,
            last_env_end: std::collections::HashMap::new(),
            depth: 0,
            split_str: false,
            conv,
        }
    }

    /// Parses the whole text.
    pub(crate) fn parse(mut self) -> Vec<Inline> {
        // Sized once rather than grown: an `Inline` is large to move.
        let mut out = Vec::with_capacity(estimate_inlines(self.b));
        // To the end, without asking at each inline whether to stop.
        while self.pos < self.b.len() {
            self.inline(&mut out);
        }
        out
    }

    /// Parses the whole text, trimmed as [`trim`] does. When it makes more
    /// than `limit` inlines, they go to `emit` in chunks as they are parsed
    /// (so that a huge paragraph is never held whole) and `None` is
    /// returned; otherwise nothing is emitted and they are returned.
    ///
    /// A chunk never takes the last inline parsed, which the next one may
    /// merge into ([`push`] only ever touches the last element), nor the
    /// spaces before it, which trimming may drop: the concatenated chunks
    /// are exactly what [`parse`](Self::parse) and [`trim`] give.
    pub(crate) fn parse_chunked<E>(
        mut self,
        limit: usize,
        emit: &mut dyn FnMut(Vec<Inline>) -> Result<(), E>,
    ) -> Result<Option<Vec<Inline>>, E> {
        let mut out = Vec::with_capacity(estimate_inlines(self.b).min(limit.saturating_add(16)));
        let mut emitted = false;
        while self.pos < self.b.len() {
            self.inline(&mut out);
            if out.len() <= limit {
                continue;
            }
            let mut keep = out.len() - 1;
            while keep > 0 && is_space_inline(&out[keep - 1]) {
                keep -= 1;
            }
            let mut chunk: Vec<Inline> = out.drain(..keep).collect();
            if !emitted {
                // Leading spaces of the paragraph are trimmed.
                let lead = chunk.iter().take_while(|i| is_space_inline(i)).count();
                chunk.drain(..lead);
            }
            if !chunk.is_empty() {
                emit(chunk)?;
                emitted = true;
            }
        }
        if !emitted {
            return Ok(Some(trim(out)));
        }
        while out.last().is_some_and(is_space_inline) {
            out.pop();
        }
        if !out.is_empty() {
            emit(out)?;
        }
        Ok(None)
    }

    fn sub(&mut self, text: &str, in_link: bool) -> Vec<Inline> {
        self.sub_chunk(text, in_link, Chunk::Shared)
    }

    /// [`Self::sub`], the text being a chunk of kind `kind`.
    fn sub_chunk(&mut self, text: &str, in_link: bool, kind: Chunk) -> Vec<Inline> {
        if kind == Chunk::Fresh {
            // pandoc's `parseFromString'`: no word end before it.
            self.conv.chunk_str = None;
        }
        let mut p = InlineParser::new(text, self.conv);
        p.chunk = match kind {
            Chunk::Shared | Chunk::Fresh => self.chunk + 1,
            // Read in place by pandoc: positions apart from any chunk's.
            Chunk::InPlace => self.chunk + IN_PLACE_CHUNK,
        };
        p.in_link = in_link || self.in_link;
        p.depth = self.depth + 1;
        // pandoc parses bracketed text in the same state: inside quotes, a
        // quote of the same kind opens nothing there either.
        p.in_single = self.in_single;
        p.in_double = self.in_double;
        if p.depth > MAX_NESTING {
            return vec![Inline::Str(text.to_string())];
        }
        p.parse()
    }

    #[inline]
    fn peek(&self) -> Option<u8> {
        self.b.get(self.pos).copied()
    }

    #[inline]
    fn at(&self, i: usize) -> Option<u8> {
        self.b.get(i).copied()
    }

    fn char_at(&self, i: usize) -> Option<char> {
        self.s.get(i..)?.chars().next()
    }

    fn is_alnum_at(&self, i: usize) -> bool {
        self.char_at(i).is_some_and(is_alnum)
    }

    fn seq(&mut self, out: &mut Vec<Inline>, stop: Stop) {
        while self.pos < self.b.len() && !self.at_stop(stop) {
            self.inline(out);
        }
    }

    fn at_stop(&self, stop: Stop) -> bool {
        match stop {
            Stop::Ender(c, n) => self.ender(c, n),
            Stop::DoubleQuote => {
                self.peek() == Some(b'"') || self.s[self.pos..].starts_with('\u{201d}')
            }
            Stop::Strike => self.s[self.pos..].starts_with("~~"),
        }
    }

    fn ender(&self, c: u8, n: usize) -> bool {
        let p = self.pos;
        if p + n > self.b.len() || !self.b[p..p + n].iter().all(|&x| x == c) {
            return false;
        }
        c == b'*' || !self.is_alnum_at(p + n)
    }

    fn single_quote_end(&self) -> bool {
        let rest = &self.s[self.pos..];
        let n = if rest.starts_with('\'') {
            1
        } else if rest.starts_with('\u{2019}') {
            3
        } else {
            return false;
        };
        !self.is_alnum_at(self.pos + n)
    }

    fn not_after_string(&self) -> bool {
        !self.after_str(self.pos)
    }

    /// Whether `at` is where pandoc's last `str` ended (see [`Self::chunk`]).
    fn after_str(&self, at: usize) -> bool {
        if self.last_str_end == at {
            return true;
        }
        match self.conv.chunk_str {
            Some((chunk, line, col)) if chunk == self.chunk && self.chunk > 0 => {
                self.line_col_at(at) == (line, col)
            }
            _ => false,
        }
    }

    /// Line and column (pandoc's: a tab to the next multiple of 8, plus 1)
    /// of byte `at`.
    fn line_col_at(&self, at: usize) -> (u32, u32) {
        let (mut i, mut line, mut col) = self.line_col.get();
        if at < i {
            (i, line, col) = (0, 1, 1);
        }
        for ch in self.s[i..at].chars() {
            match ch {
                '\n' => {
                    line += 1;
                    col = 1;
                }
                '\t' => col += 8 - (col - 1) % 8,
                _ => col += 1,
            }
        }
        i = at;
        self.line_col.set((i, line, col));
        (line, col)
    }

    /// Records a word end at `at` (pandoc's `updateLastStrPos`).
    fn set_last_str(&mut self, at: usize) {
        self.last_str_end = at;
        // In the block's own text, a position no chunk has.
        self.conv.chunk_str = if self.chunk > 0 {
            let (line, col) = self.line_col_at(at);
            Some((self.chunk, line, col))
        } else {
            None
        };
    }

    /// The word end and the note state, to restore after an attempt that
    /// failed (an inline note in it left the note state).
    fn save_last(&self) -> Saved {
        Saved {
            last_str_end: self.last_str_end,
            chunk_str: self.conv.chunk_str,
            in_inline_note: self.conv.in_inline_note,
        }
    }

    fn restore_last(&mut self, saved: Saved) {
        self.last_str_end = saved.last_str_end;
        self.conv.chunk_str = saved.chunk_str;
        self.conv.in_inline_note = saved.in_inline_note;
    }

    /// Parses one inline at `pos` (which is before the end).
    fn inline(&mut self, out: &mut Vec<Inline>) {
        let c = self.b[self.pos];
        let done = match c {
            b' ' | b'\t' => {
                self.whitespace(out);
                true
            }
            b'\n' => {
                self.line_end(out);
                true
            }
            b'`' => self.code(out),
            b'_' | b'*' => self.enclosure(out, c),
            b'^' => {
                (self.conv.ext.inline_notes && self.inline_note(out))
                    || (self.conv.ext.superscript && self.script(out, b'^'))
            }
            b'[' => self.bracket(out),
            b'!' => self.image(out),
            b'$' => self.conv.ext.tex_math_dollars && self.math(out),
            b'~' => {
                (self.conv.ext.strikeout && self.strikeout(out))
                    || (self.conv.ext.subscript && self.script(out, b'~'))
            }
            b'<' => self.angle(out),
            b'\\' => self.backslash(out),
            b'@' => (self.conv.ext.citations && self.textual_cite(out)) || self.example_ref(out),
            b'"' | b'\'' => self.conv.ext.smart && self.smart_quote(out, c),
            b'-' => {
                (self.conv.ext.citations
                    && self.at(self.pos + 1) == Some(b'@')
                    && self.textual_cite(out))
                    || (self.conv.ext.smart && self.dash(out))
            }
            b'.' => self.conv.ext.smart && self.ellipses(out),
            b'&' => self.char_ref(out),
            b'=' => self.conv.ext.mark && self.mark(out),
            _ => false,
        };
        if !done {
            self.str_or_symbol(out);
        }
    }

    /// A newline in a paragraph: a `SoftBreak`, a `LineBreak` under
    /// `hard_line_breaks`, nothing between two East Asian wide characters
    /// under `east_asian_line_breaks`.
    fn line_end(&mut self, out: &mut Vec<Inline>) {
        let before = self.s[..self.pos].chars().next_back();
        self.pos += 1;
        if self.pos == self.b.len() {
            // pandoc's `endline` at the end of text read apart (`[a` line
            // break `]`): nothing.
            return;
        }
        self.skip_spaces();
        if self.conv.ext.hard_line_breaks {
            push(out, Inline::LineBreak);
            return;
        }
        if self.conv.ext.east_asian_line_breaks
            && before.is_some_and(is_east_asian_wide)
            && self.char_at(self.pos).is_some_and(is_east_asian_wide)
        {
            self.split_str = true;
            return;
        }
        push(out, Inline::SoftBreak);
    }

    /// `==text==` under `mark`: a span of class `mark`.
    fn mark(&mut self, out: &mut Vec<Inline>) -> bool {
        let r = &self.s[self.pos..];
        if !r.starts_with("==") || r[2..].starts_with([' ', '\t', '\n', '=']) {
            return false;
        }
        let Some(close) = r[2..].find("==") else {
            return false;
        };
        let inner = r[2..2 + close].to_string();
        if inner.ends_with([' ', '\t', '\n']) {
            return false;
        }
        self.pos += 2 + close + 2;
        let ils = self.sub_chunk(&inner, false, Chunk::InPlace);
        push(
            out,
            Inline::Span(
                Box::new(Attr {
                    classes: vec!["mark".into()],
                    ..Attr::default()
                }),
                ils,
            ),
        );
        true
    }

    fn skip_spaces(&mut self) {
        while self.peek().is_some_and(is_space) {
            self.pos += 1;
        }
    }

    fn whitespace(&mut self, out: &mut Vec<Inline>) {
        let start = self.pos;
        self.skip_spaces();
        if self.pos - start >= 2 && self.peek() == Some(b'\n') {
            self.pos += 1;
            self.skip_spaces();
            push(out, Inline::LineBreak);
        } else {
            push_space(out);
        }
    }

    fn str_or_symbol(&mut self, out: &mut Vec<Inline>) {
        let start = self.pos;
        let mut i = start;
        while let Some(&c) = self.b.get(i) {
            if c.is_ascii_alphanumeric() {
                i += 1;
            } else if c == b'.' {
                if self.b.get(i + 1) == Some(&b'.') {
                    break;
                }
                i += 1;
            } else if c >= 0x80 {
                let ch = self.s[i..].chars().next().unwrap_or(' ');
                if is_alnum(ch) {
                    i += ch.len_utf8();
                } else {
                    break;
                }
            } else {
                break;
            }
        }
        if i == start {
            // A symbol: one character.
            let ch = self.s[start..].chars().next().unwrap_or(' ');
            self.pos += ch.len_utf8();
            push_str(out, &self.s[start..self.pos]);
            return;
        }
        self.pos = i;
        self.set_last_str(i);
        let word = &self.s[start..i];
        let split = std::mem::take(&mut self.split_str);
        match out.last_mut() {
            Some(Inline::Str(a)) if !split => a.push_str(word),
            _ => {
                // A word not followed by a space usually gets more appended
                // (`l’équipe`, `mot,`): room for it saves a reallocation.
                let more = self.b.get(i).is_some_and(|&c| c != b' ' && c != b'\n');
                let mut st = String::with_capacity(word.len() + if more { 16 } else { 0 });
                st.push_str(word);
                out.push(Inline::Str(st));
            }
        }
        if word.ends_with('.') && self.conv.ext.smart && self.is_abbreviation(word) {
            // A space after an abbreviation becomes a no-break space.
            let mut j = i;
            while self.b.get(j).is_some_and(|&c| is_space(c)) {
                j += 1;
            }
            // Also before a line break, unless two spaces make it a hard
            // one (a text's final line end is one: a paragraph's text ends
            // before it; a tight item's or definition's, not followed by a
            // blank line, with it).
            let hard_break = j - i >= 2 && self.b.get(j) == Some(&b'\n');
            if j > i && !hard_break && !self.starts_cite_or_note(j) {
                self.pos = j;
                push_str(out, "\u{a0}");
            }
        }
    }

    fn is_abbreviation(&self, word: &str) -> bool {
        match &self.conv.abbreviations {
            Some(list) => list.contains(word),
            None => ABBREVIATIONS.contains(&word),
        }
    }

    /// Whether a citation or a note reference (`[^x]`) starts at `j`, as
    /// pandoc's `notFollowedBy (cite <|> note)` after an abbreviation.
    fn starts_cite_or_note(&mut self, j: usize) -> bool {
        let r = &self.s[j..];
        if starts_note_marker(r) {
            return true;
        }
        if !self.conv.ext.citations {
            return false;
        }
        if let Some((_, key, _)) = self.cite_key_at(j) {
            // A reference to an earlier example is none (`textualCite`).
            let earlier_example = self.conv.examples.contains_key(key)
                && self
                    .conv
                    .example_ordinals
                    .get(key)
                    .is_none_or(|&o| o <= self.conv.examples_seen);
            return !earlier_example;
        }
        if !r.starts_with('[') {
            return false;
        }
        // A bracketed citation (not a link, nor text before a reference),
        // read and undone.
        let (pos, last, counter) = (self.pos, self.save_last(), self.conv.note_counter);
        self.pos = j;
        let mut scratch = Vec::new();
        let cites = self.bracket(&mut scratch) && matches!(scratch.first(), Some(Inline::Cite(..)));
        self.pos = pos;
        self.restore_last(last);
        self.conv.note_counter = counter;
        cites
    }

    fn code(&mut self, out: &mut Vec<Inline>) -> bool {
        let start = self.pos;
        let n = self.b[start..].iter().take_while(|&&c| c == b'`').count();
        let mut i = start + n;
        while self.at(i).is_some_and(is_space) {
            i += 1;
        }
        let content_start = i;
        // Find a run of exactly n backticks.
        let mut j = content_start;
        let close = loop {
            let Some(p) = self.s[j..].find('`') else {
                return false;
            };
            let at = j + p;
            let m = self.b[at..].iter().take_while(|&&c| c == b'`').count();
            if m == n {
                break at;
            }
            j = at + m;
        };
        let raw = &self.s[content_start..close];
        // A blank line ends the paragraph, so no code span spans one.
        let pieces: Vec<&str> = raw.split('\n').collect();
        if pieces.len() > 2
            && pieces[1..pieces.len() - 1]
                .iter()
                .any(|l| l.trim().is_empty())
        {
            return false;
        }
        // pandoc trims the code, a newline after the backticks included.
        let content = raw.replace('\n', " ").trim_matches([' ', '\t']).to_string();
        self.pos = close + n;
        let rest = &self.s[self.pos..];
        if let Some((f, len)) = parse_raw_attribute(rest) {
            self.pos += len;
            push(out, Inline::RawInline(Format(f), content));
        } else if let Some((attr, len)) = parse_attributes(rest) {
            self.pos += len;
            push(out, Inline::Code(Box::new(attr), content));
        } else {
            push(out, Inline::Code(Box::default(), content));
        }
        true
    }

    fn enclosure(&mut self, out: &mut Vec<Inline>, c: u8) -> bool {
        if c == b'_' && !self.not_after_string() {
            return false;
        }
        if self.depth > MAX_NESTING {
            return false;
        }
        let start = self.pos;
        let n = self.b[start..].iter().take_while(|&&x| x == c).count();
        self.pos += n;
        let run = &self.s[start..start + n];
        if self.peek().is_some_and(is_space) {
            push_str(out, run);
            self.whitespace(out);
            self.ws_taken_to = self.pos;
            return true;
        }
        self.depth += 1;
        match n {
            3 => self.three(out, c),
            2 => self.two(out, c, Vec::new()),
            1 => self.one(out, c, Vec::new()),
            _ => push_str(out, run),
        }
        self.depth -= 1;
        true
    }

    fn one(&mut self, out: &mut Vec<Inline>, c: u8, prefix: Vec<Inline>) {
        let mut contents = prefix;
        while self.pos < self.b.len() {
            if !self.ender(c, 1) {
                self.inline(&mut contents);
                continue;
            }
            if self.at(self.pos + 1) == Some(c) {
                let save = self.pos;
                self.pos += 2;
                if !self.ender(c, 1) {
                    self.depth += 1;
                    self.two(&mut contents, c, Vec::new());
                    self.depth -= 1;
                    continue;
                }
                self.pos = save;
            }
            break;
        }
        if self.ender(c, 1) {
            self.pos += 1;
            self.set_last_str(self.pos);
            push(out, Inline::Emph(contents));
        } else {
            push_str(out, if c == b'*' { "*" } else { "_" });
            extend(out, contents);
        }
    }

    fn two(&mut self, out: &mut Vec<Inline>, c: u8, prefix: Vec<Inline>) {
        let mut contents = prefix;
        self.seq(&mut contents, Stop::Ender(c, 2));
        if self.ender(c, 2) {
            self.pos += 2;
            self.set_last_str(self.pos);
            push(out, Inline::Strong(contents));
        } else {
            push_str(out, if c == b'*' { "**" } else { "__" });
            extend(out, contents);
        }
    }

    fn three(&mut self, out: &mut Vec<Inline>, c: u8) {
        let mut contents = Vec::new();
        self.seq(&mut contents, Stop::Ender(c, 1));
        if self.ender(c, 3) {
            self.pos += 3;
            self.set_last_str(self.pos);
            push(out, Inline::Strong(vec![Inline::Emph(contents)]));
        } else if self.ender(c, 2) {
            self.pos += 2;
            self.set_last_str(self.pos);
            self.one(out, c, vec![Inline::Strong(contents)]);
        } else if self.ender(c, 1) {
            self.pos += 1;
            self.set_last_str(self.pos);
            self.two(out, c, vec![Inline::Emph(contents)]);
        } else {
            push_str(out, if c == b'*' { "***" } else { "___" });
            extend(out, contents);
        }
    }

    /// `^sup^` or `~sub~`. As pandoc 3.9 reads them, the closing
    /// delimiter is the next one in the text (no white space before it,
    /// a backslash escaping the character after it), whatever the
    /// characters between make (`^a[^b]` closes at the `^` of `[^`); the
    /// characters between are then read as inlines. `^^` is an empty
    /// superscript.
    fn script(&mut self, out: &mut Vec<Inline>, c: u8) -> bool {
        let start = self.pos;
        let mut i = start + 1;
        let close = loop {
            match self.at(i) {
                None | Some(b' ' | b'\t' | b'\n') => return false,
                Some(x) if x == c => break i,
                Some(b'\\') if !matches!(self.at(i + 1), None | Some(b'\n')) => {
                    i += 1 + self.char_at(i + 1).map_or(1, char::len_utf8);
                }
                Some(_) => i += self.char_at(i).map_or(1, char::len_utf8),
            }
        };
        let inner = &self.s[start + 1..close];
        let contents = if inner.is_empty() {
            Vec::new()
        } else {
            let inner = inner.to_string();
            self.sub(&inner, false)
        };
        self.pos = close + 1;
        push(
            out,
            if c == b'^' {
                Inline::Superscript(contents)
            } else {
                Inline::Subscript(contents)
            },
        );
        true
    }

    fn strikeout(&mut self, out: &mut Vec<Inline>) -> bool {
        let start = self.pos;
        if !self.s[start..].starts_with("~~") {
            return false;
        }
        let next = self.at(start + 2);
        if next.is_none() || next.is_some_and(|c| is_space(c) || c == b'\n' || c == b'~') {
            return false;
        }
        let key = (start, b'S' | self.quote_flags());
        if self.failed.contains(&key) {
            return false;
        }
        self.pos += 2;
        let mut contents = Vec::new();
        let save = self.conv.note_counter;
        let saved = self.save_last();
        self.depth += 1;
        self.seq(&mut contents, Stop::Strike);
        self.depth -= 1;
        // pandoc's `inlinesBetween`: no space or tab before the closing
        // `~~`, but a line break may be (then trimmed).
        // The white space before it: spaces alone, or two or more before
        // a line break (a hard break), fail; a line break, or one space and
        // a line break, do not.
        let mut run = self.b[..self.pos]
            .iter()
            .rev()
            .take_while(|&&c| is_space(c) || c == b'\n')
            .count();
        // An escaped space (`\ `, a no-break space) is no white space; an
        // escaped line end is a line break, which takes the spaces after it.
        let slashes = self.b[..self.pos - run]
            .iter()
            .rev()
            .take_while(|&&c| c == b'\\')
            .count();
        if self.ws_taken_to == self.pos {
            run = 0;
        }
        if run > 0 && slashes % 2 == 1 {
            run = if self.b[self.pos - run] == b'\n' {
                0
            } else {
                run - 1
            };
        }
        // pandoc reads the white space after an abbreviation with the word
        // (a no-break space, or a line break): none is left before `~~`.
        if run > 0 && self.conv.ext.smart {
            let before = &self.s[..self.pos - run];
            // pandoc's word: letters, digits and periods (`d_c.` ends in `c.`).
            let start = before
                .char_indices()
                .rev()
                .take_while(|&(_, c)| c.is_alphanumeric() || c == '.')
                .last()
                .map_or(before.len(), |(k, _)| k);
            let word = before[start..].trim_start_matches('.');
            if word.ends_with('.') && self.is_abbreviation(word) {
                run = 0;
            }
        }
        let ws = &self.b[self.pos - run..self.pos];
        let space_before_end = match ws.iter().position(|&c| c == b'\n') {
            None => run > 0,
            Some(nl) => nl >= 2,
        };
        if self.s[self.pos..].starts_with("~~") && !contents.is_empty() && !space_before_end {
            self.pos += 2;
            trim_end_spaces(&mut contents);
            push(out, Inline::Strikeout(contents));
            true
        } else {
            self.pos = start;
            self.conv.note_counter = save;
            self.restore_last(saved);
            self.failed.insert(key);
            false
        }
    }

    /// Index of the `]` matching the `[` at `open`.
    fn bracket_end(&mut self, open: usize) -> Option<usize> {
        let pairs = self
            .bracket_pairs
            .get_or_insert_with(|| match_brackets(self.s, self.conv.ext.tex_math_dollars));
        pairs
            .binary_search_by_key(&open, |p| p.0)
            .ok()
            .map(|i| pairs[i].1)
    }

    /// The quote context, as bits above the ASCII range of a `failed` key.
    fn quote_flags(&self) -> u8 {
        (u8::from(self.in_single) << 7) | (u8::from(self.in_double) << 6)
    }

    fn inline_note(&mut self, out: &mut Vec<Inline>) -> bool {
        if self.at(self.pos + 1) != Some(b'[') {
            return false;
        }
        let Some(end) = self.bracket_end(self.pos + 1) else {
            return false;
        };
        // pandoc does not take `^[...]` as a note when `[` or `(` follows
        // (a link after a `^`, or text), nor attributes (a span).
        if matches!(self.at(end + 1), Some(b'[' | b'('))
            || (self.at(end + 1) == Some(b'{') && parse_attributes(&self.s[end + 1..]).is_some())
        {
            return false;
        }
        let text = self.s[self.pos + 2..end].to_string();
        self.pos = end + 1;
        self.conv.note_counter += 1;
        self.conv.in_inline_note = true;
        // Not trimmed: pandoc keeps the spaces inside `^[ ... ]`.
        let ils = self.sub(&text, false);
        // pandoc ends an inline note by leaving the note state, even in an
        // inline note: citations after a nested one count again.
        self.conv.in_inline_note = false;
        push(out, Inline::Note(vec![ast::Block::Para(ils)]));
        true
    }

    fn math(&mut self, out: &mut Vec<Inline>) -> bool {
        let s = &self.s[self.pos..];
        if let Some(rest) = s.strip_prefix("$$") {
            // Display math: up to the next `$$`, no blank line inside.
            let Some(p) = rest.find("$$") else {
                return false;
            };
            let content = &rest[..p];
            if content.is_empty() || content.contains("\n\n") {
                return false;
            }
            self.pos += 2 + p + 2;
            let content = if self.conv.ext.latex_macros {
                self.conv.macros.expand(content)
            } else {
                content.to_string()
            };
            push(out, Inline::Math(MathType::DisplayMath, content));
            return true;
        }
        let b = s.as_bytes();
        if b.len() < 3 || matches!(b[1], b' ' | b'\t' | b'\n') {
            return false;
        }
        let mut i = 1;
        let mut content = String::new();
        while i < b.len() {
            match b[i] {
                // `\text{...}` is read whole: its balanced braces may hold `$`.
                b'\\' if s[i + 1..].starts_with("text{") && text_group_end(b, i + 5).is_some() => {
                    let e = text_group_end(b, i + 5).unwrap_or(i + 5);
                    content.push_str(&s[i..e]);
                    i = e;
                }
                b'\\' if i + 1 < b.len() => {
                    let ch = s[i + 1..].chars().next().unwrap_or(' ');
                    content.push('\\');
                    content.push(ch);
                    i += 1 + ch.len_utf8();
                }
                b'$' => {
                    if b.get(i + 1).is_some_and(u8::is_ascii_digit) {
                        return false;
                    }
                    if content.is_empty() {
                        return false;
                    }
                    self.pos += i + 1;
                    let content = if self.conv.ext.latex_macros {
                        self.conv.macros.expand(&content)
                    } else {
                        content
                    };
                    push(out, Inline::Math(MathType::InlineMath, content));
                    return true;
                }
                b' ' | b'\t' | b'\n' => {
                    let ws = i;
                    while i < b.len() && matches!(b[i], b' ' | b'\t' | b'\n') {
                        i += 1;
                    }
                    if s[ws..i].matches('\n').count() > 1 || b.get(i) == Some(&b'$') || i >= b.len()
                    {
                        return false;
                    }
                    // Kept as written, line breaks included (a `%` in TeX
                    // comments out the rest of its line only), but for the
                    // spaces before a line end (pandoc's `blankline`).
                    let run = &b[ws..i];
                    let kept = match run.iter().rposition(|&c| c == b'\n') {
                        Some(nl) => {
                            content.push('\n');
                            &run[nl + 1..]
                        }
                        None => run,
                    };
                    for &c in kept {
                        content.push(if c == b'\t' { ' ' } else { char::from(c) });
                    }
                }
                _ => {
                    let ch = s[i..].chars().next().unwrap_or(' ');
                    content.push(ch);
                    i += ch.len_utf8();
                }
            }
        }
        false
    }

    /// An autolink ending at `end` (its `>`), with the attributes that
    /// follow it, or without any pandoc's `class` (`uri`, `email`).
    fn autolink(
        &mut self,
        out: &mut Vec<Inline>,
        end: usize,
        class: &str,
        text: String,
        url: String,
    ) {
        self.pos += end + 1;
        let attr = match parse_attributes(&self.s[self.pos..]) {
            Some((attr, len)) => {
                self.pos += len;
                attr
            }
            None => Attr {
                classes: vec![class.into()],
                ..Attr::default()
            },
        };
        let target = Target {
            url,
            title: String::new(),
        };
        push(
            out,
            Inline::Link(Box::new(attr), vec![Inline::Str(text)], Box::new(target)),
        );
    }

    fn backslash(&mut self, out: &mut Vec<Inline>) -> bool {
        let Some(ch) = self.char_at(self.pos + 1) else {
            return false;
        };
        if ch == '\n' {
            self.pos += 2;
            self.skip_spaces();
            push(out, Inline::LineBreak);
            return true;
        }
        if ch == ' ' {
            self.pos += 2;
            push_str(out, "\u{a0}");
            return true;
        }
        if ch.is_alphabetic() {
            if !self.conv.ext.raw_tex {
                return false;
            }
            if self.env_never_closes() {
                return false;
            }
            if let Some(len) = tex_command_len(&self.s[self.pos..]) {
                let text = &self.s[self.pos..self.pos + len];
                let raw = self.conv.process_raw_tex(tex_raw_text(text));
                self.pos += control_line_end(text).unwrap_or(len - doubled_hashes(text));
                push(out, Inline::RawInline(Format("tex".into()), raw));
                return true;
            }
            return false;
        }
        if !ch.is_alphanumeric() && !ch.is_whitespace() {
            self.pos += 1 + ch.len_utf8();
            let mut buf = [0u8; 4];
            push_str(out, ch.encode_utf8(&mut buf));
            return true;
        }
        false
    }

    /// Whether a `\begin{NAME}` at `pos` has no `\end{NAME}` after it (it is
    /// then text, as [`tex_environment_len`] finds).
    fn env_never_closes(&mut self) -> bool {
        let s: &'a str = self.s;
        let Some(rest) = s[self.pos..].strip_prefix("\\begin{") else {
            return false;
        };
        let Some(e) = rest.find(['}', '\n']) else {
            return false;
        };
        let name = &rest[..e];
        let last = *self
            .last_env_end
            .entry(name)
            .or_insert_with(|| s.rfind(&format!("\\end{{{name}}}")));
        last.is_none_or(|l| l < self.pos)
    }

    fn smart_quote(&mut self, out: &mut Vec<Inline>, c: u8) -> bool {
        let next = self.at(self.pos + 1);
        let next_ok = next.is_some_and(|x| !is_space(x) && x != b'\n');
        if c == b'\'' {
            let key = (self.pos, b'\'' | self.quote_flags());
            if !self.in_single
                && self.not_after_string()
                && next_ok
                && self.depth < MAX_NESTING
                && !self.failed.contains(&key)
            {
                let start = self.pos;
                let save_counter = self.conv.note_counter;
                let save_last = self.save_last();
                self.pos += 1;
                self.in_single = true;
                self.depth += 1;
                let mut contents = Vec::new();
                // many1Till: not the closing quote at once (pandoc tries it
                // first: `'''` is three apostrophes), one inline, then until
                // the closing quote.
                let mut ok = false;
                let empty = self.peek() == Some(b'\'') && self.single_quote_end();
                if !empty {
                    self.inline(&mut contents);
                    loop {
                        if self.single_quote_end() {
                            ok = true;
                            break;
                        }
                        if self.pos >= self.b.len() {
                            break;
                        }
                        self.inline(&mut contents);
                    }
                }
                self.depth -= 1;
                self.in_single = false;
                if ok {
                    self.pos += if self.peek() == Some(b'\'') { 1 } else { 3 };
                    trim_end_spaces(&mut contents);
                    push(out, Inline::Quoted(QuoteType::SingleQuote, contents));
                    return true;
                }
                self.pos = start + 1;
                self.conv.note_counter = save_counter;
                self.restore_last(save_last);
                self.failed.insert(key);
                push_str(out, "\u{2019}");
                return true;
            }
            self.pos += 1;
            push_str(out, "\u{2019}");
            return true;
        }
        // Double quote.
        let key = (self.pos, b'"' | self.quote_flags());
        // Right after a word, `"` closes (pandoc's `doubleCloseQuote`).
        let opens = !self.in_double && next_ok && self.not_after_string();
        if opens && self.failed.contains(&key) {
            // Tried here before and not closed: an opening quote as text.
            self.pos += 1;
            push_str(out, "\u{201c}");
            return true;
        }
        if opens && self.depth < MAX_NESTING {
            let start = self.pos;
            let save_counter = self.conv.note_counter;
            let save_last = self.save_last();
            self.pos += 1;
            self.in_double = true;
            self.depth += 1;
            let mut contents = Vec::new();
            // many1Till: one inline, then until the closing quote; in
            // quotes, no inline starts with `"` (`""` quotes nothing).
            let opens = self.peek() != Some(b'"');
            if opens {
                self.seq(&mut contents, Stop::DoubleQuote);
            }
            self.depth -= 1;
            self.in_double = false;
            if opens && self.peek() == Some(b'"') {
                self.pos += 1;
                trim_end_spaces(&mut contents);
                push(out, Inline::Quoted(QuoteType::DoubleQuote, contents));
                return true;
            }
            self.pos = start + 1;
            self.conv.note_counter = save_counter;
            self.restore_last(save_last);
            self.failed.insert(key);
            push_str(out, "\u{201c}");
            return true;
        }
        self.pos += 1;
        push_str(out, "\u{201d}");
        true
    }

    fn dash(&mut self, out: &mut Vec<Inline>) -> bool {
        let r = &self.s[self.pos..];
        if r.starts_with("---") {
            self.pos += 3;
            push_str(out, "\u{2014}");
            true
        } else if r.starts_with("--") {
            self.pos += 2;
            push_str(out, "\u{2013}");
            true
        } else {
            false
        }
    }

    fn ellipses(&mut self, out: &mut Vec<Inline>) -> bool {
        if self.s[self.pos..].starts_with("...") {
            self.pos += 3;
            push_str(out, "\u{2026}");
            true
        } else {
            false
        }
    }

    fn char_ref(&mut self, out: &mut Vec<Inline>) -> bool {
        match crate::html::char_ref(&self.s[self.pos..]) {
            Some((c, n)) => {
                self.pos += n;
                push_str(out, &c);
                true
            }
            None => false,
        }
    }

    fn angle(&mut self, out: &mut Vec<Inline>) -> bool {
        let r = &self.s[self.pos..];
        // Autolinks: <scheme:...> and <user@host>, not in a link's text.
        // An autolink holds no white space: look no further than that. (After
        // the URL pandoc takes any other characters up to the `>`, `<` too.)
        let end = (!self.in_link).then_some(()).and_then(|()| {
            r[1..]
                .find(['>', ' ', '\t', '\n'])
                .map(|p| p + 1)
                .filter(|&p| r.as_bytes()[p] == b'>')
        });
        if let Some(end) = end {
            let inner = &r[1..end];
            if !inner.is_empty() {
                if is_uri(inner) {
                    let text = autolink_text(inner);
                    let url = escape_uri(&text);
                    self.autolink(out, end, "uri", text, url);
                    return true;
                }
                // After the address pandoc takes any characters up to the
                // `>` (`<a@b<c>`), escaped in the URL.
                let (address, extra) = inner.split_at(inner.find('<').unwrap_or(inner.len()));
                // pandoc reads the address's character references too
                // (`<me@ex&auml;mple.com>`).
                let decoded = if address.contains('&') {
                    std::borrow::Cow::Owned(crate::html::decode_entities(address))
                } else {
                    std::borrow::Cow::Borrowed(address)
                };
                if is_email(&decoded) {
                    let url = format!("mailto:{decoded}{}", escape_uri(extra));
                    self.autolink(out, end, "email", format!("{decoded}{extra}"), url);
                    return true;
                }
                // pandoc's `emailAddress` reads the longest address it can
                // (`<e@x">` is `e@x` and `"`); `autoLink` then takes the
                // rest up to the `>`, its character references read.
                if let Some(p) = email_prefix_len(inner) {
                    let (address, extra) = inner.split_at(p);
                    let decode = |t: &str| {
                        if t.contains('&') {
                            crate::html::decode_entities(t)
                        } else {
                            t.to_string()
                        }
                    };
                    let (address, extra) = (decode(address), decode(extra));
                    let url = format!(
                        "{}{}",
                        escape_uri(&format!("mailto:{address}")),
                        escape_uri(&extra)
                    );
                    self.autolink(out, end, "email", format!("{address}{extra}"), url);
                    return true;
                }
            }
        }
        // A tag of pandoc's block-level HTML in a chunk (a bracket's text,
        // a superscript): no inline parser takes it, and pandoc drops it
        // and the rest of the chunk (`[a <div> b]` is `[a ]`).
        if self.chunk % IN_PLACE_CHUNK != 0 && self.at_block_tag() {
            self.pos = self.b.len();
            return true;
        }
        // A processing instruction (`<?php ... ?>`, `<?xml ...?>`): a
        // letter after `<?`, then up to the first `>`.
        if self.conv.ext.raw_html
            && r.starts_with("<?")
            && r[2..].starts_with(|c: char| c.is_alphabetic())
        {
            if let Some(e) = r.find('>') {
                self.pos += e + 1;
                push(
                    out,
                    Inline::RawInline(Format("html".into()), r[..e + 1].to_string()),
                );
                return true;
            }
        }
        let Some(len) = crate::html::tag_len(r) else {
            return false;
        };
        let tag = &r[..len];
        if tag.len() > 5
            && tag.as_bytes()[..5].eq_ignore_ascii_case(b"<span")
            && matches!(tag.as_bytes()[5], b' ' | b'>' | b'\t' | b'\n' | b'/')
        {
            // A native span up to its matching </span>.
            if let Some(close) = find_span_close(&r[len..]) {
                let attr = crate::html::tag_attr(&tag[5..tag.len() - 1]);
                let inner = r[len..len + close].to_string();
                self.pos += len + close + "</span>".len();
                let ils = self.sub_chunk(&inner, false, Chunk::InPlace);
                push(out, span_with(attr, ils));
                return true;
            }
        }
        if !self.conv.ext.raw_html {
            return false;
        }
        if self.conv.strip_comments && tag.starts_with("<!--") {
            self.pos += len;
            push(out, Inline::RawInline(Format("html".into()), String::new()));
            return true;
        }
        self.pos += len;
        push(
            out,
            Inline::RawInline(Format("html".into()), tag.to_string()),
        );
        true
    }

    fn image(&mut self, out: &mut Vec<Inline>) -> bool {
        if self.at(self.pos + 1) != Some(b'[') {
            return false;
        }
        // pandoc's `reference` takes no note reference (`![^2](u)`: `!`,
        // then the note reference).
        if self.s[self.pos + 1..].starts_with("[^") && starts_note_marker(&self.s[self.pos + 1..]) {
            return false;
        }
        let start = self.pos;
        self.pos += 1;
        match self.link_like(true) {
            Some(il) => {
                push(out, il);
                true
            }
            None => {
                self.pos = start;
                let Some(end) = self.bracket_end(start + 1) else {
                    return false;
                };
                let label = &self.s[start + 2..end];
                // pandoc reads the label before finding no target: its
                // notes and citations are counted, then counted again in
                // the text that replaces the image.
                // (Links allowed, as in an image's text; its last word end
                // is kept: pandoc's `image` puts back no state.)
                let label = label.to_string();
                self.sub(&label, false);
                let label = &self.s[start + 2..end];
                // That text is `!`, then the bracket read again on its own
                // (`![@key]` cites), then the reference part if one follows;
                // attributes after them are dropped.
                let mut next = end + 1;
                let mut reference = None;
                if self.at(next) == Some(b'[') && !matches!(self.at(next + 1), Some(b'^' | b'@')) {
                    if let Some(e) = self.bracket_end(next) {
                        reference = Some(next..e + 1);
                        next = e + 1;
                    }
                }
                let attr_len = parse_attributes(&self.s[next..]).map(|(_, len)| len);
                if reference.is_none() && attr_len.is_none() && !label.contains('@') {
                    // Read in place: the same inlines, context kept.
                    return false;
                }
                let bracket = self.s[start + 1..end + 1].to_string();
                let ils = self.sub_chunk(&bracket, false, Chunk::Fresh);
                push_str(out, "!");
                extend(out, ils);
                if let Some(r) = reference {
                    let raw = self.s[r].to_string();
                    let ils = self.sub_chunk(&raw, false, Chunk::Fresh);
                    extend(out, ils);
                }
                self.pos = next + attr_len.unwrap_or(0);
                true
            }
        }
    }

    fn bracket(&mut self, out: &mut Vec<Inline>) -> bool {
        let r = &self.s[self.pos..];
        if r.starts_with("[^") {
            if let Some(e) = r.find(']') {
                let label = &r[2..e];
                // pandoc: no white space, `^` or `[` in a note label.
                if !label.is_empty() && !label.contains([' ', '\t', '\n', '^', '[']) {
                    self.pos += e + 1;
                    match self.conv.take_note(label) {
                        Some(blocks) => push(out, Inline::Note(blocks)),
                        None => {
                            // pandoc counts a reference to a note it does
                            // not have, and keeps it as text.
                            self.conv.note_counter += 1;
                            let text = format!("[^{label}]");
                            push_str(out, &text);
                        }
                    }
                    return true;
                }
            }
        }
        // A citation has its key inside the bracket, or right after its
        // first `]` (`[a]@k]`: the prefix takes that `]`).
        // (Checked on the text first: reading in place what is no citation
        // again and again, bracket in bracket, is exponential.)
        let has_at = self.conv.ext.citations
            && self.bracket_end(self.pos).is_some_and(|e| {
                has_top_level_at(&self.s[self.pos + 1..e])
                    || self.s[e + 1..].starts_with(['@', '-'])
            });
        if has_at {
            // A link or span first (`[@key](url)`), else a citation.
            let start = self.pos;
            // A note reference after it (`[@key][^1]`) is no link.
            let after = self
                .bracket_end(start)
                .filter(|&e| !self.s[e + 1..].starts_with("[^"))
                .map(|e| self.at(e + 1));
            if matches!(after, Some(Some(b'(' | b'{' | b'['))) {
                // pandoc tries the citation first: it ends at the first
                // `]` after its suffix (`[@e[]]{.c}`: at `[@e[]`), and
                // stands when no `{`, `(` or `[` follows that one.
                let (counter, last) = (self.conv.note_counter, self.save_last());
                let mut cite = Vec::new();
                if self.bracket_cite(&mut cite) == Some(true)
                    && !matches!(self.peek(), Some(b'(' | b'{' | b'['))
                {
                    extend(out, cite);
                    return true;
                }
                self.pos = start;
                self.conv.note_counter = counter;
                self.restore_last(last);
                if let Some(il) = self.link_like(false) {
                    push(out, il);
                    return true;
                }
                self.pos = start;
            }
            // `[@key][ref]` with no such reference is text, not a citation
            // (`[@key][` with no `]` is one).
            let reference_follows = after == Some(Some(b'['))
                && self
                    .bracket_end(start)
                    .is_some_and(|e| self.bracket_end(e + 1).is_some());
            // Nor with a link's destination after it (in a link's text,
            // where it is no link: `[[@s]()](u)`).
            let destination_follows = after == Some(Some(b'('))
                && self
                    .bracket_end(start)
                    .is_some_and(|e| parse_destination(&self.s[e + 1..]).is_some());
            if !reference_follows && !destination_follows {
                if let Some(true) = self.bracket_cite(out) {
                    return true;
                }
            }
        }
        let start = self.pos;
        if let Some(il) = self.link_like(false) {
            push(out, il);
            return true;
        }
        self.pos = start;
        if !self.in_link && self.unresolved_reference(out) {
            return true;
        }
        if self.in_link {
            // In a link's text pandoc tries no link: the `[` is text and
            // what follows is read in place.
            return false;
        }
        // pandoc reads a bracket that is no link on its own: what opens in
        // it (`[c::_d]`) closes in it or stays text, never past the `]`.
        let Some(end) = self.bracket_end(start) else {
            return false;
        };
        let inner = self.s[start + 1..end].to_string();
        // pandoc's `link` puts back the state from before its text, its
        // fallback reading leaves none: no word end from in here.
        let last = self.conv.chunk_str;
        let ils = self.sub_chunk(&inner, false, Chunk::Fresh);
        self.conv.chunk_str = last;
        push_str(out, "[");
        extend(out, ils);
        push_str(out, "]");
        self.pos = end + 1;
        true
    }

    /// `[text][label]`, maybe `{attributes}` after, whose label is no
    /// reference (it was tried as a link first): pandoc's fallback, the
    /// brackets as text, the label read on its own (`[][]()`: no link in
    /// it), the attributes dropped. A note reference or a citation in the
    /// second bracket is no label: read in place.
    fn unresolved_reference(&mut self, out: &mut Vec<Inline>) -> bool {
        let start = self.pos;
        let Some(end) = self.bracket_end(start) else {
            return false;
        };
        if self.at(end + 1) != Some(b'[') {
            return false;
        }
        let Some(label_end) = self.bracket_end(end + 1) else {
            return false;
        };
        if self.s[end + 1..].starts_with("[^") {
            return false;
        }
        if self.conv.ext.citations && has_top_level_at(&self.s[end + 2..label_end]) {
            // pandoc's `normalCite` looked ahead, not followed by `{([`.
            let (counter, last) = (self.conv.note_counter, self.save_last());
            self.pos = end + 1;
            let mut scratch = Vec::new();
            let cite = self.bracket_cite(&mut scratch) == Some(true)
                && !matches!(self.peek(), Some(b'{' | b'(' | b'['));
            self.pos = start;
            self.conv.note_counter = counter;
            self.restore_last(last);
            if cite {
                return false;
            }
        }
        let len = parse_attributes(&self.s[label_end + 1..]).map_or(0, |(_, len)| len);
        let text = self.s[start + 1..end].to_string();
        let label = self.s[end + 1..=label_end].to_string();
        // pandoc reads the label as a reference (counting its notes and
        // citations, its last word end kept), then reads it again, then
        // the text (neither leaving a word end).
        let _ = self.sub_chunk(&label[1..label.len() - 1], false, Chunk::Shared);
        let last = self.conv.chunk_str;
        let label_ils = self.sub_chunk(&label, false, Chunk::Fresh);
        let ils = self.sub_chunk(&text, false, Chunk::Fresh);
        self.conv.chunk_str = last;
        push_str(out, "[");
        extend(out, ils);
        push_str(out, "]");
        extend(out, label_ils);
        self.pos = label_end + 1 + len;
        true
    }

    /// Links, images and bracketed spans at `[` (`pos` is on the `[`).
    fn link_like(&mut self, image: bool) -> Option<Inline> {
        let open = self.pos;
        let end = self.bracket_end(open)?;
        let text = &self.s[open + 1..end];
        let after = end + 1;
        let rest = &self.s[after..];
        if !image {
            if let Some((attr, len)) = parse_attributes(rest) {
                self.pos = after + len;
                let text = text.to_string();
                let ils = trim(self.sub(&text, false));
                return Some(span_with(attr, ils));
            }
        }
        if !image && self.in_link {
            return None;
        }
        let (target, mut next) = if rest.starts_with('(') {
            let (t, len) = parse_destination(rest)?;
            (t, after + len)
        } else {
            // Reference links: [text][ref], [text][], [text].
            let (label, next) = if rest.starts_with('[') {
                let e = self.bracket_end(after)?;
                let l = &self.s[after + 1..e];
                (if l.trim().is_empty() { text } else { l }, e + 1)
            } else {
                (text, after)
            };
            let key = crate::block::normalize_label(label);
            match self.conv.refs.get(&key) {
                Some((url, title, attr)) => {
                    let (url, title, mut attr) = (url.clone(), title.clone(), attr.clone());
                    let mut next = next;
                    // Attributes after the reference (`[a][r]{.c}`) are the link's.
                    if let Some((mut a, len)) = parse_attributes(&self.s[next..]) {
                        // Merged with the reference's, the link's first.
                        if a.id.is_empty() {
                            a.id = std::mem::take(&mut attr.id);
                        }
                        a.classes.append(&mut attr.classes);
                        // The reference's other key-values come first.
                        let mut kvs: Vec<(String, String)> = std::mem::take(&mut attr.attributes)
                            .into_iter()
                            .filter(|(k, _)| !a.attributes.iter().any(|(ak, _)| ak == k))
                            .collect();
                        kvs.append(&mut a.attributes);
                        a.attributes = kvs;
                        attr = a;
                        next += len;
                    }
                    let text = text.to_string();
                    let ils = self.link_text(&text, image, false);
                    self.pos = next;
                    return Some(if image {
                        Inline::Image(Box::new(attr), ils, Box::new(Target { url, title }))
                    } else {
                        Inline::Link(Box::new(attr), ils, Box::new(Target { url, title }))
                    });
                }
                None => {
                    // A heading with no text (`##`) is no implicit target.
                    if key.is_empty() {
                        return None;
                    }
                    let id = self.conv.header_refs.get(&key)?.clone();
                    if image {
                        return None;
                    }
                    (
                        Target {
                            url: format!("#{id}"),
                            title: String::new(),
                        },
                        next,
                    )
                }
            }
        };
        let mut attr = Attr::default();
        if let Some((a, len)) = parse_attributes(&self.s[next..]) {
            attr = a;
            next += len;
        }
        let text = text.to_string();
        let ils = self.link_text(&text, image, rest.starts_with('('));
        self.pos = next;
        Some(if image {
            Inline::Image(Box::new(attr), ils, Box::new(target))
        } else {
            Inline::Link(Box::new(attr), ils, Box::new(target))
        })
    }

    /// The text of a link or image, trimmed. pandoc's `link` reads a link's
    /// text, then puts back the state from before it: the notes and
    /// citations in it take numbers but do not advance the count, the note
    /// state is the one before it, and so is the last word end. A reference link's text is then
    /// read again, links allowed (the fallback, `parseFromString'`): what
    /// that counts stays counted.
    fn link_text(&mut self, text: &str, image: bool, inline: bool) -> Vec<Inline> {
        let (count, last) = (self.conv.note_counter, self.conv.chunk_str);
        let in_note = self.conv.in_inline_note;
        let ils = trim(self.sub(text, !image));
        if !image {
            self.conv.note_counter = count;
            // An inline note in it left the note state: back in it.
            self.conv.in_inline_note = in_note;
            if !inline && text.contains(['@', '^']) {
                let _ = self.sub_chunk(text, false, Chunk::Fresh);
            }
            self.conv.chunk_str = last;
        }
        ils
    }

    /// `[see @key, p. 12; @other]` at `pos`, read in place as pandoc's
    /// `normalCite` reads it: each citation's prefix is inlines up to its
    /// key (or up to a `]`, which it takes), its suffix inlines up to `;` or
    /// `]`; an inline may run past them (`[*@s]`: the unclosed `*` takes
    /// the rest, so there is no citation). On failure nothing is consumed.
    fn bracket_cite(&mut self, out: &mut Vec<Inline>) -> Option<bool> {
        let open = self.pos;
        let key = (open, b'C' | self.quote_flags());
        if self.failed.contains(&key) {
            return None;
        }
        let save_counter = self.conv.note_counter;
        let save_last = self.save_last();
        self.pos += 1;
        // pandoc counts the citation before reading it: one inside it (in
        // its suffix) takes the same number.
        self.conv.count_citations();
        let citations = self.cite_list().filter(|_| {
            self.spnl();
            self.peek() == Some(b']')
        });
        let Some(citations) = citations else {
            self.pos = open;
            self.conv.note_counter = save_counter;
            self.restore_last(save_last);
            self.failed.insert(key);
            return None;
        };
        self.pos += 1;
        let raw = &self.s[open..self.pos];
        push(out, Inline::Cite(citations, text_inlines(raw)));
        Some(true)
    }

    /// Whether a tag of pandoc's block-level HTML is at `pos`, where no
    /// inline parser of pandoc's reads on.
    fn at_block_tag(&self) -> bool {
        self.conv.ext.raw_html
            && self.peek() == Some(b'<')
            && crate::block::is_block_tag_at(&self.s[self.pos..])
    }

    /// pandoc's `spnl`: spaces, at most one line break, spaces.
    fn spnl(&mut self) {
        self.skip_spaces();
        if self.peek() == Some(b'\n') {
            self.pos += 1;
            self.skip_spaces();
        }
    }

    /// A citation key at `pos` (`@key` or `-@key`, not right after a word):
    /// suppress-author, the key and the bytes it takes.
    fn cite_key_at(&self, at: usize) -> Option<(bool, &'a str, usize)> {
        if self.after_str(at) {
            return None;
        }
        let suppress = self.at(at) == Some(b'-');
        let sign = at + usize::from(suppress);
        if self.at(sign) != Some(b'@') {
            return None;
        }
        let s: &'a str = self.s;
        let (key, klen) = cite_key(&s[sign + 1..])?;
        Some((suppress, key, sign + 1 + klen - at))
    }

    /// pandoc's `citeList`: citations separated by `;` (and `spnl`).
    fn cite_list(&mut self) -> Option<Vec<Citation>> {
        self.spnl();
        let mut citations = vec![self.cite_in_list()?];
        while self.peek() == Some(b';') {
            self.pos += 1;
            self.spnl();
            citations.push(self.cite_in_list()?);
        }
        Some(citations)
    }

    /// One citation of a list: prefix, key, suffix, numbered once they
    /// are read.
    fn cite_in_list(&mut self) -> Option<Citation> {
        let mut prefix = Vec::new();
        loop {
            match self.peek() {
                None => return None,
                Some(b']') => {
                    // Taken: the key must follow right after it.
                    self.pos += 1;
                    break;
                }
                _ => {}
            }
            if self.cite_key_at(self.pos).is_some() {
                break;
            }
            if self.peek() == Some(b';') || self.at_block_tag() {
                // A prefix holds no `;` (`[a; @b]`, `[p. 3; voir @y]`), nor
                // a block tag (no inline parser takes one).
                return None;
            }
            self.depth += 1;
            if self.depth > MAX_NESTING {
                self.depth -= 1;
                return None;
            }
            self.inline(&mut prefix);
            self.depth -= 1;
        }
        let (suppress, id, len) = self.cite_key_at(self.pos)?;
        self.pos += len;
        let suffix = self.cite_suffix_here();
        Some(Citation {
            id: id.to_string(),
            prefix: trim(prefix),
            suffix,
            mode: if suppress {
                CitationMode::SuppressAuthor
            } else {
                CitationMode::NormalCitation
            },
            note_num: self.conv.note_num_counted(),
            hash: 0,
        })
    }

    /// pandoc's `suffix`: inlines up to `;` or `]`, trimmed, after a
    /// `Space` when white space starts it.
    fn cite_suffix_here(&mut self) -> Vec<Inline> {
        let has_space = self.peek().is_none_or(|c| is_space(c) || c == b'\n');
        self.spnl();
        let mut suffix = Vec::new();
        while let Some(c) = self.peek() {
            if c == b';' || c == b']' || self.at_block_tag() {
                break;
            }
            self.depth += 1;
            if self.depth > MAX_NESTING {
                self.depth -= 1;
                break;
            }
            self.inline(&mut suffix);
            self.depth -= 1;
        }
        let mut suffix = trim(suffix);
        if has_space && !suffix.is_empty() {
            suffix.insert(0, Inline::Space);
        }
        suffix
    }

    /// pandoc's `exampleRef`, where no citation is (`e@e`): `@` and a
    /// label of letters and digits (`-` or `_` inside), the number of that
    /// example or the text as written. It is no word: a quote after it opens.
    fn example_ref(&mut self, out: &mut Vec<Inline>) -> bool {
        let b = self.b;
        let mut i = self.pos + 1;
        loop {
            let from = i + usize::from(matches!(b.get(i), Some(b'-' | b'_')));
            let mut j = from;
            while let Some(c) = self.char_at(j).filter(|&c| c.is_alphanumeric()) {
                j += c.len_utf8();
            }
            if j == from {
                break;
            }
            i = j;
        }
        let label = &self.s[self.pos + 1..i];
        match self
            .conv
            .examples
            .get(label)
            .filter(|_| !self.conv.ids_pass)
        {
            Some(n) => {
                let n = n.to_string();
                push_str(out, &n);
            }
            None => push_str(out, &self.s[self.pos..i]),
        }
        self.pos = i;
        true
    }

    /// `@key` or `-@key` (`pos` on the `@` or `-`), with an optional
    /// bracket after it: a locator and more citations (`@key [p. 3; @x]`)
    /// or citations (`@key [@x]`), as pandoc's `textualCite`.
    fn textual_cite(&mut self, out: &mut Vec<Inline>) -> bool {
        if !self.not_after_string() {
            return false;
        }
        let start = self.pos;
        let suppress = self.b[start] == b'-';
        let at = start + usize::from(suppress);
        if self.at(at) != Some(b'@') {
            return false;
        }
        let Some((key, klen)) = cite_key(&self.s[at + 1..]) else {
            return false;
        };
        let key = key.to_string();
        let key_end = at + 1 + klen;
        // pandoc reads a reference to an earlier example as such
        // (`exampleRef`, which takes no braces), one to a later example as
        // a citation (it counts) that becomes the example's number when
        // no bracket follows.
        let later_example = self.conv.examples.get(&key).copied().filter(|_| {
            self.conv
                .example_ordinals
                .get(&key)
                .is_some_and(|&o| o > self.conv.examples_seen)
        });
        if let Some(n) = self
            .conv
            .examples
            .get(&key)
            .filter(|_| later_example.is_none())
        {
            if suppress || self.at(at + 1) == Some(b'{') {
                return false;
            }
            // A reference to a numbered example (resolved after the
            // headings' identifiers are made: there it is the text).
            let n = if self.conv.ids_pass {
                self.s[start..key_end].to_string()
            } else {
                n.to_string()
            };
            self.pos = key_end;
            push_str(out, &n);
            return true;
        }
        // pandoc's `cite` counts before reading; what the bracket after
        // counts is undone.
        self.conv.count_citations();
        let counted = self.conv.note_counter;
        let mut first = Citation {
            id: key.clone(),
            prefix: Vec::new(),
            suffix: Vec::new(),
            mode: if suppress {
                CitationMode::SuppressAuthor
            } else {
                CitationMode::AuthorInText
            },
            note_num: self.conv.note_num_counted(),
            hash: 0,
        };
        let save_last = self.save_last();
        // An optional bracket after white space (one line break at most):
        // citations, or a locator (`[p. 3]`) and citations.
        self.pos = key_end;
        self.spnl();
        let open = self.pos;
        let key_bracket = (open, b'T' | self.quote_flags());
        let mut reference_after = false;
        if self.at(open) == Some(b'[')
            && self.at(open + 1) != Some(b'^')
            && self.bracket_end(open).is_some()
            && !self.failed.contains(&key_bracket)
        {
            let inner = self.bracket_end(open).map(|e| &self.s[open + 1..e]);
            // A bracket that is a reference link is that link.
            let is_reference = inner.is_some_and(|inner| {
                let t = inner.trim_start();
                let label = crate::block::normalize_label(inner);
                !(t.starts_with('@') || t.starts_with("-@"))
                    && (self.conv.refs.contains_key(&label)
                        || self.conv.header_refs.contains_key(&label))
            });
            reference_after = is_reference;
            if !is_reference {
                if let Some(more) = self.textual_bracket(&mut first, counted, save_last) {
                    // Not a link's or a span's text.
                    if !matches!(self.peek(), Some(b'[' | b'(' | b'{')) {
                        self.conv.note_counter = counted;
                        let mut citations = vec![first];
                        citations.extend(more);
                        let text = format!("@{key} {}", &self.s[key_end..self.pos]);
                        push(out, Inline::Cite(citations, text_inlines(&text)));
                        return true;
                    }
                    first.suffix.clear();
                }
                self.failed.insert(key_bracket);
            }
        }
        self.pos = key_end;
        self.restore_last(save_last);
        self.conv.note_counter = counted;
        match later_example {
            Some(n) if !reference_after && !self.conv.ids_pass => push_str(out, &n.to_string()),
            _ => push(
                out,
                Inline::Cite(vec![first], vec![Inline::Str(format!("@{key}"))]),
            ),
        }
        true
    }

    /// The bracket after a textual citation (`pos` on its `[`), read in
    /// place: citations (`[@b; @c]`), or a suffix of `first` and maybe
    /// citations after a `;` (pandoc's `bareloc`). On failure `pos`, the
    /// count and the last word end are those before it.
    fn textual_bracket(
        &mut self,
        first: &mut Citation,
        counted: i64,
        save_last: Saved,
    ) -> Option<Vec<Citation>> {
        let open = self.pos;
        let undo = |p: &mut Self| {
            p.pos = open;
            p.conv.note_counter = counted;
            p.restore_last(save_last);
        };
        self.pos += 1;
        if let Some(cs) = self.cite_list() {
            self.spnl();
            if self.peek() == Some(b']') {
                self.pos += 1;
                return Some(cs);
            }
        }
        undo(self);
        self.pos += 1;
        let suffix = self.cite_suffix_here();
        let mut more = Vec::new();
        if self.peek() == Some(b';') {
            let semicolon = self.pos;
            self.pos += 1;
            match self.cite_list() {
                Some(cs) => more = cs,
                None => self.pos = semicolon,
            }
        }
        self.spnl();
        if self.peek() != Some(b']') {
            undo(self);
            return None;
        }
        self.pos += 1;
        first.suffix = suffix;
        Some(more)
    }
}

/// Whether `s` starts with pandoc's `noteMarker`: `[^`, one character or
/// more, then `]`; no white space, `^` or `[` (as `bracket` reads note
/// references).
pub(crate) fn starts_note_marker(s: &str) -> bool {
    let Some(label) = s.strip_prefix("[^") else {
        return false;
    };
    let end = label.find([']', ' ', '\t', '\n', '^', '[']);
    end.is_some_and(|e| e > 0 && label.as_bytes()[e] == b']')
}

/// Where inline math `$...$` at the start of `s` ends (after its closing
/// `$`), as `InlineParser::math` reads it: not before white space, no
/// white space before a `$` (the math fails there), no blank line, no
/// digit after the closing `$`.
pub(crate) fn inline_math_end(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    if b.first() != Some(&b'$') || b.len() < 3 || matches!(b[1], b' ' | b'\t' | b'\n' | b'$') {
        return None;
    }
    let mut i = 1;
    while i < b.len() {
        match b[i] {
            b'\\' if s[i + 1..].starts_with("text{") && text_group_end(b, i + 5).is_some() => {
                i = text_group_end(b, i + 5).unwrap_or(i + 5);
            }
            b'\\' if i + 1 < b.len() => {
                i += 1 + s[i + 1..].chars().next().map_or(1, char::len_utf8);
            }
            b'$' => {
                return (!b.get(i + 1).is_some_and(u8::is_ascii_digit)).then_some(i + 1);
            }
            b' ' | b'\t' | b'\n' => {
                let ws = i;
                while i < b.len() && matches!(b[i], b' ' | b'\t' | b'\n') {
                    i += 1;
                }
                if s[ws..i].matches('\n').count() > 1 || b.get(i) == Some(&b'$') || i >= b.len() {
                    return None;
                }
            }
            _ => i += 1,
        }
    }
    None
}

/// Whether `@` occurs in `inner` outside nested brackets (and escapes):
/// where a citation of the bracket around `inner` could have its key.
fn has_top_level_at(inner: &str) -> bool {
    let b = inner.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 1,
            // Math may hold unbalanced brackets (`$[0,1)$`).
            b'$' => {
                if let Some(e) = dollar_math_end(b, i) {
                    i = e;
                    continue;
                }
            }
            b'[' => depth += 1,
            b']' => depth = depth.saturating_sub(1),
            b'@' if depth == 0 => return true,
            _ => {}
        }
        i += 1;
    }
    false
}

/// Drops trailing spaces and line breaks (pandoc trims quoted text).
fn trim_end_spaces(ils: &mut Vec<Inline>) {
    while ils.last().is_some_and(is_space_inline) {
        ils.pop();
    }
}

/// East Asian wide characters, as pandoc's `isEastAsianWide` (CJK, kana,
/// hangul, full-width forms).
fn is_east_asian_wide(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF | 0xA000..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6
        | 0x20000..=0x2FFFD | 0x30000..=0x3FFFD)
}

/// A bracketed span; the classes `smallcaps`, `underline` and `ul` (and a
/// small-caps style) make `SmallCaps` or `Underline`, wrapped in a span only
/// when other attributes remain.
fn span_with(mut attr: Attr, ils: Vec<Inline>) -> Inline {
    let take_class = |attr: &mut Attr, names: &[&str]| -> bool {
        let before = attr.classes.len();
        attr.classes.retain(|c| !names.contains(&c.as_str()));
        attr.classes.len() != before
    };
    let small_style = attr
        .attributes
        .iter()
        .position(|(k, v)| k == "style" && v.replace(' ', "").contains("font-variant:small-caps"));
    // Each special class wraps the text, the first one outermost.
    let mut wrappers: Vec<bool> = Vec::new(); // true: small caps, false: underline
    if let Some(i) = small_style {
        attr.attributes.remove(i);
        wrappers.push(true);
    }
    for c in &attr.classes {
        match c.as_str() {
            "smallcaps" if !wrappers.contains(&true) => wrappers.push(true),
            "ul" | "underline" if !wrappers.contains(&false) => wrappers.push(false),
            _ => {}
        }
    }
    if wrappers.is_empty() {
        return Inline::Span(Box::new(attr), ils);
    }
    take_class(&mut attr, &["smallcaps", "ul", "underline"]);
    let mut inner = ils;
    for small in wrappers.into_iter().rev() {
        inner = vec![if small {
            Inline::SmallCaps(inner)
        } else {
            Inline::Underline(inner)
        }];
    }
    if attr.is_empty() {
        inner.swap_remove(0)
    } else {
        Inline::Span(Box::new(attr), inner)
    }
}

/// pandoc's `B.text`: words as `Str`, spaces as `Space`, newlines as `SoftBreak`.
fn text_inlines(raw: &str) -> Vec<Inline> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut pending: Option<Inline> = None;
    for ch in raw.chars() {
        if ch == ' ' || ch == '\t' || ch == '\n' {
            if !word.is_empty() {
                if let Some(p) = pending.take() {
                    out.push(p);
                }
                out.push(Inline::Str(std::mem::take(&mut word)));
            }
            let sp = if ch == '\n' {
                Inline::SoftBreak
            } else {
                Inline::Space
            };
            pending = match (pending, sp) {
                (Some(Inline::SoftBreak), _) | (_, Inline::SoftBreak) => Some(Inline::SoftBreak),
                _ => Some(Inline::Space),
            };
            if out.is_empty() && word.is_empty() {
                // Leading space stays pending.
            }
        } else {
            word.push(ch);
        }
    }
    if !word.is_empty() {
        if let Some(p) = pending.take() {
            out.push(p);
        }
        out.push(Inline::Str(word));
    }
    out
}

/// A citation key after `@` and the length it takes: braced (`{...}`,
/// balanced, no white space, the key without its braces) or plain.
fn cite_key(s: &str) -> Option<(&str, usize)> {
    if s.starts_with('{') {
        let mut depth = 0usize;
        for (i, c) in s.char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        return Some((&s[1..i], i + 1));
                    }
                }
                c if c.is_whitespace() => return None,
                _ => {}
            }
        }
        return None;
    }
    let n = cite_key_len(s);
    (n > 0).then(|| (&s[..n], n))
}

/// Length of a citation key: starts with a letter, digit or `_`; internal
/// punctuation must be followed by a letter or digit.
pub(crate) fn cite_key_len(s: &str) -> usize {
    let mut chars = s.char_indices().peekable();
    let Some((_, first)) = chars.next() else {
        return 0;
    };
    // `*` first: `@*`, every entry, in `nocite`.
    if !(first.is_alphanumeric() || first == '_' || first == '*') {
        return 0;
    }
    let mut end = first.len_utf8();
    while let Some((i, c)) = chars.next() {
        if c.is_alphanumeric() || c == '_' {
            end = i + c.len_utf8();
        } else if ":.#$%&-+?<>~/".contains(c) {
            match chars.peek() {
                Some(&(_, n)) if n.is_alphanumeric() || n == '_' => {}
                // `://` in a URL used as a key (`@d:/`: the key `d:`).
                Some(&(_, '/')) if c == ':' || c == '/' => end = i + 1,
                _ => break,
            }
        } else {
            break;
        }
    }
    end
}

/// Every matching pair of `[` and `]` (sorted by the `[`), skipping escaped
/// brackets and code spans, in one pass.
///
/// Both scans jump from one byte they care about to the next with `memchr`:
/// the bytes in between only ever advanced them by one.
pub(crate) fn match_brackets(s: &str, dollar_math: bool) -> Vec<(usize, usize)> {
    let b = s.as_bytes();
    // Backtick runs, and for each its closing run (the next of equal length).
    let mut runs: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while let Some(p) = b.get(i..).and_then(|r| memchr::memchr2(b'\\', b'`', r)) {
        i += p;
        if b[i] == b'\\' {
            i += 2;
        } else {
            let n = b[i..].iter().take_while(|&&c| c == b'`').count();
            runs.push((i, n));
            i += n;
        }
    }
    let mut span_end = vec![usize::MAX; runs.len()];
    let mut by_len: std::collections::HashMap<usize, Vec<usize>> = std::collections::HashMap::new();
    for (k, &(_, n)) in runs.iter().enumerate() {
        by_len.entry(n).or_default().push(k);
    }
    let mut next_of_len: std::collections::HashMap<usize, usize> = std::collections::HashMap::new();
    let mut k = 0;
    while k < runs.len() {
        let n = runs[k].1;
        let list = &by_len[&n];
        let cursor = next_of_len.entry(n).or_insert(0);
        while *cursor < list.len() && list[*cursor] <= k {
            *cursor += 1;
        }
        if *cursor < list.len() {
            let close = list[*cursor];
            span_end[k] = runs[close].0 + n;
            *cursor += 1;
            k = close + 1;
        } else {
            k += 1;
        }
    }
    let mut pairs = Vec::new();
    let mut stack: Vec<usize> = Vec::new();
    let mut run = 0;
    let mut i = 0;
    // The next backtick at or after `i` (memchr3 takes three bytes only).
    let mut tick = memchr::memchr(b'`', b).unwrap_or(b.len());
    // Likewise the next `$`: pandoc skips math as it skips code (`[$]$` is
    // no bracket: `$]$` is math).
    let mut dollar = 0;
    loop {
        if tick < i {
            tick = b
                .get(i..)
                .and_then(|r| memchr::memchr(b'`', r))
                .map_or(b.len(), |p| i + p);
        }
        if dollar < i {
            dollar = b
                .get(i..)
                .filter(|_| dollar_math)
                .and_then(|r| memchr::memchr(b'$', r))
                .map_or(b.len(), |p| i + p);
        }
        let other = b
            .get(i..)
            .and_then(|r| memchr::memchr3(b'\\', b'[', b']', r))
            .map_or(b.len(), |p| i + p);
        i = other.min(tick).min(dollar);
        if i >= b.len() {
            break;
        }
        match b[i] {
            b'\\' => i += 2,
            b'$' => i = dollar_math_end(b, i).unwrap_or(i + 1),
            b'`' => {
                while run < runs.len() && runs[run].0 < i {
                    run += 1;
                }
                let n = runs.get(run).map_or(1, |r| r.1);
                i = match span_end.get(run) {
                    Some(&e) if e != usize::MAX => e,
                    _ => i + n,
                };
            }
            b'[' => {
                stack.push(i);
                i += 1;
            }
            _ => {
                if let Some(open) = stack.pop() {
                    pairs.push((open, i));
                }
                i += 1;
            }
        }
    }
    pairs.sort_unstable();
    pairs
}

/// The end of the `$...$` or `$$...$$` math at `i`, as the inline
/// parser reads it: display math up to the next `$$`; inline math opened
/// before a non-space, closed by the next unescaped `$` when no space is
/// before it and no digit after.
fn dollar_math_end(b: &[u8], i: usize) -> Option<usize> {
    if b.get(i + 1) == Some(&b'$') {
        let from = i + 2;
        let p = memchr::memmem::find(&b[from..], b"$$")?;
        let content = &b[from..from + p];
        if p == 0 || memchr::memmem::find(content, b"\n\n").is_some() {
            return None;
        }
        return Some(from + p + 2);
    }
    if matches!(b.get(i + 1), None | Some(b' ' | b'\t' | b'\n')) {
        return None;
    }
    let mut j = i + 1;
    loop {
        let p = j + memchr::memchr2(b'\\', b'$', b.get(j..)?)?;
        if b[p] == b'\\' {
            // `\text{...}` is read whole: its balanced braces may hold `$`.
            if b[p + 1..].starts_with(b"text{") {
                if let Some(e) = text_group_end(b, p + 5) {
                    j = e;
                    continue;
                }
            }
            j = p + 2;
            continue;
        }
        if matches!(b[p - 1], b' ' | b'\t' | b'\n') || b.get(p + 1).is_some_and(u8::is_ascii_digit)
        {
            return None;
        }
        return Some(p + 1);
    }
}

/// The end of the balanced `{...}` group opening at `open` (a backslash
/// escapes the byte after it), as pandoc's `inBalancedBraces`.
/// Not looked for past 1 KiB: many unclosed groups would make reading
/// quadratic, and no `\text` argument is that long.
fn text_group_end(b: &[u8], open: usize) -> Option<usize> {
    crate::tex_macros::group_end(&b[..b.len().min(open + 1024)], open)
}

fn find_span_close(s: &str) -> Option<usize> {
    let lower = s.to_ascii_lowercase();
    let mut depth = 1;
    let mut i = 0;
    while let Some(p) = lower[i..].find("<") {
        let at = i + p;
        let r = &lower[at..];
        let backslashes = lower.as_bytes()[..at]
            .iter()
            .rev()
            .take_while(|&&c| c == b'\\')
            .count();
        if backslashes % 2 == 1 {
            // `\<` is an escaped `<`, no tag.
            i = at + 1;
            continue;
        }
        if r.starts_with("</span>") {
            depth -= 1;
            if depth == 0 {
                return Some(at);
            }
        } else if r.starts_with("<span")
            && matches!(
                r.as_bytes().get(5),
                Some(b' ' | b'>' | b'\t' | b'\n' | b'/')
            )
        {
            depth += 1;
        }
        i = at + 1;
    }
    None
}

/// `(url "title")` after a link's text: the target and the bytes read.
/// As pandoc's `source`: the URL is read in chunks (a space run is one
/// unless a quote or `)` follows it; a line end is a space unless a blank
/// line or a title follows it), then a title after `spnl`, then `)`.
fn parse_destination(s: &str) -> Option<(Target, usize)> {
    let b = s.as_bytes();
    let mut i = skip_tex_spaces(b, 1);
    let mut url = String::new();
    if b.get(i) == Some(&b'<') {
        let e = s[i..].find('>')? + i;
        url.push_str(&s[i + 1..e]);
        i = e + 1;
    } else {
        let mut parens = 0;
        while i < b.len() {
            match b[i] {
                b'\\' if i + 1 < b.len() && b[i + 1].is_ascii_punctuation() => {
                    url.push(b[i + 1] as char);
                    i += 2;
                    continue;
                }
                // An escaped space is a space (the URL's words are joined
                // by one).
                b'\\' if b.get(i + 1) == Some(&b' ') => {
                    if !url.is_empty() && !url.ends_with(' ') {
                        url.push(' ');
                    }
                    i += 2;
                    continue;
                }
                b'(' => parens += 1,
                b')' => {
                    if parens == 0 {
                        break;
                    }
                    parens -= 1;
                }
                b' ' | b'\t' => {
                    let k = skip_tex_spaces(b, i);
                    if matches!(b.get(k), Some(b'"' | b'\'' | b')') | None) {
                        break;
                    }
                    if !url.is_empty() && !url.ends_with(' ') {
                        url.push(' ');
                    }
                    i = k;
                    continue;
                }
                b'\n' => {
                    let next = skip_tex_spaces(b, i + 1);
                    let title_follows = matches!(b.get(next), Some(b'"' | b'\''))
                        && quoted_title(s, next).is_some();
                    if matches!(b.get(next), Some(b'\n') | None) || title_follows {
                        break;
                    }
                    if !url.is_empty() && !url.ends_with(' ') {
                        url.push(' ');
                    }
                    i += 1;
                    continue;
                }
                _ => {}
            }
            let ch = s[i..].chars().next()?;
            url.push(ch);
            i += ch.len_utf8();
        }
    }
    let mut title = String::new();
    // `spnl`: spaces, one line end not before a blank line, spaces.
    let mut k = skip_tex_spaces(b, i);
    if b.get(k) == Some(&b'\n') {
        k = skip_tex_spaces(b, k + 1);
    }
    if matches!(b.get(k), Some(b'"' | b'\'')) {
        if let Some((t, e)) = quoted_title(s, k) {
            title = t;
            i = e;
        }
    }
    i = skip_tex_spaces(b, i);
    if b.get(i) != Some(&b')') {
        return None;
    }
    let url = crate::html::decode_entities(url.trim_end());
    Some((
        Target {
            url: escape_uri(&url),
            title,
        },
        i + 1,
    ))
}

/// pandoc's `quotedTitle` at byte `at` of `s` (a `"` or `'`): the title,
/// its white space collapsed, and the end. It ends at the quote not
/// followed by a letter or digit; a quote followed by one opens a nested
/// title, whose own end it then needs. Not after a space, not over a blank
/// line.
fn quoted_title(s: &str, at: usize) -> Option<(String, usize)> {
    let b = s.as_bytes();
    let q = b[at];
    if matches!(b.get(at + 1), Some(b' ' | b'\t' | b'\n') | None) {
        return None;
    }
    let mut raw = String::new();
    let mut depth = 1usize;
    let mut j = at + 1;
    loop {
        let &c = b.get(j)?;
        if c == q {
            let closes = !s[j + 1..].starts_with(|c: char| c.is_alphanumeric());
            if closes {
                depth -= 1;
                if depth == 0 {
                    break;
                }
            } else {
                depth += 1;
            }
            raw.push(q as char);
            j += 1;
            continue;
        }
        match c {
            b'\\' => match s[j + 1..].chars().next() {
                Some(e) if !e.is_alphanumeric() => {
                    raw.push(e);
                    j += 1 + e.len_utf8();
                }
                _ => {
                    raw.push('\\');
                    j += 1;
                }
            },
            b'&' => match crate::html::char_ref(&s[j..]) {
                Some((r, n)) => {
                    raw.push_str(&r);
                    j += n;
                }
                None => {
                    raw.push('&');
                    j += 1;
                }
            },
            b'\n' => {
                if matches!(b.get(skip_tex_spaces(b, j + 1)), Some(b'\n') | None) {
                    return None;
                }
                raw.push(' ');
                j += 1;
            }
            _ => {
                let ch = s[j..].chars().next()?;
                raw.push(ch);
                j += ch.len_utf8();
            }
        }
    }
    let title = raw
        .split(is_haskell_space)
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    Some((title, j + 1))
}

/// Removes backslash escapes.
/// pandoc's `litChar` over a string: backslash escapes and character
/// references (`/a\\&amp;b&uuml;` is `/a&amp;bü`).
pub(crate) fn unescape_and_decode(s: &str) -> String {
    if !s.contains('&') {
        return unescape(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while let Some(c) = s[i..].chars().next() {
        match c {
            '\\' if s[i + 1..].starts_with(|n: char| n.is_ascii_punctuation()) => {
                out.push_str(&s[i + 1..i + 2]);
                i += 2;
            }
            '&' => match crate::html::char_ref(&s[i..]) {
                Some((r, n)) => {
                    out.push_str(&r);
                    i += n;
                }
                None => {
                    out.push('&');
                    i += 1;
                }
            },
            _ => {
                out.push(c);
                i += c.len_utf8();
            }
        }
    }
    out
}

pub(crate) fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut it = s.chars().peekable();
    while let Some(c) = it.next() {
        if c == '\\' {
            if let Some(&n) = it.peek() {
                if n.is_ascii_punctuation() {
                    out.push(n);
                    it.next();
                    continue;
                }
            }
        }
        out.push(c);
    }
    out
}

/// Haskell's `isSpace`: the Latin-1 spaces (tab to carriage return, space,
/// no-break space) and Unicode's space separators, not U+0085 nor U+2028.
fn is_haskell_space(c: char) -> bool {
    matches!(c, '\t'..='\r' | ' ' | '\u{a0}')
        || matches!(
            c,
            '\u{1680}' | '\u{2000}'..='\u{200a}' | '\u{202f}' | '\u{205f}' | '\u{3000}'
        )
}

/// pandoc's `escapeURI`: spaces and a few characters percent-encoded.
pub(crate) fn escape_uri(s: &str) -> String {
    // pandoc's `escapeURI`: white space (Haskell's `isSpace`) and
    // `<>|"{}[]^` and backquote percent-encoded (as UTF-8), everything else kept.
    let needs = |c: char| is_haskell_space(c) || "<>|\"{}[]^`".contains(c);
    if !s.chars().any(needs) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if needs(c) {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// The URI schemes an autolink may have, as pandoc knows them: IANA's
/// registry (as pandoc 3.9 lists it) and `doi`, `isbn`, `javascript`,
/// `pmid`; any other (`<dc:rights>`, `<foo:bar>`) is a raw HTML tag or text.
/// Sorted, for a binary search.
const URI_SCHEMES: &[&str] = &[
    "aaa",
    "aaas",
    "about",
    "acap",
    "acct",
    "acr",
    "adiumxtra",
    "afp",
    "afs",
    "aim",
    "appdata",
    "apt",
    "attachment",
    "aw",
    "barion",
    "beshare",
    "bitcoin",
    "blob",
    "bolo",
    "browserext",
    "callto",
    "cap",
    "chrome",
    "chrome-extension",
    "cid",
    "coap",
    "coaps",
    "com-eventbrite-attendee",
    "content",
    "crid",
    "cvs",
    "data",
    "dav",
    "dict",
    "dis",
    "dlna-playcontainer",
    "dlna-playsingle",
    "dns",
    "dntp",
    "doi",
    "dtn",
    "dvb",
    "ed2k",
    "example",
    "facetime",
    "fax",
    "feed",
    "feedready",
    "file",
    "filesystem",
    "finger",
    "fish",
    "ftp",
    "geo",
    "gg",
    "git",
    "gizmoproject",
    "go",
    "gopher",
    "graph",
    "gtalk",
    "h323",
    "ham",
    "hcp",
    "http",
    "https",
    "hxxp",
    "hxxps",
    "hydrazone",
    "iax",
    "icap",
    "icon",
    "im",
    "imap",
    "info",
    "iotdisco",
    "ipn",
    "ipp",
    "ipps",
    "irc",
    "irc6",
    "ircs",
    "iris",
    "iris.beep",
    "iris.lwz",
    "iris.xpc",
    "iris.xpcs",
    "isbn",
    "isostore",
    "itms",
    "jabber",
    "jar",
    "javascript",
    "jms",
    "keyparc",
    "lastfm",
    "ldap",
    "ldaps",
    "lvlt",
    "magnet",
    "mailserver",
    "mailto",
    "maps",
    "market",
    "message",
    "mid",
    "mms",
    "modem",
    "mongodb",
    "moz",
    "ms-access",
    "ms-browser-extension",
    "ms-drive-to",
    "ms-enrollment",
    "ms-excel",
    "ms-gamebarservices",
    "ms-getoffice",
    "ms-help",
    "ms-infopath",
    "ms-media-stream-id",
    "ms-officeapp",
    "ms-powerpoint",
    "ms-project",
    "ms-publisher",
    "ms-search-repair",
    "ms-secondary-screen-controller",
    "ms-secondary-screen-setup",
    "ms-settings",
    "ms-settings-airplanemode",
    "ms-settings-bluetooth",
    "ms-settings-camera",
    "ms-settings-cellular",
    "ms-settings-cloudstorage",
    "ms-settings-connectabledevices",
    "ms-settings-displays-topology",
    "ms-settings-emailandaccounts",
    "ms-settings-language",
    "ms-settings-location",
    "ms-settings-lock",
    "ms-settings-nfctransactions",
    "ms-settings-notifications",
    "ms-settings-power",
    "ms-settings-privacy",
    "ms-settings-proximity",
    "ms-settings-screenrotation",
    "ms-settings-wifi",
    "ms-settings-workplace",
    "ms-spd",
    "ms-sttoverlay",
    "ms-transit-to",
    "ms-virtualtouchpad",
    "ms-visio",
    "ms-walk-to",
    "ms-whiteboard",
    "ms-whiteboard-cmd",
    "ms-word",
    "msnim",
    "msrp",
    "msrps",
    "mtqp",
    "mumble",
    "mupdate",
    "mvn",
    "news",
    "nfs",
    "ni",
    "nih",
    "nntp",
    "notes",
    "ocf",
    "oid",
    "onenote",
    "onenote-cmd",
    "opaquelocktoken",
    "pack",
    "palm",
    "paparazzi",
    "pkcs11",
    "platform",
    "pmid",
    "pop",
    "pres",
    "prospero",
    "proxy",
    "psyc",
    "pwid",
    "qb",
    "query",
    "redis",
    "rediss",
    "reload",
    "res",
    "resource",
    "rmi",
    "rsync",
    "rtmfp",
    "rtmp",
    "rtsp",
    "rtsps",
    "rtspu",
    "secondlife",
    "service",
    "session",
    "sftp",
    "sgn",
    "shttp",
    "sieve",
    "sip",
    "sips",
    "skype",
    "smb",
    "sms",
    "smtp",
    "snews",
    "snmp",
    "soap.beep",
    "soap.beeps",
    "soldat",
    "spotify",
    "ssh",
    "steam",
    "stun",
    "stuns",
    "submit",
    "svn",
    "tag",
    "teamspeak",
    "tel",
    "teliaeid",
    "telnet",
    "tftp",
    "things",
    "thismessage",
    "tip",
    "tn3270",
    "tool",
    "turn",
    "turns",
    "tv",
    "udp",
    "unreal",
    "urn",
    "ut2004",
    "v-event",
    "vemmi",
    "ventrilo",
    "videotex",
    "view-source",
    "vnc",
    "wais",
    "webcal",
    "wpid",
    "ws",
    "wss",
    "wtai",
    "wyciwyg",
    "xcon",
    "xcon-userid",
    "xfire",
    "xmlrpc.beep",
    "xmlrpc.beeps",
    "xmpp",
    "xri",
    "ymsgr",
    "z39.50",
    "z39.50r",
    "z39.50s",
];

fn is_uri(s: &str) -> bool {
    let Some(colon) = s.find(':') else {
        return false;
    };
    let scheme = &s[..colon];
    if scheme.len() < 2 || scheme.len() > 32 {
        return false;
    }
    let mut cs = scheme.chars();
    cs.next().is_some_and(|c| c.is_ascii_alphabetic())
        && cs.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '.' | '-'))
        && colon + 1 < s.len()
        && !s[colon + 1..].starts_with('<')
        && URI_SCHEMES
            .binary_search(&scheme.to_ascii_lowercase().as_str())
            .is_ok()
}

/// An autolink's URL as pandoc shows it: character references decoded
/// (`fromEntities`, which also reads a name without `;` at the end) in the
/// URL proper, not in the punctuation that ends it (`x&amp;>` is `x&;`).
fn autolink_text(inner: &str) -> String {
    if !inner.contains('&') {
        return inner.to_string();
    }
    let is_word = |c: char| c.is_alphanumeric() || "#$%+/@\\_-&=~".contains(c);
    let body_end = inner
        .char_indices()
        .rev()
        .find(|&(_, c)| is_word(c))
        .map_or(0, |(p, c)| p + c.len_utf8());
    let (body, tail) = inner.split_at(body_end);
    let mut out = String::new();
    let mut i = 0;
    while let Some(p) = body[i..].find('&') {
        out.push_str(&body[i..i + p]);
        let at = i + p;
        if let Some((r, n)) = crate::html::char_ref(&body[at..]) {
            out.push_str(&r);
            i = at + n;
        } else if let Some(r) = body[at + 1..]
            .bytes()
            .all(|b| b.is_ascii_alphanumeric())
            .then(|| crate::html::char_ref(&format!("{};", &body[at..])))
            .flatten()
        {
            out.push_str(&r.0);
            i = body.len();
        } else {
            out.push('&');
            i = at + 1;
        }
    }
    out.push_str(&body[i..]);
    out.push_str(tail);
    out
}

/// Length of the e-mail address pandoc's `emailAddress` reads at the start
/// of `s`: words (a letter or digit, then letters, digits and
/// ``!"#$%&'*+-/=?^_{|}~;``) joined by dots, `@`, then subdomains (letters,
/// digits, a `-` before a letter or digit) joined by dots.
fn email_prefix_len(s: &str) -> Option<usize> {
    let cs: Vec<(usize, char)> = s.char_indices().collect();
    let at = |k: usize| cs.get(k).map(|&(_, c)| c);
    let mut k = 0;
    // The mailbox.
    loop {
        if !at(k)?.is_alphanumeric() {
            return None;
        }
        k += 1;
        while at(k).is_some_and(|c| c.is_alphanumeric() || "!\"#$%&'*+-/=?^_{|}~;".contains(c)) {
            k += 1;
        }
        if at(k) == Some('.') && at(k + 1).is_some_and(char::is_alphanumeric) {
            k += 1;
        } else {
            break;
        }
    }
    if at(k) != Some('@') {
        return None;
    }
    k += 1;
    let subdomain = |mut k: usize| {
        let start = k;
        while let Some(c) = at(k) {
            if c.is_alphanumeric() || (c == '-' && at(k + 1).is_none_or(char::is_alphanumeric)) {
                k += 1;
            } else {
                break;
            }
        }
        (k > start).then_some(k)
    };
    k = subdomain(k)?;
    while at(k) == Some('.') {
        match subdomain(k + 1) {
            Some(e) => k = e,
            None => break,
        }
    }
    Some(cs.get(k).map_or(s.len(), |&(i, _)| i))
}

fn is_email(s: &str) -> bool {
    let Some(at) = s.find('@') else { return false };
    let (user, host) = (&s[..at], &s[at + 1..]);
    !user.is_empty()
        && !host.is_empty()
        && !host.starts_with('.')
        && !host.ends_with('.')
        && user
            .chars()
            .all(|c| c.is_alphanumeric() || "!#$%&'*+/=?^_`{|}~.-".contains(c))
        && host
            .chars()
            .all(|c| c.is_alphanumeric() || c == '.' || c == '-')
}

/// Where pandoc's reader goes on after raw TeX `raw` that holds a control
/// symbol `\\` + line end: just after that line end (the raw TeX is still
/// the whole command; what follows the line end is read again).
pub(crate) fn control_line_end(raw: &str) -> Option<usize> {
    let b = raw.as_bytes();
    let mut i = 0;
    while let Some(p) = memchr::memchr(b'\\', &b[i..]) {
        let at = i + p;
        match b.get(at + 1) {
            Some(b'\n') => return Some(at + 2),
            Some(b'\r') if b.get(at + 2) == Some(&b'\n') => return Some(at + 3),
            _ => i = at + 2,
        }
    }
    None
}

/// How many `##` pairs raw TeX holds: pandoc's reader goes on one byte
/// earlier for each (`\\e{a##b} c` is the raw `\\e{a##b}` then `}`).
/// Not in a macro definition, which pandoc reads another way.
pub(crate) fn doubled_hashes(raw: &str) -> usize {
    if raw.strip_prefix('\\').is_some_and(is_tex_definition) {
        return 0;
    }
    let b = raw.as_bytes();
    let (mut i, mut n) = (0, 0);
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            b'#' if b.get(i + 1) == Some(&b'#') => {
                n += 1;
                i += 2;
            }
            _ => i += 1,
        }
    }
    n
}

/// [`control_line_end`] in lines: how many line ends come up to it.
pub(crate) fn control_line_end_lines(raw: &str) -> Option<usize> {
    control_line_end(raw).map(|e| raw[..e].matches('\n').count())
}

/// Length of a raw TeX command at the start of `s` (`\name*[opt]{arg}...`,
/// or a whole `\begin{env}...\end{env}`), with the spaces after a command
/// that takes no argument.
pub(crate) fn tex_command_len(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    if b.first() != Some(&b'\\') {
        return None;
    }
    let mut i = 1;
    while let Some(c) = s[i..].chars().next().filter(|c| c.is_alphabetic()) {
        i += c.len_utf8();
    }
    if i == 1 {
        return None;
    }
    if &s[1..i] == "begin" {
        return tex_environment_len(s);
    }
    // pandoc never reads `\end` alone as a command: it is text.
    if &s[1..i] == "end" {
        return None;
    }
    if let Some(len) = crate::tex_macros::definition_len(s) {
        return Some(len);
    }
    let name = &s[..i][1..];
    // A beamer overlay (`\\textbf<2->{...}`) belongs to the command.
    // As pandoc's `overlaySpecification`: words, spaces and `-+@|:,` up
    // to `>`; not empty nor letters only, but for a mode (`<beamer>`).
    if b.get(i) == Some(&b'<') {
        let spec = s[i + 1..]
            .chars()
            .take_while(|&c| c.is_alphanumeric() || " \t-+@|:,".contains(c))
            .map(char::len_utf8)
            .sum::<usize>();
        let t = &s[i + 1..i + 1 + spec];
        let mode = [
            "beamer",
            "presentation",
            "trans",
            "handout",
            "article",
            "second",
        ];
        if b.get(i + 1 + spec) == Some(&b'>')
            && (!t.chars().all(char::is_alphabetic) || mode.contains(&t))
        {
            i += spec + 2;
        }
    }
    if matches!(
        name,
        "newcommand"
            | "renewcommand"
            | "providecommand"
            | "newenvironment"
            | "renewenvironment"
            | "def"
            | "gdef"
            | "edef"
            | "xdef"
    ) {
        // A definition pandoc cannot read is text (`\newcommand{x}`).
        return None;
    }
    if matches!(name, "DeclareMathOperator" | "newif" | "let") {
        // What pandoc's macro parser reads, or text.
        let end = tex_definition_shape(s, i)?;
        if name != "DeclareMathOperator" {
            return Some(end);
        }
    }
    if let Some(end) = crate::tex_args::known_command_end(s, name.len() + 1, i) {
        return end;
    }
    if TEX_SYMBOLS.contains(&name) || TEX_NO_ARGUMENT.contains(&name) {
        // pandoc's reader knows these as symbols: the spaces after the
        // name, a star, and empty `{}` pairs.
        let mut end = skip_tex_spaces(b, i);
        if b.get(end) == Some(&b'*') {
            // After a star, a line end too (`\\LaTeX*` then a line: no
            // soft break).
            end = skip_tex_sp(b, end + 1);
        }
        while s[end..].starts_with("{}") {
            end += 2;
        }
        return Some(end);
    }
    if TEX_ONE_TOKEN.contains(&name) {
        let end = tex_one_token_end(s, i)?;
        // A macro parameter outside a definition: text (see below).
        return (!has_parameter(&b[..end])).then_some(end);
    }
    if name == "item" || name == "par" {
        // Optional arguments only.
        let mut end = skip_tex_spaces(b, i);
        loop {
            let k = skip_tex_sp(b, end);
            match b.get(k) {
                Some(b'[') => match balanced_end(b, k, b'[', b']') {
                    Some(e) => end = skip_tex_sp(b, e),
                    None => break,
                },
                _ => break,
            }
        }
        return Some(end);
    }
    if !is_tex_accent(name) && !is_tex_font_switch(name) && !TEX_OWN_ARGUMENTS.contains(&name) {
        // pandoc's rule for unknown commands reads a macro parameter as
        // any token (`\x{#1}` is raw TeX); the parsers of the commands it
        // knows fail on one (`\parbox{1em}{#1}` is text).
        return tex_arguments_end(s, i);
    }
    if b.get(i) == Some(&b'*') {
        i += 1;
    }
    // Optional `[...]` arguments come before the `{...}` ones.
    let mut args = false;
    let mut braces = false;
    loop {
        match b.get(i) {
            Some(b'{') => {
                let Some(e) = balanced_end(b, i, b'{', b'}') else {
                    // A font switch before an unclosed group is read alone
                    // (`\\em{` is `\\em`, then the text `{`).
                    if !braces
                        && (is_tex_font_switch(name)
                            || matches!(name, "bfseries" | "itshape" | "scshape"))
                    {
                        return Some(i);
                    }
                    return None;
                };
                i = e;
                args = true;
                braces = true;
            }
            Some(b'[') if !braces => match balanced_end(b, i, b'[', b']') {
                Some(e) => {
                    i = e;
                    args = true;
                }
                None => break,
            },
            _ => break,
        }
    }
    // A macro parameter outside a definition makes pandoc's LaTeX parser
    // fail: `\parbox{1em}{#1}` is text.
    if !is_tex_definition(&s[1..]) && has_parameter(&b[..i]) {
        return None;
    }
    if is_tex_font_switch(name) {
        // An old-style font switch takes the rest of its group: up to the
        // `}` that closes it, or the end of the text.
        let mut j = i;
        while j < b.len() {
            match b[j] {
                b'\\' => j += 1,
                // A macro parameter ends it (`\\em x #1`: `\\em x `).
                b'#' if b.get(j + 1).is_some_and(u8::is_ascii_digit) => break,
                // A group inside is skipped whole; one left open is not
                // the switch's (`\\em {`).
                b'{' => match balanced_end(b, j, b'{', b'}') {
                    Some(e) => {
                        j = e;
                        continue;
                    }
                    None => break,
                },
                b'}' => break,
                _ => {}
            }
            j += 1;
        }
        return Some(j.min(b.len()));
    }
    if !args && is_tex_accent(name) {
        // An accent without braces takes the next token as its argument
        // (`\b>`, `\d x`, `\d\ `), a line end among the spaces before it.
        let j = skip_tex_sp(b, i);
        match s[j..].chars().next() {
            None | Some('\n') => {}
            Some('\\') => {
                let name = s[j + 1..]
                    .find(|c: char| !c.is_alphabetic())
                    .unwrap_or(s.len() - j - 1);
                if name > 0 {
                    // A control word takes the spaces after it.
                    let mut k = j + 1 + name;
                    while b.get(k).is_some_and(|&c| is_space(c)) {
                        k += 1;
                    }
                    return Some(k);
                }
                let symbol = s[j + 1..]
                    .chars()
                    .next()
                    .filter(|&c| c != '\n')
                    .map_or(0, char::len_utf8);
                return Some(j + 1 + symbol);
            }
            // TeX's special characters are no argument (`\r_`).
            Some('_' | '^' | '&' | '~' | '$' | '#' | '%' | '}') => {}
            Some(c) => return Some(j + c.len_utf8()),
        }
    }
    if !args {
        while b.get(i).is_some_and(|&c| is_space(c)) {
            i += 1;
        }
    }
    Some(i)
}

/// The end of the code span (a backtick run) or, with `math`, the TeX math
/// (`$...$`, `$$...$$`) that starts at byte `at` of `s`, as the inline
/// parser reads them; `None` when none starts there. Either may span line
/// ends, not a blank line. Block parsing uses it to find rows and headings
/// that such a span carries over a line end.
pub(crate) fn atom_end(s: &str, at: usize, math: bool) -> Option<usize> {
    let b = s.as_bytes();
    match b.get(at)? {
        b'`' => {
            let n = b[at..].iter().take_while(|&&c| c == b'`').count();
            let mut j = at + n;
            let close = loop {
                let p = memchr::memchr(b'`', &b[j..])?;
                let k = j + p;
                let m = b[k..].iter().take_while(|&&c| c == b'`').count();
                if m == n {
                    break k;
                }
                j = k + m;
            };
            let raw = &s[at + n..close];
            let pieces: Vec<&str> = raw.split('\n').collect();
            if pieces.len() > 2
                && pieces[1..pieces.len() - 1]
                    .iter()
                    .any(|l| l.trim().is_empty())
            {
                return None;
            }
            Some(close + n)
        }
        b'$' if math => {
            let r = &s[at..];
            if let Some(rest) = r.strip_prefix("$$") {
                let p = rest.find("$$")?;
                let content = &rest[..p];
                return (!content.is_empty() && !content.contains("\n\n")).then_some(at + 4 + p);
            }
            let rb = r.as_bytes();
            if rb.len() < 3 || matches!(rb[1], b' ' | b'\t' | b'\n') {
                return None;
            }
            let mut i = 1;
            while i < rb.len() {
                match rb[i] {
                    b'\\' if i + 1 < rb.len() => {
                        i += 1 + r[i + 1..].chars().next().map_or(1, char::len_utf8);
                    }
                    b'$' => {
                        if rb.get(i + 1).is_some_and(u8::is_ascii_digit) || i == 1 {
                            return None;
                        }
                        return Some(at + i + 1);
                    }
                    b' ' | b'\t' | b'\n' => {
                        let ws = i;
                        while i < rb.len() && matches!(rb[i], b' ' | b'\t' | b'\n') {
                            i += 1;
                        }
                        if r[ws..i].matches('\n').count() > 1
                            || rb.get(i) == Some(&b'$')
                            || i >= rb.len()
                        {
                            return None;
                        }
                    }
                    _ => i += 1,
                }
            }
            None
        }
        _ => None,
    }
}

/// Commands that take no argument (`\LaTeX 12`: the `12` is text) besides
/// [`TEX_SYMBOLS`]: switches and spacing that a line may start as a raw TeX
/// block.
pub(crate) const TEX_NO_ARGUMENT: &[&str] = &[
    "tiny",
    "scriptsize",
    "footnotesize",
    "small",
    "normalsize",
    "large",
    "Large",
    "huge",
    "LARGE",
    "Huge",
    "newline",
    "hfil",
    "hfill",
    "vfil",
    "vfill",
    "hfilneg",
    "vfilneg",
    "raggedright",
    "strut",
];

/// Symbols pandoc's LaTeX reader reads as inlines, with
/// no argument: text at a paragraph's start (never a raw TeX block), and
/// no argument taken after them ([`TEX_NO_ARGUMENT`] holds the others).
pub(crate) const TEX_SYMBOLS: &[&str] = &[
    "LaTeX",
    "TeX",
    "ldots",
    "dots",
    "today",
    "textquoteright",
    "textquoteleft",
    "textbackslash",
    "S",
    "P",
    "i",
    "j",
    "l",
    "o",
    "O",
    "ae",
    "AE",
    "oe",
    "OE",
    "ss",
    "L",
    "AA",
    "aa",
    "copyright",
    "pounds",
    "euro",
    "slash",
    "lq",
    "rq",
    "guillemotleft",
    "guillemotright",
    "guilsinglleft",
    "guilsinglright",
    "textasciitilde",
    "textasciicircum",
    "textbullet",
    "textcopyright",
    "textdagger",
    "textdegree",
    "textdollar",
    "textgreater",
    "textless",
    "textmu",
    "textonehalf",
    "textparagraph",
    "textquotedbl",
    "textquotedblleft",
    "textquotedblright",
    "textquotesingle",
    "textregistered",
    "textsection",
    "textsterling",
    "textyen",
    "vdots",
    "mdots",
    "sim",
    "sep",
    "qed",
    "ps",
    "backslash",
    "faCheck",
    "faClose",
    "bshyp",
    "fshyp",
    "dothyp",
    "colonhyp",
    "hyp",
    "adddot",
    "adddotspace",
    "addabbrvspace",
    "hyphen",
    "bar",
    "figurename",
    "prefacename",
    "refname",
    "bibname",
    "chaptername",
    "partname",
    "contentsname",
    "listfigurename",
    "listtablename",
    "indexname",
    "abstractname",
    "tablename",
    "enclname",
    "ccname",
    "headtoname",
    "pagename",
    "seename",
    "seealsoname",
    "proofname",
    "glossaryname",
    "lstlistingname",
];

/// Text-style commands, whose argument pandoc reads as one token: a group,
/// a command, or a single character (`\emph 12`: `\emph 1`).
pub(crate) const TEX_ONE_TOKEN: &[&str] = &[
    "textsc",
    "hl",
    "textbf",
    "textit",
    "texttt",
    "textsf",
    "textrm",
    "textup",
    "textmd",
    "textnormal",
    "textsl",
    "emph",
    "underline",
    "uline",
    "sout",
    "st",
    "textsuperscript",
    "textsubscript",
    "lowercase",
    "uppercase",
    "MakeUppercase",
    "MakeLowercase",
];

/// The end of a text-style command from `i` after its name: a star, then
/// one group (after white space, a line end included), a command, or a
/// character.
fn tex_one_token_end(s: &str, i: usize) -> Option<usize> {
    let b = s.as_bytes();
    let mut p = skip_tex_spaces(b, i);
    if b.get(p) == Some(&b'*') {
        p = skip_tex_sp(b, p + 1);
    }
    let p = skip_tex_sp(b, p);
    match b.get(p) {
        Some(b'{') => balanced_end(b, p, b'{', b'}'),
        Some(b'\\') if s[p + 1..].starts_with(|c: char| c.is_alphabetic()) => {
            tex_command_len(&s[p..]).map(|l| p + l)
        }
        // No token left in the paragraph: pandoc's `tok` fails, the
        // command is text.
        Some(b'\n') | None => None,
        // Nor a special character of TeX (`\emph~`, `\textbf$x$`).
        Some(b'}' | b'#' | b'$' | b'%' | b'&' | b'^' | b'_' | b'~') => None,
        Some(_) => Some(p + s[p..].chars().next().map_or(0, char::len_utf8)),
    }
}

/// Commands pandoc's LaTeX reader reads with parsers of their own (a
/// URL, citations...): their arguments are read as
/// written right after them, not by the rule for unknown commands.
const TEX_OWN_ARGUMENTS: &[&str] = &[
    "bfseries", "itshape", "scshape", "SI", "si", "num", "unit", "hskip", "vskip", "xspace",
];

/// The end of a command's arguments, as pandoc's `getRawCommand` reads
/// those of a command it does not know, from `i` just after its name: the
/// spaces after the name, a star (and spaces), optional arguments (`[...]`,
/// spaces around each, a line end among them), a dimension (`12`, `-.5em`,
/// `=3pt`; after spaces or a line end), then `{...}` groups right after.
/// `None` when a group is not closed (the command is then text).
fn tex_arguments_end(s: &str, i: usize) -> Option<usize> {
    let b = s.as_bytes();
    let mut end = skip_tex_spaces(b, i);
    if b.get(end) == Some(&b'*') {
        end = skip_tex_sp(b, end + 1);
    }
    loop {
        let k = skip_tex_sp(b, end);
        match b.get(k) {
            Some(b'[') => match balanced_end(b, k, b'[', b']') {
                Some(e) => end = skip_tex_sp(b, e),
                None => break,
            },
            _ => break,
        }
    }
    if let Some(e) = tex_dimension_end(s, end) {
        end = e;
    }
    while b.get(end) == Some(&b'{') {
        end = balanced_end(b, end, b'{', b'}')?;
    }
    Some(end)
}

/// After spaces and tabs from `k`.
fn skip_tex_spaces(b: &[u8], mut k: usize) -> usize {
    while matches!(b.get(k), Some(b' ' | b'\t')) {
        k += 1;
    }
    k
}

/// pandoc's optional `sp` in TeX: spaces, and a line end not followed by a
/// blank line, with the spaces after it.
fn skip_tex_sp(b: &[u8], k: usize) -> usize {
    let k = skip_tex_spaces(b, k);
    if b.get(k) == Some(&b'\n') {
        let next = skip_tex_spaces(b, k + 1);
        if next < b.len() && b[next] != b'\n' {
            return next;
        }
    }
    k
}

/// pandoc's `dimenarg` from `k`: optional `sp`, `=` and `-`, then a word
/// that starts with a digit and an optional `.word`, which read together
/// are digits and dots followed by nothing or a TeX unit.
fn tex_dimension_end(s: &str, k: usize) -> Option<usize> {
    let b = s.as_bytes();
    let mut p = skip_tex_sp(b, k);
    if b.get(p) == Some(&b'=') {
        p += 1;
    }
    if b.get(p) == Some(&b'-') {
        p += 1;
    }
    let word_end = |from: usize| {
        s[from..]
            .char_indices()
            .find(|&(_, c)| !c.is_alphanumeric())
            .map_or(s.len(), |(e, _)| from + e)
    };
    let start = p;
    if b.get(p).is_some_and(u8::is_ascii_digit) {
        p = word_end(p);
    }
    if b.get(p) == Some(&b'.') {
        let e = word_end(p + 1);
        if e > p + 1 {
            p = e;
        }
    }
    let arg = &s[start..p];
    let num = arg
        .bytes()
        .take_while(|c| c.is_ascii_digit() || *c == b'.')
        .count();
    let unit = &arg[num..];
    let units = [
        "", "pt", "pc", "in", "bp", "cm", "mm", "dd", "cc", "sp", "ex", "em", "mu", "px",
    ];
    (num > 0 && units.contains(&unit)).then_some(p)
}

/// The raw TeX of a command read over `len` bytes: pandoc drops the line
/// end it read last, not the spaces before or after it (`\\g[s]` then
/// ` x` on the next line is `\\g[s]\n `).
pub(crate) fn tex_raw_text(s: &str) -> &str {
    s.trim_end_matches('\n')
}

/// The accent commands of pandoc's LaTeX reader (`\\d{o}`, `\\b x`): inline,
/// their argument a group or the next token.
pub(crate) fn is_tex_accent(name: &str) -> bool {
    matches!(
        name,
        "b" | "c"
            | "d"
            | "f"
            | "G"
            | "h"
            | "H"
            | "k"
            | "r"
            | "t"
            | "u"
            | "U"
            | "v"
            | "newtie"
            | "textcircled"
    )
}

/// The old-style font switches that pandoc's LaTeX reader reads with the
/// rest of their group (`{\\bf gras}`): inline.
pub(crate) fn is_tex_font_switch(name: &str) -> bool {
    matches!(name, "bf" | "it" | "em" | "rm" | "sl" | "tt")
}

/// Whether a command (its name at the start of `name`) defines a macro, so
/// that `#1` belongs in its arguments.
pub(crate) fn is_tex_definition(name: &str) -> bool {
    let n = name
        .find(|c: char| !c.is_ascii_alphabetic())
        .map_or(name, |e| &name[..e]);
    matches!(
        n,
        "newcommand"
            | "renewcommand"
            | "providecommand"
            | "DeclareRobustCommand"
            | "DeclareMathOperator"
            | "newenvironment"
            | "renewenvironment"
            | "def"
            | "gdef"
            | "edef"
            | "xdef"
            | "let"
    )
}

/// What pandoc's macro parser reads of the definition command ending at
/// `i` in `s` (`\\newif\\ifdraft`, `\\let\\a=\\b`; for
/// `\\DeclareMathOperator`, only whether its name and body are there),
/// `None` when it cannot: the command is then text.
fn tex_definition_shape(s: &str, i: usize) -> Option<usize> {
    let b = s.as_bytes();
    // A control word and the spaces after it, from `k`.
    let control_word = |k: usize| {
        (b.get(k) == Some(&b'\\') && b.get(k + 1).is_some_and(u8::is_ascii_alphabetic)).then(|| {
            let mut e = k + 1;
            while b.get(e).is_some_and(u8::is_ascii_alphabetic) {
                e += 1;
            }
            skip_tex_spaces(b, e)
        })
    };
    match &s[1..i] {
        "newif" => {
            let k = skip_tex_spaces(b, i);
            s[k..].starts_with("\\if").then_some(())?;
            control_word(k)
        }
        "let" => {
            let k = control_word(skip_tex_spaces(b, i))?;
            let k = if b.get(k) == Some(&b'=') {
                skip_tex_spaces(b, k + 1)
            } else {
                k
            };
            match *b.get(k)? {
                b'\n' => None,
                b'\\' if b.get(k + 1).is_some_and(u8::is_ascii_alphabetic) => control_word(k),
                _ => s[k..]
                    .chars()
                    .nth(usize::from(b[k] == b'\\'))
                    .map(|c| k + usize::from(b[k] == b'\\') + c.len_utf8()),
            }
        }
        _ => {
            let mut k = i;
            if b.get(k) == Some(&b'*') {
                k += 1;
            }
            let k = skip_tex_spaces(b, k);
            let name_ok = if b.get(k) == Some(&b'{') {
                control_word(skip_tex_spaces(b, k + 1)).is_some()
            } else {
                control_word(k).is_some()
            };
            (name_ok && s[k..].contains('{')).then_some(k)
        }
    }
}

/// Whether TeX source holds a macro parameter (`#1`) that is not escaped.
pub(crate) fn has_parameter(b: &[u8]) -> bool {
    let mut k = 0;
    while k < b.len() {
        match b[k] {
            b'\\' => k += 2,
            // pandoc's tokenizer makes `#` and a digit a parameter; `#`
            // alone is a symbol.
            b'#' if b.get(k + 1).is_some_and(u8::is_ascii_digit) => return true,
            _ => k += 1,
        }
    }
    false
}

/// Index just after the bracket closing the one at `i`.
pub(crate) fn balanced_end(b: &[u8], i: usize, open: u8, close: u8) -> Option<usize> {
    let mut depth = 0usize;
    let mut k = i;
    while k < b.len() {
        let c = b[k];
        if c == b'\\' {
            k += 2;
            continue;
        }
        if c == open {
            depth += 1;
        } else if c == close {
            depth -= 1;
            if depth == 0 {
                return Some(k + 1);
            }
        } else if c == b'\n' && b.get(k + 1) == Some(&b'\n') {
            return None;
        }
        k += 1;
    }
    None
}

/// Length of a ConTeXt environment at the start of `s`, as pandoc's
/// Markdown reader reads one: `\\startNAME` or `\\start[...]` up to the
/// `\\stop` with the same name, environments inside it read first.
pub(crate) fn context_environment_len(s: &str) -> Option<usize> {
    context_environment_at(s, 0, 0)
}

fn context_environment_at(s: &str, at: usize, depth: usize) -> Option<usize> {
    let rest = s[at..].strip_prefix("\\start")?;
    let prefix_len = |ok: fn(char) -> bool, from: usize| {
        rest[from..]
            .char_indices()
            .find(|&(_, c)| !ok(c))
            .map_or(rest.len() - from, |(e, _)| e)
    };
    let name_len = if rest.starts_with('[') {
        let inner = prefix_len(|c| c.is_alphanumeric() || matches!(c, ' ' | '\t' | '\n'), 1);
        (rest.as_bytes().get(1 + inner) == Some(&b']')).then_some(inner + 2)?
    } else {
        prefix_len(char::is_alphabetic, 0)
    };
    if name_len == 0 || depth > MAX_NESTING {
        return None;
    }
    let name = &rest[..name_len];
    let close = format!("\\stop{name}");
    let body = at + "\\start".len() + name_len;
    // Fail at once when the closing command is nowhere after.
    s[body..].find(&close)?;
    let b = s.as_bytes();
    let mut k = body;
    while let Some(off) = memchr::memchr(b'\\', &b[k..]) {
        let p = k + off;
        if s[p..].starts_with(&close) {
            return Some(p + close.len());
        }
        if s[p..].starts_with("\\start") {
            if let Some(end) = context_environment_at(s, p, depth + 1) {
                k = end;
                continue;
            }
        }
        k = p + 1;
    }
    None
}

/// Length of `\begin{env}...\end{env}` at the start of `s`, nesting counted.
pub(crate) fn tex_environment_len(s: &str) -> Option<usize> {
    let rest = s.strip_prefix("\\begin{")?;
    let e = rest.find('}')?;
    let name = &rest[..e];
    if name.contains(['\n', '{']) {
        return None;
    }
    let open = format!("\\begin{{{name}}}");
    let close = format!("\\end{{{name}}}");
    let mut depth = 0;
    let mut i = 0;
    // From backslash to backslash: both markers start with one.
    while let Some(p) = memchr::memchr(b'\\', &s.as_bytes()[i..]) {
        i += p;
        let r = &s[i..];
        if r.starts_with(&open) {
            depth += 1;
            i += open.len();
        } else if r.starts_with(&close) {
            depth -= 1;
            i += close.len();
            if depth == 0 {
                return Some(i);
            }
        } else {
            i += 1;
        }
    }
    None
}

//! The typography problems of a document read with positions (`md2ast
//! --sourcepos`), each placed in its Markdown source: what `--check` prints
//! as `file:line:col: warning: ...` and what `--fix` changes in the files.
//!
//! The wrappers that hold the positions are taken out as the document is
//! walked, so that each list of inlines is the one the filters see without
//! positions; `french-spacing`'s own analysis ([`Spacer::find_spots`]) says
//! what it would change, and the positions of the inlines around say where
//! that is in the source. The words of a wrapper around a run of words
//! are found again in the source file ([`find_word`]); a space without a
//! wrapper of its own (md2ast wraps none) is what lies between the inline
//! before it and the one after.

use std::collections::HashMap;

use ast::sourcepos::{data_pos, find_word, is_wrapper, LineIndex, SourcePos, DATA_POS};
use ast::{Attr, Block, Caption, Inline, Meta, MetaValue, Pandoc, QuoteType};

use crate::options::{SpaceKind, SpacingOptions};
use crate::spacing::{space_name, Spacer};
use crate::text::clip;

/// A problem and where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceSpot {
    pub path: String,
    pub what: Change,
    pub message: String,
    /// A missing space, added only with `typography.add-missing`.
    pub missing: bool,
    /// Why `--fix` leaves it to the author, if it does.
    pub unfixable: Option<&'static str>,
}

/// What `--fix` changes in the source; points are 1-based `line:col`,
/// columns in characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// The spaces from `from` to `to` become `space`; `next` is the text
    /// of the `Str` at `to`, if the next inline is one (checked in the
    /// source before anything is written), `prev` that of the `Str` that
    /// ends at `from`.
    Space {
        from: (usize, usize),
        to: (usize, usize),
        space: char,
        next: Option<String>,
        prev: Option<(String, (usize, usize))>,
    },
    /// `space` inserted before byte `at` of a `Str` that starts at `start`.
    Insert {
        start: (usize, usize),
        text: String,
        at: usize,
        space: char,
    },
    /// Straight double quotes from `start` to `end` (the marks included)
    /// become `open` and `close`.
    Quotes {
        start: (usize, usize),
        end: (usize, usize),
        open: String,
        close: String,
    },
    /// A problem whose place in the source is not known.
    Unplaced { text: String },
    /// A block that is not where its position says (its file changed, or
    /// a filter changed its text): `--fix` leaves its file alone.
    Lost { start: (usize, usize) },
}

impl SourceSpot {
    /// Where the problem is: the space, the character a space is missing
    /// before, the opening quote.
    pub fn point(&self) -> (usize, usize) {
        match &self.what {
            Change::Space { from, .. } => *from,
            Change::Insert {
                start, text, at, ..
            } => (start.0, start.1 + text[..*at].chars().count()),
            Change::Quotes { start, .. } | Change::Lost { start } => *start,
            Change::Unplaced { .. } => (0, 0),
        }
    }
}

/// True when the document (pandoc JSON) holds positions: a `data-pos`
/// attribute anywhere (the key of a pair, not a word of the text).
pub fn has_positions(json: &[u8]) -> bool {
    memchr::memmem::find(json, b"[\"data-pos\",\"").is_some()
}

/// Finds the problems of `doc` (its positions taken out as it goes).
/// `quotes`: the space inside guillemets when `french-quotes` runs for the
/// document, `None` when it does not; `spacing` likewise.
pub fn locate(
    doc: &mut Pandoc,
    spacing: Option<&SpacingOptions>,
    quotes: Option<SpaceKind>,
) -> Vec<SourceSpot> {
    let mut finder = Finder {
        sources: Sources::default(),
        spacer: spacing.map(Spacer::locating),
        quotes,
        spots: Vec::new(),
        in_heading: false,
        in_table: false,
    };
    for value in doc.meta.values_mut() {
        finder.meta_value(value);
    }
    finder.blocks(&mut doc.blocks);
    finder.spots
}

/// Takes the positions out of metadata (to read the options from it).
pub fn strip_meta(meta: &Meta) -> Meta {
    let mut meta = meta.clone();
    let mut finder = Finder {
        sources: Sources::default(),
        spacer: None,
        quotes: None,
        spots: Vec::new(),
        in_heading: false,
        in_table: false,
    };
    for value in meta.values_mut() {
        finder.meta_value(value);
    }
    meta
}

/// Takes every position out of a document: what it is without `--sourcepos`.
pub fn strip_positions(doc: &mut Pandoc) {
    locate(doc, None, None);
}

struct Finder {
    /// The source files, to place the words of a run.
    sources: Sources,
    spacer: Option<Spacer>,
    quotes: Option<SpaceKind>,
    spots: Vec<SourceSpot>,
    /// In a heading's text: a space added there would change the heading's
    /// automatic identifier, and the links to it.
    in_heading: bool,
    /// In a table's cell: a character added there would move the columns
    /// (or make a pipe table's row longer than `--columns`).
    in_table: bool,
}

/// Removes `data-pos` from attributes; returns it.
fn take_pos(attr: &mut Attr) -> Option<SourcePos> {
    let value = data_pos(attr)?.to_string();
    attr.attributes.retain(|(k, _)| k != DATA_POS);
    SourcePos::parse(&value)
}

impl Finder {
    fn meta_value(&mut self, value: &mut MetaValue) {
        match value {
            MetaValue::MetaMap(m) => m.values_mut().for_each(|v| self.meta_value(v)),
            MetaValue::MetaList(l) => l.iter_mut().for_each(|v| self.meta_value(v)),
            MetaValue::MetaBool(_) | MetaValue::MetaString(_) => {}
            MetaValue::MetaInlines(ils) => self.inlines(ils, 0),
            MetaValue::MetaBlocks(bs) => self.blocks(bs),
        }
    }

    fn blocks(&mut self, bs: &mut [Block]) {
        for b in bs {
            self.block(b);
        }
    }

    fn block(&mut self, b: &mut Block) {
        // A wrapper `Div` gives way to the block it holds.
        while let Block::Div(attr, inner) = b {
            if !(is_wrapper(attr) && inner.len() == 1) {
                break;
            }
            let Some(only) = inner.pop() else { break };
            *b = only;
        }
        match b {
            Block::Plain(ils) | Block::Para(ils) => self.inlines(ils, 0),
            Block::Header(_, attr, ils) => {
                take_pos(attr);
                self.in_heading = true;
                self.inlines(ils, 0);
                self.in_heading = false;
            }
            Block::LineBlock(lines) => lines.iter_mut().for_each(|l| self.inlines(l, 0)),
            Block::CodeBlock(attr, _) => {
                take_pos(attr);
            }
            Block::RawBlock(..) | Block::HorizontalRule => {}
            Block::BlockQuote(bs) => self.blocks(bs),
            Block::Div(attr, bs) => {
                take_pos(attr);
                self.blocks(bs)
            }
            Block::OrderedList(_, items) | Block::BulletList(items) => {
                items.iter_mut().for_each(|i| self.blocks(i))
            }
            Block::DefinitionList(items) => {
                for (term, defs) in items.iter_mut() {
                    self.inlines(term, 0);
                    defs.iter_mut().for_each(|d| self.blocks(d));
                }
            }
            Block::Table(t) => {
                take_pos(&mut t.attr);
                self.caption(&mut t.caption);
                let rows = t
                    .head
                    .1
                    .iter_mut()
                    .chain(
                        t.bodies
                            .iter_mut()
                            .flat_map(|b| b.2.iter_mut().chain(b.3.iter_mut())),
                    )
                    .chain(t.foot.1.iter_mut());
                let outer = self.in_table;
                self.in_table = true;
                for row in rows {
                    for cell in row.1.iter_mut() {
                        take_pos(&mut cell.0);
                        self.blocks(&mut cell.4);
                    }
                }
                self.in_table = outer;
            }
            Block::Figure(attr, caption, bs) => {
                take_pos(attr);
                self.caption(caption);
                self.blocks(bs);
            }
        }
    }

    fn caption(&mut self, Caption(short, long): &mut Caption) {
        if let Some(s) = short {
            self.inlines(s, 0);
        }
        self.blocks(long);
    }

    /// A list of inlines inside `depth` double quotes: its wrappers taken
    /// out, the lists inside it done, then its own problems.
    fn inlines(&mut self, ils: &mut Vec<Inline>, depth: usize) {
        let mut pos: Vec<Option<SourcePos>> = Vec::with_capacity(ils.len());
        let mut merged = false;
        // A file whose words are not where the positions say: it changed
        // since md2ast read it.
        let mut changed: Option<String> = None;
        let old = std::mem::take(ils);
        ils.reserve(old.len());
        for mut il in old {
            let mut p = None;
            if let Inline::Span(attr, content) = &mut il {
                if is_wrapper(attr) && content.len() > 1 {
                    // A run of words and the spaces between: each word
                    // found again in the source.
                    let run = std::mem::take(content);
                    let places = match data_pos(attr).and_then(SourcePos::parse) {
                        Some(run_pos) => {
                            let places = self.sources.place_words(&run_pos, &run);
                            let lost = run
                                .iter()
                                .zip(&places)
                                .any(|(il, p)| matches!(il, Inline::Str(_)) && p.is_none());
                            if lost {
                                changed = Some(run_pos.path);
                            }
                            places
                        }
                        None => vec![None; run.len()],
                    };
                    ils.extend(run);
                    pos.extend(places);
                    continue;
                }
            }
            while let Inline::Span(attr, content) = &mut il {
                if !(is_wrapper(attr) && content.len() == 1) {
                    break;
                }
                let outer = data_pos(attr).and_then(SourcePos::parse);
                let Some(only) = content.pop() else { break };
                il = only;
                p = p.or(outer);
            }
            match &mut il {
                Inline::Link(attr, ..)
                | Inline::Image(attr, ..)
                | Inline::Code(attr, _)
                | Inline::Span(attr, _) => {
                    let own = take_pos(attr);
                    p = p.or(own);
                }
                _ => {}
            }
            ils.push(il);
            pos.push(p);
        }
        // pandoc's own `sourcepos` splits text into words and punctuation:
        // joined again, as the filters see them.
        for w in ils.windows(2) {
            merged |= matches!(w, [Inline::Str(_), Inline::Str(_)]);
        }
        if merged {
            merge_positioned(ils, &mut pos);
        }
        for il in ils.iter_mut() {
            match il {
                Inline::Quoted(QuoteType::DoubleQuote, c) => self.inlines(c, depth + 1),
                Inline::Quoted(QuoteType::SingleQuote, c)
                | Inline::Emph(c)
                | Inline::Underline(c)
                | Inline::Strong(c)
                | Inline::Strikeout(c)
                | Inline::Superscript(c)
                | Inline::Subscript(c)
                | Inline::SmallCaps(c)
                | Inline::Link(_, c, _)
                | Inline::Image(_, c, _)
                | Inline::Span(_, c) => self.inlines(c, depth),
                Inline::Cite(cits, c) => {
                    for cit in cits.iter_mut() {
                        self.inlines(&mut cit.prefix, depth);
                        self.inlines(&mut cit.suffix, depth);
                    }
                    self.inlines(c, depth);
                }
                Inline::Note(bs) => self.blocks(bs),
                Inline::Str(_)
                | Inline::Code(..)
                | Inline::Space
                | Inline::SoftBreak
                | Inline::LineBreak
                | Inline::Math(..)
                | Inline::RawInline(..) => {}
            }
        }
        self.quotes(ils, &pos, depth);
        if let Some(spacer) = &mut self.spacer {
            let mut spots = spacer.find_spots(ils);
            if let Some(space) = self.quotes {
                spliced_decisions(spacer, ils, depth, space, &mut spots);
            }
            for spot in spots {
                let placed = place(ils, &pos, &spot);
                let missing = spot.insert_at.is_some();
                let (path, what) = placed.unwrap_or_else(|| {
                    let from = spot.index.saturating_sub(4);
                    let to = (spot.index + 5).min(ils.len());
                    let text: String = ils[from..to].iter().map(ast::stringify).collect();
                    (
                        changed.clone().unwrap_or_default(),
                        Change::Unplaced {
                            text: clip(text.trim(), 50, false),
                        },
                    )
                });
                let unfixable = match (missing, self.in_heading, self.in_table) {
                    (true, true, _) => Some(
                        "a space added to a heading changes its identifier, and the links to it",
                    ),
                    (true, _, true) => Some(
                        "a character added to a table's row moves its columns or changes its widths",
                    ),
                    _ => None,
                };
                self.spots.push(SourceSpot {
                    path,
                    what,
                    message: spot.message,
                    missing,
                    unfixable,
                });
            }
        }
    }

    /// `french-quotes`: each double quote of the list.
    fn quotes(&mut self, ils: &[Inline], pos: &[Option<SourcePos>], depth: usize) {
        let Some(space) = self.quotes else { return };
        for (i, (il, p)) in ils.iter().zip(pos).enumerate() {
            if !matches!(il, Inline::Quoted(QuoteType::DoubleQuote, _)) {
                continue;
            }
            let touching = |j: Option<usize>| {
                j.and_then(|j| ils.get(j))
                    .is_some_and(|n| !crate::text::is_break(n))
            };
            let word_beside = touching(i.checked_sub(1)) || touching(Some(i + 1));
            let (open, close, message) = if depth == 0 {
                let sp = space.char().unwrap_or(' ');
                let message = match space.char() {
                    Some(c) => format!(
                        "straight double quotes (expected guillemets \u{ab} \u{bb} with {}s inside)",
                        space_name(c)
                    ),
                    None => "straight double quotes (expected guillemets \u{ab} \u{bb})".into(),
                };
                (format!("\u{ab}{sp}"), format!("{sp}\u{bb}"), message)
            } else {
                (
                    "\u{201c}".into(),
                    "\u{201d}".into(),
                    "straight double quotes inside quotes (expected \u{201c} \u{201d})".into(),
                )
            };
            let (path, what) = match p {
                Some(p) => (
                    p.path.clone(),
                    Change::Quotes {
                        start: p.start,
                        end: p.end,
                        open,
                        close,
                    },
                ),
                None => (
                    String::new(),
                    Change::Unplaced {
                        text: clip(&ast::stringify(il), 50, false),
                    },
                ),
            };
            self.spots.push(SourceSpot {
                path,
                what,
                message,
                missing: false,
                unfixable: if self.in_table {
                    Some("guillemets and their spaces in a table's row move its columns or change its widths")
                } else if self.in_heading && word_beside {
                    // `# Mot "cité"s`: the spaces inside the guillemets
                    // would split a word of the heading's identifier.
                    Some("guillemets there change the heading's identifier, and the links to it")
                } else {
                    None
                },
            });
        }
    }
}

/// `french-quotes` runs before `french-spacing`: a double quote is
/// spliced into the `Str` nodes beside it (`%"mot"` is `%«\u{202f}mot\u{202f}»`),
/// so a space beside such a run is judged, as the chain judges it, with
/// the run spliced.
fn spliced_decisions(
    spacer: &mut Spacer,
    ils: &[Inline],
    depth: usize,
    space: SpaceKind,
    spots: &mut Vec<crate::spacing::Spot>,
) {
    let is_quote = |il: &Inline| matches!(il, Inline::Quoted(QuoteType::DoubleQuote, _));
    if !ils.iter().any(is_quote) {
        return;
    }
    // The runs of inlines between breaks, and whether each has a quote.
    let mut run_of = vec![0usize; ils.len()];
    let mut runs: Vec<(usize, usize, bool)> = Vec::new();
    for (i, il) in ils.iter().enumerate() {
        if crate::text::is_break(il) {
            continue;
        }
        match runs.last_mut() {
            Some(r) if r.1 == i => {
                r.1 = i + 1;
                r.2 |= is_quote(il);
            }
            _ => runs.push((i, i + 1, is_quote(il))),
        }
        run_of[i] = runs.len() - 1;
    }
    let touches = |i: usize| {
        let side = |j: Option<usize>| {
            j.filter(|&j| j < ils.len() && !crate::text::is_break(&ils[j]))
                .is_some_and(|j| runs[run_of[j]].2)
        };
        side(i.checked_sub(1)) || side(Some(i + 1))
    };
    spots.retain(|s| s.insert_at.is_some() || !touches(s.index));
    let spliced = |j: usize| {
        let (a, b, _) = runs[run_of[j]];
        let mut run = ils[a..b].to_vec();
        splice_all(&mut run, depth, space);
        run
    };
    for i in 1..ils.len().saturating_sub(1) {
        if !matches!(ils[i], Inline::Space | Inline::SoftBreak) || !touches(i) {
            continue;
        }
        if crate::text::is_break(&ils[i - 1]) || crate::text::is_break(&ils[i + 1]) {
            continue;
        }
        let (Some(prev), Some(next)) = (spliced(i - 1).pop(), spliced(i + 1).into_iter().next())
        else {
            continue;
        };
        let ctx = [prev, ils[i].clone(), next];
        for mut spot in spacer.find_spots(&ctx) {
            if spot.index == 1 && spot.insert_at.is_none() {
                spot.index = i;
                spots.push(spot);
            }
        }
    }
    // A word joined to a quote (`"cité"C:`) is one word once the quote is
    // spliced: its missing spaces are judged in that word.
    for i in 0..ils.len() {
        let Inline::Str(word) = &ils[i] else { continue };
        let joined = |j: Option<usize>| {
            j.filter(|&j| j < ils.len() && !crate::text::is_break(&ils[j]))
                .is_some_and(|j| runs[run_of[j]].2)
        };
        if !(joined(i.checked_sub(1)) || joined(Some(i + 1))) {
            continue;
        }
        let (a, b, _) = runs[run_of[i]];
        let mut before = ils[a..i].to_vec();
        splice_all(&mut before, depth, space);
        let mut after = ils[i + 1..b].to_vec();
        splice_all(&mut after, depth, space);
        // The `Str` nodes spliced onto the word join it; the inlines
        // beyond them are its neighbours.
        let prefix = match before.pop() {
            Some(Inline::Str(p)) => p,
            Some(other) => {
                before.push(other);
                String::new()
            }
            None => String::new(),
        };
        let suffix = match after.first() {
            Some(Inline::Str(n)) => {
                let n = n.clone();
                after.remove(0);
                n
            }
            _ => String::new(),
        };
        let mut ctx: Vec<Inline> = Vec::with_capacity(3);
        if let Some(p) = before.pop() {
            ctx.push(p);
        }
        ctx.push(Inline::Str(format!("{prefix}{word}{suffix}")));
        let at = ctx.len() - 1;
        if let Some(n) = after.first() {
            ctx.push(n.clone());
        }
        spots.retain(|s| !(s.index == i && s.insert_at.is_some()));
        // Insertions at the word's ends are its own (what joins it is not a
        // `Str` of the list: the reader merges those).
        let range = prefix.len()..=prefix.len() + word.len();
        for mut spot in spacer.find_spots(&ctx) {
            match spot.insert_at {
                Some(k) if spot.index == at && range.contains(&k) => {
                    spot.index = i;
                    spot.insert_at = Some(k - prefix.len());
                    spots.push(spot);
                }
                _ => {}
            }
        }
    }
    spots.sort_by_key(|s| (s.index, s.insert_at));
}

/// Splices the double quotes of `run` (and of the quotes inside them), as
/// `french-quotes` does.
fn splice_all(run: &mut Vec<Inline>, depth: usize, space: SpaceKind) {
    for il in run.iter_mut() {
        if let Inline::Quoted(QuoteType::DoubleQuote, c) = il {
            splice_all(c, depth + 1, space);
        }
    }
    crate::quotes::splice_quotes(run, depth, space);
}

/// Where a spot of `ils` is in the source, from the positions of the
/// inlines around it.
fn place(
    ils: &[Inline],
    pos: &[Option<SourcePos>],
    spot: &crate::spacing::Spot,
) -> Option<(String, Change)> {
    let i = spot.index;
    match (spot.insert_at, &ils[i]) {
        (Some(at), Inline::Str(text)) => {
            let p = pos[i].as_ref()?;
            Some((
                p.path.clone(),
                Change::Insert {
                    start: p.start,
                    text: text.clone(),
                    at,
                    space: spot.space,
                },
            ))
        }
        (None, _) => {
            // The space's own position (pandoc wraps spaces), or the gap
            // between its neighbours (md2ast does not).
            if let Some(own) = &pos[i] {
                return Some((
                    own.path.clone(),
                    Change::Space {
                        from: own.start,
                        to: own.end,
                        space: spot.space,
                        next: None,
                        prev: None,
                    },
                ));
            }
            let before = pos.get(i.checked_sub(1)?)?.as_ref()?;
            let after = pos.get(i + 1)?.as_ref()?;
            if before.path != after.path {
                return None;
            }
            let text_of = |il: &Inline| match il {
                Inline::Str(s) => Some(s.clone()),
                _ => None,
            };
            let next = text_of(&ils[i + 1]);
            let prev = text_of(&ils[i - 1]).map(|t| (t, before.start));
            Some((
                before.path.clone(),
                Change::Space {
                    from: before.end,
                    to: after.start,
                    space: spot.space,
                    next,
                    prev,
                },
            ))
        }
        _ => None,
    }
}

/// Joins adjacent `Str` nodes and their positions.
fn merge_positioned(ils: &mut Vec<Inline>, pos: &mut Vec<Option<SourcePos>>) {
    let mut out: Vec<Inline> = Vec::with_capacity(ils.len());
    let mut out_pos: Vec<Option<SourcePos>> = Vec::with_capacity(ils.len());
    for (il, p) in ils.drain(..).zip(pos.drain(..)) {
        if let (Some(Inline::Str(last)), Inline::Str(s)) = (out.last_mut(), &il) {
            last.push_str(s);
            let lp = out_pos.last_mut().and_then(Option::as_mut);
            match (lp, p) {
                (Some(lp), Some(p)) if lp.path == p.path => lp.end = p.end,
                _ => *out_pos.last_mut().expect("a Str before") = None,
            }
            continue;
        }
        out.push(il);
        out_pos.push(p);
    }
    *ils = out;
    *pos = out_pos;
}

/// The source files named by positions, read once each (`None` when one
/// cannot be read: its words then have no place).
#[derive(Default)]
struct Sources {
    files: HashMap<String, Option<(String, LineIndex)>>,
}

impl Sources {
    /// The place of each word (`Str`) of a run of words and spaces that
    /// starts and ends where `run` says, found as md2ast found them.
    fn place_words(&mut self, run: &SourcePos, items: &[Inline]) -> Vec<Option<SourcePos>> {
        let file = self.files.entry(run.path.clone()).or_insert_with(|| {
            let text = std::fs::read_to_string(&run.path).ok()?;
            let lines = LineIndex::new(&text);
            Some((text, lines))
        });
        let mut out = vec![None; items.len()];
        let Some((text, lines)) = file else {
            return out;
        };
        let (Some(mut at), Some(end)) =
            (lines.offset(text, run.start), lines.offset(text, run.end))
        else {
            return out;
        };
        for (item, place) in items.iter().zip(out.iter_mut()) {
            let Inline::Str(word) = item else { continue };
            let Some((s, e)) = find_word(text, at, end, word) else {
                break;
            };
            *place = Some(SourcePos {
                path: run.path.clone(),
                start: lines.line_col(text, s),
                end: lines.line_col(text, e),
            });
            at = e;
        }
        out
    }
}

//! Runs several filters in one walk over the document.
//!
//! A filter is a type behind one trait, [`ListFilter`]: it works on one
//! list of inlines (or blocks) at a time, once the lists inside it are done,
//! so the filters of a chain can share a single bottom-up walk in which the
//! engine hands each list to each filter in the chain's order. The engine
//! knows no filter: adding one touches its module and the list in `lib.rs`. This
//! gives what running them one after the other gives (a property test checks
//! it), at the cost of one walk instead of five: a walk over a large
//! document is bound by memory bandwidth, and the chain must stay close to
//! the cost of reading and writing the JSON.

use ast::{Block, Caption, Cell, Inline, Meta, MetaValue, Pandoc, QuoteType, Row};

// Deep documents (10,000 levels) recurse deeply: grow the stack in segments,
// as the ast crate's walk does.
pub(crate) const RED_ZONE: usize = 64 * 1024;
pub(crate) const NEW_STACK: usize = 1024 * 1024;

/// What a list holds that some filters look for, noted while its inlines
/// are walked, so that those filters skip the lists without any.
#[derive(Default, Clone, Copy)]
pub(crate) struct Found {
    /// A `Quoted DoubleQuote` (for `french-quotes`).
    pub double_quotes: bool,
    /// A raw TeX inline (for `raw-tex` and `smallcaps`).
    pub raw_tex: bool,
}

/// The list of inlines a filter is handed, as the engine sees it.
#[derive(Clone, Copy)]
pub(crate) struct InlinesAt {
    /// How many double quotes the list is inside.
    pub depth: usize,
    /// What the list holds (its own inlines, not the lists inside them).
    pub found: Found,
}

/// A filter of the walk. Each list of inlines and of blocks is handed to
/// it once the lists inside are done (bottom-up, as pandoc's `walk`).
pub(crate) trait ListFilter {
    /// Works on one list of inlines. True when it made inlines with lists
    /// of their own that the filters after it have not seen (raw TeX become
    /// `Emph`...): the engine then walks those with the filters after it.
    fn inlines(&mut self, _ils: &mut Vec<Inline>, _at: InlinesAt) -> bool {
        false
    }

    /// Works on one list of blocks before the blocks inside are walked, and
    /// may replace some of them by others (`raw-tex` reads raw LaTeX blocks
    /// into the blocks they stand for, so that every filter sees their text).
    fn blocks_first(&mut self, _bs: &mut Vec<Block>) {}

    /// Works on one list of blocks.
    fn blocks(&mut self, _bs: &mut [Block]) {}

    /// True for a filter that splices the content of a double quote into
    /// the list around it (`french-quotes`): the filters after it leave
    /// such content alone and see it in the outer list, with its real
    /// neighbours.
    fn splices_quoted_lists(&self) -> bool {
        false
    }
}

/// The filters of one pass, applied in this order on each list.
///
/// Every filter works inside one top-level block (or one metadata value) at
/// a time, `pagebreak` replaces blocks one for one and `raw-tex` a raw LaTeX
/// block by its blocks, in place: a pass over the metadata and then over
/// the top-level blocks in batches of any size gives what a pass over the
/// whole document gives.
#[derive(Default)]
pub(crate) struct Engine {
    filters: Vec<Box<dyn ListFilter + Send>>,
    /// The index of the first filter that splices quoted lists, if any.
    splicer: Option<usize>,
}

impl Engine {
    /// A pass of these filters, in this order.
    pub fn new(filters: Vec<Box<dyn ListFilter + Send>>) -> Engine {
        let mut engine = Engine::default();
        for f in filters {
            engine.push(f);
        }
        engine
    }

    /// Adds a filter at the end of the pass.
    pub fn push(&mut self, filter: Box<dyn ListFilter + Send>) {
        if self.splicer.is_none() && filter.splices_quoted_lists() {
            self.splicer = Some(self.filters.len());
        }
        self.filters.push(filter);
    }

    /// True when no filter is on: the pass would change nothing.
    pub fn is_empty(&self) -> bool {
        self.filters.is_empty()
    }

    /// Runs the pass on a whole document.
    pub fn run(&mut self, doc: &mut Pandoc) {
        self.run_meta(&mut doc.meta);
        self.run_blocks(&mut doc.blocks);
    }

    /// Runs the pass on the metadata.
    pub fn run_meta(&mut self, meta: &mut Meta) {
        for value in meta.values_mut() {
            self.meta_value(value);
        }
    }

    /// Runs the pass on top-level blocks (all of them, or the next batch).
    pub fn run_blocks(&mut self, blocks: &mut Vec<Block>) {
        self.blocks(blocks, 0);
    }

    fn meta_value(&mut self, value: &mut MetaValue) {
        stacker::maybe_grow(RED_ZONE, NEW_STACK, || match value {
            MetaValue::MetaMap(m) => m.values_mut().for_each(|v| self.meta_value(v)),
            MetaValue::MetaList(l) => l.iter_mut().for_each(|v| self.meta_value(v)),
            MetaValue::MetaBool(_) | MetaValue::MetaString(_) => {}
            MetaValue::MetaInlines(ils) => self.inlines(ils, 0, 0),
            MetaValue::MetaBlocks(bs) => self.blocks(bs, 0),
        })
    }

    /// `from`: the first filter to run (those before it have seen this part).
    fn blocks(&mut self, bs: &mut Vec<Block>, from: usize) {
        stacker::maybe_grow(RED_ZONE, NEW_STACK, || {
            for f in &mut self.filters[from..] {
                f.blocks_first(bs);
            }
            for b in bs.iter_mut() {
                self.block(b, from);
            }
            for f in &mut self.filters[from..] {
                f.blocks(bs);
            }
        })
    }

    fn rows(&mut self, rows: &mut [Row], from: usize) {
        for Row(_, cells) in rows {
            for Cell(_, _, _, _, bs) in cells {
                self.blocks(bs, from);
            }
        }
    }

    fn caption(&mut self, Caption(short, long): &mut Caption, from: usize) {
        if let Some(s) = short {
            self.inlines(s, 0, from);
        }
        self.blocks(long, from);
    }

    fn block(&mut self, b: &mut Block, from: usize) {
        match b {
            Block::Plain(ils) | Block::Para(ils) | Block::Header(_, _, ils) => {
                self.inlines(ils, 0, from)
            }
            Block::LineBlock(lines) => lines.iter_mut().for_each(|l| self.inlines(l, 0, from)),
            Block::CodeBlock(..) | Block::RawBlock(..) | Block::HorizontalRule => {}
            Block::BlockQuote(bs) | Block::Div(_, bs) => self.blocks(bs, from),
            Block::OrderedList(_, items) | Block::BulletList(items) => {
                items.iter_mut().for_each(|i| self.blocks(i, from))
            }
            Block::DefinitionList(items) => {
                for (term, defs) in items.iter_mut() {
                    self.inlines(term, 0, from);
                    defs.iter_mut().for_each(|d| self.blocks(d, from));
                }
            }
            Block::Table(t) => {
                self.caption(&mut t.caption, from);
                self.rows(&mut t.head.1, from);
                for body in t.bodies.iter_mut() {
                    self.rows(&mut body.2, from);
                    self.rows(&mut body.3, from);
                }
                self.rows(&mut t.foot.1, from);
            }
            Block::Figure(_, cap, bs) => {
                self.caption(cap, from);
                self.blocks(bs, from);
            }
        }
    }

    /// A list of inlines inside `depth` double quotes: the lists inside it
    /// first, then the filters on the list itself.
    fn inlines(&mut self, ils: &mut Vec<Inline>, depth: usize, from: usize) {
        self.inlines_of(ils, depth, false, from)
    }

    /// `quoted`: the list is the content of a double quote, which a
    /// splicing filter (`french-quotes`) will put into the list around it.
    fn inlines_of(&mut self, ils: &mut Vec<Inline>, depth: usize, quoted: bool, from: usize) {
        stacker::maybe_grow(RED_ZONE, NEW_STACK, || {
            let found = self.children(ils, depth, from);
            self.list(ils, depth, quoted, found, from);
        })
    }

    /// Walks the lists inside the inlines of `ils`, and tells what the
    /// filters of the list itself will have to look at.
    fn children(&mut self, ils: &mut [Inline], depth: usize, from: usize) -> Found {
        let mut found = Found::default();
        for il in ils.iter_mut() {
            match il {
                Inline::Quoted(QuoteType::DoubleQuote, c) => {
                    found.double_quotes = true;
                    self.inlines_of(c, depth + 1, true, from)
                }
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
                | Inline::Span(_, c) => self.inlines(c, depth, from),
                Inline::Cite(cits, c) => {
                    for cit in cits.iter_mut() {
                        self.inlines(&mut cit.prefix, depth, from);
                        self.inlines(&mut cit.suffix, depth, from);
                    }
                    self.inlines(c, depth, from);
                }
                // Quotes in a note start again at the outer level.
                Inline::Note(bs) => self.blocks(bs, from),
                Inline::RawInline(f, _) => found.raw_tex |= f.is_tex(),
                Inline::Str(_)
                | Inline::Code(..)
                | Inline::Space
                | Inline::SoftBreak
                | Inline::LineBreak
                | Inline::Math(..) => {}
            }
        }
        found
    }

    fn list(
        &mut self,
        ils: &mut Vec<Inline>,
        depth: usize,
        quoted: bool,
        mut found: Found,
        from: usize,
    ) {
        for i in from..self.filters.len() {
            // The content of a double quote becomes part of the list around
            // it, which the filters after the splicing one see then.
            if quoted && self.splicer.is_some_and(|s| s < i) {
                break;
            }
            if self.filters[i].inlines(ils, InlinesAt { depth, found }) {
                // New lists that the later filters have not seen: walk them
                // now with those filters (every filter is idempotent).
                found = self.children(ils, depth, i + 1);
            }
        }
    }
}

//! Runs several filters in one walk over the document.
//!
//! Every filter works on one list of inlines (or blocks) at a time, once the
//! lists inside it are done, so the filters of the default chain can share a
//! single bottom-up walk: on each list they run in the chain's order. This
//! gives what running them one after the other gives (a property test checks
//! it), at the cost of one walk instead of five: a walk over a large
//! document is bound by memory bandwidth, and the chain must stay close to
//! the cost of reading and writing the JSON.

use ast::{Block, Caption, Cell, Inline, Meta, MetaValue, MutVisitor, Pandoc, QuoteType, Row};

use crate::options::SpaceKind;
use crate::pagebreak::replace_pagebreaks;
use crate::quotes::splice_quotes;
use crate::rawtex::{CapsNames, TexInlines};
use crate::spacing::Spacer;

// Deep documents (10,000 levels) recurse deeply: grow the stack in segments,
// as the ast crate's walk does.
pub(crate) const RED_ZONE: usize = 64 * 1024;
pub(crate) const NEW_STACK: usize = 1024 * 1024;

/// What a list holds that some filters look for, noted while its inlines
/// are walked, so that those filters skip the lists without any.
#[derive(Default, Clone, Copy)]
struct Found {
    /// A `Quoted DoubleQuote` (for `french-quotes`).
    double_quotes: bool,
    /// A raw TeX inline (for `raw-tex` and `smallcaps`).
    raw_tex: bool,
}

/// The filters of one pass, each optional, applied in this order on each list.
///
/// Every filter works inside one top-level block (or one metadata value) at
/// a time, `pagebreak` replaces blocks one for one and `raw-tex` a raw LaTeX
/// block by its blocks, in place: a pass over the metadata and then over
/// the top-level blocks in batches of any size gives what a pass over the
/// whole document gives.
#[derive(Default)]
pub(crate) struct Engine {
    pub raw_tex: Option<TexInlines>,
    pub smallcaps: Option<TexInlines>,
    pub caps_names: Option<CapsNames>,
    /// `Some(format)` runs `pagebreak` for that output format.
    pub pagebreak: Option<Option<String>>,
    pub quotes: Option<SpaceKind>,
    pub spacing: Option<Spacer>,
}

impl Engine {
    /// True when no filter is on: the pass would change nothing.
    pub fn is_empty(&self) -> bool {
        self.raw_tex.is_none()
            && self.smallcaps.is_none()
            && self.caps_names.is_none()
            && self.pagebreak.is_none()
            && self.quotes.is_none()
            && self.spacing.is_none()
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
        self.blocks(blocks);
    }

    fn meta_value(&mut self, value: &mut MetaValue) {
        stacker::maybe_grow(RED_ZONE, NEW_STACK, || match value {
            MetaValue::MetaMap(m) => m.values_mut().for_each(|v| self.meta_value(v)),
            MetaValue::MetaList(l) => l.iter_mut().for_each(|v| self.meta_value(v)),
            MetaValue::MetaBool(_) | MetaValue::MetaString(_) => {}
            MetaValue::MetaInlines(ils) => self.inlines(ils, 0),
            MetaValue::MetaBlocks(bs) => self.blocks(bs),
        })
    }

    fn blocks(&mut self, bs: &mut Vec<Block>) {
        stacker::maybe_grow(RED_ZONE, NEW_STACK, || {
            // Raw LaTeX blocks first: the filters then see their text.
            if let Some(t) = &mut self.raw_tex {
                t.convert_blocks(bs);
            }
            for b in bs.iter_mut() {
                self.block(b);
            }
            if let Some(format) = &self.pagebreak {
                replace_pagebreaks(bs, format.as_deref());
            }
        })
    }

    fn rows(&mut self, rows: &mut [Row]) {
        for Row(_, cells) in rows {
            for Cell(_, _, _, _, bs) in cells {
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

    fn block(&mut self, b: &mut Block) {
        match b {
            Block::Plain(ils) | Block::Para(ils) | Block::Header(_, _, ils) => self.inlines(ils, 0),
            Block::LineBlock(lines) => lines.iter_mut().for_each(|l| self.inlines(l, 0)),
            Block::CodeBlock(..) | Block::RawBlock(..) | Block::HorizontalRule => {}
            Block::BlockQuote(bs) | Block::Div(_, bs) => self.blocks(bs),
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
                self.caption(&mut t.caption);
                self.rows(&mut t.head.1);
                for body in t.bodies.iter_mut() {
                    self.rows(&mut body.2);
                    self.rows(&mut body.3);
                }
                self.rows(&mut t.foot.1);
            }
            Block::Figure(_, cap, bs) => {
                self.caption(cap);
                self.blocks(bs);
            }
        }
    }

    /// A list of inlines inside `depth` double quotes: the lists inside it
    /// first, then the filters on the list itself.
    fn inlines(&mut self, ils: &mut Vec<Inline>, depth: usize) {
        self.inlines_of(ils, depth, false)
    }

    /// `quoted`: the list is the content of a double quote, which
    /// `french-quotes` will splice into the list around it.
    fn inlines_of(&mut self, ils: &mut Vec<Inline>, depth: usize, quoted: bool) {
        stacker::maybe_grow(RED_ZONE, NEW_STACK, || {
            let found = self.children(ils, depth);
            self.list(ils, depth, quoted, found);
        })
    }

    /// Walks the lists inside the inlines of `ils`, and tells what the
    /// filters of the list itself will have to look at.
    fn children(&mut self, ils: &mut [Inline], depth: usize) -> Found {
        let mut found = Found::default();
        for il in ils.iter_mut() {
            match il {
                Inline::Quoted(QuoteType::DoubleQuote, c) => {
                    found.double_quotes = true;
                    self.inlines_of(c, depth + 1, true)
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
                | Inline::Span(_, c) => self.inlines(c, depth),
                Inline::Cite(cits, c) => {
                    for cit in cits.iter_mut() {
                        self.inlines(&mut cit.prefix, depth);
                        self.inlines(&mut cit.suffix, depth);
                    }
                    self.inlines(c, depth);
                }
                // Quotes in a note start again at the outer level.
                Inline::Note(bs) => self.blocks(bs),
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

    fn list(&mut self, ils: &mut Vec<Inline>, depth: usize, quoted: bool, mut found: Found) {
        let mut converted = false;
        if found.raw_tex {
            if let Some(t) = &mut self.raw_tex {
                converted |= t.convert_list(ils);
            }
            // `raw-tex` knows every command `smallcaps` does: after it, there
            // is nothing left for `smallcaps` to convert.
            if let Some(t) = self.smallcaps.as_mut().filter(|_| self.raw_tex.is_none()) {
                converted |= t.convert_list(ils);
            }
        }
        if converted {
            // The TeX became nodes with lists of their own, which the later
            // filters have not seen: walk them now (the filters are idempotent).
            let raw_tex = self.raw_tex.take();
            let smallcaps = self.smallcaps.take();
            found = self.children(ils, depth);
            self.raw_tex = raw_tex;
            self.smallcaps = smallcaps;
        }
        if let Some(c) = &mut self.caps_names {
            c.visit_inlines(ils);
        }
        if let Some(space) = self.quotes.filter(|_| found.double_quotes) {
            splice_quotes(ils, depth, space);
        }
        // The content of a double quote becomes part of the list around it,
        // whose spacing sees it then with its real neighbours.
        let spliced_later = quoted && self.quotes.is_some();
        if let Some(s) = self.spacing.as_mut().filter(|_| !spliced_later) {
            s.visit_inlines(ils);
        }
    }
}

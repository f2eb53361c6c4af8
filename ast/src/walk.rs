//! Walking a document, pandoc's model (`Text.Pandoc.Walk`).
//!
//! A [`MutVisitor`] is called bottom-up: the children of a node are visited
//! before the node, and the elements of a list before the list itself. The
//! list hooks ([`MutVisitor::visit_inlines`], [`MutVisitor::visit_blocks`]) are
//! the splicing form: they may split, merge, insert or remove elements, which
//! typography filters need to rewrite `Str` nodes. A [`Visitor`] is the
//! read-only counterpart, for queries.
//!
//! Every list of inlines or blocks is reached: metadata values, table cells
//! and captions, figure captions, notes, citation prefixes and suffixes.
//!
//! ```
//! use ast::{Inline, Pandoc, Block, walk_inlines, query_inlines};
//! let mut doc = Pandoc::new(Default::default(), vec![Block::Para(vec![Inline::Str("a".into())])]);
//! walk_inlines(&mut doc, |il| if let Inline::Str(s) = il { s.push('!') });
//! let mut n = 0;
//! query_inlines(&doc, |il| if matches!(il, Inline::Str(s) if s == "a!") { n += 1 });
//! assert_eq!(n, 1);
//! ```

use crate::definition::*;

/// Bottom-up rewriting of a document. Every method does nothing by default.
pub trait MutVisitor {
    /// Called on each inline after its children.
    fn visit_inline(&mut self, _inline: &mut Inline) {}
    /// Called on each list of inlines after its elements: may splice.
    fn visit_inlines(&mut self, _inlines: &mut Vec<Inline>) {}
    /// Called on each block after its children.
    fn visit_block(&mut self, _block: &mut Block) {}
    /// Called on each list of blocks after its elements: may splice.
    fn visit_blocks(&mut self, _blocks: &mut Vec<Block>) {}
    /// Called on each metadata value after its children.
    fn visit_meta_value(&mut self, _value: &mut MetaValue) {}
}

/// Read-only visit of a document, in document order: `visit_*` on a node
/// before its children, `leave_*` after them.
pub trait Visitor {
    fn visit_inline(&mut self, _inline: &Inline) {}
    fn leave_inline(&mut self, _inline: &Inline) {}
    fn visit_block(&mut self, _block: &Block) {}
    fn leave_block(&mut self, _block: &Block) {}
    fn visit_meta_value(&mut self, _value: &MetaValue) {}
}

/// Something that holds blocks or inlines: a document, a block, a list...
pub trait Walkable {
    /// Rewrites bottom-up with `v`.
    fn walk_mut<V: MutVisitor + ?Sized>(&mut self, v: &mut V);
    /// Visits in document order with `v`.
    fn walk<V: Visitor + ?Sized>(&self, v: &mut V);
}

// Large stack segments keep deeply nested documents (10,000+ levels) from
// overflowing the thread's stack; the check is a couple of instructions.
const RED_ZONE: usize = 64 * 1024;
const NEW_STACK: usize = 1024 * 1024;

mod rewrite {
    use super::*;

    pub(super) fn inlines<V: MutVisitor + ?Sized>(ils: &mut Vec<Inline>, v: &mut V) {
        stacker::maybe_grow(RED_ZONE, NEW_STACK, || {
            for il in ils.iter_mut() {
                inline(il, v);
            }
            v.visit_inlines(ils);
        })
    }

    pub(super) fn inline<V: MutVisitor + ?Sized>(il: &mut Inline, v: &mut V) {
        match il {
            Inline::Emph(c)
            | Inline::Underline(c)
            | Inline::Strong(c)
            | Inline::Strikeout(c)
            | Inline::Superscript(c)
            | Inline::Subscript(c)
            | Inline::SmallCaps(c)
            | Inline::Quoted(_, c)
            | Inline::Link(_, c, _)
            | Inline::Image(_, c, _)
            | Inline::Span(_, c) => inlines(c, v),
            Inline::Cite(cits, c) => {
                for cit in cits.iter_mut() {
                    inlines(&mut cit.prefix, v);
                    inlines(&mut cit.suffix, v);
                }
                inlines(c, v);
            }
            Inline::Note(bs) => blocks(bs, v),
            Inline::Str(_)
            | Inline::Code(..)
            | Inline::Space
            | Inline::SoftBreak
            | Inline::LineBreak
            | Inline::Math(..)
            | Inline::RawInline(..) => {}
        }
        v.visit_inline(il);
    }

    pub(super) fn blocks<V: MutVisitor + ?Sized>(bs: &mut Vec<Block>, v: &mut V) {
        stacker::maybe_grow(RED_ZONE, NEW_STACK, || {
            for b in bs.iter_mut() {
                block(b, v);
            }
            v.visit_blocks(bs);
        })
    }

    fn rows<V: MutVisitor + ?Sized>(rows: &mut [Row], v: &mut V) {
        for Row(_, cells) in rows {
            for Cell(_, _, _, _, bs) in cells {
                blocks(bs, v);
            }
        }
    }

    fn caption<V: MutVisitor + ?Sized>(Caption(short, long): &mut Caption, v: &mut V) {
        if let Some(s) = short {
            inlines(s, v);
        }
        blocks(long, v);
    }

    pub(super) fn block<V: MutVisitor + ?Sized>(b: &mut Block, v: &mut V) {
        match b {
            Block::Plain(ils) | Block::Para(ils) | Block::Header(_, _, ils) => inlines(ils, v),
            Block::LineBlock(lines) => lines.iter_mut().for_each(|l| inlines(l, v)),
            Block::CodeBlock(..) | Block::RawBlock(..) | Block::HorizontalRule => {}
            Block::BlockQuote(bs) | Block::Div(_, bs) => blocks(bs, v),
            Block::OrderedList(_, items) | Block::BulletList(items) => {
                items.iter_mut().for_each(|i| blocks(i, v))
            }
            Block::DefinitionList(items) => {
                for (term, defs) in items.iter_mut() {
                    inlines(term, v);
                    defs.iter_mut().for_each(|d| blocks(d, v));
                }
            }
            Block::Table(t) => {
                caption(&mut t.caption, v);
                rows(&mut t.head.1, v);
                for TableBody(_, _, head, body) in t.bodies.iter_mut() {
                    rows(head, v);
                    rows(body, v);
                }
                rows(&mut t.foot.1, v);
            }
            Block::Figure(_, cap, bs) => {
                caption(cap, v);
                blocks(bs, v);
            }
        }
        v.visit_block(b);
    }

    pub(super) fn meta_value<V: MutVisitor + ?Sized>(m: &mut MetaValue, v: &mut V) {
        stacker::maybe_grow(RED_ZONE, NEW_STACK, || {
            match m {
                MetaValue::MetaMap(map) => map.values_mut().for_each(|x| meta_value(x, v)),
                MetaValue::MetaList(l) => l.iter_mut().for_each(|x| meta_value(x, v)),
                MetaValue::MetaBool(_) | MetaValue::MetaString(_) => {}
                MetaValue::MetaInlines(ils) => inlines(ils, v),
                MetaValue::MetaBlocks(bs) => blocks(bs, v),
            }
            v.visit_meta_value(m);
        })
    }
}

mod visit {
    use super::*;

    pub(super) fn inlines<V: Visitor + ?Sized>(ils: &[Inline], v: &mut V) {
        stacker::maybe_grow(RED_ZONE, NEW_STACK, || {
            for il in ils {
                inline(il, v);
            }
        })
    }

    pub(super) fn inline<V: Visitor + ?Sized>(il: &Inline, v: &mut V) {
        v.visit_inline(il);
        match il {
            Inline::Emph(c)
            | Inline::Underline(c)
            | Inline::Strong(c)
            | Inline::Strikeout(c)
            | Inline::Superscript(c)
            | Inline::Subscript(c)
            | Inline::SmallCaps(c)
            | Inline::Quoted(_, c)
            | Inline::Link(_, c, _)
            | Inline::Image(_, c, _)
            | Inline::Span(_, c) => inlines(c, v),
            Inline::Cite(cits, c) => {
                for cit in cits {
                    inlines(&cit.prefix, v);
                    inlines(&cit.suffix, v);
                }
                inlines(c, v);
            }
            Inline::Note(bs) => blocks(bs, v),
            Inline::Str(_)
            | Inline::Code(..)
            | Inline::Space
            | Inline::SoftBreak
            | Inline::LineBreak
            | Inline::Math(..)
            | Inline::RawInline(..) => {}
        }
        v.leave_inline(il);
    }

    pub(super) fn blocks<V: Visitor + ?Sized>(bs: &[Block], v: &mut V) {
        stacker::maybe_grow(RED_ZONE, NEW_STACK, || {
            for b in bs {
                block(b, v);
            }
        })
    }

    fn rows<V: Visitor + ?Sized>(rows: &[Row], v: &mut V) {
        for Row(_, cells) in rows {
            for Cell(_, _, _, _, bs) in cells {
                blocks(bs, v);
            }
        }
    }

    fn caption<V: Visitor + ?Sized>(Caption(short, long): &Caption, v: &mut V) {
        if let Some(s) = short {
            inlines(s, v);
        }
        blocks(long, v);
    }

    pub(super) fn block<V: Visitor + ?Sized>(b: &Block, v: &mut V) {
        v.visit_block(b);
        match b {
            Block::Plain(ils) | Block::Para(ils) | Block::Header(_, _, ils) => inlines(ils, v),
            Block::LineBlock(lines) => lines.iter().for_each(|l| inlines(l, v)),
            Block::CodeBlock(..) | Block::RawBlock(..) | Block::HorizontalRule => {}
            Block::BlockQuote(bs) | Block::Div(_, bs) => blocks(bs, v),
            Block::OrderedList(_, items) | Block::BulletList(items) => {
                items.iter().for_each(|i| blocks(i, v))
            }
            Block::DefinitionList(items) => {
                for (term, defs) in items {
                    inlines(term, v);
                    defs.iter().for_each(|d| blocks(d, v));
                }
            }
            Block::Table(t) => {
                caption(&t.caption, v);
                rows(&t.head.1, v);
                for TableBody(_, _, head, body) in &t.bodies {
                    rows(head, v);
                    rows(body, v);
                }
                rows(&t.foot.1, v);
            }
            Block::Figure(_, cap, bs) => {
                caption(cap, v);
                blocks(bs, v);
            }
        }
        v.leave_block(b);
    }

    pub(super) fn meta_value<V: Visitor + ?Sized>(m: &MetaValue, v: &mut V) {
        stacker::maybe_grow(RED_ZONE, NEW_STACK, || {
            v.visit_meta_value(m);
            match m {
                MetaValue::MetaMap(map) => map.values().for_each(|x| meta_value(x, v)),
                MetaValue::MetaList(l) => l.iter().for_each(|x| meta_value(x, v)),
                MetaValue::MetaBool(_) | MetaValue::MetaString(_) => {}
                MetaValue::MetaInlines(ils) => inlines(ils, v),
                MetaValue::MetaBlocks(bs) => blocks(bs, v),
            }
        })
    }
}

impl Walkable for Pandoc {
    /// Metadata first (sorted by key), then the body.
    fn walk_mut<V: MutVisitor + ?Sized>(&mut self, v: &mut V) {
        for value in self.meta.values_mut() {
            rewrite::meta_value(value, v);
        }
        rewrite::blocks(&mut self.blocks, v);
    }
    fn walk<V: Visitor + ?Sized>(&self, v: &mut V) {
        for value in self.meta.values() {
            visit::meta_value(value, v);
        }
        visit::blocks(&self.blocks, v);
    }
}

impl Walkable for Vec<Block> {
    fn walk_mut<V: MutVisitor + ?Sized>(&mut self, v: &mut V) {
        rewrite::blocks(self, v);
    }
    fn walk<V: Visitor + ?Sized>(&self, v: &mut V) {
        visit::blocks(self, v);
    }
}

impl Walkable for Vec<Inline> {
    fn walk_mut<V: MutVisitor + ?Sized>(&mut self, v: &mut V) {
        rewrite::inlines(self, v);
    }
    fn walk<V: Visitor + ?Sized>(&self, v: &mut V) {
        visit::inlines(self, v);
    }
}

impl Walkable for Block {
    fn walk_mut<V: MutVisitor + ?Sized>(&mut self, v: &mut V) {
        rewrite::block(self, v);
    }
    fn walk<V: Visitor + ?Sized>(&self, v: &mut V) {
        visit::block(self, v);
    }
}

impl Walkable for Inline {
    fn walk_mut<V: MutVisitor + ?Sized>(&mut self, v: &mut V) {
        rewrite::inline(self, v);
    }
    fn walk<V: Visitor + ?Sized>(&self, v: &mut V) {
        visit::inline(self, v);
    }
}

impl Walkable for MetaValue {
    fn walk_mut<V: MutVisitor + ?Sized>(&mut self, v: &mut V) {
        rewrite::meta_value(self, v);
    }
    fn walk<V: Visitor + ?Sized>(&self, v: &mut V) {
        visit::meta_value(self, v);
    }
}

struct FnInline<F>(F);
impl<F: FnMut(&mut Inline)> MutVisitor for FnInline<F> {
    fn visit_inline(&mut self, inline: &mut Inline) {
        (self.0)(inline)
    }
}

struct FnBlock<F>(F);
impl<F: FnMut(&mut Block)> MutVisitor for FnBlock<F> {
    fn visit_block(&mut self, block: &mut Block) {
        (self.0)(block)
    }
}

struct SpliceInline<F>(F);
impl<F: FnMut(Inline) -> Vec<Inline>> MutVisitor for SpliceInline<F> {
    fn visit_inlines(&mut self, inlines: &mut Vec<Inline>) {
        let old = std::mem::take(inlines);
        inlines.reserve(old.len());
        for il in old {
            inlines.extend((self.0)(il));
        }
    }
}

struct SpliceBlock<F>(F);
impl<F: FnMut(Block) -> Vec<Block>> MutVisitor for SpliceBlock<F> {
    fn visit_blocks(&mut self, blocks: &mut Vec<Block>) {
        let old = std::mem::take(blocks);
        blocks.reserve(old.len());
        for b in old {
            blocks.extend((self.0)(b));
        }
    }
}

struct QueryInline<F>(F);
impl<F: FnMut(&Inline)> Visitor for QueryInline<F> {
    fn visit_inline(&mut self, inline: &Inline) {
        (self.0)(inline)
    }
}

struct QueryBlock<F>(F);
impl<F: FnMut(&Block)> Visitor for QueryBlock<F> {
    fn visit_block(&mut self, block: &Block) {
        (self.0)(block)
    }
}

/// Applies `f` to every inline, bottom-up (pandoc's `walk` with `Inline -> Inline`).
pub fn walk_inlines<W: Walkable + ?Sized>(doc: &mut W, f: impl FnMut(&mut Inline)) {
    doc.walk_mut(&mut FnInline(f));
}

/// Applies `f` to every block, bottom-up (pandoc's `walk` with `Block -> Block`).
pub fn walk_blocks<W: Walkable + ?Sized>(doc: &mut W, f: impl FnMut(&mut Block)) {
    doc.walk_mut(&mut FnBlock(f));
}

/// Replaces every inline by zero or more inlines, bottom-up (pandoc's
/// `walk` with `Inline -> [Inline]`, panflute's returning a list).
pub fn splice_inlines<W: Walkable + ?Sized>(doc: &mut W, f: impl FnMut(Inline) -> Vec<Inline>) {
    doc.walk_mut(&mut SpliceInline(f));
}

/// Replaces every block by zero or more blocks, bottom-up.
pub fn splice_blocks<W: Walkable + ?Sized>(doc: &mut W, f: impl FnMut(Block) -> Vec<Block>) {
    doc.walk_mut(&mut SpliceBlock(f));
}

/// Calls `f` on every inline in document order (pandoc's `query`).
pub fn query_inlines<W: Walkable + ?Sized>(doc: &W, f: impl FnMut(&Inline)) {
    doc.walk(&mut QueryInline(f));
}

/// Calls `f` on every block in document order (pandoc's `query`).
pub fn query_blocks<W: Walkable + ?Sized>(doc: &W, f: impl FnMut(&Block)) {
    doc.walk(&mut QueryBlock(f));
}

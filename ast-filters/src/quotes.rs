//! `french-quotes`: pandoc's smart `Quoted DoubleQuote` becomes « … » with
//! the configured inner spaces; a `Quoted DoubleQuote` inside another becomes
//! “ … ”. The result is what pandoc gives for the guillemets typed by hand:
//! the marks and spaces are merged into the neighbouring `Str` nodes.

use ast::{Block, Caption, Inline, MetaValue, MutVisitor, Pandoc, QuoteType, Walkable};

use crate::options::{QuotesOptions, SpaceKind};
use crate::report::Report;
use crate::spacing::skipped_for_lang;
use crate::text::push_merged;

const FILTER: &str = "french-quotes";

/// Turns double quotes into French guillemets (see the module documentation).
/// Does nothing, with a note, when the document's `lang` is not French.
pub fn apply_french_quotes(doc: &mut Pandoc, opts: &QuotesOptions) -> Report {
    if let Some(note) = skipped_for_lang(FILTER, opts.lang.as_deref()) {
        return note;
    }
    doc.walk_mut(&mut Quotes {
        space: opts.in_guillemets,
    });
    Report::default()
}

struct Quotes {
    space: SpaceKind,
}

// The walk is bottom-up, but whether a quote is nested depends on what is
// around it; so each list of inlines that belongs to a block or a metadata
// value is rewritten top-down from here. Notes are blocks the walk reaches
// on its own, and quotes in a note start again at the outer level.
impl MutVisitor for Quotes {
    fn visit_block(&mut self, block: &mut Block) {
        match block {
            Block::Plain(ils) | Block::Para(ils) | Block::Header(_, _, ils) => self.rewrite(ils, 0),
            Block::LineBlock(lines) => lines.iter_mut().for_each(|l| self.rewrite(l, 0)),
            Block::DefinitionList(items) => {
                items.iter_mut().for_each(|(term, _)| self.rewrite(term, 0))
            }
            Block::Figure(_, Caption(Some(short), _), _) => self.rewrite(short, 0),
            Block::Table(t) => {
                if let Caption(Some(short), _) = &mut t.caption {
                    self.rewrite(short, 0)
                }
            }
            Block::Figure(..)
            | Block::CodeBlock(..)
            | Block::RawBlock(..)
            | Block::BlockQuote(_)
            | Block::OrderedList(..)
            | Block::BulletList(_)
            | Block::HorizontalRule
            | Block::Div(..) => {}
        }
    }

    fn visit_meta_value(&mut self, value: &mut MetaValue) {
        if let MetaValue::MetaInlines(ils) = value {
            self.rewrite(ils, 0);
        }
    }
}

impl Quotes {
    fn rewrite(&self, ils: &mut Vec<Inline>, depth: usize) {
        let mut any = false;
        for il in ils.iter_mut() {
            match il {
                Inline::Quoted(QuoteType::DoubleQuote, c) => {
                    any = true;
                    self.rewrite(c, depth + 1);
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
                | Inline::Span(_, c) => self.rewrite(c, depth),
                Inline::Cite(cits, c) => {
                    for cit in cits.iter_mut() {
                        self.rewrite(&mut cit.prefix, depth);
                        self.rewrite(&mut cit.suffix, depth);
                    }
                    self.rewrite(c, depth);
                }
                Inline::Str(_)
                | Inline::Code(..)
                | Inline::Space
                | Inline::SoftBreak
                | Inline::LineBreak
                | Inline::Math(..)
                | Inline::RawInline(..)
                | Inline::Note(_) => {}
            }
        }
        if !any {
            return;
        }
        let old = std::mem::take(ils);
        let mut out = Vec::with_capacity(old.len() + 4);
        let mut glue = false;
        for il in old {
            match il {
                Inline::Quoted(QuoteType::DoubleQuote, content) => {
                    let (open, close) = if depth == 0 {
                        ("\u{ab}", "\u{bb}")
                    } else {
                        ("\u{201c}", "\u{201d}")
                    };
                    push_merged(&mut out, Inline::Str(open.into()));
                    let inner = if depth == 0 { self.space.char() } else { None };
                    let spaced = depth == 0;
                    if spaced {
                        match inner {
                            Some(c) => push_merged(&mut out, Inline::Str(c.to_string())),
                            None => out.push(Inline::Space),
                        }
                    }
                    for x in content {
                        push_merged(&mut out, x);
                    }
                    if spaced {
                        match inner {
                            Some(c) => push_merged(&mut out, Inline::Str(c.to_string())),
                            None => out.push(Inline::Space),
                        }
                    }
                    push_merged(&mut out, Inline::Str(close.into()));
                    glue = true;
                }
                il if glue => {
                    push_merged(&mut out, il);
                    glue = false;
                }
                il => out.push(il),
            }
        }
        *ils = out;
    }
}

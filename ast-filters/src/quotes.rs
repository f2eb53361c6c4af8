//! `french-quotes`: pandoc's smart `Quoted DoubleQuote` becomes « … » with
//! the configured inner spaces; a `Quoted DoubleQuote` inside another becomes
//! “ … ”. The result is what pandoc gives for the guillemets typed by hand:
//! the marks and spaces are merged into the neighbouring `Str` nodes.

use ast::{Inline, Pandoc, QuoteType};

use crate::engine::Engine;

use crate::options::{QuotesOptions, SpaceKind};
use crate::report::Report;
use crate::spacing::skipped_for_lang;
use crate::text::{push_merged, splice_merged};

const FILTER: &str = "french-quotes";

/// Turns double quotes into French guillemets (see the module documentation).
/// Does nothing, with a note, when the document's `lang` is not French.
pub fn apply_french_quotes(doc: &mut Pandoc, opts: &QuotesOptions) -> Report {
    if let Some(note) = skipped_for_lang(FILTER, opts.lang.as_deref()) {
        return note;
    }
    Engine {
        quotes: Some(opts.in_guillemets),
        ..Engine::default()
    }
    .run(doc);
    Report::default()
}

/// Replaces the `Quoted DoubleQuote` elements of `ils`, a list inside `depth`
/// double quotes, by their marks and contents (the contents are done), merged
/// with the `Str` nodes around them. Each quote is spliced in place, from the
/// last one, so that the rest of the list moves once per quote at most.
pub(crate) fn splice_quotes(ils: &mut Vec<Inline>, depth: usize, space: SpaceKind) {
    let mut i = ils.len();
    while i > 0 {
        i -= 1;
        if !matches!(ils[i], Inline::Quoted(QuoteType::DoubleQuote, _)) {
            continue;
        }
        let Inline::Quoted(_, content) = std::mem::replace(&mut ils[i], Inline::Space) else {
            continue;
        };
        let (open, close) = if depth == 0 {
            ("\u{ab}", "\u{bb}")
        } else {
            ("\u{201c}", "\u{201d}")
        };
        let inner = if depth == 0 { Some(space.char()) } else { None };
        let mut rep = Vec::with_capacity(content.len() + 4);
        push_merged(&mut rep, Inline::Str(open.into()));
        match inner {
            Some(Some(c)) => push_merged(&mut rep, Inline::Str(c.to_string())),
            Some(None) => rep.push(Inline::Space),
            None => {}
        }
        for x in content {
            push_merged(&mut rep, x);
        }
        match inner {
            Some(Some(c)) => push_merged(&mut rep, Inline::Str(c.to_string())),
            Some(None) => rep.push(Inline::Space),
            None => {}
        }
        push_merged(&mut rep, Inline::Str(close.into()));
        splice_merged(ils, i, rep);
    }
}

//! `french-quotes`: pandoc's smart `Quoted DoubleQuote` becomes « … » with
//! the configured inner spaces; a `Quoted DoubleQuote` inside another becomes
//! “ … ”. The result is what pandoc gives for the guillemets typed by hand:
//! the marks and spaces are merged into the neighbouring `Str` nodes.

use ast::{Inline, Pandoc, QuoteType};

use crate::engine::{Engine, InlinesAt, ListFilter};

use crate::options::{QuotesOptions, SpaceKind};
use crate::report::Report;
use crate::spacing::skipped_for_lang;
use crate::text::splice_merged;

const FILTER: &str = "french-quotes";

/// Turns double quotes into French guillemets (see the module documentation).
/// Does nothing, with a note, when the document's `lang` is not French.
pub fn apply_french_quotes(doc: &mut Pandoc, opts: &QuotesOptions) -> Report {
    if let Some(note) = skipped_for_lang(FILTER, opts.lang.as_deref()) {
        return note;
    }
    Engine::new(vec![Box::new(FrenchQuotes(opts.in_guillemets))]).run(doc);
    Report::default()
}

/// The filter: double quotes become guillemets with this space inside.
pub(crate) struct FrenchQuotes(pub SpaceKind);

impl ListFilter for FrenchQuotes {
    fn inlines(&mut self, ils: &mut Vec<Inline>, at: InlinesAt) -> bool {
        if at.found.double_quotes {
            splice_quotes(ils, at.depth, self.0);
        }
        false
    }

    fn splices_quoted_lists(&self) -> bool {
        true
    }
}

/// Replaces the `Quoted DoubleQuote` elements of `ils`, a list inside `depth`
/// double quotes, by their marks and contents (the contents are done), merged
/// with the `Str` nodes around them. Each quote is spliced in place, from the
/// last one, so that the rest of the list moves once per quote at most.
pub(crate) fn splice_quotes(ils: &mut Vec<Inline>, depth: usize, space: SpaceKind) {
    // The list grows by the contents: one reallocation for all the quotes.
    let growth: usize = ils
        .iter()
        .map(|il| match il {
            Inline::Quoted(QuoteType::DoubleQuote, content) => content.len() + 3,
            _ => 0,
        })
        .sum();
    if growth == 0 {
        return;
    }
    ils.reserve(growth);
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
        let rep = match (depth, space.char()) {
            // The inner space is an ordinary `Space`: nothing to merge inside.
            (0, None) => {
                let mut rep = Vec::with_capacity(content.len() + 4);
                rep.extend([Inline::Str(open.into()), Inline::Space]);
                rep.extend(content);
                rep.extend([Inline::Space, Inline::Str(close.into())]);
                rep
            }
            (depth, inner) => {
                let inner = inner.filter(|_| depth == 0);
                let mut opening = String::from(open);
                let mut closing = String::new();
                if let Some(c) = inner {
                    opening.push(c);
                    closing.push(c);
                }
                closing.push_str(close);
                // The marks join the `Str` nodes at the ends of the content
                // (already merged inside), which then moves once, into `ils`.
                let mut content = content;
                match content.last_mut() {
                    Some(Inline::Str(last)) => last.push_str(&closing),
                    _ => content.push(Inline::Str(closing)),
                }
                match content.first_mut() {
                    Some(Inline::Str(first)) => first.insert_str(0, &opening),
                    _ => content.insert(0, Inline::Str(opening)),
                }
                content
            }
        };
        splice_merged(ils, i, rep);
    }
}

//! Plain text of a document fragment, as pandoc's `stringify` gives it.

use crate::definition::*;
use crate::walk::{Visitor, Walkable};

/// The text of `x` as pandoc's `Text.Pandoc.Shared.stringify` computes it:
/// strings, code and math as they are, spaces and breaks as one space, quotes
/// as curly quotes, notes left out.
///
/// ```
/// use ast::{stringify, Inline, QuoteType};
/// let ils = vec![Inline::Str("a".into()), Inline::Space,
///                Inline::Quoted(QuoteType::DoubleQuote, vec![Inline::Str("b".into())])];
/// assert_eq!(stringify(&ils), "a \u{201c}b\u{201d}");
/// ```
pub fn stringify<W: Walkable + ?Sized>(x: &W) -> String {
    let mut s = Stringify {
        out: String::new(),
        in_note: 0,
    };
    x.walk(&mut s);
    s.out
}

struct Stringify {
    out: String,
    /// Notes are skipped; the query still descends into them, so count depth.
    in_note: usize,
}

impl Visitor for Stringify {
    fn visit_inline(&mut self, il: &Inline) {
        if let Inline::Note(_) = il {
            self.in_note += 1;
        }
        if self.in_note > 0 {
            return;
        }
        match il {
            Inline::Str(s) | Inline::Code(_, s) | Inline::Math(_, s) => self.out.push_str(s),
            Inline::Space | Inline::SoftBreak | Inline::LineBreak => self.out.push(' '),
            Inline::RawInline(f, s) if f.0 == "html" && s.starts_with("<br") => self.out.push(' '),
            Inline::Quoted(QuoteType::SingleQuote, _) => self.out.push('\u{2018}'),
            Inline::Quoted(QuoteType::DoubleQuote, _) => self.out.push('\u{201c}'),
            _ => {}
        }
    }

    fn leave_inline(&mut self, il: &Inline) {
        match il {
            Inline::Note(_) => self.in_note -= 1,
            Inline::Quoted(QuoteType::SingleQuote, _) if self.in_note == 0 => {
                self.out.push('\u{2019}')
            }
            Inline::Quoted(QuoteType::DoubleQuote, _) if self.in_note == 0 => {
                self.out.push('\u{201d}')
            }
            _ => {}
        }
    }
}

//! What the writers (and the stages before them) share, so that a decision
//! is made once: the highlighting tokens and their colours, whether a
//! document is French, the page-break class, metadata as plain text.
//!
//! ```
//! use writer_support::{is_french_tag, meta_plain_text};
//! assert!(is_french_tag("FR-ca"));
//! assert!(!is_french_tag("frr"));
//! let author = ast::MetaValue::MetaString("Camille".into());
//! assert_eq!(meta_plain_text(&author), "Camille");
//! ```

#[cfg(feature = "args")]
pub mod args;
pub mod diagnostic;
#[cfg(feature = "highlight")]
pub mod highlight;
pub mod numerals;
pub mod stream;
#[cfg(feature = "highlight")]
pub mod style;
pub mod vars;
#[cfg(feature = "highlight")]
#[rustfmt::skip]
mod styles;

use ast::{Inline, MetaValue};

#[cfg(feature = "args")]
pub use args::WriterArgs;
pub use diagnostic::{print_diagnostics, Diagnostic, Diagnostics, Severity};
#[cfg(feature = "highlight")]
pub use highlight::{find_language, Highlighter, Language, Token, TokenType};
#[cfg(feature = "highlight")]
pub use style::{HighlightStyle, Style, TokenStyle};
pub use vars::{document_lang, is_french_document, meta_authors};

/// The class of the `Div` that stands for a page break (made by
/// ast-filters' `pagebreak`, rendered by every writer).
pub const PAGEBREAK_CLASS: &str = "pagebreak";

/// True when a language tag (`fr`, `fr-FR`, `FR_ca`) is French: the one
/// rule every stage applies, case-insensitive.
pub fn is_french_tag(lang: &str) -> bool {
    let lang = lang.trim().as_bytes();
    lang.len() >= 2
        && lang[..2].eq_ignore_ascii_case(b"fr")
        && (lang.len() == 2 || matches!(lang[2], b'-' | b'_'))
}

/// The plain text of a metadata value: lists joined with `, `, maps empty,
/// raw TeX without its commands and braces (`Camille \textsc{Durand}` gives
/// `Camille Durand`, for a PDF's metadata or a page's title).
pub fn meta_plain_text(value: &MetaValue) -> String {
    match value {
        MetaValue::MetaString(s) => s.clone(),
        MetaValue::MetaInlines(ils) => inlines_plain_text(ils),
        MetaValue::MetaBlocks(bs) => ast::stringify(bs),
        MetaValue::MetaBool(b) => b.to_string(),
        MetaValue::MetaList(items) => items
            .iter()
            .map(meta_plain_text)
            .collect::<Vec<_>>()
            .join(", "),
        MetaValue::MetaMap(_) => String::new(),
    }
}

/// The text of inlines, raw TeX included without its commands and braces.
pub fn inlines_plain_text(ils: &[Inline]) -> String {
    let mut out = String::new();
    for il in ils {
        match il {
            Inline::RawInline(format, tex) if format.is_tex() => {
                let mut chars = tex.chars().peekable();
                while let Some(c) = chars.next() {
                    match c {
                        '\\' => {
                            while chars.peek().is_some_and(|c| c.is_ascii_alphabetic()) {
                                chars.next();
                            }
                        }
                        '{' | '}' => {}
                        c => out.push(c),
                    }
                }
            }
            other => out.push_str(&ast::stringify(other)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_tags() {
        for tag in ["fr", "FR", "fr-FR", "fr_CA", " fr "] {
            assert!(is_french_tag(tag), "{tag}");
        }
        for tag in ["", "en", "frr", "f", "de-fr"] {
            assert!(!is_french_tag(tag), "{tag}");
        }
    }

    #[test]
    fn raw_tex_in_metadata_becomes_its_text() {
        let value = MetaValue::MetaInlines(vec![
            Inline::Str("Camille".into()),
            Inline::Space,
            Inline::RawInline(ast::Format("tex".into()), "\\textsc{Durand}".into()),
        ]);
        assert_eq!(meta_plain_text(&value), "Camille Durand");
        let list = MetaValue::MetaList(vec![value, MetaValue::MetaBool(true)]);
        assert_eq!(meta_plain_text(&list), "Camille Durand, true");
    }
}

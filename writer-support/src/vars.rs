//! What both writers take from the metadata and the `-V` variables for
//! their templates, decided once.

use ast::{Meta, MetaValue};

use crate::{is_french_tag, meta_plain_text};

/// The document's language: the last `-V lang=...` if there is one (the
/// variables override the metadata), else the metadata's `lang`; empty when
/// neither says.
pub fn document_lang(meta: &Meta, variables: &[(String, String)]) -> String {
    variables
        .iter()
        .rev()
        .find(|(key, _)| key == "lang")
        .map(|(_, value)| value.clone())
        .or_else(|| meta.get("lang").map(meta_plain_text))
        .unwrap_or_default()
}

/// True when the document is French (its [`document_lang`] is): the
/// writers then use French labels, quotes and hyphenation.
pub fn is_french_document(meta: &Meta, variables: &[(String, String)]) -> bool {
    is_french_tag(&document_lang(meta, variables))
}

/// The authors as plain text, one per entry when `author` is a list
/// (`author-meta` of both templates); `None` without `author`.
pub fn meta_authors(meta: &Meta) -> Option<Vec<String>> {
    Some(match meta.get("author")? {
        MetaValue::MetaList(items) => items.iter().map(meta_plain_text).collect(),
        other => vec![meta_plain_text(other)],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variables_override_the_metadata_language() {
        let mut meta = Meta::new();
        meta.insert("lang".into(), MetaValue::MetaString("en".into()));
        assert!(!is_french_document(&meta, &[]));
        assert!(is_french_document(
            &meta,
            &[("lang".into(), "FR-fr".into())]
        ));
        assert_eq!(document_lang(&Meta::new(), &[]), "");
        meta.insert(
            "author".into(),
            MetaValue::MetaList(vec![
                MetaValue::MetaString("A".into()),
                MetaValue::MetaString("B".into()),
            ]),
        );
        assert_eq!(meta_authors(&meta), Some(vec!["A".into(), "B".into()]));
    }
}

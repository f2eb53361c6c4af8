//! pandoc's automatic heading identifiers (`auto_identifiers`).

use std::collections::HashSet;

use ast::Inline;

/// pandoc's `inlineListToIdentifier`: lower case, only letters, digits and
/// `_-.`, words joined by `-`, nothing before the first letter.
pub(crate) fn identifier(ils: &[Inline]) -> String {
    // A citation counts by its text, not its keys, prefixes and suffixes.
    let text = ast::stringify(
        &ils.iter()
            .filter(|i| !matches!(i, Inline::Note(_)))
            .map(|i| match i {
                Inline::Cite(_, text) => Inline::Span(Box::default(), text.clone()),
                other => other.clone(),
            })
            .collect::<Vec<_>>(),
    );
    let mut filtered = String::with_capacity(text.len());
    for c in text.chars() {
        for l in c.to_lowercase() {
            if l.is_alphanumeric() || matches!(l, '_' | '-' | '.') || l.is_whitespace() {
                filtered.push(l);
            }
        }
    }
    let joined = filtered.split_whitespace().collect::<Vec<_>>().join("-");
    let start = joined
        .find(|c: char| c.is_alphabetic())
        .unwrap_or(joined.len());
    joined[start..].to_string()
}

/// Makes `base` unique among `used` (`section` when empty), as pandoc does.
pub(crate) fn unique(base: &str, used: &mut HashSet<String>) -> String {
    let base = if base.is_empty() { "section" } else { base };
    if used.insert(base.to_string()) {
        return base.to_string();
    }
    let mut n = 1;
    loop {
        let cand = format!("{base}-{n}");
        if used.insert(cand.clone()) {
            return cand;
        }
        n += 1;
    }
}

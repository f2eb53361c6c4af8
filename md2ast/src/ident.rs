//! pandoc's automatic heading identifiers (`auto_identifiers`).

use std::collections::{HashMap, HashSet};

use ast::Inline;

/// pandoc's `inlineListToIdentifier`: lower case, only letters, digits and
/// `_-.`, words joined by `-`, nothing before the first letter.
pub(crate) fn identifier(ils: &[Inline]) -> String {
    // A citation counts by its text, not its keys, prefixes and suffixes,
    // at any depth (`*[@a h]*`).
    let mut ils = ils.to_vec();
    ast::walk_inlines(&mut ils, |il| {
        if let Inline::Cite(_, text) = il {
            *il = Inline::Span(Box::default(), std::mem::take(text));
        }
    });
    let text = ast::stringify(&ils);
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

/// Makes `base` unique among `used` (`section` when empty), as pandoc does:
/// the first free `base-N`. `next` remembers where each base's search
/// stopped (`used` only grows), so that many equal headings cost linear time.
pub(crate) fn unique(
    base: &str,
    used: &mut HashSet<String>,
    next: &mut HashMap<String, usize>,
) -> String {
    let base = if base.is_empty() { "section" } else { base };
    if used.insert(base.to_string()) {
        return base.to_string();
    }
    let mut n = next.get(base).copied().unwrap_or(1);
    loop {
        let cand = format!("{base}-{n}");
        if used.insert(cand.clone()) {
            next.insert(base.to_string(), n + 1);
            return cand;
        }
        n += 1;
    }
}

//! Metadata in the document: YAML metadata blocks and the pandoc title
//! block (`% title`, `% authors`, `% date`).

use super::ir::{TitleBlock, YamlBlock};
use super::raw_html::block_tag_in_text;
use super::BlockParser;
use crate::attr::is_blank;

impl BlockParser<'_> {
    pub(super) fn yaml_block(&mut self, lines: &[&str], i: usize) -> Option<usize> {
        if lines[i].trim_end() != "---" {
            return None;
        }
        let next = lines.get(i + 1)?;
        if is_blank(next) {
            return None;
        }
        let mut j = i + 1;
        while j < lines.len() {
            let t = lines[j].trim_end();
            if t == "---" || t == "..." {
                let text = lines[i + 1..j].join("\n");
                // pandoc reads YAML that is not a mapping as something else
                // (a table); only a syntax error is an error.
                if let Err(e) = crate::yaml::parse_yaml(&text) {
                    if e.not_a_mapping {
                        return None;
                    }
                }
                self.col.yaml.push(YamlBlock {
                    text,
                    first_line: i + 1,
                });
                return Some(j + 1);
            }
            j += 1;
        }
        None
    }
}

/// pandoc's `pandocTitleBlock` at the top of the document (`lines[0]`
/// starts with `%`): up to three `%` lines, each continued by lines that
/// start with white space (for authors, such a line starts a new author, as
/// `;` does). Returns the block and the first line after it.
pub(super) fn title_block(lines: &[&str], raw_html: bool) -> (TitleBlock, usize) {
    // The field's inlines stop at a block-level tag, as a paragraph's.
    let cut = |mut t: String| {
        if let Some(q) = block_tag_in_text(&t, true).filter(|_| raw_html) {
            t.truncate(t[..q].trim_end().len());
        }
        t
    };
    // One `%` line and its continuations: the line's text and the
    // continuations, each line but the last keeping a hard break (two
    // spaces or more at its end, pandoc's `whitespace` then `endline`) as
    // two spaces.
    let field = |i: usize| -> Option<(String, Vec<String>, usize)> {
        let mut raw = vec![lines.get(i)?.strip_prefix('%')?];
        let mut j = i + 1;
        while j < lines.len() && lines[j].starts_with([' ', '\t']) && !is_blank(lines[j]) {
            raw.push(lines[j]);
            j += 1;
        }
        let last = raw.len() - 1;
        let mut parts = raw.iter().enumerate().map(|(k, l)| {
            let t = l.trim_matches([' ', '\t']).to_string();
            let trailing = l.len() - l.trim_end_matches([' ', '\t']).len();
            if k < last && trailing >= 2 && !t.is_empty() {
                t + "  "
            } else {
                t
            }
        });
        let first = parts.next()?;
        Some((first, parts.collect(), j))
    };
    let join = |first: String, cont: Vec<String>| {
        let mut t = first;
        for c in cont {
            t.push('\n');
            t.push_str(&c);
        }
        let t = cut(t);
        (!t.trim().is_empty()).then_some(t)
    };
    let mut tb = TitleBlock::default();
    let mut i = 0;
    if let Some((first, cont, next)) = field(i) {
        tb.title = join(first, cont);
        i = next;
    }
    if let Some((first, cont, next)) = field(i) {
        let mut authors: Vec<String> = Vec::new();
        let parts: Vec<String> = std::iter::once(first).chain(cont).collect();
        // Authors are separated by `;` or a line end; a `;` ending a line
        // that goes on is one separator with that line end. A hard break
        // at a line's end is no separator: it stays in the author's name.
        let text = cut(parts.join("\n"))
            .replace(";  \n", ";")
            .replace(";\n", ";");
        let mut lines_of = Vec::<String>::new();
        for part in text.split('\n') {
            match lines_of.last_mut() {
                Some(prev) if prev.ends_with("  ") => {
                    prev.push('\n');
                    prev.push_str(part);
                }
                _ => lines_of.push(part.to_string()),
            }
        }
        for part in &lines_of {
            authors.extend(part.split(';').map(|a| a.trim().to_string()));
        }
        tb.authors = Some(authors);
        i = next;
    }
    if let Some((first, cont, next)) = field(i) {
        tb.date = join(first, cont);
        i = next;
    }
    (tb, i)
}

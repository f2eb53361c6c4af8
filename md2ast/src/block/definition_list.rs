//! Definition lists: a term line, then definitions marked `:` or `~`.

use super::ir::B;
use super::list::{marker_end, task_marker};
use super::scan::strip_indent;
use super::tables::is_caption_of_table;
use super::{BlockParser, Ctx};
use crate::attr::{indent_of, is_blank};

impl BlockParser<'_> {
    pub(super) fn definition_list(
        &mut self,
        lines: &[&str],
        i: usize,
        ctx: Ctx,
        out: &mut Vec<B>,
    ) -> Option<usize> {
        // Term line, optional blank line, then a `:` or `~` marker.
        let mut items = Vec::new();
        let mut j = i;
        loop {
            if j >= lines.len() || is_blank(lines[j]) {
                break;
            }
            let mut k = j + 1;
            if k < lines.len() && is_blank(lines[k]) {
                k += 1;
            }
            // Right under its term, `: text` is a definition even when a
            // table follows (after a blank line, it is the table's caption).
            let caption = k > j + 1 && is_caption_of_table(lines, k);
            if k >= lines.len() || def_marker(lines[k]).is_none() || caption {
                break;
            }
            // Trailing spaces go with the inlines' trimming (`\ ` is a no-break space).
            let term = lines[j].trim_start().to_string();
            // pandoc 3: an item is loose when a blank line separates the term
            // from its definition; then a definition followed by a blank line
            // ends in a `Para`. In a tight item every `Para` becomes `Plain`.
            let loose = is_blank(lines[j + 1]);
            j += 1;
            let mut defs = Vec::new();
            while let Some(mut d) = self.def_raw_block(lines, &mut j) {
                if self.col.ext.task_lists {
                    if let Some(boxed) = task_marker(&d) {
                        d = boxed;
                    }
                }
                let mut blocks = self.parse_text(
                    &d,
                    Ctx {
                        in_list: ctx.in_list,
                        ..Ctx::default()
                    },
                );
                if !loose {
                    for b in blocks.iter_mut() {
                        if let B::Para(t) = b {
                            *b = B::Plain(std::mem::take(t));
                        }
                    }
                }
                defs.push(blocks);
            }
            if defs.is_empty() {
                return None;
            }
            while j < lines.len() && is_blank(lines[j]) {
                j += 1;
            }
            items.push((term, defs));
        }
        if items.is_empty() {
            return None;
        }
        out.push(B::DefList(items));
        Some(j)
    }

    fn def_raw_block(&mut self, lines: &[&str], j: &mut usize) -> Option<String> {
        let mut k = *j;
        if k < lines.len() && is_blank(lines[k]) {
            k += 1;
        }
        let content = def_marker(lines.get(k)?)?;
        let mut raw = String::new();
        raw.push_str(content);
        raw.push('\n');
        k += 1;
        while k < lines.len()
            && !is_blank(lines[k])
            && (indent_of(lines[k]) >= 4 || def_marker(lines[k]).is_none())
        {
            // Four spaces removed, or none (a lazy line keeps its spaces).
            let l = lines[k];
            raw.push_str(if indent_of(l) >= 4 { &l[4..] } else { l });
            raw.push('\n');
            k += 1;
        }
        let mut cont = String::new();
        loop {
            let mut m = k;
            while m < lines.len() && is_blank(lines[m]) {
                m += 1;
            }
            if m < lines.len() && indent_of(lines[m]) >= 4 {
                for _ in k..m {
                    cont.push('\n');
                }
                k = m;
                while k < lines.len()
                    && !is_blank(lines[k])
                    && (indent_of(lines[k]) >= 4 || def_marker(lines[k]).is_none())
                {
                    cont.push_str(strip_indent(lines[k], 4));
                    cont.push('\n');
                    k += 1;
                }
            } else {
                break;
            }
        }
        *j = k;
        let mut text = format!("{raw}{cont}");
        let trimmed_len = text.trim_end().len();
        text.truncate(trimmed_len);
        text.push('\n');
        let blank_after = k >= lines.len() || is_blank(lines[k]);
        if blank_after || !cont.is_empty() {
            text.push_str("\n\n");
        }
        Some(text)
    }
}

pub(super) fn def_marker(l: &str) -> Option<&str> {
    let ind = indent_of(l);
    if ind > 3 {
        return None;
    }
    let b = l.as_bytes();
    if !matches!(b.get(ind), Some(b':' | b'~')) {
        return None;
    }
    // As after a list marker: one space (or the end of the line: pandoc
    // 3.9 takes a marker alone on its line), then up to three more.
    let k = marker_end(b, ind + 1)?;
    Some(&l[k..])
}

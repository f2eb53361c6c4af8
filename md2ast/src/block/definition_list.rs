//! Definition lists: a term line, then definitions marked `:` or `~`.

use super::ir::B;
use super::list::{list_item_lines, marker_end, task_marker};
use super::raw_html::block_start_in_text;
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
            let mut term = lines[j].trim_start().to_string();
            // Its inlines end at a block-level tag (or a TeX command the
            // inlines refuse): the rest of the line is dropped.
            let ext = &self.col.ext;
            if let Some(q) = block_start_in_text(&term, true, ext.raw_html, ext.raw_tex) {
                term.truncate(q);
            }
            // pandoc 3: an item is loose when a blank line separates the term
            // from its definition; then a definition followed by a blank line
            // ends in a `Para`. In a tight item every `Para` becomes `Plain`.
            let loose = is_blank(lines[j + 1]);
            j += 1;
            let mut defs = Vec::new();
            while let Some((mut d, blank_end)) = self.def_raw_block(lines, &mut j, ctx.div_open) {
                let end_open = !blank_end && (j < lines.len() || ctx.end_open);
                if self.col.ext.task_lists {
                    if let Some(boxed) = task_marker(&d) {
                        d = boxed;
                    }
                }
                // Read as a list item: a list starts without a blank line.
                let mut blocks = self.parse_text(
                    &d,
                    Ctx {
                        in_list: true,
                        div_open: ctx.div_open,
                        end_open,
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

    /// pandoc 3's definition: a list item whose marker is `:` or `~`,
    /// continued at the column of its text. Returns its text and moves `j`
    /// past it.
    /// Also says whether the text ends in a blank line.
    fn def_raw_block(
        &mut self,
        lines: &[&str],
        j: &mut usize,
        in_div: bool,
    ) -> Option<(String, bool)> {
        let mut k = *j;
        if k < lines.len() && is_blank(lines[k]) {
            k += 1;
        }
        let first = lines.get(k)?;
        let content_at = first.len() - def_marker(first)?.len();
        let html_closer = self.html_open.last().map(String::as_str);
        let (item, next) = list_item_lines(lines, k, content_at, content_at, in_div, html_closer);
        *j = next;
        // At the end of its container with no blank line, it has none.
        let blank_after = item.last().is_some_and(|l| l.is_empty());
        // Trailing blank lines go; the last line keeps its spaces (`a\ `
        // is a no-break space, two spaces a line break).
        let last = item.iter().rposition(|l| !is_blank(l)).map_or(0, |k| k + 1);
        let mut text = item[..last].join("\n");
        text.push('\n');
        // A blank line after it: its last paragraph is a `Para` (blocks
        // after a blank line inside it are not enough, pandoc 3.9).
        if blank_after {
            text.push_str("\n\n");
        }
        Some((text, blank_after))
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

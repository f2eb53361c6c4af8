//! Where a table block starts, its caption (`: caption` or `Table:`,
//! before or after it) and its widths; the four kinds of table are read in
//! [`crate::table`].

use super::ir::{CellIr, TableIr, B};
use super::leaf::header_attributes;
use super::raw_html::block_start_in_text;
use super::scan::is_div_fence_end;
use super::{BlockParser, Ctx};
use crate::attr::{indent_of, is_blank};
use crate::table;
use ast::{Alignment, Attr, ColSpec, ColWidth};

impl BlockParser<'_> {
    pub(super) fn table(
        &mut self,
        lines: &[&str],
        i: usize,
        ctx: Ctx,
        out: &mut Vec<B>,
    ) -> Option<usize> {
        let next = self.table_in(lines, i, ctx.end_open, ctx.div_open, ctx.in_list, out)?;
        // In a fenced div, a table ends before the div's closing fence:
        // read again without the lines from the fence on.
        if ctx.div_open {
            if let Some(fence) = (i..next).find(|&k| is_div_fence_end(lines[k])) {
                out.pop();
                return self.table_in(&lines[..fence], i, false, false, ctx.in_list, out);
            }
        }
        Some(next)
    }

    fn table_in(
        &mut self,
        lines: &[&str],
        i: usize,
        end_open: bool,
        div_open: bool,
        in_list: bool,
        out: &mut Vec<B>,
    ) -> Option<usize> {
        // A caption may come first: `: caption` then a blank line.
        let mut start = i;
        let mut front_caption = None;
        if let Some((cap, next)) = table_caption(lines, i, in_list) {
            let mut k = next;
            while k < lines.len() && is_blank(lines[k]) {
                k += 1;
            }
            // A blank line follows the caption, unless it ended at its
            // attributes.
            if k == next && header_attributes(lines[next - 1]).1.is_none() {
                return None;
            }
            front_caption = Some(cap);
            start = k;
        }
        let (mut t, mut next) = match table::pipe_table(lines, start, self.col.ext.tex_math_dollars)
        {
            Some(r) => r,
            None => match table::multiline_table(lines, start)
                .or_else(|| table::simple_table(lines, start, end_open))
                .or_else(|| table::multiline_table_headless(lines, start))
            {
                Some((mut t, next)) => {
                    self.cut_cells_at_blocks(&mut t);
                    (t, next)
                }
                None => table::grid_table(lines, start, self)?,
            },
        };
        let caption = match front_caption {
            Some(c) => Some(c),
            None => {
                let mut k = next;
                while k < lines.len() && is_blank(lines[k]) {
                    k += 1;
                }
                // A caption ends at a blank line, or at its attributes.
                let ended = |after: usize| {
                    !(end_open
                        && after == lines.len()
                        && header_attributes(lines[after - 1]).1.is_none())
                };
                let caption = if div_open {
                    // In a fenced div, the caption ends at the closing fence.
                    let fence = (k..lines.len())
                        .take_while(|&f| !is_blank(lines[f]))
                        .find(|&f| is_div_fence_end(lines[f]));
                    match fence {
                        Some(f) => table_caption(&lines[..f], k, in_list),
                        None => table_caption(lines, k, in_list).filter(|&(_, after)| ended(after)),
                    }
                } else {
                    table_caption(lines, k, in_list).filter(|&(_, after)| ended(after))
                };
                // pandoc's caption is inlines to its end: one holding a
                // block-level tag is no caption but the text after the table.
                let ext = &self.col.ext;
                let caption = caption.filter(|((c, _), _)| {
                    block_start_in_text(c, true, ext.raw_html, ext.raw_tex).is_none()
                });
                match caption {
                    Some((c, after)) => {
                        next = after;
                        t.caption_after = true;
                        Some(c)
                    }
                    None => None,
                }
            }
        };
        t.caption = caption;
        // pandoc scales relative widths that add up to 1 or more.
        let total: f64 = t
            .colspecs
            .iter()
            .map(|c| match c.1 {
                ColWidth::ColWidth(w) => w,
                ColWidth::ColWidthDefault => 0.0,
            })
            .fold(0.0, |a, w| a + w);
        if total >= 1.0 {
            for c in &mut t.colspecs {
                if let ColWidth::ColWidth(w) = &mut c.1 {
                    *w /= total;
                }
            }
        }
        out.push(B::Table(Box::new(t)));
        Some(next)
    }

    /// A simple or multiline table's cell is read as `Plain`s: its inlines
    /// end at a block-level tag (or a TeX command they refuse), the rest
    /// is dropped.
    fn cut_cells_at_blocks(&self, t: &mut TableIr) {
        let ext = &self.col.ext;
        let rows = t.head.iter_mut().chain(&mut t.rows).chain(&mut t.foot);
        for cell in rows.flatten() {
            if let CellIr::Inlines(text) = cell {
                if let Some(q) = block_start_in_text(text, true, ext.raw_html, ext.raw_tex) {
                    text.truncate(q);
                    text.truncate(text.trim_end().len());
                }
            }
        }
        // A head left with no text is none.
        let empty = |c: &CellIr| matches!(c, CellIr::Inlines(t) if t.is_empty());
        if t.head.iter().all(|row| row.iter().all(empty)) {
            t.head.clear();
        }
    }

    /// Parses a grid-table cell's text as blocks.
    pub(crate) fn parse_cell(&mut self, text: &str) -> Vec<B> {
        self.parse_text(text, Ctx::default())
    }
}

/// `: caption` lines up to a blank line: the caption text, attributes, next line.
fn table_caption(lines: &[&str], i: usize, in_list: bool) -> Option<((String, Attr), usize)> {
    let l = lines.get(i)?;
    if indent_of(l) > 3 {
        return None;
    }
    let t = l.trim_start();
    let rest = if let Some(r) = t.strip_prefix(':') {
        if r.chars().next().is_some_and(is_punctuation) {
            return None;
        }
        r
    } else {
        t.strip_prefix("Table:")
            .or_else(|| t.strip_prefix("table:"))?
    };
    // The caption runs to a blank line or to a line ending in attributes
    // that are not inside an inline read on: a code span closed on a later
    // line, or an emphasis opener (pandoc's inlines read on to its closer,
    // or to the caption's end).
    let mut full = rest.to_string();
    for l in lines[i + 1..].iter().take_while(|l| !is_blank(l)) {
        full.push('\n');
        full.push_str(l);
    }
    let has_attributes = |s: &str| {
        let (before, attr) = header_attributes(s);
        attr.is_some()
            && !super::leaf::emphasis_runs_to_end(s, true)
            && !code_span_crosses(&full, before.len())
    };
    // The text as pandoc's inlines read it after the marker: white space
    // before a line end may make a hard break.
    let mut text = rest.to_string();
    let mut j = i + 1;
    if !has_attributes(&text) {
        // In a list, a line that starts an item or a definition ends it
        // (pandoc's `endline`).
        let ends_item = |l: &str| {
            in_list
                && (super::list::list_start(l).is_some()
                    || super::definition_list::def_marker(l).is_some())
        };
        while j < lines.len() && !is_blank(lines[j]) && !ends_item(lines[j]) {
            text.push('\n');
            text.push_str(lines[j]);
            j += 1;
            if has_attributes(&text) {
                break;
            }
        }
    }
    let (t2, attr) = if has_attributes(text.trim_end()) {
        header_attributes(text.trim_end())
    } else {
        (text.trim_end(), None)
    };
    let mut caption = t2.trim_end().to_string();
    // A backslash ending the caption escapes the line end: a hard break.
    if attr.is_none() && (caption.len() - caption.trim_end_matches('\\').len()) % 2 == 1 {
        caption.push('\n');
    }
    Some(((caption, attr.unwrap_or_default()), j))
}

/// Whether a code span of `text` (read from its start) opens before byte
/// `at` and closes after it.
fn code_span_crosses(text: &str, at: usize) -> bool {
    let b = text.as_bytes();
    let run = |k: usize| b[k..].iter().take_while(|&&c| c == b'`').count();
    let mut k = 0;
    while k < at.min(b.len()) {
        match b[k] {
            b'\\' => k += 2,
            b'`' => {
                let m = run(k);
                let mut c = k + m;
                let close = loop {
                    match b[c..].iter().position(|&x| x == b'`') {
                        None => break None,
                        Some(p) => {
                            let r = run(c + p);
                            if r == m {
                                break Some(c + p);
                            }
                            c += p + r;
                        }
                    }
                };
                match close {
                    Some(e) if e >= at => return true,
                    Some(e) => k = e + m,
                    None => k += m,
                }
            }
            _ => k += 1,
        }
    }
    false
}

/// True when `lines[k]` is a `: caption` whose table follows.
pub(super) fn is_caption_of_table(lines: &[&str], k: usize) -> bool {
    let Some((_, mut next)) = table_caption(lines, k, false) else {
        return false;
    };
    while next < lines.len() && is_blank(lines[next]) {
        next += 1;
    }
    next < lines.len()
        && (table::pipe_table(lines, next, true).is_some()
            || table::is_grid_table(lines, next)
            || table::multiline_table(lines, next).is_some()
            || table::simple_table(lines, next, false).is_some()
            || table::multiline_table_headless(lines, next).is_some())
}

/// Column widths as pandoc's `ColWidth`, `None` meaning default.
pub(crate) fn col_spec(align: Alignment, width: Option<f64>) -> ColSpec {
    ColSpec(
        align,
        width.map_or(ColWidth::ColWidthDefault, ColWidth::ColWidth),
    )
}

/// Haskell's `isPunctuation` (Unicode's P categories): ASCII symbols such
/// as `<`, `+`, `$`, `|` or `~` are not punctuation.
fn is_punctuation(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_punctuation() && !"$+<=>^`|~".contains(c);
    }
    matches!(
        c,
        '«' | '»' | '‘' | '’' | '“' | '”' | '–' | '—' | '…' | '¡' | '¿' | '·' | '‹' | '›'
    )
}

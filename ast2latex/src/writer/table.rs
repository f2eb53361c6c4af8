//! Tables: `longtable` with column widths, head, bodies and foot, row and
//! column spans (`\multirow`, `\multicolumn`), as pandoc's
//! `Writers/LaTeX/Table`.

#[allow(unused_imports, reason = "the writer's imports, shared by its parts")]
use super::*;

/// One place in a row of the table as LaTeX sees it.
struct Slot<'t> {
    /// The cell that starts here, or `None` for a column a cell of an
    /// earlier row spans down into (an empty cell in LaTeX).
    cell: Option<&'t Cell>,
    /// The first column.
    column: usize,
    /// Columns spanned.
    span: usize,
    /// Rows spanned (1 for none).
    rowspan: usize,
}

/// How the columns are written.
struct Columns<'c> {
    specs: &'c [ColSpec],
    /// Every column has a width (`p{...}`), not only a letter.
    relative: bool,
    /// The widths, fractions of the line, when `relative`.
    widths: Vec<f64>,
}

impl Writer<'_> {
    pub(super) fn table(&mut self, table: &Table) {
        let Table {
            attr,
            caption,
            colspecs,
            head,
            bodies,
            foot,
        } = table;
        // Malformed input may have rows wider than the column specs: the
        // widest row, in cells, sets the number of columns.
        let widest = std::iter::once(&head.1)
            .chain(bodies.iter().flat_map(|b| [&b.2, &b.3]))
            .chain(std::iter::once(&foot.1))
            .flat_map(|rows| rows.iter())
            .map(|Row(_, cells)| cells.len())
            .max()
            .unwrap_or(0);
        if widest > colspecs.len() {
            self.warn(format!(
                "table with {} column specifications but a row of {widest} cells: written with {widest} columns",
                colspecs.len()
            ));
        }
        let initial = widest.max(colspecs.len()).max(1);
        // Lay out every section first: row spans may need more columns.
        let head_slots = self.layout(&head.1, initial);
        let body_slots: Vec<_> = bodies
            .iter()
            .map(|b| (self.layout(&b.2, initial), self.layout(&b.3, initial)))
            .collect();
        let foot_slots = self.layout(&foot.1, initial);
        let used = std::iter::once(&head_slots)
            .chain(body_slots.iter().flat_map(|(i, r)| [i, r]))
            .chain(std::iter::once(&foot_slots))
            .flatten()
            .flatten()
            .map(|s| s.column + s.span)
            .max()
            .unwrap_or(0);
        if used > initial {
            self.warn(format!(
                "table of {initial} columns with cells spanning rows that push later cells out: written with {used} columns"
            ));
        }
        let mut colspecs = colspecs.clone();
        colspecs.resize(
            used.max(initial),
            ColSpec(Alignment::AlignDefault, ColWidth::ColWidthDefault),
        );
        let count = colspecs.len();
        let has_widths = colspecs
            .iter()
            .any(|ColSpec(_, w)| matches!(w, ColWidth::ColWidth(_)));
        // A cell of several lines needs a width to break in: like pandoc,
        // the columns then share the line equally.
        let multiline = std::iter::once(&head.1)
            .chain(bodies.iter().flat_map(|b| [&b.2, &b.3]))
            .chain(std::iter::once(&foot.1))
            .flatten()
            .flat_map(|Row(_, cells)| cells)
            .any(|Cell(_, _, _, _, blocks)| needs_minipage(blocks));
        let relative = has_widths || multiline;
        let mut widths = Vec::with_capacity(count);
        let mut spec = String::from("@{}");
        for (i, ColSpec(align, width)) in colspecs.iter().enumerate() {
            if relative {
                let default = 1.0 / count as f64;
                let w = match width {
                    ColWidth::ColWidth(w) if is_usable_width(*w) => *w,
                    ColWidth::ColWidth(w) => {
                        self.warn(format!(
                            "table column {} of width {w}: a width is a fraction of the line above 0 and at most 1, written with the default width",
                            i + 1
                        ));
                        default
                    }
                    ColWidth::ColWidthDefault => default,
                };
                widths.push(w);
                let _ = write!(
                    spec,
                    "\n  >{{{}\\arraybackslash}}p{{(\\linewidth - {}\\tabcolsep) * \\real{{{w:.4}}}}}",
                    ragged(*align),
                    2 * (count - 1)
                );
            } else {
                spec.push(align_letter(*align));
            }
        }
        spec.push_str("@{}");
        let columns = Columns {
            specs: &colspecs,
            relative,
            widths,
        };
        // Notes of the caption stay in it, as pandoc writes them: longtable
        // keeps them (footnotehyper's savenotes) and prints them after the table.
        let caption = self.caption_latex(caption, false);
        if !caption.is_some() {
            // A table with no caption takes no number, as pandoc writes it.
            self.out
                .push_str("{\\def\\LTcaptype{none} % do not increment counter\n");
        }
        let _ = writeln!(self.out, "\\begin{{longtable}}[]{{{spec}}}");
        if caption.is_some() || !attr.id.is_empty() {
            self.caption_and_label(&caption, &attr.id);
            self.out.push_str("\\tabularnewline\n");
        }
        let head_rows = self.rows(&head_slots, &columns, true);
        self.out.push_str("\\toprule\\noalign{}\n");
        if !head_rows.is_empty() {
            self.out.push_str(&head_rows);
            self.out.push_str("\\midrule\\noalign{}\n");
        }
        // With a caption, the head again on every following page without
        // it, and without the notes: they were given once, on the first
        // page. With none, `\endhead` alone repeats the first head, as
        // pandoc writes it: longtable sets it once in a box (its notes are
        // counted once) and copies the box on each page.
        if !head_rows.is_empty() && caption.is_some() {
            self.out.push_str("\\endfirsthead\n\\toprule\\noalign{}\n");
            let warnings = self.warnings.len();
            let was = std::mem::replace(&mut self.drop_notes, true);
            let again = self.rows(&head_slots, &columns, true);
            self.drop_notes = was;
            self.warnings.truncate(warnings);
            self.out.push_str(&again);
            self.out.push_str("\\midrule\\noalign{}\n");
        }
        self.out.push_str("\\endhead\n");
        let foot_rows = self.rows(&foot_slots, &columns, false);
        if !foot_rows.is_empty() {
            self.out.push_str("\\midrule\\noalign{}\n");
            self.out.push_str(&foot_rows);
        }
        self.out
            .push_str("\\bottomrule\\noalign{}\n\\endlastfoot\n");
        for (intermediate, rows) in &body_slots {
            let intermediate = self.rows(intermediate, &columns, true);
            self.out.push_str(&intermediate);
            let rows = self.rows(rows, &columns, false);
            self.out.push_str(&rows);
        }
        self.out.push_str("\\end{longtable}\n");
        if !caption.is_some() {
            self.out.push_str("}\n");
        }
    }

    /// Places the cells of `rows` in columns: a cell spanning rows takes its
    /// columns in the rows below, whose cells move right of it.
    fn layout<'t>(&mut self, rows: &'t [Row], columns: usize) -> Vec<Vec<Slot<'t>>> {
        // For each column, the first row no longer covered by a cell above.
        let mut covered_until: Vec<usize> = vec![0; columns];
        let mut out = Vec::with_capacity(rows.len());
        for (r, Row(_, cells)) in rows.iter().enumerate() {
            let mut slots = Vec::with_capacity(cells.len());
            let mut column = 0;
            let covered = |until: &[usize], c: usize| until.get(c).is_some_and(|&u| u > r);
            // From each column to the table's edge: how many columns are
            // free of a span from above, and how many in a row. Counted once
            // a row (a cell only covers columns before the next cell's), not
            // for each cell: a table of 20,000 columns would be quadratic.
            let mut free_from = vec![0usize; columns + 1];
            let mut run_from = vec![0usize; columns + 1];
            for c in (0..columns).rev() {
                let free = !covered(&covered_until, c);
                free_from[c] = free_from[c + 1] + usize::from(free);
                run_from[c] = if free { run_from[c + 1] + 1 } else { 0 };
            }
            for (i, cell) in cells.iter().enumerate() {
                while covered(&covered_until, column) {
                    slots.push(Slot {
                        cell: None,
                        column,
                        span: 1,
                        rowspan: 1,
                    });
                    column += 1;
                }
                let Cell(_, _, rowspan, colspan, _) = cell;
                // Every cell keeps at least its own column: a span takes at
                // most the free columns left once the following cells have
                // theirs, and never a column covered from above.
                let wanted = usize::try_from(*colspan).unwrap_or(0).max(1);
                let free_after = free_from.get(column).copied().unwrap_or(0);
                let run = run_from.get(column).copied().unwrap_or(0);
                let left = free_after
                    .saturating_sub(cells.len() - i - 1)
                    .min(run)
                    .max(1);
                let span = wanted.min(left);
                if span < wanted {
                    self.warn(format!(
                        "table cell spanning {colspan} columns with {left} left for it: it spans {span}"
                    ));
                }
                let wanted_rows = usize::try_from(*rowspan).unwrap_or(0).max(1);
                let rows_left = rows.len() - r;
                let rowspan = wanted_rows.min(rows_left);
                if rowspan < wanted_rows {
                    self.warn(format!(
                        "table cell spanning {wanted_rows} rows with {rows_left} left in its part of the table: it spans {rowspan}"
                    ));
                }
                if covered_until.len() < column + span {
                    covered_until.resize(column + span, 0);
                }
                for until in &mut covered_until[column..column + span] {
                    *until = r + rowspan;
                }
                slots.push(Slot {
                    cell: Some(cell),
                    column,
                    span,
                    rowspan,
                });
                column += span;
            }
            out.push(slots);
        }
        out
    }

    fn rows(&mut self, rows: &[Vec<Slot<'_>>], columns: &Columns<'_>, head: bool) -> String {
        let mut out = String::new();
        for slots in rows {
            for (i, slot) in slots.iter().enumerate() {
                if i > 0 {
                    out.push_str(" & ");
                }
                let Some(Cell(_, align, _, _, blocks)) = slot.cell else {
                    continue;
                };
                let col_align = columns
                    .specs
                    .get(slot.column)
                    .map_or(Alignment::AlignDefault, |ColSpec(a, _)| *a);
                let align = if *align == Alignment::AlignDefault {
                    col_align
                } else {
                    *align
                };
                let mut content = self.cell_content(blocks, align, columns.relative, head);
                if slot.rowspan > 1 {
                    self.uses_multirow = true;
                    // `=`: the width of the column, where the text can break.
                    let width = if columns.relative { "=" } else { "*" };
                    content = format!("\\multirow{{{}}}{{{width}}}{{{content}}}", slot.rowspan);
                }
                if slot.span > 1 || align != col_align {
                    let mut spec = String::new();
                    if slot.column == 0 {
                        spec.push_str("@{}");
                    }
                    if columns.relative {
                        let end = (slot.column + slot.span).min(columns.widths.len());
                        let width: f64 = columns.widths[slot.column.min(end)..end].iter().sum();
                        let _ = write!(
                            spec,
                            ">{{{}\\arraybackslash}}p{{(\\linewidth - {}\\tabcolsep) * \\real{{{width:.4}}}",
                            ragged(align),
                            2 * (columns.specs.len() - 1)
                        );
                        if slot.span > 1 {
                            let _ = write!(spec, " + {}\\tabcolsep", 2 * (slot.span - 1));
                        }
                        spec.push('}');
                    } else {
                        spec.push(align_letter(align));
                    }
                    if slot.column + slot.span == columns.specs.len() {
                        spec.push_str("@{}");
                    }
                    let _ = write!(out, "\\multicolumn{{{}}}{{{spec}}}{{{content}}}", slot.span);
                } else {
                    out.push_str(&content);
                }
            }
            out.push_str(" \\\\\n");
        }
        out
    }

    fn cell_content(
        &mut self,
        blocks: &[Block],
        align: Alignment,
        relative: bool,
        head: bool,
    ) -> String {
        self.in_cell += 1;
        let content = match blocks {
            [] => String::new(),
            // Head cells of columns with widths are bottom-aligned
            // minipages, as pandoc writes them.
            [Block::Plain(ils)] | [Block::Para(ils)]
                if !relative || !(head || needs_minipage(blocks)) =>
            {
                self.inlines_to_string(ils)
            }
            _ => {
                let mut body = self.blocks_to_string(blocks);
                // A strut gives the last line its full depth, so that the
                // next row does not touch it (as pandoc does).
                if !head && matches!(blocks.last(), Some(Block::Plain(_) | Block::Para(_))) {
                    let end = body.trim_end_matches('\n').len();
                    body.insert_str(end, "\\strut");
                }
                let pos = if head { "b" } else { "t" };
                format!(
                    "\\begin{{minipage}}[{pos}]{{\\linewidth}}{}\n{}\\end{{minipage}}",
                    ragged(align),
                    body
                )
            }
        };
        self.in_cell -= 1;
        content
    }
}

/// A cell that is more than one line of inlines: several blocks, a block
/// other than a paragraph, or a hard line break (which would end the row).
fn needs_minipage(blocks: &[Block]) -> bool {
    match blocks {
        [] => false,
        [Block::Plain(ils) | Block::Para(ils)] => has_line_break(ils),
        _ => true,
    }
}

/// True when `ils` hold a hard line break at any depth.
pub(super) fn has_line_break(ils: &[Inline]) -> bool {
    let mut found = false;
    for il in ils {
        ast::query_inlines(il, |i: &Inline| {
            found |= matches!(i, Inline::LineBreak);
        });
    }
    found
}

/// A column width is a fraction of the line: above 0, at most 1.
pub(super) fn is_usable_width(w: f64) -> bool {
    w.is_finite() && w > 0.0 && w <= 1.0
}

/// The column letter of an alignment.
pub(super) fn align_letter(align: Alignment) -> char {
    match align {
        Alignment::AlignLeft | Alignment::AlignDefault => 'l',
        Alignment::AlignCenter => 'c',
        Alignment::AlignRight => 'r',
    }
}

/// The paragraph alignment of a column or cell of given width.
fn ragged(align: Alignment) -> &'static str {
    match align {
        Alignment::AlignRight => "\\raggedleft",
        Alignment::AlignCenter => "\\centering",
        Alignment::AlignLeft | Alignment::AlignDefault => "\\raggedright",
    }
}

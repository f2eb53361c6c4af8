//! Tables: `longtable` with column widths, head, bodies and foot, as
//! pandoc's `Writers/LaTeX/Table`.

#[allow(unused_imports, reason = "the writer's imports, shared by its parts")]
use super::*;

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
        let mut colspecs = colspecs.clone();
        colspecs.resize(
            widest.max(colspecs.len()).max(1),
            ColSpec(Alignment::AlignDefault, ColWidth::ColWidthDefault),
        );
        let colspecs = &colspecs[..];
        let columns = colspecs.len();
        let relative = colspecs
            .iter()
            .any(|ColSpec(_, w)| matches!(w, ColWidth::ColWidth(_)));
        let mut spec = String::from("@{}");
        for (i, ColSpec(align, width)) in colspecs.iter().enumerate() {
            if relative {
                let default = 1.0 / columns as f64;
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
                let ragged = match align {
                    Alignment::AlignRight => "\\raggedleft",
                    Alignment::AlignCenter => "\\centering",
                    Alignment::AlignLeft | Alignment::AlignDefault => "\\raggedright",
                };
                let _ = write!(
                    spec,
                    "\n  >{{{ragged}\\arraybackslash}}p{{(\\linewidth - {}\\tabcolsep) * \\real{{{w:.4}}}}}",
                    2 * (columns - 1)
                );
            } else {
                spec.push(align_letter(*align));
            }
        }
        spec.push_str("@{}");
        let _ = writeln!(self.out, "\\begin{{longtable}}[]{{{spec}}}");
        let (short, long) = self.caption_text(caption);
        let has_caption = !long.is_empty() || short.is_some();
        if has_caption || !attr.id.is_empty() {
            self.caption_and_label(short.as_deref(), &long, &attr.id);
            self.out.push_str("\\tabularnewline\n");
        }
        let head_rows = self.rows(&head.1, colspecs, relative, true);
        self.out.push_str("\\toprule\\noalign{}\n");
        if !head_rows.is_empty() {
            self.out.push_str(&head_rows);
            self.out.push_str("\\midrule\\noalign{}\n");
            // The head again on every following page.
            self.out.push_str("\\endfirsthead\n\\toprule\\noalign{}\n");
            self.out.push_str(&head_rows);
            self.out.push_str("\\midrule\\noalign{}\n");
        }
        self.out.push_str("\\endhead\n");
        let foot_rows = self.rows(&foot.1, colspecs, relative, false);
        if !foot_rows.is_empty() {
            self.out.push_str("\\midrule\\noalign{}\n");
            self.out.push_str(&foot_rows);
        }
        self.out
            .push_str("\\bottomrule\\noalign{}\n\\endlastfoot\n");
        for body in bodies {
            let intermediate = self.rows(&body.2, colspecs, relative, true);
            self.out.push_str(&intermediate);
            let rows = self.rows(&body.3, colspecs, relative, false);
            self.out.push_str(&rows);
        }
        self.out.push_str("\\end{longtable}\n");
    }

    pub(super) fn rows(
        &mut self,
        rows: &[Row],
        colspecs: &[ColSpec],
        relative: bool,
        head: bool,
    ) -> String {
        let mut out = String::new();
        for Row(_, cells) in rows {
            let mut column: usize = 0;
            for (i, Cell(_, align, rowspan, colspan, blocks)) in cells.iter().enumerate() {
                if i > 0 {
                    out.push_str(" & ");
                }
                if *rowspan > 1 {
                    self.warn(format!(
                        "table cell spanning {rowspan} rows: written in its first row only"
                    ));
                }
                // Every cell keeps at least its own column: a span takes at
                // most the columns left once the following cells have theirs.
                // (The caller makes the columns at least as many as the cells.)
                let wanted = usize::try_from(*colspan).unwrap_or(0).max(1);
                let left = colspecs
                    .len()
                    .saturating_sub(column)
                    .saturating_sub(cells.len() - i - 1)
                    .max(1);
                let span = wanted.min(left);
                if span < wanted {
                    self.warn(format!(
                        "table cell spanning {colspan} columns with {left} left for it: it spans {span}"
                    ));
                }
                let col_align = colspecs
                    .get(column)
                    .map_or(Alignment::AlignDefault, |ColSpec(a, _)| *a);
                let align = if *align == Alignment::AlignDefault {
                    col_align
                } else {
                    *align
                };
                let content = self.cell_content(blocks, align, relative, head);
                if span > 1 || align != col_align {
                    let _ = write!(
                        out,
                        "\\multicolumn{{{span}}}{{{}}}{{{content}}}",
                        align_letter(align)
                    );
                } else {
                    out.push_str(&content);
                }
                column = column.saturating_add(span);
            }
            out.push_str(" \\\\\n");
        }
        out
    }

    pub(super) fn cell_content(
        &mut self,
        blocks: &[Block],
        align: Alignment,
        relative: bool,
        head: bool,
    ) -> String {
        match blocks {
            [] => String::new(),
            [Block::Plain(ils)] | [Block::Para(ils)] if !relative || !contains_break(ils) => {
                self.inlines_to_string(ils)
            }
            _ => {
                let ragged = match align {
                    Alignment::AlignRight => "\\raggedleft",
                    Alignment::AlignCenter => "\\centering",
                    Alignment::AlignLeft | Alignment::AlignDefault => "\\raggedright",
                };
                let body = self.blocks_to_string(blocks);
                let pos = if head { "b" } else { "t" };
                format!(
                    "\\begin{{minipage}}[{pos}]{{\\linewidth}}{ragged}\n{}\\end{{minipage}}",
                    body
                )
            }
        }
    }
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

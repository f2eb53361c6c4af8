//! Tables: caption, column widths, head, bodies and foot, with row and column
//! spans kept inside the table.

#[allow(unused_imports, reason = "the writer's imports, shared by its parts")]
use super::*;

impl Writer<'_> {
    pub(super) fn write_table(&mut self, out: &mut String, table: &Table) {
        out.push_str("<table");
        self.write_attr(out, &table.attr);
        let mut widths: Vec<Option<f64>> = Vec::with_capacity(table.colspecs.len());
        for (i, colspec) in table.colspecs.iter().enumerate() {
            widths.push(match colspec.1 {
                // A width is a fraction of the text width: anything else
                // would make `width: -50%` or `width: NaN%`.
                ColWidth::ColWidth(w) if !(w.is_finite() && w > 0.0 && w <= 1.0) => {
                    self.warn(format!(
                        "table column {} has width {w}, not a fraction between 0 and 1: \
                         default width used",
                        i + 1
                    ));
                    None
                }
                ColWidth::ColWidth(w) => Some(w),
                ColWidth::ColWidthDefault => None,
            });
        }
        let has_widths = widths.iter().any(Option::is_some);
        let total: f64 = widths.iter().flatten().sum();
        if has_widths && total > 0.0 && total < 1.0 {
            let _ = write!(out, " style=\"width:{}%;\"", (total * 100.0).round() as i64);
        }
        out.push_str(">\n");
        let Caption(_, caption) = &table.caption;
        if !caption.is_empty() {
            out.push_str("<caption>");
            self.write_flow_para(out, caption);
            out.push_str("</caption>\n");
        }
        if has_widths {
            out.push_str("<colgroup>\n");
            for width in &widths {
                match width {
                    Some(w) => {
                        let _ = writeln!(out, "<col style=\"width: {}%\" />", (w * 100.0) as i64);
                    }
                    None => out.push_str("<col />\n"),
                }
            }
            out.push_str("</colgroup>\n");
        }
        let aligns: Vec<Alignment> = table.colspecs.iter().map(|c| c.0).collect();
        let saved = std::mem::replace(&mut self.in_sections, false);
        if !table.head.1.is_empty() {
            out.push_str("<thead");
            self.write_attr(out, &table.head.0);
            out.push_str(">\n");
            let mut grid = SpanGrid::new(aligns.len());
            self.write_rows(out, &table.head.1, &aligns, usize::MAX, 0, &mut grid);
            out.push_str("</thead>\n");
        }
        for TableBody(attr, head_columns, head_rows, rows) in &table.bodies {
            out.push_str("<tbody");
            self.write_attr(out, attr);
            out.push_str(">\n");
            // The body's head rows and rows are one row group: a cell of a
            // head row may span rows below it.
            let mut grid = SpanGrid::new(aligns.len());
            self.write_rows(out, head_rows, &aligns, usize::MAX, rows.len(), &mut grid);
            self.write_rows(
                out,
                rows,
                &aligns,
                usize::try_from(*head_columns).unwrap_or(0),
                0,
                &mut grid,
            );
            out.push_str("</tbody>\n");
        }
        if !table.foot.1.is_empty() {
            out.push_str("<tfoot");
            self.write_attr(out, &table.foot.0);
            out.push_str(">\n");
            let mut grid = SpanGrid::new(aligns.len());
            self.write_rows(out, &table.foot.1, &aligns, 0, 0, &mut grid);
            out.push_str("</tfoot>\n");
        }
        self.in_sections = saved;
        out.push_str("</table>");
    }

    /// Rows whose first `header_columns` cells are `<th>` (`usize::MAX`: every
    /// cell, for head rows; `0`: none, for foot rows). `rows_after` rows
    /// follow in the same row group; `grid` holds the columns covered by
    /// the row spans of the rows above.
    pub(super) fn write_rows(
        &mut self,
        out: &mut String,
        rows: &[Row],
        aligns: &[Alignment],
        header_columns: usize,
        rows_after: usize,
        grid: &mut SpanGrid,
    ) {
        for (row_index, Row(attr, cells)) in rows.iter().enumerate() {
            out.push_str("<tr");
            self.write_attr(out, attr);
            out.push_str(">\n");
            let rows_left = rows.len() - row_index + rows_after;
            let mut column = 0usize;
            for (i, Cell(cell_attr, align, row_span, col_span, blocks)) in cells.iter().enumerate()
            {
                column = grid.next_free(column);
                let row_span = self.clamp_span(*row_span, rows_left, "rowspan", "rows");
                let columns_left = grid.columns().saturating_sub(column);
                let col_span = self.clamp_span(*col_span, columns_left, "colspan", "columns");
                grid.cover(column, col_span, row_span);
                let tag = if i < header_columns { "th" } else { "td" };
                out.push('<');
                out.push_str(tag);
                let align = match align {
                    Alignment::AlignDefault => aligns
                        .get(column)
                        .copied()
                        .unwrap_or(Alignment::AlignDefault),
                    a => *a,
                };
                let mut own = Vec::with_capacity(3);
                own.extend(Some("rowspan").filter(|_| row_span > 1));
                own.extend(Some("colspan").filter(|_| col_span > 1));
                own.extend(Some("style").filter(|_| align != Alignment::AlignDefault));
                self.write_attr_beside(out, cell_attr, &own);
                if row_span > 1 {
                    let _ = write!(out, " rowspan=\"{row_span}\"");
                }
                if col_span > 1 {
                    let _ = write!(out, " colspan=\"{col_span}\"");
                }
                match align {
                    Alignment::AlignLeft => out.push_str(" style=\"text-align: left;\""),
                    Alignment::AlignRight => out.push_str(" style=\"text-align: right;\""),
                    Alignment::AlignCenter => out.push_str(" style=\"text-align: center;\""),
                    Alignment::AlignDefault => {}
                }
                out.push('>');
                self.write_flow(out, blocks);
                out.push_str("</");
                out.push_str(tag);
                out.push_str(">\n");
                column = column.saturating_add(col_span);
            }
            grid.next_row();
            out.push_str("</tr>\n");
        }
    }

    /// A cell's row or column span, at least 1 and at most what is `left`
    /// (a span past the table's end would make HTML add rows or columns).
    pub(super) fn clamp_span(&mut self, span: i64, left: usize, name: &str, what: &str) -> usize {
        let span = usize::try_from(span).unwrap_or(1).max(1);
        let limit = left.max(1);
        if span > limit {
            self.warn(format!(
                "table cell {name} {span} is more than the {limit} {what} left: {name} {limit} used"
            ));
            return limit;
        }
        span
    }
}

/// The columns of a row group covered by row spans from the rows above.
pub(super) struct SpanGrid {
    /// For each column, how many more rows (this one included) a cell above covers.
    covered: Vec<usize>,
}

impl SpanGrid {
    fn new(columns: usize) -> Self {
        SpanGrid {
            covered: vec![0; columns],
        }
    }

    fn columns(&self) -> usize {
        self.covered.len()
    }

    /// The first column from `column` on that no cell above covers.
    fn next_free(&self, mut column: usize) -> usize {
        while self.covered.get(column).is_some_and(|&rows| rows > 0) {
            column += 1;
        }
        column
    }

    fn cover(&mut self, column: usize, col_span: usize, row_span: usize) {
        let end = column.saturating_add(col_span).min(self.covered.len());
        if let Some(columns) = self.covered.get_mut(column..end) {
            columns.fill(row_span);
        }
    }

    fn next_row(&mut self) {
        for rows in &mut self.covered {
            *rows = rows.saturating_sub(1);
        }
    }
}

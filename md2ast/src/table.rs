//! Pipe tables and grid tables.

use std::collections::{BTreeMap, BTreeSet};

use ast::Alignment;

use crate::attr::{indent_of, is_blank};
use crate::block::{col_spec, BlockParser, CellIr, TableIr, B};

/// pandoc's default `--columns`: wider tables get relative column widths.
pub(crate) const COLUMNS: usize = 72;

thread_local! {
    /// `--columns` of the document being read (a thread reads one document
    /// at a time), rather than a parameter of every table function.
    static READ_COLUMNS: std::cell::Cell<usize> = const { std::cell::Cell::new(COLUMNS) };
}

/// Sets `--columns` for the documents read next on this thread.
pub(crate) fn set_columns(n: usize) {
    READ_COLUMNS.with(|c| c.set(n));
}

fn columns() -> usize {
    READ_COLUMNS.with(|c| c.get())
}

/// Splits a pipe-table row into cells, honouring escapes, code spans and,
/// with `math`, TeX math.
fn split_row(line: &str, math: bool) -> Vec<String> {
    let mut cells = raw_cells(line.trim(), math);
    if cells.last().is_some_and(|c| c.trim().is_empty()) {
        cells.pop();
    }
    cells.into_iter().map(|c| c.trim().to_string()).collect()
}

/// The cells of a pipe-table row as written (spaces kept), after the
/// opening pipe; the text after the last pipe is a cell too.
fn raw_cells(t: &str, math: bool) -> Vec<&str> {
    let t = t.strip_prefix('|').unwrap_or(t);
    let b = t.as_bytes();
    let mut cells = Vec::new();
    let mut i = 0;
    let mut seg_start = 0;
    while i < b.len() {
        match b[i] {
            b'\\' if i + 1 < b.len() && b[i + 1] == b'|' => {
                i += 2;
            }
            b'`' => {
                let n = b[i..].iter().take_while(|&&c| c == b'`').count();
                let run = &t[i..i + n];
                if let Some(p) = t[i + n..].find(run) {
                    i = i + n + p + n;
                } else {
                    i += n;
                }
            }
            b'$' if math => match crate::inline::atom_end(t, i, true) {
                Some(e) => i = e,
                None => i += b[i..].iter().take_while(|&&c| c == b'$').count(),
            },
            b'|' => {
                cells.push(&t[seg_start..i]);
                i += 1;
                seg_start = i;
            }
            _ => i += 1,
        }
    }
    cells.push(&t[seg_start..]);
    cells
}

/// A row's width as pandoc measures it against `--columns`: its first
/// `ncols` cells as written, plus a pipe around each.
fn row_width(line: &str, ncols: usize, math: bool) -> usize {
    raw_cells(line.trim_start(), math)
        .iter()
        .take(ncols)
        .map(|c| c.chars().count())
        .sum::<usize>()
        + ncols
        + 1
}

/// The separator line of a pipe table: alignments and dash lengths.
fn pipe_separator(line: &str) -> Option<Vec<(Alignment, usize)>> {
    if !line.contains('-') || indent_of(line) > 3 {
        return None;
    }
    let t = line.trim();
    let has_pipe = t.contains('|');
    // Columns are separated by `|` or, as in org-mode, `+` (`|---+---|`);
    // the line starts and ends with a `|` if with anything.
    if t.starts_with('+') || t.ends_with('+') {
        return None;
    }
    let org;
    let t = if t.contains('+') {
        org = t.replace('+', "|");
        &org
    } else {
        t
    };
    let cells = split_row(t, false);
    if cells.is_empty() {
        return None;
    }
    let mut out = Vec::new();
    for c in &cells {
        let left = c.starts_with(':');
        let right = c.ends_with(':') && c.len() > 1;
        // One colon at most on each side (`::-` is no separator).
        let dashes = c.strip_prefix(':').unwrap_or(c);
        let dashes = dashes.strip_suffix(':').unwrap_or(dashes);
        if dashes.is_empty() || !dashes.bytes().all(|b| b == b'-') {
            return None;
        }
        let align = match (left, right) {
            (true, true) => Alignment::AlignCenter,
            (true, false) => Alignment::AlignLeft,
            (false, true) => Alignment::AlignRight,
            (false, false) => Alignment::AlignDefault,
        };
        out.push((align, dashes.len() + usize::from(left) + usize::from(right)));
    }
    if !has_pipe && out.len() < 2 {
        return None;
    }
    Some(out)
}

pub(crate) fn pipe_table(lines: &[&str], i: usize, math: bool) -> Option<(TableIr, usize)> {
    let first = *lines.get(i)?;
    if indent_of(first) > 3 || is_blank(first) {
        return None;
    }
    // pandoc's `scanForPipe`: the header row holds a `|`.
    if !first.contains('|') {
        return None;
    }
    // A row goes on over a line end inside a code span or math.
    let row_text = |k: usize| -> (std::borrow::Cow<'_, str>, usize) {
        let last = crate::block::last_line_of_inlines(lines, k, 0, math);
        if last == k {
            (lines[k].into(), k + 1)
        } else {
            (lines[k..=last].join("\n").into(), last + 1)
        }
    };
    let (head_line, sep_at) = row_text(i);
    let sep_line = *lines.get(sep_at)?;
    let seps = pipe_separator(sep_line)?;
    let head = split_row(&head_line, math);
    let ncols = seps.len();
    // Header cells past the separator's are dropped (pandoc's `take`).
    let mut j = sep_at + 1;
    let mut rows = Vec::new();
    let sep_width = seps.iter().map(|s| s.1).sum::<usize>() + ncols + 1;
    let mut max_len = row_width(&head_line, ncols, math).max(sep_width);
    while j < lines.len() {
        let l = lines[j];
        if is_blank(l) || !l.contains('|') {
            break;
        }
        let (row, next) = row_text(j);
        max_len = max_len.max(row_width(&row, ncols, math));
        rows.push(split_row(&row, math));
        j = next;
    }
    let total: usize = seps.iter().map(|s| s.1).sum();
    let relative = max_len > columns();
    let colspecs = seps
        .iter()
        .map(|&(a, len)| col_spec(a, relative.then(|| len as f64 / total as f64)))
        .collect();
    let to_cells = |cells: Vec<String>| -> Vec<CellIr> {
        let mut v: Vec<CellIr> = cells.into_iter().take(ncols).map(CellIr::Inlines).collect();
        while v.len() < ncols {
            v.push(CellIr::Inlines(String::new()));
        }
        v
    };
    let head_cells = to_cells(head);
    let head_rows = if matches!(&head_cells[..], cells if cells.iter().all(|c| matches!(c, CellIr::Inlines(s) if s.is_empty())))
    {
        Vec::new()
    } else {
        vec![head_cells]
    };
    let rows = rows.into_iter().map(to_cells).collect();
    Some((
        TableIr {
            caption: None,
            caption_after: false,
            colspecs,
            head: head_rows,
            rows,
            foot: Vec::new(),
        },
        j,
    ))
}

/// Whether `line` opens a grid table (gridtables' first line): `+`, then
/// parts of dashes, each between optional colons and ended by `+`.
fn is_grid_top(line: &str) -> bool {
    let Some(mut rest) = line.trim_end().strip_prefix('+') else {
        return false;
    };
    if rest.is_empty() {
        return false;
    }
    while !rest.is_empty() {
        let r = rest.strip_prefix(':').unwrap_or(rest);
        let dashes = r.len() - r.trim_start_matches('-').len();
        if dashes == 0 {
            return false;
        }
        let r = &r[dashes..];
        let r = r.strip_prefix(':').unwrap_or(r);
        match r.strip_prefix('+') {
            Some(r) => rest = r,
            None => return false,
        }
    }
    true
}

/// One column of a grid table's lines, as gridtables sees it.
#[derive(Clone, Copy, PartialEq)]
enum GridChar {
    C(char),
    /// The second column of a wide character.
    Pad,
    /// Past the end of a line shorter than the longest.
    Missing,
}

/// The lines of a grid table as gridtables' character grid, and its
/// tracing of the cells (`Text.GridTable.Trace`), ported step by step:
/// ragged borders, a last column without right border and rows of
/// `+` lines are read as pandoc reads them.
struct CharGrid {
    rows: Vec<Vec<GridChar>>,
    width: usize,
}

/// A traced cell: its top-left and bottom-right corners, with the row and
/// column separators seen on the way.
type Trace = ((usize, usize), BTreeSet<usize>, BTreeSet<usize>);

impl CharGrid {
    fn new(lines: &[&str]) -> Self {
        let mut rows: Vec<Vec<GridChar>> = lines
            .iter()
            .map(|l| {
                let mut row = Vec::with_capacity(l.len());
                for ch in l.chars() {
                    row.push(GridChar::C(ch));
                    if is_wide(ch) {
                        row.push(GridChar::Pad);
                    }
                }
                row
            })
            .collect();
        let width = rows.iter().map(Vec::len).max().unwrap_or(0);
        for r in &mut rows {
            r.resize(width, GridChar::Missing);
        }
        CharGrid { rows, width }
    }

    fn at(&self, r: usize, c: usize) -> Option<GridChar> {
        self.rows.get(r).and_then(|row| row.get(c)).copied()
    }

    fn is(&self, r: usize, c: usize, ch: char) -> bool {
        self.at(r, c) == Some(GridChar::C(ch))
    }

    fn last_col(&self) -> usize {
        self.width - 1
    }

    /// `colSpecsInLine`: the alignments of a line made of `+` and `fill`
    /// parts (the first char of each part is not checked, as there).
    fn col_specs_in_line(&self, fill: char, i: usize) -> Option<Vec<Alignment>> {
        if !self.is(i, 0, '+') {
            return None;
        }
        let mut acc = Vec::new();
        let mut j = 1;
        loop {
            if j >= self.last_col() {
                return Some(acc);
            }
            let mut k = j + 1;
            let (end, right) = loop {
                match self.at(i, k)? {
                    GridChar::C('+') => break (k, false),
                    GridChar::C(':') if self.is(i, k + 1, '+') => break (k + 1, true),
                    GridChar::C(c) if c == fill => k += 1,
                    _ => return None,
                }
            };
            let left = self.is(i, j, ':');
            acc.push(match (left, right) {
                (false, false) => Alignment::AlignDefault,
                (true, false) => Alignment::AlignLeft,
                (false, true) => Alignment::AlignRight,
                (true, true) => Alignment::AlignCenter,
            });
            j = end + 1;
        }
    }

    /// `scanRight` from a top-left corner.
    fn scan_right(&self, (top, left): (usize, usize)) -> Option<Trace> {
        let mut colseps = BTreeSet::new();
        let mut pluses = Vec::new();
        let mut j = left + 1;
        while j < self.width {
            match self.at(top, j)? {
                GridChar::C('-') => {}
                GridChar::C('+') => {
                    colseps.insert(j);
                    if let Some((end, rowseps, cols)) = self.scan_down((top, left), j) {
                        colseps.extend(cols);
                        return Some((end, rowseps, colseps));
                    }
                    pluses.push(j);
                }
                _ => break,
            }
            j += 1;
        }
        // The scan failed past each `+`: from the last one back, a last
        // cell of the row may run to the longest line's end.
        pluses
            .iter()
            .rev()
            .find_map(|&p| self.last_cell_in_row((top, left), p + 1))
    }

    /// `scanDown` along the right border at column `right`.
    fn scan_down(&self, (top, left): (usize, usize), right: usize) -> Option<Trace> {
        let mut rowseps = BTreeSet::new();
        for i in top + 1..self.rows.len() {
            match self.at(i, right)? {
                GridChar::C('+') => {
                    rowseps.insert(i);
                    if let Some((up, colseps)) = self.scan_left((top, left), (i, right)) {
                        rowseps.extend(up);
                        return Some(((i, right), rowseps, colseps));
                    }
                }
                GridChar::C('|') => {}
                // All but the last column must be closed.
                _ if right == self.last_col() => {}
                _ => return None,
            }
        }
        None
    }

    /// `scanLeft` along the bottom border, then `scanUp` the left one.
    fn scan_left(
        &self,
        (top, left): (usize, usize),
        (bottom, right): (usize, usize),
    ) -> Option<(BTreeSet<usize>, BTreeSet<usize>)> {
        if !self.is(bottom, left, '+') {
            return None;
        }
        let mut colseps = BTreeSet::new();
        for j in left + 1..right {
            match self.at(bottom, j)? {
                GridChar::C('+') => {
                    colseps.insert(j);
                }
                GridChar::C('-') => {}
                _ => return None,
            }
        }
        let mut rowseps = BTreeSet::new();
        for i in top + 1..bottom {
            match self.at(i, left)? {
                GridChar::C('+') => {
                    rowseps.insert(i);
                }
                GridChar::C('|') => {}
                _ => return None,
            }
        }
        Some((rowseps, colseps))
    }

    /// `lastCellInRow`: the top border stops before the longest line's
    /// end; the cell runs to it, down to the first line that closes it.
    fn last_cell_in_row(&self, (top, left): (usize, usize), right: usize) -> Option<Trace> {
        if self.at(top, right)? != GridChar::Missing {
            return None;
        }
        let bottom = (top + 1..self.rows.len()).find(|&i| {
            self.is(i, left, '+')
                && (left + 1..self.width).all(|j| {
                    matches!(
                        self.at(i, j),
                        Some(GridChar::C('+' | '-') | GridChar::Missing)
                    )
                })
        })?;
        let last = self.last_col();
        Some((
            (bottom, last),
            BTreeSet::from([bottom]),
            BTreeSet::from([last]),
        ))
    }

    /// The text lines inside a cell.
    fn cell_lines(
        &self,
        (top, left): (usize, usize),
        (bottom, right): (usize, usize),
    ) -> Vec<String> {
        (top + 1..bottom)
            .map(|r| {
                (left + 1..right)
                    .filter_map(|c| match self.at(r, c) {
                        Some(GridChar::C(ch)) => Some(ch),
                        _ => None,
                    })
                    .collect()
            })
            .collect()
    }
}

/// A grid table's lines traced into cells: where it ends, its grid, its
/// part separators, the first line's alignments, its separators and cells.
struct GridTrace {
    end: usize,
    grid: CharGrid,
    part_seps: Vec<(usize, Vec<Alignment>)>,
    specs_first: Option<Vec<Alignment>>,
    rowseps: BTreeSet<usize>,
    colseps: BTreeSet<usize>,
    cells: BTreeMap<(usize, usize), (usize, usize)>,
}

/// Whether a grid table starts at `lines[i]`: its lines trace into cells.
pub(crate) fn is_grid_table(lines: &[&str], i: usize) -> bool {
    grid_trace(lines, i).is_some()
}

fn grid_trace(lines: &[&str], i: usize) -> Option<GridTrace> {
    if !is_grid_top(lines.get(i)?) {
        return None;
    }
    let mut j = i + 1;
    while lines.get(j).is_some_and(|l| l.starts_with(['+', '|'])) {
        j += 1;
    }
    if j == i + 1 {
        return None;
    }
    let table_lines: Vec<&str> = lines[i..j].iter().map(|l| l.trim_end()).collect();
    let grid = CharGrid::new(&table_lines);
    if grid.width < 2 {
        return None;
    }
    let height = grid.rows.len();
    let specs_first = grid.col_specs_in_line('-', 0);
    // Part separators: lines of `=` (and, unchecked as in gridtables,
    // lines whose parts are one char wide).
    let part_seps: Vec<(usize, Vec<Alignment>)> = (0..height)
        .filter_map(|r| grid.col_specs_in_line('=', r).map(|s| (r, s)))
        .collect();
    // Separator lines (and the top line) read as `-` lines.
    let mut grid = grid;
    for r in std::iter::once(0).chain(part_seps.iter().map(|p| p.0)) {
        for ch in &mut grid.rows[r] {
            if matches!(ch, GridChar::C('=' | ':')) {
                *ch = GridChar::C('-');
            }
        }
    }
    // Trace the cells from each corner, in order.
    let mut rowseps = BTreeSet::from([0usize]);
    let mut colseps = BTreeSet::from([0usize]);
    let mut corners = BTreeSet::from([(0usize, 0usize)]);
    let mut cells: BTreeMap<(usize, usize), (usize, usize)> = BTreeMap::new();
    while let Some(start) = corners.pop_first() {
        if let Some((end, rs, cs)) = grid.scan_right(start) {
            rowseps.extend(rs);
            colseps.extend(cs);
            corners.insert((start.0, end.1));
            corners.insert((end.0, start.1));
            cells.insert(start, end);
        }
    }
    if cells.is_empty() {
        return None;
    }
    Some(GridTrace {
        end: j,
        grid,
        part_seps,
        specs_first,
        rowseps,
        colseps,
        cells,
    })
}

/// A grid table at `lines[i]` (pandoc's `gridTableWith'`).
pub(crate) fn grid_table(
    lines: &[&str],
    i: usize,
    parser: &mut BlockParser<'_>,
) -> Option<(TableIr, usize)> {
    let GridTrace {
        end: j,
        grid,
        part_seps,
        specs_first,
        rowseps,
        colseps,
        cells,
    } = grid_trace(lines, i)?;
    let height = grid.rows.len();
    let rowseps: Vec<usize> = rowseps.into_iter().collect();
    let colseps: Vec<usize> = colseps.into_iter().collect();
    let row_of = |r: usize| rowseps.binary_search(&r).ok();
    let col_of = |c: usize| colseps.binary_search(&c).ok();
    let (nrows, ncols) = (rowseps.len() - 1, colseps.len() - 1);
    // The array of cells: each cell at its top-left index, its span
    // covered by continuations (a later cell overwrites, as there).
    #[derive(Clone)]
    enum Slot {
        Free,
        Content((usize, usize), (usize, usize), usize, usize),
        Continuation,
    }
    let mut array = vec![vec![Slot::Free; ncols]; nrows];
    for (&start, &end) in &cells {
        let (r, c) = (row_of(start.0)?, col_of(start.1)?);
        let rs = row_of(end.0)?.checked_sub(r)?;
        let cs = col_of(end.1)?.checked_sub(c)?;
        for (rr, row) in array.iter_mut().enumerate().skip(r).take(rs) {
            for (cc, slot) in row.iter_mut().enumerate().skip(c).take(cs) {
                *slot = if (rr, cc) == (r, c) {
                    Slot::Content(start, end, rs, cs)
                } else {
                    Slot::Continuation
                };
            }
        }
    }
    let aligns = match part_seps.first() {
        Some((_, specs)) => specs.clone(),
        None => specs_first.unwrap_or_default(),
    };
    let widths: Vec<usize> = colseps.windows(2).map(|w| w[1] - w[0]).collect();
    // pandoc's `fractionalColumnWidths`: each width with its separator.
    let total = (widths.iter().sum::<usize>() + widths.len())
        .saturating_sub(2)
        .max(columns());
    let colspecs = widths
        .iter()
        .enumerate()
        .map(|(k, &w)| {
            let align = aligns.get(k).cloned().unwrap_or(Alignment::AlignDefault);
            col_spec(align, Some(w as f64 / total as f64))
        })
        .collect();
    let mut table_rows: Vec<Vec<CellIr>> = Vec::with_capacity(nrows);
    for row in array {
        let mut out = Vec::new();
        for slot in row {
            let (lines, rs, cs) = match slot {
                Slot::Free => (Vec::new(), 1, 1),
                Slot::Content(start, end, rs, cs) => (grid.cell_lines(start, end), rs, cs),
                Slot::Continuation => continue,
            };
            let lines: Vec<&str> = lines.iter().map(|l| l.trim_end()).collect();
            // pandoc's `removeOneLeadingSpace`: only when every line has one.
            let strip = lines.iter().all(|l| l.is_empty() || l.starts_with(' '));
            let mut text = String::new();
            for l in lines {
                text.push_str(if strip { l.get(1..).unwrap_or("") } else { l });
                text.push('\n');
            }
            text.push('\n');
            // A cell of one paragraph is `Plain`.
            let mut blocks = parser.parse_cell(&text);
            if let [B::Para(t)] = &mut blocks[..] {
                blocks = vec![B::Plain(std::mem::take(t))];
            }
            out.push(CellIr::Spanned(blocks, rs as i64, cs as i64));
        }
        table_rows.push(out);
    }
    // The head ends at the first part separator; a part separator as the
    // last line makes the rows after the one before it a foot.
    let head_n = part_seps
        .iter()
        .find_map(|(r, _)| row_of(*r))
        .unwrap_or(0)
        .min(nrows);
    let foot_at = match &part_seps[..] {
        [.., before, last] if last.0 == height - 1 => row_of(before.0),
        _ => None,
    };
    let mut body = table_rows.split_off(head_n);
    let foot = match foot_at {
        Some(f) => body.split_off(f.saturating_sub(head_n).min(body.len())),
        None => Vec::new(),
    };
    // A head of one row of empty cells is no head.
    if let [row] = &table_rows[..] {
        if row
            .iter()
            .all(|c| matches!(c, CellIr::Spanned(bs, 1, 1) if bs.is_empty()))
        {
            table_rows.clear();
        }
    }
    Some((
        TableIr {
            caption: None,
            caption_after: false,
            colspecs,
            head: table_rows,
            rows: body,
            foot,
        },
        j,
    ))
}

/// Whether `ch` is East Asian wide or fullwidth (two columns).
fn is_wide(ch: char) -> bool {
    matches!(ch as u32,
        0x1100..=0x115F
        | 0x2E80..=0x303E
        | 0x3041..=0x33FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6
        | 0x1F300..=0x1F64F
        | 0x1F900..=0x1F9FF
        | 0x20000..=0x2FFFD
        | 0x30000..=0x3FFFD)
}

/// Dash groups of a simple-table separator line: (start, dash count) in chars.
fn dash_groups(line: &str) -> Option<Vec<(usize, usize)>> {
    // Checked on bytes: the line is ASCII when it is a separator, so its
    // byte indices are its char indices.
    let b = line.trim_end().as_bytes();
    if b.is_empty() || indent_of(line) > 3 || !b.iter().all(|&c| c == b' ' || c == b'-') {
        return None;
    }
    let mut groups = Vec::new();
    let mut k = 0;
    while k < b.len() {
        if b[k] == b' ' {
            k += 1;
        } else {
            let s = k;
            while k < b.len() && b[k] == b'-' {
                k += 1;
            }
            groups.push((s, k - s));
        }
    }
    (!groups.is_empty()).then_some(groups)
}

/// pandoc's `alignType`: where the text sits against its dashes.
fn simple_alignment(seg: &str, dashes: usize) -> Alignment {
    let trimmed = seg.trim_end();
    if trimmed.is_empty() {
        return Alignment::AlignDefault;
    }
    let left_space = seg.starts_with(' ');
    let right_space = trimmed.chars().count() < dashes;
    match (left_space, right_space) {
        (true, false) => Alignment::AlignRight,
        (false, true) => Alignment::AlignLeft,
        (true, true) => Alignment::AlignCenter,
        (false, false) => Alignment::AlignDefault,
    }
}

/// Splits a line into the columns that start at the dash groups.
fn simple_cells(line: &str, groups: &[(usize, usize)]) -> Vec<String> {
    let chars: Vec<char> = line.chars().collect();
    (0..groups.len())
        .map(|c| {
            let start = groups[c].0.min(chars.len());
            let end = groups
                .get(c + 1)
                .map_or(chars.len(), |g| g.0)
                .min(chars.len());
            chars[start..end.max(start)].iter().collect()
        })
        .collect()
}

/// A simple table: header line and dashes, or dashes first (headerless,
/// closed by a dashed line), one line per row.
/// With `end_open`, the end of `lines` is no blank line: a table with a
/// header must end at one or at a closing dashed line.
pub(crate) fn simple_table(lines: &[&str], i: usize, end_open: bool) -> Option<(TableIr, usize)> {
    // pandoc tries the headless table first, then one whose header is the
    // first line (even a line of dashes).
    simple_table_as(lines, i, true, end_open).or_else(|| simple_table_as(lines, i, false, end_open))
}

fn simple_table_as(
    lines: &[&str],
    i: usize,
    headless: bool,
    end_open: bool,
) -> Option<(TableIr, usize)> {
    let first = *lines.get(i)?;
    let (header, groups, mut j) = if headless {
        (None, dash_groups(first)?, i + 1)
    } else {
        // pandoc's header is `anyLine`, however indented.
        if is_blank(first) {
            return None;
        }
        (Some(first), dash_groups(lines.get(i + 1)?)?, i + 2)
    };
    let mut rows: Vec<&str> = Vec::new();
    let mut closed = false;
    while j < lines.len() {
        let l = lines[j];
        if is_blank(l) {
            break;
        }
        if dash_groups(l).is_some() {
            closed = true;
            j += 1;
            break;
        }
        rows.push(l);
        j += 1;
    }
    if rows.is_empty() || (!closed && (header.is_none() || (end_open && j == lines.len()))) {
        return None;
    }
    let align_line = header.unwrap_or(rows[0]);
    let colspecs = simple_cells(align_line, &groups)
        .iter()
        .zip(&groups)
        .map(|(seg, &(_, n))| col_spec(simple_alignment(seg, n), None))
        .collect();
    let to_cells = |l: &str| -> Vec<CellIr> {
        simple_cells(l, &groups)
            .into_iter()
            .map(|c| CellIr::Inlines(c.trim().to_string()))
            .collect()
    };
    Some((
        TableIr {
            caption: None,
            caption_after: false,
            colspecs,
            // A header of empty cells is no header (pandoc's `toHeaderRow`).
            head: header
                .map(to_cells)
                .filter(|h| {
                    h.iter()
                        .any(|c| matches!(c, CellIr::Inlines(t) if !t.is_empty()))
                })
                .map(|h| vec![h])
                .unwrap_or_default(),
            rows: rows.into_iter().map(to_cells).collect(),
            foot: Vec::new(),
        },
        j,
    ))
}

fn is_full_dash_line(l: &str) -> bool {
    let t = l.trim_end();
    indent_of(l) <= 3 && t.trim_start().len() >= 3 && t.trim_start().bytes().all(|c| c == b'-')
}

/// pandoc's `widthsFromIndices`: column widths relative to `--columns`.
fn widths_from_indices(indices: &[usize]) -> Vec<f64> {
    let mut lengths: Vec<usize> = indices.windows(2).map(|w| w[1] - w[0]).collect();
    let n = lengths.len();
    if n >= 2 && lengths[n - 1] < lengths[n - 2] && lengths[n - 2] - lengths[n - 1] <= 2 {
        lengths[n - 1] = lengths[n - 2];
    }
    let total: usize = lengths.iter().sum::<usize>() + indices.first().copied().unwrap_or(0);
    let quotient = total.max(columns()) as f64;
    lengths.iter().map(|&l| l as f64 / quotient).collect()
}

/// A multiline table: a full dashed line, header lines, dash groups, rows
/// separated by blank lines, a closing full dashed line.
pub(crate) fn multiline_table(lines: &[&str], i: usize) -> Option<(TableIr, usize)> {
    let first = *lines.get(i)?;
    // pandoc's `tableSep` opens a table with a header: any line of dashes,
    // in groups or short (`--`); failing that, a headerless table.
    if !is_full_dash_line(first) && dash_groups(first).is_some() {
        if let Some(r) = multiline_table_with(lines, i, false, false) {
            return Some(r);
        }
    }
    // Headerless: the column dashes come first and close the table.
    multiline_table_with(lines, i, !is_full_dash_line(first), false)
}

/// A headerless multiline table as pandoc tries it after simple tables: of
/// one column too (`---`, rows, `---`), and of a single row.
pub(crate) fn multiline_table_headless(lines: &[&str], i: usize) -> Option<(TableIr, usize)> {
    multiline_table_with(lines, i, true, true)
}

fn multiline_table_with(
    lines: &[&str],
    i: usize,
    headless: bool,
    after_simple: bool,
) -> Option<(TableIr, usize)> {
    let first = *lines.get(i)?;
    let mut j = i + 1;
    let mut header: Vec<&str> = Vec::new();
    let mut dash_line = first;
    let groups = if headless {
        let g = dash_groups(first)?;
        // One column needs two dashes at least (`-` is a list item).
        let t = first.trim();
        if g.len() < 2 && (indent_of(first) > 3 || t.len() < 2 || !t.bytes().all(|c| c == b'-')) {
            return None;
        }
        g
    } else {
        // pandoc reads header lines up to the column dashes, blank ones too,
        // but not a blank line first.
        if lines.get(j).is_none_or(|l| is_blank(l)) {
            return None;
        }
        while j < lines.len() && dash_groups(lines[j]).is_none() {
            header.push(lines[j]);
            j += 1;
        }
        let g = dash_groups(lines.get(j)?)?;
        if header.is_empty() {
            return None;
        }
        dash_line = lines[j];
        j += 1;
        g
    };
    // The first row follows the column dashes directly.
    if lines.get(j).is_none_or(|l| is_blank(l)) {
        return None;
    }
    let mut rows: Vec<Vec<&str>> = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    loop {
        let l = *lines.get(j)?;
        // pandoc's `tableFooter`: any line of dashes.
        if dash_groups(l).is_some() {
            j += 1;
            break;
        }
        if is_blank(l) {
            if !current.is_empty() {
                rows.push(std::mem::take(&mut current));
            }
        } else {
            current.push(l);
        }
        j += 1;
    }
    if !current.is_empty() {
        rows.push(current);
    }
    // The closing dashes need no blank line after them.
    if rows.is_empty() {
        return None;
    }
    // Without blank lines between rows, a headerless table is a simple one.
    if headless && rows.len() < 2 && !after_simple {
        return None;
    }
    // Column starts, with the last column reaching one past the column
    // dashes and the spaces after them (pandoc's `indices'`; the top line
    // of a table with a header counts for nothing).
    let mut indices: Vec<usize> = groups.iter().map(|g| g.0).collect();
    // The last column's dashes count the spaces after them.
    let last_end = groups
        .last()
        .map_or(0, |g| g.0 + g.1)
        .max(dash_line.trim_end_matches(['\n', '\r']).chars().count());
    indices.push(last_end + 1);
    let widths = widths_from_indices(&indices);
    let column_texts = |row: &[&str]| -> Vec<Vec<String>> {
        let mut cols = vec![Vec::new(); groups.len()];
        for l in row {
            for (c, seg) in simple_cells(l, &groups).into_iter().enumerate() {
                cols[c].push(seg);
            }
        }
        cols
    };
    let head_cols = column_texts(&header);
    // Without a header, the alignments are read off the line after the
    // dashes alone (pandoc's `lookAhead anyLine`).
    let align_cols = if headless {
        column_texts(&rows[0][..1])
    } else {
        head_cols.clone()
    };
    let colspecs = align_cols
        .iter()
        .zip(&groups)
        .zip(&widths)
        .map(|((segs, &(_, n)), &w)| {
            let longest = segs
                .iter()
                .filter(|s| !s.trim().is_empty())
                .max_by_key(|s| s.trim().chars().count());
            let align = longest.map_or(Alignment::AlignDefault, |s| simple_alignment(s, n));
            col_spec(align, Some(w))
        })
        .collect();
    let to_cells = |cols: Vec<Vec<String>>| -> Vec<CellIr> {
        cols.into_iter()
            .map(|segs| {
                let text: Vec<&str> = segs
                    .iter()
                    .map(|s| s.trim())
                    .filter(|s| !s.is_empty())
                    .collect();
                CellIr::Inlines(text.join("\n"))
            })
            .collect()
    };
    Some((
        TableIr {
            caption: None,
            caption_after: false,
            colspecs,
            head: if headless {
                Vec::new()
            } else {
                // pandoc keeps the first paragraph of a header cell only.
                let first_paragraphs = head_cols
                    .into_iter()
                    .map(|segs| {
                        let segs: Vec<String> = segs
                            .into_iter()
                            .skip_while(|s| s.trim().is_empty())
                            .take_while(|s| !s.trim().is_empty())
                            .collect();
                        segs
                    })
                    .collect();
                vec![to_cells(first_paragraphs)]
            },
            rows: rows.iter().map(|r| to_cells(column_texts(r))).collect(),
            foot: Vec::new(),
        },
        j,
    ))
}

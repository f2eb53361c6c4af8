//! Pipe tables and grid tables.

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

/// Column boundaries (char indices of `+`) of a grid-table border line.
fn grid_border(line: &str) -> Option<Vec<usize>> {
    // Checked on bytes: the line is ASCII when it is a border, so its byte
    // indices are its char indices.
    let b = line.trim_end().as_bytes();
    if b.first() != Some(&b'+') || b.last() != Some(&b'+') || b.len() < 3 {
        return None;
    }
    let mut cols = Vec::new();
    for (k, &c) in b.iter().enumerate() {
        match c {
            b'+' => cols.push(k),
            b'-' | b'=' | b':' => {}
            _ => return None,
        }
    }
    if cols.len() < 2 {
        return None;
    }
    Some(cols)
}

pub(crate) fn grid_table(
    lines: &[&str],
    i: usize,
    parser: &mut BlockParser<'_>,
) -> Option<(TableIr, usize)> {
    // The top border is of `-` (pandoc's `gridDashedLines '-'`).
    if lines.get(i)?.contains('=') {
        return None;
    }
    grid_border(lines.get(i)?)?;
    // The table's lines as a grid of chars, padded to the top border's width.
    let width = lines[i].trim_end().chars().count();
    let mut grid: Vec<Vec<char>> = Vec::new();
    let mut j = i;
    while let Some(l) = lines.get(j) {
        let t = l.trim_end();
        if !(t.starts_with('+') || t.starts_with('|')) {
            break;
        }
        // A wide character (CJK) takes two columns, as pandoc's gridtables
        // measure it: the second is a placeholder no cell text keeps.
        let mut row: Vec<char> = Vec::with_capacity(t.len());
        for ch in t.chars() {
            row.push(ch);
            if is_wide(ch) {
                row.push(WIDE_PAD);
            }
        }
        if row.len() > width {
            return None;
        }
        row.resize(width, ' ');
        grid.push(row);
        j += 1;
    }
    let height = grid.len();
    if height < 2 || grid[height - 1][0] != '+' {
        return None;
    }
    let cells = grid_cells(&grid)?;
    // Row and column boundaries: every cell's edges.
    let mut rows: Vec<usize> = cells.iter().flat_map(|c| [c.0, c.2]).collect();
    let mut cols: Vec<usize> = cells.iter().flat_map(|c| [c.1, c.3]).collect();
    rows.sort_unstable();
    rows.dedup();
    cols.sort_unstable();
    cols.dedup();
    let has_eq = |r: usize| grid[r].contains(&'=');
    let inner: Vec<usize> = rows[1..rows.len() - 1].to_vec();
    let head_end = inner.iter().copied().find(|&r| has_eq(r));
    // A bottom border of `=` makes the rows after the last `=` line a foot.
    let foot_start = if has_eq(height - 1) {
        inner.iter().rev().copied().find(|&r| has_eq(r))
    } else {
        None
    };
    let aligns_line = &grid[head_end.unwrap_or(0)];
    let colspecs = cols
        .windows(2)
        .map(|w| {
            let left = aligns_line[w[0] + 1] == ':';
            let right = aligns_line[w[1] - 1] == ':';
            let align = match (left, right) {
                (true, true) => Alignment::AlignCenter,
                (true, false) => Alignment::AlignLeft,
                (false, true) => Alignment::AlignRight,
                (false, false) => Alignment::AlignDefault,
            };
            (align, w[1] - w[0])
        })
        .collect::<Vec<_>>();
    // Widths are fractions of `--columns`, or of the table's width when it
    // is wider, measured as pandoc's `fractionalColumnWidths` does.
    let total = (width + colspecs.len()).saturating_sub(3).max(columns());
    let colspecs = colspecs
        .into_iter()
        .map(|(a, w)| col_spec(a, Some(w as f64 / total as f64)))
        .collect();
    let nrows = rows.len() - 1;
    let mut table_rows: Vec<Vec<CellIr>> = (0..nrows).map(|_| Vec::new()).collect();
    for &(r, c, r2, c2) in &cells {
        let row = rows.binary_search(&r).ok()?;
        let rowspan = rows.binary_search(&r2).ok()? - row;
        let colspan = cols.binary_search(&c2).ok()? - cols.binary_search(&c).ok()?;
        let mut cell_lines: Vec<String> = grid[r + 1..r2]
            .iter()
            .map(|l| l[c + 1..c2].iter().filter(|&&ch| ch != WIDE_PAD).collect())
            .collect();
        while cell_lines.last().is_some_and(|l| l.trim().is_empty()) {
            cell_lines.pop();
        }
        let mut text = String::new();
        for l in &cell_lines {
            let l = l.strip_prefix(' ').unwrap_or(l);
            text.push_str(l.trim_end());
            text.push('\n');
        }
        // Every paragraph is a `Para`, but a cell of one paragraph is `Plain`.
        text.push('\n');
        let mut blocks = parser.parse_cell(&text);
        if let [B::Para(t)] = &mut blocks[..] {
            blocks = vec![B::Plain(std::mem::take(t))];
        }
        table_rows[row].push(CellIr::Spanned(blocks, rowspan as i64, colspan as i64));
    }
    let index = |r: Option<usize>| r.and_then(|r| rows.binary_search(&r).ok());
    let head_n = index(head_end).unwrap_or(0);
    let foot_n = index(foot_start).unwrap_or(nrows).max(head_n);
    let foot = table_rows.split_off(foot_n);
    let body = table_rows.split_off(head_n);
    // A head of empty cells is no head.
    if table_rows
        .iter()
        .flatten()
        .all(|c| matches!(c, CellIr::Spanned(bs, _, _) if bs.is_empty()))
    {
        table_rows.clear();
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

/// The second column of a wide character in a grid table's lines.
const WIDE_PAD: char = '\u{0}';

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

/// The cells of a grid table as (top, left, bottom, right) corner
/// positions, traced from each top-left corner as docutils and pandoc's
/// gridtables do; `None` when the lines do not tile into cells.
fn grid_cells(grid: &[Vec<char>]) -> Option<Vec<(usize, usize, usize, usize)>> {
    let (height, width) = (grid.len(), grid[0].len());
    let mut cells = Vec::new();
    let mut corners = std::collections::BTreeSet::from([(0usize, 0usize)]);
    // For each column, the row down to which cells cover it: a corner
    // above that is on the edge of a cell already read, not a new cell.
    let mut done = vec![0usize; width];
    let mut area = 0;
    while let Some((r, c)) = corners.pop_first() {
        if r + 1 >= height || c + 1 >= width || r < done[c] {
            continue;
        }
        let Some((r2, c2)) = grid_cell_at(grid, r, c) else {
            continue;
        };
        done[c..c2].fill(r2);
        area += (r2 - r) * (c2 - c);
        cells.push((r, c, r2, c2));
        corners.insert((r, c2));
        corners.insert((r2, c));
    }
    (area == (height - 1) * (width - 1)).then_some(cells)
}

/// The bottom-right corner of the cell whose top-left corner is `(r, c)`.
fn grid_cell_at(grid: &[Vec<char>], r: usize, c: usize) -> Option<(usize, usize)> {
    let is_h = |ch: char| matches!(ch, '-' | '=' | ':' | '+');
    for c2 in c + 1..grid[r].len() {
        match grid[r][c2] {
            '+' => {}
            ch if is_h(ch) => continue,
            _ => return None,
        }
        for (r2, row) in grid.iter().enumerate().skip(r + 1) {
            match row[c2] {
                '+' => {
                    let bottom = row[c] == '+' && row[c + 1..c2].iter().all(|&ch| is_h(ch));
                    let left = grid[r + 1..r2].iter().all(|l| matches!(l[c], '|' | '+'));
                    if bottom && left {
                        return Some((r2, c2));
                    }
                }
                '|' => {}
                _ => break,
            }
        }
    }
    None
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
    let align_cols = if headless {
        column_texts(&rows[0])
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

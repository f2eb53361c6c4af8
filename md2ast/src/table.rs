//! Pipe tables and grid tables.

use ast::Alignment;

use crate::attr::{indent_of, is_blank};
use crate::block::{col_spec, BlockParser, CellIr, TableIr};

/// pandoc's default `--columns`: wider tables get relative column widths.
pub(crate) const COLUMNS: usize = 72;

/// Splits a pipe-table row into cells, honouring `\\|` and code spans.
fn split_row(line: &str) -> Vec<String> {
    let mut cells = raw_cells(line.trim());
    if cells.last().is_some_and(|c| c.trim().is_empty()) {
        cells.pop();
    }
    cells.into_iter().map(|c| c.trim().to_string()).collect()
}

/// The cells of a pipe-table row as written (spaces kept), after the
/// opening pipe; the text after the last pipe is a cell too.
fn raw_cells(t: &str) -> Vec<&str> {
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
fn row_width(line: &str, ncols: usize) -> usize {
    raw_cells(line.trim_start())
        .iter()
        .take(ncols)
        .map(|c| c.chars().count())
        .sum::<usize>()
        + ncols
        + 1
}

/// The separator line of a pipe table: alignments and dash lengths.
fn pipe_separator(line: &str) -> Option<Vec<(Alignment, usize)>> {
    if !line.contains('-') {
        return None;
    }
    let t = line.trim();
    let has_pipe = t.contains('|');
    let cells = split_row(t);
    if cells.is_empty() {
        return None;
    }
    let mut out = Vec::new();
    for c in &cells {
        let left = c.starts_with(':');
        let right = c.ends_with(':') && c.len() > 1;
        let dashes = c.trim_start_matches(':').trim_end_matches(':');
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

pub(crate) fn pipe_table(lines: &[&str], i: usize) -> Option<(TableIr, usize)> {
    let head_line = *lines.get(i)?;
    let sep_line = *lines.get(i + 1)?;
    if indent_of(head_line) > 3 || is_blank(head_line) {
        return None;
    }
    if !head_line.contains('|') && !sep_line.contains('|') {
        return None;
    }
    let seps = pipe_separator(sep_line)?;
    let head = split_row(head_line);
    let ncols = seps.len();
    // pandoc requires no more header cells than separator cells.
    if head.len() > ncols {
        return None;
    }
    let mut j = i + 2;
    let mut rows = Vec::new();
    let sep_width = seps.iter().map(|s| s.1).sum::<usize>() + ncols + 1;
    let mut max_len = row_width(head_line, ncols).max(sep_width);
    while j < lines.len() {
        let l = lines[j];
        if is_blank(l) || !l.contains('|') {
            break;
        }
        max_len = max_len.max(row_width(l, ncols));
        rows.push(split_row(l));
        j += 1;
    }
    let total: usize = seps.iter().map(|s| s.1).sum();
    let relative = max_len > COLUMNS;
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
            colspecs,
            head: head_rows,
            rows,
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
    let first = *lines.get(i)?;
    let bounds = grid_border(first)?;
    let ncols = bounds.len() - 1;
    let mut j = i + 1;
    // Rows as lists of cell line groups; `head_end` is the number of rows in the head.
    let mut rows: Vec<Vec<Vec<String>>> = Vec::new();
    let mut current: Vec<Vec<String>> = vec![Vec::new(); ncols];
    let mut head_rows = None;
    let mut aligns_line = first;
    while j < lines.len() {
        let l = lines[j];
        let chars: Vec<char> = l.trim_end().chars().collect();
        match chars.first() {
            Some('+') => {
                let b = grid_border(l)?;
                if b != bounds {
                    return None;
                }
                rows.push(std::mem::replace(&mut current, vec![Vec::new(); ncols]));
                if l.contains('=') {
                    if head_rows.is_some() {
                        return None;
                    }
                    head_rows = Some(rows.len());
                    aligns_line = l;
                }
            }
            Some('|') => {
                if chars.len() <= *bounds.last()? || chars[*bounds.last()?] != '|' {
                    return None;
                }
                for c in 0..ncols {
                    let (a, b) = (bounds[c], bounds[c + 1]);
                    if chars[b] != '|' {
                        return None;
                    }
                    let seg: String = chars[a + 1..b].iter().collect();
                    current[c].push(seg);
                }
            }
            _ => break,
        }
        j += 1;
    }
    if rows.is_empty() || current.iter().any(|c| !c.is_empty()) {
        return None;
    }
    let achars: Vec<char> = aligns_line.chars().collect();
    let mut colspecs = Vec::new();
    for c in 0..ncols {
        let (a, b) = (bounds[c], bounds[c + 1]);
        let left = achars.get(a + 1) == Some(&':');
        let right = achars.get(b - 1) == Some(&':');
        let align = match (left, right) {
            (true, true) => Alignment::AlignCenter,
            (true, false) => Alignment::AlignLeft,
            (false, true) => Alignment::AlignRight,
            (false, false) => Alignment::AlignDefault,
        };
        colspecs.push(col_spec(align, Some((b - a) as f64 / COLUMNS as f64)));
    }
    let mut convert = |row: Vec<Vec<String>>| -> Vec<CellIr> {
        row.into_iter()
            .map(|cell_lines| {
                let mut text = String::new();
                let mut cell_lines = cell_lines;
                while cell_lines.last().is_some_and(|l| l.trim().is_empty()) {
                    cell_lines.pop();
                }
                for l in &cell_lines {
                    let l = l.strip_prefix(' ').unwrap_or(l);
                    text.push_str(l.trim_end());
                    text.push('\n');
                }
                CellIr::Blocks(parser.parse_cell(&text))
            })
            .collect()
    };
    let (head, body): (Vec<_>, Vec<_>) = match head_rows {
        Some(n) => {
            let mut all = rows;
            let body = all.split_off(n);
            (all, body)
        }
        None => (Vec::new(), rows),
    };
    let head = head.into_iter().map(&mut convert).collect();
    let body = body.into_iter().map(&mut convert).collect();
    Some((
        TableIr {
            caption: None,
            colspecs,
            head,
            rows: body,
        },
        j,
    ))
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
pub(crate) fn simple_table(lines: &[&str], i: usize) -> Option<(TableIr, usize)> {
    let first = *lines.get(i)?;
    let (header, groups, mut j) = match dash_groups(first) {
        Some(g) => (None, g, i + 1),
        None => {
            if is_blank(first) || indent_of(first) > 3 {
                return None;
            }
            (Some(first), dash_groups(lines.get(i + 1)?)?, i + 2)
        }
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
    if rows.is_empty() || (header.is_none() && !closed) {
        return None;
    }
    if closed && j < lines.len() && !is_blank(lines[j]) {
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
            colspecs,
            head: header.map(|h| vec![to_cells(h)]).unwrap_or_default(),
            rows: rows.into_iter().map(to_cells).collect(),
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
    let quotient = total.max(COLUMNS) as f64;
    lengths.iter().map(|&l| l as f64 / quotient).collect()
}

/// A multiline table: a full dashed line, header lines, dash groups, rows
/// separated by blank lines, a closing full dashed line.
pub(crate) fn multiline_table(lines: &[&str], i: usize) -> Option<(TableIr, usize)> {
    let first = *lines.get(i)?;
    // Headerless: the column dashes come first and close the table.
    let headless = !is_full_dash_line(first);
    let mut j = i + 1;
    let mut header: Vec<&str> = Vec::new();
    let groups = if headless {
        let g = dash_groups(first)?;
        if g.len() < 2 {
            return None;
        }
        g
    } else {
        while j < lines.len() && dash_groups(lines[j]).is_none() {
            if is_blank(lines[j]) {
                return None;
            }
            header.push(lines[j]);
            j += 1;
        }
        let g = dash_groups(lines.get(j)?)?;
        if header.is_empty() {
            return None;
        }
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
        if (headless && dash_groups(l).is_some()) || (!headless && is_full_dash_line(l)) {
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
    if rows.is_empty() || j < lines.len() && !is_blank(lines[j]) {
        return None;
    }
    // Without blank lines between rows, a headerless table is a simple one.
    if headless && rows.len() < 2 {
        return None;
    }
    // Column starts, with the last column reaching one past the top line.
    let top_len = lines[i].trim_end().chars().count();
    let mut indices: Vec<usize> = groups.iter().map(|g| g.0).collect();
    let last_end = groups.last().map_or(0, |g| g.0 + g.1);
    indices.push(top_len.max(last_end) + 1);
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
            colspecs,
            head: if headless {
                Vec::new()
            } else {
                vec![to_cells(head_cols)]
            },
            rows: rows.iter().map(|r| to_cells(column_texts(r))).collect(),
        },
        j,
    ))
}

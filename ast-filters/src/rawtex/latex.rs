//! Raw LaTeX blocks holding common document structure, read into AST nodes
//! for the outputs that drop raw TeX: floats (`figure`, `figure*`,
//! `sidewaysfigure`, `table`), `center`, `flushleft`, `flushright`,
//! `minipage`, lists, `quote`/`quotation`, simple `tabular`s, sectioning
//! commands, and inside them `\includegraphics`, `\caption`, `\label`,
//! `\ref` and friends, `\footnote`, `\href`, `\url`, the font commands,
//! `~` and the French spaces.
//!
//! The structure follows what pandoc's LaTeX reader (`pandoc -f latex`)
//! makes of the same source, with these differences, all on the side of
//! keeping more: a `sidewaysfigure` is a `Figure` with the class `sideways`
//! and its caption (pandoc: a `Div` without the caption); a `\ref` to a
//! label already met is a link whose text is the caption or title it
//! labels (pandoc: the number, which only LaTeX knows once it has laid out
//! the whole document); `\pageref` is such a link too (pandoc drops it);
//! `\linewidth` widths become percentages like `\textwidth` ones; `center`,
//! `flushleft`, `flushright` and `minipage` get a `style` that an HTML page
//! honours (minipages side by side).
//!
//! Layout-only commands (`\centering`, `\vspace`, `\hfill`, `\noindent`,
//! `\medskip`, `\clearpage`...) are dropped; any other command or
//! environment stays raw TeX inside the converted nodes, where the raw TeX
//! warning of `raw-tex` names it.

use std::collections::HashMap;
use std::ops::Range;

use ast::{
    Alignment, Attr, Block, Caption, Cell, ColSpec, ColWidth, Format, Inline, ListAttributes,
    MathType, QuoteType, Row, Table, TableBody, TableFoot, TableHead, Target,
};

use super::{closings, resolve_guillemets, unescape_tex, Tex, FG, OG};
use crate::engine::{NEW_STACK, RED_ZONE};
use crate::options::SpaceKind;
use crate::text::{merge_strs, NBSP, NNBSP};

/// Commands that only place things on the page: dropped, with their
/// arguments (`*`, `[...]` and this many `{...}`).
const LAYOUT: &[(&str, usize)] = &[
    ("centering", 0),
    ("raggedright", 0),
    ("raggedleft", 0),
    ("vspace", 1),
    ("hspace", 1),
    ("vskip", 0),
    ("hfill", 0),
    ("vfill", 0),
    ("hfil", 0),
    ("noindent", 0),
    ("indent", 0),
    ("smallskip", 0),
    ("medskip", 0),
    ("bigskip", 0),
    ("clearpage", 0),
    ("cleardoublepage", 0),
    ("newpage", 0),
    ("pagebreak", 0),
    ("nopagebreak", 0),
    ("FloatBarrier", 0),
    ("null", 0),
    ("relax", 0),
    ("protect", 0),
    ("strut", 0),
    ("tiny", 0),
    ("scriptsize", 0),
    ("footnotesize", 0),
    ("small", 0),
    ("normalsize", 0),
    ("large", 0),
    ("Large", 0),
    ("LARGE", 0),
    ("huge", 0),
    ("Huge", 0),
    ("setlength", 2),
    ("addvspace", 1),
    ("captionsetup", 1),
];

/// Sectioning commands and their heading level (pandoc's, with `\chapter`
/// absent; a block with a `\chapter` shifts the others down by one).
const SECTIONS: &[(&str, i64)] = &[
    ("part", 1),
    ("chapter", 1),
    ("section", 1),
    ("subsection", 2),
    ("subsubsection", 3),
    ("paragraph", 4),
    ("subparagraph", 5),
];

/// The lengths a width can be a fraction of, for a percentage.
const PAGE_LENGTHS: &[&str] = &[
    "\\textwidth",
    "\\linewidth",
    "\\columnwidth",
    "\\hsize",
    "\\textheight",
];

/// What `raw-tex` remembers from one raw block to the next: the text of the
/// labels met so far, for the links of `\ref`.
#[derive(Default)]
pub(crate) struct Labels {
    text: HashMap<String, Vec<Inline>>,
}

/// The blocks a raw LaTeX block stands for, or `None` when it holds nothing
/// this reader knows (it then stays raw TeX, and gets its warning). An empty
/// list means layout commands only.
pub(crate) fn read_latex_blocks(
    src: &str,
    labels: &mut Labels,
    guillemet: Option<SpaceKind>,
) -> Option<Vec<Block>> {
    let src = strip_comments(src);
    if matches!(src.trim(), "\\newpage" | "\\clearpage" | "\\pagebreak") {
        return None; // `pagebreak`'s
    }
    let chars: Vec<char> = src.chars().collect();
    let close = closings(&chars);
    let tex = Tex {
        chars: &chars,
        close: &close,
    };
    let known_before = labels.text.len();
    let mut reader = Reader::new(labels, guillemet, &src);
    let mut blocks = reader.blocks(tex);
    // A `\ref` before the `\label` it names, in the same block: read again,
    // now that the label is known.
    if reader.unresolved && reader.labels.text.len() > known_before {
        let mut again = Reader::new(reader.labels, guillemet, &src);
        blocks = again.blocks(tex);
    }
    (!only_raw(&blocks)).then_some(blocks)
}

/// The inlines a raw TeX inline stands for, read as LaTeX, or `None` when
/// it holds nothing this reader knows. Used for what the inline commands
/// of `raw-tex` leave (`\ref`, `\footnote`, `\href`, layout commands).
pub(crate) fn read_latex_inlines(
    src: &str,
    labels: &mut Labels,
    guillemet: Option<SpaceKind>,
) -> Option<Vec<Inline>> {
    let chars: Vec<char> = src.chars().collect();
    let close = closings(&chars);
    let tex = Tex {
        chars: &chars,
        close: &close,
    };
    let mut reader = Reader::new(labels, guillemet, src);
    let ils = reader.inlines(tex);
    let raw_only = ils.iter().any(|il| matches!(il, Inline::RawInline(..)))
        && ils.iter().all(|il| {
            matches!(
                il,
                Inline::RawInline(..) | Inline::Space | Inline::SoftBreak
            )
        });
    (!raw_only).then_some(ils)
}

/// True when `blocks` is nothing but raw TeX (and spaces): nothing known.
fn only_raw(blocks: &[Block]) -> bool {
    !blocks.is_empty()
        && blocks.iter().all(|b| match b {
            Block::RawBlock(..) => true,
            Block::Para(ils) | Block::Plain(ils) => ils.iter().all(|il| {
                matches!(
                    il,
                    Inline::RawInline(..) | Inline::Space | Inline::SoftBreak
                )
            }),
            _ => false,
        })
}

/// The source without its comments: a `%` not escaped ends the line, and
/// the line break and the spaces starting the next line go with it.
fn strip_comments(src: &str) -> String {
    if !src.contains('%') {
        return src.to_string();
    }
    let mut out = String::with_capacity(src.len());
    let mut lines = src.split_inclusive('\n').peekable();
    let mut skip_indent = false;
    while let Some(line) = lines.next() {
        let line = if skip_indent {
            line.trim_start_matches([' ', '\t'])
        } else {
            line
        };
        skip_indent = false;
        let mut backslashes = 0;
        let mut cut = None;
        for (i, c) in line.char_indices() {
            match c {
                '\\' => backslashes += 1,
                '%' if backslashes % 2 == 0 => {
                    cut = Some(i);
                    break;
                }
                _ => backslashes = 0,
            }
            if c != '\\' {
                backslashes = 0;
            }
        }
        match cut {
            // After a space, the line break is one more space (a soft
            // break, as pandoc reads it); right after a word it would split it.
            Some(i) if line[..i].ends_with([' ', '\t']) => {
                out.push_str(line[..i].trim_end_matches([' ', '\t']));
                if line.ends_with('\n') {
                    out.push('\n');
                }
            }
            Some(i) => {
                out.push_str(&line[..i]);
                skip_indent = lines.peek().is_some();
            }
            None => out.push_str(line),
        }
    }
    out
}

/// A float being read: the caption and label found in it.
#[derive(Default)]
struct Float {
    /// Short and long caption.
    caption: Option<(Option<Vec<Inline>>, Vec<Inline>)>,
    label: Option<String>,
}

struct Reader<'l> {
    labels: &'l mut Labels,
    guillemet: Option<SpaceKind>,
    /// The floats being read, innermost last: `\caption` and `\label` go
    /// to the last one.
    floats: Vec<Float>,
    /// A `\ref` named a label not met yet.
    unresolved: bool,
    /// A `\chapter` is in the block: sections are one level down.
    chapters: bool,
}

/// Where a block construct starts, found by [`Reader::blocks`].
enum Construct {
    BlankLine(usize),
    Env { name: String, next: usize },
    Section { level: i64, next: usize },
    Par(usize),
}

impl<'l> Reader<'l> {
    fn new(labels: &'l mut Labels, guillemet: Option<SpaceKind>, src: &str) -> Self {
        Reader {
            labels,
            guillemet,
            floats: Vec::new(),
            unresolved: false,
            chapters: src.contains("\\chapter"),
        }
    }

    /// Reads blocks: paragraphs between blank lines, environments and
    /// sectioning commands.
    fn blocks(&mut self, tex: Tex<'_>) -> Vec<Block> {
        stacker::maybe_grow(RED_ZONE, NEW_STACK, || self.blocks_here(tex))
    }

    fn blocks_here(&mut self, tex: Tex<'_>) -> Vec<Block> {
        let chars = tex.chars;
        let mut out = Vec::new();
        let mut start = 0;
        let mut i = 0;
        while i < chars.len() {
            let Some((construct, at)) = self.construct_at(tex, i) else {
                i = match chars[i] {
                    '{' => tex.group_end(i).map_or(i + 1, |e| e + 1),
                    '\\' => i + 2,
                    _ => i + 1,
                };
                continue;
            };
            self.paragraph(tex.slice(start..at), &mut out);
            start = match construct {
                Construct::BlankLine(next) | Construct::Par(next) => next,
                Construct::Env { name, next } => self.environment(tex, &name, at..next, &mut out),
                Construct::Section { level, next } => self.section(tex, level, next, &mut out),
            };
            i = start;
        }
        self.paragraph(tex.slice(start..chars.len()), &mut out);
        out
    }

    /// The block construct starting at `i`, if any, and where it starts.
    fn construct_at(&self, tex: Tex<'_>, i: usize) -> Option<(Construct, usize)> {
        let chars = tex.chars;
        match chars[i] {
            '\n' => {
                let mut j = i + 1;
                while j < chars.len() && matches!(chars[j], ' ' | '\t' | '\r') {
                    j += 1;
                }
                (chars.get(j) == Some(&'\n')).then(|| {
                    while j < chars.len() && chars[j].is_whitespace() {
                        j += 1;
                    }
                    (Construct::BlankLine(j), i)
                })
            }
            '\\' => {
                let (name, after) = command_name(chars, i)?;
                let name = name.as_str();
                if name == "begin" {
                    let (arg, next) = required_arg(tex, after)?;
                    let name: String = chars[arg].iter().collect();
                    return Some((Construct::Env { name, next }, i));
                }
                if name == "par" {
                    return Some((Construct::Par(after), i));
                }
                let &(_, level) = SECTIONS.iter().find(|(n, _)| *n == name)?;
                // Without its title, not a heading: an unknown command.
                let mut j = after;
                if chars.get(j) == Some(&'*') {
                    j += 1;
                }
                if let Some((_, a)) = optional_arg(tex, j) {
                    j = a;
                }
                required_arg(tex, j)?;
                let level = if self.chapters && !matches!(name, "chapter" | "part") {
                    level + 1
                } else {
                    level
                };
                Some((Construct::Section { level, next: after }, i))
            }
            _ => None,
        }
    }

    /// A paragraph of inline text (nothing when it holds only spaces or
    /// layout commands); only images in a float make a `Plain`, as pandoc
    /// does.
    fn paragraph(&mut self, tex: Tex<'_>, out: &mut Vec<Block>) {
        let ils = trim_spaces(self.inlines(tex));
        if ils.is_empty() {
            return;
        }
        let images_only = ils.iter().all(|il| {
            matches!(
                il,
                Inline::Image(..) | Inline::Space | Inline::SoftBreak | Inline::LineBreak
            )
        });
        if images_only && !self.floats.is_empty() {
            out.push(Block::Plain(ils));
        } else {
            out.push(Block::Para(ils));
        }
    }

    /// `\section*[short]{title}\label{id}` at `next` (after the name).
    fn section(&mut self, tex: Tex<'_>, level: i64, next: usize, out: &mut Vec<Block>) -> usize {
        let chars = tex.chars;
        let mut i = next;
        let starred = chars.get(i) == Some(&'*');
        if starred {
            i += 1;
        }
        if let Some((_, after)) = optional_arg(tex, i) {
            i = after;
        }
        let Some((title, after)) = required_arg(tex, i) else {
            return next; // never: `construct_at` checked the title
        };
        let inlines = trim_spaces(self.inlines(tex.slice(title)));
        let mut end = after;
        let mut id = None;
        let j = skip_spaces(chars, after);
        if let Some((_, label_at)) = command_name(chars, j).filter(|(n, _)| n == "label") {
            if let Some((label, after_label)) = required_arg(tex, label_at) {
                id = Some(chars[label].iter().collect::<String>());
                end = after_label;
            }
        }
        let id = id.unwrap_or_else(|| identifier(&ast::stringify(&inlines)));
        self.labels.text.insert(id.clone(), inlines.clone());
        let classes = if starred {
            vec!["unnumbered".to_string()]
        } else {
            vec![]
        };
        out.push(Block::Header(
            level,
            Attr {
                id,
                classes,
                attributes: vec![],
            },
            inlines,
        ));
        end
    }

    /// The environment `name` whose `\begin{name}` ends at `next`; returns
    /// The environment `name` whose `\begin{name}` spans `begin`; returns
    /// where the text after its `\end{name}` starts.
    fn environment(
        &mut self,
        tex: Tex<'_>,
        name: &str,
        begin: Range<usize>,
        out: &mut Vec<Block>,
    ) -> usize {
        let chars = tex.chars;
        let next = begin.end;
        let begin = begin.start;
        let Some((body_end, after)) = env_end(chars, next, name) else {
            // Never closed: the rest stays raw.
            out.push(raw_block(chars[begin..].iter().collect()));
            return chars.len();
        };
        let whole = || raw_block(chars[begin..after].iter().collect());
        match name {
            "figure" | "figure*" | "sidewaysfigure" | "sidewaysfigure*" | "wrapfigure" => {
                let body = skip_env_args(tex, next, name).min(body_end);
                let (blocks, float) = self.float(tex.slice(body..body_end));
                let classes = if name.starts_with("sideways") {
                    vec!["sideways".to_string()]
                } else {
                    vec![]
                };
                let mut fig = figure(float, classes, blocks, self);
                // The placement, as pandoc keeps it for its LaTeX writer.
                if let (Block::Figure(attr, ..), Some((placement, _))) = (
                    &mut fig,
                    optional_arg(tex, next).filter(|_| name != "wrapfigure"),
                ) {
                    let placement: String = chars[placement].iter().collect();
                    attr.attributes
                        .push(("latex-placement".into(), placement.trim().to_string()));
                }
                out.push(fig);
            }
            "table" | "table*" | "sidewaystable" => {
                let body = skip_env_args(tex, next, name).min(body_end);
                let (mut blocks, float) = self.float(tex.slice(body..body_end));
                let tables = blocks
                    .iter()
                    .filter(|b| matches!(b, Block::Table(_)))
                    .count();
                if tables == 1 {
                    let label = float.label.clone().unwrap_or_default();
                    if let Some((short, long)) = float.caption {
                        if let Some(Block::Table(t)) =
                            blocks.iter_mut().find(|b| matches!(b, Block::Table(_)))
                        {
                            self.remember(&label, &long);
                            t.caption = Caption(short, vec![Block::Plain(long)]);
                        }
                    }
                    if label.is_empty() {
                        out.extend(blocks);
                    } else {
                        out.push(Block::Div(
                            Attr {
                                id: label,
                                ..Attr::default()
                            },
                            blocks,
                        ));
                    }
                } else {
                    out.push(figure(float, vec![], blocks, self));
                }
            }
            "center" | "flushleft" | "flushright" => {
                let align = match name {
                    "center" => "center",
                    "flushleft" => "left",
                    _ => "right",
                };
                let blocks = self.blocks(tex.slice(next..body_end));
                out.push(Block::Div(
                    Attr {
                        id: String::new(),
                        classes: vec![name.to_string()],
                        attributes: vec![("style".into(), format!("text-align: {align}"))],
                    },
                    blocks,
                ));
            }
            "minipage" => {
                let mut i = next;
                if let Some((_, a)) = optional_arg(tex, i) {
                    i = a;
                }
                let Some((width, body)) = required_arg(tex, i).filter(|(_, b)| *b <= body_end)
                else {
                    out.push(whole());
                    return after;
                };
                let width: String = chars[width].iter().collect();
                let style = format!(
                    "display: inline-block; vertical-align: top; width: {}",
                    css_length(&width)
                );
                let inner = if self.floats.is_empty() {
                    self.blocks(tex.slice(body..body_end))
                } else {
                    // A minipage in a float may have its own caption.
                    let (blocks, float) = self.float(tex.slice(body..body_end));
                    if float.caption.is_some() {
                        vec![figure(float, vec![], blocks, self)]
                    } else {
                        if let Some(label) = float.label {
                            if let Some(outer) = self.floats.last_mut() {
                                outer.label.get_or_insert(label);
                            }
                        }
                        blocks
                    }
                };
                out.push(Block::Div(
                    Attr {
                        id: String::new(),
                        classes: vec!["minipage".into()],
                        attributes: vec![("style".into(), style)],
                    },
                    inner,
                ));
            }
            "itemize" | "enumerate" | "description" => {
                let body = skip_env_args(tex, next, name).min(body_end);
                let items = self.items(tex.slice(body..body_end));
                out.push(match name {
                    "itemize" => Block::BulletList(items.into_iter().map(|(_, b)| b).collect()),
                    "enumerate" => Block::OrderedList(
                        ListAttributes::default(),
                        items.into_iter().map(|(_, b)| b).collect(),
                    ),
                    _ => Block::DefinitionList(
                        items
                            .into_iter()
                            .map(|(term, b)| (term.unwrap_or_default(), vec![b]))
                            .collect(),
                    ),
                });
            }
            "quote" | "quotation" => {
                out.push(Block::BlockQuote(self.blocks(tex.slice(next..body_end))));
            }
            "tabular" | "tabular*" | "tabularx" => match self.tabular(tex, name, next, body_end) {
                Some(table) => out.push(table),
                None => out.push(whole()),
            },
            _ => out.push(whole()),
        }
        after
    }

    /// Reads the body of a float, collecting its caption and label.
    fn float(&mut self, tex: Tex<'_>) -> (Vec<Block>, Float) {
        self.floats.push(Float::default());
        let blocks = self.blocks(tex);
        let float = self.floats.pop().unwrap_or_default();
        (blocks, float)
    }

    fn remember(&mut self, label: &str, text: &[Inline]) {
        if !label.is_empty() {
            self.labels.text.insert(label.to_string(), text.to_vec());
        }
    }

    /// The items of a list: the optional `[term]` and the blocks of each
    /// `\item`.
    fn items(&mut self, tex: Tex<'_>) -> Vec<(Option<Vec<Inline>>, Vec<Block>)> {
        let chars = tex.chars;
        let mut starts = Vec::new();
        let mut i = 0;
        while i < chars.len() {
            match chars[i] {
                '{' => i = tex.group_end(i).map_or(i + 1, |e| e + 1),
                '\\' => match command_at(chars, i).as_ref().map(|(n, a)| (&**n, *a)) {
                    Some(("item", after)) => {
                        starts.push((i, after));
                        i = after;
                    }
                    Some(("begin", after)) => i = past_environment(tex, chars, after),
                    Some((_, after)) => i = after,
                    None => i += 2,
                },
                _ => i += 1,
            }
        }
        let mut items = Vec::new();
        for (k, &(_, after)) in starts.iter().enumerate() {
            let end = starts.get(k + 1).map_or(chars.len(), |&(s, _)| s);
            let mut body = after;
            let mut term = None;
            let j = skip_spaces(chars, after);
            if let Some((t, a)) = optional_arg(tex, j).filter(|(_, a)| *a <= end) {
                term = Some(trim_spaces(self.inlines(tex.slice(t))));
                body = a;
            }
            items.push((term, self.blocks(tex.slice(body..end))));
        }
        items
    }

    /// A `tabular` whose `\begin{...}` ends at `next` and body at `end`.
    fn tabular(&mut self, tex: Tex<'_>, name: &str, next: usize, end: usize) -> Option<Block> {
        let chars = tex.chars;
        let mut i = next;
        if name != "tabular" {
            i = required_arg(tex, i)?.1; // the width
        }
        if let Some((_, a)) = optional_arg(tex, i) {
            i = a;
        }
        let (spec, body) = required_arg(tex, i).filter(|(_, b)| *b <= end)?;
        let aligns = column_aligns(tex.slice(spec));
        let mut rows: Vec<Row> = Vec::new();
        // Whether a rule follows each row: the first row is the head when
        // one does and more rows follow, as pandoc reads it.
        let mut rule_after: Vec<bool> = Vec::new();
        for row in split_top_level(tex.slice(body..end), Split::Rows) {
            let row = body + row.start..body + row.end;
            let (row, rule_before) = strip_rules(tex, row);
            if rule_before {
                if let Some(last) = rule_after.last_mut() {
                    *last = true;
                }
            }
            let cells_src = split_top_level(tex.slice(row.clone()), Split::Cells);
            let blank = cells_src.len() == 1
                && chars[row.start + cells_src[0].start..row.start + cells_src[0].end]
                    .iter()
                    .all(|c| c.is_whitespace());
            if blank {
                continue;
            }
            let mut cells = Vec::new();
            for cell in cells_src {
                let cell = row.start + cell.start..row.start + cell.end;
                cells.push(self.cell(tex, cell));
            }
            rows.push(Row(Attr::default(), cells));
            rule_after.push(false);
        }
        if rows.is_empty() {
            return None;
        }
        let head = if rows.len() > 1 && rule_after[0] {
            vec![rows.remove(0)]
        } else {
            vec![]
        };
        Some(Block::Table(Box::new(Table {
            attr: Attr::default(),
            caption: Caption::default(),
            colspecs: aligns
                .into_iter()
                .map(|a| ColSpec(a, ColWidth::ColWidthDefault))
                .collect(),
            head: TableHead(Attr::default(), head),
            bodies: vec![TableBody(Attr::default(), 0, vec![], rows)],
            foot: TableFoot(Attr::default(), vec![]),
        })))
    }

    /// One cell: `\multicolumn{n}{spec}{text}` or text.
    fn cell(&mut self, tex: Tex<'_>, range: Range<usize>) -> Cell {
        let chars = tex.chars;
        let j = skip_spaces(chars, range.start);
        if let Some((_, after)) = command_name(chars, j).filter(|(n, _)| n == "multicolumn") {
            let parsed = required_arg(tex, after).and_then(|(n, a)| {
                let (spec, a) = required_arg(tex, a)?;
                let (text, _) = required_arg(tex, a)?;
                let n: String = chars[n].iter().collect();
                Some((n.trim().parse::<i64>().ok()?, spec, text))
            });
            if let Some((n, spec, text)) = parsed {
                let align = column_aligns(tex.slice(spec))
                    .first()
                    .copied()
                    .unwrap_or(Alignment::AlignDefault);
                let content = self.cell_blocks(tex.slice(text));
                return Cell(Attr::default(), align, 1, n.max(1), content);
            }
        }
        let content = self.cell_blocks(tex.slice(range));
        Cell(Attr::default(), Alignment::AlignDefault, 1, 1, content)
    }

    fn cell_blocks(&mut self, tex: Tex<'_>) -> Vec<Block> {
        let ils = trim_spaces(self.inlines(tex));
        if ils.is_empty() {
            vec![]
        } else {
            vec![Block::Plain(ils)]
        }
    }

    /// Reads inline text: commands, groups, math, text.
    fn inlines(&mut self, tex: Tex<'_>) -> Vec<Inline> {
        stacker::maybe_grow(RED_ZONE, NEW_STACK, || self.inlines_here(tex))
    }

    fn inlines_here(&mut self, tex: Tex<'_>) -> Vec<Inline> {
        let chars = tex.chars;
        let mut closing_quotes = NextPair::new(['\'', '\'']);
        let mut closing_math = NextPair::new(['\\', ')']);
        let mut blocked: Option<(usize, usize)> = None;
        let mut out: Vec<Inline> = Vec::new();
        let mut text = String::new();
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            match c {
                '\\' => {
                    if let Some((name, after)) = command_name(chars, i) {
                        flush_text(&mut text, &mut out);
                        i = self.command(tex, i, &name, after, &mut out);
                        continue;
                    }
                    let Some(&n) = chars.get(i + 1) else {
                        i += 1;
                        continue;
                    };
                    match n {
                        ',' | ';' | ':' => text.push(NNBSP),
                        ' ' | '\n' | '\t' => text.push(' '),
                        '\\' => {
                            flush_text(&mut text, &mut out);
                            out.push(Inline::LineBreak);
                            let mut j = i + 2;
                            if chars.get(j) == Some(&'*') {
                                j += 1;
                            }
                            if let Some((_, a)) = optional_arg(tex, j) {
                                j = a;
                            }
                            // The line break ends the line: its spaces go.
                            i = skip_spaces(chars, j);
                            continue;
                        }
                        '-' | '/' => {}
                        '(' => {
                            if let Some(end) = closing_math.next_from(chars, i + 2) {
                                flush_text(&mut text, &mut out);
                                let math: String = chars[i + 2..end].iter().collect();
                                out.push(Inline::Math(MathType::InlineMath, math));
                                i = end + 2;
                                continue;
                            }
                            text.push('(');
                        }
                        n if "&%$#_{}".contains(n) => text.push(n),
                        n => {
                            // A control symbol we do not know.
                            flush_text(&mut text, &mut out);
                            out.push(raw_inline(format!("\\{n}")));
                        }
                    }
                    i += 2;
                }
                '~' => {
                    text.push(NBSP);
                    i += 1;
                }
                '{' => match tex.group_end(i) {
                    Some(end) => {
                        flush_text(&mut text, &mut out);
                        let inner = self.inlines(tex.slice(i + 1..end));
                        out.extend(inner);
                        i = end + 1;
                    }
                    None => i += 1,
                },
                '}' => i += 1,
                '$' => {
                    let end = chars[i + 1..]
                        .iter()
                        .position(|&x| x == '$')
                        .map(|p| i + 1 + p)
                        .filter(|&e| e > i + 1 && chars[e - 1] != '\\');
                    match end {
                        Some(end) => {
                            flush_text(&mut text, &mut out);
                            let math: String = chars[i + 1..end].iter().collect();
                            out.push(Inline::Math(MathType::InlineMath, math));
                            i = end + 1;
                        }
                        None => {
                            text.push('$');
                            i += 1;
                        }
                    }
                }
                '`' if chars.get(i + 1) == Some(&'`') => {
                    let end = closing_quotes.next_from(chars, i + 2).filter(|&e| {
                        // An opening before the `}` that stopped the last
                        // one stops there too: not looked at again.
                        if blocked.is_some_and(|(be, bf)| be == e && i < bf) {
                            return false;
                        }
                        match tex.same_level(i, e) {
                            Ok(()) => true,
                            Err(f) => {
                                blocked = Some((e, f));
                                false
                            }
                        }
                    });
                    match end {
                        Some(end) => {
                            flush_text(&mut text, &mut out);
                            let inner = self.inlines(tex.slice(i + 2..end));
                            out.push(Inline::Quoted(QuoteType::DoubleQuote, inner));
                            i = end + 2;
                        }
                        None => {
                            text.push('\u{201c}');
                            i += 2;
                        }
                    }
                }
                '\'' if chars.get(i + 1) == Some(&'\'') => {
                    text.push('\u{201d}');
                    i += 2;
                }
                c => {
                    text.push(c);
                    i += 1;
                }
            }
        }
        flush_text(&mut text, &mut out);
        let out = resolve_guillemets(out, self.guillemet);
        merge_strs(out)
    }

    /// The command `\name` at `start`, whose name ends at `after`; pushes
    /// its nodes and returns where the text after it starts.
    fn command(
        &mut self,
        tex: Tex<'_>,
        start: usize,
        name: &str,
        after: usize,
        out: &mut Vec<Inline>,
    ) -> usize {
        let chars = tex.chars;
        // A control word ends at the spaces after it.
        let word_end = || skip_spaces_in_line(chars, after);
        if let Some(&(_, n)) = LAYOUT.iter().find(|(l, _)| *l == name) {
            // Horizontal space still separates the words around it.
            if matches!(name, "hfill" | "hspace" | "hfil")
                && !matches!(out.last(), Some(Inline::Space | Inline::SoftBreak))
            {
                out.push(Inline::Space);
            }
            let mut i = after;
            if chars.get(i) == Some(&'*') {
                i += 1;
            }
            if let Some((_, a)) = optional_arg(tex, i) {
                i = a;
            }
            for _ in 0..n {
                match required_arg(tex, i) {
                    Some((_, a)) => i = a,
                    None => break,
                }
            }
            return if n == 0 { word_end().max(i) } else { i };
        }
        match name {
            "emph" | "textit" | "textbf" | "underline" | "textsc" | "textsf" | "textrm"
            | "textup" | "textmd" | "mbox" | "enquote" | "textsuperscript" | "textsubscript" => {
                let Some((arg, next)) = required_arg(tex, after) else {
                    return self.unknown(tex, start, after, out);
                };
                let inner = self.inlines(tex.slice(arg));
                match name {
                    "emph" | "textit" => out.push(Inline::Emph(inner)),
                    "textbf" => out.push(Inline::Strong(inner)),
                    "underline" => out.push(Inline::Underline(inner)),
                    "textsc" => out.push(Inline::SmallCaps(inner)),
                    "enquote" => out.push(Inline::Quoted(QuoteType::DoubleQuote, inner)),
                    "textsuperscript" => out.push(Inline::Superscript(inner)),
                    "textsubscript" => out.push(Inline::Subscript(inner)),
                    // Only a font or a box: the text.
                    _ => out.extend(inner),
                }
                next
            }
            "texttt" => {
                let Some((arg, next)) = required_arg(tex, after) else {
                    return self.unknown(tex, start, after, out);
                };
                out.push(Inline::Code(Box::default(), unescape_tex(&chars[arg])));
                next
            }
            "og" | "fg" => {
                let mut j = after;
                if chars.get(j) == Some(&'{') && chars.get(j + 1) == Some(&'}') {
                    j += 2;
                } else {
                    j = word_end();
                }
                let marker = if name == "og" { OG } else { FG };
                out.push(Inline::RawInline(Format(marker.into()), String::new()));
                j
            }
            "thinspace" | "nobreakspace" | "ldots" | "dots" | "LaTeX" | "TeX" | "textbackslash"
            | "textasciitilde" | "slash" | "quad" | "qquad" => {
                let text = match name {
                    "thinspace" => NNBSP.to_string(),
                    "nobreakspace" => NBSP.to_string(),
                    "ldots" | "dots" => "\u{2026}".into(),
                    "textbackslash" => "\\".into(),
                    "textasciitilde" => "~".into(),
                    "slash" => "/".into(),
                    "quad" | "qquad" => {
                        out.push(Inline::Space);
                        return self.swallow_braces(chars, after);
                    }
                    _ => name.to_string(),
                };
                out.push(Inline::Str(text));
                if chars.get(after) == Some(&'{') && chars.get(after + 1) == Some(&'}') {
                    after + 2
                } else if matches!(name, "thinspace" | "nobreakspace") {
                    word_end()
                } else {
                    after
                }
            }
            "ref" | "autoref" | "pageref" | "cref" | "Cref" | "nameref" => {
                let Some((arg, next)) = required_arg(tex, after) else {
                    return self.unknown(tex, start, after, out);
                };
                let label: String = chars[arg].iter().collect();
                let kind = match name {
                    "ref" | "nameref" => "ref",
                    "autoref" | "cref" => "ref+label",
                    "Cref" => "ref+Label",
                    _ => "ref+page",
                };
                let text = match self.labels.text.get(&label) {
                    Some(text) => text.clone(),
                    None => {
                        self.unresolved = true;
                        vec![Inline::Str(format!("[{label}]"))]
                    }
                };
                out.push(Inline::Link(
                    Box::new(Attr {
                        id: String::new(),
                        classes: vec![],
                        attributes: vec![
                            ("reference-type".into(), kind.into()),
                            ("reference".into(), label.clone()),
                        ],
                    }),
                    text,
                    Box::new(Target {
                        url: format!("#{label}"),
                        title: String::new(),
                    }),
                ));
                next
            }
            "label" => {
                let Some((arg, next)) = required_arg(tex, after) else {
                    return self.unknown(tex, start, after, out);
                };
                let label: String = chars[arg].iter().collect();
                match self.floats.last_mut() {
                    Some(float) if float.label.is_none() => {
                        float.label = Some(label);
                    }
                    _ => {
                        out.push(Inline::Span(
                            Box::new(Attr {
                                id: label.clone(),
                                classes: vec![],
                                attributes: vec![("label".into(), label)],
                            }),
                            vec![],
                        ));
                    }
                }
                next
            }
            "caption" => {
                let mut i = after;
                let mut short = None;
                if let Some((s, a)) = optional_arg(tex, i) {
                    short = Some(trim_spaces(self.inlines(tex.slice(s))));
                    i = a;
                }
                let Some((arg, next)) = required_arg(tex, i) else {
                    return self.unknown(tex, start, after, out);
                };
                let long = trim_spaces(self.inlines(tex.slice(arg)));
                match self.floats.last_mut() {
                    Some(float) if float.caption.is_none() => float.caption = Some((short, long)),
                    Some(float) => {
                        // A second caption in the same float: its text
                        // follows the first.
                        if let Some((_, first)) = &mut float.caption {
                            first.push(Inline::LineBreak);
                            first.extend(long);
                        }
                    }
                    None => out.extend(long),
                }
                next
            }
            "footnote" => {
                let mut i = after;
                if let Some((_, a)) = optional_arg(tex, i) {
                    i = a;
                }
                let Some((arg, next)) = required_arg(tex, i) else {
                    return self.unknown(tex, start, after, out);
                };
                // A float's caption and label do not reach into its notes.
                let floats = std::mem::take(&mut self.floats);
                let blocks = self.blocks(tex.slice(arg));
                self.floats = floats;
                out.push(Inline::Note(blocks));
                next
            }
            "href" => {
                let parsed = required_arg(tex, after)
                    .and_then(|(url, a)| Some((url, required_arg(tex, a)?)));
                let Some((url, (text, next))) = parsed else {
                    return self.unknown(tex, start, after, out);
                };
                let url = unescape_url(&chars[url]);
                let text = self.inlines(tex.slice(text));
                out.push(Inline::Link(
                    Box::default(),
                    text,
                    Box::new(Target {
                        url,
                        title: String::new(),
                    }),
                ));
                next
            }
            "url" => {
                let Some((url, next)) = required_arg(tex, after) else {
                    return self.unknown(tex, start, after, out);
                };
                let url = unescape_url(&chars[url]);
                out.push(Inline::Link(
                    Box::new(Attr {
                        id: String::new(),
                        classes: vec!["uri".into()],
                        attributes: vec![],
                    }),
                    vec![Inline::Str(url.clone())],
                    Box::new(Target {
                        url,
                        title: String::new(),
                    }),
                ));
                next
            }
            "includegraphics" => {
                let mut i = after;
                if chars.get(i) == Some(&'*') {
                    i += 1;
                }
                let mut attributes = Vec::new();
                if let Some((opts, a)) = optional_arg(tex, i) {
                    attributes = graphics_options(&chars[opts]);
                    i = a;
                }
                let Some((path, next)) = required_arg(tex, i) else {
                    return self.unknown(tex, start, after, out);
                };
                let path: String = chars[path].iter().collect();
                out.push(Inline::Image(
                    Box::new(Attr {
                        id: String::new(),
                        classes: vec![],
                        attributes,
                    }),
                    vec![],
                    Box::new(Target {
                        url: path.trim().to_string(),
                        title: String::new(),
                    }),
                ));
                next
            }
            _ => self.unknown(tex, start, after, out),
        }
    }

    /// `{}` after a control word that takes no argument.
    fn swallow_braces(&self, chars: &[char], after: usize) -> usize {
        if chars.get(after) == Some(&'{') && chars.get(after + 1) == Some(&'}') {
            after + 2
        } else {
            skip_spaces_in_line(chars, after)
        }
    }

    /// A command this reader does not know: raw TeX with its arguments.
    fn unknown(
        &mut self,
        tex: Tex<'_>,
        start: usize,
        after: usize,
        out: &mut Vec<Inline>,
    ) -> usize {
        let chars = tex.chars;
        let mut k = after;
        if chars.get(k) == Some(&'*') {
            k += 1;
        }
        loop {
            let end = match chars.get(k) {
                Some('{') => tex.group_end(k),
                Some('[') => tex.bracket_end(k),
                _ => None,
            };
            match end {
                Some(end) => k = end + 1,
                None => break,
            }
        }
        out.push(raw_inline(chars[start..k].iter().collect()));
        k
    }
}

/// The `Figure` of a float: its label as id, its caption, its blocks.
fn figure(
    float: Float,
    classes: Vec<String>,
    blocks: Vec<Block>,
    reader: &mut Reader<'_>,
) -> Block {
    let id = float.label.unwrap_or_default();
    let caption = match float.caption {
        Some((short, long)) => {
            reader.remember(&id, &long);
            Caption(short, vec![Block::Plain(long)])
        }
        None => Caption::default(),
    };
    Block::Figure(
        Attr {
            id,
            classes,
            attributes: vec![],
        },
        caption,
        blocks,
    )
}

fn raw_block(text: String) -> Block {
    Block::RawBlock(Format("latex".into()), text)
}

fn raw_inline(text: String) -> Inline {
    Inline::RawInline(Format("latex".into()), text)
}

/// Turns a run of LaTeX text into `Str`, `Space` and `SoftBreak`, with
/// TeX's ligatures for dashes and quotes.
fn flush_text(text: &mut String, out: &mut Vec<Inline>) {
    if text.is_empty() {
        return;
    }
    let mut word = String::new();
    let mut space: Option<bool> = None; // Some(true): a line break in it
    let push_space = |out: &mut Vec<Inline>, newline: bool| {
        out.push(if newline {
            Inline::SoftBreak
        } else {
            Inline::Space
        })
    };
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() && c != NBSP && c != NNBSP {
            if !word.is_empty() {
                out.push(Inline::Str(std::mem::take(&mut word)));
            }
            let newline = c == '\n';
            space = Some(space.unwrap_or(false) || newline);
            i += 1;
            continue;
        }
        if let Some(newline) = space.take() {
            if !matches!(out.last(), Some(Inline::Space | Inline::SoftBreak)) {
                push_space(out, newline);
            }
        }
        match c {
            '-' if chars.get(i + 1) == Some(&'-') => {
                if chars.get(i + 2) == Some(&'-') {
                    word.push('\u{2014}');
                    i += 3;
                } else {
                    word.push('\u{2013}');
                    i += 2;
                }
                continue;
            }
            '\'' => word.push('\u{2019}'),
            '`' => word.push('\u{2018}'),
            c => word.push(c),
        }
        i += 1;
    }
    if !word.is_empty() {
        out.push(Inline::Str(word));
    }
    if let Some(newline) = space {
        if !matches!(out.last(), Some(Inline::Space | Inline::SoftBreak)) {
            push_space(out, newline);
        }
    }
    text.clear();
}

/// Without the spaces and line breaks at both ends.
fn trim_spaces(mut ils: Vec<Inline>) -> Vec<Inline> {
    while matches!(
        ils.last(),
        Some(Inline::Space | Inline::SoftBreak | Inline::LineBreak)
    ) {
        ils.pop();
    }
    let lead = ils
        .iter()
        .take_while(|il| matches!(il, Inline::Space | Inline::SoftBreak))
        .count();
    ils.drain(..lead);
    ils
}

/// The name of the control word at `i` (a `\` and letters) and where it ends.
fn command_name(chars: &[char], i: usize) -> Option<(String, usize)> {
    if chars.get(i) != Some(&'\\') {
        return None;
    }
    let mut j = i + 1;
    while j < chars.len() && chars[j].is_ascii_alphabetic() {
        j += 1;
    }
    (j > i + 1).then(|| (chars[i + 1..j].iter().collect(), j))
}

/// [`command_name`] with the name borrowed, for matching.
fn command_at(chars: &[char], i: usize) -> Option<(Box<str>, usize)> {
    command_name(chars, i).map(|(n, a)| (n.into_boxed_str(), a))
}

impl Tex<'_> {
    /// `Ok` when `a` and `b` are in the same group, else where the group
    /// of `a` ends or one that holds `b` starts.
    fn same_level(self, a: usize, b: usize) -> Result<(), usize> {
        let mut i = a;
        while i < b {
            match self.chars[i] {
                '\\' => i += 2,
                '{' => match self.group_end(i) {
                    Some(e) if e < b => i = e + 1,
                    _ => return Err(i),
                },
                '}' => return Err(i),
                _ => i += 1,
            }
        }
        Ok(())
    }
}

fn skip_spaces(chars: &[char], mut i: usize) -> usize {
    while i < chars.len() && chars[i].is_whitespace() {
        i += 1;
    }
    i
}

/// The spaces after a control word, up to one line break (a blank line
/// still ends the paragraph).
fn skip_spaces_in_line(chars: &[char], mut i: usize) -> usize {
    let mut newlines = 0;
    while i < chars.len() && chars[i].is_whitespace() {
        if chars[i] == '\n' {
            newlines += 1;
            if newlines > 1 {
                break;
            }
        }
        i += 1;
    }
    i
}

/// A `{...}` argument after optional spaces: its inside and what follows.
fn required_arg(tex: Tex<'_>, i: usize) -> Option<(Range<usize>, usize)> {
    let j = skip_spaces_in_line(tex.chars, i);
    let end = tex.group_end(j)?;
    Some((j + 1..end, end + 1))
}

/// A `[...]` argument right after `i` (spaces allowed): its inside and
/// what follows.
fn optional_arg(tex: Tex<'_>, i: usize) -> Option<(Range<usize>, usize)> {
    let j = skip_spaces_in_line(tex.chars, i);
    let end = tex.bracket_end(j)?;
    Some((j + 1..end, end + 1))
}

/// After `\begin{name}` (ending at `next`), the body's start: past the
/// environment's own arguments.
fn skip_env_args(tex: Tex<'_>, next: usize, name: &str) -> usize {
    let mut i = next;
    if let Some((_, a)) = optional_arg(tex, i) {
        i = a;
    }
    if name == "wrapfigure" {
        if let Some((_, a)) = required_arg(tex, i) {
            i = a;
        }
        if let Some((_, a)) = required_arg(tex, i) {
            i = a;
        }
    }
    i
}

/// Where scanning goes on after `\begin{name}` whose name starts at
/// `after`: past its `\end{name}`, or just past `\begin` when it has none.
fn past_environment(tex: Tex<'_>, chars: &[char], after: usize) -> usize {
    required_arg(tex, after)
        .and_then(|(arg, next)| {
            let name: String = chars[arg].iter().collect();
            env_end(chars, next, &name).map(|(_, a)| a)
        })
        .unwrap_or(after)
}

/// The `\end{name}` matching a `\begin{name}` that ends at `from`: where
/// it starts and where it ends.
fn env_end(chars: &[char], from: usize, name: &str) -> Option<(usize, usize)> {
    let begin: Vec<char> = format!("begin{{{name}}}").chars().collect();
    let end: Vec<char> = format!("end{{{name}}}").chars().collect();
    let mut depth = 1;
    let mut i = from;
    while i < chars.len() {
        if chars[i] == '\\' {
            let rest = &chars[i + 1..];
            if rest.starts_with(&begin) {
                depth += 1;
                i += 1 + begin.len();
                continue;
            }
            if rest.starts_with(&end) {
                depth -= 1;
                if depth == 0 {
                    return Some((i, i + 1 + end.len()));
                }
                i += 1 + end.len();
                continue;
            }
            i += 2;
            continue;
        }
        i += 1;
    }
    None
}

/// The next place of two characters (`''`, `\)`) after positions that
/// only grow, as a reading goes: each character is looked at once, so
/// many openings without a closing stay linear.
struct NextPair {
    pair: [char; 2],
    /// The last answer: `Some(None)` for none after where it looked from.
    found: Option<Option<usize>>,
}

impl NextPair {
    fn new(pair: [char; 2]) -> Self {
        NextPair { pair, found: None }
    }

    fn next_from(&mut self, chars: &[char], from: usize) -> Option<usize> {
        match self.found {
            Some(None) => return None,
            Some(Some(e)) if e >= from => return Some(e),
            _ => {}
        }
        let e = (from..chars.len().saturating_sub(1))
            .find(|&k| chars[k] == self.pair[0] && chars[k + 1] == self.pair[1]);
        self.found = Some(e);
        e
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Split {
    Rows,
    Cells,
}

/// The ranges of `tex` between its top-level `\\` (rows) or `&` (cells):
/// not inside a group or an environment.
fn split_top_level(tex: Tex<'_>, by: Split) -> Vec<Range<usize>> {
    let chars = tex.chars;
    let mut parts = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '{' => i = tex.group_end(i).map_or(i + 1, |e| e + 1),
            '\\' if chars.get(i + 1) == Some(&'\\') => {
                if by == Split::Rows {
                    parts.push(start..i);
                    let mut j = i + 2;
                    if let Some((_, a)) = optional_arg(tex, j) {
                        j = a;
                    }
                    start = j;
                    i = j;
                } else {
                    i += 2;
                }
            }
            '\\' => match command_at(chars, i).as_ref().map(|(n, a)| (&**n, *a)) {
                Some(("begin", after)) => i = past_environment(tex, chars, after),
                Some((_, after)) => i = after,
                None => i += 2,
            },
            '&' if by == Split::Cells => {
                parts.push(start..i);
                start = i + 1;
                i += 1;
            }
            _ => i += 1,
        }
    }
    parts.push(start..chars.len());
    parts
}

/// A row without the rules before it (`\hline`, `\toprule`, `\cline{..}`...):
/// the range left, and whether there was one.
fn strip_rules(tex: Tex<'_>, row: Range<usize>) -> (Range<usize>, bool) {
    let chars = tex.chars;
    let is_rule = |name: &str| {
        matches!(
            name,
            "hline" | "toprule" | "midrule" | "bottomrule" | "cline" | "cmidrule"
        )
    };
    let mut start = row.start;
    let mut before = false;
    loop {
        let j = skip_spaces(chars, start);
        match command_name(chars, j) {
            Some((name, after)) if is_rule(&name) && j < row.end => {
                let mut k = after;
                if chars.get(k) == Some(&'(') {
                    while k < row.end && chars[k] != ')' {
                        k += 1;
                    }
                    k += 1;
                }
                if let Some((_, a)) = required_arg(tex, k).filter(|_| name != "hline") {
                    k = a;
                }
                start = k.min(row.end);
                before = true;
            }
            _ => break,
        }
    }
    (start..row.end, before)
}

/// The alignments of a column specification (`|l|c|r|`, `p{3cm}`, `*{3}{c}`).
fn column_aligns(tex: Tex<'_>) -> Vec<Alignment> {
    let chars = tex.chars;
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            'l' => out.push(Alignment::AlignLeft),
            'c' => out.push(Alignment::AlignCenter),
            'r' => out.push(Alignment::AlignRight),
            'p' | 'm' | 'b' | 'X' => {
                out.push(Alignment::AlignLeft);
                if let Some(end) = tex.group_end(i + 1) {
                    i = end;
                }
            }
            '@' | '>' | '<' | '!' => {
                if let Some(end) = tex.group_end(i + 1) {
                    i = end;
                }
            }
            '*' => {
                let parsed = required_arg(tex, i + 1).and_then(|(n, a)| {
                    let (spec, a) = required_arg(tex, a)?;
                    let n: String = chars[n].iter().collect();
                    Some((n.trim().parse::<usize>().ok()?, spec, a))
                });
                if let Some((n, spec, a)) = parsed {
                    let one = column_aligns(tex.slice(spec));
                    for _ in 0..n.min(100) {
                        out.extend(one.iter().copied());
                    }
                    i = a;
                    continue;
                }
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// pandoc's `width` and `height` attributes from `\includegraphics`
/// options: a fraction of the text width is a percentage, other lengths
/// stay as written.
fn graphics_options(opts: &[char]) -> Vec<(String, String)> {
    let opts: String = opts.iter().collect();
    let mut out = Vec::new();
    for opt in opts.split(',') {
        let Some((key, value)) = opt.split_once('=') else {
            continue;
        };
        let key = key.trim();
        if matches!(key, "width" | "height") {
            out.push((key.to_string(), css_length(value.trim())));
        }
    }
    out
}

/// A TeX length as pandoc writes it in an attribute: `0.8\textwidth` is
/// `80%`, `5cm` stays `5cm`.
fn css_length(length: &str) -> String {
    let length = length.trim();
    for page in PAGE_LENGTHS {
        if let Some(factor) = length.strip_suffix(page) {
            let factor = factor.trim();
            let f = if factor.is_empty() {
                Some(1.0)
            } else {
                factor.parse::<f64>().ok()
            };
            if let Some(f) = f {
                let percent = (f * 10000.0).round() / 100.0;
                return format!("{percent}%");
            }
        }
    }
    length.to_string()
}

/// The target of `\href`/`\url`: TeX escapes undone.
fn unescape_url(chars: &[char]) -> String {
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '\\' && chars.get(i + 1).is_some_and(|n| "#%&_~$".contains(*n)) {
            out.push(chars[i + 1]);
            i += 2;
            continue;
        }
        out.push(chars[i]);
        i += 1;
    }
    out.trim().to_string()
}

/// pandoc's automatic identifier of a heading's text: lowercase, letters,
/// digits, `_-.` kept, spaces become `-`, nothing before the first letter.
fn identifier(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_alphanumeric() || matches!(c, '_' | '-' | '.') {
            out.extend(c.to_lowercase());
        } else if c.is_whitespace() {
            out.push('-');
        }
    }
    let start = out.find(char::is_alphabetic).unwrap_or(out.len());
    let id = out[start..].to_string();
    if id.is_empty() {
        "section".into()
    } else {
        id
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths() {
        assert_eq!(css_length("0.8\\textwidth"), "80%");
        assert_eq!(css_length("\\linewidth"), "100%");
        assert_eq!(css_length(".333\\linewidth"), "33.3%");
        assert_eq!(css_length("5cm"), "5cm");
    }

    #[test]
    fn comments_are_stripped() {
        assert_eq!(strip_comments("a% b\n  c\n50\\% d"), "ac\n50\\% d");
        assert_eq!(strip_comments("a % b\n  c"), "a\n  c");
    }

    /// Pieces of LaTeX, well formed or not, that random sources are made of.
    const PIECES: &[&str] = &[
        "\\begin{figure}",
        "\\end{figure}",
        "\\begin{tabular}{lc}",
        "\\end{tabular}",
        "\\begin{itemize}",
        "\\end{itemize}",
        "\\item",
        "\\item[",
        "]",
        "[",
        "{",
        "}",
        "\\begin{minipage}{0.5\\textwidth}",
        "\\end{minipage}",
        "\\caption{",
        "\\label{x}",
        "\\ref{x}",
        "\\section*{",
        "\\section",
        "&",
        "\\\\",
        "\\hline",
        "\\multicolumn{2}{c}{",
        "~",
        "\\,",
        "``",
        "''",
        "$",
        "\\(",
        "%",
        "\n",
        "\n\n",
        " ",
        "mot",
        "é",
        "\\",
        "\\foo",
        "\\footnote{",
        "\\href{u}{",
        "\\includegraphics[width=",
        "\\og",
        "\\fg{}",
        "\\begin{center}",
        "\\end{center}",
        "\\begin{table}",
        "\\end{table}",
        "\\hfill",
    ];

    proptest::proptest! {
        /// Any arrangement of the pieces reads without a panic.
        #[test]
        fn any_latex_reads_without_panic(picks in proptest::collection::vec(0..PIECES.len(), 0..40)) {
            let src: String = picks.iter().map(|&k| PIECES[k]).collect();
            let mut labels = Labels::default();
            let _ = read_latex_blocks(&src, &mut labels, None);
            let _ = read_latex_inlines(&src, &mut labels, None);
        }
    }

    /// Groups, notes and environments nested thousands of levels deep read
    /// without overflowing the stack of a test thread (the time they take
    /// grows linearly, measured by hand: see the commit message).
    #[test]
    fn deep_nesting_reads() {
        let depth = 20_000;
        let groups = format!("{}x{}", "{".repeat(depth), "}".repeat(depth));
        let blocks = read_latex_blocks(&groups, &mut Labels::default(), None).unwrap();
        assert_eq!(blocks, vec![Block::Para(vec![Inline::Str("x".into())])]);
        let notes = format!("{}x{}", "\\footnote{".repeat(2000), "}".repeat(2000));
        let blocks = read_latex_blocks(&notes, &mut Labels::default(), None).unwrap();
        let mut levels = 0;
        let mut here = &blocks;
        while let [Block::Para(ils)] = here.as_slice() {
            match ils.as_slice() {
                [Inline::Note(inner)] => {
                    levels += 1;
                    here = inner;
                }
                _ => break,
            }
        }
        assert_eq!(levels, 2000);
        let nested = format!(
            "{}x{}",
            "\\begin{quote}".repeat(1000),
            "\\end{quote}".repeat(1000)
        );
        let blocks = read_latex_blocks(&nested, &mut Labels::default(), None).unwrap();
        assert!(matches!(blocks.as_slice(), [Block::BlockQuote(_)]));
    }

    #[test]
    fn identifiers() {
        assert_eq!(identifier("Titre non numéroté"), "titre-non-numéroté");
        assert_eq!(identifier("1. Intro !"), "intro-");
    }
}

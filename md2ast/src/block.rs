//! The block parser: pandoc's Markdown block grammar, line by line.
//!
//! Blocks are parsed first into [`B`], which keeps inline content as source
//! text: reference links and notes may be defined after their use, so inlines
//! are parsed in a second pass (pandoc does the same with its `F` monad).

use std::collections::HashMap;

use ast::{
    Alignment, Attr, ColSpec, ColWidth, Format, ListAttributes, ListNumberDelim, ListNumberStyle,
};

use crate::attr::{
    indent_of, is_blank, is_space, parse_attributes, parse_raw_attribute, split_trailing_attributes,
};
use crate::table;

/// A block whose inline content is still source text.
#[derive(Debug, Clone)]
#[allow(
    clippy::enum_variant_names,
    reason = "BList mirrors pandoc's BulletList, short like OList"
)]
pub(crate) enum B {
    Plain(String),
    Para(String),
    LineBlock(Vec<String>),
    Code(Attr, String),
    Raw(Format, String),
    Quote(Vec<B>),
    OList(ListAttributes, Vec<Vec<B>>),
    BList(Vec<Vec<B>>),
    DefList(Vec<(String, Vec<Vec<B>>)>),
    /// Level, attributes, text, and how many notes were defined before it
    /// (pandoc computes identifiers with only those notes known).
    Header(i64, Attr, String, usize),
    HRule,
    Table(Box<TableIr>),
    Div(Attr, Vec<B>),
}

/// A table cell's content: inline text (pipe tables) or blocks (grid tables).
#[derive(Debug, Clone)]
pub(crate) enum CellIr {
    Inlines(String),
    /// A grid table's cell: its blocks, row span and column span.
    Spanned(Vec<B>, i64, i64),
}

#[derive(Debug, Clone)]
pub(crate) struct TableIr {
    pub caption: Option<(String, Attr)>,
    pub colspecs: Vec<ColSpec>,
    pub head: Vec<Vec<CellIr>>,
    pub rows: Vec<Vec<CellIr>>,
    pub foot: Vec<Vec<CellIr>>,
}

/// A YAML metadata block and the line (0-based, in the whole input) of its first line.
#[derive(Debug, Clone)]
pub(crate) struct YamlBlock {
    pub text: String,
    pub first_line: usize,
}

/// What the block parser collects besides blocks.
#[derive(Debug, Default)]
pub(crate) struct Collected {
    /// Reference definitions by normalized label; the last one wins, as in
    /// pandoc (which warns about the duplicate).
    pub refs: HashMap<String, (String, String, Attr)>,
    /// Note definitions by label.
    pub notes: HashMap<String, Vec<B>>,
    /// Note labels in the order of their definitions.
    pub note_order: HashMap<String, usize>,
    pub yaml: Vec<YamlBlock>,
    /// Example list labels (`(@label)`) and their numbers.
    pub examples: HashMap<String, i64>,
    /// Examples numbered so far: example lists continue the numbering.
    pub example_count: i64,
    /// The extensions read.
    pub ext: crate::Extensions,
    /// `--strip-comments`: HTML comments are dropped.
    pub strip_comments: bool,
    /// The pandoc title block (`% title`, `% authors`, `% date`), if any.
    pub title_block: Option<TitleBlock>,
}

impl Collected {
    pub(crate) fn new(options: &crate::ReadOptions) -> Self {
        Collected {
            ext: options.extensions,
            strip_comments: options.strip_comments,
            ..Collected::default()
        }
    }
}

/// A pandoc title block's lines as text: each is `None` when empty.
#[derive(Debug, Clone, Default)]
pub(crate) struct TitleBlock {
    pub title: Option<String>,
    /// `None` without a second line; each author as written, maybe empty.
    pub authors: Option<Vec<String>>,
    pub date: Option<String>,
}

#[derive(Clone, Copy, Default)]
struct Ctx {
    in_list: bool,
    div_level: usize,
    html_div: usize,
    top: bool,
}

pub(crate) struct BlockParser<'c> {
    pub col: &'c mut Collected,
    depth: usize,
    /// Bytes that list items may still re-read: each level of nesting
    /// reads its item's lines again, so a list nested thousands of levels
    /// deep over a large text would read it thousands of times. Past this
    /// budget (a few dozen times the document), deeper items are read as
    /// text, as beyond `MAX_DEPTH`.
    reread_budget: usize,
    /// Closers known to be absent: (lines' address, closer, first line
    /// from which it never occurs), so that many unclosed openers cost one
    /// scan of the document, not one each.
    no_closer: Vec<(usize, &'static str, usize)>,
}

/// Nesting deeper than this is read as plain text, so that no input can
/// exhaust the stack.
const MAX_DEPTH: usize = 200;

/// Nesting depth up to which an HTML div left open still closes at the end
/// of its container (deeper ones stay raw HTML): each copies the rest of
/// the container, so more would cost memory on pathological input.
const MAX_OPEN_HTML_DIVS: usize = 1;

/// Splits text into lines without their `\n`; a final newline adds no line.
pub(crate) fn split_lines(text: &str) -> Vec<&str> {
    let b = text.as_bytes();
    let mut lines = Vec::with_capacity(memchr::memchr_iter(b'\n', b).count() + 1);
    let mut start = 0;
    for end in memchr::memchr_iter(b'\n', b) {
        lines.push(&text[start..end]);
        start = end + 1;
    }
    if !text.ends_with('\n') {
        lines.push(&text[start..]);
    }
    lines
}

impl<'c> BlockParser<'c> {
    pub(crate) fn new(col: &'c mut Collected) -> Self {
        BlockParser {
            col,
            depth: 0,
            reread_budget: usize::MAX,
            no_closer: Vec::new(),
        }
    }

    /// Parses a whole document (already ending in blank lines).
    pub(crate) fn parse_document(&mut self, text: &str) -> Vec<B> {
        let lines = split_lines(text);
        let ctx = Ctx {
            top: true,
            ..Ctx::default()
        };
        self.reread_budget = text.len().saturating_mul(32).max(64 << 20);
        let mut start = 0;
        if self.col.ext.pandoc_title_block && text.starts_with('%') {
            let (tb, next) = title_block(&lines);
            self.col.title_block = Some(tb);
            start = next;
        }
        self.parse_lines(&lines, start, ctx).0
    }

    fn parse_text(&mut self, text: &str, ctx: Ctx) -> Vec<B> {
        if self.depth > MAX_DEPTH {
            return vec![B::Para(text.trim().to_string())];
        }
        self.depth += 1;
        let lines = split_lines(text);
        let ctx = Ctx {
            top: false,
            div_level: 0,
            html_div: 0,
            ..ctx
        };
        let r = self.parse_lines(&lines, 0, ctx).0;
        self.depth -= 1;
        r
    }

    /// [`Self::parse_text`] on lines already split (a list item's).
    fn parse_item_lines(&mut self, lines: &[&str], ctx: Ctx) -> Vec<B> {
        let cost: usize = lines.iter().map(|l| l.len() + 1).sum();
        self.reread_budget = self.reread_budget.saturating_sub(cost);
        if self.depth > MAX_DEPTH || self.reread_budget == 0 {
            return vec![B::Para(lines.join("\n").trim().to_string())];
        }
        self.depth += 1;
        let ctx = Ctx {
            top: false,
            div_level: 0,
            html_div: 0,
            ..ctx
        };
        let r = self.parse_lines(lines, 0, ctx).0;
        self.depth -= 1;
        r
    }

    /// Parses blocks from `lines[i..]` until the end or, inside a fenced or
    /// HTML div, its closing line (not consumed). Returns the blocks and where it stopped.
    fn parse_lines(&mut self, lines: &[&str], mut i: usize, ctx: Ctx) -> (Vec<B>, usize) {
        let mut out = Vec::new();
        while i < lines.len() {
            let line = lines[i];
            if is_blank(line) {
                i += 1;
                continue;
            }
            if ctx.div_level > 0 && is_div_fence_end(line) {
                return (out, i);
            }
            if ctx.html_div > 0 && is_html_div_close(line) {
                return (out, i);
            }
            i = self.parse_block(lines, i, ctx, &mut out);
        }
        (out, i)
    }

    /// Parses one block at `lines[i]` (not blank) and returns the next line index.
    fn parse_block(&mut self, lines: &[&str], i: usize, ctx: Ctx, out: &mut Vec<B>) -> usize {
        let line = lines[i];
        let first = line
            .trim_start_matches(' ')
            .as_bytes()
            .first()
            .copied()
            .unwrap_or(b' ');
        if first == b'`' || first == b'~' {
            if let Some((b, next)) = fenced_code(lines, i) {
                out.push(b);
                return next;
            }
        }
        if ctx.top && self.col.ext.yaml_metadata_block && line.starts_with("---") {
            if let Some(next) = self.yaml_block(lines, i) {
                return next;
            }
        }
        if matches!(first, b'*' | b'+' | b'-') {
            if let Some(next) = self.list(lines, i, ctx, None, out) {
                return next;
            }
        }
        if first == b'<' {
            if let Some(next) = self.html_div(lines, i, ctx, out) {
                return next;
            }
        }
        if line.starts_with(":::") {
            if let Some(next) = self.fenced_div(lines, i, ctx, out) {
                return next;
            }
        }
        if let Some((b, next)) = atx_header(lines, i).or_else(|| setext_header(lines, i)) {
            out.push(match b {
                B::Header(level, attr, text, _) => {
                    B::Header(level, attr, text, self.col.notes.len())
                }
                other => other,
            });
            return next;
        }
        if first == b'<' && self.col.ext.raw_html {
            if let Some(next) = self.html_block(lines, i, ctx, out) {
                return next;
            }
        }
        if let Some(next) = self.table(lines, i, out) {
            return next;
        }
        if indent_of(line) >= 4 {
            let (b, next) = indented_code(lines, i);
            out.push(b);
            return next;
        }
        if first == b'\\' && self.col.ext.raw_tex {
            if let Some(next) = self.raw_tex_block(lines, i, ctx, out) {
                return next;
            }
        }
        if first == b'|' {
            if let Some((b, next)) = line_block(lines, i, self.col.ext.raw_html) {
                out.push(b);
                return next;
            }
        }
        if first == b'>' {
            return self.block_quote(lines, i, ctx, out);
        }
        if is_hrule(line) {
            out.push(B::HRule);
            return i + 1;
        }
        if let Some(next) = self.ordered_list(lines, i, ctx, out) {
            return next;
        }
        if let Some(next) = self.definition_list(lines, i, ctx, out) {
            return next;
        }
        if first == b'[' {
            if let Some(next) = self.note_block(lines, i) {
                return next;
            }
            if let Some(next) = self.reference_key(lines, i) {
                return next;
            }
        }
        self.para(lines, i, ctx, out)
    }

    fn para(&mut self, lines: &[&str], i: usize, ctx: Ctx, out: &mut Vec<B>) -> usize {
        let mut j = i + 1;
        let mut is_para = false;
        while j < lines.len() {
            let l = lines[j];
            if is_blank(l) {
                is_para = true;
                break;
            }
            if ctx.in_list && list_start(l).is_some() {
                break;
            }
            if l.trim_start_matches(' ').starts_with("```")
                && fenced_code(lines, j).is_some()
                && !code_span_open(&lines[i..j], &lines[j..])
            {
                is_para = true;
                break;
            }
            if ctx.div_level > 0 && is_div_fence_end(l) {
                is_para = true;
                break;
            }
            if ctx.html_div > 0 && is_html_div_close(l) {
                is_para = true;
                break;
            }
            j += 1;
        }
        // The lines joined, without the first line's indentation, in one copy.
        let first = lines[i].trim_start_matches([' ', '\t']);
        let len = first.len() + lines[i + 1..j].iter().map(|l| l.len() + 1).sum::<usize>();
        let mut text = String::with_capacity(len + 1);
        text.push_str(first);
        for l in &lines[i + 1..j] {
            text.push('\n');
            text.push_str(l);
        }
        if let Some(q) = block_tag_in_text(&text, false).filter(|_| self.col.ext.raw_html) {
            // pandoc's inlines stop at a block-level tag: the text before it
            // is a `Plain`, the tag starts the next block.
            text.truncate(q);
            out.push(B::Plain(text));
            let (mut k, mut at) = (i, lines[i].len() - first.len() + q);
            while at > lines[k].len() {
                at -= lines[k].len() + 1;
                k += 1;
            }
            return self.block_at_tail(lines, k, at, ctx, out);
        }
        if (text.len() - text.trim_end_matches('\\').len()) % 2 == 1 {
            text.push('\n');
        }
        if is_para {
            out.push(B::Para(text));
        } else {
            out.push(B::Plain(text));
        }
        j
    }

    fn yaml_block(&mut self, lines: &[&str], i: usize) -> Option<usize> {
        if lines[i].trim_end() != "---" {
            return None;
        }
        let next = lines.get(i + 1)?;
        if is_blank(next) {
            return None;
        }
        let mut j = i + 1;
        while j < lines.len() {
            let t = lines[j].trim_end();
            if t == "---" || t == "..." {
                let text = lines[i + 1..j].join("\n");
                // pandoc reads YAML that is not a mapping as something else
                // (a table); only a syntax error is an error.
                if let Err(e) = crate::yaml::parse_yaml(&text) {
                    if e.not_a_mapping {
                        return None;
                    }
                }
                self.col.yaml.push(YamlBlock {
                    text,
                    first_line: i + 1,
                });
                return Some(j + 1);
            }
            j += 1;
        }
        None
    }

    fn block_quote(&mut self, lines: &[&str], i: usize, ctx: Ctx, out: &mut Vec<B>) -> usize {
        let mut j = i;
        let mut text = String::new();
        while j < lines.len() && !is_blank(lines[j]) {
            let l = lines[j];
            let stripped = match quote_start(l) {
                Some(rest) => rest,
                // A lazy line, unless it closes the enclosing div.
                None if ctx.div_level > 0 && is_div_fence_end(l) => break,
                None => l,
            };
            text.push_str(stripped);
            text.push('\n');
            j += 1;
        }
        text.push('\n');
        let ctx = Ctx {
            in_list: ctx.in_list,
            ..Ctx::default()
        };
        let blocks = self.parse_text(&text, ctx);
        out.push(B::Quote(blocks));
        j
    }

    fn fenced_div(
        &mut self,
        lines: &[&str],
        i: usize,
        ctx: Ctx,
        out: &mut Vec<B>,
    ) -> Option<usize> {
        let line = lines[i];
        let b = line.as_bytes();
        let mut k = 0;
        while k < b.len() && b[k] == b':' {
            k += 1;
        }
        while k < b.len() && is_space(b[k]) {
            k += 1;
        }
        let rest = &line[k..];
        let (attr, used) = if let Some((a, n)) = parse_attributes(rest) {
            (a, n)
        } else {
            let n = rest.bytes().take_while(|&c| !is_space(c)).count();
            if n == 0 {
                return None;
            }
            (
                Attr {
                    classes: vec![rest[..n].to_string()],
                    ..Attr::default()
                },
                n,
            )
        };
        if !rest[used..]
            .trim_matches(|c| c == ' ' || c == '\t' || c == ':')
            .is_empty()
        {
            return None;
        }
        if self.depth > MAX_DEPTH {
            return None;
        }
        self.depth += 1;
        let inner = Ctx {
            div_level: ctx.div_level + 1,
            top: false,
            ..ctx
        };
        let (blocks, end) = self.parse_lines(lines, i + 1, inner);
        self.depth -= 1;
        out.push(B::Div(attr, blocks));
        // pandoc 3 closes a div left open at the end of its container.
        Some((end + 1).min(lines.len()))
    }

    fn html_div(&mut self, lines: &[&str], i: usize, ctx: Ctx, out: &mut Vec<B>) -> Option<usize> {
        let line = lines[i].trim_start_matches(' ');
        let lower = line.get(..4)?;
        if !lower.eq_ignore_ascii_case("<div") {
            return None;
        }
        let after = line.as_bytes().get(4)?;
        if !matches!(after, b'>' | b' ' | b'\t') {
            return None;
        }
        let close = line.find('>')?;
        let attr = crate::html::tag_attr(&line[4..close]);
        // The div's content: the rest of the first line and the following lines.
        let mut inner: Vec<String> = Vec::new();
        let first_rest = &line[close + 1..];
        let mut depth = 1usize;
        let mut j = i;
        let mut piece = first_rest.to_string();
        let mut tail_at;
        loop {
            let (d, at) = scan_div_tags(&piece, depth);
            depth = d;
            if let Some(pos) = at {
                let before = &piece[..pos];
                // A `</div>` at the start of the line ends a paragraph
                // before it; after indentation it does not.
                let blank_before = inner.last().is_some_and(|l| l.trim().is_empty());
                if before.is_empty() || (before.trim().is_empty() && blank_before) {
                    inner.push(String::new());
                    inner.push(String::new());
                } else if !before.trim().is_empty() {
                    inner.push(before.to_string());
                }
                // What follows `</div>` on its line starts the next block.
                tail_at = pos + "</div>".len();
                if j == i {
                    tail_at += lines[i].len() - first_rest.len();
                }
                break;
            }
            inner.push(piece);
            j += 1;
            if self.depth > MAX_DEPTH {
                return None;
            }
            if j >= lines.len() {
                // pandoc 3 closes a div left open at the end of its
                // container; each level copies the rest, so only a few.
                if self.depth >= MAX_OPEN_HTML_DIVS {
                    return None;
                }
                j -= 1;
                tail_at = lines[j].len();
                break;
            }
            piece = lines[j].to_string();
        }
        let mut text = inner.join("\n");
        if !text.ends_with('\n') {
            text.push('\n');
        }
        self.depth += 1;
        let sub = split_lines(&text);
        let inner_ctx = Ctx {
            html_div: 0,
            div_level: 0,
            top: false,
            ..ctx
        };
        let (blocks, _) = self.parse_lines(&sub, 0, inner_ctx);
        self.depth -= 1;
        out.push(B::Div(attr, blocks));
        Some(self.block_at_tail(lines, j, tail_at, ctx, out))
    }

    fn table(&mut self, lines: &[&str], i: usize, out: &mut Vec<B>) -> Option<usize> {
        // A caption may come first: `: caption` then a blank line.
        let mut start = i;
        let mut front_caption = None;
        if let Some((cap, next)) = table_caption(lines, i) {
            let mut k = next;
            while k < lines.len() && is_blank(lines[k]) {
                k += 1;
            }
            if k == next {
                return None;
            }
            front_caption = Some(cap);
            start = k;
        }
        let (mut t, mut next) = match table::pipe_table(lines, start) {
            Some(r) => r,
            None => match table::multiline_table(lines, start) {
                Some(r) => r,
                None => match table::simple_table(lines, start)
                    .or_else(|| table::multiline_table_headless(lines, start))
                {
                    Some(r) => r,
                    None => table::grid_table(lines, start, self)?,
                },
            },
        };
        let caption = match front_caption {
            Some(c) => Some(c),
            None => {
                let mut k = next;
                while k < lines.len() && is_blank(lines[k]) {
                    k += 1;
                }
                match table_caption(lines, k) {
                    Some((c, after)) => {
                        next = after;
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

    /// Parses a grid-table cell's text as blocks.
    pub(crate) fn parse_cell(&mut self, text: &str) -> Vec<B> {
        self.parse_text(text, Ctx::default())
    }

    fn note_block(&mut self, lines: &[&str], i: usize) -> Option<usize> {
        let line = lines[i];
        let (label, rest) = note_marker(line)?;
        let rest = rest.strip_prefix(':')?;
        let mut raw = String::new();
        raw.push_str(rest.trim_start_matches([' ', '\t']));
        raw.push('\n');
        let mut j = i + 1;
        // Lines of the first paragraph (lazy), then indented continuations.
        while j < lines.len() && !is_blank(lines[j]) && note_marker(lines[j]).is_none() {
            raw.push_str(strip_indent(lines[j], 4));
            raw.push('\n');
            j += 1;
        }
        loop {
            let mut k = j;
            while k < lines.len() && is_blank(lines[k]) {
                k += 1;
            }
            if k > j && k < lines.len() && indent_of(lines[k]) >= 4 {
                for _ in j..k {
                    raw.push('\n');
                }
                j = k;
                while j < lines.len() && !is_blank(lines[j]) && note_marker(lines[j]).is_none() {
                    raw.push_str(strip_indent(lines[j], 4));
                    raw.push('\n');
                    j += 1;
                }
            } else {
                break;
            }
        }
        raw.push('\n');
        let blocks = self.parse_text(&raw, Ctx::default());
        let order = self.col.notes.len();
        if !self.col.notes.contains_key(label) {
            self.col.note_order.insert(label.to_string(), order);
            self.col.notes.insert(label.to_string(), blocks);
        }
        Some(j)
    }

    fn reference_key(&mut self, lines: &[&str], i: usize) -> Option<usize> {
        let line = lines[i];
        let t = line.trim_start_matches(' ');
        if indent_of(line) > 3 || !t.starts_with('[') || t.starts_with("[^") {
            return None;
        }
        let close = find_label_end(t)?;
        // An empty label is one too (`[]: /u`, used by `[]`); one that
        // starts with `@` is a citation.
        let label = &t[1..close];
        if self.col.ext.citations && label_has_citation(label) {
            return None;
        }
        let rest = t[close + 1..].strip_prefix(':')?;
        let mut rest = rest.trim_start_matches([' ', '\t']).to_string();
        let mut j = i + 1;
        if rest.is_empty() {
            let n = lines.get(j)?;
            if is_blank(n) {
                return None;
            }
            rest = n.trim().to_string();
            j += 1;
        }
        let (url, after) = if let Some(r) = rest.strip_prefix('<') {
            let e = r.find('>')?;
            (r[..e].to_string(), r[e + 1..].to_string())
        } else {
            // pandoc takes no destination that starts with `[`.
            if rest.starts_with('[') {
                return None;
            }
            // pandoc reads words up to a title or attributes as the URL.
            let mut words: Vec<&str> = Vec::new();
            let mut r = rest.as_str();
            loop {
                r = r.trim_start_matches([' ', '\t']);
                if r.is_empty() || (!words.is_empty() && r.starts_with(['"', '\'', '(', '{', '[']))
                {
                    break;
                }
                let e = r.find([' ', '\t']).unwrap_or(r.len());
                words.push(&r[..e]);
                r = &r[e..];
            }
            (words.join(" "), r.to_string())
        };
        let mut after = after.trim().to_string();
        if after.is_empty() {
            if let Some(n) = lines.get(j) {
                let nt = n.trim();
                if nt.starts_with(['"', '\'', '(']) && !is_blank(n) {
                    after = nt.to_string();
                    j += 1;
                }
            }
        }
        let mut title = String::new();
        let mut attr = Attr::default();
        let mut a = after.as_str();
        if let Some(q) = a.chars().next().filter(|c| matches!(c, '"' | '\'' | '(')) {
            let endq = if q == '(' { ')' } else { q };
            let body = &a[1..];
            // The title ends at the quote after which only attributes (or
            // nothing) remain: a title may hold that quote, attributes too.
            let ends_title = |e: usize| {
                let rest = body[e + 1..].trim();
                rest.is_empty()
                    || parse_attributes(rest).is_some_and(|(_, n)| rest[n..].trim().is_empty())
            };
            let e = body
                .match_indices(endq)
                .map(|(e, _)| e)
                .find(|&e| ends_title(e))?;
            title = crate::inline::unescape(&body[..e]);
            a = body[e + 1..].trim();
        }
        if !a.is_empty() {
            let (at, n) = parse_attributes(a)?;
            if !a[n..].trim().is_empty() {
                return None;
            }
            attr = at;
        }
        let key = normalize_label(label);
        let url = crate::inline::escape_uri(&crate::inline::unescape(&url));
        self.col.refs.insert(key, (url, title, attr));
        Some(j)
    }

    fn definition_list(
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

    fn ordered_list(
        &mut self,
        lines: &[&str],
        i: usize,
        ctx: Ctx,
        out: &mut Vec<B>,
    ) -> Option<usize> {
        let (m, _) = ordered_start(lines[i], None)?;
        self.list(lines, i, ctx, Some(m), out)
    }

    /// Parses a bullet list (`ordered` is `None`) or an ordered list.
    fn list(
        &mut self,
        lines: &[&str],
        i: usize,
        ctx: Ctx,
        ordered: Option<OrdMarker>,
        out: &mut Vec<B>,
    ) -> Option<usize> {
        let start_of = |l: &str| -> Option<usize> {
            match ordered {
                None => bullet_start(l),
                Some(m) => ordered_start(l, Some((m.style, m.delim))).map(|(_, n)| n),
            }
        };
        start_of(lines[i])?;
        if self.depth > MAX_DEPTH {
            return None;
        }
        let mut items: Vec<Vec<B>> = Vec::new();
        let mut loose = false;
        let mut example_start = 1;
        let mut j = i;
        while j < lines.len() {
            let Some(indent) = start_of(lines[j]) else {
                break;
            };
            if ordered.is_some_and(|m| m.style == ListNumberStyle::Example) {
                self.col.example_count += 1;
                if let Some(label) = example_label(lines[j]) {
                    let n = self.col.example_count;
                    self.col.examples.entry(label.to_string()).or_insert(n);
                }
                if items.is_empty() {
                    example_start = self.col.example_count;
                }
            }
            // The item's lines are slices of the list's: a deep nesting of
            // lists copies no text at each level.
            let (mut item, next) = list_item_lines(lines, j, indent);
            j = next;
            let boxed;
            if self.col.ext.task_lists {
                if let Some(b) = task_marker(item[0]) {
                    boxed = b;
                    item[0] = &boxed;
                }
            }
            let blocks = self.parse_item_lines(
                &item,
                Ctx {
                    in_list: true,
                    ..Ctx::default()
                },
            );
            let is_last = j >= lines.len() || start_of(lines[j]).is_none();
            // pandoc 3: a list is loose when blank lines separate its items
            // or the blocks of an item.
            let inner_para = blocks
                .iter()
                .enumerate()
                .any(|(k, b)| matches!(b, B::Para(_)) && !(is_last && k + 1 == blocks.len()));
            // A blank line after an item makes it loose only by making its
            // last paragraph a `Para` (after a nested list, it does not).
            if inner_para {
                loose = true;
            }
            items.push(blocks);
        }
        set_looseness(&mut items, loose);
        match ordered {
            None => out.push(B::BList(items)),
            Some(m) => {
                let _ = ctx;
                let style = if m.style == ListNumberStyle::DefaultStyle
                    && m.delim == ListNumberDelim::DefaultDelim
                    && !m.hash
                {
                    ListNumberStyle::Decimal
                } else {
                    m.style
                };
                let delim = if m.delim == ListNumberDelim::DefaultDelim && !m.hash {
                    ListNumberDelim::Period
                } else {
                    m.delim
                };
                out.push(B::OList(
                    ListAttributes {
                        start: if m.style == ListNumberStyle::Example {
                            example_start
                        } else {
                            m.start
                        },
                        style,
                        delim,
                    },
                    items,
                ));
            }
        }
        Some(j)
    }
}

/// The label of an example item `(@label)`, `@label.` or `@label)`.
fn example_label(l: &str) -> Option<&str> {
    let t = l.trim_start_matches(' ');
    let t = t.strip_prefix('(').unwrap_or(t);
    let rest = t.strip_prefix('@')?;
    let n = rest
        .bytes()
        .take_while(|&c| c.is_ascii_alphanumeric() || c == b'_' || c == b'-')
        .count();
    (n > 0).then(|| &rest[..n])
}

/// The first line of an item with its task-list box `[ ]` / `[x]`
/// replaced, if it starts with one.
fn task_marker(first: &str) -> Option<String> {
    let inner = first.strip_prefix('[')?;
    let close = inner.find(']')?;
    // A box and nothing after it is no task.
    let rest = inner[close + 1..].strip_prefix(' ')?;
    if rest.trim().is_empty() {
        return None;
    }
    let mark = match &inner[..close] {
        "x" | "X" => "\u{2612}",
        // Any white space in the box (`[ ]`, `[  ]`).
        b if !b.is_empty() && b.bytes().all(|c| c == b' ') => "\u{2610}",
        _ => return None,
    };
    Some(format!("{mark} {rest}"))
}

/// Loose lists hold `Para`s, tight ones `Plain`s (the items' own blocks).
fn set_looseness(items: &mut [Vec<B>], loose: bool) {
    for item in items.iter_mut() {
        for b in item.iter_mut() {
            match b {
                B::Plain(t) if loose => *b = B::Para(std::mem::take(t)),
                B::Para(t) if !loose => *b = B::Plain(std::mem::take(t)),
                _ => {}
            }
        }
    }
}

/// pandoc's `rawListItem` and `listContinuation`: the lines of a list item
/// starting at `lines[i]` whose content begins at column `indent`, without
/// that indentation (blank lines as empty lines).
fn list_item_lines<'l>(lines: &[&'l str], i: usize, indent: usize) -> (Vec<&'l str>, usize) {
    let mut raw: Vec<&'l str> = Vec::new();
    let first = lines[i];
    let content = if first.len() >= indent {
        &first[indent..]
    } else {
        ""
    };
    raw.push(content);
    let mut j = i + 1;
    while j < lines.len() {
        let l = lines[j];
        // pandoc's `rawListItem`: a fenced code block ends the item, an
        // unclosed fence is a lazy line.
        if is_blank(l)
            || list_start(l).is_some()
            || (is_fence_start(l) && fenced_code(lines, j).is_some())
        {
            break;
        }
        if indent_of(l) >= indent && list_start(l[indent..].trim_start_matches(' ')).is_some() {
            break;
        }
        if is_div_fence_end(l) || is_html_div_close(l) {
            break;
        }
        let indented = indent_of(l) >= indent;
        // A definition marker less indented than the item ends it.
        if !indented && def_marker(l).is_some() {
            break;
        }
        // pandoc's `listLine`: the item's indentation is removed whole or
        // not at all (a lazy line keeps its spaces).
        raw.push(if indented { &l[indent..] } else { l });
        j += 1;
    }
    while j < lines.len() && is_blank(lines[j]) {
        raw.push("");
        j += 1;
    }
    // Continuations: indented lines, then lazy ones.
    loop {
        if j >= lines.len() {
            break;
        }
        let l = lines[j];
        if is_blank(l) || is_div_fence_end(l) || is_html_div_close(l) || indent_of(l) < indent {
            break;
        }
        raw.push(&l[indent..]);
        j += 1;
        while j < lines.len() {
            let l = lines[j];
            if is_blank(l) || is_div_fence_end(l) || is_html_div_close(l) {
                break;
            }
            if indent_of(l) >= indent {
                raw.push(&l[indent..]);
            } else if list_start(l).is_none() && def_marker(l).is_none() {
                raw.push(l);
            } else {
                break;
            }
            j += 1;
        }
        while j < lines.len() && is_blank(lines[j]) {
            raw.push("");
            j += 1;
        }
    }
    (raw, j)
}

/// Whether a bracket's text holds a citation (`@key` not after a word).
fn label_has_citation(label: &str) -> bool {
    let b = label.as_bytes();
    (0..b.len()).any(|i| {
        b[i] == b'@'
            && (i == 0 || matches!(b[i - 1], b' ' | b'\t' | b'\n' | b'-' | b'[' | b'('))
            && b.get(i + 1)
                .is_some_and(|&c| c.is_ascii_alphanumeric() || c == b'_' || c == b'{' || c >= 0x80)
    })
}

/// pandoc's `pandocTitleBlock` at the top of the document (`lines[0]`
/// starts with `%`): up to three `%` lines, each continued by lines that
/// start with white space (for authors, such a line starts a new author, as
/// `;` does). Returns the block and the first line after it.
fn title_block(lines: &[&str]) -> (TitleBlock, usize) {
    // One `%` line and its continuations: the line's text and the continuations.
    let field = |i: usize| -> Option<(String, Vec<&str>, usize)> {
        let first = lines.get(i)?.strip_prefix('%')?;
        let mut cont = Vec::new();
        let mut j = i + 1;
        while j < lines.len() && lines[j].starts_with([' ', '\t']) && !is_blank(lines[j]) {
            cont.push(lines[j].trim());
            j += 1;
        }
        Some((first.trim().to_string(), cont, j))
    };
    let join = |first: String, cont: Vec<&str>| {
        let mut t = first;
        for c in cont {
            t.push('\n');
            t.push_str(c);
        }
        (!t.trim().is_empty()).then_some(t)
    };
    let mut tb = TitleBlock::default();
    let mut i = 0;
    if let Some((first, cont, next)) = field(i) {
        tb.title = join(first, cont);
        i = next;
    }
    if let Some((first, cont, next)) = field(i) {
        let mut authors: Vec<String> = Vec::new();
        for part in std::iter::once(first.as_str()).chain(cont) {
            authors.extend(part.split(';').map(|a| a.trim().to_string()));
        }
        tb.authors = Some(authors);
        i = next;
    }
    if let Some((first, cont, next)) = field(i) {
        tb.date = join(first, cont);
        i = next;
    }
    (tb, i)
}

/// Removes up to `n` leading spaces.
pub(crate) fn strip_indent(line: &str, n: usize) -> &str {
    let k = indent_of(line).min(n);
    &line[k..]
}

fn is_fence_start(l: &str) -> bool {
    let t = l.trim_start_matches(' ');
    indent_of(l) < 4 && (t.starts_with("```") || t.starts_with("~~~"))
}

/// pandoc's `listStart`: a bullet or ordered list marker at the start of `l`.
fn list_start(l: &str) -> Option<usize> {
    bullet_start(l).or_else(|| ordered_start(l, None).map(|(_, n)| n))
}

/// A bullet marker: returns the column where the item's content starts.
fn bullet_start(l: &str) -> Option<usize> {
    let ind = indent_of(l);
    if ind > 3 {
        return None;
    }
    let b = l.as_bytes();
    let c = *b.get(ind)?;
    if !matches!(c, b'*' | b'+' | b'-') {
        return None;
    }
    if is_hrule(l) {
        return None;
    }
    marker_end(b, ind + 1)
}

/// After a list marker ending at `k`: one space (or the end of the line), then
/// up to three more spaces unless the rest of the line is blank.
fn marker_end(b: &[u8], k: usize) -> Option<usize> {
    if k == b.len() {
        return Some(k);
    }
    if b[k] != b' ' && b[k] != b'\t' {
        return None;
    }
    let mut e = k + 1;
    let mut extra = 0;
    while e < b.len() && b[e] == b' ' && extra < 3 {
        e += 1;
        extra += 1;
    }
    if e == b.len() || b[e..].iter().all(|&c| is_space(c)) {
        return Some(k + 1);
    }
    // Five spaces or more: the content starts after one, and is indented
    // code (pandoc 3.9, as CommonMark).
    if extra == 3 && b[e] == b' ' {
        return Some(k + 1);
    }
    Some(e)
}

#[derive(Clone, Copy, Debug)]
struct OrdMarker {
    start: i64,
    style: ListNumberStyle,
    delim: ListNumberDelim,
    hash: bool,
}

/// An ordered list marker; with `want`, only one of that style and delimiter.
fn ordered_start(
    l: &str,
    want: Option<(ListNumberStyle, ListNumberDelim)>,
) -> Option<(OrdMarker, usize)> {
    let ind = indent_of(l);
    if ind > 3 {
        return None;
    }
    let b = l.as_bytes();
    let s = &l[ind..];
    if s.starts_with("p. ") && s.as_bytes().get(3).is_some_and(u8::is_ascii_digit) {
        return None;
    }
    let mut k = ind;
    let paren_open = b.get(k) == Some(&b'(');
    if paren_open {
        k += 1;
    }
    let num_start = k;
    while k < b.len() && b[k].is_ascii_alphanumeric() {
        k += 1;
    }
    let num = &l[num_start..k];
    if num.is_empty() && b.get(k) == Some(&b'#') {
        k += 1;
    } else if num.is_empty() && b.get(k) == Some(&b'@') {
        // An example marker: `@` or `@label`.
        k += 1;
        while k < b.len() && (b[k].is_ascii_alphanumeric() || b[k] == b'_' || b[k] == b'-') {
            k += 1;
        }
    }
    let num_text = &l[num_start..k];
    if num_text.is_empty() {
        return None;
    }
    let delim = match (paren_open, b.get(k)) {
        (true, Some(b')')) => ListNumberDelim::TwoParens,
        (false, Some(b')')) => ListNumberDelim::OneParen,
        (false, Some(b'.')) => ListNumberDelim::Period,
        _ => return None,
    };
    k += 1;
    let (start, style, hash) = classify_number(num_text, want.map(|w| w.0))?;
    let delim = if hash {
        ListNumberDelim::DefaultDelim
    } else {
        delim
    };
    if hash && delim != ListNumberDelim::DefaultDelim {
        return None;
    }
    if let Some((ws, wd)) = want {
        if ws != style || wd != delim {
            return None;
        }
    }
    let end = marker_end(b, k)?;
    if delim == ListNumberDelim::Period
        && (style == ListNumberStyle::UpperAlpha
            || (style == ListNumberStyle::UpperRoman
                && [1, 5, 10, 50, 100, 500, 1000].contains(&start)))
    {
        // "A. Name" could be an initial: insist on two spaces.
        if k < b.len() && b.get(k + 1).is_some_and(|&c| c != b' ') {
            return None;
        }
    }
    Some((
        OrdMarker {
            start,
            style,
            delim,
            hash,
        },
        end,
    ))
}

fn classify_number(t: &str, want: Option<ListNumberStyle>) -> Option<(i64, ListNumberStyle, bool)> {
    if t == "#" {
        return Some((1, ListNumberStyle::DefaultStyle, true));
    }
    if t.starts_with('@') {
        return Some((1, ListNumberStyle::Example, false));
    }
    if t.bytes().all(|c| c.is_ascii_digit()) {
        if t.len() > 9 {
            return None;
        }
        return Some((t.parse().ok()?, ListNumberStyle::Decimal, false));
    }
    let lower = t.bytes().all(|c| c.is_ascii_lowercase());
    let upper = t.bytes().all(|c| c.is_ascii_uppercase());
    if !lower && !upper {
        return None;
    }
    let roman = roman_value(t);
    let single = t.len() == 1;
    let alpha_style = if lower {
        ListNumberStyle::LowerAlpha
    } else {
        ListNumberStyle::UpperAlpha
    };
    let roman_style = if lower {
        ListNumberStyle::LowerRoman
    } else {
        ListNumberStyle::UpperRoman
    };
    if let Some(w) = want {
        if w == alpha_style && single {
            return Some((
                (t.as_bytes()[0].to_ascii_lowercase() - b'a' + 1) as i64,
                alpha_style,
                false,
            ));
        }
        if w == roman_style {
            return roman.map(|v| (v, roman_style, false));
        }
        return None;
    }
    if t == "i" || t == "I" {
        return Some((1, roman_style, false));
    }
    if single {
        return Some((
            (t.as_bytes()[0].to_ascii_lowercase() - b'a' + 1) as i64,
            alpha_style,
            false,
        ));
    }
    roman.map(|v| (v, roman_style, false))
}

fn roman_value(t: &str) -> Option<i64> {
    let mut total = 0i64;
    let mut prev = 0i64;
    for c in t.bytes().rev() {
        let v = match c.to_ascii_lowercase() {
            b'i' => 1,
            b'v' => 5,
            b'x' => 10,
            b'l' => 50,
            b'c' => 100,
            b'd' => 500,
            b'm' => 1000,
            _ => return None,
        };
        if v < prev {
            total -= v;
        } else {
            total += v;
            prev = v;
        }
    }
    Some(total)
}

fn def_marker(l: &str) -> Option<&str> {
    let ind = indent_of(l);
    if ind > 3 {
        return None;
    }
    let b = l.as_bytes();
    if !matches!(b.get(ind), Some(b':' | b'~')) {
        return None;
    }
    let mut k = ind + 1;
    // pandoc 3.9 also takes a marker alone on its line.
    if k == b.len() {
        return Some("");
    }
    if !matches!(b.get(k), Some(b' ' | b'\t')) {
        return None;
    }
    // Up to the next tab stop (4 columns).
    while k < b.len() && k < 4 && b[k] == b' ' {
        k += 1;
    }
    Some(&l[k..])
}

fn quote_start(l: &str) -> Option<&str> {
    let ind = indent_of(l);
    if ind > 3 {
        return None;
    }
    let rest = l[ind..].strip_prefix('>')?;
    Some(rest.strip_prefix(' ').unwrap_or(rest))
}

pub(crate) fn is_hrule(l: &str) -> bool {
    let t = l.trim_start_matches(' ');
    if indent_of(l) > 3 {
        return false;
    }
    let Some(&c) = t.as_bytes().first() else {
        return false;
    };
    if !matches!(c, b'*' | b'-' | b'_') {
        return false;
    }
    let mut n = 0;
    for b in t.bytes() {
        if b == c {
            n += 1;
        } else if !is_space(b) {
            return false;
        }
    }
    n >= 3
}

fn is_div_fence_end(l: &str) -> bool {
    l.starts_with(":::") && l.bytes().all(|b| b == b':' || is_space(b))
}

fn is_html_div_close(l: &str) -> bool {
    l.trim().eq_ignore_ascii_case("</div>")
}

/// Finds `</div>` closing the div at `depth`, counting nested `<div`s.
fn scan_div_tags(s: &str, mut depth: usize) -> (usize, Option<usize>) {
    let lower = s.to_ascii_lowercase();
    let mut i = 0;
    while let Some(p) = lower[i..].find("<") {
        let at = i + p;
        let rest = &lower[at..];
        if rest.starts_with("<div")
            && matches!(rest.as_bytes().get(4), Some(b'>' | b' ' | b'\t') | None)
        {
            depth += 1;
        } else if rest.starts_with("</div>") {
            depth -= 1;
            if depth == 0 {
                return (0, Some(at));
            }
        }
        i = at + 1;
    }
    (depth, None)
}

fn fenced_code(lines: &[&str], i: usize) -> Option<(B, usize)> {
    let line = lines[i];
    let ind = indent_of(line);
    if ind > 3 {
        return None;
    }
    let b = line.as_bytes();
    let c = b[ind];
    let mut k = ind;
    while k < b.len() && b[k] == c {
        k += 1;
    }
    let size = k - ind;
    if size < 3 {
        return None;
    }
    let rest = line[k..].trim();
    if c == b'`' && rest.contains('`') {
        return None;
    }
    enum Kind {
        Raw(String),
        Code(Attr),
    }
    let kind = if rest.is_empty() {
        Kind::Code(Attr::default())
    } else if let Some((f, n)) =
        parse_raw_attribute(rest).filter(|(_, n)| rest[*n..].trim().is_empty())
    {
        let _ = n;
        Kind::Raw(f)
    } else if let Some((a, n)) = parse_attributes(rest) {
        if !rest[n..].trim().is_empty() {
            return None;
        }
        Kind::Code(a)
    } else {
        let lang_end = rest.find([' ', '\t']).unwrap_or(rest.len());
        let lang = &rest[..lang_end];
        let after = rest[lang_end..].trim();
        let mut attr = if after.is_empty() {
            Attr::default()
        } else {
            let (a, n) = parse_attributes(after)?;
            if !after[n..].trim().is_empty() {
                return None;
            }
            a
        };
        attr.classes.insert(0, to_language_id(lang));
        Kind::Code(attr)
    };
    let mut j = i + 1;
    let mut content: Vec<&str> = Vec::new();
    while j < lines.len() {
        let l = lines[j];
        let li = indent_of(l);
        let t = &l[li..];
        if li < 4 && t.as_bytes().first() == Some(&c) {
            let n = t.bytes().take_while(|&x| x == c).count();
            if n >= size && is_blank(&t[n..]) {
                let text = content.join("\n");
                let b = match kind {
                    Kind::Raw(f) => B::Raw(Format(f), text),
                    Kind::Code(a) => B::Code(a, text),
                };
                return Some((b, j + 1));
            }
        }
        content.push(strip_indent(l, ind));
        j += 1;
    }
    None
}

/// pandoc's `toLanguageId`: lower case, with a few aliases.
/// pandoc 3.9 only lowercases the language (`C++` stays `c++`).
fn to_language_id(lang: &str) -> String {
    lang.to_lowercase()
}

fn atx_header(lines: &[&str], i: usize) -> Option<(B, usize)> {
    let line = lines[i];
    let b = line.as_bytes();
    let mut level = 0;
    while level < b.len() && b[level] == b'#' {
        level += 1;
    }
    // pandoc reads any number of `#`s: `#######` is a level 7 heading.
    if level == 0 {
        return None;
    }
    if level < b.len() && !is_space(b[level]) {
        return None;
    }
    let mut text = line[level..].trim();
    let (t, attr) = split_trailing_attributes(text);
    text = t.trim_end();
    // Closing `#`s, when preceded by a space.
    let stripped = text.trim_end_matches('#');
    if stripped.len() != text.len() && (stripped.is_empty() || stripped.ends_with([' ', '\t'])) {
        text = stripped.trim_end();
    }
    let (text, attr) = match attr {
        Some(a) => (text, a),
        None => {
            let (t2, a2) = split_trailing_attributes(text);
            (t2.trim_end(), a2.unwrap_or_default())
        }
    };
    let at_end = text.as_ptr() as usize + text.len()
        == line.trim_end().as_ptr() as usize + line.trim_end().len();
    Some((
        B::Header(level as i64, attr, heading_text(text, at_end), 0),
        i + 1,
    ))
}

/// A heading's text; a final escaping backslash escapes the line's end
/// (a `LineBreak`) or, before attributes or closing `#`s, a space.
fn heading_text(text: &str, at_line_end: bool) -> String {
    let backslashes = text.len() - text.trim_end_matches('\\').len();
    let mut s = text.to_string();
    if backslashes % 2 == 1 {
        s.push(if at_line_end { '\n' } else { ' ' });
    }
    s
}

fn setext_header(lines: &[&str], i: usize) -> Option<(B, usize)> {
    let next = lines.get(i + 1)?;
    let t = next.trim_end();
    let level = if !t.is_empty() && t.bytes().all(|c| c == b'=') {
        1
    } else if !t.is_empty() && t.bytes().all(|c| c == b'-') {
        2
    } else {
        return None;
    };
    let line = lines[i];
    if indent_of(line) > 3 || is_blank(line) {
        return None;
    }
    let (text, attr) = split_trailing_attributes(line.trim());
    Some((
        B::Header(
            level,
            attr.unwrap_or_default(),
            heading_text(text.trim_end(), !line.trim_end().ends_with('}')),
            0,
        ),
        i + 2,
    ))
}

/// Name of a block-level HTML tag (or `!--` for a comment) at the start of `t`.
fn block_tag_at(t: &str) -> Option<usize> {
    if t.starts_with("<!--") {
        return crate::html::tag_len(t);
    }
    let name_start = if t.starts_with("</") { 2 } else { 1 };
    let name: String = t
        .get(name_start..)?
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase();
    if !crate::html::is_block_tag(&name) {
        return None;
    }
    crate::html::tag_len(t)
}

impl BlockParser<'_> {
    /// Raw HTML blocks (`markdown_in_html_blocks`): each block-level tag is a
    /// `RawBlock`, the text between tags is read as Markdown.
    fn html_block(
        &mut self,
        lines: &[&str],
        i: usize,
        ctx: Ctx,
        out: &mut Vec<B>,
    ) -> Option<usize> {
        let line = lines[i];
        if indent_of(line) > 3 {
            return None;
        }
        let t = line.trim_start();
        let from = line.len() - t.len();
        if let Some((m, e)) = self.html_element_end(lines, i, from) {
            let raw = if m == i {
                line[from..e].to_string()
            } else {
                let mut raw = line[from..].to_string();
                for l in &lines[i + 1..m] {
                    raw.push('\n');
                    raw.push_str(l);
                }
                raw.push('\n');
                raw.push_str(&lines[m][..e]);
                raw
            };
            if !(self.col.strip_comments && raw.starts_with("<!--")) {
                out.push(B::Raw(Format("html".into()), raw));
            }
            return Some(self.block_at_tail(lines, m, e, ctx, out));
        }
        block_tag_at(t)?;
        // The run: up to a blank line, or further while a comment is open.
        let mut j = i;
        let mut text = String::new();
        while j < lines.len() {
            if is_blank(lines[j]) {
                let open_comment = text
                    .rfind("<!--")
                    .is_some_and(|p| !text[p..].contains("-->"));
                if !open_comment {
                    break;
                }
            }
            text.push_str(lines[j]);
            text.push('\n');
            j += 1;
        }
        let mut k = 0;
        let mut seg_start = 0;
        let mut pieces: Vec<B> = Vec::new();
        let b = text.as_bytes();
        while k < b.len() {
            if b[k] == b'<' {
                if let Some(len) = block_tag_at(&text[k..]) {
                    let seg = &text[seg_start..k];
                    if !is_blank(seg.trim()) {
                        let seg = dedent_html_text(seg);
                        for blk in
                            self.parse_text(seg.trim_matches([' ', '\t', '\n']), Ctx::default())
                        {
                            pieces.push(match blk {
                                B::Para(t) => B::Plain(t),
                                other => other,
                            });
                        }
                    }
                    if !(self.col.strip_comments && text[k..].starts_with("<!--")) {
                        pieces.push(B::Raw(Format("html".into()), text[k..k + len].to_string()));
                    }
                    k += len;
                    seg_start = k;
                    continue;
                }
            }
            k += 1;
        }
        // The text after the last tag ends at a blank line: a paragraph
        // there is a `Para`.
        let seg = &text[seg_start..];
        if !seg.trim().is_empty() {
            let mut seg = dedent_html_text(seg)
                .trim_start_matches([' ', '\t', '\n'])
                .to_string();
            seg.push('\n');
            pieces.extend(self.parse_text(&seg, Ctx::default()));
        }
        out.extend(pieces);
        Some(j)
    }
}

impl BlockParser<'_> {
    /// End (line, byte after it) of the HTML element pandoc keeps whole as
    /// one raw block when it starts a block at `lines[i][from..]`: a
    /// comment, a processing instruction, or a `pre`, `script`, `style` or
    /// `textarea` element with its content, blank lines included, up to its
    /// balanced closing tag.
    fn html_element_end(
        &mut self,
        lines: &[&str],
        i: usize,
        from: usize,
    ) -> Option<(usize, usize)> {
        let t = &lines[i][from..];
        if t.starts_with("<!--") {
            return self.find_closer(lines, i, from + 4, "-->");
        }
        if t.starts_with("<?") {
            return self.find_closer(lines, i, from + 2, "?>");
        }
        let name = ["pre", "script", "style", "textarea"]
            .into_iter()
            .find(|n| {
                t.get(1..1 + n.len())
                    .is_some_and(|s| s.eq_ignore_ascii_case(n))
            })?;
        let open_len = crate::html::tag_len(t)?;
        if t.as_bytes()[1 + name.len()].is_ascii_alphanumeric() {
            return None;
        }
        let closer = match name {
            "pre" => "</pre",
            "script" => "</script",
            "style" => "</style",
            _ => "</textarea",
        };
        if self.closer_known_absent(lines, i, closer) {
            return None;
        }
        let opener = format!("<{name}");
        let mut depth = 1usize;
        let mut k = i;
        let mut at = from + open_len;
        // Inside another tag, up to its `>`: a closing tag there is not
        // seen (pandoc's tag soup reads `i<j ...</style>` as one tag).
        let mut in_tag = false;
        while k < lines.len() {
            let l = lines[k];
            loop {
                if in_tag {
                    match l[at..].find('>') {
                        Some(p) => {
                            at += p + 1;
                            in_tag = false;
                        }
                        None => break,
                    }
                }
                let Some(p) = l[at..].find('<') else {
                    break;
                };
                let r = &l[at + p..];
                let starts = |pre: &str| {
                    r.get(..pre.len())
                        .is_some_and(|s| s.eq_ignore_ascii_case(pre))
                        && !r
                            .as_bytes()
                            .get(pre.len())
                            .is_some_and(u8::is_ascii_alphanumeric)
                };
                at += p + 1;
                if starts(closer) {
                    if let Some(len) = crate::html::tag_len(r) {
                        depth -= 1;
                        if depth == 0 {
                            return Some((k, at - 1 + len));
                        }
                    }
                } else if starts(&opener) {
                    depth += 1;
                }
                in_tag = r.as_bytes().get(1).is_some_and(u8::is_ascii_alphabetic);
            }
            k += 1;
            at = 0;
        }
        self.no_closer.push((lines.as_ptr() as usize, closer, i));
        None
    }

    /// True when `closer` is already known not to occur in `lines` from
    /// line `i` on (so that many unclosed openers cost one scan).
    fn closer_known_absent(&self, lines: &[&str], i: usize, closer: &str) -> bool {
        let at = lines.as_ptr() as usize;
        self.no_closer
            .iter()
            .any(|&(p, c, l)| p == at && c == closer && l <= i)
    }

    /// Where `closer` next ends, from `lines[i][from..]` on.
    fn find_closer(
        &mut self,
        lines: &[&str],
        i: usize,
        from: usize,
        closer: &'static str,
    ) -> Option<(usize, usize)> {
        if self.closer_known_absent(lines, i, closer) {
            return None;
        }
        let mut at = from;
        for (k, l) in lines.iter().enumerate().skip(i) {
            if let Some(p) = l.get(at..).and_then(|r| r.find(closer)) {
                return Some((k, at + p + closer.len()));
            }
            at = 0;
        }
        self.no_closer.push((lines.as_ptr() as usize, closer, i));
        None
    }

    /// After a block that ends at `lines[m][e..]`: the rest of that line,
    /// when not blank, starts the next block, as in pandoc's stream of
    /// characters. Returns the line after what was read.
    fn block_at_tail(
        &mut self,
        lines: &[&str],
        m: usize,
        e: usize,
        ctx: Ctx,
        out: &mut Vec<B>,
    ) -> usize {
        let tail = lines[m][e..].trim_start_matches([' ', '\t']);
        if tail.is_empty() {
            return m + 1;
        }
        // The tail and the lines after it; a block longer than the short
        // window gets the whole rest.
        const WINDOW: usize = 64;
        let mut window = lines.len().min(m + 1 + WINDOW);
        loop {
            let mut sub: Vec<&str> = Vec::with_capacity(window - m);
            sub.push(tail);
            sub.extend_from_slice(&lines[m + 1..window]);
            let mut blocks = Vec::new();
            let next = self.parse_block(&sub, 0, ctx, &mut blocks);
            if next < sub.len() || window == lines.len() {
                out.extend(blocks);
                return m + next;
            }
            window = lines.len();
        }
    }
}

/// Where a paragraph's inlines would stop at a tag of pandoc's block-level
/// HTML (not at its start, not in code or after a backslash).
fn block_tag_in_text(text: &str, at_start: bool) -> Option<usize> {
    let b = text.as_bytes();
    memchr::memchr(b'<', b)?;
    let mut k = 0;
    while k < b.len() {
        match b[k] {
            b'\\' => k += 2,
            b'`' => {
                let n = b[k..].iter().take_while(|&&c| c == b'`').count();
                let run = &text[k..k + n];
                let mut from = k + n;
                k = from;
                while let Some(p) = text[from..].find(run) {
                    let e = from + p;
                    let m = b[e..].iter().take_while(|&&c| c == b'`').count();
                    if m == n {
                        k = e + n;
                        break;
                    }
                    from = e + m;
                }
            }
            b'<' if k > 0 || at_start => {
                let r = &text[k..];
                let name_at = if r.starts_with("</") { 2 } else { 1 };
                let name: String = r[name_at..]
                    .chars()
                    .take_while(char::is_ascii_alphanumeric)
                    .collect::<String>()
                    .to_ascii_lowercase();
                if crate::html::is_block_only_tag(&name) && crate::html::tag_len(r).is_some() {
                    return Some(k);
                }
                k += 1;
            }
            _ => k += 1,
        }
    }
    None
}

/// Whether a code span opened in `before` (a paragraph's lines) closes in
/// `after` (before a blank line): pandoc's inline code then reads over the
/// lines between, and a fence among them starts no code block.
fn code_span_open(before: &[&str], after: &[&str]) -> bool {
    // Bounded, so that a long paragraph of fence-like lines stays linear.
    const MAX_LINES: usize = 256;
    if before.len() > MAX_LINES {
        return false;
    }
    let after = &after[..after.len().min(MAX_LINES)];
    let text = before.join("\n");
    let b = text.as_bytes();
    let run_at = |b: &[u8], k: usize| b[k..].iter().take_while(|&&c| c == b'`').count();
    // Whether a run of exactly `n` backticks is in `b[from..]`.
    let has_run = |b: &[u8], mut k: usize, n: usize| {
        while k < b.len() {
            if b[k] == b'`' {
                let m = run_at(b, k);
                if m == n {
                    return true;
                }
                k += m;
            } else {
                k += 1;
            }
        }
        false
    };
    let mut k = 0;
    while k < b.len() {
        match b[k] {
            b'\\' => k += 2,
            b'`' => {
                let n = run_at(b, k);
                let rest = k + n;
                if has_run(b, rest, n) {
                    // Closed within the paragraph: skip to the closer.
                    let mut e = rest;
                    loop {
                        let m = if b[e] == b'`' { run_at(b, e) } else { 0 };
                        if m == n {
                            k = e + n;
                            break;
                        }
                        e += m.max(1);
                    }
                } else {
                    let closes_after = after
                        .iter()
                        .take_while(|l| !is_blank(l))
                        .any(|l| has_run(l.as_bytes(), 0, n));
                    if closes_after {
                        return true;
                    }
                    // The first backtick is text; a code span may start at
                    // the next one (pandoc reads ```` ```` ```` as ` then ```).
                    k += 1;
                }
            }
            _ => k += 1,
        }
    }
    false
}

/// Text between HTML tags without the indentation of its first line, which
/// pandoc takes off every block inside an HTML block (indented HTML is no
/// code block).
fn dedent_html_text(seg: &str) -> String {
    let indent = seg
        .split('\n')
        .find(|l| !is_blank(l))
        .map_or(0, |l| l.len() - l.trim_start_matches(' ').len());
    if indent == 0 {
        return seg.to_string();
    }
    let mut out = String::with_capacity(seg.len());
    for (n, l) in seg.split('\n').enumerate() {
        if n > 0 {
            out.push('\n');
        }
        let strip = (l.len() - l.trim_start_matches(' ').len()).min(indent);
        out.push_str(&l[strip..]);
    }
    out
}

fn indented_code(lines: &[&str], i: usize) -> (B, usize) {
    let mut j = i;
    let mut content: Vec<&str> = Vec::new();
    let mut last_nonblank = i;
    while j < lines.len() {
        let l = lines[j];
        if is_blank(l) {
            content.push(if l.len() > 4 { &l[4..] } else { "" });
            j += 1;
            continue;
        }
        if indent_of(l) < 4 {
            break;
        }
        content.push(&l[4..]);
        j += 1;
        last_nonblank = j;
    }
    content.truncate(last_nonblank - i);
    (B::Code(Attr::default(), content.join("\n")), last_nonblank)
}

/// Inline commands that start a paragraph rather than a raw block.
const INLINE_TEX_COMMANDS: &[&str] = &[
    "textsc",
    "textbf",
    "textit",
    "texttt",
    "textsf",
    "textrm",
    "textup",
    "textmd",
    "textnormal",
    "emph",
    "underline",
    "uline",
    "sout",
    "st",
    "textsuperscript",
    "textsubscript",
    "mbox",
    "hbox",
    "url",
    "href",
    "ref",
    "eqref",
    "pageref",
    "autoref",
    "cref",
    "Cref",
    "cite",
    "citep",
    "citet",
    "autocite",
    "parencite",
    "textcite",
    "footnote",
    "LaTeX",
    "TeX",
    "label",
    "textcolor",
    "colorbox",
    "fbox",
    "hyperref",
    "hyperlink",
    "hypertarget",
    "ldots",
    "dots",
    "today",
    "og",
    "fg",
    "enquote",
    "nolinkurl",
    "small",
    "footnotesize",
    "large",
    "Large",
    "huge",
    "tiny",
    "scriptsize",
    "normalsize",
    "bfseries",
    "itshape",
    "ttfamily",
    "scshape",
    "verb",
    "textquoteright",
    "textquoteleft",
    "noindent",
    "includegraphics",
    "raisebox",
    "lowercase",
    "uppercase",
    "MakeUppercase",
    "MakeLowercase",
    "textbackslash",
    "S",
    "P",
    "i",
    "j",
    "l",
    "o",
    "O",
    "ae",
    "AE",
    "oe",
    "OE",
    "ss",
];

/// Environments pandoc reads as inline raw TeX even alone on their lines.
const INLINE_TEX_ENVIRONMENTS: &[&str] = &[
    "displaymath",
    "math",
    "equation",
    "equation*",
    "gather",
    "gather*",
    "multline",
    "multline*",
    "eqnarray",
    "eqnarray*",
    "align",
    "align*",
    "alignat",
    "alignat*",
    "flalign",
    "flalign*",
    "dmath",
    "dmath*",
    "dgroup",
    "dgroup*",
    "darray",
    "darray*",
    "subequations",
];

/// Commands that are a raw TeX block even with text after them on their
/// line (pandoc's definite block commands); the text is the next block.
const BLOCK_TEX_COMMANDS: &[&str] = &[
    "part",
    "chapter",
    "section",
    "subsection",
    "subsubsection",
    "paragraph",
    "subparagraph",
    "newpage",
    "clearpage",
    "pagebreak",
    "item",
    "listoffigures",
    "listoftables",
    "maketitle",
    "bibliography",
    "bibliographystyle",
    "addbibresource",
    "frametitle",
    "framesubtitle",
    "caption",
    "hrule",
    "rule",
    "vspace",
    "hspace",
    "title",
    "subtitle",
    "author",
    "date",
    "documentclass",
    "centerline",
    "address",
    "signature",
    "opening",
    "closing",
    "addtocounter",
    "newtheorem",
];

impl BlockParser<'_> {
    /// Raw TeX blocks on consecutive lines, joined as pandoc joins them;
    /// text after a definite block command starts the next block.
    fn raw_tex_block(
        &mut self,
        lines: &[&str],
        i: usize,
        ctx: Ctx,
        out: &mut Vec<B>,
    ) -> Option<usize> {
        let (mut raw, mut next, mut tail) = raw_tex_piece(lines, i)?;
        while tail.is_none() && next < lines.len() {
            let Some((more, n, t)) = raw_tex_piece(lines, next) else {
                break;
            };
            raw.push('\n');
            raw.push_str(&more);
            (next, tail) = (n, t);
        }
        out.push(B::Raw(Format("tex".into()), raw));
        Some(match tail {
            Some(at) => self.block_at_tail(lines, next - 1, at, ctx, out),
            None => next,
        })
    }
}

/// A raw TeX block at `lines[i]`: `\command{...}` alone on its line (or
/// followed by text when pandoc knows it as a block command, the text's
/// offset then returned), or a `\begin{env}...\end{env}`. Returns the
/// TeX, the next line and that offset.
fn raw_tex_piece(lines: &[&str], i: usize) -> Option<(String, usize, Option<usize>)> {
    raw_tex_piece_at(lines, i, 0)
}

/// [`raw_tex_piece`] from byte `from` of `lines[i]` on.
fn raw_tex_piece_at(
    lines: &[&str],
    i: usize,
    from: usize,
) -> Option<(String, usize, Option<usize>)> {
    let line = &lines[i][from..];
    if !line.starts_with('\\') {
        return None;
    }
    let name: String = line[1..]
        .chars()
        .take_while(|c| c.is_ascii_alphabetic())
        .collect();
    if name.is_empty() {
        return None;
    }
    if name == "begin" {
        if from > 0 {
            return None;
        }
        let env = line
            .get("\\begin{".len()..)
            .unwrap_or("")
            .split('}')
            .next()
            .unwrap_or("");
        if INLINE_TEX_ENVIRONMENTS.contains(&env) {
            return None;
        }
        let text = lines[i..].join("\n");
        let len = crate::inline::tex_environment_len(&text)?;
        let consumed = &text[..len];
        let nlines = consumed.matches('\n').count();
        let rest_at = consumed.len() - consumed.rfind('\n').map_or(0, |p| p + 1);
        let rest_of_line = lines[i + nlines].get(rest_at..)?;
        // Text after `\end{env}` starts the next block.
        let tail = (!is_blank(rest_of_line)).then_some(rest_at);
        return Some((consumed.trim().to_string(), i + nlines + 1, tail));
    }
    if INLINE_TEX_COMMANDS.contains(&name.as_str())
        || crate::inline::is_tex_accent(&name)
        || crate::inline::is_tex_font_switch(&name)
        || name == "end"
    {
        return None;
    }
    let mut len = crate::inline::tex_command_len(line)?;
    if matches!(
        name.as_str(),
        "part"
            | "chapter"
            | "section"
            | "subsection"
            | "subsubsection"
            | "paragraph"
            | "subparagraph"
    ) {
        // pandoc reads a `\label` after a sectioning command with it.
        let rest = &line[len..];
        let label_at = len + rest.len() - rest.trim_start().len();
        if line[label_at..].starts_with("\\label{") {
            len = label_at + crate::inline::tex_command_len(&line[label_at..])?;
        } else if is_blank(rest) {
            if let Some(next) = lines
                .get(i + 1)
                .filter(|l| l.trim_start().starts_with("\\label{"))
            {
                let t = next.trim_start();
                if let Some(l) = crate::inline::tex_command_len(t).filter(|&l| is_blank(&t[l..])) {
                    let raw = format!("{}\n{}", line[..len].trim(), t[..l].trim());
                    return Some((raw, i + 2, None));
                }
            }
        }
    }
    if !is_blank(&line[len..]) {
        // Raw TeX blocks follow each other on the line (`\\hfill\\break`).
        let rest = &line[len..];
        let ws = rest.len() - rest.trim_start().len();
        if rest[ws..].starts_with('\\') {
            if let Some((more, next, tail)) = raw_tex_piece_at(lines, i, from + len + ws) {
                return Some((format!("{}{more}", &line[..len + ws]), next, tail));
            }
        }
        if BLOCK_TEX_COMMANDS.contains(&name.as_str()) {
            return Some((line[..len].trim().to_string(), i + 1, Some(from + len)));
        }
        return None;
    }
    Some((line[..len].trim().to_string(), i + 1, None))
}

fn line_block(lines: &[&str], i: usize, raw_html: bool) -> Option<(B, usize)> {
    let is_lb_start = |l: &str| l.starts_with("| ") || l == "|";
    if !is_lb_start(lines[i]) {
        return None;
    }
    let mut out: Vec<String> = Vec::new();
    let mut j = i;
    while j < lines.len() && is_lb_start(lines[j]) {
        let l = lines[j];
        let content = if l.len() > 2 { &l[2..] } else { "" };
        let mut s = String::new();
        let lead = content.bytes().take_while(|&b| b == b' ').count();
        for _ in 0..lead {
            s.push('\u{a0}');
        }
        s.push_str(&content[lead..]);
        j += 1;
        // Continuation lines begin with a space, which is dropped; the
        // lines are joined with one space.
        while j < lines.len() && lines[j].starts_with(' ') && !is_blank(lines[j]) {
            s.push(' ');
            s.push_str(&lines[j][1..]);
            j += 1;
        }
        // pandoc's inlines stop at a block-level tag, and the line ends there.
        if let Some(q) = block_tag_in_text(&s, true).filter(|_| raw_html) {
            s.truncate(s[..q].trim_end_matches([' ', '\t']).len());
        }
        out.push(s);
    }
    Some((B::LineBlock(out), j))
}

/// `: caption` lines up to a blank line: the caption text, attributes, next line.
fn table_caption(lines: &[&str], i: usize) -> Option<((String, Attr), usize)> {
    let l = lines.get(i)?;
    if indent_of(l) > 3 {
        return None;
    }
    let t = l.trim_start();
    let rest = if let Some(r) = t.strip_prefix(':') {
        if r.chars().next().is_some_and(|c| c.is_ascii_punctuation()) {
            return None;
        }
        r
    } else {
        t.strip_prefix("Table:")
            .or_else(|| t.strip_prefix("table:"))?
    };
    let mut text = rest.trim().to_string();
    let mut j = i + 1;
    while j < lines.len() && !is_blank(lines[j]) {
        text.push('\n');
        text.push_str(lines[j]);
        j += 1;
    }
    if j >= lines.len() {
        return None;
    }
    let (t2, attr) = split_trailing_attributes(&text);
    Some(((t2.trim().to_string(), attr.unwrap_or_default()), j))
}

/// True when `lines[k]` is a `: caption` whose table follows.
fn is_caption_of_table(lines: &[&str], k: usize) -> bool {
    let Some((_, mut next)) = table_caption(lines, k) else {
        return false;
    };
    while next < lines.len() && is_blank(lines[next]) {
        next += 1;
    }
    next < lines.len()
        && (table::pipe_table(lines, next).is_some() || lines[next].trim_end().starts_with('+'))
}

/// `[^label]` at the start of a line: the label and the rest.
fn note_marker(l: &str) -> Option<(&str, &str)> {
    if indent_of(l) > 3 {
        return None;
    }
    let t = l.trim_start_matches(' ');
    let r = t.strip_prefix("[^")?;
    let e = r.find(']')?;
    let label = &r[..e];
    if label.is_empty() || label.contains([' ', '\t']) {
        return None;
    }
    Some((label, &r[e + 1..]))
}

/// Index of the `]` ending a reference label starting with `[` at 0.
fn find_label_end(t: &str) -> Option<usize> {
    let b = t.as_bytes();
    let mut depth = 0;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 1,
            b'[' => depth += 1,
            b']' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// Reference labels match case-insensitively with white space collapsed.
pub(crate) fn normalize_label(label: &str) -> String {
    let mut s = String::with_capacity(label.len());
    for w in label.split_whitespace() {
        if !s.is_empty() {
            s.push(' ');
        }
        s.push_str(&w.to_lowercase());
    }
    s
}

/// Column widths as pandoc's `ColWidth`, `None` meaning default.
pub(crate) fn col_spec(align: Alignment, width: Option<f64>) -> ColSpec {
    ColSpec(
        align,
        width.map_or(ColWidth::ColWidthDefault, ColWidth::ColWidth),
    )
}

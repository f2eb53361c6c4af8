//! The block parser: pandoc's Markdown block grammar, line by line.
//!
//! Blocks are parsed first into [`B`], which keeps inline content as source
//! text: reference links and notes may be defined after their use, so inlines
//! are parsed in a second pass (pandoc does the same with its `F` monad).
//!
//! This module holds the parser's state and [`BlockParser::parse_block`],
//! which tries each kind of block at a line in pandoc's order, and block
//! quotes. The kinds of block live in their own modules:
//!
//! - [`ir`]: the intermediate types ([`B`], tables, what is collected);
//! - [`scan`]: what a single line is (blank-ish markers, rules, fences);
//! - [`leaf`]: paragraphs, headings, code blocks, line blocks;
//! - [`list`]: bullet, ordered and example lists and their markers;
//! - [`definition_list`]: definition lists;
//! - [`div`]: fenced divs (`:::`) and HTML divs (`<div>`);
//! - [`raw_html`]: raw HTML blocks and verbatim elements (`<script>`, comments);
//! - [`raw_tex`]: raw TeX blocks;
//! - [`tables`]: where a table starts and its caption (the tables
//!   themselves are read in [`crate::table`]);
//! - [`references`]: note definitions and reference link definitions;
//! - [`meta`]: the YAML metadata block and the pandoc title block.

mod definition_list;
mod div;
mod ir;
mod leaf;
mod list;
mod meta;
mod raw_html;
mod raw_tex;
mod references;
mod scan;
pub(crate) use raw_html::is_block_tag_at;
mod tables;

pub(crate) use ir::{CellIr, Collected, TableIr, TitleBlock, YamlBlock, B};
pub(crate) use references::normalize_label;
pub(crate) use scan::last_line_of_inlines;
pub(crate) use tables::col_spec;

/// Whether pandoc's block parser would read a block-level HTML tag in a
/// line of text (at its start or ending a paragraph before it): a metadata
/// value of one line is then read as blocks, not as inlines alone.
pub(crate) fn has_html_block_tag(line: &str) -> bool {
    raw_html::block_tag_in_text(line, true).is_some()
}

use crate::attr::{indent_of, is_blank};
use definition_list::def_marker;
use leaf::{atx_header, fenced_code, indented_code, line_block, setext_header};
use list::list_start;
use meta::title_block;
use scan::{is_div_fence_end, is_hrule, is_html_div_close, quote_start, split_lines};

#[derive(Clone, Copy, Default)]
pub(super) struct Ctx {
    in_list: bool,
    div_level: usize,
    html_div: usize,
    top: bool,
    /// Inside a fenced div, at any depth (pandoc's state, not the
    /// container's): paragraphs and lazy lines end at a closing fence.
    div_open: bool,
    /// The lines end without the blank line pandoc's text would have there
    /// (a tight list item or definition followed by more of its container):
    /// a simple table or a caption running to their end is none.
    end_open: bool,
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
    /// Bytes that HTML divs left open inside a container may still copy:
    /// each takes the rest of its container, so nested ones would copy it
    /// again at every level. Past this budget (the document's size),
    /// such a div stays raw HTML. One at the top level is always read.
    open_div_budget: usize,
    /// The HTML block tags open around the current block, innermost last
    /// (pandoc's `stateInHtmlBlock`, which a tag's `rawHtmlBlocks` sets
    /// for the blocks after it up to its closer): a line starting with the
    /// innermost one's closing tag ends a list item, a definition or a
    /// block quote's lazy lines.
    html_open: Vec<String>,
    /// The address of the line an HTML div's `</div>` ends after text
    /// (`<div>text</div>`): pandoc reads on past that line's text into the
    /// closer, so it is no line of its own (no heading, rule, list marker
    /// or setext underline), only a paragraph's text.
    closer_tail: Option<usize>,
    /// Opening block tags of raw HTML runs still open: the length of
    /// `html_open` with them, the nesting depth, where their raw block
    /// stands in its blocks and its text.
    html_openers: Vec<(usize, usize, usize, String)>,
}

/// Nesting deeper than this is read as plain text, so that no input can
/// exhaust the stack.
pub(super) const MAX_DEPTH: usize = 200;

impl<'c> BlockParser<'c> {
    pub(crate) fn new(col: &'c mut Collected) -> Self {
        BlockParser {
            col,
            depth: 0,
            reread_budget: usize::MAX,
            no_closer: Vec::new(),
            open_div_budget: 1 << 20,
            html_open: Vec::new(),
            closer_tail: None,
            html_openers: Vec::new(),
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
        self.open_div_budget = text.len().max(1 << 20);
        let mut start = 0;
        if self.col.ext.pandoc_title_block && text.starts_with('%') {
            let (tb, next) = title_block(&lines, self.col.ext.raw_html);
            self.col.title_block = Some(tb);
            start = next;
        }
        self.parse_lines(&lines, start, ctx).0
    }

    pub(super) fn parse_text(&mut self, text: &str, ctx: Ctx) -> Vec<B> {
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
        let open = self.html_open.len();
        let r = self.parse_lines(&lines, 0, ctx).0;
        self.html_open.truncate(open);
        self.depth -= 1;
        r
    }

    /// [`Self::parse_text`] on lines already split (a list item's).
    pub(super) fn parse_item_lines(&mut self, lines: &[&str], ctx: Ctx) -> Vec<B> {
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
        let open = self.html_open.len();
        let r = self.parse_lines(lines, 0, ctx).0;
        self.html_open.truncate(open);
        self.depth -= 1;
        r
    }

    /// Parses blocks from `lines[i..]` until the end or, inside a fenced or
    /// HTML div, its closing line (not consumed). Returns the blocks and where it stopped.
    pub(super) fn parse_lines(
        &mut self,
        lines: &[&str],
        mut i: usize,
        ctx: Ctx,
    ) -> (Vec<B>, usize) {
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

    /// Whether `l` is the line a `</div>` follows on (see `closer_tail`).
    fn is_closer_tail(&self, l: &str) -> bool {
        !l.is_empty() && self.closer_tail == Some(l.as_ptr() as usize)
    }

    /// Parses one block at `lines[i]` (not blank) and returns the next line index.
    fn parse_block(&mut self, lines: &[&str], i: usize, ctx: Ctx, out: &mut Vec<B>) -> usize {
        let line = lines[i];
        // A line that a `</div>` follows is only a paragraph's text: the
        // blocks that end at their line's end fail on it.
        let tail = self.is_closer_tail(line);
        let next_tail = lines.get(i + 1).is_some_and(|l| self.is_closer_tail(l));
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
        if matches!(first, b'*' | b'+' | b'-') && !tail {
            if let Some(next) = self.list(lines, i, ctx, None, out) {
                return next;
            }
        }
        // An indented tag is no div nor raw HTML block for pandoc (its
        // parsers start at the tag): a table or a definition list may take
        // the line first.
        if first == b'<' && line.starts_with(' ') && !tail && !next_tail {
            if let Some(next) = self.table(lines, i, ctx, out) {
                return next;
            }
            if let Some(next) = self.definition_list(lines, i, ctx, out) {
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
        let ext = &self.col.ext;
        let setext = || {
            (!next_tail)
                .then(|| setext_header(lines, i, ext.tex_math_dollars))
                .flatten()
        };
        // A heading's inlines end at a block-level tag: then it is none.
        let atx = || {
            (!tail)
                .then(|| atx_header(lines, i, ext.tex_math_dollars, ext.raw_tex))
                .flatten()
                .filter(|(b, _)| match b {
                    B::Header(_, _, text) => {
                        raw_html::block_start_in_text(text, true, ext.raw_html, false).is_none()
                    }
                    _ => true,
                })
        };
        if let Some((b, next)) = setext().or_else(atx) {
            out.push(b);
            return next;
        }
        if first == b'<' && self.col.ext.raw_html {
            if let Some(next) = self.html_block(lines, i, ctx, out) {
                return next;
            }
        }
        if tail || next_tail {
            // Neither a table's line.
        } else if let Some(next) = self.table(lines, i, ctx, out) {
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
        if tail {
            return self.para(lines, i, ctx, out);
        }
        if is_hrule(line) {
            out.push(B::HRule);
            return i + 1;
        }
        if let Some(next) = self.ordered_list(lines, i, ctx, out) {
            return next;
        }
        // A definition's marker a `</div>` follows is none.
        let def_tail = next_tail || lines.get(i + 2).is_some_and(|l| self.is_closer_tail(l));
        if def_tail {
            // Text.
        } else if let Some(next) = self.definition_list(lines, i, ctx, out) {
            return next;
        }
        if first == b'[' {
            if let Some(next) = self.note_block(lines, i, ctx, out) {
                return next;
            }
            if let Some(next) = self.reference_key(lines, i, out) {
                return next;
            }
        }
        self.para(lines, i, ctx, out)
    }

    fn block_quote(&mut self, lines: &[&str], i: usize, ctx: Ctx, out: &mut Vec<B>) -> usize {
        let mut j = i;
        let mut text = String::new();
        while j < lines.len() && !is_blank(lines[j]) {
            let l = lines[j];
            let stripped = match quote_start(l) {
                Some(rest) => rest,
                // A lazy line (pandoc's `endline`, which takes its leading
                // white space), unless it closes the enclosing div, starts
                // a backtick fence or, in a list, an item; or is a quote
                // line indented too far to be one.
                None if ctx.div_open && is_div_fence_end(l) => break,
                None if self.is_html_closer(l) => break,
                None if l.starts_with('`') && fenced_code(lines, j).is_some() => break,
                None if ctx.in_list && (list_start(l).is_some() || def_marker(l).is_some()) => {
                    break
                }
                None => {
                    let lazy = l.trim_start_matches([' ', '\t']);
                    if lazy.starts_with('>') {
                        break;
                    }
                    lazy
                }
            };
            text.push_str(stripped);
            text.push('\n');
            j += 1;
        }
        text.push('\n');
        let ctx = Ctx {
            in_list: ctx.in_list,
            div_open: ctx.div_open,
            ..Ctx::default()
        };
        let blocks = self.parse_text(&text, ctx);
        out.push(B::Quote(blocks));
        j
    }

    /// Whether `l` starts with the closing tag of the innermost open HTML
    /// block (pandoc's `notFollowedByHtmlCloser`).
    pub(super) fn is_html_closer(&self, l: &str) -> bool {
        self.html_open
            .last()
            .is_some_and(|name| scan::is_closing_tag(l, name))
    }

    /// Notes an HTML block tag just read as a raw block: an opening tag
    /// (not self-closing) opens, the innermost one's closing tag closes.
    pub(super) fn note_html_tag(&mut self, tag: &str) {
        if let Some(name) = self.html_open.last() {
            if scan::is_closing_tag(tag, name) {
                self.html_open.pop();
                return;
            }
        }
        if tag.starts_with("</") || tag.starts_with("<!") || tag.ends_with("/>") {
            return;
        }
        let name: String = tag[1..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':'))
            .collect();
        if !name.is_empty() {
            // Only the innermost tags matter: a bounded stack keeps its
            // copies (`block_at_tail`) cheap however many stay open.
            const MAX_OPEN: usize = 64;
            if self.html_open.len() >= MAX_OPEN {
                self.html_open.remove(0);
            }
            self.html_open.push(name.to_ascii_lowercase());
        }
    }

    /// After a block that ends at `lines[m][e..]`: the rest of that line,
    /// when not blank, starts the next block, as in pandoc's stream of
    /// characters. Returns the line after what was read.
    pub(super) fn block_at_tail(
        &mut self,
        lines: &[&str],
        m: usize,
        e: usize,
        ctx: Ctx,
        out: &mut Vec<B>,
    ) -> usize {
        self.block_at_tail_as(lines, m, e, false, ctx, out)
    }

    /// [`Self::block_at_tail`], the tail's leading spaces kept with
    /// `keep_spaces` (after a div's `</div>`, pandoc reads on where the
    /// tag ends: four spaces there make code, one makes `#` no heading).
    pub(super) fn block_at_tail_as(
        &mut self,
        lines: &[&str],
        m: usize,
        e: usize,
        keep_spaces: bool,
        ctx: Ctx,
        out: &mut Vec<B>,
    ) -> usize {
        let tail = match keep_spaces {
            true => &lines[m][e..],
            false => lines[m][e..].trim_start_matches([' ', '\t']),
        };
        if tail.trim().is_empty() {
            return m + 1;
        }
        // The tail and the lines after it; a block longer than the short
        // window gets the whole rest.
        const WINDOW: usize = 64;
        let mut window = lines.len().min(m + 1 + WINDOW);
        let open = self.html_open.clone();
        // Read into `out` itself: a closing tag there finds its opening
        // tag's raw block (`html_openers`).
        let base = out.len();
        loop {
            let mut sub: Vec<&str> = Vec::with_capacity(window - m);
            sub.push(tail);
            sub.extend_from_slice(&lines[m + 1..window]);
            let next = self.parse_block(&sub, 0, ctx, out);
            if next < sub.len() || window == lines.len() {
                return m + next;
            }
            out.truncate(base);
            self.html_open.clone_from(&open);
            window = lines.len();
        }
    }
}

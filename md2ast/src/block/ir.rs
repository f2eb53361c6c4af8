//! The block parser's intermediate types: blocks whose inline content is
//! still source text, and what the parser collects besides blocks.

use ast::{Attr, ColSpec, Format, ListAttributes};
use std::collections::HashMap;

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
    /// Level, attributes, text.
    Header(i64, Attr, String),
    HRule,
    Table(Box<TableIr>),
    Div(Attr, Vec<B>),
    /// Where a note is defined: pandoc reads a definition where it
    /// stands, so its headings take their identifiers there and, when its
    /// text may hold notes (`^`, the flag), the notes and note references
    /// in it advance the citation count there. No block of its own; the
    /// index of its blocks in [`Collected::note_defs`].
    NoteDef(usize, bool),
    /// A reference definition's label holding citations: pandoc reads it
    /// as inlines where it stands, so its citations advance the count
    /// there. No block of its own.
    Counted(String),
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
    /// The caption follows the table: its citations are counted after the cells'.
    pub caption_after: bool,
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
    /// Note definitions by label: the index of the last one's blocks in
    /// `note_defs`.
    pub notes: HashMap<String, usize>,
    /// The blocks of every note definition, in order.
    pub note_defs: Vec<Vec<B>>,
    pub yaml: Vec<YamlBlock>,
    /// Example list labels (`(@label)`) and their numbers.
    pub examples: HashMap<String, i64>,
    /// Examples numbered so far: example lists continue the numbering.
    pub example_count: i64,
    /// Example items (markers) read so far, and for each label the
    /// ordinal of the item that defined it: a reference before that item
    /// is read by pandoc as a citation.
    pub example_markers: i64,
    pub example_ordinals: HashMap<String, i64>,
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

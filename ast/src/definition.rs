//! The document model, one to one with pandoc-types 1.23 (`Text.Pandoc.Definition`).
//!
//! Names follow pandoc-types so that a pandoc user can read a filter written
//! against this crate without a dictionary. Single-constructor pieces
//! (`Caption`, `Row`, `Cell`, `TableHead`, ...) are tuple structs: pandoc's JSON
//! writes them as bare arrays.

use std::collections::BTreeMap;

/// The API version this crate implements, written in every document exactly
/// as pandoc 3.9 stamps it (pandoc-types 1.23.1.1); any 1.23.x is read.
pub const API_VERSION: [u32; 4] = [1, 23, 1, 1];

/// A whole document: metadata and blocks.
#[derive(Debug, Clone, PartialEq)]
pub struct Pandoc {
    /// `pandoc-api-version` as read (pandoc 3.9 writes `[1,23,1,1]`); kept so
    /// that a document read and written back is unchanged byte for byte.
    pub api_version: Vec<u32>,
    pub meta: Meta,
    pub blocks: Vec<Block>,
}

impl Default for Pandoc {
    fn default() -> Self {
        Pandoc {
            api_version: API_VERSION.to_vec(),
            meta: Meta::default(),
            blocks: Vec::new(),
        }
    }
}

impl Pandoc {
    /// A document with the current API version.
    pub fn new(meta: Meta, blocks: Vec<Block>) -> Self {
        Pandoc {
            api_version: API_VERSION.to_vec(),
            meta,
            blocks,
        }
    }
}

/// Metadata: pandoc's `Meta`, a map whose keys come out sorted.
pub type Meta = BTreeMap<String, MetaValue>;

#[derive(Debug, Clone, PartialEq)]
pub enum MetaValue {
    MetaMap(BTreeMap<String, MetaValue>),
    MetaList(Vec<MetaValue>),
    MetaBool(bool),
    MetaString(String),
    MetaInlines(Vec<Inline>),
    MetaBlocks(Vec<Block>),
}

/// Identifier, classes, key-value pairs.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Attr {
    pub id: String,
    pub classes: Vec<String>,
    pub attributes: Vec<(String, String)>,
}

impl Attr {
    /// True when the attribute is `("", [], [])`.
    pub fn is_empty(&self) -> bool {
        self.id.is_empty() && self.classes.is_empty() && self.attributes.is_empty()
    }

    /// The value of the first key-value pair named `key`.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// True when `class` is one of the classes.
    pub fn has_class(&self, class: &str) -> bool {
        self.classes.iter().any(|c| c == class)
    }
}

/// A raw format name such as `tex`, `latex` or `html`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Format(pub String);

impl Format {
    /// True for `tex` and `latex` (pandoc treats both as LaTeX).
    pub fn is_tex(&self) -> bool {
        matches!(self.0.as_str(), "tex" | "latex")
    }

    /// True for `html`, `html4` and `html5`.
    pub fn is_html(&self) -> bool {
        matches!(self.0.as_str(), "html" | "html4" | "html5")
    }
}

/// URL and title of a link or image.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Target {
    pub url: String,
    pub title: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Plain(Vec<Inline>),
    Para(Vec<Inline>),
    LineBlock(Vec<Vec<Inline>>),
    CodeBlock(Attr, String),
    RawBlock(Format, String),
    BlockQuote(Vec<Block>),
    OrderedList(ListAttributes, Vec<Vec<Block>>),
    BulletList(Vec<Vec<Block>>),
    DefinitionList(Vec<(Vec<Inline>, Vec<Vec<Block>>)>),
    Header(i64, Attr, Vec<Inline>),
    HorizontalRule,
    Table(Box<Table>),
    Figure(Attr, Caption, Vec<Block>),
    Div(Attr, Vec<Block>),
}

/// The fields of `Block::Table`, boxed so that `Block` stays small.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub attr: Attr,
    pub caption: Caption,
    pub colspecs: Vec<ColSpec>,
    pub head: TableHead,
    pub bodies: Vec<TableBody>,
    pub foot: TableFoot,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Inline {
    Str(String),
    Emph(Vec<Inline>),
    Underline(Vec<Inline>),
    Strong(Vec<Inline>),
    Strikeout(Vec<Inline>),
    Superscript(Vec<Inline>),
    Subscript(Vec<Inline>),
    SmallCaps(Vec<Inline>),
    Quoted(QuoteType, Vec<Inline>),
    Cite(Vec<Citation>, Vec<Inline>),
    Code(Box<Attr>, String),
    Space,
    SoftBreak,
    LineBreak,
    Math(MathType, String),
    RawInline(Format, String),
    Link(Box<Attr>, Vec<Inline>, Box<Target>),
    Image(Box<Attr>, Vec<Inline>, Box<Target>),
    Note(Vec<Block>),
    Span(Box<Attr>, Vec<Inline>),
}

// Every word and space of a document is an `Inline`: the attributes and
// targets of the few code spans, links, images and spans are boxed so that
// the size of the many `Str` and `Space` stays small (56 bytes instead of
// 152), which is what a large paragraph costs in memory and in copies.
const _: () = assert!(std::mem::size_of::<Inline>() <= 56);

impl Block {
    /// Every constructor's name, as pandoc's JSON spells it in `"t"`.
    pub const TAGS: [&'static str; 14] = [
        "Plain",
        "Para",
        "LineBlock",
        "CodeBlock",
        "RawBlock",
        "BlockQuote",
        "OrderedList",
        "BulletList",
        "DefinitionList",
        "Header",
        "HorizontalRule",
        "Table",
        "Figure",
        "Div",
    ];

    /// The constructor's name (`"Para"`), as in pandoc's JSON.
    pub fn tag(&self) -> &'static str {
        match self {
            Block::Plain(..) => "Plain",
            Block::Para(..) => "Para",
            Block::LineBlock(..) => "LineBlock",
            Block::CodeBlock(..) => "CodeBlock",
            Block::RawBlock(..) => "RawBlock",
            Block::BlockQuote(..) => "BlockQuote",
            Block::OrderedList(..) => "OrderedList",
            Block::BulletList(..) => "BulletList",
            Block::DefinitionList(..) => "DefinitionList",
            Block::Header(..) => "Header",
            Block::HorizontalRule => "HorizontalRule",
            Block::Table(..) => "Table",
            Block::Figure(..) => "Figure",
            Block::Div(..) => "Div",
        }
    }
}

impl Inline {
    /// Every constructor's name, as pandoc's JSON spells it in `"t"`.
    pub const TAGS: [&'static str; 20] = [
        "Str",
        "Emph",
        "Underline",
        "Strong",
        "Strikeout",
        "Superscript",
        "Subscript",
        "SmallCaps",
        "Quoted",
        "Cite",
        "Code",
        "Space",
        "SoftBreak",
        "LineBreak",
        "Math",
        "RawInline",
        "Link",
        "Image",
        "Note",
        "Span",
    ];

    /// The constructor's name (`"Str"`), as in pandoc's JSON.
    pub fn tag(&self) -> &'static str {
        match self {
            Inline::Str(..) => "Str",
            Inline::Emph(..) => "Emph",
            Inline::Underline(..) => "Underline",
            Inline::Strong(..) => "Strong",
            Inline::Strikeout(..) => "Strikeout",
            Inline::Superscript(..) => "Superscript",
            Inline::Subscript(..) => "Subscript",
            Inline::SmallCaps(..) => "SmallCaps",
            Inline::Quoted(..) => "Quoted",
            Inline::Cite(..) => "Cite",
            Inline::Code(..) => "Code",
            Inline::Space => "Space",
            Inline::SoftBreak => "SoftBreak",
            Inline::LineBreak => "LineBreak",
            Inline::Math(..) => "Math",
            Inline::RawInline(..) => "RawInline",
            Inline::Link(..) => "Link",
            Inline::Image(..) => "Image",
            Inline::Note(..) => "Note",
            Inline::Span(..) => "Span",
        }
    }
}

/// Start number, style and delimiter of an ordered list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListAttributes {
    pub start: i64,
    pub style: ListNumberStyle,
    pub delim: ListNumberDelim,
}

impl Default for ListAttributes {
    fn default() -> Self {
        ListAttributes {
            start: 1,
            style: ListNumberStyle::DefaultStyle,
            delim: ListNumberDelim::DefaultDelim,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListNumberStyle {
    DefaultStyle,
    Example,
    Decimal,
    LowerRoman,
    UpperRoman,
    LowerAlpha,
    UpperAlpha,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListNumberDelim {
    DefaultDelim,
    Period,
    OneParen,
    TwoParens,
}

/// A caption: an optional short caption and the caption's blocks.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Caption(pub Option<Vec<Inline>>, pub Vec<Block>);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Alignment {
    AlignLeft,
    AlignRight,
    AlignCenter,
    AlignDefault,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ColWidth {
    ColWidth(f64),
    ColWidthDefault,
}

/// Alignment and width of a table column.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ColSpec(pub Alignment, pub ColWidth);

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Row(pub Attr, pub Vec<Cell>);

#[derive(Debug, Clone, PartialEq, Default)]
pub struct TableHead(pub Attr, pub Vec<Row>);

/// Attributes, number of row-head columns, intermediate head rows, body rows.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TableBody(pub Attr, pub i64, pub Vec<Row>, pub Vec<Row>);

#[derive(Debug, Clone, PartialEq, Default)]
pub struct TableFoot(pub Attr, pub Vec<Row>);

/// Attributes, alignment, row span, column span, contents.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell(pub Attr, pub Alignment, pub i64, pub i64, pub Vec<Block>);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuoteType {
    SingleQuote,
    DoubleQuote,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MathType {
    DisplayMath,
    InlineMath,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Citation {
    pub id: String,
    pub prefix: Vec<Inline>,
    pub suffix: Vec<Inline>,
    pub mode: CitationMode,
    pub note_num: i64,
    pub hash: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CitationMode {
    AuthorInText,
    SuppressAuthor,
    NormalCitation,
}

/// Drops a document on a large stack segment of its own: a document nested
/// 100,000 levels deep would otherwise overflow the caller's stack in the
/// compiler's recursive drop glue. The segment is only committed as touched.
impl Drop for Pandoc {
    fn drop(&mut self) {
        let blocks = std::mem::take(&mut self.blocks);
        let meta = std::mem::take(&mut self.meta);
        if blocks.is_empty() && meta.is_empty() {
            return;
        }
        stacker::grow(DROP_STACK, move || drop((blocks, meta)));
    }
}

/// Stack for dropping a document: enough for millions of nesting levels.
const DROP_STACK: usize = 1 << 30;

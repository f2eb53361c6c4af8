//! What the fuzz targets share: a generator of pandoc documents driven by
//! the fuzzer's bytes (every Block and Inline variant, metadata, tables),
//! and the checks some targets make on a stage's output.
//!
//! The generator draws text from a dictionary of the characters and words
//! the stages treat specially (French punctuation, TeX and HTML specials,
//! raw TeX commands, sentinels for the HTML injection check) mixed with
//! arbitrary strings, so the fuzzer reaches the interesting paths quickly.

use std::collections::BTreeMap;

use arbitrary::{Result, Unstructured};
use ast::*;

/// Text the HTML check looks for: it may appear in the output as text, but
/// never as the name of a tag (`<zzfuzz`) or of an attribute (`zzattr=`).
pub const TAG_SENTINEL: &str = "zzfuzz";
pub const ATTR_SENTINEL: &str = "zzattr";

const PIECES: &[&str] = &[
    " ", "  ", "\n", "\t", "\r", "\u{a0}", "\u{202f}", "\u{2009}", ":", ";", "!", "?", "!?", "«", "»",
    "« ", " »", "\"", "'", "’", "‘", "“", "”", "<", ">", "&", "&amp;", "&#", "\\", "{", "}", "$", "$$",
    "%", "#", "_", "^", "~", "--", "---", "...", "…", "12", "3,5", "25 %", "km", "Mo", "€", "°C",
    "mot", "Éloïse", "DURAND", "Camille DURAND", "M.", "XIXe", "œ", "ﬁ", "\u{0}", "\u{1}", "\u{7f}",
    "\u{200b}", "\u{fffd}", "𝔘", "é", "e\u{301}", "\\textsc{", "\\textsc{Nom}", "\\emph{", "\\textbf{x}",
    "\\newpage", "\\clearpage", "\\pagebreak", "\\\\", "\\input{x}", "\\write18{}", "\\def", "\\x", "]]",
    "[[", "<zzfuzz>", "<zzfuzz ", "\" zzattr=\"", "' zzattr='", " zzattr=x", "zzattr=", "-->",
    "<!--", "<script>", "</p>", "javascript:", "http://example.org/?a=1&b=2", "#ancre", "data:",
    "`", "|", "*", "**", "[", "]", "(", ")", "@", "=", "/", "-", "+", ".", ",",
];

const FORMATS: &[&str] = &["html", "html5", "HTML", "latex", "tex", "openxml", "rtf", "context", "ms"];
const NON_HTML_FORMATS: &[&str] = &["latex", "tex", "openxml", "rtf", "context", "ms"];
const NON_TEX_FORMATS: &[&str] = &["html", "html5", "openxml", "rtf", "context", "ms"];

const META_KEYS: &[&str] = &[
    "lang", "title", "subtitle", "author", "date", "abstract", "typography", "acronyms", "toc-title",
    "keywords", "before-colon", "before-high", "in-guillemets", "number-unit", "add-missing",
    "pagetitle", "header-includes", "css", "documentclass", "fontfamily", "geometry",
];
const META_WORDS: &[&str] = &[
    "fr", "fr-FR", "en", "en-US", "de", "", "true", "false", "yes", "no", "on", "off", "none", "nbsp",
    "thin", "narrow", "frr", "12pt", "a4paper",
];
const LANGUAGES: &[&str] = &["python", "rust", "sh", "json", "c", "html", "latex", "haskell", "", "nope"];

/// Limits of a generated document.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Deepest nesting of blocks and inlines.
    pub max_depth: usize,
    /// Most nodes in the document.
    pub max_nodes: usize,
    /// Raw HTML (RawBlock/RawInline in an HTML format) allowed.
    pub raw_html: bool,
    /// Raw TeX allowed.
    pub raw_tex: bool,
    /// Math and code blocks allowed (their text is passed through raw in LaTeX).
    pub verbatim: bool,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_depth: 8,
            max_nodes: 600,
            raw_html: true,
            raw_tex: true,
            verbatim: true,
        }
    }
}

/// Draws a document from the fuzzer's bytes.
pub fn gen_pandoc(u: &mut Unstructured<'_>, limits: Limits) -> Result<Pandoc> {
    let mut g = Gen {
        u,
        limits,
        depth: 0,
        nodes: 0,
    };
    let meta = g.meta()?;
    let blocks = g.blocks()?;
    let mut doc = Pandoc::new(meta, blocks);
    if g.u.ratio(1, 8)? {
        // pandoc 3.9 writes [1,23,1,1]: both must round-trip.
        doc.api_version = vec![1, 23, 1, 1];
    }
    Ok(doc)
}

struct Gen<'a, 'b> {
    u: &'b mut Unstructured<'a>,
    limits: Limits,
    depth: usize,
    nodes: usize,
}

impl Gen<'_, '_> {
    /// True while the document may still grow.
    fn room(&self) -> bool {
        self.nodes < self.limits.max_nodes && self.depth < self.limits.max_depth && !self.u.is_empty()
    }

    fn text(&mut self) -> Result<String> {
        let mut s = String::new();
        let pieces = self.u.int_in_range(0..=4)?;
        for _ in 0..pieces {
            if self.u.ratio(3, 4)? {
                s.push_str(self.u.choose(PIECES)?);
            } else {
                let len = self.u.int_in_range(0..=8)?;
                for _ in 0..len {
                    s.push(self.u.arbitrary::<char>()?);
                }
            }
        }
        Ok(s)
    }

    /// A word-like string (a `Str`): no spaces are required, but allowed.
    fn word(&mut self) -> Result<String> {
        let s = self.text()?;
        Ok(if s.is_empty() { "mot".into() } else { s })
    }

    fn attr(&mut self) -> Result<Attr> {
        if self.u.ratio(1, 2)? {
            return Ok(Attr::default());
        }
        let id = self.text()?;
        let mut classes = Vec::new();
        for _ in 0..self.u.int_in_range(0..=3)? {
            classes.push(if self.u.ratio(1, 2)? {
                (*self.u.choose(&[
                    "unnumbered", "smallcaps", "underline", "numberLines", "python", "rust", "sourceCode",
                    "sidebar", "landscape", "mark", "column", "columns", "allowframebreaks", "fragile",
                ])?)
                .to_string()
            } else {
                self.text()?
            });
        }
        let mut attributes = Vec::new();
        for _ in 0..self.u.int_in_range(0..=2)? {
            let key = if self.u.ratio(1, 2)? {
                (*self.u.choose(&["width", "height", "startFrom", "lang", "style", "data-x", "dir"])?).to_string()
            } else {
                self.text()?
            };
            attributes.push((key, self.text()?));
        }
        Ok(Attr { id, classes, attributes })
    }

    fn format(&mut self) -> Result<Format> {
        let list = match (self.limits.raw_html, self.limits.raw_tex) {
            (true, true) => FORMATS,
            (false, true) => NON_HTML_FORMATS,
            (true, false) => NON_TEX_FORMATS,
            (false, false) => &["openxml", "rtf", "context", "ms"],
        };
        Ok(Format((*self.u.choose(list)?).to_string()))
    }

    fn target(&mut self) -> Result<Target> {
        Ok(Target {
            url: self.text()?,
            title: self.text()?,
        })
    }

    fn inlines(&mut self) -> Result<Vec<Inline>> {
        let mut v = Vec::new();
        if !self.room() {
            return Ok(v);
        }
        self.depth += 1;
        let n = self.u.int_in_range(0..=6)?;
        for _ in 0..n {
            if !self.room() {
                break;
            }
            v.push(self.inline()?);
        }
        self.depth -= 1;
        Ok(v)
    }

    fn inline(&mut self) -> Result<Inline> {
        self.nodes += 1;
        let verbatim = self.limits.verbatim;
        Ok(match self.u.int_in_range(0..=23)? {
            0..=4 => Inline::Str(self.word()?),
            5 | 6 => Inline::Space,
            7 => Inline::SoftBreak,
            8 => Inline::LineBreak,
            9 => Inline::Emph(self.inlines()?),
            10 => Inline::Underline(self.inlines()?),
            11 => Inline::Strong(self.inlines()?),
            12 => Inline::Strikeout(self.inlines()?),
            13 => Inline::Superscript(self.inlines()?),
            14 => Inline::Subscript(self.inlines()?),
            15 => Inline::SmallCaps(self.inlines()?),
            16 => Inline::Quoted(
                if self.u.arbitrary()? { QuoteType::SingleQuote } else { QuoteType::DoubleQuote },
                self.inlines()?,
            ),
            17 => {
                let mut citations = Vec::new();
                for _ in 0..self.u.int_in_range(1..=2)? {
                    citations.push(Citation {
                        id: self.word()?,
                        prefix: self.inlines()?,
                        suffix: self.inlines()?,
                        mode: *self.u.choose(&[
                            CitationMode::AuthorInText,
                            CitationMode::SuppressAuthor,
                            CitationMode::NormalCitation,
                        ])?,
                        note_num: self.u.int_in_range(-1..=3)?,
                        hash: self.u.int_in_range(0..=3)?,
                    });
                }
                Inline::Cite(citations, self.inlines()?)
            }
            18 => Inline::Code(Box::new(self.attr()?), self.text()?),
            19 if verbatim => Inline::Math(
                if self.u.arbitrary()? { MathType::InlineMath } else { MathType::DisplayMath },
                self.text()?,
            ),
            20 if self.limits.raw_tex || self.limits.raw_html || self.u.arbitrary()? => {
                Inline::RawInline(self.format()?, self.text()?)
            }
            21 => {
                if self.u.arbitrary()? {
                    Inline::Link(
                        Box::new(self.attr()?),
                        self.inlines()?,
                        Box::new(self.target()?),
                    )
                } else {
                    Inline::Image(
                        Box::new(self.attr()?),
                        self.inlines()?,
                        Box::new(self.target()?),
                    )
                }
            }
            22 => Inline::Note(self.blocks()?),
            23 => Inline::Span(Box::new(self.attr()?), self.inlines()?),
            _ => Inline::Str(self.word()?),
        })
    }

    fn blocks(&mut self) -> Result<Vec<Block>> {
        let mut v = Vec::new();
        if !self.room() {
            return Ok(v);
        }
        self.depth += 1;
        let n = self.u.int_in_range(0..=5)?;
        for _ in 0..n {
            if !self.room() {
                break;
            }
            v.push(self.block()?);
        }
        self.depth -= 1;
        Ok(v)
    }

    fn list_items(&mut self) -> Result<Vec<Vec<Block>>> {
        let mut items = Vec::new();
        for _ in 0..self.u.int_in_range(0..=3)? {
            items.push(self.blocks()?);
        }
        Ok(items)
    }

    fn block(&mut self) -> Result<Block> {
        self.nodes += 1;
        let verbatim = self.limits.verbatim;
        Ok(match self.u.int_in_range(0..=15)? {
            0 | 1 => Block::Para(self.inlines()?),
            2 => Block::Plain(self.inlines()?),
            3 => {
                let mut lines = Vec::new();
                for _ in 0..self.u.int_in_range(0..=3)? {
                    lines.push(self.inlines()?);
                }
                Block::LineBlock(lines)
            }
            4 if verbatim => {
                let mut attr = self.attr()?;
                if self.u.ratio(1, 2)? {
                    attr.classes.insert(0, (*self.u.choose(LANGUAGES)?).to_string());
                }
                Block::CodeBlock(attr, self.text()?)
            }
            5 if self.limits.raw_tex || self.limits.raw_html || self.u.arbitrary()? => {
                Block::RawBlock(self.format()?, self.text()?)
            }
            6 => Block::BlockQuote(self.blocks()?),
            7 => Block::OrderedList(
                ListAttributes {
                    start: self.u.int_in_range(-3..=1_000_000)?,
                    style: *self.u.choose(&[
                        ListNumberStyle::DefaultStyle,
                        ListNumberStyle::Example,
                        ListNumberStyle::Decimal,
                        ListNumberStyle::LowerRoman,
                        ListNumberStyle::UpperRoman,
                        ListNumberStyle::LowerAlpha,
                        ListNumberStyle::UpperAlpha,
                    ])?,
                    delim: *self.u.choose(&[
                        ListNumberDelim::DefaultDelim,
                        ListNumberDelim::Period,
                        ListNumberDelim::OneParen,
                        ListNumberDelim::TwoParens,
                    ])?,
                },
                self.list_items()?,
            ),
            8 => Block::BulletList(self.list_items()?),
            9 => {
                let mut items = Vec::new();
                for _ in 0..self.u.int_in_range(0..=2)? {
                    items.push((self.inlines()?, self.list_items()?));
                }
                Block::DefinitionList(items)
            }
            10 => Block::Header(self.u.int_in_range(0..=7)?, self.attr()?, self.inlines()?),
            11 => Block::HorizontalRule,
            12 => Block::Table(Box::new(self.table()?)),
            13 => Block::Figure(self.attr()?, self.caption()?, self.blocks()?),
            14 => Block::Div(self.attr()?, self.blocks()?),
            _ => Block::Para(self.inlines()?),
        })
    }

    fn caption(&mut self) -> Result<Caption> {
        let short = if self.u.ratio(1, 4)? { Some(self.inlines()?) } else { None };
        Ok(Caption(short, self.blocks()?))
    }

    fn table(&mut self) -> Result<Table> {
        self.depth += 1;
        let columns = self.u.int_in_range(0..=4)?;
        let mut colspecs = Vec::new();
        for _ in 0..columns {
            let align = *self.u.choose(&[
                Alignment::AlignLeft,
                Alignment::AlignRight,
                Alignment::AlignCenter,
                Alignment::AlignDefault,
            ])?;
            let width = if self.u.arbitrary()? {
                ColWidth::ColWidthDefault
            } else {
                ColWidth::ColWidth(*self.u.choose(&[0.0, 0.1, 0.25, 1.0 / 3.0, 0.5, 1.0, 1.5, 1e-7])?)
            };
            colspecs.push(ColSpec(align, width));
        }
        let head = TableHead(self.attr()?, self.rows(columns)?);
        let mut bodies = Vec::new();
        for _ in 0..self.u.int_in_range(0..=2)? {
            bodies.push(TableBody(
                self.attr()?,
                self.u.int_in_range(-1..=columns as i64 + 1)?,
                self.rows(columns)?,
                self.rows(columns)?,
            ));
        }
        let foot = TableFoot(self.attr()?, self.rows(columns)?);
        let table = Table {
            attr: self.attr()?,
            caption: self.caption()?,
            colspecs,
            head,
            bodies,
            foot,
        };
        self.depth -= 1;
        Ok(table)
    }

    fn rows(&mut self, columns: usize) -> Result<Vec<Row>> {
        let mut rows = Vec::new();
        for _ in 0..self.u.int_in_range(0..=2)? {
            let mut cells = Vec::new();
            // Often as many cells as columns, sometimes not: pandoc's JSON
            // may hold any table.
            let count = if self.u.ratio(3, 4)? { columns } else { self.u.int_in_range(0..=columns + 1)? };
            for _ in 0..count {
                cells.push(Cell(
                    self.attr()?,
                    *self.u.choose(&[
                        Alignment::AlignLeft,
                        Alignment::AlignRight,
                        Alignment::AlignCenter,
                        Alignment::AlignDefault,
                    ])?,
                    self.u.int_in_range(0..=3)?,
                    self.u.int_in_range(0..=3)?,
                    self.blocks()?,
                ));
            }
            rows.push(Row(self.attr()?, cells));
        }
        Ok(rows)
    }

    fn meta(&mut self) -> Result<Meta> {
        let mut meta = BTreeMap::new();
        for _ in 0..self.u.int_in_range(0..=4)? {
            let key = if self.u.ratio(3, 4)? { (*self.u.choose(META_KEYS)?).to_string() } else { self.text()? };
            let value = self.meta_value()?;
            meta.insert(key, value);
        }
        Ok(meta)
    }

    fn meta_value(&mut self) -> Result<MetaValue> {
        self.nodes += 1;
        if !self.room() {
            return Ok(MetaValue::MetaBool(false));
        }
        self.depth += 1;
        let value = match self.u.int_in_range(0..=6)? {
            0 => MetaValue::MetaBool(self.u.arbitrary()?),
            1 => MetaValue::MetaString(if self.u.arbitrary()? {
                (*self.u.choose(META_WORDS)?).to_string()
            } else {
                self.text()?
            }),
            2 | 3 => MetaValue::MetaInlines(if self.u.arbitrary()? {
                vec![Inline::Str((*self.u.choose(META_WORDS)?).to_string())]
            } else {
                self.inlines()?
            }),
            4 => MetaValue::MetaBlocks(self.blocks()?),
            5 => {
                let mut list = Vec::new();
                for _ in 0..self.u.int_in_range(0..=3)? {
                    list.push(self.meta_value()?);
                }
                MetaValue::MetaList(list)
            }
            _ => {
                let mut map = BTreeMap::new();
                for _ in 0..self.u.int_in_range(0..=3)? {
                    let key = if self.u.ratio(3, 4)? { (*self.u.choose(META_KEYS)?).to_string() } else { self.text()? };
                    let value = self.meta_value()?;
                    map.insert(key, value);
                }
                MetaValue::MetaMap(map)
            }
        };
        self.depth -= 1;
        Ok(value)
    }
}

/// Checks that the tags and attributes of `html` are the writer's own: no
/// tag is named after [`TAG_SENTINEL`] and no attribute after
/// [`ATTR_SENTINEL`], which only the document's text and attributes contain.
/// Script and style contents and comments are skipped as a browser does.
pub fn check_html_injection(html: &str) -> std::result::Result<(), String> {
    let b = html.as_bytes();
    let mut i = 0;
    let context = |at: usize| -> String {
        let start = html.floor_char_boundary(at.saturating_sub(60));
        let end = html.ceil_char_boundary((at + 60).min(html.len()));
        html[start..end].to_string()
    };
    while let Some(off) = memchr(b'<', &b[i..]) {
        i += off + 1;
        if b[i..].starts_with(b"!--") {
            match find(&b[i..], b"-->") {
                Some(end) => i += end + 3,
                None => return Err(format!("unclosed comment near {:?}", context(i))),
            }
            continue;
        }
        if b.get(i) == Some(&b'!') || b.get(i) == Some(&b'?') {
            continue;
        }
        let closing = b.get(i) == Some(&b'/');
        if closing {
            i += 1;
        }
        let name_start = i;
        while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'-') {
            i += 1;
        }
        if name_start == i {
            // `<` not followed by a letter is text to a browser, but the
            // writer should have escaped it.
            return Err(format!("unescaped '<' near {:?}", context(name_start)));
        }
        let name = html[name_start..i].to_ascii_lowercase();
        if name.contains(TAG_SENTINEL) {
            return Err(format!("document text opened a tag <{name}> near {:?}", context(name_start)));
        }
        if closing {
            continue;
        }
        // Attributes up to the end of the tag.
        loop {
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            match b.get(i) {
                None => return Err(format!("unclosed tag <{name}> near {:?}", context(name_start))),
                Some(b'>') => {
                    i += 1;
                    break;
                }
                Some(b'/') => {
                    i += 1;
                    continue;
                }
                _ => {}
            }
            let attr_start = i;
            while i < b.len() && !b[i].is_ascii_whitespace() && !matches!(b[i], b'=' | b'>' | b'/') {
                i += 1;
            }
            let attr = &html[attr_start..i];
            if attr.contains(ATTR_SENTINEL) || attr.contains('"') || attr.contains('\'') || attr.contains('<') {
                return Err(format!("document text made an attribute {attr:?} in <{name}> near {:?}", context(attr_start)));
            }
            if b.get(i) == Some(&b'=') {
                i += 1;
                match b.get(i) {
                    Some(&q @ (b'"' | b'\'')) => match memchr(q, &b[i + 1..]) {
                        Some(end) => i += end + 2,
                        None => return Err(format!("unclosed attribute value in <{name}> near {:?}", context(attr_start))),
                    },
                    _ => {
                        while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' {
                            i += 1;
                        }
                    }
                }
            }
        }
        // Raw text elements: their content is not markup.
        if name == "script" || name == "style" {
            let end_tag = format!("</{name}");
            match find_ignore_case(&b[i..], end_tag.as_bytes()) {
                Some(end) => i += end,
                None => return Err(format!("unclosed <{name}> near {:?}", context(i))),
            }
        }
    }
    Ok(())
}

fn memchr(needle: u8, haystack: &[u8]) -> Option<usize> {
    haystack.iter().position(|&b| b == needle)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn find_ignore_case(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w.eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_check_accepts_escaped_text_and_refuses_injection() {
        assert!(check_html_injection("<p class=\"a\">&lt;zzfuzz&gt; zzattr=1</p>").is_ok());
        assert!(check_html_injection("<script>if (a<b) {}</script><p>x</p>").is_ok());
        assert!(check_html_injection("<!-- <zzfuzz> --><br />").is_ok());
        assert!(check_html_injection("<p><zzfuzz></p>").is_err());
        assert!(check_html_injection("<p title=\"\" zzattr=\"\">x</p>").is_err());
        assert!(check_html_injection("<p>a < b</p>").is_err());
        assert!(check_html_injection("<a href=\"x\"y\">").is_err());
    }

    #[test]
    fn the_generator_makes_documents_that_round_trip() {
        let bytes: Vec<u8> = (0..4096u32).map(|i| (i.wrapping_mul(2654435761) >> 13) as u8).collect();
        let mut u = Unstructured::new(&bytes);
        let doc = gen_pandoc(&mut u, Limits::default()).unwrap();
        assert!(!doc.blocks.is_empty() || !doc.meta.is_empty());
        let json = to_json_string(&doc);
        assert_eq!(read_json(&json).unwrap(), doc);
    }
}

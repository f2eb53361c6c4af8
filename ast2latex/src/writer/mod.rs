//! The LaTeX of blocks and inlines. Every variant of pandoc-types 1.23 is
//! matched with no catch-all arm, so a new variant breaks the build.

use std::fmt::Write as _;
use std::num::IntErrorKind;

use ast::{
    Alignment, Attr, Block, Caption, Cell, ColSpec, ColWidth, Inline, ListAttributes,
    ListNumberDelim, ListNumberStyle, MathType, QuoteType, Row, Table, Target,
};

use crate::escape::{escape, Context, NARROW_NBSP};
use crate::highlight;
use crate::{LatexOptions, Warning};

mod code;
mod figure;
mod lists;
mod table;

use lists::{is_tight, tex_start};

/// The deepest `enumerate` LaTeX allows.
const MAX_ENUM_DEPTH: usize = 4;
/// The deepest `itemize` LaTeX allows.
const MAX_ITEMIZE_DEPTH: usize = 4;
/// The deepest nesting of list environments (`quote`, `itemize`,
/// `enumerate`, `description` all count) LaTeX allows.
const MAX_LIST_DEPTH: usize = 6;
/// The largest number TeX holds in a counter or a `\count` register.
pub const TEX_INT_MAX: i64 = 2_147_483_647;

/// A LaTeX environment built on `\list`, which counts toward LaTeX's nesting limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ListKind {
    Quote,
    Itemize,
    Enumerate,
    Description,
}

/// Writes the body of a document: the state of one conversion.
pub struct Writer<'a> {
    pub out: String,
    options: &'a LatexOptions,
    pub warnings: Vec<Warning>,
    /// Nesting of `enumerate` (LaTeX's counters enumi..enumiv).
    enum_depth: usize,
    /// Nesting of `itemize`.
    itemize_depth: usize,
    /// Nesting of every list environment (LaTeX's `\@listdepth`).
    list_depth: usize,
    /// True inside a footnote, where fancyvrb needs `\VerbatimFootnotes`.
    in_note: bool,
    /// True when a code block sits in a footnote.
    pub verbatim_in_note: bool,
    /// True when the text language is French (guillemets for quotes).
    french: bool,
    /// The last heading written, to say where a warning comes from.
    section: Option<String>,
    /// Code to tokens, the same as the HTML writer's.
    highlighter: highlight::Highlighter,
}

impl<'a> Writer<'a> {
    pub fn new(options: &'a LatexOptions, french: bool) -> Self {
        Writer {
            out: String::new(),
            options,
            warnings: Vec::new(),
            enum_depth: 0,
            itemize_depth: 0,
            list_depth: 0,
            in_note: false,
            verbatim_in_note: false,
            french,
            section: None,
            highlighter: highlight::Highlighter::default(),
        }
    }

    fn warn(&mut self, message: String) {
        let message = match &self.section {
            Some(title) => format!("{message} (in section \"{title}\")"),
            None => message,
        };
        self.warnings.push(Warning::warning(message));
    }

    fn text(&mut self, s: &str, context: Context) {
        escape(s, context, &mut self.out);
    }

    /// Writes blocks separated by blank lines.
    pub fn blocks(&mut self, blocks: &[Block]) {
        let mut first = true;
        for block in blocks {
            if !first {
                self.out.push('\n');
            }
            first = false;
            self.block(block);
        }
    }

    /// Writes the inlines of `il` into a new string (for captions, labels...).
    pub fn inlines_to_string(&mut self, ils: &[Inline]) -> String {
        let saved = std::mem::take(&mut self.out);
        self.inlines(ils);
        std::mem::replace(&mut self.out, saved)
    }

    /// Writes blocks into a new string.
    pub fn blocks_to_string(&mut self, blocks: &[Block]) -> String {
        let saved = std::mem::take(&mut self.out);
        self.blocks(blocks);
        std::mem::replace(&mut self.out, saved)
    }

    fn anchor(&mut self, id: &str) {
        if !id.is_empty() {
            self.out.push_str("\\protect\\phantomsection\\label{");
            self.text(id, Context::Label);
            self.out.push('}');
        }
    }

    fn block(&mut self, block: &Block) {
        match block {
            Block::Plain(ils) => {
                self.inlines(ils);
                self.out.push('\n');
            }
            Block::Para(ils) => {
                self.inlines(ils);
                self.out.push('\n');
            }
            Block::LineBlock(lines) => {
                for (i, line) in lines.iter().enumerate() {
                    if i > 0 {
                        self.out.push_str("\\\\\n");
                    }
                    // A line that starts with a no-break space would lose its
                    // indentation at the start of a TeX line without a strut.
                    if matches!(line.first(), Some(Inline::Str(s)) if s.starts_with('\u{A0}')) {
                        self.out.push_str("\\strut ");
                    }
                    self.inlines(line);
                }
                self.out.push('\n');
            }
            Block::CodeBlock(attr, code) => self.code_block(attr, code),
            Block::RawBlock(format, text) => {
                if format.is_tex() {
                    self.out.push_str(text);
                    self.out.push('\n');
                } else {
                    self.warn(format!(
                        "raw {} block dropped (only latex and tex pass into LaTeX)",
                        format.0
                    ));
                }
            }
            Block::BlockQuote(blocks) => {
                if self.enter_list(ListKind::Quote) {
                    self.out.push_str("\\begin{quote}\n");
                    self.blocks(blocks);
                    self.out.push_str("\\end{quote}\n");
                    self.leave_list(ListKind::Quote);
                } else {
                    self.blocks(blocks);
                }
            }
            Block::OrderedList(attrs, items) => self.ordered_list(attrs, items),
            Block::BulletList(items) => self.bullet_list(items),
            Block::DefinitionList(items) => {
                if !self.enter_list(ListKind::Description) {
                    for (term, defs) in items {
                        self.out.push_str("\\par\\noindent\\textbf{");
                        self.inlines(term);
                        self.out.push_str("}\n\n");
                        for def in defs {
                            self.blocks(def);
                        }
                    }
                    return;
                }
                self.out.push_str("\\begin{description}\n");
                if items.iter().all(|(_, defs)| is_tight(defs)) {
                    self.out.push_str("\\tightlist\n");
                }
                for (term, defs) in items {
                    self.out.push_str("\\item[{");
                    self.inlines(term);
                    self.out.push_str("}]\n");
                    let mut first = true;
                    for def in defs {
                        if !first {
                            self.out.push('\n');
                        }
                        first = false;
                        self.blocks(def);
                    }
                }
                self.out.push_str("\\end{description}\n");
                self.leave_list(ListKind::Description);
            }
            Block::Header(level, attr, ils) => self.header(*level, attr, ils),
            Block::HorizontalRule => {
                self.out
                    .push_str("\\begin{center}\\rule{0.5\\linewidth}{0.5pt}\\end{center}\n");
            }
            Block::Table(table) => self.table(table),
            Block::Figure(attr, caption, blocks) => self.figure(attr, caption, blocks),
            Block::Div(attr, blocks) => self.div(attr, blocks),
        }
    }

    fn div(&mut self, attr: &Attr, blocks: &[Block]) {
        if attr.has_class(writer_support::PAGEBREAK_CLASS)
            || attr.has_class("page-break")
            || attr.has_class("newpage")
        {
            self.anchor(&attr.id);
            self.out.push_str("\\newpage\n");
            if !blocks.is_empty() {
                self.out.push('\n');
                self.blocks(blocks);
            }
            return;
        }
        if !attr.id.is_empty() {
            self.anchor(&attr.id);
            self.out.push('\n');
        }
        self.blocks(blocks);
    }

    fn header(&mut self, level: i64, attr: &Attr, ils: &[Inline]) {
        self.section = Some(ast::stringify(&ils.to_vec()));
        let command = match level {
            i64::MIN..=1 => "section",
            2 => "subsection",
            3 => "subsubsection",
            4 => "paragraph",
            5.. => "subparagraph",
        };
        if level > 5 {
            self.warn(format!(
                "heading of level {level}: LaTeX has five levels, written as level 5"
            ));
        } else if level < 1 {
            self.warn(format!(
                "heading of level {level}: levels start at 1, written as level 1"
            ));
        }
        let title = self.inlines_to_string(ils);
        let unnumbered = attr.has_class("unnumbered") || attr.has_class("-");
        let star = if unnumbered { "*" } else { "" };
        // A footnote cannot go to the table of contents or the PDF
        // bookmarks: they get the title without it.
        let has_note = ils.iter().any(|il| matches!(il, Inline::Note(_)));
        let toc_title = if has_note {
            let without: Vec<Inline> = ils
                .iter()
                .filter(|il| !matches!(il, Inline::Note(_)))
                .cloned()
                .collect();
            self.inlines_to_string(&without)
        } else {
            title.clone()
        };
        let short = if has_note && !unnumbered {
            format!("[{toc_title}]")
        } else {
            String::new()
        };
        let _ = write!(self.out, "\\{command}{star}{short}{{{title}}}");
        if !attr.id.is_empty() {
            self.out.push_str("\\label{");
            self.text(&attr.id, Context::Label);
            self.out.push('}');
        }
        self.out.push('\n');
        if unnumbered && !attr.has_class("unlisted") {
            let _ = writeln!(
                self.out,
                "\\addcontentsline{{toc}}{{{command}}}{{{toc_title}}}"
            );
        }
    }

    pub fn inlines(&mut self, ils: &[Inline]) {
        for il in ils {
            self.inline(il);
        }
    }

    fn wrapped(&mut self, command: &str, ils: &[Inline]) {
        let _ = write!(self.out, "\\{command}{{");
        self.inlines(ils);
        self.out.push('}');
    }

    fn inline(&mut self, il: &Inline) {
        match il {
            Inline::Str(s) => self.text(s, Context::Text),
            Inline::Emph(ils) => self.wrapped("emph", ils),
            Inline::Underline(ils) => self.wrapped("uline", ils),
            Inline::Strong(ils) => self.wrapped("textbf", ils),
            Inline::Strikeout(ils) => self.wrapped("sout", ils),
            Inline::Superscript(ils) => self.wrapped("textsuperscript", ils),
            Inline::Subscript(ils) => self.wrapped("textsubscript", ils),
            Inline::SmallCaps(ils) => self.wrapped("textsc", ils),
            Inline::Quoted(kind, ils) => {
                let (open, close) = match (kind, self.french) {
                    (QuoteType::DoubleQuote, true) => ("«", "»"),
                    (QuoteType::SingleQuote, true) => ("\u{201C}", "\u{201D}"),
                    (QuoteType::DoubleQuote, false) => ("\u{201C}", "\u{201D}"),
                    (QuoteType::SingleQuote, false) => ("\u{2018}", "\u{2019}"),
                };
                self.out.push_str(open);
                if open == "«" {
                    self.out.push_str(NARROW_NBSP);
                }
                self.inlines(ils);
                if close == "»" {
                    self.out.push_str(NARROW_NBSP);
                }
                self.out.push_str(close);
            }
            Inline::Cite(citations, ils) => {
                let ids: Vec<&str> = citations.iter().map(|c| c.id.as_str()).collect();
                self.warn(format!(
                    "citation {} not resolved (no bibliography processing): written as in the source",
                    ids.join(", ")
                ));
                self.inlines(ils);
            }
            Inline::Code(attr, code) => {
                self.out.push_str("\\texttt{");
                // Highlighted when a class names a known language, as pandoc does.
                let language = self
                    .options
                    .highlight_style
                    .and_then(|_| highlight::find_language(&attr.classes));
                let highlighted = match language.map(|l| self.highlighter.highlight(code, &l)) {
                    Some(Ok(lines)) => {
                        highlight::write_inline(&lines, &mut self.out);
                        true
                    }
                    _ => false,
                };
                if !highlighted {
                    self.text(code, Context::Code);
                }
                self.out.push('}');
            }
            Inline::Space => self.out.push(' '),
            Inline::SoftBreak => self.out.push('\n'),
            Inline::LineBreak => self.out.push_str("\\\\\n"),
            Inline::Math(MathType::InlineMath, tex) => {
                let _ = write!(self.out, "\\({tex}\\)");
            }
            Inline::Math(MathType::DisplayMath, tex) => {
                let _ = write!(self.out, "\\[{tex}\\]");
            }
            Inline::RawInline(format, text) => {
                if format.is_tex() {
                    self.out.push_str(text);
                } else {
                    self.warn(format!(
                        "raw {} inline dropped: {}",
                        format.0,
                        text.chars().take(40).collect::<String>()
                    ));
                }
            }
            Inline::Link(attr, ils, target) => self.link(attr, ils, target),
            Inline::Image(attr, ils, target) => self.image(attr, ils, target),
            Inline::Note(blocks) => {
                let was = self.in_note;
                self.in_note = true;
                let body = self.blocks_to_string(blocks);
                self.in_note = was;
                let _ = write!(self.out, "\\footnote{{{}}}", body.trim_end());
            }
            Inline::Span(attr, ils) => {
                self.anchor(&attr.id);
                let lang = attr.get("lang");
                if attr.has_class("smallcaps") {
                    self.wrapped("textsc", ils);
                } else if attr.has_class("underline") || attr.has_class("ul") {
                    self.wrapped("uline", ils);
                } else if attr.has_class("mark") {
                    self.wrapped("colorbox{yellow}", ils);
                } else if lang.is_some() || !attr.id.is_empty() {
                    self.out.push('{');
                    self.inlines(ils);
                    self.out.push('}');
                } else {
                    self.inlines(ils);
                }
            }
        }
    }

    fn link(&mut self, attr: &Attr, ils: &[Inline], target: &Target) {
        self.anchor(&attr.id);
        let url = target.url.as_str();
        if let Some(id) = url.strip_prefix('#') {
            self.out.push_str("\\hyperref[");
            self.text(id, Context::Label);
            self.out.push_str("]{");
            self.inlines(ils);
            self.out.push('}');
            return;
        }
        let text = ast::stringify(&ils.to_vec());
        if let Some(address) = url.strip_prefix("mailto:") {
            if text == address {
                self.out.push_str("\\href{");
                self.text(url, Context::Url);
                self.out.push_str("}{\\nolinkurl{");
                self.text(address, Context::Url);
                self.out.push_str("}}");
                return;
            }
        }
        if text == url && matches!(ils, [Inline::Str(_)]) {
            self.out.push_str("\\url{");
            self.text(url, Context::Url);
            self.out.push('}');
            return;
        }
        self.out.push_str("\\href{");
        self.text(url, Context::Url);
        self.out.push_str("}{");
        self.inlines(ils);
        self.out.push('}');
    }

    fn image(&mut self, attr: &Attr, ils: &[Inline], target: &Target) {
        let url = target.url.as_str();
        if url.contains("://") {
            self.warn(format!(
                "remote image {url} cannot be included in the PDF: its description is written instead"
            ));
            self.inlines(ils);
            return;
        }
        self.anchor(&attr.id);
        let mut keys = Vec::new();
        for (key, relative_to) in [("width", "\\linewidth"), ("height", "\\textheight")] {
            if let Some(value) = attr.get(key) {
                match dimension(value, relative_to) {
                    Ok(d) => keys.push(format!("{key}={d}")),
                    Err(why) => self.warn(format!("image {url}: {key}=\"{value}\" {why}: ignored")),
                }
            }
        }
        if keys.len() == 2 {
            keys.push("keepaspectratio".into());
        }
        self.out.push_str("\\includegraphics");
        if !keys.is_empty() {
            let _ = write!(self.out, "[{}]", keys.join(","));
        }
        self.out.push('{');
        let path = url.strip_prefix("./").unwrap_or(url);
        self.text(path, Context::Path);
        self.out.push('}');
    }
}

fn contains_break(ils: &[Inline]) -> bool {
    ils.iter().any(|il| matches!(il, Inline::LineBreak))
}

/// TeX's largest length, in points.
const TEX_MAX_POINTS: f64 = 16383.99998;

/// A pandoc dimension (`50%`, `3cm`, `200px`, `2in`) as a LaTeX length;
/// percentages are of `relative_to`. The error says why it cannot be one.
pub fn dimension(value: &str, relative_to: &str) -> Result<String, &'static str> {
    const NOT_A_LENGTH: &str = "is not a length";
    let value = value.trim();
    let split = value
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(value.len());
    let (number, unit) = value.split_at(split);
    let n: f64 = number.parse().map_err(|_| NOT_A_LENGTH)?;
    let fmt = |x: f64| {
        let s = format!("{x:.4}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    };
    // Points per unit, at most: `em` and `ex` for a 12pt font, 100% for a
    // line or page of 1000pt (more than A4 holds).
    let (latex, points_per_unit) = match unit.trim() {
        "%" => (format!("{}{relative_to}", fmt(n / 100.0)), 10.0),
        "" | "px" => (format!("{}in", fmt(n / 96.0)), 72.27 / 96.0),
        u @ ("cm" | "mm" | "in" | "pt" | "em" | "ex" | "pc" | "bp") => {
            let per_unit = match u {
                "cm" => 72.27 / 2.54,
                "mm" => 72.27 / 25.4,
                "in" => 72.27,
                "pt" => 1.0,
                "em" => 12.0,
                "ex" => 6.0,
                "pc" => 12.0,
                _ => 72.27 / 72.0,
            };
            (format!("{}{u}", fmt(n)), per_unit)
        }
        _ => return Err(NOT_A_LENGTH),
    };
    let points = n * points_per_unit;
    if !points.is_finite() || points >= TEX_MAX_POINTS {
        Err("is beyond TeX's largest length (16383pt, 5.75m)")
    } else if points == 0.0 {
        Err("is zero")
    } else {
        Ok(latex)
    }
}

#[cfg(test)]
mod tests {
    use super::lists::format_number;
    use super::table::is_usable_width;
    use super::*;

    #[test]
    fn column_widths_outside_the_line_are_not_usable() {
        for w in [
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            -0.5,
            0.0,
            -0.0,
            1.5,
        ] {
            assert!(!is_usable_width(w), "{w}");
        }
        for w in [f64::MIN_POSITIVE, 0.25, 1.0] {
            assert!(is_usable_width(w), "{w}");
        }
    }

    #[test]
    fn starts_keep_every_number_within_tex_integers() {
        assert_eq!(tex_start(1, 3), None);
        assert_eq!(tex_start(i64::MIN, 2), Some(1 - TEX_INT_MAX));
        assert_eq!(tex_start(i64::MAX, 3), Some(TEX_INT_MAX - 2));
        assert_eq!(tex_start(TEX_INT_MAX, 1), None);
        assert_eq!(tex_start(-5, 3), None);
    }

    #[test]
    fn item_numbers_in_each_style() {
        assert_eq!(format_number(3, ListNumberStyle::LowerRoman), "iii");
        assert_eq!(format_number(1994, ListNumberStyle::UpperRoman), "MCMXCIV");
        assert_eq!(format_number(26, ListNumberStyle::UpperAlpha), "Z");
        assert_eq!(format_number(27, ListNumberStyle::LowerAlpha), "27");
        assert_eq!(format_number(-4, ListNumberStyle::LowerRoman), "-4");
    }
}

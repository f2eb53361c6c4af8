//! The LaTeX of blocks and inlines. Every variant of pandoc-types 1.23 is
//! matched with no catch-all arm, so a new variant breaks the build.

use std::fmt::Write as _;
use std::num::IntErrorKind;

use ast::{
    Alignment, Attr, Block, Caption, Cell, ColSpec, ColWidth, Inline, ListAttributes,
    ListNumberDelim, ListNumberStyle, MathType, QuoteType, Row, Table, Target,
};

use crate::escape::{escape, escaped, Context, NARROW_NBSP};
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

/// What the current line holds, for a hard line break.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Line {
    /// Nothing yet in the paragraph: TeX is still in vertical mode, where
    /// `\\` has "no line here to end".
    ParStart,
    /// A line break was just written.
    Empty,
    /// Something was typeset on the line.
    Text,
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
    /// What the line being written holds.
    line: Line,
    /// Notes are left out (a table head written again for the next pages,
    /// a short caption).
    drop_notes: bool,
    /// When set, notes write `\footnotemark` and their texts gather here
    /// (captions), to be written after with `\footnotetext`.
    deferred_notes: Option<Vec<String>>,
    /// Depth of table cells, where no float can go.
    in_cell: usize,
    /// The languages other than the main one that the text switches to
    /// (polyglossia's names, or babel's), in order of first use.
    pub other_languages: Vec<String>,
    /// A cell spans rows: the preamble loads multirow.
    pub uses_multirow: bool,
    /// The name of the document's language (polyglossia's, or babel's
    /// when `babel`).
    main_language: String,
    /// The document's `header-includes` load babel: language switches use
    /// babel's names, and polyglossia is not loaded.
    babel: bool,
    /// Writing a heading: anchors inside it go after it, as labels.
    hoisting_anchors: bool,
    /// The anchors found inside the heading being written.
    hoisted: Vec<String>,
}

impl<'a> Writer<'a> {
    pub fn new(options: &'a LatexOptions, french: bool, main_language: &str, babel: bool) -> Self {
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
            line: Line::ParStart,
            drop_notes: false,
            deferred_notes: None,
            in_cell: 0,
            other_languages: Vec::new(),
            main_language: main_language.to_string(),
            babel,
            uses_multirow: false,
            hoisting_anchors: false,
            hoisted: Vec::new(),
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
        let mut i = 0;
        while i < blocks.len() {
            if i > 0 {
                self.out.push('\n');
            }
            // A heading's `lang` is its section's, up to the next heading
            // of its level or above (pandoc's sections).
            if let Block::Header(level, attr, ils) = &blocks[i] {
                let language = attr.get("lang").and_then(|l| self.language_switch(l));
                if let Some(language) = language {
                    let end = blocks[i + 1..]
                        .iter()
                        .position(|b| matches!(b, Block::Header(l, ..) if l <= level))
                        .map_or(blocks.len(), |p| i + 1 + p);
                    let _ = writeln!(self.out, "\\begin{{otherlanguage}}{language}");
                    self.header(*level, attr, ils);
                    for block in &blocks[i + 1..end] {
                        self.out.push('\n');
                        self.block(block);
                    }
                    self.out.push_str("\\end{otherlanguage}\n");
                    i = end;
                    continue;
                }
            }
            self.block(&blocks[i]);
            i += 1;
        }
    }

    /// Writes the inlines of `il` into a new string (for captions, labels...).
    pub fn inlines_to_string(&mut self, ils: &[Inline]) -> String {
        let saved = std::mem::take(&mut self.out);
        let line = std::mem::replace(&mut self.line, Line::ParStart);
        self.inlines(ils);
        self.line = line;
        std::mem::replace(&mut self.out, saved)
    }

    /// Writes blocks into a new string.
    pub fn blocks_to_string(&mut self, blocks: &[Block]) -> String {
        let saved = std::mem::take(&mut self.out);
        let line = self.line;
        self.blocks(blocks);
        self.line = line;
        std::mem::replace(&mut self.out, saved)
    }

    fn anchor(&mut self, id: &str) {
        if self.hoisting_anchors {
            // A `\label` in a heading would go to the contents and bookmarks.
            if !id.is_empty() {
                self.hoisted.push(id.to_string());
            }
        } else if !id.is_empty() {
            self.out.push_str("\\protect\\phantomsection\\label{");
            self.text(id, Context::Label);
            self.out.push('}');
        }
    }

    fn block(&mut self, block: &Block) {
        match block {
            Block::Plain(ils) | Block::Para(ils) => {
                self.line = Line::ParStart;
                self.inlines(ils);
                self.out.push('\n');
            }
            Block::LineBlock(lines) => {
                self.line = Line::ParStart;
                for (i, line) in lines.iter().enumerate() {
                    if i > 0 {
                        // Lines end as hard line breaks do (an empty line
                        // gets the height of a line).
                        self.inline(&Inline::LineBreak);
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
                    if lists::starts_with_heading(blocks) {
                        // As pandoc: the quote's item gets an empty box.
                        self.out.push_str("\\mbox{}%\n");
                    }
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
        let language = attr.get("lang").and_then(|l| self.language_switch(l));
        if let Some(language) = &language {
            let _ = writeln!(self.out, "\\begin{{otherlanguage}}{language}");
        }
        match blocks.split_first() {
            // A div's id goes to the heading it starts with, when that has
            // none of its own or the same (pandoc's sections): one label,
            // on the heading.
            Some((Block::Header(level, header_attr, ils), rest))
                if !attr.id.is_empty()
                    && (header_attr.id.is_empty() || header_attr.id == attr.id) =>
            {
                let mut header_attr = header_attr.clone();
                header_attr.id = attr.id.clone();
                self.header(*level, &header_attr, ils);
                for block in rest {
                    self.out.push('\n');
                    self.block(block);
                }
            }
            _ => {
                if !attr.id.is_empty() {
                    self.anchor(&attr.id);
                    self.out.push('\n');
                }
                self.blocks(blocks);
            }
        }
        if language.is_some() {
            self.out.push_str("\\end{otherlanguage}\n");
        }
    }

    /// The argument of `\foreignlanguage` and `otherlanguage` for the
    /// language `tag` (BCP 47), `[options]{name}`, when the text must switch
    /// to it: `None`, with a warning, for a language the TeX bundle has no
    /// support for.
    fn language_switch(&mut self, tag: &str) -> Option<String> {
        let found = if self.babel {
            babel_name(tag).map(|name| (name, ""))
        } else {
            polyglossia_name(tag)
        };
        let Some((name, options)) = found else {
            self.warn(format!(
                "lang=\"{tag}\": no LaTeX support for this language in the TeX bundle, the text is set in the main language"
            ));
            return None;
        };
        // The main language too, as pandoc writes it: its own options
        // (French spacing off) stay those of the preamble.
        if name != self.main_language && !self.other_languages.iter().any(|l| l == name) {
            self.other_languages.push(name.to_string());
        }
        Some(if options.is_empty() {
            format!("{{{name}}}")
        } else {
            format!("[{options}]{{{name}}}")
        })
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
        let unnumbered = attr.has_class("unnumbered") || attr.has_class("-");
        let star = if unnumbered { "*" } else { "" };
        let hoisting = std::mem::replace(&mut self.hoisting_anchors, true);
        let title = self.inlines_to_string(ils);
        let anchors = std::mem::take(&mut self.hoisted);
        // A footnote cannot go to the table of contents or the PDF
        // bookmarks: they get the title without it.
        let was = std::mem::replace(&mut self.drop_notes, true);
        let without_notes = self.inlines_to_string(ils);
        self.drop_notes = was;
        self.hoisting_anchors = hoisting;
        self.hoisted.clear();
        let has_note = without_notes != title;
        // What the PDF bookmarks show: plain text, as pandoc writes it when
        // the title is more than text (code, links, math...).
        let mut plain_inlines = ils.to_vec();
        ast::splice_inlines(&mut plain_inlines, |il| match il {
            Inline::Note(_) => Vec::new(),
            other => vec![other],
        });
        let plain = escaped(&ast::stringify(&plain_inlines), Context::Text);
        let bookmark = |latex: &str| {
            if without_notes == plain {
                latex.to_string()
            } else {
                format!("\\texorpdfstring{{{latex}}}{{{plain}}}")
            }
        };
        let toc_title = bookmark(&without_notes);
        let short = if has_note && !unnumbered {
            format!("[{toc_title}]")
        } else {
            String::new()
        };
        let _ = write!(self.out, "\\{command}{star}{short}{{{}}}", bookmark(&title));
        for id in std::iter::once(&attr.id).chain(&anchors) {
            if !id.is_empty() {
                self.out.push_str("\\label{");
                self.text(id, Context::Label);
                self.out.push('}');
            }
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
            // Blanks and wrappers typeset nothing by themselves.
            Inline::Space | Inline::SoftBreak | Inline::LineBreak => {}
            Inline::Str(s) if s.is_empty() => {}
            Inline::Emph(_)
            | Inline::Underline(_)
            | Inline::Strong(_)
            | Inline::Strikeout(_)
            | Inline::Superscript(_)
            | Inline::Subscript(_)
            | Inline::SmallCaps(_)
            | Inline::Cite(..)
            | Inline::Link(..)
            | Inline::Span(..) => {}
            Inline::Str(_)
            | Inline::Quoted(..)
            | Inline::Code(..)
            | Inline::Math(..)
            | Inline::Image(..)
            | Inline::Note(_) => self.line = Line::Text,
            // Raw HTML is dropped: it writes nothing on the line.
            Inline::RawInline(format, text) => {
                if format.is_tex() && !text.is_empty() {
                    self.line = Line::Text;
                }
            }
        }
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
            Inline::LineBreak => {
                self.out.push_str(match self.line {
                    // `\hfill` starts the paragraph that `\break` ends a line of.
                    Line::ParStart => "\\hfill\\break\n",
                    // A strut makes the empty line take its height, as pandoc does.
                    Line::Empty => "\\strut \\\\\n",
                    Line::Text => "\\\\\n",
                });
                self.line = Line::Empty;
            }
            Inline::Math(kind, tex) => self.math(*kind, tex),
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
            Inline::Note(_) if self.drop_notes => {}
            Inline::Note(blocks) => {
                let was = self.in_note;
                self.in_note = true;
                let deferred = self.deferred_notes.take();
                let body = self.blocks_to_string(blocks);
                self.deferred_notes = deferred;
                self.in_note = was;
                let body = body.trim_end();
                match &mut self.deferred_notes {
                    Some(notes) => {
                        notes.push(body.to_string());
                        self.out.push_str("\\footnotemark{}");
                    }
                    None => {
                        let _ = write!(self.out, "\\footnote{{{body}}}");
                    }
                }
            }
            Inline::Span(attr, ils) => {
                self.anchor(&attr.id);
                let mut commands = Vec::new();
                if let Some(language) = attr.get("lang").and_then(|l| self.language_switch(l)) {
                    commands.push(format!("foreignlanguage{language}"));
                }
                if attr.has_class("smallcaps") {
                    commands.push("textsc".to_string());
                }
                if attr.has_class("underline") || attr.has_class("ul") {
                    commands.push("uline".to_string());
                }
                if attr.has_class("mark") {
                    commands.push("colorbox{yellow}".to_string());
                }
                for command in &commands {
                    let _ = write!(self.out, "\\{command}{{");
                }
                self.inlines(ils);
                for _ in &commands {
                    self.out.push('}');
                }
            }
        }
    }

    fn math(&mut self, kind: MathType, tex: &str) {
        // A `%` comments out the rest of its line: the closing delimiter
        // goes on the next line, as pandoc writes it.
        let end = if tex.contains('%') { "\n" } else { "" };
        match kind {
            MathType::InlineMath => {
                let _ = write!(self.out, "\\({tex}{end}\\)");
            }
            // An environment that is already display math cannot be put in
            // `\[...\]`: written alone, as pandoc does.
            MathType::DisplayMath if is_display_environment(tex) => {
                let _ = write!(self.out, "{}{end}", tex.trim());
            }
            MathType::DisplayMath => {
                let _ = write!(self.out, "\\[{tex}{end}\\]");
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
        // An autolink, whose text is the URL (percent-decoded), as pandoc tells it.
        if (text == url || text == percent_decoded(url)) && matches!(ils, [Inline::Str(_)]) {
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
        let path = local_path(url);
        let path = path.as_str();
        if let Some(why) = not_an_image(path) {
            self.warn(format!(
                "image {url:?}: {why}: its description is written instead"
            ));
            self.inlines(ils);
            return;
        }
        if is_svg(path) {
            // `\includesvg` would run Inkscape, which a PDF build never does.
            self.warn(format!(
                "SVG image {url} cannot be included in the PDF (XeTeX reads PDF, PNG and JPEG; convert it to PDF): its description is written instead"
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
        if let Some(page) = attr.get("page") {
            match page.trim().parse::<u32>() {
                Ok(n) if n >= 1 && i64::from(n) <= TEX_INT_MAX => keys.push(format!("page={n}")),
                _ => self.warn(format!(
                    "image {url}: page=\"{page}\" is not a page number: the first page is shown"
                )),
            }
        }
        if let Some(trim) = attr.get("trim") {
            let lengths: Vec<&str> = trim.split_whitespace().collect();
            if (1..=4).contains(&lengths.len()) && lengths.iter().all(|l| is_trim_length(l)) {
                keys.push(format!("trim={}", lengths.join(" ")));
            } else {
                self.warn(format!(
                    "image {url}: trim=\"{trim}\" is not one to four lengths (left bottom right top): ignored"
                ));
            }
        }
        let description = ast::stringify(&ils.to_vec());
        if !description.is_empty() {
            // For accessibility (tagged PDF), as pandoc writes it.
            keys.push(format!("alt={{{}}}", escaped(&description, Context::Text)));
        }
        if attr
            .get("clip")
            .is_some_and(|v| !matches!(v.trim(), "false" | "no" | "0"))
        {
            keys.push("clip".into());
        }
        if let Some(angle) = attr.get("angle") {
            match angle.trim().parse::<f64>() {
                Ok(a) if a.is_finite() && a.abs() <= 3600.0 => {
                    keys.push(format!("angle={}", angle.trim()));
                }
                _ => self.warn(format!(
                    "image {url}: angle=\"{angle}\" is not a number of degrees: ignored"
                )),
            }
        }
        self.out.push_str("\\includegraphics");
        if !keys.is_empty() {
            let _ = write!(self.out, "[{}]", keys.join(","));
        }
        self.out.push('{');
        self.text(path, Context::Path);
        self.out.push('}');
    }
}

/// The languages a `lang` attribute can switch to: a BCP 47 language, or
/// language and region, polyglossia's name for it with its options, and
/// babel's name (pandoc's `toBabel`), used when the document's
/// `header-includes` load babel. The TeX bundle holds the support of each
/// (scripts/build-tex-bundle traces a document that uses them all:
/// tex-engine/tests/bundle-trace/languages.md).
pub const LANGUAGES: &[(&str, &str, &str, &str)] = &[
    ("en", "english", "", "english"),
    ("en-US", "american", "", "american"),
    ("en-GB", "british", "", "british"),
    ("en-UK", "british", "", "british"),
    ("en-AU", "australian", "", "australian"),
    ("en-CA", "canadian", "", "canadian"),
    ("en-NZ", "newzealand", "", "newzealand"),
    ("fr", "french", "", "french"),
    ("de", "german", "", "ngerman"),
    ("de-AT", "austrian", "", "naustrian"),
    ("de-CH", "swissgerman", "", "nswissgerman"),
    ("es", "spanish", "", "spanish"),
    ("it", "italian", "", "italian"),
    ("pt", "portuguese", "", "portuguese"),
    ("pt-BR", "portuguese", "variant=brazilian", "brazilian"),
    ("nl", "dutch", "", "dutch"),
    ("la", "latin", "", "latin"),
    ("ca", "catalan", "", "catalan"),
];

/// The entry of [`LANGUAGES`] for a BCP 47 tag (`en-GB`, `de-Latn-CH`):
/// its region's, or the language's.
fn language_entry(
    tag: &str,
) -> Option<&'static (&'static str, &'static str, &'static str, &'static str)> {
    let mut parts = tag.trim().split(['-', '_']);
    let language = parts.next()?;
    let region = parts.find(|p| p.len() == 2 && p.chars().all(|c| c.is_ascii_alphabetic()));
    let find = |wanted: &str| {
        LANGUAGES
            .iter()
            .find(|(t, _, _, _)| t.eq_ignore_ascii_case(wanted))
    };
    region
        .and_then(|r| find(&format!("{language}-{r}")))
        .or_else(|| find(language))
}

/// The polyglossia language of a BCP 47 tag (`en-GB`, `de-Latn-CH`), if
/// it is one of [`LANGUAGES`]: its region's variant, or the language's;
/// with the options of the variant.
pub fn polyglossia_name(tag: &str) -> Option<(&'static str, &'static str)> {
    language_entry(tag).map(|(_, name, options, _)| (*name, *options))
}

/// The babel language of a BCP 47 tag, if it is one of [`LANGUAGES`].
pub fn babel_name(tag: &str) -> Option<&'static str> {
    language_entry(tag).map(|(_, _, _, name)| *name)
}

/// The babel name of a polyglossia language name of [`LANGUAGES`]
/// (`german` is `ngerman`); an unknown name is kept as it is.
pub fn babel_of_polyglossia(name: &str) -> &str {
    LANGUAGES
        .iter()
        .find(|(_, polyglossia, options, _)| *polyglossia == name && options.is_empty())
        .map_or(name, |(_, _, _, babel)| babel)
}

/// True when `tex` is one display environment of amsmath or LaTeX
/// (`\begin{align}...\end{align}`), which makes its own display.
fn is_display_environment(tex: &str) -> bool {
    const ENVIRONMENTS: &[&str] = &[
        "align",
        "alignat",
        "flalign",
        "gather",
        "multline",
        "eqnarray",
        "equation",
        "displaymath",
    ];
    let tex = tex.trim();
    let Some(rest) = tex.strip_prefix("\\begin{") else {
        return false;
    };
    let Some((name, _)) = rest.split_once('}') else {
        return false;
    };
    // The first end of the environment is the end of the math: nothing
    // follows it outside.
    let end = format!("\\end{{{name}}}");
    ENVIRONMENTS.contains(&name.trim_end_matches('*'))
        && tex.find(&end) == Some(tex.len() - end.len())
}

/// The file a local image URL names: `%XX` escapes decoded (a Markdown URL
/// is percent-encoded, as pandoc reads it), a leading `./` removed.
pub fn local_path(url: &str) -> String {
    let decoded = percent_decoded(url);
    decoded.strip_prefix("./").unwrap_or(&decoded).to_string()
}

/// `url` with its `%XX` escapes decoded (when they make UTF-8).
fn percent_decoded(url: &str) -> String {
    let bytes = url.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| url.to_string())
}

/// An SVG file, by its name.
/// Why a path names no image TeX could include (no file, a control
/// character, a film, a sound), for a warning: the PDF gets the image's
/// description instead.
pub(crate) fn not_an_image(path: &str) -> Option<&'static str> {
    if path.trim().is_empty() {
        return Some("no file to include");
    }
    if path.chars().any(char::is_control) {
        return Some("TeX reads no control character in a file name");
    }
    let extension = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    match extension.as_deref() {
        Some("mp4" | "m4v" | "webm" | "ogv" | "mov" | "avi" | "mkv" | "mpg" | "mpeg") => {
            Some("a video cannot be part of a PDF")
        }
        Some("mp3" | "m4a" | "ogg" | "oga" | "opus" | "wav" | "flac" | "aac") => {
            Some("a sound cannot be part of a PDF")
        }
        _ => None,
    }
}

pub(crate) fn is_svg(path: &str) -> bool {
    let extension = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    matches!(extension.as_deref(), Some("svg" | "svgz"))
}

/// A length of `trim`: a number (big points) or a number and a TeX unit.
fn is_trim_length(length: &str) -> bool {
    let split = length
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-'))
        .unwrap_or(length.len());
    let (number, unit) = length.split_at(split);
    number
        .parse::<f64>()
        .is_ok_and(|n| n.is_finite() && n.abs() < 16000.0)
        && matches!(
            unit,
            "" | "pt" | "bp" | "cm" | "mm" | "in" | "pc" | "em" | "ex" | "dd" | "cc" | "sp"
        )
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
    fn local_image_paths_are_percent_decoded_as_pandoc_reads_them() {
        assert_eq!(local_path("./media/img%20un.png"), "media/img un.png");
        assert_eq!(local_path("img%E2%80%832.png"), "img\u{2003}2.png");
        // Not an escape, or not UTF-8: left as written.
        assert_eq!(local_path("dossier/50%.png"), "dossier/50%.png");
        assert_eq!(local_path("a%FF.png"), "a%FF.png");
    }

    #[test]
    fn languages_by_region_then_language() {
        let name = |tag| polyglossia_name(tag).map(|(name, _)| name);
        assert_eq!(name("en-GB"), Some("british"));
        assert_eq!(name("EN_us"), Some("american"));
        assert_eq!(name("en-IE"), Some("english"));
        assert_eq!(name("de-Latn-CH"), Some("swissgerman"));
        assert_eq!(name("fr-CA"), Some("french"));
        assert_eq!(
            polyglossia_name("pt-BR"),
            Some(("portuguese", "variant=brazilian"))
        );
        assert_eq!(polyglossia_name("tlh"), None);
        assert_eq!(polyglossia_name(""), None);
        assert_eq!(babel_name("de-Latn-CH"), Some("nswissgerman"));
        assert_eq!(babel_name("pt-BR"), Some("brazilian"));
        assert_eq!(babel_name("en"), Some("english"));
        assert_eq!(babel_name("tlh"), None);
        assert_eq!(babel_of_polyglossia("german"), "ngerman");
        assert_eq!(babel_of_polyglossia("french"), "french");
        assert_eq!(babel_of_polyglossia("portuguese"), "portuguese");
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

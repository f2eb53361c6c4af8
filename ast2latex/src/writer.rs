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

    fn list_item(&mut self, item: &[Block]) {
        // Task lists: pandoc's reader starts the item with a ballot box.
        let mut blocks = item;
        let mut rest_first: Option<Vec<Block>> = None;
        self.out.push_str("\\item");
        if let Some(Block::Plain(ils) | Block::Para(ils)) = item.first() {
            if let Some(Inline::Str(s)) = ils.first() {
                let mark = match s.as_str() {
                    "\u{2610}" => Some("\\(\\square\\)"),
                    "\u{2612}" => Some("\\(\\boxtimes\\)"),
                    _ => None,
                };
                if let Some(mark) = mark {
                    let _ = write!(self.out, "[{mark}]");
                    let mut rest = ils[1..].to_vec();
                    if rest.first() == Some(&Inline::Space) {
                        rest.remove(0);
                    }
                    let first = match &item[0] {
                        Block::Para(_) => Block::Para(rest),
                        _ => Block::Plain(rest),
                    };
                    let mut all = vec![first];
                    all.extend_from_slice(&item[1..]);
                    rest_first = Some(all);
                }
            }
        }
        self.out.push('\n');
        if let Some(all) = &rest_first {
            blocks = all;
        }
        self.blocks(blocks);
    }

    /// Enters a list environment of `kind` when LaTeX's nesting limits allow
    /// one more. Otherwise warns and returns false: the caller writes the
    /// content without a new environment, so that any nesting compiles.
    fn enter_list(&mut self, kind: ListKind) -> bool {
        let name = match kind {
            ListKind::Quote => "block quote",
            ListKind::Itemize => "bullet list",
            ListKind::Enumerate => "ordered list",
            ListKind::Description => "definition list",
        };
        if kind == ListKind::Itemize && self.itemize_depth >= MAX_ITEMIZE_DEPTH {
            self.warn(format!(
                "bullet list nested {} deep: LaTeX allows {MAX_ITEMIZE_DEPTH}, its items written as paragraphs",
                self.itemize_depth.saturating_add(1)
            ));
            return false;
        }
        if self.list_depth >= MAX_LIST_DEPTH {
            self.warn(format!(
                "{name} inside {} nested lists and quotes: LaTeX allows {MAX_LIST_DEPTH}, written without a list environment",
                self.list_depth
            ));
            return false;
        }
        self.list_depth += 1;
        match kind {
            ListKind::Itemize => self.itemize_depth += 1,
            ListKind::Enumerate => self.enum_depth += 1,
            ListKind::Quote | ListKind::Description => {}
        }
        true
    }

    fn leave_list(&mut self, kind: ListKind) {
        self.list_depth -= 1;
        match kind {
            ListKind::Itemize => self.itemize_depth -= 1,
            ListKind::Enumerate => self.enum_depth -= 1,
            ListKind::Quote | ListKind::Description => {}
        }
    }

    /// Items past LaTeX's nesting limits: paragraphs that start with their label.
    fn flat_items(&mut self, items: &[Vec<Block>], label: impl Fn(usize) -> String) {
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                self.out.push('\n');
            }
            let _ = write!(self.out, "\\par\\noindent {}\\enspace ", label(i));
            self.blocks(item);
        }
    }

    fn bullet_list(&mut self, items: &[Vec<Block>]) {
        if !self.enter_list(ListKind::Itemize) {
            self.flat_items(items, |_| "\\textbullet{}".to_string());
            return;
        }
        self.out.push_str("\\begin{itemize}\n");
        if is_tight(items) {
            self.out.push_str("\\tightlist\n");
        }
        for item in items {
            self.list_item(item);
        }
        self.out.push_str("\\end{itemize}\n");
        self.leave_list(ListKind::Itemize);
    }

    fn ordered_list(&mut self, attrs: &ListAttributes, items: &[Vec<Block>]) {
        if self.enum_depth >= MAX_ENUM_DEPTH {
            self.warn(format!(
                "ordered list nested {} deep: LaTeX allows {MAX_ENUM_DEPTH}, written as a bullet list",
                self.enum_depth.saturating_add(1)
            ));
            // Deeper ordered lists still count, to name their depth.
            self.enum_depth += 1;
            self.bullet_list(items);
            self.enum_depth -= 1;
            return;
        }
        let count = i64::try_from(items.len()).unwrap_or(TEX_INT_MAX);
        let start = match tex_start(attrs.start, count) {
            Some(start) => {
                self.warn(format!(
                    "ordered list starting at {}: TeX numbers stop at \u{b1}{TEX_INT_MAX}, numbered from {start}",
                    attrs.start
                ));
                start
            }
            None => attrs.start,
        };
        let last = start.saturating_add(count.saturating_sub(1));
        let mut style = attrs.style;
        let alpha = matches!(
            style,
            ListNumberStyle::LowerAlpha | ListNumberStyle::UpperAlpha
        );
        let roman = matches!(
            style,
            ListNumberStyle::LowerRoman | ListNumberStyle::UpperRoman
        );
        // LaTeX stops with "Counter too large" past z, and writes millions of
        // m's for a large Roman number.
        if (alpha && (start < 1 || last > 26)) || (roman && (start < 1 || last > 3999)) {
            self.warn(format!(
                "ordered list numbered {start} to {last} in {}: out of its range, numbered in arabic",
                if alpha { "letters" } else { "Roman numerals" }
            ));
            style = ListNumberStyle::Decimal;
        }
        if !self.enter_list(ListKind::Enumerate) {
            let delim = attrs.delim;
            self.flat_items(items, |i| {
                let n = start.saturating_add(i64::try_from(i).unwrap_or(TEX_INT_MAX));
                let number = format_number(n, style);
                match delim {
                    ListNumberDelim::DefaultDelim | ListNumberDelim::Period => format!("{number}."),
                    ListNumberDelim::OneParen => format!("{number})"),
                    ListNumberDelim::TwoParens => format!("({number})"),
                }
            });
            return;
        }
        let counter = ["enumi", "enumii", "enumiii", "enumiv"][self.enum_depth - 1];
        self.out.push_str("\\begin{enumerate}\n");
        let number = match style {
            ListNumberStyle::DefaultStyle | ListNumberStyle::Example | ListNumberStyle::Decimal => {
                "arabic"
            }
            ListNumberStyle::LowerRoman => "roman",
            ListNumberStyle::UpperRoman => "Roman",
            ListNumberStyle::LowerAlpha => "alph",
            ListNumberStyle::UpperAlpha => "Alph",
        };
        let label = match attrs.delim {
            ListNumberDelim::DefaultDelim | ListNumberDelim::Period => {
                format!("\\{number}{{{counter}}}.")
            }
            ListNumberDelim::OneParen => format!("\\{number}{{{counter}}})"),
            ListNumberDelim::TwoParens => format!("(\\{number}{{{counter}}})"),
        };
        let _ = writeln!(self.out, "\\def\\label{counter}{{{label}}}");
        if start != 1 {
            // `tex_start` keeps `start - 1` within TeX's range.
            let _ = writeln!(self.out, "\\setcounter{{{counter}}}{{{}}}", start - 1);
        }
        if is_tight(items) {
            self.out.push_str("\\tightlist\n");
        }
        for item in items {
            self.list_item(item);
        }
        self.out.push_str("\\end{enumerate}\n");
        self.leave_list(ListKind::Enumerate);
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

    fn code_block(&mut self, attr: &Attr, code: &str) {
        if self.in_note {
            self.verbatim_in_note = true;
        }
        if !attr.id.is_empty() {
            self.anchor(&attr.id);
            self.out.push_str("%\n");
        }
        let mut options = Vec::new();
        // fancyvrb's environment is one more list: at LaTeX's limit it
        // would stop with "Too deeply nested"; `resetmargins` starts it anew.
        if self.list_depth >= MAX_LIST_DEPTH {
            self.warn(format!(
                "code block inside {} nested lists and quotes: LaTeX allows {MAX_LIST_DEPTH}, written at the left margin",
                self.list_depth
            ));
            options.push("resetmargins=true".to_string());
        }
        if attr.has_class("numberLines") || attr.has_class("number-lines") {
            options.push("numbers=left".to_string());
            if let Some(start) = attr.get("startFrom").or_else(|| attr.get("start-from")) {
                let parsed = match start.trim().parse::<i64>() {
                    Ok(n) => Some(n),
                    Err(e) => match e.kind() {
                        IntErrorKind::PosOverflow => Some(i64::MAX),
                        IntErrorKind::NegOverflow => Some(i64::MIN),
                        _ => None,
                    },
                };
                match parsed {
                    Some(n) => {
                        let lines = i64::try_from(code.lines().count()).unwrap_or(TEX_INT_MAX);
                        let first = match tex_start(n, lines) {
                            Some(first) => {
                                self.warn(format!(
                                    "code block startFrom=\"{start}\": TeX numbers stop at \u{b1}{TEX_INT_MAX}, numbered from {first}"
                                ));
                                first
                            }
                            None => n,
                        };
                        options.push(format!("firstnumber={first}"));
                    }
                    None => self.warn(format!(
                        "code block startFrom=\"{start}\" is not a number: numbering starts at 1"
                    )),
                }
            }
        }
        // The first class that names a known language, as pandoc takes it.
        let mut body = String::new();
        let language = self
            .options
            .highlight_style
            .and_then(|_| highlight::find_language(&attr.classes));
        let highlighted = match language.map(|l| self.highlighter.highlight(code, &l)) {
            Some(Ok(lines)) => {
                highlight::write_lines(&lines, &mut body);
                true
            }
            _ => false,
        };
        if !highlighted && self.options.highlight_style.is_some() {
            let first = attr
                .classes
                .iter()
                .find(|c| !writer_support::highlight::is_code_option_class(c));
            if let Some(first) = first {
                self.warn(format!(
                    "no syntax highlighting for language \"{first}\": code block written plain"
                ));
            }
        }
        if !highlighted {
            escape(code, Context::Verbatim, &mut body);
        }
        self.out.push_str("\\begin{Shaded}\n\\begin{Highlighting}");
        if !options.is_empty() {
            let _ = write!(self.out, "[{}]", options.join(","));
        }
        self.out.push('\n');
        self.out.push_str(&body);
        if !body.ends_with('\n') {
            self.out.push('\n');
        }
        self.out.push_str("\\end{Highlighting}\n\\end{Shaded}\n");
    }

    /// `\caption[short]{long}` when there is a caption, then `\label{id}`
    /// when there is an id: the same for figures and tables.
    fn caption_and_label(&mut self, short: Option<&str>, long: &str, id: &str) {
        if !long.is_empty() || short.is_some() {
            self.out.push_str("\\caption");
            if let Some(short) = short {
                let _ = write!(self.out, "[{short}]");
            }
            let _ = write!(self.out, "{{{long}}}");
        }
        if !id.is_empty() {
            self.out.push_str("\\label{");
            self.text(id, Context::Label);
            self.out.push('}');
        }
    }

    fn caption_text(&mut self, caption: &Caption) -> (Option<String>, String) {
        let short = caption.0.as_ref().map(|s| self.inlines_to_string(s));
        let mut long = String::new();
        for (i, block) in caption.1.iter().enumerate() {
            if i > 0 {
                long.push(' ');
            }
            match block {
                Block::Plain(ils) | Block::Para(ils) => long.push_str(&self.inlines_to_string(ils)),
                other => {
                    let text = self.blocks_to_string(std::slice::from_ref(other));
                    long.push_str(text.trim_end());
                }
            }
        }
        (short, long)
    }

    fn figure(&mut self, attr: &Attr, caption: &Caption, blocks: &[Block]) {
        // pandoc's implicit figures keep the image's classes on the image.
        let sideways = attr.has_class("sideways")
            || matches!(blocks, [Block::Plain(ils) | Block::Para(ils)]
                if matches!(ils.as_slice(), [Inline::Image(a, _, _)] if a.has_class("sideways")));
        let (short, long) = self.caption_text(caption);
        // `[H]` (float package) keeps the figure where the text puts it, with
        // its caption: pandoc users had to choose between the two.
        if sideways {
            self.out.push_str("\\begin{sidewaysfigure}\n");
        } else {
            self.out.push_str("\\begin{figure}[H]\n");
        }
        self.out.push_str("\\centering\n");
        let body = self.blocks_to_string(blocks);
        self.out.push_str(&body);
        self.caption_and_label(short.as_deref(), &long, &attr.id);
        if !long.is_empty() || !attr.id.is_empty() {
            self.out.push('\n');
        }
        if sideways {
            self.out.push_str("\\end{sidewaysfigure}\n");
        } else {
            self.out.push_str("\\end{figure}\n");
        }
    }

    fn table(&mut self, table: &Table) {
        let Table {
            attr,
            caption,
            colspecs,
            head,
            bodies,
            foot,
        } = table;
        // Malformed input may have rows wider than the column specs: the
        // widest row, in cells, sets the number of columns.
        let widest = std::iter::once(&head.1)
            .chain(bodies.iter().flat_map(|b| [&b.2, &b.3]))
            .chain(std::iter::once(&foot.1))
            .flat_map(|rows| rows.iter())
            .map(|Row(_, cells)| cells.len())
            .max()
            .unwrap_or(0);
        if widest > colspecs.len() {
            self.warn(format!(
                "table with {} column specifications but a row of {widest} cells: written with {widest} columns",
                colspecs.len()
            ));
        }
        let mut colspecs = colspecs.clone();
        colspecs.resize(
            widest.max(colspecs.len()).max(1),
            ColSpec(Alignment::AlignDefault, ColWidth::ColWidthDefault),
        );
        let colspecs = &colspecs[..];
        let columns = colspecs.len();
        let relative = colspecs
            .iter()
            .any(|ColSpec(_, w)| matches!(w, ColWidth::ColWidth(_)));
        let mut spec = String::from("@{}");
        for (i, ColSpec(align, width)) in colspecs.iter().enumerate() {
            if relative {
                let default = 1.0 / columns as f64;
                let w = match width {
                    ColWidth::ColWidth(w) if is_usable_width(*w) => *w,
                    ColWidth::ColWidth(w) => {
                        self.warn(format!(
                            "table column {} of width {w}: a width is a fraction of the line above 0 and at most 1, written with the default width",
                            i + 1
                        ));
                        default
                    }
                    ColWidth::ColWidthDefault => default,
                };
                let ragged = match align {
                    Alignment::AlignRight => "\\raggedleft",
                    Alignment::AlignCenter => "\\centering",
                    Alignment::AlignLeft | Alignment::AlignDefault => "\\raggedright",
                };
                let _ = write!(
                    spec,
                    "\n  >{{{ragged}\\arraybackslash}}p{{(\\linewidth - {}\\tabcolsep) * \\real{{{w:.4}}}}}",
                    2 * (columns - 1)
                );
            } else {
                spec.push(align_letter(*align));
            }
        }
        spec.push_str("@{}");
        let _ = writeln!(self.out, "\\begin{{longtable}}[]{{{spec}}}");
        let (short, long) = self.caption_text(caption);
        let has_caption = !long.is_empty() || short.is_some();
        if has_caption || !attr.id.is_empty() {
            self.caption_and_label(short.as_deref(), &long, &attr.id);
            self.out.push_str("\\tabularnewline\n");
        }
        let head_rows = self.rows(&head.1, colspecs, relative, true);
        self.out.push_str("\\toprule\\noalign{}\n");
        if !head_rows.is_empty() {
            self.out.push_str(&head_rows);
            self.out.push_str("\\midrule\\noalign{}\n");
            // The head again on every following page.
            self.out.push_str("\\endfirsthead\n\\toprule\\noalign{}\n");
            self.out.push_str(&head_rows);
            self.out.push_str("\\midrule\\noalign{}\n");
        }
        self.out.push_str("\\endhead\n");
        let foot_rows = self.rows(&foot.1, colspecs, relative, false);
        if !foot_rows.is_empty() {
            self.out.push_str("\\midrule\\noalign{}\n");
            self.out.push_str(&foot_rows);
        }
        self.out
            .push_str("\\bottomrule\\noalign{}\n\\endlastfoot\n");
        for body in bodies {
            let intermediate = self.rows(&body.2, colspecs, relative, true);
            self.out.push_str(&intermediate);
            let rows = self.rows(&body.3, colspecs, relative, false);
            self.out.push_str(&rows);
        }
        self.out.push_str("\\end{longtable}\n");
    }

    fn rows(&mut self, rows: &[Row], colspecs: &[ColSpec], relative: bool, head: bool) -> String {
        let mut out = String::new();
        for Row(_, cells) in rows {
            let mut column: usize = 0;
            for (i, Cell(_, align, rowspan, colspan, blocks)) in cells.iter().enumerate() {
                if i > 0 {
                    out.push_str(" & ");
                }
                if *rowspan > 1 {
                    self.warn(format!(
                        "table cell spanning {rowspan} rows: written in its first row only"
                    ));
                }
                // Every cell keeps at least its own column: a span takes at
                // most the columns left once the following cells have theirs.
                // (The caller makes the columns at least as many as the cells.)
                let wanted = usize::try_from(*colspan).unwrap_or(0).max(1);
                let left = colspecs
                    .len()
                    .saturating_sub(column)
                    .saturating_sub(cells.len() - i - 1)
                    .max(1);
                let span = wanted.min(left);
                if span < wanted {
                    self.warn(format!(
                        "table cell spanning {colspan} columns with {left} left for it: it spans {span}"
                    ));
                }
                let col_align = colspecs
                    .get(column)
                    .map_or(Alignment::AlignDefault, |ColSpec(a, _)| *a);
                let align = if *align == Alignment::AlignDefault {
                    col_align
                } else {
                    *align
                };
                let content = self.cell_content(blocks, align, relative, head);
                if span > 1 || align != col_align {
                    let _ = write!(
                        out,
                        "\\multicolumn{{{span}}}{{{}}}{{{content}}}",
                        align_letter(align)
                    );
                } else {
                    out.push_str(&content);
                }
                column = column.saturating_add(span);
            }
            out.push_str(" \\\\\n");
        }
        out
    }

    fn cell_content(
        &mut self,
        blocks: &[Block],
        align: Alignment,
        relative: bool,
        head: bool,
    ) -> String {
        match blocks {
            [] => String::new(),
            [Block::Plain(ils)] | [Block::Para(ils)] if !relative || !contains_break(ils) => {
                self.inlines_to_string(ils)
            }
            _ => {
                let ragged = match align {
                    Alignment::AlignRight => "\\raggedleft",
                    Alignment::AlignCenter => "\\centering",
                    Alignment::AlignLeft | Alignment::AlignDefault => "\\raggedright",
                };
                let body = self.blocks_to_string(blocks);
                let pos = if head { "b" } else { "t" };
                format!(
                    "\\begin{{minipage}}[{pos}]{{\\linewidth}}{ragged}\n{}\\end{{minipage}}",
                    body
                )
            }
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

/// The first number of `count` numbered things (list items, code lines)
/// when `start` would take TeX's counter, which is set to `start - 1` and
/// then stepped, outside `±TEX_INT_MAX`; `None` when `start` fits.
fn tex_start(start: i64, count: i64) -> Option<i64> {
    let min = 1 - TEX_INT_MAX;
    let max = TEX_INT_MAX.saturating_sub(count.saturating_sub(1)).max(min);
    let clamped = start.clamp(min, max);
    (clamped != start).then_some(clamped)
}

/// An item number as pandoc's list styles write it (ranges checked by the caller).
fn format_number(n: i64, style: ListNumberStyle) -> String {
    let letter = |base: u8| match u8::try_from(n) {
        Ok(k @ 1..=26) => char::from(base + k - 1).to_string(),
        _ => n.to_string(),
    };
    match style {
        ListNumberStyle::LowerAlpha => letter(b'a'),
        ListNumberStyle::UpperAlpha => letter(b'A'),
        ListNumberStyle::LowerRoman => roman(n).to_lowercase(),
        ListNumberStyle::UpperRoman => roman(n),
        ListNumberStyle::DefaultStyle | ListNumberStyle::Example | ListNumberStyle::Decimal => {
            n.to_string()
        }
    }
}

/// `n` in Roman numerals for 1 to 3999, in arabic otherwise.
fn roman(n: i64) -> String {
    if !(1..=3999).contains(&n) {
        return n.to_string();
    }
    const DIGITS: [(i64, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut rest = n;
    let mut out = String::new();
    for (value, digits) in DIGITS {
        while rest >= value {
            out.push_str(digits);
            rest -= value;
        }
    }
    out
}

/// A column width is a fraction of the line: above 0, at most 1.
fn is_usable_width(w: f64) -> bool {
    w.is_finite() && w > 0.0 && w <= 1.0
}

/// The column letter of an alignment.
fn align_letter(align: Alignment) -> char {
    match align {
        Alignment::AlignLeft | Alignment::AlignDefault => 'l',
        Alignment::AlignCenter => 'c',
        Alignment::AlignRight => 'r',
    }
}

fn contains_break(ils: &[Inline]) -> bool {
    ils.iter().any(|il| matches!(il, Inline::LineBreak))
}

/// A list is tight when every item's first block is `Plain`.
fn is_tight(items: &[Vec<Block>]) -> bool {
    items
        .iter()
        .all(|item| matches!(item.first(), None | Some(Block::Plain(_))))
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

//! The body: every `Block` and `Inline` as pandoc's HTML5 writer writes it.

use std::fmt::Write as _;

use ast::{
    Alignment, Attr, Block, Caption, Cell, ColWidth, Format, Inline, ListAttributes,
    ListNumberStyle, MathType, QuoteType, Row, Table, TableBody,
};

use crate::escape::{escape, is_attribute_name, Context};
use crate::highlight::{find_language, Highlighter, Token};
use crate::{math, page, HtmlOptions, MathMethod, Warning};
use writer_support::TokenType;

mod code;
mod div;
mod figure;
mod notes;
mod table;

/// Below this much stack left, recursion continues on a new segment: deeply
/// nested documents (a 10,000-level block quote) must not overflow.
const RED_ZONE: usize = 64 * 1024;
const NEW_STACK: usize = 1024 * 1024;

/// An entry of the table of contents: a numbered or listed heading.
pub struct TocEntry {
    pub level: i64,
    pub id: String,
    pub number: Option<String>,
    /// The heading's text as HTML, without notes and links.
    pub html: String,
}

/// State of one rendering: notes met so far, section counters, warnings.
pub struct Writer<'o> {
    opts: &'o HtmlOptions,
    pub warnings: Vec<Warning>,
    /// Rendered notes, in order; their number is the index plus one.
    notes: Vec<String>,
    /// Section numbers by level, as `--number-sections` counts them.
    counters: Vec<u32>,
    pub toc: Vec<TocEntry>,
    /// Code blocks without an id get `cb1`, `cb2`..., as in pandoc.
    code_blocks: usize,
    /// Headings here are sections (numbered, listed): not in a quote, list, note or table.
    in_sections: bool,
    /// Rendering a heading's text for the table of contents: no notes, no links.
    in_toc: bool,
    /// The token classes of the highlighting scopes met so far.
    highlighter: Highlighter,
    /// Paragraphs written as bare lines (in a bibliography entry, as pandoc).
    para_as_plain: bool,
    /// The TeX to MathML converter (`--mathml`), which numbers equations
    /// through the document.
    mathml: math::MathMl,
}

impl<'o> Writer<'o> {
    pub fn new(opts: &'o HtmlOptions) -> Self {
        Writer {
            opts,
            warnings: Vec::new(),
            notes: Vec::new(),
            counters: Vec::new(),
            toc: Vec::new(),
            code_blocks: 0,
            in_sections: true,
            in_toc: false,
            highlighter: Highlighter::default(),
            para_as_plain: false,
            mathml: math::MathMl::default(),
        }
    }

    fn warn(&mut self, message: String) {
        self.warnings.push(Warning::warning(message));
    }

    /// Blocks separated by newlines.
    pub fn write_blocks(&mut self, out: &mut String, blocks: &[Block]) {
        self.write_blocks_from(out, blocks, 0);
    }

    /// Blocks separated by newlines, after `written` blocks already written
    /// (a newline before the first unless some were): a batch of top-level
    /// blocks continues the body. A block that writes nothing (raw LaTeX)
    /// leaves no newline either, as pandoc joins only non-empty blocks.
    /// Returns the number of blocks written so far.
    pub fn write_blocks_from(
        &mut self,
        out: &mut String,
        blocks: &[Block],
        written: usize,
    ) -> usize {
        let mut written = written;
        for block in blocks {
            let before = out.len();
            if written > 0 {
                out.push('\n');
            }
            let start = out.len();
            self.write_block(out, block);
            if out.len() == start {
                out.truncate(before);
            } else {
                written += 1;
            }
        }
        written
    }

    /// Blocks nested in something that is not a section (quote, list, cell...).
    fn write_nested_blocks(&mut self, out: &mut String, blocks: &[Block]) {
        let saved = std::mem::replace(&mut self.in_sections, false);
        self.write_blocks(out, blocks);
        self.in_sections = saved;
    }

    /// Contents of a cell, caption or list item: one `Plain` as bare inlines.
    fn write_flow(&mut self, out: &mut String, blocks: &[Block]) {
        match blocks {
            [Block::Plain(ils)] => self.write_inlines(out, ils),
            _ => self.write_nested_blocks(out, blocks),
        }
    }

    pub fn write_block(&mut self, out: &mut String, block: &Block) {
        stacker::maybe_grow(RED_ZONE, NEW_STACK, || self.write_block_here(out, block))
    }

    fn write_block_here(&mut self, out: &mut String, block: &Block) {
        match block {
            Block::Plain(ils) => self.write_inlines(out, ils),
            Block::Para(ils) if self.para_as_plain => self.write_inlines(out, ils),
            Block::Para(ils) => {
                out.push_str("<p>");
                self.write_inlines(out, ils);
                out.push_str("</p>");
            }
            Block::LineBlock(lines) => {
                out.push_str("<div class=\"line-block\">");
                for (i, line) in lines.iter().enumerate() {
                    if i > 0 {
                        out.push_str("<br />\n");
                    }
                    self.write_inlines(out, line);
                }
                out.push_str("</div>");
            }
            Block::CodeBlock(attr, code) => self.write_code_block(out, attr, code),
            Block::RawBlock(format, text) => self.write_raw(out, format, text, "block"),
            Block::BlockQuote(blocks) => {
                out.push_str("<blockquote>\n");
                self.write_nested_blocks(out, blocks);
                out.push_str("\n</blockquote>");
            }
            Block::OrderedList(list_attrs, items) => {
                out.push_str("<ol");
                write_list_attributes(out, list_attrs);
                out.push_str(">\n");
                self.write_items(out, items);
                out.push_str("</ol>");
            }
            Block::BulletList(items) => {
                let tasks = !items.is_empty() && items.iter().all(|i| task_state(i).is_some());
                out.push_str(if tasks {
                    "<ul class=\"task-list\">\n"
                } else {
                    "<ul>\n"
                });
                self.write_items(out, items);
                out.push_str("</ul>");
            }
            Block::DefinitionList(items) => {
                out.push_str("<dl>\n");
                for (term, definitions) in items {
                    out.push_str("<dt>");
                    self.write_inlines(out, term);
                    out.push_str("</dt>\n");
                    for definition in definitions {
                        out.push_str("<dd>\n");
                        self.write_nested_blocks(out, definition);
                        out.push_str("\n</dd>\n");
                    }
                }
                out.push_str("</dl>");
            }
            Block::Header(level, attr, ils) => self.write_header(out, *level, attr, ils),
            Block::HorizontalRule => out.push_str("<hr />"),
            Block::Table(table) => self.write_table(out, table),
            Block::Figure(attr, caption, blocks) => self.write_figure(out, attr, caption, blocks),
            Block::Div(attr, blocks) => self.write_div(out, attr, blocks),
        }
    }

    /// List items; those that start with a task box get a checkbox (the
    /// list is a `task-list` when they all do).
    fn write_items(&mut self, out: &mut String, items: &[Vec<Block>]) {
        for item in items {
            out.push_str("<li>");
            match (task_state(item), item.split_first()) {
                (Some(checked), Some((first @ (Block::Plain(ils) | Block::Para(ils)), rest))) => {
                    let is_para = matches!(first, Block::Para(_));
                    if is_para {
                        out.push_str("<p>");
                    }
                    out.push_str("<label><input type=\"checkbox\"");
                    if checked {
                        out.push_str(" checked=\"\"");
                    }
                    out.push_str(" />");
                    self.write_inlines(out, &ils[2..]);
                    out.push_str("</label>");
                    if is_para {
                        out.push_str("</p>");
                    }
                    if !rest.is_empty() {
                        out.push('\n');
                        self.write_nested_blocks(out, rest);
                    }
                }
                _ => self.write_nested_blocks(out, item),
            }
            out.push_str("</li>\n");
        }
    }

    fn write_header(&mut self, out: &mut String, level: i64, attr: &Attr, ils: &[Inline]) {
        self.write_heading(out, level, attr, ils, &attr.id);
    }

    /// A heading, listed in the table of contents under `section_id` (its
    /// own id, or that of the `<section>` it opens); returns its number.
    fn write_heading(
        &mut self,
        out: &mut String,
        level: i64,
        attr: &Attr,
        ils: &[Inline],
        section_id: &str,
    ) -> Option<String> {
        let numbered = self.in_sections && !attr.has_class("unnumbered");
        let number = if numbered && (1..=6).contains(&level) {
            let depth = level as usize;
            if self.counters.len() < depth {
                self.counters.resize(depth, 0);
            }
            self.counters.truncate(depth);
            self.counters[depth - 1] += 1;
            let mut number = String::new();
            for (i, n) in self.counters.iter().enumerate() {
                if i > 0 {
                    number.push('.');
                }
                let _ = write!(number, "{n}");
            }
            Some(number)
        } else {
            None
        };
        let number = number.filter(|_| self.opts.number_sections);
        if self.in_sections
            && self.opts.toc
            && level <= i64::from(self.opts.toc_depth)
            && !attr.has_class("unlisted")
            && !section_id.is_empty()
        {
            let mut html = String::new();
            self.in_toc = true;
            self.write_inlines(&mut html, ils);
            self.in_toc = false;
            self.toc.push(TocEntry {
                level,
                id: section_id.to_string(),
                number: number.clone(),
                html,
            });
        }
        let tag = match level {
            1 => "h1",
            2 => "h2",
            3 => "h3",
            4 => "h4",
            5 => "h5",
            6 => "h6",
            _ => {
                // HTML has six heading levels; pandoc writes deeper ones so.
                self.warn(format!(
                    "heading level {level} written as a paragraph of class \"heading\""
                ));
                "p"
            }
        };
        out.push('<');
        out.push_str(tag);
        let own: &[&str] = if number.is_some() {
            &["data-number"]
        } else {
            &[]
        };
        if tag == "p" {
            let mut attr = attr.clone();
            attr.classes.insert(0, "heading".into());
            self.write_attr_beside(out, &attr, own);
        } else {
            self.write_attr_beside(out, attr, own);
        }
        if let Some(number) = &number {
            out.push_str(" data-number=\"");
            escape(out, number, Context::Attribute);
            out.push('"');
        }
        out.push('>');
        if let Some(number) = &number {
            let _ = write!(
                out,
                "<span class=\"header-section-number\">{number}</span> "
            );
        }
        self.write_inlines(out, ils);
        out.push_str("</");
        out.push_str(tag);
        out.push('>');
        number
    }

    fn write_raw(&mut self, out: &mut String, format: &Format, text: &str, what: &str) {
        if format.is_html() && self.opts.sanitize {
            self.warn(format!(
                "raw HTML {what} left out (--sanitize): {}",
                quote(text)
            ));
        } else if format.is_html() {
            out.push_str(text);
        } else if matches!(format.0.as_str(), "tex" | "latex")
            && self.opts.math != MathMethod::Plain
            && is_math_environment(text)
        {
            // Raw LaTeX that is a math environment is math MathML and
            // MathJax can show, as pandoc writes it (display, even inline).
            self.write_math(out, MathType::DisplayMath, text);
        } else {
            self.warn(format!(
                "raw {what} in format {} left out: {}",
                format.0,
                quote(text)
            ));
        }
    }

    pub fn write_inlines(&mut self, out: &mut String, ils: &[Inline]) {
        for il in ils {
            self.write_inline(out, il);
        }
    }

    fn write_inline(&mut self, out: &mut String, il: &Inline) {
        match il {
            // The most frequent inlines hold no others: no stack check needed.
            Inline::Str(s) => escape(out, s, Context::Text),
            Inline::Space => out.push(' '),
            _ => stacker::maybe_grow(RED_ZONE, NEW_STACK, || self.write_inline_here(out, il)),
        }
    }

    fn write_tagged(&mut self, out: &mut String, open: &str, close: &str, ils: &[Inline]) {
        out.push_str(open);
        self.write_inlines(out, ils);
        out.push_str(close);
    }

    fn write_inline_here(&mut self, out: &mut String, il: &Inline) {
        match il {
            Inline::Str(s) => escape(out, s, Context::Text),
            Inline::Emph(ils) => self.write_tagged(out, "<em>", "</em>", ils),
            Inline::Underline(ils) => self.write_tagged(out, "<u>", "</u>", ils),
            Inline::Strong(ils) => self.write_tagged(out, "<strong>", "</strong>", ils),
            Inline::Strikeout(ils) => self.write_tagged(out, "<del>", "</del>", ils),
            Inline::Superscript(ils) => self.write_tagged(out, "<sup>", "</sup>", ils),
            Inline::Subscript(ils) => self.write_tagged(out, "<sub>", "</sub>", ils),
            Inline::SmallCaps(ils) => {
                self.write_tagged(out, "<span class=\"smallcaps\">", "</span>", ils)
            }
            Inline::Quoted(QuoteType::SingleQuote, ils) => {
                self.write_tagged(out, "\u{2018}", "\u{2019}", ils)
            }
            Inline::Quoted(QuoteType::DoubleQuote, ils) => {
                self.write_tagged(out, "\u{201c}", "\u{201d}", ils)
            }
            Inline::Cite(citations, ils) => {
                out.push_str("<span class=\"citation\" data-cites=\"");
                for (i, c) in citations.iter().enumerate() {
                    if i > 0 {
                        out.push(' ');
                    }
                    escape(out, &c.id, Context::Attribute);
                }
                out.push_str("\">");
                self.write_inlines(out, ils);
                out.push_str("</span>");
            }
            Inline::Code(attr, code) => self.write_code(out, attr, code),
            Inline::Space => out.push(' '),
            Inline::SoftBreak => out.push('\n'),
            Inline::LineBreak => out.push_str("<br />\n"),
            Inline::Math(kind, tex) => self.write_math(out, *kind, tex),
            Inline::RawInline(format, text) => self.write_raw(out, format, text, "inline"),
            Inline::Link(attr, ils, target) => {
                if self.in_toc {
                    self.write_inlines(out, ils);
                    return;
                }
                out.push_str("<a href=\"");
                let url = self.safe_url(&target.url);
                escape(out, url, Context::Url);
                out.push('"');
                let own: &[&str] = if target.title.is_empty() {
                    &["href"]
                } else {
                    &["href", "title"]
                };
                self.write_attr_beside(out, attr, own);
                if !target.title.is_empty() {
                    out.push_str(" title=\"");
                    escape(out, &target.title, Context::Attribute);
                    out.push('"');
                }
                out.push('>');
                self.write_inlines(out, ils);
                out.push_str("</a>");
            }
            Inline::Image(attr, alt, target) => {
                self.write_image(out, attr, alt, &target.url, &target.title)
            }
            Inline::Note(blocks) => {
                if self.in_toc {
                    return;
                }
                self.notes.push(String::new());
                let n = self.notes.len();
                let _ = write!(
                    out,
                    "<a href=\"#fn{n}\" class=\"footnote-ref\" id=\"fnref{n}\" \
                     role=\"doc-noteref\"><sup>{n}</sup></a>"
                );
                let mut body = String::new();
                let saved = std::mem::replace(&mut self.in_sections, false);
                let back = format!(
                    "<a href=\"#fnref{n}\" class=\"footnote-back\" role=\"doc-backlink\">\u{21a9}\u{fe0e}</a>"
                );
                match blocks.split_last() {
                    Some((Block::Para(ils), rest)) => {
                        self.write_blocks(&mut body, rest);
                        if !rest.is_empty() {
                            body.push('\n');
                        }
                        body.push_str("<p>");
                        self.write_inlines(&mut body, ils);
                        body.push_str(&back);
                        body.push_str("</p>");
                    }
                    Some((Block::Plain(ils), rest)) => {
                        self.write_blocks(&mut body, rest);
                        if !rest.is_empty() {
                            body.push('\n');
                        }
                        self.write_inlines(&mut body, ils);
                        body.push_str(&back);
                    }
                    _ => {
                        self.write_blocks(&mut body, blocks);
                        if !blocks.is_empty() {
                            body.push('\n');
                        }
                        body.push_str(&back);
                    }
                }
                self.in_sections = saved;
                self.notes[n - 1] = body;
            }
            Inline::Span(attr, ils) => {
                // Classes naming an HTML element are that element, nested in
                // their order, the other attributes on the outermost (pandoc's
                // `htmlSpanLikeElements`).
                let tags: Vec<&str> = attr
                    .classes
                    .iter()
                    .map(String::as_str)
                    .filter(|c| SPAN_LIKE_ELEMENTS.contains(c))
                    .collect();
                if tags.is_empty() {
                    out.push_str("<span");
                    self.write_attr(out, attr);
                    out.push('>');
                    self.write_inlines(out, ils);
                    out.push_str("</span>");
                    return;
                }
                let mut rest = attr.clone();
                rest.classes.retain(|c| !tags.contains(&c.as_str()));
                for (i, tag) in tags.iter().enumerate() {
                    out.push('<');
                    out.push_str(tag);
                    if i == 0 {
                        self.write_attr(out, &rest);
                    }
                    out.push('>');
                }
                self.write_inlines(out, ils);
                for tag in tags.iter().rev() {
                    out.push_str("</");
                    out.push_str(tag);
                    out.push('>');
                }
            }
        }
    }

    fn write_math(&mut self, out: &mut String, kind: MathType, tex: &str) {
        let (class, open, close, tex_open, tex_close) = match kind {
            MathType::InlineMath => ("math inline", "\\(", "\\)", "$", "$"),
            MathType::DisplayMath => ("math display", "\\[", "\\]", "$$", "$$"),
        };
        if self.opts.math == MathMethod::MathMl {
            match self.mathml.convert(tex, kind) {
                // Pandoc writes MathML bare, without the span.
                Ok(mathml) => {
                    out.push_str(&mathml);
                    return;
                }
                Err(e) if math::tex_to_html(tex).is_some() => self.warn(format!(
                    "could not convert TeX math {} to MathML ({e}), rendering as plain HTML",
                    quote(tex)
                )),
                // The plain HTML's warning says it.
                Err(_) => {}
            }
        }
        let _ = write!(out, "<span class=\"{class}\">");
        match &self.opts.math {
            MathMethod::MathJax(_) => {
                out.push_str(open);
                escape(out, tex, Context::Text);
                out.push_str(close);
            }
            MathMethod::MathMl | MathMethod::Plain => {
                self.write_plain_math(out, tex, tex_open, tex_close)
            }
        }
        out.push_str("</span>");
    }

    /// TeX math as plain HTML, or the TeX source with a warning.
    fn write_plain_math(&mut self, out: &mut String, tex: &str, tex_open: &str, tex_close: &str) {
        match math::tex_to_html(tex) {
            Some(html) => out.push_str(&html),
            None => {
                self.warn(format!(
                    "could not convert TeX math {}, rendering as TeX",
                    quote(tex)
                ));
                out.push_str(tex_open);
                escape(out, tex, Context::Text);
                out.push_str(tex_close);
            }
        }
    }

    fn write_image(
        &mut self,
        out: &mut String,
        attr: &Attr,
        alt: &[Inline],
        url: &str,
        title: &str,
    ) {
        let media = media_element(url);
        out.push('<');
        out.push_str(media.unwrap_or("img"));
        out.push_str(" src=\"");
        let embedded = if !self.opts.embed_resources {
            None
        } else if page::is_local(url) {
            match page::data_uri(self.opts, url) {
                Ok(uri) => Some(uri),
                Err(e) => {
                    self.warn(format!(
                        "image {}: {e}, linked instead of embedded",
                        quote(url)
                    ));
                    None
                }
            }
        } else {
            if !url.starts_with("data:") {
                self.warn(format!(
                    "image {} is not a local file, linked instead of embedded",
                    quote(url)
                ));
            }
            None
        };
        let link = url;
        let url = self.safe_url(embedded.as_deref().unwrap_or(url));
        escape(out, url, Context::Url);
        out.push('"');
        if !title.is_empty() {
            out.push_str(" title=\"");
            escape(out, title, Context::Attribute);
            out.push('"');
        }
        // Sizes become `style` (percentages, units) or `width`/`height`
        // attributes (pixels), after the other attributes, as in pandoc; a
        // `style` of the image's own keeps its place at the front.
        let mut rest = attr.clone();
        rest.attributes
            .retain(|(k, _)| !matches!(k.as_str(), "width" | "height" | "style" | "alt"));
        let own: &[&str] = if title.is_empty() {
            &["src"]
        } else {
            &["src", "title"]
        };
        self.write_attr_beside(out, &rest, own);
        let mut style = attr
            .get("style")
            .map_or("", |s| s.trim().trim_end_matches(';'))
            .to_string();
        let mut sizes = String::new();
        for key in ["width", "height"] {
            let Some(value) = attr.get(key) else { continue };
            let css = match parse_dimension(value) {
                Some(Dimension::Pixels(n)) => {
                    let _ = write!(sizes, " {key}=\"{n}\"");
                    continue;
                }
                Some(Dimension::Percent(p)) => format!("{key}:{}%", show_double(p)),
                Some(Dimension::Length(text)) => format!("{key}:{text}"),
                None => {
                    self.warn(format!(
                        "image {}: {key} {} is not a length, left out",
                        quote(url),
                        quote(value)
                    ));
                    continue;
                }
            };
            if !style.is_empty() {
                style.push(';');
            }
            style.push_str(&css);
        }
        if !style.is_empty() {
            out.push_str(" style=\"");
            escape(out, &style, Context::Attribute);
            out.push('"');
        }
        out.push_str(&sizes);
        match media {
            None => {
                out.push_str(" alt=\"");
                escape(out, &alt_text(attr, alt), Context::Attribute);
                out.push_str("\" />");
            }
            Some("embed") => out.push_str(" />"),
            Some(tag) => {
                // A browser that cannot play it shows a link to the file.
                out.push_str(" controls=\"\"><a href=\"");
                let link = self.safe_url(link);
                escape(out, link, Context::Url);
                out.push_str("\">");
                self.write_inlines(out, alt);
                let _ = write!(out, "</a></{tag}>");
            }
        }
    }

    /// ` id="..." class="..."` and the key-value pairs.
    /// With `--sanitize`, a URL that would run a script becomes empty.
    fn safe_url<'u>(&mut self, url: &'u str) -> &'u str {
        if self.opts.sanitize && is_script_url(url) {
            self.warn(format!("URL {} left out (--sanitize)", quote(url)));
            ""
        } else {
            url
        }
    }

    pub fn write_attr(&mut self, out: &mut String, attr: &Attr) {
        self.write_attr_beside(out, attr, &[]);
    }

    /// ` id="..." class="..."` and the key-value pairs, but for those the
    /// element writes itself (`own`, and the id and class when it has them):
    /// an attribute written twice is an HTML error, and browsers keep the
    /// first. Pandoc writes both; here the key-value one is left out, with a
    /// warning. A key-value `id` or `class` of an element without one is
    /// written, as in pandoc.
    fn write_attr_beside(&mut self, out: &mut String, attr: &Attr, own: &[&str]) {
        let mut own = own.to_vec();
        if !attr.id.is_empty() {
            own.push("id");
        }
        if !attr.classes.is_empty() {
            own.push("class");
        }
        if !attr.id.is_empty() {
            out.push_str(" id=\"");
            escape(out, &attr.id, Context::Attribute);
            out.push('"');
        }
        if !attr.classes.is_empty() {
            out.push_str(" class=\"");
            for (i, class) in attr.classes.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                escape(out, class, Context::Attribute);
            }
            out.push('"');
        }
        self.write_key_values(out, attr, &own);
    }

    /// The key-value pairs: HTML5 attributes as they are, others as `data-*`,
    /// as pandoc writes them; those named in `own`, which the element writes
    /// itself, are left out with a warning.
    fn write_key_values(&mut self, out: &mut String, attr: &Attr, own: &[&str]) {
        for (key, value) in &attr.attributes {
            if own.contains(&key.as_str()) {
                self.warn(format!(
                    "attribute {key}={} left out: the element already has its own {key}",
                    quote(value)
                ));
                continue;
            }
            if self.opts.sanitize && key.len() > 2 && key[..2].eq_ignore_ascii_case("on") {
                self.warn(format!(
                    "attribute {key}={} left out (--sanitize): an event handler",
                    quote(value)
                ));
                continue;
            }
            if !is_attribute_name(key) {
                self.warn(format!(
                    "attribute {} is not a valid attribute name, left out",
                    quote(key)
                ));
                continue;
            }
            out.push(' ');
            if !is_html5_attribute(key) {
                out.push_str("data-");
            }
            out.push_str(key);
            out.push_str("=\"");
            escape(out, value, Context::Attribute);
            out.push('"');
        }
    }
}

/// The element pandoc's HTML5 writer writes for an image that is not one,
/// after the file's extension: a PDF is an `<embed>`, a video a `<video>`,
/// a sound an `<audio>`; `None` for an image.
fn media_element(url: &str) -> Option<&'static str> {
    let path = url.split(['?', '#']).next().unwrap_or(url);
    let extension = path.rsplit_once('.')?.1.to_ascii_lowercase();
    match extension.as_str() {
        "pdf" => Some("embed"),
        "mp4" | "m4v" | "webm" | "ogv" | "mov" | "mkv" | "avi" | "mpeg" | "mpg" => Some("video"),
        "mp3" | "m4a" | "wav" | "oga" | "ogg" | "flac" | "opus" | "aac" => Some("audio"),
        _ => None,
    }
}

/// Whether raw LaTeX is one math environment (pandoc's `isMathEnvironment`).
fn is_math_environment(tex: &str) -> bool {
    let Some(rest) = tex.trim_start().strip_prefix("\\begin{") else {
        return false;
    };
    let name = rest.split('}').next().unwrap_or("");
    matches!(
        name,
        "align"
            | "align*"
            | "alignat"
            | "alignat*"
            | "aligned"
            | "alignedat"
            | "array"
            | "Bmatrix"
            | "bmatrix"
            | "cases"
            | "CD"
            | "eqnarray"
            | "eqnarray*"
            | "equation"
            | "equation*"
            | "gather"
            | "gather*"
            | "gathered"
            | "matrix"
            | "multline"
            | "multline*"
            | "pmatrix"
            | "smallmatrix"
            | "split"
            | "subarray"
            | "Vmatrix"
            | "vmatrix"
    )
}

/// Span classes written as the HTML element of that name.
const SPAN_LIKE_ELEMENTS: [&str; 3] = ["kbd", "mark", "dfn"];

/// An image's alt text: its `alt` attribute when it has one (as pandoc
/// writes it, say for a figure whose caption is long), else its description.
fn alt_text(attr: &Attr, description: &[Inline]) -> String {
    match attr.get("alt") {
        Some(alt) => alt.to_string(),
        None => description.iter().map(ast::stringify).collect(),
    }
}

fn write_list_attributes(out: &mut String, list: &ListAttributes) {
    if list.start != 1 {
        let _ = write!(out, " start=\"{}\"", list.start);
    }
    let kind = match list.style {
        ListNumberStyle::DefaultStyle => None,
        ListNumberStyle::Example | ListNumberStyle::Decimal => Some("1"),
        ListNumberStyle::LowerRoman => Some("i"),
        ListNumberStyle::UpperRoman => Some("I"),
        ListNumberStyle::LowerAlpha => Some("a"),
        ListNumberStyle::UpperAlpha => Some("A"),
    };
    if let Some(kind) = kind {
        let _ = write!(out, " type=\"{kind}\"");
    }
}

/// `Some(checked)` when a list item starts with pandoc's task-list box.
fn task_state(item: &[Block]) -> Option<bool> {
    match item.first()? {
        Block::Plain(ils) | Block::Para(ils) => match ils.as_slice() {
            [Inline::Str(b), Inline::Space, ..] if b == "\u{2610}" => Some(false),
            [Inline::Str(b), Inline::Space, ..] if b == "\u{2612}" => Some(true),
            _ => None,
        },
        _ => None,
    }
}

/// An image dimension, as pandoc reads `width=`/`height=`.
enum Dimension<'a> {
    Pixels(i64),
    Percent(f64),
    /// A number and a CSS unit (`3cm`, `2in`, `1.5em`), written as given.
    Length(&'a str),
}

fn parse_dimension(value: &str) -> Option<Dimension<'_>> {
    let value = value.trim();
    let split = value
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(value.len());
    let (number, unit) = value.split_at(split);
    let n: f64 = number.parse().ok().filter(|n: &f64| n.is_finite())?;
    match unit {
        "" | "px" => Some(Dimension::Pixels(n.round() as i64)),
        "%" => Some(Dimension::Percent(n)),
        "cm" | "mm" | "in" | "pt" | "pc" | "em" | "ex" | "rem" | "vw" | "vh" => {
            Some(Dimension::Length(value))
        }
        _ => None,
    }
}

/// A number as Haskell's `show` writes a `Double` in pandoc's output (`50.0`).
fn show_double(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e7 {
        format!("{x:.1}")
    } else {
        format!("{x}")
    }
}

/// `text` shortened for a warning: one line, at most 60 characters.
pub fn quote(text: &str) -> String {
    let one_line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut chars = one_line.chars();
    let short: String = chars.by_ref().take(60).collect();
    if chars.next().is_some() {
        format!("\"{short}...\"")
    } else {
        format!("\"{short}\"")
    }
}

/// HTML5's attributes, which pandoc writes as they are (others get `data-`).
fn is_html5_attribute(name: &str) -> bool {
    name.starts_with("data-")
        || name.starts_with("aria-")
        || matches!(
            name,
            "abbr"
                | "accept"
                | "accept-charset"
                | "accesskey"
                | "action"
                | "allow"
                | "alt"
                | "async"
                | "autocapitalize"
                | "autocomplete"
                | "autofocus"
                | "autoplay"
                | "charset"
                | "checked"
                | "cite"
                | "class"
                | "color"
                | "cols"
                | "colspan"
                | "content"
                | "contenteditable"
                | "controls"
                | "coords"
                | "crossorigin"
                | "data"
                | "datetime"
                | "decoding"
                | "default"
                | "defer"
                | "dir"
                | "dirname"
                | "disabled"
                | "download"
                | "draggable"
                | "enctype"
                | "enterkeyhint"
                | "for"
                | "form"
                | "formaction"
                | "headers"
                | "height"
                | "hidden"
                | "high"
                | "href"
                | "hreflang"
                | "http-equiv"
                | "id"
                | "inert"
                | "inputmode"
                | "integrity"
                | "is"
                | "itemid"
                | "itemprop"
                | "itemref"
                | "itemscope"
                | "itemtype"
                | "kind"
                | "label"
                | "lang"
                | "list"
                | "loading"
                | "loop"
                | "low"
                | "max"
                | "maxlength"
                | "media"
                | "method"
                | "min"
                | "minlength"
                | "multiple"
                | "muted"
                | "name"
                | "nomodule"
                | "nonce"
                | "novalidate"
                | "open"
                | "optimum"
                | "pattern"
                | "ping"
                | "placeholder"
                | "playsinline"
                | "poster"
                | "preload"
                | "readonly"
                | "referrerpolicy"
                | "rel"
                | "required"
                | "reversed"
                | "role"
                | "rows"
                | "rowspan"
                | "sandbox"
                | "scope"
                | "selected"
                | "shape"
                | "size"
                | "sizes"
                | "slot"
                | "span"
                | "spellcheck"
                | "src"
                | "srcdoc"
                | "srclang"
                | "srcset"
                | "start"
                | "step"
                | "style"
                | "tabindex"
                | "target"
                | "title"
                | "translate"
                | "type"
                | "usemap"
                | "value"
                | "width"
                | "wrap"
        )
}

/// `javascript:`, `vbscript:` or `data:text/html` URLs, however a browser
/// would still read them: case, and blanks or control characters inside
/// the scheme, do not matter.
fn is_script_url(url: &str) -> bool {
    let scheme: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .take(14)
        .collect::<String>()
        .to_ascii_lowercase();
    scheme.starts_with("javascript:")
        || scheme.starts_with("vbscript:")
        || scheme.starts_with("data:text/html")
}

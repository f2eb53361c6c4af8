//! Writes a pandoc document (the JSON AST of pandoc-types 1.23) as HTML5,
//! the way `pandoc -s -t html5` does: same elements, same class names
//! (`smallcaps`, `header-section-number`, `footnotes`, `math inline`,
//! `sourceCode`, `task-list`...), with code highlighted by syntect, page
//! breaks kept as a print style, and a standalone page made from a pandoc
//! template (an embedded default, or `--template FILE`).
//!
//! ```
//! let doc = ast::read_json(r#"{"pandoc-api-version":[1,23,1],"meta":{},
//!     "blocks":[{"t":"Para","c":[{"t":"Emph","c":[{"t":"Str","c":"a<b"}]}]}]}"#).unwrap();
//! let options = ast2html::HtmlOptions { standalone: false, ..Default::default() };
//! let mut html = String::new();
//! let warnings = ast2html::write_html(&doc, &options, &mut html).unwrap();
//! assert_eq!(html, "<p><em>a&lt;b</em></p>\n");
//! assert!(warnings.is_empty());
//! ```
//!
//! A large document need not be in memory whole: [`HtmlWriter`] renders it
//! a batch of top-level blocks at a time, and [`write_html_from_json`] (what
//! the binary does) reads the JSON on one thread while it renders on
//! another. Both give the bytes [`write_html`] gives.

mod escape;
mod highlight;
mod html;
mod math;
mod page;

use std::fmt;
use std::path::PathBuf;

pub use highlight::HighlightStyle;

/// How math is written.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum MathMethod {
    /// Pandoc's default: the TeX as HTML text (italic variables, `<sup>`...),
    /// or the TeX source itself when it cannot be shown so.
    #[default]
    Plain,
    /// The TeX source between `\(...\)` or `\[...\]`, and a script tag
    /// loading MathJax from this URL in the page's head.
    MathJax(String),
    /// MathML Core (`<math>`), which browsers render themselves, with the
    /// TeX source kept as its annotation (pandoc's `--mathml`).
    MathMl,
}

/// The MathJax URL pandoc 3 uses by default.
pub const DEFAULT_MATHJAX_URL: &str =
    "https://cdn.jsdelivr.net/npm/mathjax@3/es5/tex-chtml-full.js";

/// Everything that changes how a document is written.
#[derive(Debug, Clone, PartialEq)]
pub struct HtmlOptions {
    /// A whole page (head, title block, table of contents); `false` writes
    /// the body alone.
    pub standalone: bool,
    /// Number the headings (1, 1.1, 1.1.1) as pandoc's `--number-sections`.
    pub number_sections: bool,
    /// Put a table of contents before the body (standalone pages only).
    pub toc: bool,
    /// The title of the table of contents (default: from `toc-title` in the
    /// metadata, else "Table des matières" or "Contents" after `lang`).
    pub toc_title: Option<String>,
    /// Deepest heading level listed in the table of contents.
    pub toc_depth: u8,
    /// How math is written.
    pub math: MathMethod,
    /// The highlighting style of code blocks; `None` leaves code plain.
    pub highlight_style: Option<HighlightStyle>,
    /// Template variables (`-V key=value`), in order; they override metadata.
    pub variables: Vec<(String, String)>,
    /// Stylesheets linked from the page, in order.
    pub css: Vec<String>,
    /// Put local images and stylesheets inside the page as data URIs.
    pub embed_resources: bool,
    /// The folders relative image and stylesheet paths are looked up in,
    /// in order, when embedding them (pandoc's `--resource-path`); empty:
    /// the current folder.
    pub resource_path: Vec<PathBuf>,
    /// A pandoc template's text and its name (for error messages); `None`
    /// uses the default template.
    pub template: Option<(String, String)>,
    /// For documents from untrusted authors: leave out raw HTML, event
    /// handler attributes (`on...`) and `javascript:`, `vbscript:` and
    /// `data:text/html` URLs, each with a warning.
    pub sanitize: bool,
}

impl HtmlOptions {
    /// The file a relative path names: in the first folder of the resource
    /// path that has it, else in the first folder (for the error message).
    pub fn find_resource(&self, name: &str) -> PathBuf {
        self.resource_path
            .iter()
            .map(|dir| dir.join(name))
            .find(|path| path.is_file())
            .or_else(|| self.resource_path.first().map(|dir| dir.join(name)))
            .unwrap_or_else(|| PathBuf::from(name))
    }
}

impl Default for HtmlOptions {
    fn default() -> Self {
        HtmlOptions {
            standalone: true,
            number_sections: false,
            toc: false,
            toc_title: None,
            toc_depth: 3,
            math: MathMethod::Plain,
            highlight_style: Some(HighlightStyle::default()),
            variables: Vec::new(),
            css: Vec::new(),
            embed_resources: false,
            resource_path: vec![PathBuf::from(".")],
            template: None,
            sanitize: false,
        }
    }
}

/// Something in the document that the HTML cannot show as it is, reported
/// on stderr by the binary (raw LaTeX left out, math shown as TeX...): the
/// diagnostic type every stage shares.
pub type Warning = writer_support::Diagnostic;

/// Writes `doc` as HTML5 to `out`: a standalone page, or the body alone when
/// `options.standalone` is false. Returns the warnings about what could not
/// be shown; fails on a bad template or an unwritable output. The same as an
/// [`HtmlWriter`] given all the blocks at once.
pub fn write_html(
    doc: &ast::Pandoc,
    options: &HtmlOptions,
    out: &mut impl fmt::Write,
) -> Result<Vec<Warning>, ast::Error> {
    let mut writer = HtmlWriter::new(options)?;
    writer.write_blocks(&doc.blocks);
    writer.finish(&doc.meta, out)
}

/// Top-level blocks handed from the reading thread to the rendering one at a
/// time: small enough that rendering starts early, large enough that the
/// handing over costs nothing.
const BATCH_BLOCKS: usize = 64;

/// The stacks of the reading thread and of the rendering: freeing a block
/// recurses as deep as it is nested (the reader frees the blocks it cannot
/// hand over after an error).
const DROP_STACK: usize = 1 << 30;

/// Reads a pandoc JSON document from `input` and writes it as HTML5 to `out`,
/// as [`write_html`] does, a batch of top-level blocks at a time: one thread
/// reads while this one renders (and frees the blocks it rendered), and
/// the whole tree is never in memory. `path` names the input in error
/// messages (`None` for stdin).
pub fn write_html_from_json(
    input: impl std::io::Read + Send,
    path: Option<&std::path::Path>,
    options: &HtmlOptions,
    out: &mut impl fmt::Write,
) -> Result<Vec<Warning>, ast::Error> {
    // A bad template is reported before any input is read.
    let mut writer = HtmlWriter::new(options)?;
    let reader = ast::BlockReader::new(input, path)?;
    let batching = writer_support::stream::Batching {
        blocks: BATCH_BLOCKS,
        queue: 4,
        thread_name: "ast2html-reader",
        stack: DROP_STACK,
    };
    // On a stack deep enough to free any block recursively (a block quote
    // 100,000 levels deep): one stack for the whole document.
    let mut reader = stacker::grow(DROP_STACK, || {
        writer_support::stream::read_in_batches(reader, &batching, |batch| {
            writer.write_blocks(&batch);
            // Freed here rather than by the reader: reading is the longer
            // half of the work.
            drop(batch);
            Ok(None)
        })
    })?;
    writer.finish(reader.meta_mut(), out)
}

/// Writes a document as HTML5 a batch of top-level blocks at a time, as
/// they are read: the body is rendered as the blocks come, and what depends
/// on the whole document (notes, table of contents, section numbers, the
/// page's title) is carried from batch to batch and written by
/// [`finish`](HtmlWriter::finish). The output is the same however the blocks
/// are split into batches.
///
/// ```
/// let options = ast2html::HtmlOptions { standalone: false, ..Default::default() };
/// let mut writer = ast2html::HtmlWriter::new(&options).unwrap();
/// writer.write_blocks(&[ast::Block::Para(vec![ast::Inline::Str("a".into())])]);
/// writer.write_blocks(&[ast::Block::HorizontalRule]);
/// let mut html = String::new();
/// writer.finish(&ast::Meta::new(), &mut html).unwrap();
/// assert_eq!(html, "<p>a</p>\n<hr />\n");
/// ```
pub struct HtmlWriter<'o> {
    options: &'o HtmlOptions,
    /// The page's template, parsed before any block (standalone pages only).
    template: Option<templates::Template>,
    writer: html::Writer<'o>,
    /// The body so far.
    body: String,
    /// Top-level blocks written so far (those left out not counted).
    blocks: usize,
    /// The text of the first top-level heading, the page's default title.
    first_heading: Option<String>,
    /// The text of the first paragraph, for the page's description.
    first_paragraph: Option<String>,
}

impl<'o> HtmlWriter<'o> {
    /// A writer with an empty body; fails on a bad template.
    pub fn new(options: &'o HtmlOptions) -> Result<Self, ast::Error> {
        let template = if options.standalone {
            Some(page::read_template(options)?)
        } else {
            None
        };
        Ok(HtmlWriter {
            options,
            template,
            writer: html::Writer::new(options),
            body: String::with_capacity(1 << 16),
            blocks: 0,
            first_heading: None,
            first_paragraph: None,
        })
    }

    /// Renders the next top-level blocks of the document.
    pub fn write_blocks(&mut self, blocks: &[ast::Block]) {
        // Positions (`md2ast --sourcepos`) are for the tools that read the
        // sources (`ast-filters --check`): the page is the one without them
        // (a `data-pos` on a heading would make its div a `<section>`).
        let unwrapped;
        let blocks = if blocks.iter().any(ast::sourcepos::has_positions) {
            let mut owned = blocks.to_vec();
            ast::sourcepos::strip_positions(&mut owned);
            unwrapped = owned;
            &unwrapped[..]
        } else {
            blocks
        };
        if self.first_heading.is_none() {
            self.first_heading = page::first_heading(blocks);
        }
        if self.first_paragraph.is_none() {
            self.first_paragraph = page::first_paragraph(blocks);
        }
        self.blocks = self
            .writer
            .write_blocks_from(&mut self.body, blocks, self.blocks);
    }

    /// Writes the page (the template filled with `meta`, the body and the
    /// notes) or the body alone to `out`; returns the warnings about what
    /// could not be shown, in document order.
    pub fn finish(
        mut self,
        meta: &ast::Meta,
        out: &mut impl fmt::Write,
    ) -> Result<Vec<Warning>, ast::Error> {
        let write_err = |_| ast::Error::Other("cannot write the HTML output".into());
        let unwrapped;
        let meta = if meta.values().any(ast::sourcepos::has_positions) {
            let mut owned = meta.clone();
            owned.values_mut().for_each(ast::sourcepos::strip_positions);
            unwrapped = owned;
            &unwrapped
        } else {
            meta
        };
        let mut body = std::mem::take(&mut self.body);
        self.writer.write_notes(&mut body);
        match &self.template {
            Some(template) => {
                let page = page::write_page(
                    &mut self.writer,
                    template,
                    meta,
                    self.first_heading.as_deref(),
                    self.first_paragraph.as_deref(),
                    self.options,
                    body,
                );
                out.write_str(&page).map_err(write_err)?;
            }
            None => {
                out.write_str(&body).map_err(write_err)?;
                if !body.is_empty() {
                    out.write_char('\n').map_err(write_err)?;
                }
            }
        }
        Ok(self.writer.warnings)
    }
}

//! `pagebreak`: `\newpage`, `\clearpage` and `\pagebreak` as raw TeX blocks
//! become a page break every output honours (see the crate documentation for
//! the nodes).

use ast::{Attr, Block, Format, Pandoc};

use crate::engine::{Engine, ListFilter};

use crate::options::PagebreakOptions;
use crate::report::Report;

/// The class of the `Div` that stands for a page break.
pub use writer_support::PAGEBREAK_CLASS;
/// The CSS that makes an HTML element end a page.
pub const PAGEBREAK_STYLE: &str = "break-after: page";

/// Replaces page-break commands in raw TeX blocks (see the crate documentation).
pub fn apply_pagebreak(doc: &mut Pandoc, opts: &PagebreakOptions) -> Report {
    Engine::new(vec![Box::new(Pagebreaks(opts.format.clone()))]).run(doc);
    Report::default()
}

/// The filter: page-break commands become page breaks for this output format.
pub(crate) struct Pagebreaks(pub Option<String>);

impl ListFilter for Pagebreaks {
    fn blocks(&mut self, bs: &mut [Block]) {
        replace_pagebreaks(bs, self.0.as_deref());
    }
}

/// A pandoc format name without its extensions (`markdown+smart` → `markdown`).
pub fn base_format(format: &str) -> &str {
    format.split(['+', '-']).next().unwrap_or(format)
}

/// The page-break command a raw TeX block consists of, if it is one.
fn pagebreak_command(format: &Format, text: &str) -> Option<&'static str> {
    if !format.is_tex() {
        return None;
    }
    let t = text.trim();
    let t = t.strip_suffix("{}").unwrap_or(t).trim_end();
    match t {
        "\\newpage" => Some("\\newpage"),
        "\\clearpage" => Some("\\clearpage"),
        "\\pagebreak" => Some("\\pagebreak"),
        _ => None,
    }
}

/// The page break our own writers render: an empty `Div` with class
/// `pagebreak` and the CSS that makes a browser honour it.
pub fn pagebreak_div() -> Block {
    Block::Div(
        Attr {
            id: String::new(),
            classes: vec![PAGEBREAK_CLASS.into()],
            attributes: vec![("style".into(), PAGEBREAK_STYLE.into())],
        },
        Vec::new(),
    )
}

/// The page break for the pandoc output format `format`: a raw block its
/// writer keeps, or the `Div` for formats that have no page (JSON, Markdown).
pub fn pagebreak_for(format: Option<&str>, command: &str) -> Block {
    let raw = |f: &str, s: &str| Block::RawBlock(Format(f.into()), s.into());
    match format {
        Some("latex" | "beamer" | "pdf") => raw("latex", command),
        Some("context") => raw("context", "\\page"),
        Some(
            "html" | "html4" | "html5" | "epub" | "epub2" | "epub3" | "chunkedhtml" | "revealjs"
            | "slidy" | "slideous" | "dzslides" | "s5",
        ) => raw("html", "<div style=\"break-after: page\"></div>"),
        Some("docx") => raw("openxml", "<w:p><w:r><w:br w:type=\"page\"/></w:r></w:p>"),
        Some("typst") => raw("typst", "#pagebreak()"),
        Some("ms") => raw("ms", ".bp"),
        _ => pagebreak_div(),
    }
}

/// Replaces the page-break raw blocks of `blocks` for the output `format`.
pub(crate) fn replace_pagebreaks(blocks: &mut [Block], format: Option<&str>) {
    for b in blocks.iter_mut() {
        if let Block::RawBlock(f, text) = b {
            if let Some(command) = pagebreak_command(f, text) {
                *b = pagebreak_for(format.map(base_format), command);
            }
        }
    }
}

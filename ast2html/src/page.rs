//! The standalone page: the template's variables from the metadata, the
//! options and the rendered body, and the template itself.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::path::Path;

use ast::{Block, Meta, MetaValue};
use templates::{Context as Variables, MetaText, Template, Value};

use crate::escape::{escape, Context};
use crate::html::{TocEntry, Writer};
use crate::{HtmlOptions, MathMethod, Warning};
use writer_support::meta_plain_text as meta_text;

/// The default template, in pandoc's template syntax.
const DEFAULT_TEMPLATE: &str = include_str!("template.html");
/// The default stylesheet.
const STYLESHEET: &str = include_str!("style.css");

/// The page's template: `options.template`, or the default one.
pub fn read_template(options: &HtmlOptions) -> Result<Template, ast::Error> {
    match &options.template {
        Some((text, name)) => Template::parse(text, name),
        None => Template::parse(DEFAULT_TEMPLATE, "ast2html/src/template.html"),
    }
}

/// Renders the page around `body`; `first_heading` is the text of the
/// body's first top-level heading (the page's title when the metadata has
/// none), `first_paragraph` the text of its first paragraph (the page's
/// description when the metadata has neither `description` nor `abstract`).
pub fn write_page(
    writer: &mut Writer<'_>,
    template: &Template,
    meta: &Meta,
    first_heading: Option<&str>,
    first_paragraph: Option<&str>,
    options: &HtmlOptions,
    body: String,
) -> String {
    let mut vars = Variables::from_meta(meta, |text| render_meta(writer, text));
    // Variables the default template puts inside attribute values: their
    // metadata is taken as plain text escaped for an attribute, so a value
    // such as `css: 'a" onload="x'` can never open an attribute or a tag.
    for key in ["lang", "dir", "css", "keywords"] {
        if let Some(value) = meta.get(key) {
            let value = match value {
                MetaValue::MetaList(items) => Value::List(
                    items
                        .iter()
                        .map(|item| Value::from(attribute(&meta_text(item))))
                        .collect(),
                ),
                other => Value::from(attribute(&meta_text(other))),
            };
            vars.set(key, value);
        }
    }
    vars.set_variables(options.variables.iter().cloned());

    vars.set("body", body);
    let french = writer_support::is_french_document(meta, &options.variables);
    if options.toc {
        vars.set("toc", true);
        let mut toc = String::new();
        write_toc(&mut toc, &writer.toc);
        vars.set("table-of-contents", toc);
        match &options.toc_title {
            Some(title) => {
                let mut escaped = String::new();
                escape(&mut escaped, title, Context::Text);
                vars.set("toc-title", escaped);
            }
            None => {
                vars.set_default(
                    "toc-title",
                    if french {
                        "Table des matières"
                    } else {
                        "Contents"
                    },
                );
            }
        }
    }
    vars.set_default("abstract-title", if french { "Résumé" } else { "Abstract" });
    vars.set_default(
        "mentor-label",
        if french { "Mentor\u{a0}: " } else { "Mentor: " },
    );
    vars.set_default("version-label", "Version ");

    let pagetitle = match meta.get("title") {
        Some(title) => meta_text(title),
        None => first_heading.unwrap_or("Document").to_string(),
    };
    vars.set_default("pagetitle", attribute(&pagetitle));
    if let Some(authors) = writer_support::meta_authors(meta) {
        let list = authors.iter().map(|a| Value::from(attribute(a))).collect();
        vars.set_default("author-meta", Value::List(list));
    }
    if let Some(value) = meta.get("date") {
        vars.set_default("date-meta", attribute(&meta_text(value)));
    }
    // Search engines show the description and audits (Lighthouse's SEO)
    // ask for one: the `description` as written, else the abstract or the
    // first paragraph, shortened.
    let description = match meta.get("description") {
        Some(value) => Some(collapse_blanks(&paragraphs_text(value))),
        None => meta
            .get("abstract")
            .map(paragraphs_text)
            .or_else(|| first_paragraph.map(str::to_string))
            .map(|text| shorten(&collapse_blanks(&text), DESCRIPTION_MAX_CHARS)),
    };
    if let Some(description) = description.filter(|d| !d.is_empty()) {
        vars.set_default("description-meta", attribute(&description));
    }
    if let Some(url) = meta.get("qrcode") {
        let mut escaped = String::new();
        escape(&mut escaped, meta_text(url).trim(), Context::Url);
        vars.set_default("qrcode-url", escaped);
    }

    let mut styles = String::from(STYLESHEET);
    if let Some(style) = options.highlight_style {
        styles.push_str(&crate::highlight::css(style));
    }
    vars.set_default("styles", styles);
    for css in &options.css {
        if options.embed_resources && is_local(css) {
            match std::fs::read_to_string(options.find_resource(css)) {
                Ok(text) => {
                    // A stylesheet cannot close its <style> element early.
                    let mut css_text = String::with_capacity(text.len());
                    escape(&mut css_text, &text, Context::StyleSheet);
                    vars.push("embedded-css", css_text);
                    continue;
                }
                Err(e) => writer.warnings.push(Warning::warning(format!(
                    "stylesheet {css}: {}, linked instead of embedded",
                    ast::error::describe_io(&e)
                ))),
            }
        }
        let mut url = String::new();
        escape(&mut url, css, Context::Url);
        vars.push("css", url);
    }
    if let MathMethod::MathJax(url) = &options.math {
        let mut tag = String::from("<script defer=\"\" src=\"");
        escape(&mut tag, url, Context::Url);
        tag.push_str("\" type=\"text/javascript\"></script>");
        vars.set_default("math", tag);
    }
    let mut page = template.render(&vars);
    if !page.ends_with('\n') {
        page.push('\n');
    }
    page
}

/// A metadata string, inlines or blocks rendered as HTML.
fn render_meta(writer: &mut Writer<'_>, text: MetaText<'_>) -> String {
    let mut out = String::new();
    match text {
        MetaText::Str(s) => escape(&mut out, s, Context::Text),
        MetaText::Inlines(ils) => writer.write_inlines(&mut out, ils),
        MetaText::Blocks(bs) => writer.write_blocks(&mut out, bs),
    }
    out
}

/// The text of the first heading among `blocks`.
pub fn first_heading(blocks: &[Block]) -> Option<String> {
    blocks.iter().find_map(|b| match b {
        Block::Header(_, _, ils) => Some(ast::stringify(ils)),
        _ => None,
    })
}

/// The plain text of the first paragraph among `blocks` with any text,
/// looked for in document order, inside divisions and quotations too.
pub fn first_paragraph(blocks: &[Block]) -> Option<String> {
    // Depth first with a stack of its own: a document of 200,000 nested
    // quotes would otherwise take as many stack frames (and their memory).
    let mut stack = vec![blocks.iter()];
    while let Some(level) = stack.last_mut() {
        match level.next() {
            None => {
                stack.pop();
            }
            Some(Block::Para(ils)) => {
                let text = collapse_blanks(&writer_support::inlines_plain_text(ils));
                if !text.is_empty() {
                    return Some(text);
                }
            }
            Some(Block::Div(_, bs) | Block::BlockQuote(bs)) => stack.push(bs.iter()),
            Some(_) => {}
        }
    }
    None
}

/// The plain text of a metadata value, with a space between its
/// paragraphs (which `stringify` runs together).
fn paragraphs_text(value: &MetaValue) -> String {
    match value {
        MetaValue::MetaBlocks(bs) => bs.iter().map(ast::stringify).collect::<Vec<_>>().join(" "),
        other => meta_text(other),
    }
}

/// The longest description written from the abstract or the first
/// paragraph, in characters: what search engines show of it.
const DESCRIPTION_MAX_CHARS: usize = 160;

/// `text` with its runs of blanks (line breaks, no-break spaces kept) as
/// one space, trimmed.
fn collapse_blanks(text: &str) -> String {
    text.split([' ', '\t', '\n', '\r'])
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// `text` cut at the last space that leaves it under `max` characters, with
/// an ellipsis; whole when it is short enough (or one long word).
fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let end = text
        .char_indices()
        .nth(max - 1)
        .map_or(text.len(), |(i, _)| i);
    match text[..end].rfind(' ') {
        Some(space) => {
            let kept = text[..space].trim_end_matches([',', ';', ':', '\u{a0}', '\u{202f}']);
            format!("{kept}…")
        }
        None => text.to_string(),
    }
}

fn attribute(text: &str) -> String {
    let mut out = String::new();
    escape(&mut out, text, Context::Attribute);
    out
}

/// The nested lists of the table of contents, as pandoc writes them.
fn write_toc(out: &mut String, entries: &[TocEntry]) {
    if entries.is_empty() {
        return;
    }
    out.push_str("<ul>\n");
    let mut i = 0;
    while i < entries.len() {
        let entry = &entries[i];
        let mut end = i + 1;
        while end < entries.len() && entries[end].level > entry.level {
            end += 1;
        }
        let mut id = String::new();
        escape(&mut id, &entry.id, Context::Attribute);
        let _ = write!(out, "<li><a href=\"#{id}\" id=\"toc-{id}\">");
        if let Some(number) = &entry.number {
            let _ = write!(out, "<span class=\"toc-section-number\">{number}</span> ");
        }
        out.push_str(&entry.html);
        out.push_str("</a>");
        if end > i + 1 {
            out.push('\n');
            write_toc(out, &entries[i + 1..end]);
        }
        out.push_str("</li>\n");
        i = end;
    }
    out.push_str("</ul>");
}

/// True for a path or relative URL (no scheme, not a fragment or data URI).
pub fn is_local(url: &str) -> bool {
    !(url.is_empty()
        || url.starts_with('#')
        || url.starts_with("//")
        || url.split_once(':').is_some_and(|(scheme, _)| {
            scheme.len() > 1
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        }))
}

/// A local file as a `data:` URI, or why it cannot be read.
pub fn data_uri(options: &HtmlOptions, url: &str) -> Result<String, String> {
    let path: Cow<'_, str> = match url.split_once(['?', '#']) {
        Some((path, _)) => path.into(),
        None => url.into(),
    };
    let bytes =
        std::fs::read(options.find_resource(&path)).map_err(|e| ast::error::describe_io(&e))?;
    let extension = Path::new(path.as_ref())
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let mime = match extension.as_str() {
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "svg" => "image/svg+xml",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "bmp" => "image/bmp",
        "ico" => "image/vnd.microsoft.icon",
        "css" => "text/css",
        "pdf" => "application/pdf",
        "mp4" | "m4v" => "video/mp4",
        "webm" => "video/webm",
        "ogv" => "video/ogg",
        "mp3" => "audio/mpeg",
        "wav" => "audio/wav",
        "oga" | "ogg" => "audio/ogg",
        _ => "application/octet-stream",
    };
    let mut uri = format!("data:{mime};base64,");
    base64(&bytes, &mut uri);
    Ok(uri)
}

/// Standard base64 with padding (RFC 4648).
fn base64(bytes: &[u8], out: &mut String) {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    out.reserve(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptions_are_shortened_at_a_space() {
        assert_eq!(collapse_blanks("  un\n deux\ttrois "), "un deux trois");
        assert_eq!(shorten("court", 160), "court");
        assert_eq!(shorten("un deux trois quatre", 12), "un deux…");
        assert_eq!(shorten("un deux, trois", 10), "un deux…");
        assert_eq!(
            shorten("anticonstitutionnellement", 5),
            "anticonstitutionnellement"
        );
        let long = "mot ".repeat(100);
        assert!(shorten(&long, DESCRIPTION_MAX_CHARS).chars().count() <= DESCRIPTION_MAX_CHARS);
    }

    #[test]
    fn the_first_paragraph_with_text_is_found_in_divisions() {
        use ast::{Attr, Inline};
        let blocks = [
            Block::Header(1, Attr::default(), vec![Inline::Str("Titre".into())]),
            Block::Para(vec![]),
            Block::Div(
                Attr::default(),
                vec![Block::Para(vec![
                    Inline::Str("Premier".into()),
                    Inline::SoftBreak,
                    Inline::Str("paragraphe".into()),
                ])],
            ),
            Block::Para(vec![Inline::Str("Second".into())]),
        ];
        assert_eq!(
            first_paragraph(&blocks).as_deref(),
            Some("Premier paragraphe")
        );
        assert_eq!(first_paragraph(&blocks[..1]), None);
    }

    #[test]
    fn encodes_base64() {
        for (input, expected) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foobar", "Zm9vYmFy"),
        ] {
            let mut out = String::new();
            base64(input.as_bytes(), &mut out);
            assert_eq!(out, expected);
        }
    }

    #[test]
    fn tells_local_paths_from_urls() {
        assert!(is_local("media/a.png"));
        assert!(is_local("./a b.png"));
        assert!(!is_local("https://example.org/a.png"));
        assert!(!is_local("data:image/png;base64,AA"));
        assert!(!is_local("#fig"));
        assert!(!is_local("//cdn.example.org/x.css"));
    }
}

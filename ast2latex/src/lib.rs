//! Writes a pandoc document (pandoc-types 1.23) as LaTeX for XeTeX. This
//! library writes LaTeX and nothing else, and prints nothing: the PDF is
//! made at the edge by the `tex-engine` crate (Tectonic and the embedded
//! TeX bundle), whose `ast2latex` command puts the two together.
//!
//! ```
//! let doc = ast::read_json(r#"{"pandoc-api-version":[1,23,1],"meta":{},
//!     "blocks":[{"t":"Para","c":[{"t":"Str","c":"50 % & co"}]}]}"#).unwrap();
//! let options = ast2latex::LatexOptions { standalone: false, ..Default::default() };
//! let mut latex = String::new();
//! ast2latex::write_latex(&doc, &options, &mut latex).unwrap();
//! assert_eq!(latex, "50 \\% \\& co\n");
//! ```
//!
//! The French no-break spaces (U+00A0, U+202F) are expected in the text, put
//! there by `ast-filters`; polyglossia's automatic spacing is turned off so
//! that each appears exactly once in the PDF.

mod escape;
mod highlight;
mod writer;

use std::fmt;

use ast::{Error, MetaValue, Pandoc};
use templates::{Context as Vars, MetaText, Template, Value};
use writer_support::meta_plain_text as meta_plain;

pub use escape::{escape, escaped, Context};
pub use highlight::{find_style, style_names, HighlightStyle, Style};
pub use writer::{babel_name, local_path, polyglossia_name, LANGUAGES};

/// The default template, in pandoc's template syntax.
pub const DEFAULT_TEMPLATE: &str = include_str!("default.latex");

/// How to write the LaTeX.
#[derive(Debug, Clone)]
pub struct LatexOptions {
    /// Write a whole document (preamble, title page...) rather than the body alone.
    pub standalone: bool,
    /// A template in pandoc's syntax and its name for messages; `None` for the default one.
    pub template: Option<(String, String)>,
    /// `-V key=value` variables, in order; they override metadata.
    pub variables: Vec<(String, String)>,
    /// Print a table of contents.
    pub toc: bool,
    /// Title of the table of contents (plain text).
    pub toc_title: Option<String>,
    /// Deepest heading level in the table of contents (`None`: the
    /// template's default, 3).
    pub toc_depth: Option<u8>,
    /// Number the sections.
    pub number_sections: bool,
    /// Highlighting style of code blocks (`None`: no highlighting).
    pub highlight_style: Option<HighlightStyle>,
}

impl Default for LatexOptions {
    fn default() -> Self {
        LatexOptions {
            standalone: true,
            template: None,
            variables: Vec::new(),
            toc: false,
            toc_title: None,
            toc_depth: None,
            number_sections: false,
            highlight_style: Some(HighlightStyle::default()),
        }
    }
}

/// Something in the document that the LaTeX cannot show as asked: the
/// diagnostic type every stage shares.
pub type Warning = writer_support::Diagnostic;

/// TeX Gyre families that `fontfamily` may name: their OpenType files are in
/// the bundle, so they are loaded by file name (never through fontconfig).
pub const FONT_FAMILIES: &[(&[&str], &str)] = &[
    (
        &["tgpagella", "pagella", "palatino", "mathpazo"],
        "texgyrepagella",
    ),
    (
        &["tgtermes", "termes", "times", "mathptmx"],
        "texgyretermes",
    ),
    (&["tgheros", "heros", "helvet", "helvetica"], "texgyreheros"),
    (&["tgschola", "schola", "newcent"], "texgyreschola"),
    (&["tgbonum", "bonum", "bookman"], "texgyrebonum"),
];

/// Writes `doc` as LaTeX to `out`; returns what could not be rendered as
/// asked (unknown raw formats, unresolved citations...), for the caller to print.
pub fn write_latex(
    doc: &Pandoc,
    options: &LatexOptions,
    out: &mut impl fmt::Write,
) -> Result<Vec<Warning>, Error> {
    // Positions (`md2ast --sourcepos`) typeset nothing.
    let unwrapped;
    let doc = if ast::sourcepos::has_positions(doc) {
        let mut owned = doc.clone();
        ast::sourcepos::strip_positions(&mut owned);
        unwrapped = owned;
        &unwrapped
    } else {
        doc
    };
    let template = match (&options.template, options.standalone) {
        (_, false) => None,
        (Some((source, name)), true) => Some(Template::parse(source, name)?),
        (None, true) => Some(Template::parse(DEFAULT_TEMPLATE, "default.latex")?),
    };
    let french = writer_support::is_french_document(&doc.meta, &options.variables);
    let main_language = options
        .variables
        .iter()
        .rev()
        .find(|(k, _)| k == "polyglossia-lang")
        .map_or(if french { "french" } else { "english" }, |(_, v)| {
            v.as_str()
        });
    let babel = header_includes_load_babel(&doc.meta, &options.variables);
    let mut w = writer::Writer::new(
        options,
        french,
        if babel {
            writer::babel_of_polyglossia(main_language)
        } else {
            main_language
        },
        babel,
    );
    w.blocks(&doc.blocks);
    let body = std::mem::take(&mut w.out);
    let Some(template) = template else {
        out.write_str(&body).map_err(fmt_error)?;
        return Ok(w.warnings);
    };

    // An empty author (`% A; ; B`) would give the title page a `\\` with
    // no line to end: it is left out.
    let mut meta = doc.meta.clone();
    if let Some(MetaValue::MetaList(authors)) = meta.get_mut("author") {
        authors.retain(|author| !meta_plain(author).trim().is_empty());
    }
    let mut vars = Vars::from_meta(&meta, |text| match text {
        MetaText::Str(s) => escaped(s, Context::Text),
        MetaText::Inlines(ils) => w.inlines_to_string(ils),
        MetaText::Blocks(bs) => w.blocks_to_string(bs).trim_end().to_string(),
    });
    vars.set("body", body);
    // Metadata keys that need another escaping than text.
    if let Some(qrcode) = doc.meta.get("qrcode") {
        let data = meta_plain(qrcode);
        if !data.is_empty() {
            vars.set("qrcode-data", escaped(&data, Context::QrCode));
            vars.set("qrcode-url", escaped(&data, Context::Url));
        }
    }
    if let Some(title) = doc.meta.get("title") {
        vars.set("title-meta", escaped(&meta_plain(title), Context::Text));
    }
    if let Some(authors) = writer_support::meta_authors(&meta) {
        vars.set("author-meta", escaped(&authors.join(", "), Context::Text));
    }
    if let Some(MetaValue::MetaMap(map)) = doc.meta.get("geometry") {
        let pairs: Vec<Value> = map
            .iter()
            .map(|(k, v)| Value::Str(format!("{k}={}", meta_plain(v))))
            .collect();
        vars.set("geometry", Value::List(pairs));
    }
    if let Some(title) = &options.toc_title {
        vars.set("toc-title", escaped(title, Context::Text));
    }
    if options.toc {
        vars.set("toc", true);
    }
    if let Some(depth) = options.toc_depth {
        vars.set("toc-depth", depth.to_string());
    }
    if options.number_sections {
        vars.set("numbersections", true);
    }
    vars.set_variables(options.variables.iter().cloned());
    vars.set_default("documentclass", "article");
    vars.set_default("papersize", "a4");
    vars.set_default("classoption", "twoside");
    vars.set_default("colorlinks", true);
    if french {
        vars.set("french", true);
    }
    vars.set_default(
        "polyglossia-lang",
        if french { "french" } else { "english" },
    );
    vars.set_default("label-colon", if french { "~: " } else { ": " });
    vars.set_default("version-label", "Version");
    vars.set_default("mentor-label", "Mentor");
    if let Some(family) = vars.get("fontfamily").map(Value::to_text) {
        let known = FONT_FAMILIES
            .iter()
            .find(|(names, _)| names.contains(&family.as_str()));
        if let Some((_, file)) = known {
            vars.remove("fontfamily");
            vars.set("mainfont-file", *file);
        } else if matches!(family.as_str(), "lmodern" | "latinmodern" | "lm") {
            // Latin Modern is XeTeX's default: nothing to load.
            vars.remove("fontfamily");
        }
    }
    if let Some(style) = options.highlight_style {
        let mut macros = String::new();
        highlight::write_style_macros(style.style(), &mut macros);
        vars.set("highlighting-macros", macros);
    } else {
        vars.set(
            "highlighting-macros",
            "\\newenvironment{Shaded}{}{}\n\\renewcommand{\\theFancyVerbLine}{{\\scriptsize\\arabic{FancyVerbLine}}}",
        );
    }
    if !w.other_languages.is_empty() {
        vars.set(
            "polyglossia-otherlangs",
            Value::List(w.other_languages.iter().cloned().map(Value::Str).collect()),
        );
    }
    if babel {
        // The user's babel, not polyglossia (the two clash): the template
        // gives babel the document's languages.
        vars.set("babel", true);
        let main = vars
            .get("polyglossia-lang")
            .map(Value::to_text)
            .unwrap_or_default();
        vars.set(
            "babel-lang",
            writer::babel_of_polyglossia(&main).to_string(),
        );
        if !w.other_languages.is_empty() {
            vars.set(
                "babel-otherlangs",
                Value::List(w.other_languages.iter().cloned().map(Value::Str).collect()),
            );
        }
    }
    if w.uses_multirow {
        vars.set("multirow", true);
    }
    if w.verbatim_in_note {
        vars.set("verbatim-in-note", true);
    }
    out.write_str(&template.render(&vars)).map_err(fmt_error)?;
    Ok(w.warnings)
}

/// True when the document's `header-includes` (metadata or `-V`) load the
/// babel package (`\usepackage[french]{babel}`, `\RequirePackage{babel}`,
/// `\usepackage{babel,csquotes}`), which clashes with polyglossia.
pub fn header_includes_load_babel(meta: &ast::Meta, variables: &[(String, String)]) -> bool {
    let mut texts = Vec::new();
    if let Some(value) = meta.get("header-includes") {
        raw_tex_of(value, &mut texts);
    }
    texts.extend(
        variables
            .iter()
            .filter(|(k, _)| k == "header-includes")
            .map(|(_, v)| v.clone()),
    );
    texts.iter().any(|tex| loads_package(tex, "babel"))
}

/// The raw TeX (and plain strings) of a metadata value, gathered in `out`.
fn raw_tex_of(value: &MetaValue, out: &mut Vec<String>) {
    let is_tex = |format: &ast::Format| matches!(format.0.as_str(), "tex" | "latex");
    match value {
        MetaValue::MetaMap(map) => map.values().for_each(|v| raw_tex_of(v, out)),
        MetaValue::MetaList(items) => items.iter().for_each(|v| raw_tex_of(v, out)),
        MetaValue::MetaString(s) => out.push(s.clone()),
        MetaValue::MetaBool(_) => {}
        MetaValue::MetaInlines(ils) => ast::query_inlines(ils, |il: &ast::Inline| {
            if let ast::Inline::RawInline(format, tex) = il {
                if is_tex(format) {
                    out.push(tex.clone());
                }
            }
        }),
        MetaValue::MetaBlocks(blocks) => {
            ast::query_blocks(blocks, |b: &ast::Block| {
                if let ast::Block::RawBlock(format, tex) = b {
                    if is_tex(format) {
                        out.push(tex.clone());
                    }
                }
            });
            ast::query_inlines(blocks, |il: &ast::Inline| {
                if let ast::Inline::RawInline(format, tex) = il {
                    if is_tex(format) {
                        out.push(tex.clone());
                    }
                }
            });
        }
    }
}

/// True when `tex` has `\usepackage` or `\RequirePackage`, with or
/// without options, naming `package` in its list (comments skipped).
fn loads_package(tex: &str, package: &str) -> bool {
    let code: String = tex
        .lines()
        .map(|line| {
            // A `%` not escaped by a backslash starts a comment.
            let mut end = line.len();
            let mut escaped = false;
            for (i, c) in line.char_indices() {
                match c {
                    '\\' => escaped = !escaped,
                    '%' if !escaped => {
                        end = i;
                        break;
                    }
                    _ => escaped = false,
                }
            }
            &line[..end]
        })
        .collect::<Vec<_>>()
        .join("\n");
    ["\\usepackage", "\\RequirePackage"].iter().any(|command| {
        code.match_indices(command).any(|(at, _)| {
            let mut rest = code[at + command.len()..].trim_start();
            if rest.starts_with(|c: char| c.is_ascii_alphabetic()) {
                return false; // \usepackagefoo
            }
            if let Some(options) = rest.strip_prefix('[') {
                let Some(end) = options.find(']') else {
                    return false;
                };
                rest = options[end + 1..].trim_start();
            }
            let Some(list) = rest.strip_prefix('{') else {
                return false;
            };
            let Some(end) = list.find('}') else {
                return false;
            };
            list[..end].split(',').any(|name| name.trim() == package)
        })
    })
}

fn fmt_error(_: fmt::Error) -> Error {
    Error::Other("cannot write the LaTeX output".into())
}

/// The local images of a document (URLs without a scheme), percent-decoded,
/// with a leading `./` removed: what `\includegraphics` will look for (SVG
/// images are not included: the writer warns about them).
pub fn local_images(doc: &Pandoc) -> Vec<String> {
    let mut images = Vec::new();
    ast::query_inlines(&doc.blocks, |il: &ast::Inline| {
        if let ast::Inline::Image(_, _, target) = il {
            let path = writer::local_path(&target.url);
            if !target.url.contains("://")
                && !writer::is_svg(&path)
                && writer::not_an_image(&path).is_none()
            {
                images.push(path);
            }
        }
    });
    images
}

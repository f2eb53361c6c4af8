//! Every call into the stage libraries (md2ast, ast-filters, ast2html,
//! ast2latex and its TeX engine) lives here, and nowhere else in md-preview: the preview runs
//! the code of the pipe
//!
//! ```text
//! md2ast FILES | ast-filters html | ast2html OPTIONS        (the page)
//! md2ast FILES | ast-filters --check                         (the list of problems)
//! md2ast FILES | ast-filters latex | ast2latex --pdf FILE   (the PDF, with --pdf)
//! ```
//!
//! in process, on the AST, without the JSON in between (a test checks that
//! the page is the pipe's, byte for byte).

use std::path::{Path, PathBuf};

use ast::{Block, Error, Pandoc};

/// The writer options of ast2html that the preview takes on its command line.
#[derive(Debug, Clone, Default)]
pub struct WriterOptions {
    /// `--toc`.
    pub toc: bool,
    /// `--toc-title`.
    pub toc_title: Option<String>,
    /// `--toc-depth`.
    pub toc_depth: Option<u8>,
    /// `--number-sections`.
    pub number_sections: bool,
    /// `--mathjax[=URL]`.
    pub mathjax: Option<String>,
    /// `--highlight-style` (`None`: pygments).
    pub highlight_style: Option<String>,
    /// `--no-highlight`.
    pub no_highlight: bool,
    /// `-V KEY=VALUE`, as given.
    pub variables: Vec<String>,
    /// `--css URL`.
    pub css: Vec<String>,
    /// `--embed-resources`.
    pub embed_resources: bool,
    /// `--sanitize`.
    pub sanitize: bool,
    /// `--template FILE`.
    pub template: Option<PathBuf>,
    /// The folder of images and stylesheets (`--resource-path`).
    pub resource_dir: PathBuf,
}

/// The stage options made once from the command line.
#[derive(Debug, Clone)]
pub struct Settings {
    html: ast2html::HtmlOptions,
    latex: ast2latex::LatexOptions,
    pdf: tex_engine::PdfOptions,
    /// The folder of images and stylesheets (`--resource-path`).
    resource_dir: PathBuf,
}

/// What the rebuild of the page gives besides the page.
#[derive(Debug, Clone, Default)]
pub struct Page {
    /// The page, as `make html` writes it.
    pub html: String,
    /// The typography problems (`ast-filters --check`), in document order.
    pub problems: Vec<Note>,
    /// What the filters and the writer warn about (raw TeX left out...).
    pub warnings: Vec<Note>,
    /// The local files the page shows (images, stylesheets), under the
    /// resource folder: the preview watches them.
    pub media: Vec<PathBuf>,
}

/// A diagnostic, with the heading of the section it is in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// The text, as `ast-filters` prints it.
    pub message: String,
    /// The `id` of the heading of its section, if it has one.
    pub anchor: Option<String>,
}

impl Settings {
    /// Checks the options and reads the template; `tex_bundle` replaces the
    /// bundle ast2latex embeds.
    pub fn new(writer: &WriterOptions, tex_bundle: Option<PathBuf>) -> Result<Settings, Error> {
        let highlight_style = if writer.no_highlight {
            None
        } else {
            let name = writer
                .highlight_style
                .as_deref()
                .unwrap_or(ast2html::HighlightStyle::default().name());
            Some(ast2html::HighlightStyle::from_name(name).ok_or_else(|| {
                let names: Vec<&str> = ast2html::HighlightStyle::ALL
                    .iter()
                    .map(|s| s.name())
                    .collect();
                Error::Usage(format!(
                    "unknown highlight style {name:?}\nhint: use one of {}",
                    names.join(", ")
                ))
            })?)
        };
        let template = match &writer.template {
            Some(path) => {
                let text = std::fs::read_to_string(path).map_err(|source| Error::Input {
                    path: path.clone(),
                    source,
                })?;
                Some((text, path.display().to_string()))
            }
            None => None,
        };
        let variables: Vec<(String, String)> = writer
            .variables
            .iter()
            .map(|v| templates::parse_variable(v))
            .collect();
        let html = ast2html::HtmlOptions {
            standalone: true,
            number_sections: writer.number_sections,
            toc: writer.toc,
            toc_title: writer.toc_title.clone(),
            toc_depth: writer.toc_depth.unwrap_or(3),
            math: writer
                .mathjax
                .clone()
                .map_or(ast2html::MathMethod::Plain, ast2html::MathMethod::MathJax),
            highlight_style,
            variables: variables.clone(),
            css: writer.css.clone(),
            embed_resources: writer.embed_resources,
            sanitize: writer.sanitize,
            resource_path: vec![writer.resource_dir.clone()],
            template,
        };
        // The PDF as `make pdf` makes it: LATEX_OPTS are HTML_OPTS without
        // what only HTML has.
        let latex = ast2latex::LatexOptions {
            toc: writer.toc,
            toc_title: writer.toc_title.clone(),
            number_sections: writer.number_sections,
            variables,
            ..ast2latex::LatexOptions::default()
        };
        let pdf = tex_engine::PdfOptions {
            bundle: tex_bundle.map_or(tex_engine::BundleSource::Default, |p| {
                tex_engine::BundleSource::Path(p)
            }),
            resource_path: vec![writer.resource_dir.clone()],
            quiet: true,
            ..tex_engine::PdfOptions::default()
        };
        Ok(Settings {
            html,
            latex,
            pdf,
            resource_dir: writer.resource_dir.clone(),
        })
    }
}

/// Reads the Markdown files as one document (`md2ast FILES`).
fn read_document(files: &[PathBuf]) -> Result<Pandoc, Error> {
    let mut sources = Vec::with_capacity(files.len());
    for path in files {
        let bytes = std::fs::read(path).map_err(|source| Error::Input {
            path: path.clone(),
            source,
        })?;
        sources.push(md2ast::Source {
            text: md2ast::decode_utf8(path, bytes)?,
            path: path.clone(),
        });
    }
    md2ast::read_sources(&sources, &md2ast::ReadOptions::default())
}

/// The page of `files`, with its typography problems and warnings.
pub fn build_page(files: &[PathBuf], settings: &Settings) -> Result<Page, Error> {
    let mut doc = read_document(files)?;
    let problems = check_typography(&mut doc)?;
    let filters = ast_filters::FilterOptions {
        format: Some("html".into()),
        ..ast_filters::FilterOptions::default()
    };
    let report = ast_filters::apply(&mut doc, &filters)?;
    let mut warnings: Vec<Note> = report
        .diagnostics
        .iter()
        .map(|d| Note {
            message: d.to_string(),
            anchor: None,
        })
        .collect();
    let media = local_media(&doc, settings);
    let mut html = String::new();
    let written = ast2html::write_html(&doc, &settings.html, &mut html)?;
    warnings.extend(written.into_iter().map(|w| Note {
        message: w.message,
        anchor: None,
    }));
    Ok(Page {
        html,
        problems,
        warnings,
        media,
    })
}

/// The local images and stylesheets of the page, as paths under the
/// resource folder (what ast2html embeds or links).
fn local_media(doc: &Pandoc, settings: &Settings) -> Vec<PathBuf> {
    let mut urls: Vec<String> = settings.html.css.clone();
    ast::query_inlines(&doc.blocks, |il: &ast::Inline| {
        if let ast::Inline::Image(_, _, target) = il {
            urls.push(target.url.clone());
        }
    });
    urls.into_iter()
        .filter(|url| !url.is_empty() && !url.contains(':') && !url.starts_with(['#', '/', '?']))
        .map(|url| {
            let url = url.split(['?', '#']).next().unwrap_or("").to_string();
            settings
                .resource_dir
                .join(url.strip_prefix("./").unwrap_or(&url))
        })
        .collect()
}

/// `ast-filters --check` on the document as md2ast reads it, one section at
/// a time so that each problem knows the `id` of its heading. The
/// document is left as it was.
fn check_typography(doc: &mut Pandoc) -> Result<Vec<Note>, Error> {
    let options = ast_filters::FilterOptions {
        check: true,
        ..ast_filters::FilterOptions::default()
    };
    let mut chain = ast_filters::Chain::new(&mut doc.meta, &options)?;
    let mut notes = Vec::new();
    let mut take = |chain: &mut ast_filters::Chain, anchor: &Option<String>| {
        for d in chain.take_report().diagnostics {
            if d.severity == ast_filters::Severity::Problem {
                notes.push(Note {
                    message: d.to_string(),
                    anchor: anchor.clone(),
                });
            }
        }
    };
    take(&mut chain, &None);
    let blocks = std::mem::take(&mut doc.blocks);
    let mut anchor: Option<String> = None;
    let mut section: Vec<Block> = Vec::new();
    for block in blocks {
        if let Block::Header(_, attr, _) = &block {
            if !section.is_empty() {
                chain.apply_blocks(&mut section);
                take(&mut chain, &anchor);
                doc.blocks.append(&mut section);
            }
            anchor = Some(attr.id.clone()).filter(|id| !id.is_empty());
        }
        section.push(block);
    }
    chain.apply_blocks(&mut section);
    take(&mut chain, &anchor);
    doc.blocks.append(&mut section);
    Ok(notes)
}

/// The PDF of `files` (`make pdf`): its bytes, and the warnings.
pub fn build_pdf(files: &[PathBuf], settings: &Settings) -> Result<(Vec<u8>, Vec<String>), Error> {
    let mut doc = read_document(files)?;
    let filters = ast_filters::FilterOptions {
        format: Some("latex".into()),
        ..ast_filters::FilterOptions::default()
    };
    let report = ast_filters::apply(&mut doc, &filters)?;
    let mut warnings: Vec<String> = report.diagnostics.iter().map(|d| d.to_string()).collect();
    let resources = tex_engine::ResourcePath::new(
        &settings.pdf.resource_path,
        settings.pdf.allow_outside_resources,
    )?;
    tex_engine::check_local_images(&doc, &resources)?;
    // `data:` URIs and files with no extension, named by their content.
    let media = tex_engine::prepare_images(&mut doc, &resources)?;
    let mut latex = String::new();
    let written = ast2latex::write_latex(&doc, &settings.latex, &mut latex)?;
    warnings.extend(written.into_iter().map(|w| w.message));
    let pdf_options = tex_engine::PdfOptions {
        media,
        // The last build's .aux and .toc: a rebuild on save takes one TeX pass.
        aux_key: Some(format!(
            "md-preview {:?}",
            files
                .iter()
                .map(|f| std::fs::canonicalize(f).unwrap_or_else(|_| f.clone()))
                .collect::<Vec<_>>()
        )),
        ..settings.pdf.clone()
    };
    let (pdf, engine_warnings) = tex_engine::latex_to_pdf(&latex, &pdf_options)?;
    warnings.extend(engine_warnings.into_iter().map(|w| w.message));
    Ok((pdf, warnings))
}

/// The resource folder of the page (`--resource-path`).
pub fn resource_dir(settings: &Settings) -> &Path {
    &settings.resource_dir
}

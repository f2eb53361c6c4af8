//! The TeX engine at the edge of the pipeline: compiles LaTeX (written by
//! the `ast2latex` library, which knows nothing of TeX engines) to PDF
//! in-process with Tectonic (XeTeX and xdvipdfmx) and a TeX bundle embedded
//! in the binary: no TeX installation and no network at run time. Any
//! program can make a PDF with [`latex_to_pdf`] without going through a pipe.
//!
//! ```no_run
//! let doc = ast::read_json(r#"{"pandoc-api-version":[1,23,1],"meta":{},
//!     "blocks":[{"t":"Para","c":[{"t":"Str","c":"Bonjour"}]}]}"#).unwrap();
//! let mut latex = String::new();
//! ast2latex::write_latex(&doc, &ast2latex::LatexOptions::default(), &mut latex).unwrap();
//! let (pdf, _warnings) = tex_engine::latex_to_pdf(&latex, &tex_engine::PdfOptions::default()).unwrap();
//! assert!(pdf.starts_with(b"%PDF"));
//! ```

mod media;
mod pdf;
mod pdf_pages;
mod resources;

use ast::{Error, Pandoc};

pub use ast2latex::Warning;
pub use media::{decode_data_uri, prepare_images};
pub use pdf::{
    compile_pdf, compile_pdf_with_warnings, has_embedded_bundle, installed_bundle,
    installed_bundle_candidates, BundleSource, PdfOptions, DEBIAN_PACKAGES, INSTALLED_BUNDLE_DIR,
    PRELOAD_MARKER, TEX_BUNDLE_ENV,
};
pub use resources::{Refused, ResourcePath};

/// Compiles `latex` (a whole document) to PDF: its bytes and the warnings
/// (characters missing from the fonts...), printed nowhere. The function a
/// program other than the `ast2latex` command (the preview server) calls.
pub fn latex_to_pdf(latex: &str, options: &PdfOptions) -> Result<(Vec<u8>, Vec<Warning>), Error> {
    compile_pdf_with_warnings(latex, options)
}

/// Checks that every local image of `doc` is a file inside `resources`,
/// before TeX runs: an error naming the first one that is missing (exit 66)
/// or outside the resource path (exit 65, unless outside files are allowed).
/// `data:` URIs are no files: [`prepare_images`] decodes them.
pub fn check_local_images(doc: &Pandoc, resources: &ResourcePath) -> Result<(), Error> {
    for image in ast2latex::local_images(doc) {
        if decode_data_uri(&image).is_some() {
            continue;
        }
        match resources.find(&image) {
            Ok(Some(_)) => {}
            Ok(None) => {
                let path = match resources.dirs() {
                    [dir] if std::path::Path::new(&image).is_relative() => dir.join(&image),
                    _ => std::path::PathBuf::from(&image),
                };
                return Err(Error::Input {
                    path,
                    source: std::io::Error::new(std::io::ErrorKind::NotFound, "image not found"),
                });
            }
            Err(refused) => return Err(resources.refusal(&format!("image `{image}`"), &refused)),
        }
    }
    check_pdf_pages(doc, resources)
}

/// A PDF image's `page=N` must be one of its pages: xdvipdfmx, asked for
/// another, aborts the process (see `pdf_pages`). An error naming the image,
/// the page asked for and the pages it has (exit 65).
fn check_pdf_pages(doc: &Pandoc, resources: &ResourcePath) -> Result<(), Error> {
    let mut problem = None;
    ast::query_inlines(&doc.blocks, |il: &ast::Inline| {
        let ast::Inline::Image(attr, _, target) = il else {
            return;
        };
        if problem.is_some() || target.url.contains("://") {
            return;
        }
        // The writer ignores (with a warning) a page that is no number.
        let Some(page) = attr
            .attributes
            .iter()
            .find(|(k, _)| k == "page")
            .and_then(|(_, v)| v.trim().parse::<u64>().ok())
        else {
            return;
        };
        let path = ast2latex::local_path(&target.url);
        let bytes = match decode_data_uri(&target.url) {
            Some(Ok(bytes)) => bytes,
            Some(Err(_)) => return,
            None => match resources.find(&path) {
                Ok(Some(file)) => std::fs::read(file).unwrap_or_default(),
                _ => return,
            },
        };
        if !bytes.starts_with(b"%PDF") {
            return;
        }
        if let Some(pages) = pdf_pages::page_count(&bytes) {
            if page == 0 || page > pages {
                let plural = if pages == 1 { "" } else { "s" };
                problem = Some(Error::Data(format!(
                    "image `{path}`: page={page} asked, but the PDF has {pages} page{plural}"
                )));
            }
        }
    });
    problem.map_or(Ok(()), Err)
}

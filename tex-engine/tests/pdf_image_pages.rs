//! A PDF image's `page=N` beyond its pages: a clear error naming the image
//! (exit 65), not the abort xdvipdfmx gives (a panic through C, exit 134);
//! an existing page still compiles.

use std::ffi::OsStr;
use std::process::Output;

mod common;

fn ast2latex_pdf(json: &str, dir: &std::path::Path, pdf: &std::path::Path) -> Output {
    let args = [
        OsStr::new("--pdf"),
        pdf.as_os_str(),
        OsStr::new("--resource-path"),
        dir.as_os_str(),
        OsStr::new("--quiet"),
    ];
    common::ast2latex(&args, json)
}

fn with_image_page(page: &str) -> String {
    format!(
        r#"{{"pandoc-api-version":[1,23,1,1],"meta":{{}},"blocks":[{{"t":"Para","c":[{{"t":"Image","c":[["",[],[["page","{page}"],["width","3cm"]]],[{{"t":"Str","c":"deux"}}],["deux.pdf",""]]}}]}}]}}"#
    )
}

#[test]
fn a_page_beyond_a_pdf_image_is_an_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    // A real two-page PDF, as the engine writes them (compressed object
    // streams): the document of two pages.
    let two_pages = r#"{"pandoc-api-version":[1,23,1,1],"meta":{},"blocks":[{"t":"Para","c":[{"t":"Str","c":"un"}]},{"t":"RawBlock","c":["latex","\\newpage"]},{"t":"Para","c":[{"t":"Str","c":"deux"}]}]}"#;
    let image = dir.path().join("deux.pdf");
    let out = ast2latex_pdf(two_pages, dir.path(), &image);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let pdf = dir.path().join("out.pdf");
    let out = ast2latex_pdf(&with_image_page("2"), dir.path(), &pdf);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF"));

    std::fs::remove_file(&pdf).unwrap();
    for page in ["3", "0"] {
        let out = ast2latex_pdf(&with_image_page(page), dir.path(), &pdf);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(65), "page={page}: {err}");
        assert!(
            err.contains(&format!(
                "image `deux.pdf`: page={page} asked, but the PDF has 2 pages"
            )),
            "{err}"
        );
        assert!(!pdf.exists(), "no PDF is written");
    }
}

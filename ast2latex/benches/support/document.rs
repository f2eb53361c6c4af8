//! The benchmark document of the LaTeX writer's and the PDF's benchmarks
//! (`ast2latex/benches/latex.rs`, `tex-engine/benches/pdf.rs` include this
//! file with `#[path]`): `$AST2LATEX_BENCH_JSON` with its images under
//! `$AST2LATEX_BENCH_RESOURCES` when set (the shipped document:
//! `md2ast content/*.md | ast-filters > target/content.json`, resources
//! `content`), else the canonical test document.

use std::path::PathBuf;

use ast::Pandoc;
use ast2latex::{write_latex, LatexOptions};

/// The document, its size in bytes of JSON, and where its images are.
pub fn document() -> (Pandoc, u64, PathBuf) {
    let canonical = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/canonical");
    let (json, resources) = match std::env::var_os("AST2LATEX_BENCH_JSON") {
        Some(path) => (
            PathBuf::from(path),
            std::env::var_os("AST2LATEX_BENCH_RESOURCES")
                .map_or_else(|| PathBuf::from("."), PathBuf::from),
        ),
        None => (canonical.join("canonical.json"), canonical),
    };
    let text = std::fs::read_to_string(&json).expect("the benchmark document is readable");
    let doc = ast::read_json(&text).expect("the benchmark document is pandoc JSON");
    (doc, text.len() as u64, resources)
}

/// The options of `make pdf`: a table of contents, numbered sections.
pub fn options() -> LatexOptions {
    LatexOptions {
        toc: true,
        number_sections: true,
        ..Default::default()
    }
}

/// The document's LaTeX with those options.
pub fn latex(doc: &Pandoc) -> String {
    let mut out = String::new();
    write_latex(doc, &options(), &mut out).expect("LaTeX written");
    out
}

//! Benchmark: the PDF of a document with the format already cached (the run
//! that matters after the first one).
//!
//! The document is `$AST2LATEX_BENCH_JSON` with its images under
//! `$AST2LATEX_BENCH_RESOURCES` when set (the shipped document:
//! `md2ast content/*.md | ast-filters > target/content.json`, resources
//! `content`), else the canonical test document. Compare the PDF time with
//! `pandoc content/*.md --pdf-engine=xelatex` on the same machine.

use std::path::PathBuf;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use tex_engine::{compile_pdf, BundleSource, PdfOptions};

#[path = "../../ast2latex/benches/support/document.rs"]
mod bench_document;
use bench_document::{document, latex};

fn bench_pdf(c: &mut Criterion) {
    let (doc, _, resources) = document();
    let latex = latex(&doc);
    let pdf_options = PdfOptions {
        bundle: BundleSource::Default,
        resource_path: vec![resources],
        allow_outside_resources: false,
        cache_dir: Some(PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("ast2latex-format-cache")),
        quiet: true,
        opened_files: None,
        aux_key: None,
        media: Default::default(),
    };
    // The first compile builds and caches the format: not what is measured.
    compile_pdf(&latex, &pdf_options).expect("the document compiles");
    let mut group = c.benchmark_group("pdf");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(60));
    group.bench_function("document", |b| {
        b.iter(|| compile_pdf(&latex, &pdf_options).expect("the document compiles"))
    });
    group.finish();
}

criterion_group!(benches, bench_pdf);
criterion_main!(benches);

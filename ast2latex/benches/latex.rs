//! Benchmarks: the LaTeX writer over a document and over a large one made of
//! its blocks 50 times (the PDF's benchmark is tex-engine's).
//!
//! The document is `$AST2LATEX_BENCH_JSON` with its images under
//! `$AST2LATEX_BENCH_RESOURCES` when set (the shipped document:
//! `md2ast content/*.md | ast-filters > target/content.json`, resources
//! `content`), else the canonical test document. Compare the PDF time with
//! `pandoc content/*.md --pdf-engine=xelatex` on the same machine.

use std::path::PathBuf;

use ast::Pandoc;
use ast2latex::{write_latex, LatexOptions};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

/// The document, its size in bytes of JSON, and where its images are.
fn document() -> (Pandoc, u64, PathBuf) {
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

fn options() -> LatexOptions {
    LatexOptions {
        toc: true,
        number_sections: true,
        ..Default::default()
    }
}

fn latex(doc: &Pandoc) -> String {
    let mut out = String::new();
    write_latex(doc, &options(), &mut out).expect("LaTeX written");
    out
}

fn bench_writer(c: &mut Criterion) {
    let (doc, bytes, _) = document();
    let mut group = c.benchmark_group("write_latex");
    group.throughput(Throughput::Bytes(bytes));
    group.bench_function("document", |b| b.iter(|| latex(&doc)));

    // A large document: the blocks 50 times over.
    let mut large = doc.clone();
    let blocks = std::mem::take(&mut large.blocks);
    for _ in 0..50 {
        large.blocks.extend(blocks.iter().cloned());
    }
    group.throughput(Throughput::Bytes(bytes * 50));
    group.bench_function("document-x50", |b| b.iter(|| latex(&large)));
    group.finish();
}

criterion_group!(benches, bench_writer);
criterion_main!(benches);

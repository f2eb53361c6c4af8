//! Benchmarks: the LaTeX writer over a document and over a large one made of
//! its blocks 50 times (the PDF's benchmark is tex-engine's).
//!
//! The document is `$AST2LATEX_BENCH_JSON` with its images under
//! `$AST2LATEX_BENCH_RESOURCES` when set (the shipped document:
//! `md2ast content/*.md | ast-filters > target/content.json`, resources
//! `content`), else the canonical test document. Compare the PDF time with
//! `pandoc content/*.md --pdf-engine=xelatex` on the same machine.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};

#[path = "support/document.rs"]
mod bench_document;
use bench_document::{document, latex};

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

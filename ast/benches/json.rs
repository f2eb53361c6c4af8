//! JSON read and write throughput on a large generated document (>= 50 MB of
//! pandoc-shaped JSON). Targets on the project machine: reading >= 250 MB/s,
//! writing >= 600 MB/s.

use ast::*;

// The binaries use mimalloc; measure what they do.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};

const WORDS: &[&str] = &[
    "Le",
    "pipeline",
    "transforme",
    "l’arbre",
    "du",
    "document",
    "en",
    "HTML",
    "et",
    "PDF",
    "sans",
    "installation",
    "TeX",
    ":",
    "c’est",
    "plus",
    "rapide",
    "«",
    "vraiment",
    "»",
    "!",
    "équipe",
    "élève",
    "déjà",
    "12",
    "%",
    "typographie",
    "française",
    "espaces",
    "insécables",
];

fn para(seed: usize) -> Block {
    let mut ils = Vec::new();
    for i in 0..60 {
        let w = WORDS[(seed * 7 + i * 13) % WORDS.len()];
        if i > 0 {
            ils.push(if i % 11 == 0 {
                Inline::SoftBreak
            } else {
                Inline::Space
            });
        }
        ils.push(match i % 17 {
            3 => Inline::Emph(vec![Inline::Str(w.into())]),
            7 => Inline::Strong(vec![
                Inline::Str(w.into()),
                Inline::Space,
                Inline::Str("x".into()),
            ]),
            9 => Inline::Code(Box::default(), format!("let {w} = \"{i}\";")),
            13 => Inline::Link(
                Box::default(),
                vec![Inline::Str(w.into())],
                Box::new(Target {
                    url: format!("#sec-{seed}"),
                    title: String::new(),
                }),
            ),
            _ => Inline::Str(w.into()),
        });
    }
    Block::Para(ils)
}

/// A document of about `target` bytes of JSON.
fn generate(target: usize) -> Pandoc {
    let mut blocks = Vec::new();
    let mut doc = Pandoc::default();
    let mut n = 0;
    loop {
        for k in 0..200 {
            let i = n * 200 + k;
            blocks.push(match i % 10 {
                0 => Block::Header(
                    2,
                    Attr {
                        id: format!("sec-{i}"),
                        ..Attr::default()
                    },
                    vec![
                        Inline::Str("Section".into()),
                        Inline::Space,
                        Inline::Str(i.to_string()),
                    ],
                ),
                5 => Block::BulletList(vec![
                    vec![para(i)],
                    vec![para(i + 1), Block::BlockQuote(vec![para(i + 2)])],
                ]),
                8 => Block::CodeBlock(
                    Attr {
                        id: String::new(),
                        classes: vec!["bash".into()],
                        attributes: vec![],
                    },
                    "make public/dossier.pdf\n\techo \"fini\"\n".repeat(3),
                ),
                _ => para(i),
            });
        }
        n += 1;
        doc.blocks = std::mem::take(&mut blocks);
        let len = to_json_string(&doc).len();
        blocks = std::mem::take(&mut doc.blocks);
        if len >= target {
            doc.blocks = blocks;
            return doc;
        }
    }
}

fn json(c: &mut Criterion) {
    let doc = generate(50 << 20);
    let text = to_json_string(&doc);
    let mut g = c.benchmark_group("json");
    g.sample_size(10);
    g.throughput(Throughput::Bytes(text.len() as u64));
    // Dropping is measured apart: the binaries skip it by exiting.
    g.bench_function("read 50MB", |b| {
        b.iter_with_large_drop(|| read_json(&text).unwrap())
    });
    // The identity filter as a stage runs it, block by block: read, write and
    // drop each block (dropping included, as a streaming stage pays it).
    let mut piped = Vec::with_capacity(text.len() + 1);
    g.bench_function("stream identity 50MB", |b| {
        b.iter(|| {
            piped.clear();
            let mut r = BlockReader::new(text.as_bytes(), None).unwrap();
            let mut w = BlockWriter::new(&mut piped, r.api_version(), r.meta()).unwrap();
            while let Some(block) = r.next_block().unwrap() {
                w.write_block(&block).unwrap();
            }
            w.finish().unwrap();
        })
    });
    assert_eq!(piped, text.as_bytes());
    let mut out = Vec::with_capacity(text.len() + 1);
    g.bench_function("write 50MB", |b| {
        b.iter(|| {
            out.clear();
            write_json(&doc, &mut out).unwrap();
        })
    });
    g.finish();
}

criterion_group!(benches, json);
criterion_main!(benches);

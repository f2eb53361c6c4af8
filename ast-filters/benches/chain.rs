//! The default chain against `identity` on a large generated French document,
//! JSON read and write included (as the binary does). Target: the chain under
//! 1.2 times identity.

use ast::{Attr, Block, Inline, MathType, Pandoc, QuoteType, Target};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

fn words(text: &str) -> Vec<Inline> {
    let mut out = Vec::new();
    for (i, w) in text.split(' ').enumerate() {
        if i > 0 {
            out.push(Inline::Space);
        }
        out.push(Inline::Str(w.to_string()));
    }
    out
}

/// A paragraph with the constructs the filters look at: spaces before
/// punctuation, guillemets, quotes, numbers and units, markup, code, math,
/// links and raw TeX.
fn paragraph(n: usize) -> Block {
    let mut ils = words("Le projet de l’équipe avance bien : nous avons livré");
    ils.push(Inline::Space);
    ils.push(Inline::Str(format!("{n}")));
    ils.push(Inline::Space);
    ils.push(Inline::Str("%".into()));
    ils.push(Inline::Space);
    ils.extend(words("des fonctions prévues ; la suite est-elle prête ?"));
    ils.push(Inline::Space);
    ils.push(Inline::Quoted(
        QuoteType::DoubleQuote,
        words("C’est une réussite"),
    ));
    ils.push(Inline::Space);
    ils.extend(words("dit"));
    ils.push(Inline::Space);
    ils.push(Inline::RawInline(
        ast::Format("tex".into()),
        "\\textsc{Durand}".into(),
    ));
    ils.push(Inline::Str(".".into()));
    ils.push(Inline::SoftBreak);
    ils.push(Inline::Strong(words("« Mentor »")));
    ils.push(Inline::Space);
    ils.push(Inline::Code(Attr::default(), "let x = a : b;".into()));
    ils.push(Inline::Space);
    ils.push(Inline::Math(MathType::InlineMath, "x : y".into()));
    ils.push(Inline::Space);
    ils.push(Inline::Link(
        Attr::default(),
        words("le blog"),
        Target {
            url: "https://example.org/?a=1".into(),
            title: String::new(),
        },
    ));
    ils.push(Inline::Space);
    ils.extend(words("à 10:30 pour 10 km ! Fin."));
    Block::Para(ils)
}

/// About `mb` megabytes of JSON.
fn document(mb: usize) -> Vec<u8> {
    let one = ast::to_json_string(&Pandoc::new(Default::default(), vec![paragraph(0)])).len();
    let n = mb * 1_000_000 / one;
    let mut blocks = Vec::with_capacity(n + n / 20);
    for i in 0..n {
        if i % 20 == 0 {
            blocks.push(Block::Header(
                2,
                Attr::default(),
                words(&format!("Partie {i}")),
            ));
        }
        blocks.push(paragraph(i));
    }
    ast::to_json_string(&Pandoc::new(Default::default(), blocks)).into_bytes()
}

fn run(input: &[u8], opts: &ast_filters::FilterOptions) -> usize {
    let mut doc = ast::read_json_bytes(input).expect("generated JSON reads");
    ast_filters::apply(&mut doc, opts).expect("filters apply");
    let mut out = Vec::with_capacity(input.len() + input.len() / 10);
    ast::write_json(&doc, &mut out).expect("writing to memory");
    out.len()
}

fn bench(c: &mut Criterion) {
    let input = document(10);
    let mut g = c.benchmark_group("ast-filters-10MB");
    g.throughput(Throughput::Bytes(input.len() as u64));
    g.sample_size(20);
    let identity = ast_filters::FilterOptions {
        filters: vec![ast_filters::Filter::Identity],
        ..Default::default()
    };
    g.bench_function("identity", |b| b.iter(|| run(&input, &identity)));
    let chain = ast_filters::FilterOptions::default();
    g.bench_function("default-chain", |b| b.iter(|| run(&input, &chain)));
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

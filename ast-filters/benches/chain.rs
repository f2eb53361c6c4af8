//! The default chain against `identity`, as the binary runs them: pandoc
//! JSON bytes in, JSON bytes out, a batch of top-level blocks at a time
//! ([`ast_filters::apply_json`]).
//!
//! The target: the chain under 1.2 times identity on the JSON of
//! the project's 10 MB Markdown document (`scripts/gen-markdown 10M`, read
//! by md2ast in process; `target/bench/doc-10M.md` when `make bench` made
//! it). Also measured: a generated document of about 10 MB of JSON where
//! every paragraph has everything the filters change (the worst case), and
//! on each document the filters alone, on the tree already read.

use ast::{Attr, Block, Format, Inline, MathType, Pandoc, QuoteType, Target};

// The binary uses mimalloc; measure what it does.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};

/// A small deterministic generator (xorshift), so every run has the same input.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    /// True with probability `percent` / 100.
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }
}

const WORDS: &[&str] = &[
    "la",
    "chaîne",
    "de",
    "publication",
    "document",
    "rédaction",
    "règle",
    "typographie",
    "équipe",
    "le",
    "projet",
    "une",
    "étape",
    "qualité",
    "lecteur",
    "vérifie",
    "corrige",
    "améliore",
    "présente",
    "rapidement",
    "précisément",
    "déjà",
    "l’espace",
    "insécable",
    "d’abord",
    "ensuite",
    "chapitre",
    "paragraphe",
    "fichier",
    "sortie",
    "entrée",
    "filtre",
];
const NAMES: &[&str] = &["Durand", "Martin", "Lefèvre", "Moreau"];
const UNITS: &[&str] = &["km", "Mo", "Go", "%", "€", "ms", "h"];

fn words(out: &mut Vec<Inline>, rng: &mut Rng, n: usize) {
    for _ in 0..n {
        if !out.is_empty() {
            out.push(Inline::Space);
        }
        out.push(Inline::Str(rng.pick(WORDS).into()));
    }
}

fn str_(s: &str) -> Inline {
    Inline::Str(s.into())
}

/// One sentence; `dense` puts every construct in it.
fn sentence(out: &mut Vec<Inline>, rng: &mut Rng, dense: bool) {
    let p = |rng: &mut Rng, percent: u64| dense || rng.chance(percent);
    let start = out.len();
    let n = 5 + (rng.next() % 8) as usize;
    words(out, rng, n);
    if p(rng, 8) {
        out.push(Inline::Space);
        out.push(Inline::Quoted(QuoteType::DoubleQuote, {
            let mut q = Vec::new();
            words(&mut q, rng, 3);
            q
        }));
    }
    if p(rng, 8) {
        out.extend([Inline::Space, str_("«"), Inline::Space]);
        words(out, rng, 2);
        out.extend([Inline::Space, str_("»")]);
    }
    if p(rng, 10) {
        out.push(Inline::Space);
        out.push(Inline::Emph(vec![str_(rng.pick(WORDS))]));
    }
    if p(rng, 8) {
        out.push(Inline::Space);
        out.push(Inline::Code(Box::default(), "ast-filters --check".into()));
    }
    if p(rng, 6) {
        out.push(Inline::Space);
        out.push(Inline::Link(
            Box::default(),
            vec![str_("le"), Inline::Space, str_("blog")],
            Box::new(Target {
                url: "https://example.org/?a=1:2".into(),
                title: String::new(),
            }),
        ));
    }
    if p(rng, 5) {
        out.extend([Inline::Space, str_("soit"), Inline::Space]);
        out.push(Inline::Math(MathType::InlineMath, "x : y".into()));
    }
    if p(rng, 6) {
        let n = (rng.next() % 100).to_string();
        out.extend([
            Inline::Space,
            Inline::Str(n),
            Inline::Space,
            str_(rng.pick(UNITS)),
        ]);
    }
    if p(rng, 3) {
        out.extend([Inline::Space, str_("Camille"), Inline::Space]);
        out.push(Inline::RawInline(
            Format("tex".into()),
            format!("\\textsc{{{}}}", rng.pick(NAMES)),
        ));
    }
    if out.len() == start {
        return;
    }
    // About every other sentence ends with a mark French typography spaces.
    match rng.next() % 12 {
        _ if dense => out.extend([
            Inline::Space,
            str_(":"),
            Inline::Space,
            str_("fin"),
            Inline::Space,
            str_("?"),
        ]),
        0..=2 => out.extend([Inline::Space, str_(":")]),
        3 | 4 => out.extend([Inline::Space, str_("?")]),
        5 => out.extend([Inline::Space, str_("!")]),
        6 => out.extend([Inline::Space, str_(";")]),
        _ => out.push(str_(".")),
    }
}

fn paragraph(rng: &mut Rng, dense: bool) -> Block {
    let mut ils = Vec::new();
    let n = 4 + rng.next() % 4;
    for k in 0..n {
        if k > 0 {
            ils.push(if rng.chance(30) {
                Inline::SoftBreak
            } else {
                Inline::Space
            });
        }
        let mut s = Vec::new();
        sentence(&mut s, rng, dense);
        ils.extend(s);
    }
    Block::Para(ils)
}

/// A document of about `mb` megabytes of JSON.
pub fn document(mb: usize, dense: bool) -> Vec<u8> {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut blocks = Vec::new();
    let mut size = 0;
    let mut i = 0;
    while size < mb * 1_000_000 {
        let b = if i % 10 == 0 {
            let mut h = Vec::new();
            words(&mut h, &mut rng, 3);
            Block::Header(2, Attr::default(), h)
        } else if i % 15 == 7 {
            Block::CodeBlock(
                Attr::default(),
                "md2ast content/*.md | ast-filters\n".repeat(4),
            )
        } else if i % 12 == 5 {
            Block::BulletList(
                (0..3)
                    .map(|_| {
                        vec![Block::Plain({
                            let mut s = Vec::new();
                            sentence(&mut s, &mut rng, dense);
                            s
                        })]
                    })
                    .collect(),
            )
        } else if i % 40 == 39 {
            Block::RawBlock(Format("tex".into()), "\\newpage".into())
        } else {
            paragraph(&mut rng, dense)
        };
        size += ast::to_json_string(&Pandoc::new(Default::default(), vec![b.clone()])).len() - 50;
        blocks.push(b);
        i += 1;
    }
    ast::to_json_string(&Pandoc::new(Default::default(), blocks)).into_bytes()
}

/// The 10 MB Markdown document: `target/bench/doc-10M.md`, or made by
/// `scripts/gen-markdown 10M`; `None` (with the reason on stderr) when it is
/// absent and cannot be made.
fn ten_megabyte_markdown() -> Option<String> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    if let Ok(text) = std::fs::read_to_string(root.join("target/bench/doc-10M.md")) {
        return Some(text);
    }
    let out = std::process::Command::new("python3")
        .arg(root.join("scripts/gen-markdown"))
        .arg("10M")
        .output();
    match out {
        Ok(o) if o.status.success() => String::from_utf8(o.stdout).ok(),
        other => {
            eprintln!("ast-filters bench: scripts/gen-markdown 10M failed ({other:?}): skipped");
            None
        }
    }
}

/// What the binary does with `input`: the JSON it writes, into `out`
/// (kept from run to run, so that no run pays for fresh pages).
fn run(input: &[u8], out: &mut Vec<u8>, opts: &ast_filters::FilterOptions) -> usize {
    out.clear();
    ast_filters::apply_json(input, &mut *out, opts, |_| {}).expect("filters apply");
    out.len()
}

fn bench(c: &mut Criterion) {
    let identity = ast_filters::FilterOptions {
        filters: vec![ast_filters::Filter::Identity],
        ..Default::default()
    };
    let chain = ast_filters::FilterOptions::default();
    let mut inputs = Vec::new();
    if let Some(md) = ten_megabyte_markdown() {
        let doc = md2ast::read_markdown(&md, &Default::default()).expect("the document reads");
        inputs.push(("doc-10M", ast::to_json_string(&doc).into_bytes()));
    }
    inputs.push(("generated-dense-10MB", document(10, true)));
    for (name, input) in inputs {
        let mut g = c.benchmark_group(format!("{name} ({} MB of JSON)", input.len() >> 20));
        g.throughput(Throughput::Bytes(input.len() as u64));
        g.sample_size(20);
        let mut out = Vec::with_capacity(input.len() + input.len() / 10);
        g.bench_function("identity", |b| b.iter(|| run(&input, &mut out, &identity)));
        g.bench_function("default-chain", |b| {
            b.iter(|| run(&input, &mut out, &chain))
        });
        // The filters' own work, on the tree already read (its copy made and
        // freed outside the timing): what the chain adds to identity.
        let mut doc = ast::read_json_bytes(&input).expect("the JSON reads");
        let mut filters = ast_filters::Chain::new(&mut doc.meta, &chain).expect("options");
        g.sample_size(10);
        g.bench_function("default-chain, filters only", |b| {
            b.iter_batched(
                || doc.blocks.clone(),
                |mut blocks| {
                    filters.apply_blocks(&mut blocks);
                    blocks
                },
                BatchSize::LargeInput,
            )
        });
        g.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);

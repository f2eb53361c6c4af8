//! Markdown to AST throughput on a generated 10 MB French document (and the
//! canonical document), in bytes of Markdown per second.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};

// The binary uses mimalloc; measure what it does.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// A deterministic pseudo-random generator (64-bit LCG), so that every run
/// reads the same document.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n
    }
}

const WORDS: &[&str] = &[
    "la",
    "chaîne",
    "de",
    "publication",
    "produit",
    "un",
    "document",
    "lisible",
    "et",
    "l'équipe",
    "vérifie",
    "chaque",
    "espace",
    "avant",
    "les",
    "deux-points",
    "règle",
    "typographique",
    "été",
    "où",
    "créée",
    "à",
    "partir",
    "d'un",
    "fichier",
    "Markdown",
    "écrit",
    "par",
    "Camille",
    "élève",
    "projet",
    "mentor",
    "école",
    "français",
    "cœur",
    "ça",
    "déjà",
    "très",
    "problème",
    "résumé",
];

fn sentence(r: &mut Lcg, out: &mut String) {
    let n = 6 + r.next(14);
    for i in 0..n {
        if i > 0 {
            out.push(' ');
        }
        let w = WORDS[r.next(WORDS.len())];
        match r.next(40) {
            0 => out.push_str(&format!("*{w}*")),
            1 => out.push_str(&format!("**{w}**")),
            2 => out.push_str(&format!("`{w}`")),
            3 => out.push_str(&format!("[{w}](https://example.org/{w})")),
            4 => out.push_str(&format!("« {w} »")),
            5 => out.push_str(&format!("\\textsc{{{w}}}")),
            6 => out.push_str(&format!("\"{w}\"")),
            7 => out.push_str(&format!("{w}[^n{}]", r.next(50))),
            _ => out.push_str(w),
        }
    }
    out.push_str([".", " !", " ?", " :", " ;", "..."][r.next(6)]);
}

/// About `size` bytes of French pandoc Markdown: headings, paragraphs with
/// inline markup, lists, tables, code, quotes and notes.
fn generate(size: usize) -> String {
    let mut r = Lcg(2026);
    let mut out = String::with_capacity(size + 4096);
    out.push_str("---\ntitle: Dossier de projet\nauthor: Camille \\textsc{Durand}\n---\n\n");
    let mut section = 0;
    while out.len() < size {
        match r.next(12) {
            0 => {
                section += 1;
                out.push_str(&format!(
                    "## Partie {section} : « le thème » {{#partie-{section}}}\n\n"
                ));
            }
            1 => {
                for _ in 0..3 + r.next(4) {
                    out.push_str("- ");
                    sentence(&mut r, &mut out);
                    out.push('\n');
                    if r.next(3) == 0 {
                        out.push_str("  - ");
                        sentence(&mut r, &mut out);
                        out.push('\n');
                    }
                }
                out.push('\n');
            }
            2 => {
                out.push_str("| Tâche | Durée | Responsable |\n|:------|------:|:-----------:|\n");
                for i in 0..4 {
                    out.push_str(&format!("| Étape {i} | {} j | Camille |\n", r.next(30)));
                }
                out.push_str("\n: Planning\n\n");
            }
            3 => out.push_str("```bash {.numberLines}\nmake all\necho \"fini\"\n```\n\n"),
            4 => {
                out.push_str("> ");
                sentence(&mut r, &mut out);
                out.push_str("\n\n");
            }
            5 => out.push_str(&format!("[^n{}]: Une note avec *emphase*.\n\n", r.next(50))),
            _ => {
                for _ in 0..2 + r.next(5) {
                    sentence(&mut r, &mut out);
                    out.push('\n');
                }
                out.push('\n');
            }
        }
    }
    out
}

fn bench_read(c: &mut Criterion) {
    let options = md2ast::ReadOptions::default();
    let big = generate(10 * 1024 * 1024);
    let sources = [md2ast::Source {
        path: "generated.md".into(),
        text: big.clone(),
    }];
    let mut group = c.benchmark_group("md2ast");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(big.len() as u64));
    // What the binary does: Markdown to JSON, streamed block by block.
    group.bench_function("markdown-to-json/generated-french-10MB", |b| {
        b.iter(|| {
            md2ast::write_json_from_sources(&sources, &options, &mut std::io::sink())
                .expect("writes")
        })
    });
    // The whole AST in memory (about 50 bytes of AST per byte of Markdown:
    // most of this time is the kernel handing out fresh pages).
    group.bench_function("read_markdown/generated-french-10MB", |b| {
        b.iter(|| md2ast::read_markdown(&big, &options).expect("reads"))
    });
    let canonical = include_str!("../../tests/fixtures/canonical/canonical.md");
    group.sample_size(50);
    group.throughput(Throughput::Bytes(canonical.len() as u64));
    group.bench_function("read_markdown/canonical", |b| {
        b.iter(|| md2ast::read_markdown(canonical, &options).expect("reads"))
    });
    group.finish();
}

criterion_group!(benches, bench_read);
criterion_main!(benches);

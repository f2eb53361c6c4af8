//! JSON bytes in, HTML out, as the binary does it
//! (`ast2html::write_html_from_json`: `ast::BlockReader` on one thread,
//! `HtmlWriter` rendering the batches of top-level blocks on another). Throughput is counted in bytes of JSON input (issue 5:
//! 150 MB/s or more on the 10 MB Markdown document's JSON).
//!
//! The documents:
//! - "10M": the filtered JSON of `scripts/gen-markdown 10M` (about 53 MB),
//!   `$AST2HTML_BENCH_JSON` if set, else `target/bench/stage-10M.filtered.json`
//!   as `scripts/bench` leaves it; when absent, the bench makes it with
//!   `scripts/gen-markdown 10M | md2ast | ast-filters`, the release binaries
//!   (`cargo build --release -p md2ast -p ast-filters` first), and keeps it
//!   there for the next run.
//! - "prose" and "prose and code": a document generated here (no binary
//!   needed), without and with a highlighted code block in every section.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use criterion::{criterion_group, criterion_main, Criterion, Throughput};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The JSON of the 10 MB Markdown document, made if need be; `None` (with
/// the reason on stderr) when it is absent and cannot be made.
fn ten_megabyte_json() -> Option<Vec<u8>> {
    let path = std::env::var_os("AST2HTML_BENCH_JSON").map_or_else(
        || workspace().join("target/bench/stage-10M.filtered.json"),
        PathBuf::from,
    );
    if let Ok(bytes) = std::fs::read(&path) {
        return Some(bytes);
    }
    let release = workspace().join("target/release");
    let (md2ast, filters) = (release.join("md2ast"), release.join("ast-filters"));
    if !md2ast.exists() || !filters.exists() {
        eprintln!(
            "ast2html bench: {} is absent and md2ast/ast-filters are not built \
             (cargo build --release -p md2ast -p ast-filters): 10M document skipped",
            path.display()
        );
        return None;
    }
    let mut generate = Command::new("python3")
        .arg(workspace().join("scripts/gen-markdown"))
        .arg("10M")
        .stdout(Stdio::piped())
        .spawn()
        .ok()?;
    let mut read = Command::new(md2ast)
        .stdin(generate.stdout.take()?)
        .stdout(Stdio::piped())
        .spawn()
        .ok()?;
    let filter = Command::new(filters)
        .stdin(read.stdout.take()?)
        .output()
        .ok()?;
    let ok = generate.wait().ok()?.success() && read.wait().ok()?.success();
    if !ok || !filter.status.success() {
        eprintln!("ast2html bench: making the 10M document failed: skipped");
        return None;
    }
    if let Some(dir) = path.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    let _ = std::fs::write(&path, &filter.stdout);
    Some(filter.stdout)
}

/// A document of `sections` sections of French prose with the usual
/// constructs: emphasis, links, notes, lists; with `code`, a highlighted
/// code block in every section: about as much code as in `content/` (0.7 %
/// of the JSON).
fn generate_document(sections: usize, code: bool) -> ast::Pandoc {
    use ast::{Attr, Block, Inline, Target};
    let words = |text: &str| -> Vec<Inline> {
        let mut out = Vec::new();
        for (i, w) in text.split(' ').enumerate() {
            if i > 0 {
                out.push(Inline::Space);
            }
            out.push(Inline::Str(w.to_string()));
        }
        out
    };
    let mut blocks = Vec::new();
    for n in 0..sections {
        blocks.push(Block::Header(
            2,
            Attr {
                id: format!("section-{n}"),
                ..Attr::default()
            },
            words(&format!("Section numéro {n} : l’équipe")),
        ));
        for _ in 0..6 {
            let mut para = words("Un paragraphe de texte courant, avec des « guillemets » et des accents : é, è, à, ç ; il parle de l’infrastructure du projet et de son déploiement.");
            para.push(Inline::Space);
            para.push(Inline::Emph(words("avec de l’emphase")));
            para.push(Inline::Space);
            para.push(Inline::Strong(words("et du gras")));
            para.push(Inline::SoftBreak);
            para.push(Inline::Link(
                Box::default(),
                words("un lien"),
                Box::new(Target {
                    url: "https://example.org/page?a=1&b=2".into(),
                    title: String::new(),
                }),
            ));
            para.push(Inline::Space);
            para.push(Inline::Code(Box::default(), "make deploy <cible>".into()));
            para.push(Inline::Note(vec![Block::Para(words(
                "Une note de bas de page.",
            ))]));
            blocks.push(Block::Para(para));
        }
        blocks.push(Block::BulletList(vec![
            vec![Block::Plain(words("premier point de la liste"))],
            vec![Block::Plain(words(
                "second point, plus long que le premier",
            ))],
        ]));
        if code {
            blocks.push(Block::CodeBlock(
                Attr {
                    classes: vec!["bash".into()],
                    ..Attr::default()
                },
                "for f in content/*.md; do\n  md2ast \"$f\" | ast-filters --check # vérifie\ndone\nmake html pdf".into(),
            ));
        }
    }
    ast::Pandoc::new(Default::default(), blocks)
}

/// The page of `json`, read on one thread and rendered on this one, as the
/// binary does.
fn json_to_html(json: &[u8], options: &ast2html::HtmlOptions) -> usize {
    let mut html = String::with_capacity(json.len() / 2);
    ast2html::write_html_from_json(json, None, options, &mut html).expect("renders");
    html.len()
}

fn bench_write(c: &mut Criterion) {
    let options = ast2html::HtmlOptions::default();
    let mut group = c.benchmark_group("ast2html");
    group.sample_size(10);
    if let Some(json) = ten_megabyte_json() {
        group.throughput(Throughput::Bytes(json.len() as u64));
        group.bench_function(
            format!(
                "JSON to HTML, 10M document, {} MB of JSON",
                json.len() >> 20
            ),
            |b| b.iter(|| json_to_html(&json, &options)),
        );
    }
    for (name, code) in [("prose", false), ("prose and code", true)] {
        let doc = generate_document(4000, code);
        let json = ast::to_json_string(&doc);
        group.throughput(Throughput::Bytes(json.len() as u64));
        group.bench_function(
            format!("JSON to HTML, {name}, {} MB of JSON", json.len() >> 20),
            |b| b.iter(|| json_to_html(json.as_bytes(), &options)),
        );
        // The writer alone, on the tree already read.
        group.bench_function(format!("write only, {name}"), |b| {
            b.iter(|| {
                let mut html = String::with_capacity(json.len() / 2);
                ast2html::write_html(&doc, &options, &mut html).expect("renders");
                html.len()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench_write);
criterion_main!(benches);

//! Reading and rendering a large generated document: JSON in, HTML out.
//! Throughput is counted in bytes of JSON input (target: 150 MB/s or more).

use criterion::{criterion_group, criterion_main, Criterion, Throughput};

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
                Attr::default(),
                words("un lien"),
                Target {
                    url: "https://example.org/page?a=1&b=2".into(),
                    title: String::new(),
                },
            ));
            para.push(Inline::Space);
            para.push(Inline::Code(Attr::default(), "make deploy <cible>".into()));
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

fn bench_write(c: &mut Criterion) {
    let options = ast2html::HtmlOptions::default();
    let mut group = c.benchmark_group("ast2html");
    group.sample_size(10);
    for (name, code) in [("prose", false), ("prose and code", true)] {
        let doc = generate_document(4000, code);
        let json = ast::to_json_string(&doc);
        drop(doc);
        group.throughput(Throughput::Bytes(json.len() as u64));
        group.bench_function(
            format!("read+write {name}, {} MB of JSON", json.len() >> 20),
            |b| {
                b.iter(|| {
                    let doc = ast::read_json(&json).expect("valid JSON");
                    let mut html = String::with_capacity(json.len());
                    ast2html::write_html(&doc, &options, &mut html).expect("renders");
                    html.len()
                })
            },
        );
        let doc = ast::read_json(&json).expect("valid JSON");
        group.bench_function(format!("write only {name}"), |b| {
            b.iter(|| {
                let mut html = String::with_capacity(json.len());
                ast2html::write_html(&doc, &options, &mut html).expect("renders");
                html.len()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench_write);
criterion_main!(benches);

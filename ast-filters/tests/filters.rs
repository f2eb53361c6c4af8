//! Fixture tests: each `tests/fixtures/<filter>/<case>.json` (pandoc 3.9's
//! JSON of the `.md` beside it) goes through the filter; the snapshot shows
//! the source, the resulting AST and the diagnostics.

mod common;

use ast::Pandoc;
use ast_filters::*;
use common::{read_fixture, snapshot, source_of};

fn options(doc: &Pandoc) -> OptionsMeta {
    OptionsMeta::new(&doc.meta, &[]).expect("fixture options are valid")
}

/// Snapshots of `tests/fixtures/<dir>/*.json` through `filter`, kept in
/// `tests/snapshots/<dir>/`.
macro_rules! run_fixtures {
    ($dir:literal, $filter:expr) => {{
        let filter = $filter;
        let mut settings = insta::Settings::clone_current();
        settings.set_snapshot_path(concat!("snapshots/", $dir));
        settings.set_prepend_module_to_snapshot(false);
        settings.bind(|| {
            insta::glob!("fixtures", concat!($dir, "/*.json"), |path| {
                let mut doc = read_fixture(path);
                let report = filter(&mut doc);
                insta::assert_snapshot!(snapshot(&source_of(path), &doc, &report));
            });
        });
    }};
}

#[test]
fn french_spacing() {
    run_fixtures!("french-spacing", |doc: &mut Pandoc| {
        let opts = options(doc).spacing();
        let report = apply_french_spacing(doc, &opts);
        // Applying it twice equals applying it once, on every fixture.
        let mut again = doc.clone();
        apply_french_spacing(&mut again, &opts);
        assert_eq!(&again, doc, "french-spacing is not idempotent");
        report
    });
}

#[test]
fn ordinals() {
    run_fixtures!("ordinals", |doc: &mut Pandoc| {
        let opts = FilterOptions {
            filters: vec![Filter::Ordinals],
            ..FilterOptions::default()
        };
        let report = apply(doc, &opts).unwrap();
        // Applying it twice equals applying it once, on every fixture.
        let mut again = doc.clone();
        apply(&mut again, &opts).unwrap();
        assert_eq!(&again, doc, "ordinals is not idempotent");
        report
    });
}

#[test]
fn french_spacing_has_at_least_60_cases() {
    let n = std::fs::read_dir(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/french-spacing"
    ))
    .unwrap()
    .filter(|e| {
        e.as_ref()
            .is_ok_and(|e| e.path().extension().is_some_and(|x| x == "json"))
    })
    .count();
    assert!(n >= 60, "only {n} french-spacing fixtures");
}

#[test]
fn french_quotes() {
    run_fixtures!("french-quotes", |doc: &mut Pandoc| {
        let opts = options(doc).quotes();
        apply_french_quotes(doc, &opts)
    });
}

#[test]
fn smallcaps() {
    run_fixtures!("smallcaps", |doc: &mut Pandoc| {
        let o = options(doc);
        apply_smallcaps(
            doc,
            &SmallCapsOptions {
                caps_names: false,
                acronyms: o.acronyms(),
                in_guillemets: o.guillemet_space(),
            },
        )
    });
}

#[test]
fn caps_names() {
    run_fixtures!("caps-names", |doc: &mut Pandoc| {
        let o = options(doc);
        apply_smallcaps(
            doc,
            &SmallCapsOptions {
                caps_names: true,
                acronyms: o.acronyms(),
                in_guillemets: o.guillemet_space(),
            },
        )
    });
}

/// Without FORMAT, then for LaTeX and HTML targets.
#[test]
fn pagebreak() {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("snapshots/pagebreak");
    settings.set_prepend_module_to_snapshot(false);
    let _guard = settings.bind_to_scope();
    insta::glob!("fixtures", "pagebreak/*.json", |path| {
        let doc = read_fixture(path);
        let mut out = String::new();
        for format in [
            None,
            Some("latex"),
            Some("html5"),
            Some("docx"),
            Some("json"),
        ] {
            let mut d = doc.clone();
            let report = apply_pagebreak(
                &mut d,
                &PagebreakOptions {
                    format: format.map(str::to_string),
                },
            );
            assert!(report.diagnostics.is_empty());
            out.push_str(&format!("## FORMAT {}\n", format.unwrap_or("(none)")));
            out.push_str(&common::native(&d));
        }
        insta::assert_snapshot!(snapshot(&source_of(path), &doc, &Report::default()) + &out);
    });
}

/// raw-tex, then the warnings for what is left when the target is HTML.
#[test]
fn raw_tex() {
    run_fixtures!("raw-tex", |doc: &mut Pandoc| {
        let o = options(doc);
        let mut report = apply_raw_tex(
            doc,
            &RawTexOptions {
                format: Some("html".into()),
                in_guillemets: o.guillemet_space(),
            },
        );
        report.extend(warn_raw_tex_left(doc, Some("html")));
        report
    });
}

/// Raw LaTeX blocks through the default chain for HTML (the typography
/// sees the converted text), with the warnings for what is left; for LaTeX
/// the raw blocks stay as the author wrote them.
#[test]
fn raw_tex_blocks() {
    run_fixtures!("raw-tex-blocks", |doc: &mut Pandoc| {
        let mut latex = doc.clone();
        let report = apply(
            &mut latex,
            &FilterOptions {
                format: Some("latex".into()),
                ..Default::default()
            },
        )
        .expect("valid options");
        assert!(report.diagnostics.is_empty(), "{report:?}");
        assert_eq!(
            common::raw_tex_blocks(&latex.blocks),
            common::raw_tex_blocks(&doc.blocks),
            "a raw LaTeX block changed for LaTeX"
        );
        let report = apply(
            doc,
            &FilterOptions {
                format: Some("html".into()),
                ..Default::default()
            },
        )
        .expect("valid options");
        // A second run changes nothing.
        let mut again = doc.clone();
        apply(
            &mut again,
            &FilterOptions {
                format: Some("html".into()),
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(&again, doc, "raw-tex blocks: the chain is not idempotent");
        report
    });
}

/// The whole default chain.
#[test]
fn chain() {
    run_fixtures!("chain", |doc: &mut Pandoc| {
        apply(doc, &FilterOptions::default()).expect("valid options")
    });
}

/// `--check`: the problems, and the document left unchanged.
#[test]
fn check() {
    run_fixtures!("check", |doc: &mut Pandoc| {
        let before = doc.clone();
        let report = apply(
            doc,
            &FilterOptions {
                check: true,
                ..Default::default()
            },
        )
        .expect("valid options");
        assert_eq!(&before, doc, "--check changed the document");
        report
    });
}

/// Sentences typed with plain spaces, through the default chain, give
/// exactly what pandoc gives for the same sentences typed with the right
/// no-break spaces (both JSON made by pandoc 3.9).
#[test]
fn plain_through_chain_equals_typed_by_hand() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/pairs");
    let mut n = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let Some(stem) = name.strip_suffix(".plain.json") else {
            continue;
        };
        let mut plain = read_fixture(&path);
        let typed = read_fixture(&path.with_file_name(format!("{stem}.typed.json")));
        let report = apply(&mut plain, &FilterOptions::default()).unwrap();
        assert!(report.diagnostics.is_empty(), "{stem}: {report:?}");
        assert_eq!(
            common::native(&plain),
            common::native(&typed),
            "pair {stem}: the filtered plain text differs from the typed text"
        );
        assert_eq!(plain, typed, "pair {stem}");
        n += 1;
    }
    assert!(n >= 20, "only {n} pairs");
}

/// A document nested 10,000 levels deep (block quotes holding emphasis
/// holding quotes) goes through the chain and `--check` without overflowing
/// the stack of a test thread.
#[test]
fn deeply_nested_document() {
    use ast::{Block, Inline, QuoteType};
    let depth = 10_000;
    let mut il = vec![
        Inline::Str("mot".into()),
        Inline::Space,
        Inline::Str(":".into()),
    ];
    for i in 0..depth {
        il = vec![if i % 2 == 0 {
            Inline::Emph(il)
        } else {
            Inline::Quoted(QuoteType::DoubleQuote, il)
        }];
    }
    let mut blocks = vec![Block::Para(il)];
    for _ in 0..depth {
        blocks = vec![Block::BlockQuote(blocks)];
    }
    let mut doc = Pandoc::new(Default::default(), blocks);
    let report = apply(
        &mut doc,
        &FilterOptions {
            check: true,
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(report.problems(), 1);
    apply(&mut doc, &FilterOptions::default()).unwrap();
    let text = ast::stringify(&doc.blocks);
    assert!(
        text.contains("mot\u{a0}:"),
        "{}",
        &text[..200.min(text.len())]
    );
    assert!(text.starts_with("«\u{202f}“"));
}

/// 50,000 nested `\textsc{` in one raw TeX inline (quadratic once: each
/// level looked for its `}` again) become 50,000 nested `SmallCaps` around
/// the `Str`, without overflowing the stack of a test thread. That the time
/// grows linearly is measured by hand (see the commit message), not here.
#[test]
fn textsc_nested_50000_levels_deep() {
    use ast::{Block, Format, Inline};
    let depth = 50_000;
    let tex = format!("{}x{}", "\\textsc{".repeat(depth), "}".repeat(depth));
    let mut doc = Pandoc::new(
        Default::default(),
        vec![Block::Para(vec![Inline::RawInline(
            Format("tex".into()),
            tex,
        )])],
    );
    let report = apply(&mut doc, &FilterOptions::default()).unwrap();
    assert!(report.diagnostics.is_empty(), "{:?}", report.diagnostics);
    let Some(Block::Para(top)) = doc.blocks.first() else {
        panic!("not a paragraph: {:?}", doc.blocks.first().map(|_| ()))
    };
    let mut list = top;
    let mut levels = 0;
    while let [Inline::SmallCaps(inner)] = list.as_slice() {
        levels += 1;
        list = inner;
    }
    assert_eq!(levels, depth);
    assert_eq!(list, &vec![Inline::Str("x".into())]);
}

/// The project's canonical document (every AST variant, pandoc 3.9's JSON)
/// through the default chain: the snapshot shows what the filters change in
/// a complete document, and a second run changes nothing.
#[test]
fn canonical_document_through_the_chain() {
    let path = std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/fixtures/canonical/canonical.json"
    ));
    let mut doc = read_fixture(path);
    let report = apply(
        &mut doc,
        &FilterOptions {
            format: Some("html".into()),
            ..Default::default()
        },
    )
    .unwrap();
    let mut again = doc.clone();
    apply(&mut again, &FilterOptions::default()).unwrap();
    assert_eq!(again, doc, "the chain is not idempotent on canonical.json");
    insta::assert_snapshot!(snapshot(
        "(tests/fixtures/canonical/canonical.md)",
        &doc,
        &report
    ));
}

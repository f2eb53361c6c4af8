//! Property tests over generated documents made of the tokens French
//! typography trips on: idempotence, code/raw/math/link targets unchanged,
//! and no text lost by the chain.

use ast::{Attr, Block, Format, Inline, MathType, Meta, MetaValue, Pandoc, QuoteType, Target};
use ast_filters::*;
use proptest::prelude::*;

const WORDS: &[&str] = &[
    "mot",
    "Le",
    "l’«",
    "»",
    "«",
    ":",
    ";",
    "!",
    "?",
    "?!",
    "!!",
    "! ?",
    "mot!",
    "mot:",
    "fin;",
    "«prod»",
    "10",
    "%",
    "10%",
    "km",
    "3,5",
    "€",
    "10:30",
    "1:2",
    "C:\\",
    "C:",
    ":-)",
    ";)",
    ":D",
    "http://a.b/c?d=1:2",
    "www.x.org",
    "a@b.fr",
    "mot\u{a0}:",
    "x\u{202f}!",
    "\u{a0}",
    "Camille",
    "DURAND",
    "AWS",
    "::",
    "(?)",
    "…",
    "’",
    "fin.",
    "«\u{202f}x",
    "y\u{202f}»",
];

fn word() -> impl Strategy<Value = Inline> {
    proptest::sample::select(WORDS).prop_map(|w| Inline::Str(w.to_string()))
}

fn leaf() -> impl Strategy<Value = Inline> {
    prop_oneof![
        6 => word(),
        4 => Just(Inline::Space),
        1 => Just(Inline::SoftBreak),
        1 => Just(Inline::LineBreak),
        1 => proptest::sample::select(&["a : b", "x ! ?", "« c »"][..])
            .prop_map(|s| Inline::Code(Box::default(), s.into())),
        1 => proptest::sample::select(&["x : y", "a ; b"][..])
            .prop_map(|s| Inline::Math(MathType::InlineMath, s.into())),
        2 => proptest::sample::select(&[
            "<b> : </b>", "\\foo{a : b}", "\\relax ! ", "\\textsc{Durand}", "\\emph{« a »}",
            "\\og ", "\\fg{}", "\\textbf{x \\emph{y} !}", "~",
        ][..])
            .prop_map(|s| {
                let f = if s.starts_with('<') { "html" } else { "tex" };
                Inline::RawInline(Format(f.into()), s.into())
            }),
    ]
}

fn inlines() -> impl Strategy<Value = Vec<Inline>> {
    let inline = leaf().prop_recursive(3, 24, 6, |inner| {
        let list = proptest::collection::vec(inner, 0..6);
        prop_oneof![
            list.clone().prop_map(Inline::Emph),
            list.clone().prop_map(Inline::Strong),
            list.clone()
                .prop_map(|c| Inline::Quoted(QuoteType::DoubleQuote, c)),
            list.clone().prop_map(|c| Inline::Span(Box::default(), c)),
            list.prop_map(|c| Inline::Link(
                Box::default(),
                c,
                Box::new(Target {
                    url: "https://x.org/?a=1:2 ! ?".into(),
                    title: "titre : ici !".into(),
                })
            )),
        ]
    });
    proptest::collection::vec(inline, 0..16)
}

fn document() -> impl Strategy<Value = Pandoc> {
    (
        proptest::collection::vec(inlines(), 1..4),
        inlines(),
        any::<bool>(),
    )
        .prop_map(|(paras, title, add_missing)| {
            let mut meta = Meta::new();
            meta.insert("title".into(), MetaValue::MetaInlines(title));
            if add_missing {
                let mut t = std::collections::BTreeMap::new();
                t.insert("add-missing".into(), MetaValue::MetaBool(true));
                meta.insert("typography".into(), MetaValue::MetaMap(t));
            }
            let mut blocks: Vec<Block> = paras.into_iter().map(Block::Para).collect();
            blocks.push(Block::RawBlock(Format("tex".into()), "\\newpage".into()));
            Pandoc::new(meta, blocks)
        })
}

/// A document with sections: paragraphs, headings (some inside a `Div`,
/// which names the section too), page breaks and raw TeX blocks, for the
/// diagnostics that name a section.
fn sectioned_document() -> impl Strategy<Value = Pandoc> {
    let block = prop_oneof![
        4 => inlines().prop_map(Block::Para),
        2 => inlines().prop_map(|ils| Block::Header(2, Attr::default(), ils)),
        1 => inlines().prop_map(|ils| Block::Div(
            Attr::default(),
            vec![Block::Header(3, Attr::default(), ils), Block::Plain(vec![Inline::Str("x".into())])],
        )),
        1 => Just(Block::RawBlock(Format("tex".into()), "\\newpage".into())),
        1 => Just(Block::RawBlock(Format("tex".into()), "\\vspace{1em}".into())),
    ];
    (document(), proptest::collection::vec(block, 0..12)).prop_map(|(mut doc, blocks)| {
        doc.blocks.extend(blocks);
        doc
    })
}

/// Code, raw and math contents and link targets, in document order.
fn untouchables(doc: &Pandoc) -> Vec<String> {
    let mut out = Vec::new();
    ast::query_inlines(doc, |il| match il {
        Inline::Code(_, s) | Inline::Math(_, s) | Inline::RawInline(_, s) => out.push(s.clone()),
        Inline::Link(_, _, t) | Inline::Image(_, _, t) => {
            out.push(t.url.clone());
            out.push(t.title.clone());
        }
        _ => {}
    });
    out
}

/// The text without the characters the filters may add, remove or change:
/// spaces of every kind and quote marks.
fn letters(doc: &Pandoc) -> String {
    let mut s = ast::stringify(&doc.blocks);
    for v in doc.meta.values() {
        s.push_str(&ast::stringify(v));
    }
    s.chars()
        .filter(|c| {
            !c.is_whitespace()
                && !matches!(
                    c,
                    '\u{a0}' | '\u{202f}' | '«' | '»' | '“' | '”' | '‘' | '’' | '"'
                )
        })
        .collect()
}

fn spacing_options(doc: &Pandoc) -> SpacingOptions {
    OptionsMeta::new(&doc.meta, &[]).unwrap().spacing()
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 512,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn french_spacing_is_idempotent(doc in document()) {
        let opts = spacing_options(&doc);
        let mut once = doc.clone();
        apply_french_spacing(&mut once, &opts);
        let mut twice = once.clone();
        apply_french_spacing(&mut twice, &opts);
        prop_assert_eq!(once, twice);
    }

    #[test]
    fn the_chain_is_idempotent(doc in document()) {
        let mut once = doc.clone();
        apply(&mut once, &FilterOptions::default()).unwrap();
        let mut twice = once.clone();
        apply(&mut twice, &FilterOptions::default()).unwrap();
        prop_assert_eq!(once, twice);
    }

    #[test]
    fn code_raw_math_and_link_targets_are_unchanged(doc in document()) {
        let before = untouchables(&doc);
        let mut d = doc.clone();
        let opts = spacing_options(&d);
        apply_french_spacing(&mut d, &opts);
        apply_french_quotes(&mut d, &QuotesOptions::default());
        apply_pagebreak(&mut d, &PagebreakOptions::default());
        prop_assert_eq!(untouchables(&d), before);
    }

    #[test]
    fn the_chain_never_loses_text(doc in document()) {
        // Raw TeX that becomes text would count as text gained.
        let mut doc = doc;
        ast::splice_inlines(&mut doc, |il| match il {
            Inline::RawInline(f, _) if f.is_tex() => vec![],
            il => vec![il],
        });
        let before = letters(&doc);
        let mut d = doc.clone();
        apply(&mut d, &FilterOptions::default()).unwrap();
        prop_assert_eq!(letters(&d), before);
    }

    /// The default chain, done in one walk, equals the filters run one after
    /// the other, each in a walk of its own.
    #[test]
    fn one_walk_equals_one_filter_after_the_other(doc in document(), caps_names in any::<bool>()) {
        let mut fused = doc.clone();
        let opts = FilterOptions { caps_names, ..FilterOptions::default() };
        apply(&mut fused, &opts).unwrap();
        let mut sequential = doc.clone();
        for f in Filter::DEFAULT_CHAIN {
            apply(&mut sequential, &FilterOptions { filters: vec![f], ..opts.clone() }).unwrap();
        }
        prop_assert_eq!(fused, sequential);
    }

    /// `--check` finds a problem exactly when french-spacing (with
    /// add-missing) would change something.
    #[test]
    fn check_agrees_with_the_filter(doc in document()) {
        let opts = SpacingOptions { add_missing: true, ..spacing_options(&doc) };
        let problems = check_french_spacing(&doc, &opts).problems();
        let mut d = doc.clone();
        apply_french_spacing(&mut d, &opts);
        prop_assert_eq!(problems > 0, d != doc);
    }

    /// The chain given the top-level blocks in batches (as `ast-filters`
    /// reads them from a pipe) gives the document and the diagnostics it
    /// gives on the whole document, whatever the batches.
    #[test]
    fn batches_equal_the_whole_document(
        doc in sectioned_document(),
        sizes in proptest::collection::vec(1usize..5, 1..8),
        mode in 0usize..4,
    ) {
        let opts = match mode {
            0 => FilterOptions::default(),
            1 => FilterOptions { format: Some("html".into()), caps_names: true, ..FilterOptions::default() },
            2 => FilterOptions { check: true, ..FilterOptions::default() },
            _ => FilterOptions {
                filters: vec![Filter::FrenchSpacing, Filter::RawTex, Filter::Pagebreak],
                format: Some("html5".into()),
                ..FilterOptions::default()
            },
        };
        let mut whole = doc.clone();
        let whole_report = apply(&mut whole, &opts).unwrap();

        let mut streamed = doc.clone();
        let mut rest = std::mem::take(&mut streamed.blocks);
        let mut chain = Chain::new(&mut streamed.meta, &opts).unwrap();
        let mut report = chain.take_report();
        let mut sizes = sizes.iter().cycle();
        while !rest.is_empty() {
            let n = (*sizes.next().unwrap()).min(rest.len());
            let mut batch: Vec<Block> = rest.drain(..n).collect();
            chain.apply_blocks(&mut batch);
            report.extend(chain.take_report());
            streamed.blocks.extend(batch);
        }
        prop_assert_eq!(streamed, whole);
        prop_assert_eq!(report, whole_report);
    }
}

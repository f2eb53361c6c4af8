//! Property: no text, attribute value, URL or title from the document can
//! open a tag or leave its attribute. The page's markup (every `<` and `>`,
//! and the `"` of the tags) is the same whatever the strings are.

use ast::{Attr, Block, Caption, Citation, CitationMode, Inline, MathType, Pandoc, Target};
use ast2html::{write_html, HtmlOptions, MathMethod};
use proptest::prelude::*;

fn document(s: &str) -> Pandoc {
    let attr = Attr {
        id: s.into(),
        // Classes change the markup by design (`unnumbered`, `numberLines`,
        // a language name): they are not in the property.
        classes: vec!["c".into()],
        attributes: vec![("title".into(), s.into()), ("key".into(), s.into())],
    };
    let target = Target {
        url: s.into(),
        title: s.into(),
    };
    let inlines = vec![
        Inline::Str(s.into()),
        Inline::Span(Box::new(attr.clone()), vec![Inline::Str(s.into())]),
        Inline::Link(
            Box::new(attr.clone()),
            vec![Inline::Str(s.into())],
            Box::new(target.clone()),
        ),
        Inline::Image(
            Box::new(attr.clone()),
            vec![Inline::Str(s.into())],
            Box::new(target),
        ),
        Inline::Code(Box::new(attr.clone()), s.into()),
        Inline::Math(MathType::InlineMath, s.into()),
        Inline::Cite(
            vec![Citation {
                id: s.into(),
                prefix: vec![],
                suffix: vec![],
                mode: CitationMode::NormalCitation,
                note_num: 1,
                hash: 0,
            }],
            vec![Inline::Str(s.into())],
        ),
        Inline::Note(vec![Block::Para(vec![Inline::Str(s.into())])]),
    ];
    let mut meta = ast::Meta::new();
    meta.insert("title".into(), ast::MetaValue::MetaString(s.into()));
    meta.insert(
        "author".into(),
        ast::MetaValue::MetaInlines(vec![Inline::Str(s.into())]),
    );
    Pandoc::new(
        meta,
        vec![
            Block::Header(1, attr.clone(), vec![Inline::Str(s.into())]),
            Block::Para(inlines),
            Block::CodeBlock(attr.clone(), s.into()),
            Block::Div(
                attr.clone(),
                vec![Block::Plain(vec![Inline::Str(s.into())])],
            ),
            Block::Figure(
                attr,
                Caption(None, vec![Block::Plain(vec![Inline::Str(s.into())])]),
                vec![],
            ),
        ],
    )
}

/// The page's markup: every `<` and `>`, and the `"` inside tags (text may
/// hold `"` as it is, as in pandoc's output).
fn markup(html: &str) -> String {
    let mut in_tag = false;
    let mut out = String::new();
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            '"' if in_tag => {}
            _ => continue,
        }
        out.push(c);
    }
    out
}

fn render(doc: &Pandoc) -> String {
    let options = HtmlOptions {
        toc: true,
        // MathJax keeps the TeX as text; the plain method makes markup of it.
        math: MathMethod::MathJax("m.js".into()),
        highlight_style: None,
        ..HtmlOptions::default()
    };
    let mut html = String::new();
    write_html(doc, &options, &mut html).expect("renders");
    html
}

proptest! {
    #[test]
    fn strings_never_make_markup(s in "[^\u{0}]{1,24}|[<>\"&' =/a-z]{1,24}") {
        // A blank paragraph gives the page no description (one tag less).
        let blank = s.split([' ', '\t', '\n', '\r']).all(str::is_empty);
        let benign = markup(&render(&document(if blank { " " } else { "x" })));
        let html = render(&document(&s));
        prop_assert_eq!(markup(&html), benign, "in {}", html);
    }

    #[test]
    fn attribute_names_never_make_markup(key in "[^\u{0}]{1,16}") {
        let mut doc = document("x");
        doc.blocks.push(Block::Div(
            Attr { id: String::new(), classes: vec![], attributes: vec![(key.clone(), "v".into())] },
            vec![],
        ));
        let html = render(&doc);
        let tag = html.rfind("<div").unwrap();
        let tag = &html[tag..tag + html[tag..].find('>').unwrap() + 1];
        // Either a name as it is (possibly `data-` prefixed), or nothing.
        prop_assert!(
            tag == "<div>" || tag == format!("<div {key}=\"v\">") || tag == format!("<div data-{key}=\"v\">"),
            "{}", tag
        );
        prop_assert_eq!(tag.matches('"').count() % 2, 0);
    }
}

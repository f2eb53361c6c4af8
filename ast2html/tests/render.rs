//! Snapshots of the HTML of each fixture (`tests/fixtures/<case>.json`, made
//! by pandoc 3.9 from `<case>.md` with `scripts/regen-html-fixtures`; a
//! `<case>.json` without a `.md` is written by hand, for an AST that Markdown
//! cannot give, such as a filter's output), of the
//! canonical document as a standalone page, and of the options.

use std::collections::BTreeSet;
use std::path::Path;

use ast::{Block, Inline, Pandoc};
use ast2html::{write_html, HtmlOptions, MathMethod};

fn read(path: &Path) -> Pandoc {
    let json = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    ast::read_json(&json).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The HTML, then the warnings the binary would print on stderr.
fn render(doc: &Pandoc, options: &HtmlOptions) -> String {
    let mut html = String::new();
    let warnings = write_html(doc, options, &mut html).expect("renders");
    for w in warnings {
        html.push_str(&format!("--- warning: {}\n", w.message));
    }
    html
}

fn fragment() -> HtmlOptions {
    HtmlOptions {
        standalone: false,
        ..HtmlOptions::default()
    }
}

fn canonical_path() -> &'static Path {
    Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/fixtures/canonical/canonical.json"
    ))
}

#[test]
fn fixtures() {
    insta::glob!("fixtures/*.json", |path| {
        insta::assert_snapshot!(render(&read(path), &fragment()));
    });
}

/// The canonical document as a standalone page with a table of contents and
/// numbered sections; the stylesheet is left out of the snapshot.
#[test]
fn canonical_standalone() {
    let options = HtmlOptions {
        toc: true,
        number_sections: true,
        variables: vec![("styles".into(), "/* the default stylesheet */".into())],
        ..HtmlOptions::default()
    };
    insta::assert_snapshot!(render(&read(canonical_path()), &options));
}

#[test]
fn canonical_fragment_is_the_standalone_body() {
    let doc = read(canonical_path());
    let body = render(&doc, &fragment());
    let page = render(&doc, &HtmlOptions::default());
    let body_html = body.split("--- warning").next().unwrap();
    assert!(page.contains(body_html), "the page holds the fragment");
    assert!(page.starts_with(
        "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"fr-FR\""
    ));
    assert!(page.contains("<title>Document de test canonique</title>"));
    assert!(
        page.contains("span.smallcaps"),
        "the default stylesheet is embedded"
    );
}

fn fixture(name: &str) -> Pandoc {
    read(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name),
    )
}

/// A small template that shows the variables the options set.
fn with_template(template: &str, options: HtmlOptions) -> HtmlOptions {
    HtmlOptions {
        template: Some((template.into(), "test-template".into())),
        ..options
    }
}

#[test]
fn headers_numbered_with_toc() {
    let options = with_template(
        "$if(toc)$<nav>\n$if(toc-title)$<h2>$toc-title$</h2>$endif$\n$table-of-contents$\n</nav>\n$endif$$body$\n",
        HtmlOptions {
            toc: true,
            number_sections: true,
            toc_title: Some("Sommaire & co".into()),
            ..HtmlOptions::default()
        },
    );
    insta::assert_snapshot!(render(&fixture("headers.json"), &options));
}

/// A div made a heading's `<section>` carries the heading's number, and the
/// table of contents links to the section's id (the div's when the heading
/// has none), as pandoc's `--number-sections --toc`.
#[test]
fn div_sections_numbered_with_toc() {
    let options = with_template(
        "<nav>\n$table-of-contents$\n</nav>\n$body$\n",
        HtmlOptions {
            toc: true,
            number_sections: true,
            ..HtmlOptions::default()
        },
    );
    let mut html = render(&fixture("div-heading-section.json"), &options);
    assert!(
        html.contains(
            "<section id=\"titre-encadre\" class=\"important encadre\" lang=\"fr\" data-number=\"1\">"
        ),
        "{html}"
    );
    let ids = render(&fixture("div-heading-section-ids.json"), &options);
    assert!(ids.contains("<a href=\"#div-id\""), "{ids}");
    assert!(ids.contains("<a href=\"#box\""), "{ids}");
    html.push_str(&ids);
    insta::assert_snapshot!(html);
}

#[test]
fn toc_depth_limits_the_listed_levels() {
    let options = with_template(
        "$table-of-contents$\n",
        HtmlOptions {
            toc: true,
            toc_depth: 1,
            ..HtmlOptions::default()
        },
    );
    let html = render(&fixture("headers.json"), &options);
    assert!(html.contains("toc-premier"));
    assert!(!html.contains("toc-trois"), "{html}");
}

#[test]
fn mathjax_writes_tex_and_the_script() {
    let options = with_template(
        "$math$\n$body$\n",
        HtmlOptions {
            math: MathMethod::MathJax("https://cdn.example/mathjax.js".into()),
            ..HtmlOptions::default()
        },
    );
    insta::assert_snapshot!(render(&fixture("math.json"), &options));
}

/// `--mathml`: every formula the converter knows is a `<math>` element
/// (no span, the TeX kept as annotation), numbered equations counted through
/// the document; one it does not know falls back to plain HTML, then TeX,
/// with one warning.
#[test]
fn mathml_writes_formulas_as_math_elements() {
    let options = HtmlOptions {
        math: MathMethod::MathMl,
        ..fragment()
    };
    let mut html = render(&fixture("math.json"), &options);
    html.push_str(&render(&fixture("math-converted.json"), &options));
    assert!(
        html.contains("<annotation encoding=\"application/x-tex\">a \\wedge b"),
        "{html}"
    );
    assert_eq!(html.matches("--- warning").count(), 1, "{html}");
    assert!(
        html.contains("could not convert TeX math \"\\vect{v}\""),
        "{html}"
    );
    insta::assert_snapshot!(html);
}

/// Every formula of the repository's fixtures that pandoc's texmath makes
/// MathML of is MathML here too.
#[test]
fn mathml_converts_every_fixture_formula_texmath_converts() {
    let options = HtmlOptions {
        math: MathMethod::MathMl,
        ..fragment()
    };
    for path in json_fixtures() {
        let html = render(&read(&path), &options);
        for line in html
            .lines()
            .filter(|l| l.starts_with("--- warning: could not convert TeX math"))
        {
            // Macros of the document's own, which texmath does not know either.
            assert!(
                ["\\vect", "\\K\"", "`y`", "\\R\""]
                    .iter()
                    .any(|m| line.contains(m)),
                "{}: {line}",
                path.display()
            );
        }
    }
}

#[test]
fn highlight_styles_change_the_stylesheet_not_the_markup() {
    let doc = fixture("code.json");
    let mut bodies = BTreeSet::new();
    let mut styles = BTreeSet::new();
    for style in ast2html::HighlightStyle::ALL {
        let options = HtmlOptions {
            highlight_style: Some(style),
            ..HtmlOptions::default()
        };
        let page = render(&doc, &options);
        let body_start = page.find("<body>").unwrap();
        bodies.insert(page[body_start..].to_string());
        styles.insert(page[..body_start].to_string());
    }
    assert_eq!(bodies.len(), 1);
    assert_eq!(styles.len(), ast2html::HighlightStyle::ALL.len());
}

#[test]
fn no_highlighting_leaves_code_plain() {
    let options = HtmlOptions {
        highlight_style: None,
        ..fragment()
    };
    let html = render(&fixture("code.json"), &options);
    assert!(!html.contains("<span class=\"kw\">"), "{html}");
    assert!(
        html.contains("<pre class=\"python\" tabindex=\"0\"><code>def f(x):"),
        "{html}"
    );
    // Line numbers stay: the text refers to them.
    assert!(html.contains("numberSource"), "{html}");
}

/// The page's head for audits (Lighthouse, axe): a description from the
/// metadata or the first paragraph, and an icon that needs no request.
#[test]
fn the_head_has_a_description_and_an_inline_icon() {
    let md = |meta: &str, body: &str| {
        let mut doc = read(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/code.json"));
        doc.meta.clear();
        for (key, value) in [("description", meta), ("title", "T")] {
            if !value.is_empty() {
                doc.meta
                    .insert(key.into(), ast::MetaValue::MetaString(value.into()));
            }
        }
        doc.blocks.insert(
            0,
            Block::Para(vec![
                Inline::Str(body.into()),
                Inline::SoftBreak,
                Inline::Str("suite".into()),
            ]),
        );
        render(&doc, &HtmlOptions::default())
    };
    let from_paragraph = md("", "Premier\u{a0}« paragraphe »");
    assert!(
        from_paragraph.contains(
            "<meta name=\"description\" content=\"Premier\u{a0}« paragraphe » suite\" />"
        ),
        "{from_paragraph}"
    );
    assert!(from_paragraph.contains("<link rel=\"icon\" href=\"data:,\" />"));
    let long = "mot ".repeat(60);
    let shortened = md("", &long);
    let start = shortened.find("name=\"description\" content=\"").unwrap() + 29;
    let content = &shortened[start..start + shortened[start..].find('"').unwrap()];
    assert!(
        content.ends_with("mot…") && content.chars().count() <= 160,
        "{content}"
    );
    let given = md("Ce que dit \"description\"", "ignoré");
    assert!(
        given.contains(
            "<meta name=\"description\" content=\"Ce que dit &quot;description&quot;\" />"
        ),
        "{given}"
    );
}

#[test]
fn variables_and_metadata_fill_the_template() {
    let doc = read(canonical_path());
    let options = with_template(
        "$title$|$for(author)$$author$$sep$, $endfor$|$version$|$extra$|$lang$|$for(css)$[$css$]$endfor$\n",
        HtmlOptions {
            variables: vec![("extra".into(), "<b>raw</b>".into()), ("lang".into(), "en".into())],
            css: vec!["a b.css".into(), "https://example.org/s.css".into()],
            ..HtmlOptions::default()
        },
    );
    insta::assert_snapshot!(render(&doc, &options));
}

#[test]
fn a_bad_template_is_an_error_with_a_position() {
    let options = with_template("$if(x)$ never closed\n", HtmlOptions::default());
    let mut out = String::new();
    let err = write_html(&read(canonical_path()), &options, &mut out).unwrap_err();
    assert!(err.to_string().starts_with("test-template:1:"), "{err}");
    assert_eq!(err.exit_code(), ast::exit::DATAERR);
}

#[test]
fn embed_resources_inlines_local_images() {
    let doc = read(canonical_path());
    let options = HtmlOptions {
        embed_resources: true,
        resource_path: vec![canonical_path().parent().unwrap().to_path_buf()],
        ..fragment()
    };
    let html = render(&doc, &options);
    assert!(
        html.contains("<img src=\"data:image/png;base64,iVBORw0KGgo"),
        "{html}"
    );
    assert!(!html.contains("media/schema.png"));

    let missing = HtmlOptions {
        resource_path: vec!["/nonexistent".into()],
        ..options
    };
    let html = render(&doc, &missing);
    assert!(html.contains("<img src=\"media/schema.png\""));
    assert!(html.contains("--- warning: image \"media/schema.png\": no such file or directory, linked instead of embedded"), "{html}");
}

// ---------------------------------------------------------------------------
// Every Block and Inline variant has a rendering test.
// ---------------------------------------------------------------------------

/// The JSON fixtures and the canonical document.
fn json_fixtures() -> Vec<std::path::PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.push(canonical_path().to_path_buf());
    paths
}

#[test]
fn every_variant_has_a_rendering_test() {
    let mut seen = BTreeSet::new();
    let paths = json_fixtures();
    for path in paths {
        let doc = read(&path);
        ast::query_blocks(&doc, |b| {
            seen.insert(b.tag());
        });
        ast::query_inlines(&doc, |i| {
            seen.insert(i.tag());
        });
    }
    let all: Vec<&str> = Block::TAGS.iter().chain(&Inline::TAGS).copied().collect();
    let missing: Vec<_> = all.iter().filter(|v| !seen.contains(*v)).collect();
    assert!(
        missing.is_empty(),
        "variants without a rendering fixture: {missing:?}"
    );
    assert_eq!(seen.len(), all.len(), "seen {seen:?}");
}

/// Deeply nested documents render on a test thread's small stack.
#[test]
fn deep_nesting_does_not_overflow_the_stack() {
    const DEPTH: usize = 50_000;
    let mut inline = Inline::Str("x".into());
    let mut block = Block::Plain(vec![]);
    for _ in 0..DEPTH {
        inline = Inline::Emph(vec![inline]);
        block = Block::BlockQuote(vec![block]);
    }
    let doc = Pandoc::new(Default::default(), vec![Block::Para(vec![inline]), block]);
    let mut html = String::new();
    write_html(&doc, &fragment(), &mut html).expect("renders");
    assert_eq!(html.matches("<em>").count(), DEPTH);
    assert_eq!(html.matches("</blockquote>").count(), DEPTH);
    // Read from JSON on a thread, rendered and freed on this one: the same.
    let json = ast::to_json_string(&doc);
    let mut streamed = String::new();
    ast2html::write_html_from_json(json.as_bytes(), None, &fragment(), &mut streamed)
        .expect("renders");
    assert!(streamed == html, "the streamed page differs");
    // Cut short after the deep blocks: they are freed by the reader.
    let mut html = String::new();
    let cut = &json.as_bytes()[..json.len() - 2];
    assert!(ast2html::write_html_from_json(cut, None, &fragment(), &mut html).is_err());
}

#[test]
fn embed_resources_inlines_local_stylesheets_and_links_remote_ones() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("extra.css"),
        "p { color: teal; } /* </style> */",
    )
    .unwrap();
    let options = HtmlOptions {
        embed_resources: true,
        resource_path: vec![dir.path().to_path_buf()],
        css: vec!["extra.css".into(), "https://example.org/remote.css".into()],
        variables: vec![("styles".into(), String::new())],
        ..HtmlOptions::default()
    };
    let html = render(&fixture("blocks.json"), &options);
    assert!(
        html.contains("<style>\np { color: teal; } /* <\\/style> */\n  </style>"),
        "{html}"
    );
    assert!(html.contains("<link rel=\"stylesheet\" href=\"https://example.org/remote.css\" />"));
    assert!(!html.contains("extra.css"));
}

#[test]
fn embedded_stylesheet_cannot_close_style_in_any_case() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("upper.css"),
        "p { color: teal; } /* </STYLE><script>alert(1)</script> </Style > */",
    )
    .unwrap();
    let options = HtmlOptions {
        embed_resources: true,
        resource_path: vec![dir.path().to_path_buf()],
        css: vec!["upper.css".into()],
        variables: vec![("styles".into(), String::new())],
        ..HtmlOptions::default()
    };
    let html = render(&fixture("blocks.json"), &options);
    assert!(
        html.contains("/* <\\/STYLE><script>alert(1)</script> <\\/Style > */"),
        "{html}"
    );
    assert!(
        !html.to_ascii_lowercase().contains("</style><script>"),
        "{html}"
    );
}

#[test]
fn nul_in_text_becomes_replacement_character() {
    let doc = Pandoc::new(
        Default::default(),
        vec![Block::Para(vec![Inline::Str("a\0b".into())])],
    );
    let html = render(&doc, &fragment());
    assert_eq!(html, "<p>a\u{fffd}b</p>\n");
}

/// A span past the table's end makes HTML add rows or columns; pandoc's
/// table normalisation clamps it silently, here with a warning.
#[test]
fn table_spans_clamped_to_the_columns_and_rows_left() {
    let html = render(
        &fixture("table-spans-and-widths-out-of-range.json"),
        &fragment(),
    );
    let markup = html.split("--- warning").next().unwrap();
    assert!(!markup.contains("9223372036854775807"), "{html}");
    let body_start = html.find("<tbody>").unwrap();
    assert_eq!(
        &html[body_start..html.find("</tbody>").unwrap()],
        "<tbody>\n<tr>\n<td rowspan=\"3\" style=\"text-align: left;\">a</td>\n\
         <td colspan=\"2\">b</td>\n</tr>\n<tr>\n<td colspan=\"2\">c</td>\n</tr>\n\
         <tr>\n<td>d</td>\n<td style=\"text-align: right;\">e</td>\n</tr>\n",
        "the same spans and alignments as pandoc"
    );
    assert!(html.contains(
        "--- warning: table cell rowspan 9223372036854775807 is more than the 3 rows left: rowspan 3 used\n"
    ));
    assert!(html.contains(
        "--- warning: table cell colspan 9223372036854775807 is more than the 2 columns left: colspan 2 used\n"
    ));
    // Column 1 is covered by the rowspan: only two columns are left for `c`.
    assert!(html.contains(
        "--- warning: table cell colspan 3 is more than the 2 columns left: colspan 2 used\n"
    ));
}

#[test]
fn table_column_widths_out_of_range_use_the_default() {
    let mut doc = fixture("table-spans-and-widths-out-of-range.json");
    let html = render(&doc, &fragment());
    assert!(
        html.contains("<colgroup>\n<col />\n<col style=\"width: 25%\" />\n<col />\n</colgroup>"),
        "{html}"
    );
    assert!(html.contains(
        "--- warning: table column 1 has width -0.5, not a fraction between 0 and 1: default width used\n"
    ));
    let Some(Block::Table(table)) = doc.blocks.first_mut() else {
        panic!("the fixture is a table")
    };
    for (colspec, width) in table
        .colspecs
        .iter_mut()
        .zip([f64::NAN, f64::INFINITY, 1.5])
    {
        colspec.1 = ast::ColWidth::ColWidth(width);
    }
    let html = render(&doc, &fragment());
    assert!(!html.contains("<colgroup>"), "{html}");
    assert!(
        !html.split("--- warning").next().unwrap().contains("width"),
        "{html}"
    );
    for (column, width) in [(1, "NaN"), (2, "inf"), (3, "1.5")] {
        assert!(
            html.contains(&format!(
                "table column {column} has width {width}, not a fraction"
            )),
            "{html}"
        );
    }
}

/// Pandoc writes any `start` as it is; nothing adds to it, nothing overflows.
#[test]
fn ordered_list_start_at_integer_limits() {
    for (start, written) in [
        (i64::MAX, " start=\"9223372036854775807\""),
        (i64::MIN, " start=\"-9223372036854775808\""),
        (0, " start=\"0\""),
        (1, ""),
    ] {
        let doc = Pandoc::new(
            Default::default(),
            vec![Block::OrderedList(
                ast::ListAttributes {
                    start,
                    style: ast::ListNumberStyle::Decimal,
                    delim: ast::ListNumberDelim::Period,
                },
                vec![vec![Block::Plain(vec![Inline::Str("x".into())])]],
            )],
        );
        assert_eq!(
            render(&doc, &fragment()),
            format!("<ol{written} type=\"1\">\n<li>x</li>\n</ol>\n")
        );
    }
}

/// A numbered heading writes its own `data-number`: a key-value one is left
/// out, with a warning, as the other attributes the writer writes itself
/// (see the fixture `attributes-duplicating-the-writers-own`).
#[test]
fn attributes_duplicating_the_heading_number() {
    let doc: Pandoc = ast::read_json(
        r#"{"pandoc-api-version":[1,23,1],"meta":{},"blocks":[{"t":"Header","c":[2,["h",[],[["data-number","9"]]],[{"t":"Str","c":"Titre"}]]}]}"#,
    )
    .unwrap();
    let options = HtmlOptions {
        number_sections: true,
        ..fragment()
    };
    assert_eq!(
        render(&doc, &options),
        "<h2 id=\"h\" data-number=\"0.1\"><span class=\"header-section-number\">0.1</span> Titre</h2>\n\
         --- warning: attribute data-number=\"9\" left out: the element already has its own data-number\n"
    );
}

/// HTML has six heading levels: a deeper one is a paragraph of class
/// `heading` (as pandoc writes it), and the warning says so.
#[test]
fn heading_level_beyond_six_is_a_paragraph_with_a_warning() {
    let doc: Pandoc = ast::read_json(
        r#"{"pandoc-api-version":[1,23,1],"meta":{},"blocks":[{"t":"Header","c":[7,["deep",["x"],[]],[{"t":"Str","c":"Sept"}]]}]}"#,
    )
    .unwrap();
    assert_eq!(
        render(&doc, &fragment()),
        "<p id=\"deep\" class=\"heading x\">Sept</p>\n\
         --- warning: heading level 7 written as a paragraph of class \"heading\"\n"
    );
}

/// Metadata that the template puts in attribute values (`css`, `lang`,
/// `dir`, `keywords`) cannot open an attribute: found by the ast2html fuzz
/// target (fuzz/regressions/ast2html).
#[test]
fn metadata_in_attributes_cannot_open_an_attribute() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/security");
    for name in [
        "css-metadata-span-breaks-href.json",
        "css-metadata-string-quote-breaks-href.json",
    ] {
        let doc = read(&dir.join(name));
        let page = render(&doc, &HtmlOptions::default());
        let link = page
            .lines()
            .find(|l| l.contains("<link rel=\"stylesheet\""))
            .unwrap_or_else(|| panic!("{name}: the css metadata gives a link"));
        // One attribute value, its quotes escaped: nothing after it but the end of the tag.
        let href = link.split("href=\"").nth(1).unwrap();
        let (_value, rest) = href.split_once('"').unwrap();
        assert_eq!(rest.trim(), "/>", "{name}: {link}");
    }
}

/// `--sanitize` leaves out raw HTML, event handlers and script URLs, however
/// they are spelt; without it, raw HTML passes through as pandoc's does.
#[test]
fn sanitize_leaves_out_raw_html_handlers_and_script_urls() {
    let json = r#"{"pandoc-api-version":[1,23,1],"meta":{},"blocks":[
      {"t":"RawBlock","c":["html","<script>alert(1)</script>"]},
      {"t":"Para","c":[
        {"t":"Link","c":[["",[],[]],[{"t":"Str","c":"a"}],[" JaVa\tScript:alert(2)",""]]},
        {"t":"Span","c":[["",[],[["onclick","alert(3)"],["ONMOUSEOVER","x"],["title","ok"]]],[{"t":"Str","c":"b"}]]},
        {"t":"Image","c":[["",[],[]],[],["data:text/html;base64,PHNjcmlwdD4=",""]]},
        {"t":"RawInline","c":["html","<img src=x onerror=alert(4)>"]},
        {"t":"Link","c":[["",[],[]],[{"t":"Str","c":"ok"}],["https://example.org/",""]]}
      ]}]}"#;
    let doc = ast::read_json(json).unwrap();
    let safe = render(
        &doc,
        &HtmlOptions {
            sanitize: true,
            ..fragment()
        },
    );
    // The test's render() appends the warnings after the HTML: they quote what was left out.
    let safe = safe.split("\n--- warning").next().unwrap();
    assert!(safe.contains("<span title=\"ok\">b</span>"), "{safe}");
    for bad in [
        "<script",
        "alert",
        "onclick",
        "ONMOUSEOVER",
        "onerror",
        "data:text/html",
    ] {
        assert!(!safe.contains(bad), "{bad} left in:\n{safe}");
    }
    assert!(
        safe.contains("title=\"ok\"") && safe.contains("https://example.org/"),
        "{safe}"
    );
    let raw = render(&doc, &fragment());
    assert!(raw.contains("<script>alert(1)</script>"), "{raw}");
}

// ---------------------------------------------------------------------------
// Streaming: the blocks given in batches give the same page.
// ---------------------------------------------------------------------------

/// The page and warnings from an `HtmlWriter` given the blocks `size` at a time.
fn render_in_batches(doc: &Pandoc, options: &HtmlOptions, size: usize) -> String {
    let mut writer = ast2html::HtmlWriter::new(options).expect("template parses");
    for batch in doc.blocks.chunks(size) {
        writer.write_blocks(batch);
    }
    let mut html = String::new();
    for w in writer.finish(&doc.meta, &mut html).expect("renders") {
        html.push_str(&format!("--- warning: {}\n", w.message));
    }
    html
}

#[test]
fn batches_of_blocks_give_the_same_page_as_the_whole_document() {
    let paths = json_fixtures();
    let standalone = HtmlOptions {
        toc: true,
        number_sections: true,
        ..HtmlOptions::default()
    };
    for path in paths {
        let doc = read(&path);
        for options in [&standalone, &fragment()] {
            let whole = render(&doc, options);
            for size in [1, 2, 3] {
                assert_eq!(
                    render_in_batches(&doc, options, size),
                    whole,
                    "{} in batches of {size}",
                    path.display()
                );
            }
        }
    }
}

/// Blocks left out (raw LaTeX) at the edges of batches: the newlines
/// between blocks, notes, the first heading as the page title and the
/// section numbers carry over from batch to batch.
#[test]
fn blocks_left_out_at_batch_edges_keep_the_newlines_of_the_whole_document() {
    let tex = || Block::RawBlock(ast::Format("tex".into()), "\\newpage".into());
    let para = |s: &str| {
        Block::Para(vec![
            Inline::Str(s.into()),
            Inline::Note(vec![Block::Para(vec![Inline::Str(format!("note {s}"))])]),
        ])
    };
    let header = |s: &str| {
        Block::Header(
            1,
            ast::Attr {
                id: s.into(),
                ..ast::Attr::default()
            },
            vec![Inline::Str(s.into())],
        )
    };
    let doc = Pandoc::new(
        Default::default(),
        vec![
            tex(),
            para("a"),
            tex(),
            tex(),
            header("titre"),
            para("b"),
            tex(),
            header("suite"),
            tex(),
        ],
    );
    let standalone = HtmlOptions {
        toc: true,
        number_sections: true,
        ..HtmlOptions::default()
    };
    for options in [&standalone, &fragment()] {
        let whole = render(&doc, options);
        for size in 1..=doc.blocks.len() {
            assert_eq!(
                render_in_batches(&doc, options, size),
                whole,
                "batches of {size}"
            );
        }
    }
    let whole = render(&doc, &fragment());
    // As with pandoc, a block left out leaves no empty line, first or not.
    assert!(whole.starts_with("<p>a<a href=\"#fn1\""), "{whole}");
    assert!(render(&doc, &standalone).contains("<title>titre</title>"));
}

/// The binary's path: JSON read on one thread, rendered on another.
#[test]
fn json_read_on_a_thread_gives_the_same_page() {
    let canonical = read(canonical_path());
    // Several batches of blocks: the canonical blocks over and over.
    let mut long = Pandoc::new(canonical.meta.clone(), Vec::new());
    while long.blocks.len() < 300 {
        long.blocks.extend(canonical.blocks.iter().cloned());
    }
    let options = HtmlOptions {
        toc: true,
        number_sections: true,
        ..HtmlOptions::default()
    };
    for doc in [&canonical, &long] {
        let json = ast::to_json_string(doc);
        for options in [&options, &fragment()] {
            let mut html = String::new();
            let warnings =
                ast2html::write_html_from_json(json.as_bytes(), None, options, &mut html)
                    .expect("renders");
            for w in warnings {
                html.push_str(&format!("--- warning: {}\n", w.message));
            }
            assert_eq!(html, render(doc, options));
        }
    }
}

#[test]
fn json_errors_after_the_first_blocks_say_where() {
    let mut json = ast::to_json_string(&read(canonical_path()));
    json.truncate(json.len() - 40);
    json.push_str("{\"t\":\"Nope\"}]}");
    let mut html = String::new();
    let err =
        ast2html::write_html_from_json(json.as_bytes(), None, &fragment(), &mut html).unwrap_err();
    assert_eq!(err.exit_code(), ast::exit::DATAERR, "{err}");
    assert!(err.to_string().contains("1:"), "{err}");
    assert!(html.is_empty(), "nothing is written on an error");
}

//! Snapshots of the LaTeX written for the construct fixtures and for the
//! canonical test document, and a check that every AST variant is covered.

use std::collections::BTreeSet;
use std::path::Path;

use ast::{Block, Inline, Pandoc};
use ast2latex::{write_latex, LatexOptions};

fn read(path: &Path) -> Pandoc {
    let text = std::fs::read_to_string(path).unwrap();
    ast::read_json(&text).unwrap()
}

/// The LaTeX and the warnings, as one snapshot.
fn render(doc: &Pandoc, options: &LatexOptions) -> String {
    let mut latex = String::new();
    let warnings = write_latex(doc, options, &mut latex).unwrap();
    let mut out = latex;
    if !warnings.is_empty() {
        out.push_str("\n----- warnings -----\n");
        for w in warnings {
            out.push_str(&w.message);
            out.push('\n');
        }
    }
    out
}

#[test]
fn constructs() {
    let options = LatexOptions {
        standalone: false,
        ..Default::default()
    };
    insta::glob!("fixtures/*.json", |path| {
        insta::assert_snapshot!(render(&read(path), &options));
    });
}

fn canonical() -> Pandoc {
    read(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/canonical/canonical.json"))
}

#[test]
fn canonical_document() {
    let options = LatexOptions {
        toc: true,
        number_sections: true,
        ..Default::default()
    };
    insta::assert_snapshot!(render(&canonical(), &options));
}

#[test]
fn variables_override_metadata_and_options_set_the_template() {
    let options = LatexOptions {
        toc: true,
        toc_title: Some("Sommaire & plan".into()),
        variables: vec![
            ("title".into(), "Autre titre".into()),
            ("fontfamily".into(), "tgpagella".into()),
            ("fontsize".into(), "12pt".into()),
            ("classoption".into(), "oneside".into()),
            ("colorlinks".into(), String::new()),
        ],
        highlight_style: ast2latex::find_style("tango"),
        ..Default::default()
    };
    let latex = render(&canonical(), &options);
    assert!(
        latex.contains("\\documentclass[a4paper,oneside,12pt]{article}"),
        "{latex}"
    );
    assert!(latex.contains("{\\Huge\\bfseries Autre titre\\par}"));
    assert!(latex.contains("\\renewcommand*\\contentsname{Sommaire \\& plan}"));
    assert!(latex.contains("\\setmainfont{texgyrepagella}"));
    assert!(latex.contains("hidelinks"));
    assert!(latex.contains("\\setcounter{secnumdepth}{-\\maxdimen}"));
    // tango has a background colour: the code is shaded.
    assert!(latex.contains("\\definecolor{shadecolor}{HTML}{F8F8F8}"));
}

#[test]
fn title_page_leaves_out_an_empty_author() {
    // `% A; ; B`: an empty author between two others would end a line that
    // is not there (`\\` after `\\` in the centred title page).
    let doc = read(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/title-block-empty-author.json"),
    );
    let latex = render(&doc, &LatexOptions::default());
    assert!(latex.contains("{\\large A\\\\\nB\\par}"), "{latex}");
    assert!(latex.contains("pdfauthor={A, B}"), "{latex}");
}

#[test]
fn custom_template_in_pandoc_syntax() {
    let template = "$if(title)$T=$title$\n$endif$$for(author)$A=$author$$sep$;$endfor$\n$body$\n";
    let options = LatexOptions {
        template: Some((template.into(), "t.latex".into())),
        ..Default::default()
    };
    let doc = ast::read_json(
        r#"{"pandoc-api-version":[1,23,1],"meta":{"title":{"t":"MetaInlines","c":[{"t":"Str","c":"50%"}]},
        "author":{"t":"MetaList","c":[{"t":"MetaInlines","c":[{"t":"Str","c":"A_B"}]},{"t":"MetaString","c":"C&D"}]}},
        "blocks":[{"t":"Para","c":[{"t":"Str","c":"x"}]}]}"#,
    )
    .unwrap();
    assert_eq!(render(&doc, &options), "T=50\\%\nA=A\\_B;A=C\\&D\nx\n");
}

#[test]
fn bad_template_is_an_error_not_a_panic() {
    let options = LatexOptions {
        template: Some(("$if(x)$ never closed".into(), "bad.latex".into())),
        ..Default::default()
    };
    let err = write_latex(&canonical(), &options, &mut String::new()).unwrap_err();
    assert!(err.to_string().contains("bad.latex"), "{err}");
}

#[test]
fn every_variant_has_a_construct_fixture() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut seen = BTreeSet::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "json") {
            let doc = read(&path);
            ast::query_blocks(&doc.blocks, |b| {
                seen.insert(b.tag());
            });
            ast::query_inlines(&doc.blocks, |i| {
                seen.insert(i.tag());
            });
        }
    }
    let missing: Vec<&&str> = Block::TAGS
        .iter()
        .chain(&Inline::TAGS)
        .filter(|n| !seen.contains(**n))
        .collect();
    assert!(
        missing.is_empty(),
        "variants with no fixture in {}: {missing:?}",
        dir.display()
    );
}

/// The control sequences that escaping writes for text: any other in the
/// LaTeX of a `Str` would have come from the text itself.
const ESCAPE_COMMANDS: &[&str] = &[
    "textbackslash",
    "textasciitilde",
    "textquotesingle",
    "textasciigrave",
    "/",
    "textbar",
    "textless",
    "textgreater",
    "ldots",
    "nnbsp",
    "checkmark",
    "square",
    "boxtimes",
    "times",
    "rightarrow",
    "leftarrow",
    "Rightarrow",
    "leq",
    "geq",
    "neq",
    "infty",
    "{",
    "}",
    "$",
    "%",
    "&",
    "#",
    "_",
    "^",
    ",",
    "(",
    ")",
];

/// Reads `latex` as TeX does: fails on a control sequence escaping does not
/// write, an unbalanced brace, or a comment character.
fn check_only_escape_commands(latex: &str) -> Result<(), String> {
    let mut chars = latex.chars().peekable();
    let mut depth = 0usize;
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let mut name = String::new();
                while let Some(&l) = chars.peek().filter(|l| l.is_ascii_alphabetic()) {
                    name.push(l);
                    chars.next();
                }
                if name.is_empty() {
                    name.extend(chars.next());
                }
                if !ESCAPE_COMMANDS.contains(&name.as_str()) {
                    return Err(format!("control sequence \\{name} in {latex:?}"));
                }
            }
            '{' => depth += 1,
            '}' => {
                depth = depth
                    .checked_sub(1)
                    .ok_or_else(|| format!("unbalanced }} in {latex:?}"))?;
            }
            '%' | '#' | '$' | '&' | '_' | '^' => {
                return Err(format!("unescaped {c} in {latex:?}"));
            }
            _ => {}
        }
    }
    if depth == 0 {
        Ok(())
    } else {
        Err(format!("unbalanced {{ in {latex:?}"))
    }
}

fn body_of_str(text: &str) -> String {
    let mut doc = Pandoc::default();
    doc.blocks = vec![Block::Para(vec![Inline::Str(text.into())])];
    let options = LatexOptions {
        standalone: false,
        ..Default::default()
    };
    let mut latex = String::new();
    write_latex(&doc, &options, &mut latex).unwrap();
    latex
}

proptest::proptest! {
    /// Raw LaTeX is the only way to write TeX: whatever a `Str` holds
    /// (backslashes, braces, every special), its LaTeX runs no command of its own.
    #[test]
    fn str_content_never_injects_tex(
        text in r"(\\[a-zA-Z@]{0,8}|[ -~]|\PC|\n|[\x00-\x1f\x7f])*"
    ) {
        let latex = body_of_str(&text);
        proptest::prop_assert!(!latex.trim_end().contains("\n\n"), "paragraph break from {text:?}");
        if let Err(message) = check_only_escape_commands(&latex) {
            proptest::prop_assert!(false, "{}", message);
        }
    }
}

#[test]
fn injection_check_catches_a_command() {
    assert!(check_only_escape_commands("a\\input{x}").is_err());
    assert!(check_only_escape_commands("a}").is_err());
    assert!(check_only_escape_commands("50%").is_err());
    assert!(check_only_escape_commands(&body_of_str("\\input{/etc/passwd} 50% {")).is_ok());
}

/// `header-includes` loading babel: polyglossia, which clashes with it, is
/// left out; babel gets the document's languages, those the text switches
/// to are provided when the user's options leave them out, babel's French
/// spacing is off (ast-filters places the spaces), and the switches use
/// babel's names (pandoc's: `nswissgerman`, `ngerman`).
#[test]
fn babel_in_header_includes_replaces_polyglossia() {
    let doc = read(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/lang-div-span-babel.json"),
    );
    let latex = render(&doc, &LatexOptions::default());
    assert!(!latex.contains("\\usepackage{polyglossia}"), "{latex}");
    assert!(!latex.contains("\\setdefaultlanguage"), "{latex}");
    let options = latex.find("\\PassOptionsToPackage{french}{babel}").unwrap();
    let user = latex.find("\\usepackage[french]{babel}").unwrap();
    let provided = latex
        .find("\\@ifundefined{datenswissgerman}{\\babelprovide[import]{nswissgerman}}{}")
        .unwrap();
    let spacing = latex
        .find("\\frenchsetup{AutoSpacePunctuation=false}")
        .unwrap();
    let hyperref = latex.find("\\usepackage{hyperref}").unwrap();
    assert!(options < user && user < provided && provided < spacing && spacing < hyperref);
    for switch in [
        "\\begin{otherlanguage}{british}",
        "\\foreignlanguage{portuguese}{",
        "\\foreignlanguage{ngerman}{",
        "\\begin{otherlanguage}{american}",
    ] {
        assert!(latex.contains(switch), "{switch}\n{latex}");
    }
    assert!(!latex.contains("variant="), "{latex}");
    // The same document without babel: polyglossia, its names.
    let mut doc = doc;
    doc.meta.remove("header-includes");
    let latex = render(&doc, &LatexOptions::default());
    assert!(latex.contains("\\usepackage{polyglossia}"), "{latex}");
    assert!(latex.contains("\\foreignlanguage{german}{"), "{latex}");
    assert!(!latex.contains("{babel}"), "{latex}");
}

/// babel named in `-V header-includes=...` counts too; a comment or another
/// package whose name contains "babel" does not.
#[test]
fn babel_is_found_in_variables_and_not_in_comments() {
    let loads = |tex: &str| {
        ast2latex::header_includes_load_babel(
            &ast::Meta::new(),
            &[("header-includes".into(), tex.into())],
        )
    };
    assert!(loads("\\usepackage[english,french]{babel}"));
    assert!(loads("\\usepackage{babel}"));
    assert!(loads("\\RequirePackage [main=french] { csquotes, babel }"));
    assert!(loads("\\usepackage{x}\n\\usepackage{babel}"));
    assert!(!loads("% \\usepackage{babel}"));
    assert!(!loads("\\usepackage{babelbib}"));
    assert!(!loads("\\usepackagex{babel}"));
    assert!(!loads("\\% \\usepackage{polyglossia}"));
    assert!(loads("50\\% \\usepackage{babel}"));
}

//! PDFs built in-process with the embedded TeX bundle, checked with
//! poppler-utils (`pdfinfo`, `pdftotext`, `pdffonts`): text, fonts, pages, and
//! the widths of the French no-break spaces measured from glyph positions.
//!
//! Needs the bundle (`scripts/build-tex-bundle`, then a rebuild) and
//! poppler-utils; each test fails with a message saying so when missing.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;

use ast::{Block, Inline, Pandoc};
use ast2latex::{write_latex, LatexOptions};
use common::pdf_options;
use tex_engine::{compile_pdf, BundleSource};

mod common;

/// One compile at a time: they share the format cache and the machine.
static TEX: Mutex<()> = Mutex::new(());

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn canonical_dir() -> PathBuf {
    manifest_dir().join("../tests/fixtures/canonical")
}

fn latex_of(doc: &Pandoc, options: &LatexOptions) -> String {
    let mut latex = String::new();
    write_latex(doc, options, &mut latex).unwrap();
    latex
}

fn compile(latex: &str, resource_path: &Path) -> Result<Vec<u8>, ast::Error> {
    let _guard = TEX.lock().unwrap_or_else(|e| e.into_inner());
    compile_pdf(latex, &pdf_options(resource_path))
}

/// Runs a poppler tool on `pdf` and returns its standard output.
fn poppler(tool: &str, args: &[&str], pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("doc.pdf");
    std::fs::write(&path, pdf).unwrap();
    let output = Command::new(tool)
        .args(args)
        .arg(&path)
        .args(if tool == "pdftotext" {
            &["-"][..]
        } else {
            &[][..]
        })
        .output()
        .unwrap_or_else(|e| {
            panic!("cannot run {tool} ({e}): run `make setup` first (it installs poppler-utils)")
        });
    assert!(
        output.status.success(),
        "{tool} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

fn read(path: &Path) -> Pandoc {
    ast::read_json(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn canonical_pdf_has_its_text_embedded_fonts_and_pages() {
    let doc = read(&canonical_dir().join("canonical.json"));
    let options = LatexOptions {
        toc: true,
        number_sections: true,
        ..Default::default()
    };
    let pdf = compile(&latex_of(&doc, &options), &canonical_dir()).unwrap();

    let info = poppler("pdfinfo", &[], &pdf);
    let pages = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .map(|n| n.trim().parse::<u32>().unwrap());
    // Title page, abstract and contents, the text, the figure and tables.
    assert_eq!(pages, Some(4), "{info}");
    let field = |name: &str| {
        info.lines()
            .find_map(|l| l.strip_prefix(name))
            .map(|v| v.trim().to_string())
            .unwrap_or_default()
    };
    assert_eq!(field("Page size:"), "595.28 x 841.89 pts (A4)", "{info}");
    assert_eq!(field("Title:"), "Document de test canonique", "{info}");
    assert_eq!(field("Author:"), "Camille Durand, Alex Martin", "{info}");

    let text = poppler("pdftotext", &[], &pdf);
    // Lines break anywhere: compare with blanks collapsed.
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for expected in [
        "Document de test canonique",
        "Version : 1.1",
        "Table des matières",
        "1 Introduction",
        "L’équipe",
        "des petites capitales,",
        "def f(x):",
        "return x * 2 # « commentaire »",
        "Un schéma centré",
        "Légende du tableau",
        "Brut LATEX",
        "Le texte de la note, avec emphase.",
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} missing from the PDF text:\n{text}"
        );
    }
    // Line numbers of the numbered code block start at startFrom=10.
    assert!(text.contains("10"), "{text}");

    let fonts = poppler("pdffonts", &[], &pdf);
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(rows.len() >= 5, "{fonts}");
    for row in &rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        // name type... encoding emb sub uni id gen: emb is the 5th from the end.
        assert_eq!(cols[cols.len() - 5], "yes", "font not embedded: {row}");
        assert!(!row.contains("Type 3"), "bitmap font: {row}");
    }
    assert!(
        fonts.contains("LMRomanCaps10-Regular"),
        "small caps font missing:\n{fonts}"
    );
}

#[test]
fn font_family_size_and_class_variables_compile_from_the_bundle() {
    let doc = read(&canonical_dir().join("canonical.json"));
    for (family, font, size, class) in [
        ("tgpagella", "TeXGyrePagella", "11pt", "article"),
        ("tgtermes", "TeXGyreTermes", "12pt", "report"),
        ("tgheros", "TeXGyreHeros", "10pt", "book"),
    ] {
        let options = LatexOptions {
            variables: vec![
                ("fontfamily".into(), family.into()),
                ("fontsize".into(), size.into()),
                ("documentclass".into(), class.into()),
            ],
            ..Default::default()
        };
        let pdf = compile(&latex_of(&doc, &options), &canonical_dir())
            .unwrap_or_else(|e| panic!("{family} {size} {class}: {e}"));
        let fonts = poppler("pdffonts", &[], &pdf);
        assert!(fonts.contains(font), "{family}: {font} not in\n{fonts}");
    }
}

#[test]
fn same_input_gives_byte_identical_pdfs() {
    let doc = read(&canonical_dir().join("canonical.json"));
    let latex = latex_of(&doc, &LatexOptions::default());
    std::env::set_var("SOURCE_DATE_EPOCH", "1767225600");
    let first = compile(&latex, &canonical_dir()).unwrap();
    let second = compile(&latex, &canonical_dir()).unwrap();
    assert!(first == second, "two compiles of the same LaTeX differ");
}

/// A paragraph of a marker word and then `inlines`.
fn probe(marker: &str, text: &str) -> Block {
    Block::Para(vec![
        Inline::Str(marker.into()),
        Inline::Space,
        Inline::Str(text.into()),
    ])
}

/// Width in PDF points of the line that starts with `marker`, from the end of
/// the marker word to the end of the line, read from `pdftotext -bbox`.
fn line_width(bbox: &str, marker: &str) -> f64 {
    let words: Vec<(f64, f64, f64, String)> = bbox
        .lines()
        .filter_map(|l| {
            let l = l.trim();
            let attr = |name: &str| -> Option<f64> {
                let start = l.find(&format!("{name}=\""))? + name.len() + 2;
                l[start..].split('"').next()?.parse().ok()
            };
            let text = l.split('>').nth(1)?.split('<').next()?.to_string();
            Some((attr("xMin")?, attr("yMin")?, attr("xMax")?, text))
        })
        .collect();
    let i = words
        .iter()
        .position(|w| w.3 == marker)
        .unwrap_or_else(|| panic!("{marker} not in the PDF:\n{bbox}"));
    let (_, y, marker_end, _) = words[i];
    let end = words[i + 1..]
        .iter()
        .take_while(|w| (w.1 - y).abs() < 1.0)
        .map(|w| w.2)
        .fold(marker_end, f64::max);
    end - marker_end
}

#[test]
fn french_spaces_are_there_once_with_their_widths() {
    french_spaces_once(None);
}

/// With babel loaded by `header-includes` (in place of polyglossia), its
/// French spacing does not add to the filters' spaces either, nor puts one
/// in `10:30`; the figure's colon has its space.
#[test]
fn french_spaces_are_there_once_under_babel() {
    for babel in [
        "\\usepackage[french]{babel}",
        "\\usepackage[english,french]{babel}",
        "\\usepackage{babel}",
    ] {
        let bbox = french_spaces_once(Some(babel));
        assert!(
            bbox.contains(">10:30<"),
            "{babel}: a space in 10:30\n{bbox}"
        );
        assert!(
            bbox.contains(">Table</word>") && bbox.contains(">matières</word>"),
            "{babel}: not French (no \"Table des matières\")\n{bbox}"
        );
    }
}

/// Compiles the probes of the French spaces (and `header_includes`), checks
/// their widths, returns `pdftotext -bbox`.
fn french_spaces_once(header_includes: Option<&str>) -> String {
    // What ast-filters produces: U+00A0 before `:` and `!`, U+202F inside « ».
    let blocks = vec![
        probe("P1", "texte\u{A0}:"),
        probe("P2", "texte:"),
        probe("P3", "merci\u{A0}!"),
        probe("P4", "merci!"),
        probe("P5", "«\u{202F}prod\u{202F}»"),
        probe("P6", "«prod»"),
        probe("P7", "mot mot"),
        probe("P8", "motmot"),
        probe("P9", "10:30"),
    ];
    let mut meta = ast::Meta::new();
    meta.insert("lang".into(), ast::MetaValue::MetaString("fr-FR".into()));
    if let Some(tex) = header_includes {
        meta.insert(
            "header-includes".into(),
            ast::MetaValue::MetaBlocks(vec![Block::RawBlock(
                ast::Format("latex".into()),
                tex.into(),
            )]),
        );
    }
    let doc = Pandoc::new(meta, blocks);
    let options = LatexOptions {
        toc: true,
        ..Default::default()
    };
    let pdf = compile(&latex_of(&doc, &options), &canonical_dir()).unwrap();
    let bbox = poppler("pdftotext", &["-bbox"], &pdf);
    let width = |a: &str, b: &str| line_width(&bbox, a) - line_width(&bbox, b);
    // Latin Modern Roman 10 pt: an interword space is 3.333 pt (3.32 PDF
    // points); the narrow no-break space is 1/6 em, 1.66 points.
    let space = width("P7", "P8");
    assert!((space - 3.32).abs() < 0.1, "interword space {space:.3}");
    let before_colon = width("P1", "P2");
    assert!(
        (before_colon - space).abs() < 0.05,
        "space before ':' is {before_colon:.3} pt, expected {space:.3}"
    );
    let before_bang = width("P3", "P4");
    assert!(
        (before_bang - space).abs() < 0.05,
        "space before '!' is {before_bang:.3} pt, expected {space:.3}"
    );
    let guillemets = width("P5", "P6");
    eprintln!("measured: space {space:.3}, before ':' {before_colon:.3}, before '!' {before_bang:.3}, inside « » {guillemets:.3}");
    assert!(
        (guillemets - 2.0 * 1.66).abs() < 0.1,
        "the two spaces inside « » take {guillemets:.3} pt, expected 2 x 1.66"
    );
    bbox
}

#[test]
fn every_construct_fixture_compiles() {
    let dir = manifest_dir().join("../ast2latex/tests/fixtures");
    let mut blocks = Vec::new();
    let mut names: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    names.sort();
    for path in &names {
        let mut doc = read(path);
        blocks.append(&mut std::mem::take(&mut doc.blocks));
    }
    let mut doc = read(&canonical_dir().join("canonical.json"));
    doc.blocks = blocks;
    // The pictures of the image-path fixtures, in a second resource folder.
    let pictures = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(pictures.path().join("dossier")).unwrap();
    for name in ["dossier/50%.png", "a{b.png"] {
        std::fs::copy(
            canonical_dir().join("media/schema.png"),
            pictures.path().join(name),
        )
        .unwrap();
    }
    // A PDF of two pages for `page=2`.
    std::fs::create_dir_all(pictures.path().join("media")).unwrap();
    let pages = compile(
        "\\documentclass{article}\\begin{document}A\\newpage B\\end{document}\n",
        pictures.path(),
    )
    .unwrap();
    std::fs::write(pictures.path().join("media/pages.pdf"), pages).unwrap();
    let mut options = pdf_options(&canonical_dir());
    options.resource_path.push(pictures.path().to_path_buf());
    let pdf = {
        let _guard = TEX.lock().unwrap_or_else(|e| e.into_inner());
        compile_pdf(&latex_of(&doc, &LatexOptions::default()), &options).unwrap()
    };
    let text = poppler("pdftotext", &[], &pdf);
    assert!(text.contains("sur deux colonnes"), "{text}");
    assert!(text.contains("Guillemets"), "{text}");
}

#[test]
fn tex_errors_name_the_message_and_the_generated_line() {
    let latex =
        "\\documentclass{article}\n\\begin{document}\n\\section{Intro}\\label{intro}\n\\nosuchcommand\n\\end{document}\n";
    let err = compile(latex, &canonical_dir()).unwrap_err().to_string();
    assert!(err.contains("Undefined control sequence"), "{err}");
    assert!(err.contains("generated LaTeX:4:"), "{err}");
    assert!(err.contains("4 | \\nosuchcommand"), "{err}");
    assert!(err.contains("in the section \"Intro\""), "{err}");

    let latex = "\\documentclass{article}\n\\usepackage{nosuchpackage}\n\\begin{document}\nx\n\\end{document}\n";
    let err = compile(latex, &canonical_dir()).unwrap_err().to_string();
    assert!(err.contains("nosuchpackage.sty"), "{err}");

    let latex = "\\documentclass{article}\n\\usepackage{graphicx}\n\\begin{document}\n\\includegraphics{media/nosuch.png}\n\\end{document}\n";
    let err = compile(latex, &canonical_dir()).unwrap_err().to_string();
    assert!(err.contains("media/nosuch.png"), "{err}");
}

#[test]
fn characters_missing_from_the_fonts_are_warned_about() {
    let latex = "\\documentclass{article}\n\\begin{document}\nA\u{6F22}B\n\\end{document}\n";
    let _guard = TEX.lock().unwrap_or_else(|e| e.into_inner());
    let (pdf, warnings) =
        tex_engine::compile_pdf_with_warnings(latex, &pdf_options(&canonical_dir())).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    assert!(
        warnings.iter().any(|w| w.message.contains("U+6F22")),
        "{warnings:?}"
    );
}

#[test]
fn a_missing_bundle_is_an_error_not_a_panic() {
    let mut options = pdf_options(&canonical_dir());
    options.bundle = BundleSource::Path(PathBuf::from("/nonexistent/bundle.zip"));
    let err = compile_pdf("\\documentclass{article}", &options).unwrap_err();
    assert!(err.to_string().contains("/nonexistent/bundle.zip"), "{err}");
    let dir = tempfile::tempdir().unwrap();
    options.bundle = BundleSource::Path(dir.path().to_path_buf());
    let err = compile_pdf("\\documentclass{article}", &options).unwrap_err();
    assert!(err.to_string().contains("no SHA256SUM"), "{err}");
}

#[test]
fn cli_writes_the_pdf_atomically_and_keeps_a_good_one_on_failure() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("doc.pdf");
    let cache = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("ast2latex-format-cache");
    let run = |input: &Path| {
        let _guard = TEX.lock().unwrap_or_else(|e| e.into_inner());
        Command::new(env!("CARGO_BIN_EXE_ast2latex"))
            .arg("--quiet")
            .arg("--resource-path")
            .arg(canonical_dir())
            .arg("--cache-dir")
            .arg(&cache)
            .arg("--pdf")
            .arg(&out)
            .arg(input)
            .output()
            .unwrap()
    };
    let good = run(&canonical_dir().join("canonical.json"));
    assert!(
        good.status.success(),
        "{}",
        String::from_utf8_lossy(&good.stderr)
    );
    let before = std::fs::read(&out).unwrap();
    assert!(before.starts_with(b"%PDF-"));

    // A document whose image is missing: a clear error, exit 66, old PDF kept.
    let bad = dir.path().join("bad.json");
    std::fs::write(
        &bad,
        r#"{"pandoc-api-version":[1,23,1],"meta":{},"blocks":[{"t":"Para","c":[{"t":"Image","c":[["",[],[]],[],["media/absent.png",""]]}]}]}"#,
    )
    .unwrap();
    let failed = run(&bad);
    assert_eq!(failed.status.code(), Some(66));
    let stderr = String::from_utf8_lossy(&failed.stderr);
    assert!(stderr.contains("media/absent.png"), "{stderr}");
    assert_eq!(std::fs::read(&out).unwrap(), before);
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n.to_string_lossy().starts_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn nesting_past_latex_limits_compiles_flattened() {
    let doc = read(
        &manifest_dir()
            .join("../ast2latex/tests/fixtures/nesting-past-latex-limits-flattened.json"),
    );
    let mut latex = String::new();
    let warnings = write_latex(&doc, &LatexOptions::default(), &mut latex).unwrap();
    let messages: Vec<&str> = warnings.iter().map(|w| w.message.as_str()).collect();
    assert!(
        messages
            .iter()
            .any(|m| m.starts_with("bullet list nested 5 deep")
                && m.ends_with("(in section \"Puces sur cinq niveaux\")")),
        "{messages:#?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.starts_with("block quote inside 6 nested")
                && m.ends_with("(in section \"Citations sur sept niveaux\")")),
        "{messages:#?}"
    );
    let pdf = compile(&latex, &canonical_dir()).unwrap();
    let text = poppler("pdftotext", &[], &pdf);
    for level in 1..=12 {
        assert!(
            text.contains(&format!("Niveau {level}\n")),
            "level {level} missing: {text}"
        );
    }
    assert!(text.contains("Terme 10"), "{text}");
    // fancyvrb counts as one more list: code at the limit still compiles.
    assert!(text.contains("print('profond')"), "{text}");
    assert!(text.contains("sans couleur"), "{text}");
}

/// What of `text` comes out of pdftotext unchanged: letters, digits and the
/// specials that print as themselves (quotes, dashes, `!`, `?`, `,` and `<`
/// may form TeX ligatures; spaces move with line breaks).
fn comparable(text: &str) -> String {
    text.replace('\u{FB00}', "ff")
        .replace('\u{FB01}', "fi")
        .replace('\u{FB02}', "fl")
        .replace('\u{FB03}', "ffi")
        .replace('\u{FB04}', "ffl")
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || "#$%&_{}\\|[]@*+=/;:.()".contains(*c))
        .collect()
}

/// Any `Str` content compiles: every ASCII character at the start, middle
/// and end of a string and doubled, random ASCII and Unicode strings, in
/// headings, paragraphs and emphasis; all in one document compiled once.
#[test]
fn any_str_content_compiles_and_its_ascii_text_comes_back() {
    use proptest::strategy::{Strategy, ValueTree};
    use proptest::test_runner::TestRunner;

    let mut strings: Vec<String> = (0u8..=0x7f)
        .map(char::from)
        .map(|c| format!("{c}a{c}{c}b{c}"))
        .collect();
    let mut runner = TestRunner::deterministic();
    let ascii = r"[ -~]{1,24}".prop_map(|s| s);
    let unicode = r"\PC{1,12}".prop_map(|s| s);
    for _ in 0..20 {
        strings.push(ascii.new_tree(&mut runner).unwrap().current());
    }
    let unicode_start = strings.len();
    for _ in 0..10 {
        strings.push(unicode.new_tree(&mut runner).unwrap().current());
    }
    strings.push("\u{FEFF}\u{200B}\u{200E}\u{E000}\u{FFFD}\u{1F600}\u{301}x".into());

    let mut doc = read(&canonical_dir().join("canonical.json"));
    let mut blocks = vec![Block::RawBlock(
        ast::Format("latex".into()),
        "\\hyphenpenalty=10000 \\exhyphenpenalty=10000".into(),
    )];
    for (i, s) in strings.iter().enumerate() {
        blocks.push(Block::Header(
            2,
            ast::Attr::default(),
            vec![
                Inline::Str(format!("HZ{i}ZH")),
                Inline::Space,
                Inline::Str(s.clone()),
            ],
        ));
        blocks.push(Block::Para(vec![
            Inline::Str(format!("QZ{i}ZQ")),
            Inline::Space,
            Inline::Str(s.clone()),
            Inline::Space,
            Inline::Emph(vec![Inline::Str(s.clone())]),
            Inline::LineBreak,
            Inline::Str(s.clone()),
        ]));
        // Where TeX reads text as an argument: notes, links, terms, underlining.
        blocks.push(Block::Para(vec![
            Inline::Underline(vec![Inline::Str(s.clone())]),
            Inline::Strikeout(vec![Inline::Str(s.clone())]),
            Inline::Link(
                Box::default(),
                vec![Inline::Str(s.clone())],
                Box::new(ast::Target {
                    url: s.clone(),
                    title: s.clone(),
                }),
            ),
            Inline::Note(vec![Block::Para(vec![Inline::Str(s.clone())])]),
        ]));
        blocks.push(Block::DefinitionList(vec![(
            vec![Inline::Str(s.clone())],
            vec![vec![Block::Plain(vec![Inline::Str(s.clone())])]],
        )]));
    }
    doc.blocks = blocks;
    let latex = latex_of(&doc, &LatexOptions::default());
    let pdf = compile(&latex, &canonical_dir()).unwrap_or_else(|e| panic!("{e}\n{strings:?}"));
    let text = comparable(&poppler("pdftotext", &[], &pdf));
    for (i, s) in strings.iter().enumerate().take(unicode_start) {
        let heading = comparable(&format!("HZ{i}ZH{s}"));
        let para = comparable(&format!("QZ{i}ZQ{s}{s}{s}"));
        assert!(
            text.contains(&heading),
            "heading {i} {s:?} not in the PDF as {heading:?}: {text}"
        );
        assert!(
            text.contains(&para),
            "paragraph {i} {s:?} not in the PDF as {para:?}: {text}"
        );
    }
}

/// Fuzz findings (fixtures named after them): `%` in an image path commented
/// out the closing brace, an unbalanced `{` made the argument run away. Both
/// compile and show their picture.
#[test]
fn image_paths_with_percent_or_brace_compile_with_their_picture() {
    let res = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(res.path().join("dossier")).unwrap();
    for name in ["dossier/50%.png", "a{b.png"] {
        std::fs::copy(
            canonical_dir().join("media/schema.png"),
            res.path().join(name),
        )
        .unwrap();
    }
    for fixture in [
        "percent-in-image-path-comments-out-brace.json",
        "unbalanced-brace-in-image-path-runs-away.json",
    ] {
        let doc = read(
            &manifest_dir()
                .join("../ast2latex/tests/fixtures")
                .join(fixture),
        );
        let latex = latex_of(&doc, &LatexOptions::default());
        let pdf = compile(&latex, res.path()).unwrap_or_else(|e| panic!("{fixture}: {e}"));
        let list = poppler("pdfimages", &["-list"], &pdf);
        assert_eq!(list.lines().skip(2).count(), 1, "{fixture}: {list}");
    }
}

//! The ast2latex fixtures of issue 16 (documents that did not compile,
//! content that was lost or changed) compiled to PDF with the embedded
//! bundle, and their text read back with `pdftotext`: each must compile,
//! and what pandoc keeps must be in the PDF, in its place.
//!
//! Needs the bundle (`scripts/build-tex-bundle`, then a rebuild) and
//! poppler-utils; each test fails with a message saying so when missing.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Mutex, OnceLock};

use ast::Pandoc;
use ast2latex::{write_latex, LatexOptions};
use common::pdf_options;
use tex_engine::compile_pdf;

mod common;

/// One compile at a time: they share the format cache and the machine.
static TEX: Mutex<()> = Mutex::new(());

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn compile(latex: &str, resource_path: &Path) -> Vec<u8> {
    let _guard = TEX.lock().unwrap_or_else(|e| e.into_inner());
    compile_pdf(latex, &pdf_options(resource_path)).unwrap_or_else(|e| panic!("{e}"))
}

/// Runs a poppler tool on `pdf` and returns its standard output.
fn poppler(tool: &str, args: &[&str], pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("doc.pdf");
    std::fs::write(&path, pdf).unwrap();
    let mut command = Command::new(tool);
    command.args(args).arg(&path);
    if tool == "pdftotext" {
        command.arg("-");
    }
    let output = command.output().unwrap_or_else(|e| {
        panic!("cannot run {tool} ({e}): run `make setup` first (it installs poppler-utils)")
    });
    assert!(
        output.status.success(),
        "{tool} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// The resource folder of the fixtures: the canonical picture, and a PDF of
/// two pages whose second says "PAGE DEUX" (for `page=2`).
fn media() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("media")).unwrap();
    std::fs::copy(
        manifest_dir().join("../tests/fixtures/canonical/media/schema.png"),
        dir.path().join("media/schema.png"),
    )
    .unwrap();
    static PAGES: OnceLock<Vec<u8>> = OnceLock::new();
    let pages = PAGES.get_or_init(|| {
        compile(
            "\\documentclass{article}\\begin{document}PAGE UN\\newpage PAGE DEUX\\end{document}\n",
            dir.path(),
        )
    });
    std::fs::write(dir.path().join("media/pages.pdf"), pages).unwrap();
    dir
}

/// The fixture's PDF and its text, blanks collapsed (lines break anywhere).
fn fixture_pdf(name: &str) -> (Vec<u8>, String) {
    let path = manifest_dir().join(format!("../ast2latex/tests/fixtures/{name}.json"));
    let doc: Pandoc = ast::read_json(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let mut latex = String::new();
    write_latex(&doc, &LatexOptions::default(), &mut latex).unwrap();
    let media = media();
    let pdf = compile(&latex, media.path());
    let text = poppler("pdftotext", &[], &pdf);
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    (pdf, text)
}

fn assert_has(text: &str, expected: &[&str]) {
    for e in expected {
        assert!(text.contains(e), "{e:?} missing from the PDF text:\n{text}");
    }
}

/// The words of the PDF with their left edge, top and right edge, in
/// points, from `pdftotext -bbox`.
fn words(pdf: &[u8]) -> Vec<(String, f64, f64, f64)> {
    let bbox = poppler("pdftotext", &["-bbox"], pdf);
    bbox.lines()
        .filter_map(|l| {
            let l = l.trim();
            let attr = |name: &str| -> Option<f64> {
                let start = l.find(&format!(" {name}=\""))? + name.len() + 3;
                l[start..].split('"').next()?.parse().ok()
            };
            let word = l.strip_prefix("<word ")?.split_once('>')?.1;
            let word = word.strip_suffix("</word>")?;
            Some((
                word.to_string(),
                attr("xMin")?,
                attr("yMin")?,
                attr("xMax")?,
            ))
        })
        .collect()
}

/// The left edge and top of the first word `w` (after a word `after`, when given).
fn place(words: &[(String, f64, f64, f64)], w: &str) -> (f64, f64) {
    words
        .iter()
        .find(|(word, ..)| word == w)
        .map(|(_, x, y, _)| (*x, *y))
        .unwrap_or_else(|| panic!("{w:?} not in the PDF: {words:?}"))
}

#[test]
fn math_with_a_percent_and_display_environments_compile() {
    let (_, text) = fixture_pdf("math-percent-comment-and-display-environments");
    // The comment is TeX's: what follows `%` on its line is not typeset,
    // the text after the formula is.
    assert_has(&text, &["et la suite du texte", "(1)", "(2)", "(3)"]);
    assert!(!text.contains("un commentaire"), "{text}");
    assert!(!text.contains("la fin de la ligne"), "{text}");
}

#[test]
fn line_breaks_at_the_start_of_a_paragraph_compile() {
    let (_, text) = fixture_pdf("line-break-at-paragraph-start");
    assert_has(
        &text,
        &[
            "Le paragraphe commence par un saut de ligne.",
            "Deux sauts de suite.",
            "Un élément de liste qui commence par un saut.",
            "Un bloc de lignes dont la première est vide. Deuxième ligne.",
        ],
    );
}

#[test]
fn cells_of_several_lines_stay_in_their_cells() {
    let (pdf, text) = fixture_pdf("table-cell-line-break-and-blocks");
    assert_has(&text, &["liste", "de deux", "premier", "second", "simple"]);
    let words = words(&pdf);
    let (un_x, un_y) = place(&words, "un");
    let (deux_x, deux_y) = place(&words, "deux");
    // The hard break inside emphasis: "deux" under "un", in the first column.
    assert!((un_x - deux_x).abs() < 0.5 && deux_y > un_y, "{words:?}");
    let (liste_x, _) = place(&words, "liste");
    assert!(liste_x > un_x + 20.0, "{words:?}");
}

#[test]
fn notes_of_captions_and_of_a_table_head_are_each_printed_once() {
    let (_, text) = fixture_pdf("caption-notes-figure-and-table");
    for (number, note) in [
        (1, "Texte de la première note de figure."),
        (2, "Texte de la seconde note de figure."),
        (3, "Texte de la note du tableau."),
        (4, "Texte de la note d’en-tête."),
        (5, "Texte de la note du paragraphe."),
    ] {
        assert_eq!(text.matches(note).count(), 1, "{note}\n{text}");
        assert!(
            text.contains(&format!("{number} {note}")),
            "{number} {note}\n{text}"
        );
    }
    assert_has(
        &text,
        &[
            "Figure 1: Une figure avec une note1 et une autre2",
            "Table 1: Un tableau avec une note3",
        ],
    );
}

#[test]
fn a_note_in_the_head_of_a_table_across_pages_is_counted_and_printed_once() {
    let (pdf, text) = fixture_pdf("table-head-note-across-pages");
    for (number, note) in [
        (1, "Note de l’en-tête sans légende."),
        (2, "Note de l’en-tête avec légende."),
        (3, "Note du paragraphe final."),
    ] {
        assert_eq!(text.matches(note).count(), 1, "{note}\n{text}");
        assert!(
            text.contains(&format!("{number} {note}")),
            "{number} {note}\n{text}"
        );
    }
    let info = poppler("pdfinfo", &[], &pdf);
    assert!(info.contains("Pages:           3"), "{info}");
    // The captioned table's head is repeated on the next page without the
    // note's mark; the other keeps its mark in each copy.
    let words = words(&pdf);
    let heads: Vec<&str> = words
        .windows(2)
        .filter(|w| w[0].0 == "Ligne")
        .map(|w| w[1].0.as_str())
        .collect();
    assert_eq!(heads, ["1", "1", "2", "Carré"], "{words:?}");
}

#[test]
fn a_figure_in_a_table_cell_compiles_with_its_caption() {
    let (pdf, text) = fixture_pdf("figure-in-table-cell");
    assert_has(&text, &["Légende en cellule", "après l’image", "à côté"]);
    // No float: the caption is not numbered.
    assert!(!text.contains("Figure 1"), "{text}");
    let images = poppler("pdfimages", &["-list"], &pdf);
    assert_eq!(images.lines().count(), 3, "one picture expected:\n{images}");
}

#[test]
fn headings_with_anchors_urls_and_code_compile() {
    let (_, text) = fixture_pdf("heading-anchors-urls-and-code");
    assert_has(
        &text,
        &[
            "Section",
            "https://example.org/",
            "a@b.org",
            "Titre avec code et un lien",
            "Titre avec une ancre et une note1",
            "1 La note du titre.",
            "Titre d’une section div",
        ],
    );
    let (_, text) = fixture_pdf("section-div-id-moves-to-heading");
    assert_has(&text, &["Titre de la section div", "voir la section"]);
}

/// The left edges of the words of a spanned table must line up in columns.
fn assert_columns(words: &[(String, f64, f64, f64)], columns: &[&[&str]]) {
    for column in columns {
        let (x0, _) = place(words, column[0]);
        for w in &column[1..] {
            let (x, _) = place(words, w);
            assert!(
                (x - x0).abs() < 0.5,
                "{w} not in the column of {}: {words:?}",
                column[0]
            );
        }
    }
    let firsts: Vec<f64> = columns.iter().map(|c| place(words, c[0]).0).collect();
    assert!(firsts.windows(2).all(|p| p[0] < p[1]), "{firsts:?}");
}

#[test]
fn row_and_column_spans_keep_every_cell_in_its_column() {
    for name in [
        "table-row-and-column-spans",
        "table-spans-and-break-without-widths",
    ] {
        let (pdf, text) = fixture_pdf(name);
        assert_has(&text, &["H2 et H3", "D et E"]);
        let words = words(&pdf);
        // Column 1: H1 A F I J; column 2: H2 B D G K; column 3: C L.
        assert_columns(
            &words,
            &[
                &["H1", "A", "F", "I", "J"],
                &["H2", "B", "D", "G", "K"],
                &["C", "L"],
            ],
        );
        // Rows in order: the cells of row 2 below those of row 1.
        let row = |w| place(&words, w).1;
        assert!(row("A") < row("D") && row("D") < row("F"), "{name}");
        assert!(row("F") < row("I") && row("I") < row("J"), "{name}");
        assert!((row("B") - row("C")).abs() < 0.5, "{name}");
    }
}

#[test]
fn ordered_task_lists_keep_their_numbers() {
    let (_, text) = fixture_pdf("lists-ordered-task-numbers");
    assert_has(
        &text,
        &[
            "1. □ première tâche",
            "2. ⊠ deuxième tâche",
            "3. troisième, sans case",
            "□ puce à faire",
        ],
    );
}

#[test]
fn image_attributes_choose_the_page_and_svg_gives_its_description() {
    let (pdf, text) = fixture_pdf("image-attributes-page-trim-angle-alt-svg");
    assert_has(&text, &["PAGE DEUX", "Une image SVG : Dessin vectoriel."]);
    assert!(
        !text.contains("PAGE UN"),
        "page=2 shows page 2 only: {text}"
    );
    let images = poppler("pdfimages", &["-list"], &pdf);
    // Three PNG pictures (cropped, rotated, bad attributes ignored).
    assert_eq!(images.lines().count(), 2 + 3, "{images}");
}

#[test]
fn lang_switches_the_language_of_divs_and_spans() {
    let (_, text) = fixture_pdf("lang-div-span-polyglossia");
    assert_has(
        &text,
        &[
            "An English paragraph in a French document",
            "some English words",
            "Schweizerdeutsch",
            "tlhIngan Hol",
            // polyglossia's English names inside the div (and no space
            // before the colon), French outside.
            "Figure 1: An English figure",
            "Figure 2: A figure of the section",
            "Fig. 3 : Une figure française",
        ],
    );
}

#[test]
fn literal_quotes_dashes_and_code_spaces_are_kept() {
    let (pdf, text) = fixture_pdf("literal-quotes-dashes-and-code-spaces");
    assert_has(
        &text,
        &[
            "L'apostrophe droite",
            "deux tirets -- et trois ---",
            "l'accent grave `x`",
        ],
    );
    let words = words(&pdf);
    let (a_right, b_left) = {
        let a = words.iter().find(|w| w.0 == "a").unwrap();
        let b = words.iter().find(|w| w.0 == "b").unwrap();
        (a.3, b.1)
    };
    let c_left = words.iter().find(|w| w.0 == "c,").unwrap().1;
    let b_right = words.iter().find(|w| w.0 == "b").unwrap().3;
    // Monospace: two spaces, then three, each as wide as a letter.
    let letter = b_right - b_left;
    assert!(((b_left - a_right) / letter - 2.0).abs() < 0.2, "{words:?}");
    assert!(((c_left - b_right) / letter - 3.0).abs() < 0.2, "{words:?}");
}

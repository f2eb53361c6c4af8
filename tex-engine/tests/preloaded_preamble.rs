//! The default template's fixed preamble is compiled once into a format of
//! its own (the line `tex_engine::PRELOAD_MARKER` ends it): the PDF is the
//! one the whole preamble gives, word for word at the same places; a part
//! that does not build falls back to the whole preamble and TeX's own error.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Mutex;

use ast2latex::{write_latex, LatexOptions};
use common::pdf_options;
use tex_engine::{compile_pdf, PRELOAD_MARKER};

mod common;

/// One compile at a time: they share the format cache and the machine.
static TEX: Mutex<()> = Mutex::new(());

fn canonical_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/canonical")
}

fn canonical_latex(variables: &[(&str, &str)]) -> String {
    let text = std::fs::read_to_string(canonical_dir().join("canonical.json")).unwrap();
    let doc = ast::read_json(&text).unwrap();
    let options = LatexOptions {
        toc: true,
        number_sections: true,
        variables: variables
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        ..Default::default()
    };
    let mut latex = String::new();
    write_latex(&doc, &options, &mut latex).unwrap();
    latex
}

fn compile(latex: &str) -> Result<Vec<u8>, ast::Error> {
    let _guard = TEX.lock().unwrap_or_else(|e| e.into_inner());
    compile_pdf(latex, &pdf_options(&canonical_dir()))
}

/// Each word of the PDF with its box (`pdftotext -bbox`), page by page.
fn words(pdf: &[u8]) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("doc.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = Command::new("pdftotext")
        .arg("-bbox")
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils: run `make setup`)");
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .filter(|l| l.contains("<word ") || l.contains("<page "))
        .map(|l| l.trim().to_string())
        .collect()
}

#[test]
fn the_default_template_marks_its_fixed_preamble() {
    let latex = canonical_latex(&[]);
    let at = latex
        .find(&format!("\n{PRELOAD_MARKER}\n"))
        .expect("no marker");
    let part = &latex[..at];
    assert!(part.contains("\\documentclass"), "{part}");
    // No font is chosen before the line (XeTeX cannot dump OpenType fonts),
    // and nothing of the document is there.
    for document_dependent in [
        "\\setmainfont",
        "\\setdefaultlanguage",
        "geometry",
        "hyperref",
    ] {
        assert!(
            !part.contains(document_dependent),
            "{document_dependent}: {part}"
        );
    }
    let fontspec = part.find("\\usepackage{fontspec}").unwrap();
    assert!(
        part[..fontspec].contains("\\ASTpreloadingfonts\\fi"),
        "{part}"
    );
}

#[test]
fn a_preloaded_preamble_gives_the_words_of_the_whole_preamble_at_the_same_places() {
    let default = command(&["--print-default-template"], None);
    assert!(default.status.success(), "{default:?}");
    let template = String::from_utf8(default.stdout).unwrap();
    assert!(template.contains(&format!("\n{PRELOAD_MARKER}\n")));
    let dir = tempfile::tempdir().unwrap();
    let whole_template = dir.path().join("whole.latex");
    std::fs::write(
        &whole_template,
        template.replace(&format!("\n{PRELOAD_MARKER}\n"), "\n\n"),
    )
    .unwrap();
    for variables in [
        &[][..],
        &["fontfamily=tgpagella", "fontsize=12pt"][..],
        &["documentclass=report", "lang=en"][..],
    ] {
        let mut args = vec!["--toc", "-N"];
        for v in variables {
            args.extend(["-V", v]);
        }
        let preloaded = words(&command_pdf(&args, dir.path().join("preloaded.pdf")));
        let whole_template = whole_template.to_str().unwrap();
        args.extend(["--template", whole_template]);
        let read_whole = words(&command_pdf(&args, dir.path().join("whole.pdf")));
        assert!(preloaded.len() > 100, "{preloaded:?}");
        let first_difference = preloaded.iter().zip(&read_whole).position(|(a, b)| a != b);
        assert_eq!(
            (first_difference, preloaded.len()),
            (None, read_whole.len()),
            "{variables:?}: {:?}",
            first_difference.map(|i| (&preloaded[i], &read_whole[i]))
        );
    }
}

/// The `ast2latex` command on the canonical document with `args`, the
/// format cached with the in-process tests'.
fn command(args: &[&str], pdf: Option<&Path>) -> Output {
    let _guard = TEX.lock().unwrap_or_else(|e| e.into_inner());
    let mut command = Command::new(env!("CARGO_BIN_EXE_ast2latex"));
    command
        .env("SOURCE_DATE_EPOCH", "1767225600")
        .arg("--quiet")
        .arg("--cache-dir")
        .arg(PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("ast2latex-format-cache"))
        .arg("--resource-path")
        .arg(canonical_dir())
        .args(args);
    if let Some(pdf) = pdf {
        command
            .arg("--pdf")
            .arg(pdf)
            .arg(canonical_dir().join("canonical.json"));
    }
    command.output().unwrap()
}

/// The PDF of the canonical document that the command builds, each in a
/// process of its own: in one process, the engine's font cache outlives a
/// run, and a whole-preamble run that follows a preloaded one (or the
/// reverse) can place a line a little differently (3.3 pt on Pagella's
/// title page, 0.02 pt in Latin Modern); run alone, both give the places
/// of Debian's xelatex.
fn command_pdf(args: &[&str], pdf: PathBuf) -> Vec<u8> {
    let out = command(args, Some(&pdf));
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::read(pdf).unwrap()
}

#[test]
fn a_preloaded_part_that_does_not_build_gives_tex_s_own_error() {
    let latex = canonical_latex(&[("documentclass", "ast2latex-no-such-class")]);
    let err = compile(&latex).unwrap_err().to_string();
    assert!(
        err.contains("document class `ast2latex-no-such-class.cls` is not in the TeX bundle"),
        "{err}"
    );
}

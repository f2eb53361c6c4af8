//! ast-filters among other programs: pandoc itself (as a JSON stage and as
//! `pandoc --filter`), and a panflute filter between md2ast and ast2html.
//! Each test runs when the programs it needs are installed, and otherwise
//! prints what it skipped and why.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const DOCUMENT: &str = "---\ntitle: Essai\nlang: fr\n---\n\n# L'équipe\n\n\
Le mot : fin ! Par Camille \\textsc{Durand}, il dit \"bonjour\".\n\n\\newpage\n\nSuite.\n";

fn ast_filters() -> &'static str {
    env!("CARGO_BIN_EXE_ast-filters")
}

/// True when `program --version` runs.
fn available(program: &str) -> bool {
    Command::new(program)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Runs `program args` with `input` on stdin; panics with its stderr on failure.
fn pipe(program: impl AsRef<std::ffi::OsStr>, args: &[&str], input: &[u8]) -> Vec<u8> {
    let program = program.as_ref();
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{}: {e}", program.to_string_lossy()));
    child.stdin.take().unwrap().write_all(input).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{} {args:?} failed: {}",
        program.to_string_lossy(),
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

fn skip(test: &str, why: &str) {
    println!("note: {test} skipped: {why}");
    eprintln!("note: {test} skipped: {why}");
}

#[test]
fn pandoc_json_through_ast_filters_to_pandoc_html() {
    if !available("pandoc") {
        return skip(
            "pandoc_json_through_ast_filters_to_pandoc_html",
            "pandoc is not on PATH",
        );
    }
    let json = pipe(
        "pandoc",
        &["-f", "markdown", "-t", "json"],
        DOCUMENT.as_bytes(),
    );
    let filtered = pipe(ast_filters(), &[], &json);
    let html = String::from_utf8(pipe("pandoc", &["-f", "json", "-t", "html"], &filtered)).unwrap();
    assert!(html.contains("mot\u{a0}: fin\u{202f}!"), "{html}");
    assert!(
        html.contains("<span class=\"smallcaps\">Durand</span>"),
        "{html}"
    );
    assert!(html.contains("«\u{202f}bonjour\u{202f}»"), "{html}");
    assert!(
        html.contains("<div class=\"pagebreak\" style=\"break-after: page\">"),
        "{html}"
    );
}

#[test]
fn pandoc_filter_html_and_latex() {
    if !available("pandoc") {
        return skip("pandoc_filter_html_and_latex", "pandoc is not on PATH");
    }
    let filter = format!("--filter={}", ast_filters());
    let html = pipe(
        "pandoc",
        &[&filter, "-f", "markdown", "-t", "html"],
        DOCUMENT.as_bytes(),
    );
    let html = String::from_utf8(html).unwrap();
    assert!(html.contains("mot\u{a0}: fin\u{202f}!"), "{html}");
    assert!(
        html.contains("<span class=\"smallcaps\">Durand</span>"),
        "{html}"
    );
    assert!(
        html.contains("<div style=\"break-after: page\"></div>"),
        "{html}"
    );
    let latex = pipe(
        "pandoc",
        &[&filter, "-f", "markdown", "-t", "latex"],
        DOCUMENT.as_bytes(),
    );
    let latex = String::from_utf8(latex).unwrap();
    assert!(latex.contains("mot~: fin\\,!"), "{latex}");
    assert!(latex.contains("\\textsc{Durand}"), "{latex}");
    assert!(latex.contains("\n\\newpage\n"), "{latex}");
}

/// The workspace's other binaries, built beside ours by `cargo test`.
fn sibling(name: &str) -> Option<PathBuf> {
    let dir = Path::new(ast_filters()).parent()?;
    let path = dir.join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    path.is_file().then_some(path)
}

#[test]
fn panflute_filter_between_md2ast_and_ast2html() {
    let test = "panflute_filter_between_md2ast_and_ast2html";
    let (Some(md2ast), Some(ast2html)) = (sibling("md2ast"), sibling("ast2html")) else {
        return skip(
            test,
            "md2ast or ast2html is not built (cargo build --workspace)",
        );
    };
    let has_panflute = Command::new("python3")
        .args(["-c", "import panflute"])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !has_panflute {
        return skip(
            test,
            "python3 with panflute is not installed (pip install panflute)",
        );
    }
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/panflute/upper_headers.py"
    );
    let json = pipe(&md2ast, &[], DOCUMENT.as_bytes());
    let filtered = pipe(ast_filters(), &[], &json);
    let panflute = pipe("python3", &[script], &filtered);
    let html = String::from_utf8(pipe(&ast2html, &["--fragment"], &panflute)).unwrap();
    assert!(html.contains("L’ÉQUIPE</h1>"), "{html}");
    assert!(html.contains("mot\u{a0}: fin\u{202f}!"), "{html}");
    assert!(
        html.contains("<span class=\"smallcaps\">Durand</span>"),
        "{html}"
    );
    assert!(html.contains("break-after: page"), "{html}");
}

//! The auxiliary files of the last build of an output, kept beside the
//! cached format, make the next build's first TeX pass the last; and images
//! TeX cannot find as written (`data:` URIs, files with no extension) are
//! included by their content.
//!
//! Needs the embedded TeX bundle (`scripts/build-tex-bundle`) and poppler-utils.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Mutex;

/// One compile at a time: they share the format cache and the machine.
static TEX: Mutex<()> = Mutex::new(());

const PICTURE: &str = "../tests/fixtures/canonical/media/schema.png";

fn cache_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("ast2latex-format-cache")
}

/// `ast2latex --pdf out.pdf` of `json` in `dir`, with `extra` options.
fn build(dir: &Path, json: &str, extra: &[&str]) -> Output {
    let input = dir.join("doc.json");
    std::fs::write(&input, json).unwrap();
    let _guard = TEX.lock().unwrap_or_else(|e| e.into_inner());
    Command::new(env!("CARGO_BIN_EXE_ast2latex"))
        .current_dir(dir)
        .env("SOURCE_DATE_EPOCH", "1767225600")
        .arg("--cache-dir")
        .arg(cache_dir())
        .args(["--resource-path", "."])
        .args(extra)
        .args(["--pdf", "out.pdf"])
        .arg(&input)
        .output()
        .unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn poppler(tool: &str, pdf: &Path) -> String {
    let args: &[&str] = if tool == "pdftotext" {
        &["-layout"]
    } else {
        &["-list"]
    };
    let mut cmd = Command::new(tool);
    cmd.args(args).arg(pdf);
    if tool == "pdftotext" {
        cmd.arg("-");
    }
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("cannot run {tool} ({e}): run `make setup` first"));
    assert!(out.status.success(), "{tool}: {}", stderr(&out));
    String::from_utf8(out.stdout).unwrap()
}

/// A document of headers (a table of contents needs a second pass from
/// nothing) and `extra` blocks (JSON).
fn sections(titles: &[&str], extra: &str) -> String {
    let mut blocks: Vec<String> = titles
        .iter()
        .enumerate()
        .map(|(i, t)| {
            format!(
                r#"{{"t":"Header","c":[1,["s{i}",[],[]],[{{"t":"Str","c":"{t}"}}]]}},{{"t":"Para","c":[{{"t":"Str","c":"Texte."}}]}}"#
            )
        })
        .collect();
    if !extra.is_empty() {
        blocks.push(extra.to_string());
    }
    format!(
        r#"{{"pandoc-api-version":[1,23,1],"meta":{{}},"blocks":[{}]}}"#,
        blocks.join(",")
    )
}

#[test]
fn the_second_build_of_an_output_takes_one_pass_and_gives_the_same_pdf() {
    let dir = tempfile::tempdir().unwrap();
    let json = sections(&["Alpha", "Beta"], "");
    let first = build(dir.path(), &json, &["--toc"]);
    assert!(first.status.success(), "{}", stderr(&first));
    assert!(
        stderr(&first).contains("rerunning TeX because \"texput.aux\" changed")
            || stderr(&first).contains("rerunning TeX because \"texput.toc\" changed"),
        "a table of contents needs two passes from nothing: {}",
        stderr(&first)
    );
    let pdf1 = std::fs::read(dir.path().join("out.pdf")).unwrap();
    let second = build(dir.path(), &json, &["--toc"]);
    assert!(second.status.success(), "{}", stderr(&second));
    assert!(
        !stderr(&second).contains("rerunning"),
        "{}",
        stderr(&second)
    );
    let pdf2 = std::fs::read(dir.path().join("out.pdf")).unwrap();
    assert!(pdf1 == pdf2, "the PDFs differ");

    // A new section: the table of contents lists it (the kept .toc was
    // stale, so TeX reran).
    let json = sections(&["Alpha", "Beta", "Gamma"], "");
    let third = build(dir.path(), &json, &["--toc"]);
    assert!(third.status.success(), "{}", stderr(&third));
    assert!(stderr(&third).contains("rerunning"), "{}", stderr(&third));
    let text = poppler("pdftotext", &dir.path().join("out.pdf"));
    assert_eq!(text.matches("Gamma").count(), 2, "{text}");
}

#[test]
fn a_new_document_with_no_reference_takes_one_pass_and_a_reference_two() {
    // Nothing kept: a paragraph's .aux holds only bookkeeping, which a second
    // pass would not use (the PDF is the one a rebuild gives).
    let dir = tempfile::tempdir().unwrap();
    let json = r#"{"pandoc-api-version":[1,23,1],"meta":{"lang":{"t":"MetaInlines","c":[{"t":"Str","c":"fr"}]}},"blocks":[{"t":"Para","c":[{"t":"Str","c":"Une"},{"t":"Space"},{"t":"Str","c":"note."}]}]}"#;
    let first = build(dir.path(), json, &[]);
    assert!(first.status.success(), "{}", stderr(&first));
    assert!(!stderr(&first).contains("rerunning"), "{}", stderr(&first));
    let pdf1 = std::fs::read(dir.path().join("out.pdf")).unwrap();
    let again = build(dir.path(), json, &[]);
    assert!(again.status.success(), "{}", stderr(&again));
    let pdf2 = std::fs::read(dir.path().join("out.pdf")).unwrap();
    assert!(pdf1 == pdf2, "one pass and a rebuild give different PDFs");

    // A reference to a label needs the label from the .aux: a second pass.
    let dir = tempfile::tempdir().unwrap();
    let json = sections(
        &["Alpha"],
        r#"{"t":"Para","c":[{"t":"Str","c":"Page"},{"t":"Space"},{"t":"RawInline","c":["tex","\\pageref{s0}"]}]}"#,
    );
    let first = build(dir.path(), &json, &[]);
    assert!(first.status.success(), "{}", stderr(&first));
    assert!(stderr(&first).contains("rerunning"), "{}", stderr(&first));
    let text = poppler("pdftotext", &dir.path().join("out.pdf"));
    assert!(!text.contains("??"), "{text}");
}

#[test]
fn aux_files_that_no_longer_fit_are_dropped_and_the_build_starts_over() {
    let dir = tempfile::tempdir().unwrap();
    // The first document defines \foo and writes it into its .aux; the
    // second, built to the same PDF, does not define it: read from the
    // kept .aux, \foo is an undefined control sequence.
    let json = r#"{"pandoc-api-version":[1,23,1],"meta":{"header-includes":{"t":"MetaInlines","c":[{"t":"RawInline","c":["tex","\\newcommand\\foo{}"]}]}},"blocks":[{"t":"RawBlock","c":["latex","\\makeatletter\\immediate\\write\\@auxout{\\string\\foo}\\makeatother"]},{"t":"Para","c":[{"t":"Str","c":"Un."}]}]}"#;
    let first = build(dir.path(), json, &[]);
    assert!(first.status.success(), "{}", stderr(&first));
    let second = build(dir.path(), &sections(&["Deux"], ""), &[]);
    assert!(second.status.success(), "{}", stderr(&second));
    assert!(
        stderr(&second).contains("auxiliary files do not fit: building from nothing"),
        "{}",
        stderr(&second)
    );
    let text = poppler("pdftotext", &dir.path().join("out.pdf"));
    assert!(text.contains("Deux"), "{text}");
}

fn image(url: &str) -> String {
    format!(r#"{{"t":"Para","c":[{{"t":"Image","c":[["",[],[]],[],["{url}",""]]}}]}}"#)
}

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n =
            chunk.iter().fold(0u32, |acc, &b| (acc << 8) | u32::from(b)) << (8 * (3 - chunk.len()));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i)) as usize & 63] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[test]
fn data_uri_and_extensionless_images_are_included_by_their_content() {
    let dir = tempfile::tempdir().unwrap();
    let picture = std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join(PICTURE)).unwrap();
    std::fs::write(dir.path().join("logo"), &picture).unwrap();
    let uri = format!("data:image/png;base64,{}", base64(&picture));
    let blocks = [image(&uri), image("logo"), image("./logo")].join(",");
    let out = build(dir.path(), &sections(&["Images"], &blocks), &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let list = poppler("pdfimages", &dir.path().join("out.pdf"));
    assert_eq!(list.lines().skip(2).count(), 3, "{list}");
}

#[test]
fn images_xetex_cannot_include_are_named_with_what_they_are() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("anim"), b"GIF89a\x01\x00\x01\x00").unwrap();
    let svg = "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg'/%3E";
    for (url, says) in [
        ("anim", "image `anim` is a GIF image"),
        (svg, "is an SVG image"),
        ("data:image/png;base64,A", "its base64 data is malformed"),
    ] {
        let out = build(dir.path(), &sections(&["X"], &image(url)), &[]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(65), "{url}: {err}");
        assert!(err.contains(says), "{url}: {err}");
        assert!(!dir.path().join("out.pdf").exists());
    }
}

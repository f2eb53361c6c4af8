//! md2ast's AST must equal pandoc 3's for every fixture: `tests/fixtures/NAME.md`
//! beside `NAME.json`, written by `scripts/regen-md2ast-fixtures` with the
//! pandoc noted in `tests/fixtures/PANDOC_VERSION`.

use std::path::{Path, PathBuf};

/// Fixtures where md2ast deliberately or knowingly differs from pandoc, with
/// the reason. The test fails if one of them starts to match, so that the
/// list stays true.
const KNOWN_DIFFERENCES: &[(&str, &str)] = &[];

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn read_expected(json: &Path) -> ast::Pandoc {
    let text = std::fs::read_to_string(json).unwrap_or_else(|e| panic!("{}: {e}", json.display()));
    ast::read_json(&text).unwrap_or_else(|e| panic!("{}: {e}", json.display()))
}

/// Compares two documents ignoring the API version; on a difference returns
/// both as pretty-printed JSON lines around the first differing line.
fn compare(got: &ast::Pandoc, expected: &ast::Pandoc) -> Result<(), String> {
    if got.meta == expected.meta && got.blocks == expected.blocks {
        return Ok(());
    }
    let g = ast::to_json_string(&ast::Pandoc::new(got.meta.clone(), got.blocks.clone()));
    let e = ast::to_json_string(&ast::Pandoc::new(
        expected.meta.clone(),
        expected.blocks.clone(),
    ));
    let at = g.bytes().zip(e.bytes()).take_while(|(a, b)| a == b).count();
    let from = at.saturating_sub(120);
    let clip = |s: &str| {
        s.get(from..(at + 200).min(s.len()))
            .unwrap_or("")
            .to_string()
    };
    Err(format!(
        "  got:      …{}\n  expected: …{}",
        clip(&g),
        clip(&e)
    ))
}

#[test]
fn every_fixture_matches_pandoc() {
    let mut names: Vec<String> = std::fs::read_dir(fixtures_dir())
        .expect("fixtures folder")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".md"))
        .map(|n| n.trim_end_matches(".md").to_string())
        .collect();
    names.sort();
    assert!(names.len() >= 80, "only {} fixtures", names.len());
    let mut failures = Vec::new();
    for name in &names {
        let md = fixtures_dir().join(format!("{name}.md"));
        let expected = read_expected(&fixtures_dir().join(format!("{name}.json")));
        let got = md2ast::read_files(std::slice::from_ref(&md), &md2ast::ReadOptions::default())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let known = KNOWN_DIFFERENCES.iter().find(|(n, _)| n == name);
        match (compare(&got, &expected), known) {
            (Ok(()), None) | (Err(_), Some(_)) => {}
            (Ok(()), Some(_)) => failures.push(format!(
                "{name}: now matches pandoc; remove it from KNOWN_DIFFERENCES"
            )),
            (Err(diff), None) => failures.push(format!("{name}: differs from pandoc\n{diff}")),
        }
    }
    assert!(
        failures.is_empty(),
        "{} fixture(s) failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn canonical_document_matches_pandoc() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/canonical");
    let expected = read_expected(&dir.join("canonical.json"));
    let got = md2ast::read_files(&[dir.join("canonical.md")], &md2ast::ReadOptions::default())
        .expect("canonical.md reads");
    if let Err(diff) = compare(&got, &expected) {
        panic!("canonical.md differs from pandoc\n{diff}");
    }
}

#[test]
fn files_are_separated_by_a_blank_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    let a = dir.path().join("a.md");
    let b = dir.path().join("b.md");
    std::fs::write(&a, "- un point").expect("write");
    std::fs::write(&b, "Un paragraphe.\n").expect("write");
    let doc = md2ast::read_files(&[a, b], &md2ast::ReadOptions::default()).expect("reads");
    assert_eq!(doc.blocks.len(), 2, "{:?}", doc.blocks);
    assert!(matches!(doc.blocks[0], ast::Block::BulletList(_)));
    assert!(matches!(doc.blocks[1], ast::Block::Para(_)));
}

#[test]
fn streamed_json_equals_the_whole_document_json() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/canonical");
    for path in [
        dir.join("canonical.md"),
        fixtures_dir().join("long-french-document.md"),
    ] {
        let text = std::fs::read_to_string(&path).expect("read");
        let sources = [md2ast::Source {
            path: path.clone(),
            text,
        }];
        let options = md2ast::ReadOptions::default();
        let whole = ast::to_json_string(&md2ast::read_sources(&sources, &options).expect("reads"));
        let mut streamed = Vec::new();
        md2ast::write_json_from_sources(&sources, &options, &mut streamed).expect("writes");
        assert_eq!(
            String::from_utf8(streamed).expect("UTF-8"),
            whole,
            "{}",
            path.display()
        );
    }
}

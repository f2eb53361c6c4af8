//! Positions (`md2ast --sourcepos`) through pipes and pandoc filters, and
//! the filters seeing through them.
//!
//! - `fixtures/sourcepos/nested.md`, read with positions and passed through
//!   pandoc 3.9 with `change.lua` (a filter that adds, removes and rewraps
//!   other blocks), is `nested.pandoc.json` (committed, so that the test
//!   does not need pandoc; checked against pandoc when it is there):
//!   `--check` on it places every problem left, in list items, quotes,
//!   notes, table cells and definitions, where `--check` on md2ast's own
//!   output places it. With `reword.lua` (`reworded.pandoc.json`), the
//!   blocks whose text the filter changed are named at their place, and
//!   `--fix` leaves the file alone.
//! - The filters give the same document with positions as without, the
//!   positions taken out: block positions, word positions (as
//!   `ast::sourcepos::place_words` makes them) and pandoc's own wrapper
//!   per word, a word and its punctuation in two wrappers.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use ast::Pandoc;
use ast_filters::FilterOptions;

mod common;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sourcepos")
}

fn read_with(dir: &Path, names: &[&str], sourcepos: bool) -> Pandoc {
    let sources: Vec<md2ast::Source> = names
        .iter()
        .map(|n| md2ast::Source {
            path: PathBuf::from(n),
            text: std::fs::read_to_string(dir.join(n)).expect("read"),
        })
        .collect();
    let options = md2ast::ReadOptions {
        sourcepos,
        ..md2ast::ReadOptions::default()
    };
    md2ast::read_sources(&sources, &options).expect("md2ast")
}

fn ast_filters(dir: &Path, args: &[&str], stdin: &[u8]) -> Output {
    common::run_in(dir, env!("CARGO_BIN_EXE_ast-filters"), args, stdin)
}

fn stderr_lines(out: &Output) -> Vec<String> {
    String::from_utf8_lossy(&out.stderr)
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn positions_survive_a_pandoc_filter_that_changes_other_blocks() {
    let dir = fixtures();
    let direct = ast::to_json_string(&read_with(&dir, &["nested.md"], true));
    let direct = stderr_lines(&ast_filters(&dir, &["--check"], direct.as_bytes()));
    let filtered = std::fs::read(dir.join("nested.pandoc.json")).expect("fixture");
    let check = ast_filters(&dir, &["--check"], &filtered);
    assert_eq!(check.status.code(), Some(1));
    let after = stderr_lines(&check);
    // The filter took out the first paragraph (line 5) and the first list
    // item (line 9): their problems only are gone, every other one is
    // placed as before, to the character.
    let expected: Vec<String> = direct
        .iter()
        .filter(|l| !l.starts_with("nested.md:5:") && !l.starts_with("nested.md:9:"))
        .filter(|l| !l.starts_with("ast-filters: "))
        .cloned()
        .collect();
    assert_eq!(expected.len(), 22, "{direct:#?}");
    let placed: Vec<String> = after
        .iter()
        .filter(|l| !l.starts_with("ast-filters: "))
        .cloned()
        .collect();
    assert_eq!(placed, expected);
    // Lines of list items, quotes in a list and in a quote, both notes, a
    // table's cells, a definition and a div among them.
    for line in [11, 13, 17, 21, 23, 27, 30, 33] {
        assert!(
            placed
                .iter()
                .any(|l| l.starts_with(&format!("nested.md:{line}:"))),
            "line {line}: {placed:#?}"
        );
    }
    insta::assert_snapshot!("pandoc_filtered_check", after.join("\n"));
    // And `--fix --diff` fixes them where they are.
    let diff = ast_filters(&dir, &["--fix", "--diff"], &filtered);
    assert_eq!(
        diff.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&diff.stderr)
    );
    insta::assert_snapshot!(
        "pandoc_filtered_fix_diff",
        String::from_utf8_lossy(&diff.stdout)
    );
}

#[test]
fn a_block_whose_text_a_filter_changed_is_named_and_its_file_left_alone() {
    let dir = fixtures();
    let reworded = std::fs::read(dir.join("reworded.pandoc.json")).expect("fixture");
    let check = ast_filters(&dir, &["--check"], &reworded);
    let lines = stderr_lines(&check);
    // The two paragraphs whose first word the filter changed, at their
    // first character, and the first line of a paragraph of two (its
    // second line's problems placed); the problems of the others placed
    // as before.
    let lost: Vec<&String> = lines
        .iter()
        .filter(|l| l.contains("not where md2ast saw it"))
        .collect();
    assert_eq!(lost.len(), 3, "{lines:#?}");
    assert!(lost[0].starts_with("nested.md:13:5: warning: this text is not where"));
    assert!(lost[1].starts_with("nested.md:17:5: warning: this text is not where"));
    assert!(lost[2].starts_with("nested.md:36:1: warning: this text is not where"));
    for placed in [
        "nested.md:27:23: warning: plain space before \";\" (expected U+202F narrow no-break space)",
        "nested.md:37:11: warning: plain space before \";\" (expected U+202F narrow no-break space)",
        "nested.md:37:25: warning: plain space before \"!\" (expected U+202F narrow no-break space)",
    ] {
        assert!(lines.iter().any(|l| l == placed), "{placed}: {lines:#?}");
    }
    // `--fix` changes nothing in a file it cannot trust.
    let tmp = tempfile::tempdir().expect("tempdir");
    let source = std::fs::read_to_string(dir.join("nested.md")).expect("fixture");
    std::fs::write(tmp.path().join("nested.md"), &source).expect("copy");
    let fix = ast_filters(tmp.path(), &["--fix"], &reworded);
    assert_eq!(fix.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&fix.stderr).contains("nested.md: not fixed"));
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("nested.md")).expect("read"),
        source
    );
}

#[test]
fn the_committed_pandoc_output_is_pandocs() {
    let dir = fixtures();
    let available = Command::new("pandoc")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !available {
        eprintln!("note: the_committed_pandoc_output_is_pandocs skipped: pandoc is not on PATH");
        return;
    }
    let json = ast::to_json_string(&read_with(&dir, &["nested.md"], true));
    for (filter, output) in [
        ("change.lua", "nested.pandoc.json"),
        ("reword.lua", "reworded.pandoc.json"),
    ] {
        let out = common::run_in(
            &dir,
            "pandoc",
            &["-f", "json", "-t", "json", "-L", filter],
            json.as_bytes(),
        );
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let committed = std::fs::read(dir.join(output)).expect("fixture");
        assert!(
            out.stdout == committed,
            "{output} is not what `md2ast --sourcepos nested.md | pandoc -f json -t json \
             -L {filter}` gives: make it again"
        );
    }
}

/// `ast-filters` on `doc`, then every position taken out.
fn filtered(mut doc: Pandoc) -> String {
    ast_filters::apply(&mut doc, &FilterOptions::default()).expect("filters");
    ast::sourcepos::strip_positions(&mut doc);
    ast::to_json_string(&doc)
}

#[test]
fn the_filters_see_through_positions() {
    let fix = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fix");
    let content = Path::new(env!("CARGO_MANIFEST_DIR")).join("../content");
    let mut cases: Vec<(PathBuf, Vec<String>)> =
        ["blocks.md", "lines.md", "markup.md", "guillemets.md"]
            .iter()
            .chain(&["punctuation.md", "units.md", "metadata.md", "missing.md"])
            .map(|n| (fix.clone(), vec![n.to_string()]))
            .collect();
    cases.push((fixtures(), vec!["nested.md".into()]));
    let mut chapters: Vec<String> = std::fs::read_dir(&content)
        .expect("content")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".md"))
        .collect();
    chapters.sort();
    cases.push((content, chapters));
    for (dir, names) in &cases {
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        let plain = filtered(read_with(dir, &names, false));
        // md2ast's positions: each block.
        let blocks = read_with(dir, &names, true);
        assert!(ast::sourcepos::has_wrappers(&blocks));
        assert_eq!(
            filtered(blocks.clone()),
            plain,
            "{names:?}, block positions"
        );
        // Each run of words and piece of markup.
        let mut words = blocks;
        let changed =
            ast::sourcepos::place_words(&mut words, |p| std::fs::read_to_string(dir.join(p)).ok());
        assert!(changed.is_empty(), "{changed:?}");
        assert_eq!(filtered(words), plain, "{names:?}, word positions");
    }
}

/// A `Str` in a wrapper `Span`, as pandoc's `commonmark+sourcepos` writes
/// each word.
fn word(s: &str, col: usize) -> String {
    format!(
        r#"{{"t":"Span","c":[["",[],[["wrapper","1"],["data-pos","a.md@1:{col}-1:{}"]]],[{{"t":"Str","c":"{s}"}}]]}}"#,
        col + s.chars().count()
    )
}

#[test]
fn french_spacing_across_wrappers() {
    // `Un mot ; fin « ici » !`: each word, each space and each mark in a
    // wrapper of its own, as pandoc's sourcepos makes them.
    let space = |col: usize| {
        format!(
            r#"{{"t":"Span","c":[["",[],[["wrapper","1"],["data-pos","a.md@1:{col}-1:{}"]]],[{{"t":"Space"}}]]}}"#,
            col + 1
        )
    };
    let inlines = [
        word("Un", 1),
        space(3),
        word("mot", 4),
        space(7),
        word(";", 8),
        space(9),
        word("fin", 10),
        r#"{"t":"Space"}"#.to_string(),
        word("«", 14),
        space(15),
        word("ici", 16),
        r#"{"t":"Space"}"#.to_string(),
        word("»", 20),
        space(21),
        word("!", 22),
    ];
    let meta = r#"{"lang":{"t":"MetaInlines","c":[{"t":"Str","c":"fr"}]}}"#;
    let with = format!(
        r#"{{"pandoc-api-version":[1,23,1,1],"meta":{meta},"blocks":[{{"t":"Div","c":[["",[],[["wrapper","1"],["data-pos","a.md@1:1-1:23"]]],[{{"t":"Para","c":[{}]}}]]}}]}}"#,
        inlines.join(",")
    );
    let without = r#"{"pandoc-api-version":[1,23,1,1],"meta":{"lang":{"t":"MetaInlines","c":[{"t":"Str","c":"fr"}]}},"blocks":[{"t":"Para","c":[{"t":"Str","c":"Un"},{"t":"Space"},{"t":"Str","c":"mot"},{"t":"Space"},{"t":"Str","c":";"},{"t":"Space"},{"t":"Str","c":"fin"},{"t":"Space"},{"t":"Str","c":"«"},{"t":"Space"},{"t":"Str","c":"ici"},{"t":"Space"},{"t":"Str","c":"»"},{"t":"Space"},{"t":"Str","c":"!"}]}]}"#;
    let with = ast::read_json(&with).expect("JSON");
    let without = ast::read_json(without).expect("JSON");
    let out = filtered(with);
    assert_eq!(out, filtered(without));
    let doc = ast::read_json(&out).expect("JSON");
    assert_eq!(
        ast::stringify(&doc.blocks[0]),
        "Un mot\u{202f}; fin «\u{202f}ici\u{202f}»\u{202f}!"
    );
}

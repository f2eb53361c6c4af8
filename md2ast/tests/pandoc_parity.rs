//! md2ast's JSON must equal pandoc 3's byte for byte for every fixture:
//! `tests/fixtures/NAME.md` beside `NAME.json`, and the same one folder deep
//! (`tests/fixtures/EXTENSION/NAME.md`: one folder per extension of pandoc's
//! Markdown, in the manual's order), written by `scripts/regen-md2ast-fixtures`
//! with the pandoc noted in `tests/fixtures/PANDOC_VERSION`. A fixture's
//! reader options are in `NAME.args` beside it (one pandoc option a line,
//! `--option=value`; see the script), given to pandoc and to md2ast alike.

use std::path::{Path, PathBuf};

/// Fixtures (path below `tests/fixtures`, without `.md`) where md2ast
/// deliberately or knowingly differs from pandoc, with the reason. The test
/// fails if one of them starts to match, so that the list stays true; the
/// README lists the same cases.
const KNOWN_DIFFERENCES: &[(&str, &str)] = &[
    (
        "backtick_code_blocks/tab-stop-indents-code-blocks",
        "with --tab-stop other than 4, pandoc indents code blocks by the tab stop; md2ast by 4 (it warns)",
    ),
    (
        "raw_html/processing-instruction-in-div",
        "pandoc reads <?php ...?> as an open tag whose content runs to the end of the div, taking its </div> as raw HTML; md2ast closes the div",
    ),
    (
        "raw_html/tag-across-blank-line",
        "pandoc's tag soup reads <j ... > across a blank line as one raw tag and continues the paragraph; md2ast ends the paragraph at the blank line",
    ),
    (
        "raw_html/verbatim-closer-in-stray-tag",
        "when tag soup swallows a verbatim element's closing tag, pandoc reads the element as Markdown in HTML up to the closer; md2ast reads it as a raw HTML run",
    ),
    (
        "yaml_metadata_block/list-item-last-without-newline",
        "a YAML string ending in a list item with no newline: pandoc reads that last item as text",
    ),
    (
        "yaml_metadata_block/block-inside-list-item",
        "a YAML metadata block inside a list item, quote or div: pandoc reads it as metadata wherever a block starts; md2ast only at the top level (found in a dependabot changelog)",
    ),
    (
        "raw_html/fenced-code-in-indented-html-block",
        "a fenced code block inside an indented HTML block: pandoc takes the block's indentation off the fence only, so the code keeps its own; md2ast takes it off every line (found in pyenv's README)",
    ),
    (
        "differential/block-display-math-across-div-fence",
        "found by scripts/md-differential: `$$` before a div's closing fence and `$$` after it: pandoc's display math runs over the fence; md2ast closes the div first",
    ),
];

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn read_expected(json: &Path) -> ast::Pandoc {
    let text = std::fs::read_to_string(json).unwrap_or_else(|e| panic!("{}: {e}", json.display()));
    ast::read_json(&text).unwrap_or_else(|e| panic!("{}: {e}", json.display()))
}

/// Compares md2ast's bytes with pandoc's; on a difference returns both around
/// the first differing byte.
fn compare_bytes(got: &str, expected: &str) -> Result<(), String> {
    if got == expected {
        return Ok(());
    }
    let at = got
        .bytes()
        .zip(expected.bytes())
        .take_while(|(a, b)| a == b)
        .count();
    let clip = |s: &str| {
        let mut from = at.saturating_sub(120);
        while !s.is_char_boundary(from) {
            from -= 1;
        }
        let mut to = (at + 200).min(s.len());
        while !s.is_char_boundary(to) {
            to -= 1;
        }
        s[from..to].to_string()
    };
    Err(format!(
        "  at byte {at}\n  got:      …{}\n  expected: …{}",
        clip(got),
        clip(expected)
    ))
}

/// Compares two documents as trees (for tests that build them in process).
fn compare(got: &ast::Pandoc, expected: &ast::Pandoc) -> Result<(), String> {
    compare_bytes(&ast::to_json_string(got), &ast::to_json_string(expected))
}

/// Every `NAME.md` in the fixtures folder and its subfolders, as paths
/// relative to it without `.md`.
fn fixture_names() -> Vec<String> {
    let mut names = Vec::new();
    let mut dirs = vec![PathBuf::new()];
    while let Some(rel) = dirs.pop() {
        let entries = std::fs::read_dir(fixtures_dir().join(&rel)).expect("fixtures folder");
        for entry in entries.filter_map(|e| e.ok()) {
            let name = entry.file_name().to_string_lossy().into_owned();
            let path = rel.join(&name);
            if entry.file_type().is_ok_and(|t| t.is_dir()) {
                dirs.push(path);
            } else if let Some(stem) = name.strip_suffix(".md") {
                names.push(rel.join(stem).to_string_lossy().replace('\\', "/"));
            }
        }
    }
    names.sort();
    names
}

/// The reader options of a fixture's `NAME.args` (pandoc's spelling), or
/// the defaults without one.
fn fixture_options(md: &Path) -> md2ast::ReadOptions {
    let mut options = md2ast::ReadOptions::default();
    let Ok(args) = std::fs::read_to_string(md.with_extension("args")) else {
        return options;
    };
    let dir = md.parent().expect("a fixture's folder");
    let read = |name: &str| {
        let path = dir.join(name);
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        md2ast::Source { path, text }
    };
    for arg in args.lines().filter(|l| !l.trim().is_empty()) {
        let (name, value) = arg.split_once('=').unwrap_or((arg, ""));
        let number = || -> i64 {
            value
                .parse()
                .unwrap_or_else(|e| panic!("{}: {arg}: {e}", md.display()))
        };
        match name {
            "--from" | "--read" => {
                options.extensions = md2ast::Extensions::from_format(value)
                    .unwrap_or_else(|e| panic!("{}: {e}", md.display()));
            }
            "--columns" => options.columns = number() as usize,
            "--tab-stop" => options.tab_stop = number() as usize,
            "--strip-comments" => options.strip_comments = true,
            "--shift-heading-level-by" => options.shift_heading_level_by = number(),
            "--metadata" => options.add_metadata(value),
            "--metadata-file" => options.metadata_files.push(read(value)),
            "--abbreviations" => {
                let text = read(value).text;
                options.abbreviations = Some(
                    text.lines()
                        .map(str::trim)
                        .filter(|l| !l.is_empty())
                        .map(str::to_string)
                        .collect(),
                );
            }
            _ => panic!(
                "{}: option {arg} is not understood by this test",
                md.display()
            ),
        }
    }
    options
}

/// md2ast's JSON for a fixture, as the binary writes it.
fn md2ast_json(md: &Path) -> String {
    let text = std::fs::read_to_string(md).unwrap_or_else(|e| panic!("{}: {e}", md.display()));
    let sources = [md2ast::Source {
        path: md.to_path_buf(),
        text,
    }];
    let mut out = Vec::new();
    md2ast::write_json_from_sources(&sources, &fixture_options(md), &mut out)
        .unwrap_or_else(|e| panic!("{}: {e}", md.display()));
    String::from_utf8(out).expect("md2ast writes UTF-8")
}

#[test]
fn every_fixture_matches_pandoc_byte_for_byte() {
    let names = fixture_names();
    assert!(names.len() >= 80, "only {} fixtures", names.len());
    let mut failures = Vec::new();
    for name in &names {
        let md = fixtures_dir().join(format!("{name}.md"));
        let json = fixtures_dir().join(format!("{name}.json"));
        let expected =
            std::fs::read_to_string(&json).unwrap_or_else(|e| panic!("{}: {e}", json.display()));
        let got = md2ast_json(&md);
        let known = KNOWN_DIFFERENCES.iter().find(|(n, _)| n == name);
        match (compare_bytes(&got, &expected), known) {
            (Ok(()), None) | (Err(_), Some(_)) => {}
            (Ok(()), Some(_)) => failures.push(format!(
                "{name}: now matches pandoc; remove it from KNOWN_DIFFERENCES"
            )),
            (Err(diff), None) => failures.push(format!("{name}: differs from pandoc\n{diff}")),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} fixture(s) failed:\n{}",
        failures.len(),
        names.len(),
        failures.join("\n")
    );
}

#[test]
fn known_differences_name_existing_fixtures() {
    let names = fixture_names();
    for (name, reason) in KNOWN_DIFFERENCES {
        assert!(
            names.iter().any(|n| n == name),
            "{name} ({reason}): no such fixture"
        );
    }
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

// BEGIN FUZZER_DIFFERENCES (generated from the fuzzer's findings, by kind)
const SIMPLE_TABLE_ALIGNMENT: &str =
    "a simple table's column alignment when cells are shorter than the dashes";
const EMPTY_DEFINITION_VS_TABLE: &str =
    "a definition list with an empty definition against a table or setext heading after it";
const REFERENCE_EMPTY_LABEL_OPEN_TITLE: &str =
    "a reference definition with an empty label and an unclosed title";
const TASK_BOX_AFTER_REFERENCE: &str =
    "a task list box after a reference definition or a lazy line";
const BLOCK_MISC: &str =
    "block structure around math, raw TeX or HTML at the edge of a table, list or caption";
const CITATION_IN_LINK_TEXT: &str =
    "a citation inside link text or a bracketed span nested in brackets";
const STRIKEOUT_SUBSCRIPT_BOUNDARY: &str =
    "where a strikeout ends against a subscript (`~~` and `~` together)";
const TEX_AT_BLOCK_EDGES: &str =
    "raw TeX commands and their arguments at the edges of blocks or around other constructs";
const TABLES_AT_BLOCK_EDGES: &str = "tables and captions at the edges of other blocks";
const MATH_ACROSS_BLOCKS: &str = "TeX math whose dollars lie across block boundaries";
const CITATIONS_IN_ODD_PLACES: &str = "citations and example references in unusual places";
const DEFINITION_LIST_EDGES: &str = "definition lists with empty or unusual definitions";
const YAML_EMPTY_BLOCK_SCALAR: &str = "an empty YAML block scalar (`key: |` with no text): pandoc gives an empty MetaString, md2ast empty MetaInlines";
const BLOCK_STARTS_INTERRUPTING: &str =
    "lists, headings and other block starts interrupting a block";
const HTML_DIV_SHARING_LINES: &str = "raw HTML divs and their closers sharing lines with other blocks (list items, quotes, notes, reference definitions, definition lists, math)";
const HTML_TAG_SOUP: &str =
    "other raw HTML tag soup (table tags, tags over line ends, verbatim elements)";
const FUZZER_DIFFERENCES: &[(&str, &str)] = &[
    ("s4100-0024", BLOCK_MISC),
    ("s4100-0035", EMPTY_DEFINITION_VS_TABLE),
    ("s4100-0064", EMPTY_DEFINITION_VS_TABLE),
    ("s4100-0158", CITATION_IN_LINK_TEXT),
    ("s5200-0001", EMPTY_DEFINITION_VS_TABLE),
    ("s5200-0023", BLOCK_MISC),
    ("s5200-0047", EMPTY_DEFINITION_VS_TABLE),
    ("s5200-0069", BLOCK_MISC),
    ("s5200-0092", BLOCK_MISC),
    ("s5200-0108", SIMPLE_TABLE_ALIGNMENT),
    ("s5200-0112", TASK_BOX_AFTER_REFERENCE),
    ("s5200-0115", EMPTY_DEFINITION_VS_TABLE),
    ("s5200-0161", BLOCK_MISC),
    ("s6300-0009", HTML_DIV_SHARING_LINES),
    ("s6300-0012", HTML_DIV_SHARING_LINES),
    ("s6300-0013", HTML_DIV_SHARING_LINES),
    ("s6300-0018", TABLES_AT_BLOCK_EDGES),
    ("s6300-0021", HTML_DIV_SHARING_LINES),
    ("s6300-0022", HTML_TAG_SOUP),
    ("s6300-0024", HTML_DIV_SHARING_LINES),
    ("s6300-0026", REFERENCE_EMPTY_LABEL_OPEN_TITLE),
    ("s6300-0027", TABLES_AT_BLOCK_EDGES),
    ("s6300-0031", DEFINITION_LIST_EDGES),
    ("s6300-0032", HTML_DIV_SHARING_LINES),
    ("s6300-0035", CITATIONS_IN_ODD_PLACES),
    ("s6300-0041", HTML_DIV_SHARING_LINES),
    ("s6300-0042", DEFINITION_LIST_EDGES),
    ("s6300-0043", HTML_DIV_SHARING_LINES),
    ("s6300-0046", HTML_TAG_SOUP),
    ("s6300-0047", HTML_DIV_SHARING_LINES),
    ("s6300-0050", DEFINITION_LIST_EDGES),
    ("s6300-0052", STRIKEOUT_SUBSCRIPT_BOUNDARY),
    ("s6300-0054", TABLES_AT_BLOCK_EDGES),
    ("s6300-0056", HTML_DIV_SHARING_LINES),
    ("s6300-0057", HTML_DIV_SHARING_LINES),
    ("s6300-0064", HTML_DIV_SHARING_LINES),
    ("s6300-0065", HTML_DIV_SHARING_LINES),
    ("s6300-0066", HTML_DIV_SHARING_LINES),
    ("s6300-0068", HTML_DIV_SHARING_LINES),
    ("s6300-0069", HTML_DIV_SHARING_LINES),
    ("s6300-0070", HTML_TAG_SOUP),
    ("s6300-0071", HTML_DIV_SHARING_LINES),
    ("s6300-0072", HTML_DIV_SHARING_LINES),
    ("s6300-0079", HTML_DIV_SHARING_LINES),
    ("s6300-0080", TABLES_AT_BLOCK_EDGES),
    ("s6300-0081", HTML_DIV_SHARING_LINES),
    ("s6300-0082", HTML_DIV_SHARING_LINES),
    ("s6300-0083", HTML_DIV_SHARING_LINES),
    ("s6300-0084", HTML_DIV_SHARING_LINES),
    ("s6300-0085", HTML_DIV_SHARING_LINES),
    ("s6300-0087", HTML_DIV_SHARING_LINES),
    ("s6300-0088", MATH_ACROSS_BLOCKS),
    ("s6300-0092", HTML_DIV_SHARING_LINES),
    ("s6300-0093", DEFINITION_LIST_EDGES),
    ("s6300-0097", HTML_DIV_SHARING_LINES),
    ("s6300-0099", HTML_DIV_SHARING_LINES),
    ("s6300-0100", HTML_DIV_SHARING_LINES),
    ("s6300-0101", HTML_TAG_SOUP),
    ("s6300-0105", HTML_DIV_SHARING_LINES),
    ("s6300-0108", HTML_DIV_SHARING_LINES),
    ("s6300-0112", HTML_DIV_SHARING_LINES),
    ("s6300-0114", HTML_DIV_SHARING_LINES),
    ("s6300-0119", HTML_DIV_SHARING_LINES),
    ("s6300-0120", HTML_DIV_SHARING_LINES),
    ("s6300-0122", CITATIONS_IN_ODD_PLACES),
    ("s6300-0125", HTML_DIV_SHARING_LINES),
    ("s6300-0126", HTML_DIV_SHARING_LINES),
    ("s6300-0127", HTML_DIV_SHARING_LINES),
    ("s6300-0130", TEX_AT_BLOCK_EDGES),
    ("s6300-0134", TABLES_AT_BLOCK_EDGES),
    ("s6300-0136", CITATIONS_IN_ODD_PLACES),
    ("s6300-0137", HTML_DIV_SHARING_LINES),
    ("s6300-0138", STRIKEOUT_SUBSCRIPT_BOUNDARY),
    ("s6300-0141", HTML_DIV_SHARING_LINES),
    ("s6300-0143", DEFINITION_LIST_EDGES),
    ("s6300-0150", HTML_DIV_SHARING_LINES),
    ("s6300-0151", TEX_AT_BLOCK_EDGES),
    ("s6300-0153", HTML_DIV_SHARING_LINES),
    ("s6300-0155", TABLES_AT_BLOCK_EDGES),
    ("s6300-0156", HTML_DIV_SHARING_LINES),
    ("s6300-0161", YAML_EMPTY_BLOCK_SCALAR),
    ("s6300-0162", CITATIONS_IN_ODD_PLACES),
    ("s6300-0165", TABLES_AT_BLOCK_EDGES),
    ("s6300-0166", MATH_ACROSS_BLOCKS),
    ("s6300-0167", HTML_DIV_SHARING_LINES),
    ("s6300-0169", BLOCK_STARTS_INTERRUPTING),
    ("s6300-0171", HTML_DIV_SHARING_LINES),
    ("s6300-0172", HTML_DIV_SHARING_LINES),
    ("s6300-0174", MATH_ACROSS_BLOCKS),
    ("s6300-0176", HTML_DIV_SHARING_LINES),
    ("s6300-0177", HTML_DIV_SHARING_LINES),
    ("s6300-0180", HTML_DIV_SHARING_LINES),
    ("s6300-0183", TEX_AT_BLOCK_EDGES),
    ("s6300-0184", HTML_DIV_SHARING_LINES),
    ("s6300-0187", HTML_DIV_SHARING_LINES),
    ("s6300-0188", CITATIONS_IN_ODD_PLACES),
    ("s6300-0189", HTML_DIV_SHARING_LINES),
    ("s6300-0190", DEFINITION_LIST_EDGES),
    ("s6300-0191", HTML_DIV_SHARING_LINES),
    ("s6300-0192", DEFINITION_LIST_EDGES),
];
// END FUZZER_DIFFERENCES

/// The differential fuzzer's findings: `tests/fuzzer-found/sSEED-NNNN.md`,
/// each an input that `scripts/md-differential --seed SEED` found and
/// minimised, with pandoc 3.9's JSON beside it
/// (`pandoc -f markdown -t json X.md -o X.json`). Every one must match
/// pandoc byte for byte, as a regression test, except those listed in
/// [`FUZZER_DIFFERENCES`] with the kind of difference; the test fails if one
/// of those starts to match, so that the list stays true.
fn fuzzer_found_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzzer-found")
}

#[test]
fn fuzzer_findings_match_pandoc_or_are_listed() {
    let mut names: Vec<String> = std::fs::read_dir(fuzzer_found_dir())
        .expect("fuzzer-found folder")
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            e.file_name()
                .to_str()?
                .strip_suffix(".md")
                .map(str::to_string)
        })
        .collect();
    names.sort();
    assert!(names.len() >= 100, "only {} fuzzer findings", names.len());
    let mut failures = Vec::new();
    for name in &names {
        let md = fuzzer_found_dir().join(format!("{name}.md"));
        let expected = std::fs::read_to_string(md.with_extension("json"))
            .unwrap_or_else(|e| panic!("{name}.json: {e}"));
        let got = md2ast_json(&md);
        let listed = FUZZER_DIFFERENCES.iter().any(|(n, _)| n == name);
        match (compare_bytes(&got, &expected), listed) {
            (Ok(()), false) | (Err(_), true) => {}
            (Ok(()), true) => failures.push(format!(
                "{name}: now matches pandoc; remove it from FUZZER_DIFFERENCES"
            )),
            (Err(diff), false) => failures.push(format!("{name}: differs from pandoc\n{diff}")),
        }
    }
    for (name, _) in FUZZER_DIFFERENCES {
        if !names.contains(&name.to_string()) {
            failures.push(format!("{name}: listed, but no such finding"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} finding(s) failed:\n{}",
        failures.len(),
        names.len(),
        failures.join("\n")
    );
}

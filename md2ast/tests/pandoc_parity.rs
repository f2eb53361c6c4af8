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
const HTML_BLOCK_TAG_IN_ONE_LINE_CONTEXT: &str = "a block-level HTML tag inside a one-line inline context (a simple-table cell, a definition term, a table caption): pandoc ends the context there";
const GRID_TABLE_MALFORMED: &str = "a malformed grid table (border lines without rows, ragged borders): pandoc's grid table parser still reads a table";
const HTML_TAG_SOUP_SAME_LINE: &str = "HTML tags on one line after a block tag (`<td><div s=x>`): pandoc's tag soup splits them into other blocks";
const HTML_CLOSE_THEN_INDENTED_LINE: &str =
    "an indented line after a raw HTML block's closing tag: pandoc reads it as a code block";
const HTML_DIV_SAME_LINE_CONTENT: &str = "text right after `<div ...>` on the same line: pandoc reads it as inline content, md2ast as blocks";
const HTML_ATTRIBUTE_SLASH: &str =
    "`/` inside an HTML tag's attributes (`<div/d>`): tagsoup's attribute lexing";
const HTML_TAG_LEXING: &str =
    "raw HTML tag lexing (`<table/></table>`, a tag over a line end, `</t <>`)";
const ATX_HEADING_CLOSING: &str =
    "an ATX heading's closing `#`s or trailing text after emphasis or braces";
const HEADING_ATTRIBUTES_AFTER_ODD_CHARACTER: &str =
    "heading attributes after an unclosed emphasis character";
const LIST_MARKER_ENDS_NOTE_PARAGRAPH: &str =
    "a note's or list item's paragraph followed by a line that is a list marker";
const SIMPLE_TABLE_ALIGNMENT: &str =
    "a simple table's column alignment when cells are shorter than the dashes";
const TITLE_BLOCK_HARD_BREAK: &str = "a title block line continued after a hard line break";
const EMPTY_DEFINITION_VS_TABLE: &str =
    "a definition list with an empty definition against a table or setext heading after it";
const TASK_BOX_AFTER_REFERENCE: &str =
    "a task list box after a reference definition or a lazy line";
const BLOCK_MISC: &str =
    "block structure around math, raw TeX or HTML at the edge of a table, list or caption";
const CITATION_IN_LINK_TEXT: &str =
    "a citation inside link text or a bracketed span nested in brackets";
const CITATION_NOTE_NUMBER_IN_LINK: &str =
    "citationNoteNum of a citation inside a link's or image's text";
const CITATION_KEY_END: &str = "a citation key followed by `<` or `(`";
const STRIKEOUT_LONE_DELIMITER: &str = "strikeout holding a lone `*` or `_`";
const EMPTY_BRACKET_REFERENCE: &str = "reference links with empty brackets (`[][]()`)";
const SMART_QUOTES_IN_SUBSCRIPT_SPAN: &str =
    "smart quotes inside subscript or superscript next to spans or links";
const NOTE_REFERENCE_BRACKETS: &str = "a note reference holding brackets (`[^[]`, `[^]`)";
const ABBREVIATION_BEFORE_NON_WORD: &str =
    "an abbreviation (`Mr.`) and a space before a non-word inline";
const BLOCK_TAG_AFTER_DOLLAR: &str = "a block-level HTML tag in a paragraph after an unclosed `$`";
const INLINE_MISC: &str =
    "URL escaping, example references against citations, an image of a note reference";
const FUZZER_DIFFERENCES: &[(&str, &str)] = &[
    ("s4100-0001", GRID_TABLE_MALFORMED),
    ("s4100-0002", CITATION_IN_LINK_TEXT),
    ("s4100-0003", HTML_TAG_SOUP_SAME_LINE),
    ("s4100-0004", CITATION_KEY_END),
    ("s4100-0005", HTML_BLOCK_TAG_IN_ONE_LINE_CONTEXT),
    ("s4100-0006", HTML_CLOSE_THEN_INDENTED_LINE),
    ("s4100-0007", LIST_MARKER_ENDS_NOTE_PARAGRAPH),
    ("s4100-0008", HTML_TAG_SOUP_SAME_LINE),
    ("s4100-0009", HTML_BLOCK_TAG_IN_ONE_LINE_CONTEXT),
    ("s4100-0010", HTML_DIV_SAME_LINE_CONTENT),
    ("s4100-0011", HTML_BLOCK_TAG_IN_ONE_LINE_CONTEXT),
    ("s4100-0012", HTML_TAG_SOUP_SAME_LINE),
    ("s4100-0013", HTML_BLOCK_TAG_IN_ONE_LINE_CONTEXT),
    ("s4100-0014", HEADING_ATTRIBUTES_AFTER_ODD_CHARACTER),
    ("s4100-0015", HTML_DIV_SAME_LINE_CONTENT),
    ("s4100-0016", CITATION_NOTE_NUMBER_IN_LINK),
    ("s4100-0017", LIST_MARKER_ENDS_NOTE_PARAGRAPH),
    ("s4100-0018", HTML_CLOSE_THEN_INDENTED_LINE),
    ("s4100-0019", GRID_TABLE_MALFORMED),
    ("s4100-0020", HTML_TAG_SOUP_SAME_LINE),
    ("s4100-0021", ATX_HEADING_CLOSING),
    ("s4100-0022", CITATION_IN_LINK_TEXT),
    ("s4100-0023", ATX_HEADING_CLOSING),
    ("s4100-0024", BLOCK_MISC),
    ("s4100-0027", SMART_QUOTES_IN_SUBSCRIPT_SPAN),
    ("s4100-0028", HTML_DIV_SAME_LINE_CONTENT),
    ("s4100-0029", HTML_DIV_SAME_LINE_CONTENT),
    ("s4100-0030", HTML_TAG_LEXING),
    ("s4100-0031", CITATION_KEY_END),
    ("s4100-0032", HTML_BLOCK_TAG_IN_ONE_LINE_CONTEXT),
    ("s4100-0033", GRID_TABLE_MALFORMED),
    ("s4100-0034", HTML_ATTRIBUTE_SLASH),
    ("s4100-0035", EMPTY_DEFINITION_VS_TABLE),
    ("s4100-0036", CITATION_KEY_END),
    ("s4100-0037", CITATION_NOTE_NUMBER_IN_LINK),
    ("s4100-0038", LIST_MARKER_ENDS_NOTE_PARAGRAPH),
    ("s4100-0039", CITATION_IN_LINK_TEXT),
    ("s4100-0040", LIST_MARKER_ENDS_NOTE_PARAGRAPH),
    ("s4100-0041", ATX_HEADING_CLOSING),
    ("s4100-0043", EMPTY_DEFINITION_VS_TABLE),
    ("s4100-0044", HTML_BLOCK_TAG_IN_ONE_LINE_CONTEXT),
    ("s4100-0046", HTML_ATTRIBUTE_SLASH),
    ("s4100-0047", HTML_DIV_SAME_LINE_CONTENT),
    ("s4100-0048", SIMPLE_TABLE_ALIGNMENT),
    ("s4100-0049", TITLE_BLOCK_HARD_BREAK),
    ("s4100-0050", HTML_CLOSE_THEN_INDENTED_LINE),
    ("s4100-0051", GRID_TABLE_MALFORMED),
    ("s4100-0052", STRIKEOUT_LONE_DELIMITER),
    ("s4100-0053", BLOCK_MISC),
    ("s4100-0054", HTML_DIV_SAME_LINE_CONTENT),
    ("s4100-0055", HTML_DIV_SAME_LINE_CONTENT),
    ("s4100-0056", HTML_DIV_SAME_LINE_CONTENT),
    ("s4100-0057", HTML_CLOSE_THEN_INDENTED_LINE),
    ("s4100-0058", HTML_DIV_SAME_LINE_CONTENT),
    ("s4100-0059", HTML_TAG_SOUP_SAME_LINE),
    ("s4100-0060", HTML_BLOCK_TAG_IN_ONE_LINE_CONTEXT),
    ("s4100-0061", HTML_BLOCK_TAG_IN_ONE_LINE_CONTEXT),
    ("s4100-0062", HTML_TAG_LEXING),
    ("s4100-0063", EMPTY_BRACKET_REFERENCE),
    ("s4100-0064", EMPTY_DEFINITION_VS_TABLE),
    ("s4100-0065", HTML_TAG_LEXING),
    ("s4100-0066", HTML_TAG_LEXING),
    ("s4100-0067", HTML_TAG_LEXING),
    ("s4100-0068", HTML_BLOCK_TAG_IN_ONE_LINE_CONTEXT),
    ("s4100-0069", HTML_CLOSE_THEN_INDENTED_LINE),
    ("s4100-0070", HTML_DIV_SAME_LINE_CONTENT),
    ("s4100-0071", HTML_DIV_SAME_LINE_CONTENT),
    ("s4100-0072", HTML_CLOSE_THEN_INDENTED_LINE),
    ("s4100-0073", EMPTY_BRACKET_REFERENCE),
    ("s4100-0074", CITATION_NOTE_NUMBER_IN_LINK),
    ("s4100-0075", CITATION_IN_LINK_TEXT),
    ("s4100-0077", HTML_CLOSE_THEN_INDENTED_LINE),
    ("s4100-0078", BLOCK_MISC),
    ("s4100-0079", CITATION_NOTE_NUMBER_IN_LINK),
    ("s4100-0081", ATX_HEADING_CLOSING),
    ("s4100-0082", HTML_CLOSE_THEN_INDENTED_LINE),
    ("s4100-0083", HTML_TAG_SOUP_SAME_LINE),
    ("s4100-0084", HTML_DIV_SAME_LINE_CONTENT),
    ("s4100-0085", STRIKEOUT_LONE_DELIMITER),
    ("s4100-0086", TASK_BOX_AFTER_REFERENCE),
    ("s4100-0087", HTML_BLOCK_TAG_IN_ONE_LINE_CONTEXT),
    ("s4100-0088", LIST_MARKER_ENDS_NOTE_PARAGRAPH),
    ("s4100-0090", HTML_CLOSE_THEN_INDENTED_LINE),
    ("s4100-0091", ATX_HEADING_CLOSING),
    ("s4100-0092", NOTE_REFERENCE_BRACKETS),
    ("s4100-0093", GRID_TABLE_MALFORMED),
    ("s4100-0094", INLINE_MISC),
    ("s4100-0096", HTML_DIV_SAME_LINE_CONTENT),
    ("s4100-0097", HTML_DIV_SAME_LINE_CONTENT),
    ("s4100-0098", HTML_CLOSE_THEN_INDENTED_LINE),
    ("s4100-0099", EMPTY_DEFINITION_VS_TABLE),
    ("s4100-0100", CITATION_IN_LINK_TEXT),
    ("s4100-0101", EMPTY_BRACKET_REFERENCE),
    ("s4100-0102", EMPTY_BRACKET_REFERENCE),
    ("s4100-0103", TASK_BOX_AFTER_REFERENCE),
    ("s4100-0104", SMART_QUOTES_IN_SUBSCRIPT_SPAN),
    ("s4100-0105", HTML_DIV_SAME_LINE_CONTENT),
    ("s4100-0106", HTML_DIV_SAME_LINE_CONTENT),
    ("s4100-0107", ABBREVIATION_BEFORE_NON_WORD),
    ("s4100-0108", HTML_TAG_SOUP_SAME_LINE),
    ("s4100-0109", GRID_TABLE_MALFORMED),
    ("s4100-0111", CITATION_IN_LINK_TEXT),
    ("s4100-0112", LIST_MARKER_ENDS_NOTE_PARAGRAPH),
    ("s4100-0113", NOTE_REFERENCE_BRACKETS),
    ("s4100-0114", LIST_MARKER_ENDS_NOTE_PARAGRAPH),
    ("s4100-0115", NOTE_REFERENCE_BRACKETS),
    ("s4100-0116", HTML_DIV_SAME_LINE_CONTENT),
    ("s4100-0117", HTML_DIV_SAME_LINE_CONTENT),
    ("s4100-0118", CITATION_IN_LINK_TEXT),
    ("s4100-0119", BLOCK_TAG_AFTER_DOLLAR),
    ("s4100-0120", BLOCK_MISC),
    ("s4100-0121", CITATION_IN_LINK_TEXT),
    ("s4100-0122", TITLE_BLOCK_HARD_BREAK),
    ("s4100-0123", ATX_HEADING_CLOSING),
    ("s4100-0124", HTML_ATTRIBUTE_SLASH),
    ("s4100-0126", HTML_TAG_LEXING),
    ("s4100-0127", HTML_DIV_SAME_LINE_CONTENT),
    ("s4100-0128", INLINE_MISC),
    ("s4100-0129", LIST_MARKER_ENDS_NOTE_PARAGRAPH),
    ("s4100-0130", SIMPLE_TABLE_ALIGNMENT),
    ("s4100-0131", ATX_HEADING_CLOSING),
    ("s4100-0132", HTML_DIV_SAME_LINE_CONTENT),
    ("s4100-0134", GRID_TABLE_MALFORMED),
    ("s4100-0137", LIST_MARKER_ENDS_NOTE_PARAGRAPH),
    ("s4100-0138", HTML_CLOSE_THEN_INDENTED_LINE),
    ("s4100-0139", BLOCK_MISC),
    ("s4100-0140", HTML_DIV_SAME_LINE_CONTENT),
    ("s4100-0141", BLOCK_MISC),
    ("s4100-0142", CITATION_NOTE_NUMBER_IN_LINK),
    ("s4100-0143", HEADING_ATTRIBUTES_AFTER_ODD_CHARACTER),
    ("s4100-0144", HTML_DIV_SAME_LINE_CONTENT),
    ("s4100-0145", GRID_TABLE_MALFORMED),
    ("s4100-0146", EMPTY_BRACKET_REFERENCE),
    ("s4100-0147", HTML_DIV_SAME_LINE_CONTENT),
    ("s4100-0149", HEADING_ATTRIBUTES_AFTER_ODD_CHARACTER),
    ("s4100-0150", ATX_HEADING_CLOSING),
    ("s4100-0151", CITATION_IN_LINK_TEXT),
    ("s4100-0152", SIMPLE_TABLE_ALIGNMENT),
    ("s4100-0153", ABBREVIATION_BEFORE_NON_WORD),
    ("s4100-0154", TITLE_BLOCK_HARD_BREAK),
    ("s4100-0155", EMPTY_DEFINITION_VS_TABLE),
    ("s4100-0156", HTML_DIV_SAME_LINE_CONTENT),
    ("s4100-0157", HTML_DIV_SAME_LINE_CONTENT),
    ("s4100-0158", CITATION_IN_LINK_TEXT),
    ("s4100-0159", HTML_BLOCK_TAG_IN_ONE_LINE_CONTEXT),
    ("s4100-0160", BLOCK_TAG_AFTER_DOLLAR),
    ("s4100-0161", HTML_BLOCK_TAG_IN_ONE_LINE_CONTEXT),
    ("s4100-0163", CITATION_IN_LINK_TEXT),
    ("s4100-0164", HTML_BLOCK_TAG_IN_ONE_LINE_CONTEXT),
    ("s4100-0165", HTML_DIV_SAME_LINE_CONTENT),
    ("s4100-0166", HTML_BLOCK_TAG_IN_ONE_LINE_CONTEXT),
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

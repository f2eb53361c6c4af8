//! The binary: stdin to stdout, the FORMAT argument, `--list`, `--check`,
//! `-M`, exit statuses and error messages.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn run(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ast-filters"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("ast-filters starts");
    let mut input = child.stdin.take().unwrap();
    // The binary may exit before reading everything (usage errors).
    let _ = input.write_all(stdin);
    drop(input);
    child.wait_with_output().unwrap()
}

fn fixture(path: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/tests/fixtures/{path}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn identity_writes_pandoc_json_back_byte_for_byte() {
    for path in [
        "chain/dossier-excerpt.json",
        "french-spacing/table-cell-colon.json",
        "smallcaps/textsc-in-metadata-author.json",
    ] {
        let input = fixture(path);
        for args in [
            &["identity"][..],
            &["identity", "html"],
            &["identity", "json"],
        ] {
            let o = run(args, &input);
            assert!(o.status.success(), "{path} {args:?}: {}", stderr(&o));
            assert_eq!(o.stdout, input, "{path} {args:?}");
            assert!(o.stderr.is_empty());
        }
    }
}

#[test]
fn default_chain_with_trailing_format() {
    let input = fixture("chain/dossier-excerpt.json");
    let o = run(&["latex"], &input);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = String::from_utf8(o.stdout).unwrap();
    assert!(
        out.contains(r#"{"t":"RawBlock","c":["latex","\\newpage"]}"#),
        "{out}"
    );
    assert!(out.contains("projet\u{a0}:"));
    assert!(out.contains(r#"{"t":"SmallCaps","c":[{"t":"Str","c":"Durand"}]}"#));
}

#[test]
fn named_filters_run_in_order_only() {
    let input = fixture("chain/dossier-excerpt.json");
    let o = run(&["pagebreak", "html5"], &input);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = String::from_utf8(o.stdout).unwrap();
    assert!(
        out.contains(r#"{"t":"RawBlock","c":["html","<div style=\"break-after: page\"></div>"]}"#)
    );
    // french-spacing did not run.
    assert!(
        out.contains(r#"{"t":"Str","c":"projet"},{"t":"Space"},{"t":"Str","c":":"}"#),
        "{out}"
    );
}

#[test]
fn raw_tex_left_for_html_is_reported_with_its_section() {
    let input = fixture("raw-tex/unknown-command-kept.json");
    let o = run(&["html"], &input);
    assert!(o.status.success());
    insta::assert_snapshot!(stderr(&o));
}

#[test]
fn list_describes_every_filter() {
    let o = run(&["--list"], b"");
    assert!(o.status.success());
    insta::assert_snapshot!(String::from_utf8(o.stdout).unwrap());
}

#[test]
fn check_reports_problems_and_exits_1() {
    let o = run(&["--check"], &fixture("check/check-problems.json"));
    assert_eq!(o.status.code(), Some(1));
    assert!(o.stdout.is_empty());
    insta::assert_snapshot!(stderr(&o));
    let o = run(&["--check"], &fixture("check/check-clean.json"));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(o.stderr.is_empty());
}

#[test]
fn metadata_overrides() {
    let input = fixture("french-spacing/nbsp-before-colon.json");
    let o = run(&["-M", "typography.before-colon=narrow"], &input);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(String::from_utf8(o.stdout)
        .unwrap()
        .contains("mot\u{202f}:"));
    let o = run(&["-M", "lang=en"], &input);
    assert!(o.status.success());
    assert_eq!(
        stderr(&o),
        "ast-filters: note: french-quotes: skipped: the document's lang is \"en\", not French\n\
         ast-filters: note: french-spacing: skipped: the document's lang is \"en\", not French\n"
    );
    let o = run(&["-M", "typography.before-colon=thin"], &input);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        stderr(&o),
        "ast-filters: warning: options: metadata typography.before-colon: unknown value \"thin\" \
         (expected nbsp, narrow or none); the default nbsp is used\n"
    );
}

/// Runs the default chain on `tests/fixtures/options/<case>.json` and
/// checks the warnings and that the text got the default spaces
/// (`mot\u{a0}:`, as with no option at all).
fn check_options_warning(case: &str, warnings: &str) {
    let o = run(&[], &fixture(&format!("options/{case}.json")));
    assert!(o.status.success(), "{case}: {}", stderr(&o));
    assert_eq!(stderr(&o), warnings, "{case}");
    let out = String::from_utf8(o.stdout).unwrap();
    assert!(out.contains("mot\u{a0}:"), "{case}: {out}");
}

#[test]
fn typography_misspelt_key_warns() {
    check_options_warning(
        "typography-misspelt-key-warns",
        "ast-filters: warning: options: metadata typography: unknown key \"befor-colon\" \
         (did you mean \"before-colon\"? expected before-colon, before-high, in-guillemets, \
         number-unit or add-missing); ignored\n",
    );
}

#[test]
fn typography_unknown_value_warns() {
    check_options_warning(
        "typography-unknown-value-warns",
        "ast-filters: warning: options: metadata typography.before-colon: unknown value \"thin\" \
         (expected nbsp, narrow or none); the default nbsp is used\n",
    );
}

#[test]
fn acronyms_number_warns() {
    check_options_warning(
        "acronyms-number-warns",
        "ast-filters: warning: options: metadata acronyms: \"5\" is not a word in capitals \
         (expected a list of words in capitals, such as [SNCF, RATP], or one string of them \
         separated by commas or spaces); ignored\n",
    );
}

#[test]
fn usage_errors_exit_2() {
    let o = run(&["french-spacng"], b"");
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o),
        "ast-filters: \"french-spacng\" is neither a filter (see --list) nor a pandoc output format\n"
    );
    let o = run(&["bogus", "french-spacing"], b"");
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o),
        "ast-filters: unknown filter \"bogus\" (see --list)\n"
    );
    let o = run(&["--no-such-option"], b"");
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn bad_json_exits_65_with_a_position() {
    let o = run(
        &[],
        b"{\"pandoc-api-version\":[1,23,1],\"meta\":{},\"blocks\":[{\"t\":\"Para\"\n,]}",
    );
    assert_eq!(o.status.code(), Some(65));
    assert!(o.stdout.is_empty());
    insta::assert_snapshot!(stderr(&o));
    let o = run(
        &[],
        br#"{"pandoc-api-version":[1,22],"meta":{},"blocks":[]}"#,
    );
    assert_eq!(o.status.code(), Some(65));
    assert_eq!(
        stderr(&o),
        "ast-filters: incompatible API versions: encoded with 1.22 but this reads 1.23\n"
    );
}

//! The `ast2latex` command line without TeX: LaTeX output, exit statuses and
//! messages of bad input and bad options.

use std::process::Output;

mod common;

const DOC: &str = r#"{"pandoc-api-version":[1,23,1],"meta":{"title":{"t":"MetaInlines","c":[{"t":"Str","c":"T"}]}},"blocks":[{"t":"Para","c":[{"t":"Str","c":"100 %"}]}]}"#;

fn run(args: &[&str], stdin: &str) -> Output {
    common::ast2latex(args, stdin)
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn latex_goes_to_stdout_or_to_the_output_file() {
    let out = run(&[], DOC);
    assert!(out.status.success(), "{}", stderr(&out));
    let latex = String::from_utf8(out.stdout).unwrap();
    assert!(latex.starts_with("% Written by ast2latex.\n\\documentclass[a4paper,twoside]{article}"));
    assert!(latex.contains("100 \\%"));
    assert!(latex.ends_with("\\end{document}\n"));

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("doc.tex");
    let out = run(&["--body-only", "-o", file.to_str().unwrap()], DOC);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(out.stdout.is_empty());
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "100 \\%\n");
}

#[test]
fn bad_json_is_exit_65_with_its_position() {
    let out = run(
        &[],
        "{\"pandoc-api-version\":[1,23,1],\"meta\":{},\"blocks\":[}",
    );
    assert_eq!(out.status.code(), Some(65));
    assert!(
        stderr(&out).starts_with("ast2latex: <stdin>:1:"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn bad_options_are_usage_errors() {
    let out = run(&["--highlight-style", "nosuch"], DOC);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out)
            .contains("unknown highlight style \"nosuch\"\nhint: use one of pygments, tango"),
        "{}",
        stderr(&out)
    );

    let out = run(&["-o", "a.tex", "--pdf", "a.pdf"], DOC);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
}

#[test]
fn a_missing_template_is_exit_66() {
    let out = run(&["--template", "/nonexistent/t.latex"], DOC);
    assert_eq!(out.status.code(), Some(66));
    assert!(
        stderr(&out).contains("/nonexistent/t.latex: no such file or directory"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_missing_bundle_is_a_clear_error_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("doc.pdf");
    let out = run(
        &[
            "--tex-bundle",
            "/nonexistent/bundle",
            "--pdf",
            pdf.to_str().unwrap(),
        ],
        DOC,
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("/nonexistent/bundle: cannot open the TeX bundle"),
        "{}",
        stderr(&out)
    );
    assert!(!pdf.exists());
}

#[test]
fn the_default_template_can_be_printed_and_used_again() {
    let out = run(&["--print-default-template"], "");
    assert!(out.status.success());
    let template = String::from_utf8(out.stdout).unwrap();
    assert!(template.contains("$body$"));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.latex");
    std::fs::write(&path, &template).unwrap();
    let with_file = run(&["--template", path.to_str().unwrap()], DOC);
    let default = run(&[], DOC);
    assert!(with_file.status.success(), "{}", stderr(&with_file));
    assert_eq!(with_file.stdout, default.stdout);
}

//! The binary: inputs, outputs, exit statuses and stderr.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_ast2html"))
}

fn canonical() -> PathBuf {
    Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/fixtures/canonical/canonical.json"
    ))
    .to_path_buf()
}

fn run_with_stdin(cmd: &mut Command, stdin: &str) -> Output {
    use std::io::Write;
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn renders_a_file_to_an_output_file_with_warnings_on_stderr() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("doc.html");
    let o = bin()
        .arg(canonical())
        .arg("-o")
        .arg(&out)
        .arg("--toc")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.trim_end().ends_with("</html>"));
    // Raw LaTeX is left out, and said so with the text quoted.
    assert!(
        stderr(&o)
            .contains("ast2html: warning: raw inline in format tex left out: \"\\textsc{Durand}\""),
        "{}",
        stderr(&o)
    );
}

#[test]
fn reads_stdin_and_writes_a_fragment_on_stdout() {
    let json = r#"{"pandoc-api-version":[1,23,1],"meta":{},"blocks":[{"t":"Para","c":[{"t":"Str","c":"«\u202fA\u202f»"}]}]}"#;
    let o = run_with_stdin(bin().arg("--fragment"), json);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(
        String::from_utf8(o.stdout).unwrap(),
        "<p>«\u{202f}A\u{202f}»</p>\n"
    );
}

#[test]
fn bad_json_is_a_data_error_with_a_position() {
    let o = run_with_stdin(
        &mut bin(),
        "{\"pandoc-api-version\":[1,23,1],\"meta\":{},\"blocks\":[",
    );
    assert_eq!(o.status.code(), Some(65));
    assert!(
        stderr(&o).starts_with("ast2html: <stdin>:1:"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_missing_input_is_exit_66() {
    let o = bin().arg("/nonexistent/doc.json").output().unwrap();
    assert_eq!(o.status.code(), Some(66));
    assert_eq!(
        stderr(&o),
        "ast2html: /nonexistent/doc.json: no such file or directory\n"
    );
}

#[test]
fn a_failure_leaves_the_previous_output_alone() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("doc.html");
    std::fs::write(&out, "previous").unwrap();
    let template = dir.path().join("bad.html");
    std::fs::write(&template, "$for(x)$ never closed\n").unwrap();
    let o = bin()
        .arg(canonical())
        .arg("-o")
        .arg(&out)
        .arg("--template")
        .arg(&template)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(65), "{}", stderr(&o));
    assert!(
        stderr(&o).starts_with(&format!("ast2html: {}:", template.display())),
        "{}",
        stderr(&o)
    );
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "previous");
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        2,
        "no temporary file left"
    );
}

#[test]
fn usage_errors_are_exit_2() {
    let o = bin()
        .args(["--highlight-style", "nope"])
        .arg(canonical())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("unknown highlight style \"nope\""),
        "{}",
        stderr(&o)
    );
    assert!(
        stderr(&o).contains("hint: use one of pygments, tango"),
        "{}",
        stderr(&o)
    );
    let o = bin().arg("--no-such-option").output().unwrap();
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn a_highlight_style_under_wcag_contrast_is_warned_about() {
    let run = |args: &[&str]| {
        let o = bin()
            .args(args)
            .arg(canonical())
            .args(["-o", "/dev/null"])
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        stderr(&o)
    };
    let warned = run(&["--highlight-style", "pygments"]);
    assert!(
        warned.starts_with(
            "ast2html: warning: highlight style \"pygments\" fails WCAG AA contrast (4.5:1) in 14 of its colours: Alert #ff0000 on #f6f7f9 (3.73:1) and 13 more\nhint: the default style, pygments-aa, meets it\n"
        ),
        "{warned}"
    );
    assert!(!run(&[]).contains("highlight style"));
    assert!(!run(&["--highlight-style", "zenburn"]).contains("highlight style"));
    assert!(!run(&["-q", "--highlight-style", "kate"]).contains("highlight style"));
}

#[test]
fn embed_resources_reads_images_beside_the_input() {
    let o = bin()
        .arg(canonical())
        .args(["--fragment", "--embed-resources"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(String::from_utf8(o.stdout)
        .unwrap()
        .contains("src=\"data:image/png;base64,"));
}

#[test]
fn template_variables_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let template = dir.path().join("t.html");
    std::fs::write(&template, "$title$ $x$ $if(flag)$flag$endif$\n").unwrap();
    let o = bin()
        .arg(canonical())
        .arg("--template")
        .arg(&template)
        .args(["-V", "x=1", "-V", "flag"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        String::from_utf8(o.stdout).unwrap(),
        "Document de test canonique 1 flag\n"
    );
}

#[test]
fn quiet_silences_warnings() {
    let o = bin()
        .arg(canonical())
        .args(["--fragment", "--quiet"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(stderr(&o), "");
    assert!(!o.stdout.is_empty());
}

#[test]
fn mathjax_takes_its_url_after_an_equals_sign() {
    let o = bin()
        .arg("--mathjax")
        .arg(canonical())
        .args(["-q"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let html = String::from_utf8(o.stdout).unwrap();
    assert!(html.contains(&format!(
        "<script defer=\"\" src=\"{}\"",
        ast2html::DEFAULT_MATHJAX_URL
    )));
    let o = bin()
        .arg("--mathjax=m.js")
        .arg(canonical())
        .args(["-q"])
        .output()
        .unwrap();
    assert!(String::from_utf8(o.stdout)
        .unwrap()
        .contains("<script defer=\"\" src=\"m.js\""));
}

#[test]
fn bad_json_after_the_first_blocks_leaves_the_previous_output_alone() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("doc.html");
    std::fs::write(&out, "previous").unwrap();
    let mut json = std::fs::read_to_string(canonical()).unwrap();
    let end = json.trim_end().len();
    json.truncate(end - 2);
    json.push_str(",{\"t\":\"Nope\"}]}");
    let o = run_with_stdin(bin().arg("-o").arg(&out), &json);
    assert_eq!(o.status.code(), Some(65), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("<stdin>:") && stderr(&o).contains("\"Nope\""),
        "{}",
        stderr(&o)
    );
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "previous");
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "no temporary file left"
    );
    // On stdout, nothing is written either.
    let o = run_with_stdin(&mut bin(), &json);
    assert_eq!(o.status.code(), Some(65));
    assert!(o.stdout.is_empty());
}

#[test]
fn a_repeated_warning_is_printed_once_with_its_count() {
    let math = r#"{"t":"Math","c":[{"t":"InlineMath"},"\\sqrt{2}"]}"#;
    let other = r#"{"t":"Math","c":[{"t":"InlineMath"},"\\sqrt{b}"]}"#;
    let json = format!(
        r#"{{"pandoc-api-version":[1,23,1],"meta":{{}},"blocks":[{{"t":"Para","c":[{math},{other},{math}]}},{{"t":"Para","c":[{math}]}}]}}"#
    );
    let o = run_with_stdin(bin().arg("--fragment"), &json);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        stderr(&o),
        "ast2html: warning: could not convert TeX math \"\\sqrt{2}\", rendering as TeX (3 times)\n\
         ast2html: warning: could not convert TeX math \"\\sqrt{b}\", rendering as TeX\n"
    );
}

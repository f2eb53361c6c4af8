//! Bad input: the binary says where (`file:line:col: message`), exits with
//! 65 (bad data) or 66 (missing input), and writes no output. Stderr is
//! snapshotted.

use std::path::Path;
use std::process::Command;

/// Runs md2ast in `dir` with `args`; returns (status, stdout, stderr).
fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_md2ast"))
        .current_dir(dir)
        .args(args)
        .output()
        .expect("md2ast runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn temp_with(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, bytes) in files {
        std::fs::write(dir.path().join(name), bytes).expect("write fixture");
    }
    dir
}

#[test]
fn invalid_utf8_names_file_line_and_column() {
    let dir = temp_with(&[("chapitre.md", b"# Titre\n\nUn caf\xe9 latin-1.\n")]);
    let (code, stdout, stderr) = run(dir.path(), &["chapitre.md", "-o", "out.json"]);
    assert_eq!(code, 65);
    assert!(stdout.is_empty());
    assert!(!dir.path().join("out.json").exists(), "no output on error");
    insta::assert_snapshot!(stderr, @"md2ast: chapitre.md:3:7: invalid UTF-8 (byte 0xe9)");
}

#[test]
fn missing_file_exits_66() {
    let dir = temp_with(&[("a.md", b"Texte.\n")]);
    let (code, stdout, stderr) = run(dir.path(), &["a.md", "absent.md"]);
    assert_eq!(code, 66);
    assert!(stdout.is_empty());
    insta::assert_snapshot!(stderr, @"md2ast: absent.md: no such file or directory");
}

#[test]
fn directory_as_input_exits_66() {
    let dir = temp_with(&[]);
    std::fs::create_dir(dir.path().join("content")).expect("mkdir");
    let (code, _, stderr) = run(dir.path(), &["content"]);
    assert_eq!(code, 66);
    insta::assert_snapshot!(stderr, @"md2ast: content: is a directory");
}

#[test]
fn bad_yaml_names_the_line_in_the_right_file() {
    let dir = temp_with(&[
        ("00_intro.md", b"# Intro\n\nTexte.\n"),
        (
            "10_meta.md",
            b"Avant.\n\n---\ntitle: Titre\nauthor: [Camille, Alex\ndate: demain\n---\n",
        ),
    ]);
    std::fs::write(dir.path().join("out.json"), "ancien contenu").expect("write");
    let (code, stdout, stderr) = run(dir.path(), &["00_intro.md", "10_meta.md", "-o", "out.json"]);
    assert_eq!(code, 65);
    assert!(stdout.is_empty());
    assert_eq!(
        std::fs::read_to_string(dir.path().join("out.json")).expect("read"),
        "ancien contenu",
        "a good output file is not clobbered"
    );
    insta::assert_snapshot!(stderr);
}

#[test]
fn yaml_that_is_not_a_mapping_is_not_metadata() {
    // pandoc reads it as a (simple) table: the document parses, so it is not rejected.
    let dir = temp_with(&[("m.md", b"---\n- a\n- b\n---\n")]);
    let (code, stdout, stderr) = run(dir.path(), &["m.md"]);
    assert_eq!(code, 0, "{stderr}");
    let doc = ast::read_json(&stdout).expect("valid JSON");
    assert!(doc.meta.is_empty());
    let text = ast::stringify(&doc.blocks);
    assert!(text.contains('a') && text.contains('b'), "{text}");
}

#[test]
fn stdin_is_read_when_no_file_is_given() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_md2ast"))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("md2ast runs");
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().expect("stdin");
        stdin.write_all(b"Bonjour *monde*.\n").expect("write stdin");
    }
    let out = child.wait_with_output().expect("md2ast ends");
    assert!(out.status.success());
    let doc = ast::read_json_bytes(&out.stdout).expect("valid JSON");
    assert_eq!(ast::stringify(&doc.blocks), "Bonjour monde.");
}

#[test]
fn extension_md2ast_cannot_switch_is_a_usage_error_naming_it() {
    let dir = temp_with(&[("a.md", b"Texte[^1].\n\n[^1]: Note.\n")]);
    let (code, stdout, stderr) = run(dir.path(), &["-f", "markdown-footnotes", "a.md"]);
    assert_eq!(code, 2);
    assert!(stdout.is_empty());
    insta::assert_snapshot!(stderr, @"md2ast: the extension `footnotes` cannot be turned off in md2ast (pandoc's markdown has it on)");
}

#[test]
fn unknown_extension_and_format_are_usage_errors() {
    let dir = temp_with(&[("a.md", b"Texte.\n")]);
    let (code, _, stderr) = run(dir.path(), &["--from=markdown+nonesuch", "a.md"]);
    assert_eq!(code, 2);
    insta::assert_snapshot!(stderr, @"md2ast: the extension `nonesuch` is not an extension of pandoc's markdown");
    let (code, _, stderr) = run(dir.path(), &["-f", "gfm", "a.md"]);
    assert_eq!(code, 2);
    insta::assert_snapshot!(stderr, @"md2ast: unsupported input format `gfm`: md2ast reads pandoc's `markdown` only");
}

#[test]
fn missing_metadata_file_exits_66() {
    let dir = temp_with(&[("a.md", b"Texte.\n")]);
    let (code, stdout, stderr) = run(dir.path(), &["--metadata-file", "absent.yaml", "a.md"]);
    assert_eq!(code, 66);
    assert!(stdout.is_empty());
    insta::assert_snapshot!(stderr, @"md2ast: absent.yaml: no such file or directory");
}

#[test]
fn reader_options_change_the_document() {
    let dir = temp_with(&[
        ("a.md", b"# Titre\n\n\"Bonjour\" -- ligne\nsuite\n"),
        ("m.yaml", b"lang: fr\n"),
    ]);
    let (code, stdout, _) = run(
        dir.path(),
        &[
            "-f",
            "markdown-smart+hard_line_breaks",
            "--shift-heading-level-by=1",
            "-M",
            "brouillon",
            "--metadata-file",
            "m.yaml",
            "a.md",
        ],
    );
    assert_eq!(code, 0);
    assert!(stdout.contains(r#"{"t":"Header","c":[2,"#), "{stdout}");
    assert!(stdout.contains(r#""\"Bonjour\"""#), "{stdout}");
    assert!(stdout.contains(r#"{"t":"LineBreak"}"#), "{stdout}");
    assert!(
        stdout.contains(r#""brouillon":{"t":"MetaBool","c":true}"#),
        "{stdout}"
    );
    assert!(stdout.contains(r#""lang":{"t":"MetaInlines""#), "{stdout}");
}

//! The Rust filter our document shows (content/70_extension.md) is the
//! example `todo_filter`, which `cargo test` compiles: the code a reader
//! copies builds against today's API.

#[test]
fn the_document_shows_the_compiled_example() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    let page = std::fs::read_to_string(format!("{root}/content/70_extension.md")).unwrap();
    let example = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/todo_filter.rs"
    ))
    .unwrap();
    let start = page
        .find("```rust {.numberLines}\n")
        .expect("the Rust filter's code block")
        + "```rust {.numberLines}\n".len();
    let len = page[start..].find("```\n").expect("end of the code block");
    let shown = &page[start..start + len];
    let code = example
        .split_once("\n\n")
        .map(|(_comment, code)| code)
        .unwrap();
    assert_eq!(
        shown, code,
        "content/70_extension.md and examples/todo_filter.rs differ"
    );
}

/// The example run as pandoc runs a filter (`filter html` with the JSON on
/// stdin): `TODO` becomes strong `À FAIRE`, everything else is kept.
#[test]
fn the_example_filter_runs_as_a_pandoc_filter() {
    use std::io::Write;
    // cargo test builds examples beside the test binaries' folder.
    let exe = std::env::current_exe().unwrap();
    let bin = exe
        .parent()
        .and_then(|deps| deps.parent())
        .unwrap()
        .join("examples/todo_filter");
    let input = r#"{"pandoc-api-version":[1,23,1,1],"meta":{},"blocks":[{"t":"Para","c":[{"t":"Str","c":"TODO"},{"t":"Space"},{"t":"Str","c":"relire"}]}]}"#;
    let mut child = std::process::Command::new(&bin)
        .arg("html")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{}: {e}", bin.display()));
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        r#"{"pandoc-api-version":[1,23,1,1],"meta":{},"blocks":[{"t":"Para","c":[{"t":"Strong","c":[{"t":"Str","c":"À FAIRE"}]},{"t":"Space"},{"t":"Str","c":"relire"}]}]}"#.to_string() + "\n"
    );

    // Bad JSON: a message with the place, status 65, nothing on stdout.
    let mut child = std::process::Command::new(&bin)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"{\"blocks\":[")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(65));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.starts_with("todo: "), "{err}");
}

//! Helpers for the end-to-end tests: where the binaries are, running a pipe.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The repository's root folder.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Path of a workspace binary, beside the test executable's `deps/` folder
/// (the profile folder cargo built the tests in: `target/debug`).
pub fn bin(name: &str) -> PathBuf {
    let exe = std::env::current_exe().expect("the test knows its own path");
    let dir = exe
        .parent()
        .and_then(|deps| deps.parent())
        .expect("tests run from target/<profile>/deps");
    let path = dir.join(name);
    assert!(
        path.exists(),
        "{} is missing: run `cargo build --bins` (cargo test --workspace builds it)",
        path.display()
    );
    path
}

/// Runs `name args` with `stdin` as input.
pub fn run(name: &str, args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(bin(name))
        .args(args)
        .current_dir(root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {name}: {e}"));
    let mut input = child.stdin.take().expect("piped stdin");
    let stdin = stdin.to_vec();
    // Write from another thread: the child may fill its stdout pipe first.
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(&stdin);
    });
    let out = child.wait_with_output().expect("the child ends");
    let _ = writer.join();
    out
}

/// Runs a stage and requires success, returning its stdout.
pub fn run_ok(name: &str, args: &[&str], stdin: &[u8]) -> Vec<u8> {
    let out = run(name, args, stdin);
    assert!(
        out.status.success(),
        "{name} {args:?} failed with {}:\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// The chapters of the showcase document, in the order `make` reads them.
pub fn content_files() -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(root().join("content"))
        .expect("content/ exists")
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .map(|p| format!("content/{}", p.file_name().unwrap().to_string_lossy()))
        .collect();
    files.sort();
    files
}

/// True when `cmd` can be run (poppler-utils for the PDF checks).
pub fn have(cmd: &str) -> bool {
    Command::new(cmd)
        .arg("-v")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok()
}

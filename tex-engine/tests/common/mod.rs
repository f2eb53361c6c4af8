//! What several of tex-engine's test files share (`mod common;` in each;
//! a file uses part of it).
#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use tex_engine::{BundleSource, PdfOptions};

/// In-process PDF options: the embedded bundle, images from `resource_path`,
/// the format cached in the test target's folder.
pub fn pdf_options(resource_path: &Path) -> PdfOptions {
    assert!(
        tex_engine::has_embedded_bundle(),
        "this build has no embedded TeX bundle: run `make setup` first (it builds the bundle), then test again"
    );
    PdfOptions {
        bundle: BundleSource::Default,
        resource_path: vec![resource_path.to_path_buf()],
        allow_outside_resources: false,
        cache_dir: Some(PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("ast2latex-format-cache")),
        quiet: true,
        opened_files: None,
        aux_key: None,
        media: Default::default(),
    }
}

/// The `ast2latex` command with `args`, `stdin` written to it.
pub fn ast2latex<S: AsRef<std::ffi::OsStr>>(args: &[S], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ast2latex"))
        .args(args)
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

//! `apply_json`, what the binary does (JSON in, JSON out, a batch of blocks
//! at a time on two threads), against `apply` on the whole document, and
//! its errors: a bad input late in the document, an output that fails.

use std::io::{self, Write};
use std::path::PathBuf;

use ast::{Block, Inline, Pandoc};
use ast_filters::*;

fn fixtures() -> Vec<PathBuf> {
    let root = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures"));
    let mut out = Vec::new();
    for dir in std::fs::read_dir(&root).unwrap() {
        let dir = dir.unwrap().path();
        if !dir.is_dir() {
            continue;
        }
        for f in std::fs::read_dir(&dir).unwrap() {
            let f = f.unwrap().path();
            if f.extension().is_some_and(|e| e == "json") {
                out.push(f);
            }
        }
    }
    assert!(out.len() > 100, "fixtures not found");
    out
}

/// `apply_json`'s output and diagnostics (or its error, as printed).
fn streamed(input: &[u8], opts: &FilterOptions) -> Result<(Vec<u8>, Vec<Diagnostic>), String> {
    let mut out = Vec::new();
    let mut diagnostics = Vec::new();
    apply_json(input, &mut out, opts, |d| diagnostics.push(d)).map_err(|e| e.to_string())?;
    Ok((out, diagnostics))
}

#[test]
fn apply_json_gives_what_apply_and_write_json_give() {
    let option_sets = [
        FilterOptions::default(),
        FilterOptions {
            format: Some("html".into()),
            caps_names: true,
            ..FilterOptions::default()
        },
        FilterOptions {
            filters: vec![Filter::Identity],
            ..FilterOptions::default()
        },
        FilterOptions {
            check: true,
            ..FilterOptions::default()
        },
    ];
    for path in fixtures() {
        let input = std::fs::read(&path).unwrap();
        for opts in &option_sets {
            let mut doc = ast::read_json_bytes(&input).unwrap();
            let report = apply(&mut doc, opts).unwrap();
            let expected = if opts.check {
                Vec::new()
            } else {
                let mut bytes = Vec::new();
                ast::write_json(&doc, &mut bytes).unwrap();
                bytes
            };
            let (out, diagnostics) = streamed(&input, opts).unwrap();
            let name = path.display();
            assert!(out == expected, "{name} {opts:?}: output differs");
            assert_eq!(diagnostics, report.diagnostics, "{name} {opts:?}");
        }
    }
}

/// A document of `n` paragraphs `mot :`, of about 60 bytes of JSON each.
fn long_document(n: usize) -> Vec<u8> {
    let para = Block::Para(vec![
        Inline::Str("mot".into()),
        Inline::Space,
        Inline::Str(":".into()),
    ]);
    ast::to_json_string(&Pandoc::new(Default::default(), vec![para; n])).into_bytes()
}

#[test]
fn a_long_document_goes_through_in_several_batches() {
    // About 6 MB of JSON: batches end after about 1 MB of input.
    let input = long_document(100_000);
    let (out, diagnostics) = streamed(&input, &FilterOptions::default()).unwrap();
    assert!(diagnostics.is_empty());
    let doc = ast::read_json_bytes(&out).unwrap();
    assert_eq!(doc.blocks.len(), 100_000);
    assert!(doc
        .blocks
        .iter()
        .all(|b| *b == Block::Para(vec![Inline::Str("mot\u{a0}:".into())])));
}

#[test]
fn a_bad_block_late_in_the_input_is_an_error_with_its_position() {
    let mut input = long_document(100_000);
    // `]}\n` becomes `,{"t":"Nope"}]}\n`.
    input.truncate(input.len() - 3);
    input.extend_from_slice(b",{\"t\":\"Nope\"}]}\n");
    let mut out = Vec::new();
    let err = apply_json(&input[..], &mut out, &FilterOptions::default(), |_| {}).unwrap_err();
    let message = err.to_string();
    assert!(message.starts_with("<stdin>:1:"), "{message}");
    assert!(message.contains("Nope"), "{message}");
    assert_eq!(err.exit_code(), ast::exit::DATAERR);
    // What was written before the error is not a whole document.
    assert!(!out.ends_with(b"]}\n"));
}

/// Accepts `room` bytes, then fails as a closed pipe does.
struct ClosedAfter {
    room: usize,
}

impl Write for ClosedAfter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.room == 0 {
            return Err(io::ErrorKind::BrokenPipe.into());
        }
        let n = buf.len().min(self.room);
        self.room -= n;
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[test]
fn an_output_error_stops_the_reading_and_is_returned() {
    let input = long_document(100_000);
    let err = apply_json(
        &input[..],
        ClosedAfter { room: 1000 },
        &FilterOptions::default(),
        |_| {},
    )
    .unwrap_err();
    assert!(err.is_broken_pipe(), "{err}");
}

// The Rust filter of content/70_extension.md, kept compiling (tests/example.rs
// checks that the document shows this very code).

use std::process::ExitCode;

use ast::{walk_inlines, Inline};

fn main() -> ExitCode {
    stage_cli::run_filter("todo", |doc, _format| {
        walk_inlines(doc, |inline| {
            if matches!(inline, Inline::Str(text) if text == "TODO") {
                *inline = Inline::Strong(vec![Inline::Str("À FAIRE".into())]);
            }
        });
        Ok(())
    })
}

//! `md2ast [FILE...] [-o FILE]`: pandoc Markdown in, pandoc JSON out.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;

// Reading builds millions of small strings: mimalloc is much faster at that than glibc's malloc.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Reads pandoc Markdown and writes pandoc's JSON AST.
#[derive(Parser, Debug)]
#[command(version, about)]
struct Args {
    /// Markdown files, read in the order given as one document (stdin when none).
    files: Vec<PathBuf>,
    /// Write the JSON to this file instead of standard output.
    #[arg(short, long)]
    output: Option<PathBuf>,
}

fn main() -> ExitCode {
    let args = Args::parse();
    ast::cli::run_main("md2ast", move || {
        let options = md2ast::ReadOptions::default();
        let doc = if args.files.is_empty() {
            let bytes = ast::cli::read_input(None)?;
            let text = md2ast::decode_utf8(std::path::Path::new("<stdin>"), bytes)?;
            md2ast::read_markdown(&text, &options)?
        } else {
            md2ast::read_files(&args.files, &options)?
        };
        ast::cli::write_document(args.output.as_deref(), &doc)?;
        Ok(ast::exit::OK)
    })
}

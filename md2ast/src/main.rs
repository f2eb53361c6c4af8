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
        let sources = if args.files.is_empty() {
            let bytes = ast::cli::read_input(None)?;
            let path = PathBuf::from("<stdin>");
            vec![md2ast::Source {
                text: md2ast::decode_utf8(&path, bytes)?,
                path,
            }]
        } else {
            let mut sources = Vec::with_capacity(args.files.len());
            for path in &args.files {
                let bytes = ast::cli::read_input(Some(path))?;
                sources.push(md2ast::Source {
                    text: md2ast::decode_utf8(path, bytes)?,
                    path: path.clone(),
                });
            }
            sources
        };
        // Streamed block by block: the whole AST of a long document is never
        // held; the output is still atomic (`write_output`).
        ast::cli::write_output(args.output.as_deref(), |out| {
            md2ast::write_json_from_sources(&sources, &options, out)
        })?;
        Ok(ast::exit::OK)
    })
}

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
    /// Input format as pandoc spells it: `markdown`, with extensions turned
    /// on (`+EXT`) or off (`-EXT`), e.g. `markdown-smart+hard_line_breaks`.
    #[arg(
        short = 'f',
        long = "from",
        visible_alias = "read",
        default_value = "markdown"
    )]
    from: String,
    /// Line length: tables with longer lines get relative column widths.
    #[arg(long, default_value_t = 72)]
    columns: usize,
    /// Spaces per tab.
    #[arg(long, default_value_t = 4)]
    tab_stop: usize,
    /// Drop HTML comments instead of keeping them as raw HTML.
    #[arg(long)]
    strip_comments: bool,
    /// Add N to every heading's level (negative: a leading heading at
    /// level 0 becomes the title).
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    shift_heading_level_by: Option<i64>,
    /// Set metadata KEY to VALUE (`true`/`false` or no value: a boolean),
    /// replacing the document's.
    #[arg(short = 'M', long = "metadata", value_name = "KEY[=VALUE]")]
    metadata: Vec<String>,
    /// Read metadata from this YAML file; the document's own replaces it.
    #[arg(long = "metadata-file", value_name = "FILE")]
    metadata_file: Vec<PathBuf>,
    /// Abbreviations (one per line) followed by a no-break space, instead
    /// of pandoc's default list.
    #[arg(long, value_name = "FILE")]
    abbreviations: Option<PathBuf>,
    /// Keep where each block, nested ones too (and each word of the metadata)
    /// came from, as pandoc's commonmark+sourcepos does:
    /// `data-pos="FILE@LINE:COL-LINE:COL"` attributes, and wrapper spans and
    /// divs for nodes without attributes (what `ast-filters --check` and
    /// `--fix` read; they find each word again from its block's position).
    #[arg(long)]
    sourcepos: bool,
}

/// The reader options the arguments ask for.
fn read_options(args: &Args) -> Result<md2ast::ReadOptions, ast::Error> {
    let extensions = md2ast::Extensions::from_format(&args.from).map_err(ast::Error::Usage)?;
    if args.tab_stop == 0 {
        return Err(ast::Error::Usage(
            "argument of --tab-stop must be a number greater than 0".into(),
        ));
    }
    if args.tab_stop != 4 {
        // Said, not silent: pandoc also indents code blocks and list
        // continuations by the tab stop.
        eprintln!(
            "md2ast: warning: --tab-stop {} expands tabs to {0} columns, but indented code \
             blocks and continuation lines still take 4 spaces (pandoc: {0})",
            args.tab_stop
        );
    }
    let mut options = md2ast::ReadOptions {
        extensions,
        columns: args.columns,
        tab_stop: args.tab_stop,
        strip_comments: args.strip_comments,
        sourcepos: args.sourcepos,
        shift_heading_level_by: args.shift_heading_level_by.unwrap_or(0),
        ..md2ast::ReadOptions::default()
    };
    for m in &args.metadata {
        options.add_metadata(m);
    }
    for path in &args.metadata_file {
        let bytes = stage_cli::read_input(Some(path))?;
        options.metadata_files.push(md2ast::Source {
            text: md2ast::decode_utf8(path, bytes)?,
            path: path.clone(),
        });
    }
    if let Some(path) = &args.abbreviations {
        let bytes = stage_cli::read_input(Some(path))?;
        let text = md2ast::decode_utf8(path, bytes)?;
        options.abbreviations = Some(
            text.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_string)
                .collect(),
        );
    }
    Ok(options)
}

fn main() -> ExitCode {
    let args = Args::parse();
    stage_cli::run_main("md2ast", move || {
        let options = read_options(&args)?;
        let sources = if args.files.is_empty() {
            let bytes = stage_cli::read_input(None)?;
            let path = PathBuf::from("<stdin>");
            vec![md2ast::Source {
                text: md2ast::decode_utf8(&path, bytes)?,
                path,
            }]
        } else {
            let mut sources = Vec::with_capacity(args.files.len());
            for path in &args.files {
                let bytes = stage_cli::read_input(Some(path))?;
                sources.push(md2ast::Source {
                    text: md2ast::decode_utf8(path, bytes)?,
                    path: path.clone(),
                });
            }
            sources
        };
        // Streamed block by block: the whole AST of a long document is never
        // held; the output is still atomic (`write_output`).
        stage_cli::write_output(args.output.as_deref(), |out| {
            md2ast::write_json_from_sources(&sources, &options, out)
        })?;
        Ok(ast::exit::OK)
    })
}

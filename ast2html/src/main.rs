//! `ast2html`: a pandoc JSON document on stdin (or a file) to HTML5.

// The AST is millions of small allocations: mimalloc makes reading about 1.4x faster.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use ast2html::{HtmlOptions, MathMethod};
use clap::Parser;

/// Writes a pandoc JSON AST as an HTML5 page, like `pandoc -s -t html5`.
#[derive(Parser, Debug)]
#[command(version, about, disable_version_flag = true)]
struct Args {
    /// Print the version.
    #[arg(long, action = clap::ArgAction::Version)]
    version: Option<bool>,
    /// The JSON document to read (default: standard input).
    input: Option<PathBuf>,
    /// Where to write the HTML (default: standard output); replaced only
    /// once the whole page is written.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// The options both writers take.
    #[command(flatten)]
    writer: writer_support::WriterArgs,
    /// Write math for MathJax and load it from URL (`--mathjax=URL`; default:
    /// pandoc's CDN URL).
    #[arg(long, value_name = "URL", num_args = 0..=1,
        require_equals = true, default_missing_value = ast2html::DEFAULT_MATHJAX_URL)]
    mathjax: Option<String>,
    /// Write math as MathML, which browsers show without a script (formulas
    /// it cannot convert fall back to plain HTML, with a warning).
    #[arg(long, conflicts_with = "mathjax")]
    mathml: bool,
    /// Link a stylesheet (repeatable).
    #[arg(short = 'c', long, value_name = "URL")]
    css: Vec<String>,
    /// Put local images and stylesheets inside the page as data URIs.
    #[arg(long)]
    embed_resources: bool,
    /// For documents from untrusted authors: leave out raw HTML, event
    /// handler attributes and javascript: URLs (each with a warning).
    #[arg(long)]
    sanitize: bool,
}

fn main() -> ExitCode {
    let args = Args::parse();
    stage_cli::run_main("ast2html", move || run(args))
}

fn run(args: Args) -> Result<u8, ast::Error> {
    let highlight_style = args.writer.highlight()?;
    let template = args.writer.read_template()?;
    // Default: the input file's folder, or the current folder for stdin.
    let resource_path = if args.writer.resource_path.is_empty() {
        vec![args
            .input
            .as_deref()
            .filter(|p| p.as_os_str() != "-")
            .and_then(Path::parent)
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."))]
    } else {
        args.writer.resource_path.clone()
    };
    let options = HtmlOptions {
        standalone: !args.writer.body_only,
        number_sections: args.writer.number_sections,
        toc: args.writer.toc,
        toc_title: args.writer.toc_title.clone(),
        toc_depth: args.writer.toc_depth.unwrap_or(3),
        math: match (args.mathjax, args.mathml) {
            (Some(url), _) => MathMethod::MathJax(url),
            (None, true) => MathMethod::MathMl,
            (None, false) => MathMethod::Plain,
        },
        highlight_style,
        variables: args.writer.variable_pairs(),
        css: args.css,
        embed_resources: args.embed_resources,
        sanitize: args.sanitize,
        resource_path,
        template,
    };
    // The input is opened first: a missing one is reported before any output.
    let input: Box<dyn std::io::Read + Send> =
        match args.input.as_deref().filter(|p| p.as_os_str() != "-") {
            Some(path) => {
                Box::new(
                    std::fs::File::open(path).map_err(|source| ast::Error::Input {
                        path: path.to_path_buf(),
                        source,
                    })?,
                )
            }
            None => Box::new(std::io::stdin()),
        };
    let input_path = args.input.as_deref().filter(|p| p.as_os_str() != "-");
    let out_path = args
        .output
        .clone()
        .unwrap_or_else(|| PathBuf::from("<stdout>"));
    let mut warnings = Vec::new();
    // The page goes straight to the output (a temporary file until it is
    // whole): nothing is written before the whole document is read.
    stage_cli::write_output(args.output.as_deref(), |w| {
        let mut out = IoWriter {
            inner: w,
            error: None,
        };
        match ast2html::write_html_from_json(input, input_path, &options, &mut out) {
            Ok(w) => warnings = w,
            Err(e) => {
                return Err(match out.error.take() {
                    Some(source) => ast::Error::Output {
                        path: out_path.clone(),
                        source,
                    },
                    None => e,
                })
            }
        }
        Ok(())
    })?;
    if !args.writer.quiet {
        // The style's contrast first: it is about the options, not the document.
        warnings.splice(0..0, args.writer.highlight_warning());
        writer_support::print_diagnostics("ast2html", &warnings);
    }
    Ok(ast::exit::OK)
}

/// The output as a `fmt::Write`, keeping the I/O error that `fmt` cannot carry.
struct IoWriter<'a> {
    inner: &'a mut dyn std::io::Write,
    error: Option<std::io::Error>,
}

impl std::fmt::Write for IoWriter<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.inner.write_all(s.as_bytes()).map_err(|e| {
            self.error = Some(e);
            std::fmt::Error
        })
    }
}

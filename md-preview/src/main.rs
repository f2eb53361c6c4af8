//! `md-preview [FILE...|DIR] [--port N] [--open] [--pdf] [ast2html options]`:
//! serves the document's page, rebuilt on save; the browser follows.

// The AST is millions of small allocations: mimalloc is much faster at that.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use md_preview::{Preview, PreviewOptions, WriterOptions};

/// Serves the HTML page of a Markdown document on http://127.0.0.1:PORT/,
/// rebuilds it when a file changes, and reloads the open page at the same
/// heading. Errors and typography problems are shown in the page.
#[derive(Parser, Debug)]
#[command(version, about, disable_version_flag = true)]
struct Args {
    /// Print the version.
    #[arg(long, action = clap::ArgAction::Version)]
    version: Option<bool>,
    /// Markdown files, read in this order as one document, or a folder whose
    /// *.md files are read in the order of their names.
    #[arg(required = true, value_name = "FILE...|DIR")]
    inputs: Vec<PathBuf>,
    /// The port to listen on; the next free one when it is taken.
    #[arg(long, default_value_t = 8000)]
    port: u16,
    /// The address to listen on (other machines can read the folder served
    /// when it is not a loopback address).
    #[arg(long, default_value = "127.0.0.1")]
    host: String,
    /// Open the page in the desktop's browser (xdg-open).
    #[arg(long)]
    open: bool,
    /// Also rebuild the PDF after each change, in the background, served at
    /// /NAME.pdf; its state is shown in the page.
    #[arg(long)]
    pdf: bool,
    /// The NAME of /NAME.pdf (default: the folder's or first file's name).
    #[arg(long, value_name = "NAME")]
    name: Option<String>,
    /// A TeX bundle (folder or zip) for the PDF instead of the embedded one.
    #[arg(long, value_name = "PATH")]
    tex_bundle: Option<PathBuf>,
    /// A file is rebuilt once quiet this many milliseconds; files saved
    /// within this time of each other are one rebuild.
    #[arg(long, value_name = "MS", default_value_t = 15)]
    debounce: u64,
    /// Number the headings (1, 1.1, 1.1.1); `.unnumbered` ones are skipped.
    #[arg(short = 'N', long)]
    number_sections: bool,
    /// Put a table of contents before the body.
    #[arg(long)]
    toc: bool,
    /// The title of the table of contents.
    #[arg(long, value_name = "TITLE")]
    toc_title: Option<String>,
    /// Deepest heading level in the table of contents.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u8).range(1..=6))]
    toc_depth: Option<u8>,
    /// Write math for MathJax and load it from URL.
    #[arg(long, value_name = "URL", num_args = 0..=1, require_equals = true,
        default_missing_value = "https://cdn.jsdelivr.net/npm/mathjax@3/es5/tex-chtml-full.js")]
    mathjax: Option<String>,
    /// Colours of highlighted code (as ast2html's).
    #[arg(long, value_name = "STYLE")]
    highlight_style: Option<String>,
    /// Leave code blocks unhighlighted.
    #[arg(long)]
    no_highlight: bool,
    /// Set a template variable (KEY=VALUE or KEY:VALUE; KEY alone is true).
    #[arg(short = 'V', long = "variable", value_name = "KEY=VALUE")]
    variables: Vec<String>,
    /// Link a stylesheet (repeatable).
    #[arg(short = 'c', long, value_name = "URL")]
    css: Vec<String>,
    /// Put local images and stylesheets inside the page as data URIs.
    #[arg(long)]
    embed_resources: bool,
    /// The folder images and stylesheets are read from, and the only one
    /// served (default: the document's folder).
    #[arg(long, value_name = "DIR")]
    resource_path: Option<PathBuf>,
    /// Leave out raw HTML, event handlers and javascript: URLs.
    #[arg(long)]
    sanitize: bool,
    /// A pandoc template to use instead of the default one.
    #[arg(long, value_name = "FILE")]
    template: Option<PathBuf>,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let open = args.open;
    let options = PreviewOptions {
        inputs: args.inputs,
        host: args.host,
        port: args.port,
        pdf: args.pdf,
        name: args.name,
        tex_bundle: args.tex_bundle,
        debounce: Duration::from_millis(args.debounce),
        writer: WriterOptions {
            toc: args.toc,
            toc_title: args.toc_title,
            toc_depth: args.toc_depth,
            number_sections: args.number_sections,
            mathjax: args.mathjax,
            highlight_style: args.highlight_style,
            no_highlight: args.no_highlight,
            variables: args.variables,
            css: args.css,
            embed_resources: args.embed_resources,
            sanitize: args.sanitize,
            template: args.template,
            resource_dir: args.resource_path.unwrap_or_default(),
        },
    };
    let preview = match Preview::start(options) {
        Ok(preview) => preview,
        Err(e) => {
            eprintln!("md-preview: {e}");
            return ExitCode::from(e.exit_code());
        }
    };
    // On stdout, alone on its line, for scripts.
    println!("{}", preview.url());
    eprintln!(
        "md-preview: serving the page at {} (Ctrl-C to stop)",
        preview.url()
    );
    if open {
        if let Err(e) = std::process::Command::new("xdg-open")
            .arg(preview.url())
            .spawn()
        {
            eprintln!("md-preview: warning: cannot open a browser (xdg-open: {e}); open the address above");
        }
    }
    preview.wait();
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    #[test]
    fn command_line_is_consistent() {
        use clap::CommandFactory;
        super::Args::command().debug_assert();
    }
}

//! `ast2latex`: pandoc JSON on stdin (or a file) to LaTeX, or to PDF with the
//! embedded Tectonic.

// The AST is millions of small allocations: mimalloc makes reading about 1.4x faster.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::path::PathBuf;
use std::process::ExitCode;

use ast2latex::{BundleSource, LatexOptions, PdfOptions};
use clap::Parser;

/// Writes a pandoc JSON document as LaTeX, or compiles it to PDF with no TeX
/// installation.
///
/// A PDF build runs TeX with shell escape off (`\write18` runs nothing) and
/// reads files (images, raw LaTeX `\input`...) only under --resource-path;
/// what TeX writes (`.aux`, `\openout`) stays in memory.
#[derive(Parser, Debug)]
#[command(version, about, disable_version_flag = true)]
struct Cli {
    /// The pandoc JSON document (default: standard input).
    input: Option<PathBuf>,
    /// Write the LaTeX to this file (default: standard output).
    #[arg(short, long, value_name = "FILE.tex", conflicts_with = "pdf")]
    output: Option<PathBuf>,
    /// Compile the document and write the PDF to this file (atomically).
    #[arg(long, value_name = "FILE.pdf")]
    pdf: Option<PathBuf>,
    /// A template in pandoc's syntax instead of the default one.
    #[arg(long, value_name = "FILE")]
    template: Option<PathBuf>,
    /// Set a template variable (KEY=VALUE or KEY:VALUE; KEY alone means true); repeatable.
    #[arg(short = 'V', long = "variable", value_name = "KEY=VALUE")]
    variables: Vec<String>,
    /// Print a table of contents.
    #[arg(long)]
    toc: bool,
    /// Title of the table of contents.
    #[arg(long, value_name = "TITLE")]
    toc_title: Option<String>,
    /// Number the sections.
    #[arg(short = 'N', long)]
    number_sections: bool,
    /// Highlighting style of code blocks (pygments, tango, espresso, zenburn, kate, monochrome, breezedark, haddock).
    #[arg(long, value_name = "STYLE", default_value = "pygments")]
    highlight_style: String,
    /// Print the default template (pandoc's template syntax), to start a custom one.
    #[arg(long)]
    print_default_template: bool,
    /// Do not highlight code blocks.
    #[arg(long)]
    no_highlight: bool,
    /// Write the body only, without preamble nor template.
    #[arg(long)]
    body_only: bool,
    /// A local TeX bundle (directory or zip) instead of the embedded one [env: AST2LATEX_TEX_BUNDLE].
    #[arg(long, value_name = "PATH")]
    tex_bundle: Option<PathBuf>,
    /// Folders where images and files read by raw LaTeX are looked up, separated by ':' (repeatable; default: the current directory). Files outside them (absolute paths, '..', symbolic links leading out) are refused, except font files in the system's font folders (for -V mainfont).
    #[arg(long, value_name = "DIR[:DIR...]", value_delimiter = ':')]
    resource_path: Vec<PathBuf>,
    /// Let the document read files outside --resource-path (images and raw LaTeX '\input' with any path): for trusted documents only.
    #[arg(long)]
    allow_outside_resources: bool,
    /// Folder of the cached TeX format (default: $XDG_CACHE_HOME/ast2latex or ~/.cache/ast2latex).
    #[arg(long, value_name = "DIR")]
    cache_dir: Option<PathBuf>,
    /// Print the version.
    #[arg(long, action = clap::ArgAction::Version)]
    version: Option<bool>,
    /// Print no progress and no warnings.
    #[arg(short, long)]
    quiet: bool,
    /// Write the names of the bundle files the compile opened to this file
    /// (used by scripts/build-tex-bundle).
    #[arg(long, value_name = "FILE", hide = true, requires = "pdf")]
    record_bundle_files: Option<PathBuf>,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    ast::cli::run_main("ast2latex", move || run(cli))
}

fn run(cli: Cli) -> Result<u8, ast::Error> {
    if cli.print_default_template {
        ast::cli::write_output(cli.output.as_deref(), |w| {
            w.write_all(ast2latex::DEFAULT_TEMPLATE.as_bytes())
                .map_err(ast::cli::stdout_err)
        })?;
        return Ok(ast::exit::OK);
    }
    let style = if cli.no_highlight {
        None
    } else {
        Some(ast2latex::find_style(&cli.highlight_style).ok_or_else(|| {
            ast::Error::Usage(format!(
                "unknown highlight style \"{}\" (known: {})",
                cli.highlight_style,
                ast2latex::style_names().join(", ")
            ))
        })?)
    };
    let template = match &cli.template {
        Some(path) => {
            let bytes = ast::cli::read_input(Some(path))?;
            let text = String::from_utf8(bytes).map_err(|_| {
                ast::Error::Data(format!("{}: the template is not UTF-8", path.display()))
            })?;
            Some((text, path.display().to_string()))
        }
        None => None,
    };
    let options = LatexOptions {
        standalone: !cli.body_only,
        template,
        variables: cli
            .variables
            .iter()
            .map(|v| ast::template::parse_variable(v))
            .collect(),
        toc: cli.toc,
        toc_title: cli.toc_title.clone(),
        number_sections: cli.number_sections,
        highlight_style: style,
    };
    let doc = ast::cli::read_document(cli.input.as_deref())?;
    let mut latex = String::new();
    let warnings = ast2latex::write_latex(&doc, &options, &mut latex)?;
    if !cli.quiet {
        for w in &warnings {
            eprintln!("ast2latex: warning: {w}");
        }
    }
    let Some(pdf_path) = &cli.pdf else {
        ast::cli::write_output(cli.output.as_deref(), |w| {
            w.write_all(latex.as_bytes()).map_err(ast::cli::stdout_err)
        })?;
        return Ok(ast::exit::OK);
    };
    let resources = ast2latex::ResourcePath::new(&cli.resource_path, cli.allow_outside_resources)?;
    ast2latex::check_local_images(&doc, &resources)?;
    let recorded = cli.record_bundle_files.as_ref().map(|_| Default::default());
    let pdf_options = PdfOptions {
        bundle: cli
            .tex_bundle
            .clone()
            .map_or(BundleSource::Default, BundleSource::Path),
        resource_path: cli.resource_path.clone(),
        allow_outside_resources: cli.allow_outside_resources,
        cache_dir: cli.cache_dir.clone(),
        quiet: cli.quiet,
        opened_files: recorded.clone(),
    };
    let (pdf, warnings) = ast2latex::compile_pdf_with_warnings(&latex, &pdf_options)?;
    if !cli.quiet {
        for w in &warnings {
            eprintln!("ast2latex: warning: {w}");
        }
    }
    ast::cli::write_output(Some(pdf_path), |w| {
        w.write_all(&pdf).map_err(|source| ast::Error::Output {
            path: pdf_path.clone(),
            source,
        })
    })?;
    if let (Some(list), Some(names)) = (&cli.record_bundle_files, recorded) {
        let names: std::sync::Arc<std::sync::Mutex<std::collections::BTreeSet<String>>> = names;
        let text: String = names
            .lock()
            .map(|n| n.iter().map(|s| format!("{s}\n")).collect())
            .unwrap_or_default();
        ast::cli::write_output(Some(list), |w| {
            w.write_all(text.as_bytes())
                .map_err(|source| ast::Error::Output {
                    path: list.clone(),
                    source,
                })
        })?;
    }
    Ok(ast::exit::OK)
}

#[cfg(test)]
mod tests {
    #[test]
    fn command_line_is_consistent() {
        use clap::CommandFactory;
        super::Cli::command().debug_assert();
    }
}

//! `ast2latex`: pandoc JSON on stdin (or a file) to LaTeX with the ast2latex
//! library, or to PDF with this crate's embedded Tectonic.

// The AST is millions of small allocations: mimalloc makes reading about 1.4x faster.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::path::PathBuf;
use std::process::ExitCode;

use ast2latex::LatexOptions;
use clap::Parser;
use tex_engine::{BundleSource, PdfOptions};

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
    /// The options both writers take.
    #[command(flatten)]
    writer: writer_support::WriterArgs,
    /// Print the default template (pandoc's template syntax), to start a custom one.
    #[arg(long)]
    print_default_template: bool,
    /// A local TeX bundle (directory or zip) instead of the embedded one [env: AST2LATEX_TEX_BUNDLE].
    #[arg(long, value_name = "PATH")]
    tex_bundle: Option<PathBuf>,
    /// Let the document read files outside --resource-path (images and raw LaTeX '\input' with any path): for trusted documents only. Without it, files outside (absolute paths, '..', symbolic links leading out) are refused, except font files in the system's font folders (for -V mainfont).
    #[arg(long)]
    allow_outside_resources: bool,
    /// Folder of the cached TeX format (default: $XDG_CACHE_HOME/ast2latex or ~/.cache/ast2latex).
    #[arg(long, value_name = "DIR")]
    cache_dir: Option<PathBuf>,
    /// Print the version.
    #[arg(long, action = clap::ArgAction::Version)]
    version: Option<bool>,
    /// Write the names of the bundle files the compile opened to this file
    /// (used by scripts/build-tex-bundle).
    #[arg(long, value_name = "FILE", hide = true, requires = "pdf")]
    record_bundle_files: Option<PathBuf>,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    stage_cli::run_main("ast2latex", move || run(cli))
}

fn run(cli: Cli) -> Result<u8, ast::Error> {
    if cli.print_default_template {
        stage_cli::write_output(cli.output.as_deref(), |w| {
            w.write_all(ast2latex::DEFAULT_TEMPLATE.as_bytes())
                .map_err(stage_cli::stdout_err)
        })?;
        return Ok(ast::exit::OK);
    }
    let w = &cli.writer;
    let options = LatexOptions {
        standalone: !w.body_only,
        template: w.read_template()?,
        variables: w.variable_pairs(),
        toc: w.toc,
        toc_title: w.toc_title.clone(),
        toc_depth: w.toc_depth,
        number_sections: w.number_sections,
        highlight_style: w.highlight()?,
    };
    let mut doc = stage_cli::read_document(cli.input.as_deref())?;
    // For a PDF: images TeX cannot find as written (`data:` URIs, files
    // with no extension) get a name with the extension of their content.
    let mut media = Default::default();
    if cli.pdf.is_some() {
        let resources =
            tex_engine::ResourcePath::new(&cli.writer.resource_path, cli.allow_outside_resources)?;
        tex_engine::check_local_images(&doc, &resources)?;
        media = tex_engine::prepare_images(&mut doc, &resources)?;
    }
    let mut latex = String::new();
    let mut warnings = ast2latex::write_latex(&doc, &options, &mut latex)?;
    if !cli.writer.quiet {
        // The style's contrast first: it is about the options, not the document.
        warnings.splice(0..0, w.highlight_warning());
        writer_support::print_diagnostics("ast2latex", &warnings);
    }
    let Some(pdf_path) = &cli.pdf else {
        stage_cli::write_output(cli.output.as_deref(), |w| {
            w.write_all(latex.as_bytes()).map_err(stage_cli::stdout_err)
        })?;
        return Ok(ast::exit::OK);
    };
    let recorded = cli.record_bundle_files.as_ref().map(|_| Default::default());
    let pdf_options = PdfOptions {
        bundle: cli
            .tex_bundle
            .clone()
            .map_or(BundleSource::Default, BundleSource::Path),
        resource_path: cli.writer.resource_path.clone(),
        allow_outside_resources: cli.allow_outside_resources,
        cache_dir: cli.cache_dir.clone(),
        quiet: cli.writer.quiet,
        opened_files: recorded.clone(),
        // The PDF's own name: its last build's .aux and .toc are kept in
        // the cache, so that one TeX pass usually suffices.
        aux_key: Some(output_key(pdf_path)),
        media,
    };
    let (pdf, warnings) = tex_engine::compile_pdf_with_warnings(&latex, &pdf_options)?;
    if !cli.writer.quiet {
        writer_support::print_diagnostics("ast2latex", &warnings);
    }
    stage_cli::write_output(Some(pdf_path), |w| {
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
        stage_cli::write_output(Some(list), |w| {
            w.write_all(text.as_bytes())
                .map_err(|source| ast::Error::Output {
                    path: list.clone(),
                    source,
                })
        })?;
    }
    Ok(ast::exit::OK)
}

/// The PDF's absolute path (its folder resolved, as it may not exist yet).
fn output_key(pdf: &std::path::Path) -> String {
    let absolute = std::path::absolute(pdf).unwrap_or_else(|_| pdf.to_path_buf());
    let resolved = match (absolute.parent(), absolute.file_name()) {
        (Some(dir), Some(name)) => std::fs::canonicalize(dir)
            .map(|d| d.join(name))
            .unwrap_or(absolute.clone()),
        _ => absolute,
    };
    resolved.to_string_lossy().into_owned()
}

#[cfg(test)]
mod tests {
    #[test]
    fn command_line_is_consistent() {
        use clap::CommandFactory;
        super::Cli::command().debug_assert();
    }
}

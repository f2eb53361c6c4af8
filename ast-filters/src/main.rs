//! `ast-filters [FILTER...] [FORMAT]`: pandoc JSON on stdin, JSON on stdout,
//! diagnostics on stderr, a batch of top-level blocks at a time
//! ([`ast_filters::apply_json`]). See the library documentation for the filters.

// The AST is millions of small allocations: mimalloc makes reading about 1.4x faster.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::process::ExitCode;

use ast::{exit, Error};
use ast_filters::{apply_json, Filter, FilterOptions, FixOptions};
use clap::Parser;

/// The output formats of pandoc 3.9 (`pandoc --list-output-formats`): the
/// FORMAT pandoc passes as the first argument to a `--filter` program.
const PANDOC_FORMATS: &[&str] = &[
    "ansi",
    "asciidoc",
    "asciidoc_legacy",
    "asciidoctor",
    "bbcode",
    "bbcode_fluxbb",
    "bbcode_hubzilla",
    "bbcode_phpbb",
    "bbcode_steam",
    "bbcode_xenforo",
    "beamer",
    "biblatex",
    "bibtex",
    "chunkedhtml",
    "commonmark",
    "commonmark_x",
    "context",
    "csljson",
    "djot",
    "docbook",
    "docbook4",
    "docbook5",
    "docx",
    "dokuwiki",
    "dzslides",
    "epub",
    "epub2",
    "epub3",
    "fb2",
    "gfm",
    "haddock",
    "html",
    "html4",
    "html5",
    "icml",
    "ipynb",
    "jats",
    "jats_archiving",
    "jats_articleauthoring",
    "jats_publishing",
    "jira",
    "json",
    "latex",
    "man",
    "markdown",
    "markdown_github",
    "markdown_mmd",
    "markdown_phpextra",
    "markdown_strict",
    "markua",
    "mediawiki",
    "ms",
    "muse",
    "native",
    "odt",
    "opendocument",
    "opml",
    "org",
    "pdf",
    "plain",
    "pptx",
    "revealjs",
    "rst",
    "rtf",
    "s5",
    "slideous",
    "slidy",
    "tei",
    "texinfo",
    "textile",
    "typst",
    "vimdoc",
    "xml",
    "xwiki",
    "zimwiki",
];

/// French typography, small caps, page breaks and raw TeX on pandoc's JSON AST.
///
/// Reads a document on stdin, writes it on stdout. With no FILTER, runs the
/// default chain: raw-tex, smallcaps, pagebreak, french-quotes, french-spacing.
/// Works as `pandoc --filter ast-filters`.
#[derive(Parser)]
#[command(name = "ast-filters", version)]
struct Cli {
    /// Filters to run in this order (see --list), optionally followed by the
    /// pandoc output format (html, latex, json...) that pandoc passes to filters.
    #[arg(value_name = "FILTER|FORMAT")]
    args: Vec<String>,
    /// Describe each filter and exit.
    #[arg(long)]
    list: bool,
    /// Check the French typography only: print each problem with its section
    /// and the text around it, write no document, exit 1 if there are problems.
    ///
    /// On a document read with positions (`md2ast --sourcepos FILE...`),
    /// each problem is one line `FILE:LINE:COL: warning: ...` (columns in
    /// characters), as compilers print them.
    #[arg(long)]
    check: bool,
    /// Fix the Markdown sources of a document read with positions
    /// (`md2ast --sourcepos FILE... | ast-filters --fix`): the spaces of
    /// french-spacing and the guillemets of french-quotes, with the
    /// document's `typography:` settings and -M; every other byte is kept.
    /// Files are written atomically; a file changed since it was read is
    /// left alone. Writes no document.
    #[arg(long, conflicts_with = "check")]
    fix: bool,
    /// With --fix: print a unified diff of the fixes on stdout and write nothing.
    #[arg(long, requires = "fix")]
    diff: bool,
    /// With --fix: write pandoc's escaped space `\ ` for U+00A0 (no-break
    /// space) instead of the character, for ASCII sources.
    #[arg(long, requires = "fix")]
    escaped_nbsp: bool,
    /// smallcaps: also turn a surname in capitals after a given name
    /// (`Camille DURAND`) into small caps.
    #[arg(long)]
    caps_names: bool,
    /// Override a metadata option (lang, typography.before-colon, acronyms...),
    /// as pandoc's -M; may be repeated.
    #[arg(short = 'M', long = "metadata", value_name = "KEY=VALUE")]
    metadata: Vec<String>,
}

fn options(cli: Cli) -> Result<FilterOptions, Error> {
    let mut opts = FilterOptions {
        caps_names: cli.caps_names,
        check: cli.check,
        ..FilterOptions::default()
    };
    let n = cli.args.len();
    for (i, arg) in cli.args.into_iter().enumerate() {
        match arg.parse::<Filter>() {
            Ok(f) => opts.filters.push(f),
            Err(e) => {
                let base = ast_filters::base_format(&arg);
                if i + 1 == n && PANDOC_FORMATS.contains(&base) {
                    opts.format = Some(arg);
                } else if i + 1 == n {
                    return Err(Error::Usage(format!(
                        "\"{arg}\" is neither a filter (see --list) nor a pandoc output format"
                    )));
                } else {
                    return Err(e);
                }
            }
        }
    }
    for kv in cli.metadata {
        let (k, v) = kv.split_once('=').unwrap_or((kv.as_str(), "true"));
        opts.metadata.push((k.to_string(), v.to_string()));
    }
    Ok(opts)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if cli.list {
        for f in Filter::ALL {
            let default = if Filter::DEFAULT_CHAIN.contains(&f) {
                " (default chain)"
            } else {
                ""
            };
            println!("{}{default}\n    {}", f.name(), f.description());
        }
        return ExitCode::SUCCESS;
    }
    let fix = (cli.fix || cli.check).then_some(FixOptions {
        diff: cli.diff,
        escaped_nbsp: cli.escaped_nbsp,
        add_missing: false,
    });
    let fixing = cli.fix;
    stage_cli::run_main("ast-filters", move || {
        let opts = options(cli)?;
        if let Some(fix_opts) = fix {
            return check_or_fix(&opts, fixing, fix_opts);
        }
        // Each distinct diagnostic once, with its count, as every stage
        // prints them; printed whether the run fails or not.
        let mut diagnostics = writer_support::Diagnostics::default();
        let result = apply_json(std::io::stdin(), stage_cli::stdout_writer(), &opts, |d| {
            diagnostics.push(d)
        });
        diagnostics.print("ast-filters");
        let problems = result?;
        if problems > 0 {
            eprintln!(
                "ast-filters: {problems} typography problem{} found",
                if problems == 1 { "" } else { "s" }
            );
            return Ok(exit::PROBLEMS);
        }
        Ok(exit::OK)
    })
}

/// `--check` and `--fix`: with positions, the problems placed in the
/// sources; without, `--check` as the filters report it (with sections).
fn check_or_fix(opts: &FilterOptions, fixing: bool, fix_opts: FixOptions) -> Result<u8, Error> {
    let input = stage_cli::read_input(None)?;
    let mut diagnostics = writer_support::Diagnostics::default();
    if !ast_filters::has_positions(&input) {
        if fixing {
            return Err(Error::Usage(
                "--fix needs a document read with positions: \
                 md2ast --sourcepos FILE... | ast-filters --fix"
                    .into(),
            ));
        }
        let result = apply_json(&input[..], std::io::sink(), opts, |d| diagnostics.push(d));
        diagnostics.print("ast-filters");
        return Ok(problems_found(result?));
    }
    let mut doc = ast::read_json_bytes(&input)?;
    drop(input);
    let (report, spots) = ast_filters::locate_problems(&mut doc, opts)?;
    for d in report.diagnostics {
        diagnostics.push(d);
    }
    diagnostics.print("ast-filters");
    if !fixing {
        let outcome = ast_filters::check_sources(&spots);
        for m in &outcome.messages {
            eprintln!("{m}");
        }
        return Ok(problems_found(outcome.problems));
    }
    let options = ast_filters::OptionsMeta::new(&doc.meta, &opts.metadata)?;
    let fix_opts = FixOptions {
        add_missing: options.spacing().add_missing,
        ..fix_opts
    };
    let outcome = ast_filters::fix_sources(&spots, &fix_opts)?;
    if fix_opts.diff {
        use std::io::Write;
        let mut out = stage_cli::stdout_writer();
        out.write_all(outcome.diff.as_bytes())
            .and_then(|()| out.flush())
            .map_err(stage_cli::stdout_err)?;
    }
    for m in &outcome.messages {
        eprintln!("{m}");
    }
    if outcome.problems > 0 {
        eprintln!(
            "ast-filters: {} typography problem{} not fixed",
            outcome.problems,
            if outcome.problems == 1 { "" } else { "s" }
        );
        return Ok(exit::PROBLEMS);
    }
    Ok(exit::OK)
}

/// The exit status for `problems` found by `--check`, said on stderr.
fn problems_found(problems: usize) -> u8 {
    if problems > 0 {
        eprintln!(
            "ast-filters: {problems} typography problem{} found",
            if problems == 1 { "" } else { "s" }
        );
        return exit::PROBLEMS;
    }
    exit::OK
}

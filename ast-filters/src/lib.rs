//! French typography, small caps, page breaks and raw TeX, done on pandoc's
//! AST between `md2ast` and the writers, or inside a plain pandoc pipeline
//! (`pandoc --filter ast-filters`).
//!
//! Each filter is a function ([`apply_raw_tex`], [`apply_smallcaps`],
//! [`apply_pagebreak`], [`apply_french_quotes`], [`apply_french_spacing`]);
//! [`apply`] runs a chain with options read from the document's metadata,
//! [`Chain`] runs it on a document given a batch of blocks at a time, and
//! [`apply_json`] is what the binary does: JSON in, JSON out, streaming.
//!
//! ```
//! let mut doc = ast::read_json(
//!     r#"{"pandoc-api-version":[1,23,1],"meta":{},"blocks":[{"t":"Para","c":[{"t":"Str","c":"mot"},{"t":"Space"},{"t":"Str","c":":"}]}]}"#,
//! ).unwrap();
//! let report = ast_filters::apply(&mut doc, &ast_filters::FilterOptions::default()).unwrap();
//! assert!(report.diagnostics.is_empty());
//! assert_eq!(doc.blocks, vec![ast::Block::Para(vec![ast::Inline::Str("mot\u{a0}:".into())])]);
//! ```
//!
//! # The filters
//!
//! The default chain, in this order: `raw-tex`, `smallcaps`, `pagebreak`,
//! `french-quotes`, `french-spacing`.
//!
//! - **`french-spacing`**: turns the ordinary space before `:` into U+00A0,
//!   before `;` `!` `?` into U+202F, after `«` and before `»` into U+202F, and
//!   between a number and its unit, `%` or `€` into U+00A0 (metadata
//!   `typography.before-colon`, `before-high`, `in-guillemets`, `number-unit`:
//!   `nbsp`, `narrow` or `none`). The result is the AST pandoc gives for the
//!   text typed with those spaces: pandoc splits `Str` at ordinary spaces
//!   only, so `mot :` becomes the single `Str "mot\u{a0}:"`; a space beside
//!   markup stays on its side (`[lien](#x) :` gives `Link …, Str "\u{a0}:"`).
//!   With `typography.add-missing: true` it also inserts a missing space
//!   (`mot!`). It never touches code, raw TeX/HTML, math, URLs (words with
//!   `://`, `www.`, `@`, `/` or `\`) and link targets, times (`10:30`),
//!   ratios (`1:2`), the second mark of `?!`/`!!`, `C:\`, emoticons (`:-)`,
//!   `;)`), nor a space next to a no-break space already there. It runs when
//!   `lang` is French or unset and prints a note otherwise.
//! - **`french-quotes`**: `Quoted DoubleQuote` becomes `«` + inner space + … +
//!   inner space + `»` (the inner space is `typography.in-guillemets`, an
//!   ordinary `Space` for `none`), merged into the `Str` nodes around it; a
//!   double quote inside another becomes `“…”`. Single quotes are kept.
//!   Same `lang` rule as `french-spacing`.
//! - **`smallcaps`**: raw TeX `\textsc{X}` becomes `SmallCaps`, X read as
//!   inline Markdown (emphasis, code, typographic apostrophe, dashes);
//!   everywhere, metadata included. With `--caps-names`, a surname in
//!   capitals after a capitalised given name (`Camille DURAND`) becomes
//!   `SmallCaps [Str "Durand"]`; acronyms (a built-in list plus the
//!   document's `acronyms:`) and capitalised words that start sentences
//!   (`Le`, `Pour`...) are left alone.
//! - **`pagebreak`**: see below.
//! - **`raw-tex`**: `\emph`, `\textit` → `Emph`; `\textbf` → `Strong`;
//!   `\texttt` → `Code`; `\underline` → `Underline`; `\textsc` → `SmallCaps`;
//!   `~` → U+00A0; `\,` → U+202F; `\og`/`\fg` → `«`/`»` with the inner
//!   space. pandoc ends a raw TeX inline before a `~` that follows it
//!   (`\textsc{Durand}~:` gives `RawInline "\textsc{Durand}", Str "~:"`):
//!   that `~` becomes U+00A0 too, in `raw-tex` and in `smallcaps`. Commands
//!   it does not know stay raw TeX; when the target FORMAT is given and
//!   drops raw TeX (not `latex`, `beamer`, `context`), each raw TeX inline or
//!   block left after the chain gets a warning on stderr that quotes it and
//!   names its section. Without FORMAT the target is unknown and nothing is
//!   reported: pipelines should pass it (`ast-filters html | ast2html`).
//! - **`ordinals`** (not in the default chain; name it): `1er`, `1re`, `2e`,
//!   `XIXe`, `Ier` become the number and a `Superscript` of the suffix;
//!   `n°`, `M.`, `Mme` and words such as `Le` are left alone.
//!
//! A filter is a type behind one trait that the walk hands each list to
//! (`engine.rs`); adding one touches its module, [`Filter`] (the list:
//! name, description, how it is made) and its fixtures.
//!
//!   For a FORMAT that is not LaTeX, or none, `raw-tex` also reads raw LaTeX
//!   blocks (fenced `{=latex}` blocks and raw TeX blocks alike) that hold
//!   common document structure into the nodes pandoc's LaTeX reader makes
//!   of them: `figure`, `figure*` and `table` (a `Figure`, a `Table` with its
//!   caption; `\label` is the id), `sidewaysfigure` (a `Figure` with the
//!   class `sideways`, caption kept, which pandoc loses), `center`,
//!   `flushleft`, `flushright` and `minipage` (a `Div` of that class, with
//!   a `style` that an HTML page honours: minipages side by side), the
//!   lists, `quote`/`quotation`, a simple `tabular` (`&`, `\\`, `\hline`,
//!   `\multicolumn`), `\section*` and the other sectioning commands, and in
//!   the text `\includegraphics[width=...]` (pandoc's `width`, `0.8\textwidth`
//!   as `80%`), `\ref`/`\autoref`/`\pageref` (a link to the label, as pandoc
//!   makes it, whose text is the caption or title of a label met before,
//!   else `[label]`), `\footnote`, `\href`, `\url`, math, the inline commands
//!   above and `~`, `\,`, `\thinspace`. The same commands left in raw TeX
//!   inlines are read too. Layout-only commands (`\centering`, `\vspace`,
//!   `\hfill`, `\noindent`, `\medskip`, `\clearpage`...) are dropped without
//!   a warning; any other command or environment stays raw TeX inside the
//!   new nodes, with the warning above. A block of layout commands only
//!   disappears; one with nothing known stays as it is. For LaTeX
//!   (`latex`, `beamer`, `context`) the block is kept as the author wrote it.
//!   The converted text then goes through the other filters of the chain
//!   (`~:` is already U+00A0 before the colon, and `french-spacing` adds
//!   the spaces the author did not type).
//!
//! The arguments of TeX commands are read by a small inline Markdown reader
//! ([`read_inline_markdown`]): words, emphasis, strong emphasis, code,
//! backslash escapes, and pandoc's `smart` apostrophe, quotes, dashes and
//! ellipsis. Links, notes and math inside `\textsc{...}` stay plain text.
//!
//! `--check` ([`check_french_spacing`]) reports, with its section and the
//! text around it, every space `french-spacing` would change and every
//! missing space (as with `add-missing: true`), and changes nothing.
//!
//! On a document read with positions (`md2ast --sourcepos`, pandoc's
//! `commonmark+sourcepos` convention, [`ast::sourcepos`]), [`locate_problems`]
//! places each problem of `french-spacing` and `french-quotes` in its
//! Markdown source: `--check` prints them as a compiler does
//! (`file:line:col: warning: ...`, [`check_sources`]) and `--fix` writes the
//! spaces and guillemets into the files, every other byte kept
//! ([`fix_sources`]; `--diff` shows it instead). Fixing the source and
//! fixing the output agree: a property test checks that the fixed sources
//! give the document the filters give on the original.
//!
//! # Page breaks: what the writers must render
//!
//! A raw TeX block `\newpage`, `\clearpage` or `\pagebreak` becomes:
//!
//! - with no FORMAT (our pipeline `md2ast | ast-filters | ast2html`), or a
//!   FORMAT without pages (`json`, `native`, `markdown`...), the empty `Div`
//!
//!   ```text
//!   Div ("", ["pagebreak"], [("style", "break-after: page")]) []
//!   ```
//!
//!   which **ast2latex must render as `\newpage`** (any `Div` whose classes
//!   include `pagebreak`; its blocks, if any, follow) and **ast2html renders
//!   as any `Div`**: `<div class="pagebreak" style="break-after: page"></div>`,
//!   as pandoc's HTML writer does;
//! - with FORMAT `latex`/`beamer`: `RawBlock (Format "latex")` holding the
//!   original command; `html`, `html5`, `epub`...: `RawBlock (Format "html")
//!   "<div style=\"break-after: page\"></div>"`; `docx`: an OpenXML page
//!   break; `typst`: `#pagebreak()`; `context`: `\page`; `ms`: `.bp`.
//!
//! # Speed and memory
//!
//! The filters of one chain share a single walk over the document (each
//! works on a list of inlines once the lists inside it are done), and edit
//! lists in place; a property test checks that the result equals running
//! them one after the other.
//!
//! No filter looks across top-level blocks, so the binary ([`apply_json`])
//! never holds the whole document: it reads the metadata, then batches of
//! top-level blocks as they arrive ([`ast::BlockReader`]), runs the chain on
//! each ([`Chain`]) and writes it out ([`ast::BlockWriter`]). In a pipe it
//! works while the stage before it writes; its memory is that of a batch
//! (about 30 MB on the 56 MB JSON of a 10 MB document, against 620 MB for
//! the whole tree). A property test checks that batches of any size give
//! the document and the diagnostics [`apply`] gives.
//!
//! # Options
//!
//! Options come from the metadata (`lang`, `typography`, `acronyms`) and
//! `-M key=value` overrides them (a dotted key sets an entry of a map:
//! `-M typography.add-missing=true`); the overrides change the options only,
//! not the document's metadata. A key of `typography` that does not exist
//! (`befor-colon`), a value not accepted (`before-colon: thin`) or an
//! `acronyms` entry that is not a word in capitals (`acronyms: 5`) gets a
//! warning on stderr that names it and what is accepted, and the option
//! keeps its default ([`OptionsMeta::warnings`]).

mod chain;
mod engine;
mod fix;
mod located;
mod markdown;
mod options;
mod ordinals;
mod pagebreak;
mod quotes;
mod rawtex;
mod rawtex_filter;
mod report;
mod spacing;
mod text;

use std::fmt;
use std::str::FromStr;

use ast::{Error, Pandoc};

pub use chain::{apply_json, Chain};
pub use fix::{check as check_sources, fix as fix_sources, FixOptions, Outcome};
pub use located::{has_positions, strip_positions, Change, SourceSpot};
pub use markdown::read_inline_markdown;
pub use options::{
    is_french, OptionsMeta, PagebreakOptions, QuotesOptions, RawTexOptions, SmallCapsOptions,
    SpaceKind, SpacingOptions,
};
pub use pagebreak::{
    apply_pagebreak, base_format, pagebreak_div, pagebreak_for, PAGEBREAK_CLASS, PAGEBREAK_STYLE,
};
pub use quotes::apply_french_quotes;
pub use rawtex::{apply_raw_tex, apply_smallcaps, keeps_raw_tex, warn_raw_tex_left};
pub use report::{Diagnostic, Report, Severity};
pub use spacing::{apply_french_spacing, check_french_spacing};

/// A filter of the chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Filter {
    RawTex,
    SmallCaps,
    Pagebreak,
    FrenchQuotes,
    FrenchSpacing,
    Ordinals,
    /// Changes nothing (the document is read and written back).
    Identity,
}

impl Filter {
    /// Every filter, in the order of `--list`.
    pub const ALL: [Filter; 7] = [
        Filter::RawTex,
        Filter::SmallCaps,
        Filter::Pagebreak,
        Filter::FrenchQuotes,
        Filter::FrenchSpacing,
        Filter::Ordinals,
        Filter::Identity,
    ];

    /// The chain run when no filter is named.
    pub const DEFAULT_CHAIN: [Filter; 5] = [
        Filter::RawTex,
        Filter::SmallCaps,
        Filter::Pagebreak,
        Filter::FrenchQuotes,
        Filter::FrenchSpacing,
    ];

    /// The order in which filters may share one walk: a filter named after
    /// one that comes later here starts a new walk (see [`apply`]).
    pub(crate) const WALK_ORDER: [Filter; 6] = [
        Filter::RawTex,
        Filter::SmallCaps,
        Filter::Pagebreak,
        Filter::Ordinals,
        Filter::FrenchQuotes,
        Filter::FrenchSpacing,
    ];

    /// The name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Filter::RawTex => "raw-tex",
            Filter::SmallCaps => "smallcaps",
            Filter::Pagebreak => "pagebreak",
            Filter::FrenchQuotes => "french-quotes",
            Filter::FrenchSpacing => "french-spacing",
            Filter::Ordinals => "ordinals",
            Filter::Identity => "identity",
        }
    }

    /// One line for `--list`.
    pub fn description(self) -> &'static str {
        match self {
            Filter::RawTex => {
                "inline TeX commands (\\emph, \\textbf, \\textit, \\texttt, \\underline, \\textsc, \
                 ~, \\,, \\og/\\fg) become AST nodes; for a FORMAT that is not LaTeX (or none), raw \
                 LaTeX blocks too: figure, figure*, sidewaysfigure (Figure .sideways), table, center, \
                 flushleft/right, minipage, itemize/enumerate/description, quote/quotation, tabular \
                 (\\hline, \\multicolumn), sections, \\includegraphics[width=], \\caption, \\label, \
                 \\ref/\\autoref/\\pageref (links), \\footnote, \\href, \\url; layout commands \
                 (\\centering, \\vspace, \\hfill...) dropped; for LaTeX the block stays as written; \
                 raw TeX left for a non-LaTeX FORMAT is reported on stderr with its section"
            }
            Filter::SmallCaps => {
                "\\textsc{X} becomes SmallCaps (X read as inline Markdown), metadata included; \
                 with --caps-names, `Camille DURAND` becomes Camille + SmallCaps Durand \
                 (acronyms and metadata `acronyms:` excepted)"
            }
            Filter::Pagebreak => {
                "raw TeX blocks \\newpage, \\clearpage, \\pagebreak become a page break: a Div \
                 with class `pagebreak` (style break-after: page), or with FORMAT the raw block \
                 of that format"
            }
            Filter::FrenchQuotes => {
                "\"...\" (pandoc's smart double quotes) becomes « ... » with the \
                 typography.in-guillemets space; nested double quotes become “...”"
            }
            Filter::FrenchSpacing => {
                "no-break spaces of French typography: U+00A0 before `:` and between a number \
                 and its unit, U+202F before `; ! ?` and inside « »; metadata `typography:` \
                 (before-colon, before-high, in-guillemets, number-unit: nbsp|narrow|none; \
                 add-missing: true); only for lang French or unset"
            }
            Filter::Ordinals => {
                "French ordinals get superscript suffixes: 1er 1re 2e XIXe Ier (and plurals 1ers \
                 2es) become 1^er^ 2^e^ XIX^e^...; n°, M., Mme and words such as Le or Ce are \
                 left alone; only for lang French or unset"
            }
            Filter::Identity => "changes nothing: the document is read and written back",
        }
    }
}

/// What a filter is made from: the options of the document and the
/// command line.
pub(crate) struct Setup<'a> {
    pub options: &'a OptionsMeta,
    pub opts: &'a FilterOptions,
    /// `raw-tex` is earlier in the same walk: it converts every command
    /// `smallcaps` knows, so `smallcaps` has nothing left to convert.
    pub after_raw_tex: bool,
}

/// A filter made for a document: its parts in the walk, or a note saying
/// why it is skipped.
pub(crate) enum Made {
    Filters(Vec<Box<dyn engine::ListFilter + Send>>),
    Skipped(Report),
}

impl Filter {
    /// The filter for a document: the list of filters the engine runs,
    /// which knows none of them.
    pub(crate) fn make(self, setup: &Setup<'_>) -> Made {
        let guillemet = setup.options.guillemet_space();
        let mut parts: Vec<Box<dyn engine::ListFilter + Send>> = Vec::new();
        match self {
            Filter::RawTex => parts.push(Box::new(
                rawtex::TexInlines::raw_tex(guillemet).for_format(setup.opts.format.as_deref()),
            )),
            Filter::SmallCaps => {
                if !setup.after_raw_tex {
                    parts.push(Box::new(rawtex::TexInlines::smallcaps(guillemet)));
                }
                if setup.opts.caps_names {
                    let acronyms = setup.options.acronyms();
                    parts.push(Box::new(rawtex::CapsNames::new(acronyms)));
                }
            }
            Filter::Pagebreak => {
                parts.push(Box::new(pagebreak::Pagebreaks(setup.opts.format.clone())))
            }
            Filter::FrenchQuotes => {
                let quotes = setup.options.quotes();
                match spacing::skipped_for_lang("french-quotes", quotes.lang.as_deref()) {
                    Some(note) => return Made::Skipped(note),
                    None => parts.push(Box::new(quotes::FrenchQuotes(quotes.in_guillemets))),
                }
            }
            Filter::FrenchSpacing => {
                let spacing = setup.options.spacing();
                match spacing::skipped_for_lang("french-spacing", spacing.lang.as_deref()) {
                    Some(note) => return Made::Skipped(note),
                    None => parts.push(Box::new(spacing::Spacer::new(&spacing))),
                }
            }
            Filter::Ordinals => {
                match spacing::skipped_for_lang("ordinals", setup.options.lang().as_deref()) {
                    Some(note) => return Made::Skipped(note),
                    None => parts.push(Box::new(ordinals::Ordinals)),
                }
            }
            Filter::Identity => {}
        }
        Made::Filters(parts)
    }
}

impl FromStr for Filter {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Error> {
        Filter::ALL
            .into_iter()
            .find(|f| f.name() == s)
            .ok_or_else(|| Error::Usage(format!("unknown filter \"{s}\" (see --list)")))
    }
}

impl fmt::Display for Filter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What [`apply`] does.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FilterOptions {
    /// The filters to run, in order; empty for the default chain.
    pub filters: Vec<Filter>,
    /// The pandoc output format (`html`, `latex`...), as pandoc passes it to
    /// a filter.
    pub format: Option<String>,
    /// `smallcaps` also turns surnames in capitals into small caps.
    pub caps_names: bool,
    /// Check the typography only: report problems, change nothing.
    pub check: bool,
    /// Metadata overrides, `key=value` split (`-M`).
    pub metadata: Vec<(String, String)>,
}

/// Runs the filters `opts` names (the default chain when none) on `doc`, or
/// with `opts.check` only checks it. Fails on an empty `-M` key; an option
/// of the metadata (or of the overrides) that is not understood gets a
/// warning in the report and keeps its default.
///
/// Filters named in the default chain's order share one walk over the
/// document (see the `engine` module); a filter named out of that order
/// starts a new walk, so the result is always that of running them one
/// after the other. This is [`Chain`] given the whole document at once.
pub fn apply(doc: &mut Pandoc, opts: &FilterOptions) -> Result<Report, Error> {
    let mut chain = Chain::new(&mut doc.meta, opts)?;
    chain.apply_blocks(&mut doc.blocks);
    Ok(chain.take_report())
}

/// The typography problems of a document read with positions (`md2ast
/// --sourcepos`), each placed in its Markdown source, for `--check` and
/// `--fix` ([`check_sources`], [`fix_sources`]): those of `french-spacing`
/// (missing spaces included) and of `french-quotes`, when the chain
/// (`opts.filters`, the default one when empty) has them and the document
/// is French. The options are the document's `typography:` and `-M`. The
/// positions are taken out of `doc` as it goes.
pub fn locate_problems(
    doc: &mut Pandoc,
    opts: &FilterOptions,
) -> Result<(Report, Vec<SourceSpot>), Error> {
    let meta = located::strip_meta(&doc.meta);
    let options = OptionsMeta::new(&meta, &opts.metadata)?;
    let mut report = options.warnings();
    let filters: &[Filter] = if opts.filters.is_empty() {
        &Filter::DEFAULT_CHAIN
    } else {
        &opts.filters
    };
    let spacing = options.spacing();
    let spacing = match spacing::skipped_for_lang("french-spacing", spacing.lang.as_deref()) {
        _ if !filters.contains(&Filter::FrenchSpacing) => None,
        Some(note) => {
            report.extend(note);
            None
        }
        None => Some(spacing),
    };
    let quotes = options.quotes();
    let quotes = match spacing::skipped_for_lang("french-quotes", quotes.lang.as_deref()) {
        _ if !filters.contains(&Filter::FrenchQuotes) => None,
        Some(note) => {
            report.extend(note);
            None
        }
        None => Some(quotes.in_guillemets),
    };
    // md2ast gives every block its position: the words of each are found
    // again in the files.
    let changed = ast::sourcepos::place_words(doc, |path| std::fs::read_to_string(path).ok());
    let mut spots = located::locate(doc, spacing.as_ref(), quotes);
    // A file whose blocks are not where md2ast saw them: `--fix` leaves it alone.
    spots.extend(changed.into_iter().map(|pos| {
        SourceSpot {
            message: "this text is not where md2ast saw it: the file changed since md2ast read \
                  it (run md2ast --sourcepos again), or a filter changed it; its problems are \
                  not placed"
                .into(),
            path: pos.path,
            what: Change::Lost { start: pos.start },
            missing: false,
            unfixable: None,
        }
    }));
    Ok((report, spots))
}

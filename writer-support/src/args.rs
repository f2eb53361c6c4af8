//! The options both writers take, spelled the same: one clap argument group
//! flattened into `ast2html` and `ast2latex` (pandoc's names).

use std::path::PathBuf;

use crate::{Diagnostic, HighlightStyle};

/// The writers' common options.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct WriterArgs {
    /// Write the body only, without the template (head, preamble, title block, table of contents).
    #[arg(long, visible_alias = "fragment")]
    pub body_only: bool,
    /// A template in pandoc's syntax instead of the default one.
    #[arg(long, value_name = "FILE")]
    pub template: Option<PathBuf>,
    /// Set a template variable (KEY=VALUE or KEY:VALUE; KEY alone means true); repeatable; overrides metadata.
    #[arg(short = 'V', long = "variable", value_name = "KEY=VALUE")]
    pub variables: Vec<String>,
    /// Put a table of contents before the body.
    #[arg(long)]
    pub toc: bool,
    /// The title of the table of contents.
    #[arg(long, value_name = "TITLE")]
    pub toc_title: Option<String>,
    /// Deepest heading level in the table of contents [default: 3].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u8).range(1..=6))]
    pub toc_depth: Option<u8>,
    /// Number the headings (1, 1.1, 1.1.1); `.unnumbered` ones are skipped.
    #[arg(short = 'N', long)]
    pub number_sections: bool,
    /// Colours of highlighted code: pygments-aa (pygments at WCAG AA contrast), or pandoc's pygments, tango, espresso, zenburn, kate, monochrome, breezedark, haddock (a warning names their colours under 4.5:1).
    #[arg(long, value_name = "STYLE", default_value = "pygments-aa")]
    pub highlight_style: String,
    /// Leave code unhighlighted.
    #[arg(long)]
    pub no_highlight: bool,
    /// Folders where images and other files of the document are looked up, in order, separated by ':' (repeatable).
    #[arg(long, value_name = "DIR[:DIR...]", value_delimiter = ':')]
    pub resource_path: Vec<PathBuf>,
    /// Print no warnings.
    #[arg(short, long)]
    pub quiet: bool,
}

impl WriterArgs {
    /// The highlighting style asked for (`None`: `--no-highlight`), or a
    /// usage error naming the styles there are.
    pub fn highlight(&self) -> Result<Option<HighlightStyle>, ast::Error> {
        if self.no_highlight {
            return Ok(None);
        }
        HighlightStyle::from_name(&self.highlight_style)
            .map(Some)
            .ok_or_else(|| {
                ast::Error::Usage(format!(
                    "unknown highlight style \"{}\"\nhint: use one of {}",
                    self.highlight_style,
                    HighlightStyle::names().join(", ")
                ))
            })
    }

    /// The warning for a chosen highlighting style whose colours fail WCAG
    /// AA contrast (none with `--quiet`, or for the default).
    pub fn highlight_warning(&self) -> Option<Diagnostic> {
        if self.quiet {
            return None;
        }
        self.highlight().ok().flatten()?.contrast_warning()
    }

    /// The `-V` variables as (key, value) pairs, in order.
    pub fn variable_pairs(&self) -> Vec<(String, String)> {
        self.variables
            .iter()
            .map(|v| templates::parse_variable(v))
            .collect()
    }

    /// The template's text and its name for messages, read from `--template`.
    pub fn read_template(&self) -> Result<Option<(String, String)>, ast::Error> {
        let Some(path) = &self.template else {
            return Ok(None);
        };
        let bytes = std::fs::read(path).map_err(|source| ast::Error::Input {
            path: path.clone(),
            source,
        })?;
        let text = String::from_utf8(bytes).map_err(|_| {
            ast::Error::Data(format!("{}: the template is not UTF-8", path.display()))
        })?;
        Ok(Some((text, path.display().to_string())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        writer: WriterArgs,
    }

    #[test]
    fn the_group_parses_pandoc_spellings() {
        let cli = Cli::parse_from([
            "x",
            "--fragment",
            "-N",
            "--toc",
            "--toc-depth",
            "2",
            "-V",
            "lang=fr",
            "--resource-path",
            "a:b",
            "--resource-path",
            "c",
            "--highlight-style",
            "Tango",
        ]);
        let w = cli.writer;
        assert!(w.body_only && w.number_sections && w.toc);
        assert_eq!(w.toc_depth, Some(2));
        assert_eq!(
            w.resource_path,
            [PathBuf::from("a"), PathBuf::from("b"), PathBuf::from("c")]
        );
        assert_eq!(w.variable_pairs(), [("lang".into(), "fr".into())]);
        assert_eq!(w.highlight().unwrap(), Some(HighlightStyle::Tango));
        assert!(w.highlight_warning().is_some(), "tango fails contrast");
        let default = Cli::parse_from(["x", "--body-only"]).writer;
        assert!(default.body_only);
        assert_eq!(
            default.highlight().unwrap(),
            Some(HighlightStyle::default())
        );
        assert_eq!(default.highlight_warning(), None);
        let quiet = Cli::parse_from(["x", "-q", "--highlight-style", "kate"]).writer;
        assert_eq!(quiet.highlight_warning(), None);
        let bad = Cli::parse_from(["x", "--highlight-style", "nosuch"]).writer;
        assert!(bad
            .highlight()
            .unwrap_err()
            .to_string()
            .contains("hint: use one of pygments"));
    }
}

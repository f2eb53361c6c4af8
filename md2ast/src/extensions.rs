//! pandoc's Markdown extensions, spelled as pandoc spells them
//! (`markdown+smart-raw_tex`), and which of them md2ast can turn on or off.

/// The extensions of pandoc's `markdown` (pandoc 3.9,
/// `pandoc --list-extensions=markdown`), with whether each is on by default.
const PANDOC_MARKDOWN: &[(&str, bool)] = &[
    ("abbreviations", false),
    ("alerts", false),
    ("all_symbols_escapable", true),
    ("angle_brackets_escapable", false),
    ("ascii_identifiers", false),
    ("auto_identifiers", true),
    ("autolink_bare_uris", false),
    ("backtick_code_blocks", true),
    ("blank_before_blockquote", true),
    ("blank_before_header", true),
    ("bracketed_spans", true),
    ("citations", true),
    ("definition_lists", true),
    ("east_asian_line_breaks", false),
    ("emoji", false),
    ("escaped_line_breaks", true),
    ("example_lists", true),
    ("fancy_lists", true),
    ("fenced_code_attributes", true),
    ("fenced_code_blocks", true),
    ("fenced_divs", true),
    ("footnotes", true),
    ("four_space_rule", false),
    ("gfm_auto_identifiers", false),
    ("grid_tables", true),
    ("gutenberg", false),
    ("hard_line_breaks", false),
    ("header_attributes", true),
    ("table_attributes", true),
    ("ignore_line_breaks", false),
    ("implicit_figures", true),
    ("implicit_header_references", true),
    ("inline_code_attributes", true),
    ("inline_notes", true),
    ("intraword_underscores", true),
    ("latex_macros", true),
    ("line_blocks", true),
    ("link_attributes", true),
    ("lists_without_preceding_blankline", false),
    ("literate_haskell", false),
    ("mark", false),
    ("markdown_attribute", false),
    ("markdown_in_html_blocks", true),
    ("mmd_header_identifiers", false),
    ("mmd_link_attributes", false),
    ("mmd_title_block", false),
    ("multiline_tables", true),
    ("native_divs", true),
    ("native_spans", true),
    ("old_dashes", false),
    ("pandoc_title_block", true),
    ("pipe_tables", true),
    ("raw_attribute", true),
    ("raw_html", true),
    ("raw_tex", true),
    ("rebase_relative_paths", false),
    ("short_subsuperscripts", false),
    ("shortcut_reference_links", true),
    ("simple_tables", true),
    ("smart", true),
    ("space_in_atx_header", true),
    ("spaced_reference_links", false),
    ("startnum", true),
    ("strikeout", true),
    ("subscript", true),
    ("superscript", true),
    ("task_lists", true),
    ("table_captions", true),
    ("tex_math_dollars", true),
    ("tex_math_double_backslash", false),
    ("tex_math_single_backslash", false),
    ("wikilinks_title_after_pipe", false),
    ("wikilinks_title_before_pipe", false),
    ("yaml_metadata_block", true),
];

/// The extensions md2ast reads either way; any other must keep its default.
const SWITCHABLE: &[&str] = &[
    "auto_identifiers",
    "citations",
    "east_asian_line_breaks",
    "hard_line_breaks",
    "implicit_figures",
    "inline_notes",
    "latex_macros",
    "mark",
    "pandoc_title_block",
    "raw_html",
    "raw_tex",
    "smart",
    "strikeout",
    "subscript",
    "superscript",
    "task_lists",
    "tex_math_dollars",
    "yaml_metadata_block",
];

/// The extensions of pandoc's Markdown that change what md2ast reads.
/// `Default` is pandoc's `markdown`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Extensions {
    /// `auto_identifiers`: headings without an identifier get one.
    pub auto_identifiers: bool,
    /// `citations`: `@key` and `[@key]` are citations.
    pub citations: bool,
    /// `east_asian_line_breaks`: a line break between two East Asian wide
    /// characters is dropped.
    pub east_asian_line_breaks: bool,
    /// `hard_line_breaks`: every line break in a paragraph is a `LineBreak`.
    pub hard_line_breaks: bool,
    /// `implicit_figures`: an image alone in a paragraph is a figure.
    pub implicit_figures: bool,
    /// `inline_notes`: `^[...]` is a note.
    pub inline_notes: bool,
    /// `latex_macros`: macros defined in the document are expanded.
    pub latex_macros: bool,
    /// `mark`: `==text==` is highlighted (a `Span` of class `mark`).
    pub mark: bool,
    /// `pandoc_title_block`: `% title`, `% authors`, `% date` at the top.
    pub pandoc_title_block: bool,
    /// `raw_html`: HTML tags are kept as raw HTML.
    pub raw_html: bool,
    /// `raw_tex`: TeX commands and environments are kept as raw LaTeX.
    pub raw_tex: bool,
    /// `smart`: curly quotes, dashes, ellipses, no-break space after abbreviations.
    pub smart: bool,
    /// `strikeout`: `~~text~~`.
    pub strikeout: bool,
    /// `subscript`: `H~2~O`.
    pub subscript: bool,
    /// `superscript`: `2^10^`.
    pub superscript: bool,
    /// `task_lists`: `- [ ]` and `- [x]` items get a box.
    pub task_lists: bool,
    /// `tex_math_dollars`: `$...$` and `$$...$$` are math.
    pub tex_math_dollars: bool,
    /// `yaml_metadata_block`: `---` YAML blocks are metadata.
    pub yaml_metadata_block: bool,
}

impl Default for Extensions {
    fn default() -> Self {
        Extensions {
            auto_identifiers: true,
            citations: true,
            east_asian_line_breaks: false,
            hard_line_breaks: false,
            implicit_figures: true,
            inline_notes: true,
            latex_macros: true,
            mark: false,
            pandoc_title_block: true,
            raw_html: true,
            raw_tex: true,
            smart: true,
            strikeout: true,
            subscript: true,
            superscript: true,
            task_lists: true,
            tex_math_dollars: true,
            yaml_metadata_block: true,
        }
    }
}

impl Extensions {
    /// Reads a format as pandoc's `-f` spells it: `markdown` followed by
    /// `+EXTENSION` and `-EXTENSION`, applied in order. An extension that
    /// pandoc's Markdown does not have, or that md2ast cannot read other
    /// than by default, is an error naming it.
    pub fn from_format(format: &str) -> Result<Self, String> {
        let base_end = format.find(['+', '-']).unwrap_or(format.len());
        let base = &format[..base_end];
        if base != "markdown" {
            return Err(format!(
                "unsupported input format `{base}`: md2ast reads pandoc's `markdown` only"
            ));
        }
        let mut ext = Extensions::default();
        let mut rest = &format[base_end..];
        while let Some(sign) = rest.chars().next() {
            let body = &rest[1..];
            let end = body.find(['+', '-']).unwrap_or(body.len());
            let name = &body[..end];
            rest = &body[end..];
            let on = sign == '+';
            let Some(&(_, default)) = PANDOC_MARKDOWN.iter().find(|(n, _)| *n == name) else {
                return Err(format!(
                    "the extension `{name}` is not an extension of pandoc's markdown"
                ));
            };
            if !SWITCHABLE.contains(&name) {
                if on != default {
                    return Err(format!(
                        "the extension `{name}` cannot be turned {} in md2ast (pandoc's markdown has it {})",
                        if on { "on" } else { "off" },
                        if default { "on" } else { "off" }
                    ));
                }
                continue;
            }
            *ext.flag(name) = on;
        }
        Ok(ext)
    }

    fn flag(&mut self, name: &str) -> &mut bool {
        match name {
            "auto_identifiers" => &mut self.auto_identifiers,
            "citations" => &mut self.citations,
            "east_asian_line_breaks" => &mut self.east_asian_line_breaks,
            "hard_line_breaks" => &mut self.hard_line_breaks,
            "implicit_figures" => &mut self.implicit_figures,
            "inline_notes" => &mut self.inline_notes,
            "latex_macros" => &mut self.latex_macros,
            "mark" => &mut self.mark,
            "pandoc_title_block" => &mut self.pandoc_title_block,
            "raw_html" => &mut self.raw_html,
            "raw_tex" => &mut self.raw_tex,
            "smart" => &mut self.smart,
            "strikeout" => &mut self.strikeout,
            "subscript" => &mut self.subscript,
            "superscript" => &mut self.superscript,
            "task_lists" => &mut self.task_lists,
            "tex_math_dollars" => &mut self.tex_math_dollars,
            _ => &mut self.yaml_metadata_block,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_switchable_extension_is_a_pandoc_extension_with_a_flag() {
        for name in SWITCHABLE {
            let default = PANDOC_MARKDOWN
                .iter()
                .find(|(n, _)| n == name)
                .expect(name)
                .1;
            let flipped = Extensions::from_format(&format!(
                "markdown{}{name}",
                if default { '-' } else { '+' }
            ))
            .expect(name);
            assert_ne!(flipped, Extensions::default(), "{name}");
        }
    }

    #[test]
    fn formats_are_read_as_pandoc_spells_them() {
        let ext = Extensions::from_format("markdown-smart+hard_line_breaks-raw_tex+smart").unwrap();
        assert!(ext.smart && ext.hard_line_breaks && !ext.raw_tex);
        assert!(Extensions::from_format("markdown+footnotes").is_ok());
        let err = Extensions::from_format("markdown-footnotes").unwrap_err();
        assert!(err.contains("`footnotes`"), "{err}");
        let err = Extensions::from_format("markdown+nonesuch").unwrap_err();
        assert!(err.contains("`nonesuch`"), "{err}");
        assert!(Extensions::from_format("commonmark").is_err());
    }
}

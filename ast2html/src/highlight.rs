//! Highlighted code as pandoc writes it in HTML: the tokens come from
//! `writer_support::highlight` (the same ones the LaTeX writer gets), each
//! in a `<span>` of pandoc's short class (`kw`, `st`, `co`...), coloured by
//! a class-based stylesheet made from the shared style table.

use std::fmt::Write as _;

pub use writer_support::highlight::{find_language, Highlighter, Token};
pub use writer_support::HighlightStyle;
use writer_support::{TokenStyle, TokenType};

/// The stylesheet of the token classes for `style`, as pandoc's HTML
/// writer makes it from the theme.
pub fn css(style: HighlightStyle) -> String {
    let theme = style.style();
    let mut out = String::with_capacity(2048);
    let _ = writeln!(
        out,
        "/* The \"{}\" highlighting style ({}). */",
        theme.name,
        if style == HighlightStyle::default() {
            "pygments at WCAG AA contrast, writer-support/src/style.rs"
        } else {
            "pandoc 3.9's, writer-support/src/styles.rs"
        }
    );
    let base = rules(&[
        ("color", theme.text_color),
        ("background-color", theme.background_color),
    ]);
    if !base.is_empty() {
        let _ = writeln!(out, "div.sourceCode, pre.sourceCode {{ {base} }}");
    }
    let numbers = rules(&[
        ("color", theme.line_number_color),
        ("background-color", theme.line_number_background_color),
    ]);
    if !numbers.is_empty() {
        let _ = writeln!(
            out,
            "pre.numberSource code > span > a:first-child::before {{ {numbers} }}"
        );
    }
    let mut tokens: Vec<(&str, TokenType, &TokenStyle)> = theme
        .tokens
        .iter()
        .filter_map(|(t, look)| t.class().map(|class| (class, *t, look)))
        .collect();
    tokens.sort_by_key(|(class, _, _)| *class);
    for (class, token, look) in tokens {
        let _ = writeln!(
            out,
            "code span.{class} {{ {} }} /* {} */",
            token_rules(look),
            token.name()
        );
    }
    out
}

fn rules(colors: &[(&str, Option<u32>)]) -> String {
    colors
        .iter()
        .filter_map(|(property, color)| color.map(|c| format!("{property}: #{c:06x};")))
        .collect::<Vec<_>>()
        .join(" ")
}

fn token_rules(look: &TokenStyle) -> String {
    let mut out = vec![rules(&[
        ("color", look.color),
        ("background-color", look.background_color),
    ])];
    out.retain(|r| !r.is_empty());
    if look.bold {
        out.push("font-weight: bold;".into());
    }
    if look.italic {
        out.push("font-style: italic;".into());
    }
    if look.underline {
        out.push("text-decoration: underline;".into());
    }
    out.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_style_has_a_stylesheet_of_every_class() {
        for style in HighlightStyle::ALL {
            let css = css(style);
            assert!(css.contains("code span.kw {"), "{css}");
            assert!(css.contains(style.name()));
        }
        let pygments = css(HighlightStyle::Pygments);
        assert!(
            pygments.contains("code span.kw { color: #007020; font-weight: bold; } /* Keyword */")
        );
        assert!(pygments.contains("code span.ex {  } /* Extension */"));
        let default = css(HighlightStyle::default());
        assert!(default.contains("code span.at { color: #677622; } /* Attribute */"));
    }

    /// The page's code background, which the default style was measured
    /// on, is the shared table's.
    #[test]
    fn the_stylesheet_draws_code_on_the_measured_background() {
        let stylesheet = include_str!("style.css");
        let declared = format!(
            "--code-bg: #{:06x};",
            writer_support::style::HTML_CODE_BACKGROUND
        );
        assert!(stylesheet.contains(&declared), "{declared}");
        assert!(HighlightStyle::default().style().low_contrast().is_empty());
    }
}

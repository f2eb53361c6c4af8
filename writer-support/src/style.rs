//! Highlighting styles: pandoc's themes (`pygments`, `tango`...), one table
//! ([`STYLES`], generated from pandoc) that every writer draws its colours from.

use crate::highlight::TokenType;
pub use crate::styles::STYLES;

/// How one token type is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TokenStyle {
    /// Colour as `0xRRGGBB`.
    pub color: Option<u32>,
    pub background_color: Option<u32>,
    pub bold: bool,
    pub italic: bool,
    pub underline: bool,
}

/// A highlighting style: pandoc's JSON theme.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    /// The name `--highlight-style` takes.
    pub name: &'static str,
    /// Colour of the text no token style colours.
    pub text_color: Option<u32>,
    /// Background of code blocks.
    pub background_color: Option<u32>,
    pub line_number_color: Option<u32>,
    pub line_number_background_color: Option<u32>,
    /// The token types the theme names and their look, sorted by name.
    pub tokens: &'static [(TokenType, TokenStyle)],
}

impl Style {
    /// The look of `token`, if the theme gives it one.
    pub fn token(&self, token: TokenType) -> Option<&TokenStyle> {
        self.tokens
            .iter()
            .find(|(t, _)| *t == token)
            .map(|(_, look)| look)
    }
}

/// A highlighting style, by pandoc's names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum HighlightStyle {
    #[default]
    Pygments,
    Tango,
    Espresso,
    Zenburn,
    Kate,
    Monochrome,
    Breezedark,
    Haddock,
}

impl HighlightStyle {
    /// Every style, in pandoc's order.
    pub const ALL: [HighlightStyle; 8] = [
        HighlightStyle::Pygments,
        HighlightStyle::Tango,
        HighlightStyle::Espresso,
        HighlightStyle::Zenburn,
        HighlightStyle::Kate,
        HighlightStyle::Monochrome,
        HighlightStyle::Breezedark,
        HighlightStyle::Haddock,
    ];

    /// The style's name, as pandoc spells it.
    pub fn name(self) -> &'static str {
        match self {
            HighlightStyle::Pygments => "pygments",
            HighlightStyle::Tango => "tango",
            HighlightStyle::Espresso => "espresso",
            HighlightStyle::Zenburn => "zenburn",
            HighlightStyle::Kate => "kate",
            HighlightStyle::Monochrome => "monochrome",
            HighlightStyle::Breezedark => "breezedark",
            HighlightStyle::Haddock => "haddock",
        }
    }

    /// The style named `name` (pandoc's names, case-insensitive).
    pub fn from_name(name: &str) -> Option<HighlightStyle> {
        Self::ALL
            .into_iter()
            .find(|s| s.name().eq_ignore_ascii_case(name))
    }

    /// The names of every style, for messages.
    pub fn names() -> Vec<&'static str> {
        Self::ALL.iter().map(|s| s.name()).collect()
    }

    /// The style's colours.
    pub fn style(self) -> &'static Style {
        let name = self.name();
        STYLES.iter().find(|s| s.name == name).unwrap_or(&STYLES[0])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_style_has_its_table_and_every_table_a_style() {
        assert_eq!(STYLES.len(), HighlightStyle::ALL.len());
        for style in HighlightStyle::ALL {
            assert_eq!(HighlightStyle::from_name(style.name()), Some(style));
            assert_eq!(style.style().name, style.name());
            assert!(style.style().tokens.windows(2).all(|w| w[0].0 < w[1].0));
        }
        assert_eq!(
            HighlightStyle::from_name("Tango"),
            Some(HighlightStyle::Tango)
        );
    }
}

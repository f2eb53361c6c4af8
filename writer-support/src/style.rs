//! Highlighting styles: pandoc's themes (`pygments`, `tango`...), one table
//! ([`STYLES`], generated from pandoc) that every writer draws its colours
//! from, and the default, [`PYGMENTS_AA`]: pygments' hues darkened until
//! every token meets WCAG 2.1 AA contrast (4.5:1) on the background code is
//! drawn on, in the HTML page and on the PDF's paper.
//!
//! ```
//! use writer_support::style::{contrast_ratio, HighlightStyle};
//! assert!(HighlightStyle::default().style().low_contrast().is_empty());
//! assert!(!HighlightStyle::Pygments.style().low_contrast().is_empty());
//! assert_eq!(format!("{:.2}", contrast_ratio(0x7D9029, 0xF6F7F9)), "3.32");
//! ```

use crate::diagnostic::Diagnostic;
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

/// The least contrast between a token's colour and its background: WCAG
/// 2.1's level AA for text (success criterion 1.4.3).
pub const MIN_CONTRAST: f64 = 4.5;

/// The backgrounds code is drawn on when its style sets none: the code
/// background of ast2html's page (its stylesheet takes `--code-bg` from
/// here) and the PDF's white paper. A style without a background must
/// contrast with all of them.
pub const CODE_BACKGROUNDS: [u32; 2] = [HTML_CODE_BACKGROUND, 0xFFFFFF];

/// The background of code blocks in ast2html's page.
pub const HTML_CODE_BACKGROUND: u32 = 0xF6F7F9;

/// WCAG 2.1's contrast ratio of two `0xRRGGBB` colours, from 1 to 21.
pub fn contrast_ratio(a: u32, b: u32) -> f64 {
    let (la, lb) = (relative_luminance(a), relative_luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// WCAG 2.1's relative luminance of a `0xRRGGBB` colour (sRGB).
fn relative_luminance(color: u32) -> f64 {
    let channel = |shift: u32| {
        let c = f64::from((color >> shift) & 0xFF) / 255.0;
        if c <= 0.039_28 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(16) + 0.7152 * channel(8) + 0.0722 * channel(0)
}

/// A colour of a style that does not meet [`MIN_CONTRAST`] on its background.
#[derive(Debug, Clone, PartialEq)]
pub struct LowContrast {
    /// The token type, `None` for the line numbers.
    pub token: Option<TokenType>,
    pub color: u32,
    pub background: u32,
    pub ratio: f64,
}

impl std::fmt::Display for LowContrast {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.token {
            Some(token) => write!(f, "{}", token.name())?,
            None => f.write_str("line numbers")?,
        }
        write!(
            f,
            " #{:06x} on #{:06x} ({:.2}:1)",
            self.color, self.background, self.ratio
        )
    }
}

impl Style {
    /// Every colour of the style (each token's, the line numbers') under
    /// [`MIN_CONTRAST`] on its background, the lowest ratio for each: the
    /// token's own background, else the style's, else every one of
    /// [`CODE_BACKGROUNDS`]. Tokens without a colour take the style's text
    /// colour; without one either they are the page's text, which passes.
    pub fn low_contrast(&self) -> Vec<LowContrast> {
        let backgrounds: &[u32] = match &self.background_color {
            Some(bg) => std::slice::from_ref(bg),
            None => &CODE_BACKGROUNDS,
        };
        let mut out = Vec::new();
        let mut check = |token: Option<TokenType>, color: Option<u32>, own_bg: Option<u32>| {
            let Some(color) = color else { return };
            let worst = own_bg
                .as_slice()
                .iter()
                .chain(if own_bg.is_some() {
                    &[][..]
                } else {
                    backgrounds
                })
                .map(|&background| (contrast_ratio(color, background), background))
                .min_by(|a, b| a.0.total_cmp(&b.0));
            if let Some((ratio, background)) = worst {
                if ratio < MIN_CONTRAST {
                    out.push(LowContrast {
                        token,
                        color,
                        background,
                        ratio,
                    });
                }
            }
        };
        for token in TokenType::ALL {
            match self.token(token) {
                Some(look) => check(
                    Some(token),
                    look.color.or(self.text_color),
                    look.background_color,
                ),
                None => check(Some(token), self.text_color, None),
            }
        }
        check(
            None,
            self.line_number_color.or(self.text_color),
            self.line_number_background_color,
        );
        out
    }
}

/// A token style with a colour alone, or in bold, or in italic.
const fn colored(color: u32, bold: bool, italic: bool) -> TokenStyle {
    TokenStyle {
        color: Some(color),
        background_color: None,
        bold,
        italic,
        underline: false,
    }
}

/// The default style: pandoc's pygments with the hues that fail WCAG AA on
/// [`CODE_BACKGROUNDS`] darkened (same hue and saturation, lightness lowered
/// until 4.6:1 on the page's darkest light background, `#f5f6f7`), bold and
/// italic kept. `tests::default_style_meets_wcag_aa` measures every class.
pub const PYGMENTS_AA: Style = Style {
    name: "pygments-aa",
    text_color: None,
    background_color: None,
    line_number_color: Some(0x6F6F6F),
    line_number_background_color: None,
    tokens: &[
        (TokenType::Alert, colored(0xE00000, true, false)),
        (TokenType::Annotation, colored(0x427784, true, true)),
        (TokenType::Attribute, colored(0x677622, false, false)),
        (TokenType::BaseN, colored(0x327D58, false, false)),
        (TokenType::BuiltIn, colored(0x008000, false, false)),
        (TokenType::Char, colored(0x4070A0, false, false)),
        (TokenType::Comment, colored(0x427784, false, true)),
        (TokenType::CommentVar, colored(0x427784, true, true)),
        (TokenType::Constant, colored(0x880000, false, false)),
        (TokenType::ControlFlow, colored(0x007020, true, false)),
        (TokenType::DataType, colored(0x902000, false, false)),
        (TokenType::DecVal, colored(0x327D58, false, false)),
        (TokenType::Documentation, colored(0xBA2121, false, true)),
        (TokenType::Error, colored(0xE00000, true, false)),
        (
            TokenType::Extension,
            TokenStyle {
                color: None,
                background_color: None,
                bold: false,
                italic: false,
                underline: false,
            },
        ),
        (TokenType::Float, colored(0x327D58, false, false)),
        (TokenType::Function, colored(0x06287E, false, false)),
        (TokenType::Import, colored(0x008000, true, false)),
        (TokenType::Information, colored(0x427784, true, true)),
        (TokenType::Keyword, colored(0x007020, true, false)),
        (TokenType::Operator, colored(0x666666, false, false)),
        (TokenType::Other, colored(0x007020, false, false)),
        (TokenType::Preprocessor, colored(0x9B6400, false, false)),
        (TokenType::SpecialChar, colored(0x4070A0, false, false)),
        (TokenType::SpecialString, colored(0xAF4E75, false, false)),
        (TokenType::String, colored(0x4070A0, false, false)),
        (TokenType::Variable, colored(0x19177C, false, false)),
        (TokenType::VerbatimString, colored(0x4070A0, false, false)),
        (TokenType::Warning, colored(0x427784, true, true)),
    ],
};

/// A highlighting style, by pandoc's names, and the default one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum HighlightStyle {
    /// [`PYGMENTS_AA`], pygments at WCAG AA contrast.
    #[default]
    PygmentsAa,
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
    /// Every style: pandoc's, in pandoc's order, then the default.
    pub const ALL: [HighlightStyle; 9] = [
        HighlightStyle::Pygments,
        HighlightStyle::Tango,
        HighlightStyle::Espresso,
        HighlightStyle::Zenburn,
        HighlightStyle::Kate,
        HighlightStyle::Monochrome,
        HighlightStyle::Breezedark,
        HighlightStyle::Haddock,
        HighlightStyle::PygmentsAa,
    ];

    /// The style's name, as pandoc spells it.
    pub fn name(self) -> &'static str {
        match self {
            HighlightStyle::PygmentsAa => PYGMENTS_AA.name,
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

    /// A warning when the style has colours under WCAG AA contrast (pandoc's
    /// styles but zenburn and monochrome): the first few of them, and the
    /// default that meets it.
    pub fn contrast_warning(self) -> Option<Diagnostic> {
        let low = self.style().low_contrast();
        let first = low.first()?;
        let more = match low.len() {
            1 => String::new(),
            n => format!(" and {} more", n - 1),
        };
        Some(Diagnostic::warning(format!(
            "highlight style \"{}\" fails WCAG AA contrast (4.5:1) in {} of its colours: {first}{more}\n\
             hint: the default style, {}, meets it",
            self.name(),
            low.len(),
            HighlightStyle::default().name()
        )))
    }

    /// The style's colours.
    pub fn style(self) -> &'static Style {
        if self == HighlightStyle::PygmentsAa {
            return &PYGMENTS_AA;
        }
        let name = self.name();
        STYLES.iter().find(|s| s.name == name).unwrap_or(&STYLES[0])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_style_has_its_table_and_every_table_a_style() {
        assert_eq!(STYLES.len() + 1, HighlightStyle::ALL.len());
        assert!(PYGMENTS_AA.tokens.windows(2).all(|w| w[0].0 < w[1].0));
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

    #[test]
    fn contrast_ratio_is_wcags() {
        // WCAG's own extremes and values checked with WebAIM's contrast checker.
        assert!((contrast_ratio(0x000000, 0xFFFFFF) - 21.0).abs() < 1e-9);
        assert!((contrast_ratio(0x123456, 0x123456) - 1.0).abs() < 1e-9);
        assert_eq!(format!("{:.2}", contrast_ratio(0x777777, 0xFFFFFF)), "4.48");
        assert_eq!(format!("{:.2}", contrast_ratio(0xFFFFFF, 0x767676)), "4.54");
        assert_eq!(format!("{:.2}", contrast_ratio(0x60A0B0, 0xF6F7F9)), "2.74");
    }

    #[test]
    fn default_style_meets_wcag_aa() {
        let style = HighlightStyle::default().style();
        assert_eq!(style.name, "pygments-aa");
        assert_eq!(style.low_contrast(), []);
        // Every class measured here too, on every background it meets.
        let mut classes = 0;
        let mut text_colored = Vec::new();
        for token in TokenType::ALL {
            if token == TokenType::Normal {
                continue;
            }
            let Some(color) = style.token(token).and_then(|look| look.color) else {
                // The page's text colour (#1d1d1f in HTML, black in the PDF).
                text_colored.push(token.name());
                continue;
            };
            for background in CODE_BACKGROUNDS {
                let ratio = contrast_ratio(color, background);
                assert!(
                    ratio >= MIN_CONTRAST,
                    "{} #{color:06x} on #{background:06x}: {ratio:.2}",
                    token.name()
                );
            }
            classes += 1;
        }
        assert_eq!(text_colored, ["Extension", "RegionMarker"]);
        assert_eq!(classes, TokenType::ALL.len() - 3);
        assert!(contrast_ratio(0x1D1D1F, HTML_CODE_BACKGROUND) >= MIN_CONTRAST);
    }

    #[test]
    fn pandoc_styles_that_fail_contrast_are_found() {
        let failing: Vec<&str> = HighlightStyle::ALL
            .into_iter()
            .filter(|s| !s.style().low_contrast().is_empty())
            .map(HighlightStyle::name)
            .collect();
        assert_eq!(
            failing,
            [
                "pygments",
                "tango",
                "espresso",
                "kate",
                "breezedark",
                "haddock"
            ]
        );
        assert_eq!(HighlightStyle::names().last(), Some(&"pygments-aa"));
        let pygments = HighlightStyle::Pygments.style().low_contrast();
        let attribute = pygments
            .iter()
            .find(|l| l.token == Some(TokenType::Attribute))
            .unwrap();
        assert_eq!(
            attribute.to_string(),
            "Attribute #7d9029 on #f6f7f9 (3.32:1)"
        );
        assert!(pygments.iter().any(|l| l.token.is_none()), "line numbers");
        assert_eq!(
            HighlightStyle::Tango
                .contrast_warning()
                .unwrap()
                .to_string(),
            "warning: highlight style \"tango\" fails WCAG AA contrast (4.5:1) in 8 of its \
             colours: Alert #ef2929 on #f8f8f8 (3.94:1) and 7 more\n\
             hint: the default style, pygments-aa, meets it"
        );
        assert_eq!(HighlightStyle::Zenburn.contrast_warning(), None);
    }
}

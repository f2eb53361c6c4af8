//! Highlighted code as pandoc writes it in LaTeX: the tokens come from
//! `writer_support::highlight` (the same ones the HTML writer gets), each
//! written as pandoc's `\KeywordTok{...}` macro inside a fancyvrb
//! environment, the macros defined from the shared style table.

use std::fmt::Write as _;

pub use writer_support::highlight::{find_language, Highlighter, Token};
pub use writer_support::{HighlightStyle, Style, TokenType};

use crate::escape::{escape, Context};

/// The style called `name` (pandoc's names), if there is one.
pub fn find_style(name: &str) -> Option<HighlightStyle> {
    HighlightStyle::from_name(name)
}

/// The names of every style, for messages.
pub fn style_names() -> Vec<&'static str> {
    HighlightStyle::names()
}

/// Writes highlighted lines for a fancyvrb environment, each token as
/// `\XTok{...}` with its leading blanks outside the macro, as pandoc does.
pub fn write_lines(lines: &[Vec<Token<'_>>], out: &mut String) {
    for tokens in lines {
        for (token, text) in tokens {
            let trimmed = text.trim_start_matches(' ');
            out.push_str(&text[..text.len() - trimmed.len()]);
            if !trimmed.is_empty() {
                let _ = write!(out, "\\{}Tok{{", token.name());
                escape(trimmed, Context::Verbatim, out);
                out.push('}');
            }
        }
        out.push('\n');
    }
}

/// Writes highlighted inline code for `\texttt{...}`: each token as
/// `\XTok{...}`, escaped as inline code, lines joined by a space.
pub fn write_inline(lines: &[Vec<Token<'_>>], out: &mut String) {
    for (i, tokens) in lines.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        for (token, text) in tokens {
            let _ = write!(out, "\\{}Tok{{", token.name());
            escape(text, Context::Code, out);
            out.push('}');
        }
    }
}

/// The preamble lines that define `\XTok` for every token type in `style`,
/// and the colours of the code background and line numbers.
pub fn write_style_macros(style: &Style, out: &mut String) {
    let rgb = |c: u32| format!("{c:06X}");
    if let Some(bg) = style.background_color {
        let _ = writeln!(out, "\\definecolor{{shadecolor}}{{HTML}}{{{}}}", rgb(bg));
        out.push_str("\\newenvironment{Shaded}{\\begin{snugshade}}{\\end{snugshade}}\n");
    } else {
        out.push_str("\\newenvironment{Shaded}{}{}\n");
    }
    let number_color = style.line_number_color.or(style.text_color);
    match number_color {
        Some(c) => {
            let _ = writeln!(
                out,
                "\\renewcommand{{\\theFancyVerbLine}}{{\\textcolor[HTML]{{{}}}{{\\scriptsize\\arabic{{FancyVerbLine}}}}}}",
                rgb(c)
            );
        }
        None => out.push_str(
            "\\renewcommand{\\theFancyVerbLine}{{\\scriptsize\\arabic{FancyVerbLine}}}\n",
        ),
    }
    for token in TokenType::ALL {
        let mut body = "#1".to_string();
        if let Some(look) = style.token(token) {
            if look.underline {
                body = format!("\\underline{{{body}}}");
            }
            if look.italic {
                body = format!("\\textit{{{body}}}");
            }
            if look.bold {
                body = format!("\\textbf{{{body}}}");
            }
            if let Some(c) = look.color.or(style.text_color) {
                body = format!("\\textcolor[HTML]{{{}}}{{{body}}}", rgb(c));
            }
            if let Some(c) = look.background_color {
                body = format!("\\colorbox[HTML]{{{}}}{{{body}}}", rgb(c));
            }
        } else if let Some(c) = style.text_color {
            body = format!("\\textcolor[HTML]{{{}}}{{{body}}}", rgb(c));
        }
        let _ = writeln!(out, "\\newcommand{{\\{}Tok}}[1]{{{body}}}", token.name());
    }
}

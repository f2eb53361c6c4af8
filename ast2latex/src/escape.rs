//! The one place where text becomes LaTeX source.
//!
//! Every string of the document that is not raw LaTeX goes through
//! [`escape`] with the [`Context`] it lands in, as pandoc's `stringToLaTeX`
//! does with its `StringContext`.

use std::fmt::Write as _;

/// Where an escaped string is written: each place has its own special characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    /// Running text (paragraphs, headings, captions, metadata).
    Text,
    /// Inline code set in `\texttt{...}`: like text, but spaces are kept and
    /// no ligature or curly quote may form.
    Code,
    /// Inside a fancyvrb environment with `commandchars=\\\{\}`: only the
    /// three command characters are special, everything else is verbatim.
    Verbatim,
    /// The URL argument of `\href` or `\url`.
    Url,
    /// A cross-reference key in `\label`, `\hyperref` or `\hyperlink`.
    Label,
    /// A file name given to `\includegraphics`.
    Path,
    /// The argument of `\qrcode`, which has its own escapes.
    QrCode,
}

/// The LaTeX of a narrow no-break space (U+202F). Latin Modern has no glyph
/// for it, so XeTeX would drop the character: a kern of the width French
/// typography uses (1/6 em), with no line break allowed before it.
pub const NARROW_NBSP: &str = "\\nnbsp{}";

/// Appends `s` to `out`, escaped for `context`.
pub fn escape(s: &str, context: Context, out: &mut String) {
    match context {
        Context::Text | Context::Code => escape_text(s, context == Context::Code, out),
        Context::Verbatim => {
            for c in s.chars() {
                match c {
                    '\\' => out.push_str("\\textbackslash{}"),
                    '{' => out.push_str("\\{"),
                    '}' => out.push_str("\\}"),
                    '\u{202F}' => out.push_str(NARROW_NBSP),
                    '\u{A0}' => out.push_str("\\nobreakspace{}"),
                    c if is_invalid_in_tex(c) => {}
                    _ => out.push(c),
                }
            }
        }
        Context::Url => {
            for c in s.chars() {
                match c {
                    '%' => out.push_str("\\%"),
                    '#' => out.push_str("\\#"),
                    // Unbalanced braces, a backslash or a space would break
                    // the argument: percent-encode them as a browser would.
                    '{' | '}' | '\\' | '^' | ' ' | '\n' | '\t' => {
                        let _ = write!(out, "\\%{:02X}", c as u32);
                    }
                    c if is_invalid_in_tex(c) => {}
                    _ => out.push(c),
                }
            }
        }
        Context::Label => {
            // pandoc's `toLabel`: characters that are safe in a control
            // sequence name and a PDF destination stay, others become `ux`
            // and their code point.
            for c in s.chars() {
                if c.is_ascii_alphanumeric()
                    || matches!(c, '-' | '+' | '=' | ':' | ';' | '.' | '_' | '/')
                {
                    out.push(c);
                } else {
                    let _ = write!(out, "ux{:x}", c as u32);
                }
            }
        }
        Context::Path => {
            for c in s.chars() {
                match c {
                    // `%` would start a comment and braces would unbalance the
                    // argument before `\string` could act: the kernel's
                    // expandable character macros give the plain characters.
                    '%' => out.push_str("\\csname @percentchar\\endcsname "),
                    '{' => out.push_str("\\csname @charlb\\endcsname "),
                    '}' => out.push_str("\\csname @charrb\\endcsname "),
                    '#' | '&' | '$' | '_' | '~' | '^' => {
                        // These are harmless once made other characters by \string.
                        out.push_str("\\string");
                        out.push(c);
                    }
                    '\\' => out.push('/'),
                    c if is_invalid_in_tex(c) => {}
                    _ => out.push(c),
                }
            }
        }
        Context::QrCode => {
            // The qrcode package reads its argument verbatim-like but asks
            // for these characters to be escaped with a backslash.
            for c in s.chars() {
                match c {
                    '#' | '$' | '&' | '^' | '_' | '~' | '%' | '\\' | '{' | '}' => {
                        out.push('\\');
                        out.push(c);
                    }
                    '\n' => out.push_str("\\?"),
                    c if is_invalid_in_tex(c) => {}
                    _ => out.push(c),
                }
            }
        }
    }
}

/// Control characters but newline and tab: XeTeX stops at them with
/// "Text line contains an invalid character", and they have no glyph.
fn is_invalid_in_tex(c: char) -> bool {
    c.is_control() && c != '\n' && c != '\t'
}

/// Escapes running text or inline code.
fn escape_text(s: &str, code: bool, out: &mut String) {
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' => out.push_str("\\{"),
            '}' => out.push_str("\\}"),
            '$' => out.push_str("\\$"),
            '%' => out.push_str("\\%"),
            '&' => out.push_str("\\&"),
            '#' => out.push_str("\\#"),
            '_' => out.push_str("\\_"),
            '^' => out.push_str("\\^{}"),
            '~' => out.push_str("\\textasciitilde{}"),
            '\\' => out.push_str("\\textbackslash{}"),
            // After `\\` or `\item` a bracket would be read as an optional argument.
            '[' => out.push_str("{[}"),
            ']' => out.push_str("{]}"),
            '|' => out.push_str("\\textbar{}"),
            '<' => out.push_str("\\textless{}"),
            '>' => out.push_str("\\textgreater{}"),
            '\u{A0}' => out.push('~'),
            '\u{202F}' => out.push_str(NARROW_NBSP),
            '\u{2009}' => out.push_str("\\,"),
            '\u{2026}' if !code => out.push_str("\\ldots{}"),
            // Task-list boxes and a check mark: Latin Modern has none of them.
            '\u{2610}' => out.push_str("\\(\\square\\)"),
            '\u{2612}' => out.push_str("\\(\\boxtimes\\)"),
            '\u{2713}' | '\u{2714}' => out.push_str("\\checkmark{}"),
            '\u{2717}' | '\u{2718}' => out.push_str("\\(\\times\\)"),
            '\u{2192}' => out.push_str("\\(\\rightarrow\\)"),
            '\u{2190}' => out.push_str("\\(\\leftarrow\\)"),
            '\u{21D2}' => out.push_str("\\(\\Rightarrow\\)"),
            '\u{2264}' => out.push_str("\\(\\leq\\)"),
            '\u{2265}' => out.push_str("\\(\\geq\\)"),
            '\u{2260}' => out.push_str("\\(\\neq\\)"),
            '\u{221E}' => out.push_str("\\(\\infty\\)"),
            // Control characters have no glyph and would confuse TeX.
            c if is_invalid_in_tex(c) => {}
            // The TeX ligatures of the text font would make these a curly
            // quote, an en or em dash: a literal character stays itself,
            // as pandoc writes it.
            '\'' => out.push_str("\\textquotesingle{}"),
            '`' => out.push_str("\\textasciigrave{}"),
            '-' if code => out.push_str("-{}"),
            '-' if chars.peek() == Some(&'-') => out.push_str("-\\/"),
            // Every space of code is kept, as pandoc writes it.
            ' ' if code => out.push_str("\\ "),
            '\t' if code => out.push_str("\\ \\ \\ \\ "),
            // A blank line would end the paragraph, and a macro argument.
            '\n' => out.push(' '),
            _ => out.push(c),
        }
    }
}

/// `s` escaped for `context`, as a new string.
pub fn escaped(s: &str, context: Context) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    escape(s, context, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_escapes_every_special_character() {
        assert_eq!(
            escaped("# $ % & ~ _ ^ \\ { }", Context::Text),
            "\\# \\$ \\% \\& \\textasciitilde{} \\_ \\^{} \\textbackslash{} \\{ \\}"
        );
    }

    #[test]
    fn french_spaces_are_mapped_once() {
        assert_eq!(
            escaped("«\u{202F}a\u{202F}» b\u{A0}:", Context::Text),
            "«\\nnbsp{}a\\nnbsp{}» b~:"
        );
    }

    #[test]
    fn code_keeps_spaces_and_hyphens() {
        assert_eq!(
            escaped("a  --b'", Context::Code),
            "a\\ \\ -{}-{}b\\textquotesingle{}"
        );
    }

    #[test]
    fn verbatim_escapes_only_command_characters() {
        assert_eq!(
            escaped("\\x{y} # %", Context::Verbatim),
            "\\textbackslash{}x\\{y\\} # %"
        );
    }

    #[test]
    fn url_and_label_contexts() {
        assert_eq!(
            escaped("https://a.b/c#d%20{e}", Context::Url),
            "https://a.b/c\\#d\\%20\\%7Be\\%7D"
        );
        assert_eq!(escaped("l'équipe", Context::Label), "lux27uxe9quipe");
        assert_eq!(escaped("a_b#c", Context::QrCode), "a\\_b\\#c");
    }

    #[test]
    fn control_characters_are_dropped_in_every_context() {
        assert_eq!(escaped("a\u{0}b\u{7f}\tc", Context::Url), "ab\\%09c");
        assert_eq!(escaped("a\u{1}\rb", Context::Verbatim), "ab");
        assert_eq!(escaped("a\u{1b}b.png", Context::Path), "ab.png");
        // Found by the ast2latex fuzz target: `%` commented out the closing
        // brace and `{` unbalanced the argument (a PDF with such a file name
        // was built and its picture checked with pdfimages).
        assert_eq!(
            escaped("50%{x}.png", Context::Path),
            "50\\csname @percentchar\\endcsname \\csname @charlb\\endcsname x\\csname @charrb\\endcsname .png"
        );
        assert_eq!(escaped("a\u{7}b", Context::QrCode), "ab");
        assert_eq!(escaped("a\u{8}b", Context::Text), "ab");
    }
}

//! A small reader for the inline Markdown found inside TeX arguments
//! (`\textsc{O'Reilly}`, `\emph{*très* bien}`): words and spaces, emphasis
//! and strong emphasis, code, backslash escapes, and pandoc's `smart`
//! punctuation (typographic apostrophe, double quotes, dashes, ellipsis).
//! Links, notes, math and the rest of Markdown are left as text: an argument
//! of a font command rarely holds them.

use ast::{Inline, QuoteType};

use crate::text::push_merged;

/// The inlines of `text`, as pandoc's Markdown reader (with `smart`) reads it,
/// for the constructs listed in the module documentation.
pub fn read_inline_markdown(text: &str) -> Vec<Inline> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    parse(&chars, &mut out);
    out
}

fn push_text(out: &mut Vec<Inline>, s: &str) {
    push_merged(out, Inline::Str(s.to_string()));
}

fn find_closing(chars: &[char], from: usize, delim: char, n: usize) -> Option<usize> {
    let mut i = from;
    while i + n <= chars.len() {
        if chars[i] == '\\' {
            i += 2;
            continue;
        }
        if chars[i..i + n].iter().all(|&c| c == delim)
            && !chars[i - 1].is_whitespace()
            && chars.get(i + n) != Some(&delim)
        {
            return Some(i);
        }
        i += 1;
    }
    None
}

fn parse(chars: &[char], out: &mut Vec<Inline>) {
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            ' ' | '\t' => {
                while i < chars.len() && matches!(chars[i], ' ' | '\t') {
                    i += 1;
                }
                if !matches!(out.last(), Some(Inline::Space | Inline::SoftBreak)) {
                    out.push(Inline::Space);
                }
                continue;
            }
            '\n' | '\r' => {
                if matches!(out.last(), Some(Inline::Space)) {
                    out.pop();
                }
                out.push(Inline::SoftBreak);
                i += 1;
                while i < chars.len() && chars[i].is_whitespace() {
                    i += 1;
                }
                continue;
            }
            '\\' if chars.get(i + 1).is_some_and(|n| n.is_ascii_punctuation()) => {
                push_text(out, &chars[i + 1].to_string());
                i += 2;
                continue;
            }
            '*' | '_' => {
                let n = chars[i..].iter().take_while(|&&x| x == c).count().min(3);
                let intraword = c == '_' && i > 0 && chars[i - 1].is_alphanumeric();
                let opens = chars.get(i + n).is_some_and(|x| !x.is_whitespace());
                if !intraword && opens {
                    if let Some(end) = find_closing(chars, i + n, c, n) {
                        let mut inner = Vec::new();
                        parse(&chars[i + n..end], &mut inner);
                        let node = match n {
                            1 => Inline::Emph(inner),
                            2 => Inline::Strong(inner),
                            _ => Inline::Emph(vec![Inline::Strong(inner)]),
                        };
                        out.push(node);
                        i = end + n;
                        continue;
                    }
                }
                let run: String = chars[i..i + n].iter().collect();
                push_text(out, &run);
                i += n;
                continue;
            }
            '`' => {
                let n = chars[i..].iter().take_while(|&&x| x == '`').count();
                let mut j = i + n;
                let mut end = None;
                while j < chars.len() {
                    let m = chars[j..].iter().take_while(|&&x| x == '`').count();
                    if m == n {
                        end = Some(j);
                        break;
                    }
                    j += m.max(1);
                }
                if let Some(end) = end {
                    let code: String = chars[i + n..end].iter().collect();
                    out.push(Inline::Code(Box::default(), code.trim().to_string()));
                    i = end + n;
                } else {
                    push_text(out, &"`".repeat(n));
                    i += n;
                }
                continue;
            }
            '"' => {
                if let Some(end) = chars[i + 1..].iter().position(|&x| x == '"') {
                    let mut inner = Vec::new();
                    parse(&chars[i + 1..i + 1 + end], &mut inner);
                    out.push(Inline::Quoted(QuoteType::DoubleQuote, inner));
                    i += end + 2;
                    continue;
                }
                push_text(out, "\u{201c}");
            }
            '\'' => push_text(out, "\u{2019}"),
            '-' if chars.get(i + 1) == Some(&'-') => {
                if chars.get(i + 2) == Some(&'-') {
                    push_text(out, "\u{2014}");
                    i += 3;
                } else {
                    push_text(out, "\u{2013}");
                    i += 2;
                }
                continue;
            }
            '.' if chars.get(i + 1) == Some(&'.') && chars.get(i + 2) == Some(&'.') => {
                push_text(out, "\u{2026}");
                i += 3;
                continue;
            }
            c => push_text(out, c.encode_utf8(&mut [0; 4])),
        }
        i += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(x: &str) -> Inline {
        Inline::Str(x.into())
    }

    #[test]
    fn apostrophes_are_typographic() {
        assert_eq!(read_inline_markdown("O'Reilly"), vec![s("O\u{2019}Reilly")]);
    }

    #[test]
    fn emphasis_strong_and_spaces() {
        assert_eq!(
            read_inline_markdown("*très* **bien** a_b"),
            vec![
                Inline::Emph(vec![s("très")]),
                Inline::Space,
                Inline::Strong(vec![s("bien")]),
                Inline::Space,
                s("a_b"),
            ]
        );
    }

    #[test]
    fn unmatched_markers_stay_text() {
        assert_eq!(
            read_inline_markdown("5 * 3"),
            vec![s("5"), Inline::Space, s("*"), Inline::Space, s("3")]
        );
    }
}

//! Small helpers over inline lists shared by the filters: the text at the
//! edges of an inline (looking through markup), merging `Str` nodes the way
//! pandoc's builder does, and the word classes typography cares about.

use ast::Inline;

/// No-break space.
pub const NBSP: char = '\u{a0}';
/// Narrow no-break space.
pub const NNBSP: char = '\u{202f}';

/// The children of an inline that is only markup around text (emphasis,
/// links, spans...), whose first and last characters are those of the text.
fn transparent_children(il: &Inline) -> Option<&[Inline]> {
    match il {
        Inline::Emph(c)
        | Inline::Underline(c)
        | Inline::Strong(c)
        | Inline::Strikeout(c)
        | Inline::Superscript(c)
        | Inline::Subscript(c)
        | Inline::SmallCaps(c)
        | Inline::Link(_, c, _)
        | Inline::Span(_, c)
        | Inline::Cite(_, c) => Some(c),
        Inline::Str(_)
        | Inline::Quoted(..)
        | Inline::Code(..)
        | Inline::Space
        | Inline::SoftBreak
        | Inline::LineBreak
        | Inline::Math(..)
        | Inline::RawInline(..)
        | Inline::Image(..)
        | Inline::Note(_) => None,
    }
}

/// The `Str` an inline starts with, looking into markup; `None` when it
/// starts with anything else (code, math, a space...).
pub fn first_str(il: &Inline) -> Option<&str> {
    let mut il = il;
    loop {
        if let Inline::Str(s) = il {
            return Some(s);
        }
        il = transparent_children(il)?.first()?;
    }
}

/// The `Str` an inline ends with, looking into markup.
pub fn last_str(il: &Inline) -> Option<&str> {
    let mut il = il;
    loop {
        if let Inline::Str(s) = il {
            return Some(s);
        }
        il = transparent_children(il)?.last()?;
    }
}

/// True for the inlines that separate words: spaces and line breaks.
pub fn is_break(il: &Inline) -> bool {
    matches!(il, Inline::Space | Inline::SoftBreak | Inline::LineBreak)
}

/// True for any kind of space character, breaking or not.
pub fn is_space_char(c: char) -> bool {
    c.is_whitespace() || c == NBSP || c == NNBSP || c == '\u{2009}' || c == '\u{2007}'
}

/// Pushes `il`, merging it into the previous `Str` when both are `Str`.
pub fn push_merged(out: &mut Vec<Inline>, il: Inline) {
    match (out.last_mut(), il) {
        (Some(Inline::Str(last)), Inline::Str(s)) => last.push_str(&s),
        (_, il) => out.push(il),
    }
}

/// Replaces `ils[i]` by `rep`, merging its ends with the `Str` nodes around
/// it as pandoc's builder would. Only the rest of the list moves.
pub fn splice_merged(ils: &mut Vec<Inline>, i: usize, mut rep: Vec<Inline>) {
    let mut end = i + 1;
    if let (Some(Inline::Str(last)), Some(Inline::Str(after))) = (rep.last_mut(), ils.get(i + 1)) {
        last.push_str(after);
        end = i + 2;
    }
    let mut skip = 0;
    if let (Some(Inline::Str(before)), Some(Inline::Str(first))) =
        (i.checked_sub(1).map(|p| &mut ils[p]), rep.first_mut())
    {
        before.push_str(first);
        // Skipped rather than removed, so that `rep` does not move for it.
        skip = 1;
    }
    ils.splice(i..end, rep.into_iter().skip(skip));
}

/// Merges adjacent `Str` nodes, as pandoc's builder does when it parses.
pub fn merge_strs(ils: Vec<Inline>) -> Vec<Inline> {
    let mut out = Vec::with_capacity(ils.len());
    for il in ils {
        push_merged(&mut out, il);
    }
    out
}

/// True for a word that is (part of) a URL, an e-mail address or a path,
/// where punctuation is not prose.
pub fn is_url_like(word: &str) -> bool {
    word.contains("://")
        || word.starts_with("www.")
        || word.starts_with("mailto:")
        || word.contains('@')
        || word.contains('\\')
        || word.contains('/')
}

/// True for an emoticon that starts with punctuation French typography
/// spaces (a `match`: compiled to a few comparisons, not a scan of a list).
fn is_emoticon_exactly(word: &str) -> bool {
    matches!(
        word,
        ":-)"
            | ":)"
            | ":-("
            | ":("
            | ":-D"
            | ":D"
            | ":-P"
            | ":P"
            | ":-p"
            | ":p"
            | ":-o"
            | ":o"
            | ":-O"
            | ":O"
            | ":-/"
            | ":/"
            | ":-|"
            | ":|"
            | ":-*"
            | ":*"
            | ":'("
            | ":')"
            | ":-]"
            | ":]"
            | ":-["
            | ":["
            | ":3"
            | ":$"
            | ":-x"
            | ":x"
            | ":X"
            | ";-)"
            | ";)"
            | ";-("
            | ";("
            | ";-D"
            | ";D"
            | ";-P"
            | ";P"
            | ";p"
    )
}

/// True for a word that is an emoticon, possibly followed by punctuation
/// (`:-)`, `;)`, `:D.`).
pub fn is_emoticon(word: &str) -> bool {
    // Every emoticon has two characters at least: a lone `:` is the common case.
    if word.len() < 2 {
        return false;
    }
    let core = word.trim_end_matches(['.', ',', '!', '?', '\u{2026}']);
    is_emoticon_exactly(word) || is_emoticon_exactly(core)
}

/// True for a unit written after a number, with a no-break space between.
fn is_unit_exactly(word: &str) -> bool {
    matches!(
        word,
        "%" | "\u{2030}"
            | "€"
            | "$"
            | "£"
            | "°"
            | "°C"
            | "°F"
            | "k€"
            | "K€"
            | "M€"
            | "Md€"
            | "m"
            | "cm"
            | "mm"
            | "km"
            | "µm"
            | "nm"
            | "m²"
            | "cm²"
            | "km²"
            | "m³"
            | "km/h"
            | "m/s"
            | "g"
            | "kg"
            | "mg"
            | "t"
            | "l"
            | "L"
            | "ml"
            | "mL"
            | "cl"
            | "dl"
            | "s"
            | "ms"
            | "µs"
            | "ns"
            | "min"
            | "h"
            | "Hz"
            | "kHz"
            | "MHz"
            | "GHz"
            | "W"
            | "kW"
            | "MW"
            | "Wh"
            | "kWh"
            | "V"
            | "mA"
            | "o"
            | "ko"
            | "Ko"
            | "Mo"
            | "Go"
            | "To"
            | "Kio"
            | "Mio"
            | "Gio"
            | "Tio"
            | "kB"
            | "KB"
            | "MB"
            | "GB"
            | "TB"
            | "kb"
            | "Mb"
            | "Gb"
            | "bit"
            | "bits"
            | "px"
            | "pt"
            | "dpi"
            | "ppp"
            | "Mbit/s"
            | "Gbit/s"
            | "Mo/s"
            | "Go/s"
            | "€/mois"
            | "€/an"
    )
}

/// True for a unit, possibly followed by punctuation (`km.`, `%)`).
pub fn is_unit(word: &str) -> bool {
    let core = word.trim_end_matches([
        '.', ',', ';', ':', '!', '?', ')', ']', '\u{bb}', '\u{2026}', '\u{201d}', '"',
    ]);
    is_unit_exactly(core)
}

/// True when `word` ends with a number (`10`, `(3,5`, `1\u{a0}000`) that is
/// not part of a word (`A4`, `v2`).
pub fn ends_with_number(word: &str) -> bool {
    if !word.ends_with(|c: char| c.is_ascii_digit()) {
        return false;
    }
    let run_start = word
        .char_indices()
        .rev()
        .find(|&(_, c)| !(c.is_ascii_digit() || matches!(c, ',' | '.' | NBSP | NNBSP)))
        .map(|(i, c)| i + c.len_utf8());
    match run_start {
        None => true,
        Some(i) => !word[..i].ends_with(char::is_alphanumeric),
    }
}

/// Shortens `s` to at most `max` characters from its start or its end.
pub fn clip(s: &str, max: usize, keep_end: bool) -> String {
    let n = s.chars().count();
    if n <= max {
        return s.to_string();
    }
    if keep_end {
        format!("\u{2026}{}", s.chars().skip(n - max).collect::<String>())
    } else {
        format!("{}\u{2026}", s.chars().take(max).collect::<String>())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_told_from_words_ending_in_digits() {
        assert!(ends_with_number("10"));
        assert!(ends_with_number("(3,5"));
        assert!(ends_with_number("1\u{a0}000"));
        assert!(!ends_with_number("A4"));
        assert!(!ends_with_number("v2"));
        assert!(!ends_with_number("dix"));
    }

    #[test]
    fn emoticons_and_units_are_recognised_with_trailing_punctuation() {
        assert!(is_emoticon(":-)"));
        assert!(is_emoticon(";)."));
        assert!(!is_emoticon(":"));
        assert!(!is_emoticon(":,"));
        assert!(is_unit("km."));
        assert!(is_unit("%)"));
        assert!(!is_unit("mots"));
    }
}

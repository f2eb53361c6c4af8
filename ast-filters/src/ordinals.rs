//! `ordinals`: French ordinal suffixes in superscript, as the Imprimerie
//! nationale's rules write them: `1er` `1re` `2e` `XIXe` `Ier` (and the
//! plurals `1ers` `1res` `2es`) become the number followed by a
//! `Superscript` of the suffix. Nothing else is touched: `n°`, `M.`,
//! `Mme`, `Me`, `2nd`, `1ère` (a spelling the rules reject: left for the
//! author to see), and words that read as Roman numerals (`Le`, `Ce`,
//! `De`: a single L, C, D or M is never taken for one).

use ast::Inline;
use writer_support::numerals::to_roman;

use crate::engine::{InlinesAt, ListFilter};

/// The filter.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Ordinals;

impl ListFilter for Ordinals {
    fn inlines(&mut self, ils: &mut Vec<Inline>, _: InlinesAt) -> bool {
        superscript_ordinals(ils);
        false
    }
}

/// Rewrites the ordinals of one list of inlines (not the lists inside it);
/// true when something changed.
pub(crate) fn superscript_ordinals(ils: &mut Vec<Inline>) -> bool {
    if !ils
        .iter()
        .any(|il| matches!(il, Inline::Str(s) if split_ordinal(s).is_some()))
    {
        return false;
    }
    let old = std::mem::take(ils);
    ils.reserve(old.len() + 2);
    for il in old {
        let Inline::Str(s) = il else {
            ils.push(il);
            continue;
        };
        // Several in one `Str` (`IVe-VIe`): one after the other.
        let mut rest = s.as_str();
        while let Some((number_end, suffix_end)) = split_ordinal(rest) {
            ils.push(Inline::Str(rest[..number_end].to_string()));
            ils.push(Inline::Superscript(vec![Inline::Str(
                rest[number_end..suffix_end].to_string(),
            )]));
            rest = &rest[suffix_end..];
        }
        if !rest.is_empty() {
            ils.push(Inline::Str(rest.to_string()));
        }
    }
    true
}

/// Where the number of an ordinal ends and its suffix ends, when `word`
/// (a `Str`) is one, possibly after opening punctuation (`(2e`) and before
/// closing punctuation (`2e,` `XIXe).`). The number is Arabic or a Roman
/// numeral in capitals.
fn split_ordinal(word: &str) -> Option<(usize, usize)> {
    let start = word
        .char_indices()
        .find(|(_, c)| c.is_alphanumeric())
        .map(|(i, _)| i)?;
    let rest = &word[start..];
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    let (number, arabic) = if digits > 0 {
        (&rest[..digits], true)
    } else {
        let roman = rest.bytes().take_while(|b| b"IVXLCDM".contains(b)).count();
        (&rest[..roman], false)
    };
    if number.is_empty() || (!arabic && !is_roman_ordinal_number(number)) {
        return None;
    }
    if start > 0 && !word[..start].chars().all(is_opening) {
        return None;
    }
    let after = &rest[number.len()..];
    let suffix_len = ["ers", "res", "er", "re", "es", "e"]
        .iter()
        .find(|s| after.starts_with(**s))
        .map(|s| s.len())?;
    let suffix = &after[..suffix_len];
    let first = if arabic { number == "1" } else { number == "I" };
    // `er`/`re` (first) only after 1 or I; `e` after any other number.
    let suits = match suffix {
        "er" | "re" | "ers" | "res" => first,
        _ => !first,
    };
    let tail = &after[suffix_len..];
    if !suits || tail.chars().next().is_some_and(|c| !is_closing(c)) {
        return None;
    }
    let number_end = start + number.len();
    Some((number_end, number_end + suffix_len))
}

/// A Roman numeral in its usual form (`XIX`, `IV`, not `IIII`), other than
/// the single letters L, C, D and M that begin ordinary words (`Le`, `Ce`).
fn is_roman_ordinal_number(s: &str) -> bool {
    if matches!(s, "L" | "C" | "D" | "M") {
        return false;
    }
    roman_value(s).is_some_and(|n| to_roman(n).as_deref() == Some(s))
}

fn roman_value(s: &str) -> Option<u32> {
    let digit = |c: u8| match c {
        b'I' => Some(1),
        b'V' => Some(5),
        b'X' => Some(10),
        b'L' => Some(50),
        b'C' => Some(100),
        b'D' => Some(500),
        b'M' => Some(1000),
        _ => None,
    };
    let values: Vec<u32> = s.bytes().map(digit).collect::<Option<_>>()?;
    let mut total = 0;
    for (i, v) in values.iter().enumerate() {
        if values.get(i + 1).is_some_and(|next| next > v) {
            total -= *v as i64;
        } else {
            total += *v as i64;
        }
    }
    u32::try_from(total).ok().filter(|n| (1..4000).contains(n))
}

/// What may stand before an ordinal in its `Str`: opening punctuation, or
/// the dash or slash between two (`IVe-VIe`).
fn is_opening(c: char) -> bool {
    matches!(
        c,
        '(' | '[' | '«' | '“' | '‘' | '"' | '\'' | '\u{a0}' | '\u{202f}' | '-' | '–' | '/'
    )
}

fn is_closing(c: char) -> bool {
    matches!(
        c,
        '.' | ','
            | ';'
            | ':'
            | '!'
            | '?'
            | ')'
            | ']'
            | '»'
            | '”'
            | '’'
            | '"'
            | '\''
            | '\u{a0}'
            | '\u{202f}'
            | '-'
            | '–'
            | '—'
            | '…'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(words: &[&str]) -> Vec<Inline> {
        let mut ils: Vec<Inline> = words.iter().map(|w| Inline::Str((*w).into())).collect();
        superscript_ordinals(&mut ils);
        ils
    }

    fn sup(s: &str) -> Inline {
        Inline::Superscript(vec![Inline::Str(s.into())])
    }

    fn str(s: &str) -> Inline {
        Inline::Str(s.into())
    }

    #[test]
    fn ordinals_get_superscript_suffixes() {
        assert_eq!(run(&["1er"]), [str("1"), sup("er")]);
        assert_eq!(run(&["1re"]), [str("1"), sup("re")]);
        assert_eq!(run(&["1ers"]), [str("1"), sup("ers")]);
        assert_eq!(run(&["2e"]), [str("2"), sup("e")]);
        assert_eq!(run(&["21es"]), [str("21"), sup("es")]);
        assert_eq!(run(&["XIXe"]), [str("XIX"), sup("e")]);
        assert_eq!(run(&["Ier"]), [str("I"), sup("er")]);
        assert_eq!(run(&["Ve"]), [str("V"), sup("e")]);
        assert_eq!(run(&["IIe"]), [str("II"), sup("e")]);
        assert_eq!(run(&["(2e),"]), [str("(2"), sup("e"), str("),")]);
        assert_eq!(
            run(&["XXe-XXIe"]),
            [str("XX"), sup("e"), str("-XXI"), sup("e")]
        );
    }

    #[test]
    fn other_words_are_left_alone() {
        for word in [
            "n°", "M.", "Mme", "Me", "Le", "Ce", "De", "Mlle", "2nd", "1ère", "1e", "2er", "IIIIe",
            "2e6", "2em", "Ie", "XIXème", "e", "12", "Vie",
        ] {
            assert_eq!(run(&[word]), [str(word)], "{word}");
        }
    }

    #[test]
    fn already_superscript_ordinals_stay_as_they_are() {
        let mut ils = vec![str("1"), sup("er")];
        assert!(!superscript_ordinals(&mut ils));
    }
}

//! Filter options, read from the document's metadata and from `-M key=value`
//! overrides.

use std::collections::BTreeMap;

use ast::{Error, Meta, MetaValue};

use crate::report::{Diagnostic, Report, Severity};
use crate::text::{NBSP, NNBSP};

/// Which space French typography puts at a place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpaceKind {
    /// U+00A0 NO-BREAK SPACE (`nbsp`).
    Nbsp,
    /// U+202F NARROW NO-BREAK SPACE (`narrow`).
    Narrow,
    /// Leave the space as it is (`none`).
    None,
}

impl SpaceKind {
    /// The character, or `None` for [`SpaceKind::None`].
    pub fn char(self) -> Option<char> {
        match self {
            SpaceKind::Nbsp => Some(NBSP),
            SpaceKind::Narrow => Some(NNBSP),
            SpaceKind::None => None,
        }
    }

    /// The metadata word for it.
    pub fn name(self) -> &'static str {
        match self {
            SpaceKind::Nbsp => "nbsp",
            SpaceKind::Narrow => "narrow",
            SpaceKind::None => "none",
        }
    }

    fn parse(value: &str) -> Option<Self> {
        match value.trim() {
            "nbsp" => Some(SpaceKind::Nbsp),
            "narrow" => Some(SpaceKind::Narrow),
            "none" => Some(SpaceKind::None),
            _ => None,
        }
    }
}

/// Options of `french-spacing` (metadata map `typography`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpacingOptions {
    /// Space before `:` (`typography.before-colon`, default `nbsp`).
    pub before_colon: SpaceKind,
    /// Space before `;`, `!` and `?` (`typography.before-high`, default `narrow`).
    pub before_high: SpaceKind,
    /// Space after `«` and before `»` (`typography.in-guillemets`, default `narrow`).
    pub in_guillemets: SpaceKind,
    /// Space between a number and its unit, `%` or `€` (`typography.number-unit`,
    /// default `nbsp`).
    pub number_unit: SpaceKind,
    /// Insert a missing space (`mot!`), not only convert the spaces that are
    /// there (`typography.add-missing`, default false).
    pub add_missing: bool,
    /// The document's language (`lang`); the filter only runs for French or unset.
    pub lang: Option<String>,
}

impl Default for SpacingOptions {
    /// The Imprimerie nationale's rules.
    fn default() -> Self {
        SpacingOptions {
            before_colon: SpaceKind::Nbsp,
            before_high: SpaceKind::Narrow,
            in_guillemets: SpaceKind::Narrow,
            number_unit: SpaceKind::Nbsp,
            add_missing: false,
            lang: None,
        }
    }
}

/// Options of `french-quotes`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuotesOptions {
    /// Space after `«` and before `»` (`typography.in-guillemets`).
    pub in_guillemets: SpaceKind,
    /// The document's language (`lang`); the filter only runs for French or unset.
    pub lang: Option<String>,
}

impl Default for QuotesOptions {
    fn default() -> Self {
        QuotesOptions {
            in_guillemets: SpaceKind::Narrow,
            lang: None,
        }
    }
}

/// Options of `smallcaps`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SmallCapsOptions {
    /// Also turn surnames in capitals after a given name (`Camille DURAND`)
    /// into small caps.
    pub caps_names: bool,
    /// Words in capitals that are never surnames, besides the built-in list
    /// (metadata `acronyms`).
    pub acronyms: Vec<String>,
    /// Space after `«` and before `»`, for `\og`/`\fg` (`typography.in-guillemets`).
    pub in_guillemets: Option<SpaceKind>,
}

/// Options of `raw-tex`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RawTexOptions {
    /// The pandoc output format: raw LaTeX blocks become AST nodes unless it
    /// is LaTeX (none: they do); raw TeX left for a format that is not LaTeX
    /// gets a warning.
    pub format: Option<String>,
    /// Space after `«` and before `»` for `\og` and `\fg` (`typography.in-guillemets`).
    pub in_guillemets: Option<SpaceKind>,
}

/// Options of `pagebreak`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PagebreakOptions {
    /// The pandoc output format: with one, a page break is a raw block of that
    /// format; without, the `pagebreak` `Div` our writers render.
    pub format: Option<String>,
}

/// True when `lang` is French or unset.
pub fn is_french(lang: Option<&str>) -> bool {
    match lang {
        None => true,
        Some(l) => l.trim().is_empty() || writer_support::is_french_tag(l),
    }
}

/// The text of a metadata value: the one rule every stage applies.
pub use writer_support::meta_plain_text as meta_text;

fn meta_bool(value: &MetaValue) -> Option<bool> {
    if let MetaValue::MetaBool(b) = value {
        return Some(*b);
    }
    match meta_text(value).trim() {
        "true" | "yes" | "on" => Some(true),
        "false" | "no" | "off" => Some(false),
        _ => None,
    }
}

/// The keys of the metadata map `typography`.
const TYPOGRAPHY_KEYS: [&str; 5] = [
    "before-colon",
    "before-high",
    "in-guillemets",
    "number-unit",
    "add-missing",
];

/// What `acronyms:` accepts, for the warnings.
const ACRONYMS_EXPECTED: &str = "expected a list of words in capitals, such as [SNCF, RATP], \
                                 or one string of them separated by commas or spaces";

/// True for a word `acronyms:` can hold: letters in capitals, digits allowed
/// (a surname in capitals is never compared with anything else).
fn is_acronym_word(word: &str) -> bool {
    word.chars().any(char::is_alphabetic) && !word.chars().any(char::is_lowercase)
}

/// The known key `key` is probably a misspelling of, if any.
fn nearest_key(key: &str) -> Option<&'static str> {
    TYPOGRAPHY_KEYS
        .into_iter()
        .map(|k| (edit_distance(key, k), k))
        .filter(|&(d, _)| d <= 2)
        .min()
        .map(|(_, k)| k)
}

/// Levenshtein distance between `a` and `b`, in characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let substitute = diagonal + usize::from(ca != cb);
            diagonal = row[j + 1];
            row[j + 1] = substitute.min(row[j] + 1).min(row[j + 1] + 1);
        }
    }
    row[b.len()]
}

/// The metadata that options are read from: the document's `lang`,
/// `typography` and `acronyms`, with the command line's overrides applied.
#[derive(Debug, Clone, Default)]
pub struct OptionsMeta {
    meta: Meta,
}

impl OptionsMeta {
    /// Takes the option keys of `doc_meta`, then applies `overrides`
    /// (`key=value`; a dotted key such as `typography.add-missing` sets an
    /// entry of a map; `true`/`false` are booleans, as with pandoc's `-M`).
    pub fn new(doc_meta: &Meta, overrides: &[(String, String)]) -> Result<Self, Error> {
        let mut meta: Meta = ["lang", "typography", "acronyms"]
            .iter()
            .filter_map(|k| doc_meta.get(*k).map(|v| (k.to_string(), v.clone())))
            .collect();
        for (key, value) in overrides {
            let value = match value.as_str() {
                "true" => MetaValue::MetaBool(true),
                "false" => MetaValue::MetaBool(false),
                v => MetaValue::MetaString(v.to_string()),
            };
            let mut parts = key.split('.');
            let first = parts.next().unwrap_or_default();
            let rest: Vec<&str> = parts.collect();
            if first.is_empty() || rest.iter().any(|p| p.is_empty()) {
                return Err(Error::Usage(format!("-M {key}: empty key")));
            }
            set_path(&mut meta, first, &rest, value);
        }
        Ok(OptionsMeta { meta })
    }

    fn typography(&self, key: &str) -> Option<&MetaValue> {
        match self.meta.get("typography") {
            Some(MetaValue::MetaMap(m)) => m.get(key),
            _ => None,
        }
    }

    /// The space `typography.key` asks for; `default` when it is unset or
    /// not understood (see [`OptionsMeta::warnings`]).
    fn space(&self, key: &str, default: SpaceKind) -> SpaceKind {
        self.typography(key)
            .and_then(|v| SpaceKind::parse(&meta_text(v)))
            .unwrap_or(default)
    }

    /// The document's `lang`.
    pub fn lang(&self) -> Option<String> {
        self.meta.get("lang").map(meta_text)
    }

    /// A warning for each option of the metadata that is not understood: a
    /// key of `typography` that does not exist, a value it does not accept,
    /// an `acronyms` entry that is not a word in capitals. Such an option
    /// keeps its default (the options methods ignore it).
    pub fn warnings(&self) -> Report {
        let mut report = Report::default();
        let mut warn = |message: String| {
            report.diagnostics.push(Diagnostic {
                severity: Severity::Warning,
                filter: "options",
                place: None,
                message,
            })
        };
        let expected_keys = format!(
            "expected {} or {}",
            TYPOGRAPHY_KEYS[..4].join(", "),
            TYPOGRAPHY_KEYS[4]
        );
        match self.meta.get("typography") {
            None => {}
            Some(MetaValue::MetaMap(map)) => {
                let defaults = SpacingOptions::default();
                for (key, value) in map {
                    let default = match key.as_str() {
                        "before-colon" => defaults.before_colon,
                        "before-high" => defaults.before_high,
                        "in-guillemets" => defaults.in_guillemets,
                        "number-unit" => defaults.number_unit,
                        "add-missing" => {
                            if meta_bool(value).is_none() {
                                warn(format!(
                                    "metadata typography.add-missing: expected true or false, \
                                     found \"{}\"; the default false is used",
                                    meta_text(value)
                                ));
                            }
                            continue;
                        }
                        _ => {
                            let hint = nearest_key(key)
                                .map(|k| format!("did you mean \"{k}\"? "))
                                .unwrap_or_default();
                            warn(format!(
                                "metadata typography: unknown key \"{key}\" \
                                 ({hint}{expected_keys}); ignored"
                            ));
                            continue;
                        }
                    };
                    if SpaceKind::parse(&meta_text(value)).is_none() {
                        warn(format!(
                            "metadata typography.{key}: unknown value \"{}\" (expected nbsp, \
                             narrow or none); the default {} is used",
                            meta_text(value),
                            default.name()
                        ));
                    }
                }
            }
            Some(_) => warn(format!(
                "metadata typography: expected a map (its keys: {}); the defaults are used",
                TYPOGRAPHY_KEYS.join(", ")
            )),
        }
        let acronyms: Vec<&MetaValue> = match self.meta.get("acronyms") {
            None => Vec::new(),
            Some(MetaValue::MetaList(l)) => l.iter().collect(),
            Some(v) => vec![v],
        };
        for value in acronyms {
            if matches!(value, MetaValue::MetaMap(_) | MetaValue::MetaList(_)) {
                warn(format!(
                    "metadata acronyms: a map or a nested list ({ACRONYMS_EXPECTED}); ignored"
                ));
                continue;
            }
            for word in acronym_words(value)
                .into_iter()
                .filter(|w| !is_acronym_word(w))
            {
                warn(format!(
                    "metadata acronyms: \"{word}\" is not a word in capitals \
                     ({ACRONYMS_EXPECTED}); ignored"
                ));
            }
        }
        report
    }

    /// Options of `french-spacing`; a value not understood keeps its default.
    pub fn spacing(&self) -> SpacingOptions {
        let d = SpacingOptions::default();
        SpacingOptions {
            before_colon: self.space("before-colon", d.before_colon),
            before_high: self.space("before-high", d.before_high),
            in_guillemets: self.space("in-guillemets", d.in_guillemets),
            number_unit: self.space("number-unit", d.number_unit),
            add_missing: self
                .typography("add-missing")
                .and_then(meta_bool)
                .unwrap_or(d.add_missing),
            lang: self.lang(),
        }
    }

    /// Options of `french-quotes`.
    pub fn quotes(&self) -> QuotesOptions {
        QuotesOptions {
            in_guillemets: self.space("in-guillemets", SpaceKind::Narrow),
            lang: self.lang(),
        }
    }

    /// The words in capitals listed under `acronyms` (a list, or one string
    /// separated by commas or spaces); other words are left out.
    pub fn acronyms(&self) -> Vec<String> {
        let values: Vec<&MetaValue> = match self.meta.get("acronyms") {
            Some(MetaValue::MetaList(l)) => l.iter().collect(),
            Some(v) => vec![v],
            None => Vec::new(),
        };
        values
            .into_iter()
            .filter(|v| !matches!(v, MetaValue::MetaMap(_) | MetaValue::MetaList(_)))
            .flat_map(acronym_words)
            .filter(|w| is_acronym_word(w))
            .collect()
    }

    /// The guillemet space for `\og`/`\fg`, when the document is French.
    pub fn guillemet_space(&self) -> Option<SpaceKind> {
        is_french(self.lang().as_deref()).then(|| self.space("in-guillemets", SpaceKind::Narrow))
    }
}

/// The words of one `acronyms` value.
fn acronym_words(value: &MetaValue) -> Vec<String> {
    meta_text(value)
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

fn set_path(map: &mut BTreeMap<String, MetaValue>, key: &str, rest: &[&str], value: MetaValue) {
    match rest.split_first() {
        None => {
            map.insert(key.to_string(), value);
        }
        Some((next, rest)) => {
            let entry = map
                .entry(key.to_string())
                .or_insert_with(|| MetaValue::MetaMap(BTreeMap::new()));
            if !matches!(entry, MetaValue::MetaMap(_)) {
                *entry = MetaValue::MetaMap(BTreeMap::new());
            }
            if let MetaValue::MetaMap(m) = entry {
                set_path(m, next, rest, value);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lang_french_or_unset() {
        assert!(is_french(None));
        assert!(is_french(Some("fr")));
        assert!(is_french(Some("fr-FR")));
        assert!(is_french(Some("FR_ca")));
        assert!(!is_french(Some("en")));
        assert!(!is_french(Some("frr")));
    }

    #[test]
    fn overrides_set_nested_keys_and_booleans() {
        let o = OptionsMeta::new(
            &Meta::new(),
            &[
                ("typography.before-colon".into(), "narrow".into()),
                ("typography.add-missing".into(), "true".into()),
                ("lang".into(), "fr-CA".into()),
            ],
        )
        .unwrap();
        let s = o.spacing();
        assert_eq!(s.before_colon, SpaceKind::Narrow);
        assert!(s.add_missing);
        assert_eq!(s.lang.as_deref(), Some("fr-CA"));
    }

    fn warnings_of(meta: &[(&str, &str)]) -> Vec<String> {
        let overrides: Vec<(String, String)> = meta
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        OptionsMeta::new(&Meta::new(), &overrides)
            .unwrap()
            .warnings()
            .diagnostics
            .into_iter()
            .map(|d| d.message)
            .collect()
    }

    #[test]
    fn unknown_values_warn_and_keep_the_default() {
        let o = OptionsMeta::new(
            &Meta::new(),
            &[
                ("typography.before-high".into(), "thin".into()),
                ("typography.add-missing".into(), "maybe".into()),
            ],
        )
        .unwrap();
        assert_eq!(o.spacing(), SpacingOptions::default());
        assert_eq!(
            warnings_of(&[
                ("typography.before-high", "thin"),
                ("typography.add-missing", "maybe")
            ]),
            [
                "metadata typography.add-missing: expected true or false, found \"maybe\"; \
                 the default false is used",
                "metadata typography.before-high: unknown value \"thin\" (expected nbsp, \
                 narrow or none); the default narrow is used",
            ]
        );
        assert!(warnings_of(&[("typography.number-unit", "none")]).is_empty());
    }

    #[test]
    fn typography_misspelt_key_warns_with_the_nearest_key() {
        assert_eq!(
            warnings_of(&[
                ("typography.in-guilemets", "none"),
                ("typography.colour", "x")
            ]),
            [
                "metadata typography: unknown key \"colour\" (expected before-colon, \
                 before-high, in-guillemets, number-unit or add-missing); ignored",
                "metadata typography: unknown key \"in-guilemets\" (did you mean \
                 \"in-guillemets\"? expected before-colon, before-high, in-guillemets, \
                 number-unit or add-missing); ignored",
            ]
        );
        assert_eq!(
            warnings_of(&[("typography", "narrow")]),
            [
                "metadata typography: expected a map (its keys: before-colon, before-high, \
              in-guillemets, number-unit, add-missing); the defaults are used"
            ]
        );
    }

    #[test]
    fn acronyms_not_in_capitals_warn_and_are_left_out() {
        let o = OptionsMeta::new(
            &Meta::new(),
            &[("acronyms".into(), "SNCF, 5 ratp R2D2".into())],
        )
        .unwrap();
        assert_eq!(o.acronyms(), ["SNCF", "R2D2"]);
        let warnings = warnings_of(&[("acronyms", "SNCF, 5 ratp R2D2")]);
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        assert!(warnings[0].starts_with("metadata acronyms: \"5\" is not a word in capitals"));
        assert!(warnings[1].starts_with("metadata acronyms: \"ratp\" is not a word in capitals"));
    }
}

//! Filter options, read from the document's metadata and from `-M key=value`
//! overrides.

use std::collections::BTreeMap;

use ast::{Error, Meta, MetaValue};

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

    fn parse(key: &str, value: &str) -> Result<Self, Error> {
        match value.trim() {
            "nbsp" => Ok(SpaceKind::Nbsp),
            "narrow" => Ok(SpaceKind::Narrow),
            "none" => Ok(SpaceKind::None),
            other => Err(Error::Data(format!(
                "metadata {key}: unknown value \"{other}\" (expected nbsp, narrow or none)"
            ))),
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
    /// The pandoc output format; raw TeX left for a format that is not LaTeX
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
        Some(l) => {
            let l = l.trim().to_ascii_lowercase();
            l.is_empty() || l == "fr" || l.starts_with("fr-") || l.starts_with("fr_")
        }
    }
}

/// The text of a metadata value (strings, inlines, booleans).
pub fn meta_text(value: &MetaValue) -> String {
    match value {
        MetaValue::MetaString(s) => s.clone(),
        MetaValue::MetaBool(b) => b.to_string(),
        MetaValue::MetaInlines(ils) => ast::stringify(ils),
        MetaValue::MetaBlocks(bs) => ast::stringify(bs),
        MetaValue::MetaList(l) => l.iter().map(meta_text).collect::<Vec<_>>().join(","),
        MetaValue::MetaMap(_) => String::new(),
    }
}

fn meta_bool(key: &str, value: &MetaValue) -> Result<bool, Error> {
    if let MetaValue::MetaBool(b) = value {
        return Ok(*b);
    }
    match meta_text(value).trim() {
        "true" | "yes" | "on" => Ok(true),
        "false" | "no" | "off" => Ok(false),
        other => Err(Error::Data(format!(
            "metadata {key}: expected true or false, found \"{other}\""
        ))),
    }
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

    fn space(&self, key: &str, default: SpaceKind) -> Result<SpaceKind, Error> {
        match self.typography(key) {
            Some(v) => SpaceKind::parse(&format!("typography.{key}"), &meta_text(v)),
            None => Ok(default),
        }
    }

    /// The document's `lang`.
    pub fn lang(&self) -> Option<String> {
        self.meta.get("lang").map(meta_text)
    }

    /// Options of `french-spacing`.
    pub fn spacing(&self) -> Result<SpacingOptions, Error> {
        let d = SpacingOptions::default();
        if let Some(v) = self.meta.get("typography") {
            if !matches!(v, MetaValue::MetaMap(_)) {
                return Err(Error::Data(
                    "metadata typography: expected a map (before-colon, before-high, \
                     in-guillemets, number-unit, add-missing)"
                        .into(),
                ));
            }
        }
        Ok(SpacingOptions {
            before_colon: self.space("before-colon", d.before_colon)?,
            before_high: self.space("before-high", d.before_high)?,
            in_guillemets: self.space("in-guillemets", d.in_guillemets)?,
            number_unit: self.space("number-unit", d.number_unit)?,
            add_missing: match self.typography("add-missing") {
                Some(v) => meta_bool("typography.add-missing", v)?,
                None => false,
            },
            lang: self.lang(),
        })
    }

    /// Options of `french-quotes`.
    pub fn quotes(&self) -> Result<QuotesOptions, Error> {
        Ok(QuotesOptions {
            in_guillemets: self.space("in-guillemets", SpaceKind::Narrow)?,
            lang: self.lang(),
        })
    }

    /// The words listed under `acronyms` (a list, or one string separated
    /// by commas or spaces).
    pub fn acronyms(&self) -> Vec<String> {
        let mut out = Vec::new();
        let mut add = |v: &MetaValue| {
            out.extend(
                meta_text(v)
                    .split(|c: char| c == ',' || c.is_whitespace())
                    .filter(|w| !w.is_empty())
                    .map(str::to_string),
            )
        };
        match self.meta.get("acronyms") {
            Some(MetaValue::MetaList(l)) => l.iter().for_each(&mut add),
            Some(v) => add(v),
            None => {}
        }
        out
    }

    /// The guillemet space for `\og`/`\fg`, when the document is French.
    pub fn guillemet_space(&self) -> Result<Option<SpaceKind>, Error> {
        Ok(if is_french(self.lang().as_deref()) {
            Some(self.space("in-guillemets", SpaceKind::Narrow)?)
        } else {
            None
        })
    }
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
        let s = o.spacing().unwrap();
        assert_eq!(s.before_colon, SpaceKind::Narrow);
        assert!(s.add_missing);
        assert_eq!(s.lang.as_deref(), Some("fr-CA"));
    }

    #[test]
    fn bad_values_are_data_errors() {
        let o = OptionsMeta::new(
            &Meta::new(),
            &[("typography.before-high".into(), "thin".into())],
        )
        .unwrap();
        let e = o.spacing().unwrap_err().to_string();
        assert_eq!(
            e,
            "metadata typography.before-high: unknown value \"thin\" (expected nbsp, narrow or none)"
        );
    }
}

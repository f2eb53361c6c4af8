//! Syntax highlighting with syntect, written as pandoc writes it: each token
//! in a `<span>` whose class is one of pandoc's (skylighting's) token
//! classes (`kw`, `st`, `co`...), coloured by a class-based stylesheet for
//! the chosen `--highlight-style`. The syntax set is built once, on first use.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

use syntect::parsing::{ParseState, Scope, ScopeStack, SyntaxReference, SyntaxSet};

fn syntax_set() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
}

/// The first class that names a language syntect knows (`python`, `rust`,
/// `bash`, `sh`...) and its syntax, as pandoc takes the first known
/// language among the classes.
pub fn find_language(classes: &[String]) -> Option<(&str, &'static SyntaxReference)> {
    let set = syntax_set();
    classes
        .iter()
        .filter(|c| !c.is_empty() && !c.eq_ignore_ascii_case("numberLines"))
        .find_map(|c| {
            set.find_syntax_by_token(c)
                .filter(|s| s.name != "Plain Text")
                .map(|s| (c.as_str(), s))
        })
}

/// A run of text in one line and the token class it gets (`None`: plain).
pub type Token<'a> = (Option<&'static str>, &'a str);

/// The token class of each scope met so far, kept from one code block to
/// the next: finding a class takes building the scope's name.
#[derive(Default)]
pub struct ClassCache(HashMap<Scope, Option<&'static str>, BuildHasherDefault<ScopeHasher>>);

/// A hasher for scopes (two `u64`s made by syntect's interner, no attacker
/// picks them): a multiply and a rotation per word instead of SipHash.
#[derive(Default)]
pub struct ScopeHasher(u64);

impl Hasher for ScopeHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// Splits `code` into lines (without their newline) of classified tokens.
/// `Err` carries syntect's message when the grammar fails on this input.
pub fn highlight_lines<'a>(
    code: &'a str,
    syntax: &SyntaxReference,
    classes: &mut ClassCache,
) -> Result<Vec<Vec<Token<'a>>>, String> {
    let set = syntax_set();
    let mut state = ParseState::new(syntax);
    let mut stack = ScopeStack::new();
    let classes = &mut classes.0;
    let mut lines = Vec::new();
    for line in code.split_inclusive('\n') {
        let ops = state.parse_line(line, set).map_err(|e| e.to_string())?;
        let content_len = line.strip_suffix('\n').map_or(line.len(), str::len);
        let mut runs: Vec<(Option<&'static str>, usize, usize)> = Vec::new();
        let mut start = 0;
        let mut push = |runs: &mut Vec<_>, stack: &ScopeStack, from: usize, to: usize| {
            let to = to.min(content_len);
            if from >= to {
                return;
            }
            let class = classify(stack, classes);
            add_run(runs, class, from, to);
        };
        for (offset, op) in &ops {
            push(&mut runs, &stack, start, *offset);
            start = start.max(*offset);
            stack.apply(op).map_err(|e| format!("{e:?}"))?;
        }
        push(&mut runs, &stack, start, line.len());
        let runs = trim_runs(line, runs);
        let tokens = runs
            .into_iter()
            .map(|(class, from, to)| (class, &line[from..to]))
            .collect();
        lines.push(tokens);
    }
    Ok(lines)
}

/// Appends a run, merged with the previous one when they touch and share a
/// class (as pandoc's tokens are).
fn add_run(
    runs: &mut Vec<(Option<&'static str>, usize, usize)>,
    class: Option<&'static str>,
    from: usize,
    to: usize,
) {
    if from == to {
        return;
    }
    match runs.last_mut() {
        Some((last, _, end)) if *last == class && *end == from => *end = to,
        _ => runs.push((class, from, to)),
    }
}

/// Blanks that a grammar puts at the edge of a token (` --check`) are left
/// outside its span, as in pandoc.
fn trim_runs(
    line: &str,
    runs: Vec<(Option<&'static str>, usize, usize)>,
) -> Vec<(Option<&'static str>, usize, usize)> {
    let mut out = Vec::with_capacity(runs.len());
    for (class, from, to) in runs {
        let text = &line[from..to];
        if class.is_none() || text.trim().is_empty() {
            add_run(&mut out, class, from, to);
            continue;
        }
        let lead = text.len() - text.trim_start().len();
        let trail = text.len() - text.trim_end().len();
        add_run(&mut out, None, from, from + lead);
        add_run(&mut out, class, from + lead, to - trail);
        add_run(&mut out, None, to - trail, to);
    }
    out
}

fn classify(
    stack: &ScopeStack,
    cache: &mut HashMap<Scope, Option<&'static str>, BuildHasherDefault<ScopeHasher>>,
) -> Option<&'static str> {
    stack.as_slice().iter().rev().find_map(|scope| {
        *cache
            .entry(*scope)
            .or_insert_with(|| class_of(&scope.build_string()))
    })
}

/// Scope-name prefixes and the pandoc token class they become; the first
/// matching prefix wins.
const SCOPE_CLASSES: &[(&str, &str)] = &[
    ("comment", "co"),
    ("string.regexp", "ss"),
    ("string", "st"),
    ("constant.numeric.float", "fl"),
    ("constant.numeric", "dv"),
    ("constant.character.escape", "sc"),
    ("constant.character", "ch"),
    ("constant", "cn"),
    ("keyword.control.import", "im"),
    ("keyword.control.include", "im"),
    ("keyword.control", "cf"),
    ("keyword.operator", "op"),
    ("keyword.other.preprocessor", "pp"),
    ("keyword", "kw"),
    ("storage.type.function", "kw"),
    ("storage.type.class", "kw"),
    ("storage.modifier", "kw"),
    ("storage.type", "dt"),
    ("storage", "kw"),
    ("support.function.builtin", "bu"),
    ("support.function", "fu"),
    ("variable.function", "fu"),
    ("support.type", "dt"),
    ("support.class", "dt"),
    ("entity.name.type", "dt"),
    ("entity.name.class", "dt"),
    ("entity.name.tag", "kw"),
    ("entity.other.attribute-name", "at"),
    ("variable.language", "va"),
    ("variable.other.readwrite", "va"),
    ("meta.preprocessor", "pp"),
    ("invalid", "er"),
];

/// Scopes of shell scripts, first: pandoc's shell grammar calls commands
/// `ex`, options `at`, pipes and `&&` `kw`, builtins `bu`, globs `pp`.
const SHELL_SCOPE_CLASSES: &[(&str, &str)] = &[
    ("variable.function", "ex"),
    ("variable.parameter.option", "at"),
    ("keyword.operator.logical", "kw"),
    ("keyword.operator.regexp", "pp"),
    ("support.function", "bu"),
    ("punctuation.definition.variable", "va"),
    ("punctuation.separator.continuation", "dt"),
];

/// Scopes of YAML, first: keys are `fu` and the `:` after them `kw`, as in pandoc.
const YAML_SCOPE_CLASSES: &[(&str, &str)] = &[
    ("entity.name.tag", "fu"),
    ("punctuation.separator.key-value", "kw"),
];

fn class_of(scope: &str) -> Option<&'static str> {
    let find = |table: &[(&str, &'static str)]| {
        table
            .iter()
            .find(|(prefix, _)| {
                scope.starts_with(prefix)
                    && (scope.len() == prefix.len() || scope.as_bytes()[prefix.len()] == b'.')
            })
            .map(|(_, class)| *class)
    };
    let language_table = if scope.ends_with(".shell") {
        SHELL_SCOPE_CLASSES
    } else if scope.ends_with(".yaml") {
        YAML_SCOPE_CLASSES
    } else {
        &[]
    };
    find(language_table).or_else(|| find(SCOPE_CLASSES))
}

/// A highlighting style: pandoc's names, each a class-based stylesheet.
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

    /// The stylesheet of the token classes, generated from pandoc's own
    /// theme by `scripts/regen-html-fixtures`.
    pub fn css(self) -> &'static str {
        match self {
            HighlightStyle::Pygments => include_str!("highlight/pygments.css"),
            HighlightStyle::Tango => include_str!("highlight/tango.css"),
            HighlightStyle::Espresso => include_str!("highlight/espresso.css"),
            HighlightStyle::Zenburn => include_str!("highlight/zenburn.css"),
            HighlightStyle::Kate => include_str!("highlight/kate.css"),
            HighlightStyle::Monochrome => include_str!("highlight/monochrome.css"),
            HighlightStyle::Breezedark => include_str!("highlight/breezedark.css"),
            HighlightStyle::Haddock => include_str!("highlight/haddock.css"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_python_like_pandoc() {
        let (_, syntax) = find_language(&["python".to_string()]).expect("python is known");
        let lines = highlight_lines(
            "def f(x):\n    return 2  # c\n",
            syntax,
            &mut ClassCache::default(),
        )
        .unwrap();
        assert_eq!(lines.len(), 2);
        assert!(lines[0].contains(&(Some("kw"), "def")), "{lines:?}");
        assert!(lines[1].contains(&(Some("cf"), "return")), "{lines:?}");
        assert!(lines[1].contains(&(Some("dv"), "2")), "{lines:?}");
        assert!(lines[1].contains(&(Some("co"), "# c")), "{lines:?}");
        let text: String = lines[1].iter().map(|t| t.1).collect();
        assert_eq!(text, "    return 2  # c");
    }

    #[test]
    fn classifies_shell_and_yaml_like_pandoc() {
        let (_, bash) = find_language(&["bash".to_string()]).unwrap();
        let line = &highlight_lines(
            "ast-filters --check < doc.json && cd x\n",
            bash,
            &mut ClassCache::default(),
        )
        .unwrap()[0];
        assert!(line.contains(&(Some("ex"), "ast-filters")), "{line:?}");
        assert!(line.contains(&(Some("at"), "--check")), "{line:?}");
        assert!(line.contains(&(Some("kw"), "&&")), "{line:?}");
        assert!(line.contains(&(Some("bu"), "cd")), "{line:?}");
        let (_, yaml) = find_language(&["yaml".to_string()]).unwrap();
        let line = &highlight_lines("lang: fr # c\n", yaml, &mut ClassCache::default()).unwrap()[0];
        assert_eq!(line[..2], [(Some("fu"), "lang"), (Some("kw"), ":")]);
    }

    #[test]
    fn unknown_languages_are_not_found() {
        assert!(find_language(&["numberLines".into(), "nosuchlanguage".into()]).is_none());
        assert_eq!(
            find_language(&["x".into(), "bash".into()]).map(|l| l.0),
            Some("bash")
        );
        assert!(find_language(&["rust".into()]).is_some());
    }

    #[test]
    fn styles_round_trip_their_names() {
        for style in HighlightStyle::ALL {
            assert_eq!(HighlightStyle::from_name(style.name()), Some(style));
            assert!(style.css().contains("code span.kw"));
        }
    }
}

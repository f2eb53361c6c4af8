//! Syntax highlighting, tokenised once for every writer: syntect parses the
//! code and each run of text gets one of pandoc's (skylighting's) token
//! types (`KeywordTok`, `StringTok`...). A writer only formats the tokens
//! (`<span class="kw">` in HTML, `\KeywordTok{...}` in LaTeX) and takes
//! their look from the one style table ([`crate::style`]), so the same code
//! is coloured the same in every output.
//!
//! ```
//! use writer_support::highlight::{find_language, Highlighter, TokenType};
//! let classes = ["python".to_string()];
//! let language = find_language(&classes).unwrap();
//! let lines = Highlighter::default().highlight("return 2\n", &language).unwrap();
//! assert_eq!(lines, [vec![(TokenType::ControlFlow, "return"), (TokenType::Normal, " "),
//!     (TokenType::DecVal, "2")]]);
//! ```

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

use syntect::parsing::{ParseState, Scope, ScopeStack, SyntaxReference, SyntaxSet};

/// Skylighting's token types, pandoc's classes of highlighted text, in
/// alphabetical order (the order of pandoc's LaTeX macro definitions).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TokenType {
    Alert,
    Annotation,
    Attribute,
    BaseN,
    BuiltIn,
    Char,
    Comment,
    CommentVar,
    Constant,
    ControlFlow,
    DataType,
    DecVal,
    Documentation,
    Error,
    Extension,
    Float,
    Function,
    Import,
    Information,
    Keyword,
    /// Text no class applies to.
    Normal,
    Operator,
    Other,
    Preprocessor,
    RegionMarker,
    SpecialChar,
    SpecialString,
    String,
    Variable,
    VerbatimString,
    Warning,
}

impl TokenType {
    /// Every token type, in alphabetical order.
    pub const ALL: [TokenType; 31] = [
        TokenType::Alert,
        TokenType::Annotation,
        TokenType::Attribute,
        TokenType::BaseN,
        TokenType::BuiltIn,
        TokenType::Char,
        TokenType::Comment,
        TokenType::CommentVar,
        TokenType::Constant,
        TokenType::ControlFlow,
        TokenType::DataType,
        TokenType::DecVal,
        TokenType::Documentation,
        TokenType::Error,
        TokenType::Extension,
        TokenType::Float,
        TokenType::Function,
        TokenType::Import,
        TokenType::Information,
        TokenType::Keyword,
        TokenType::Normal,
        TokenType::Operator,
        TokenType::Other,
        TokenType::Preprocessor,
        TokenType::RegionMarker,
        TokenType::SpecialChar,
        TokenType::SpecialString,
        TokenType::String,
        TokenType::Variable,
        TokenType::VerbatimString,
        TokenType::Warning,
    ];

    /// The name without its `Tok` suffix (`Keyword`): pandoc's theme keys
    /// and, with `Tok`, its LaTeX macros.
    pub fn name(self) -> &'static str {
        match self {
            TokenType::Alert => "Alert",
            TokenType::Annotation => "Annotation",
            TokenType::Attribute => "Attribute",
            TokenType::BaseN => "BaseN",
            TokenType::BuiltIn => "BuiltIn",
            TokenType::Char => "Char",
            TokenType::Comment => "Comment",
            TokenType::CommentVar => "CommentVar",
            TokenType::Constant => "Constant",
            TokenType::ControlFlow => "ControlFlow",
            TokenType::DataType => "DataType",
            TokenType::DecVal => "DecVal",
            TokenType::Documentation => "Documentation",
            TokenType::Error => "Error",
            TokenType::Extension => "Extension",
            TokenType::Float => "Float",
            TokenType::Function => "Function",
            TokenType::Import => "Import",
            TokenType::Information => "Information",
            TokenType::Keyword => "Keyword",
            TokenType::Normal => "Normal",
            TokenType::Operator => "Operator",
            TokenType::Other => "Other",
            TokenType::Preprocessor => "Preprocessor",
            TokenType::RegionMarker => "RegionMarker",
            TokenType::SpecialChar => "SpecialChar",
            TokenType::SpecialString => "SpecialString",
            TokenType::String => "String",
            TokenType::Variable => "Variable",
            TokenType::VerbatimString => "VerbatimString",
            TokenType::Warning => "Warning",
        }
    }

    /// The short HTML class pandoc gives the token (`kw`); `None` for
    /// [`TokenType::Normal`], which pandoc leaves outside any span.
    pub fn class(self) -> Option<&'static str> {
        Some(match self {
            TokenType::Alert => "al",
            TokenType::Annotation => "an",
            TokenType::Attribute => "at",
            TokenType::BaseN => "bn",
            TokenType::BuiltIn => "bu",
            TokenType::Char => "ch",
            TokenType::Comment => "co",
            TokenType::CommentVar => "cv",
            TokenType::Constant => "cn",
            TokenType::ControlFlow => "cf",
            TokenType::DataType => "dt",
            TokenType::DecVal => "dv",
            TokenType::Documentation => "do",
            TokenType::Error => "er",
            TokenType::Extension => "ex",
            TokenType::Float => "fl",
            TokenType::Function => "fu",
            TokenType::Import => "im",
            TokenType::Information => "in",
            TokenType::Keyword => "kw",
            TokenType::Normal => return None,
            TokenType::Operator => "op",
            TokenType::Other => "ot",
            TokenType::Preprocessor => "pp",
            TokenType::RegionMarker => "re",
            TokenType::SpecialChar => "sc",
            TokenType::SpecialString => "ss",
            TokenType::String => "st",
            TokenType::Variable => "va",
            TokenType::VerbatimString => "vs",
            TokenType::Warning => "wa",
        })
    }

    /// The token type called `name` (`Keyword`), as pandoc's themes name them.
    pub fn from_name(name: &str) -> Option<TokenType> {
        Self::ALL.into_iter().find(|t| t.name() == name)
    }
}

/// A run of text in one line and its token type.
pub type Token<'a> = (TokenType, &'a str);

fn syntax_set() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
}

/// A language syntect can highlight, and the class that named it.
#[derive(Clone, Copy)]
pub struct Language<'a> {
    /// The class as written in the document (`python`, `sh`).
    pub name: &'a str,
    syntax: &'static SyntaxReference,
}

impl std::fmt::Debug for Language<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Language")
            .field("name", &self.name)
            .field("syntax", &self.syntax.name)
            .finish()
    }
}

/// Classes of a code element that never name its language.
pub fn is_code_option_class(class: &str) -> bool {
    class.is_empty()
        || class.eq_ignore_ascii_case("numberLines")
        || class == "number-lines"
        || class == "sourceCode"
}

/// The syntax of one language name (a class), with the usual aliases.
fn find_syntax(name: &str) -> Option<&'static SyntaxReference> {
    let set = syntax_set();
    let alias = match name {
        "shell" => "bash",
        "python3" => "python",
        other => other,
    };
    set.find_syntax_by_token(alias)
        .or_else(|| set.find_syntax_by_name(name))
        .filter(|s| s.name != "Plain Text")
}

/// The first class that names a language syntect knows (`python`, `rust`,
/// `bash`, `sh`...), as pandoc takes the first known language among the classes.
pub fn find_language(classes: &[String]) -> Option<Language<'_>> {
    classes
        .iter()
        .filter(|c| !is_code_option_class(c))
        .find_map(|c| {
            find_syntax(c).map(|syntax| Language {
                name: c.as_str(),
                syntax,
            })
        })
}

/// Turns code into lines of tokens, keeping the token type of each scope met
/// so far from one code block to the next (finding it takes building the
/// scope's name). One per writer.
#[derive(Default)]
pub struct Highlighter {
    types: HashMap<Scope, Option<TokenType>, BuildHasherDefault<ScopeHasher>>,
}

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

impl Highlighter {
    /// Splits `code` into lines (without their newline; a final newline
    /// makes no empty last line) of tokens. Touching runs of one type are
    /// merged, and blanks at the edge of a token are left outside it as
    /// [`TokenType::Normal`] (` --check`), as in pandoc. `Err` carries
    /// syntect's message when the grammar fails on this input.
    pub fn highlight<'a>(
        &mut self,
        code: &'a str,
        language: &Language<'_>,
    ) -> Result<Vec<Vec<Token<'a>>>, String> {
        let set = syntax_set();
        let mut state = ParseState::new(language.syntax);
        let mut stack = ScopeStack::new();
        let types = &mut self.types;
        let mut lines = Vec::new();
        for line in code.split_inclusive('\n') {
            let ops = state.parse_line(line, set).map_err(|e| e.to_string())?;
            let content_len = line.strip_suffix('\n').map_or(line.len(), str::len);
            let mut runs: Vec<(TokenType, usize, usize)> = Vec::new();
            let mut start = 0;
            let mut push = |runs: &mut Vec<_>, stack: &ScopeStack, from: usize, to: usize| {
                let to = to.min(content_len);
                if from >= to {
                    return;
                }
                add_run(runs, classify(stack, types), from, to);
            };
            for (offset, op) in &ops {
                push(&mut runs, &stack, start, *offset);
                start = start.max(*offset);
                stack.apply(op).map_err(|e| format!("{e:?}"))?;
            }
            push(&mut runs, &stack, start, line.len());
            let tokens = trim_runs(line, runs)
                .into_iter()
                .map(|(kind, from, to)| (kind, &line[from..to]))
                .collect();
            lines.push(tokens);
        }
        Ok(lines)
    }
}

/// `code` highlighted as the language `name`, in one call: `None` when no
/// language has that name. Writers keep a [`Highlighter`] instead.
pub fn highlight<'a>(code: &'a str, name: &str) -> Option<Result<Vec<Vec<Token<'a>>>, String>> {
    let syntax = find_syntax(name)?;
    Some(Highlighter::default().highlight(code, &Language { name, syntax }))
}

/// Appends a run, merged with the previous one when they touch and share a
/// type (as pandoc's tokens are).
fn add_run(runs: &mut Vec<(TokenType, usize, usize)>, kind: TokenType, from: usize, to: usize) {
    if from == to {
        return;
    }
    match runs.last_mut() {
        Some((last, _, end)) if *last == kind && *end == from => *end = to,
        _ => runs.push((kind, from, to)),
    }
}

/// Blanks that a grammar puts at the edge of a token (` --check`) are left
/// outside it, as in pandoc.
fn trim_runs(line: &str, runs: Vec<(TokenType, usize, usize)>) -> Vec<(TokenType, usize, usize)> {
    let mut out = Vec::with_capacity(runs.len());
    for (kind, from, to) in runs {
        let text = &line[from..to];
        if kind == TokenType::Normal || text.trim().is_empty() {
            add_run(&mut out, TokenType::Normal, from, to);
            continue;
        }
        let lead = text.len() - text.trim_start().len();
        let trail = text.len() - text.trim_end().len();
        add_run(&mut out, TokenType::Normal, from, from + lead);
        add_run(&mut out, kind, from + lead, to - trail);
        add_run(&mut out, TokenType::Normal, to - trail, to);
    }
    out
}

fn classify(
    stack: &ScopeStack,
    cache: &mut HashMap<Scope, Option<TokenType>, BuildHasherDefault<ScopeHasher>>,
) -> TokenType {
    stack
        .as_slice()
        .iter()
        .rev()
        .find_map(|scope| {
            *cache
                .entry(*scope)
                .or_insert_with(|| token_type_of(&scope.build_string()))
        })
        .unwrap_or(TokenType::Normal)
}

/// Scope-name prefixes and the token type they become; the first matching
/// prefix wins. Checked against pandoc 3.9 (skylighting) on Python, C,
/// Rust, shell, JavaScript and YAML.
const SCOPE_TYPES: &[(&str, TokenType)] = &[
    ("comment", TokenType::Comment),
    ("string.regexp", TokenType::SpecialString),
    ("string", TokenType::String),
    ("constant.numeric.float", TokenType::Float),
    // `0x1F`, `0o17`, `0b1`: pandoc's BaseN.
    ("constant.numeric.integer.hexadecimal", TokenType::BaseN),
    ("constant.numeric.integer.octal", TokenType::BaseN),
    ("constant.numeric.integer.binary", TokenType::BaseN),
    ("constant.numeric.hex", TokenType::BaseN),
    ("constant.numeric", TokenType::DecVal),
    ("constant.character.escape", TokenType::SpecialChar),
    ("constant.character", TokenType::Char),
    ("constant", TokenType::Constant),
    ("support.constant", TokenType::Constant),
    ("keyword.control.import", TokenType::Import),
    ("keyword.control.include", TokenType::Import),
    ("keyword.other.import", TokenType::Import),
    ("keyword.control", TokenType::ControlFlow),
    ("keyword.operator", TokenType::Operator),
    ("keyword.other.preprocessor", TokenType::Preprocessor),
    ("keyword", TokenType::Keyword),
    ("storage.type.function", TokenType::Keyword),
    ("storage.type.class", TokenType::Keyword),
    ("storage.modifier", TokenType::Keyword),
    ("storage.type", TokenType::DataType),
    ("storage", TokenType::Keyword),
    ("support.function.builtin", TokenType::BuiltIn),
    ("support.function", TokenType::Function),
    ("variable.function", TokenType::Function),
    ("support.type", TokenType::DataType),
    ("support.class", TokenType::DataType),
    ("entity.name.type", TokenType::DataType),
    ("entity.name.class", TokenType::DataType),
    ("entity.name.tag", TokenType::Keyword),
    ("entity.other.attribute-name", TokenType::Attribute),
    // Python's `self` is pandoc's `va` (Rust's `self` is a keyword scope).
    ("variable.language", TokenType::Variable),
    ("variable.other.readwrite", TokenType::Variable),
    ("support.variable", TokenType::Variable),
    ("meta.preprocessor", TokenType::Preprocessor),
    ("invalid", TokenType::Error),
];

/// Scopes of shell scripts, first: pandoc's shell grammar calls commands
/// `ex`, options `at`, pipes and `&&` `kw`, builtins `bu`, globs `pp`.
const SHELL_SCOPE_TYPES: &[(&str, TokenType)] = &[
    ("variable.function", TokenType::Extension),
    ("variable.parameter.option", TokenType::Attribute),
    ("keyword.operator.logical", TokenType::Keyword),
    ("keyword.operator.regexp", TokenType::Preprocessor),
    ("support.function", TokenType::BuiltIn),
    ("punctuation.definition.variable", TokenType::Variable),
    ("punctuation.separator.continuation", TokenType::DataType),
];

/// Scopes of YAML, first: keys are `fu` and the `:` after them `kw`, as in pandoc.
const YAML_SCOPE_TYPES: &[(&str, TokenType)] = &[
    ("entity.name.tag", TokenType::Function),
    ("punctuation.separator.key-value", TokenType::Keyword),
];

/// The token type of one scope name, if it has one.
fn token_type_of(scope: &str) -> Option<TokenType> {
    let find = |table: &[(&str, TokenType)]| {
        table
            .iter()
            .find(|(prefix, _)| {
                scope.starts_with(prefix)
                    && (scope.len() == prefix.len() || scope.as_bytes()[prefix.len()] == b'.')
            })
            .map(|(_, kind)| *kind)
    };
    let language_table = if scope.ends_with(".shell") {
        SHELL_SCOPE_TYPES
    } else if scope.ends_with(".yaml") {
        YAML_SCOPE_TYPES
    } else {
        &[]
    };
    find(language_table).or_else(|| find(SCOPE_TYPES))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(code: &str, language: &str) -> Vec<Vec<(TokenType, String)>> {
        highlight(code, language)
            .expect("known language")
            .unwrap()
            .into_iter()
            .map(|l| l.into_iter().map(|(t, s)| (t, s.to_string())).collect())
            .collect()
    }

    fn has(line: &[(TokenType, String)], kind: TokenType, text: &str) -> bool {
        line.contains(&(kind, text.to_string()))
    }

    #[test]
    fn classifies_python_like_pandoc() {
        let l = lines("def f(x=0x1F):\n    return 2  # c\nself.y\n", "python");
        assert_eq!(l.len(), 3);
        assert!(has(&l[0], TokenType::Keyword, "def"), "{l:?}");
        assert!(has(&l[2], TokenType::Variable, "self"), "{l:?}");
        assert!(has(&l[0], TokenType::BaseN, "0x1F"), "{l:?}");
        assert!(has(&l[1], TokenType::ControlFlow, "return"), "{l:?}");
        assert!(has(&l[1], TokenType::DecVal, "2"), "{l:?}");
        assert!(has(&l[1], TokenType::Comment, "# c"), "{l:?}");
        let text: String = l[1].iter().map(|t| t.1.as_str()).collect();
        assert_eq!(text, "    return 2  # c");
    }

    #[test]
    fn classifies_shell_and_yaml_like_pandoc() {
        let l = &lines("ast-filters --check < doc.json && cd x\n", "bash")[0];
        assert!(has(l, TokenType::Extension, "ast-filters"), "{l:?}");
        assert!(has(l, TokenType::Attribute, "--check"), "{l:?}");
        assert!(has(l, TokenType::Keyword, "&&"), "{l:?}");
        assert!(has(l, TokenType::BuiltIn, "cd"), "{l:?}");
        let l = &lines("lang: fr # c\n", "yaml")[0];
        assert_eq!(
            l[..2],
            [
                (TokenType::Function, "lang".to_string()),
                (TokenType::Keyword, ":".to_string())
            ]
        );
    }

    #[test]
    fn languages_are_found_by_class_and_alias() {
        assert!(find_language(&["numberLines".into(), "nosuchlanguage".into()]).is_none());
        assert_eq!(
            find_language(&["x".into(), "bash".into()]).map(|l| l.name),
            Some("bash")
        );
        for name in ["rust", "sh", "shell", "python3", "py", "yml", "js", "c++"] {
            assert!(find_language(&[name.into()]).is_some(), "{name}");
        }
    }

    #[test]
    fn token_types_have_distinct_names_and_classes() {
        for (i, t) in TokenType::ALL.iter().enumerate() {
            assert_eq!(TokenType::from_name(t.name()), Some(*t));
            for u in &TokenType::ALL[i + 1..] {
                assert!(t < u, "ALL is sorted");
                assert_ne!(t.class(), u.class());
            }
        }
        assert_eq!(TokenType::Normal.class(), None);
    }
}

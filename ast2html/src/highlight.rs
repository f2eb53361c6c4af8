//! Syntax highlighting with syntect, written as pandoc writes it: each token
//! in a `<span>` whose class is one of pandoc's (skylighting's) token
//! classes (`kw`, `st`, `co`...), coloured by a class-based stylesheet for
//! the chosen `--highlight-style`. The syntax set is built once, on first use.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::OnceLock;

use ast::{Block, Pandoc};
use syntect::parsing::{ParseState, Scope, ScopeStack, SyntaxReference, SyntaxSet};

fn syntax_set() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
}

/// The syntax named by the first class that names a language syntect knows
/// (`python`, `rust`, `bash`, `sh`...), as pandoc takes the first known
/// language among the classes.
pub fn find_language(classes: &[String]) -> Option<&'static SyntaxReference> {
    let set = syntax_set();
    classes
        .iter()
        .filter(|c| !c.is_empty() && !c.eq_ignore_ascii_case("numberLines"))
        .find_map(|c| set.find_syntax_by_token(c))
        .filter(|s| s.name != "Plain Text")
}

/// A run of text in one line and the token class it gets (`None`: plain).
pub type Token<'a> = (Option<&'static str>, &'a str);

/// The runs of one line: token classes and byte ranges in the whole code.
pub type Runs = Vec<(Option<&'static str>, Range<usize>)>;

/// Splits `code` into lines (without their newline) of classified tokens.
/// `Err` carries syntect's message when the grammar fails on this input.
pub fn highlight_lines<'a>(
    code: &'a str,
    syntax: &SyntaxReference,
) -> Result<Vec<Vec<Token<'a>>>, String> {
    highlight_runs(code, syntax).map(|lines| tokens_of(code, lines))
}

/// The tokens of `lines`, runs computed on `code` by [`highlight_runs`].
pub fn tokens_of(code: &str, lines: Vec<Runs>) -> Vec<Vec<Token<'_>>> {
    lines
        .into_iter()
        .map(|runs| {
            runs.into_iter()
                .map(|(class, range)| (class, &code[range]))
                .collect()
        })
        .collect()
}

/// [`highlight_lines`] as byte ranges of `code`, which can cross threads.
pub fn highlight_runs(code: &str, syntax: &SyntaxReference) -> Result<Vec<Runs>, String> {
    let set = syntax_set();
    let mut state = ParseState::new(syntax);
    let mut stack = ScopeStack::new();
    let mut classes: HashMap<Scope, Option<&'static str>> = HashMap::new();
    let mut lines = Vec::new();
    let mut line_start = 0;
    for line in code.split_inclusive('\n') {
        let ops = state.parse_line(line, set).map_err(|e| e.to_string())?;
        let content_len = line.strip_suffix('\n').map_or(line.len(), str::len);
        let mut runs: Runs = Vec::new();
        let mut start = 0;
        let mut push = |runs: &mut Runs, stack: &ScopeStack, from: usize, to: usize| {
            let to = to.min(content_len);
            if from >= to {
                return;
            }
            let class = classify(stack, &mut classes);
            let (from, to) = (line_start + from, line_start + to);
            match runs.last_mut() {
                // Adjacent runs of the same class are one token, as in pandoc.
                Some((last, range)) if *last == class && range.end == from => range.end = to,
                _ => runs.push((class, from..to)),
            }
        };
        for (offset, op) in &ops {
            push(&mut runs, &stack, start, *offset);
            start = start.max(*offset);
            stack.apply(op).map_err(|e| format!("{e:?}"))?;
        }
        push(&mut runs, &stack, start, line.len());
        lines.push(runs);
        line_start += line.len();
    }
    Ok(lines)
}

/// Below this much code in known languages, highlighting on one thread is
/// quicker than starting others.
const PARALLEL_THRESHOLD: usize = 32 * 1024;

/// A code block's key in [`highlight_code_blocks`]'s result: its text's
/// address and length (the document is not modified while it is written).
pub fn block_key(code: &str) -> (usize, usize) {
    (code.as_ptr() as usize, code.len())
}

/// Highlights every code block of `doc` in a known language on all cores,
/// when there is enough code for it to pay; the writer then takes each
/// block's runs from the map (and highlights what is not in it itself).
pub fn highlight_code_blocks(doc: &Pandoc) -> HashMap<(usize, usize), Result<Vec<Runs>, String>> {
    let mut jobs: Vec<((usize, usize), String, &'static SyntaxReference)> = Vec::new();
    ast::query_blocks(doc, |block| {
        if let Block::CodeBlock(attr, code) = block {
            if let (false, Some(syntax)) = (code.is_empty(), find_language(&attr.classes)) {
                jobs.push((block_key(code), code.clone(), syntax));
            }
        }
    });
    let total: usize = jobs.iter().map(|j| j.1.len()).sum();
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(8));
    if total < PARALLEL_THRESHOLD || threads < 2 {
        return HashMap::new();
    }
    // Largest first, each to the least loaded thread.
    jobs.sort_by_key(|j| std::cmp::Reverse(j.1.len()));
    let mut buckets: Vec<(usize, Vec<_>)> = (0..threads).map(|_| (0, Vec::new())).collect();
    for job in jobs {
        let bucket = buckets
            .iter_mut()
            .min_by_key(|b| b.0)
            .expect("at least two threads");
        bucket.0 += job.1.len();
        bucket.1.push(job);
    }
    std::thread::scope(|scope| {
        let handles: Vec<_> = buckets
            .into_iter()
            .map(|(_, jobs)| {
                scope.spawn(move || {
                    jobs.into_iter()
                        .map(|(key, code, syntax)| (key, highlight_runs(&code, syntax)))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        // A thread that failed leaves its blocks to the writer.
        handles
            .into_iter()
            .filter_map(|h| h.join().ok())
            .flatten()
            .collect()
    })
}

fn classify(
    stack: &ScopeStack,
    cache: &mut HashMap<Scope, Option<&'static str>>,
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
    ("entity.name.function", "fu"),
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

fn class_of(scope: &str) -> Option<&'static str> {
    SCOPE_CLASSES
        .iter()
        .find(|(prefix, _)| {
            scope.starts_with(prefix)
                && (scope.len() == prefix.len() || scope.as_bytes()[prefix.len()] == b'.')
        })
        .map(|(_, class)| *class)
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
        let syntax = find_language(&["python".to_string()]).expect("python is known");
        let lines = highlight_lines("def f(x):\n    return 2  # c\n", syntax).unwrap();
        assert_eq!(lines.len(), 2);
        assert!(lines[0].contains(&(Some("kw"), "def")), "{lines:?}");
        assert!(lines[1].contains(&(Some("cf"), "return")), "{lines:?}");
        assert!(lines[1].contains(&(Some("dv"), "2")), "{lines:?}");
        assert!(lines[1].contains(&(Some("co"), "# c")), "{lines:?}");
        let text: String = lines[1].iter().map(|t| t.1).collect();
        assert_eq!(text, "    return 2  # c");
    }

    #[test]
    fn unknown_languages_are_not_found() {
        assert!(find_language(&["numberLines".into(), "nosuchlanguage".into()]).is_none());
        assert!(find_language(&["bash".into()]).is_some());
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

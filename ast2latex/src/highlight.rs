//! Syntax highlighting of code blocks: syntect finds the tokens, which are
//! classified into pandoc's (skylighting's) token types so that the style
//! names and colours are pandoc's (`pygments`, `tango`, `kate`, ...), and
//! written as pandoc's `\KeywordTok{...}` macros inside a fancyvrb environment.

use std::fmt::Write as _;
use std::sync::OnceLock;

use syntect::easy::ScopeRangeIterator;
use syntect::parsing::{ParseState, Scope, ScopeStack, SyntaxSet};

use crate::escape::{escape, Context};
use crate::styles::STYLES;

/// How one token type is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TokenStyle {
    pub color: Option<u32>,
    pub background_color: Option<u32>,
    pub bold: bool,
    pub italic: bool,
    pub underline: bool,
}

/// A highlighting style: pandoc's JSON theme.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    pub name: &'static str,
    pub text_color: Option<u32>,
    pub background_color: Option<u32>,
    pub line_number_color: Option<u32>,
    /// Token type (`Keyword`, `Comment`...) and its look, sorted by name.
    pub tokens: &'static [(&'static str, TokenStyle)],
}

/// Every token type of skylighting, in pandoc's order of macro definitions.
pub const TOKEN_TYPES: &[&str] = &[
    "Alert",
    "Annotation",
    "Attribute",
    "BaseN",
    "BuiltIn",
    "Char",
    "Comment",
    "CommentVar",
    "Constant",
    "ControlFlow",
    "DataType",
    "DecVal",
    "Documentation",
    "Error",
    "Extension",
    "Float",
    "Function",
    "Import",
    "Information",
    "Keyword",
    "Normal",
    "Operator",
    "Other",
    "Preprocessor",
    "RegionMarker",
    "SpecialChar",
    "SpecialString",
    "String",
    "Variable",
    "VerbatimString",
    "Warning",
];

/// The style called `name`, if there is one.
pub fn find_style(name: &str) -> Option<&'static Style> {
    STYLES.iter().find(|s| s.name == name)
}

/// The names of every style, for messages.
pub fn style_names() -> Vec<&'static str> {
    STYLES.iter().map(|s| s.name).collect()
}

fn syntax_set() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
}

pub fn find_syntax(language: &str) -> Option<&'static syntect::parsing::SyntaxReference> {
    let set = syntax_set();
    let alias = match language {
        "sh" | "shell" | "zsh" => "bash",
        "js" | "javascript" => "js",
        "yml" => "yaml",
        "py" | "python3" => "python",
        "c++" => "cpp",
        other => other,
    };
    set.find_syntax_by_token(alias)
        .or_else(|| set.find_syntax_by_name(language))
        .filter(|s| s.name != "Plain Text")
}

/// The lines of `code` as runs of (token type, text), or `None` when the
/// language is unknown or the grammar fails on this input.
fn tokenize(code: &str, language: &str) -> Option<Vec<Vec<(&'static str, String)>>> {
    let syntax = find_syntax(language)?;
    let set = syntax_set();
    let mut state = ParseState::new(syntax);
    let mut stack = ScopeStack::new();
    let mut lines = Vec::new();
    for line in code.split('\n') {
        let with_newline = format!("{line}\n");
        let ops = state.parse_line(&with_newline, set).ok()?;
        let mut runs: Vec<(&'static str, String)> = Vec::new();
        for (range, op) in ScopeRangeIterator::new(&ops, &with_newline) {
            stack.apply(op).ok()?;
            let text = &with_newline[range];
            let text = text.strip_suffix('\n').unwrap_or(text);
            if text.is_empty() {
                continue;
            }
            let token = classify(stack.as_slice());
            match runs.last_mut() {
                Some((t, s)) if *t == token => s.push_str(text),
                _ => runs.push((token, text.to_string())),
            }
        }
        lines.push(runs);
    }
    Some(lines)
}

/// Writes the lines of `code` highlighted as `language` to `out`, each token as
/// `\XTok{...}`, for a fancyvrb environment; returns false (writing nothing)
/// when the language is unknown or the parser fails.
pub fn write_highlighted(code: &str, language: &str, out: &mut String) -> bool {
    let Some(lines) = tokenize(code, language) else {
        return false;
    };
    let mut result = String::with_capacity(code.len() * 2);
    for runs in lines {
        for (token, text) in runs {
            // Leading blanks stay outside any macro, as pandoc writes them.
            let trimmed = text.trim_start_matches(' ');
            let indent = &text[..text.len() - trimmed.len()];
            result.push_str(indent);
            if !trimmed.is_empty() {
                let _ = write!(result, "\\{token}Tok{{");
                escape(trimmed, Context::Verbatim, &mut result);
                result.push('}');
            }
        }
        result.push('\n');
    }
    // `split` gives one empty last line for a final newline: drop it.
    if code.ends_with('\n') {
        result.pop();
    }
    out.push_str(&result);
    true
}

/// Writes inline `code` highlighted as `language` for `\texttt{...}` (each
/// token as `\XTok{...}`, escaped as inline code); false when the language
/// is unknown.
pub fn write_highlighted_inline(code: &str, language: &str, out: &mut String) -> bool {
    let Some(lines) = tokenize(code, language) else {
        return false;
    };
    let mut result = String::with_capacity(code.len() * 2);
    for (i, runs) in lines.into_iter().enumerate() {
        if i > 0 {
            result.push(' ');
        }
        for (token, text) in runs {
            let _ = write!(result, "\\{token}Tok{{");
            escape(&text, Context::Code, &mut result);
            result.push('}');
        }
    }
    out.push_str(&result);
    true
}

/// The token type of the innermost scope that has one.
fn classify(stack: &[Scope]) -> &'static str {
    for scope in stack.iter().rev() {
        if let Some(token) = token_of(&scope.build_string()) {
            return token;
        }
    }
    "Normal"
}

fn token_of(scope: &str) -> Option<&'static str> {
    let has = |prefix: &str| scope == prefix || scope.starts_with(&format!("{prefix}."));
    let token = if has("comment.block.documentation") || has("comment.line.documentation") {
        "Documentation"
    } else if has("comment") {
        "Comment"
    } else if has("constant.character.escape") {
        "SpecialChar"
    } else if has("string.regexp") || has("string.interpolated") {
        "SpecialString"
    } else if has("string") {
        "String"
    } else if has("constant.numeric.float") {
        "Float"
    } else if has("constant.numeric.integer.hexadecimal")
        || has("constant.numeric.integer.octal")
        || has("constant.numeric.integer.binary")
        || has("constant.numeric.hex")
    {
        "BaseN"
    } else if has("constant.numeric") {
        "DecVal"
    } else if has("constant.character") {
        "Char"
    } else if has("constant.language") || has("constant.other") || has("support.constant") {
        "Constant"
    } else if has("keyword.control.import")
        || has("keyword.other.import")
        || has("keyword.control.include")
    {
        "Import"
    } else if has("keyword.control.directive") || has("meta.preprocessor") {
        "Preprocessor"
    } else if has("keyword.control") {
        "ControlFlow"
    } else if has("keyword.operator") {
        "Operator"
    } else if has("keyword")
        || has("storage.type.function")
        || has("storage.type.class")
        || has("storage.modifier")
    {
        "Keyword"
    } else if has("storage.type")
        || has("entity.name.type")
        || has("entity.name.class")
        || has("support.type")
        || has("support.class")
    {
        "DataType"
    } else if has("support.function.builtin") || has("variable.language") {
        "BuiltIn"
    } else if has("entity.name.function") || has("support.function") || has("variable.function") {
        "Function"
    } else if has("entity.other.attribute-name") {
        "Attribute"
    } else if has("entity.name.tag") {
        "Keyword"
    } else if has("support.variable")
        || has("variable.other.readwrite.shell")
        || has("variable.other.normal")
    {
        "Variable"
    } else if has("invalid") {
        "Error"
    } else {
        return None;
    };
    Some(token)
}

/// The preamble lines that define `\XTok` for every token type in `style`,
/// and the colours of the code background and line numbers.
pub fn write_style_macros(style: &Style, out: &mut String) {
    let rgb = |c: u32| format!("{:02X}{:02X}{:02X}", c >> 16, (c >> 8) & 0xFF, c & 0xFF);
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
    for token in TOKEN_TYPES {
        let look = style
            .tokens
            .iter()
            .find(|(name, _)| name == token)
            .map(|(_, look)| *look);
        let mut body = "#1".to_string();
        if let Some(look) = look {
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
        let _ = writeln!(out, "\\newcommand{{\\{token}Tok}}[1]{{{body}}}");
    }
}

//! `latex_macros`: TeX macros defined in the document (`\newcommand`,
//! `\renewcommand`, `\providecommand`, `\def`, `\newenvironment`) and their
//! expansion in math and in raw TeX, as pandoc's LaTeX reader does it. The
//! definitions themselves stay in the raw TeX as written.

use std::collections::HashMap;

/// Expansions deeper than this stop expanding (a macro defined in terms of
/// itself would otherwise never end).
const MAX_EXPANSION_DEPTH: usize = 32;

/// Expansions done for one piece of TeX at most, so that a macro that uses
/// itself twice cannot grow the output exponentially.
const MAX_EXPANSIONS: usize = 10_000;

#[derive(Clone, Debug)]
struct Macro {
    /// Number of arguments, the optional one included.
    nargs: usize,
    /// Default of the first argument, which is then optional (`[...]`).
    default: Option<String>,
    body: String,
    /// For an environment, the code that ends it.
    end: Option<String>,
}

/// The macros defined so far, in document order.
#[derive(Clone, Debug, Default)]
pub(crate) struct Macros {
    commands: HashMap<String, Macro>,
    environments: HashMap<String, Macro>,
    /// Whether some command's body uses `\\xspace`, which looks past the
    /// end of an expansion.
    xspace_in_bodies: bool,
}

/// Length of a macro definition at the start of `s` (`\newcommand...`),
/// `None` when `s` does not start with a complete one.
pub(crate) fn definition_len(s: &str) -> Option<usize> {
    parse_definition(s).map(|(len, _)| len)
}

enum Definition {
    Command(String, Macro, bool),
    Environment(String, Macro),
}

/// A definition at the start of `s`: its length and what it defines (the
/// `bool`: whether it only provides a command not yet defined).
fn parse_definition(s: &str) -> Option<(usize, Definition)> {
    let b = s.as_bytes();
    if b.first() != Some(&b'\\') {
        return None;
    }
    let name_end = 1 + s[1..]
        .find(|c: char| !c.is_ascii_alphabetic())
        .unwrap_or(s.len() - 1);
    let command = &s[1..name_end];
    let mut i = name_end;
    if b.get(i) == Some(&b'*') {
        i += 1;
    }
    match command {
        "newcommand" | "renewcommand" | "providecommand" => {
            i = skip_spaces(b, i);
            let name = if b.get(i) == Some(&b'{') {
                let end = group_end(b, i)?;
                let inner = s[i + 1..end - 1].trim();
                i = end;
                control_word(inner).filter(|&(_, l)| l == inner.len())?.0
            } else {
                let (name, l) = control_word(&s[i..])?;
                i += l;
                name
            };
            let (nargs, default, after) = arg_spec(s, i)?;
            let (body, end) = body_token(s, skip_spaces(b, after))?;
            let m = Macro {
                nargs,
                default,
                body,
                end: None,
            };
            let provide = command == "providecommand";
            Some((end, Definition::Command(name.to_string(), m, provide)))
        }
        "def" | "gdef" | "edef" | "xdef" => {
            let (name, l) = control_word(&s[i..])?;
            i += l;
            // Parameters `#1#2...` before the body.
            let mut nargs = 0;
            while b.get(i) == Some(&b'#') && b.get(i + 1) == Some(&(b'1' + nargs as u8)) {
                nargs += 1;
                i += 2;
            }
            if b.get(i) != Some(&b'{') {
                return None;
            }
            let end = group_end(b, i)?;
            let m = Macro {
                nargs,
                default: None,
                body: s[i + 1..end - 1].to_string(),
                end: None,
            };
            Some((end, Definition::Command(name.to_string(), m, false)))
        }
        "newenvironment" | "renewenvironment" => {
            i = skip_spaces(b, i);
            if b.get(i) != Some(&b'{') {
                return None;
            }
            let end = group_end(b, i)?;
            let name = s[i + 1..end - 1].trim().to_string();
            let (nargs, default, after) = arg_spec(s, end)?;
            let (begin, begin_end) = body_token(s, skip_spaces(b, after))?;
            let (finish, end_end) = body_token(s, skip_spaces(b, begin_end))?;
            let m = Macro {
                nargs,
                default,
                body: begin,
                end: Some(finish),
            };
            Some((end_end, Definition::Environment(name, m)))
        }
        _ => None,
    }
}

/// A definition's body at `i`, as pandoc's `tok` reads it: a group's
/// content, or one control sequence or character (`\\newcommand{\\R}R`);
/// the body and the index after it.
fn body_token(s: &str, i: usize) -> Option<(String, usize)> {
    match s.as_bytes().get(i)? {
        b'{' => {
            let end = group_end(s.as_bytes(), i)?;
            Some((s[i + 1..end - 1].to_string(), end))
        }
        b'\\' => {
            let (_, l) = control_word(&s[i..])?;
            Some((s[i..i + l].to_string(), i + l))
        }
        b'#' | b'}' | b' ' | b'\t' | b'\n' => None,
        _ => {
            let c = s[i..].chars().next()?;
            Some((c.to_string(), i + c.len_utf8()))
        }
    }
}

/// `[n]` and `[default]` after a macro's name: the number of arguments, the
/// default of the optional one and the index after them.
fn arg_spec(s: &str, mut i: usize) -> Option<(usize, Option<String>, usize)> {
    let b = s.as_bytes();
    let mut nargs = 0;
    let mut default = None;
    let j = skip_spaces(b, i);
    if b.get(j) == Some(&b'[') {
        let end = bracket_end(b, j)?;
        nargs = s[j + 1..end - 1].trim().parse().ok()?;
        i = end;
        let k = skip_spaces(b, i);
        if b.get(k) == Some(&b'[') {
            let end = bracket_end(b, k)?;
            default = Some(s[k + 1..end - 1].to_string());
            i = end;
        }
    }
    Some((nargs, default, i))
}

/// A control word `\name` at the start of `s`: the name and its length.
fn control_word(s: &str) -> Option<(&str, usize)> {
    let rest = s.strip_prefix('\\')?;
    let len = rest
        .find(|c: char| !c.is_ascii_alphabetic())
        .unwrap_or(rest.len());
    if len == 0 {
        // A control symbol such as `\,`.
        let c = rest.chars().next()?;
        return Some((&rest[..c.len_utf8()], 1 + c.len_utf8()));
    }
    Some((&rest[..len], 1 + len))
}

fn skip_spaces(b: &[u8], mut i: usize) -> usize {
    while matches!(b.get(i), Some(b' ' | b'\t' | b'\n')) {
        i += 1;
    }
    i
}

/// Index after the group `{...}` opening at `i`, nesting and escapes counted.
pub(crate) fn group_end(b: &[u8], i: usize) -> Option<usize> {
    if b.get(i) != Some(&b'{') {
        return None;
    }
    let mut depth = 0usize;
    let mut k = i;
    while k < b.len() {
        match b[k] {
            b'\\' => k += 1,
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(k + 1);
                }
            }
            _ => {}
        }
        k += 1;
    }
    None
}

/// Index after the `[...]` opening at `i` (braces inside it skipped).
fn bracket_end(b: &[u8], i: usize) -> Option<usize> {
    let mut k = i + 1;
    while k < b.len() {
        match b[k] {
            b'\\' => k += 1,
            b'{' => {
                k = group_end(b, k)?;
                continue;
            }
            b']' => return Some(k + 1),
            _ => {}
        }
        k += 1;
    }
    None
}

impl Macros {
    pub(crate) fn is_empty(&self) -> bool {
        self.commands.is_empty() && self.environments.is_empty()
    }

    /// Raw TeX as pandoc writes it: definitions are recorded and kept as
    /// written, defined macros elsewhere expanded.
    pub(crate) fn process_raw(&mut self, tex: &str) -> String {
        let b = tex.as_bytes();
        let mut out = String::with_capacity(tex.len());
        let (mut i, mut seg_start) = (0, 0);
        while let Some(p) = memchr::memchr(b'\\', &b[i..]) {
            let at = i + p;
            if let Some((len, def)) = parse_definition(&tex[at..]) {
                out.push_str(&self.expand(&tex[seg_start..at]));
                out.push_str(&tex[at..at + len]);
                self.define(def);
                i = at + len;
                seg_start = i;
            } else {
                i = at + if b.get(at + 1) == Some(&b'\\') { 2 } else { 1 };
            }
        }
        // The white space after the last command is raw text that pandoc
        // keeps after the expansion (`\\foo x` gives `bar `), where the
        // expansion itself drops the spaces after a control word.
        let rest = &tex[seg_start..];
        let body = rest.trim_end_matches([' ', '\t', '\n']);
        out.push_str(&self.expand(body));
        out.push_str(&rest[body.len()..]);
        out
    }

    fn define(&mut self, def: Definition) {
        match def {
            Definition::Command(name, m, provide) => {
                self.xspace_in_bodies |= m.body.contains("\\xspace");
                if provide {
                    self.commands.entry(name).or_insert(m);
                } else {
                    self.commands.insert(name, m);
                }
            }
            Definition::Environment(name, m) => {
                // pandoc defines `\\name` and `\\endname` with it.
                let begin = Macro {
                    nargs: m.nargs,
                    default: m.default.clone(),
                    body: format!("\\bgroup {}", m.body),
                    end: None,
                };
                let end = Macro {
                    nargs: 0,
                    default: None,
                    body: format!("{}\\egroup ", m.end.as_deref().unwrap_or("")),
                    end: None,
                };
                self.xspace_in_bodies |=
                    begin.body.contains("\\xspace") || end.body.contains("\\xspace");
                self.commands.insert(format!("end{name}"), end);
                self.commands.insert(name.clone(), begin);
                self.environments.insert(name, m);
            }
        }
    }

    /// `tex` with the defined macros expanded.
    pub(crate) fn expand(&self, tex: &str) -> String {
        if !tex.contains('\\') || (self.is_empty() && !tex.contains("\\xspace")) {
            return tex.to_string();
        }
        let mut out = String::with_capacity(tex.len());
        let mut budget = MAX_EXPANSIONS;
        self.expand_into(tex, 0, &mut budget, &mut out);
        out
    }

    fn expand_into(&self, s: &str, depth: usize, budget: &mut usize, out: &mut String) {
        let b = s.as_bytes();
        let mut i = 0;
        let mut copied = 0;
        while let Some(p) = memchr::memchr(b'\\', &b[i..]) {
            i += p;
            let Some((name, l)) = control_word(&s[i..]) else {
                i += 1;
                continue;
            };
            let is_word = name.bytes().all(|c| c.is_ascii_alphabetic());
            let found = if depth >= MAX_EXPANSION_DEPTH || *budget == 0 || !is_word {
                None
            } else if name == "xspace" && !self.commands.contains_key(name) {
                // pandoc's one special macro of this kind: a space if what
                // follows (expanded) starts with a letter or digit, else nothing.
                *budget -= 1;
                out.push_str(&s[copied..i]);
                let mut rest = String::new();
                self.expand_into(&s[i + l..], depth + 1, budget, &mut rest);
                if rest.starts_with(char::is_alphanumeric) {
                    out.push(' ');
                }
                out.push_str(&rest);
                return;
            } else if name == "begin" || name == "end" {
                self.environment_at(s, i, name == "begin")
            } else {
                self.commands.get(name).and_then(|m| {
                    // The spaces after a control word belong to it.
                    let mut after = i + l;
                    while matches!(b.get(after), Some(b' ' | b'\t')) {
                        after += 1;
                    }
                    let (args, end) = self.arguments(s, after, m)?;
                    Some((substitute(&m.body, &args), end))
                })
            };
            match found {
                Some((mut text, end))
                    if text.contains("\\xspace")
                        || (self.xspace_in_bodies && text.contains('\\')) =>
                {
                    // `\\xspace` looks past the end of the expansion, at
                    // what follows the macro's use: expand them together.
                    *budget -= 1;
                    out.push_str(&s[copied..i]);
                    if s[end..].starts_with(|c: char| c.is_alphabetic())
                        && ends_with_control_word(&text)
                    {
                        text.push(' ');
                    }
                    text.push_str(&s[end..]);
                    self.expand_into(&text, depth + 1, budget, out);
                    return;
                }
                Some((text, end)) => {
                    *budget -= 1;
                    out.push_str(&s[copied..i]);
                    let before = out.len();
                    self.expand_into(&text, depth + 1, budget, out);
                    // Nor from the letter an expansion starts with
                    // (`\vara\varb`: `\alpha b`).
                    if out[before..].starts_with(|c: char| c.is_ascii_alphabetic())
                        && ends_with_control_word(&out[..before])
                    {
                        out.insert(before, ' ');
                    }
                    // pandoc separates a control word from a letter after it.
                    if s[end..].starts_with(|c: char| c.is_ascii_alphabetic())
                        && ends_with_control_word(out)
                    {
                        out.push(' ');
                    }
                    i = end;
                    copied = end;
                }
                None => i += l,
            }
        }
        out.push_str(&s[copied..]);
    }

    /// `\begin{env}` (with its arguments) or `\end{env}` of a defined
    /// environment at `i`: its replacement and the index after it.
    fn environment_at(&self, s: &str, i: usize, begin: bool) -> Option<(String, usize)> {
        let b = s.as_bytes();
        let at = i + if begin {
            "\\begin".len()
        } else {
            "\\end".len()
        };
        let end = group_end(b, at)?;
        let m = self.environments.get(s[at + 1..end - 1].trim())?;
        if begin {
            let (args, after) = self.arguments(s, end, m)?;
            Some((format!("\\bgroup {}", substitute(&m.body, &args)), after))
        } else {
            Some((format!("{}\\egroup ", m.end.as_deref().unwrap_or("")), end))
        }
    }

    /// The arguments of a macro use at `i`: each a group without its braces
    /// or a single token; the optional first one between brackets.
    fn arguments(&self, s: &str, mut i: usize, m: &Macro) -> Option<(Vec<String>, usize)> {
        let b = s.as_bytes();
        let mut args = Vec::with_capacity(m.nargs);
        let mut wanted = m.nargs;
        if let Some(default) = &m.default {
            let j = skip_spaces(b, i);
            if b.get(j) == Some(&b'[') {
                let end = bracket_end(b, j)?;
                args.push(s[j + 1..end - 1].to_string());
                i = end;
            } else {
                args.push(default.clone());
            }
            wanted = wanted.saturating_sub(1);
        }
        for _ in 0..wanted {
            i = skip_spaces(b, i);
            match b.get(i)? {
                b'{' => {
                    let end = group_end(b, i)?;
                    args.push(s[i + 1..end - 1].to_string());
                    i = end;
                }
                b'\\' => {
                    let (_, l) = control_word(&s[i..])?;
                    args.push(s[i..i + l].to_string());
                    i += l;
                }
                _ => {
                    let c = s[i..].chars().next()?;
                    args.push(c.to_string());
                    i += c.len_utf8();
                }
            }
        }
        Some((args, i))
    }
}

/// Whether `s` ends with a control word such as `\\alpha`.
fn ends_with_control_word(s: &str) -> bool {
    let word = s.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    word.len() < s.len() && word.ends_with('\\') && !word.ends_with("\\\\")
}

/// A macro's body with `#1`... replaced by the arguments and `##` by `#`.
fn substitute(body: &str, args: &[String]) -> String {
    if args.is_empty() || !body.contains('#') {
        return body.to_string();
    }
    let mut out = String::with_capacity(body.len());
    let mut chars = body.char_indices().peekable();
    while let Some((_, c)) = chars.next() {
        if c != '#' {
            out.push(c);
            continue;
        }
        match chars.peek().map(|&(_, d)| d) {
            Some('#') => {
                chars.next();
                out.push('#');
            }
            Some(d @ '1'..='9') => {
                chars.next();
                match args.get(d as usize - '1' as usize) {
                    Some(a) => {
                        // An argument's letters and digits never run into a control word
                        // before them (pandoc #4007: `\\alpha#1` with `b`).
                        if a.starts_with(char::is_alphanumeric) && ends_with_control_word(&out) {
                            out.push(' ');
                        }
                        out.push_str(a);
                    }
                    None => {
                        out.push('#');
                        out.push(d);
                    }
                }
            }
            _ => out.push('#'),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expands_commands_with_arguments_and_defaults() {
        let mut m = Macros::default();
        let raw = "\\newcommand{\\R}{\\mathbb{R}}\n\\newcommand{\\plus}[2][1]{#1 + #2}";
        assert_eq!(m.process_raw(raw), raw);
        assert_eq!(m.expand("x \\in \\R"), "x \\in \\mathbb{R}");
        assert_eq!(m.expand("\\plus{x}"), "1 + x");
        assert_eq!(m.expand("\\plus[y]{x}"), "y + x");
        assert_eq!(m.expand("\\Rbis"), "\\Rbis");
    }

    #[test]
    fn environments_and_def() {
        let mut m = Macros::default();
        m.process_raw("\\newenvironment{b}{\\begin{center}}{\\end{center}}\\def\\N{\\mathbb{N}}");
        assert_eq!(
            m.expand("\\begin{b}\nx\n\\end{b}"),
            "\\bgroup \\begin{center}\nx\n\\end{center}\\egroup "
        );
        assert_eq!(m.expand("n \\in \\N"), "n \\in \\mathbb{N}");
    }

    #[test]
    fn self_reference_stops() {
        let mut m = Macros::default();
        m.process_raw("\\def\\x{\\x\\x}");
        assert!(m.expand("\\x").len() < 1 << 40);
    }
}

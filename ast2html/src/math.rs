//! TeX math as plain HTML, the way pandoc's default (`PlainMath`) method
//! shows it: variables in italics, `^`/`_` as `<sup>`/`<sub>`, commands as
//! Unicode symbols, a simple fraction as `a/b`. Anything beyond that subset
//! (roots, matrices) is not converted: the caller then shows the TeX source,
//! as pandoc does. And as MathML (`--mathml`), by the `math-core` crate.

use crate::escape::{escape, Context};

/// TeX to MathML Core: `math-core`, chosen over `pulldown-latex` after both
/// were compared with pandoc's texmath on the fixtures' formulas (as close
/// to it; errors returned rather than written into the page; alignments by
/// inline styles rather than a stylesheet of its own). Made at the first
/// formula; one for the document, so that numbered equations count on.
#[derive(Default)]
pub struct MathMl(Option<math_core::LatexToMathML>);

impl MathMl {
    /// The `<math>` element of `tex`, with the TeX as its annotation, or
    /// why it cannot be converted.
    pub fn convert(&mut self, tex: &str, kind: ast::MathType) -> Result<String, String> {
        let converter = match &mut self.0 {
            Some(converter) => converter,
            None => {
                let config = math_core::MathCoreConfig {
                    xml_namespace: true,
                    annotation: true,
                    ..Default::default()
                };
                let converter =
                    math_core::LatexToMathML::new(config).map_err(|e| format!("{e:?}"))?;
                self.0.insert(converter)
            }
        };
        let display = match kind {
            ast::MathType::InlineMath => math_core::MathDisplay::Inline,
            ast::MathType::DisplayMath => math_core::MathDisplay::Block,
        };
        let read = math_in_text(tex);
        let mathml = scriptlevel_on_mstyle(
            converter
                .convert_with_global_state(&read, display)
                .map_err(|e| e.error_message())?
                .mathml,
        );
        if read == tex {
            return Ok(mathml);
        }
        // The annotation is the TeX as written, not as rewritten for the converter.
        let annotation = |tex: &str| {
            let mut s = String::from(">");
            escape(&mut s, tex, Context::Text);
            s.push_str("</annotation>");
            s
        };
        Ok(mathml.replacen(&annotation(&read), &annotation(tex), 1))
    }
}

/// Converts `tex` to HTML, or `None` when it uses something this subset
/// does not render.
pub fn tex_to_html(tex: &str) -> Option<String> {
    let mut parser = Parser {
        chars: math_in_text(&strip_comments(tex)).chars().collect(),
        pos: 0,
        depth: 0,
    };
    let mut out = String::with_capacity(tex.len() * 3);
    parser.sequence(&mut out, false)?;
    (parser.pos == parser.chars.len()).then_some(out)
}

/// math-core resets the script level of a table on the `<mtable>` itself
/// (MathML Core); HTML's validators (MathML 3) allow `scriptlevel` only on
/// `<mstyle>`: the same reset, on an `<mstyle>` around the table.
fn scriptlevel_on_mstyle(mathml: String) -> String {
    if !mathml.contains(" scriptlevel=") {
        return mathml;
    }
    let mut out = String::with_capacity(mathml.len() + 64);
    // For each open table: whether an `<mstyle>` was opened before it.
    let mut open = Vec::new();
    let mut rest = mathml.as_str();
    loop {
        let next_open = rest.find("<mtable");
        let next_close = rest.find("</mtable>");
        match (next_open, next_close) {
            (Some(at), close) if close.is_none_or(|c| at < c) => {
                out.push_str(&rest[..at]);
                let end = rest[at..].find('>').map_or(rest.len(), |e| at + e + 1);
                let tag = &rest[at..end];
                let level = tag
                    .split(" scriptlevel=\"")
                    .nth(1)
                    .and_then(|v| v.split('"').next());
                match level {
                    Some(level) => {
                        let _ = std::fmt::Write::write_fmt(
                            &mut out,
                            format_args!("<mstyle scriptlevel=\"{level}\">"),
                        );
                        out.push_str(&tag.replace(&format!(" scriptlevel=\"{level}\""), ""));
                        open.push(true);
                    }
                    None => {
                        out.push_str(tag);
                        open.push(false);
                    }
                }
                rest = &rest[end..];
            }
            (_, Some(at)) => {
                let end = at + "</mtable>".len();
                out.push_str(&rest[..end]);
                if open.pop() == Some(true) {
                    out.push_str("</mstyle>");
                }
                rest = &rest[end..];
            }
            (_, None) => {
                out.push_str(rest);
                return out;
            }
        }
    }
}

/// `tex` without its `%` comments (to the end of the line), as TeX reads it.
fn strip_comments(tex: &str) -> std::borrow::Cow<'_, str> {
    if !tex.contains('%') {
        return tex.into();
    }
    let mut out = String::with_capacity(tex.len());
    let mut chars = tex.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                out.push(c);
                out.extend(chars.next());
            }
            '%' => {
                // The comment, its newline and the next line's leading blanks.
                for c in chars.by_ref() {
                    if c == '\n' {
                        break;
                    }
                }
                let rest = chars.as_str().trim_start_matches([' ', '\t']);
                chars = rest.chars();
            }
            _ => out.push(c),
        }
    }
    out.into()
}

/// `\text{si $x>0$}` as `\text{si }x>0\text{}`: math inside text, which
/// texmath reads and the converters would show as dollars.
fn math_in_text(tex: &str) -> std::borrow::Cow<'_, str> {
    if !tex.contains('$') {
        return tex.into();
    }
    let mut out = String::with_capacity(tex.len() + 16);
    let mut rest = tex;
    while let Some(at) = rest.find("\\text") {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let name_len = rest[1..]
            .find(|c: char| !c.is_ascii_alphabetic())
            .map_or(rest.len(), |n| n + 1);
        let (command, after) = rest.split_at(name_len);
        out.push_str(command);
        rest = after;
        if !after.starts_with('{') {
            continue;
        }
        // The group, to its closing brace (nested braces counted).
        let mut depth = 0usize;
        let mut end = None;
        let mut escaped = false;
        for (i, c) in after.char_indices() {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = Some(i);
                        break;
                    }
                }
                _ => {}
            }
        }
        let Some(end) = end else { break };
        let group = &after[..=end];
        let mut pieces = group[1..group.len() - 1].split('$');
        let first = pieces.next().unwrap_or("");
        let others: Vec<&str> = pieces.collect();
        if !others.is_empty() && others.len() % 2 == 0 {
            // `$` in pairs: text, math, text...
            out.push('{');
            out.push_str(first);
            out.push('}');
            for pair in others.chunks(2) {
                out.push_str(pair[0]);
                out.push_str(command);
                out.push('{');
                out.push_str(pair.get(1).copied().unwrap_or(""));
                out.push('}');
            }
        } else {
            out.push_str(group);
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    out.into()
}

struct Parser {
    chars: Vec<char>,
    pos: usize,
    depth: usize,
}

/// Deepest `{...}` nesting converted; deeper math is shown as TeX.
const MAX_DEPTH: usize = 64;

impl Parser {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn skip_spaces(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.pos += 1;
        }
    }

    /// Atoms up to the end, or up to a closing brace when `in_group`.
    fn sequence(&mut self, out: &mut String, in_group: bool) -> Option<()> {
        let start_len = out.len();
        loop {
            self.skip_spaces();
            match self.peek() {
                None if in_group => return None,
                None => return Some(()),
                Some('}') if in_group => {
                    self.pos += 1;
                    return Some(());
                }
                Some('}') => return None,
                Some('^' | '_') => {
                    let tag = if self.peek() == Some('^') {
                        "sup"
                    } else {
                        "sub"
                    };
                    self.pos += 1;
                    out.push('<');
                    out.push_str(tag);
                    out.push('>');
                    self.atom(out, true)?;
                    out.push_str("</");
                    out.push_str(tag);
                    out.push('>');
                }
                Some(c) if matches!(c, '+' | '-' | '=' | '<' | '>') => {
                    self.pos += 1;
                    let symbol = match c {
                        '-' => "\u{2212}",
                        '+' => "+",
                        '=' => "=",
                        '<' => "<",
                        _ => ">",
                    };
                    let space = if matches!(c, '+' | '-') {
                        BINARY_SPACE
                    } else {
                        RELATION_SPACE
                    };
                    self.operator(out, symbol, out.len() == start_len, space);
                }
                Some(_) => self.atom(out, false)?,
            }
        }
    }

    /// A binary operator or relation: spaced, unless it starts a group (a sign).
    fn operator(&mut self, out: &mut String, symbol: &str, is_sign: bool, space: char) {
        if !is_sign {
            out.push(space);
        }
        escape(out, symbol, Context::Text);
        if !is_sign {
            out.push(space);
        }
    }

    /// One atom: a character, a group or a command. `script` is true for
    /// the argument of `^`/`_`, where an operator is a plain symbol.
    fn atom(&mut self, out: &mut String, script: bool) -> Option<()> {
        self.skip_spaces();
        let c = self.peek()?;
        self.pos += 1;
        match c {
            '{' => {
                self.depth += 1;
                if self.depth > MAX_DEPTH {
                    return None;
                }
                self.sequence(out, true)?;
                self.depth -= 1;
            }
            '\\' => self.command(out)?,
            c if c.is_alphabetic() => {
                out.push_str("<em>");
                out.push(c);
                out.push_str("</em>");
            }
            c if c.is_ascii_digit()
                || matches!(
                    c,
                    '.' | '(' | ')' | '[' | ']' | '|' | '/' | '!' | ':' | ';' | '*'
                ) =>
            {
                out.push(c);
            }
            ',' => out.push_str(",\u{2006}"),
            '\'' => out.push('\u{2032}'),
            '+' | '=' | '<' | '>' if script => escape(out, &c.to_string(), Context::Text),
            '-' if script => out.push('\u{2212}'),
            _ => return None,
        }
        Some(())
    }

    fn command(&mut self, out: &mut String) -> Option<()> {
        let start = self.pos;
        while self.peek().is_some_and(|c| c.is_ascii_alphabetic()) {
            self.pos += 1;
        }
        if self.pos == start {
            // A one-character command: spacing or an escaped symbol.
            let c = self.peek()?;
            self.pos += 1;
            match c {
                ',' | ':' | ';' => out.push('\u{2005}'),
                ' ' => out.push(' '),
                '{' | '}' | '%' | '$' | '#' | '_' => out.push(c),
                '&' => escape(out, "&", Context::Text),
                _ => return None,
            }
            return Some(());
        }
        let name: String = self.chars[start..self.pos].iter().collect();
        if let Some(symbol) = symbol(&name) {
            if is_binary(&name) {
                self.operator(out, symbol, false, BINARY_SPACE);
            } else if is_relation(&name) {
                self.operator(out, symbol, false, RELATION_SPACE);
            } else if name.starts_with(|c: char| c.is_ascii_lowercase())
                && symbol
                    .chars()
                    .all(|c| ('α'..='ω').contains(&c) || "ϵϕϑϖ".contains(c))
            {
                // Lowercase Greek letters are variables: italic, as in pandoc.
                out.push_str("<em>");
                out.push_str(symbol);
                out.push_str("</em>");
            } else {
                out.push_str(symbol);
            }
            return Some(());
        }
        match name.as_str() {
            "sin" | "cos" | "tan" | "log" | "ln" | "exp" | "max" | "min" | "lim" | "det"
            | "dim" | "sup" | "inf" | "gcd" | "deg" | "arg" => out.push_str(&name),
            "frac" | "dfrac" | "tfrac" => {
                // `a/b`, each side in parentheses when it has operators.
                for i in 0..2 {
                    let mut html = String::new();
                    self.atom(&mut html, false)?;
                    if i == 1 {
                        out.push('/');
                    }
                    if html.contains([RELATION_SPACE, BINARY_SPACE]) {
                        out.push('(');
                        out.push_str(&html);
                        out.push(')');
                    } else {
                        out.push_str(&html);
                    }
                }
            }
            "quad" => out.push('\u{2003}'),
            "qquad" => out.push_str("\u{2003}\u{2003}"),
            "mathrm" | "text" | "textrm" | "operatorname" | "mathit" | "mathbf" | "textbf"
            | "textit" => {
                let (open, close) = match name.as_str() {
                    "mathbf" | "textbf" => ("<strong>", "</strong>"),
                    "mathit" | "textit" => ("<em>", "</em>"),
                    _ => ("", ""),
                };
                self.skip_spaces();
                if self.peek() != Some('{') {
                    return None;
                }
                self.pos += 1;
                out.push_str(open);
                let text_start = self.pos;
                while self
                    .peek()
                    .is_some_and(|c| c != '}' && c != '{' && c != '\\')
                {
                    self.pos += 1;
                }
                if self.peek() != Some('}') {
                    return None;
                }
                let text: String = self.chars[text_start..self.pos].iter().collect();
                self.pos += 1;
                escape(out, &text, Context::Text);
                out.push_str(close);
            }
            _ => return None,
        }
        Some(())
    }
}

/// The spaces texmath puts around relations (U+2004) and binary operators (U+2005).
const RELATION_SPACE: char = '\u{2004}';
const BINARY_SPACE: char = '\u{2005}';

fn is_binary(name: &str) -> bool {
    matches!(
        name,
        "cup"
            | "cap"
            | "times"
            | "cdot"
            | "pm"
            | "mp"
            | "div"
            | "circ"
            | "wedge"
            | "land"
            | "vee"
            | "lor"
            | "oplus"
            | "otimes"
            | "setminus"
    )
}

fn is_relation(name: &str) -> bool {
    matches!(
        name,
        "leq"
            | "le"
            | "geq"
            | "ge"
            | "neq"
            | "ne"
            | "approx"
            | "equiv"
            | "sim"
            | "simeq"
            | "in"
            | "notin"
            | "subset"
            | "subseteq"
            | "supset"
            | "to"
            | "rightarrow"
            | "leftarrow"
            | "Rightarrow"
            | "Leftarrow"
            | "iff"
            | "implies"
            | "mapsto"
            | "propto"
            | "ll"
            | "gg"
            | "supseteq"
            | "ni"
            | "mid"
            | "parallel"
            | "perp"
            | "leftrightarrow"
            | "Leftrightarrow"
    )
}

fn symbol(name: &str) -> Option<&'static str> {
    Some(match name {
        "alpha" => "α",
        "beta" => "β",
        "gamma" => "γ",
        "delta" => "δ",
        "epsilon" => "ϵ",
        "varepsilon" => "ε",
        "zeta" => "ζ",
        "eta" => "η",
        "theta" => "θ",
        "iota" => "ι",
        "kappa" => "κ",
        "lambda" => "λ",
        "mu" => "μ",
        "nu" => "ν",
        "xi" => "ξ",
        "pi" => "π",
        "rho" => "ρ",
        "sigma" => "σ",
        "tau" => "τ",
        "upsilon" => "υ",
        "phi" => "ϕ",
        "varphi" => "φ",
        "chi" => "χ",
        "psi" => "ψ",
        "omega" => "ω",
        "Gamma" => "Γ",
        "Delta" => "Δ",
        "Theta" => "Θ",
        "Lambda" => "Λ",
        "Xi" => "Ξ",
        "Pi" => "Π",
        "Sigma" => "Σ",
        "Phi" => "Φ",
        "Psi" => "Ψ",
        "Omega" => "Ω",
        "leq" | "le" => "≤",
        "geq" | "ge" => "≥",
        "neq" | "ne" => "≠",
        "approx" => "≈",
        "equiv" => "≡",
        "sim" => "∼",
        "simeq" => "≃",
        "in" => "∈",
        "notin" => "∉",
        "subset" => "⊂",
        "subseteq" => "⊆",
        "supset" => "⊃",
        "cup" => "∪",
        "wedge" | "land" => "∧",
        "vee" | "lor" => "∨",
        "neg" | "lnot" => "¬",
        "oplus" => "⊕",
        "otimes" => "⊗",
        "setminus" => "∖",
        "supseteq" => "⊇",
        "ni" => "∋",
        "mid" => "∣",
        "parallel" => "∥",
        "perp" => "⊥",
        "leftrightarrow" => "↔",
        "Leftrightarrow" => "⇔",
        "cap" => "∩",
        "times" => "×",
        "cdot" => "⋅",
        "pm" => "±",
        "mp" => "∓",
        "div" => "÷",
        "to" | "rightarrow" => "→",
        "leftarrow" => "←",
        "Rightarrow" | "implies" => "⇒",
        "Leftarrow" => "⇐",
        "iff" => "⇔",
        "mapsto" => "↦",
        "propto" => "∝",
        "ll" => "≪",
        "gg" => "≫",
        "infty" => "∞",
        "partial" => "∂",
        "nabla" => "∇",
        "forall" => "∀",
        "exists" => "∃",
        "emptyset" => "∅",
        "sum" => "∑",
        "prod" => "∏",
        "int" => "∫",
        "ldots" | "dots" => "…",
        "cdots" => "⋯",
        "prime" => "′",
        "degree" => "°",
        "circ" => "∘",
        "star" => "⋆",
        "ell" => "ℓ",
        "hbar" => "ℏ",
        "langle" => "⟨",
        "rangle" => "⟩",
        "lbrace" => "{",
        "rbrace" => "}",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::tex_to_html;

    #[test]
    fn converts_the_plain_subset() {
        assert_eq!(
            tex_to_html("E = mc^2").as_deref(),
            Some("<em>E</em>\u{2004}=\u{2004}<em>m</em><em>c</em><sup>2</sup>")
        );
        assert_eq!(
            tex_to_html(r"\alpha_{i} - 2 \leq b").as_deref(),
            Some("<em>α</em><sub><em>i</em></sub>\u{2005}−\u{2005}2\u{2004}≤\u{2004}<em>b</em>")
        );
        assert_eq!(tex_to_html("-x").as_deref(), Some("\u{2212}<em>x</em>"));
        assert_eq!(
            tex_to_html("a<b").as_deref(),
            Some("<em>a</em>\u{2004}&lt;\u{2004}<em>b</em>")
        );
        assert_eq!(
            tex_to_html(r"a + b \times e, f").as_deref(),
            Some("<em>a</em>\u{2005}+\u{2005}<em>b</em>\u{2005}×\u{2005}<em>e</em>,\u{2006}<em>f</em>")
        );
    }

    /// What pandoc converts and this renderer did not (issue 16), and a
    /// fraction, which pandoc leaves as TeX.
    #[test]
    fn converts_logic_text_with_math_comments_and_fractions() {
        assert_eq!(
            tex_to_html(r"a \wedge b \vee \neg c").as_deref(),
            Some("<em>a</em>\u{2005}∧\u{2005}<em>b</em>\u{2005}∨\u{2005}¬<em>c</em>")
        );
        assert_eq!(
            tex_to_html(r"\text{si $x>0$, sinon}").as_deref(),
            Some("si <em>x</em>\u{2004}&gt;\u{2004}0, sinon")
        );
        assert_eq!(
            tex_to_html("x = y % un commentaire\n  + z").as_deref(),
            Some("<em>x</em>\u{2004}=\u{2004}<em>y</em>\u{2005}+\u{2005}<em>z</em>")
        );
        assert_eq!(tex_to_html(r"100\%").as_deref(), Some("100%"));
        assert_eq!(
            tex_to_html(r"\frac{d}{dx}").as_deref(),
            Some("<em>d</em>/<em>d</em><em>x</em>")
        );
        assert_eq!(
            tex_to_html(r"\frac{a+b}2").as_deref(),
            Some("(<em>a</em>\u{2005}+\u{2005}<em>b</em>)/2")
        );
    }

    #[test]
    fn table_script_levels_move_to_an_mstyle() {
        assert_eq!(
            super::scriptlevel_on_mstyle(
                "<math><mtable displaystyle=\"true\" scriptlevel=\"0\"><mtr><mtd><mtable scriptlevel=\"1\"></mtable></mtd></mtr></mtable><mtable></mtable></math>".into()
            ),
            "<math><mstyle scriptlevel=\"0\"><mtable displaystyle=\"true\"><mtr><mtd><mstyle scriptlevel=\"1\"><mtable></mtable></mstyle></mtd></mtr></mtable></mstyle><mtable></mtable></math>"
        );
    }

    #[test]
    fn refuses_what_it_cannot_show() {
        assert_eq!(tex_to_html(r"\sqrt{2}"), None);
        assert_eq!(tex_to_html("{a"), None);
        assert_eq!(tex_to_html("a}"), None);
        assert_eq!(tex_to_html("a & b"), None);
    }
}

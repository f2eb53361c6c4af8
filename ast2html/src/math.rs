//! TeX math as plain HTML, the way pandoc's default (`PlainMath`) method
//! shows it: variables in italics, `^`/`_` as `<sup>`/`<sub>`, commands as
//! Unicode symbols. Anything beyond that subset (fractions, roots, matrices)
//! is not converted: the caller then shows the TeX source, as pandoc does.

use crate::escape::{escape, Context};

/// Converts `tex` to HTML, or `None` when it uses something this subset
/// does not render.
pub fn tex_to_html(tex: &str) -> Option<String> {
    let mut parser = Parser {
        chars: tex.chars().collect(),
        pos: 0,
        depth: 0,
    };
    let mut out = String::with_capacity(tex.len() * 3);
    parser.sequence(&mut out, false)?;
    (parser.pos == parser.chars.len()).then_some(out)
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
        "cup" | "cap" | "times" | "cdot" | "pm" | "mp" | "div" | "circ"
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

    #[test]
    fn refuses_what_it_cannot_show() {
        assert_eq!(tex_to_html(r"\frac{1}{2}"), None);
        assert_eq!(tex_to_html("{a"), None);
        assert_eq!(tex_to_html("a}"), None);
        assert_eq!(tex_to_html("a & b"), None);
    }
}

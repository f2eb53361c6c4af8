//! YAML metadata blocks with pandoc's rules: string scalars are Markdown,
//! booleans are `MetaBool`, keys ending in `_` are ignored, later blocks
//! replace the keys of earlier ones.

use std::collections::BTreeMap;

use ast::{Block, MetaValue};
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

/// A YAML node as written, scalars with their style.
#[derive(Debug, Clone)]
pub(crate) enum Node {
    Scalar(String, bool),
    Seq(Vec<Node>),
    Map(Vec<(String, Node)>),
}

#[derive(Default)]
struct Builder {
    stack: Vec<Node>,
    /// The anchor of each open sequence or mapping (0: none).
    stack_anchors: Vec<usize>,
    keys: Vec<Option<String>>,
    docs: Vec<Node>,
    /// Anchored nodes and their sizes, for aliases (`*name`).
    anchors: std::collections::HashMap<usize, (Node, usize)>,
    /// Nodes copied for aliases so far: bounded, so that aliases of
    /// aliases cannot grow the document exponentially.
    copied: usize,
}

/// Nodes in `n`.
fn node_size(n: &Node) -> usize {
    match n {
        Node::Scalar(..) => 1,
        Node::Seq(v) => 1 + v.iter().map(node_size).sum::<usize>(),
        Node::Map(m) => 1 + m.iter().map(|(_, v)| node_size(v)).sum::<usize>(),
    }
}

/// Most nodes that aliases may copy in one YAML block.
const MAX_ALIAS_COPIES: usize = 100_000;

impl Builder {
    fn insert_anchored(&mut self, node: Node, anchor: usize) {
        if anchor != 0 {
            self.anchors
                .insert(anchor, (node.clone(), node_size(&node)));
        }
        self.insert(node);
    }

    fn insert(&mut self, node: Node) {
        match self.stack.last_mut() {
            None => self.docs.push(node),
            Some(Node::Seq(v)) => v.push(node),
            Some(Node::Map(m)) => {
                let key_slot = self.keys.last_mut().expect("a key slot for every map");
                match key_slot.take() {
                    None => {
                        *key_slot = Some(match node {
                            Node::Scalar(s, _) => s,
                            _ => String::new(),
                        })
                    }
                    Some(k) => m.push((k, node)),
                }
            }
            Some(Node::Scalar(..)) => {}
        }
    }
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, ev: Event, _mark: Marker) {
        match ev {
            Event::Scalar(v, style, anchor, _) => {
                self.insert_anchored(Node::Scalar(v, style == TScalarStyle::Plain), anchor);
            }
            Event::SequenceStart(anchor, _) => {
                self.stack.push(Node::Seq(Vec::new()));
                self.stack_anchors.push(anchor);
            }
            Event::MappingStart(anchor, _) => {
                self.stack.push(Node::Map(Vec::new()));
                self.stack_anchors.push(anchor);
                self.keys.push(None);
            }
            Event::SequenceEnd => {
                let anchor = self.stack_anchors.pop().unwrap_or(0);
                if let Some(n) = self.stack.pop() {
                    self.insert_anchored(n, anchor);
                }
            }
            Event::MappingEnd => {
                self.keys.pop();
                let anchor = self.stack_anchors.pop().unwrap_or(0);
                if let Some(n) = self.stack.pop() {
                    self.insert_anchored(n, anchor);
                }
            }
            Event::Alias(anchor) => {
                let node = match self.anchors.get(&anchor) {
                    Some((n, size)) if self.copied + size <= MAX_ALIAS_COPIES => {
                        self.copied += size;
                        n.clone()
                    }
                    _ => Node::Scalar(String::new(), false),
                };
                self.insert(node);
            }
            _ => {}
        }
    }
}

/// A YAML error: 1-based line and column within the block, and the message.
pub(crate) struct YamlError {
    pub line: usize,
    pub column: usize,
    pub message: String,
    /// The YAML is valid but its top level is not a mapping.
    pub not_a_mapping: bool,
}

/// Parses a YAML block's text into key-value pairs.
pub(crate) fn parse_yaml(text: &str) -> Result<Vec<(String, Node)>, YamlError> {
    let mut b = Builder::default();
    let mut parser = Parser::new_from_str(text);
    parser.load(&mut b, false).map_err(|e| YamlError {
        line: e.marker().line().max(1),
        column: e.marker().col() + 1,
        message: e.info().to_string(),
        not_a_mapping: false,
    })?;
    match b.docs.pop() {
        Some(Node::Map(m)) => Ok(m),
        None => Ok(Vec::new()),
        Some(Node::Scalar(s, _)) if s.is_empty() => Ok(Vec::new()),
        Some(_) => Err(YamlError {
            line: 1,
            column: 1,
            message: "expected a mapping of keys to values".into(),
            not_a_mapping: true,
        }),
    }
}

/// Converts a node, parsing string scalars as Markdown with `md` (its flag:
/// read the text as one paragraph, not as blocks).
pub(crate) fn to_meta(node: Node, md: &mut dyn FnMut(&str, bool) -> Vec<Block>) -> MetaValue {
    match node {
        Node::Seq(v) => MetaValue::MetaList(v.into_iter().map(|n| to_meta(n, md)).collect()),
        Node::Map(mut m) => {
            // In key order, as pandoc (a `Map`) reads them: citations
            // are numbered in that order.
            m.sort_by(|a, b| a.0.cmp(&b.0));
            let mut map = BTreeMap::new();
            for (k, v) in m {
                if k.ends_with('_') {
                    continue;
                }
                map.insert(k, to_meta(v, md));
            }
            MetaValue::MetaMap(map)
        }
        Node::Scalar(s, plain) => {
            let text = if plain {
                match resolve_plain(&s) {
                    Plain::Bool(b) => return MetaValue::MetaBool(b),
                    Plain::Null => return MetaValue::MetaString(String::new()),
                    Plain::Number(t) => t,
                    Plain::Text => s,
                }
            } else {
                s
            };
            if text.is_empty() {
                return MetaValue::MetaInlines(Vec::new());
            }
            // pandoc: a value that does not end with a newline (all but
            // `|` and `>` blocks) is read without one, so that a line that
            // would only start a block with a newline after it (`- a`,
            // `1.`, `---`) is text, and its blocks become inlines.
            let ends_nl = text.trim_end_matches([' ', '\t']).ends_with('\n');
            let one_line = !ends_nl && !text.contains('\n') && !text.trim_start().starts_with('>');
            let blocks = md(&text, one_line);
            if !ends_nl {
                return MetaValue::MetaInlines(blocks_to_inlines(blocks));
            }
            MetaValue::MetaBlocks(blocks)
        }
    }
}

/// What a plain (unquoted) scalar is, as pandoc reads it (the Haskell
/// `yaml` package): YAML 1.1 booleans (`yes`, `off`, `Y`...), nulls, and
/// numbers, which pandoc writes back as Haskell shows them.
enum Plain {
    Bool(bool),
    Null,
    Number(String),
    Text,
}

fn resolve_plain(s: &str) -> Plain {
    match s {
        "y" | "Y" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" | "true" | "True" | "TRUE" => {
            return Plain::Bool(true)
        }
        "n" | "N" | "no" | "No" | "NO" | "off" | "Off" | "OFF" | "false" | "False" | "FALSE" => {
            return Plain::Bool(false)
        }
        "" | "~" | "null" | "Null" | "NULL" => return Plain::Null,
        _ => {}
    }
    let radix = |digits: &str, radix: u32| {
        if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
            return None;
        }
        let mut n: u128 = 0;
        for c in digits.chars() {
            n = n
                .checked_mul(u128::from(radix))?
                .checked_add(u128::from(c.to_digit(radix)?))?;
        }
        Some(n.to_string())
    };
    let number = if let Some(h) = s.strip_prefix("0x") {
        radix(h, 16)
    } else if let Some(o) = s.strip_prefix("0o") {
        radix(o, 8)
    } else {
        scientific(s)
    };
    number.map_or(Plain::Text, Plain::Number)
}

/// Attoparsec's `scientific` on the whole text (`-1.50e3`), shown as
/// pandoc shows it: an integer when it is one that fits 64 bits (`1500`),
/// else Haskell's `show` of the `Scientific` (`3.7e-5`, `1.0e20`).
fn scientific(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut i = 0;
    let negative = b.first() == Some(&b'-');
    if matches!(b.first(), Some(b'-' | b'+')) {
        i += 1;
    }
    let int_start = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    if i == int_start {
        return None;
    }
    let mut digits = s[int_start..i].to_string();
    let mut exp: i64 = 0;
    // Attoparsec takes a `.` without digits after it (`1.` is 1).
    if b.get(i) == Some(&b'.') {
        i += 1;
        let f = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        digits.push_str(&s[f..i]);
        exp -= (i - f) as i64;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        let mut k = i + 1;
        let neg_e = b.get(k) == Some(&b'-');
        if matches!(b.get(k), Some(b'-' | b'+')) {
            k += 1;
        }
        let e_start = k;
        while k < b.len() && b[k].is_ascii_digit() {
            k += 1;
        }
        if k > e_start {
            let e: i64 = s[e_start..k].parse().ok()?;
            exp += if neg_e { -e } else { e };
            i = k;
        }
    }
    if i != b.len() {
        return None;
    }
    // Normalized: no trailing zeros in the coefficient.
    let trimmed = digits.trim_end_matches('0');
    exp += (digits.len() - trimmed.len()) as i64;
    let coefficient = trimmed.trim_start_matches('0');
    if coefficient.is_empty() {
        return Some("0".into());
    }
    let sign = if negative { "-" } else { "" };
    if exp >= 0 && coefficient.len() as i64 + exp <= 19 {
        let int = format!("{sign}{coefficient}{}", "0".repeat(exp as usize));
        if int.parse::<i64>().is_ok() {
            return Some(int);
        }
    }
    Some(format!("{sign}{}", show_scientific(coefficient, exp)))
}

/// Haskell's `show` of a `Scientific` `digits × 10^exp` (digits without
/// leading or trailing zeros): fixed notation for `0.1 <= x < 10^7`
/// (`1.5`), else `d.ddde-2`, with every digit kept.
fn show_scientific(digits: &str, exp: i64) -> String {
    // x = 0.digits × 10^e
    let e = digits.len() as i64 + exp;
    if (0..=7).contains(&e) {
        let e = e as usize;
        if e == 0 {
            return format!("0.{digits}");
        }
        if digits.len() <= e {
            return format!("{digits}{}.0", "0".repeat(e - digits.len()));
        }
        return format!("{}.{}", &digits[..e], &digits[e..]);
    }
    let rest = if digits.len() > 1 { &digits[1..] } else { "0" };
    format!("{}.{rest}e{}", &digits[..1], e - 1)
}

/// pandoc's `blocksToInlines`: the blocks' inlines, blocks separated by a
/// `LineBreak`.
fn blocks_to_inlines(blocks: Vec<Block>) -> Vec<ast::Inline> {
    let mut out = Vec::new();
    for (k, b) in blocks.into_iter().enumerate() {
        if k > 0 {
            out.push(ast::Inline::LineBreak);
        }
        block_inlines(b, &mut out);
    }
    out
}

fn block_inlines(b: Block, out: &mut Vec<ast::Inline>) {
    match b {
        Block::Plain(ils) | Block::Para(ils) | Block::Header(_, _, ils) => out.extend(ils),
        Block::LineBlock(lines) => {
            for (k, l) in lines.into_iter().enumerate() {
                if k > 0 {
                    out.push(ast::Inline::LineBreak);
                }
                out.extend(l);
            }
        }
        Block::CodeBlock(attr, text) => out.push(ast::Inline::Code(Box::new(attr), text)),
        Block::RawBlock(f, text) => out.push(ast::Inline::RawInline(f, text)),
        Block::BlockQuote(bs) | Block::Div(_, bs) => out.extend(blocks_to_inlines(bs)),
        Block::OrderedList(_, items) | Block::BulletList(items) => {
            for (k, item) in items.into_iter().enumerate() {
                if k > 0 {
                    out.push(ast::Inline::LineBreak);
                }
                out.extend(blocks_to_inlines(item));
            }
        }
        Block::DefinitionList(items) => {
            for (k, (term, defs)) in items.into_iter().enumerate() {
                if k > 0 {
                    out.push(ast::Inline::LineBreak);
                }
                out.extend(term);
                for d in defs {
                    out.push(ast::Inline::LineBreak);
                    out.extend(blocks_to_inlines(d));
                }
            }
        }
        Block::Figure(_, _, bs) => out.extend(blocks_to_inlines(bs)),
        Block::HorizontalRule | Block::Table(_) => {}
    }
}

//! Rendering a compiled template with a context.

#[allow(unused_imports, reason = "the renderer shares the crate's imports")]
use super::*;

// ---------------------------------------------------------------------------
// Rendering
// ---------------------------------------------------------------------------

/// The loop items in scope: `$for(a)$` binds `a` (and `it`) to each item.
pub(crate) struct Scope<'s> {
    path: &'s [String],
    item: &'s Value,
    parent: Option<&'s Scope<'s>>,
}

/// The rendered text, with the indentation of the `Nested` parts under way.
#[derive(Default)]
pub(crate) struct Output {
    pub(crate) text: String,
    /// Where lines start inside a `Nested` part.
    pub(crate) indent: usize,
    /// A line has started and its indentation is not written yet (an empty
    /// line gets none, as pandoc's layout engine does).
    pub(crate) line_pending: bool,
}

impl Output {
    fn push_str(&mut self, s: &str) {
        if self.indent == 0 {
            // Nothing to indent (the common case, and a large body): copy.
            self.text.push_str(s);
            self.line_pending = s.ends_with('\n') || (self.line_pending && s.is_empty());
            return;
        }
        for (i, piece) in s.split('\n').enumerate() {
            if i > 0 {
                self.text.push('\n');
                self.line_pending = true;
            }
            if !piece.is_empty() {
                if self.line_pending {
                    self.text.extend(std::iter::repeat_n(' ', self.indent));
                    self.line_pending = false;
                }
                self.text.push_str(piece);
            }
        }
    }

    /// Appends a value as [`Value::render_into`] does.
    pub(crate) fn push_value(&mut self, value: &Value) {
        match value {
            Value::Str(s) => {
                let s = s.strip_suffix('\n').unwrap_or(s);
                self.push_str(s.strip_suffix('\r').unwrap_or(s));
            }
            Value::Bool(b) => self.push_str(if *b { "true" } else { "false" }),
            Value::List(items) => items.iter().for_each(|v| self.push_value(v)),
            Value::Map(_) => self.push_str("true"),
        }
    }

    /// The column (0-based, in characters) of the next character.
    fn column(&self) -> usize {
        if self.line_pending {
            self.indent
        } else {
            let line_start = self.text.rfind('\n').map_or(0, |i| i + 1);
            self.text[line_start..].chars().count()
        }
    }

    /// Renders with the lines after the first aligned on the current column.
    fn nested(&mut self, render: impl FnOnce(&mut Output)) {
        let outer = self.indent;
        self.indent = self.column();
        render(self);
        self.indent = outer;
    }
}

pub(crate) fn render_nodes(
    nodes: &[Node],
    ctx: &Context,
    scope: Option<&Scope<'_>>,
    out: &mut Output,
) {
    for node in nodes {
        match node {
            Node::Literal(text) => out.push_str(text),
            Node::Interpolate(var) => {
                if let Some(v) = lookup(var, ctx, scope) {
                    // A `left`/`right`/`center` block keeps its lines aligned.
                    if var.pipes.iter().any(|p| matches!(p, Pipe::Block { .. })) {
                        out.nested(|out| out.push_value(&v));
                    } else {
                        out.push_value(&v);
                    }
                }
            }
            Node::Conditional {
                var,
                then,
                otherwise,
            } => {
                if lookup(var, ctx, scope).is_some_and(|v| v.is_truthy()) {
                    render_nodes(then, ctx, scope, out);
                } else {
                    render_nodes(otherwise, ctx, scope, out);
                }
            }
            Node::Iterate { var, body, sep } => {
                let Some(value) = lookup(var, ctx, scope) else {
                    continue;
                };
                let items: &[Value] = match &*value {
                    Value::List(items) => items,
                    single => std::slice::from_ref(single),
                };
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        render_nodes(sep, ctx, scope, out);
                    }
                    let inner = Scope {
                        path: &var.parts,
                        item,
                        parent: scope,
                    };
                    render_nodes(body, ctx, Some(&inner), out);
                }
            }
            Node::Nested(body) => out.nested(|out| render_nodes(body, ctx, scope, out)),
        }
    }
}

/// The value of a variable: loop items first (innermost first), then the
/// context; pipes applied.
pub(crate) fn lookup<'s>(
    var: &Variable,
    ctx: &'s Context,
    scope: Option<&Scope<'s>>,
) -> Option<Cow<'s, Value>> {
    let parts = &var.parts;
    let mut found: Option<&'s Value> = None;
    let mut resolved = false;
    if parts[0] == "it" {
        if let Some(s) = scope {
            found = descend(s.item, &parts[1..]);
            resolved = true;
        }
    } else {
        let mut s = scope;
        while let Some(frame) = s {
            if parts.len() >= frame.path.len() && parts[..frame.path.len()] == *frame.path {
                found = descend(frame.item, &parts[frame.path.len()..]);
                resolved = true;
                break;
            }
            s = frame.parent;
        }
    }
    if !resolved {
        found = ctx
            .vars
            .get(&parts[0])
            .and_then(|v| descend(v, &parts[1..]));
    }
    if var.pipes.is_empty() {
        return found.map(Cow::Borrowed);
    }
    let mut value = found.cloned();
    for pipe in &var.pipes {
        value = match value {
            Some(v) => Some(apply_pipe(pipe, v)),
            // An unset variable has length 0; other pipes leave it unset.
            None => match pipe {
                Pipe::Length => Some(Value::Str("0".into())),
                _ => None,
            },
        };
    }
    value.map(Cow::Owned)
}

pub(crate) fn descend<'s>(mut v: &'s Value, parts: &[String]) -> Option<&'s Value> {
    for part in parts {
        match v {
            Value::Map(m) => v = m.get(part)?,
            _ => return None,
        }
    }
    Some(v)
}

pub(crate) fn apply_pipe(pipe: &Pipe, value: Value) -> Value {
    match pipe {
        Pipe::Pairs => match value {
            Value::Map(m) => {
                Value::List(m.into_iter().map(|(k, v)| pair(Value::Str(k), v)).collect())
            }
            Value::List(items) => Value::List(
                items
                    .into_iter()
                    .enumerate()
                    .map(|(i, v)| pair(Value::Str((i + 1).to_string()), v))
                    .collect(),
            ),
            other => other,
        },
        Pipe::Uppercase => map_strings(value, &|s| s.to_uppercase()),
        Pipe::Lowercase => map_strings(value, &|s| s.to_lowercase()),
        Pipe::Length => Value::Str(
            match &value {
                Value::Str(s) => s.chars().count(),
                Value::List(items) => items.len(),
                Value::Map(m) => m.len(),
                Value::Bool(_) => 0,
            }
            .to_string(),
        ),
        Pipe::Reverse => match value {
            Value::Str(s) => Value::Str(s.chars().rev().collect()),
            Value::List(mut items) => {
                items.reverse();
                Value::List(items)
            }
            other => other,
        },
        Pipe::First => match value {
            Value::List(mut items) if !items.is_empty() => items.swap_remove(0),
            other => other,
        },
        Pipe::Last => match value {
            Value::List(mut items) => match items.pop() {
                Some(last) => last,
                None => Value::List(items),
            },
            other => other,
        },
        Pipe::Rest => match value {
            Value::List(mut items) if !items.is_empty() => {
                items.remove(0);
                Value::List(items)
            }
            other => other,
        },
        Pipe::AllButLast => match value {
            Value::List(mut items) if !items.is_empty() => {
                items.pop();
                Value::List(items)
            }
            other => other,
        },
        Pipe::Chomp => match value {
            Value::Str(s) => Value::Str(s.trim_end_matches(['\n', '\r']).to_string()),
            other => other,
        },
        // Lines are never wrapped here, so there is nothing to turn off.
        Pipe::NoWrap => value,
        Pipe::Alpha => map_strings(value, &|s| match parse_natural(s) {
            Some(n) => {
                // pandoc maps 26 (and 0) to the character before `a`: kept.
                let code = u32::from(b'a') + (n % 26) as u32;
                char::from_u32(code - 1).map_or_else(|| s.to_string(), String::from)
            }
            None => s.to_string(),
        }),
        Pipe::Roman => map_strings(value, &|s| match parse_natural(s) {
            Some(n) if n < 4000 => to_roman(n as u32),
            _ => s.to_string(),
        }),
        Pipe::Block {
            align,
            width,
            left,
            right,
        } => match value {
            Value::Str(s) => Value::Str(block(&s, *align, *width, left, right)),
            other => other,
        },
    }
}

pub(crate) fn pair(key: Value, value: Value) -> Value {
    let mut m = BTreeMap::new();
    m.insert("key".to_string(), key);
    m.insert("value".to_string(), value);
    Value::Map(m)
}

/// Applies `f` to the strings of a value and of its lists; maps and
/// booleans are left alone.
pub(crate) fn map_strings(value: Value, f: &dyn Fn(&str) -> String) -> Value {
    match value {
        Value::Str(s) => Value::Str(f(&s)),
        Value::List(items) => Value::List(items.into_iter().map(|v| map_strings(v, f)).collect()),
        other => other,
    }
}

pub(crate) fn parse_natural(s: &str) -> Option<u64> {
    let t = s.trim();
    if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    t.parse().ok()
}

pub(crate) fn to_roman(mut n: u32) -> String {
    const TABLE: [(u32, &str); 13] = [
        (1000, "m"),
        (900, "cm"),
        (500, "d"),
        (400, "cd"),
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ];
    let mut s = String::new();
    for (value, digits) in TABLE {
        while n >= value {
            s.push_str(digits);
            n -= value;
        }
    }
    s
}

/// The `left`/`right`/`center` pipes: the text wrapped to `width` columns
/// (words longer than that are cut), each line padded and framed by the
/// borders; trailing blanks are dropped, as pandoc's layout engine does.
pub(crate) fn block(text: &str, align: Align, width: usize, left: &str, right: &str) -> String {
    let mut lines = Vec::new();
    for para_line in text.trim_end_matches(['\n', '\r']).split('\n') {
        let mut current = String::new();
        let mut current_len = 0;
        let words: Vec<&str> = para_line.split(' ').filter(|w| !w.is_empty()).collect();
        if words.is_empty() {
            lines.push(String::new());
            continue;
        }
        for word in words {
            let mut word: Vec<char> = word.chars().collect();
            loop {
                let needed = if current_len == 0 {
                    word.len()
                } else {
                    current_len + 1 + word.len()
                };
                if needed <= width {
                    if current_len > 0 {
                        current.push(' ');
                        current_len += 1;
                    }
                    current.extend(word.iter());
                    current_len += word.len();
                    break;
                }
                if current_len > 0 {
                    lines.push(std::mem::take(&mut current));
                    current_len = 0;
                    continue;
                }
                // A word longer than the block is cut as pandoc cuts it:
                // full-width pieces at the end, the remainder first.
                let first = match word.len() % width {
                    0 => width,
                    r => r,
                };
                let tail = word.split_off(first);
                lines.push(word.iter().collect());
                word = tail;
            }
        }
        if current_len > 0 {
            lines.push(current);
        }
    }
    let framed: Vec<String> = lines
        .into_iter()
        .map(|line| {
            let len = line.chars().count();
            let pad = width.saturating_sub(len);
            let (before, after) = match align {
                Align::Left => (0, pad),
                Align::Right => (pad, 0),
                Align::Center => (pad / 2, pad - pad / 2),
            };
            let s = format!(
                "{left}{}{line}{}{right}",
                " ".repeat(before),
                " ".repeat(after)
            );
            s.trim_end_matches(' ').to_string()
        })
        .collect();
    framed.join("\n")
}

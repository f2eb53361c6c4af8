//! Pandoc's template language (the `doctemplates` syntax of pandoc 3), shared
//! by the HTML and LaTeX writers for `--template FILE` and their default
//! templates.
//!
//! Supported: `$var$` and `${var}`, `$var.field$`, `$if(var)$`, `$elseif(var)$`,
//! `$else$`, `$endif$`, `$for(var)$`, `$sep$`, `$endfor$` (with `$it$` and the
//! loop variable bound to the current item), `$var[, ]$` separators, `$-- `
//! comments, `$$`, the nesting directive `$^$` and automatic nesting of a
//! variable alone on its line, `$~$` (accepted; this engine never wraps lines),
//! the pipes `pairs`, `uppercase`, `lowercase`, `length`, `reverse`,
//! `first`, `last`, `rest`, `allbutlast`, `chomp`, `nowrap`, `alpha`, `roman`,
//! `left`, `right` and `center`, and partials (`$styles()$`,
//! `$items:item()[, ]$`) read next to the template file
//! ([`Template::read_file`]); pandoc's own partials are not built in.
//!
//! Lines are handled as pandoc 3.9 handles them: a line break right after
//! `$if(...)$`, `$else$`, `$for(...)$` or `$sep$` is dropped, and so is the
//! one after the matching `$endif$`/`$endfor$` when the opening directive
//! ended its line, so a directive alone on its line leaves no blank line (the
//! blanks before an indented directive stay, as in pandoc). A variable alone
//! on its line after blanks has its later lines indented like its first. A
//! value loses one final line break.
//!
//! A writer builds the [`Context`] from the metadata, rendering text in its
//! format, then applies the `-V` variables (which replace metadata, as in
//! pandoc) and its own variables:
//!
//! ```
//! use ast::template::{parse_variable, Context, MetaText, Template};
//! let doc = ast::read_json(r#"{"pandoc-api-version":[1,23,1],"meta":{
//!     "title":{"t":"MetaInlines","c":[{"t":"Str","c":"R&D"}]}},"blocks":[]}"#).unwrap();
//! let mut ctx = Context::from_meta(&doc.meta, |text| match text {
//!     MetaText::Str(s) => s.replace('&', "&amp;"),
//!     MetaText::Inlines(ils) => ils.iter().map(ast::stringify).collect::<String>().replace('&', "&amp;"),
//!     MetaText::Blocks(bs) => bs.iter().map(ast::stringify).collect::<Vec<_>>().join("\n"),
//! });
//! ctx.set_variables(["author=Ada", "author=Grace"].map(parse_variable));
//! ctx.set("body", "<p>Texte</p>\n");
//! ctx.set_default("lang", "fr");
//! let template = Template::parse(
//!     "<html lang=\"$lang$\">\n<title>$title$</title>\n$for(author)$\n<meta name=\"author\" content=\"$author$\">\n$endfor$\n$body$\n",
//!     "default.html",
//! ).unwrap();
//! assert_eq!(
//!     template.render(&ctx),
//!     "<html lang=\"fr\">\n<title>R&amp;D</title>\n<meta name=\"author\" content=\"Ada\">\n\
//!      <meta name=\"author\" content=\"Grace\">\n<p>Texte</p>\n"
//! );
//! ```
//!
//! Maps and lists are reached with fields and loops:
//!
//! ```
//! use ast::template::{Context, Template, Value};
//! let t = Template::parse("$for(author)$$author.name$$sep$, $endfor$\n", "t.txt").unwrap();
//! let mut ctx = Context::new();
//! ctx.push("author", Value::from_pairs([("name", "Ada")]));
//! ctx.push("author", Value::from_pairs([("name", "Grace")]));
//! assert_eq!(t.render(&ctx), "Ada, Grace\n");
//! ```

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};

use crate::definition::{Block, Inline, Meta, MetaValue};
use crate::error::Error;

/// Widest `left`/`right`/`center` block: the padding is built in memory,
/// so an absurd width would exhaust it.
const MAX_BLOCK_WIDTH: usize = 10_000;

// ---------------------------------------------------------------------------
// Values and contexts
// ---------------------------------------------------------------------------

/// The value of a template variable.
///
/// Strings are inserted as they are: the writer escapes them for its format
/// before putting them in the context.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// Text, already in the target format.
    Str(String),
    /// A boolean (from YAML `true`/`false`): renders as `true`/`false`, and
    /// only `true` counts as true in `$if$`.
    Bool(bool),
    /// A list: renders as its items concatenated; `$for$` iterates over it.
    List(Vec<Value>),
    /// A map: renders as `true`; reached with `$var.field$`.
    Map(BTreeMap<String, Value>),
}

impl Value {
    /// A map built from key-value pairs.
    pub fn from_pairs<K: Into<String>, V: Into<Value>>(
        pairs: impl IntoIterator<Item = (K, V)>,
    ) -> Value {
        Value::Map(
            pairs
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        )
    }

    /// Pandoc's truth: a non-empty string, `true`, any map, or a list with at
    /// least one true item.
    pub fn is_truthy(&self) -> bool {
        match self {
            Value::Str(s) => !s.is_empty(),
            Value::Bool(b) => *b,
            Value::List(items) => items.iter().any(Value::is_truthy),
            Value::Map(_) => true,
        }
    }

    /// The value as the template inserts it (see [`Value::render_into`]).
    pub fn to_text(&self) -> String {
        let mut s = String::new();
        self.render_into(&mut s);
        s
    }

    /// Appends the value as `$var$` inserts it: strings without their final
    /// line break (one: `a\n\n` gives `a\n`, as in pandoc), lists
    /// concatenated, maps as `true`.
    pub fn render_into(&self, out: &mut String) {
        let mut output = Output {
            text: std::mem::take(out),
            ..Output::default()
        };
        output.push_value(self);
        *out = output.text;
    }

    /// Converts a metadata value: strings, inlines and blocks go through
    /// `render`, which writes them in the target format (escaped).
    pub fn from_meta(value: &MetaValue, render: &mut dyn FnMut(MetaText<'_>) -> String) -> Value {
        match value {
            MetaValue::MetaMap(map) => Value::Map(
                map.iter()
                    .map(|(k, v)| (k.clone(), Value::from_meta(v, render)))
                    .collect(),
            ),
            MetaValue::MetaList(items) => {
                Value::List(items.iter().map(|v| Value::from_meta(v, render)).collect())
            }
            MetaValue::MetaBool(b) => Value::Bool(*b),
            MetaValue::MetaString(s) => Value::Str(render(MetaText::Str(s))),
            MetaValue::MetaInlines(ils) => Value::Str(render(MetaText::Inlines(ils))),
            MetaValue::MetaBlocks(bs) => Value::Str(render(MetaText::Blocks(bs))),
        }
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::Str(s.to_string())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::Str(s)
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}

impl<T: Into<Value>> From<Vec<T>> for Value {
    fn from(items: Vec<T>) -> Self {
        Value::List(items.into_iter().map(Into::into).collect())
    }
}

/// A piece of metadata text for the writer to render in its format:
/// the callback of [`Context::from_meta`] and [`Value::from_meta`].
#[derive(Debug, Clone, Copy)]
pub enum MetaText<'a> {
    /// A `MetaString` (from `-M key=value`): plain text, to be escaped.
    Str(&'a str),
    /// `MetaInlines`, such as a one-line YAML value.
    Inlines(&'a [Inline]),
    /// `MetaBlocks`, such as a multi-paragraph YAML value.
    Blocks(&'a [Block]),
}

/// The variables a template is rendered with.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Context {
    vars: BTreeMap<String, Value>,
}

impl Context {
    /// An empty context.
    pub fn new() -> Self {
        Context::default()
    }

    /// The context of a document's metadata: every key becomes a variable;
    /// strings, inlines and blocks are rendered by `render` in the target
    /// format.
    pub fn from_meta(meta: &Meta, mut render: impl FnMut(MetaText<'_>) -> String) -> Self {
        Context {
            vars: meta
                .iter()
                .map(|(k, v)| (k.clone(), Value::from_meta(v, &mut render)))
                .collect(),
        }
    }

    /// Sets `key`, replacing any value it had.
    pub fn set(&mut self, key: impl Into<String>, value: impl Into<Value>) -> &mut Self {
        self.vars.insert(key.into(), value.into());
        self
    }

    /// Sets `key` unless it already has a value (for a writer's defaults,
    /// which metadata and `-V` override).
    pub fn set_default(&mut self, key: impl Into<String>, value: impl Into<Value>) -> &mut Self {
        self.vars.entry(key.into()).or_insert_with(|| value.into());
        self
    }

    /// Adds `value` to `key`: sets it if unset, makes a list of the old and the
    /// new value otherwise (as repeated `-V key=value` do).
    pub fn push(&mut self, key: impl Into<String>, value: impl Into<Value>) -> &mut Self {
        let value = value.into();
        match self.vars.entry(key.into()) {
            std::collections::btree_map::Entry::Vacant(e) => {
                e.insert(value);
            }
            std::collections::btree_map::Entry::Occupied(mut e) => match e.get_mut() {
                Value::List(items) => items.push(value),
                old => {
                    let first = std::mem::replace(old, Value::List(Vec::new()));
                    *old = Value::List(vec![first, value]);
                }
            },
        }
        self
    }

    /// Applies `-V` variables as pandoc does: each one is a string that
    /// replaces the value of its key taken from metadata, and a key given
    /// several times becomes a list, in order. `vars` are
    /// `(key, value)` pairs, as [`parse_variable`] returns them.
    pub fn set_variables<K, V>(&mut self, vars: impl IntoIterator<Item = (K, V)>) -> &mut Self
    where
        K: Into<String>,
        V: Into<String>,
    {
        let mut seen = std::collections::BTreeSet::new();
        for (key, value) in vars {
            let key = key.into();
            let value = Value::Str(value.into());
            if seen.insert(key.clone()) {
                self.vars.insert(key, value);
            } else {
                self.push(key, value);
            }
        }
        self
    }

    /// The value of `key`.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.vars.get(key)
    }

    /// Removes `key` and returns its value.
    pub fn remove(&mut self, key: &str) -> Option<Value> {
        self.vars.remove(key)
    }

    /// True when `key` is set to a true value (see [`Value::is_truthy`]).
    pub fn is_true(&self, key: &str) -> bool {
        self.vars.get(key).is_some_and(Value::is_truthy)
    }
}

/// Splits a `-V` argument as pandoc does: `KEY=VALUE` or `KEY:VALUE` at the
/// first `=` or `:`, and a bare `KEY` means `true`.
///
/// ```
/// assert_eq!(ast::template::parse_variable("lang=fr"), ("lang".into(), "fr".into()));
/// assert_eq!(ast::template::parse_variable("toc"), ("toc".into(), "true".into()));
/// ```
pub fn parse_variable(arg: &str) -> (String, String) {
    match arg.find(['=', ':']) {
        Some(i) => (arg[..i].to_string(), arg[i + 1..].to_string()),
        None => (arg.to_string(), "true".to_string()),
    }
}

// ---------------------------------------------------------------------------
// Template syntax tree
// ---------------------------------------------------------------------------

/// A compiled template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    nodes: Vec<Node>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Node {
    Literal(String),
    Interpolate(Variable),
    Conditional {
        var: Variable,
        then: Vec<Node>,
        otherwise: Vec<Node>,
    },
    Iterate {
        var: Variable,
        body: Vec<Node>,
        sep: Vec<Node>,
    },
    /// Lines after the first are indented to the output column where the
    /// content starts (`$^$`, or a multi-line variable alone on its line).
    Nested(Vec<Node>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Variable {
    /// `foo.bar` is `["foo", "bar"]`; `it` is the current loop item.
    parts: Vec<String>,
    pipes: Vec<Pipe>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Pipe {
    Pairs,
    Uppercase,
    Lowercase,
    Length,
    Reverse,
    First,
    Last,
    Rest,
    AllButLast,
    Chomp,
    NoWrap,
    Alpha,
    Roman,
    Block {
        align: Align,
        width: usize,
        left: String,
        right: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Align {
    Left,
    Right,
    Center,
}

const PIPE_NAMES: &str = "pairs, uppercase, lowercase, length, reverse, first, last, rest, \
                          allbutlast, chomp, nowrap, alpha, roman, left, right, center";

// ---------------------------------------------------------------------------
// Parser
// ---------------------------------------------------------------------------

impl Template {
    /// Compiles a template. `name` (usually the file's path) prefixes error
    /// messages: `name:line:col: message`.
    pub fn parse(source: &str, name: &str) -> Result<Template, Error> {
        let nodes = parse_nodes(source, name, name, None, 0)?;
        Ok(Template { nodes })
    }

    /// Compiles a template whose partials (`$styles()$`, `$date:fancy()$`)
    /// are read by `load`. As in pandoc, a partial is looked for next to the
    /// template (`name`), with the template's extension when it has none:
    /// in `dir/page.html`, `$styles()$` is `dir/styles.html` and
    /// `$styles.css()$` is `dir/styles.css`.
    pub fn parse_with_partials(
        source: &str,
        name: &str,
        load: &mut PartialLoader<'_>,
    ) -> Result<Template, Error> {
        let nodes = parse_nodes(source, name, name, Some(load), 0)?;
        Ok(Template { nodes })
    }

    /// Reads and compiles a template file (`--template FILE`), with its
    /// partials read from files next to it.
    pub fn read_file(path: &Path) -> Result<Template, Error> {
        let source = std::fs::read_to_string(path).map_err(|source| Error::Input {
            path: path.to_path_buf(),
            source,
        })?;
        Template::parse_with_partials(&source, &path.to_string_lossy(), &mut |partial: &Path| {
            std::fs::read_to_string(partial)
        })
    }

    /// Renders the template with the variables of `ctx`.
    pub fn render(&self, ctx: &Context) -> String {
        let mut out = Output::default();
        render_nodes(&self.nodes, ctx, None, &mut out);
        out.text
    }
}

/// Parses a whole template (or partial): its nodes, or an error for a
/// closing directive nothing opened.
fn parse_nodes(
    source: &str,
    name: &str,
    template_path: &str,
    loader: Option<&mut PartialLoader<'_>>,
    partial_depth: usize,
) -> Result<Vec<Node>, Error> {
    // pandoc reads templates with their CRLF line breaks turned into LF.
    let source: Cow<'_, str> = if source.contains("\r\n") {
        Cow::Owned(source.replace("\r\n", "\n"))
    } else {
        Cow::Borrowed(source)
    };
    let mut p = Parser {
        src: &source,
        name,
        loader,
        template_path,
        partial_depth,
        pos: 0,
        first_nonspace: 0,
        nest: None,
        depth: 0,
        dollar_tag: None,
    };
    let nodes = p.template()?;
    if p.pos < p.src.len() {
        // `template` stops only at the end or at a closing directive.
        let tag = p.tag()?;
        let opener = match tag.kind {
            TagKind::Else | TagKind::ElseIf(_) | TagKind::EndIf => "`$if(...)$`",
            _ => "`$for(...)$`",
        };
        return Err(p.error_at(
            tag.start,
            format!("`{}` without a matching {opener}", p.text(&tag)),
        ));
    }
    Ok(nodes)
}

/// Reads a partial, given its path (see [`Template::parse_with_partials`]).
pub type PartialLoader<'l> = dyn FnMut(&Path) -> io::Result<String> + 'l;

/// pandoc's limit on partials including partials.
const MAX_PARTIAL_DEPTH: usize = 50;

struct Parser<'a, 'l> {
    src: &'a str,
    name: &'a str,
    /// Where partials come from (`None`: partials are an error).
    loader: Option<&'a mut PartialLoader<'l>>,
    /// The main template's name: partials, even inside partials, are
    /// looked for next to it (as pandoc does).
    template_path: &'a str,
    /// How many partials enclose this template.
    partial_depth: usize,
    /// Byte offset of the next character.
    pos: usize,
    /// Byte offset of the first non-blank character of the current line, to
    /// tell whether a variable stands alone on its line.
    first_nonspace: usize,
    /// Inside `$^$`: where its content is aligned.
    nest: Option<Nest>,
    /// How many `template` calls are under way.
    depth: usize,
    /// The start of the directive being read when it opened with `$`.
    dollar_tag: Option<usize>,
}

#[derive(Debug, Clone, Copy)]
struct Nest {
    /// The column of the `$^$`: continuation lines start there in the
    /// template, and their blanks up to it are dropped.
    column: usize,
    /// The depth of the `template` call that parses the nested content: a
    /// less indented line ends the nesting there, and is kept as it is
    /// inside a `$for$` or `$if$` within it (as pandoc 3.9 does).
    depth: usize,
}

#[derive(Debug)]
struct Tag {
    kind: TagKind,
    /// Byte offset of the opening `$`.
    start: usize,
    /// Byte offset after the closing delimiter.
    end: usize,
}

#[derive(Debug)]
enum TagKind {
    If(Variable),
    ElseIf(Variable),
    Else,
    EndIf,
    For(Variable),
    Sep,
    EndFor,
    Reflow,
    Nest,
    Interpolate(Variable, Option<String>),
    /// `$name()$`, or `$var:name()$` with `var`, and an optional `[sep]`.
    Partial {
        name: String,
        var: Option<Variable>,
        sep: Option<String>,
    },
}

impl TagKind {
    fn is_closer(&self) -> bool {
        matches!(
            self,
            TagKind::ElseIf(_) | TagKind::Else | TagKind::EndIf | TagKind::Sep | TagKind::EndFor
        )
    }
}

const RESERVED: [&str; 8] = [
    "if", "else", "endif", "elseif", "for", "endfor", "sep", "it",
];

impl<'a, 'l> Parser<'a, 'l> {
    fn rest(&self) -> &'a str {
        &self.src[self.pos..]
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    /// 1-based line and column (in characters) of a byte offset.
    fn line_col(&self, offset: usize) -> (usize, usize) {
        let before = &self.src[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        (line, before[line_start..].chars().count() + 1)
    }

    /// 1-based column (in characters) of a byte offset; cheaper than
    /// `line_col`, which counts the lines before it.
    fn column(&self, offset: usize) -> usize {
        let before = &self.src[..offset];
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        before[line_start..].chars().count() + 1
    }

    fn error_at(&self, offset: usize, message: String) -> Error {
        let (line, column) = self.line_col(offset);
        Error::Source {
            path: PathBuf::from(self.name),
            line,
            column,
            message,
        }
    }

    fn describe(&self, offset: usize) -> String {
        let (line, column) = self.line_col(offset);
        format!("{line}:{column}")
    }

    /// A sequence of literals and directives, up to the end of the input, a
    /// closing directive (`$else$`, `$endif$`, `$sep$`...: left for the
    /// caller) or, inside `$^$`, a line that is not aligned with it.
    fn template(&mut self) -> Result<Vec<Node>, Error> {
        self.depth += 1;
        let result = self.template_items();
        self.depth -= 1;
        result
    }

    fn template_items(&mut self) -> Result<Vec<Node>, Error> {
        let mut nodes = Vec::new();
        self.skip_comments();
        while let Some(c) = self.peek() {
            match c {
                '\n' | '\r' => {
                    if !self.newline(&mut nodes) {
                        break;
                    }
                }
                '$' if self.rest().starts_with("$$") => {
                    push_literal(&mut nodes, "$");
                    self.pos += 2;
                }
                '$' => {
                    let save = self.pos;
                    let tag = self.tag()?;
                    if tag.kind.is_closer() {
                        self.pos = save;
                        break;
                    }
                    self.directive(tag, &mut nodes)?;
                }
                _ => {
                    let start = self.pos;
                    let len = self
                        .rest()
                        .find(['$', '\n', '\r'])
                        .unwrap_or(self.rest().len());
                    self.pos += len;
                    let text = &self.src[start..self.pos];
                    if !self.src[..start].contains('\n')
                        && text.chars().all(|c| c == ' ' || c == '\t')
                    {
                        self.first_nonspace = self.pos;
                    }
                    push_literal(&mut nodes, text);
                }
            }
            self.skip_comments();
        }
        Ok(nodes)
    }

    /// A line break and the blanks after it. Returns false (consuming
    /// nothing) when the line ends the content of a `$^$`.
    fn newline(&mut self, nodes: &mut Vec<Node>) -> bool {
        let start = self.pos;
        self.pos += self.line_break_len();
        let line_start = self.pos;
        let blanks = self.blanks_len();
        self.pos += blanks;
        match self.nest {
            Some(nest) if blanks >= nest.column - 1 => {
                push_literal(nodes, &self.src[start..line_start]);
                push_literal(nodes, &self.src[line_start + nest.column - 1..self.pos]);
            }
            Some(nest) if self.depth == nest.depth => {
                self.pos = start;
                return false;
            }
            _ => push_literal(nodes, &self.src[start..self.pos]),
        }
        self.first_nonspace = self.pos;
        true
    }

    /// The length of the line break at `pos` (0 if there is none).
    fn line_break_len(&self) -> usize {
        let rest = self.rest();
        if rest.starts_with("\r\n") {
            2
        } else if rest.starts_with(['\n', '\r']) {
            1
        } else {
            0
        }
    }

    /// The number of spaces and tabs at `pos`.
    fn blanks_len(&self) -> usize {
        let rest = self.rest();
        rest.len() - rest.trim_start_matches([' ', '\t']).len()
    }

    /// After a directive: consumes a line break (or accepts the end of
    /// input) and says whether there was one. Inside `$^$`, the blanks of
    /// the next line up to its column go too.
    fn skip_endline(&mut self) -> bool {
        let len = self.line_break_len();
        if len == 0 && !self.rest().is_empty() {
            return false;
        }
        self.pos += len;
        let blanks = self.blanks_len();
        self.first_nonspace = self.pos + blanks;
        if let Some(nest) = self.nest {
            self.pos += blanks.min(nest.column - 1);
        }
        true
    }

    /// `$--` comments; one starting a line takes its line break with it.
    fn skip_comments(&mut self) {
        while self.rest().starts_with("$--") {
            let at_line_start = self.column(self.pos) == 1;
            self.pos += self.rest().find(['\n', '\r']).unwrap_or(self.rest().len());
            if at_line_start {
                self.skip_endline();
            }
        }
    }

    fn directive(&mut self, tag: Tag, nodes: &mut Vec<Node>) -> Result<(), Error> {
        match tag.kind {
            TagKind::Interpolate(ref var, ref sep) => {
                let (var, sep) = (var.clone(), sep.clone());
                let node = match sep {
                    Some(sep) => Node::Iterate {
                        var,
                        body: vec![Node::Interpolate(Variable {
                            parts: vec!["it".into()],
                            pipes: Vec::new(),
                        })],
                        sep: vec![Node::Literal(sep)],
                    },
                    None => Node::Interpolate(var),
                };
                let alone = self.first_nonspace == tag.start
                    && (self.rest().is_empty() || self.rest().starts_with(['\n', '\r']));
                if alone && self.column(tag.start) > 1 {
                    nodes.push(Node::Nested(vec![node]));
                } else {
                    nodes.push(node);
                }
            }
            TagKind::If(ref var) => {
                let node = self.conditional(var.clone(), &tag, true)?;
                nodes.push(node);
            }
            TagKind::For(ref var) => {
                let var = var.clone();
                let multiline = self.skip_endline();
                let body = self.template()?;
                let mut sep = Vec::new();
                let mut closer = self.closing_tag(&tag, "$endfor$")?;
                if let TagKind::Sep = closer.kind {
                    if multiline {
                        self.skip_endline();
                    }
                    sep = self.template()?;
                    closer = self.closing_tag(&tag, "$endfor$")?;
                    if !matches!(closer.kind, TagKind::EndFor) {
                        return Err(self.mismatch(
                            &closer,
                            "after the `$sep$` of",
                            &tag,
                            "`$endfor$`",
                        ));
                    }
                } else if !matches!(closer.kind, TagKind::EndFor) {
                    return Err(self.mismatch(&closer, "inside", &tag, "`$sep$` or `$endfor$`"));
                }
                if multiline {
                    self.skip_endline();
                }
                nodes.push(Node::Iterate { var, body, sep });
            }
            TagKind::Partial {
                ref name,
                ref var,
                ref sep,
            } => {
                let body = self.load_partial(name, tag.start)?;
                let alone = self.first_nonspace == tag.start
                    && (self.rest().is_empty() || self.rest().starts_with(['\n', '\r']));
                let node = match var {
                    Some(var) => Node::Iterate {
                        var: var.clone(),
                        body,
                        sep: sep.iter().map(|s| Node::Literal(s.clone())).collect(),
                    },
                    None => Node::Nested(body),
                };
                match node {
                    Node::Nested(body) if !(alone && self.column(tag.start) > 1) => {
                        nodes.extend(body);
                    }
                    Node::Iterate { .. } if alone && self.column(tag.start) > 1 => {
                        nodes.push(Node::Nested(vec![node]));
                    }
                    node => nodes.push(node),
                }
                if alone && var.is_none() {
                    // pandoc drops the line break after a partial alone on
                    // its line (the partial lost its own final one).
                    self.skip_endline();
                }
            }
            TagKind::Reflow => {
                // Breakable spaces only matter when wrapping lines, which
                // this engine never does: the directive has no effect.
            }
            TagKind::Nest => {
                let inner = Nest {
                    column: self.column(tag.start),
                    depth: self.depth + 1,
                };
                let outer = self.nest.replace(inner);
                let body = self.template();
                self.nest = outer;
                nodes.push(Node::Nested(body?));
            }
            TagKind::Else
            | TagKind::ElseIf(_)
            | TagKind::EndIf
            | TagKind::Sep
            | TagKind::EndFor => {
                // `template` hands closing directives back to its caller,
                // which reports a stray one with more context than this.
                return Err(self.error_at(
                    tag.start,
                    format!("`{}` without an opening directive", self.text(&tag)),
                ));
            }
        }
        Ok(())
    }

    /// The rest of `$if(var)$` or `$elseif(var)$`, after its tag `open`;
    /// consumes `$endif$` only for `if` (`outermost`).
    fn conditional(&mut self, var: Variable, open: &Tag, outermost: bool) -> Result<Node, Error> {
        let multiline = self.skip_endline();
        let then = self.template()?;
        let closer = self.closing_tag(open, "$endif$")?;
        let otherwise = match closer.kind {
            TagKind::Else => {
                if multiline {
                    self.skip_endline();
                }
                let otherwise = self.template()?;
                let end = self.closing_tag(open, "$endif$")?;
                if !matches!(end.kind, TagKind::EndIf) {
                    return Err(self.mismatch(&end, "after the `$else$` of", open, "`$endif$`"));
                }
                self.pos = end.start;
                otherwise
            }
            TagKind::ElseIf(ref v) => vec![self.conditional(v.clone(), &closer, false)?],
            TagKind::EndIf => {
                self.pos = closer.start;
                Vec::new()
            }
            _ => {
                return Err(self.mismatch(
                    &closer,
                    "inside",
                    open,
                    "`$else$`, `$elseif(...)$` or `$endif$`",
                ))
            }
        };
        if outermost {
            // Every branch above left `$endif$` unconsumed: take it here.
            self.tag()?;
            if multiline {
                self.skip_endline();
            }
        }
        Ok(Node::Conditional {
            var,
            then,
            otherwise,
        })
    }

    /// Reads the closing directive `template` stopped at, or fails at the end
    /// of the input.
    fn closing_tag(&mut self, open: &Tag, expected: &str) -> Result<Tag, Error> {
        if self.pos >= self.src.len() {
            return Err(self.error_at(
                open.start,
                format!(
                    "`{}` is never closed: expected `{expected}` before the end of the template",
                    self.text(open)
                ),
            ));
        }
        self.tag()
    }

    /// A closing directive that does not close `open`.
    fn mismatch(&self, found: &Tag, relation: &str, open: &Tag, expected: &str) -> Error {
        self.error_at(
            found.start,
            format!(
                "unexpected `{}` {relation} `{}` at {}: expected {expected}",
                self.text(found),
                self.text(open),
                self.describe(open.start)
            ),
        )
    }

    /// The source text of a directive.
    fn text(&self, tag: &Tag) -> &'a str {
        &self.src[tag.start..tag.end]
    }

    /// One directive, from its opening `$` or `${` to its closing delimiter.
    fn tag(&mut self) -> Result<Tag, Error> {
        let start = self.pos;
        let braces = self.rest().starts_with("${") && !self.rest().starts_with("${}");
        if braces {
            self.pos += 2;
        } else {
            self.pos += 1;
        }
        let closer = if braces { '}' } else { '$' };
        self.dollar_tag = (!braces).then_some(start);
        self.skip_blanks();
        let kind = match self.peek() {
            Some('~') => {
                self.pos += 1;
                TagKind::Reflow
            }
            Some('^') => {
                self.pos += 1;
                TagKind::Nest
            }
            Some(_) if self.partial_name_len().is_some() => {
                let name = self.partial_name();
                let sep = self.separator()?;
                self.no_pipes_on_partial(&name)?;
                TagKind::Partial {
                    name,
                    var: None,
                    sep,
                }
            }
            Some(c) if c.is_alphabetic() => {
                let word_start = self.pos;
                let word = self.ident();
                let paren = self.peek() == Some('(');
                match word {
                    "if" | "elseif" | "for" if paren => {
                        self.pos += 1;
                        let var = self.variable()?;
                        if self.peek() != Some(')') {
                            return Err(
                                self.error_at(self.pos, format!("expected `)` to close `{word}(`"))
                            );
                        }
                        self.pos += 1;
                        match word {
                            "if" => TagKind::If(var),
                            "elseif" => TagKind::ElseIf(var),
                            _ => TagKind::For(var),
                        }
                    }
                    "if" | "elseif" | "for" => {
                        return Err(self.error_at(
                            self.pos,
                            format!("expected `(` and a variable name after `{word}`"),
                        ))
                    }
                    "else" => TagKind::Else,
                    "endif" => TagKind::EndIf,
                    "endfor" => TagKind::EndFor,
                    "sep" => TagKind::Sep,
                    _ => {
                        self.pos = word_start;
                        let var = self.variable()?;
                        if self.peek() == Some(':') {
                            self.pos += 1;
                            if self.partial_name_len().is_none() {
                                return Err(self.error_at(
                                    self.pos,
                                    "expected a partial's name and `()` after `:`".into(),
                                ));
                            }
                            let name = self.partial_name();
                            let sep = self.separator()?;
                            self.no_pipes_on_partial(&name)?;
                            TagKind::Partial {
                                name,
                                var: Some(var),
                                sep,
                            }
                        } else {
                            let sep = self.separator()?;
                            TagKind::Interpolate(var, sep)
                        }
                    }
                }
            }
            _ => {
                return Err(self
                    .error_at(
                        start,
                        "`$` does not start a variable or a directive here".into(),
                    )
                    .with_hint("write `$$` for a literal dollar sign"))
            }
        };
        self.skip_blanks();
        if self.peek() != Some(closer) {
            let (line, col) = self.line_col(start);
            let opener = if braces { "${" } else { "$" };
            let found = match self.peek() {
                Some(c) => format!("`{c}`"),
                None => "the end of the template".into(),
            };
            return Err(self.dollar_hint(self.error_at(
                self.pos,
                format!(
                    "expected `{closer}` to close the `{opener}` of {line}:{col}, found {found}"
                ),
            )));
        }
        self.pos += closer.len_utf8();
        Ok(Tag {
            kind,
            start,
            end: self.pos,
        })
    }

    /// Adds, for a directive opened by a bare `$`, the hint that a literal
    /// dollar sign is written `$$`.
    fn dollar_hint(&self, err: Error) -> Error {
        match self.dollar_tag {
            Some(start) => err.with_hint(&format!(
                "if the `$` at {} is a dollar sign, write it `$$`",
                self.describe(start)
            )),
            None => err,
        }
    }

    fn skip_blanks(&mut self) {
        let rest = self.rest();
        self.pos += rest.len() - rest.trim_start_matches([' ', '\t']).len();
    }

    /// Letters, digits, `_` and `-`, starting with a letter (checked by the
    /// caller).
    fn ident(&mut self) -> &'a str {
        let rest = self.rest();
        let len = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
            .unwrap_or(rest.len());
        self.pos += len;
        &rest[..len]
    }

    /// `name.field.field/pipe/pipe`.
    fn variable(&mut self) -> Result<Variable, Error> {
        let mut parts = Vec::new();
        loop {
            let part_start = self.pos;
            if !self.peek().is_some_and(char::is_alphabetic) {
                return Err(self.dollar_hint(self.error_at(
                    part_start,
                    "expected a variable name (a letter, then letters, digits, `_` or `-`)".into(),
                )));
            }
            let part = self.ident();
            if RESERVED.contains(&part) && !(part == "it" && parts.is_empty()) {
                return Err(self.error_at(
                    part_start,
                    format!("`{part}` is a keyword and cannot be used as a variable name"),
                ));
            }
            parts.push(part.to_string());
            if self.peek() == Some('.') {
                self.pos += 1;
            } else {
                break;
            }
        }
        let mut pipes = Vec::new();
        while self.peek() == Some('/') {
            self.pos += 1;
            pipes.push(self.pipe()?);
        }
        Ok(Variable { parts, pipes })
    }

    /// The length of a partial's name followed by `()` at `pos`, if there
    /// is one: letters, digits, `_`, `-`, `.`, `/` and `\\`.
    fn partial_name_len(&self) -> Option<usize> {
        let rest = self.rest();
        let len = rest
            .find(|c: char| !(c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '/' | '\\')))
            .unwrap_or(rest.len());
        (len > 0 && rest[len..].starts_with("()")).then_some(len)
    }

    /// Reads the partial's name and `()` that `partial_name_len` found.
    fn partial_name(&mut self) -> String {
        let len = self.partial_name_len().unwrap_or(0);
        let name = self.rest()[..len].to_string();
        self.pos += len + 2;
        name
    }

    /// An optional literal separator: `[, ]`.
    fn separator(&mut self) -> Result<Option<String>, Error> {
        if self.peek() != Some('[') {
            return Ok(None);
        }
        let len = self.rest().find(']').ok_or_else(|| {
            self.error_at(self.pos, "the `[` of a separator is never closed".into())
        })?;
        let sep = self.rest()[1..len].to_string();
        self.pos += len + 1;
        Ok(Some(sep))
    }

    fn no_pipes_on_partial(&self, name: &str) -> Result<(), Error> {
        if self.peek() == Some('/') {
            return Err(self
                .error_at(
                    self.pos,
                    format!("pipes on partials are not supported (`{name}()`)"),
                )
                .with_hint("apply the pipes to the variables inside the partial"));
        }
        Ok(())
    }

    /// The nodes of a partial, parsed from its file. Beyond
    /// `MAX_PARTIAL_DEPTH` nested partials, pandoc's `(loop)`.
    fn load_partial(&mut self, name: &str, at: usize) -> Result<Vec<Node>, Error> {
        if self.partial_depth >= MAX_PARTIAL_DEPTH {
            return Ok(vec![Node::Literal("(loop)".into())]);
        }
        let path = partial_path(self.template_path, name);
        let Some(loader) = self.loader.as_deref_mut() else {
            return Err(self
                .error_at(
                    at,
                    format!("partials cannot be used in this template (`{name}()`)"),
                )
                .with_hint("paste the content of the partial into the template"));
        };
        let text = loader(&path).map_err(|e| {
            let err = self.error_at(
                at,
                format!(
                    "cannot read the partial `{name}()`: {}: {}",
                    path.display(),
                    crate::error::describe_io(&e)
                ),
            );
            if e.kind() == io::ErrorKind::NotFound {
                // Templates copied from `pandoc -D` use pandoc's built-in
                // partials, which only pandoc has.
                let file = path
                    .file_name()
                    .map_or(Cow::Borrowed(name), |f| f.to_string_lossy());
                err.with_hint(&format!(
                    "for one of pandoc's partials, save it next to the template: \
                     `pandoc --print-default-data-file templates/{file} > {}`",
                    path.display()
                ))
            } else {
                err
            }
        })?;
        // pandoc drops the final line break of a partial.
        let text = text.strip_suffix('\n').unwrap_or(&text);
        let path = path.to_string_lossy();
        let (line, column) = self.line_col(at);
        let included_at = format!("{}:{line}:{column}", self.name);
        parse_nodes(
            text,
            &path,
            self.template_path,
            self.loader.as_deref_mut(),
            self.partial_depth + 1,
        )
        .map_err(|e| e.with_hint(&format!("the partial is included at {included_at}")))
    }

    fn pipe(&mut self) -> Result<Pipe, Error> {
        let start = self.pos;
        let name = self.ident();
        let pipe = match name {
            "pairs" => Pipe::Pairs,
            "uppercase" => Pipe::Uppercase,
            "lowercase" => Pipe::Lowercase,
            "length" => Pipe::Length,
            "reverse" => Pipe::Reverse,
            "first" => Pipe::First,
            "last" => Pipe::Last,
            "rest" => Pipe::Rest,
            "allbutlast" => Pipe::AllButLast,
            "chomp" => Pipe::Chomp,
            "nowrap" => Pipe::NoWrap,
            "alpha" => Pipe::Alpha,
            "roman" => Pipe::Roman,
            "left" | "right" | "center" => {
                let align = match name {
                    "left" => Align::Left,
                    "right" => Align::Right,
                    _ => Align::Center,
                };
                self.skip_blanks();
                let digits = self.rest().len()
                    - self
                        .rest()
                        .trim_start_matches(|c: char| c.is_ascii_digit())
                        .len();
                let width = self.rest()[..digits]
                    .parse::<usize>()
                    .ok()
                    .filter(|&w| w > 0 && w <= MAX_BLOCK_WIDTH)
                    .ok_or_else(|| {
                        self.error_at(
                            self.pos,
                            format!("the `{name}` pipe needs a width from 1 to {MAX_BLOCK_WIDTH}"),
                        )
                    })?;
                self.pos += digits;
                let left = self.quoted()?.unwrap_or_default();
                let right = self.quoted()?.unwrap_or_default();
                Pipe::Block {
                    align,
                    width,
                    left,
                    right,
                }
            }
            _ => {
                let shown = if name.is_empty() {
                    "expected a pipe name after `/`".to_string()
                } else {
                    format!("unknown pipe `{name}`")
                };
                return Err(self
                    .error_at(start, shown)
                    .with_hint(&format!("the pipes are: {PIPE_NAMES}")));
            }
        };
        Ok(pipe)
    }

    /// An optional `"string"` (with `\"` and `\\`) after blanks.
    fn quoted(&mut self) -> Result<Option<String>, Error> {
        let save = self.pos;
        self.skip_blanks();
        if self.peek() != Some('"') {
            self.pos = save;
            return Ok(None);
        }
        let open = self.pos;
        self.pos += 1;
        let mut s = String::new();
        let mut chars = self.rest().char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '"' => {
                    self.pos += i + 1;
                    return Ok(Some(s));
                }
                '\\' => match chars.next() {
                    Some((_, c)) => s.push(c),
                    None => break,
                },
                '\n' | '\r' => break,
                c => s.push(c),
            }
        }
        Err(self.error_at(open, "string is never closed: expected `\"`".into()))
    }
}

/// Where pandoc looks for a partial: next to the template, with the
/// template's extension when the partial's name has none.
fn partial_path(template: &str, partial: &str) -> PathBuf {
    let template = Path::new(template);
    let mut path = template.with_file_name(partial);
    if Path::new(partial).extension().is_none() {
        if let Some(ext) = template.extension() {
            path.set_extension(ext);
        }
    }
    path
}

fn push_literal(nodes: &mut Vec<Node>, text: &str) {
    if text.is_empty() {
        return;
    }
    if let Some(Node::Literal(s)) = nodes.last_mut() {
        s.push_str(text);
    } else {
        nodes.push(Node::Literal(text.to_string()));
    }
}

trait WithHint {
    fn with_hint(self, hint: &str) -> Self;
}

impl WithHint for Error {
    /// Adds a `hint:` line under the message.
    fn with_hint(self, hint: &str) -> Self {
        match self {
            Error::Source {
                path,
                line,
                column,
                message,
            } => Error::Source {
                path,
                line,
                column,
                message: format!("{message}\nhint: {hint}"),
            },
            other => other,
        }
    }
}

// ---------------------------------------------------------------------------
// Rendering
// ---------------------------------------------------------------------------

/// The loop items in scope: `$for(a)$` binds `a` (and `it`) to each item.
struct Scope<'s> {
    path: &'s [String],
    item: &'s Value,
    parent: Option<&'s Scope<'s>>,
}

/// The rendered text, with the indentation of the `Nested` parts under way.
#[derive(Default)]
struct Output {
    text: String,
    /// Where lines start inside a `Nested` part.
    indent: usize,
    /// A line has started and its indentation is not written yet (an empty
    /// line gets none, as pandoc's layout engine does).
    line_pending: bool,
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
    fn push_value(&mut self, value: &Value) {
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

fn render_nodes(nodes: &[Node], ctx: &Context, scope: Option<&Scope<'_>>, out: &mut Output) {
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
fn lookup<'s>(
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

fn descend<'s>(mut v: &'s Value, parts: &[String]) -> Option<&'s Value> {
    for part in parts {
        match v {
            Value::Map(m) => v = m.get(part)?,
            _ => return None,
        }
    }
    Some(v)
}

fn apply_pipe(pipe: &Pipe, value: Value) -> Value {
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

fn pair(key: Value, value: Value) -> Value {
    let mut m = BTreeMap::new();
    m.insert("key".to_string(), key);
    m.insert("value".to_string(), value);
    Value::Map(m)
}

/// Applies `f` to the strings of a value and of its lists; maps and
/// booleans are left alone.
fn map_strings(value: Value, f: &dyn Fn(&str) -> String) -> Value {
    match value {
        Value::Str(s) => Value::Str(f(&s)),
        Value::List(items) => Value::List(items.into_iter().map(|v| map_strings(v, f)).collect()),
        other => other,
    }
}

fn parse_natural(s: &str) -> Option<u64> {
    let t = s.trim();
    if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    t.parse().ok()
}

fn to_roman(mut n: u32) -> String {
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
fn block(text: &str, align: Align, width: usize, left: &str, right: &str) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::definition::Inline;

    fn render(src: &str, ctx: &Context) -> String {
        Template::parse(src, "t.txt").unwrap().render(ctx)
    }

    fn error(src: &str) -> String {
        Template::parse(src, "t.txt").unwrap_err().to_string()
    }

    #[test]
    fn repeated_variables_make_a_list_and_replace_metadata() {
        let mut ctx = Context::new();
        ctx.set("author", "From metadata").set("title", "Titre");
        ctx.set_variables([("author", "A"), ("author", "B"), ("lang", "fr")]);
        assert_eq!(
            ctx.get("author"),
            Some(&Value::List(vec!["A".into(), "B".into()]))
        );
        assert_eq!(
            render("$for(author)$$it$$sep$+$endfor$ $title$ $lang$", &ctx),
            "A+B Titre fr"
        );
        ctx.set_default("lang", "en").set_default("dir", "ltr");
        assert_eq!(render("$lang$ $dir$", &ctx), "fr ltr");
        ctx.push("lang", "de");
        assert_eq!(render("$lang[,]$", &ctx), "fr,de");
    }

    #[test]
    fn variable_arguments_split_as_pandoc_does() {
        assert_eq!(
            parse_variable("url=http://x.org/?a=b"),
            ("url".into(), "http://x.org/?a=b".into())
        );
        assert_eq!(
            parse_variable("key:value=1"),
            ("key".into(), "value=1".into())
        );
        assert_eq!(parse_variable("empty="), ("empty".into(), String::new()));
        assert_eq!(parse_variable("flag"), ("flag".into(), "true".into()));
    }

    #[test]
    fn metadata_goes_through_the_writer_callback() {
        let mut meta = Meta::new();
        meta.insert(
            "title".into(),
            MetaValue::MetaInlines(vec![Inline::Str("a<b".into())]),
        );
        meta.insert("cli".into(), MetaValue::MetaString("x&y".into()));
        meta.insert("draft".into(), MetaValue::MetaBool(false));
        meta.insert(
            "author".into(),
            MetaValue::MetaList(vec![MetaValue::MetaMap(
                [(
                    "name".to_string(),
                    MetaValue::MetaInlines(vec![Inline::Str("Ada".into())]),
                )]
                .into_iter()
                .collect(),
            )]),
        );
        let ctx = Context::from_meta(&meta, |text| match text {
            MetaText::Str(s) => format!("str({s})"),
            MetaText::Inlines(ils) => format!("inlines({})", ils.len()),
            MetaText::Blocks(bs) => format!("blocks({})", bs.len()),
        });
        assert_eq!(
            render("$title$ $cli$ $draft$ $if(draft)$yes$else$no$endif$ $for(author)$$author.name$$endfor$", &ctx),
            "inlines(1) str(x&y) false no inlines(1)"
        );
    }

    #[test]
    fn truth_follows_pandoc() {
        assert!(Value::from("false").is_truthy());
        assert!(!Value::from("").is_truthy());
        assert!(!Value::Bool(false).is_truthy());
        assert!(Value::Map(BTreeMap::new()).is_truthy());
        assert!(!Value::from(vec!["", ""]).is_truthy());
        assert!(Value::from(vec!["", "x"]).is_truthy());
        assert!(!Value::List(Vec::new()).is_truthy());
    }

    #[test]
    fn values_lose_their_final_line_breaks() {
        let mut ctx = Context::new();
        ctx.set("body", "<p>a</p>\n").set("crlf", "x\r\n");
        ctx.set("two", "a\n\n").set("none", "b");
        // pandoc 3.9 renders `-V two=$'a\n\n'` as `a\n`.
        assert_eq!(
            render("[$body$][$crlf$][$two$][$none$][$two/chomp$]", &ctx),
            "[<p>a</p>][x][a\n][b][a]"
        );
    }

    #[test]
    fn a_variable_alone_on_its_line_is_indented_as_a_block() {
        let mut ctx = Context::new();
        ctx.set("body", "<p>a</p>\n<p>b</p>\n\n<p>c</p>");
        assert_eq!(
            render("<main>\n  $body$\n</main>\n", &ctx),
            "<main>\n  <p>a</p>\n  <p>b</p>\n\n  <p>c</p>\n</main>\n"
        );
        // Not alone: only the first line moves.
        assert_eq!(
            render("<main>\n  $body$ x\n</main>", &ctx),
            "<main>\n  <p>a</p>\n<p>b</p>\n\n<p>c</p> x\n</main>"
        );
    }

    #[test]
    fn crlf_line_breaks_become_lf_as_in_pandoc() {
        let mut ctx = Context::new();
        ctx.set("x", "1");
        // pandoc 3.9 gives `a\nyes\nb\n` for this template.
        assert_eq!(
            render("a\r\n$if(x)$\r\nyes\r\n$endif$\r\nb\r\n", &ctx),
            "a\nyes\nb\n"
        );
        assert_eq!(
            error("a\r\n$if(x)$\r\n"),
            "t.txt:2:1: `$if(x)$` is never closed: expected `$endif$` before the end of the template"
        );
    }

    #[test]
    fn errors_give_the_position_and_what_was_expected() {
        assert_eq!(
            error("a\n  $if(x)$\nb\n"),
            "t.txt:2:3: `$if(x)$` is never closed: expected `$endif$` before the end of the template"
        );
        assert_eq!(
            error("$for(x)$ $endif$"),
            "t.txt:1:10: unexpected `$endif$` inside `$for(x)$` at 1:1: expected `$sep$` or `$endfor$`"
        );
        assert_eq!(
            error("x $endfor$"),
            "t.txt:1:3: `$endfor$` without a matching `$for(...)$`"
        );
        assert_eq!(
            error("é $x/bogus$"),
            "t.txt:1:6: unknown pipe `bogus`\nhint: the pipes are: pairs, uppercase, lowercase, length, \
             reverse, first, last, rest, allbutlast, chomp, nowrap, alpha, roman, left, right, center"
        );
        assert_eq!(
            error("$styles()$"),
            "t.txt:1:1: partials cannot be used in this template (`styles()`)\n\
             hint: paste the content of the partial into the template"
        );
        let err = Template::parse("$", "dir/t.html").unwrap_err();
        assert_eq!(err.exit_code(), crate::exit::DATAERR);
        assert!(err.to_string().starts_with("dir/t.html:1:1: "), "{err}");
    }

    #[test]
    fn template_files_read_their_partials_next_to_them() {
        let dir = tempfile::tempdir().unwrap();
        let page = dir.path().join("page.html");
        std::fs::write(
            &page,
            "<style>\n  $styles()$\n</style>\n$x:item.txt()[,]$\n",
        )
        .unwrap();
        std::fs::write(dir.path().join("styles.html"), "p {}\nh1 {}\n").unwrap();
        std::fs::write(dir.path().join("item.txt"), "<$it$>\n").unwrap();
        let mut ctx = Context::new();
        ctx.set("x", vec!["a", "b"]);
        let t = Template::read_file(&page).unwrap();
        // pandoc 3.9 gives the same: the partial's final line break and the
        // one after the partial are both dropped.
        assert_eq!(
            t.render(&ctx),
            "<style>\n  p {}\n  h1 {}</style>\n<a>,<b>\n"
        );

        let missing = Template::read_file(&dir.path().join("none.html")).unwrap_err();
        assert_eq!(missing.exit_code(), crate::exit::NOINPUT);
        std::fs::write(&page, "$nostyles()$").unwrap();
        let err = Template::read_file(&page).unwrap_err().to_string();
        assert!(
            err.contains("page.html:1:1: cannot read the partial `nostyles()`: "),
            "{err}"
        );
        assert!(
            err.contains(
                "nostyles.html: no such file or directory\nhint: for one of pandoc's partials"
            ),
            "{err}"
        );
    }

    #[test]
    fn block_pipes_wrap_pad_and_align() {
        assert_eq!(
            block("ab cd ef", Align::Left, 5, "|", "|"),
            "|ab cd|\n|ef   |"
        );
        assert_eq!(block("ab", Align::Right, 4, "", ""), "  ab");
        assert_eq!(block("ab", Align::Center, 5, "", ""), " ab");
        assert_eq!(block("abcdefg", Align::Left, 3, "", ""), "a\nbcd\nefg");
        assert_eq!(
            block("a\n\nb", Align::Left, 2, "<", ">"),
            "<a >\n<  >\n<b >"
        );
    }

    #[test]
    fn roman_and_alpha_numbering() {
        assert_eq!(to_roman(1994), "mcmxciv");
        assert_eq!(to_roman(3999), "mmmcmxcix");
        let ctx = Context::new();
        let mut c = ctx.clone();
        c.set("n", "4000").set("z", "0");
        // Beyond 3999 the number is left as it is (pandoc 3.9 prints an
        // invalid numeral there); 0 is the empty numeral, as in pandoc.
        assert_eq!(render("$n/roman$ [$z/roman$] $z/alpha$", &c), "4000 [] `");
    }
}

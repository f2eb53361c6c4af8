//! Pandoc's template language (the `doctemplates` syntax of pandoc 3), shared
//! by the HTML and LaTeX writers for `--template FILE` and their default
//! templates. Its own crate, as pandoc keeps doctemplates apart from the
//! document model: `parse.rs` compiles a template, `render.rs` fills it.
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
//! use templates::{parse_variable, Context, MetaText, Template};
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
//! use templates::{Context, Template, Value};
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

use ast::{Block, Error, Inline, Meta, MetaValue};

mod parse;
mod render;

use parse::parse_nodes;
pub use parse::PartialLoader;
use render::{render_nodes, Output};

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
/// assert_eq!(templates::parse_variable("lang=fr"), ("lang".into(), "fr".into()));
/// assert_eq!(templates::parse_variable("toc"), ("toc".into(), "true".into()));
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

#[cfg(test)]
mod tests {
    use super::*;
    #[allow(unused_imports, reason = "the tests reach into both halves")]
    use crate::{parse::*, render::*};
    use ast::Inline;

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
        assert_eq!(err.exit_code(), ast::exit::DATAERR);
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
        assert_eq!(missing.exit_code(), ast::exit::NOINPUT);
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

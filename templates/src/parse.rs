//! Compiling a template: its text to the syntax tree of `lib.rs`.

#[allow(unused_imports, reason = "the parser shares the crate's imports")]
use super::*;

/// Parses a whole template (or partial): its nodes, or an error for a
/// closing directive nothing opened.
pub(crate) fn parse_nodes(
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
                    ast::error::describe_io(&e)
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
pub(crate) fn partial_path(template: &str, partial: &str) -> PathBuf {
    let template = Path::new(template);
    let mut path = template.with_file_name(partial);
    if Path::new(partial).extension().is_none() {
        if let Some(ext) = template.extension() {
            path.set_extension(ext);
        }
    }
    path
}

pub(crate) fn push_literal(nodes: &mut Vec<Node>, text: &str) {
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

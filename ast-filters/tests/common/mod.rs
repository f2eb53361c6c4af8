//! Test helpers: reading fixtures and printing an AST in a compact form close
//! to pandoc's `native` output, so that snapshots are easy to review.

#![allow(dead_code, reason = "each test file uses a part of the helpers")]

use std::fmt::Write;
use std::path::Path;

use ast::{Block, Inline, MetaValue, Pandoc};

/// Reads the pandoc JSON fixture at `path`.
pub fn read_fixture(path: &Path) -> Pandoc {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    ast::read_json_bytes(&bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The source (Markdown, HTML or pandoc native) beside a `.json` fixture.
pub fn source_of(json: &Path) -> String {
    ["md", "html", "native"]
        .iter()
        .find_map(|ext| std::fs::read_to_string(json.with_extension(ext)).ok())
        .unwrap_or_default()
}

/// A string literal: `"`, `\` and invisible or space characters escaped
/// (`\u{a0}`, `\u{202f}`), other characters as they are.
pub fn lit(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() || c.is_whitespace() && c != ' ' || c == '\u{202f}' => {
                write!(out, "\\u{{{:x}}}", c as u32).unwrap()
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn attr(a: &ast::Attr) -> String {
    let kv: Vec<String> = a
        .attributes
        .iter()
        .map(|(k, v)| format!("({}, {})", lit(k), lit(v)))
        .collect();
    let classes: Vec<String> = a.classes.iter().map(|c| lit(c)).collect();
    format!(
        "({}, [{}], [{}])",
        lit(&a.id),
        classes.join(", "),
        kv.join(", ")
    )
}

pub fn inlines(ils: &[Inline]) -> String {
    let parts: Vec<String> = ils.iter().map(inline).collect();
    format!("[{}]", parts.join(", "))
}

pub fn inline(il: &Inline) -> String {
    match il {
        Inline::Str(s) => format!("Str {}", lit(s)),
        Inline::Emph(c) => format!("Emph {}", inlines(c)),
        Inline::Underline(c) => format!("Underline {}", inlines(c)),
        Inline::Strong(c) => format!("Strong {}", inlines(c)),
        Inline::Strikeout(c) => format!("Strikeout {}", inlines(c)),
        Inline::Superscript(c) => format!("Superscript {}", inlines(c)),
        Inline::Subscript(c) => format!("Subscript {}", inlines(c)),
        Inline::SmallCaps(c) => format!("SmallCaps {}", inlines(c)),
        Inline::Quoted(q, c) => format!("Quoted {q:?} {}", inlines(c)),
        Inline::Cite(cits, c) => {
            let cs: Vec<String> = cits
                .iter()
                .map(|x| format!("{} {} {}", x.id, inlines(&x.prefix), inlines(&x.suffix)))
                .collect();
            format!("Cite [{}] {}", cs.join("; "), inlines(c))
        }
        Inline::Code(a, s) => format!("Code {} {}", attr(a), lit(s)),
        Inline::Space => "Space".into(),
        Inline::SoftBreak => "SoftBreak".into(),
        Inline::LineBreak => "LineBreak".into(),
        Inline::Math(t, s) => format!("Math {t:?} {}", lit(s)),
        Inline::RawInline(f, s) => format!("RawInline {} {}", lit(&f.0), lit(s)),
        Inline::Link(a, c, t) => format!(
            "Link {} {} ({}, {})",
            attr(a),
            inlines(c),
            lit(&t.url),
            lit(&t.title)
        ),
        Inline::Image(a, c, t) => format!(
            "Image {} {} ({}, {})",
            attr(a),
            inlines(c),
            lit(&t.url),
            lit(&t.title)
        ),
        Inline::Note(bs) => format!("Note [{}]", blocks_inline(bs)),
        Inline::Span(a, c) => format!("Span {} {}", attr(a), inlines(c)),
    }
}

fn blocks_inline(bs: &[Block]) -> String {
    let mut s = String::new();
    blocks_into(bs, 0, &mut s);
    s.trim_end().replace('\n', " ")
}

fn indent(out: &mut String, depth: usize) {
    out.push_str(&"  ".repeat(depth));
}

fn cell_blocks(rows: &[ast::Row], depth: usize, out: &mut String) {
    for ast::Row(_, cells) in rows {
        indent(out, depth);
        out.push_str("Row\n");
        for ast::Cell(_, _, _, _, bs) in cells {
            indent(out, depth + 1);
            out.push_str("Cell\n");
            blocks_into(bs, depth + 2, out);
        }
    }
}

pub fn blocks_into(bs: &[Block], depth: usize, out: &mut String) {
    for b in bs {
        indent(out, depth);
        match b {
            Block::Plain(ils) => writeln!(out, "Plain {}", inlines(ils)).unwrap(),
            Block::Para(ils) => writeln!(out, "Para {}", inlines(ils)).unwrap(),
            Block::LineBlock(lines) => {
                let ls: Vec<String> = lines.iter().map(|l| inlines(l)).collect();
                writeln!(out, "LineBlock [{}]", ls.join(", ")).unwrap()
            }
            Block::CodeBlock(a, s) => writeln!(out, "CodeBlock {} {}", attr(a), lit(s)).unwrap(),
            Block::RawBlock(f, s) => writeln!(out, "RawBlock {} {}", lit(&f.0), lit(s)).unwrap(),
            Block::BlockQuote(bs) => {
                out.push_str("BlockQuote\n");
                blocks_into(bs, depth + 1, out);
            }
            Block::OrderedList(_, items) | Block::BulletList(items) => {
                out.push_str(if matches!(b, Block::BulletList(_)) {
                    "BulletList\n"
                } else {
                    "OrderedList\n"
                });
                for item in items {
                    indent(out, depth + 1);
                    out.push_str("Item\n");
                    blocks_into(item, depth + 2, out);
                }
            }
            Block::DefinitionList(items) => {
                out.push_str("DefinitionList\n");
                for (term, defs) in items {
                    indent(out, depth + 1);
                    writeln!(out, "Term {}", inlines(term)).unwrap();
                    for d in defs {
                        blocks_into(d, depth + 2, out);
                    }
                }
            }
            Block::Header(n, a, ils) => {
                writeln!(out, "Header {n} {} {}", attr(a), inlines(ils)).unwrap()
            }
            Block::HorizontalRule => out.push_str("HorizontalRule\n"),
            Block::Table(t) => {
                out.push_str("Table\n");
                if let Some(s) = &t.caption.0 {
                    indent(out, depth + 1);
                    writeln!(out, "ShortCaption {}", inlines(s)).unwrap();
                }
                blocks_into(&t.caption.1, depth + 1, out);
                cell_blocks(&t.head.1, depth + 1, out);
                for body in &t.bodies {
                    cell_blocks(&body.2, depth + 1, out);
                    cell_blocks(&body.3, depth + 1, out);
                }
                cell_blocks(&t.foot.1, depth + 1, out);
            }
            Block::Figure(a, cap, bs) => {
                writeln!(out, "Figure {}", attr(a)).unwrap();
                indent(out, depth + 1);
                out.push_str("Caption\n");
                blocks_into(&cap.1, depth + 2, out);
                blocks_into(bs, depth + 1, out);
            }
            Block::Div(a, bs) => {
                writeln!(out, "Div {}", attr(a)).unwrap();
                blocks_into(bs, depth + 1, out);
            }
        }
    }
}

fn meta_value(v: &MetaValue) -> String {
    match v {
        MetaValue::MetaMap(m) => {
            let kv: Vec<String> = m
                .iter()
                .map(|(k, v)| format!("{k}: {}", meta_value(v)))
                .collect();
            format!("{{{}}}", kv.join(", "))
        }
        MetaValue::MetaList(l) => {
            let vs: Vec<String> = l.iter().map(meta_value).collect();
            format!("[{}]", vs.join(", "))
        }
        MetaValue::MetaBool(b) => b.to_string(),
        MetaValue::MetaString(s) => lit(s),
        MetaValue::MetaInlines(ils) => inlines(ils),
        MetaValue::MetaBlocks(bs) => format!("Blocks [{}]", blocks_inline(bs)),
    }
}

/// The whole document: metadata (one line per key) then blocks.
pub fn native(doc: &Pandoc) -> String {
    let mut out = String::new();
    for (k, v) in &doc.meta {
        writeln!(out, "meta {k}: {}", meta_value(v)).unwrap();
    }
    blocks_into(&doc.blocks, 0, &mut out);
    out
}

/// The snapshot of one fixture: source, resulting AST, diagnostics.
pub fn snapshot(source: &str, doc: &Pandoc, report: &ast_filters::Report) -> String {
    let mut out = String::new();
    out.push_str("# source\n");
    out.push_str(source);
    if !source.ends_with('\n') {
        out.push('\n');
    }
    out.push_str("# result\n");
    out.push_str(&native(doc));
    if !report.diagnostics.is_empty() {
        out.push_str("# diagnostics\n");
        for d in &report.diagnostics {
            writeln!(out, "{d}").unwrap();
        }
    }
    out
}

/// The raw TeX blocks of `blocks`, at any depth, in order.
pub fn raw_tex_blocks(blocks: &[Block]) -> Vec<String> {
    let mut out = Vec::new();
    let mut doc = Pandoc::new(Default::default(), blocks.to_vec());
    struct Raw<'a>(&'a mut Vec<String>);
    impl ast::MutVisitor for Raw<'_> {
        fn visit_block(&mut self, b: &mut Block) {
            if let Block::RawBlock(f, text) = b {
                if f.is_tex() {
                    self.0.push(text.clone());
                }
            }
        }
    }
    ast::Walkable::walk_mut(&mut doc.blocks, &mut Raw(&mut out));
    out
}

/// `program` run in `dir` with `args`, `stdin` written to it, its output.
pub fn run_in(dir: &Path, program: &str, args: &[&str], stdin: &[u8]) -> std::process::Output {
    use std::io::Write as _;
    use std::process::{Command, Stdio};
    let mut child = Command::new(program)
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{program} does not start: {e}"));
    let mut input = child.stdin.take().expect("stdin");
    // A program that stops reading early (an error) closes the pipe.
    let _ = input.write_all(stdin);
    drop(input);
    child.wait_with_output().expect("runs")
}

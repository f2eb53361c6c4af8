//! The two writers colour code the same: for every highlighted code block of
//! every language in the fixtures (ast2html's, ast2latex's and the canonical
//! document), the tokens read back from the HTML (`<span class="kw">`) and
//! from the LaTeX (`\KeywordTok{...}`) are the same sequence of (token type,
//! text), and the same as the shared tokeniser's.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use ast::{Attr, Block, Pandoc};
use writer_support::highlight::{find_language, Highlighter};
use writer_support::TokenType;

type Tokens = Vec<Vec<(TokenType, String)>>;

fn fixture_files() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = vec![root.join("tests/fixtures/canonical/canonical.json")];
    for dir in ["ast2html/tests/fixtures", "ast2latex/tests/fixtures"] {
        let mut jsons: Vec<PathBuf> = std::fs::read_dir(root.join(dir))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        jsons.sort();
        files.extend(jsons);
    }
    files
}

/// Every code block with a language syntect knows, once per (language, code).
fn code_blocks() -> Vec<(Attr, String)> {
    let mut seen = BTreeSet::new();
    let mut blocks = Vec::new();
    for file in fixture_files() {
        let Ok(doc) = ast::read_json(&std::fs::read_to_string(&file).unwrap()) else {
            continue; // error-case fixtures
        };
        ast::query_blocks(&doc.blocks, |b: &Block| {
            if let Block::CodeBlock(attr, code) = b {
                if let Some(language) = find_language(&attr.classes) {
                    if seen.insert((language.name.to_string(), code.clone())) {
                        blocks.push((attr.clone(), code.clone()));
                    }
                }
            }
        });
    }
    blocks
}

fn doc_of(attr: &Attr, code: &str) -> Pandoc {
    let mut attr = attr.clone();
    // Plain fancyvrb options and line ids only: numbering changes neither.
    attr.attributes.clear();
    let mut doc =
        ast::read_json(r#"{"pandoc-api-version":[1,23,1],"meta":{},"blocks":[]}"#).unwrap();
    doc.blocks.push(Block::CodeBlock(attr, code.to_string()));
    doc
}

/// Appends a token, merged with the previous one of the same type.
fn push(line: &mut Vec<(TokenType, String)>, kind: TokenType, text: &str) {
    if text.is_empty() {
        return;
    }
    match line.last_mut() {
        Some((last, t)) if *last == kind => t.push_str(text),
        _ => line.push((kind, text.to_string())),
    }
}

fn html_tokens(html: &str) -> Tokens {
    let start = html
        .find("<code class=\"sourceCode")
        .expect("a highlighted block");
    let body = &html[start..];
    let body = &body[body.find('>').unwrap() + 1..body.find("</code>").unwrap()];
    let unescape = |s: &str| {
        s.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&amp;", "&")
    };
    body.split('\n')
        .map(|line| {
            // <span id="cb1-1"><a href="#cb1-1" ...></a>TOKENS</span>
            let line = &line[line.find("</a>").unwrap() + 4..];
            let mut rest = line.strip_suffix("</span>").unwrap();
            let mut tokens = Vec::new();
            while !rest.is_empty() {
                if let Some(after) = rest.strip_prefix("<span class=\"") {
                    let class = &after[..after.find('"').unwrap()];
                    let kind = TokenType::ALL
                        .into_iter()
                        .find(|t| t.class() == Some(class))
                        .unwrap_or_else(|| panic!("unknown class {class}"));
                    let text_start = after.find('>').unwrap() + 1;
                    let text_end = after.find("</span>").unwrap();
                    push(&mut tokens, kind, &unescape(&after[text_start..text_end]));
                    rest = &after[text_end + "</span>".len()..];
                } else {
                    let end = rest.find('<').unwrap_or(rest.len());
                    push(&mut tokens, TokenType::Normal, &unescape(&rest[..end]));
                    rest = &rest[end..];
                }
            }
            tokens
        })
        .collect()
}

/// Reads LaTeX escaped for verbatim up to the closing brace of a macro.
fn latex_argument(s: &str) -> (String, &str) {
    let mut out = String::new();
    let mut rest = s;
    loop {
        if let Some(r) = rest.strip_prefix("\\textbackslash{}") {
            out.push('\\');
            rest = r;
        } else if let Some(r) = rest.strip_prefix("\\nobreakspace{}") {
            out.push('\u{a0}');
            rest = r;
        } else if let Some(r) = rest.strip_prefix("\\{") {
            out.push('{');
            rest = r;
        } else if let Some(r) = rest.strip_prefix("\\}") {
            out.push('}');
            rest = r;
        } else if let Some(r) = rest.strip_prefix('}') {
            return (out, r);
        } else {
            let c = rest.chars().next().expect("a closed argument");
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
}

fn latex_tokens(latex: &str) -> Tokens {
    let start = latex
        .find("\\begin{Highlighting}")
        .expect("a highlighted block");
    let body = &latex[start..];
    let body = &body[body.find('\n').unwrap() + 1..body.find("\\end{Highlighting}").unwrap()];
    body.strip_suffix('\n')
        .unwrap_or(body)
        .split('\n')
        .map(|line| {
            let mut rest = line;
            let mut tokens = Vec::new();
            while !rest.is_empty() {
                if rest.starts_with('\\') && rest.contains("Tok{") {
                    let name_end = rest.find("Tok{").unwrap();
                    let kind = TokenType::from_name(&rest[1..name_end])
                        .unwrap_or_else(|| panic!("unknown macro in {rest}"));
                    let (text, after) = latex_argument(&rest[name_end + 4..]);
                    push(&mut tokens, kind, &text);
                    rest = after;
                } else {
                    let end = rest.find("\\").unwrap_or(rest.len());
                    push(&mut tokens, TokenType::Normal, &rest[..end]);
                    rest = &rest[end..];
                }
            }
            tokens
        })
        .collect()
}

#[test]
fn both_writers_get_the_same_tokens_for_every_language_of_the_fixtures() {
    let blocks = code_blocks();
    let mut languages = BTreeSet::new();
    let mut highlighter = Highlighter::default();
    for (attr, code) in &blocks {
        let language = find_language(&attr.classes).unwrap();
        languages.insert(language.name.to_string());
        let shared: Tokens = highlighter
            .highlight(code, &language)
            .unwrap()
            .into_iter()
            .map(|line| {
                let mut merged = Vec::new();
                for (kind, text) in line {
                    push(&mut merged, kind, text);
                }
                merged
            })
            .collect();
        let doc = doc_of(attr, code);
        let mut html = String::new();
        let html_options = ast2html::HtmlOptions {
            standalone: false,
            ..Default::default()
        };
        ast2html::write_html(&doc, &html_options, &mut html).unwrap();
        let mut latex = String::new();
        let latex_options = ast2latex::LatexOptions {
            standalone: false,
            ..Default::default()
        };
        ast2latex::write_latex(&doc, &latex_options, &mut latex).unwrap();
        assert_eq!(
            html_tokens(&html),
            shared,
            "HTML, {}:\n{html}",
            language.name
        );
        assert_eq!(
            latex_tokens(&latex),
            shared,
            "LaTeX, {}:\n{latex}",
            language.name
        );
    }
    // The fixtures have code in these languages at least: the test cannot
    // pass by finding none.
    for expected in [
        "bash",
        "python",
        "rust",
        "yaml",
        "json",
        "makefile",
        "c",
        "javascript",
        "html",
        "latex",
    ] {
        assert!(
            languages.contains(expected),
            "no {expected} code in {languages:?}"
        );
    }
}

#[test]
fn both_writers_take_their_colours_from_the_one_table() {
    for style in writer_support::HighlightStyle::ALL {
        let doc = doc_of(
            &Attr {
                classes: vec!["python".into()],
                ..Attr::default()
            },
            "x = 1",
        );
        let mut latex = String::new();
        let options = ast2latex::LatexOptions {
            highlight_style: Some(style),
            ..Default::default()
        };
        ast2latex::write_latex(&doc, &options, &mut latex).unwrap();
        let mut html = String::new();
        let options = ast2html::HtmlOptions {
            highlight_style: Some(style),
            ..Default::default()
        };
        ast2html::write_html(&doc, &options, &mut html).unwrap();
        for (token, look) in style.style().tokens {
            let Some(color) = look.color else { continue };
            let Some(class) = token.class() else { continue };
            let css = format!("code span.{class} {{ color: #{color:06x};");
            assert!(html.contains(&css), "{}: {css}", style.name());
            let head = format!("\\newcommand{{\\{}Tok}}[1]{{", token.name());
            let line = latex.lines().find(|l| l.starts_with(&head)).unwrap();
            let tex = format!("\\textcolor[HTML]{{{color:06X}}}");
            assert!(line.contains(&tex), "{}: {line}", style.name());
        }
    }
}

//! Generated documents through the LaTeX writer, with varied options: it
//! must not panic, and when the document has no raw TeX, math or code (the
//! only text passed through as TeX), the body's braces must balance: the
//! document's text can never open or close a TeX group.
#![no_main]

use arbitrary::Unstructured;
use ast2latex::{write_latex, LatexOptions};
use libfuzzer_sys::fuzz_target;
use fuzz::{gen_pandoc, Limits};

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let Ok(options) = options(&mut u) else {
        return;
    };
    let plain_text_only: bool = u.arbitrary().unwrap_or(false);
    let limits = if plain_text_only {
        Limits {
            raw_tex: false,
            verbatim: false,
            ..Limits::default()
        }
    } else {
        Limits::default()
    };
    let Ok(doc) = gen_pandoc(&mut u, limits) else {
        return;
    };
    let mut latex = String::new();
    if write_latex(&doc, &options, &mut latex).is_err() {
        return;
    }
    if plain_text_only && !options.standalone {
        if let Err(problem) = check_braces(&latex) {
            panic!("{problem}\n--- LaTeX:\n{latex}\n--- document:\n{}", ast::to_json_string(&doc));
        }
    }
});

/// Unescaped `{` and `}` balance and never go below zero. A backslash
/// escapes the next character (`\{`, `\}`, `\\`); `%` starts a comment.
fn check_braces(latex: &str) -> Result<(), String> {
    let mut depth = 0i64;
    for (n, line) in latex.lines().enumerate() {
        let mut chars = line.chars();
        while let Some(c) = chars.next() {
            match c {
                '\\' => {
                    chars.next();
                }
                '%' => break,
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth < 0 {
                        return Err(format!("line {}: '}}' closes a group that was not opened", n + 1));
                    }
                }
                _ => {}
            }
        }
    }
    if depth != 0 {
        return Err(format!("{depth} group(s) left open at the end"));
    }
    Ok(())
}

fn options(u: &mut Unstructured<'_>) -> arbitrary::Result<LatexOptions> {
    let mut options = LatexOptions {
        standalone: u.ratio(1, 4)?,
        toc: u.arbitrary()?,
        number_sections: u.arbitrary()?,
        ..LatexOptions::default()
    };
    if u.ratio(1, 4)? {
        options.highlight_style = None;
    }
    Ok(options)
}

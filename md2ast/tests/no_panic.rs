//! No input makes the reader panic or overflow the stack: random text built
//! from Markdown's special characters and fragments (a stable-toolchain
//! complement to the cargo-fuzz target in `fuzz/`), and deeply nested input.

use proptest::prelude::*;

const FRAGMENTS: &[&str] = &[
    "*",
    "**",
    "_",
    "__",
    "`",
    "```",
    "~~~",
    "~",
    "^",
    "[",
    "]",
    "(",
    ")",
    "{",
    "}",
    "![",
    "[^1]",
    "[^1]: note\n",
    "^[",
    "$",
    "$$",
    "\\",
    "\\textsc{",
    "\\begin{x}",
    "\\end{x}",
    "<",
    ">",
    "<div>",
    "</div>",
    "<span>",
    "<!--",
    "-->",
    "&amp;",
    "&#",
    "\"",
    "'",
    "--",
    "---",
    "...",
    "@",
    "[@a]",
    "@b",
    "- ",
    "* ",
    "1. ",
    "(a) ",
    "#. ",
    "> ",
    "# ",
    "## ",
    "| ",
    "|",
    ":",
    ": ",
    ":::",
    "::: x",
    "+---+",
    "|---|",
    "=",
    "\n",
    "\n\n",
    "    ",
    "  ",
    "\t",
    "a",
    "é",
    "«",
    "»",
    "\u{a0}",
    "{#id}",
    "{.c}",
    "{=latex}",
    "[x]: /u",
    "---\nk: v\n---\n",
    "\r\n",
    "x@y.z",
    "<http://a>",
];

fn markdown_like() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(FRAGMENTS), 0..80).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1500, ..ProptestConfig::default() })]

    #[test]
    fn random_markdown_never_panics(text in markdown_like()) {
        let _ = md2ast::read_markdown(&text, &md2ast::ReadOptions::default());
    }

    #[test]
    fn random_unicode_never_panics(text in "\\PC{0,200}") {
        let _ = md2ast::read_markdown(&text, &md2ast::ReadOptions::default());
    }
}

#[test]
fn deep_nesting_does_not_overflow() {
    let opts = md2ast::ReadOptions::default();
    for unit in [
        ">", "- ", "* ", "1. ", "[", "*", "_", "**", "^[", "<span>", "::: x\n", "<div>\n", "\"",
        "'", "~~", "> - ",
    ] {
        let text = unit.repeat(5000) + "x";
        let _ = md2ast::read_markdown(&text, &opts);
    }
    let lists: String = (0..1000)
        .map(|i| format!("{}- x\n", "  ".repeat(i)))
        .collect();
    let _ = md2ast::read_markdown(&lists, &opts);
}

/// Inputs the fuzzer found (crashes or hangs), kept so they stay fixed.
#[test]
fn fuzz_regressions_read() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-regressions");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).expect("fuzz-regressions folder") {
        let path = entry.expect("entry").path();
        let bytes = std::fs::read(&path).expect("read");
        let text = String::from_utf8_lossy(&bytes);
        let _ = md2ast::read_markdown(&text, &md2ast::ReadOptions::default());
        n += 1;
    }
    assert!(n > 0);
}

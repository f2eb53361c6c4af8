//! `--check` with positions and `--fix` on Markdown sources read by
//! `md2ast --sourcepos`: fixtures before and after (`fix/NAME.md`,
//! `fix/NAME[.VARIANT].fixed.md`, byte for byte), the compiler-style
//! messages (snapshots), and what `--fix` promises: the fixed sources give
//! the document the filters give on the original, a second `--fix` changes
//! nothing, a file changed since it was read is left alone.

use std::path::{Path, PathBuf};
use std::process::Output;

use ast_filters::FilterOptions;

mod common;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fix")
}

/// `md2ast --sourcepos` on files of `dir`, named as given (relative).
fn sourcepos_json(dir: &Path, names: &[&str]) -> Vec<u8> {
    let sources: Vec<md2ast::Source> = names
        .iter()
        .map(|n| md2ast::Source {
            path: PathBuf::from(n),
            text: std::fs::read_to_string(dir.join(n)).expect("read"),
        })
        .collect();
    let options = md2ast::ReadOptions {
        sourcepos: true,
        ..md2ast::ReadOptions::default()
    };
    let mut out = Vec::new();
    md2ast::write_json_from_sources(&sources, &options, &mut out).expect("md2ast");
    out
}

fn run_in(dir: &Path, args: &[&str], stdin: &[u8]) -> Output {
    common::run_in(dir, env!("CARGO_BIN_EXE_ast-filters"), args, stdin)
}

/// `md2ast FILES | ast-filters [-M ...]`: the document the pipeline makes.
fn pipeline(texts: &[(String, String)], metadata: &[(String, String)]) -> String {
    let sources: Vec<md2ast::Source> = texts
        .iter()
        .map(|(n, t)| md2ast::Source {
            path: n.into(),
            text: t.clone(),
        })
        .collect();
    let mut doc = md2ast::read_sources(&sources, &md2ast::ReadOptions::default()).expect("md2ast");
    let opts = FilterOptions {
        metadata: metadata.to_vec(),
        ..FilterOptions::default()
    };
    ast_filters::apply(&mut doc, &opts).expect("filters");
    ast::to_json_string(&doc)
}

fn metadata_of(args: &[&str]) -> Vec<(String, String)> {
    args.windows(2)
        .filter(|w| w[0] == "-M")
        .map(|w| {
            let (k, v) = w[1].split_once('=').expect("key=value");
            (k.to_string(), v.to_string())
        })
        .collect()
}

struct Fixed {
    before: Vec<(String, String)>,
    after: Vec<(String, String)>,
    check: String,
    fix_stderr: String,
}

/// Copies `names` (in `fixtures()/sub`) to a temporary folder, checks them
/// and fixes them there with `args`.
fn fix_copy(sub: &str, names: &[&str], args: &[&str]) -> Fixed {
    let tmp = tempfile::tempdir().expect("tempdir");
    let from = fixtures().join(sub);
    let mut before = Vec::new();
    for n in names {
        let text = std::fs::read_to_string(from.join(n)).expect("fixture");
        std::fs::write(tmp.path().join(n), &text).expect("copy");
        before.push((n.to_string(), text));
    }
    let json = sourcepos_json(tmp.path(), names);
    let mut check_args = vec!["--check"];
    check_args.extend(args.iter().filter(|a| !a.starts_with("--escaped")));
    let check = run_in(tmp.path(), &check_args, &json);
    let mut fix_args = vec!["--fix"];
    fix_args.extend(args);
    let fixed = run_in(tmp.path(), &fix_args, &json);
    assert!(
        fixed.status.code() == Some(0) || fixed.status.code() == Some(1),
        "{sub} {names:?}: {}",
        String::from_utf8_lossy(&fixed.stderr)
    );
    let after = names
        .iter()
        .map(|n| {
            let text = std::fs::read_to_string(tmp.path().join(n)).expect("fixed");
            (n.to_string(), text)
        })
        .collect();
    Fixed {
        before,
        after,
        check: String::from_utf8_lossy(&check.stderr).into_owned(),
        fix_stderr: String::from_utf8_lossy(&fixed.stderr).into_owned(),
    }
}

/// The expected file for `name` (`x.md` → `x[.variant].fixed.md`).
fn expected(sub: &str, name: &str, variant: &str) -> String {
    let stem = name.strip_suffix(".md").expect(".md");
    let dot = if variant.is_empty() { "" } else { "." };
    let path = fixtures()
        .join(sub)
        .join(format!("{stem}{dot}{variant}.fixed.md"));
    std::fs::read_to_string(&path).unwrap_or_else(|_| panic!("{}", path.display()))
}

/// The fixtures: folder, files, arguments, variant of the expected files.
const CASES: &[(&str, &[&str], &[&str], &str)] = &[
    ("", &["punctuation.md"], &[], ""),
    ("", &["guillemets.md"], &[], ""),
    ("", &["units.md"], &[], ""),
    ("", &["lines.md"], &[], ""),
    ("", &["markup.md"], &[], ""),
    ("", &["blocks.md"], &[], ""),
    ("", &["metadata.md"], &[], ""),
    ("", &["missing.md"], &[], ""),
    ("several", &["10_un.md", "20_deux.md"], &[], ""),
    (
        "",
        &["punctuation.md"],
        &[
            "-M",
            "typography.before-high=nbsp",
            "-M",
            "typography.before-colon=narrow",
        ],
        "options",
    ),
    (
        "",
        &["guillemets.md"],
        &["-M", "typography.in-guillemets=nbsp"],
        "nbsp",
    ),
    (
        "",
        &["guillemets.md"],
        &["-M", "typography.in-guillemets=none"],
        "none",
    ),
    ("", &["units.md"], &["--escaped-nbsp"], "escaped"),
    (
        "",
        &["missing.md"],
        &["-M", "typography.add-missing=false"],
        "not-added",
    ),
];

#[test]
fn fixes_give_the_expected_sources_byte_for_byte() {
    for &(sub, names, args, variant) in CASES {
        let fixed = fix_copy(sub, names, args);
        for (name, text) in &fixed.after {
            assert_eq!(
                text,
                &expected(sub, name, variant),
                "{sub}/{name} fixed with {args:?}\n{}",
                fixed.fix_stderr
            );
        }
    }
}

#[test]
fn fixed_sources_give_the_document_the_filters_give() {
    for &(sub, names, args, _) in CASES {
        let fixed = fix_copy(sub, names, args);
        let metadata = metadata_of(args);
        assert_eq!(
            pipeline(&fixed.after, &metadata),
            pipeline(&fixed.before, &metadata),
            "{sub} {names:?} {args:?}"
        );
    }
}

#[test]
fn a_second_fix_changes_nothing_and_check_is_then_clean() {
    for &(sub, names, args, variant) in CASES {
        let tmp = tempfile::tempdir().expect("tempdir");
        for n in names {
            std::fs::write(tmp.path().join(n), expected(sub, n, variant)).expect("copy");
        }
        let json = sourcepos_json(tmp.path(), names);
        let mut fix_args = vec!["--fix"];
        fix_args.extend(args);
        let o = run_in(tmp.path(), &fix_args, &json);
        for n in names.iter() {
            let now = std::fs::read_to_string(tmp.path().join(n)).expect("read");
            assert_eq!(now, expected(sub, n, variant), "{sub}/{n} {args:?}");
        }
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert!(
            !stderr
                .lines()
                .any(|l| l.ends_with(" fix") || l.ends_with(" fixes")),
            "{sub} {names:?}: {stderr}"
        );
        // What is left is what `--fix` says it cannot fix.
        let unfixed: Vec<&str> = stderr
            .lines()
            .filter_map(|l| l.split_once(" (not fixed: ").map(|(w, _)| w))
            .collect();
        if !args.contains(&"typography.add-missing=false") {
            let mut check_args = vec!["--check"];
            check_args.extend(args.iter().filter(|a| !a.starts_with("--escaped")));
            let o = run_in(tmp.path(), &check_args, &json);
            let check = String::from_utf8_lossy(&o.stderr);
            let warnings: Vec<&str> = check
                .lines()
                .filter(|l| l.contains(": warning: "))
                .collect();
            assert_eq!(warnings, unfixed, "{sub} {names:?}");
        }
    }
}

#[test]
fn check_messages_name_file_line_and_column() {
    for &(sub, names, args, variant) in CASES {
        let fixed = fix_copy(sub, names, args);
        let name = format!(
            "check-{}{}{}",
            if sub.is_empty() {
                names[0].trim_end_matches(".md")
            } else {
                sub
            },
            if variant.is_empty() { "" } else { "-" },
            variant
        );
        insta::assert_snapshot!(name, fixed.check);
    }
}

/// Every `file:line:col` of `--check` points at the space (or at the
/// character a space is missing before, or at the opening quote).
#[test]
fn check_positions_point_at_the_characters() {
    for &(sub, names, args, _) in CASES {
        let fixed = fix_copy(sub, names, args);
        for line in fixed.check.lines() {
            let Some((place, message)) = line.split_once(": warning: ") else {
                continue;
            };
            let mut parts = place.rsplitn(3, ':');
            let col: usize = parts.next().unwrap().parse().unwrap();
            let line_no: usize = parts.next().unwrap().parse().unwrap();
            let file = parts.next().unwrap();
            let text = &fixed.before.iter().find(|(n, _)| n == file).unwrap().1;
            let src_line = text.split('\n').nth(line_no - 1).unwrap();
            let c = src_line.chars().nth(col - 1).unwrap_or('\n');
            let ok = if message.starts_with("plain space") {
                c == ' ' || c == '\n'
            } else if message.starts_with("straight") {
                c == '"'
            } else if message.starts_with("missing space after") {
                // The space goes after the mark: the column is where it goes.
                let mark = message.split('"').nth(1).unwrap_or("");
                col > 1 && mark.starts_with(src_line.chars().nth(col - 2).unwrap())
            } else {
                let mark = message.split('"').nth(1).unwrap_or("");
                message.contains("number") || mark.starts_with(c)
            };
            assert!(ok, "{line}: {c:?} in {src_line:?}");
        }
    }
}

#[test]
fn diff_shows_the_fix_and_writes_nothing() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let from = fixtures().join("several");
    let names = ["10_un.md", "20_deux.md"];
    for n in names {
        std::fs::copy(from.join(n), tmp.path().join(n)).expect("copy");
    }
    let json = sourcepos_json(tmp.path(), &names);
    let o = run_in(tmp.path(), &["--fix", "--diff"], &json);
    assert_eq!(o.status.code(), Some(0));
    for n in names {
        assert_eq!(
            std::fs::read(tmp.path().join(n)).unwrap(),
            std::fs::read(from.join(n)).unwrap()
        );
    }
    insta::assert_snapshot!("diff-several", String::from_utf8(o.stdout).unwrap());
}

#[test]
fn a_file_changed_since_it_was_read_is_left_alone() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let from = fixtures().join("several");
    let names = ["10_un.md", "20_deux.md"];
    for n in names {
        std::fs::copy(from.join(n), tmp.path().join(n)).expect("copy");
    }
    let json = sourcepos_json(tmp.path(), &names);
    // Edited after md2ast read it: a line added at the top.
    let edited = format!(
        "Ajout.\n\n{}",
        std::fs::read_to_string(from.join(names[0])).unwrap()
    );
    std::fs::write(tmp.path().join(names[0]), &edited).unwrap();
    let o = run_in(tmp.path(), &["--fix"], &json);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("10_un.md: not fixed: the file changed since it was read"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_to_string(tmp.path().join(names[0])).unwrap(),
        edited
    );
    assert_eq!(
        std::fs::read_to_string(tmp.path().join(names[1])).unwrap(),
        expected("several", names[1], "")
    );
}

#[test]
fn fix_needs_positions_and_check_without_them_is_unchanged() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let text = std::fs::read_to_string(fixtures().join("punctuation.md")).unwrap();
    let doc = md2ast::read_markdown(&text, &md2ast::ReadOptions::default()).unwrap();
    let json = ast::to_json_string(&doc);
    let o = run_in(tmp.path(), &["--fix"], json.as_bytes());
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("md2ast --sourcepos"));
    let o = run_in(tmp.path(), &["--check"], json.as_bytes());
    assert_eq!(o.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.starts_with("ast-filters: problem: french-spacing: before the first heading: plain space before \":\""),
        "{stderr}"
    );
}

mod random_documents {
    use super::*;
    use proptest::prelude::*;

    /// Tokens of French prose: words, punctuation, guillemets and quotes,
    /// numbers and units, inline markup, and the exceptions of the rules.
    const TOKENS: &[&str] = &[
        "mot",
        "Le",
        "texte",
        "été",
        "l'école",
        "aujourd'hui",
        ":",
        ";",
        "!",
        "?",
        "?!",
        "!!",
        "«",
        "»",
        "«mot»",
        "\"cité\"",
        "\"là : oui\"",
        "'simple'",
        "10",
        "3,5",
        "km",
        "%",
        "€",
        "Mo",
        "10%",
        "5€",
        "mot:",
        "fin;",
        "quoi?",
        "10:30",
        "1:2",
        "C:\\",
        ":-)",
        ";)",
        "https://x.fr/a:b",
        "a@b.fr",
        "*mot*",
        "**gras**",
        "*deux mots*",
        "`code : x`",
        "$a : b$",
        "\\textsc{Nom}",
        "[lien](#x)",
        "[texte : là](#y)",
        "^[note : ici]",
        "[^n]",
        "--",
        "...",
        "\\:",
        "mot\u{a0}:",
        "x\u{202f}!",
        "«\u{202f}oui\u{202f}»",
    ];
    /// What joins two tokens: mostly a space, sometimes nothing, a line
    /// break, a no-break space, pandoc's escaped space.
    const JOINS: &[&str] = &[" ", " ", " ", " ", "", "\n", "\u{a0}", "\u{202f}", "\\ "];

    fn sentence() -> impl Strategy<Value = String> {
        prop::collection::vec(
            (prop::sample::select(JOINS), prop::sample::select(TOKENS)),
            1..14,
        )
        .prop_map(|parts| {
            let mut out = String::from("Mot");
            for (join, token) in parts {
                out.push_str(join);
                out.push_str(token);
            }
            out
        })
    }

    /// A block: a paragraph, a heading, a list, a block quote, a table, a
    /// note's definition.
    fn block() -> impl Strategy<Value = String> {
        (0..7usize, sentence(), sentence()).prop_map(|(kind, a, b)| {
            let line = |s: &str| s.replace('\n', " ");
            match kind {
                0 | 1 => a,
                2 => format!("# {}", line(&a)),
                3 => format!("- {}\n- {}", line(&a), line(&b)),
                4 => format!("> {}", line(&a)),
                5 => format!(
                    "| {} | {} |\n|---|---|\n| {} | x |",
                    line(&a).replace('|', ""),
                    "b",
                    line(&b).replace('|', "")
                ),
                _ => format!("[^n]: {}", line(&a)),
            }
        })
    }

    fn fixed_pipeline(text: &str, add_missing: bool) -> (String, String, String, usize) {
        let tmp = tempfile::tempdir().expect("tempdir");
        let path = tmp.path().join("doc.md");
        std::fs::write(&path, text).expect("write");
        let metadata = vec![(
            "typography.add-missing".to_string(),
            add_missing.to_string(),
        )];
        let fix_once = || {
            let source = md2ast::Source {
                path: path.clone(),
                text: std::fs::read_to_string(&path).expect("read"),
            };
            let options = md2ast::ReadOptions {
                sourcepos: true,
                ..md2ast::ReadOptions::default()
            };
            let mut doc = md2ast::read_sources(&[source], &options).expect("md2ast");
            let opts = FilterOptions {
                metadata: metadata.clone(),
                ..FilterOptions::default()
            };
            let (_, spots) = ast_filters::locate_problems(&mut doc, &opts).expect("locate");
            let fix_opts = ast_filters::FixOptions {
                add_missing,
                ..ast_filters::FixOptions::default()
            };
            let outcome = ast_filters::fix_sources(&spots, &fix_opts).expect("fix");
            // Every problem is placed, and placed right (a wrong place
            // does not hold what it should: "the file changed").
            for m in &outcome.messages {
                assert!(
                    !m.contains("no source position") && !m.contains("changed since"),
                    "{m} in {:?}",
                    std::fs::read_to_string(&path).expect("read")
                );
            }
            (
                outcome.problems,
                std::fs::read_to_string(&path).expect("read"),
            )
        };
        let (problems, once) = fix_once();
        let (_, twice) = fix_once();
        let original = pipeline(&[("doc.md".into(), text.to_string())], &metadata);
        let fixed = pipeline(&[("doc.md".into(), once.clone())], &metadata);
        assert_eq!(once, twice, "a second --fix changed {once:?}");
        (original, fixed, once, problems)
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

        /// Fixing the source and fixing the output agree; a second fix
        /// changes nothing.
        #[test]
        fn fixing_the_source_gives_the_filtered_document(
            blocks in prop::collection::vec(block(), 1..6),
            add_missing in any::<bool>(),
        ) {
            let text = blocks.join("\n\n") + "\n";
            let (original, fixed, once, problems) = fixed_pipeline(&text, add_missing);
            // A space `--fix` says it cannot fix (markup between the words)
            // is the only way the two may differ.
            if problems == 0 {
                prop_assert_eq!(fixed, original, "source {:?} fixed as {:?}", text, once);
            }
        }
    }
}

/// `make check` and `make fix` on a copy of `content/` whose spaces are
/// broken on purpose (their commands, run from the copy's parent with the
/// files named `content/NAME.md` as make names them): the messages point
/// at exactly the broken characters, and the fix gives back the files as
/// they were.
#[test]
fn broken_spaces_in_content_are_found_at_their_characters_and_repaired() {
    let content = Path::new(env!("CARGO_MANIFEST_DIR")).join("../content");
    let mut names: Vec<String> = std::fs::read_dir(&content)
        .expect("content")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".md"))
        .map(|n| format!("content/{n}"))
        .collect();
    names.sort();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let tmp = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(tmp.path().join("content")).expect("mkdir");
    for n in &names {
        let file = n.strip_prefix("content/").expect("content/");
        std::fs::copy(content.join(file), tmp.path().join(n)).expect("copy");
    }
    // First the typography the filters want, in the sources.
    let o = run_in(tmp.path(), &["--fix"], &sourcepos_json(tmp.path(), &names));
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let o = run_in(
        tmp.path(),
        &["--check"],
        &sourcepos_json(tmp.path(), &names),
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let clean: Vec<String> = names
        .iter()
        .map(|n| std::fs::read_to_string(tmp.path().join(n)).expect("read"))
        .collect();
    // Then every seventh no-break space of each file made an ordinary one
    // again, its place noted.
    let mut broken = Vec::new();
    for (n, text) in names.iter().zip(&clean) {
        let mut out = String::with_capacity(text.len());
        let mut seen = 0;
        for (line_no, line) in text.split_inclusive('\n').enumerate() {
            for (col, c) in line.chars().enumerate() {
                if c == '\u{a0}' || c == '\u{202f}' {
                    seen += 1;
                    if seen % 7 == 1 {
                        broken.push(format!("{n}:{}:{}", line_no + 1, col + 1));
                        out.push(' ');
                        continue;
                    }
                }
                out.push(c);
            }
        }
        std::fs::write(tmp.path().join(n), out).expect("break");
    }
    assert!(broken.len() > 40, "{} spaces broken", broken.len());
    assert!(broken.iter().all(|b| b.starts_with("content/")));
    let o = run_in(
        tmp.path(),
        &["--check"],
        &sourcepos_json(tmp.path(), &names),
    );
    assert_eq!(o.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&o.stderr);
    let mut reported: Vec<String> = stderr
        .lines()
        .filter_map(|l| {
            l.split_once(": warning: ")
                .map(|(place, _)| place.to_string())
        })
        .collect();
    let key = |p: &String| {
        let mut it = p.rsplitn(3, ':');
        let col: usize = it.next().unwrap().parse().unwrap();
        let line: usize = it.next().unwrap().parse().unwrap();
        (it.next().unwrap().to_string(), line, col)
    };
    reported.sort_by_key(key);
    broken.sort_by_key(key);
    assert_eq!(reported, broken, "{stderr}");
    let o = run_in(tmp.path(), &["--fix"], &sourcepos_json(tmp.path(), &names));
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    for (n, text) in names.iter().zip(&clean) {
        assert_eq!(
            &std::fs::read_to_string(tmp.path().join(n)).unwrap(),
            text,
            "{n}"
        );
    }
}

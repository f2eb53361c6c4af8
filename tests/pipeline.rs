//! The pipeline as `make` runs it, on the showcase document in content/, and
//! the behaviour every binary shares on bad input.

use std::collections::BTreeSet;

use e2e::{bin, content_files, have, root, run, run_ok};

/// `md2ast content/*.md | ast-filters FORMAT`, the JSON both writers read.
fn content_json(format: &str) -> Vec<u8> {
    let files = content_files();
    let args: Vec<&str> = files.iter().map(String::as_str).collect();
    let json = run_ok("md2ast", &args, b"");
    run_ok("ast-filters", &[format], &json)
}

/// The values of `attr="..."` in `html`.
fn attribute_values(html: &str, attr: &str) -> Vec<String> {
    let needle = format!(" {attr}=\"");
    html.match_indices(&needle)
        .map(|(i, _)| {
            let rest = &html[i + needle.len()..];
            rest[..rest.find('"').unwrap_or(0)].to_string()
        })
        .collect()
}

/// `html` without its `<code>...</code>` elements (the document shows TeX
/// commands in code, which stay as they are).
fn outside_code(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(start) = rest.find("<code") {
        out.push_str(&rest[..start]);
        rest = match rest[start..].find("</code>") {
            Some(end) => &rest[start + end + "</code>".len()..],
            None => "",
        };
    }
    out.push_str(rest);
    out
}

#[test]
fn content_to_html() {
    let json = content_json("html");
    let html = run_ok(
        "ast2html",
        &[
            "--toc",
            "--number-sections",
            "--embed-resources",
            "--resource-path",
            "content",
        ],
        &json,
    );
    let html = String::from_utf8(html).expect("HTML is UTF-8");
    assert!(html.starts_with("<!DOCTYPE html>"), "a standalone page");
    assert!(
        html.contains("<html") && html.contains("lang=\"fr"),
        "the document's language"
    );

    // Every internal link resolves.
    let ids: BTreeSet<String> = attribute_values(&html, "id").into_iter().collect();
    let mut links = 0;
    for href in attribute_values(&html, "href") {
        if let Some(target) = href.strip_prefix('#') {
            links += 1;
            assert!(ids.contains(target), "link to #{target} has no target");
        }
    }
    assert!(
        links >= 10,
        "the document links to its sections ({links} links)"
    );

    // The filters did their work and nothing was dropped.
    assert!(
        html.contains("class=\"smallcaps\""),
        "\\textsc became small caps"
    );
    let text = outside_code(&html);
    assert!(
        !text.contains("\\textsc") && !text.contains("\\newpage"),
        "no raw TeX left in the HTML outside code"
    );
    assert!(html.contains("\u{a0}:"), "no-break space before colons");
    assert!(
        html.contains("«\u{202f}") && html.contains("\u{202f}»"),
        "narrow spaces in guillemets"
    );
    assert!(
        !text.contains(" : "),
        "no plain space before a colon in the text (code and emoticons aside)"
    );
    assert!(
        html.contains("break-after: page") || html.contains("class=\"pagebreak\""),
        "page breaks kept"
    );
    assert!(html.contains("<figure"), "figures");
    // The author's raw `sidewaysfigure` block (content/40_filtres.md), read
    // by raw-tex: a figure with its caption and its paragraph.
    let raw_figure = html
        .find("<figure class=\"sideways\">")
        .map(|i| &html[i..i + html[i..].find("</figure>").unwrap_or(0)])
        .expect("the raw sidewaysfigure block as a figure");
    assert!(
        raw_figure.contains("Schéma de la chaîne, écrit en LaTeX</figcaption>")
            && raw_figure.contains("chaîne\nde publication\u{a0}:</p>")
            && raw_figure.contains("<img "),
        "the raw figure's caption, paragraph and image: {raw_figure:.300}"
    );
    assert!(
        html.contains("src=\"data:image/png;base64,"),
        "images embedded"
    );
    assert!(html.contains("<table"), "tables");
}

#[test]
fn content_to_latex() {
    let json = content_json("latex");
    let tex =
        String::from_utf8(run_ok("ast2latex", &["--toc", "--number-sections"], &json)).unwrap();
    assert!(tex.contains("\\begin{document}") && tex.contains("\\end{document}"));
    assert!(tex.contains("\\textsc{"), "small caps");
    assert!(tex.contains("\\tableofcontents"));
    assert!(tex.contains("sidewaysfigure"), "the sideways figure");
    // Every internal link has its target.
    let targets: BTreeSet<&str> = tex
        .match_indices("\\hypertarget{")
        .chain(tex.match_indices("\\label{"))
        .map(|(i, m)| {
            let rest = &tex[i + m.len()..];
            &rest[..rest.find('}').unwrap_or(0)]
        })
        .collect();
    let mut links = 0;
    for (i, m) in tex
        .match_indices("\\hyperlink{")
        .chain(tex.match_indices("\\hyperref["))
    {
        let rest = &tex[i + m.len()..];
        let end = rest.find(['}', ']']).unwrap_or(0);
        links += 1;
        assert!(
            targets.contains(&rest[..end]),
            "link to {} has no target",
            &rest[..end]
        );
    }
    assert!(
        links >= 10,
        "the document links to its sections ({links} links)"
    );
}

/// Read with positions (`md2ast --sourcepos`, as `make check` reads it),
/// the document gives the same pages, byte for byte: the filters and the
/// writers see through the positions (no element for a wrapper, no
/// `data-pos` on a heading, a table or a code block).
#[test]
fn content_read_with_positions_gives_the_same_pages() {
    let files = content_files();
    let mut args: Vec<&str> = files.iter().map(String::as_str).collect();
    let plain = run_ok("md2ast", &args, b"");
    args.insert(0, "--sourcepos");
    let positioned = run_ok("md2ast", &args, b"");
    for format in ["html", "latex"] {
        let plain = run_ok("ast-filters", &[format], &plain);
        let positioned = run_ok("ast-filters", &[format], &positioned);
        if format == "html" {
            let page =
                |json: &[u8]| String::from_utf8(run_ok("ast2html", &["--toc"], json)).unwrap();
            let (plain, positioned) = (page(&plain), page(&positioned));
            assert!(
                !positioned.contains("data-pos") && !positioned.contains("data-wrapper"),
                "no position in the page"
            );
            assert!(positioned == plain, "the same page");
        } else {
            let tex = |json: &[u8]| run_ok("ast2latex", &["--toc"], json);
            assert!(tex(&positioned) == tex(&plain), "the same LaTeX");
        }
    }
    // Straight into the writers, without ast-filters, too.
    let page = |json: &[u8]| String::from_utf8(run_ok("ast2html", &[], json)).unwrap();
    assert!(page(&positioned) == page(&plain));
    let tex = |json: &[u8]| run_ok("ast2latex", &[], json);
    assert!(tex(&positioned) == tex(&plain));
}

#[test]
fn content_to_pdf() {
    if !have("pdftotext") {
        panic!("poppler-utils is needed for the PDF checks: run `make setup` first");
    }
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("dossier.pdf");
    let json = content_json("latex");
    run_ok(
        "ast2latex",
        &[
            "--toc",
            "--number-sections",
            "--quiet",
            "--resource-path",
            "content",
            "--pdf",
            pdf.to_str().unwrap(),
        ],
        &json,
    );
    let info = std::process::Command::new("pdfinfo")
        .arg(&pdf)
        .output()
        .unwrap();
    let info = String::from_utf8_lossy(&info.stdout);
    let pages: usize = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("pdfinfo gives the page count");
    assert!(pages >= 15, "at least 15 pages, got {pages}");
    let text = std::process::Command::new("pdftotext")
        .arg(&pdf)
        .arg("-")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    let title = std::fs::read_to_string(root().join("content/00_metadata.md")).unwrap();
    let title = title
        .lines()
        .find_map(|l| l.strip_prefix("title:"))
        .unwrap()
        .trim()
        .trim_matches('"')
        .to_string();
    assert!(
        text.contains(title.split_whitespace().next().unwrap()),
        "the title is in the PDF"
    );
    let fonts = std::process::Command::new("pdffonts")
        .arg(&pdf)
        .output()
        .unwrap();
    let fonts = String::from_utf8_lossy(&fonts.stdout);
    for line in fonts.lines().skip(2) {
        let cols: Vec<&str> = line.split_whitespace().collect();
        // name type [encoding...] emb sub uni object ID: emb is 5th from the end.
        assert_eq!(cols[cols.len() - 5], "yes", "font not embedded: {line}");
    }
}

#[test]
fn missing_input_file_is_66_and_named() {
    let out = run("md2ast", &["content/no-such-chapter.md"], b"");
    assert_eq!(out.status.code(), Some(66));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no-such-chapter.md"), "{err}");
}

#[test]
fn malformed_json_is_65_with_line_and_column_in_every_stage() {
    let bad =
        b"{\"pandoc-api-version\":[1,23,1],\"meta\":{},\n\"blocks\":[{\"t\":\"Para\",\"c\":[}]}";
    for stage in ["ast-filters", "ast2html", "ast2latex"] {
        let out = run(stage, &[], bad);
        assert_eq!(out.status.code(), Some(65), "{stage}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.starts_with(&format!("{stage}: ")),
            "{stage} names itself: {err}"
        );
        assert!(err.contains(":2:"), "{stage} says where (line 2): {err}");
        assert!(out.stdout.is_empty(), "{stage} wrote nothing");
    }
}

#[test]
fn usage_errors_are_2_in_every_binary() {
    for stage in ["md2ast", "ast-filters", "ast2html", "ast2latex"] {
        let out = run(stage, &["--no-such-option"], b"");
        assert_eq!(out.status.code(), Some(2), "{stage}");
    }
}

#[test]
fn a_failed_build_keeps_the_previous_output() {
    for (stage, name) in [("ast2html", "out.html"), ("ast2latex", "out.tex")] {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join(name);
        std::fs::write(&target, "good").unwrap();
        let out = run(stage, &["-o", target.to_str().unwrap()], b"{not json");
        assert_eq!(out.status.code(), Some(65));
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "good", "{stage}");
        let leftovers = std::fs::read_dir(dir.path()).unwrap().count();
        assert_eq!(leftovers, 1, "{stage} left no temporary file");
    }
}

#[test]
fn a_closed_pipe_ends_quietly() {
    use std::process::{Command, Stdio};
    // A document large enough not to fit in the pipe's buffer.
    let md = "Un paragraphe de texte : assez long pour remplir le tuyau.\n\n".repeat(20_000);
    let mut child = Command::new(bin("md2ast"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        use std::io::Write;
        let _ = stdin.write_all(md.as_bytes());
    });
    // Read a little, then close our end, as `| head -c 100` does.
    let mut stdout = child.stdout.take().unwrap();
    let mut buf = [0u8; 100];
    use std::io::Read;
    stdout.read_exact(&mut buf).unwrap();
    drop(stdout);
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        !String::from_utf8_lossy(&out.stderr).contains("internal error"),
        "no panic"
    );
}

/// `-o /dev/null` or `-o fifo` writes in place: renaming a temporary file over
/// a device or a pipe would replace it with a regular file (it once replaced
/// this machine's /dev/null). Checked on a FIFO of our own.
#[test]
fn output_to_a_pipe_or_device_is_written_in_place() {
    use std::os::unix::fs::FileTypeExt;
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("fifo");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let json = run_ok("md2ast", &[], b"Bonjour : le monde.\n");
    for stage in ["md2ast", "ast2html", "ast2latex"] {
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || std::fs::read(fifo).unwrap())
        };
        let input: &[u8] = if stage == "md2ast" {
            b"Bonjour.\n"
        } else {
            &json
        };
        run_ok(stage, &["-o", fifo.to_str().unwrap()], input);
        let got = reader.join().unwrap();
        assert!(!got.is_empty(), "{stage} wrote into the pipe");
        let kind = std::fs::metadata(&fifo).unwrap().file_type();
        assert!(
            kind.is_fifo(),
            "{stage} replaced the pipe with a regular file"
        );
    }
}

//! Every JSON fixture of the repository (md2ast's, the filters', the
//! writers', the canonical document, the ast crate's documents) compiles
//! through `ast2latex --pdf`, its images replaced by stand-ins (a PNG, a
//! JPEG, a one-page PDF after the extension). A compile costs seconds, so
//! fixtures are compiled together: their blocks a batch at a time as one
//! document, and their metadata (title block, abstract...) as documents of
//! metadata alone, merged while no key is given twice (metadata with
//! `header-includes` keeps its blocks: they may need it). A document that
//! fails is split until the failing fixtures are found, each then named with
//! TeX's error. Only a fixture whose raw LaTeX cannot compile as written
//! (a package the bundle lacks, a command defined nowhere) may fail, listed
//! below with why; the writer bugs the test found are listed apart, pending.
//!
//! Needs the embedded TeX bundle, as the other PDF tests.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Fixtures that cannot compile as they are written: raw LaTeX that needs a
/// package the bundle lacks or a command nothing defines, or a file that is
/// not there. The fixture (from the repository's root) and why. They must
/// still fail.
const FAIL_AS_WRITTEN: &[(&str, &str)] = &[
    (
        "md2ast/tests/fixtures/raw_tex/indented-continuation-lines.json",
        "\\usepackage after \\begin{document}",
    ),
    (
        "md2ast/tests/fixtures/tex_math_dollars/text-group-holds-dollars.json",
        "a `$` inside \\text{...} in math: pandoc reads it whole, TeX does not",
    ),
    (
        "md2ast/tests/fixtures/raw_tex/context-environments.json",
        "ConTeXt's \\start...\\stop environments: not LaTeX",
    ),
    (
        "md2ast/tests/fixtures/raw_tex/known-command-without-arguments-is-text.json",
        "\\caption outside a float (pandoc reads `\\caption.` as a raw block)",
    ),
    (
        "md2ast/tests/fixtures/raw_tex/endinput-takes-the-rest.json",
        "\\endinput in the body: the document never ends",
    ),
    (
        "md2ast/tests/fixtures/raw_tex/line-end-after-optional-argument.json",
        "\\g, \\hx and \\kx: defined nowhere",
    ),
    (
        "md2ast/tests/fixtures/raw_tex/char-and-name-commands.json",
        "\\bar and \\sim: math only; \\hyp and \\adddot: packages not loaded",
    ),
    (
        "md2ast/tests/fixtures/raw_tex/macro-parameter-in-unknown-command.json",
        "\\x and \\foo: defined nowhere; a macro parameter outside a definition",
    ),
    (
        "md2ast/tests/fixtures/raw_tex/command-arguments-over-lines.json",
        "\\foo: defined nowhere; \\titleformat without titlesec",
    ),
    (
        "md2ast/tests/fixtures/raw_tex/beamer-overlays-and-write.json",
        "\\only and \\alert: beamer's, not the article class's",
    ),
    (
        "md2ast/tests/fixtures/raw_tex/known-command-reads-its-arguments-only.json",
        "\\gls and \\RN: glossaries and biblatex are not loaded",
    ),
    (
        "md2ast/tests/fixtures/raw_tex/block-commands-in-text.json",
        "\\usepackage after \\begin{document}, \\input of a missing file",
    ),
    (
        "md2ast/tests/fixtures/raw_tex/indented-block-commands.json",
        "\\foo: defined nowhere; a raw \\item outside a list",
    ),
    (
        "md2ast/tests/fixtures/raw_tex/definitions-read-as-pandoc-reads-them.json",
        "\\DeclareMathOperator: preamble only",
    ),
    (
        "md2ast/tests/fixtures/raw_tex/empty-environment-name.json",
        "\\begin{}: an environment with no name",
    ),
    (
        "md2ast/tests/fixtures/raw_tex/documentclass-takes-the-rest.json",
        "\\documentclass in the document's body",
    ),
    (
        "md2ast/tests/fixtures/raw_tex/document-environment-takes-the-rest.json",
        "\\begin{document} inside the document",
    ),
    (
        "md2ast/tests/fixtures/latex_macros/argument-after-control-word.json",
        "\\alpha in raw TeX outside math, as the fixture's text has it",
    ),
    (
        "md2ast/tests/fixtures/latex_macros/definition-body-one-token.json",
        "\\encadre: defined nowhere",
    ),
    (
        "md2ast/tests/fixtures/latex_macros/xspace-kept-when-latex-macros-off.json",
        "\\xspace: the xspace package is not loaded",
    ),
    (
        "md2ast/tests/fixtures/raw_tex/csquotes-blockquote-and-citetext.json",
        "\\blockquote and \\citetext: csquotes and natbib are not loaded",
    ),
    (
        "md2ast/tests/fixtures/raw_tex/environment-inside-unknown-command.json",
        "\\encadre and \\foo: defined nowhere",
    ),
    (
        "md2ast/tests/fixtures/raw_tex/optional-argument-over-lines-alone.json",
        "\\foo and \\macro: defined nowhere",
    ),
    (
        "md2ast/tests/fixtures/differential/fz2-block-heading-tex-command-braces.json",
        "\\macro: defined nowhere, with a macro parameter in a heading's raw TeX",
    ),
    (
        "md2ast/tests/fixtures/differential/fz2-inline-note-macros-defined-in-note.json",
        "\\siecle: defined inside a footnote, used outside it",
    ),
    (
        "md2ast/tests/fixtures/differential/fz2-inline-tex-hashes.json",
        "\\e: defined nowhere",
    ),
    (
        "md2ast/tests/fixtures/differential/fz2-inline-tex-overlay-spec.json",
        "beamer overlays and \\only: beamer's, not the article class's",
    ),
    (
        "md2ast/tests/fixtures/differential/block-raw-tex-starred-or-dimension-argument.json",
        "\\X and \\n: commands defined nowhere (a fuzzer's input)",
    ),
    (
        "ast-filters/tests/fixtures/chain/chain-with-add-missing.json",
        "\\og/\\fg: babel's french (the template loads polyglossia)",
    ),
    (
        "ast-filters/tests/fixtures/raw-tex/og-fg-english-lang.json",
        "\\og/\\fg: babel's french",
    ),
    (
        "ast-filters/tests/fixtures/raw-tex/og-fg-guillemets.json",
        "\\og/\\fg: babel's french",
    ),
    (
        "ast-filters/tests/fixtures/raw-tex-blocks/french-spaces-and-guillemets.json",
        "\\og/\\fg: babel's french",
    ),
    (
        "ast-filters/tests/fixtures/french-spacing/raw-tex-inline-untouched.json",
        "\\foo: defined nowhere",
    ),
    (
        "ast-filters/tests/fixtures/raw-tex-blocks/unknown-command-warns.json",
        "\\foo: defined nowhere",
    ),
    (
        "ast-filters/tests/fixtures/raw-tex/unknown-command-kept.json",
        "\\foo: defined nowhere",
    ),
    (
        "ast-filters/tests/fixtures/smallcaps/other-raw-tex-untouched.json",
        "\\foo: defined nowhere",
    ),
    (
        "md2ast/tests/fixtures/raw-tex-inline-textsc.json",
        "\\foo: defined nowhere",
    ),
    (
        "md2ast/tests/fixtures/raw_tex/unknown-command-block.json",
        "\\maCommande: defined nowhere",
    ),
    (
        "md2ast/tests/fixtures/all_symbols_escapable/backslash-before-letter.json",
        "\\a, \\é: not commands",
    ),
    (
        "md2ast/tests/fixtures/backslash-edge-cases.json",
        "\\é: not a command",
    ),
    (
        "md2ast/tests/fixtures/latex_macros/use-before-definition.json",
        "a macro used before its \\newcommand",
    ),
    (
        "md2ast/tests/fixtures/latex_macros/disabled-keeps-definitions-and-uses.json",
        "\\R (\\mathbb) used outside math",
    ),
    (
        "md2ast/tests/fixtures/raw_tex/disabled-macros-still-in-math.json",
        "\\R, \\vect: defined nowhere (macros disabled)",
    ),
    (
        "ast2html/tests/fixtures/math-converted.json",
        "\\vect: defined nowhere (on purpose: a formula no converter knows)",
    ),
    (
        "md2ast/tests/fixtures/raw_tex/accent-commands-take-a-token.json",
        "\\h, \\G, \\f, \\U: accents pandoc's LaTeX reader knows (tipa's), defined nowhere here",
    ),
    (
        "md2ast/tests/fixtures/raw_tex/command-dimension-argument.json",
        "\\foo: defined nowhere",
    ),
    (
        "md2ast/tests/fixtures/raw_tex/command-star-and-options-spacing.json",
        "\\foo: defined nowhere",
    ),
    (
        "md2ast/tests/fixtures/raw_tex/commands-inline-or-block-as-pandoc-knows-them.json",
        "\\si, \\gls, \\ac...: packages the document does not load",
    ),
    (
        "md2ast/tests/fixtures/raw_tex/paragraph-stops-before-block-command.json",
        "a raw \\item outside any list, as written",
    ),
    (
        "md2ast/tests/fixtures/raw_tex/known-commands-arguments.json",
        "\\og: babel's french (the template loads polyglossia)",
    ),
    (
        "md2ast/tests/fixtures/raw_tex/block-command-then-text.json",
        "a raw \\item outside any list (pandoc's LaTeX stops on it too)",
    ),
    (
        "md2ast/tests/fixtures/latex_macros/disabled-with-parameters-and-text.json",
        "\\R (\\mathbb) used outside math",
    ),
    (
        "md2ast/tests/fixtures/raw_tex/accent-takes-next-token.json",
        "\\u\\alpha, \\r_: math commands outside math, as written",
    ),
    (
        "md2ast/tests/fixtures/link_attributes/reference-then-attributes-merged.json",
        "an image at /i, which is not there",
    ),
];

/// LaTeX-writer (or bundle) bugs found by this test, not fixed yet (see
/// /work/helpers/latex-findings.md): they must still fail; remove a line
/// when its fixture compiles.
const PENDING_WRITER_BUGS: &[(&str, &str)] = &[];

/// The folders whose JSON files are documents.
const FIXTURE_DIRS: &[&str] = &[
    "md2ast/tests/fixtures",
    "ast-filters/tests/fixtures",
    "ast2html/tests/fixtures",
    "ast2latex/tests/fixtures",
    "tests/fixtures/canonical",
    "ast/tests/fixtures/json",
];

/// Fixtures' blocks per document: few compiles when all pass, short
/// bisections when not.
const BATCH: usize = 160;

/// What one compile tests of a fixture: its blocks, its metadata, or both.
struct Unit {
    fixture: PathBuf,
    meta: ast::Meta,
    blocks: Vec<ast::Block>,
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn json_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            json_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
}

fn relative(path: &Path) -> String {
    path.strip_prefix(root())
        .unwrap_or(path)
        .display()
        .to_string()
}

/// The images a document names (its `Image` targets), in order.
fn images(doc: &ast::Pandoc) -> Vec<String> {
    let mut found = Vec::new();
    ast::query_inlines(doc, |il| {
        if let ast::Inline::Image(_, _, target) = il {
            found.push(target.url.clone());
        }
    });
    found
}

/// `%XX` escapes decoded (as a URL's path is), when they make UTF-8.
fn percent_decoded(url: &str) -> Option<String> {
    let bytes = url.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(std::str::from_utf8(&bytes[i + 1..i + 3]).ok()?, 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).ok()
}

/// Pages of the stand-in PDF: enough for the `page=` attributes of the
/// fixtures (a page beyond a PDF's last is an error of TeX's).
const STAND_IN_PAGES: usize = 4;

/// A PDF of [`STAND_IN_PAGES`] pages, each with its own content stream,
/// its lengths and cross-reference offsets counted (xdvipdfmx refuses a
/// page past the first whose stream length is wrong).
fn stand_in_pdf() -> Vec<u8> {
    let content = "0.5 g 10 10 180 80 re f";
    let kids: Vec<String> = (0..STAND_IN_PAGES)
        .map(|i| format!("{} 0 R", 3 + 2 * i))
        .collect();
    let mut objects = vec![
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        format!(
            "<< /Type /Pages /Kids [{}] /Count {STAND_IN_PAGES} >>",
            kids.join(" ")
        ),
    ];
    for i in 0..STAND_IN_PAGES {
        objects.push(format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] /Contents {} 0 R /Resources << >> >>",
            4 + 2 * i
        ));
        objects.push(format!(
            "<< /Length {} >>\nstream\n{content}\nendstream",
            content.len()
        ));
    }
    let mut pdf = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend_from_slice(format!("{} 0 obj\n{body}\nendobj\n", i + 1).as_bytes());
    }
    let xref = pdf.len();
    pdf.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for offset in offsets {
        pdf.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    pdf.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    pdf
}

/// Stand-ins for the local images, in `dir`, by extension; other files
/// (a film, a sound) are left absent, for the writer to deal with.
fn make_stand_ins(dir: &Path, urls: &[String]) {
    let png = std::fs::read(root().join("tests/fixtures/canonical/media/schema.png")).unwrap();
    let jpeg = std::fs::read(root().join("content/media/espaces.jpg")).unwrap();
    let pdf = stand_in_pdf();
    for url in urls {
        if url.contains("://") || url.starts_with('/') || url.starts_with("data:") || url.is_empty()
        {
            continue;
        }
        let extension = url.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
        let bytes = match extension.as_str() {
            "png" => &png,
            "jpg" | "jpeg" => &jpeg,
            "pdf" => &pdf,
            _ => continue,
        };
        for name in [Some(url.clone()), percent_decoded(url)]
            .into_iter()
            .flatten()
        {
            let path = dir.join(name.trim_start_matches("./"));
            if path
                .parent()
                .is_some_and(|p| std::fs::create_dir_all(p).is_ok())
            {
                let _ = std::fs::write(&path, bytes);
            }
        }
    }
}

/// The document of the units: their metadata merged, their blocks in order,
/// each unit's after a LaTeX comment naming it (`% unit N`), so that an
/// error's line in the generated LaTeX names its unit.
fn document(units: &[&Unit]) -> ast::Pandoc {
    let mut meta = ast::Meta::new();
    let mut blocks = Vec::new();
    for (i, unit) in units.iter().enumerate() {
        for (key, value) in unit.meta.iter() {
            meta.insert(key.clone(), value.clone());
        }
        blocks.push(ast::Block::RawBlock(
            ast::Format("latex".into()),
            format!("% unit {i}"),
        ));
        blocks.extend(unit.blocks.iter().cloned());
    }
    // A page, when the units are metadata alone that makes none.
    blocks.push(ast::Block::Para(vec![ast::Inline::Str("Fin.".into())]));
    ast::Pandoc::new(meta, blocks)
}

fn ast2latex(work: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_ast2latex"))
        .arg(work.join("batch.json"))
        .args(args)
        .arg("--resource-path")
        .arg(work.join("res"))
        .arg("--quiet")
        .output()
        .expect("runs ast2latex")
}

/// Compiles the units as one document; TeX's error (the binary's stderr)
/// when it fails.
fn compile(units: &[&Unit], work: &Path) -> Result<(), String> {
    std::fs::write(
        work.join("batch.json"),
        ast::to_json_string(&document(units)),
    )
    .unwrap();
    let cache = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("ast2latex-format-cache");
    let pdf = work.join("batch.pdf");
    let output = ast2latex(
        work,
        &[
            "--pdf",
            pdf.to_str().unwrap(),
            "--cache-dir",
            cache.to_str().unwrap(),
        ],
    );
    if output.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&output.stderr).into_owned())
    }
}

/// The unit an error names: by the line of the generated LaTeX it gives
/// (the last `% unit N` before it), or by an image of the unit it names.
fn culprit(error: &str, units: &[&Unit], work: &Path) -> Option<usize> {
    let line = error
        .split("generated LaTeX:")
        .nth(1)
        .and_then(|rest| rest.split(':').next())
        .and_then(|n| n.trim().parse::<usize>().ok());
    if let Some(line) = line {
        let latex = ast2latex(work, &["-o", work.join("batch.tex").to_str().unwrap()]);
        if latex.status.success() {
            let text = std::fs::read_to_string(work.join("batch.tex")).unwrap();
            return text
                .lines()
                .take(line)
                .filter_map(|l| l.strip_prefix("% unit "))
                .filter_map(|n| n.trim().parse().ok())
                .last();
        }
    }
    units.iter().position(|unit| {
        images(&ast::Pandoc::new(ast::Meta::new(), unit.blocks.clone()))
            .iter()
            .any(|url| !url.is_empty() && error.contains(url.trim_start_matches("./")))
    })
}

/// The units of a failing document that fail, with their errors: each named
/// by its error when it can be, else found by halving.
fn failing(units: &[&Unit], work: &Path, out: &mut Vec<(String, String)>) {
    let mut units = units.to_vec();
    loop {
        let Err(error) = compile(&units, work) else {
            return;
        };
        if units.len() == 1 {
            eprintln!("{}: {}", relative(&units[0].fixture), error.trim());
            out.push((relative(&units[0].fixture), error));
            return;
        }
        // The unit the error names, if it fails alone too (an earlier
        // unit's open group can fail a later one).
        let named = culprit(&error, &units, work)
            .filter(|&i| i < units.len())
            .and_then(|i| compile(&units[i..=i], work).err().map(|e| (i, e)));
        match named {
            Some((i, error)) => {
                let unit = units.remove(i);
                eprintln!("{}: {}", relative(&unit.fixture), error.trim());
                out.push((relative(&unit.fixture), error));
            }
            None => {
                let (a, b) = units.split_at(units.len() / 2);
                failing(a, work, out);
                failing(b, work, out);
                return;
            }
        }
    }
}

#[test]
fn every_json_fixture_compiles_to_pdf() {
    assert!(
        tex_engine::has_embedded_bundle(),
        "this build has no embedded TeX bundle: run `make setup` first (it builds the bundle), then test again"
    );
    let mut paths = Vec::new();
    for dir in FIXTURE_DIRS {
        json_files(&root().join(dir), &mut paths);
    }
    let work = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(work.path().join("res")).unwrap();
    let mut block_units = Vec::new();
    let mut meta_units = Vec::new();
    let mut urls = Vec::new();
    for path in &paths {
        let text = std::fs::read_to_string(path).unwrap();
        let mut doc = ast::read_json(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        urls.extend(images(&doc));
        let fixture = path.clone();
        let meta = std::mem::take(&mut doc.meta);
        let blocks = std::mem::take(&mut doc.blocks);
        if meta.is_empty() {
            block_units.push(Unit {
                fixture,
                meta,
                blocks,
            });
        } else if meta.contains_key("header-includes") {
            meta_units.push(Unit {
                fixture,
                meta,
                blocks,
            });
        } else {
            block_units.push(Unit {
                fixture: fixture.clone(),
                meta: ast::Meta::new(),
                blocks,
            });
            meta_units.push(Unit {
                fixture,
                meta,
                blocks: Vec::new(),
            });
        }
    }
    make_stand_ins(&work.path().join("res"), &urls);
    // Metadata merged while no key is given twice.
    let mut meta_groups: Vec<Vec<&Unit>> = Vec::new();
    for unit in &meta_units {
        let free = meta_groups.iter_mut().find(|group| {
            group
                .iter()
                .all(|other| unit.meta.keys().all(|k| !other.meta.contains_key(k)))
        });
        match free {
            Some(group) => group.push(unit),
            None => meta_groups.push(vec![unit]),
        }
    }
    let mut failures = Vec::new();
    let block_refs: Vec<&Unit> = block_units.iter().collect();
    for batch in block_refs
        .chunks(BATCH)
        .chain(meta_groups.iter().map(Vec::as_slice))
    {
        failing(batch, work.path(), &mut failures);
    }
    failures.sort();
    failures.dedup_by(|a, b| a.0 == b.0);
    let mut unexpected = Vec::new();
    let listed = |fixture: &str| {
        FAIL_AS_WRITTEN
            .iter()
            .chain(PENDING_WRITER_BUGS)
            .any(|(f, _)| *f == fixture)
    };
    for (fixture, error) in &failures {
        if !listed(fixture) {
            unexpected.push(format!("{fixture}:\n{}", error.trim()));
        }
    }
    for (fixture, why) in FAIL_AS_WRITTEN.iter().chain(PENDING_WRITER_BUGS) {
        if !failures.iter().any(|(f, _)| f == fixture) {
            unexpected.push(format!(
                "{fixture}: compiles now; remove it from its list ({why})"
            ));
        }
    }
    assert!(
        unexpected.is_empty(),
        "{} of {} fixtures do not do as listed:\n\n{}",
        unexpected.len(),
        paths.len(),
        unexpected.join("\n\n")
    );
}

//! LaTeX packages a user loads from `header-includes` compile in a default
//! `ast2latex --pdf` run (no option, no environment variable): the bundle
//! embedded in the binary, then the full bundle `scripts/setup` installs in
//! `$XDG_DATA_HOME/ast2latex/tex-bundle`. A package that is not there gets
//! a message that names it and says what to do.
//!
//! Needs `scripts/setup` (it installs the full bundle; `--test` adds the
//! table of Debian packages that the messages quote).

use std::path::PathBuf;
use std::process::{Command, Output};
use std::sync::Mutex;

/// One compile at a time: they share the format cache and the machine.
static TEX: Mutex<()> = Mutex::new(());

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A one-paragraph document whose `header-includes` loads `packages`, as
/// pandoc reads `header-includes: [\usepackage{a}, ...]` from YAML.
fn document_loading(packages: &[&str]) -> String {
    let items: Vec<String> = packages
        .iter()
        .map(|p| {
            format!(
                r#"{{"t":"MetaInlines","c":[{{"t":"RawInline","c":["tex","\\usepackage{{{p}}}"]}}]}}"#
            )
        })
        .collect();
    format!(
        r#"{{"pandoc-api-version":[1,23,1],"meta":{{"header-includes":{{"t":"MetaList","c":[{}]}}}},"blocks":[{{"t":"Para","c":[{{"t":"Str","c":"Bonjour."}}]}}]}}"#,
        items.join(",")
    )
}

/// `ast2latex --pdf out.pdf doc.json` and `extra` options, in a fresh
/// folder, with none of our variables set.
fn build(json: &str, extra: &[&str]) -> (Output, Option<Vec<u8>>) {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("doc.json");
    std::fs::write(&input, json).unwrap();
    let _guard = TEX.lock().unwrap_or_else(|e| e.into_inner());
    let out = Command::new(env!("CARGO_BIN_EXE_ast2latex"))
        .current_dir(dir.path())
        .env_remove(tex_engine::TEX_BUNDLE_ENV)
        .args(extra)
        .args(["--pdf", "out.pdf"])
        .arg(&input)
        .output()
        .unwrap();
    let pdf = std::fs::read(dir.path().join("out.pdf")).ok();
    (out, pdf)
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The groups of `tests/packages/packages.txt`: (name, packages).
fn package_groups() -> Vec<(String, Vec<String>)> {
    let text = std::fs::read_to_string(manifest_dir().join("tests/packages/packages.txt")).unwrap();
    let mut groups: Vec<(String, Vec<String>)> = Vec::new();
    for line in text.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            groups.push((name.to_string(), Vec::new()));
        } else {
            groups
                .last_mut()
                .expect("a package before the first [group]")
                .1
                .push(line.to_string());
        }
    }
    groups
}

fn installed_hint() -> String {
    match tex_engine::installed_bundle() {
        Some(dir) => format!("the full bundle is {}", dir.display()),
        None => format!(
            "no full bundle is installed ({}): run scripts/setup",
            tex_engine::installed_bundle_candidates()
                .first()
                .map(|d| d.display().to_string())
                .unwrap_or_default()
        ),
    }
}

#[test]
fn every_listed_package_loads_from_header_includes_with_no_option() {
    let groups = package_groups();
    let count: usize = groups.iter().map(|(_, p)| p.len()).sum();
    assert!(count >= 70, "the list lost packages: {count}");
    for (group, packages) in &groups {
        let names: Vec<&str> = packages.iter().map(String::as_str).collect();
        let (out, pdf) = build(&document_loading(&names), &[]);
        assert!(
            out.status.success(),
            "[{group}] {names:?}: {}\n({})",
            stderr(&out),
            installed_hint()
        );
        assert!(
            pdf.is_some_and(|p| p.starts_with(b"%PDF")),
            "[{group}] no PDF"
        );
    }
}

#[test]
fn a_package_absent_from_tex_live_is_named_with_what_to_do() {
    let (out, pdf) = build(&document_loading(&["ast2latex-no-such-package"]), &[]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(65), "{err}");
    assert!(pdf.is_none(), "a PDF was written");
    assert!(
        err.contains("package `ast2latex-no-such-package.sty` is not in the TeX bundle\nhint: "),
        "{err}"
    );
    // With apt-file's table (scripts/setup --test): no Debian package has
    // it; without: how to find the package. Either way --tex-bundle.
    assert!(
        err.contains("no Debian TeX Live package has `ast2latex-no-such-package.sty`")
            || err.contains("apt-file search"),
        "{err}"
    );
    assert!(err.contains("--tex-bundle"), "{err}");
    assert!(!err.contains("terminal input forbidden"), "{err}");
}

#[test]
fn a_lualatex_only_package_says_so() {
    let (out, _) = build(&document_loading(&["selnolig"]), &[]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(65), "{err}");
    assert!(
        err.contains("package `selnolig.sty` is not in the TeX bundle\nhint: "),
        "{err}"
    );
}

/// `\t{oo}` needs `ts1-lmr10.tfm`, which the embedded bundle lacks: XeTeX
/// then asks fontconfig for a font of that name, which answers with some
/// system font outside the resource path. The metric is what is reported.
#[test]
fn a_missing_font_metric_is_reported_not_the_font_fontconfig_offers() {
    let json = r#"{"pandoc-api-version":[1,23,1],"meta":{},"blocks":[{"t":"Para","c":[{"t":"Str","c":"a"},{"t":"Space"},{"t":"RawInline","c":["tex","\\t{oo}"]},{"t":"Space"},{"t":"Str","c":"b"}]}]}"#;
    let embedded_only = manifest_dir().join("../target/tex-bundle/ast2latex-bundle.zip");
    let (out, _) = build(
        json,
        &["--tex-bundle", embedded_only.to_str().unwrap(), "--quiet"],
    );
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(65), "{err}");
    assert!(
        err.starts_with("ast2latex: font metric `ts1-lmr10.tfm` is not in the TeX bundle\nhint: "),
        "{err}"
    );
    assert!(!err.contains("outside the resource path"), "{err}");
    // With the full bundle behind the embedded one, it compiles.
    let (out, pdf) = build(json, &["--quiet"]);
    assert!(
        out.status.success(),
        "{}\n({})",
        stderr(&out),
        installed_hint()
    );
    assert!(pdf.is_some());
}

/// A directory bundle is one flat folder: `\input{../stamp}` does not read
/// the file beside it, `target/tex-bundle/stamp` (before, `DirBundle`
/// joined the name to its folder).
#[test]
fn a_directory_bundle_reads_no_file_outside_its_folder() {
    let full = manifest_dir().join("../target/tex-bundle/full");
    let beside = std::fs::read_to_string(full.join("../stamp")).unwrap();
    let json = r#"{"pandoc-api-version":[1,23,1],"meta":{},"blocks":[{"t":"RawBlock","c":["latex","\\input{../stamp}"]}]}"#;
    let (out, pdf) = build(json, &["--tex-bundle", full.to_str().unwrap(), "--quiet"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(65), "{err}");
    assert!(err.contains("`../stamp"), "{err}");
    assert!(!err.contains(beside.trim()), "{err}");
    assert!(pdf.is_none());
}

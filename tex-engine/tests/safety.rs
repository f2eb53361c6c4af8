//! PDF builds of untrusted documents: shell escape stays off, and files
//! outside `--resource-path` (images, raw LaTeX `\input`, `\includegraphics`,
//! `\openin`) are refused unless `--allow-outside-resources` is given.
//!
//! Each case builds in a fresh folder tree:
//!
//! ```text
//! top/res/media/inside.png     the resource path
//! top/res/media/escape.png  -> ../../outside/outside.png  (symbolic link)
//! top/outside/outside.png, top/outside/secret.tex (text SECRETWORD)
//! ```
//!
//! Needs the embedded TeX bundle (`scripts/build-tex-bundle`) and poppler-utils.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Mutex;

use tex_engine::{compile_pdf, BundleSource, PdfOptions};

/// One compile at a time: they share the format cache and the machine.
static TEX: Mutex<()> = Mutex::new(());

const PICTURE: &str = "../tests/fixtures/canonical/media/schema.png";

struct Tree {
    _top: tempfile::TempDir,
    top: PathBuf,
    res: PathBuf,
}

fn tree() -> Tree {
    let dir = tempfile::tempdir().unwrap();
    let top = dir.path().to_path_buf();
    let res = top.join("res");
    let outside = top.join("outside");
    std::fs::create_dir_all(res.join("media")).unwrap();
    std::fs::create_dir_all(&outside).unwrap();
    let picture = Path::new(env!("CARGO_MANIFEST_DIR")).join(PICTURE);
    std::fs::copy(&picture, res.join("media/inside.png")).unwrap();
    std::fs::copy(&picture, outside.join("outside.png")).unwrap();
    std::fs::write(outside.join("secret.tex"), "SECRETWORD\n").unwrap();
    std::os::unix::fs::symlink("../../outside/outside.png", res.join("media/escape.png")).unwrap();
    Tree {
        _top: dir,
        top,
        res,
    }
}

fn cache_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("ast2latex-format-cache")
}

/// A document of one paragraph and, before it, `block` (JSON).
fn document(block: &str) -> String {
    format!(
        r#"{{"pandoc-api-version":[1,23,1],"meta":{{}},"blocks":[{block},{{"t":"Para","c":[{{"t":"Str","c":"Bonjour"}}]}}]}}"#
    )
}

fn image(path: &str) -> String {
    let path = path.replace('\\', "\\\\");
    format!(r#"{{"t":"Para","c":[{{"t":"Image","c":[["",[],[]],[],["{path}",""]]}}]}}"#)
}

fn raw_latex(tex: &str) -> String {
    let tex = tex.replace('\\', "\\\\");
    format!(r#"{{"t":"RawBlock","c":["latex","{tex}"]}}"#)
}

/// Runs `ast2latex --pdf top/out.pdf` on `json` from the folder `top`, with
/// `--resource-path res` and `extra` options.
fn build(tree: &Tree, json: &str, extra: &[&str]) -> Output {
    let input = tree.top.join("doc.json");
    std::fs::write(&input, json).unwrap();
    let _guard = TEX.lock().unwrap_or_else(|e| e.into_inner());
    Command::new(env!("CARGO_BIN_EXE_ast2latex"))
        .current_dir(&tree.top)
        .args(["--resource-path", "res", "--cache-dir"])
        .arg(cache_dir())
        .args(["--pdf", "out.pdf"])
        .args(extra)
        .arg(&input)
        .output()
        .unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn pdf_tool(tool: &str, args: &[&str], pdf: &Path) -> String {
    let output = Command::new(tool)
        .args(args)
        .arg(pdf)
        .args(if tool == "pdftotext" {
            &["-"][..]
        } else {
            &[][..]
        })
        .output()
        .unwrap_or_else(|e| {
            panic!("cannot run {tool} ({e}): run `make setup` first (it installs poppler-utils)")
        });
    assert!(output.status.success(), "{tool}: {}", stderr(&output));
    String::from_utf8(output.stdout).unwrap()
}

/// The number of images `pdfimages -list` lists.
fn images_in(pdf: &Path) -> usize {
    pdf_tool("pdfimages", &["-list"], pdf)
        .lines()
        .skip(2)
        .count()
}

fn assert_refused(out: &Output, tree: &Tree, name: &str) {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(65), "{err}");
    assert!(
        err.contains(&format!("`{name}`")) && err.contains("is outside the resource path `res`"),
        "{err}"
    );
    assert!(
        err.contains("hint: ") && err.contains("--allow-outside-resources"),
        "{err}"
    );
    assert!(!tree.top.join("out.pdf").exists(), "a PDF was written");
}

#[test]
fn an_image_inside_the_resource_path_is_in_the_pdf() {
    let tree = tree();
    let out = build(&tree, &document(&image("media/inside.png")), &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(images_in(&tree.top.join("out.pdf")), 1);
}

#[test]
fn an_image_through_dot_dot_is_refused_unless_allowed() {
    let tree = tree();
    let doc = document(&image("../outside/outside.png"));
    let out = build(&tree, &doc, &[]);
    assert_refused(&out, &tree, "../outside/outside.png");
    assert!(
        stderr(&out).contains("outside/outside.png): refused"),
        "{}",
        stderr(&out)
    );

    let out = build(&tree, &doc, &["--allow-outside-resources"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(images_in(&tree.top.join("out.pdf")), 1);
}

#[test]
fn an_image_at_an_absolute_path_outside_is_refused() {
    let tree = tree();
    let absolute = tree.top.join("outside/outside.png");
    let out = build(&tree, &document(&image(absolute.to_str().unwrap())), &[]);
    assert_refused(&out, &tree, absolute.to_str().unwrap());
}

#[test]
fn an_absolute_path_inside_the_resource_path_is_fine() {
    let tree = tree();
    let absolute = tree.res.join("media/inside.png");
    let out = build(&tree, &document(&image(absolute.to_str().unwrap())), &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(images_in(&tree.top.join("out.pdf")), 1);
}

#[test]
fn an_image_through_a_symbolic_link_leading_out_is_refused() {
    let tree = tree();
    let out = build(&tree, &document(&image("media/escape.png")), &[]);
    assert_refused(&out, &tree, "media/escape.png");
}

#[test]
fn raw_latex_input_of_a_file_outside_is_refused_unless_allowed() {
    let tree = tree();
    let out = build(&tree, &document(&raw_latex("\\input{/etc/hostname}")), &[]);
    assert_refused(&out, &tree, "/etc/hostname");
    assert!(
        stderr(&out).contains("read by the LaTeX"),
        "{}",
        stderr(&out)
    );

    // The same with a file whose text we know: allowed, it is in the PDF.
    let secret = tree.top.join("outside/secret.tex");
    let doc = document(&raw_latex(&format!("\\input{{{}}}", secret.display())));
    let out = build(&tree, &doc, &[]);
    assert_refused(&out, &tree, secret.to_str().unwrap());
    let out = build(&tree, &doc, &["--allow-outside-resources"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = pdf_tool("pdftotext", &[], &tree.top.join("out.pdf"));
    assert!(text.contains("SECRETWORD"), "{text}");
}

/// Compiles `latex` in-process with `res` as the resource path: the check
/// is in the I/O layer under TeX, not in a look at the document.
fn compile_in(tree: &Tree, latex: &str, allow_outside: bool) -> Result<Vec<u8>, ast::Error> {
    assert!(
        tex_engine::has_embedded_bundle(),
        "this build has no embedded TeX bundle: run `make setup` first (it builds the bundle), then test again"
    );
    let options = PdfOptions {
        bundle: BundleSource::Default,
        resource_path: vec![tree.res.clone()],
        allow_outside_resources: allow_outside,
        cache_dir: Some(cache_dir()),
        quiet: true,
        opened_files: None,
        aux_key: None,
        media: Default::default(),
    };
    let _guard = TEX.lock().unwrap_or_else(|e| e.into_inner());
    compile_pdf(latex, &options)
}

#[test]
fn tex_reads_outside_are_refused_however_they_are_spelled() {
    let tree = tree();
    let secret = tree.top.join("outside/secret.tex");
    let cases = [
        // A graphic through `..`, no image in the document to check first.
        "\\includegraphics{../outside/outside.png}".to_string(),
        // `\openin` does not fail when the file is missing: the refusal must.
        format!(
            "\\newread\\r \\openin\\r={} \\read\\r to\\x \\closein\\r [\\x]",
            secret.display()
        ),
        // A command name TeX builds itself, which no look at the text would see.
        format!("\\csname in\\string put\\endcsname{{{}}}", secret.display()),
    ];
    for body in &cases {
        let latex = format!(
            "\\documentclass{{article}}\\usepackage{{graphicx}}\\begin{{document}}{body}\\end{{document}}"
        );
        let err = compile_in(&tree, &latex, false).unwrap_err();
        assert_eq!(err.exit_code(), ast::exit::DATAERR, "{err}");
        assert!(
            err.to_string().contains("is outside the resource path"),
            "{body}: {err}"
        );
        // Allowed, the same LaTeX compiles: the refusal was the only problem.
        let pdf = compile_in(&tree, &latex, true).unwrap_or_else(|e| panic!("{body}: {e}"));
        assert!(pdf.starts_with(b"%PDF-"));
    }
}

#[test]
fn shell_escape_is_off_write18_runs_nothing() {
    let tree = tree();
    let marker = tree.top.join("shell-escape-ran");
    let doc = document(&raw_latex(&format!(
        "\\immediate\\write18{{touch {}}}",
        marker.display()
    )));
    let out = build(&tree, &doc, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!marker.exists(), "the shell command ran");
    let err = stderr(&out);
    // XeTeX's own report, passed on as a warning.
    assert!(
        err.contains(&format!("runsystem(touch {})...disabled", marker.display())),
        "{err}"
    );
    let text = pdf_tool("pdftotext", &[], &tree.top.join("out.pdf"));
    assert!(text.contains("Bonjour"), "{text}");
}

#[test]
fn tex_writes_stay_in_memory() {
    let tree = tree();
    let target = tree.top.join("written-by-tex.txt");
    let latex = format!(
        "\\documentclass{{article}}\\begin{{document}}\\newwrite\\w \
         \\immediate\\openout\\w={} \\immediate\\write\\w{{x}}\\immediate\\closeout\\w \
         Bonjour\\end{{document}}",
        target.display()
    );
    let pdf = compile_in(&tree, &latex, true).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    assert!(!target.exists(), "TeX wrote to the disk");
    let left: Vec<_> = std::fs::read_dir(&tree.res)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left, ["media"], "files TeX wrote in the resource folder");
}

#[test]
fn a_stale_texput_aux_in_the_resource_folder_is_not_read() {
    let tree = tree();
    std::fs::write(
        tree.res.join("texput.aux"),
        "\\relax\n\\undefinedcommandfromdisk\n",
    )
    .unwrap();
    let latex = "\\documentclass{article}\\begin{document}Bonjour\\end{document}";
    let pdf = compile_in(&tree, latex, false).unwrap_or_else(|e| panic!("{e}"));
    assert!(pdf.starts_with(b"%PDF-"));
}

/// `-V mainfont=NAME` may name an installed font: its file, found by
/// fontconfig outside the resource path, is allowed (font files only).
#[test]
fn an_installed_font_outside_the_resource_path_can_be_the_main_font() {
    // A font of the system's font folders, not one of TeX Live's (which
    // fontconfig may also find, as on a machine with no other font):
    // DejaVu Serif, which `make setup` installs (fonts-dejavu-core).
    let matched = Command::new("fc-match")
        .args(["-f", "%{family[0]}|%{file}", "DejaVu Serif"])
        .output()
        .unwrap_or_else(|e| {
            panic!("cannot run fc-match ({e}): run `make setup` first (it installs fontconfig)")
        });
    let matched = String::from_utf8(matched.stdout).unwrap();
    let (family, file) = matched
        .split_once('|')
        .expect("fc-match found no font: run `make setup` first");
    assert!(
        family == "DejaVu Serif" && file.starts_with("/usr/share/fonts/"),
        "{matched}: run `make setup` first (it installs fonts-dejavu-core)"
    );
    let tree = tree();
    let font = format!("mainfont={family}");
    let out = build(&tree, &document(&image("media/inside.png")), &["-V", &font]);
    assert!(out.status.success(), "{}", stderr(&out));
    let fonts = pdf_tool("pdffonts", &[], &tree.top.join("out.pdf"));
    assert!(
        fonts.contains(&format!("+{}", family.replace(' ', ""))),
        "{family}: {fonts}"
    );
}

#[test]
fn resource_folders_are_colon_separated_and_searched_in_turn() {
    let tree = tree();
    let other = tree.top.join("other");
    std::fs::create_dir_all(&other).unwrap();
    std::fs::copy(tree.res.join("media/inside.png"), other.join("second.png")).unwrap();
    let input = tree.top.join("doc.json");
    std::fs::write(&input, document(&image("second.png"))).unwrap();
    let run = |path: &str| {
        let _guard = TEX.lock().unwrap_or_else(|e| e.into_inner());
        Command::new(env!("CARGO_BIN_EXE_ast2latex"))
            .current_dir(&tree.top)
            .args(["--quiet", "--resource-path", path, "--cache-dir"])
            .arg(cache_dir())
            .args(["--pdf", "out.pdf"])
            .arg(&input)
            .output()
            .unwrap()
    };
    let out = run("res:other");
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(images_in(&tree.top.join("out.pdf")), 1);
    // Not in `res` alone: missing (66), and a missing folder is 66 too.
    let out = run("res");
    assert_eq!(out.status.code(), Some(66), "{}", stderr(&out));
    assert!(stderr(&out).contains("second.png"), "{}", stderr(&out));
    let out = run("res:absent");
    assert_eq!(out.status.code(), Some(66), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("absent: no such file or directory"),
        "{}",
        stderr(&out)
    );
}

//! PDF output: the LaTeX compiled in-process by Tectonic (XeTeX and
//! xdvipdfmx) with a local TeX bundle, by default the one embedded in the
//! binary, so no TeX installation and no network are needed.

use std::collections::BTreeSet;
use std::fmt::Arguments;
use std::io::{Cursor, Write as _};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use ast::Error;
use tectonic::driver::{OutputFormat, ProcessingSessionBuilder};
use tectonic::io::{InputHandle, IoProvider, OpenResult, OutputHandle};
use tectonic::status::{MessageKind, StatusBackend};
use tectonic_bundles::dir::DirBundle;
use tectonic_bundles::zip::ZipBundle;
use tectonic_bundles::Bundle;

use crate::Warning;

/// The environment variable naming a local TeX bundle (directory or zip)
/// to use instead of the embedded one.
pub const TEX_BUNDLE_ENV: &str = "AST2LATEX_TEX_BUNDLE";

/// The bundle built by `scripts/build-tex-bundle`, when it existed at build time.
#[cfg(ast2latex_embedded_bundle)]
const EMBEDDED_BUNDLE: Option<&[u8]> = Some(include_bytes!(env!("AST2LATEX_EMBEDDED_BUNDLE")));
#[cfg(not(ast2latex_embedded_bundle))]
const EMBEDDED_BUNDLE: Option<&[u8]> = None;

/// Where the TeX support files come from.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum BundleSource {
    /// `$AST2LATEX_TEX_BUNDLE` if set, else the bundle embedded in the binary.
    #[default]
    Default,
    /// A directory holding a flattened bundle, or a `.zip` of one.
    Path(PathBuf),
}

/// How to compile the PDF.
#[derive(Debug, Clone, Default)]
pub struct PdfOptions {
    /// The TeX bundle to read support files from.
    pub bundle: BundleSource,
    /// Where images are looked up (pandoc's `--resource-path`); `None`: the current directory.
    pub resource_path: Option<PathBuf>,
    /// Where the format file (about 30 MB, built on first use) is cached;
    /// `None`: `$XDG_CACHE_HOME/ast2latex` or `~/.cache/ast2latex`.
    pub cache_dir: Option<PathBuf>,
    /// Silence Tectonic's progress messages and the warnings.
    pub quiet: bool,
    /// When set, the names of every bundle file the compile opened are added
    /// here (`scripts/build-tex-bundle` uses it to keep only those files).
    pub opened_files: Option<Arc<Mutex<BTreeSet<String>>>>,
}

/// True when this binary carries an embedded TeX bundle.
pub fn has_embedded_bundle() -> bool {
    EMBEDDED_BUNDLE.is_some()
}

/// Compiles `latex` (a whole document) to PDF and returns its bytes. Warnings
/// (characters missing from the fonts...) go to stderr unless `quiet`.
pub fn compile_pdf(latex: &str, options: &PdfOptions) -> Result<Vec<u8>, Error> {
    let (pdf, warnings) = compile_pdf_with_warnings(latex, options)?;
    if !options.quiet {
        for w in warnings {
            eprintln!("ast2latex: warning: {w}");
        }
    }
    Ok(pdf)
}

/// Like [`compile_pdf`], but returns the warnings instead of printing them.
pub fn compile_pdf_with_warnings(
    latex: &str,
    options: &PdfOptions,
) -> Result<(Vec<u8>, Vec<Warning>), Error> {
    let bundle = open_bundle(&options.bundle)?;
    let bundle: Box<dyn Bundle> = match &options.opened_files {
        Some(names) => Box::new(RecordingBundle {
            inner: bundle,
            names: Arc::clone(names),
        }),
        None => bundle,
    };
    let cache = match &options.cache_dir {
        Some(dir) => dir.clone(),
        None => default_cache_dir()?,
    };
    std::fs::create_dir_all(&cache).map_err(|source| Error::Output {
        path: cache.clone(),
        source,
    })?;
    let root = match &options.resource_path {
        Some(p) => p.clone(),
        None => std::env::current_dir().map_err(|source| Error::Input {
            path: PathBuf::from("."),
            source,
        })?,
    };

    let mut status = Status {
        quiet: options.quiet,
        errors: Vec::new(),
        printed: BTreeSet::new(),
    };
    let mut builder = ProcessingSessionBuilder::default();
    builder
        .bundle(bundle)
        .primary_input_buffer(latex.as_bytes())
        .tex_input_name("texput.tex")
        .filesystem_root(&root)
        .format_name("latex")
        .format_cache_path(&cache)
        .output_format(OutputFormat::Pdf)
        .build_date_from_env(true)
        .keep_logs(true)
        .do_not_write_output_files();
    let mut session = builder
        .create(&mut status)
        .map_err(|e| Error::Other(format!("cannot start TeX: {}", chain(&e))))?;
    let result = session.run(&mut status);
    let files = session.into_file_data();
    let log = files
        .get("texput.log")
        .map(|f| String::from_utf8_lossy(&f.data).into_owned())
        .unwrap_or_default();
    if let Err(e) = result {
        return Err(Error::Other(describe_failure(
            &log,
            latex,
            &chain(&e),
            &status.errors,
        )));
    }
    let pdf = files
        .get("texput.pdf")
        .map(|f| f.data.clone())
        .ok_or_else(|| Error::Other("TeX finished but wrote no PDF".into()))?;
    Ok((pdf, missing_characters(&log)))
}

/// Opens the bundle `source` names, with an error that says what to do when
/// there is none.
fn open_bundle(source: &BundleSource) -> Result<Box<dyn Bundle>, Error> {
    let path = match source {
        BundleSource::Path(p) => Some(p.clone()),
        BundleSource::Default => std::env::var_os(TEX_BUNDLE_ENV)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from),
    };
    match path {
        Some(path) => open_bundle_path(&path),
        None => match EMBEDDED_BUNDLE {
            Some(bytes) => ZipBundle::new(Cursor::new(bytes))
                .map(|b| Box::new(b) as Box<dyn Bundle>)
                .map_err(|e| Error::Other(format!("the embedded TeX bundle is unreadable: {e}"))),
            None => Err(Error::Usage(
                "this ast2latex was built without an embedded TeX bundle\n\
                 hint: run scripts/build-tex-bundle and rebuild, or pass --tex-bundle PATH \
                 (or set AST2LATEX_TEX_BUNDLE) to a bundle directory or zip"
                    .into(),
            )),
        },
    }
}

fn open_bundle_path(path: &Path) -> Result<Box<dyn Bundle>, Error> {
    let meta = std::fs::metadata(path).map_err(|source| {
        Error::Usage(format!(
            "{}: cannot open the TeX bundle: {}\n\
             hint: --tex-bundle and {TEX_BUNDLE_ENV} name a bundle directory or zip \
             (scripts/build-tex-bundle makes both)",
            path.display(),
            ast::error::describe_io(&source)
        ))
    })?;
    if meta.is_dir() {
        if !path.join("SHA256SUM").is_file() {
            return Err(Error::Usage(format!(
                "{}: not a TeX bundle (no SHA256SUM file)\n\
                 hint: scripts/build-tex-bundle makes one from Debian's TeX Live",
                path.display()
            )));
        }
        Ok(Box::new(DirBundle::new(path)))
    } else {
        ZipBundle::open(path)
            .map(|b| Box::new(b) as Box<dyn Bundle>)
            .map_err(|e| {
                Error::Usage(format!(
                    "{}: not a TeX bundle zip: {e}\n\
                     hint: scripts/build-tex-bundle makes one from Debian's TeX Live",
                    path.display()
                ))
            })
    }
}

/// The user's cache directory for the format file: never the document's folder.
fn default_cache_dir() -> Result<PathBuf, Error> {
    if let Some(dir) = std::env::var_os("XDG_CACHE_HOME").filter(|d| !d.is_empty()) {
        return Ok(PathBuf::from(dir).join("ast2latex"));
    }
    if let Some(home) = std::env::var_os("HOME").filter(|d| !d.is_empty()) {
        return Ok(PathBuf::from(home).join(".cache").join("ast2latex"));
    }
    Err(Error::Usage(
        "no cache directory for the TeX format: set XDG_CACHE_HOME or HOME".into(),
    ))
}

/// An error and its causes on one line.
fn chain(e: &tectonic::Error) -> String {
    let mut parts: Vec<String> = Vec::new();
    for cause in e.chain() {
        let s = cause.to_string();
        if !parts.contains(&s) {
            parts.push(s);
        }
    }
    parts.join(": ")
}

/// The TeX error of a failed compile: its message from the log, and the line
/// of the generated LaTeX that TeX was reading.
fn describe_failure(log: &str, latex: &str, engine: &str, reported: &[String]) -> String {
    let lines: Vec<&str> = log.lines().collect();
    let Some(start) = lines.iter().position(|l| l.starts_with("! ")) else {
        let mut msg = format!("TeX failed: {engine}");
        for r in reported {
            msg.push_str("\n  ");
            msg.push_str(r);
        }
        return msg;
    };
    let mut message = lines[start][2..].trim_end_matches('.').to_string();
    // "LaTeX Error: File `x.sty' not found" is the message of a missing
    // package or image: say which in plain words.
    if let Some(name) = message
        .strip_prefix("LaTeX Error: File `")
        .and_then(|rest| rest.split('\'').next())
    {
        let what = if name.ends_with(".sty") || name.ends_with(".cls") {
            "package or class"
        } else {
            "file"
        };
        message = format!(
            "{what} `{name}` not found (images are looked up under --resource-path; \
             packages must be in the TeX bundle)"
        );
    }
    let mut out = String::new();
    let located = lines[start..].iter().take(30).find_map(|l| {
        let rest = l.strip_prefix("l.")?;
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        digits.parse::<usize>().ok()
    });
    match located {
        Some(n) => {
            out.push_str(&format!("generated LaTeX:{n}: {message}"));
            if let Some(line) = latex.lines().nth(n.saturating_sub(1)) {
                out.push_str(&format!("\n  {n} | {line}"));
            }
            if let Some(section) = enclosing_section(latex, n) {
                out.push_str(&format!(
                    "\nnote: in the section \"{section}\" of the document"
                ));
            }
        }
        None => out.push_str(&format!("LaTeX: {message}")),
    }
    if message.starts_with("Emergency stop") || message.contains("terminal input forbidden") {
        out.push_str("\nhint: a file TeX needed is missing from the bundle; try --tex-bundle with a full bundle");
    }
    out
}

/// The title of the last heading before line `n` of the generated LaTeX:
/// where the failing element sits in the source document.
fn enclosing_section(latex: &str, n: usize) -> Option<String> {
    latex
        .lines()
        .take(n)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .find_map(|line| {
            let rest = [
                "\\section",
                "\\subsection",
                "\\subsubsection",
                "\\paragraph",
                "\\subparagraph",
            ]
            .iter()
            .find_map(|cmd| line.strip_prefix(cmd))?;
            let rest = rest.strip_prefix('*').unwrap_or(rest).strip_prefix('{')?;
            let end = rest.rfind("}\\label").or_else(|| rest.rfind('}'))?;
            Some(rest[..end].to_string())
        })
}

/// Characters XeTeX could not find in the fonts (it drops them).
fn missing_characters(log: &str) -> Vec<Warning> {
    let mut seen = BTreeSet::new();
    for line in log.lines() {
        if let Some(rest) = line.strip_prefix("Missing character: There is no ") {
            let what = rest.split(" in font").next().unwrap_or(rest).to_string();
            let font = rest
                .split(" in font ")
                .nth(1)
                .unwrap_or("")
                .trim_end_matches('!');
            seen.insert(format!(
                "{what} is missing from font {font}: it is left out of the PDF"
            ));
        }
    }
    seen.into_iter()
        .map(|message| Warning { message })
        .collect()
}

/// Tectonic's messages: to stderr (stdout may carry the document), errors kept.
struct Status {
    quiet: bool,
    errors: Vec<String>,
    /// Messages already printed: each TeX pass repeats its warnings.
    printed: BTreeSet<String>,
}

impl StatusBackend for Status {
    fn report(&mut self, kind: MessageKind, args: Arguments<'_>, err: Option<&tectonic::Error>) {
        let mut text = args.to_string();
        if let Some(e) = err {
            text.push_str(": ");
            text.push_str(&chain(e));
        }
        if kind == MessageKind::Error {
            self.errors.push(text.clone());
        }
        // Tectonic's advice names options of its own command line, not ours.
        let foreign = text.contains("use --print and/or --keep-logs");
        if !self.quiet
            && kind != MessageKind::Error
            && !foreign
            && self.printed.insert(text.clone())
        {
            let level = match kind {
                MessageKind::Note => "note",
                MessageKind::Warning => "warning",
                MessageKind::Error => "error",
            };
            let _ = writeln!(std::io::stderr(), "tectonic: {level}: {text}");
        }
    }

    fn dump_error_logs(&mut self, output: &[u8]) {
        self.errors
            .push(String::from_utf8_lossy(output).into_owned());
    }
}

/// A bundle that records the name of every file opened through it.
struct RecordingBundle {
    inner: Box<dyn Bundle>,
    names: Arc<Mutex<BTreeSet<String>>>,
}

impl RecordingBundle {
    fn record(&self, name: &str) {
        if let Ok(mut names) = self.names.lock() {
            names.insert(name.to_string());
        }
    }
}

impl IoProvider for RecordingBundle {
    fn output_open_name(&mut self, name: &str) -> OpenResult<OutputHandle> {
        self.inner.output_open_name(name)
    }

    fn input_open_name(
        &mut self,
        name: &str,
        status: &mut dyn StatusBackend,
    ) -> OpenResult<InputHandle> {
        let result = self.inner.input_open_name(name, status);
        if let OpenResult::Ok(_) = result {
            self.record(name);
        }
        result
    }

    fn input_open_name_with_abspath(
        &mut self,
        name: &str,
        status: &mut dyn StatusBackend,
    ) -> OpenResult<(InputHandle, Option<PathBuf>)> {
        let result = self.inner.input_open_name_with_abspath(name, status);
        if let OpenResult::Ok(_) = result {
            self.record(name);
        }
        result
    }
}

impl Bundle for RecordingBundle {
    fn get_digest(&mut self) -> tectonic::Result<tectonic::io::DigestData> {
        self.record("SHA256SUM");
        self.inner.get_digest()
    }

    fn all_files(&self) -> Vec<String> {
        self.inner.all_files()
    }
}

//! PDF output: the LaTeX compiled in-process by Tectonic (XeTeX and
//! xdvipdfmx) with a local TeX bundle, by default the one embedded in the
//! binary, so no TeX installation and no network are needed.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Arguments;
use std::io::{BufReader, Cursor, Write as _};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use ast::Error;
use tectonic::io::format_cache::FormatCache;
use tectonic::io::memory::{MemoryFileCollection, MemoryFileInfo};
use tectonic::io::{InputHandle, InputOrigin, IoProvider, MemoryIo, OpenResult, OutputHandle};
use tectonic::status::{MessageKind, StatusBackend};
use tectonic::{TexEngine, TexOutcome, XdvipdfmxEngine};
use tectonic_bridge_core::{CoreBridgeLauncher, DriverHooks, SystemRequestError};
use tectonic_bundles::dir::DirBundle;
use tectonic_bundles::zip::ZipBundle;
use tectonic_bundles::Bundle;

use crate::resources::{Refused, ResourcePath};
use ast2latex::Warning;

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
    /// `$AST2LATEX_TEX_BUNDLE` if set; else the bundle embedded in the
    /// binary, then, for the files it lacks, the full bundle `scripts/setup`
    /// installs for the user (see [`installed_bundle`]).
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
    /// The folders images and files read by raw LaTeX are looked up in, in
    /// order (pandoc's `--resource-path`); empty: the current directory.
    /// Files outside them are refused, but for the system's font files
    /// (see [`ResourcePath`]).
    pub resource_path: Vec<PathBuf>,
    /// Allow reading files outside `resource_path` (absolute paths, `..`,
    /// symbolic links leading out): for trusted documents only.
    pub allow_outside_resources: bool,
    /// Where the format file (about 30 MB, built on first use) is cached;
    /// `None`: `$XDG_CACHE_HOME/ast2latex` or `~/.cache/ast2latex`.
    pub cache_dir: Option<PathBuf>,
    /// Silence Tectonic's progress messages and the warnings.
    pub quiet: bool,
    /// When set, the names of every bundle file the compile opened are added
    /// here (`scripts/build-tex-bundle` uses it to keep only those files).
    pub opened_files: Option<Arc<Mutex<BTreeSet<String>>>>,
    /// Names the document (the CLI: the PDF's absolute path). The files TeX
    /// writes and reads back (`.aux`, `.toc`...) of its last build are kept
    /// in the cache folder under this name and given to the next build,
    /// whose first TeX pass is then usually the last. `None`: every build
    /// starts from nothing (two passes for a document with references).
    pub aux_key: Option<String>,
    /// Files TeX finds by name before the disk: images decoded from `data:`
    /// URIs or named after their content (see [`crate::prepare_images`]).
    pub media: BTreeMap<String, Vec<u8>>,
}

/// True when this binary carries an embedded TeX bundle.
pub fn has_embedded_bundle() -> bool {
    EMBEDDED_BUNDLE.is_some()
}

/// Where `scripts/setup` installs the full bundle (every file of the
/// installed TeX Live, flattened), under the user's data folder.
pub const INSTALLED_BUNDLE_DIR: &str = "ast2latex/tex-bundle";

/// The full bundle installed for this user or machine, if any: the first
/// of `$XDG_DATA_HOME/ast2latex/tex-bundle` (default
/// `~/.local/share/ast2latex/tex-bundle`) and the same under each folder of
/// `$XDG_DATA_DIRS` (default `/usr/local/share:/usr/share`) that holds a
/// bundle (a `SHA256SUM` file).
pub fn installed_bundle() -> Option<PathBuf> {
    installed_bundle_candidates()
        .into_iter()
        .find(|dir| dir.join("SHA256SUM").is_file())
}

/// The folders [`installed_bundle`] looks in, in order.
pub fn installed_bundle_candidates() -> Vec<PathBuf> {
    let var = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
    let mut dirs = Vec::new();
    match var("XDG_DATA_HOME") {
        Some(data) => dirs.push(PathBuf::from(data)),
        None => dirs.extend(var("HOME").map(|h| PathBuf::from(h).join(".local/share"))),
    }
    let system = var("XDG_DATA_DIRS").unwrap_or_else(|| "/usr/local/share:/usr/share".into());
    dirs.extend(std::env::split_paths(&system).filter(|d| d.is_absolute()));
    dirs.into_iter()
        .map(|d| d.join(INSTALLED_BUNDLE_DIR))
        .collect()
}

/// Compiles `latex` (a whole document) to PDF and returns its bytes. Warnings
/// (characters missing from the fonts...) go to stderr unless `quiet`.
pub fn compile_pdf(latex: &str, options: &PdfOptions) -> Result<Vec<u8>, Error> {
    let (pdf, warnings) = compile_pdf_with_warnings(latex, options)?;
    if !options.quiet {
        writer_support::print_diagnostics("ast2latex", &warnings);
    }
    Ok(pdf)
}

/// Like [`compile_pdf`], but returns the warnings instead of printing them.
///
/// The engines run with shell escape off (`\write18` is logged as
/// disabled and runs nothing), read the disk only inside the resource path
/// (see [`ResourcePath`]) and write nothing to it but the format cache: the
/// other files TeX writes (`.aux`, `.log`, `\openout`) stay in memory.
pub fn compile_pdf_with_warnings(
    latex: &str,
    options: &PdfOptions,
) -> Result<(Vec<u8>, Vec<Warning>), Error> {
    let resources = ResourcePath::new(&options.resource_path, options.allow_outside_resources)?;
    let bundle = open_bundle(&options.bundle)?;
    let hints = bundle.hints.clone();
    let mut bundle: Box<dyn Bundle> = match &options.opened_files {
        Some(names) => Box::new(RecordingBundle {
            inner: Box::new(bundle),
            names: Arc::clone(names),
        }),
        None => Box::new(bundle),
    };
    let cache = match &options.cache_dir {
        Some(dir) => dir.clone(),
        None => default_cache_dir()?,
    };
    std::fs::create_dir_all(&cache).map_err(|source| Error::Output {
        path: cache.clone(),
        source,
    })?;
    let digest = bundle
        .get_digest()
        .map_err(|e| Error::Other(format!("cannot read the TeX bundle: {}", chain(&e))))?;
    let aux_store = options
        .aux_key
        .as_ref()
        .map(|key| AuxStore::new(&cache, key));
    let seeded = aux_store.as_ref().map(AuxStore::load).unwrap_or_default();

    let mut status = Status {
        quiet: options.quiet,
        errors: Vec::new(),
        printed: BTreeSet::new(),
    };
    let mut io = Io {
        primary: latex.as_bytes().to_vec(),
        preload: split_preamble(latex),
        format_primary: None,
        mem: MemoryIo::new(true),
        media: options.media.clone(),
        resources,
        refused: Vec::new(),
        bundle,
        format_cache: FormatCache::new(digest, cache.clone()),
        cache_dir: cache,
        read_this_pass: BTreeSet::new(),
    };
    let build_date = build_date_from_env();
    let mut result = if seeded.is_empty() {
        run_engines(&mut io, build_date, &mut status)
    } else {
        io.seed(&seeded);
        let first = run_engines(&mut io, build_date, &mut status);
        if first.is_err() && io.refused.is_empty() {
            // The last build's files may be what fails (a package since
            // removed left its commands in the .aux): once more from nothing.
            status.note(format_args!(
                "the last build's auxiliary files do not fit: building from nothing"
            ));
            io.mem.files.borrow_mut().clear();
            status.errors.clear();
            run_engines(&mut io, build_date, &mut status)
        } else {
            first
        }
    };
    let files = io.mem.files.borrow();
    let log = files
        .get("texput.log")
        .map(|f| String::from_utf8_lossy(&f.data).into_owned())
        .unwrap_or_default();
    // A missing font metric makes XeTeX ask the system for a font of that
    // name; fontconfig answers with any font, which may lie outside the
    // resource path: the metric is the problem, not that font.
    if let Some(metric) = missing_font_metric(&log) {
        return Err(Error::Other(missing_file_message(
            &metric,
            "font metric",
            &hints,
        )));
    }
    // A refused read is the error, whatever TeX made of the missing file.
    if let Some(refused) = io.refused.first() {
        return Err(io.resources.refusal(
            &format!("file `{}`, read by the LaTeX,", refused.name),
            refused,
        ));
    }
    if let Err(e) = std::mem::replace(&mut result, Ok(())) {
        return Err(Error::Other(describe_failure(
            &log,
            latex,
            &e,
            &status.errors,
            &hints,
        )));
    }
    let pdf = files
        .get("texput.pdf")
        .map(|f| f.data.clone())
        .ok_or_else(|| Error::Other("TeX finished but wrote no PDF".into()))?;
    if let Some(store) = &aux_store {
        // A cache that cannot be written costs a TeX pass next time, no more.
        let _ = store.save(&files);
    }
    Ok((pdf, missing_characters(&log)))
}

/// The files of the last build of a document that TeX reads back, kept in
/// the cache folder (`aux/<hash of the key>`), one file for all.
struct AuxStore {
    path: PathBuf,
}

/// The first line of an aux store file: its format.
const AUX_STORE_MAGIC: &[u8] = b"ast2latex aux files 1\n";

impl AuxStore {
    fn new(cache: &Path, key: &str) -> Self {
        use tectonic::digest::Digest as _;
        let mut hasher = tectonic::digest::create();
        hasher.update(key.as_bytes());
        let hex: String = hasher.finalize()[..16]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        AuxStore {
            path: cache.join("aux").join(hex),
        }
    }

    /// The files of the last build; none when there is no readable store.
    fn load(&self) -> BTreeMap<String, Vec<u8>> {
        let Ok(data) = std::fs::read(&self.path) else {
            return BTreeMap::new();
        };
        Self::parse(&data).unwrap_or_default()
    }

    /// `name\nlength\nbytes` for each file, after the magic line.
    fn parse(data: &[u8]) -> Option<BTreeMap<String, Vec<u8>>> {
        let mut rest = data.strip_prefix(AUX_STORE_MAGIC)?;
        let mut files = BTreeMap::new();
        while !rest.is_empty() {
            let mut line = || {
                let end = rest.iter().position(|&b| b == b'\n')?;
                let text = std::str::from_utf8(&rest[..end]).ok()?.to_string();
                rest = &rest[end + 1..];
                Some(text)
            };
            let name = line()?;
            let len: usize = line()?.parse().ok()?;
            let bytes = rest.get(..len)?.to_vec();
            rest = &rest[len..];
            files.insert(name, bytes);
        }
        Some(files)
    }

    /// Keeps what TeX may read back (not its output, log or terminal),
    /// written atomically (a new file renamed over the old).
    fn save(&self, files: &MemoryFileCollection) -> std::io::Result<()> {
        let mut out = AUX_STORE_MAGIC.to_vec();
        let mut names: Vec<&String> = files.keys().filter(|n| is_read_back(n)).collect();
        names.sort();
        for name in names {
            let data = &files[name].data;
            out.extend_from_slice(format!("{name}\n{}\n", data.len()).as_bytes());
            out.extend_from_slice(data);
        }
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let tmp = self
            .path
            .with_extension(format!("tmp-{}", std::process::id()));
        std::fs::write(&tmp, &out)?;
        std::fs::rename(&tmp, &self.path).inspect_err(|_| {
            let _ = std::fs::remove_file(&tmp);
        })?;
        self.prune();
        Ok(())
    }

    /// Keeps the stores of the [`AUX_STORES_KEPT`] outputs built last: one
    /// per PDF ever built would grow without end (tests build hundreds).
    fn prune(&self) {
        let Some(dir) = self.path.parent() else {
            return;
        };
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        let mut stores: Vec<(SystemTime, PathBuf)> = entries
            .flatten()
            .filter_map(|e| Some((e.metadata().ok()?.modified().ok()?, e.path())))
            .collect();
        if stores.len() <= AUX_STORES_KEPT {
            return;
        }
        stores.sort();
        for (_, path) in &stores[..stores.len() - AUX_STORES_KEPT] {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// How many outputs' aux files are kept.
const AUX_STORES_KEPT: usize = 200;

/// A file TeX wrote that a later pass may read: not the terminal, the
/// pages, the log, the PDF or a format.
fn is_read_back(name: &str) -> bool {
    !(name.is_empty()
        || name.ends_with(".xdv")
        || name.ends_with(".log")
        || name.ends_with(".pdf")
        || name.ends_with(".fmt"))
}

/// Whether an `.aux` file written where there was none holds only what a
/// second pass would not use: hyperref's and polyglossia's or babel's
/// bookkeeping, the page count, `\@writefile` lines (LaTeX ignores them as
/// it reads the `.aux`; the `.toc` they fill is watched on its own), and a
/// single run of arabic page labels from the first page (what a PDF viewer
/// shows when there are none). A label, a citation or anything else a
/// package writes makes a second pass, as it does for latexmk; pandoc reruns
/// XeLaTeX only on a rerun warning or a table of contents.
fn aux_changes_nothing(aux: &[u8]) -> bool {
    const BOOKKEEPING: &[&str] = &[
        "\\relax",
        "\\providecommand\\hyper@newdestlabel[2]{}",
        "\\providecommand\\HyperFirstAtBeginDocument{\\AtBeginDocument}",
        "\\HyperFirstAtBeginDocument{\\ifx\\hyper@anchor\\@undefined",
        "\\global\\let\\oldnewlabel\\newlabel",
        "\\gdef\\newlabel#1#2{\\newlabelxx{#1}#2}",
        "\\gdef\\newlabelxx#1#2#3#4#5#6{\\oldnewlabel{#1}{{#2}{#3}}}",
        "\\AtEndDocument{\\ifx\\hyper@anchor\\@undefined",
        "\\let\\newlabel\\oldnewlabel",
        "\\fi}",
        "\\global\\let\\hyper@last\\relax",
        "\\gdef\\HyperFirstAtBeginDocument#1{#1}",
        "\\providecommand*\\HyPL@Entry[1]{}",
        "\\HyPL@Entry{0<</S/D>>}",
        "\\xpglanginauxtrue",
        "\\xpglanginauxfalse",
    ];
    let Ok(text) = std::str::from_utf8(aux) else {
        return false;
    };
    text.lines().map(str::trim_end).all(|line| {
        line.is_empty()
            || BOOKKEEPING.contains(&line)
            || line.starts_with("\\selectlanguage *")
            || line.starts_with("\\babel@aux{")
            || line.starts_with("\\@writefile{")
            || line
                .strip_prefix("\\gdef \\@abspage@last{")
                .and_then(|n| n.strip_suffix('}'))
                .is_some_and(|n| n.bytes().all(|b| b.is_ascii_digit()))
    })
}

/// At most this many TeX passes (Tectonic's default).
const MAX_TEX_PASSES: usize = 6;

/// The format (`latex.fmt`, built from the bundle on first use and cached),
/// then TeX passes until the files TeX reads back (`.aux`, `.toc`...) stop
/// changing, then xdvipdfmx. What Tectonic's `ProcessingSession` does for
/// a LaTeX document, with our I/O stack.
fn run_engines(io: &mut Io, build_date: SystemTime, status: &mut Status) -> Result<(), String> {
    // The preamble's fixed part preloaded in its own format, when the
    // template marks it; the whole preamble from the LaTeX format if that
    // format cannot be built (TeX's own error then comes, with its line).
    let mut format = FORMAT.to_string();
    let mut primary = io.primary.clone();
    if let Some(preload) = io.preload.clone() {
        match ensure_format(io, &preload.format, preload.initex_input.clone(), status) {
            Ok(()) => {
                format = preload.format.clone();
                primary = preload.rest.clone();
                touch_format(io, &preload.format);
            }
            Err(e) => {
                status.note(format_args!(
                    "the preloaded preamble did not build ({e}): reading the whole preamble"
                ));
                io.preload = None;
            }
        }
    }
    if format == FORMAT {
        ensure_format(
            io,
            FORMAT,
            format!("\\input tectonic-format-{FORMAT}.tex").into_bytes(),
            status,
        )?;
    }
    let full = std::mem::replace(&mut io.primary, primary);
    let result = run_passes(io, &format, build_date, status);
    io.primary = full;
    result
}

/// Builds the format `name` from `initex_input` (TeX in INITEX mode) and
/// caches it, unless the cache has it. The files TeX keeps in memory (the
/// last build's `.aux`...) are left as they were.
fn ensure_format(
    io: &mut Io,
    name: &str,
    initex_input: Vec<u8>,
    status: &mut Status,
) -> Result<(), String> {
    if let OpenResult::Ok(_) = io.format_cache.input_open_format(name, status) {
        return Ok(());
    }
    status.note(format_args!(
        "generating the TeX format {name} (once per bundle and preamble)"
    ));
    let kept = io.mem.files.borrow().clone();
    io.format_primary = Some(initex_input);
    let outcome = {
        let mut launcher = CoreBridgeLauncher::new(io, status);
        TexEngine::default()
            .halt_on_error_mode(true)
            .initex_mode(true)
            .shell_escape(false)
            .process(&mut launcher, "UNUSED.fmt", "texput")
    };
    io.format_primary = None;
    let format = io
        .mem
        .files
        .borrow()
        .iter()
        .find(|(name, _)| name.ends_with(".fmt"))
        .map(|(_, file)| file.data.clone());
    *io.mem.files.borrow_mut() = kept;
    match outcome {
        Ok(TexOutcome::Spotless | TexOutcome::Warnings) => {}
        Ok(TexOutcome::Errors) => return Err("TeX could not build the format".into()),
        Err(e) => return Err(format!("TeX could not build the format: {}", chain(&e))),
    }
    let format = format.ok_or("TeX wrote no format file")?;
    io.format_cache
        .write_format(name, &format, status)
        .map_err(|e| format!("cannot write the TeX format to the cache: {}", chain(&e)))?;
    if name != FORMAT {
        prune_preloaded_formats(&io.cache_dir);
    }
    Ok(())
}

/// TeX passes until the files TeX reads back stop changing, then xdvipdfmx.
fn run_passes(
    io: &mut Io,
    format: &str,
    build_date: SystemTime,
    status: &mut Status,
) -> Result<(), String> {
    for pass in 1..=MAX_TEX_PASSES {
        // What TeX may read back (`.aux`, `.toc`, `\openout` files): not its
        // output, log or terminal.
        let before: BTreeMap<String, Vec<u8>> = io
            .mem
            .files
            .borrow()
            .iter()
            .filter(|(name, _)| is_read_back(name))
            .map(|(name, file)| (name.clone(), file.data.clone()))
            .collect();
        io.read_this_pass.clear();
        let outcome = {
            let mut launcher = CoreBridgeLauncher::new(io, status);
            TexEngine::default()
                .halt_on_error_mode(true)
                .initex_mode(false)
                // Off here, off in the default `SecuritySettings` of the
                // launcher, and `Io` refuses the request: three locks.
                .shell_escape(false)
                .build_date(build_date)
                .process(&mut launcher, format, "texput")
        };
        match outcome {
            Ok(TexOutcome::Spotless | TexOutcome::Warnings) => {}
            Ok(TexOutcome::Errors) => return Err("TeX reported errors".into()),
            Err(e) => return Err(chain(&e)),
        }
        // Rerun while a file this pass read was rewritten differently: a
        // file TeX found absent and that is now empty reads the same, and so
        // does a new `.aux` that holds nothing a second pass would use.
        let files = io.mem.files.borrow();
        let changed = io.read_this_pass.iter().find(|name| {
            let (now, was) = (
                files.get(name.as_str()).map(|f| &f.data),
                before.get(name.as_str()),
            );
            match (now, was) {
                (Some(now), None) => {
                    !(now.is_empty() || (name.ends_with(".aux") && aux_changes_nothing(now)))
                }
                (now, was) => now != was,
            }
        });
        match changed {
            Some(name) if pass < MAX_TEX_PASSES => {
                status.note(format_args!("rerunning TeX because \"{name}\" changed"));
            }
            Some(_) => {
                status.warn(format_args!(
                    "TeX rerun seems needed, but stopping at {MAX_TEX_PASSES} passes"
                ));
                break;
            }
            None => break,
        }
    }
    if !io.mem.files.borrow().contains_key("texput.xdv") {
        return Err("TeX wrote no pages (is the document empty?)".into());
    }
    {
        let mut launcher = CoreBridgeLauncher::new(io, status);
        XdvipdfmxEngine::default()
            .build_date(build_date)
            .process(&mut launcher, "texput.xdv", "texput.pdf")
            .map_err(|e| format!("xdvipdfmx: {}", chain(&e)))?;
    }
    Ok(())
}

/// The name of the format file, built from the bundle's `tectonic-format-latex.tex`.
const FORMAT: &str = "latex";

/// The line of ast2latex's default template after the part of the preamble
/// that does not depend on the document (the class and the packages it
/// always loads, no fonts): that part is compiled once into a format of its
/// own, as `mylatexformat` does, and each document's TeX pass starts after
/// it. (XeTeX cannot dump a format holding OpenType fonts: fontspec and
/// what loads fonts come after the line.)
pub const PRELOAD_MARKER: &str =
    "% ast2latex: the preamble above is preloaded (a format of its own)";

/// A document whose preamble starts with a preloaded part.
#[derive(Debug, Clone)]
struct Preload {
    /// The format's name: `preamble-` and a hash of the part.
    format: String,
    /// What INITEX reads to build the format: LaTeX, the part, `\dump`.
    initex_input: Vec<u8>,
    /// The document after the part, with as many empty lines in its place,
    /// so that TeX's line numbers are the document's.
    rest: Vec<u8>,
}

/// The preloaded part of `latex` and the rest, if the template marked it.
fn split_preamble(latex: &str) -> Option<Preload> {
    let at = latex.find(&format!("\n{PRELOAD_MARKER}\n"))? + 1;
    let part = &latex[..at];
    // Only the head of a preamble: never a document's text.
    if part.contains("\\begin{document}") {
        return None;
    }
    let hash = {
        use tectonic::digest::Digest as _;
        let mut hasher = tectonic::digest::create();
        hasher.update(PRELOAD_INITEX_HEAD.as_bytes());
        hasher.update(part.as_bytes());
        hasher.update(PRELOAD_INITEX_TAIL.as_bytes());
        hasher.finalize()[..12]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    };
    let mut initex_input = String::from(PRELOAD_INITEX_HEAD);
    initex_input.push_str(part);
    initex_input.push_str(PRELOAD_INITEX_TAIL);
    let mut rest = "\n".repeat(part.matches('\n').count());
    // The marker's own line: what the format left undone.
    rest.push_str("\\ASTpreloadedpreamble");
    rest.push_str(&latex[at + PRELOAD_MARKER.len()..]);
    Some(Preload {
        format: format!("{PRELOAD_FORMAT_PREFIX}{hash}"),
        initex_input: initex_input.into_bytes(),
        rest: rest.into_bytes(),
    })
}

/// The names of preloaded-preamble formats start with this.
const PRELOAD_FORMAT_PREFIX: &str = "preamble-";

/// How many preloaded-preamble formats (about 35 MB each) the cache keeps:
/// the ones used last.
const PRELOAD_FORMATS_KEPT: usize = 6;

/// INITEX reads LaTeX as the `latex` format is built, but its `\dump` is
/// put off; the class is loaded with a TFM font current (OT1), whose em is
/// made its size, as an OpenType font's is (the class sets lengths in em:
/// `\leftmargini`, 12pt's `\parindent`), and the template's
/// `\ASTpreloadingfonts` (before fontspec) makes `\selectfont` select
/// nothing: XeTeX cannot dump OpenType fonts.
const PRELOAD_INITEX_HEAD: &str = "\\let\\ASTdump\\dump \\let\\dump\\relax\n\
\\input tectonic-format-latex.tex\n\
\\let\\dump\\ASTdump \\let\\ASTdump\\undefined\n\
\\makeatletter\\AddToHook{selectfont}[ast2latex]{\\fontdimen6\\font=\\f@size\\p@}\\makeatother\n\
\\let\\ASTencodingdefault\\encodingdefault\n\
\\def\\encodingdefault{OT1}\\fontencoding{OT1}\\selectfont\n\
\\let\\ASTselectfont\\selectfont\n\
\\def\\ASTpreloadingfonts{\\let\\selectfont\\relax}\n";

/// After the part: what a document's run must redo, which a format does not
/// keep or which differs in it (`\selectfont`, the text font encoding;
/// `\prevdepth`, which LaTeX leaves at 0pt in the preamble and a format
/// load at -1000pt), then `\dump`.
const PRELOAD_INITEX_TAIL: &str = "\\makeatletter\n\
\\RemoveFromHook{selectfont}[ast2latex]\n\
\\let\\ASTpreloadingfonts\\@undefined\n\
\\def\\ASTpreloadedpreamble{\\let\\selectfont\\ASTselectfont\n\
\\let\\encodingdefault\\ASTencodingdefault\n\
\\let\\ASTselectfont\\@undefined\\let\\ASTencodingdefault\\@undefined\n\
\\let\\ASTpreloadedpreamble\\@undefined\n\
\\normalfont\\prevdepth\\z@}\n\
\\makeatother\n\
\\dump\n";

/// Marks the preloaded format `name` as just used (the cache keeps the
/// formats used last).
fn touch_format(io: &Io, name: &str) {
    let Ok(entries) = std::fs::read_dir(&io.cache_dir) else {
        return;
    };
    let suffix = format!("-{name}-");
    for entry in entries.flatten() {
        if entry.file_name().to_string_lossy().contains(&suffix) {
            if let Ok(file) = std::fs::File::options().append(true).open(entry.path()) {
                let _ = file.set_modified(SystemTime::now());
            }
        }
    }
}

/// Keeps the [`PRELOAD_FORMATS_KEPT`] preloaded formats used last.
fn prune_preloaded_formats(cache: &Path) {
    let Ok(entries) = std::fs::read_dir(cache) else {
        return;
    };
    let marker = format!("-{PRELOAD_FORMAT_PREFIX}");
    let mut formats: Vec<(SystemTime, PathBuf)> = entries
        .flatten()
        .filter(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.contains(&marker) && name.ends_with(".fmt")
        })
        .filter_map(|e| Some((e.metadata().ok()?.modified().ok()?, e.path())))
        .collect();
    if formats.len() <= PRELOAD_FORMATS_KEPT {
        return;
    }
    formats.sort();
    for (_, path) in &formats[..formats.len() - PRELOAD_FORMATS_KEPT] {
        let _ = std::fs::remove_file(path);
    }
}

/// `SOURCE_DATE_EPOCH` if set, else the Unix epoch: the PDF's dates are
/// reproducible.
fn build_date_from_env() -> SystemTime {
    std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<u64>().ok())
        .and_then(|secs| SystemTime::UNIX_EPOCH.checked_add(Duration::from_secs(secs)))
        .unwrap_or(SystemTime::UNIX_EPOCH)
}

/// The files the engines see, in order: the document (or, while the format
/// is built, its loader), what TeX wrote in memory, the disk inside the
/// resource path, the bundle, the format cache.
struct Io {
    primary: Vec<u8>,
    /// The document split at the template's [`PRELOAD_MARKER`], when it
    /// has one: its preamble's fixed part is compiled once into a format.
    preload: Option<Preload>,
    format_primary: Option<Vec<u8>>,
    mem: MemoryIo,
    /// Files given by the caller (decoded images), by name.
    media: BTreeMap<String, Vec<u8>>,
    resources: ResourcePath,
    /// Files outside the resource path that TeX tried to read.
    refused: Vec<Refused>,
    bundle: Box<dyn Bundle>,
    format_cache: FormatCache,
    /// Where the formats are cached.
    cache_dir: PathBuf,
    /// Names TeX asked to read during this pass (found or not).
    read_this_pass: BTreeSet<String>,
}

impl Io {
    /// Puts the files of the last build where TeX finds what it wrote.
    fn seed(&mut self, files: &BTreeMap<String, Vec<u8>>) {
        let mut mem = self.mem.files.borrow_mut();
        for (name, data) in files {
            mem.insert(
                name.clone(),
                MemoryFileInfo {
                    data: data.clone(),
                    unix_mtime: None,
                },
            );
        }
    }

    /// A file from the disk, when the name is in the resource path. Never
    /// while the format is built: the format must come from the bundle alone.
    fn open_resource(&mut self, name: &str) -> OpenResult<(InputHandle, Option<PathBuf>)> {
        // The job's own files (`texput.aux`...) live in memory: a stale one
        // in the resource folder must not be read in their place.
        if self.format_primary.is_some() || name.starts_with("texput.") {
            return OpenResult::NotAvailable;
        }
        match self.resources.find(name) {
            Ok(Some(real)) => match std::fs::File::open(&real) {
                Ok(file) => OpenResult::Ok((
                    InputHandle::new(name, BufReader::new(file), InputOrigin::Filesystem),
                    Some(real),
                )),
                Err(e) => OpenResult::Err(e.into()),
            },
            Ok(None) => OpenResult::NotAvailable,
            Err(refused) => {
                if !self.refused.contains(&refused) {
                    self.refused.push(refused);
                }
                OpenResult::NotAvailable
            }
        }
    }
}

impl IoProvider for Io {
    fn output_open_name(&mut self, name: &str) -> OpenResult<OutputHandle> {
        self.mem.output_open_name(name)
    }

    fn output_open_stdout(&mut self) -> OpenResult<OutputHandle> {
        self.mem.output_open_stdout()
    }

    fn input_open_name(
        &mut self,
        name: &str,
        status: &mut dyn StatusBackend,
    ) -> OpenResult<InputHandle> {
        match self.input_open_name_with_abspath(name, status) {
            OpenResult::Ok((handle, _)) => OpenResult::Ok(handle),
            OpenResult::NotAvailable => OpenResult::NotAvailable,
            OpenResult::Err(e) => OpenResult::Err(e),
        }
    }

    fn input_open_name_with_abspath(
        &mut self,
        name: &str,
        status: &mut dyn StatusBackend,
    ) -> OpenResult<(InputHandle, Option<PathBuf>)> {
        self.read_this_pass.insert(name.to_string());
        match self.mem.input_open_name_with_abspath(name, status) {
            OpenResult::NotAvailable => {}
            found => return found,
        }
        if let Some(data) = self.media.get(name) {
            return OpenResult::Ok((
                InputHandle::new_read_only(name, Cursor::new(data.clone()), InputOrigin::Other),
                None,
            ));
        }
        match self.open_resource(name) {
            OpenResult::NotAvailable => {}
            found => return found,
        }
        // A bundle is one flat folder: a name with a path in it is not
        // there, and must not lead a directory bundle out of its folder.
        if name.contains(['/', '\\']) || name.starts_with('.') {
            return OpenResult::NotAvailable;
        }
        self.bundle.input_open_name_with_abspath(name, status)
    }

    fn input_open_primary(&mut self, status: &mut dyn StatusBackend) -> OpenResult<InputHandle> {
        match self.input_open_primary_with_abspath(status) {
            OpenResult::Ok((handle, _)) => OpenResult::Ok(handle),
            OpenResult::NotAvailable => OpenResult::NotAvailable,
            OpenResult::Err(e) => OpenResult::Err(e),
        }
    }

    fn input_open_primary_with_abspath(
        &mut self,
        _status: &mut dyn StatusBackend,
    ) -> OpenResult<(InputHandle, Option<PathBuf>)> {
        let bytes = self
            .format_primary
            .as_ref()
            .unwrap_or(&self.primary)
            .clone();
        OpenResult::Ok((
            InputHandle::new_read_only("", Cursor::new(bytes), InputOrigin::Other),
            None,
        ))
    }

    fn input_open_format(
        &mut self,
        name: &str,
        status: &mut dyn StatusBackend,
    ) -> OpenResult<InputHandle> {
        self.format_cache.input_open_format(name, status)
    }
}

impl DriverHooks for Io {
    fn io(&mut self) -> &mut dyn IoProvider {
        self
    }

    fn sysrq_shell_escape(
        &mut self,
        _command: &str,
        _status: &mut dyn StatusBackend,
    ) -> Result<(), SystemRequestError> {
        Err(SystemRequestError::NotAllowed)
    }
}

/// The bundle a compile reads: the embedded one, with the installed full
/// bundle behind it for the files it lacks, or the one bundle a path names.
struct Bundles {
    layers: Vec<Box<dyn Bundle>>,
    hints: Hints,
}

/// What the message for a file missing from the bundle says.
#[derive(Debug, Clone)]
struct Hints {
    /// The directory bundle in use (installed or named), whose
    /// `DEBIAN-PACKAGES` table says which Debian package has a file.
    full: Option<PathBuf>,
    /// True when the bundle was named (`--tex-bundle`, the variable).
    named: bool,
}

impl IoProvider for Bundles {
    fn input_open_name(
        &mut self,
        name: &str,
        status: &mut dyn StatusBackend,
    ) -> OpenResult<InputHandle> {
        for layer in &mut self.layers {
            match layer.input_open_name(name, status) {
                OpenResult::NotAvailable => {}
                found => return found,
            }
        }
        OpenResult::NotAvailable
    }

    fn input_open_name_with_abspath(
        &mut self,
        name: &str,
        status: &mut dyn StatusBackend,
    ) -> OpenResult<(InputHandle, Option<PathBuf>)> {
        for layer in &mut self.layers {
            match layer.input_open_name_with_abspath(name, status) {
                OpenResult::NotAvailable => {}
                found => return found,
            }
        }
        OpenResult::NotAvailable
    }
}

impl Bundle for Bundles {
    /// The first layer's: it names the cached format, which the embedded
    /// bundle alone builds.
    fn get_digest(&mut self) -> tectonic::Result<tectonic::io::DigestData> {
        match self.layers.first_mut() {
            Some(first) => first.get_digest(),
            None => Err(tectonic::errors::Error::msg("no TeX bundle")),
        }
    }

    fn all_files(&self) -> Vec<String> {
        let mut all: Vec<String> = self.layers.iter().flat_map(|l| l.all_files()).collect();
        all.sort();
        all.dedup();
        all
    }
}

/// Opens the bundle `source` names, with an error that says what to do when
/// there is none.
fn open_bundle(source: &BundleSource) -> Result<Bundles, Error> {
    let path = match source {
        BundleSource::Path(p) => Some(p.clone()),
        BundleSource::Default => std::env::var_os(TEX_BUNDLE_ENV)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from),
    };
    if let Some(path) = path {
        let full = path.is_dir().then(|| path.clone());
        return Ok(Bundles {
            layers: vec![open_bundle_path(&path)?],
            hints: Hints { full, named: true },
        });
    }
    let installed = installed_bundle();
    let mut layers: Vec<Box<dyn Bundle>> = Vec::new();
    if let Some(bytes) = EMBEDDED_BUNDLE {
        let embedded = ZipBundle::new(Cursor::new(bytes))
            .map_err(|e| Error::Other(format!("the embedded TeX bundle is unreadable: {e}")))?;
        layers.push(Box::new(embedded));
    }
    if let Some(dir) = &installed {
        layers.push(Box::new(DirBundle::new(dir)));
    }
    if layers.is_empty() {
        return Err(Error::Usage(
            "this ast2latex was built without an embedded TeX bundle, and no full bundle is \
             installed\n\
             hint: run scripts/setup (it installs the full bundle) or scripts/build-tex-bundle \
             and rebuild, or pass --tex-bundle PATH (or set AST2LATEX_TEX_BUNDLE) to a bundle \
             directory or zip"
                .into(),
        ));
    }
    Ok(Bundles {
        layers,
        hints: Hints {
            full: installed,
            named: false,
        },
    })
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
fn describe_failure(
    log: &str,
    latex: &str,
    engine: &str,
    reported: &[String],
    hints: &Hints,
) -> String {
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
    // package or image: say which in plain words, and what to do.
    let mut hint = None;
    if let Some(name) = message
        .strip_prefix("LaTeX Error: File `")
        .and_then(|rest| rest.split('\'').next())
    {
        let what = if name.ends_with(".sty") {
            "package"
        } else if name.ends_with(".cls") {
            "document class"
        } else {
            "file"
        };
        if what == "file" && !name.contains('.') {
            message = format!(
                "file `{name}` not found (images and files are looked up under --resource-path)"
            );
        } else {
            let text = missing_file_message(name, what, hints);
            let (first, rest) = text.split_once('\n').unwrap_or((&text, ""));
            message = first.to_string();
            hint = Some(rest.to_string());
        }
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
    if let Some(hint) = hint.filter(|h| !h.is_empty()) {
        out.push('\n');
        out.push_str(&hint);
        return out;
    }
    if message.starts_with("Emergency stop") || message.contains("terminal input forbidden") {
        out.push_str(
            "\nhint: a file TeX needed is missing from the bundle; scripts/setup installs the \
             full bundle, or pass --tex-bundle",
        );
    }
    out
}

/// The name of the font metric (`.tfm`) TeX could not find, from a
/// "Font \x=name not loadable: Metric (TFM) file or installed font not
/// found" error in the log.
fn missing_font_metric(log: &str) -> Option<String> {
    log.lines().find_map(|line| {
        let rest = line.strip_prefix("! Font ")?;
        if !rest.contains("not loadable: Metric (TFM) file") {
            return None;
        }
        let (_, name) = rest.split_once('=')?;
        let name = name.split(" not loadable").next()?.trim();
        // `name at 10pt` or `"name:features"`: the file name alone.
        let name = name.split(" at ").next()?.split(" scaled ").next()?;
        let name = name.trim_matches('"');
        Some(if name.ends_with(".tfm") {
            name.to_string()
        } else {
            format!("{name}.tfm")
        })
    })
}

/// The Debian package that ships the TeX file `name`, from the
/// `DEBIAN-PACKAGES` table (`name<TAB>package[<TAB>LuaLaTeX]` lines, made
/// from apt-file's index by scripts/install-tex-bundle) of the full bundle
/// `dir`, and whether the file is for LuaLaTeX only. `None` when there is
/// no table; `Some(None)` when no package has the file.
fn debian_package_of(dir: &Path, name: &str) -> Option<Option<(String, bool)>> {
    let table = std::fs::read_to_string(dir.join(DEBIAN_PACKAGES)).ok()?;
    Some(table.lines().find_map(|line| {
        let mut fields = line.split('\t');
        if fields.next()? != name {
            return None;
        }
        let package = fields.next()?.to_string();
        Some((package, fields.next() == Some("LuaLaTeX")))
    }))
}

/// The table of the TeX files of Debian's TeX Live packages, in a full bundle.
pub const DEBIAN_PACKAGES: &str = "DEBIAN-PACKAGES";

/// "{what} `name` is not in the TeX bundle", then a line of what to do:
/// which Debian package has it, or how to get a bundle that does.
fn missing_file_message(name: &str, what: &str, hints: &Hints) -> String {
    let mut out = format!("{what} `{name}` is not in the TeX bundle");
    let install = "then run scripts/setup again (it refreshes the full TeX bundle)";
    match &hints.full {
        Some(dir) => match debian_package_of(dir, name) {
            Some(Some((package, true))) => out.push_str(&format!(
                "\nhint: `{name}` is for LuaLaTeX only (Debian's {package}); ast2latex compiles \
                 with XeLaTeX: leave it out, or load it under \\ifLuaTeX (package iftex)"
            )),
            Some(Some((package, false))) => out.push_str(&format!(
                "\nhint: `{name}` comes with the Debian package {package}: \
                 `apt-get install {package}`, {install}; or pass --tex-bundle with a bundle that has it"
            )),
            Some(None) => out.push_str(&format!(
                "\nhint: no Debian TeX Live package has `{name}`: put it in a folder of \
                 --resource-path, or pass --tex-bundle with a bundle that has it"
            )),
            None => out.push_str(&format!(
                "\nhint: `apt-file search -x /{name}$` names the Debian package that has it: \
                 install it, {install}; or pass --tex-bundle with a bundle that has it"
            )),
        },
        None if hints.named => out.push_str(
            "\nhint: the bundle given to --tex-bundle (or AST2LATEX_TEX_BUNDLE) lacks it: \
             pass a full bundle (scripts/setup installs one)",
        ),
        None => {
            let place = installed_bundle_candidates()
                .first()
                .map(|d| format!(" in {}", d.display()))
                .unwrap_or_default();
            out.push_str(&format!(
                "\nhint: the embedded bundle holds only what the default template needs; \
                 scripts/setup installs the full TeX bundle{place}, used with no option; \
                 or pass --tex-bundle with a bundle that has it"
            ));
        }
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
    seen.into_iter().map(Warning::warning).collect()
}

/// Tectonic's messages: to stderr (stdout may carry the document), errors kept.
struct Status {
    quiet: bool,
    errors: Vec<String>,
    /// Messages already printed: each TeX pass repeats its warnings.
    printed: BTreeSet<String>,
}

impl Status {
    fn note(&mut self, args: Arguments<'_>) {
        self.report(MessageKind::Note, args, None);
    }

    fn warn(&mut self, args: Arguments<'_>) {
        self.report(MessageKind::Warning, args, None);
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn hints_with_table(table: &str) -> (tempfile::TempDir, Hints) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(DEBIAN_PACKAGES), table).unwrap();
        let hints = Hints {
            full: Some(dir.path().to_path_buf()),
            named: false,
        };
        (dir, hints)
    }

    #[test]
    fn a_missing_package_names_its_debian_package_or_says_there_is_none() {
        let (_dir, hints) = hints_with_table(
            "selnolig.sty\ttexlive-luatex\tLuaLaTeX\nsiunitx.sty\ttexlive-science\n",
        );
        assert_eq!(
            missing_file_message("siunitx.sty", "package", &hints),
            "package `siunitx.sty` is not in the TeX bundle\nhint: `siunitx.sty` comes with the \
             Debian package texlive-science: `apt-get install texlive-science`, then run \
             scripts/setup again (it refreshes the full TeX bundle); or pass --tex-bundle with a \
             bundle that has it"
        );
        let lua = missing_file_message("selnolig.sty", "package", &hints);
        assert!(
            lua.contains("is for LuaLaTeX only (Debian's texlive-luatex)"),
            "{lua}"
        );
        let none = missing_file_message("zz.sty", "package", &hints);
        assert!(
            none.ends_with(
                "hint: no Debian TeX Live package has `zz.sty`: put it in a folder of \
                 --resource-path, or pass --tex-bundle with a bundle that has it"
            ),
            "{none}"
        );
        // No table (apt-file had no index): how to find the package.
        let bare = Hints {
            full: Some(PathBuf::from("/nonexistent")),
            named: false,
        };
        let apt = missing_file_message("zz.sty", "package", &bare);
        assert!(apt.contains("`apt-file search -x /zz.sty$`"), "{apt}");
        // No full bundle installed: where scripts/setup puts it.
        let embedded = Hints {
            full: None,
            named: false,
        };
        let setup = missing_file_message("zz.sty", "package", &embedded);
        assert!(
            setup.contains("scripts/setup installs the full TeX bundle in "),
            "{setup}"
        );
    }

    #[test]
    fn the_missing_font_metric_is_read_from_the_log() {
        let log = "! Font \\TS1/lmr/m/n/10=ts1-lmr10 at 10.0pt not loadable: Metric (TFM) file or installed font not found.\n";
        assert_eq!(missing_font_metric(log).as_deref(), Some("ts1-lmr10.tfm"));
        assert_eq!(missing_font_metric("! Undefined control sequence.\n"), None);
    }

    #[test]
    fn a_new_aux_of_bookkeeping_changes_nothing_and_a_label_does() {
        let bookkeeping = "\\relax \n\\providecommand\\hyper@newdestlabel[2]{}\n\
\\providecommand*\\HyPL@Entry[1]{}\n\\HyPL@Entry{0<</S/D>>}\n\\xpglanginauxtrue \n\
\\selectlanguage *[autospacing=false]{french}\n\
\\@writefile{toc}{\\selectlanguage *[autospacing=false]{french}}\n\
\\xpglanginauxfalse \n\\babel@aux{french}{}\n\\gdef \\@abspage@last{2}\n";
        assert!(aux_changes_nothing(bookkeeping.as_bytes()));
        for used in [
            "\\newlabel{s0}{{1}{1}}",
            "\\bibcite{durand}{1}",
            "\\HyPL@Entry{0<</S/r>>}",
            "\\gdef \\@abspage@last{x}",
        ] {
            let aux = format!("{bookkeeping}{used}\n");
            assert!(!aux_changes_nothing(aux.as_bytes()), "{used}");
        }
        assert!(!aux_changes_nothing(b"\\relax\n\xff\n"));
    }

    #[test]
    fn the_aux_store_reads_back_what_it_wrote_and_nothing_from_a_bad_file() {
        let dir = tempfile::tempdir().unwrap();
        let store = AuxStore::new(dir.path(), "/doc/out.pdf");
        let mut files = MemoryFileCollection::new();
        for (name, data) in [
            ("texput.aux", &b"\\relax\n"[..]),
            ("texput.toc", b"x\ny"),
            ("texput.log", b"log"),
            ("texput.xdv", b"pages"),
        ] {
            files.insert(
                name.to_string(),
                MemoryFileInfo {
                    data: data.to_vec(),
                    unix_mtime: None,
                },
            );
        }
        store.save(&files).unwrap();
        let back = store.load();
        assert_eq!(
            back.keys().collect::<Vec<_>>(),
            ["texput.aux", "texput.toc"]
        );
        assert_eq!(back["texput.toc"], b"x\ny");
        assert_ne!(store.path, AuxStore::new(dir.path(), "/doc/other.pdf").path);
        std::fs::write(&store.path, b"ast2latex aux files 1\ntexput.aux\n99\nshort").unwrap();
        assert!(store.load().is_empty());
        for i in 0..AUX_STORES_KEPT + 5 {
            AuxStore::new(dir.path(), &format!("/doc/{i}.pdf"))
                .save(&files)
                .unwrap();
        }
        let kept = std::fs::read_dir(dir.path().join("aux")).unwrap().count();
        assert_eq!(kept, AUX_STORES_KEPT);
    }
}

//! Reads pandoc Markdown (the dialect of `pandoc -f markdown`, pandoc 3) into
//! the pandoc AST of the `ast` crate.
//!
//! The parser is hand-written rather than built on pulldown-cmark: pandoc's
//! Markdown differs from CommonMark in most block rules (what may interrupt a
//! paragraph, list item extent and looseness, tables, divs, raw TeX), and
//! matching pandoc line by line was simpler than bending a CommonMark event
//! stream. The block structure is parsed first with inline content kept as
//! text; inlines are parsed in a second pass, once every reference link,
//! note and heading identifier is known (pandoc does the same lazily).
//!
//! - [`read_markdown`], [`read_files`], [`read_sources`]: a whole [`ast::Pandoc`].
//! - [`write_json_from_sources`]: pandoc JSON written as blocks are converted,
//!   so that a long document's AST is never held whole, nor a long
//!   paragraph's (what the binary uses).
//!
//! Several files are one document, separated by a blank line as pandoc
//! does; errors name the file, line and column ([`ast::Error::Source`]).
//!
//! ```
//! use ast::Block;
//! let doc = md2ast::read_markdown("# Titre\n\nL'*été*.\n", &md2ast::ReadOptions::default()).unwrap();
//! assert!(matches!(&doc.blocks[0], Block::Header(1, attr, _) if attr.id == "titre"));
//! assert_eq!(ast::stringify(&doc.blocks[1]), "L\u{2019}été.");
//! ```

mod attr;
mod block;
mod convert;
mod entities;
mod extensions;
mod html;
mod ident;
mod inline;
mod json_stream;
mod table;
mod tex_args;
mod tex_macros;
mod yaml;

use std::path::{Path, PathBuf};

use ast::{Block, Error, Meta, MetaValue, Pandoc};

pub use extensions::Extensions;

/// Options of the Markdown reader, named and meaning as pandoc's.
#[derive(Debug, Clone)]
pub struct ReadOptions {
    /// Name given to the text in error messages when it has no file
    /// (`read_markdown`); `<stdin>` when `None`.
    pub source_name: Option<PathBuf>,
    /// The extensions (`-f markdown+EXT-EXT`).
    pub extensions: Extensions,
    /// Line length (`--columns`): tables with longer lines get relative widths.
    pub columns: usize,
    /// Spaces per tab (`--tab-stop`): tabs are expanded to this many
    /// columns. (pandoc also indents code blocks and list continuations by
    /// it; md2ast keeps 4 for them.)
    pub tab_stop: usize,
    /// HTML comments are dropped rather than kept as raw HTML (`--strip-comments`).
    pub strip_comments: bool,
    /// Added to every heading's level (`--shift-heading-level-by`); a
    /// heading shifted to level 0 at the start is the title, elsewhere a paragraph.
    pub shift_heading_level_by: i64,
    /// Metadata that replaces the document's (`-M KEY=VALUE`, in order).
    pub metadata: Vec<(String, MetaValue)>,
    /// YAML metadata read before the document's, which replaces it (`--metadata-file`).
    pub metadata_files: Vec<Source>,
    /// Abbreviations followed by a no-break space under `smart`, replacing
    /// pandoc's default list (`--abbreviations`).
    pub abbreviations: Option<Vec<String>>,
    /// Keep where each block came from, nested ones too (`--sourcepos`), with
    /// pandoc's `commonmark+sourcepos` convention: a `data-pos` attribute, or
    /// a wrapper div ([`ast::sourcepos`]); the metadata's words too. The
    /// words of a block are found from there ([`ast::sourcepos::place_words`]).
    pub sourcepos: bool,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            source_name: None,
            extensions: Extensions::default(),
            columns: 72,
            tab_stop: 4,
            strip_comments: false,
            shift_heading_level_by: 0,
            metadata: Vec::new(),
            metadata_files: Vec::new(),
            abbreviations: None,
            sourcepos: false,
        }
    }
}

impl ReadOptions {
    /// Adds `-M KEY[=VALUE]` as pandoc reads it: `true`/`false` (any case
    /// pandoc accepts) and no value are booleans, anything else a string;
    /// a key given twice is a list.
    pub fn add_metadata(&mut self, arg: &str) {
        let (key, value) = match arg.split_once(['=', ':']) {
            Some((k, v)) => (k, Some(v)),
            None => (arg, None),
        };
        let value = match value {
            None | Some("true" | "True" | "TRUE") => MetaValue::MetaBool(true),
            Some("false" | "False" | "FALSE") => MetaValue::MetaBool(false),
            Some(v) => MetaValue::MetaString(v.to_string()),
        };
        self.metadata.push((key.to_string(), value));
    }
}

/// One Markdown input: where it came from and its text.
#[derive(Debug, Clone)]
pub struct Source {
    /// The file name used in error messages.
    pub path: PathBuf,
    /// The Markdown text.
    pub text: String,
}

/// Reads one Markdown text.
pub fn read_markdown(text: &str, options: &ReadOptions) -> Result<Pandoc, Error> {
    let path = options
        .source_name
        .clone()
        .unwrap_or_else(|| PathBuf::from("<stdin>"));
    read_sources(
        &[Source {
            path,
            text: text.to_string(),
        }],
        options,
    )
}

/// Reads files, in order, as one document (pandoc's `pandoc a.md b.md`).
pub fn read_files(paths: &[PathBuf], options: &ReadOptions) -> Result<Pandoc, Error> {
    let mut sources = Vec::with_capacity(paths.len());
    for p in paths {
        let bytes = std::fs::read(p).map_err(|source| Error::Input {
            path: p.clone(),
            source,
        })?;
        sources.push(Source {
            path: p.clone(),
            text: decode_utf8(p, bytes)?,
        });
    }
    read_sources(&sources, options)
}

/// Checks that `bytes` are UTF-8, or says where they are not (`path:line:col`).
pub fn decode_utf8(path: &Path, bytes: Vec<u8>) -> Result<String, Error> {
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        let before = &bytes[..valid];
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let line_start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |p| p + 1);
        let column = String::from_utf8_lossy(&before[line_start..])
            .chars()
            .count()
            + 1;
        Error::Source {
            path: path.to_path_buf(),
            line,
            column,
            message: format!("invalid UTF-8 (byte 0x{:02x})", bytes[valid]),
        }
    })
}

/// Lines of the concatenated input that each source starts at.
struct LineMap<'s> {
    starts: Vec<(usize, &'s Path)>,
}

impl LineMap<'_> {
    /// The file and 1-based line of 0-based line `line` of the whole input.
    fn locate(&self, line: usize) -> (PathBuf, usize) {
        let idx = self
            .starts
            .partition_point(|(s, _)| *s <= line)
            .saturating_sub(1);
        match self.starts.get(idx) {
            Some((s, p)) => (p.to_path_buf(), line - s + 1),
            None => (PathBuf::from("<stdin>"), line + 1),
        }
    }
}

/// Reads several sources as one document: each source ends with a newline
/// and a blank line separates them, as pandoc does.
pub fn read_sources(sources: &[Source], options: &ReadOptions) -> Result<Pandoc, Error> {
    let mut doc = Pandoc::default();
    // Whole blocks only: nothing is larger than `usize::MAX`.
    let whole = StreamLimits {
        para_chunk: usize::MAX,
        stream_above: usize::MAX,
    };
    let mut placer = Placer::default();
    read_sources_with(sources, options, &whole, &mut |piece| {
        match placer.place(piece) {
            None => {}
            Some(Piece::Meta(meta)) => doc.meta = meta,
            Some(Piece::Block(block)) => doc.blocks.push(block),
            Some(
                Piece::StreamStart
                | Piece::Raw(_)
                | Piece::Nested(_)
                | Piece::Inlines(_)
                | Piece::Positioner(_),
            ) => {
                return Err(Error::Other(
                    "internal error: a block written as JSON while the AST was wanted".into(),
                ))
            }
        }
        Ok(())
    })?;
    Ok(doc)
}

/// Reads the sources and writes the document as pandoc JSON to `out`, a
/// batch of top-level blocks at a time, so that the whole AST of a large
/// document is never in memory at once; a block of more than 64 KB is
/// written as it is converted, a long paragraph a chunk of inlines at a
/// time (the bytes are those of `ast::write_json`). Converting and writing
/// overlap on two threads.
pub fn write_json_from_sources(
    sources: &[Source],
    options: &ReadOptions,
    out: &mut dyn std::io::Write,
) -> Result<(), Error> {
    write_json_streamed(sources, options, &STREAM_LIMITS, out)
}

/// [`write_json_from_sources`], with the large blocks written as `limits` says.
fn write_json_streamed(
    sources: &[Source],
    options: &ReadOptions,
    limits: &StreamLimits,
    out: &mut dyn std::io::Write,
) -> Result<(), Error> {
    // Pieces go over a batch at a time (a hand-over per block would cost
    // both threads a wake-up each), a few batches in flight at most, to
    // bound memory; a chunk of a long paragraph goes at once.
    let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<Piece>>(2);
    std::thread::scope(|scope| {
        let reader = std::thread::Builder::new()
            .name("md2ast-read".into())
            .stack_size(256 << 20)
            .spawn_scoped(scope, move || {
                let mut batch = Vec::with_capacity(SEND_BATCH);
                let read = read_sources_with(sources, options, limits, &mut |piece| {
                    let chunk = matches!(piece, Piece::Inlines(_));
                    batch.push(piece);
                    if chunk || batch.len() >= SEND_BATCH {
                        let full = std::mem::replace(&mut batch, Vec::with_capacity(SEND_BATCH));
                        // The writer only goes away after an output error,
                        // which it reports: stop converting then.
                        if tx.send(full).is_err() {
                            return Err(Error::Other("the output failed".into()));
                        }
                    }
                    Ok(())
                });
                if !batch.is_empty() {
                    let _ = tx.send(batch);
                }
                read
            })
            .map_err(|e| Error::Other(format!("cannot start a thread: {e}")))?;
        let mut stream = json_stream::JsonStream::new(out);
        let mut written = Ok(());
        let mut started = false;
        let mut placer = Placer::default();
        'batches: for batch in rx {
            for piece in batch {
                let Some(piece) = placer.place(piece) else {
                    continue;
                };
                written = match piece {
                    Piece::Meta(meta) => {
                        started = true;
                        stream.start(meta)
                    }
                    Piece::Block(block) => stream.block(block),
                    Piece::StreamStart => stream.stream_start(),
                    Piece::Raw(bytes) => stream.raw(bytes),
                    Piece::Nested(block) => stream.nested(block),
                    Piece::Inlines(chunk) => stream.inlines(chunk),
                    Piece::Positioner(_) => Ok(()),
                };
                if written.is_err() {
                    break 'batches;
                }
            }
        }
        let read = reader
            .join()
            .map_err(|_| Error::Other("internal error (panic); please report it".into()))?;
        // An output error first: it is what stopped the reader, if anything did.
        written?;
        read?;
        if !started {
            stream.start(Meta::new())?;
        }
        stream.finish()
    })
}

/// Top-level blocks handed from the reader thread to the writer at once.
const SEND_BATCH: usize = 64;

/// When a block is written as it is converted rather than whole.
pub(crate) struct StreamLimits {
    /// A paragraph of more inlines than this is written in chunks of
    /// about this many, never held whole.
    pub para_chunk: usize,
    /// A top-level block of more bytes of text than this is written as it
    /// is converted: its paragraphs in chunks, and, in block quotes, divs
    /// and lists, each of its blocks once converted.
    pub stream_above: usize,
}

/// A long paragraph's AST is never held whole (chunks of a few hundred
/// kilobytes), and a top-level block of more than 64 KB of Markdown is
/// written as it is converted (the 10 MB benchmark document has none).
const STREAM_LIMITS: StreamLimits = StreamLimits {
    para_chunk: 2048,
    stream_above: 64 << 10,
};

/// What the reader hands out: the metadata first, then each top-level
/// block: whole, or, when large, as `StreamStart` followed by the pieces of
/// its JSON in order (`Raw` bytes, `Nested` blocks and `Inlines` of a
/// paragraph, without brackets or separators, which come as `Raw`).
pub(crate) enum Piece {
    Meta(Meta),
    Block(Block),
    StreamStart,
    Raw(Vec<u8>),
    Nested(Block),
    Inlines(Vec<ast::Inline>),
    /// With `--sourcepos`, first: what places the metadata and the blocks
    /// that follow in the sources.
    Positioner(Box<ast::sourcepos::Aligner>),
}

/// What `--sourcepos` places: every block, nested ones too
/// ([`ast::sourcepos::Granularity::Nested`]; a wrapper for each run of
/// words made md2ast three times as slow).
const POSITIONS: ast::sourcepos::Granularity = ast::sourcepos::Granularity::Nested;

/// Gives the pieces that follow a [`Piece::Positioner`] their positions.
#[derive(Default)]
struct Placer {
    aligner: Option<Box<ast::sourcepos::Aligner>>,
}

impl Placer {
    /// The piece placed; `None` for the positioner itself, kept.
    fn place(&mut self, piece: Piece) -> Option<Piece> {
        match (&mut self.aligner, piece) {
            (_, Piece::Positioner(a)) => {
                self.aligner = Some(a);
                None
            }
            (Some(a), Piece::Meta(mut meta)) => {
                a.meta(&mut meta);
                Some(Piece::Meta(meta))
            }
            (Some(a), Piece::Block(mut b)) => {
                a.top_block(&mut b);
                Some(Piece::Block(b))
            }
            (_, piece) => Some(piece),
        }
    }
}

/// The two passes: block structure, then the metadata and each converted
/// top-level block, handed to `on_piece` in order.
fn read_sources_with(
    sources: &[Source],
    options: &ReadOptions,
    limits: &StreamLimits,
    on_piece: &mut dyn FnMut(Piece) -> Result<(), Error>,
) -> Result<(), Error> {
    table::set_columns(options.columns);
    let total: usize = sources.iter().map(|s| s.text.len() + 2).sum();
    let mut text = String::with_capacity(total + 2);
    let mut starts = Vec::with_capacity(sources.len());
    let mut line = 0;
    for s in sources {
        starts.push((line, s.path.as_path()));
        let before = text.len();
        normalize_into(&s.text, options.tab_stop, &mut text);
        if !text.ends_with('\n') {
            text.push('\n');
        }
        text.push('\n');
        line += memchr_count(&text.as_bytes()[before..]);
    }
    text.push('\n');
    let map = LineMap { starts };

    let mut col = block::Collected::new(options);
    let mut blocks = block::BlockParser::new(&mut col).parse_document(&text);
    drop(text);
    let yaml_blocks = std::mem::take(&mut col.yaml);
    let positioner = options.sourcepos.then(|| {
        let yaml: Vec<(usize, usize)> = yaml_blocks
            .iter()
            .map(|y| (y.first_line, memchr_count(y.text.as_bytes()) + 2))
            .collect();
        let named: Vec<(String, &str)> = sources
            .iter()
            .map(|s| (s.path.display().to_string(), s.text.as_str()))
            .collect();
        let named: Vec<(&str, &str)> = named.iter().map(|(p, t)| (p.as_str(), *t)).collect();
        ast::sourcepos::Aligner::new(&named, &yaml, POSITIONS)
    });
    // With positions, blocks are whole (never streamed in pieces): each is
    // placed once converted, by whoever takes the pieces (the writer's
    // thread, which has time to spare).
    let whole = StreamLimits {
        para_chunk: usize::MAX,
        stream_above: usize::MAX,
    };
    let limits = if positioner.is_some() { &whole } else { limits };
    if let Some(p) = positioner {
        on_piece(Piece::Positioner(Box::new(p)))?;
    }
    let title_block = col.title_block.take();
    let mut conv = convert::Conv::new(col);
    conv.abbreviations = options
        .abbreviations
        .as_ref()
        .map(|list| list.iter().cloned().collect());
    if options.extensions.auto_identifiers {
        conv.assign_ids(&mut blocks);
        conv.examples_seen = 0;
    }
    conv.macros = tex_macros::Macros::default();

    let mut meta = Meta::new();
    // The metadata files first: the document's own metadata replaces theirs.
    for file in &options.metadata_files {
        let mut text = String::with_capacity(file.text.len());
        normalize_into(&file.text, options.tab_stop, &mut text);
        let y = block::YamlBlock {
            text,
            first_line: 0,
        };
        let file_map = LineMap {
            starts: vec![(0, file.path.as_path())],
        };
        read_yaml_block(&y, &file_map, options, &mut conv, &mut meta)?;
    }
    if let Some(tb) = title_block {
        convert::title_block_meta(tb, &mut conv, &mut meta);
    }
    for y in &yaml_blocks {
        read_yaml_block(y, &map, options, &mut conv, &mut meta)?;
    }
    if options.shift_heading_level_by != 0 {
        convert::shift_headings(
            &mut blocks,
            options.shift_heading_level_by,
            &mut conv,
            &mut meta,
        );
    }
    let mut cli: Vec<(String, MetaValue)> = Vec::new();
    for (k, v) in &options.metadata {
        match cli.iter_mut().find(|(key, _)| key == k) {
            Some((_, MetaValue::MetaList(list))) => list.push(v.clone()),
            Some((_, first)) => {
                let before = std::mem::replace(first, MetaValue::MetaBool(false));
                *first = MetaValue::MetaList(vec![before, v.clone()]);
            }
            None => cli.push((k.clone(), v.clone())),
        }
    }
    meta.extend(cli);
    on_piece(Piece::Meta(meta))?;
    for b in blocks {
        conv.top_block(b, limits, on_piece)?;
    }
    Ok(())
}

/// Reads one YAML block into `meta` (its keys replace earlier ones).
fn read_yaml_block(
    y: &block::YamlBlock,
    map: &LineMap<'_>,
    options: &ReadOptions,
    conv: &mut convert::Conv,
    meta: &mut Meta,
) -> Result<(), Error> {
    let mut pairs = yaml::parse_yaml(&y.text).map_err(|e| {
        let (path, line) = map.locate(y.first_line + e.line - 1);
        Error::Source {
            path,
            line,
            column: e.column,
            message: format!("bad YAML metadata: {}", e.message),
        }
    })?;
    // In key order, as pandoc (a `Map`) reads them: citations are
    // numbered in that order.
    pairs.sort_by(|a, b| a.0.cmp(&b.0));
    for (k, v) in pairs {
        if k.ends_with('_') {
            continue;
        }
        let mut md = |s: &str, one_para: bool| {
            if one_para && !(options.extensions.raw_html && block::has_html_block_tag(s)) {
                return vec![Block::Para(conv.inlines(s))];
            }
            let mut c = block::Collected::new(options);
            let ir = block::BlockParser::new(&mut c).parse_document(&format!("{s}\n\n"));
            conv.blocks(ir)
        };
        let value = yaml::to_meta(v, &mut md);
        meta.insert(k, value);
    }
    Ok(())
}

fn memchr_count(b: &[u8]) -> usize {
    memchr::memchr_iter(b'\n', b).count()
}

/// Appends `src` with CRLF as LF and every tab expanded to the next
/// `tab_stop`-column stop (pandoc's `tabFilter`, columns in characters).
fn normalize_into(src: &str, tab_stop: usize, out: &mut String) {
    let tab_stop = tab_stop.max(1);
    if memchr::memchr2(b'\r', b'\t', src.as_bytes()).is_none() {
        out.push_str(src);
        return;
    }
    for (i, line) in src.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let mut line = line.strip_suffix('\r').unwrap_or(line);
        while let Some(tab) = memchr::memchr(b'\t', line.as_bytes()) {
            let before = &line[..tab];
            out.push_str(before);
            // Columns restart after each expanded tab, which ends on a stop.
            let col = before.chars().count();
            for _ in 0..tab_stop - col % tab_stop {
                out.push(' ');
            }
            line = &line[tab + 1..];
        }
        out.push_str(line);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Markdown's block and inline markers, for random documents.
    const FRAGMENTS: &[&str] = &[
        "mot",
        "é",
        " ",
        "\n",
        "\n\n",
        "    ",
        "*",
        "**",
        "_",
        "`",
        "[",
        "]",
        "(",
        ")",
        "![",
        "[^1]",
        "[^1]: note\n",
        "^[n]",
        "@b",
        "[@a]",
        "'",
        "\"",
        "...",
        "--",
        "\\",
        "- ",
        "1. ",
        "> ",
        "# ",
        ":::",
        "::: x\n",
        "| a |",
        "|---|",
        ": ",
        "[x]: /u\n",
        "[x]",
        "{#id}",
        "<div>",
        "</div>",
        "```\n",
        "$x$",
    ];

    proptest! {
        #![proptest_config(ProptestConfig { cases: 500, ..ProptestConfig::default() })]

        /// Any document streamed block by block, paragraphs a chunk of one
        /// inline at a time, gives the bytes of the whole document's JSON.
        #[test]
        fn streamed_random_documents_give_the_whole_document_json(
            parts in prop::collection::vec(prop::sample::select(FRAGMENTS), 0..120)
        ) {
            let sources = [Source { path: "random.md".into(), text: parts.concat() }];
            let options = ReadOptions::default();
            let whole = read_sources(&sources, &options).map(|d| ast::to_json_string(&d));
            let limits = StreamLimits { para_chunk: 1, stream_above: 0 };
            let mut streamed = Vec::new();
            let written = write_json_streamed(&sources, &options, &limits, &mut streamed);
            match whole {
                Ok(json) => {
                    prop_assert!(written.is_ok());
                    prop_assert_eq!(String::from_utf8(streamed).expect("UTF-8"), json);
                }
                Err(_) => prop_assert!(written.is_err()),
            }
        }
    }

    /// Every fixture and the canonical document, with every block written
    /// as it is converted and paragraphs in chunks of one, two or three
    /// inlines (or whole), give the bytes of the whole document's JSON.
    #[test]
    fn streamed_blocks_give_the_whole_document_json() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut paths: Vec<PathBuf> = std::fs::read_dir(root.join("tests/fixtures"))
            .expect("fixtures folder")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "md"))
            .collect();
        paths.sort();
        paths.push(root.join("../tests/fixtures/canonical/canonical.md"));
        assert!(paths.len() > 80, "{} fixtures", paths.len());
        let options = ReadOptions::default();
        for path in &paths {
            let text = std::fs::read_to_string(path).expect("read");
            let sources = [Source {
                path: path.clone(),
                text,
            }];
            let whole = ast::to_json_string(&read_sources(&sources, &options).expect("reads"));
            for para_chunk in [1, 2, 3, usize::MAX] {
                let limits = StreamLimits {
                    para_chunk,
                    stream_above: 0,
                };
                let mut streamed = Vec::new();
                write_json_streamed(&sources, &options, &limits, &mut streamed).expect("writes");
                assert_eq!(
                    String::from_utf8(streamed).expect("UTF-8"),
                    whole,
                    "{} streamed, paragraphs in chunks of {para_chunk}",
                    path.display()
                );
            }
        }
    }
}

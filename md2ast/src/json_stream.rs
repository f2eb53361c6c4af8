//! Writes a document as pandoc JSON a batch of blocks at a time.
//!
//! `ast` writes whole documents only; the bytes of a batch of blocks are
//! taken from the JSON of a document holding just them, between the fixed prefix
//! `{"pandoc-api-version":[...],"meta":{},"blocks":[` and the suffix `]}\n`,
//! so the output is byte for byte `ast::write_json`'s. A large block comes
//! in pieces: bytes, blocks inside it, and chunks of a long paragraph's
//! inlines, taken the same way from the JSON of a paragraph holding just them.

use std::io::Write;
use std::path::PathBuf;

use ast::{Block, Error, Inline, Meta, Pandoc};

const SUFFIX: &str = "]}\n";
/// How pandoc's JSON opens a paragraph, and closes it.
const PARA_OPEN: &[u8] = br#"{"t":"Para","c":["#;
const CLOSE: &[u8] = b"]}";

/// The JSON of one block, as `ast::write_json` writes it in a document.
pub(crate) fn block_json(block: Block) -> Vec<u8> {
    let mut doc = Pandoc::new(Meta::new(), vec![block]);
    let json = ast::to_json_string(&doc);
    drop(std::mem::take(&mut doc.blocks));
    let prefix = ast::to_json_string(&Pandoc::default()).len() - SUFFIX.len();
    json.get(prefix..json.len() - SUFFIX.len())
        .unwrap_or_default()
        .as_bytes()
        .to_vec()
}

/// Top-level blocks written at once: few enough that their AST stays small,
/// many enough that the writer's per-call setup (a buffer, a stack check
/// that may map a fresh stack segment) is paid rarely.
pub(crate) const BATCH: usize = 256;

pub(crate) struct JsonStream<'w> {
    out: &'w mut dyn Write,
    /// Length of the JSON of an empty document up to the blocks' `[`.
    prefix_len: usize,
    first: bool,
    pending: Vec<Block>,
    /// The bytes `Between` holds back, reused.
    tail: Vec<u8>,
}

/// A writer passing on what it is given but the first `skip` bytes and
/// the last `keep` bytes.
struct Between<'a> {
    out: &'a mut dyn Write,
    skip: usize,
    keep: usize,
    /// The last bytes given (at most `keep`), held back until more come.
    tail: Vec<u8>,
}

impl Write for Between<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let skipped = self.skip.min(buf.len());
        self.skip -= skipped;
        let b = &buf[skipped..];
        if b.len() >= self.keep {
            let cut = b.len() - self.keep;
            self.out.write_all(&self.tail)?;
            self.out.write_all(&b[..cut])?;
            self.tail.clear();
            self.tail.extend_from_slice(&b[cut..]);
        } else {
            self.tail.extend_from_slice(b);
            let extra = self.tail.len().saturating_sub(self.keep);
            if extra > 0 {
                self.out.write_all(&self.tail[..extra])?;
                self.tail.drain(..extra);
            }
        }
        Ok(buf.len())
    }

    /// The output is flushed once, at the end of the document.
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn io_err(source: std::io::Error) -> Error {
    Error::Output {
        path: PathBuf::from("<output>"),
        source,
    }
}

impl<'w> JsonStream<'w> {
    pub(crate) fn new(out: &'w mut dyn Write) -> Self {
        let empty = ast::to_json_string(&Pandoc::default());
        JsonStream {
            out,
            prefix_len: empty.len() - SUFFIX.len(),
            first: true,
            pending: Vec::with_capacity(BATCH),
            tail: Vec::new(),
        }
    }

    /// Writes everything before the first block.
    pub(crate) fn start(&mut self, meta: Meta) -> Result<(), Error> {
        let mut doc = Pandoc::new(meta, Vec::new());
        let head = ast::to_json_string(&doc);
        // Dropped as a plain map: `Pandoc`'s own drop maps a large stack for
        // deep documents, costly for a small metadata map.
        drop(std::mem::take(&mut doc.meta));
        let head = head.strip_suffix(SUFFIX).unwrap_or(&head);
        self.out.write_all(head.as_bytes()).map_err(io_err)
    }

    pub(crate) fn block(&mut self, block: Block) -> Result<(), Error> {
        self.pending.push(block);
        if self.pending.len() >= BATCH {
            self.flush_pending()?;
        }
        Ok(())
    }

    fn flush_pending(&mut self) -> Result<(), Error> {
        if self.pending.is_empty() {
            return Ok(());
        }
        if !self.first {
            self.out.write_all(b",").map_err(io_err)?;
        }
        self.first = false;
        let mut doc = Pandoc::new(Meta::new(), std::mem::take(&mut self.pending));
        let written = self.write_between(&doc, self.prefix_len, SUFFIX.len());
        // Dropped as a plain vector: the nesting is bounded by the reader.
        drop(std::mem::take(&mut doc.blocks));
        self.pending = Vec::with_capacity(BATCH);
        written
    }

    /// Writes `ast::write_json`'s bytes for `doc` but its first `skip` and
    /// last `keep` bytes (the fixed prefix and suffix) to the output, as
    /// they are made: a batch's JSON is never held whole.
    fn write_between(&mut self, doc: &Pandoc, skip: usize, keep: usize) -> Result<(), Error> {
        let mut between = Between {
            out: &mut *self.out,
            skip,
            keep,
            tail: std::mem::take(&mut self.tail),
        };
        let written = ast::write_json(doc, &mut between).map_err(io_err);
        self.tail = between.tail;
        self.tail.clear();
        written
    }

    /// Starts a top-level block whose JSON comes in pieces.
    pub(crate) fn stream_start(&mut self) -> Result<(), Error> {
        self.flush_pending()?;
        if !self.first {
            self.out.write_all(b",").map_err(io_err)?;
        }
        self.first = false;
        Ok(())
    }

    /// Writes bytes of a block started by [`Self::stream_start`].
    pub(crate) fn raw(&mut self, bytes: Vec<u8>) -> Result<(), Error> {
        self.out.write_all(&bytes).map_err(io_err)
    }

    /// Writes a block inside a block started by [`Self::stream_start`].
    pub(crate) fn nested(&mut self, block: Block) -> Result<(), Error> {
        let mut doc = Pandoc::new(Meta::new(), vec![block]);
        let written = self.write_between(&doc, self.prefix_len, SUFFIX.len());
        drop(std::mem::take(&mut doc.blocks));
        written
    }

    /// Writes inlines of a paragraph, without brackets or separators.
    pub(crate) fn inlines(&mut self, chunk: Vec<Inline>) -> Result<(), Error> {
        let mut doc = Pandoc::new(Meta::new(), vec![Block::Para(chunk)]);
        let written = self.write_between(
            &doc,
            self.prefix_len + PARA_OPEN.len(),
            CLOSE.len() + SUFFIX.len(),
        );
        drop(std::mem::take(&mut doc.blocks));
        written
    }

    pub(crate) fn finish(&mut self) -> Result<(), Error> {
        self.flush_pending()?;
        self.out.write_all(SUFFIX.as_bytes()).map_err(io_err)
    }
}

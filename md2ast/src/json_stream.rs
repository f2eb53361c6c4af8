//! Writes a document as pandoc JSON block by block.
//!
//! `ast` writes whole documents only; the bytes of one block are taken from
//! the JSON of a document holding just that block, between the fixed prefix
//! `{"pandoc-api-version":[...],"meta":{},"blocks":[` and the suffix `]}\n`,
//! so the output is byte for byte `ast::write_json`'s.

use std::io::Write;
use std::path::PathBuf;

use ast::{Block, Error, Meta, Pandoc};

const SUFFIX: &str = "]}\n";

pub(crate) struct JsonStream<'w> {
    out: &'w mut dyn Write,
    /// Length of the JSON of an empty document up to the blocks' `[`.
    prefix_len: usize,
    first: bool,
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
        }
    }

    /// Writes everything before the first block.
    pub(crate) fn start(&mut self, meta: Meta) -> Result<(), Error> {
        let head = ast::to_json_string(&Pandoc::new(meta, Vec::new()));
        let head = head.strip_suffix(SUFFIX).unwrap_or(&head);
        self.out.write_all(head.as_bytes()).map_err(io_err)
    }

    pub(crate) fn block(&mut self, block: Block) -> Result<(), Error> {
        let json = ast::to_json_string(&Pandoc::new(Meta::new(), vec![block]));
        let inner = json
            .get(self.prefix_len..json.len() - SUFFIX.len())
            .unwrap_or("");
        if !self.first {
            self.out.write_all(b",").map_err(io_err)?;
        }
        self.first = false;
        self.out.write_all(inner.as_bytes()).map_err(io_err)
    }

    pub(crate) fn finish(&mut self) -> Result<(), Error> {
        self.out.write_all(SUFFIX.as_bytes()).map_err(io_err)
    }
}

//! Reading a document one top-level block at a time, as its bytes arrive.
//!
//! In `md2ast | ast-filters | ast2html` on two cores, a stage that reads all
//! of its input before working cannot overlap with the stage before it, and
//! building the whole tree of a large document costs far more memory than the
//! block at hand. pandoc and our writers put `"pandoc-api-version"` and
//! `"meta"` before `"blocks"`, so a stage can have the metadata first and
//! then take each block as soon as it is complete.
//!
//! The same recursive-descent reader as [`read_json`](super::read_json) does
//! the parsing, on a window of the input: a block that is not complete yet
//! fails to parse, more input is read (at least doubling what is buffered, so
//! a huge block costs a bounded number of attempts) and the block is parsed
//! again, or, once it has failed, its end is found by a scan of brackets and
//! strings so that it is parsed once more only. A document whose keys come
//! in another order is read whole and then handed out block by block: the
//! documents that [`read_json`](super::read_json) accepts are the ones
//! accepted here, with the same blocks (the first of a repeated key counts,
//! as with pandoc), and a syntax error is the one it reports; only invalid
//! UTF-8 can be reported at a different place (the whole-document reader
//! checks all of the input first, the stream as it arrives).

use std::collections::VecDeque;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use super::{line_col, read_json_bytes, RawError, Reader, API_MAJOR_MINOR};
use crate::definition::{Block, Inline, Meta, Pandoc};
use crate::error::Error;

/// The least input read at a time.
const READ_SIZE: usize = 1 << 16;
/// A batch ends once it has consumed this much input, so that a stage's
/// memory stays bounded when its input arrives faster than it works.
const BATCH_BYTES: usize = 1 << 20;

/// A pandoc JSON document read block by block from `R`.
pub struct BlockReader<R: Read> {
    input: R,
    path: Option<PathBuf>,
    /// The window of the input kept in memory, valid UTF-8.
    text: String,
    /// Bytes read but not yet in `text`: the start of a character cut by a read.
    pending: Vec<u8>,
    /// What `read` reads into (zeroed once, not at every read).
    chunk: Vec<u8>,
    /// Where the next unread value starts in `text`.
    pos: usize,
    eof: bool,
    /// Line breaks in the input dropped from the front of `text`, the
    /// characters after the last of them, and its bytes, so that positions
    /// stay those of the whole input.
    dropped_lines: usize,
    dropped_columns: usize,
    dropped_bytes: usize,
    api_version: Vec<u32>,
    meta: Meta,
    state: State,
    inline_stack: Vec<Inline>,
    block_stack: Vec<Block>,
}

enum State {
    /// In the `"blocks"` array: the next thing is a block, or `]`.
    FirstBlock,
    /// In the `"blocks"` array after a block: the next thing is `,` or `]`.
    NextBlock,
    /// In the `"blocks"` array after `[` or `,`: the next thing is a block.
    AfterComma,
    /// The document was read whole (keys in another order); its blocks.
    Whole(VecDeque<Block>),
    Done,
}

/// What reading the header found.
enum Attempt<T> {
    /// The header in pandoc's order.
    Parsed(T),
    /// The keys of the document are not in pandoc's order.
    OtherOrder,
}

impl<R: Read> BlockReader<R> {
    /// Reads up to the first block: the API version (checked) and the
    /// metadata. `path` names the input in error messages (`None` for stdin).
    pub fn new(input: R, path: Option<&Path>) -> Result<Self, Error> {
        let mut reader = BlockReader {
            input,
            path: path.map(Path::to_path_buf),
            text: String::new(),
            pending: Vec::new(),
            chunk: Vec::new(),
            pos: 0,
            eof: false,
            dropped_lines: 0,
            dropped_columns: 0,
            dropped_bytes: 0,
            api_version: Vec::new(),
            meta: Meta::new(),
            state: State::Done,
            inline_stack: Vec::new(),
            block_stack: Vec::new(),
        };
        reader.header()?;
        Ok(reader)
    }

    /// The API version as read.
    pub fn api_version(&self) -> &[u32] {
        &self.api_version
    }

    /// The document's metadata.
    pub fn meta(&self) -> &Meta {
        &self.meta
    }

    /// The document's metadata, to change before passing it on.
    pub fn meta_mut(&mut self) -> &mut Meta {
        &mut self.meta
    }

    /// The next top-level block, or `None` once the document has ended (the
    /// rest of the input is checked first).
    pub fn next_block(&mut self) -> Result<Option<Block>, Error> {
        self.next(true)
    }

    /// Appends to `out` the blocks that can be read without waiting for input
    /// (at least one, waiting if need be), up to about a megabyte of input.
    /// Returns `false` when the document has ended and nothing was appended.
    pub fn next_batch(&mut self, out: &mut Vec<Block>) -> Result<bool, Error> {
        if let State::Whole(blocks) = &mut self.state {
            let n = blocks.len().min(256);
            out.extend(blocks.drain(..n));
            if n > 0 {
                return Ok(true);
            }
            self.state = State::Done;
            return Ok(false);
        }
        let Some(first) = self.next(true)? else {
            return Ok(false);
        };
        out.push(first);
        let start = self.consumed();
        while self.consumed() - start < BATCH_BYTES {
            match self.next(false)? {
                Some(b) => out.push(b),
                None => break,
            }
        }
        Ok(true)
    }

    /// Bytes of input consumed so far.
    fn consumed(&self) -> usize {
        self.dropped_bytes + self.pos
    }

    /// The next block; with `wait` false, `None` also when the next block is
    /// not in the window yet.
    fn next(&mut self, wait: bool) -> Result<Option<Block>, Error> {
        match &mut self.state {
            State::Done => return Ok(None),
            State::Whole(blocks) => {
                let b = blocks.pop_front();
                if b.is_none() {
                    self.state = State::Done;
                }
                return Ok(b);
            }
            State::FirstBlock | State::NextBlock | State::AfterComma => {}
        }
        if !matches!(self.state, State::AfterComma) {
            let first = matches!(self.state, State::FirstBlock);
            // `Some(true)`: a block follows; `Some(false)`: the array ended.
            let Some(more) = self.parse(wait, |r| {
                if first {
                    match r.peek() {
                        Some(b']') => {
                            r.pos += 1;
                            Ok(false)
                        }
                        // Nothing in the window yet: wait before deciding.
                        None => r.err("expected a Block or ']', found end of input"),
                        Some(_) => Ok(true),
                    }
                } else {
                    r.array_next()
                }
            })?
            else {
                return Ok(None);
            };
            if !more {
                self.trailer()?;
                self.state = State::Done;
                return Ok(None);
            }
            self.state = State::AfterComma;
        }
        let Some(block) = self.parse_value(wait, true, |r| r.block())? else {
            return Ok(None);
        };
        self.state = State::NextBlock;
        Ok(Some(block))
    }

    /// `{"pandoc-api-version":[..],"meta":{..},"blocks":[`, in that order;
    /// anything else is read whole by the document reader.
    fn header(&mut self) -> Result<(), Error> {
        loop {
            let (result, end) = self.with_reader(0, |r| (header_fields(r), r.pos));
            match result {
                Ok(Attempt::Parsed((version, meta))) => {
                    self.api_version = version;
                    self.meta = meta;
                    self.pos = end;
                    self.state = State::FirstBlock;
                    return Ok(());
                }
                Ok(Attempt::OtherOrder) => return self.read_whole(),
                Err(e @ RawError::Version(_)) => return Err(self.locate(e)),
                // A syntax error may be one that the document reader reports
                // differently (a later version key that explains it): let it
                // have the whole input.
                Err(_) if self.eof => return self.read_whole(),
                // Reading errors (I/O, UTF-8) are final.
                Err(_) => self.fill(self.text.len().max(READ_SIZE))?,
            }
        }
    }

    /// After the blocks' `]`: other keys up to `}`, then the end of the input.
    fn trailer(&mut self) -> Result<(), Error> {
        self.parse(true, |r| loop {
            match r.peek() {
                Some(b',') => r.pos += 1,
                Some(b'}') => {
                    r.pos += 1;
                    return Ok(());
                }
                _ => return r.err(format!("expected ',' or '}}', found {}", r.describe())),
            }
            // Any other key, a repeated one included (the first counts, as
            // with pandoc), is only checked as JSON.
            r.str_cow()?;
            r.expect(b':')?;
            r.skip_value()?;
        })?;
        while !self.eof {
            self.fill(READ_SIZE)?;
        }
        let rest = &self.text[self.pos..];
        let blank = rest.trim_start_matches([' ', '\n', '\r', '\t']);
        if blank.is_empty() {
            return Ok(());
        }
        let at = self.text.len() - blank.len();
        let e = self.with_reader(at, |r| RawError::Syntax {
            pos: at,
            message: format!("unexpected {} after the document", r.describe()),
        });
        Err(self.locate(e))
    }

    /// Reads the rest of the input and the document whole, from the start
    /// (nothing was dropped before the header was read).
    fn read_whole(&mut self) -> Result<(), Error> {
        while !self.eof {
            self.fill(READ_SIZE)?;
        }
        let mut bytes = std::mem::take(&mut self.text).into_bytes();
        bytes.append(&mut self.pending);
        let mut doc: Pandoc = read_json_bytes(&bytes).map_err(|source| Error::Json {
            path: self.path.clone(),
            source,
        })?;
        self.api_version = std::mem::take(&mut doc.api_version);
        self.meta = std::mem::take(&mut doc.meta);
        self.state = State::Whole(std::mem::take(&mut doc.blocks).into());
        self.pos = 0;
        Ok(())
    }

    /// Runs `f` on the window at `pos` until it parses; when it fails before
    /// the end of the input, reads more and tries again. With `wait` false,
    /// gives `None` instead of waiting for input.
    fn parse<T>(
        &mut self,
        wait: bool,
        f: impl Fn(&mut Reader<'_>) -> Result<T, RawError>,
    ) -> Result<Option<T>, Error> {
        self.parse_value(wait, false, f)
    }

    /// [`parse`](Self::parse) for one JSON value (a block): when the first
    /// attempt fails for want of input, reads on to the value's end, found
    /// by a scan of its brackets and strings, so that a block of hundreds of
    /// megabytes is parsed once, not once per doubling of the window.
    fn parse_value<T>(
        &mut self,
        wait: bool,
        one_value: bool,
        f: impl Fn(&mut Reader<'_>) -> Result<T, RawError>,
    ) -> Result<Option<T>, Error> {
        let mut scanned = !one_value;
        // The whole value is in the window: a failure is an error in it.
        let mut complete = false;
        loop {
            let (result, end) = self.with_reader(self.pos, |r| (f(r), r.pos));
            match result {
                Ok(v) => {
                    self.pos = end;
                    return Ok(Some(v));
                }
                Err(e @ RawError::Version(_)) => return Err(self.locate(e)),
                Err(e) if self.eof || complete => return Err(self.locate(e)),
                Err(_) => {
                    if !wait {
                        return Ok(None);
                    }
                    if !scanned {
                        scanned = true;
                        complete = self.read_to_value_end()?;
                        continue;
                    }
                    let have = self.text.len() - self.pos;
                    self.fill(have.max(READ_SIZE))?;
                }
            }
        }
    }

    /// Reads until the JSON object or array at `pos` is complete in the
    /// window (or the input ends), tracking only brackets and strings; says
    /// whether it is complete.
    fn read_to_value_end(&mut self) -> Result<bool, Error> {
        let mut scan = ValueScan::default();
        // Where the scan stands, relative to `pos` (the window's front may be
        // dropped while reading).
        let mut at = 0;
        loop {
            let bytes = &self.text.as_bytes()[self.pos..];
            match scan.run(bytes, at) {
                Ok(()) => return Ok(true),
                Err(None) => return Ok(false),
                Err(Some(stopped)) => at = stopped,
            }
            if self.eof {
                return Ok(false);
            }
            let have = self.text.len() - self.pos;
            self.fill(have.max(READ_SIZE))?;
        }
    }

    /// Runs `f` with a reader of the window standing at `pos`, lending it
    /// the scratch stacks (taken back emptied: a failed attempt may leave
    /// partial lists on them).
    fn with_reader<T>(&mut self, pos: usize, f: impl FnOnce(&mut Reader<'_>) -> T) -> T {
        let mut r = Reader {
            text: &self.text,
            src: self.text.as_bytes(),
            pos,
            inline_stack: std::mem::take(&mut self.inline_stack),
            block_stack: std::mem::take(&mut self.block_stack),
        };
        let result = f(&mut r);
        let (mut inlines, mut blocks) = (r.inline_stack, r.block_stack);
        inlines.clear();
        blocks.clear();
        self.inline_stack = inlines;
        self.block_stack = blocks;
        result
    }

    /// Reads at least `more` bytes beyond the window (or to the end of the
    /// input), dropping the consumed front of the window first.
    fn fill(&mut self, more: usize) -> Result<(), Error> {
        let streaming = matches!(
            self.state,
            State::FirstBlock | State::NextBlock | State::AfterComma
        );
        if streaming && self.pos > 0 {
            self.drop_front();
        }
        let target = self.text.len() + more;
        if self.chunk.is_empty() {
            self.chunk = vec![0; READ_SIZE * 4];
        }
        while self.text.len() < target && !self.eof {
            match self.input.read(&mut self.chunk) {
                Ok(0) => self.eof = true,
                Ok(n) => self.pending.extend_from_slice(&self.chunk[..n]),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(source) => {
                    return Err(Error::Input {
                        path: self
                            .path
                            .clone()
                            .unwrap_or_else(|| PathBuf::from("<stdin>")),
                        source,
                    })
                }
            }
            self.take_pending()?;
        }
        Ok(())
    }

    /// Moves the bytes read into the window, checking that they are UTF-8;
    /// a character cut by the end of a read waits for the next one.
    fn take_pending(&mut self) -> Result<(), Error> {
        let complete = if self.eof {
            self.pending.len()
        } else {
            without_cut_character(&self.pending)
        };
        match std::str::from_utf8(&self.pending[..complete]) {
            Ok(s) => self.text.push_str(s),
            Err(e) => {
                let valid = e.valid_up_to();
                let prefix = std::str::from_utf8(&self.pending[..valid]).unwrap_or_default();
                self.text.push_str(prefix);
                self.pending.drain(..valid);
                let e = RawError::Syntax {
                    pos: self.text.len(),
                    message: "invalid UTF-8 in the input".into(),
                };
                return Err(self.locate(e));
            }
        }
        self.pending.drain(..complete);
        Ok(())
    }

    /// Forgets the consumed front of the window, keeping count of its lines.
    fn drop_front(&mut self) {
        let gone = &self.text.as_bytes()[..self.pos];
        let lines = memchr::memchr_iter(b'\n', gone).count();
        let last_line = match memchr::memrchr(b'\n', gone) {
            Some(i) => &gone[i + 1..],
            None => gone,
        };
        let columns = count_characters(last_line);
        if lines > 0 {
            self.dropped_columns = columns;
        } else {
            self.dropped_columns += columns;
        }
        self.dropped_lines += lines;
        self.dropped_bytes += self.pos;
        self.text.drain(..self.pos);
        self.pos = 0;
    }

    /// Turns a reader error into the error of the input, with its line and
    /// column in the whole input.
    fn locate(&self, e: RawError) -> Error {
        let (dropped_lines, dropped_columns) = (self.dropped_lines, self.dropped_columns);
        let source = e.locate_with(|pos| {
            let (line, column) = line_col(self.text.as_bytes(), pos);
            if line == 1 {
                (dropped_lines + 1, dropped_columns + column)
            } else {
                (dropped_lines + line, column)
            }
        });
        Error::Json {
            path: self.path.clone(),
            source,
        }
    }
}

/// How many bytes of `bytes` come before a last character that is cut short
/// (all of them when none is).
fn without_cut_character(bytes: &[u8]) -> usize {
    let n = bytes.len();
    for back in 1..=n.min(4) {
        let b = bytes[n - back];
        // The last byte that starts a character: is it complete?
        if b & 0xC0 != 0x80 {
            let length = match b {
                0xF0.. => 4,
                0xE0.. => 3,
                0xC0.. => 2,
                _ => 1,
            };
            return if length > back { n - back } else { n };
        }
    }
    n
}

/// The number of characters in UTF-8 `bytes`: the bytes that are not
/// continuation bytes (`10xxxxxx`), counted eight at a time.
fn count_characters(bytes: &[u8]) -> usize {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut chunks = bytes.chunks_exact(8);
    let mut continuations = 0;
    for chunk in &mut chunks {
        let w = u64::from_le_bytes(chunk.try_into().unwrap_or_default());
        // Bit 7 set and bit 6 clear.
        continuations += (w & !(w << 1) & HIGH).count_ones() as usize;
    }
    continuations += chunks
        .remainder()
        .iter()
        .filter(|b| (**b & 0xC0) == 0x80)
        .count();
    bytes.len() - continuations
}

/// The state of a scan for the end of a JSON object or array.
#[derive(Default)]
struct ValueScan {
    depth: usize,
    in_string: bool,
}

impl ValueScan {
    /// Scans `bytes` from `at`: `Ok` at the end of the value, `Err(None)` if
    /// it is not an object or array (nothing to scan), `Err(Some(n))` when
    /// the bytes ran out at `n` (a backslash is never the last byte scanned).
    fn run(&mut self, bytes: &[u8], mut at: usize) -> Result<(), Option<usize>> {
        while at < bytes.len() {
            if self.in_string {
                match memchr::memchr2(b'"', b'\\', &bytes[at..]) {
                    None => return Err(Some(bytes.len())),
                    Some(n) if bytes[at + n] == b'"' => {
                        self.in_string = false;
                        at += n + 1;
                    }
                    // An escape: skip the backslash and the byte after it.
                    Some(n) if at + n + 1 < bytes.len() => at += n + 2,
                    Some(n) => return Err(Some(at + n)),
                }
                continue;
            }
            match bytes[at] {
                b'"' => self.in_string = true,
                b'{' | b'[' => self.depth += 1,
                b'}' | b']' => {
                    self.depth = self.depth.saturating_sub(1);
                    if self.depth == 0 {
                        return Ok(());
                    }
                }
                b' ' | b'\n' | b'\r' | b'\t' => {}
                _ if self.depth == 0 => return Err(None),
                _ => {}
            }
            at += 1;
        }
        Err(Some(at))
    }
}

/// `{"pandoc-api-version":[..],"meta":{..},"blocks":[` from the start of
/// the input; `OtherOrder` for keys in another order.
fn header_fields(r: &mut Reader<'_>) -> Result<Attempt<(Vec<u32>, Meta)>, RawError> {
    match r.peek() {
        Some(b'{') => r.pos += 1,
        None => return r.err("end of input"),
        Some(_) => return Ok(Attempt::OtherOrder),
    }
    if !key(r, "pandoc-api-version")? {
        return Ok(Attempt::OtherOrder);
    }
    let version = r.vec(|r| {
        let start = r.pos;
        let n = r.int()?;
        u32::try_from(n).or_else(|_| r.err_at(start, "API version numbers must be non-negative"))
    })?;
    if version.len() < 2 || version[..2] != API_MAJOR_MINOR {
        return Err(RawError::Version(version));
    }
    r.expect(b',')?;
    if !key(r, "meta")? {
        return Ok(Attempt::OtherOrder);
    }
    let meta = r.meta_map()?;
    r.expect(b',')?;
    if !key(r, "blocks")? {
        return Ok(Attempt::OtherOrder);
    }
    r.expect(b'[')?;
    Ok(Attempt::Parsed((version, meta)))
}

/// Reads `"name":` and says whether the key was `name`.
fn key(r: &mut Reader<'_>, name: &str) -> Result<bool, RawError> {
    let key = r.str_cow()?;
    if key != name {
        return Ok(false);
    }
    r.expect(b':')?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn characters_are_counted_as_str_counts_them() {
        for s in [
            "",
            "a",
            "é",
            "«\u{202F}mot\u{202F}»",
            "abcdefgh€ijklmnop𝄞q",
            &"é".repeat(37),
        ] {
            for start in 0..s.len() {
                if let Some(t) = s.get(start..) {
                    assert_eq!(count_characters(t.as_bytes()), t.chars().count(), "{t:?}");
                }
            }
        }
    }

    #[test]
    fn a_character_cut_at_the_end_is_held_back() {
        let s = "a€𝄞é";
        for cut in 0..=s.len() {
            let bytes = &s.as_bytes()[..cut];
            let complete = without_cut_character(bytes);
            let boundary = (0..=cut).rev().find(|i| s.is_char_boundary(*i)).unwrap();
            assert_eq!(complete, boundary, "cut at {cut}");
        }
        assert_eq!(
            without_cut_character(b"ab\xFF"),
            2,
            "an invalid byte waits too"
        );
    }
}

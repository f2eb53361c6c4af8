//! Arbitrary bytes, handed out in pieces of arbitrary sizes, into the block
//! stream of `ast` (what the stages read their input with): it must give
//! exactly what the whole-document reader gives, the same document or, for
//! valid UTF-8, the same error; never panic, never hang.
#![no_main]

use std::io::Read;

use libfuzzer_sys::fuzz_target;

/// Gives its bytes in pieces whose sizes come from the fuzzer's input.
struct Pieces<'a> {
    bytes: &'a [u8],
    sizes: &'a [u8],
    turn: usize,
}

impl Read for Pieces<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let size = match self.sizes {
            [] => usize::MAX,
            s => usize::from(s[self.turn % s.len()]).max(1),
        };
        self.turn += 1;
        let n = size.min(buf.len()).min(self.bytes.len());
        buf[..n].copy_from_slice(&self.bytes[..n]);
        self.bytes = &self.bytes[n..];
        Ok(n)
    }
}

fn streamed(bytes: &[u8], sizes: &[u8]) -> Result<ast::Pandoc, String> {
    let input = Pieces { bytes, sizes, turn: 0 };
    let mut r = ast::BlockReader::new(input, None).map_err(|e| e.to_string())?;
    let mut blocks = Vec::new();
    while r.next_batch(&mut blocks).map_err(|e| e.to_string())? {}
    Ok(ast::Pandoc {
        api_version: r.api_version().to_vec(),
        meta: std::mem::take(r.meta_mut()),
        blocks,
    })
}

fuzz_target!(|data: &[u8]| {
    // The first byte says how many of the next bytes are piece sizes.
    let Some((&n, rest)) = data.split_first() else {
        return;
    };
    let (sizes, bytes) = rest.split_at(usize::from(n % 8).min(rest.len()));
    let whole = ast::read_json_bytes(bytes)
        .map_err(|source| ast::Error::Json { path: None, source }.to_string());
    let stream = streamed(bytes, sizes);
    if std::str::from_utf8(bytes).is_ok() {
        assert_eq!(stream, whole);
    } else {
        // The whole-document reader checks UTF-8 first; the stream where it
        // meets it, after any earlier syntax error.
        assert!(stream.is_err() && whole.is_err());
    }
});

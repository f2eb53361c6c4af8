//! `BlockReader` and `BlockWriter` give what `read_json` and `write_json`
//! give, whatever the sizes in which the input arrives, errors included.

use std::io::Read;

use ast::*;
use proptest::prelude::*;

/// Hands out its bytes in pieces of the given sizes, in turn, as a pipe does.
struct Pieces<'a> {
    bytes: &'a [u8],
    sizes: Vec<usize>,
    turn: usize,
}

impl Read for Pieces<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let size = self.sizes[self.turn % self.sizes.len()].max(1);
        self.turn += 1;
        let n = size.min(buf.len()).min(self.bytes.len());
        buf[..n].copy_from_slice(&self.bytes[..n]);
        self.bytes = &self.bytes[n..];
        Ok(n)
    }
}

fn pieces<'a>(bytes: &'a [u8], sizes: &[usize]) -> Pieces<'a> {
    Pieces {
        bytes,
        sizes: sizes.to_vec(),
        turn: 0,
    }
}

/// The document as the streaming reader gives it, block by block or in batches.
fn read_streaming(bytes: &[u8], sizes: &[usize], batches: bool) -> Result<Pandoc, String> {
    let mut r = BlockReader::new(pieces(bytes, sizes), None).map_err(|e| e.to_string())?;
    let mut blocks = Vec::new();
    if batches {
        while r.next_batch(&mut blocks).map_err(|e| e.to_string())? {}
    } else {
        while let Some(b) = r.next_block().map_err(|e| e.to_string())? {
            blocks.push(b);
        }
    }
    Ok(Pandoc {
        api_version: r.api_version().to_vec(),
        meta: std::mem::take(r.meta_mut()),
        blocks,
    })
}

/// What `read_json_bytes` gives, with errors worded as a stage prints them.
fn read_whole(bytes: &[u8]) -> Result<Pandoc, String> {
    read_json_bytes(bytes).map_err(|source| Error::Json { path: None, source }.to_string())
}

fn write_streaming(doc: &Pandoc) -> Vec<u8> {
    let mut w = BlockWriter::new(Vec::new(), &doc.api_version, &doc.meta).unwrap();
    for b in &doc.blocks {
        w.write_block(b).unwrap();
    }
    w.finish().unwrap()
}

fn fixtures() -> Vec<(String, Vec<u8>)> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    for dir in [
        root.join("tests/fixtures/json"),
        root.join("../tests/fixtures/canonical"),
    ] {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "json") {
                out.push((path.display().to_string(), std::fs::read(&path).unwrap()));
            }
        }
    }
    assert!(out.len() >= 3, "fixtures not found");
    out
}

/// The same JSON with a line break after every `,` outside strings and some
/// multi-byte text before it, so that lines and columns are exercised.
fn spread_over_lines(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() * 2);
    let (mut in_string, mut escaped) = (false, false);
    for &b in bytes {
        out.push(b);
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
        } else if b == b'"' {
            in_string = true;
        } else if b == b',' {
            out.extend_from_slice(b"\n  ");
        }
    }
    out
}

#[test]
fn every_fixture_reads_as_read_json_does_in_any_pieces() {
    for (name, bytes) in fixtures() {
        let whole = read_whole(&bytes).unwrap();
        for sizes in [&[1][..], &[7, 1, 300], &[4096], &[1 << 20]] {
            for batches in [false, true] {
                let streamed = read_streaming(&bytes, sizes, batches)
                    .unwrap_or_else(|e| panic!("{name} in pieces {sizes:?}: {e}"));
                assert_eq!(streamed, whole, "{name} in pieces {sizes:?}");
            }
        }
    }
}

#[test]
fn block_writer_writes_what_write_json_writes() {
    for (name, bytes) in fixtures() {
        let doc = read_whole(&bytes).unwrap();
        assert_eq!(
            String::from_utf8(write_streaming(&doc)).unwrap(),
            to_json_string(&doc),
            "{name}"
        );
        let empty = Pandoc::new(doc.meta.clone(), Vec::new());
        assert_eq!(write_streaming(&empty), to_json_string(&empty).into_bytes());
    }
}

#[test]
fn keys_in_another_order_are_read_whole() {
    let json = r#"{"blocks":[{"t":"Para","c":[{"t":"Str","c":"a"}]},{"t":"HorizontalRule"}],"meta":{"k":{"t":"MetaBool","c":true}},"pandoc-api-version":[1,23,1]}"#;
    let doc = read_streaming(json.as_bytes(), &[3], false).unwrap();
    assert_eq!(doc, read_whole(json.as_bytes()).unwrap());
    assert_eq!(doc.blocks.len(), 2);
    let doc = read_streaming(json.as_bytes(), &[3], true).unwrap();
    assert_eq!(doc.blocks.len(), 2);
}

#[test]
fn a_block_larger_than_any_read_is_read() {
    let words: Vec<Inline> = (0..50_000)
        .flat_map(|i| [Inline::Str(format!("mot{i}")), Inline::Space])
        .collect();
    let doc = Pandoc::new(
        Meta::new(),
        vec![
            Block::Para(words),
            Block::Plain(vec![Inline::Str("fin".into())]),
        ],
    );
    let json = to_json_string(&doc);
    assert!(json.len() > 1 << 20);
    assert_eq!(
        read_streaming(json.as_bytes(), &[65536], true).unwrap(),
        doc
    );
}

#[test]
fn errors_name_the_position_in_the_whole_input() {
    let json = "{\"pandoc-api-version\":[1,23,1],\"meta\":{},\"blocks\":[\n{\"t\":\"Para\",\"c\":[]},\n  {\"t\":\"Nope\"}]}";
    let e = read_streaming(json.as_bytes(), &[1], false).unwrap_err();
    assert_eq!(e, read_whole(json.as_bytes()).unwrap_err());
    assert!(e.starts_with("<stdin>:3:8: "), "{e}");
    let e = read_streaming(
        b"{\"pandoc-api-version\":[1,22],\"meta\":{},\"blocks\":[",
        &[5],
        false,
    )
    .unwrap_err();
    assert!(e.contains("incompatible API versions"), "{e}");
    let trailing = "{\"pandoc-api-version\":[1,23,1],\"meta\":{},\"blocks\":[]} x";
    assert_eq!(
        read_streaming(trailing.as_bytes(), &[2], false).unwrap_err(),
        read_whole(trailing.as_bytes()).unwrap_err()
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    /// A fixture cut, changed or spread over lines reads exactly as
    /// `read_json_bytes` reads it: the same document or the same error.
    #[test]
    fn damaged_documents_read_as_read_json_reads_them(
        which in 0usize..16,
        copies in 1usize..40,
        spread in any::<bool>(),
        cut in any::<prop::sample::Index>(),
        edit in prop::option::of((any::<prop::sample::Index>(), prop::sample::select(
            vec![b'"', b',', b']', b'}', b'[', b'{', b'\\', b'x', b' ', b'\n', 0xC3]))),
        truncate in any::<bool>(),
        sizes in prop::collection::vec(1usize..5000, 1..4),
    ) {
        let all = fixtures();
        let (_, bytes) = &all[which % all.len()];
        // Many copies of the blocks make a document larger than the reader's
        // window, so that its front is dropped while positions stay right.
        let mut doc = read_whole(bytes).unwrap();
        let blocks = std::mem::take(&mut doc.blocks);
        doc.blocks = (0..copies).flat_map(|_| blocks.iter().cloned()).collect();
        let bytes = to_json_string(&doc).into_bytes();
        let mut bytes = if spread { spread_over_lines(&bytes) } else { bytes };
        if let Some((at, b)) = edit {
            let i = at.index(bytes.len());
            bytes[i] = b;
        }
        if truncate {
            bytes.truncate(cut.index(bytes.len() + 1));
        }
        let whole = read_whole(&bytes);
        let streamed = read_streaming(&bytes, &sizes, true);
        if std::str::from_utf8(&bytes).is_ok() {
            prop_assert_eq!(streamed, whole);
        } else {
            // read_json_bytes reports bad UTF-8 before anything else; the
            // stream meets it where it is, after any earlier error.
            prop_assert!(streamed.is_err() && whole.is_err());
        }
    }
}

#[test]
fn invalid_utf8_early_is_reported_where_it_is() {
    let mut bytes =
        br#"{"pandoc-api-version":[1,23,1],"meta":{},"blocks":[{"t":"Para","c":[{"t":"Str","c":"a"#
            .to_vec();
    bytes.push(0xFF);
    bytes.extend_from_slice(br#"b"}]}]}"#);
    let whole = read_whole(&bytes).unwrap_err();
    assert_eq!(whole, "<stdin>:1:86: invalid UTF-8 in the input");
    for sizes in [&[1][..], &[7], &[1 << 20]] {
        assert_eq!(
            read_streaming(&bytes, sizes, true).unwrap_err(),
            whole,
            "{sizes:?}"
        );
    }
}

/// A never-ending input: the document's start, then a block that is not
/// pandoc's, then valid blocks for ever.
struct Endless {
    sent: usize,
}

impl Read for Endless {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let head: &[u8] =
            br#"{"pandoc-api-version":[1,23,1],"meta":{},"blocks":[{"t":"Para","c":[]},{"t":"Nope"}"#;
        let piece: &[u8] = br#",{"t":"Para","c":[{"t":"Str","c":"encore"}]}"#;
        if self.sent > 64 << 20 {
            return Err(std::io::Error::other("read on past the bad block"));
        }
        let src = if self.sent == 0 { head } else { piece };
        let n = src.len().min(buf.len());
        buf[..n].copy_from_slice(&src[..n]);
        self.sent += n;
        Ok(n)
    }
}

#[test]
fn a_bad_block_is_reported_without_reading_on() {
    let mut r = BlockReader::new(Endless { sent: 0 }, None).unwrap();
    assert!(r.next_block().unwrap().is_some());
    let e = r.next_block().unwrap_err().to_string();
    assert!(e.contains("unknown Block constructor \"Nope\""), "{e}");
}

#[test]
fn the_first_of_a_repeated_key_counts_as_with_pandoc() {
    // pandoc 3.9 writes back the first "a", the first "blocks", the first
    // "t" and the first "c" of these.
    let json = r#"{"pandoc-api-version":[1,23,1],"meta":{"a":{"t":"MetaString","c":"first"},"a":{"t":"MetaString","c":"last"}},"blocks":[{"t":"Para","t":"Plain","c":[{"t":"Str","c":"x"}]},{"c":[{"t":"Str","c":"a"}],"c":[{"t":"Str","c":"b"}],"t":"Para"}],"blocks":[{"t":"HorizontalRule"}],"meta":{}}"#;
    let expected = r#"{"pandoc-api-version":[1,23,1],"meta":{"a":{"t":"MetaString","c":"first"}},"blocks":[{"t":"Para","c":[{"t":"Str","c":"x"}]},{"t":"Para","c":[{"t":"Str","c":"a"}]}]}"#;
    let whole = read_whole(json.as_bytes()).unwrap();
    assert_eq!(to_json_string(&whole).trim_end(), expected);
    assert_eq!(read_streaming(json.as_bytes(), &[5], true).unwrap(), whole);
}

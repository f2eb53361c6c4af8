//! The number of pages of a PDF image, so that `page=N` beyond it is an
//! error naming the image before TeX runs: xdvipdfmx, asked for a page a
//! PDF does not have, fails in a way that aborts the whole process (its
//! clean-up closes an output Tectonic's I/O bridge no longer holds, a panic
//! that cannot unwind through C).

use std::io::Read;

/// The page count of the PDF `bytes`: the largest `/Count` of a page-tree
/// node (`/Type /Pages`), looked for in the file and in its compressed
/// object streams (PDF 1.5). `None` when no page tree is found.
pub(crate) fn page_count(bytes: &[u8]) -> Option<u64> {
    let mut best = count_in(bytes);
    // Object streams: `/Type /ObjStm ... stream\r?\n<zlib>endstream`.
    let mut at = 0;
    while let Some(p) = find(&bytes[at..], b"stream") {
        let start = at + p + b"stream".len();
        at = start;
        // `endstream` also contains `stream`: only a `stream` keyword that
        // starts a line-ended stream body counts.
        if bytes[..start - b"stream".len()].ends_with(b"end") {
            continue;
        }
        let dict_from = start.saturating_sub(b"stream".len() + 512);
        let dict = &bytes[dict_from..start - b"stream".len()];
        if find(dict, b"/ObjStm").is_none() || find(dict, b"/FlateDecode").is_none() {
            continue;
        }
        let body_start = match bytes.get(start..start + 2) {
            Some(b"\r\n") => start + 2,
            Some([b'\n', _]) | Some([b'\r', _]) => start + 1,
            _ => continue,
        };
        let Some(len) = find(&bytes[body_start..], b"endstream") else {
            break;
        };
        let mut inflated = Vec::new();
        let mut decoder = flate2::read::ZlibDecoder::new(&bytes[body_start..body_start + len]);
        // A damaged stream gives what inflated before the damage.
        let _ = decoder.by_ref().take(64 << 20).read_to_end(&mut inflated);
        best = best.max(count_in(&inflated));
        at = body_start + len;
    }
    best
}

/// The largest `/Count` found near a `/Type /Pages` in `bytes`.
fn count_in(bytes: &[u8]) -> Option<u64> {
    let mut best: Option<u64> = None;
    let mut at = 0;
    while let Some(p) = find(&bytes[at..], b"/Pages") {
        let pos = at + p;
        at = pos + b"/Pages".len();
        // `/Type /Pages`, spaces optional; not `/Pages 2 0 R` in a catalog.
        let before = trim_end(&bytes[..pos]);
        if !before.ends_with(b"/Type") {
            continue;
        }
        // The node's dictionary: from the `<<` before it to the `>>` after.
        let from = rfind(&bytes[..pos], b"<<").unwrap_or(0);
        let to = find(&bytes[pos..], b">>").map_or(bytes.len(), |e| pos + e);
        let dict = &bytes[from..to];
        if let Some(c) = find(dict, b"/Count") {
            let digits: Vec<u8> = trim_start(&dict[c + b"/Count".len()..])
                .iter()
                .copied()
                .take_while(u8::is_ascii_digit)
                .collect();
            if let Some(n) = std::str::from_utf8(&digits)
                .ok()
                .and_then(|d| d.parse::<u64>().ok())
            {
                best = Some(best.map_or(n, |b| b.max(n)));
            }
        }
    }
    best
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn rfind(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).rposition(|w| w == needle)
}

fn trim_end(b: &[u8]) -> &[u8] {
    let n = b
        .iter()
        .rposition(|c| !c.is_ascii_whitespace())
        .map_or(0, |i| i + 1);
    &b[..n]
}

fn trim_start(b: &[u8]) -> &[u8] {
    let n = b
        .iter()
        .position(|c| !c.is_ascii_whitespace())
        .unwrap_or(b.len());
    &b[n..]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_counted_in_the_file_and_in_object_streams() {
        let plain = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 >>\nendobj\n3 0 obj\n<</Type/Pages/Count 1/Parent 2 0 R>>\nendobj\n";
        assert_eq!(page_count(plain), Some(2));
        assert_eq!(page_count(b"%PDF-1.4\nno tree"), None);

        // The page tree inside a compressed object stream.
        use std::io::Write;
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        z.write_all(b"2 0 << /Type /Pages /Kids [3 0 R] /Count 7 >>")
            .unwrap();
        let body = z.finish().unwrap();
        let mut pdf =
            b"%PDF-1.5\n5 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length "
                .to_vec();
        pdf.extend_from_slice(format!("{} >>\nstream\n", body.len()).as_bytes());
        pdf.extend_from_slice(&body);
        pdf.extend_from_slice(b"\nendstream\nendobj\n");
        assert_eq!(page_count(&pdf), Some(7));
    }
}

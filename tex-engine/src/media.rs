//! Images XeTeX cannot find by their URL as written: a `data:` URI (the
//! picture is in the URL) and a file with no extension (graphicx picks the
//! driver by extension). Both are given to TeX under a name that ends with
//! the extension their content says, as pandoc does when it extracts media.

use std::collections::BTreeMap;
use std::path::Path;

use ast::{Error, Inline, Pandoc};

use crate::resources::ResourcePath;

/// The image formats XeTeX includes, told by their first bytes.
fn sniff(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("png")
    } else if bytes.starts_with(&[0xff, 0xd8, 0xff]) {
        Some("jpg")
    } else if bytes.starts_with(b"%PDF-") {
        Some("pdf")
    } else if bytes.starts_with(b"BM") && bytes.len() > 26 {
        Some("bmp")
    } else {
        None
    }
}

/// What an image that XeTeX cannot include is, for the message.
fn describe_unsupported(bytes: &[u8]) -> &'static str {
    let head = &bytes[..bytes.len().min(512)];
    let text = String::from_utf8_lossy(head);
    if bytes.starts_with(b"GIF8") {
        "a GIF image"
    } else if text.contains("<svg") || text.trim_start().starts_with("<?xml") {
        "an SVG image"
    } else if bytes.starts_with(b"RIFF") && bytes.get(8..12) == Some(b"WEBP") {
        "a WebP image"
    } else {
        "not an image XeTeX can include (PNG, JPEG, PDF or BMP)"
    }
}

/// A name for the picture `bytes` of extension `ext`: the same bytes, the
/// same name (a picture used twice is one file).
fn media_name(bytes: &[u8], ext: &str) -> String {
    use tectonic::digest::Digest as _;
    let mut hasher = tectonic::digest::create();
    hasher.update(bytes);
    let hex: String = hasher.finalize()[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("ast2latex-media-{hex}.{ext}")
}

/// Decodes the URI `url` if it is a `data:` URI: `None` if it is not one,
/// `Err` with the reason if it is malformed.
pub fn decode_data_uri(url: &str) -> Option<Result<Vec<u8>, String>> {
    let rest = url
        .get(..5)
        .filter(|s| s.eq_ignore_ascii_case("data:"))
        .map(|_| &url[5..])?;
    let Some((header, payload)) = rest.split_once(',') else {
        return Some(Err("a data: URI needs a comma before its data".into()));
    };
    let bytes = percent_decode(payload);
    let is_base64 = header
        .rsplit(';')
        .next()
        .is_some_and(|p| p.trim().eq_ignore_ascii_case("base64"));
    Some(if is_base64 {
        base64_decode(&bytes).ok_or_else(|| "its base64 data is malformed".to_string())
    } else {
        Ok(bytes)
    })
}

/// `%XX` escapes decoded; anything else as it is.
fn percent_decode(text: &str) -> Vec<u8> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    out
}

/// Standard or URL-safe base64, padding optional, white space ignored.
fn base64_decode(text: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut acc: u32 = 0;
    let mut bits = 0;
    let mut padding = false;
    for &c in text {
        let value = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            b'=' => {
                padding = true;
                continue;
            }
            b' ' | b'\t' | b'\r' | b'\n' => continue,
            _ => return None,
        };
        if padding {
            return None;
        }
        acc = (acc << 6) | u32::from(value);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    // Six bits left over cannot end a base64 text.
    (bits < 6).then_some(out)
}

/// Rewrites the images of `doc` that XeTeX cannot find as written (a
/// `data:` URI, a local file with no extension) to the name of a file
/// returned here, which [`crate::PdfOptions::media`] gives to TeX. An
/// extensionless file that is no image XeTeX includes, or a malformed
/// `data:` URI, is an error that names it (exit 65). Other images are left
/// to [`crate::check_local_images`].
pub fn prepare_images(
    doc: &mut Pandoc,
    resources: &ResourcePath,
) -> Result<BTreeMap<String, Vec<u8>>, Error> {
    let mut media = BTreeMap::new();
    let mut failure: Option<Error> = None;
    ast::walk_inlines(doc, |inline: &mut Inline| {
        if failure.is_some() {
            return;
        }
        let Inline::Image(_, _, target) = inline else {
            return;
        };
        let shown = shorten(&target.url);
        let bytes = match decode_data_uri(&target.url) {
            Some(Ok(bytes)) => bytes,
            Some(Err(why)) => {
                failure = Some(Error::Data(format!("image `{shown}`: {why}")));
                return;
            }
            None => {
                let url = target.url.strip_prefix("./").unwrap_or(&target.url);
                let has_extension = Path::new(url).extension().is_some();
                if url.contains("://") || has_extension {
                    return;
                }
                // A missing or refused file is check_local_images' to report.
                let Ok(Some(real)) = resources.find(url) else {
                    return;
                };
                match std::fs::read(&real) {
                    Ok(bytes) => bytes,
                    Err(source) => {
                        failure = Some(Error::Input { path: real, source });
                        return;
                    }
                }
            }
        };
        match sniff(&bytes) {
            Some(ext) => {
                let name = media_name(&bytes, ext);
                target.url = name.clone();
                media.insert(name, bytes);
            }
            None => {
                failure = Some(Error::Data(format!(
                    "image `{shown}` is {} (its type is told by its content, as it has no extension)",
                    describe_unsupported(&bytes)
                )));
            }
        }
    });
    match failure {
        Some(e) => Err(e),
        None => Ok(media),
    }
}

/// A URL short enough for a message (`data:` URIs can be megabytes).
fn shorten(url: &str) -> String {
    match url.char_indices().nth(48) {
        Some((i, _)) => format!("{}…", &url[..i]),
        None => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_uris_decode_base64_and_percent_escapes() {
        assert_eq!(
            decode_data_uri("data:text/plain;base64,SGVsbG8=").unwrap(),
            Ok(b"Hello".to_vec())
        );
        assert_eq!(
            decode_data_uri("DATA:image/png;base64,SGVs\nbG8").unwrap(),
            Ok(b"Hello".to_vec())
        );
        assert_eq!(
            decode_data_uri("data:,a%20b%zz").unwrap(),
            Ok(b"a b%zz".to_vec())
        );
        assert!(decode_data_uri("data:image/png;base64,S").unwrap().is_err());
        assert!(decode_data_uri("data:image/png;base64,SG=V")
            .unwrap()
            .is_err());
        assert!(decode_data_uri("data:image/png").unwrap().is_err());
        assert_eq!(decode_data_uri("media/data:x.png"), None);
        assert_eq!(decode_data_uri("dat"), None);
    }

    #[test]
    fn images_are_told_by_content() {
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\nrest"), Some("png"));
        assert_eq!(sniff(&[0xff, 0xd8, 0xff, 0xe0]), Some("jpg"));
        assert_eq!(sniff(b"%PDF-1.5"), Some("pdf"));
        assert_eq!(sniff(b"GIF89a"), None);
        assert_eq!(describe_unsupported(b"GIF89a"), "a GIF image");
        assert_eq!(
            describe_unsupported(b"<?xml version='1.0'?><svg"),
            "an SVG image"
        );
        assert_eq!(media_name(b"x", "png"), media_name(b"x", "png"));
        assert_ne!(media_name(b"x", "png"), media_name(b"y", "png"));
    }
}

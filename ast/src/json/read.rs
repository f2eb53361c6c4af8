//! The JSON reader: a recursive-descent parser specialised for pandoc's AST.
//!
//! It reads straight from the bytes into the document types, with no
//! intermediate JSON value, which is what makes it fast; it accepts the keys of
//! a tagged object in any order (pandoc writes `"t"` first, other tools may
//! not) and ignores unknown keys, as aeson does. Errors carry the byte offset,
//! turned into `line:col` only when an error is reported.

use std::borrow::Cow;
use std::collections::BTreeMap;

use crate::definition::*;
use crate::error::JsonError;

mod stream;
pub use stream::BlockReader;

/// Major and minor API version this crate reads (any 1.23.x).
const API_MAJOR_MINOR: [u32; 2] = [API_VERSION[0], API_VERSION[1]];

/// Reads a pandoc JSON document from bytes (UTF-8 is checked first).
pub fn read_json_bytes(input: &[u8]) -> std::result::Result<Pandoc, JsonError> {
    match std::str::from_utf8(input) {
        Ok(s) => read_json(s),
        Err(e) => {
            let (line, column) = line_col(input, e.valid_up_to());
            Err(JsonError::Syntax {
                line,
                column,
                message: "invalid UTF-8 in the input".into(),
            })
        }
    }
}

/// Reads a pandoc JSON document.
pub fn read_json(input: &str) -> std::result::Result<Pandoc, JsonError> {
    let mut r = Reader {
        text: input,
        src: input.as_bytes(),
        pos: 0,
        inline_stack: Vec::new(),
        block_stack: Vec::new(),
    };
    let doc = r.document().map_err(|e| e.locate(input.as_bytes()))?;
    Ok(doc)
}

/// 1-based line and column (in characters) of byte offset `pos`.
pub(crate) fn line_col(src: &[u8], pos: usize) -> (usize, usize) {
    let pos = pos.min(src.len());
    let before = &src[..pos];
    let line = memchr::memchr_iter(b'\n', before).count() + 1;
    let line_start = memchr::memrchr(b'\n', before).map_or(0, |i| i + 1);
    // Count characters, not bytes: continuation bytes do not start one.
    let column = before[line_start..]
        .iter()
        .filter(|b| (**b & 0xC0) != 0x80)
        .count()
        + 1;
    (line, column)
}

/// An error before its position is turned into line and column.
#[derive(Debug)]
pub(crate) enum RawError {
    Syntax { pos: usize, message: String },
    Version(Vec<u32>),
    NoVersion,
}

impl RawError {
    fn locate(self, src: &[u8]) -> JsonError {
        self.locate_with(|pos| line_col(src, pos))
    }

    /// The error with its offset turned into line and column by `line_col`.
    fn locate_with(self, line_col: impl Fn(usize) -> (usize, usize)) -> JsonError {
        match self {
            RawError::Syntax { pos, message } => {
                let (line, column) = line_col(pos);
                JsonError::Syntax {
                    line,
                    column,
                    message,
                }
            }
            RawError::Version(found) => JsonError::IncompatibleVersion {
                found: found
                    .iter()
                    .map(u32::to_string)
                    .collect::<Vec<_>>()
                    .join("."),
                expected: format!("{}.{}", API_VERSION[0], API_VERSION[1]),
            },
            RawError::NoVersion => JsonError::MissingVersion,
        }
    }
}

type Result<T> = std::result::Result<T, RawError>;

struct Reader<'a> {
    text: &'a str,
    src: &'a [u8],
    pos: usize,
    /// Scratch stacks: a list's elements are parsed onto them, then moved into
    /// a vector of the exact size, which saves the reallocations of growing.
    inline_stack: Vec<Inline>,
    block_stack: Vec<Block>,
}

/// What is between `{` and `}` of a tagged object once its tag is known.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Content {
    /// The reader stands at the value of `"c"`.
    Present,
    /// The object had no `"c"` key.
    Absent,
}

impl<'a> Reader<'a> {
    fn err<T>(&self, message: impl Into<String>) -> Result<T> {
        Err(RawError::Syntax {
            pos: self.pos,
            message: message.into(),
        })
    }

    fn err_at<T>(&self, pos: usize, message: impl Into<String>) -> Result<T> {
        Err(RawError::Syntax {
            pos,
            message: message.into(),
        })
    }

    /// The input between two byte offsets. The reader only stops at ASCII
    /// delimiters, so the offsets are always character boundaries.
    #[inline]
    fn slice(&self, start: usize, end: usize) -> &'a str {
        self.text.get(start..end).unwrap_or_default()
    }

    #[inline]
    fn ws(&mut self) {
        while let Some(&b) = self.src.get(self.pos) {
            if matches!(b, b' ' | b'\n' | b'\r' | b'\t') {
                self.pos += 1;
            } else {
                break;
            }
        }
    }

    #[inline]
    fn peek(&mut self) -> Option<u8> {
        self.ws();
        self.src.get(self.pos).copied()
    }

    fn describe(&self) -> String {
        match self.src.get(self.pos) {
            None => "end of input".into(),
            Some(b) if b.is_ascii_graphic() => format!("'{}'", *b as char),
            Some(_) => {
                let rest = std::str::from_utf8(&self.src[self.pos..]).unwrap_or("");
                match rest.chars().next() {
                    Some(c) if !c.is_control() && c != ' ' => format!("'{c}'"),
                    Some(c) => format!("{c:?}"),
                    None => "invalid byte".into(),
                }
            }
        }
    }

    #[inline]
    fn expect(&mut self, b: u8) -> Result<()> {
        if self.peek() == Some(b) {
            self.pos += 1;
            Ok(())
        } else {
            self.err(format!(
                "expected '{}', found {}",
                b as char,
                self.describe()
            ))
        }
    }

    /// After an element of an array: true when another one follows.
    #[inline]
    fn array_next(&mut self) -> Result<bool> {
        match self.peek() {
            Some(b',') => {
                self.pos += 1;
                Ok(true)
            }
            Some(b']') => {
                self.pos += 1;
                Ok(false)
            }
            _ => self.err(format!("expected ',' or ']', found {}", self.describe())),
        }
    }

    /// Reads a JSON array, calling `f` for each element.
    #[inline]
    fn array(&mut self, mut f: impl FnMut(&mut Self) -> Result<()>) -> Result<()> {
        self.expect(b'[')?;
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(());
        }
        loop {
            f(self)?;
            if !self.array_next()? {
                return Ok(());
            }
        }
    }

    fn vec<T>(&mut self, mut f: impl FnMut(&mut Self) -> Result<T>) -> Result<Vec<T>> {
        let mut v = Vec::new();
        self.array(|r| {
            v.push(f(r)?);
            Ok(())
        })?;
        Ok(v)
    }

    /// Reads a string; borrows it from the input when it has no escapes.
    fn str_cow(&mut self) -> Result<Cow<'a, str>> {
        self.expect(b'"')?;
        let start = self.pos;
        let src: &'a [u8] = self.src;
        let mut i = start;
        loop {
            match src.get(i) {
                None => return self.err_at(start - 1, "unterminated string"),
                Some(b'"') => {
                    self.pos = i + 1;
                    return Ok(Cow::Borrowed(self.slice(start, i)));
                }
                Some(b'\\') => break,
                Some(&b) if b < 0x20 => {
                    return self.err_at(i, "control character in a string must be escaped")
                }
                Some(_) => i += 1,
            }
        }
        let mut out = Vec::with_capacity(i - start + 16);
        out.extend_from_slice(&src[start..i]);
        self.pos = i;
        self.string_rest(&mut out)?;
        // Escapes decode to whole characters and the rest is copied from valid UTF-8.
        Ok(Cow::Owned(String::from_utf8(out).unwrap_or_default()))
    }

    /// Reads an owned string.
    #[inline]
    fn string(&mut self) -> Result<String> {
        self.expect(b'"')?;
        let start = self.pos;
        let src = self.src;
        // Fast path: find the closing quote; most strings have no escapes.
        let end = match memchr::memchr2(b'"', b'\\', &src[start..]) {
            Some(n) => start + n,
            None => return self.err_at(start - 1, "unterminated string"),
        };
        if let Some(n) = src[start..end].iter().position(|b| *b < 0x20) {
            return self.err_at(start + n, "control character in a string must be escaped");
        }
        if src[end] == b'"' {
            self.pos = end + 1;
            return Ok(self.slice(start, end).to_owned());
        }
        let mut out = Vec::with_capacity(end - start + 16);
        out.extend_from_slice(&src[start..end]);
        self.pos = end;
        self.string_rest(&mut out)?;
        Ok(String::from_utf8(out).unwrap_or_default())
    }

    /// Continues a string at a backslash or plain text until the closing quote.
    fn string_rest(&mut self, out: &mut Vec<u8>) -> Result<()> {
        let src = self.src;
        loop {
            let start = self.pos;
            let end = match memchr::memchr2(b'"', b'\\', &src[start..]) {
                Some(n) => start + n,
                None => return self.err_at(start, "unterminated string"),
            };
            if let Some(n) = src[start..end].iter().position(|b| *b < 0x20) {
                return self.err_at(start + n, "control character in a string must be escaped");
            }
            out.extend_from_slice(&src[start..end]);
            self.pos = end + 1;
            if src[end] == b'"' {
                return Ok(());
            }
            let esc_pos = end;
            let Some(&e) = src.get(self.pos) else {
                return self.err_at(esc_pos, "unterminated string");
            };
            self.pos += 1;
            match e {
                b'"' => out.push(b'"'),
                b'\\' => out.push(b'\\'),
                b'/' => out.push(b'/'),
                b'b' => out.push(8),
                b'f' => out.push(12),
                b'n' => out.push(b'\n'),
                b'r' => out.push(b'\r'),
                b't' => out.push(b'\t'),
                b'u' => {
                    let hi = self.hex4(esc_pos)?;
                    let c = if (0xD800..0xDC00).contains(&hi) {
                        if src.get(self.pos) == Some(&b'\\') && src.get(self.pos + 1) == Some(&b'u')
                        {
                            self.pos += 2;
                            let lo = self.hex4(esc_pos)?;
                            if !(0xDC00..0xE000).contains(&lo) {
                                return self
                                    .err_at(esc_pos, "invalid surrogate pair in \\u escape");
                            }
                            0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                        } else {
                            return self.err_at(esc_pos, "lone surrogate in \\u escape");
                        }
                    } else if (0xDC00..0xE000).contains(&hi) {
                        return self.err_at(esc_pos, "lone surrogate in \\u escape");
                    } else {
                        hi
                    };
                    let ch = char::from_u32(c).unwrap_or('\u{FFFD}');
                    let mut buf = [0u8; 4];
                    out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
                }
                _ => return self.err_at(esc_pos, "invalid escape in string"),
            }
        }
    }

    fn hex4(&mut self, esc_pos: usize) -> Result<u32> {
        let Some(digits) = self.src.get(self.pos..self.pos + 4) else {
            return self.err_at(esc_pos, "invalid \\u escape");
        };
        let mut n = 0u32;
        for &d in digits {
            let v = match d {
                b'0'..=b'9' => d - b'0',
                b'a'..=b'f' => d - b'a' + 10,
                b'A'..=b'F' => d - b'A' + 10,
                _ => return self.err_at(esc_pos, "invalid \\u escape"),
            };
            n = n * 16 + u32::from(v);
        }
        self.pos += 4;
        Ok(n)
    }

    /// The text of a JSON number at the current position.
    fn number_text(&mut self) -> Result<&'a str> {
        self.ws();
        let src: &'a [u8] = self.src;
        let start = self.pos;
        let mut i = start;
        if src.get(i) == Some(&b'-') {
            i += 1;
        }
        let digits_start = i;
        while src.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i == digits_start {
            return self.err(format!("expected a number, found {}", self.describe()));
        }
        if src.get(i) == Some(&b'.') {
            i += 1;
            let frac = i;
            while src.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
            if i == frac {
                return self.err_at(i, "expected a digit after '.'");
            }
        }
        if matches!(src.get(i), Some(b'e' | b'E')) {
            i += 1;
            if matches!(src.get(i), Some(b'+' | b'-')) {
                i += 1;
            }
            let exp = i;
            while src.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
            if i == exp {
                return self.err_at(i, "expected a digit in the exponent");
            }
        }
        self.pos = i;
        Ok(self.slice(start, i))
    }

    /// An integer; like aeson, `2.0` or `1e2` are accepted when integral.
    fn int(&mut self) -> Result<i64> {
        let start = self.pos;
        let text = self.number_text()?;
        if let Ok(n) = text.parse::<i64>() {
            return Ok(n);
        }
        match text.parse::<f64>() {
            Ok(x) if x.fract() == 0.0 && x.abs() < 9.0e15 => Ok(x as i64),
            _ => self.err_at(start, format!("expected an integer, found {text}")),
        }
    }

    fn double(&mut self) -> Result<f64> {
        let start = self.pos;
        let text = self.number_text()?;
        match text.parse::<f64>() {
            Ok(x) if x.is_finite() => Ok(x),
            // pandoc's JSON holds no infinities: writing one would give `null`.
            _ => self.err_at(start, format!("number out of range: {text}")),
        }
    }

    fn bool(&mut self) -> Result<bool> {
        self.ws();
        if self.src[self.pos..].starts_with(b"true") {
            self.pos += 4;
            Ok(true)
        } else if self.src[self.pos..].starts_with(b"false") {
            self.pos += 5;
            Ok(false)
        } else {
            self.err(format!("expected true or false, found {}", self.describe()))
        }
    }

    /// Skips any JSON value, checking its syntax.
    fn skip_value(&mut self) -> Result<()> {
        stacker::maybe_grow(64 * 1024, 1024 * 1024, || match self.peek() {
            Some(b'{') => {
                self.pos += 1;
                if self.peek() == Some(b'}') {
                    self.pos += 1;
                    return Ok(());
                }
                loop {
                    self.str_cow()?;
                    self.expect(b':')?;
                    self.skip_value()?;
                    match self.peek() {
                        Some(b',') => self.pos += 1,
                        Some(b'}') => {
                            self.pos += 1;
                            return Ok(());
                        }
                        _ => {
                            return self
                                .err(format!("expected ',' or '}}', found {}", self.describe()))
                        }
                    }
                }
            }
            Some(b'[') => self.array(|r| r.skip_value()),
            Some(b'"') => self.str_cow().map(drop),
            Some(b't' | b'f') => self.bool().map(drop),
            Some(b'n') => self.null(),
            Some(b'-' | b'0'..=b'9') => self.number_text().map(drop),
            _ => self.err(format!("expected a JSON value, found {}", self.describe())),
        })
    }

    fn null(&mut self) -> Result<()> {
        self.ws();
        if self.src[self.pos..].starts_with(b"null") {
            self.pos += 4;
            Ok(())
        } else {
            self.err(format!("expected null, found {}", self.describe()))
        }
    }

    /// Reads `{"t": TAG, "c": CONTENT}` with keys in any order, calling `f`
    /// with the tag once the reader stands at the content (or knows there is
    /// none). `kind` names what was expected, for error messages.
    fn tagged<T>(
        &mut self,
        kind: &str,
        mut f: impl FnMut(&mut Self, &str, Content) -> Result<T>,
    ) -> Result<T> {
        self.ws();
        let obj_start = self.pos;
        if self.src.get(self.pos) != Some(&b'{') {
            return self.err(format!("expected {kind} object, found {}", self.describe()));
        }
        let mut tag: Option<(Cow<'a, str>, usize)> = None;
        let mut content_pos: Option<usize> = None;
        let mut result: Option<T> = None;
        // Fast path for what pandoc writes, `{"t":"Tag","c":...}` or
        // `{"t":"Tag"}`: no key strings to build, no key to compare.
        let src: &'a [u8] = self.src;
        if src[self.pos..].starts_with(b"{\"t\":\"") {
            let start = self.pos + 6;
            let window = &src[start..src.len().min(start + 32)];
            let end = memchr::memchr2(b'"', b'\\', window).map(|n| start + n);
            // Tags are plain letters; anything else takes the general path
            // and its checks.
            let plain =
                |e: &usize| src[*e] == b'"' && src[start..*e].iter().all(u8::is_ascii_alphabetic);
            if let Some(end) = end.filter(plain) {
                let t = self.slice(start, end);
                let tag_pos = start - 1;
                if src[end + 1..].starts_with(b",\"c\":") {
                    self.pos = end + 6;
                    let r = f(self, t, Content::Present).map_err(|e| unknown_at(e, tag_pos))?;
                    match self.peek() {
                        Some(b'}') => {
                            self.pos += 1;
                            return Ok(r);
                        }
                        // More keys after the content: the general path goes on.
                        Some(b',') => {
                            self.pos += 1;
                            tag = Some((Cow::Borrowed(t), tag_pos));
                            result = Some(r);
                            self.tagged_keys(&mut tag, &mut content_pos, &mut result, &mut f)?;
                        }
                        _ => {
                            return self
                                .err(format!("expected ',' or '}}', found {}", self.describe()))
                        }
                    }
                } else if src.get(end + 1) == Some(&b'}') {
                    self.pos = end + 2;
                    return f(self, t, Content::Absent).map_err(|e| unknown_at(e, tag_pos));
                }
            }
        }
        if tag.is_none() {
            self.pos = obj_start + 1;
            if self.peek() != Some(b'}') {
                self.tagged_keys(&mut tag, &mut content_pos, &mut result, &mut f)?;
            }
        }
        self.pos += 1; // the '}'
        if let Some(r) = result {
            return Ok(r);
        }
        let Some((t, tag_pos)) = tag else {
            return self.err_at(obj_start, format!("{kind} object without a \"t\" key"));
        };
        match content_pos {
            Some(p) => {
                let end = self.pos;
                self.pos = p;
                let r = f(self, &t, Content::Present).map_err(|e| unknown_at(e, tag_pos))?;
                self.pos = end;
                Ok(r)
            }
            None => f(self, &t, Content::Absent).map_err(|e| unknown_at(e, tag_pos)),
        }
    }

    /// The keys of a tagged object, in any order, up to its `}` (not consumed):
    /// the tag, the content (parsed by `f` when the tag came first, else only
    /// checked and its position kept) and any other key (skipped).
    fn tagged_keys<T>(
        &mut self,
        tag: &mut Option<(Cow<'a, str>, usize)>,
        content_pos: &mut Option<usize>,
        result: &mut Option<T>,
        f: &mut impl FnMut(&mut Self, &str, Content) -> Result<T>,
    ) -> Result<()> {
        loop {
            let key = self.str_cow()?;
            self.expect(b':')?;
            match key.as_ref() {
                // The first of a repeated "t" or "c" counts, as with pandoc.
                "t" if tag.is_none() => {
                    self.ws();
                    let tag_pos = self.pos;
                    *tag = Some((self.str_cow()?, tag_pos));
                }
                "c" if result.is_none() && content_pos.is_none() => {
                    self.ws();
                    if let Some((t, tag_pos)) = &tag {
                        let t = t.clone();
                        *result = Some(
                            f(self, &t, Content::Present).map_err(|e| unknown_at(e, *tag_pos))?,
                        );
                    } else {
                        *content_pos = Some(self.pos);
                        self.skip_value()?;
                    }
                }
                _ => self.skip_value()?,
            }
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => return Ok(()),
                _ => return self.err(format!("expected ',' or '}}', found {}", self.describe())),
            }
        }
    }

    /// For constructors with fields: the content must be there.
    #[inline]
    fn need(&self, c: Content, tag: &str) -> Result<()> {
        match c {
            Content::Present => Ok(()),
            Content::Absent => self.err(format!("{tag} without its \"c\" content")),
        }
    }

    /// For nullary constructors: skip a content some writers add (`"c":[]`).
    #[inline]
    fn none(&mut self, c: Content) -> Result<()> {
        match c {
            Content::Present => self.skip_value(),
            Content::Absent => Ok(()),
        }
    }

    fn document(&mut self) -> Result<Pandoc> {
        self.ws();
        if self.src.get(self.pos) == Some(&b'[') {
            return self.err(
                "a JSON array is the format of pandoc before 1.18; expected an object with \
                 \"pandoc-api-version\", \"meta\" and \"blocks\"",
            );
        }
        self.expect(b'{')?;
        let mut version: Option<Vec<u32>> = None;
        let mut meta: Option<Meta> = None;
        let mut blocks: Option<Vec<Block>> = None;
        if self.peek() != Some(b'}') {
            loop {
                let key = self.str_cow()?;
                self.expect(b':')?;
                match key.as_ref() {
                    // Like pandoc (aeson), the first of a repeated key counts;
                    // a later one is only checked as JSON.
                    "pandoc-api-version" | "meta" | "blocks"
                        if match key.as_ref() {
                            "pandoc-api-version" => version.is_some(),
                            "meta" => meta.is_some(),
                            _ => blocks.is_some(),
                        } =>
                    {
                        self.skip_value()?
                    }
                    "pandoc-api-version" => {
                        let v = self.vec(|r| {
                            let start = r.pos;
                            let n = r.int()?;
                            u32::try_from(n).or_else(|_| {
                                r.err_at(start, "API version numbers must be non-negative")
                            })
                        })?;
                        if v.len() < 2 || v[..2] != API_MAJOR_MINOR {
                            return Err(RawError::Version(v));
                        }
                        version = Some(v);
                    }
                    "meta" => match self.meta_map() {
                        Ok(m) => meta = Some(m),
                        Err(e) if version.is_none() => return Err(self.version_error_instead(e)),
                        Err(e) => return Err(e),
                    },
                    "blocks" => match self.blocks() {
                        Ok(b) => blocks = Some(b),
                        Err(e) if version.is_none() => return Err(self.version_error_instead(e)),
                        Err(e) => return Err(e),
                    },
                    _ => self.skip_value()?,
                }
                match self.peek() {
                    Some(b',') => self.pos += 1,
                    Some(b'}') => break,
                    _ => {
                        return self.err(format!("expected ',' or '}}', found {}", self.describe()))
                    }
                }
            }
        }
        self.pos += 1;
        self.ws();
        if self.pos < self.src.len() {
            return self.err(format!("unexpected {} after the document", self.describe()));
        }
        let Some(api_version) = version else {
            return Err(RawError::NoVersion);
        };
        let Some(meta) = meta else {
            return self.err("the document has no \"meta\" key");
        };
        let Some(blocks) = blocks else {
            return self.err("the document has no \"blocks\" key");
        };
        Ok(Pandoc {
            api_version,
            meta,
            blocks,
        })
    }

    /// An error inside "meta" or "blocks" met before "pandoc-api-version":
    /// when the version further on is incompatible, that is the real problem.
    fn version_error_instead(&self, e: RawError) -> RawError {
        let needle = b"\"pandoc-api-version\"";
        let Some(off) = memchr::memmem::find(&self.src[self.pos..], needle) else {
            return e;
        };
        let mut probe = Reader {
            text: self.text,
            src: self.src,
            pos: self.pos + off + needle.len(),
            inline_stack: Vec::new(),
            block_stack: Vec::new(),
        };
        let version = probe
            .expect(b':')
            .and_then(|()| probe.vec(|r| r.int().map(|n| u32::try_from(n).unwrap_or(u32::MAX))));
        match version {
            Ok(v) if v.len() < 2 || v[..2] != API_MAJOR_MINOR => RawError::Version(v),
            _ => e,
        }
    }

    fn meta_map(&mut self) -> Result<Meta> {
        let mut map = BTreeMap::new();
        self.expect(b'{')?;
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(map);
        }
        loop {
            let key = self.string()?;
            self.expect(b':')?;
            // pandoc keeps the first of a repeated key; a later one is only
            // checked as JSON.
            match map.entry(key) {
                std::collections::btree_map::Entry::Occupied(_) => self.skip_value()?,
                std::collections::btree_map::Entry::Vacant(slot) => {
                    slot.insert(self.meta_value()?);
                }
            }
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(map);
                }
                _ => return self.err(format!("expected ',' or '}}', found {}", self.describe())),
            }
        }
    }

    fn meta_value(&mut self) -> Result<MetaValue> {
        stacker::maybe_grow(64 * 1024, 1024 * 1024, || {
            self.tagged("a MetaValue", |r, tag, c| {
                Ok(match tag {
                    "MetaMap" => {
                        r.need(c, tag)?;
                        MetaValue::MetaMap(r.meta_map()?)
                    }
                    "MetaList" => {
                        r.need(c, tag)?;
                        MetaValue::MetaList(r.vec(|r| r.meta_value())?)
                    }
                    "MetaBool" => {
                        r.need(c, tag)?;
                        MetaValue::MetaBool(r.bool()?)
                    }
                    "MetaString" => {
                        r.need(c, tag)?;
                        MetaValue::MetaString(r.string()?)
                    }
                    "MetaInlines" => {
                        r.need(c, tag)?;
                        MetaValue::MetaInlines(r.inlines()?)
                    }
                    "MetaBlocks" => {
                        r.need(c, tag)?;
                        MetaValue::MetaBlocks(r.blocks()?)
                    }
                    _ => return unknown("MetaValue", tag),
                })
            })
        })
    }

    fn attr(&mut self) -> Result<Attr> {
        self.expect(b'[')?;
        let id = self.string()?;
        self.expect(b',')?;
        let classes = self.vec(|r| r.string())?;
        self.expect(b',')?;
        let attributes = self.vec(|r| {
            r.expect(b'[')?;
            let k = r.string()?;
            r.expect(b',')?;
            let v = r.string()?;
            r.expect(b']')?;
            Ok((k, v))
        })?;
        self.expect(b']')?;
        Ok(Attr {
            id,
            classes,
            attributes,
        })
    }

    fn blocks(&mut self) -> Result<Vec<Block>> {
        stacker::maybe_grow(64 * 1024, 1024 * 1024, || {
            let mark = self.block_stack.len();
            let r = self.array(|r| {
                let b = r.block()?;
                r.block_stack.push(b);
                Ok(())
            });
            let v = take_from(&mut self.block_stack, mark);
            r.map(|()| v)
        })
    }

    fn block_lists(&mut self) -> Result<Vec<Vec<Block>>> {
        self.vec(|r| r.blocks())
    }

    fn block(&mut self) -> Result<Block> {
        self.tagged("a Block", Self::block_content)
    }

    /// A block's content once its tag is known. This frame, `tagged`'s and
    /// `blocks`' are paid at each level of a deeply nested document, so the
    /// arms stay calls and the bodies of the larger ones are out of line.
    fn block_content(&mut self, tag: &str, c: Content) -> Result<Block> {
        if tag == "HorizontalRule" {
            self.none(c)?;
            return Ok(Block::HorizontalRule);
        }
        // Nullary constructors were taken above: a known tag here has content;
        // an unknown one is reported as such rather than as missing content.
        if !Block::TAGS.contains(&tag) {
            return unknown("Block", tag);
        }
        self.need(c, tag)?;
        Ok(match tag {
            "Plain" => Block::Plain(self.inlines()?),
            "Para" => Block::Para(self.inlines()?),
            "LineBlock" => Block::LineBlock(self.vec(|r| r.inlines())?),
            "CodeBlock" => self.code_block()?,
            "RawBlock" => self.raw_block()?,
            "BlockQuote" => Block::BlockQuote(self.blocks()?),
            "OrderedList" => self.ordered_list()?,
            "BulletList" => Block::BulletList(self.block_lists()?),
            "DefinitionList" => self.definition_list()?,
            "Header" => self.header()?,
            "Table" => self.table()?,
            "Figure" => self.figure()?,
            "Div" => self.div()?,
            _ => return unknown("Block", tag),
        })
    }

    #[inline(never)]
    fn code_block(&mut self) -> Result<Block> {
        self.expect(b'[')?;
        let attr = self.attr()?;
        self.expect(b',')?;
        let text = self.string()?;
        self.expect(b']')?;
        Ok(Block::CodeBlock(attr, text))
    }

    #[inline(never)]
    fn raw_block(&mut self) -> Result<Block> {
        self.expect(b'[')?;
        let fmt = self.string()?;
        self.expect(b',')?;
        let text = self.string()?;
        self.expect(b']')?;
        Ok(Block::RawBlock(Format(fmt), text))
    }

    #[inline(never)]
    fn ordered_list(&mut self) -> Result<Block> {
        self.expect(b'[')?;
        let la = self.list_attributes()?;
        self.expect(b',')?;
        let items = self.block_lists()?;
        self.expect(b']')?;
        Ok(Block::OrderedList(la, items))
    }

    #[inline(never)]
    fn definition_list(&mut self) -> Result<Block> {
        Ok(Block::DefinitionList(self.vec(|r| {
            r.expect(b'[')?;
            let term = r.inlines()?;
            r.expect(b',')?;
            let defs = r.block_lists()?;
            r.expect(b']')?;
            Ok((term, defs))
        })?))
    }

    #[inline(never)]
    fn header(&mut self) -> Result<Block> {
        self.expect(b'[')?;
        let level = self.int()?;
        self.expect(b',')?;
        let attr = self.attr()?;
        self.expect(b',')?;
        let ils = self.inlines()?;
        self.expect(b']')?;
        Ok(Block::Header(level, attr, ils))
    }

    #[inline(never)]
    fn table(&mut self) -> Result<Block> {
        self.expect(b'[')?;
        let attr = self.attr()?;
        self.expect(b',')?;
        let caption = self.caption()?;
        self.expect(b',')?;
        let colspecs = self.vec(|r| {
            r.expect(b'[')?;
            let a = r.alignment()?;
            r.expect(b',')?;
            let w = r.tagged("a ColWidth", |r, tag, c| match tag {
                "ColWidth" => {
                    r.need(c, tag)?;
                    Ok(ColWidth::ColWidth(r.double()?))
                }
                "ColWidthDefault" => {
                    r.none(c)?;
                    Ok(ColWidth::ColWidthDefault)
                }
                _ => unknown("ColWidth", tag),
            })?;
            r.expect(b']')?;
            Ok(ColSpec(a, w))
        })?;
        self.expect(b',')?;
        self.expect(b'[')?;
        let head_attr = self.attr()?;
        self.expect(b',')?;
        let head_rows = self.rows()?;
        self.expect(b']')?;
        self.expect(b',')?;
        let bodies = self.vec(|r| {
            r.expect(b'[')?;
            let attr = r.attr()?;
            r.expect(b',')?;
            let rhc = r.int()?;
            r.expect(b',')?;
            let head = r.rows()?;
            r.expect(b',')?;
            let body = r.rows()?;
            r.expect(b']')?;
            Ok(TableBody(attr, rhc, head, body))
        })?;
        self.expect(b',')?;
        self.expect(b'[')?;
        let foot_attr = self.attr()?;
        self.expect(b',')?;
        let foot_rows = self.rows()?;
        self.expect(b']')?;
        self.expect(b']')?;
        Ok(Block::Table(Box::new(Table {
            attr,
            caption,
            colspecs,
            head: TableHead(head_attr, head_rows),
            bodies,
            foot: TableFoot(foot_attr, foot_rows),
        })))
    }

    #[inline(never)]
    fn figure(&mut self) -> Result<Block> {
        self.expect(b'[')?;
        let attr = self.attr()?;
        self.expect(b',')?;
        let caption = self.caption()?;
        self.expect(b',')?;
        let bs = self.blocks()?;
        self.expect(b']')?;
        Ok(Block::Figure(attr, caption, bs))
    }

    #[inline(never)]
    fn div(&mut self) -> Result<Block> {
        self.expect(b'[')?;
        let attr = self.attr()?;
        self.expect(b',')?;
        let bs = self.blocks()?;
        self.expect(b']')?;
        Ok(Block::Div(attr, bs))
    }

    fn simple_tag<T>(&mut self, kind: &str, f: impl Fn(&str) -> Option<T>) -> Result<T> {
        self.tagged(kind, |r, tag, c| match f(tag) {
            Some(v) => {
                r.none(c)?;
                Ok(v)
            }
            None => unknown(kind, tag),
        })
    }

    fn list_attributes(&mut self) -> Result<ListAttributes> {
        self.expect(b'[')?;
        let start = self.int()?;
        self.expect(b',')?;
        let style = self.simple_tag("ListNumberStyle", |t| {
            Some(match t {
                "DefaultStyle" => ListNumberStyle::DefaultStyle,
                "Example" => ListNumberStyle::Example,
                "Decimal" => ListNumberStyle::Decimal,
                "LowerRoman" => ListNumberStyle::LowerRoman,
                "UpperRoman" => ListNumberStyle::UpperRoman,
                "LowerAlpha" => ListNumberStyle::LowerAlpha,
                "UpperAlpha" => ListNumberStyle::UpperAlpha,
                _ => return None,
            })
        })?;
        self.expect(b',')?;
        let delim = self.simple_tag("ListNumberDelim", |t| {
            Some(match t {
                "DefaultDelim" => ListNumberDelim::DefaultDelim,
                "Period" => ListNumberDelim::Period,
                "OneParen" => ListNumberDelim::OneParen,
                "TwoParens" => ListNumberDelim::TwoParens,
                _ => return None,
            })
        })?;
        self.expect(b']')?;
        Ok(ListAttributes {
            start,
            style,
            delim,
        })
    }

    fn alignment(&mut self) -> Result<Alignment> {
        self.simple_tag("Alignment", |t| {
            Some(match t {
                "AlignLeft" => Alignment::AlignLeft,
                "AlignRight" => Alignment::AlignRight,
                "AlignCenter" => Alignment::AlignCenter,
                "AlignDefault" => Alignment::AlignDefault,
                _ => return None,
            })
        })
    }

    fn caption(&mut self) -> Result<Caption> {
        self.expect(b'[')?;
        let short = if self.peek() == Some(b'n') {
            self.null()?;
            None
        } else {
            Some(self.inlines()?)
        };
        self.expect(b',')?;
        let long = self.blocks()?;
        self.expect(b']')?;
        Ok(Caption(short, long))
    }

    fn rows(&mut self) -> Result<Vec<Row>> {
        self.vec(|r| {
            r.expect(b'[')?;
            let attr = r.attr()?;
            r.expect(b',')?;
            let cells = r.vec(|r| {
                r.expect(b'[')?;
                let attr = r.attr()?;
                r.expect(b',')?;
                let align = r.alignment()?;
                r.expect(b',')?;
                let rs = r.int()?;
                r.expect(b',')?;
                let cs = r.int()?;
                r.expect(b',')?;
                let bs = r.blocks()?;
                r.expect(b']')?;
                Ok(Cell(attr, align, rs, cs, bs))
            })?;
            r.expect(b']')?;
            Ok(Row(attr, cells))
        })
    }

    fn inlines(&mut self) -> Result<Vec<Inline>> {
        stacker::maybe_grow(64 * 1024, 1024 * 1024, || {
            let mark = self.inline_stack.len();
            let r = self.array(|r| {
                let il = r.inline()?;
                r.inline_stack.push(il);
                Ok(())
            });
            let v = take_from(&mut self.inline_stack, mark);
            r.map(|()| v)
        })
    }

    fn inline(&mut self) -> Result<Inline> {
        self.tagged("an Inline", Self::inline_content)
    }

    /// An inline's content once its tag is known; kept small like
    /// `block_content`, since deep nesting pays its frame at every level.
    fn inline_content(&mut self, tag: &str, c: Content) -> Result<Inline> {
        match tag {
            "Space" => {
                self.none(c)?;
                return Ok(Inline::Space);
            }
            "SoftBreak" => {
                self.none(c)?;
                return Ok(Inline::SoftBreak);
            }
            "LineBreak" => {
                self.none(c)?;
                return Ok(Inline::LineBreak);
            }
            _ => {}
        }
        if !Inline::TAGS.contains(&tag) {
            return unknown("Inline", tag);
        }
        self.need(c, tag)?;
        Ok(match tag {
            "Str" => Inline::Str(self.string()?),
            "Emph" => Inline::Emph(self.inlines()?),
            "Underline" => Inline::Underline(self.inlines()?),
            "Strong" => Inline::Strong(self.inlines()?),
            "Strikeout" => Inline::Strikeout(self.inlines()?),
            "Superscript" => Inline::Superscript(self.inlines()?),
            "Subscript" => Inline::Subscript(self.inlines()?),
            "SmallCaps" => Inline::SmallCaps(self.inlines()?),
            "Quoted" => self.quoted()?,
            "Cite" => self.cite()?,
            "Code" => self.code()?,
            "Math" => self.math()?,
            "RawInline" => self.raw_inline()?,
            "Link" | "Image" => self.link_or_image(tag)?,
            "Note" => Inline::Note(self.blocks()?),
            "Span" => self.span()?,
            _ => return unknown("Inline", tag),
        })
    }

    #[inline(never)]
    fn quoted(&mut self) -> Result<Inline> {
        self.expect(b'[')?;
        let qt = self.simple_tag("QuoteType", |t| match t {
            "SingleQuote" => Some(QuoteType::SingleQuote),
            "DoubleQuote" => Some(QuoteType::DoubleQuote),
            _ => None,
        })?;
        self.expect(b',')?;
        let ils = self.inlines()?;
        self.expect(b']')?;
        Ok(Inline::Quoted(qt, ils))
    }

    #[inline(never)]
    fn cite(&mut self) -> Result<Inline> {
        self.expect(b'[')?;
        let cits = self.vec(|r| r.citation())?;
        self.expect(b',')?;
        let ils = self.inlines()?;
        self.expect(b']')?;
        Ok(Inline::Cite(cits, ils))
    }

    #[inline(never)]
    fn code(&mut self) -> Result<Inline> {
        self.expect(b'[')?;
        let attr = self.attr()?;
        self.expect(b',')?;
        let text = self.string()?;
        self.expect(b']')?;
        Ok(Inline::Code(Box::new(attr), text))
    }

    #[inline(never)]
    fn math(&mut self) -> Result<Inline> {
        self.expect(b'[')?;
        let mt = self.simple_tag("MathType", |t| match t {
            "DisplayMath" => Some(MathType::DisplayMath),
            "InlineMath" => Some(MathType::InlineMath),
            _ => None,
        })?;
        self.expect(b',')?;
        let text = self.string()?;
        self.expect(b']')?;
        Ok(Inline::Math(mt, text))
    }

    #[inline(never)]
    fn raw_inline(&mut self) -> Result<Inline> {
        self.expect(b'[')?;
        let fmt = self.string()?;
        self.expect(b',')?;
        let text = self.string()?;
        self.expect(b']')?;
        Ok(Inline::RawInline(Format(fmt), text))
    }

    #[inline(never)]
    fn span(&mut self) -> Result<Inline> {
        self.expect(b'[')?;
        let attr = self.attr()?;
        self.expect(b',')?;
        let ils = self.inlines()?;
        self.expect(b']')?;
        Ok(Inline::Span(Box::new(attr), ils))
    }

    #[inline(never)]
    fn link_or_image(&mut self, tag: &str) -> Result<Inline> {
        self.expect(b'[')?;
        let attr = self.attr()?;
        self.expect(b',')?;
        let ils = self.inlines()?;
        self.expect(b',')?;
        self.expect(b'[')?;
        let url = self.string()?;
        self.expect(b',')?;
        let title = self.string()?;
        self.expect(b']')?;
        self.expect(b']')?;
        let (attr, target) = (Box::new(attr), Box::new(Target { url, title }));
        if tag == "Link" {
            Ok(Inline::Link(attr, ils, target))
        } else {
            Ok(Inline::Image(attr, ils, target))
        }
    }

    fn citation(&mut self) -> Result<Citation> {
        self.expect(b'{')?;
        let start = self.pos;
        let mut id = None;
        let mut prefix = None;
        let mut suffix = None;
        let mut mode = None;
        let mut note_num = None;
        let mut hash = None;
        if self.peek() != Some(b'}') {
            loop {
                let key = self.str_cow()?;
                self.expect(b':')?;
                match key.as_ref() {
                    "citationId" => id = Some(self.string()?),
                    "citationPrefix" => prefix = Some(self.inlines()?),
                    "citationSuffix" => suffix = Some(self.inlines()?),
                    "citationMode" => {
                        mode = Some(self.simple_tag("CitationMode", |t| match t {
                            "AuthorInText" => Some(CitationMode::AuthorInText),
                            "SuppressAuthor" => Some(CitationMode::SuppressAuthor),
                            "NormalCitation" => Some(CitationMode::NormalCitation),
                            _ => None,
                        })?)
                    }
                    "citationNoteNum" => note_num = Some(self.int()?),
                    "citationHash" => hash = Some(self.int()?),
                    _ => self.skip_value()?,
                }
                match self.peek() {
                    Some(b',') => self.pos += 1,
                    Some(b'}') => break,
                    _ => {
                        return self.err(format!("expected ',' or '}}', found {}", self.describe()))
                    }
                }
            }
        }
        self.pos += 1;
        let missing = |name: &str| RawError::Syntax {
            pos: start - 1,
            message: format!("Citation without \"{name}\""),
        };
        Ok(Citation {
            id: id.ok_or_else(|| missing("citationId"))?,
            prefix: prefix.ok_or_else(|| missing("citationPrefix"))?,
            suffix: suffix.ok_or_else(|| missing("citationSuffix"))?,
            mode: mode.ok_or_else(|| missing("citationMode"))?,
            note_num: note_num.ok_or_else(|| missing("citationNoteNum"))?,
            hash: hash.ok_or_else(|| missing("citationHash"))?,
        })
    }
}

/// Marker position for "unknown constructor" errors, fixed up by `tagged`.
const UNKNOWN_POS: usize = usize::MAX;

/// The elements of `stack` from `mark` on, in a vector of their exact size.
/// A huge list that is alone on the stack (a paragraph of millions of
/// words) is taken with the stack's own allocation, not copied: a copy
/// would double the memory it needs at its peak.
fn take_from<T>(stack: &mut Vec<T>, mark: usize) -> Vec<T> {
    if mark == 0 && stack.len() >= 1 << 16 {
        let mut v = std::mem::take(stack);
        v.shrink_to_fit();
        v
    } else {
        stack.drain(mark..).collect()
    }
}

fn unknown<T>(kind: &str, tag: &str) -> Result<T> {
    Err(RawError::Syntax {
        pos: UNKNOWN_POS,
        message: format!("unknown {kind} constructor \"{tag}\""),
    })
}

/// Points an "unknown constructor" error at the tag's string.
fn unknown_at(e: RawError, tag_pos: usize) -> RawError {
    match e {
        RawError::Syntax { pos, message } if pos == UNKNOWN_POS => RawError::Syntax {
            pos: tag_pos,
            message,
        },
        e => e,
    }
}

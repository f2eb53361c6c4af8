//! The JSON writer: the bytes pandoc 3 writes (aeson's compact encoding).
//!
//! Hand-written rather than derived so that every byte is pandoc's: doubles in
//! Haskell's `show` notation, control characters as lowercase `\u00XX`,
//! nullary constructors without `"c"`, and a final newline.

use std::io;

use crate::definition::*;

/// Bytes buffered before they are handed to the underlying writer.
const CHUNK: usize = 1 << 16;

/// Writes `doc` as pandoc JSON followed by a newline, as `pandoc -t json` does.
pub fn write_json<W: io::Write>(doc: &Pandoc, out: W) -> io::Result<()> {
    let mut w = JsonWriter {
        buf: Vec::with_capacity(CHUNK + 1024),
        out,
    };
    w.pandoc(doc)?;
    w.buf.push(b'\n');
    w.flush_all()
}

/// The JSON of `doc` as a string (with pandoc's final newline).
pub fn to_json_string(doc: &Pandoc) -> String {
    let mut bytes = Vec::new();
    // Writing to a Vec cannot fail.
    let _ = write_json(doc, &mut bytes);
    // The writer only emits valid UTF-8: escapes are ASCII and strings are copied whole.
    String::from_utf8(bytes).unwrap_or_default()
}

/// Writes a document one top-level block at a time: the bytes are those of
/// [`write_json`] for the same document, and they go out as they are made, so
/// the next stage of a pipe can start before this one has finished.
pub struct BlockWriter<W: io::Write> {
    w: JsonWriter<W>,
    first: bool,
}

impl<W: io::Write> BlockWriter<W> {
    /// Writes `{"pandoc-api-version":[..],"meta":{..},"blocks":[`.
    pub fn new(out: W, api_version: &[u32], meta: &Meta) -> io::Result<Self> {
        let mut w = JsonWriter {
            buf: Vec::with_capacity(CHUNK + 1024),
            out,
        };
        w.header(api_version, meta)?;
        w.raw(",\"blocks\":[");
        Ok(BlockWriter { w, first: true })
    }

    /// Writes the next top-level block.
    pub fn write_block(&mut self, block: &Block) -> io::Result<()> {
        if !self.first {
            self.w.byte(b',');
        }
        self.first = false;
        self.w.block(block)?;
        self.w.maybe_flush()
    }

    /// Writes the end of the document and its final newline, flushes, and
    /// gives the output back.
    pub fn finish(mut self) -> io::Result<W> {
        self.w.raw("]}\n");
        self.w.flush_all()?;
        Ok(self.w.out)
    }
}

/// `{"t":"Name","c":` as one literal; the caller writes the content and `}`.
macro_rules! open {
    ($w:expr, $name:literal) => {
        $w.raw(concat!("{\"t\":\"", $name, "\",\"c\":"))
    };
}

/// `{"t":"Name"}` as one literal.
macro_rules! tag {
    ($name:literal) => {
        concat!("{\"t\":\"", $name, "\"}")
    };
}

struct JsonWriter<W: io::Write> {
    buf: Vec<u8>,
    out: W,
}

impl<W: io::Write> JsonWriter<W> {
    fn flush_all(&mut self) -> io::Result<()> {
        self.out.write_all(&self.buf)?;
        self.buf.clear();
        self.out.flush()
    }

    #[inline]
    fn maybe_flush(&mut self) -> io::Result<()> {
        if self.buf.len() >= CHUNK {
            self.out.write_all(&self.buf)?;
            self.buf.clear();
        }
        Ok(())
    }

    #[inline]
    fn raw(&mut self, s: &str) {
        self.buf.extend_from_slice(s.as_bytes());
    }

    #[inline]
    fn byte(&mut self, b: u8) {
        self.buf.push(b);
    }

    fn int(&mut self, n: i64) {
        let mut b = itoa::Buffer::new();
        self.buf.extend_from_slice(b.format(n).as_bytes());
    }

    fn string(&mut self, s: &str) {
        escape_json_string(s, &mut self.buf);
    }

    fn pandoc(&mut self, doc: &Pandoc) -> io::Result<()> {
        self.header(&doc.api_version, &doc.meta)?;
        self.raw(",\"blocks\":");
        self.blocks(&doc.blocks)?;
        self.byte(b'}');
        Ok(())
    }

    /// `{"pandoc-api-version":[..],"meta":{..}`.
    fn header(&mut self, api_version: &[u32], meta: &Meta) -> io::Result<()> {
        self.raw("{\"pandoc-api-version\":[");
        for (i, n) in api_version.iter().enumerate() {
            if i > 0 {
                self.byte(b',');
            }
            self.int(i64::from(*n));
        }
        self.raw("],\"meta\":");
        self.meta_map(meta)
    }

    fn meta_map(&mut self, map: &Meta) -> io::Result<()> {
        self.byte(b'{');
        for (i, (k, v)) in map.iter().enumerate() {
            if i > 0 {
                self.byte(b',');
            }
            self.string(k);
            self.byte(b':');
            self.meta_value(v)?;
        }
        self.byte(b'}');
        Ok(())
    }

    fn meta_value(&mut self, v: &MetaValue) -> io::Result<()> {
        stacker::maybe_grow(64 * 1024, 1024 * 1024, || {
            match v {
                MetaValue::MetaMap(m) => {
                    open!(self, "MetaMap");
                    self.meta_map(m)?;
                }
                MetaValue::MetaList(l) => {
                    open!(self, "MetaList");
                    self.byte(b'[');
                    for (i, x) in l.iter().enumerate() {
                        if i > 0 {
                            self.byte(b',');
                        }
                        self.meta_value(x)?;
                    }
                    self.byte(b']');
                }
                MetaValue::MetaBool(b) => {
                    open!(self, "MetaBool");
                    self.raw(if *b { "true" } else { "false" });
                }
                MetaValue::MetaString(s) => {
                    open!(self, "MetaString");
                    self.string(s);
                }
                MetaValue::MetaInlines(ils) => {
                    open!(self, "MetaInlines");
                    self.inlines(ils)?;
                }
                MetaValue::MetaBlocks(bs) => {
                    open!(self, "MetaBlocks");
                    self.blocks(bs)?;
                }
            }
            self.byte(b'}');
            Ok(())
        })
    }

    fn attr(&mut self, a: &Attr) {
        if a.is_empty() {
            self.raw("[\"\",[],[]]");
            return;
        }
        self.byte(b'[');
        self.string(&a.id);
        self.raw(",[");
        for (i, c) in a.classes.iter().enumerate() {
            if i > 0 {
                self.byte(b',');
            }
            self.string(c);
        }
        self.raw("],[");
        for (i, (k, v)) in a.attributes.iter().enumerate() {
            if i > 0 {
                self.byte(b',');
            }
            self.byte(b'[');
            self.string(k);
            self.byte(b',');
            self.string(v);
            self.byte(b']');
        }
        self.raw("]]");
    }

    fn blocks(&mut self, bs: &[Block]) -> io::Result<()> {
        stacker::maybe_grow(64 * 1024, 1024 * 1024, || {
            self.byte(b'[');
            for (i, b) in bs.iter().enumerate() {
                if i > 0 {
                    self.byte(b',');
                }
                self.block(b)?;
            }
            self.byte(b']');
            self.maybe_flush()
        })
    }

    fn block_lists(&mut self, items: &[Vec<Block>]) -> io::Result<()> {
        self.byte(b'[');
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                self.byte(b',');
            }
            self.blocks(item)?;
        }
        self.byte(b']');
        Ok(())
    }

    fn block(&mut self, b: &Block) -> io::Result<()> {
        match b {
            Block::Plain(ils) => {
                open!(self, "Plain");
                self.inlines(ils)?;
            }
            Block::Para(ils) => {
                open!(self, "Para");
                self.inlines(ils)?;
            }
            Block::LineBlock(lines) => {
                open!(self, "LineBlock");
                self.byte(b'[');
                for (i, l) in lines.iter().enumerate() {
                    if i > 0 {
                        self.byte(b',');
                    }
                    self.inlines(l)?;
                }
                self.byte(b']');
            }
            Block::CodeBlock(attr, text) => {
                open!(self, "CodeBlock");
                self.byte(b'[');
                self.attr(attr);
                self.byte(b',');
                self.string(text);
                self.byte(b']');
            }
            Block::RawBlock(fmt, text) => {
                open!(self, "RawBlock");
                self.byte(b'[');
                self.string(&fmt.0);
                self.byte(b',');
                self.string(text);
                self.byte(b']');
            }
            Block::BlockQuote(bs) => {
                open!(self, "BlockQuote");
                self.blocks(bs)?;
            }
            Block::OrderedList(la, items) => {
                open!(self, "OrderedList");
                self.byte(b'[');
                self.list_attributes(la);
                self.byte(b',');
                self.block_lists(items)?;
                self.byte(b']');
            }
            Block::BulletList(items) => {
                open!(self, "BulletList");
                self.block_lists(items)?;
            }
            Block::DefinitionList(items) => {
                open!(self, "DefinitionList");
                self.byte(b'[');
                for (i, (term, defs)) in items.iter().enumerate() {
                    if i > 0 {
                        self.byte(b',');
                    }
                    self.byte(b'[');
                    self.inlines(term)?;
                    self.byte(b',');
                    self.block_lists(defs)?;
                    self.byte(b']');
                }
                self.byte(b']');
            }
            Block::Header(level, attr, ils) => {
                open!(self, "Header");
                self.byte(b'[');
                self.int(*level);
                self.byte(b',');
                self.attr(attr);
                self.byte(b',');
                self.inlines(ils)?;
                self.byte(b']');
            }
            Block::HorizontalRule => {
                self.raw(tag!("HorizontalRule"));
                return Ok(());
            }
            Block::Table(t) => {
                open!(self, "Table");
                self.byte(b'[');
                self.attr(&t.attr);
                self.byte(b',');
                self.caption(&t.caption)?;
                self.raw(",[");
                for (i, ColSpec(align, width)) in t.colspecs.iter().enumerate() {
                    if i > 0 {
                        self.byte(b',');
                    }
                    self.byte(b'[');
                    self.alignment(*align);
                    self.byte(b',');
                    match width {
                        ColWidth::ColWidth(w) => {
                            open!(self, "ColWidth");
                            write_haskell_double(*w, &mut self.buf);
                            self.byte(b'}');
                        }
                        ColWidth::ColWidthDefault => self.raw(tag!("ColWidthDefault")),
                    }
                    self.byte(b']');
                }
                self.raw("],[");
                self.attr(&t.head.0);
                self.byte(b',');
                self.rows(&t.head.1)?;
                self.raw("],[");
                for (i, TableBody(attr, rhc, head, body)) in t.bodies.iter().enumerate() {
                    if i > 0 {
                        self.byte(b',');
                    }
                    self.byte(b'[');
                    self.attr(attr);
                    self.byte(b',');
                    self.int(*rhc);
                    self.byte(b',');
                    self.rows(head)?;
                    self.byte(b',');
                    self.rows(body)?;
                    self.byte(b']');
                }
                self.raw("],[");
                self.attr(&t.foot.0);
                self.byte(b',');
                self.rows(&t.foot.1)?;
                self.raw("]]");
            }
            Block::Figure(attr, caption, bs) => {
                open!(self, "Figure");
                self.byte(b'[');
                self.attr(attr);
                self.byte(b',');
                self.caption(caption)?;
                self.byte(b',');
                self.blocks(bs)?;
                self.byte(b']');
            }
            Block::Div(attr, bs) => {
                open!(self, "Div");
                self.byte(b'[');
                self.attr(attr);
                self.byte(b',');
                self.blocks(bs)?;
                self.byte(b']');
            }
        }
        self.byte(b'}');
        Ok(())
    }

    fn list_attributes(&mut self, la: &ListAttributes) {
        self.byte(b'[');
        self.int(la.start);
        self.byte(b',');
        self.raw(match la.style {
            ListNumberStyle::DefaultStyle => tag!("DefaultStyle"),
            ListNumberStyle::Example => tag!("Example"),
            ListNumberStyle::Decimal => tag!("Decimal"),
            ListNumberStyle::LowerRoman => tag!("LowerRoman"),
            ListNumberStyle::UpperRoman => tag!("UpperRoman"),
            ListNumberStyle::LowerAlpha => tag!("LowerAlpha"),
            ListNumberStyle::UpperAlpha => tag!("UpperAlpha"),
        });
        self.byte(b',');
        self.raw(match la.delim {
            ListNumberDelim::DefaultDelim => tag!("DefaultDelim"),
            ListNumberDelim::Period => tag!("Period"),
            ListNumberDelim::OneParen => tag!("OneParen"),
            ListNumberDelim::TwoParens => tag!("TwoParens"),
        });
        self.byte(b']');
    }

    fn alignment(&mut self, a: Alignment) {
        self.raw(match a {
            Alignment::AlignLeft => tag!("AlignLeft"),
            Alignment::AlignRight => tag!("AlignRight"),
            Alignment::AlignCenter => tag!("AlignCenter"),
            Alignment::AlignDefault => tag!("AlignDefault"),
        });
    }

    fn caption(&mut self, Caption(short, long): &Caption) -> io::Result<()> {
        self.byte(b'[');
        match short {
            Some(ils) => self.inlines(ils)?,
            None => self.raw("null"),
        }
        self.byte(b',');
        self.blocks(long)?;
        self.byte(b']');
        Ok(())
    }

    fn rows(&mut self, rows: &[Row]) -> io::Result<()> {
        self.byte(b'[');
        for (i, Row(attr, cells)) in rows.iter().enumerate() {
            if i > 0 {
                self.byte(b',');
            }
            self.byte(b'[');
            self.attr(attr);
            self.raw(",[");
            for (j, Cell(attr, align, rs, cs, bs)) in cells.iter().enumerate() {
                if j > 0 {
                    self.byte(b',');
                }
                self.byte(b'[');
                self.attr(attr);
                self.byte(b',');
                self.alignment(*align);
                self.byte(b',');
                self.int(*rs);
                self.byte(b',');
                self.int(*cs);
                self.byte(b',');
                self.blocks(bs)?;
                self.byte(b']');
            }
            self.raw("]]");
        }
        self.byte(b']');
        Ok(())
    }

    fn inlines(&mut self, ils: &[Inline]) -> io::Result<()> {
        stacker::maybe_grow(64 * 1024, 1024 * 1024, || {
            self.byte(b'[');
            for (i, il) in ils.iter().enumerate() {
                if i > 0 {
                    self.byte(b',');
                }
                self.inline(il)?;
            }
            self.byte(b']');
            Ok(())
        })
    }

    fn inline(&mut self, il: &Inline) -> io::Result<()> {
        match il {
            Inline::Str(s) => {
                open!(self, "Str");
                self.string(s);
            }
            Inline::Emph(ils) => {
                open!(self, "Emph");
                self.inlines(ils)?;
            }
            Inline::Underline(ils) => {
                open!(self, "Underline");
                self.inlines(ils)?;
            }
            Inline::Strong(ils) => {
                open!(self, "Strong");
                self.inlines(ils)?;
            }
            Inline::Strikeout(ils) => {
                open!(self, "Strikeout");
                self.inlines(ils)?;
            }
            Inline::Superscript(ils) => {
                open!(self, "Superscript");
                self.inlines(ils)?;
            }
            Inline::Subscript(ils) => {
                open!(self, "Subscript");
                self.inlines(ils)?;
            }
            Inline::SmallCaps(ils) => {
                open!(self, "SmallCaps");
                self.inlines(ils)?;
            }
            Inline::Quoted(qt, ils) => {
                open!(self, "Quoted");
                self.byte(b'[');
                self.raw(match qt {
                    QuoteType::SingleQuote => tag!("SingleQuote"),
                    QuoteType::DoubleQuote => tag!("DoubleQuote"),
                });
                self.byte(b',');
                self.inlines(ils)?;
                self.byte(b']');
            }
            Inline::Cite(cits, ils) => {
                open!(self, "Cite");
                self.byte(b'[');
                self.byte(b'[');
                for (i, c) in cits.iter().enumerate() {
                    if i > 0 {
                        self.byte(b',');
                    }
                    self.citation(c)?;
                }
                self.raw("],");
                self.inlines(ils)?;
                self.byte(b']');
            }
            Inline::Code(attr, text) => {
                open!(self, "Code");
                self.byte(b'[');
                self.attr(attr);
                self.byte(b',');
                self.string(text);
                self.byte(b']');
            }
            Inline::Space => {
                self.raw(tag!("Space"));
                return Ok(());
            }
            Inline::SoftBreak => {
                self.raw(tag!("SoftBreak"));
                return Ok(());
            }
            Inline::LineBreak => {
                self.raw(tag!("LineBreak"));
                return Ok(());
            }
            Inline::Math(mt, text) => {
                open!(self, "Math");
                self.byte(b'[');
                self.raw(match mt {
                    MathType::DisplayMath => tag!("DisplayMath"),
                    MathType::InlineMath => tag!("InlineMath"),
                });
                self.byte(b',');
                self.string(text);
                self.byte(b']');
            }
            Inline::RawInline(fmt, text) => {
                open!(self, "RawInline");
                self.byte(b'[');
                self.string(&fmt.0);
                self.byte(b',');
                self.string(text);
                self.byte(b']');
            }
            Inline::Link(attr, ils, target) => {
                open!(self, "Link");
                self.link_like(attr, ils, target)?;
            }
            Inline::Image(attr, ils, target) => {
                open!(self, "Image");
                self.link_like(attr, ils, target)?;
            }
            Inline::Note(bs) => {
                open!(self, "Note");
                self.blocks(bs)?;
            }
            Inline::Span(attr, ils) => {
                open!(self, "Span");
                self.byte(b'[');
                self.attr(attr);
                self.byte(b',');
                self.inlines(ils)?;
                self.byte(b']');
            }
        }
        self.byte(b'}');
        Ok(())
    }

    fn link_like(&mut self, attr: &Attr, ils: &[Inline], target: &Target) -> io::Result<()> {
        self.byte(b'[');
        self.attr(attr);
        self.byte(b',');
        self.inlines(ils)?;
        self.raw(",[");
        self.string(&target.url);
        self.byte(b',');
        self.string(&target.title);
        self.raw("]]");
        Ok(())
    }

    fn citation(&mut self, c: &Citation) -> io::Result<()> {
        self.raw("{\"citationId\":");
        self.string(&c.id);
        self.raw(",\"citationPrefix\":");
        self.inlines(&c.prefix)?;
        self.raw(",\"citationSuffix\":");
        self.inlines(&c.suffix)?;
        self.raw(",\"citationMode\":");
        self.raw(match c.mode {
            CitationMode::AuthorInText => tag!("AuthorInText"),
            CitationMode::SuppressAuthor => tag!("SuppressAuthor"),
            CitationMode::NormalCitation => tag!("NormalCitation"),
        });
        self.raw(",\"citationNoteNum\":");
        self.int(c.note_num);
        self.raw(",\"citationHash\":");
        self.int(c.hash);
        self.byte(b'}');
        Ok(())
    }
}

/// Bytes that aeson escapes: control characters, `"` and `\`.
static NEEDS_ESCAPE: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 0x20 {
        t[i] = true;
        i += 1;
    }
    t[b'"' as usize] = true;
    t[b'\\' as usize] = true;
    t
};

/// Appends `s` as a JSON string literal the way aeson escapes it: `"` and `\`
/// backslashed, `\n` `\r` `\t` short, other control characters as `\u00XX`,
/// everything else (DEL and non-ASCII included) as is.
pub fn escape_json_string(s: &str, out: &mut Vec<u8>) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let bytes = s.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if !NEEDS_ESCAPE[usize::from(b)] {
            continue;
        }
        out.extend_from_slice(&bytes[start..i]);
        match b {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\t' => out.extend_from_slice(b"\\t"),
            _ => out.extend_from_slice(&[
                b'\\',
                b'u',
                b'0',
                b'0',
                HEX[usize::from(b >> 4)],
                HEX[usize::from(b & 15)],
            ]),
        }
        start = i + 1;
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}

/// Appends `x` as Haskell's `show` prints a `Double`, which is what pandoc's
/// JSON holds: shortest round-trip digits, fixed notation for
/// `0.1 <= |x| < 10^7` (`0.5`, `100.0`), scientific otherwise (`5.0e-2`).
pub fn write_haskell_double(x: f64, out: &mut Vec<u8>) {
    if !x.is_finite() {
        // aeson writes non-finite numbers as null; a ColWidth cannot be one.
        out.extend_from_slice(b"null");
        return;
    }
    if x == 0.0 {
        out.extend_from_slice(b"0.0");
        return;
    }
    // Rust's `{:e}` gives the shortest digits that round-trip: "d.ddde-2".
    let sci = format!("{:e}", x.abs());
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    if x < 0.0 {
        out.push(b'-');
    }
    let abs = x.abs();
    if (0.1..10_000_000.0).contains(&abs) {
        // Position of the decimal point after the first `point` digits.
        let point = exp + 1;
        if point <= 0 {
            out.extend_from_slice(b"0.");
            out.extend(std::iter::repeat_n(b'0', (-point) as usize));
            out.extend_from_slice(digits.as_bytes());
        } else {
            let point = point as usize;
            if digits.len() <= point {
                out.extend_from_slice(digits.as_bytes());
                out.extend(std::iter::repeat_n(b'0', point - digits.len()));
                out.extend_from_slice(b".0");
            } else {
                out.extend_from_slice(&digits.as_bytes()[..point]);
                out.push(b'.');
                out.extend_from_slice(&digits.as_bytes()[point..]);
            }
        }
    } else {
        out.push(digits.as_bytes()[0]);
        out.push(b'.');
        if digits.len() > 1 {
            out.extend_from_slice(&digits.as_bytes()[1..]);
        } else {
            out.push(b'0');
        }
        out.push(b'e');
        let mut b = itoa::Buffer::new();
        out.extend_from_slice(b.format(exp).as_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(x: f64) -> String {
        let mut v = Vec::new();
        write_haskell_double(x, &mut v);
        String::from_utf8(v).unwrap()
    }

    /// Expected values printed by pandoc 3.9 for the same `ColWidth`s.
    #[test]
    fn doubles_as_pandoc_prints_them() {
        let cases = [
            (0.05, "5.0e-2"),
            (0.001, "1.0e-3"),
            (0.1, "0.1"),
            (0.5, "0.5"),
            (1.0, "1.0"),
            (12345678.9, "1.23456789e7"),
            (0.3333333333333333, "0.3333333333333333"),
            (1e7, "1.0e7"),
            (9999999.0, "9999999.0"),
            (100.0, "100.0"),
            (1e22, "1.0e22"),
            (5e-324, "5.0e-324"),
            (0.09999999999999999, "9.999999999999999e-2"),
            (-0.0, "0.0"),
            (-2.5, "-2.5"),
            (123.456, "123.456"),
            // Relative widths of pandoc 3.9's tables (1/93, 92/93, 85/92).
            (1.0 / 93.0, "1.0752688172043012e-2"),
            (92.0 / 93.0, "0.989247311827957"),
            (85.0 / 92.0, "0.9239130434782609"),
        ];
        for (x, want) in cases {
            assert_eq!(show(x), want, "{x}");
        }
    }

    #[test]
    fn escapes_as_aeson_does() {
        let mut v = Vec::new();
        escape_json_string(
            "a\"b\\c\n\r\t\u{8}\u{c}\u{1f}\u{7f}é\u{2028}</script>",
            &mut v,
        );
        assert_eq!(
            String::from_utf8(v).unwrap(),
            "\"a\\\"b\\\\c\\n\\r\\t\\u0008\\u000c\\u001f\u{7f}é\u{2028}</script>\""
        );
    }
}

//! Pandoc's attribute syntax `{#id .class key=value}` and small scanning helpers
//! shared by the block and inline parsers.

use ast::Attr;

/// True for pandoc's `spaceChar`: a space or a tab.
#[inline]
pub(crate) fn is_space(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

/// True when the line holds only spaces and tabs.
#[inline]
pub(crate) fn is_blank(line: &str) -> bool {
    line.bytes().all(is_space)
}

/// Number of leading spaces.
#[inline]
pub(crate) fn indent_of(line: &str) -> usize {
    line.bytes().take_while(|&b| b == b' ').count()
}

/// Parses `{...}` attributes at the start of `s`; returns the attributes and
/// the number of bytes read.
pub(crate) fn parse_attributes(s: &str) -> Option<(Attr, usize)> {
    let b = s.as_bytes();
    if b.first() != Some(&b'{') {
        return None;
    }
    let mut attr = Attr::default();
    let mut i = 1;
    loop {
        while i < b.len() && (is_space(b[i]) || b[i] == b'\n') {
            i += 1;
        }
        if i >= b.len() {
            return None;
        }
        match b[i] {
            b'}' => return Some((attr, i + 1)),
            b'#' => {
                let start = i + 1;
                let end = ident_end(b, start);
                if end == start {
                    return None;
                }
                attr.id = s[start..end].to_string();
                i = end;
            }
            b'.' => {
                let start = i + 1;
                let end = ident_end(b, start);
                if end == start {
                    return None;
                }
                attr.classes.push(s[start..end].to_string());
                i = end;
            }
            b'-' if matches!(b.get(i + 1), Some(b'}' | b' ' | b'\t' | b'\n')) => {
                attr.classes.push("unnumbered".to_string());
                i += 1;
            }
            _ => {
                let start = i;
                while i < b.len() && is_key_char(b[i]) {
                    i += 1;
                }
                if i == start || b.get(i) != Some(&b'=') {
                    return None;
                }
                let key = &s[start..i];
                i += 1;
                let value = match b.get(i) {
                    Some(&q @ (b'"' | b'\'')) => {
                        let mut v = String::new();
                        i += 1;
                        loop {
                            match b.get(i) {
                                None => return None,
                                Some(&c) if c == q => {
                                    i += 1;
                                    break;
                                }
                                // pandoc's `litChar`: an escaped symbol, a
                                // character reference, a line end as a space.
                                Some(b'\\')
                                    if s[i + 1..].starts_with(|c: char| !c.is_alphanumeric()) =>
                                {
                                    let ch = s[i + 1..].chars().next()?;
                                    v.push(if ch == '\n' { ' ' } else { ch });
                                    i += 1 + ch.len_utf8();
                                }
                                Some(b'&') => match crate::html::char_ref(&s[i..]) {
                                    Some((r, n)) => {
                                        v.push_str(&r);
                                        i += n;
                                    }
                                    None => {
                                        v.push('&');
                                        i += 1;
                                    }
                                },
                                Some(b'\n') => {
                                    v.push(' ');
                                    i += 1;
                                }
                                Some(_) => {
                                    let ch = s[i..].chars().next()?;
                                    v.push(ch);
                                    i += ch.len_utf8();
                                }
                            }
                        }
                        v
                    }
                    _ => {
                        // Up to white space or `}`; a backslash escapes a symbol.
                        let mut v = String::new();
                        while i < b.len() && !is_space(b[i]) && b[i] != b'}' && b[i] != b'\n' {
                            let mut ch = s[i..].chars().next()?;
                            if ch == '\\' {
                                if let Some(e) = s[i + 1..]
                                    .chars()
                                    .next()
                                    .filter(|c| !c.is_alphanumeric() && *c != '\n')
                                {
                                    i += 1;
                                    ch = e;
                                }
                            }
                            v.push(ch);
                            i += ch.len_utf8();
                        }
                        v
                    }
                };
                if key == "id" && attr.id.is_empty() {
                    attr.id = value;
                } else if key == "class" {
                    attr.classes
                        .extend(value.split_whitespace().map(str::to_string));
                } else {
                    attr.attributes.push((key.to_string(), value));
                }
            }
        }
        // Attributes must be separated by white space or end at `}`.
        if i < b.len() && !(is_space(b[i]) || b[i] == b'\n' || b[i] == b'}') {
            return None;
        }
    }
}

fn is_key_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b':')
}

/// End of an identifier or class name starting at `i`.
fn ident_end(b: &[u8], mut i: usize) -> usize {
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'.' | b':') || c >= 0x80 {
            i += 1;
        } else {
            break;
        }
    }
    i
}

/// Parses a raw attribute `{=format}` at the start of `s`.
pub(crate) fn parse_raw_attribute(s: &str) -> Option<(String, usize)> {
    let b = s.as_bytes();
    if !s.starts_with("{=") {
        return None;
    }
    let mut i = 2;
    let start = i;
    while i < b.len() && (b[i].is_ascii_alphanumeric() || matches!(b[i], b'_' | b'-')) {
        i += 1;
    }
    if i == start || b.get(i) != Some(&b'}') {
        return None;
    }
    Some((s[start..i].to_string(), i + 1))
}

/// Splits trailing `{...}` attributes off a heading or caption text.
pub(crate) fn split_trailing_attributes(text: &str) -> (&str, Option<Attr>) {
    let trimmed = text.trim_end();
    if !trimmed.ends_with('}') {
        return (text, None);
    }
    // Find the last `{` whose attribute block runs to the end.
    let mut search = trimmed.len();
    while let Some(open) = trimmed[..search].rfind('{') {
        if let Some((attr, len)) = parse_attributes(&trimmed[open..]) {
            if open + len == trimmed.len() {
                return (&trimmed[..open], Some(attr));
            }
        }
        search = open;
    }
    (text, None)
}

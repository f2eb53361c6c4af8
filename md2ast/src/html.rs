//! Raw HTML: tags, their attributes, block-level tag names, character references.

use ast::Attr;

/// pandoc's block-level HTML tags: one ends a paragraph even in the middle
/// of a line.
const BLOCK_TAGS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "canvas",
    "caption",
    "center",
    "col",
    "colgroup",
    "dd",
    "details",
    "dir",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "frameset",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hgroup",
    "hr",
    "html",
    "isindex",
    "li",
    "main",
    "menu",
    "meta",
    "nav",
    "noframes",
    "ol",
    "output",
    "p",
    "pre",
    "script",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "textarea",
    "tfoot",
    "th",
    "thead",
    "title",
    "tr",
    "ul",
];

/// DocBook's block tags and EPUB's `case`, `switch` and `default`, which
/// pandoc's Markdown reader counts as block-level too (raw DocBook in
/// Markdown: `<variablelist>` ends a paragraph).
const DOCBOOK_AND_EPUB_BLOCK_TAGS: &[&str] = &[
    "bibliolist",
    "calloutlist",
    "case",
    "caution",
    "classsynopsis",
    "cmdsynopsis",
    "default",
    "epigraph",
    "equation",
    "example",
    "formalpara",
    "funcsynopsis",
    "glosslist",
    "important",
    "informalequation",
    "informalexample",
    "informalfigure",
    "informaltable",
    "itemizedlist",
    "literallayout",
    "mediaobject",
    "msgset",
    "note",
    "orderedlist",
    "para",
    "procedure",
    "programlisting",
    "programlistingco",
    "qandaset",
    "screen",
    "screenco",
    "screenshot",
    "segmentedlist",
    "sidebar",
    "simpara",
    "simplelist",
    "switch",
    "synopsis",
    "task",
    "tip",
    "variablelist",
    "warning",
];

/// Tags pandoc reads as a block at the start of a block and inline in text.
const BLOCK_OR_INLINE_TAGS: &[&str] = &[
    "applet", "area", "audio", "button", "del", "embed", "iframe", "ins", "map", "noscript",
    "object", "progress", "source", "style", "svg", "track", "video",
];

/// A tag that starts a raw HTML block when it opens a block.
pub(crate) fn is_block_tag(name: &str) -> bool {
    is_block_only_tag(name) || BLOCK_OR_INLINE_TAGS.contains(&name)
}

/// A tag that ends a paragraph wherever it stands (not one of pandoc's
/// inline tags).
pub(crate) fn is_block_only_tag(name: &str) -> bool {
    BLOCK_TAGS.contains(&name) || DOCBOOK_AND_EPUB_BLOCK_TAGS.contains(&name)
}

/// Attributes of an HTML tag (the text after the tag name) as a pandoc `Attr`.
pub(crate) fn tag_attr(s: &str) -> Attr {
    let mut attr = Attr::default();
    // The first `id` and `class` count (pandoc's `lookup`).
    let (mut id_seen, mut class_seen) = (false, false);
    for (key, value) in tag_attr_pairs(s) {
        match key.as_str() {
            "id" if !id_seen => {
                id_seen = true;
                attr.id = value;
            }
            "class" if !class_seen => {
                class_seen = true;
                attr.classes
                    .extend(value.split_whitespace().map(str::to_string));
            }
            "id" | "class" => {}
            _ => attr.attributes.push((key, value)),
        }
    }
    attr
}

/// An opening tag as pandoc writes it back (tagsoup's `renderTags`) when
/// its raw HTML block found its closing tag: values quoted and escaped,
/// `markdown` dropped, `<x/>` as `<x></x>` (`<hr />` for the void ones).
pub(crate) fn render_open_tag(raw: &str) -> Option<String> {
    let inner = raw.strip_prefix('<')?.strip_suffix('>')?;
    let name_len = inner
        .find(|c: char| c.is_ascii_whitespace() || c == '/')
        .unwrap_or(inner.len());
    let name = &inner[..name_len];
    if name.is_empty() || name.starts_with('/') {
        return None;
    }
    let pairs = tag_attr_pairs(&inner[name_len..]);
    // Self-closing: a `/` ends the tag outside a value (`<p a=b/>` holds `b/`).
    let self_closing = inner.ends_with('/')
        && !pairs
            .last()
            .is_some_and(|(_, v)| v.ends_with('/') && !inner.ends_with("\"/"));
    let mut out = format!("<{name}");
    for (k, v) in pairs.iter().filter(|(k, _)| k != "markdown") {
        out.push(' ');
        out.push_str(k);
        if !v.is_empty() {
            out.push_str("=\"");
            for c in v.chars() {
                match c {
                    '&' => out.push_str("&amp;"),
                    '<' => out.push_str("&lt;"),
                    '>' => out.push_str("&gt;"),
                    '"' => out.push_str("&quot;"),
                    '\'' => out.push_str("&#39;"),
                    c => out.push(c),
                }
            }
            out.push('"');
        }
    }
    if self_closing {
        if ["hr", "br", "img", "meta", "link"].contains(&name.to_ascii_lowercase().as_str()) {
            out.push_str(" />");
        } else {
            out.push_str(&format!("></{name}>"));
        }
    } else {
        out.push('>');
    }
    Some(out)
}

/// The attributes of an HTML tag (the text after its name), in order.
fn tag_attr_pairs(s: &str) -> Vec<(String, String)> {
    let mut pairs = Vec::new();
    let b = s.as_bytes();
    let mut i = 0;
    loop {
        while i < b.len() && (b[i] as char).is_ascii_whitespace() {
            i += 1;
        }
        // A `/` inside the tag separates attributes (tagsoup); one ending
        // it closes the tag.
        if b.get(i) == Some(&b'/') && !matches!(b.get(i + 1), None | Some(b'>')) {
            i += 1;
            continue;
        }
        if i >= b.len() || b[i] == b'/' || b[i] == b'>' {
            break;
        }
        let ks = i;
        while i < b.len()
            && !(b[i] as char).is_ascii_whitespace()
            && b[i] != b'='
            && b[i] != b'>'
            && b[i] != b'/'
        {
            i += 1;
        }
        let key = s[ks..i].to_string();
        let mut value = String::new();
        // White space may stand around `=` (`s= v`).
        let mut e = i;
        while e < b.len() && (b[e] as char).is_ascii_whitespace() {
            e += 1;
        }
        if e < b.len() && b[e] == b'=' {
            i = e + 1;
            while i < b.len() && (b[i] as char).is_ascii_whitespace() {
                i += 1;
            }
            if i < b.len() && (b[i] == b'"' || b[i] == b'\'') {
                let q = b[i];
                let vs = i + 1;
                let ve = s[vs..].find(q as char).map_or(s.len(), |p| vs + p);
                value = decode_entities(&s[vs..ve]);
                i = (ve + 1).min(s.len());
            } else {
                let vs = i;
                while i < b.len() && !(b[i] as char).is_ascii_whitespace() && b[i] != b'>' {
                    i += 1;
                }
                value = decode_entities(&s[vs..i]);
            }
        }
        if key.is_empty() {
            i += 1;
            continue;
        }
        pairs.push((key, value));
    }
    pairs
}

/// Length of an HTML tag or comment at the start of `s` (which starts with `<`).
/// Like pandoc's `htmlTag`, the tag's name and its attributes' names must be
/// names (`i<j-1, j>k` holds no tag).
pub(crate) fn tag_len(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    if s.starts_with("<!--") {
        return s.strip_prefix("<!--")?.find("-->").map(|p| 4 + p + 3);
    }
    let mut i = 1;
    let closing = b.get(i) == Some(&b'/');
    if closing {
        i += 1;
    }
    let name = name_len(&s[i..], false)?;
    // pandoc takes no tag whose name ends with `:` (`<s:>` is text).
    if s[i..i + name].ends_with(':') {
        return None;
    }
    i += name;
    let is_space = |c: u8| matches!(c, b' ' | b'\t' | b'\n' | b'\r');
    if !matches!(b.get(i)?, b'>' | b'/') && !is_space(b[i]) {
        return None;
    }
    // A closing tag's attributes are not read: it ends at its first `>`
    // (tagsoup: `</t <>` is one tag).
    if closing {
        return s[i..].find('>').map(|end| i + end + 1);
    }
    // Attributes; quoted values may hold `>`.
    loop {
        while is_space(*b.get(i)?) {
            i += 1;
        }
        match b[i] {
            b'>' => return Some(i + 1),
            b'/' => {
                i += 1;
                continue;
            }
            _ => {}
        }
        i += name_len(&s[i..], true)?;
        while is_space(*b.get(i)?) {
            i += 1;
        }
        if b[i] != b'=' {
            continue;
        }
        i += 1;
        while is_space(*b.get(i)?) {
            i += 1;
        }
        match b[i] {
            b'"' | b'\'' => {
                let q = b[i];
                i += 1;
                while *b.get(i)? != q {
                    i += 1;
                }
                i += 1;
            }
            _ => {
                while !is_space(*b.get(i)?) && b[i] != b'>' {
                    i += 1;
                }
            }
        }
    }
}

/// Length of a tag or attribute name at the start of `s`: a letter (or `_`
/// for an attribute), then letters, digits, `-`, `_` and `:`.
fn name_len(s: &str, attribute: bool) -> Option<usize> {
    let first = s.chars().next()?;
    if !(first.is_alphabetic() || (attribute && first == '_')) {
        return None;
    }
    let len = s
        .char_indices()
        .find(|&(_, c)| !(c.is_alphanumeric() || matches!(c, '-' | '_' | ':')))
        .map_or(s.len(), |(p, _)| p);
    Some(len)
}

/// A character reference `&name;`, `&#123;` or `&#x1F;` at the start of `s`.
pub(crate) fn char_ref(s: &str) -> Option<(String, usize)> {
    let end = s[1..].find(';').map(|p| p + 1)?;
    if end > 32 {
        return None;
    }
    let body = &s[1..end];
    let c = if let Some(num) = body.strip_prefix('#') {
        let v = if let Some(hex) = num.strip_prefix(['x', 'X']) {
            u32::from_str_radix(hex, 16).ok()?
        } else {
            num.parse::<u32>().ok()?
        };
        // NUL, surrogates and values past Unicode become U+FFFD, as in pandoc.
        char::from_u32(v)
            .filter(|&c| c != '\0')
            .unwrap_or('\u{fffd}')
            .to_string()
    } else {
        if !body.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return None;
        }
        named_entity(body)?.to_string()
    };
    Some((c, end + 1))
}

fn named_entity(name: &str) -> Option<&'static str> {
    let table = crate::entities::NAMED_ENTITIES;
    let i = table.binary_search_by(|&(k, _)| k.cmp(name)).ok()?;
    Some(table[i].1)
}

/// Replaces character references in an attribute value.
pub(crate) fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::new();
    let mut i = 0;
    while let Some(p) = s[i..].find('&') {
        out.push_str(&s[i..i + p]);
        let at = i + p;
        match char_ref(&s[at..]) {
            Some((c, n)) => {
                out.push_str(&c);
                i = at + n;
            }
            None => {
                out.push('&');
                i = at + 1;
            }
        }
    }
    out.push_str(&s[i..]);
    out
}

//! The one place where text becomes HTML: every string of the document that
//! is not raw HTML goes through [`escape`] with the context it lands in.

/// Where an escaped string is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    /// Element content: `&`, `<` and `>` become entities (as in pandoc).
    Text,
    /// The text of a code block: also `"` and `'`, as pandoc writes them.
    Code,
    /// A double-quoted attribute value: `&`, `<`, `>` and `"`.
    Attribute,
    /// A URL in a double-quoted attribute: spaces, quotes, angle brackets and
    /// the characters RFC 3986 forbids are percent-encoded (pandoc's
    /// `escapeURI`), then `&` becomes `&amp;`.
    Url,
    /// The content of a `<style>` element (an embedded stylesheet): no
    /// entities there, but `</style` in any case would close the element, so
    /// it becomes `<\/style` (the same in CSS).
    StyleSheet,
}

/// Appends `s` to `out`, escaped for `context`. No text can open a tag
/// (`<` never comes out as itself) and no attribute value or URL can leave
/// its attribute (nor can `"`), no stylesheet can close its `<style>`. A NUL
/// character, which HTML forbids, becomes U+FFFD (as an HTML parser reads it).
pub fn escape(out: &mut String, s: &str, context: Context) {
    let bytes = s.as_bytes();
    let special = match context {
        Context::Text => &TEXT_SPECIAL,
        Context::Code => &CODE_SPECIAL,
        Context::Attribute => &ATTRIBUTE_SPECIAL,
        Context::Url => &URL_SPECIAL,
        Context::StyleSheet => &STYLE_SHEET_SPECIAL,
    };
    // Most strings need no escaping: find the first byte that does, fast.
    let Some(first) = bytes.iter().position(|&b| special[usize::from(b)]) else {
        out.push_str(s);
        return;
    };
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate().skip(first) {
        let replacement: &str = match (b, context) {
            (b'<', Context::StyleSheet) => {
                if !closes_style(&bytes[i..]) {
                    continue;
                }
                // `<` and `/` are ASCII: `i + 1` is a char boundary.
                out.push_str(&s[start..i]);
                out.push_str("<\\");
                start = i + 1;
                continue;
            }
            (0, Context::Text | Context::Code | Context::Attribute | Context::StyleSheet) => {
                "\u{fffd}"
            }
            (_, Context::StyleSheet) => continue,
            (b'&', _) => "&amp;",
            (b'<', Context::Text | Context::Code | Context::Attribute) => "&lt;",
            (b'>', Context::Text | Context::Code | Context::Attribute) => "&gt;",
            (b'"', Context::Code | Context::Attribute) => "&quot;",
            (b'\'', Context::Code) => "&#39;",
            (b'<', Context::Url) => "%3C",
            (b'>', Context::Url) => "%3E",
            (b'"', Context::Url) => "%22",
            (b' ', Context::Url) => "%20",
            (b'\\', Context::Url) => "%5C",
            (b'^', Context::Url) => "%5E",
            (b'`', Context::Url) => "%60",
            (b'{', Context::Url) => "%7B",
            (b'}', Context::Url) => "%7D",
            (b'|', Context::Url) => "%7C",
            (0..=0x1f | 0x7f, Context::Url) => {
                out.push_str(&s[start..i]);
                push_percent(out, b);
                start = i + 1;
                continue;
            }
            _ => continue,
        };
        out.push_str(&s[start..i]);
        out.push_str(replacement);
        start = i + 1;
    }
    out.push_str(&s[start..]);
}

/// The bytes [`escape`] replaces, by context (a table: checked per byte).
const TEXT_SPECIAL: [bool; 256] = special_bytes(b"&<>\0", false);
const CODE_SPECIAL: [bool; 256] = special_bytes(b"&<>\"'\0", false);
const ATTRIBUTE_SPECIAL: [bool; 256] = special_bytes(b"&<>\"\0", false);
const URL_SPECIAL: [bool; 256] = special_bytes(b"&<>\" \\^`{}|", true);
const STYLE_SHEET_SPECIAL: [bool; 256] = special_bytes(b"<\0", false);

/// True when `rest` starts with `</style`, in any case (HTML tag names are
/// case-insensitive: `</STYLE` closes the element too).
fn closes_style(rest: &[u8]) -> bool {
    rest.get(..7)
        .is_some_and(|start| start.eq_ignore_ascii_case(b"</style"))
}

const fn special_bytes(chars: &[u8], controls: bool) -> [bool; 256] {
    let mut table = [false; 256];
    let mut i = 0;
    while i < chars.len() {
        table[chars[i] as usize] = true;
        i += 1;
    }
    if controls {
        let mut b = 0;
        while b < 0x20 {
            table[b] = true;
            b += 1;
        }
        table[0x7f] = true;
    }
    table
}

fn push_percent(out: &mut String, b: u8) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    out.push('%');
    out.push(HEX[usize::from(b >> 4)] as char);
    out.push(HEX[usize::from(b & 15)] as char);
}

/// True when `name` can be written as an attribute name as it is: ASCII
/// letters, digits, `-`, `_`, `.` and `:`, starting with a letter or `_`.
/// Names from the AST that fail this are left out (with a warning) rather
/// than escaped, since no escaping makes them names.
pub fn is_attribute_name(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn esc(s: &str, c: Context) -> String {
        let mut out = String::new();
        escape(&mut out, s, c);
        out
    }

    #[test]
    fn escapes_markup_in_text_and_attributes() {
        assert_eq!(esc("a<b>&\"c'", Context::Text), "a&lt;b&gt;&amp;\"c'");
        assert_eq!(
            esc("a<b>&\"c'", Context::Code),
            "a&lt;b&gt;&amp;&quot;c&#39;"
        );
        assert_eq!(
            esc("a<b>&\"c'", Context::Attribute),
            "a&lt;b&gt;&amp;&quot;c'"
        );
        assert_eq!(esc("« x »", Context::Attribute), "« x »");
    }

    #[test]
    fn percent_encodes_urls() {
        assert_eq!(
            esc("http://a.b/c d?x=\"1\"&y=<2>", Context::Url),
            "http://a.b/c%20d?x=%221%22&amp;y=%3C2%3E"
        );
        assert_eq!(esc("é\n", Context::Url), "é%0A");
    }

    #[test]
    fn nul_becomes_replacement_character() {
        for context in [
            Context::Text,
            Context::Code,
            Context::Attribute,
            Context::StyleSheet,
        ] {
            assert_eq!(esc("a\0b", context), "a\u{fffd}b", "{context:?}");
        }
        assert_eq!(esc("a\0b", Context::Url), "a%00b");
    }

    #[test]
    fn style_sheet_cannot_close_its_element_in_any_case() {
        assert_eq!(
            esc("a{}</style><script>x</STYLE></StYlE >", Context::StyleSheet),
            "a{}<\\/style><script>x<\\/STYLE><\\/StYlE >"
        );
        assert_eq!(
            esc("p::after { content: \"<&>\" } </styl", Context::StyleSheet),
            "p::after { content: \"<&>\" } </styl"
        );
        assert_eq!(esc("é</style", Context::StyleSheet), "é<\\/style");
    }

    #[test]
    fn checks_attribute_names() {
        assert!(is_attribute_name("data-x"));
        assert!(!is_attribute_name("a b"));
        assert!(!is_attribute_name("x\"onclick"));
        assert!(!is_attribute_name(""));
    }
}

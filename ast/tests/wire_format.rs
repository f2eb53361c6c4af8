//! The JSON wire format against JSON written by a real pandoc (3.9, see
//! `fixtures/json/PANDOC_VERSION`): byte-for-byte round trips, tolerant
//! reading, error messages, and documents nested 10,000 levels deep.

use std::path::Path;

use ast::{read_json, read_json_bytes, to_json_string};

/// Every JSON file pandoc wrote for us, read then written back, is unchanged.
#[test]
fn pandoc_json_round_trips_byte_for_byte() {
    let mut seen = 0;
    insta::glob!("fixtures/json/*.json", |path| {
        seen += 1;
        check_round_trip(path);
    });
    check_round_trip(Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/fixtures/canonical/canonical.json"
    )));
    assert!(seen >= 2, "fixtures missing");
}

fn check_round_trip(path: &Path) {
    let json = std::fs::read_to_string(path).unwrap();
    let doc = read_json(&json).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let back = to_json_string(&doc);
    if back != json {
        let at = back
            .bytes()
            .zip(json.bytes())
            .position(|(a, b)| a != b)
            .unwrap_or(back.len().min(json.len()));
        panic!(
            "{}: differs at byte {at}:\n ours:   {}\n pandoc: {}",
            path.display(),
            &back[at.saturating_sub(40)..(at + 40).min(back.len())],
            &json[at.saturating_sub(40)..(at + 40).min(json.len())]
        );
    }
}

/// Other tools write JSON with whitespace, "c" before "t", extra keys, `"c":[]`
/// on nullary constructors, escaped slashes and `\u` escapes: all of it reads
/// as the same document.
#[test]
fn tolerant_reading_gives_the_same_document() {
    let compact = r#"{"pandoc-api-version":[1,23,1],"meta":{"a":{"t":"MetaString","c":"/é😀"}},"blocks":[{"t":"Para","c":[{"t":"Str","c":"x"},{"t":"Space"},{"t":"Emph","c":[{"t":"Str","c":"y"}]}]},{"t":"HorizontalRule"}]}"#;
    let loose = "{ \"blocks\" : [ {\"c\" : [ {\"c\":\"x\",\"t\":\"Str\"} , {\"t\":\"Space\",\"c\":[]},\n\
                 {\"extra\":{\"k\":[1,2.5e3,null,true]},\"c\":[{\"t\":\"Str\",\"c\":\"y\"}],\"t\":\"Emph\"} ],\n\
                 \"t\" : \"Para\"}, {\"t\":\"HorizontalRule\"} ],\r\n\t\"meta\":{\"a\":{\"c\":\"\\/\\u00e9\\ud83d\\ude00\",\"t\":\"MetaString\"}},\n\
                 \"pandoc-api-version\" : [1, 23] , \"unknown\": \"ignored\" }";
    let a = read_json(compact).unwrap();
    let mut b = read_json(loose).unwrap();
    b.api_version = a.api_version.clone();
    assert_eq!(a, b);
    assert_eq!(to_json_string(&b), format!("{compact}\n"));
}

/// Version and malformed-input errors, one snapshot per fixture.
#[test]
fn error_messages() {
    insta::glob!("fixtures/errors/*.json", |path| {
        let bytes = std::fs::read(path).unwrap();
        let err = read_json_bytes(&bytes).expect_err("this input must be refused");
        insta::assert_snapshot!(err.to_string());
    });
}

/// A document whose blocks are `prefix`, `open` x depth, `leaf`, `close` x depth, `suffix`.
fn nested(depth: usize, prefix: &str, open: &str, leaf: &str, close: &str, suffix: &str) -> String {
    let mut s = String::from(r#"{"pandoc-api-version":[1,23,1],"meta":{},"blocks":["#);
    s.push_str(prefix);
    s.push_str(&open.repeat(depth));
    s.push_str(leaf);
    s.push_str(&close.repeat(depth));
    s.push_str(suffix);
    s.push_str("]}\n");
    s
}

/// pandoc has no nesting limit; neither do we (serde_json's default is 128).
#[test]
fn ten_thousand_levels_round_trip() {
    let para = r#"{"t":"Para","c":[{"t":"Str","c":"fond"}]}"#;
    let str_ = r#"{"t":"Str","c":"fond"}"#;
    let cases = [
        nested(10_000, "", r#"{"t":"BlockQuote","c":["#, para, "]}", ""),
        nested(10_000, "", r#"{"t":"BulletList","c":[["#, para, "]]}", ""),
        nested(
            10_000,
            "",
            r#"{"t":"Div","c":[["",[],[]],["#,
            para,
            "]]}",
            "",
        ),
        nested(
            10_000,
            r#"{"t":"Plain","c":["#,
            r#"{"t":"Emph","c":["#,
            str_,
            "]}",
            "]}",
        ),
        nested(
            10_000,
            r#"{"t":"Plain","c":["#,
            r#"{"t":"Note","c":[{"t":"Plain","c":["#,
            str_,
            "]}]}",
            "]}",
        ),
    ];
    for json in &cases {
        let doc = read_json(json).unwrap();
        assert_eq!(&to_json_string(&doc), json);
        let mut n = 0;
        ast::query_inlines(&doc, |il| {
            n += usize::from(matches!(il, ast::Inline::Str(_)))
        });
        assert_eq!(n, 1);
    }
}

/// `Block::TAGS` and `Inline::TAGS` list exactly the constructors, as
/// pandoc's JSON names them: the every-constructor fixture has them all.
#[test]
fn tags_name_every_constructor() {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/json/every-constructor.json");
    let doc = read_json(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut blocks = std::collections::BTreeSet::new();
    let mut inlines = std::collections::BTreeSet::new();
    ast::query_blocks(&doc, |b| {
        blocks.insert(b.tag());
    });
    ast::query_inlines(&doc, |i| {
        inlines.insert(i.tag());
    });
    let all_blocks: std::collections::BTreeSet<_> = ast::Block::TAGS.into_iter().collect();
    let all_inlines: std::collections::BTreeSet<_> = ast::Inline::TAGS.into_iter().collect();
    assert_eq!(blocks, all_blocks);
    assert_eq!(inlines, all_inlines);
    // And the JSON spells each tag as `tag()` does.
    let json = to_json_string(&doc);
    for t in all_blocks.iter().chain(&all_inlines) {
        assert!(json.contains(&format!("\"t\":\"{t}\"")), "{t}");
    }
}

//! Generated documents (no raw HTML) through the HTML writer, with varied
//! options: it must not panic, and the document's text and attributes must
//! never open a tag or an attribute (`check_html_injection`).
#![no_main]

use arbitrary::Unstructured;
use ast2html::{write_html, HtmlOptions};
use libfuzzer_sys::fuzz_target;
use fuzz::{check_html_injection, gen_pandoc, Limits};

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let Ok(options) = options(&mut u) else {
        return;
    };
    let limits = Limits {
        raw_html: false,
        ..Limits::default()
    };
    let Ok(doc) = gen_pandoc(&mut u, limits) else {
        return;
    };
    let mut html = String::new();
    if write_html(&doc, &options, &mut html).is_err() {
        return;
    }
    if let Err(problem) = check_html_injection(&html) {
        panic!("{problem}\n--- document:\n{}", ast::to_json_string(&doc));
    }
});

fn options(u: &mut Unstructured<'_>) -> arbitrary::Result<HtmlOptions> {
    let mut options = HtmlOptions {
        standalone: u.arbitrary()?,
        number_sections: u.arbitrary()?,
        toc: u.arbitrary()?,
        toc_depth: u.int_in_range(1..=6)?,
        ..HtmlOptions::default()
    };
    if u.ratio(1, 4)? {
        options.highlight_style = None;
    }
    if u.ratio(1, 4)? {
        options.toc_title = Some("<zzfuzz> \" zzattr=\"".to_string());
    }
    Ok(options)
}

//! Generated documents through ast-filters: any chain of the filters, in any
//! order, with any options, or the check mode. It must not panic; an error
//! is allowed only for invalid options (metadata or overrides), and the
//! filtered document must still write to JSON that reads back identical.
#![no_main]

use arbitrary::Unstructured;
use ast_filters::{apply, Filter, FilterOptions};
use libfuzzer_sys::fuzz_target;
use fuzz::{gen_pandoc, Limits};

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let Ok(opts) = options(&mut u) else {
        return;
    };
    let Ok(mut doc) = gen_pandoc(&mut u, Limits::default()) else {
        return;
    };
    if apply(&mut doc, &opts).is_err() {
        return;
    }
    let json = ast::to_json_string(&doc);
    let again = ast::read_json(&json).expect("a filtered document does not read back");
    assert_eq!(again, doc);
});

fn options(u: &mut Unstructured<'_>) -> arbitrary::Result<FilterOptions> {
    let mut filters = Vec::new();
    for _ in 0..u.int_in_range(0..=6)? {
        filters.push(*u.choose(&Filter::ALL)?);
    }
    let format = match u.int_in_range(0..=3)? {
        0 => None,
        1 => Some("html".to_string()),
        2 => Some("latex".to_string()),
        _ => Some("json".to_string()),
    };
    let mut metadata = Vec::new();
    for _ in 0..u.int_in_range(0..=2)? {
        let key = *u.choose(&[
            "lang", "typography.before-colon", "typography.before-high", "typography.in-guillemets",
            "typography.number-unit", "typography.add-missing", "acronyms", "typography",
        ])?;
        let value = *u.choose(&["fr", "en", "true", "false", "nbsp", "thin", "none", "", "x,y", "SNCF"])?;
        metadata.push((key.to_string(), value.to_string()));
    }
    Ok(FilterOptions {
        filters,
        format,
        caps_names: u.arbitrary()?,
        check: u.ratio(1, 5)?,
        metadata,
    })
}

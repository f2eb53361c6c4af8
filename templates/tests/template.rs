//! The template engine against fixtures: every `fixtures/template/*.txt` is
//! rendered with the metadata of `context.md` (as pandoc 3.9's JSON,
//! `context.json`) and the `-V` variables of `context.vars`; the result is
//! snapshotted and must equal pandoc 3.9's own rendering (`CASE.pandoc`,
//! written by `scripts/template-fixtures.sh` with `pandoc -t plain`).
//! Partials are read from the fixture folder (`partials/`). Templates in
//! `fixtures/template/errors/` must be rejected: their messages are
//! snapshotted.

use std::path::Path;

use templates::{parse_variable, Context, MetaText, Template};

fn fixture_dir() -> &'static Path {
    Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/template"
    ))
}

/// What pandoc's plain writer makes of the simple metadata of `context.md`:
/// the text, with a blank line between paragraphs.
fn render_plain(text: MetaText<'_>) -> String {
    match text {
        MetaText::Str(s) => s.to_string(),
        MetaText::Inlines(ils) => ils.iter().map(ast::stringify).collect(),
        MetaText::Blocks(bs) => bs
            .iter()
            .map(ast::stringify)
            .collect::<Vec<_>>()
            .join("\n\n"),
    }
}

/// Compiles a fixture, named by its path relative to the fixture folder,
/// with its partials read from there.
fn compile(path: &Path) -> Result<Template, ast::Error> {
    let dir = fixture_dir().canonicalize().unwrap();
    let path = path.canonicalize().unwrap();
    let name = path.strip_prefix(&dir).unwrap().to_string_lossy();
    let source = std::fs::read_to_string(&path).unwrap();
    Template::parse_with_partials(&source, &name, &mut |partial: &Path| {
        std::fs::read_to_string(dir.join(partial))
    })
}

fn fixture_context() -> Context {
    let json = std::fs::read_to_string(fixture_dir().join("context.json")).unwrap();
    let doc = ast::read_json(&json).unwrap();
    let mut ctx = Context::from_meta(&doc.meta, render_plain);
    let vars = std::fs::read_to_string(fixture_dir().join("context.vars")).unwrap();
    // `\n` in context.vars stands for a line break, as in the script.
    ctx.set_variables(
        vars.lines()
            .map(|line| parse_variable(&line.replace("\\n", "\n"))),
    );
    ctx
}

#[test]
fn fixtures_render_as_pandoc_does() {
    let ctx = fixture_context();
    insta::glob!("fixtures/template/*.txt", |path| {
        let output = compile(path).unwrap().render(&ctx);
        insta::assert_snapshot!(output);
        let expected = std::fs::read_to_string(path.with_extension("pandoc")).unwrap();
        assert_eq!(
            output,
            expected,
            "{} renders differently from pandoc 3.9",
            path.display()
        );
    });
}

#[test]
fn bad_templates_are_rejected_with_a_position() {
    insta::glob!("fixtures/template/errors/*.txt", |path| {
        let err = compile(path).unwrap_err();
        assert_eq!(err.exit_code(), ast::exit::DATAERR);
        insta::assert_snapshot!(err.to_string());
    });
}

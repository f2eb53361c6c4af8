//! The raw LaTeX fixtures of `raw-tex` (`tests/fixtures/raw-tex-blocks`)
//! against what pandoc's own LaTeX reader makes of the same LaTeX
//! (`pandoc -f markdown -t latex | pandoc -f latex -t json`, pandoc 3.9,
//! committed in `raw-tex-blocks/pandoc-latex/` by
//! `scripts/regen-filter-fixtures`): `raw-tex` for HTML gives pandoc's
//! structure, except for the fixtures listed in [`WE_KEEP_MORE`], where we
//! keep what pandoc loses. The test fails when a listed fixture starts to
//! match, so the list stays true.

mod common;

use ast::{Block, Inline, MutVisitor, Pandoc, Walkable};
use ast_filters::{apply_raw_tex, RawTexOptions};
use common::{native, read_fixture};

/// Fixtures where our nodes differ from pandoc's LaTeX reader, and why.
const WE_KEEP_MORE: &[(&str, &str)] = &[
    (
        "sidewaysfigure-from-the-issue",
        "pandoc: a Div of class sidewaysfigure, its caption lost (and the \
         image's alt text \"image\"); we: a Figure of class sideways with its caption",
    ),
    (
        "ref-autoref-pageref-to-figure",
        "the text of a \\ref link: pandoc the figure's number, which only \
         LaTeX knows once the whole document is laid out; we the caption; \
         pandoc drops \\pageref, we link it; pandoc leaves the width \
         \\linewidth as it is, we make it 100%",
    ),
    (
        "sections",
        "the text of a \\ref link to a section: pandoc its number, we its title",
    ),
    (
        "minipages-side-by-side",
        "pandoc keeps one caption (the first) for the whole figure and drops \
         the labels; we keep each minipage's caption and label (a Figure in \
         each), and the \\linewidth widths become 100%",
    ),
    (
        "french-spaces-and-guillemets",
        "\\, : pandoc U+2006 (six-per-em space), we U+202F, the narrow \
         no-break space of French typography, as raw-tex does outside blocks",
    ),
    (
        "unknown-command-warns",
        "pandoc drops \\foo and the tikzpicture; we keep them as raw TeX \
         (the HTML output then warns about them)",
    ),
    (
        "ref-before-unknown-label-in-next-block",
        "a \\ref to a label of a later block: pandoc the number; we, reading \
         the document as a stream, do not know it yet: [label], as pandoc \
         writes a label it does not know",
    ),
    (
        "layout-commands-dropped",
        "\\hfill between two words: pandoc glues them (texteà), we keep the \
         space it stands for",
    ),
    (
        "inline-raw-tex-structure",
        "\\hfill between a link and a word: pandoc glues them, we keep the space",
    ),
    (
        "center",
        "an image in a paragraph: pandoc keeps the width .5\\textwidth as it is \
         and gives the alt text \"image\"; we make it 50% and leave the alt \
         text empty, as pandoc does for an image in a figure",
    ),
    (
        "pagebreak-left-to-pagebreak",
        "\\newpage alone: pandoc drops it; raw-tex leaves it to the pagebreak \
         filter, which makes it a page break for every output",
    ),
];

/// What the comparison ignores: the `style` attributes we add so that an
/// HTML page shows centring and minipages side by side.
struct Normalize;

impl MutVisitor for Normalize {
    fn visit_block(&mut self, b: &mut Block) {
        if let Block::Div(attr, _) = b {
            attr.attributes.retain(|(k, _)| k != "style");
        }
    }
    fn visit_inline(&mut self, _: &mut Inline) {}
}

fn normalized(mut doc: Pandoc) -> Pandoc {
    doc.blocks.walk_mut(&mut Normalize);
    doc
}

#[test]
fn raw_tex_blocks_against_pandoc_latex_reader() {
    let dir = std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/raw-tex-blocks"
    ));
    let mut compared = 0;
    let mut failures = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "json") {
            continue;
        }
        let name = path.file_stem().unwrap().to_string_lossy().to_string();
        let pandoc_path = dir.join("pandoc-latex").join(format!("{name}.json"));
        let mut ours = read_fixture(&path);
        let report = apply_raw_tex(
            &mut ours,
            &RawTexOptions {
                format: Some("html".into()),
                in_guillemets: None,
            },
        );
        assert!(report.diagnostics.is_empty());
        let ours = normalized(ours);
        let theirs = normalized(read_fixture(&pandoc_path));
        // Compared whole: the native form leaves out table heads and spans.
        let listed = WE_KEEP_MORE.iter().any(|(n, _)| *n == name);
        match (ours == theirs, listed) {
            (true, true) => failures.push(format!(
                "{name}: listed in WE_KEEP_MORE but now the same as pandoc's"
            )),
            (false, false) => failures.push(format!(
                "{name}: differs from pandoc's LaTeX reader\n--- ours\n{}--- pandoc\n{}",
                native(&ours),
                native(&theirs)
            )),
            _ => {}
        }
        compared += 1;
    }
    assert!(compared >= 20, "only {compared} fixtures compared");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

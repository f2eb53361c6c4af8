//! What the filters tell the user: notes, warnings and `--check` problems,
//! each with the section of the document it is about.

use ast::{Block, Meta, MutVisitor, Walkable};

pub use writer_support::{Diagnostic, Severity};

/// Everything the filters reported.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    pub diagnostics: Vec<Diagnostic>,
}

impl Report {
    /// The number of `--check` problems.
    pub fn problems(&self) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Problem)
            .count()
    }

    /// Appends the diagnostics of `other`.
    pub fn extend(&mut self, other: Report) {
        self.diagnostics.extend(other.diagnostics);
    }

    pub(crate) fn note(filter: &'static str, message: String) -> Report {
        Report {
            diagnostics: vec![Diagnostic {
                severity: Severity::Note,
                filter,
                place: None,
                message,
            }],
        }
    }
}

/// A visitor that is told which part of the document it is in.
pub(crate) trait Placed: MutVisitor {
    fn set_place(&mut self, place: String);
}

/// Walks the metadata with `v` like [`Walkable::walk_mut`], telling `v`
/// which field it is in, then tells it that the body starts (before the
/// first heading).
pub(crate) fn walk_meta_placed<V: Placed>(meta: &mut Meta, v: &mut V) {
    for (key, value) in meta.iter_mut() {
        v.set_place(format!("metadata field \"{key}\""));
        value.walk_mut(v);
    }
    v.set_place("before the first heading".into());
}

/// Walks top-level blocks (all of them, or the next batch of them) with `v`
/// like [`Walkable::walk_mut`], telling `v` before each part which section
/// (the last heading met, at the top level or in a `Div`) it is in. The
/// section carries over from one batch to the next, as `v` keeps it.
pub(crate) fn walk_blocks_placed<V: Placed>(blocks: &mut Vec<Block>, v: &mut V) {
    for block in blocks.iter_mut() {
        match block {
            Block::Div(_, children) => {
                walk_blocks_placed(children, v);
                v.visit_block(block);
            }
            Block::Header(..) => {
                v.set_place(section_place(block));
                block.walk_mut(v);
            }
            _ => block.walk_mut(v),
        }
    }
    v.visit_blocks(blocks);
}

/// How a diagnostic names the section a heading starts.
pub(crate) fn section_place(header: &Block) -> String {
    format!(
        "section \"{}\"",
        crate::text::clip(&ast::stringify(header), 60, false)
    )
}

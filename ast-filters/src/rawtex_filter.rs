//! `raw-tex`, `smallcaps` and `--caps-names` as filters of the walk: thin
//! wrappers over `rawtex.rs`, whose conversion they leave as it is.

use ast::{Block, Inline, MutVisitor};

use crate::engine::{InlinesAt, ListFilter};
use crate::rawtex::{CapsNames, TexInlines};

impl ListFilter for TexInlines {
    fn blocks_first(&mut self, bs: &mut Vec<Block>) {
        self.convert_blocks(bs);
    }

    fn inlines(&mut self, ils: &mut Vec<Inline>, at: InlinesAt) -> bool {
        at.found.raw_tex && self.convert_list(ils)
    }
}

impl ListFilter for CapsNames {
    fn inlines(&mut self, ils: &mut Vec<Inline>, _: InlinesAt) -> bool {
        self.visit_inlines(ils);
        false
    }
}

//! The pandoc document model (pandoc-types 1.23) with pandoc's JSON wire
//! format, the walk API for filters, `stringify`, and the error type every
//! stage shares. Process plumbing (reading inputs, atomic outputs, a
//! filter's `main`) is in the `stage-cli` crate.
//!
//! ```
//! let json = r#"{"pandoc-api-version":[1,23,1],"meta":{},"blocks":[{"t":"Para","c":[{"t":"Str","c":"Bonjour"}]}]}"#;
//! let doc = ast::read_json(json).unwrap();
//! assert_eq!(ast::stringify(&doc.blocks), "Bonjour");
//! assert_eq!(ast::to_json_string(&doc), format!("{json}\n"));
//! ```

mod definition;
pub mod error;
pub mod json;
pub mod sourcepos;
mod stringify;
pub mod walk;

pub use definition::*;
pub use error::{exit, Error, JsonError};
pub use json::{read_json, read_json_bytes, to_json_string, write_json, BlockReader, BlockWriter};
pub use stringify::stringify;
pub use walk::{
    query_blocks, query_inlines, splice_blocks, splice_inlines, walk_blocks, walk_inlines,
    MutVisitor, Visitor, Walkable,
};

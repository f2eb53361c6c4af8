//! Footnotes: the `footnotes` section written after the body.

#[allow(unused_imports, reason = "the writer's imports, shared by its parts")]
use super::*;

impl Writer<'_> {
    /// The footnotes collected so far, as pandoc's end-of-document section.
    pub(crate) fn write_notes(&mut self, out: &mut String) {
        if self.notes.is_empty() {
            return;
        }
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(
            "<section id=\"footnotes\" class=\"footnotes footnotes-end-of-document\" \
             role=\"doc-endnotes\">\n<hr />\n<ol>\n",
        );
        for (i, note) in self.notes.iter().enumerate() {
            let _ = write!(out, "<li id=\"fn{}\">", i + 1);
            out.push_str(note);
            out.push_str("</li>\n");
        }
        out.push_str("</ol>\n</section>");
    }
}

//! Figures and captions (`\caption[short]{long}`, `\label`), as pandoc's
//! `Writers/LaTeX/Caption`.

#[allow(unused_imports, reason = "the writer's imports, shared by its parts")]
use super::*;

/// A caption as LaTeX.
pub(super) struct CaptionLatex {
    /// For the list of figures and the bookmarks: the short caption, or the
    /// caption without its notes when it has some.
    pub short: Option<String>,
    /// The caption, its notes as `\footnotemark`s when deferred.
    pub long: String,
    /// The texts of the deferred notes, written after the float with
    /// `\footnotetext`: a `\footnote` in a float's caption is lost.
    pub notes: Vec<String>,
}

impl CaptionLatex {
    pub fn is_some(&self) -> bool {
        !self.long.is_empty() || self.short.is_some()
    }
}

impl Writer<'_> {
    /// `\caption[short]{long}` when there is a caption, then `\label{id}`
    /// when there is an id: the same for figures and tables.
    pub(super) fn caption_and_label(&mut self, caption: &CaptionLatex, id: &str) {
        if caption.is_some() {
            self.out.push_str("\\caption");
            if let Some(short) = &caption.short {
                let _ = write!(self.out, "[{short}]");
            }
            let _ = write!(self.out, "{{{}}}", caption.long);
        }
        if !id.is_empty() {
            self.out.push_str("\\label{");
            self.text(id, Context::Label);
            self.out.push('}');
        }
    }

    /// The texts of notes whose marks were written with `\footnotemark`:
    /// the counter is set back to the first mark, then stepped, as pandoc does.
    pub(super) fn note_texts(&mut self, notes: &[String]) {
        if notes.len() > 1 {
            let _ = writeln!(
                self.out,
                "\\addtocounter{{footnote}}{{-{}}}",
                notes.len() - 1
            );
        }
        for (i, note) in notes.iter().enumerate() {
            if i > 0 {
                self.out.push_str("\\addtocounter{footnote}{1}\n");
            }
            let _ = writeln!(self.out, "\\footnotetext{{{note}}}");
        }
    }

    fn caption_blocks(&mut self, blocks: &[Block]) -> String {
        let mut long = String::new();
        for (i, block) in blocks.iter().enumerate() {
            if i > 0 {
                long.push(' ');
            }
            match block {
                Block::Plain(ils) | Block::Para(ils) => long.push_str(&self.inlines_to_string(ils)),
                other => {
                    let text = self.blocks_to_string(std::slice::from_ref(other));
                    long.push_str(text.trim_end());
                }
            }
        }
        long
    }

    /// The caption's LaTeX; with `defer_notes`, its notes as marks whose
    /// texts the caller writes after the float.
    pub(super) fn caption_latex(&mut self, caption: &Caption, defer_notes: bool) -> CaptionLatex {
        let mut has_note = false;
        ast::query_inlines(&caption.1, |il: &Inline| {
            has_note |= matches!(il, Inline::Note(_));
        });
        let without_notes = |w: &mut Self, f: &dyn Fn(&mut Self) -> String| {
            let was = std::mem::replace(&mut w.drop_notes, true);
            let text = f(w);
            w.drop_notes = was;
            text
        };
        let short = match &caption.0 {
            Some(short) => Some(without_notes(self, &|w| w.inlines_to_string(short))),
            None if has_note => Some(without_notes(self, &|w| w.caption_blocks(&caption.1))),
            None => None,
        };
        let outer = std::mem::replace(&mut self.deferred_notes, defer_notes.then(Vec::new));
        let long = self.caption_blocks(&caption.1);
        let notes = std::mem::replace(&mut self.deferred_notes, outer).unwrap_or_default();
        CaptionLatex { short, long, notes }
    }

    pub(super) fn figure(&mut self, attr: &Attr, caption: &Caption, blocks: &[Block]) {
        if self.in_cell > 0 {
            return self.figure_in_cell(attr, caption, blocks);
        }
        // pandoc's implicit figures keep the image's classes on the image.
        let sideways = attr.has_class("sideways")
            || matches!(blocks, [Block::Plain(ils) | Block::Para(ils)]
                if matches!(ils.as_slice(), [Inline::Image(a, _, _)] if a.has_class("sideways")));
        // A `\footnote` in a float's caption is lost.
        let caption = self.caption_latex(caption, true);
        // `[H]` (float package) keeps the figure where the text puts it, with
        // its caption: pandoc users had to choose between the two. A
        // `latex-placement` attribute is the author's choice, as in pandoc.
        let placement = attr
            .attributes
            .iter()
            .find(|(k, _)| k == "latex-placement")
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.is_empty() && v.chars().all(|c| "htbpH!".contains(c)));
        if sideways {
            self.out.push_str("\\begin{sidewaysfigure}");
            if let Some(p) = placement {
                self.out.push_str(&format!("[{p}]"));
            }
            self.out.push('\n');
        } else {
            let p = placement.unwrap_or("H");
            self.out.push_str(&format!("\\begin{{figure}}[{p}]\n"));
        }
        self.out.push_str("\\centering\n");
        let body = self.blocks_to_string(blocks);
        self.out.push_str(&body);
        self.caption_and_label(&caption, &attr.id);
        if !caption.long.is_empty() || !attr.id.is_empty() {
            self.out.push('\n');
        }
        if sideways {
            self.out.push_str("\\end{sidewaysfigure}\n");
        } else {
            self.out.push_str("\\end{figure}\n");
        }
        self.note_texts(&caption.notes);
    }

    /// A figure in a table cell, where no float can go: its content and
    /// caption centred, unnumbered, as pandoc writes it.
    fn figure_in_cell(&mut self, attr: &Attr, caption: &Caption, blocks: &[Block]) {
        self.anchor(&attr.id);
        self.out.push_str("\\begin{center}\n");
        let body = self.blocks_to_string(blocks);
        self.out.push_str(&body);
        if !caption.1.is_empty() {
            self.out.push('\n');
            let text = self.caption_blocks(&caption.1);
            self.out.push_str(&text);
            self.out.push('\n');
        }
        self.out.push_str("\\end{center}\n");
    }
}

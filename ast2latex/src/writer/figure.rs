//! Figures and captions (`\caption[short]{long}`, `\label`), as pandoc's
//! `Writers/LaTeX/Caption`.

#[allow(unused_imports, reason = "the writer's imports, shared by its parts")]
use super::*;

impl Writer<'_> {
    /// `\caption[short]{long}` when there is a caption, then `\label{id}`
    /// when there is an id: the same for figures and tables.
    pub(super) fn caption_and_label(&mut self, short: Option<&str>, long: &str, id: &str) {
        if !long.is_empty() || short.is_some() {
            self.out.push_str("\\caption");
            if let Some(short) = short {
                let _ = write!(self.out, "[{short}]");
            }
            let _ = write!(self.out, "{{{long}}}");
        }
        if !id.is_empty() {
            self.out.push_str("\\label{");
            self.text(id, Context::Label);
            self.out.push('}');
        }
    }

    pub(super) fn caption_text(&mut self, caption: &Caption) -> (Option<String>, String) {
        let short = caption.0.as_ref().map(|s| self.inlines_to_string(s));
        let mut long = String::new();
        for (i, block) in caption.1.iter().enumerate() {
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
        (short, long)
    }

    pub(super) fn figure(&mut self, attr: &Attr, caption: &Caption, blocks: &[Block]) {
        // pandoc's implicit figures keep the image's classes on the image.
        let sideways = attr.has_class("sideways")
            || matches!(blocks, [Block::Plain(ils) | Block::Para(ils)]
                if matches!(ils.as_slice(), [Inline::Image(a, _, _)] if a.has_class("sideways")));
        let (short, long) = self.caption_text(caption);
        // `[H]` (float package) keeps the figure where the text puts it, with
        // its caption: pandoc users had to choose between the two.
        if sideways {
            self.out.push_str("\\begin{sidewaysfigure}\n");
        } else {
            self.out.push_str("\\begin{figure}[H]\n");
        }
        self.out.push_str("\\centering\n");
        let body = self.blocks_to_string(blocks);
        self.out.push_str(&body);
        self.caption_and_label(short.as_deref(), &long, &attr.id);
        if !long.is_empty() || !attr.id.is_empty() {
            self.out.push('\n');
        }
        if sideways {
            self.out.push_str("\\end{sidewaysfigure}\n");
        } else {
            self.out.push_str("\\end{figure}\n");
        }
    }
}

//! Figures: `<figure>` with its content and `<figcaption>`.

#[allow(unused_imports, reason = "the writer's imports, shared by its parts")]
use super::*;

impl Writer<'_> {
    /// A caption's blocks: one paragraph as bare inlines.
    pub(super) fn write_flow_para(&mut self, out: &mut String, blocks: &[Block]) {
        match blocks {
            [Block::Plain(ils) | Block::Para(ils)] => self.write_inlines(out, ils),
            _ => self.write_nested_blocks(out, blocks),
        }
    }

    pub(super) fn write_figure(
        &mut self,
        out: &mut String,
        attr: &Attr,
        caption: &Caption,
        blocks: &[Block],
    ) {
        out.push_str("<figure");
        self.write_attr(out, attr);
        out.push_str(">\n");
        self.write_nested_blocks(out, blocks);
        let Caption(_, caption_blocks) = caption;
        if !caption_blocks.is_empty() {
            out.push_str("\n<figcaption");
            // The image's alt text already says it: screen readers skip the caption.
            let alt_is_caption = match blocks {
                [Block::Plain(ils) | Block::Para(ils)] => match ils.as_slice() {
                    [Inline::Image(attr, alt, _)] => {
                        alt_text(attr, alt) == ast::stringify(caption_blocks)
                    }
                    _ => false,
                },
                _ => false,
            };
            if alt_is_caption {
                out.push_str(" aria-hidden=\"true\"");
            }
            out.push('>');
            self.write_flow_para(out, caption_blocks);
            out.push_str("</figcaption>");
        }
        out.push_str("\n</figure>");
    }
}

//! Divs, as pandoc's HTML5 writer writes them: a Div whose first block is a
//! heading is that heading's `<section>` (pandoc's `makeSections`, without
//! `--section-divs`), a column's width is a style, a bibliography and its
//! entries are a list for screen readers.

#[allow(unused_imports, reason = "the writer's imports, shared by its parts")]
use super::*;

impl Writer<'_> {
    pub(super) fn write_div(&mut self, out: &mut String, attr: &Attr, blocks: &[Block]) {
        if self.in_sections {
            if let Some((Block::Header(level, header, ils), rest)) = blocks.split_first() {
                if is_heading_section(attr, *level, header, rest) {
                    self.write_heading_section(out, attr, (*level, header, ils), rest);
                    return;
                }
            }
        }
        // A Div of class `section` is a `<section>`, as in pandoc's HTML5.
        let tag = if attr.has_class("section") {
            "section"
        } else {
            "div"
        };
        let mut own = attr.clone();
        own.classes.retain(|c| c != "section");
        if attr.has_class("column") {
            // Browsers ignore a `width` attribute on a div: pandoc writes a
            // style. A style of the column's own keeps its place and gets
            // the width after it (pandoc keeps one and drops the other).
            if let Some(width) = attr.get("width").map(str::to_string) {
                own.attributes.retain(|(k, _)| k != "width");
                let css = format!("width:{width};");
                match own.attributes.iter_mut().find(|(k, _)| k == "style") {
                    Some((_, style)) => {
                        let kept = style.trim().trim_end_matches(';').to_string();
                        *style = if kept.is_empty() {
                            css
                        } else {
                            format!("{kept};{css}")
                        };
                    }
                    None => own.attributes.push(("style".into(), css)),
                }
            }
        }
        // A bibliography (pandoc's citeproc output) is a list of entries.
        let role = if attr.id == "refs" || attr.has_class("csl-bib-body") {
            Some("list")
        } else if attr.has_class("csl-entry") {
            Some("listitem")
        } else {
            None
        };
        if let Some(role) = role {
            if own.get("role").is_none() {
                own.attributes.push(("role".into(), role.into()));
            }
        }
        out.push('<');
        out.push_str(tag);
        self.write_attr(out, &own);
        if attr.has_class(writer_support::PAGEBREAK_CLASS) && attr.get("style").is_none() {
            // Printing from a browser keeps the page break of the PDF.
            out.push_str(" style=\"break-after: page;\"");
        }
        out.push_str(">\n");
        // An entry's paragraphs are lines of one item, as in pandoc.
        let saved = self.para_as_plain;
        self.para_as_plain |= attr.has_class("csl-entry");
        if attr.has_class("columns") {
            // No newline between the columns: it would be a space between
            // inline blocks and upset their widths (as pandoc, its #4028).
            for block in blocks {
                self.write_block(out, block);
            }
        } else {
            self.write_blocks(out, blocks);
        }
        self.para_as_plain = saved;
        out.push_str("\n</");
        out.push_str(tag);
        out.push('>');
    }

    /// A Div made one with the section of its first heading: a `<section>`
    /// with the heading's id (else the div's) and both their classes and
    /// attributes, or the heading alone (with the div's id) when the div
    /// adds nothing to it.
    fn write_heading_section(
        &mut self,
        out: &mut String,
        div: &Attr,
        (level, header, ils): (i64, &Attr, &[Inline]),
        rest: &[Block],
    ) {
        let id = if header.id.is_empty() {
            div.id.clone()
        } else {
            header.id.clone()
        };
        let mut classes = header.classes.clone();
        for class in &div.classes {
            if class != "section" && !classes.contains(class) {
                classes.push(class.clone());
            }
        }
        // The div's key-values, then the heading's; a key given twice keeps
        // its last value, at its last place.
        let mut pairs: Vec<(String, String)> = Vec::new();
        let number_key = "\u{0}number";
        for (k, v) in div
            .attributes
            .iter()
            .chain(std::iter::once(&(number_key.to_string(), String::new())))
            .chain(header.attributes.iter())
        {
            pairs.retain(|(key, _)| key != k);
            pairs.push((k.clone(), v.clone()));
        }
        let div_adds = classes != header.classes
            || pairs
                .iter()
                .filter(|(k, _)| k != number_key)
                .ne(header.attributes.iter());
        if !div_adds {
            let heading = Attr {
                id,
                classes: header.classes.clone(),
                attributes: header.attributes.clone(),
            };
            self.write_header(out, level, &heading, ils);
            self.write_blocks_from(out, rest, 1);
            return;
        }
        let heading = Attr {
            id: String::new(),
            classes: header.classes.clone(),
            attributes: header.attributes.clone(),
        };
        let mut header_html = String::new();
        let number = self.write_heading(&mut header_html, level, &heading, ils, &id);
        let mut section = Attr {
            id,
            classes,
            attributes: Vec::new(),
        };
        for (k, v) in pairs {
            if k == number_key {
                if let Some(number) = &number {
                    section.attributes.push(("number".into(), number.clone()));
                }
            } else {
                section.attributes.push((k, v));
            }
        }
        out.push_str("<section");
        self.write_attr(out, &section);
        out.push_str(">\n");
        out.push_str(&header_html);
        self.write_blocks_from(out, rest, 1);
        out.push_str("\n</section>");
    }
}

/// Whether pandoc's `makeSections` makes a Div one with the section of its
/// first heading: no other heading of the div as high, not a column, and no
/// two different ids.
fn is_heading_section(div: &Attr, level: i64, header: &Attr, rest: &[Block]) -> bool {
    rest.iter().all(|b| match b {
        Block::Header(l, _, _) => *l > level,
        _ => true,
    }) && !div.has_class("column")
        && !div.has_class("columns")
        && !rest.iter().any(|b| starts_section_at_most(b, level))
        && (div.id.is_empty() || header.id.is_empty() || div.id == header.id)
}

/// A block that ends a section of `level`: a heading as high, or a div that
/// starts with one (pandoc's `headerLtEq`).
fn starts_section_at_most(block: &Block, level: i64) -> bool {
    match block {
        Block::Header(l, _, _) => *l <= level,
        Block::Div(_, blocks) => blocks
            .first()
            .is_some_and(|b| starts_section_at_most(b, level)),
        _ => false,
    }
}

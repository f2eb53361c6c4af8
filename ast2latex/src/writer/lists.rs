//! Bullet and ordered lists, within LaTeX's nesting limits (deeper lists
//! are flattened with a warning).

#[allow(unused_imports, reason = "the writer's imports, shared by its parts")]
use super::*;

impl Writer<'_> {
    /// An item; in a bullet list, a task's box takes the place of the bullet.
    pub(super) fn list_item(&mut self, item: &[Block], numbered: bool) {
        // Task lists: pandoc's reader starts the item with a ballot box. In
        // an ordered list the number stays and the box follows it.
        let mut blocks = item;
        let mut rest_first: Option<Vec<Block>> = None;
        self.out.push_str("\\item");
        if let (false, Some(Block::Plain(ils) | Block::Para(ils))) = (numbered, item.first()) {
            if let Some(Inline::Str(s)) = ils.first() {
                let mark = match s.as_str() {
                    "\u{2610}" => Some("\\(\\square\\)"),
                    "\u{2612}" => Some("\\(\\boxtimes\\)"),
                    _ => None,
                };
                if let Some(mark) = mark {
                    let _ = write!(self.out, "[{mark}]");
                    let mut rest = ils[1..].to_vec();
                    if rest.first() == Some(&Inline::Space) {
                        rest.remove(0);
                    }
                    let first = match &item[0] {
                        Block::Para(_) => Block::Para(rest),
                        _ => Block::Plain(rest),
                    };
                    let mut all = vec![first];
                    all.extend_from_slice(&item[1..]);
                    rest_first = Some(all);
                }
            }
        }
        // A heading first in an item: LaTeX's sectioning commands need
        // text before them in a list (\item ~, as pandoc writes it).
        if rest_first.is_none() && starts_with_heading(item) {
            self.out.push_str(" ~");
        }
        self.out.push('\n');
        if let Some(all) = &rest_first {
            blocks = all;
        }
        self.blocks(blocks);
    }

    /// An item with its own label (an ordered list past LaTeX's depth).
    fn labelled_item(&mut self, label: &str, item: &[Block]) {
        let _ = write!(self.out, "\\item[{{{label}}}]");
        if starts_with_heading(item) {
            self.out.push_str(" ~");
        }
        self.out.push('\n');
        self.blocks(item);
    }

    /// Enters a list environment of `kind` when LaTeX's nesting limits allow
    /// one more. Otherwise warns and returns false: the caller writes the
    /// content without a new environment, so that any nesting compiles.
    pub(super) fn enter_list(&mut self, kind: ListKind) -> bool {
        let name = match kind {
            ListKind::Quote => "block quote",
            ListKind::Itemize => "bullet list",
            ListKind::Enumerate => "ordered list",
            ListKind::Description => "definition list",
        };
        if kind == ListKind::Itemize && self.itemize_depth >= MAX_ITEMIZE_DEPTH {
            self.warn(format!(
                "bullet list nested {} deep: LaTeX allows {MAX_ITEMIZE_DEPTH}, its items written as paragraphs",
                self.itemize_depth.saturating_add(1)
            ));
            return false;
        }
        if self.list_depth >= MAX_LIST_DEPTH {
            self.warn(format!(
                "{name} inside {} nested lists and quotes: LaTeX allows {MAX_LIST_DEPTH}, written without a list environment",
                self.list_depth
            ));
            return false;
        }
        self.list_depth += 1;
        match kind {
            ListKind::Itemize => self.itemize_depth += 1,
            ListKind::Enumerate => self.enum_depth += 1,
            ListKind::Quote | ListKind::Description => {}
        }
        true
    }

    pub(super) fn leave_list(&mut self, kind: ListKind) {
        self.list_depth -= 1;
        match kind {
            ListKind::Itemize => self.itemize_depth -= 1,
            ListKind::Enumerate => self.enum_depth -= 1,
            ListKind::Quote | ListKind::Description => {}
        }
    }

    /// Items past LaTeX's nesting limits: paragraphs that start with their label.
    pub(super) fn flat_items(&mut self, items: &[Vec<Block>], label: impl Fn(usize) -> String) {
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                self.out.push('\n');
            }
            let _ = write!(self.out, "\\par\\noindent {}\\enspace ", label(i));
            self.blocks(item);
        }
    }

    pub(super) fn bullet_list(&mut self, items: &[Vec<Block>]) {
        if !self.enter_list(ListKind::Itemize) {
            self.flat_items(items, |_| "\\textbullet{}".to_string());
            return;
        }
        self.out.push_str("\\begin{itemize}\n");
        if is_tight(items) {
            self.out.push_str("\\tightlist\n");
        }
        for item in items {
            self.list_item(item, false);
        }
        self.out.push_str("\\end{itemize}\n");
        self.leave_list(ListKind::Itemize);
    }

    pub(super) fn ordered_list(&mut self, attrs: &ListAttributes, items: &[Vec<Block>]) {
        let count = i64::try_from(items.len()).unwrap_or(TEX_INT_MAX);
        let start = match tex_start(attrs.start, count) {
            Some(start) => {
                self.warn(format!(
                    "ordered list starting at {}: TeX numbers stop at \u{b1}{TEX_INT_MAX}, numbered from {start}",
                    attrs.start
                ));
                start
            }
            None => attrs.start,
        };
        let last = start.saturating_add(count.saturating_sub(1));
        let mut style = attrs.style;
        let alpha = matches!(
            style,
            ListNumberStyle::LowerAlpha | ListNumberStyle::UpperAlpha
        );
        let roman = matches!(
            style,
            ListNumberStyle::LowerRoman | ListNumberStyle::UpperRoman
        );
        // LaTeX stops with "Counter too large" past z, and writes millions of
        // m's for a large Roman number.
        if (alpha && (start < 1 || last > 26)) || (roman && (start < 1 || last > 3999)) {
            self.warn(format!(
                "ordered list numbered {start} to {last} in {}: out of its range, numbered in arabic",
                if alpha { "letters" } else { "Roman numerals" }
            ));
            style = ListNumberStyle::Decimal;
        }
        let delim = attrs.delim;
        let label = |i: usize| {
            let n = start.saturating_add(i64::try_from(i).unwrap_or(TEX_INT_MAX));
            let number = format_number(n, style);
            match delim {
                ListNumberDelim::DefaultDelim | ListNumberDelim::Period => format!("{number}."),
                ListNumberDelim::OneParen => format!("{number})"),
                ListNumberDelim::TwoParens => format!("({number})"),
            }
        };
        if self.enum_depth >= MAX_ENUM_DEPTH {
            self.warn(format!(
                "ordered list nested {} deep: LaTeX allows {MAX_ENUM_DEPTH}, written as a bullet list labelled with its numbers",
                self.enum_depth.saturating_add(1)
            ));
            // Deeper ordered lists still count, to name their depth.
            self.enum_depth += 1;
            if self.enter_list(ListKind::Itemize) {
                self.out.push_str("\\begin{itemize}\n");
                if is_tight(items) {
                    self.out.push_str("\\tightlist\n");
                }
                for (i, item) in items.iter().enumerate() {
                    self.labelled_item(&label(i), item);
                }
                self.out.push_str("\\end{itemize}\n");
                self.leave_list(ListKind::Itemize);
            } else {
                self.flat_items(items, label);
            }
            self.enum_depth -= 1;
            return;
        }
        if !self.enter_list(ListKind::Enumerate) {
            self.flat_items(items, label);
            return;
        }
        let counter = ["enumi", "enumii", "enumiii", "enumiv"][self.enum_depth - 1];
        self.out.push_str("\\begin{enumerate}\n");
        let number = match style {
            ListNumberStyle::DefaultStyle | ListNumberStyle::Example | ListNumberStyle::Decimal => {
                "arabic"
            }
            ListNumberStyle::LowerRoman => "roman",
            ListNumberStyle::UpperRoman => "Roman",
            ListNumberStyle::LowerAlpha => "alph",
            ListNumberStyle::UpperAlpha => "Alph",
        };
        let label = match attrs.delim {
            ListNumberDelim::DefaultDelim | ListNumberDelim::Period => {
                format!("\\{number}{{{counter}}}.")
            }
            ListNumberDelim::OneParen => format!("\\{number}{{{counter}}})"),
            ListNumberDelim::TwoParens => format!("(\\{number}{{{counter}}})"),
        };
        let _ = writeln!(self.out, "\\def\\label{counter}{{{label}}}");
        if start != 1 {
            // `tex_start` keeps `start - 1` within TeX's range.
            let _ = writeln!(self.out, "\\setcounter{{{counter}}}{{{}}}", start - 1);
        }
        if is_tight(items) {
            self.out.push_str("\\tightlist\n");
        }
        for item in items {
            self.list_item(item, true);
        }
        self.out.push_str("\\end{enumerate}\n");
        self.leave_list(ListKind::Enumerate);
    }
}

/// The first number of `count` numbered things (list items, code lines)
/// when `start` would take TeX's counter, which is set to `start - 1` and
/// then stepped, outside `±TEX_INT_MAX`; `None` when `start` fits.
pub(super) fn tex_start(start: i64, count: i64) -> Option<i64> {
    let min = 1 - TEX_INT_MAX;
    let max = TEX_INT_MAX.saturating_sub(count.saturating_sub(1)).max(min);
    let clamped = start.clamp(min, max);
    (clamped != start).then_some(clamped)
}

/// An item number as pandoc's list styles write it (ranges checked by the caller).
pub(super) fn format_number(n: i64, style: ListNumberStyle) -> String {
    let letter = |base: u8| match u8::try_from(n) {
        Ok(k @ 1..=26) => char::from(base + k - 1).to_string(),
        _ => n.to_string(),
    };
    match style {
        ListNumberStyle::LowerAlpha => letter(b'a'),
        ListNumberStyle::UpperAlpha => letter(b'A'),
        ListNumberStyle::LowerRoman => roman(n).to_lowercase(),
        ListNumberStyle::UpperRoman => roman(n),
        ListNumberStyle::DefaultStyle | ListNumberStyle::Example | ListNumberStyle::Decimal => {
            n.to_string()
        }
    }
}

/// `n` in Roman numerals for 1 to 3999, in arabic otherwise.
pub(super) fn roman(n: i64) -> String {
    u32::try_from(n)
        .ok()
        .and_then(writer_support::numerals::to_roman)
        .unwrap_or_else(|| n.to_string())
}

/// A list is tight when every item's first block is `Plain`.
pub(super) fn is_tight(items: &[Vec<Block>]) -> bool {
    items
        .iter()
        .all(|item| matches!(item.first(), None | Some(Block::Plain(_))))
}

/// Whether the first block, inside any Divs, is a heading: in a list or
/// a quote, LaTeX stops on a sectioning command with nothing before it.
pub(super) fn starts_with_heading(blocks: &[Block]) -> bool {
    match blocks.first() {
        Some(Block::Header(..)) => true,
        Some(Block::Div(_, inner)) => starts_with_heading(inner),
        _ => false,
    }
}

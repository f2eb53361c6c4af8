//! Raw HTML blocks (`markdown_in_html_blocks`): block-level tags as raw
//! blocks with the Markdown between them, and elements pandoc keeps whole
//! (comments, processing instructions, `<pre>`, `<script>`, `<style>`,
//! `<textarea>`).

use super::ir::B;
use super::scan::is_div_fence_end;
use super::{BlockParser, Ctx};
use crate::attr::{indent_of, is_blank};
use ast::Format;

impl BlockParser<'_> {
    /// Raw HTML blocks (`markdown_in_html_blocks`): each block-level tag is a
    /// `RawBlock`, the text between tags is read as Markdown.
    pub(super) fn html_block(
        &mut self,
        lines: &[&str],
        i: usize,
        ctx: Ctx,
        out: &mut Vec<B>,
    ) -> Option<usize> {
        let line = lines[i];
        if indent_of(line) > 3 {
            return None;
        }
        let t = line.trim_start();
        let from = line.len() - t.len();
        // Indented, a comment, a processing instruction or a tag that may
        // be inline (`<del>`, `<style>`, `<video>`) starts a paragraph.
        if from > 0 {
            let name = tag_name(t.get(1..).unwrap_or("").trim_start_matches('/'));
            // So does an indented `</script>` (pandoc's `eitherBlockOrInline`
            // holds `script`; its element and its opening tag stay blocks).
            let block_or_inline = (crate::html::is_block_tag(&name)
                && !crate::html::is_block_only_tag(&name))
                || (name == "script" && t.starts_with("</"));
            if t.starts_with("<!--") || t.starts_with("<?") || block_or_inline {
                return None;
            }
        }
        if let Some((m, e)) = self.html_element_end(lines, i, from) {
            let raw = if m == i {
                line[from..e].to_string()
            } else {
                let mut raw = line[from..].to_string();
                for l in &lines[i + 1..m] {
                    raw.push('\n');
                    raw.push_str(l);
                }
                raw.push('\n');
                raw.push_str(&lines[m][..e]);
                raw
            };
            if !(self.col.strip_comments && raw.starts_with("<!--")) {
                out.push(B::Raw(Format("html".into()), raw));
            }
            return Some(self.block_at_tail(lines, m, e, ctx, out));
        }
        // An opening tag may end on a later line (`<tr` then `>`).
        let spans_lines = || {
            const MAX_TAG_LINES: usize = 8;
            let mut joined = t.to_string();
            for l in lines.iter().skip(i + 1).take(MAX_TAG_LINES) {
                if is_blank(l) {
                    break;
                }
                joined.push('\n');
                joined.push_str(l);
                if l.contains('>') {
                    return block_tag_at(&joined).is_some();
                }
            }
            false
        };
        let Some(tag_len) = block_tag_at(t)
            .or_else(|| (!t.starts_with("</") && !t.contains('>') && spans_lines()).then_some(0))
        else {
            return self.balanced_html_block(lines, i, from, ctx, out);
        };
        // A closing tag is a raw block of its own (pandoc's `htmlBlock'`):
        // what follows is read as the next block (indented, it is code).
        if t.starts_with("</") {
            let open = self.html_open.len();
            self.note_html_tag(&t[..tag_len]);
            if self.html_open.len() < open {
                self.render_opener_of_closer(out);
            }
            out.push(B::Raw(Format("html".into()), t[..tag_len].to_string()));
            return Some(self.block_at_tail(lines, i, from + tag_len, ctx, out));
        }
        let seg_ctx = Ctx {
            div_open: ctx.div_open,
            ..Ctx::default()
        };
        // The run: up to a blank line, or further while a comment is open.
        let mut j = i;
        let mut text = String::new();
        // The run's block tags still open, read up to `scanned` (once).
        let (mut run_open, mut scanned) = (Vec::new(), 0);
        while j < lines.len() {
            // In a fenced div, its closing fence ends the run, unless a tag
            // of the run is still open (pandoc reads it as text there).
            if j > i && ctx.div_open && is_div_fence_end(lines[j]) {
                scanned = scan_block_tags(&text, scanned, &mut run_open);
                if run_open.is_empty() {
                    break;
                }
            }
            if is_blank(lines[j]) {
                let open_comment = text
                    .rfind("<!--")
                    .is_some_and(|p| !text[p..].contains("-->"));
                if !open_comment {
                    break;
                }
            }
            text.push_str(lines[j]);
            text.push('\n');
            j += 1;
        }
        let mut k = 0;
        let mut seg_start = 0;
        let mut pieces: Vec<B> = Vec::new();
        // Text on the lines after the run's tags have all closed again is
        // read as blocks where they stand: its indentation counts (four
        // spaces make code). Inside an open tag, pandoc takes it off.
        let base = self.html_open.len();
        // After a closing tag that closed a tag of the run (pandoc's
        // `rawHtmlBlocks` ends there), the spaces on its line stay: `# a`
        // or `| a` after them is no heading or line block.
        let mut after_closer = false;
        // For each tag of the run still open, the indentation pandoc takes
        // off the blocks inside it: the next line's when the tag ends its
        // line, none when text follows it (`<tr></table>` then an indented
        // line: code).
        let mut run_levels: Vec<usize> = Vec::new();
        // Where each of them is in `pieces`.
        let mut run_openers: Vec<(usize, usize)> = Vec::new();
        let seg_text = |seg: &str, open: usize, after_closer: bool, level: Option<usize>| {
            let ws = seg.len() - seg.trim_start_matches([' ', '\t', '\n']).len();
            match seg[..ws].rfind('\n') {
                None if after_closer => seg.to_string(),
                Some(nl) if open <= base => seg[nl + 1..].to_string(),
                Some(nl) if level.is_some() => dedent_by(&seg[nl + 1..], level.unwrap_or(0)),
                _ => dedent_html_text(seg)
                    .trim_start_matches([' ', '\t', '\n'])
                    .to_string(),
            }
        };
        let b = text.as_bytes();
        while k < b.len() {
            if b[k] == b'<' {
                // A comment is a block only where a block starts; after
                // text it is inline, in the text's paragraph.
                let inline_comment =
                    text[k..].starts_with("<!--") && !text[seg_start..k].trim().is_empty();
                // A `<div>` starting a later line where a block starts is
                // a div (pandoc's `divHtml` comes before raw HTML): the
                // run stops before its line.
                let line_start = text[..k].rfind('\n').map_or(0, |p| p + 1);
                if line_start > 0
                    && text[seg_start..k].trim().is_empty()
                    && text[line_start..k].bytes().all(|c| c == b' ')
                    && text
                        .get(k..k + 4)
                        .is_some_and(|t| t.eq_ignore_ascii_case("<div"))
                    && matches!(
                        text.as_bytes().get(k + 4),
                        Some(b'>' | b' ' | b'\t' | b'\n')
                    )
                {
                    self.flush_run(out, pieces, &run_openers);
                    return Some(i + text[..k].matches('\n').count());
                }
                // A `<div>` after a tag (or after the text a tag's block
                // ended with) is where pandoc's `block` reads next: a div.
                let div_open = k > 0 && is_div_open(&text[k..]);
                let tag_len = block_tag_at(&text[k..]).filter(|_| !inline_comment);
                let seg = &text[seg_start..k];
                if (div_open || tag_len.is_some()) && !is_blank(seg.trim()) {
                    // The tag follows the text on its line: pandoc's block
                    // there reads on into it.
                    let tag_follows = !seg.trim_end_matches([' ', '\t']).ends_with('\n');
                    let first =
                        seg_start + seg.len() - seg.trim_start_matches([' ', '\t', '\n']).len();
                    let first_line =
                        &text[first..text[first..].find('\n').map_or(text.len(), |e| first + e)];
                    if tag_follows
                        && super::div::raw_lines_start(first_line) != super::div::RawLines::None
                    {
                        // A block quote or a list item takes the tags on its
                        // lines as its own text.
                        self.flush_run(out, pieces, &run_openers);
                        let m = i + text[..first].matches('\n').count();
                        let at = first - text[..first].rfind('\n').map_or(0, |p| p + 1);
                        return Some(self.block_at_tail(lines, m, at, ctx, out));
                    }
                    let seg = seg_text(
                        seg,
                        self.html_open.len(),
                        after_closer,
                        run_levels.last().copied(),
                    );
                    pieces.extend(self.html_segment(&seg, tag_follows, seg_ctx));
                }
                if div_open {
                    self.flush_run(out, pieces, &run_openers);
                    let m = i + text[..k].matches('\n').count();
                    return Some(self.block_at_tail(lines, m, k - line_start, ctx, out));
                }
                if let Some(len) = tag_len {
                    if !(self.col.strip_comments && text[k..].starts_with("<!--")) {
                        let open = self.html_open.len();
                        self.note_html_tag(&text[k..k + len]);
                        after_closer = self.html_open.len() < open;
                        if after_closer {
                            run_levels.pop();
                            // pandoc writes an opening tag whose closing tag
                            // it found back as tagsoup renders it.
                            match run_openers.pop() {
                                Some((at, _)) => {
                                    if let Some(B::Raw(_, opener)) = pieces.get_mut(at) {
                                        if let Some(r) = crate::html::render_open_tag(opener) {
                                            *opener = r;
                                        }
                                    }
                                }
                                // Opened by an earlier run of these blocks.
                                None => self.render_opener_of_closer(out),
                            }
                        } else if self.html_open.len() > open {
                            run_openers.push((pieces.len(), self.html_open.len()));
                            let rest = &text[k + len..];
                            let eol = rest.find('\n').unwrap_or(rest.len());
                            let level = if rest[..eol].trim().is_empty() {
                                rest.get(eol + 1..).map_or(0, |next| {
                                    next.bytes()
                                        .take_while(|&c| c == b' ' || c == b'\t')
                                        .map(|c| if c == b'\t' { 4 } else { 1 })
                                        .sum()
                                })
                            } else {
                                0
                            };
                            run_levels.push(level);
                        }
                        let tag = &text[k..k + len];
                        // A self-closing tag right before its closing tag
                        // (pandoc's block has no contents then) is written
                        // back too.
                        let name = tag_name(&tag[1..]);
                        let after = text[k + len..].trim_start_matches([' ', '\t']);
                        let after = after.strip_prefix('\n').unwrap_or(after);
                        let closed_empty = tag.ends_with("/>")
                            && !tag.starts_with("</")
                            && !name.is_empty()
                            && super::scan::is_closing_tag(
                                after.trim_start_matches([' ', '\t']),
                                &name,
                            );
                        let raw = match closed_empty {
                            true => crate::html::render_open_tag(tag),
                            false => None,
                        };
                        pieces.push(B::Raw(
                            Format("html".into()),
                            raw.unwrap_or_else(|| tag.to_string()),
                        ));
                    }
                    k += len;
                    seg_start = k;
                    // The run's tags all closed at the end of a line: the
                    // lines after it are blocks of their own, read as
                    // anywhere else (a list there takes lazy lines).
                    let line_end = text[k..].find('\n').map_or(text.len(), |e| k + e);
                    // So do they after an opening tag ending its line when
                    // the next line starts, unindented, with no tag.
                    let next_line = text.get(line_end + 1..).unwrap_or("");
                    let opened = self.html_open.len() > base
                        && !next_line.starts_with([' ', '\t', '<', '\n']);
                    if (self.html_open.len() <= base || opened)
                        && text[k..line_end].trim().is_empty()
                        && line_end + 1 < text.len()
                    {
                        self.flush_run(out, pieces, &run_openers);
                        return Some(i + 1 + text[..k].matches('\n').count());
                    }
                    continue;
                }
            }
            k += 1;
        }
        // The text after the last tag ends at a blank line: a paragraph
        // there is a `Para`.
        let seg = &text[seg_start..];
        if !seg.trim().is_empty() {
            let mut seg = seg_text(
                seg,
                self.html_open.len(),
                after_closer,
                run_levels.last().copied(),
            );
            // At the end of a container with no blank line after it (a
            // tight list item), the paragraph there is a `Plain`.
            if !(j >= lines.len() && ctx.end_open) {
                seg.push('\n');
            }
            pieces.extend(self.parse_text(&seg, seg_ctx));
        }
        self.flush_run(out, pieces, &run_openers);
        Some(j)
    }

    /// Puts a run's blocks out, noting where its tags still open stand:
    /// their closing tag, at the start of a later block of the same
    /// blocks, has pandoc write them back ([`Self::render_opener_of_closer`]).
    fn flush_run(&mut self, out: &mut Vec<B>, pieces: Vec<B>, run_openers: &[(usize, usize)]) {
        // Only the innermost matter: a bounded list keeps closers cheap
        // however many tags stay open.
        const MAX_OPENERS: usize = 64;
        let excess = (self.html_openers.len() + run_openers.len()).saturating_sub(MAX_OPENERS);
        self.html_openers
            .drain(..excess.min(self.html_openers.len()));
        for &(at, open_len) in run_openers {
            if let Some(B::Raw(_, raw)) = pieces.get(at) {
                self.html_openers
                    .push((open_len, self.depth, out.len() + at, raw.clone()));
            }
        }
        out.extend(pieces);
    }

    /// A closing tag just closed the innermost open tag: when that tag's
    /// raw block is among `out`'s, it is written back as tagsoup renders it.
    fn render_opener_of_closer(&mut self, out: &mut [B]) {
        let closed = self.html_open.len() + 1;
        let Some(k) = self.html_openers.iter().rposition(|r| r.0 == closed) else {
            self.html_openers.retain(|r| r.0 < closed);
            return;
        };
        let (_, depth, at, raw) = self.html_openers.swap_remove(k);
        self.html_openers.retain(|r| r.0 < closed);
        if depth != self.depth {
            return;
        }
        if let Some(B::Raw(_, opener)) = out.get_mut(at) {
            if *opener == raw {
                if let Some(r) = crate::html::render_open_tag(opener) {
                    *opener = r;
                }
            }
        }
    }

    /// The text between two tags of a run of raw HTML as blocks (no
    /// `Para`: no blank line ends it). With `tag_follows`, the tag follows
    /// its last line's text: that line is no line of its own.
    fn html_segment(&mut self, seg: &str, tag_follows: bool, ctx: Ctx) -> Vec<B> {
        let body = seg.trim_end_matches([' ', '\t', '\n']);
        let outer = self.closer_tail;
        if tag_follows {
            let last = &body[body.rfind('\n').map_or(0, |p| p + 1)..];
            self.closer_tail = Some(last.as_ptr() as usize);
        }
        let blocks = self.parse_text(body, ctx);
        self.closer_tail = outer;
        blocks
            .into_iter()
            .map(|blk| match blk {
                B::Para(t) => B::Plain(t),
                other => other,
            })
            .collect()
    }

    /// End (line, byte after it) of the HTML element pandoc keeps whole as
    /// one raw block when it starts a block at `lines[i][from..]`: a
    /// comment, a processing instruction, or a `pre`, `script`, `style` or
    /// `textarea` element with its content, blank lines included, up to its
    /// balanced closing tag.
    fn html_element_end(
        &mut self,
        lines: &[&str],
        i: usize,
        from: usize,
    ) -> Option<(usize, usize)> {
        let t = &lines[i][from..];
        if t.starts_with("<!--") {
            return self.find_closer(lines, i, from + 4, "-->");
        }
        if t.starts_with("<?") {
            return self.find_closer(lines, i, from + 2, "?>");
        }
        let name = ["pre", "script", "style", "textarea"]
            .into_iter()
            .find(|n| {
                t.get(1..1 + n.len())
                    .is_some_and(|s| s.eq_ignore_ascii_case(n))
            })?;
        let open_len = crate::html::tag_len(t)?;
        if t.as_bytes()[1 + name.len()].is_ascii_alphanumeric() {
            return None;
        }
        let closer = match name {
            "pre" => "</pre",
            "script" => "</script",
            "style" => "</style",
            _ => "</textarea",
        };
        if self.closer_known_absent(lines, i, closer) {
            return None;
        }
        let opener = format!("<{name}");
        let mut depth = 1usize;
        let mut k = i;
        let mut at = from + open_len;
        // Inside another tag, up to its `>`: a closing tag there is not
        // seen (pandoc's tag soup reads `i<j ...</style>` as one tag).
        let mut in_tag = false;
        while k < lines.len() {
            let l = lines[k];
            loop {
                if in_tag {
                    match l[at..].find('>') {
                        Some(p) => {
                            at += p + 1;
                            in_tag = false;
                        }
                        None => break,
                    }
                }
                let Some(p) = l[at..].find('<') else {
                    break;
                };
                let r = &l[at + p..];
                let starts = |pre: &str| {
                    r.get(..pre.len())
                        .is_some_and(|s| s.eq_ignore_ascii_case(pre))
                        && !r
                            .as_bytes()
                            .get(pre.len())
                            .is_some_and(u8::is_ascii_alphanumeric)
                };
                at += p + 1;
                if starts(closer) {
                    if let Some(len) = crate::html::tag_len(r) {
                        depth -= 1;
                        if depth == 0 {
                            return Some((k, at - 1 + len));
                        }
                    }
                } else if starts(&opener) {
                    depth += 1;
                }
                in_tag = r.as_bytes().get(1).is_some_and(u8::is_ascii_alphabetic);
            }
            k += 1;
            at = 0;
        }
        self.no_closer.push((lines.as_ptr() as usize, closer, i));
        None
    }

    /// True when `closer` is already known not to occur in `lines` from
    /// line `i` on (so that many unclosed openers cost one scan).
    fn closer_known_absent(&self, lines: &[&str], i: usize, closer: &str) -> bool {
        let at = lines.as_ptr() as usize;
        self.no_closer
            .iter()
            .any(|&(p, c, l)| p == at && c == closer && l <= i)
    }

    /// Where `closer` next ends, from `lines[i][from..]` on.
    fn find_closer(
        &mut self,
        lines: &[&str],
        i: usize,
        from: usize,
        closer: &'static str,
    ) -> Option<(usize, usize)> {
        if self.closer_known_absent(lines, i, closer) {
            return None;
        }
        let mut at = from;
        for (k, l) in lines.iter().enumerate().skip(i) {
            if let Some(p) = l.get(at..).and_then(|r| r.find(closer)) {
                return Some((k, at + p + closer.len()));
            }
            at = 0;
        }
        self.no_closer.push((lines.as_ptr() as usize, closer, i));
        None
    }
}

/// Reads the block-level tags of `text` from `from` into `open` (each
/// closing tag closes the innermost one if it is of its name); returns
/// where it stopped.
fn scan_block_tags(text: &str, from: usize, open: &mut Vec<String>) -> usize {
    let mut k = from;
    while let Some(p) = text[k..].find('<') {
        k += p;
        match block_tag_at(&text[k..]) {
            Some(len) => {
                let tag = &text[k..k + len];
                if let Some(name) = tag.strip_prefix("</") {
                    if open.last().is_some_and(|o| *o == tag_name(name)) {
                        open.pop();
                    }
                } else if !tag.starts_with("<!") && !tag.ends_with("/>") {
                    open.push(tag_name(&tag[1..]));
                }
                k += len;
            }
            None => k += 1,
        }
    }
    text.len()
}

/// Name of a block-level HTML tag (or `!--` for a comment) at the start of `t`.
fn block_tag_at(t: &str) -> Option<usize> {
    if t.starts_with("<!--") {
        return crate::html::tag_len(t);
    }
    let name_start = if t.starts_with("</") { 2 } else { 1 };
    let name = tag_name(t.get(name_start..)?);
    if !crate::html::is_block_tag(&name) {
        return None;
    }
    crate::html::tag_len(t)
}

/// `<div` opening a tag (`<div>`, `<div class=…>`, `<div/…>`).
fn is_div_open(t: &str) -> bool {
    t.get(..4).is_some_and(|n| n.eq_ignore_ascii_case("<div"))
        && matches!(
            t.as_bytes().get(4),
            Some(b'>' | b' ' | b'\t' | b'\n' | b'/')
        )
}

/// Where a paragraph's inlines would stop at a tag of pandoc's block-level
/// HTML (not at its start, not in code or after a backslash).
pub(super) fn block_tag_in_text(text: &str, at_start: bool) -> Option<usize> {
    block_start_in_text(text, at_start, true, false)
}

/// Where a paragraph's inlines would stop, not at its start, nor in code or
/// math: at a tag of pandoc's block-level HTML (with `html`), or at a TeX
/// command pandoc's inline parsers refuse (with `tex`: `\section{a}`).
pub(super) fn block_start_in_text(
    text: &str,
    at_start: bool,
    html: bool,
    tex: bool,
) -> Option<usize> {
    let b = text.as_bytes();
    let has_tag = html && memchr::memchr(b'<', b).is_some();
    let has_command = tex && memchr::memchr(b'\\', b).is_some();
    if !has_tag && !has_command {
        return None;
    }
    // Backtick run lengths known to have no closer from here on, so that
    // unclosed ones cost one scan each, not one per opener.
    let mut unclosed_runs: Vec<usize> = Vec::new();
    // Matching brackets, computed once when first needed.
    let mut brackets: Option<Vec<(usize, usize)>> = None;
    // The names of the environments closed somewhere in the text.
    let mut env_ends: Option<std::collections::HashSet<&str>> = None;
    let mut k = 0;
    while k < b.len() {
        match b[k] {
            b'\\' if has_command && k > 0 && super::raw_tex::refused_inline_at(&text[k..]) => {
                return Some(k);
            }
            b'\\' if has_command && text[k..].starts_with("\\begin{") => {
                // An environment other than math's is a block for pandoc,
                // even inside a paragraph's text; a math environment is
                // read whole. One without `\\end` is text: looked for once.
                let env = text[k + 7..].split('}').next().unwrap_or("");
                let ends = env_ends.get_or_insert_with(|| {
                    text.match_indices("\\end{")
                        .filter_map(|(e, _)| text[e + 5..].split('}').next())
                        .collect()
                });
                let len = ends
                    .contains(env)
                    .then(|| crate::inline::tex_environment_len(&text[k..]))
                    .flatten();
                match len {
                    Some(_) if k > 0 && !super::raw_tex::INLINE_TEX_ENVIRONMENTS.contains(&env) => {
                        return Some(k);
                    }
                    Some(len) => k += len,
                    None => k += 2,
                }
            }
            b'\\' if has_command => {
                k += super::raw_tex::unknown_command_len(&text[k..]).unwrap_or(2);
            }
            b'\\' => k += 2,
            b'`' => {
                let n = b[k..].iter().take_while(|&&c| c == b'`').count();
                let run = &text[k..k + n];
                let mut from = k + n;
                let mut close = None;
                if !unclosed_runs.contains(&n) {
                    while let Some(p) = text[from..].find(run) {
                        let e = from + p;
                        let m = b[e..].iter().take_while(|&&c| c == b'`').count();
                        if m == n {
                            close = Some(e + n);
                            break;
                        }
                        from = e + m;
                    }
                }
                match close {
                    Some(end) => k = end,
                    None => {
                        unclosed_runs.push(n);
                        // The first backtick is text; a code span may start
                        // at the next one.
                        k += 1;
                    }
                }
            }
            // Inline math is read before tags (`$a<div>$`).
            b'$' if b.get(k + 1) == Some(&b'$') => {
                // Unclosed, the first `$` is text.
                match text[k + 2..].find("$$") {
                    Some(p) => k += 2 + p + 2,
                    None => k += 1,
                }
            }
            // Read as pandoc's inline math reads it: a `$` that closes
            // nothing is text.
            b'$' => k += crate::inline::inline_math_end(&text[k..]).unwrap_or(1),
            b'<' if html && (k > 0 || at_start) => {
                if is_block_tag_at(&text[k..]) {
                    return Some(k);
                }
                k += 1;
            }
            // A bracket is read apart (a link's text, or text): a tag in it
            // ends it, not the paragraph. So is a superscript or subscript.
            b'[' if html => {
                let pairs =
                    brackets.get_or_insert_with(|| crate::inline::match_brackets(text, true));
                k = match pairs.binary_search_by_key(&k, |p| p.0) {
                    Ok(i) => pairs[i].1 + 1,
                    Err(_) => k + 1,
                };
            }
            b'~' if html && b.get(k + 1) == Some(&b'~') => k += 2,
            // A citation key takes `<` before a letter (`@ex<div>` is the
            // key `ex<div`), not after a word (citations assumed on).
            b'@' if html && !text[..k].ends_with(|c: char| c.is_alphanumeric()) => {
                k += 1 + crate::inline::cite_key_len(&text[k + 1..]);
            }
            b'^' | b'~' if html => k = script_end(b, k).map_or(k + 1, |e| e + 1),
            _ => k += 1,
        }
    }
    None
}

/// Whether `r` starts with a tag of pandoc's block-level HTML, one that
/// ends a paragraph's inlines.
pub(crate) fn is_block_tag_at(r: &str) -> bool {
    let name_at = if r.starts_with("</") { 2 } else { 1 };
    let Some(rest) = r.get(name_at..) else {
        return false;
    };
    let name = tag_name(rest);
    // `</script>` is inline (pandoc's script is a block or inline tag; only
    // its verbatim opener starts a block).
    let inline_closer = name_at == 2 && name == "script";
    crate::html::is_block_only_tag(&name) && !inline_closer && crate::html::tag_len(r).is_some()
}

/// The closing `^` or `~` of a superscript or subscript opening at `k`
/// (no white space in it, `\` escaping), as the inline parser reads it.
fn script_end(b: &[u8], k: usize) -> Option<usize> {
    let c = b[k];
    let mut i = k + 1;
    loop {
        match b.get(i) {
            None | Some(b' ' | b'\t' | b'\n') => return None,
            Some(&x) if x == c => return Some(i),
            Some(b'\\') if !matches!(b.get(i + 1), None | Some(b'\n')) => i += 2,
            Some(_) => i += 1,
        }
    }
}

/// A tag's name at the start of `s`, lower-cased: letters, digits, `-`,
/// `_` and `:` (`<p:g>` is no `<p>`).
fn tag_name(s: &str) -> String {
    s.chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':'))
        .collect::<String>()
        .to_ascii_lowercase()
}

/// `text` with up to `n` spaces taken off each line.
fn dedent_by(text: &str, n: usize) -> String {
    text.split('\n')
        .map(|l| &l[(l.len() - l.trim_start_matches(' ').len()).min(n)..])
        .collect::<Vec<_>>()
        .join("\n")
}

/// Text between HTML tags without the indentation of its first line, which
/// pandoc takes off every block inside an HTML block (indented HTML is no
/// code block).
fn dedent_html_text(seg: &str) -> String {
    let indent = seg
        .split('\n')
        .find(|l| !is_blank(l))
        .map_or(0, |l| l.len() - l.trim_start_matches(' ').len());
    if indent == 0 {
        return seg.to_string();
    }
    let mut out = String::with_capacity(seg.len());
    for (n, l) in seg.split('\n').enumerate() {
        if n > 0 {
            out.push('\n');
        }
        let strip = (l.len() - l.trim_start_matches(' ').len()).min(indent);
        out.push_str(&l[strip..]);
    }
    out
}

impl BlockParser<'_> {
    /// pandoc's `strictHtmlBlock`: a block tag whose attributes its
    /// `htmlTag` refuses (`<div ">`) is still, with its balanced closing tag
    /// further on, one raw block. Returns the line after it.
    fn balanced_html_block(
        &mut self,
        lines: &[&str],
        i: usize,
        from: usize,
        ctx: Ctx,
        out: &mut Vec<B>,
    ) -> Option<usize> {
        let t = &lines[i][from..];
        let name_len = t[1..].bytes().take_while(u8::is_ascii_alphanumeric).count();
        let name = t.get(1..1 + name_len)?.to_ascii_lowercase();
        // At the first column only: pandoc's tag soup starts at `<`.
        if from > 0
            || name_len == 0
            || !crate::html::is_block_tag(&name)
            || !matches!(t.as_bytes().get(1 + name_len), Some(b' ' | b'\t') | None)
        {
            return None;
        }
        // The opening tag as tagsoup reads it: up to `>`, quotes only
        // after `=`; it may go on over a few lines.
        const MAX_TAG_LINES: usize = 8;
        let mut joined = t.to_string();
        for l in lines.iter().skip(i + 1).take(MAX_TAG_LINES) {
            if is_blank(l) {
                break;
            }
            joined.push('\n');
            joined.push_str(l);
        }
        let b = joined.as_bytes();
        let mut k = 1 + name_len;
        loop {
            match *b.get(k)? {
                b'>' => break,
                b'=' => {
                    k += 1;
                    while matches!(b.get(k), Some(b' ' | b'\t')) {
                        k += 1;
                    }
                    if let Some(&q @ (b'"' | b'\'')) = b.get(k) {
                        k += 1 + joined[k + 1..].find(q as char)?;
                    }
                    k += 1;
                }
                _ => k += 1,
            }
        }
        // The line the tag ends on, and where.
        let tag_line = i + joined[..k].matches('\n').count();
        let k_in_line = match joined[..k].rfind('\n') {
            Some(nl) => k - nl - 1,
            None => from + k,
        };
        // The balanced closing tag, within a budget of bytes scanned.
        let (opener, closer) = (format!("<{name}"), format!("</{name}"));
        let boundary = |r: &str, n: usize| {
            !r.as_bytes()
                .get(n)
                .is_some_and(|c| c.is_ascii_alphanumeric())
        };
        let mut depth = 1usize;
        let mut at = k_in_line + 1;
        for (m, l) in lines.iter().enumerate().skip(tag_line) {
            self.open_div_budget = self.open_div_budget.checked_sub(l.len() + 1)?;
            let lower = l.to_ascii_lowercase();
            while let Some(p) = lower.get(at..).and_then(|r| r.find('<')) {
                let r = &lower[at + p..];
                at += p + 1;
                if r.starts_with(&closer) && boundary(r, closer.len()) {
                    depth -= 1;
                    if depth == 0 {
                        let end = at + r.find('>')?;
                        let mut raw = t.to_string();
                        if m > i {
                            for l in &lines[i + 1..m] {
                                raw.push('\n');
                                raw.push_str(l);
                            }
                            raw.push('\n');
                            raw.push_str(&lines[m][..end]);
                        } else {
                            raw.truncate(end - from);
                        }
                        out.push(B::Raw(Format("html".into()), raw));
                        return Some(self.block_at_tail(lines, m, end, ctx, out));
                    }
                } else if r.starts_with(&opener) && boundary(r, opener.len()) {
                    depth += 1;
                }
            }
            at = 0;
        }
        None
    }
}

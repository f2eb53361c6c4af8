//! Raw TeX blocks (`raw_tex`): which commands and environments alone on
//! their lines are a block, and which start a paragraph.

use super::ir::B;
use super::{BlockParser, Ctx};
use crate::attr::is_blank;
use ast::Format;

impl BlockParser<'_> {
    /// Raw TeX blocks on consecutive lines, joined as pandoc joins them;
    /// text after a definite block command starts the next block.
    pub(super) fn raw_tex_block(
        &mut self,
        lines: &[&str],
        i: usize,
        ctx: Ctx,
        out: &mut Vec<B>,
    ) -> Option<usize> {
        let (mut raw, mut next, mut tail) = raw_tex_piece(lines, i, false)?;
        if let Some(k) = crate::inline::control_line_end_lines(&raw) {
            (next, tail) = (i + k, None);
        }
        while tail.is_none() && next < lines.len() {
            let Some((more, mut n, mut t)) = raw_tex_piece(lines, next, true) else {
                break;
            };
            let stop = crate::inline::control_line_end_lines(&more);
            if let Some(k) = stop {
                (n, t) = (next + k, None);
            }
            // pandoc keeps the white space between the pieces: the end of
            // the line before and the next line's indentation.
            let before = lines[next - 1];
            raw.push_str(&before[before.trim_end().len()..]);
            raw.push('\n');
            let line = lines[next];
            raw.push_str(&line[..line.len() - line.trim_start().len()]);
            raw.push_str(&more);
            (next, tail) = (n, t);
            if stop.is_some() {
                break;
            }
        }
        // pandoc's reader goes on one byte earlier for each `##` in it.
        let hashes = crate::inline::doubled_hashes(&raw);
        if hashes > 0 && crate::inline::control_line_end(&raw).is_none() {
            let last = lines[next - 1];
            let end = tail.unwrap_or(last.trim_end().len());
            if let Some(at) = end.checked_sub(hashes) {
                tail = Some(at);
            }
        }
        out.push(B::Raw(Format("tex".into()), raw));
        Some(match tail {
            Some(at) => self.block_at_tail(lines, next - 1, at, ctx, out),
            // pandoc's reader takes the line end after a raw block with the
            // next line's indentation: that line is no code block.
            None if lines
                .get(next)
                .is_some_and(|l| !is_blank(l) && l.starts_with([' ', '\t'])) =>
            {
                self.block_at_tail(lines, next, 0, ctx, out)
            }
            None => next,
        })
    }
}

/// Inline commands that start a paragraph rather than a raw block (with
/// [`crate::inline::TEX_SYMBOLS`] and the text styles,
/// [`crate::inline::TEX_ONE_TOKEN`]).
const INLINE_TEX_COMMANDS: &[&str] = &[
    "mbox",
    "lettrine",
    "hbox",
    "url",
    "href",
    "ref",
    "eqref",
    "autoref",
    "cref",
    "Cref",
    "cite",
    "citep",
    "citet",
    "autocite",
    "parencite",
    "textcite",
    "footnote",
    "label",
    "textcolor",
    "colorbox",
    "hyperref",
    "hyperlink",
    "hypertarget",
    "enquote",
    "nolinkurl",
    "bfseries",
    "itshape",
    "scshape",
    "verb",
    "noindent",
    "includegraphics",
    "Gls",
    "SI",
    "ac",
    "acl",
    "acrlong",
    "acrshort",
    "acs",
    "ang",
    "citeauthor",
    "citeyear",
    "ensuremath",
    "footcite",
    "foreignlanguage",
    "gls",
    "glspl",
    "index",
    "newline",
    "nocite",
    "num",
    "qty",
    "si",
    "textenglish",
    "textfrench",
    "thanks",
    "unit",
    "vref",
];

/// Commands pandoc's inline parsers refuse (its LaTeX reader's block
/// commands): in a paragraph, its text stops before one, which starts a
/// raw TeX block (`avant \section{a} après` is a `Plain`, a raw block and a
/// paragraph); so do the commands it treats as blocks (`\\special`).
const INLINE_REFUSED_TEX_COMMANDS: &[&str] = &[
    "addbibresource",
    "addcontentsline",
    "address",
    "addtocounter",
    "author",
    "bibliography",
    "bibliographystyle",
    "caption",
    "centerline",
    "chapter",
    "closing",
    "date",
    "documentclass",
    "framesubtitle",
    "frametitle",
    "include",
    "inputminted",
    "lstinputlisting",
    "markboth",
    "newtheorem",
    "opening",
    "paragraph",
    "parbox",
    "part",
    "rule",
    "section",
    "signature",
    "subfile",
    "subparagraph",
    "subsection",
    "subsubsection",
    "subtitle",
    "theoremstyle",
    "title",
    "usepackage",
    "special",
    "pdfannot",
    "pdfstringdef",
    "makeglossary",
    "addtocontents",
    "ignore",
    "hyperdef",
    "markright",
    "markleft",
    "titleformat",
    "write",
    "graphicspath",
    "setdefaultlanguage",
    "setmainlanguage",
    "PackageError",
    "epigraph",
    "plainbreak",
    "fancybreak",
    "plainfancybreak",
    "pfbreak",
    "extratitle",
    "frontispiece",
    "titlehead",
    "subject",
    "publishers",
    "uppertitleback",
    "lowertitleback",
    "dedication",
    "blockquote",
    "blockcquote",
    "foreignblockquote",
    "foreignblockcquote",
    "hyphenblockquote",
    "hyphenblockcquote",
];

/// The same commands that take no argument.
const INLINE_REFUSED_TEX_SWITCHES: &[&str] = &[
    "endinput",
    "hrule",
    "item",
    "listoffigures",
    "listoftables",
    "makeindex",
    "maketitle",
    "par",
    "raggedright",
    "strut",
];

/// The length of a command at the start of `s` that pandoc reads by its
/// rule for unknown commands, arguments and all, as raw TeX (so that an
/// environment in its braces, `\\foo{\\begin{x}...}`, is inside it).
pub(super) fn unknown_command_len(s: &str) -> Option<usize> {
    let name_len = s
        .get(1..)?
        .bytes()
        .take_while(u8::is_ascii_alphabetic)
        .count();
    let name = &s[1..1 + name_len];
    let known = name.is_empty()
        || matches!(name, "begin" | "end")
        || crate::tex_args::is_known(name)
        || crate::inline::TEX_SYMBOLS.contains(&name)
        || crate::inline::TEX_ONE_TOKEN.contains(&name)
        || crate::inline::TEX_NO_ARGUMENT.contains(&name)
        || crate::inline::is_tex_accent(name)
        || crate::inline::is_tex_font_switch(name)
        || INLINE_TEX_COMMANDS.contains(&name);
    if known {
        return None;
    }
    crate::inline::tex_command_len(s)
}

/// Whether `s` starts with a TeX command that pandoc's inline parsers
/// refuse, so that a paragraph stops before it.
pub(super) fn refused_inline_at(s: &str) -> bool {
    let name_len = s[1..].bytes().take_while(u8::is_ascii_alphabetic).count();
    let name = &s[1..1 + name_len];
    if INLINE_REFUSED_TEX_SWITCHES.contains(&name) {
        return true;
    }
    if name.starts_with("start") && crate::inline::context_environment_len(s).is_some() {
        // A ConTeXt environment is a block, as a LaTeX one is.
        return true;
    }
    // A command whose arguments pandoc's parser for it cannot read is
    // text (`\\section x`).
    INLINE_REFUSED_TEX_COMMANDS.contains(&name) && crate::inline::tex_command_len(s).is_some()
}

/// Environments pandoc reads as inline raw TeX even alone on their lines.
pub(super) const INLINE_TEX_ENVIRONMENTS: &[&str] = &[
    "displaymath",
    "math",
    "equation",
    "equation*",
    "gather",
    "gather*",
    "multline",
    "multline*",
    "eqnarray",
    "eqnarray*",
    "align",
    "align*",
    "alignat",
    "alignat*",
    "flalign",
    "flalign*",
    "dmath",
    "dmath*",
    "dgroup",
    "dgroup*",
    "darray",
    "darray*",
    "subequations",
];

/// Commands that are a raw TeX block even with text after them on their
/// line (pandoc's definite block commands); the text is the next block.
const BLOCK_TEX_COMMANDS: &[&str] = &[
    "part",
    "chapter",
    "section",
    "subsection",
    "subsubsection",
    "paragraph",
    "subparagraph",
    "newpage",
    "clearpage",
    "pagebreak",
    "item",
    "listoffigures",
    "listoftables",
    "maketitle",
    "bibliography",
    "bibliographystyle",
    "addbibresource",
    "frametitle",
    "framesubtitle",
    "caption",
    "hrule",
    "rule",
    "vspace",
    "hspace",
    "title",
    "subtitle",
    "author",
    "date",
    "documentclass",
    "centerline",
    "address",
    "signature",
    "opening",
    "closing",
    "addtocounter",
    "input",
    "include",
    "subfile",
    "usepackage",
    "special",
    "pdfannot",
    "pdfstringdef",
    "makeindex",
    "makeglossary",
    "addcontentsline",
    "addtocontents",
    "ignore",
    "hyperdef",
    "markboth",
    "markright",
    "markleft",
    "titleformat",
    "write",
    "parbox",
    "newtheorem",
    "theoremstyle",
    "extratitle",
    "frontispiece",
    "titlehead",
    "subject",
    "publishers",
    "uppertitleback",
    "lowertitleback",
    "dedication",
    "plainbreak",
    "fancybreak",
    "plainfancybreak",
    "pfbreak",
    "strut",
    "graphicspath",
    "setdefaultlanguage",
    "setmainlanguage",
    "lstinputlisting",
    "inputminted",
    "PackageError",
    "epigraph",
];

/// How many lines of a paragraph a command's arguments may span.
const MAX_ARGUMENT_LINES: usize = 64;

/// A command at the start of `lines[i]` whose arguments go on over line
/// ends (`\\section{a` then `b}`): `None` when it ends on its own line;
/// else the raw block it makes when it ends at the end of a later line (a
/// block command, also before text on that line), or `Some(None)` when it
/// is inline there (`\\foo[a]` then `b`: pandoc's reader took the line end
/// and found text after it).
#[allow(clippy::type_complexity)]
fn command_over_lines(
    lines: &[&str],
    i: usize,
    name: &str,
) -> Option<Option<(String, usize, Option<usize>)>> {
    let end = lines[i..]
        .iter()
        .take(MAX_ARGUMENT_LINES)
        .position(|l| is_blank(l))
        .map_or(lines.len().min(i + MAX_ARGUMENT_LINES), |p| i + p);
    if end <= i + 1 {
        return None;
    }
    let joined = lines[i..end].join("\n");
    let Some(len) = crate::inline::tex_command_len(&joined) else {
        return Some(None);
    };
    if len <= lines[i].len() {
        return None;
    }
    let last = i + joined[..len].matches('\n').count();
    let at = len - joined[..len].rfind('\n').map_or(0, |p| p + 1);
    let raw = joined[..len].trim().to_string();
    if is_blank(&lines[last][at..]) {
        return Some(Some((raw, last + 1, None)));
    }
    let took_line_end = joined[..len].ends_with(['\n', ' ', '\t']) && at == 0;
    if !took_line_end && (BLOCK_TEX_COMMANDS.contains(&name) || refused_inline_at(&joined[..len])) {
        return Some(Some((raw, last + 1, Some(at))));
    }
    Some(None)
}

/// A raw TeX block at `lines[i]`: `\command{...}` alone on its line (or
/// followed by text when pandoc knows it as a block command, the text's
/// offset then returned), or a `\begin{env}...\end{env}`. Returns the
/// TeX, the next line and that offset.
/// `continued`: the piece follows another, whose line end pandoc's reader
/// took with this line's indentation.
fn raw_tex_piece(
    lines: &[&str],
    i: usize,
    continued: bool,
) -> Option<(String, usize, Option<usize>)> {
    let indent = lines[i].len() - lines[i].trim_start_matches([' ', '\t']).len();
    if indent == 0 {
        return raw_tex_piece_at(lines, i, 0);
    }
    // Indented, only what pandoc's inline parser refuses is a block: a
    // block command or a block environment (it reads the indented line as
    // a paragraph, which stops before them at once).
    let text = &lines[i][indent..];
    let environment = text.starts_with("\\begin{")
        && !INLINE_TEX_ENVIRONMENTS.iter().any(|e| {
            text["\\begin{".len()..]
                .strip_prefix(e)
                .is_some_and(|r| r.starts_with('}'))
        });
    if !continued && !environment && !refused_inline_at(text) {
        return None;
    }
    let mut unindented = lines.to_vec();
    unindented[i] = text;
    let (raw, next, tail) = raw_tex_piece_at(&unindented, i, 0)?;
    // The text after the block, as an offset in the indented line.
    let tail = tail.map(|at| if next == i + 1 { at + indent } else { at });
    Some((raw, next, tail))
}

/// [`raw_tex_piece`] from byte `from` of `lines[i]` on.
fn raw_tex_piece_at(
    lines: &[&str],
    i: usize,
    from: usize,
) -> Option<(String, usize, Option<usize>)> {
    let line = &lines[i][from..];
    if !line.starts_with('\\') {
        return None;
    }
    let name: String = line[1..]
        .chars()
        .take_while(|c| c.is_ascii_alphabetic())
        .collect();
    if name.is_empty() {
        return None;
    }
    if name == "begin" {
        if from > 0 {
            return None;
        }
        let env = line
            .get("\\begin{".len()..)
            .unwrap_or("")
            .split('}')
            .next()
            .unwrap_or("");
        if INLINE_TEX_ENVIRONMENTS.contains(&env) {
            return None;
        }
        let text = lines[i..].join("\n");
        let len = crate::inline::tex_environment_len(&text)?;
        if env == "document" {
            // pandoc's reader skips everything after the document: it is
            // all in the raw block.
            return Some((text.trim().to_string(), lines.len(), None));
        }
        let consumed = &text[..len];
        let nlines = consumed.matches('\n').count();
        let rest_at = consumed.len() - consumed.rfind('\n').map_or(0, |p| p + 1);
        let rest_of_line = lines[i + nlines].get(rest_at..)?;
        // Text after `\end{env}` starts the next block.
        let tail = (!is_blank(rest_of_line)).then_some(rest_at);
        return Some((consumed.trim().to_string(), i + nlines + 1, tail));
    }
    if INLINE_TEX_COMMANDS.contains(&name.as_str())
        || crate::tex_args::is_known_inline(&name)
        || crate::inline::TEX_SYMBOLS.contains(&name.as_str())
        || crate::inline::TEX_ONE_TOKEN.contains(&name.as_str())
        || crate::inline::is_tex_accent(&name)
        || crate::inline::is_tex_font_switch(&name)
        || name == "end"
    {
        return None;
    }
    // pandoc's reader tries ConTeXt environments first, at a block's
    // start only (`\\placeformula \\startformula` is LaTeX).
    if name.starts_with("start") && from == 0 {
        let text = lines[i..].join("\n");
        if let Some(len) = crate::inline::context_environment_len(&text[from..]) {
            let consumed = &text[from..from + len];
            let nlines = consumed.matches('\n').count();
            let rest_at = match consumed.rfind('\n') {
                None => from + len,
                Some(p) => len - p - 1,
            };
            let rest_of_line = lines[i + nlines].get(rest_at..)?;
            let tail = (!is_blank(rest_of_line)).then_some(rest_at);
            return Some((consumed.trim().to_string(), i + nlines + 1, tail));
        }
    }
    if name == "endinput" {
        // pandoc's reader skips everything after `\\endinput`: it is all
        // in the raw block.
        let rest = std::iter::once(line).chain(lines[i + 1..].iter().copied());
        let raw = rest.collect::<Vec<_>>().join("\n").trim().to_string();
        return Some((raw, lines.len(), None));
    }
    let single = crate::inline::tex_command_len(line);
    // An argument left open at the line's end (`\\foo[` or `\\foo{a}{`)
    // may close on a later line.
    let open_at_end = |l: usize| {
        let rest = line[l..].trim();
        is_blank(rest) || rest.starts_with(['[', '{'])
    };
    if from == 0 && single.is_none_or(open_at_end) {
        if let Some(spanning) = command_over_lines(lines, i, &name) {
            return spanning;
        }
    }
    let mut len = single?;
    if name == "documentclass" && from == 0 {
        // The preamble runs to `\\begin{document}`, whose environment
        // takes the rest: one raw block to the end.
        return Some((lines[i..].join("\n").trim().to_string(), lines.len(), None));
    }
    if matches!(
        name.as_str(),
        "part"
            | "chapter"
            | "section"
            | "subsection"
            | "subsubsection"
            | "paragraph"
            | "subparagraph"
    ) {
        // pandoc reads a `\label` after a sectioning command with it.
        let rest = &line[len..];
        let label_at = len + rest.len() - rest.trim_start().len();
        if line[label_at..].starts_with("\\label{") {
            len = label_at + crate::inline::tex_command_len(&line[label_at..])?;
        } else if is_blank(rest) {
            if let Some(next) = lines
                .get(i + 1)
                .filter(|l| l.trim_start().starts_with("\\label{"))
            {
                let t = next.trim_start();
                if let Some(l) = crate::inline::tex_command_len(t).filter(|&l| is_blank(&t[l..])) {
                    let raw = format!("{}\n{}", line[..len].trim(), t[..l].trim());
                    return Some((raw, i + 2, None));
                }
            }
        }
    }
    if !is_blank(&line[len..]) {
        // Raw TeX blocks follow each other on the line (`\\hfill\\break`).
        let rest = &line[len..];
        let ws = rest.len() - rest.trim_start().len();
        if rest[ws..].starts_with('\\') {
            if let Some((more, next, tail)) = raw_tex_piece_at(lines, i, from + len + ws) {
                return Some((format!("{}{more}", &line[..len + ws]), next, tail));
            }
        }
        if BLOCK_TEX_COMMANDS.contains(&name.as_str()) || refused_inline_at(line[..len].trim()) {
            return Some((line[..len].trim().to_string(), i + 1, Some(from + len)));
        }
        return None;
    }
    Some((line[..len].trim().to_string(), i + 1, None))
}

//! The arguments of the TeX commands that pandoc's LaTeX reader knows, read
//! as its own parsers read them. Two things follow from those parsers and
//! not from the rule for unknown commands: a known command whose arguments
//! are missing is text for pandoc (`\cite, b`, `\section x`), and a known
//! command reads only the arguments it takes (`\cite{a}{b}`: `{b}` is text).

/// One argument, as a parser of pandoc's LaTeX reader reads it.
#[derive(Clone, Copy, Debug)]
enum Arg {
    /// `skipopts`: any number of `[...]`, spaces around each.
    Opts,
    /// One optional `[...]` (`rawopt`, `keyvals`).
    Opt,
    /// `braced`: a `{...}` group after optional spaces and a line end.
    Braced,
    /// `tok`: after spaces, a group, a command with its arguments, or
    /// one character.
    Token,
    /// `\verb`'s argument: a symbol, then text up to the same symbol on
    /// the same line.
    Verbatim,
    /// `\lstinline`'s: a symbol, or `{` closed by `}`, then text up to it,
    /// line ends included.
    Listing,
    /// One citation: up to two `[...]`, then `{keys}`.
    Citation,
    /// Several: up to two `(...)`, then one or more [`Arg::Citation`].
    Citations,
    /// `\citetext`'s group: a `{...}` holding a citation command.
    CitationGroup,
    /// `\RN`'s number: digits, or digits in braces.
    Number,
    /// `\hyperref`'s target: `[label]`, or three groups.
    HyperrefTarget,
    /// Up to the `\fi` that closes `\ifdim`.
    UntilFi,
    /// An optional TeX number, digits after spaces (`\write18`).
    Integer,
    /// `\graphicspath`'s: a group of groups, `{{a/}{b/}}`.
    Groups,
    /// Everything after it (`\endinput`).
    Rest,
}

use Arg::*;

/// What pandoc's reader does with a command when its parser fails.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Failing {
    /// The command is text.
    Text,
    /// The rule for unknown commands reads it (`\input`, `\usepackage`:
    /// pandoc's Markdown reader tries `[...]{file}` first).
    Generic,
}

/// Block commands that include a file: pandoc's Markdown reader tries
/// `[...]{file}`, then the rule for unknown commands.
const INCLUDE_COMMANDS: &[&str] = &["input", "include", "subfile", "usepackage"];

/// The arguments of a command pandoc reads with a parser of its own;
/// `None` for a command it reads by the rule for unknown commands.
fn known_arguments(name: &str) -> Option<(&'static [Arg], Failing)> {
    if INCLUDE_COMMANDS.contains(&name) {
        return Some((&[Opts, Braced], Failing::Generic));
    }
    if let Some(args) = known_block_arguments(name) {
        return Some((args, Failing::Text));
    }
    let args: &'static [Arg] = match name {
        // Citations (natbib, biblatex).
        "cite" | "Cite" | "citep" | "citeal" | "citealp" | "autocite" | "smartcite"
        | "footcite" | "parencite" | "supercite" | "footcitetext" | "citeyearpar" | "citeyear"
        | "citet" | "citealt" | "Autocite" | "Smartcite" | "Footcite" | "Parencite"
        | "Supercite" | "Footcitetext" | "Citeyearpar" | "Citeyear" | "Textcite" | "textcite"
        | "nocite" | "citeauthor" => &[Citation],
        "textcites" | "cites" | "autocites" | "footcites" | "parencites" | "supercites"
        | "footcitetexts" | "Textcites" | "Cites" | "Autocites" | "Footcites" | "Parencites"
        | "Supercites" | "Footcitetexts" => &[Citations],
        "citetext" => &[CitationGroup],
        // Acronyms (glossaries, acronym).
        "gls" | "Gls" | "glsdesc" | "Glsdesc" | "GLSdesc" | "acrlong" | "Acrlong" | "acrfull"
        | "Acrfull" | "acrshort" | "Acrshort" | "glspl" | "Glspl" | "glsdescplural"
        | "Glsdescplural" | "GLSdescplural" | "ac" | "acf" | "acs" | "acl" | "acp" | "acfp"
        | "acsp" | "aclp" | "Ac" | "Acf" | "Acs" | "Acl" | "Acp" | "Acfp" | "Acsp" | "Aclp" => {
            &[Braced]
        }
        // Links, pictures, notes.
        "url" | "nolinkurl" | "ensuremath" | "bibstring" | "newtoggle" | "toggletrue"
        | "togglefalse" => &[Braced],
        "href" | "hyperlink" => &[Braced, Token],
        "hyperref" => &[HyperrefTarget, Token],
        "hypertarget" => &[Braced, Braced],
        "includegraphics" => &[Opt, Braced],
        "footnote" | "thanks" => &[Opts, Braced],
        "textcolor" | "colorbox" => &[Opts, Braced, Token],
        "texorpdfstring" => &[Token, Token],
        "alert" => &[Opts, Token],
        "ifstrequal" => &[Token, Token, Braced, Braced],
        "iftoggle" => &[Braced, Braced, Braced],
        "ifdim" => &[UntilFi],
        "verb" | "Verb" => &[Verbatim],
        "lstinline" => &[Opt, Listing],
        "mintinline" => &[Opts, Braced, Listing],
        "RN" | "Rn" => &[Number],
        // siunitx.
        "num" | "ang" | "numlist" => &[Opts, Braced],
        "si" | "unit" => &[Opt, Braced],
        "SI" | "qty" => &[Opts, Braced, Opt, Opt, Braced],
        "numrange" | "SIlist" => &[Opts, Braced, Braced],
        "SIrange" => &[Opts, Braced, Braced, Opt, Braced],
        "enquote" | "mkbibquote" | "mkbibemph" | "mkbibitalic" | "mkbibbold" | "mkbibparens"
        | "mkbibbrackets" | "autocap" | "passthrough" | "nohyphens" | "textnhtt" | "nhttfamily"
        | "MakeTextUppercase" | "MakeTextLowercase" | "ul" => &[Token],
        "foreignlanguage" => &[Opts, Braced, Token],
        "textfrench" | "textenglish" | "textgerman" | "textspanish" | "textitalian"
        | "textlatin" | "textgreek" => &[Opts, Token],
        _ => return None,
    };
    Some((args, Failing::Text))
}

/// Whether pandoc's reader reads the command with a parser of its own.
pub(crate) fn is_known(name: &str) -> bool {
    known_arguments(name).is_some()
}

/// Whether pandoc's reader knows the command as an inline one, with a
/// parser of its own: alone on its line it starts a paragraph.
pub(crate) fn is_known_inline(name: &str) -> bool {
    known_arguments(name).is_some()
        && known_block_arguments(name).is_none()
        && !INCLUDE_COMMANDS.contains(&name)
}

/// The arguments of pandoc's block commands with parsers of their own:
/// those parsers decide whether the command is a raw TeX block or text.
fn known_block_arguments(name: &str) -> Option<&'static [Arg]> {
    Some(match name {
        "part" | "chapter" | "section" | "subsection" | "subsubsection" | "paragraph"
        | "subparagraph" | "frametitle" | "framesubtitle" | "title" | "author" | "signature"
        | "bibliography" | "addbibresource" => &[Opts, Braced],
        "subtitle" | "address" | "date" | "extratitle" | "frontispiece" | "titlehead"
        | "subject" | "publishers" | "uppertitleback" | "lowertitleback" | "dedication"
        | "opening" | "closing" | "centerline" | "caption" => &[Opts, Token],
        "theoremstyle" | "plainbreak" | "fancybreak" => &[Braced],
        "graphicspath" => &[Groups],
        "endinput" => &[Rest],
        "plainfancybreak" | "PackageError" => &[Braced, Braced, Braced],
        "pfbreak" | "hrule" => &[],
        "rule" => &[Opts, Token, Token],
        "newtheorem" => &[Braced, Opt, Token, Opt],
        "lstinputlisting" | "setdefaultlanguage" | "setmainlanguage" => &[Opt, Braced],
        "inputminted" => &[Opt, Braced, Braced],
        "epigraph" => &[Braced, Braced],
        "parbox" => &[Opts, Braced, Braced],
        "write" => &[Integer, Braced],
        "documentclass" => &[Opts, Braced],
        "titleformat" => &[Braced, Opts, Braced, Braced, Braced, Braced],
        _ => return None,
    })
}

/// How a command that starts `s` (its name ending at byte `name_end`, its
/// arguments from `args_at`, after a beamer overlay) is read when pandoc
/// knows it: `None` when it does not (the rule for
/// unknown commands applies), `Some(None)` when its arguments are missing
/// (the command is text), else the end of what it reads.
pub(crate) fn known_command_end(s: &str, name_end: usize, args_at: usize) -> Option<Option<usize>> {
    let name = &s[1..name_end];
    if name == "and" {
        // pandoc's reader never reads `\and` as a command.
        return Some(None);
    }
    let (args, failing) = known_arguments(name)?;
    let b = s.as_bytes();
    // The control word takes the spaces after it; a star, and spaces.
    let mut end = skip_spaces(b, args_at);
    if b.get(end) == Some(&b'*') && name.bytes().all(|c| c.is_ascii_alphanumeric()) {
        end = skip_sp(b, end + 1);
    }
    for arg in args {
        match read(s, end, *arg) {
            Some(e) => end = e,
            None if failing == Failing::Generic => return None,
            None => return Some(None),
        }
    }
    // A macro parameter outside a definition makes pandoc's LaTeX parser
    // fail: `\parbox{1em}{#1}` is text.
    if crate::inline::has_parameter(&b[..end]) {
        return Some(None);
    }
    Some(Some(end))
}

/// The end of one argument read from `k`, `None` when it is missing.
fn read(s: &str, k: usize, arg: Arg) -> Option<usize> {
    let b = s.as_bytes();
    match arg {
        Opts => {
            let mut end = k;
            while let Some(e) = option(b, end) {
                end = e;
            }
            Some(end)
        }
        Opt => Some(option(b, k).unwrap_or(k)),
        Braced => braced(b, k),
        Token => token(s, k),
        Verbatim => {
            let d = *b.get(k)?;
            if !is_symbol(d) {
                return None;
            }
            let close = b[k + 1..].iter().position(|&c| c == d || c == b'\n')?;
            (b[k + 1 + close] == d).then_some(k + 2 + close)
        }
        Listing => {
            let d = *b.get(k)?;
            if !is_symbol(d) {
                return None;
            }
            let stop = if d == b'{' { b'}' } else { d };
            let close = b[k + 1..].iter().position(|&c| c == stop)?;
            Some(k + 2 + close)
        }
        Citation => citation(b, k),
        CitationGroup => {
            // pandoc's `complexNatbibCitation`: the group's parts must give
            // at least one citation, else the command is text.
            let end = braced(b, k)?;
            let inner = &s[k..end];
            let cites = inner.match_indices('\\').any(|(at, _)| {
                let name_len = inner[at + 1..]
                    .bytes()
                    .take_while(u8::is_ascii_alphabetic)
                    .count();
                let name = &inner[at + 1..at + 1 + name_len];
                name != "nocite"
                    && matches!(known_arguments(name), Some((&[Citation | Citations], _)))
                    && known_command_end(&inner[at..], 1 + name_len, 1 + name_len)
                        .is_some_and(|e| e.is_some())
            });
            cites.then_some(end)
        }
        Citations => {
            let mut end = k;
            for _ in 0..2 {
                let p = skip_sp(b, end);
                if b.get(p) != Some(&b'(') {
                    break;
                }
                end = balanced(b, p, b'(', b')')?;
            }
            end = citation(b, end)?;
            while let Some(e) = citation(b, end) {
                end = e;
            }
            Some(end)
        }
        Number => {
            let p = skip_spaces_and_lines(b, k);
            if b.get(p) == Some(&b'{') {
                let q = skip_spaces_and_lines(b, p + 1);
                let digits = b[q..].iter().take_while(|c| c.is_ascii_digit()).count();
                let r = skip_spaces_and_lines(b, q + digits);
                return (digits > 0 && b.get(r) == Some(&b'}')).then_some(r + 1);
            }
            let word = word_len(s, p);
            (word > 0 && s[p..p + word].bytes().all(|c| c.is_ascii_digit())).then_some(p + word)
        }
        HyperrefTarget => option(b, k).or_else(|| {
            let e = braced(b, k)?;
            let e = braced(b, e)?;
            braced(b, e)
        }),
        Groups => {
            let p = skip_sp(b, k);
            if b.get(p) != Some(&b'{') {
                return None;
            }
            let mut q = skip_spaces_and_lines(b, p + 1);
            while b.get(q) == Some(&b'{') {
                q = skip_spaces_and_lines(b, balanced(b, q, b'{', b'}')?);
            }
            (b.get(q) == Some(&b'}')).then_some(q + 1)
        }
        Rest => Some(s.len()),
        Integer => {
            let p = skip_spaces(b, k);
            let digits = b[p..].iter().take_while(|c| c.is_ascii_digit()).count();
            Some(if digits > 0 { p + digits } else { k })
        }
        UntilFi => {
            let mut p = k;
            while let Some(at) = s[p..].find("\\fi") {
                let after = p + at + 3;
                if !s[after..].starts_with(|c: char| c.is_alphabetic()) {
                    return Some(after);
                }
                p = after;
            }
            None
        }
    }
}

/// `rawopt`: optional spaces, `[...]` (brackets and braces balanced),
/// optional spaces.
fn option(b: &[u8], k: usize) -> Option<usize> {
    let p = skip_sp(b, k);
    if b.get(p) != Some(&b'[') {
        return None;
    }
    let e = balanced(b, p, b'[', b']')?;
    Some(skip_sp(b, e))
}

/// `braced`: optional spaces, then a `{...}` group.
fn braced(b: &[u8], k: usize) -> Option<usize> {
    let p = skip_sp(b, k);
    if b.get(p) != Some(&b'{') {
        return None;
    }
    balanced(b, p, b'{', b'}')
}

/// `tok`: after spaces and line ends, a group, a command (read whole), a
/// control symbol or one character.
fn token(s: &str, k: usize) -> Option<usize> {
    let b = s.as_bytes();
    let p = skip_spaces_and_lines(b, k);
    match *b.get(p)? {
        b'{' => balanced(b, p, b'{', b'}'),
        // pandoc's `tok` reads no special character of TeX: the command
        // is text (`\ul~`, `\alert$x$`).
        b'}' | b'#' | b'$' | b'%' | b'&' | b'^' | b'_' | b'~' => None,
        b'\\' => {
            let rest = &s[p + 1..];
            if rest.starts_with(|c: char| c.is_alphabetic()) {
                crate::inline::tex_command_len(&s[p..]).map(|l| p + l)
            } else {
                rest.chars().next().map(|c| p + 1 + c.len_utf8())
            }
        }
        _ => s[p..].chars().next().map(|c| p + c.len_utf8()),
    }
}

/// One citation's `[prefix][suffix]{keys}`; keys hold word characters,
/// spaces, commas and `.:;?!`'()/*@_+=-&[]`.
fn citation(b: &[u8], k: usize) -> Option<usize> {
    let mut end = k;
    for _ in 0..2 {
        match option(b, end) {
            Some(e) => end = e,
            None => break,
        }
    }
    let p = skip_sp(b, end);
    if b.get(p) != Some(&b'{') {
        return None;
    }
    let mut q = p + 1;
    loop {
        let c = *b.get(q)?;
        match c {
            b'}' => return Some(q + 1),
            b'\n' if b.get(q + 1) == Some(&b'\n') => return None,
            _ if c.is_ascii_alphanumeric() || c >= 0x80 => {}
            b' ' | b'\t' | b'\n' | b',' => {}
            _ if b".:;?!`'()/*@_+=-&[]".contains(&c) => {}
            _ => return None,
        }
        q += 1;
    }
}

/// A symbol token of pandoc's TeX tokenizer: not a letter, digit, space or
/// line end, nor the backslash of a command.
fn is_symbol(c: u8) -> bool {
    !(c.is_ascii_alphanumeric() || c >= 0x80 || matches!(c, b' ' | b'\t' | b'\n' | b'\\'))
}

/// The length of the word (letters and digits) at `p`.
fn word_len(s: &str, p: usize) -> usize {
    s[p..]
        .char_indices()
        .find(|&(_, c)| !c.is_alphanumeric())
        .map_or(s.len() - p, |(e, _)| e)
}

/// Index after the bracket that closes the one at `i`, braces inside
/// skipped; `None` across a blank line.
fn balanced(b: &[u8], i: usize, open: u8, close: u8) -> Option<usize> {
    let mut depth = 0usize;
    let mut braces = 0usize;
    let mut k = i;
    while k < b.len() {
        let c = b[k];
        match c {
            b'\\' => {
                k += 2;
                continue;
            }
            b'\n' if b.get(k + 1) == Some(&b'\n') => return None,
            b'{' if open != b'{' => braces += 1,
            b'}' if open != b'{' => braces = braces.saturating_sub(1),
            _ if c == open && braces == 0 => depth += 1,
            _ if c == close && braces == 0 => {
                depth -= 1;
                if depth == 0 {
                    return Some(k + 1);
                }
            }
            _ => {}
        }
        k += 1;
    }
    None
}

fn skip_spaces(b: &[u8], mut k: usize) -> usize {
    while matches!(b.get(k), Some(b' ' | b'\t')) {
        k += 1;
    }
    k
}

fn skip_spaces_and_lines(b: &[u8], mut k: usize) -> usize {
    while matches!(b.get(k), Some(b' ' | b'\t' | b'\n')) {
        k += 1;
    }
    k
}

/// pandoc's `sp`: spaces, and a line end not followed by a blank line.
fn skip_sp(b: &[u8], k: usize) -> usize {
    let k = skip_spaces(b, k);
    if b.get(k) == Some(&b'\n') {
        let next = skip_spaces(b, k + 1);
        if next < b.len() && b[next] != b'\n' {
            return next;
        }
    }
    k
}

//! `raw-tex` and `smallcaps`: inline TeX commands that have an AST node
//! become that node, with their argument read as inline Markdown.
//!
//! A raw TeX inline is read as a sequence of commands, groups and text. The
//! commands a filter knows become nodes; the others stay raw TeX (as a
//! smaller `RawInline`), so `smallcaps` alone turns `\textsc{\emph{x}}` into
//! `SmallCaps [RawInline "\emph{x}"]` and `raw-tex` later finishes the job.
//!
//! For an output that drops raw TeX, `raw-tex` also reads raw LaTeX blocks
//! (and what its inline commands leave) as LaTeX: see the `latex` module.

use ast::{Block, Format, Inline, Meta, MutVisitor, Pandoc};

use crate::engine::{Engine, NEW_STACK, RED_ZONE};
use crate::markdown::read_inline_markdown;
use crate::options::{RawTexOptions, SmallCapsOptions, SpaceKind};
use crate::report::{walk_blocks_placed, walk_meta_placed, Diagnostic, Placed, Report, Severity};
use crate::text::{clip, merge_strs, splice_merged, NBSP, NNBSP};

mod latex;

/// The commands `raw-tex` converts.
const RAW_TEX_COMMANDS: &[&str] = &[
    "emph",
    "textbf",
    "textit",
    "texttt",
    "underline",
    "textsc",
    "og",
    "fg",
    "~",
    ",",
];

/// The commands `smallcaps` converts.
const SMALLCAPS_COMMANDS: &[&str] = &["textsc"];

/// The formats whose raw markers stand for `\og` and `\fg` until the
/// surrounding list is known; never written out.
const OG: &str = "ast-filters-og";
const FG: &str = "ast-filters-fg";

/// Converts the common inline TeX commands (`\emph`, `\textbf`, `\textit`,
/// `\texttt`, `\underline`, `\textsc`, `~`, `\,`, `\og`/`\fg`) into AST nodes;
/// unless `opts.format` keeps raw TeX (LaTeX), also the raw LaTeX blocks of
/// common document structure (floats, lists, tables, sectioning...), as the
/// crate documentation lists them. Raw TeX left when the target format is
/// not LaTeX is reported by [`warn_raw_tex_left`].
pub fn apply_raw_tex(doc: &mut Pandoc, opts: &RawTexOptions) -> Report {
    Engine::new(vec![Box::new(
        TexInlines::raw_tex(opts.in_guillemets).for_format(opts.format.as_deref()),
    )])
    .run(doc);
    Report::default()
}

/// Converts `\textsc{X}` into `SmallCaps`, with X read as inline Markdown,
/// everywhere (metadata included); with `caps_names`, also a surname in
/// capitals after a capitalised given name (`Camille DURAND`).
pub fn apply_smallcaps(doc: &mut Pandoc, opts: &SmallCapsOptions) -> Report {
    let mut engine = Engine::new(vec![Box::new(TexInlines::smallcaps(opts.in_guillemets))]);
    if opts.caps_names {
        engine.push(Box::new(CapsNames::new(opts.acronyms.clone())));
    }
    engine.run(doc);
    Report::default()
}

/// True for the formats that keep raw TeX.
pub fn keeps_raw_tex(format: &str) -> bool {
    matches!(
        crate::pagebreak::base_format(format),
        "latex" | "beamer" | "pdf" | "context"
    )
}

/// A warning for each raw TeX inline or block left in `doc`, when `format`
/// is a format that drops raw TeX; quotes it and names its section.
pub fn warn_raw_tex_left(doc: &mut Pandoc, format: Option<&str>) -> Report {
    let Some(mut finder) = RawLeft::new(format) else {
        return Report::default();
    };
    finder.find_in_meta(&mut doc.meta);
    finder.find_in_blocks(&mut doc.blocks);
    finder.report
}

/// Finds the raw TeX left for a format that drops it, in the metadata and
/// then in the top-level blocks, batch after batch.
pub(crate) struct RawLeft {
    format: String,
    /// The section of the last block seen, carried from batch to batch.
    place: String,
    report: Report,
}

impl RawLeft {
    /// `None` when nothing is to be reported: no format known, or one that
    /// keeps raw TeX.
    pub fn new(format: Option<&str>) -> Option<Self> {
        let format = format.filter(|f| !keeps_raw_tex(f))?;
        Some(RawLeft {
            format: format.to_string(),
            place: String::new(),
            report: Report::default(),
        })
    }

    pub fn find_in_meta(&mut self, meta: &mut Meta) {
        walk_meta_placed(meta, self);
    }

    pub fn find_in_blocks(&mut self, blocks: &mut Vec<ast::Block>) {
        walk_blocks_placed(blocks, self);
    }

    /// The warnings found since the last call.
    pub fn take_report(&mut self) -> Report {
        std::mem::take(&mut self.report)
    }
}

impl Placed for RawLeft {
    fn set_place(&mut self, place: String) {
        self.place = place;
    }
}

impl RawLeft {
    fn warn(&mut self, kind: &str, text: &str) {
        self.report.diagnostics.push(Diagnostic {
            severity: Severity::Warning,
            filter: "raw-tex",
            place: Some(self.place.clone()),
            message: format!(
                "raw TeX {kind} dropped by the {} output: {}",
                self.format,
                clip(
                    &text.split_whitespace().collect::<Vec<_>>().join(" "),
                    70,
                    false
                )
            ),
        });
    }
}

impl MutVisitor for RawLeft {
    fn visit_inline(&mut self, il: &mut Inline) {
        if let Inline::RawInline(f, text) = il {
            if f.is_tex() {
                self.warn("inline", text);
            }
        }
    }
    fn visit_block(&mut self, b: &mut ast::Block) {
        if let ast::Block::RawBlock(f, text) = b {
            if f.is_tex() {
                self.warn("block", text);
            }
        }
    }
}

/// Converts the raw TeX inlines of a list (`raw-tex` or `smallcaps`).
pub(crate) struct TexInlines {
    commands: &'static [&'static str],
    guillemet: Option<SpaceKind>,
    /// For an output that drops raw TeX (or an unknown one): raw LaTeX
    /// blocks, and the raw TeX inlines the commands above leave, read as
    /// LaTeX ([`latex`]); with the labels met so far, for `\ref`.
    structure: Option<latex::Labels>,
}

impl TexInlines {
    pub fn raw_tex(guillemet: Option<SpaceKind>) -> Self {
        TexInlines {
            commands: RAW_TEX_COMMANDS,
            guillemet,
            structure: None,
        }
    }

    pub fn smallcaps(guillemet: Option<SpaceKind>) -> Self {
        TexInlines {
            commands: SMALLCAPS_COMMANDS,
            guillemet,
            structure: None,
        }
    }

    /// `raw-tex` for the output `format`: unless it keeps raw TeX (LaTeX,
    /// where the author's LaTeX is authoritative), raw LaTeX blocks become
    /// AST nodes too. Without a format, as our own pipeline runs, too: both
    /// our writers render those nodes.
    pub fn for_format(mut self, format: Option<&str>) -> Self {
        if format.is_none_or(|f| !keeps_raw_tex(f)) {
            self.structure = Some(latex::Labels::default());
        }
        self
    }

    /// Replaces the raw LaTeX blocks of `bs` that hold structure this
    /// filter knows by their nodes (for an output that drops raw TeX).
    pub fn convert_blocks(&mut self, bs: &mut Vec<Block>) {
        let Some(labels) = &mut self.structure else {
            return;
        };
        let mut i = 0;
        while i < bs.len() {
            if let Block::RawBlock(f, text) = &bs[i] {
                if f.is_tex() {
                    if let Some(new) = latex::read_latex_blocks(text, labels, self.guillemet) {
                        let n = new.len();
                        bs.splice(i..i + 1, new);
                        i += n;
                        continue;
                    }
                }
            }
            i += 1;
        }
    }

    /// The raw TeX inlines of `ils` left by [`TexInlines::convert_list`],
    /// read as LaTeX (`\ref`, `\footnote`, `\href`, layout commands...);
    /// true when something changed.
    fn convert_structure(&mut self, ils: &mut Vec<Inline>) -> bool {
        let Some(labels) = &mut self.structure else {
            return false;
        };
        let mut changed = false;
        let mut i = ils.len();
        while i > 0 {
            i -= 1;
            let Inline::RawInline(f, text) = &ils[i] else {
                continue;
            };
            if !f.is_tex() {
                continue;
            }
            if let Some(nodes) = latex::read_latex_inlines(text, labels, self.guillemet) {
                splice_merged(ils, i, nodes);
                changed = true;
            }
        }
        if changed {
            // A command dropped or become a space leaves the spaces around
            // it side by side: one is enough.
            ils.dedup_by(|b, a| {
                matches!(a, Inline::Space | Inline::SoftBreak)
                    && matches!(b, Inline::Space | Inline::SoftBreak)
            });
            while matches!(ils.first(), Some(Inline::Space | Inline::SoftBreak)) {
                ils.remove(0);
            }
        }
        changed
    }
}

impl TexInlines {
    /// Converts the raw TeX of `ils`; true when something changed.
    pub fn convert_list(&mut self, ils: &mut Vec<Inline>) -> bool {
        if !ils
            .iter()
            .any(|il| matches!(il, Inline::RawInline(f, _) if f.is_tex()))
        {
            return false;
        }
        // From the end, so that splicing leaves the indices still to visit alone.
        let mut changed = false;
        let mut guillemets = false;
        let mut i = ils.len();
        while i > 0 {
            i -= 1;
            let Inline::RawInline(f, text) = &ils[i] else {
                continue;
            };
            if !f.is_tex() {
                continue;
            }
            let converted = self.convert(text);
            // `\textsc{Durand}~:`: pandoc ends the raw TeX before the `~`,
            // which belongs to it: an unbreakable space in TeX.
            if let Some(Inline::Str(s)) = ils.get_mut(i + 1) {
                if s.starts_with('~') {
                    s.replace_range(..1, NBSP.encode_utf8(&mut [0; 4]));
                    changed = true;
                }
            }
            if let Some(nodes) = converted {
                guillemets |= nodes.iter().any(is_guillemet_marker);
                splice_merged(ils, i, nodes);
                changed = true;
            }
        }
        if guillemets {
            let old = std::mem::take(ils);
            *ils = merge_strs(resolve_guillemets(old, self.guillemet));
        }
        changed |= self.convert_structure(ils);
        changed
    }
}

fn is_guillemet_marker(il: &Inline) -> bool {
    matches!(il, Inline::RawInline(Format(f), _) if f == OG || f == FG)
}

/// Replaces the `\og`/`\fg` markers by guillemets and their inner spaces,
/// absorbing the ordinary space the source had beside them.
fn resolve_guillemets(ils: Vec<Inline>, space: Option<SpaceKind>) -> Vec<Inline> {
    if !ils
        .iter()
        .any(|il| matches!(il, Inline::RawInline(Format(f), _) if f == OG || f == FG))
    {
        return ils;
    }
    let inner = || match space.and_then(SpaceKind::char) {
        Some(c) => Inline::Str(c.to_string()),
        None => Inline::Space,
    };
    let mut out: Vec<Inline> = Vec::with_capacity(ils.len() + 2);
    let mut skip_space = false;
    for il in ils {
        match il {
            Inline::RawInline(Format(f), _) if f == OG => {
                out.push(Inline::Str("\u{ab}".into()));
                out.push(inner());
                skip_space = true;
                continue;
            }
            Inline::RawInline(Format(f), _) if f == FG => {
                if matches!(out.last(), Some(Inline::Space | Inline::SoftBreak)) {
                    out.pop();
                }
                out.push(inner());
                out.push(Inline::Str("\u{bb}".into()));
            }
            Inline::Space | Inline::SoftBreak if skip_space => {}
            il => out.push(il),
        }
        skip_space = false;
    }
    out
}

/// One piece of a raw TeX string.
enum Piece {
    Text(String),
    Nodes(Vec<Inline>),
    Raw(String),
}

impl TexInlines {
    /// The nodes for the raw TeX `src`, or `None` when no command in it is
    /// one this filter converts.
    fn convert(&self, src: &str) -> Option<Vec<Inline>> {
        let chars: Vec<char> = src.chars().collect();
        let close = closings(&chars);
        let mut converted = false;
        let nodes = self.read(
            Tex {
                chars: &chars,
                close: &close,
            },
            &mut converted,
        );
        converted.then_some(nodes)
    }

    fn knows(&self, command: &str) -> bool {
        self.commands.contains(&command)
    }

    /// Reads TeX source into inlines: known commands become nodes, text is
    /// read as inline Markdown, anything else stays raw TeX.
    fn read(&self, tex: Tex<'_>, converted: &mut bool) -> Vec<Inline> {
        // Each nested command or group is one level of recursion.
        stacker::maybe_grow(RED_ZONE, NEW_STACK, || self.read_here(tex, converted))
    }

    fn read_here(&self, tex: Tex<'_>, converted: &mut bool) -> Vec<Inline> {
        let chars = tex.chars;
        let mut pieces: Vec<Piece> = Vec::new();
        let mut text = String::new();
        let flush = |text: &mut String, pieces: &mut Vec<Piece>| {
            if !text.is_empty() {
                pieces.push(Piece::Text(std::mem::take(text)));
            }
        };
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            if c == '\\' && chars.get(i + 1).is_some_and(|n| n.is_ascii_alphabetic()) {
                let start = i;
                let mut j = i + 1;
                while j < chars.len() && chars[j].is_ascii_alphabetic() {
                    j += 1;
                }
                let name: String = chars[i + 1..j].iter().collect();
                if self.knows(&name) && matches!(name.as_str(), "og" | "fg") {
                    // A control word swallows `{}` or the spaces after it.
                    if chars.get(j) == Some(&'{') && chars.get(j + 1) == Some(&'}') {
                        j += 2;
                    } else {
                        while j < chars.len() && chars[j].is_whitespace() {
                            j += 1;
                        }
                    }
                    flush(&mut text, &mut pieces);
                    let marker = if name == "og" { OG } else { FG };
                    pieces.push(Piece::Nodes(vec![Inline::RawInline(
                        Format(marker.into()),
                        String::new(),
                    )]));
                    *converted = true;
                    i = j;
                    continue;
                }
                if self.knows(&name) {
                    let mut k = j;
                    while k < chars.len() && chars[k].is_whitespace() {
                        k += 1;
                    }
                    if let Some(end) = tex.group_end(k) {
                        let arg = tex.slice(k + 1..end);
                        let node = self.command_node(&name, arg, converted);
                        flush(&mut text, &mut pieces);
                        pieces.push(Piece::Nodes(vec![node]));
                        *converted = true;
                        i = end + 1;
                        continue;
                    }
                }
                // Unknown: the command with its optional and braced arguments.
                let mut k = j;
                loop {
                    let open = match chars.get(k) {
                        Some('{') => tex.group_end(k),
                        Some('[') => tex.bracket_end(k),
                        _ => None,
                    };
                    match open {
                        Some(end) => k = end + 1,
                        None => break,
                    }
                }
                flush(&mut text, &mut pieces);
                pieces.push(Piece::Raw(chars[start..k].iter().collect()));
                i = k;
                continue;
            }
            if c == '\\' && chars.get(i + 1) == Some(&',') && self.knows(",") {
                text.push(NNBSP);
                *converted = true;
                i += 2;
                continue;
            }
            if c == '\\' && chars.get(i + 1).is_some_and(|n| "&%$#_{}".contains(*n)) {
                // A TeX escape is the character; escaped again for Markdown.
                text.push('\\');
                text.push(chars[i + 1]);
                i += 2;
                continue;
            }
            if c == '\\' {
                let end = (i + 2).min(chars.len());
                flush(&mut text, &mut pieces);
                pieces.push(Piece::Raw(chars[i..end].iter().collect()));
                i = end;
                continue;
            }
            if c == '~' && self.knows("~") {
                text.push(NBSP);
                *converted = true;
                i += 1;
                continue;
            }
            if c == '{' {
                if let Some(end) = tex.group_end(i) {
                    flush(&mut text, &mut pieces);
                    pieces.push(Piece::Nodes(self.read(tex.slice(i + 1..end), converted)));
                    i = end + 1;
                    continue;
                }
            }
            text.push(c);
            i += 1;
        }
        flush(&mut text, &mut pieces);
        let mut out = Vec::new();
        for piece in pieces {
            match piece {
                Piece::Text(t) => out.extend(read_inline_markdown(&t)),
                Piece::Nodes(n) => out.extend(n),
                Piece::Raw(r) => out.push(Inline::RawInline(Format("tex".into()), r)),
            }
        }
        merge_strs(out)
    }

    fn command_node(&self, name: &str, arg: Tex<'_>, converted: &mut bool) -> Inline {
        if name == "texttt" {
            return Inline::Code(Box::default(), unescape_tex(arg.chars));
        }
        let inner = resolve_guillemets(self.read(arg, converted), self.guillemet);
        let inner = merge_strs(inner);
        match name {
            "emph" | "textit" => Inline::Emph(inner),
            "textbf" => Inline::Strong(inner),
            "underline" => Inline::Underline(inner),
            _ => Inline::SmallCaps(inner),
        }
    }
}

/// Raw TeX characters (or a range of them) with where each group and
/// optional argument closes, found once for the whole string: looking for
/// the `}` again at each level made `\textsc{\textsc{...}}` quadratic.
#[derive(Clone, Copy)]
struct Tex<'a> {
    chars: &'a [char],
    /// Beside each `{`, the distance to the `}` that closes it; beside each
    /// `[`, the distance to the next `]`; 0 when there is none.
    close: &'a [usize],
}

impl<'a> Tex<'a> {
    fn slice(self, range: std::ops::Range<usize>) -> Tex<'a> {
        Tex {
            chars: &self.chars[range.clone()],
            close: &self.close[range],
        }
    }

    /// The index of the `}` closing the group that opens at `open`.
    fn group_end(self, open: usize) -> Option<usize> {
        self.end_of('{', open)
    }

    /// The index of the first `]` after the `[` at `open`.
    fn bracket_end(self, open: usize) -> Option<usize> {
        self.end_of('[', open)
    }

    fn end_of(self, opener: char, open: usize) -> Option<usize> {
        if self.chars.get(open) != Some(&opener) {
            return None;
        }
        // A group is closed inside any group around it, and a `]` further
        // than the end of this range means none in it.
        match self.close[open] {
            0 => None,
            d => Some(open + d).filter(|&end| end < self.chars.len()),
        }
    }
}

/// The [`Tex::close`] distances of `chars`, in two passes: braces matched
/// with a stack (a backslash escapes the next character), then each `[`
/// given the next `]` from the right.
fn closings(chars: &[char]) -> Vec<usize> {
    let mut close = vec![0; chars.len()];
    let mut open_groups = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '\\' => i += 1,
            '{' => open_groups.push(i),
            '}' => {
                if let Some(open) = open_groups.pop() {
                    close[open] = i - open;
                }
            }
            _ => {}
        }
        i += 1;
    }
    let mut next_bracket = None;
    for (i, &c) in chars.iter().enumerate().rev() {
        match c {
            ']' => next_bracket = Some(i),
            '[' => {
                if let Some(end) = next_bracket {
                    close[i] = end - i;
                }
            }
            _ => {}
        }
    }
    close
}

/// The text of a TeX argument read verbatim (`\texttt`): escapes undone.
fn unescape_tex(arg: &[char]) -> String {
    let s: String = arg.iter().collect();
    let s = s
        .replace("\\textbackslash{}", "\\")
        .replace("\\textasciitilde{}", "~")
        .replace("\\textasciicircum{}", "^");
    let mut out = String::with_capacity(s.len());
    let mut it = s.chars().peekable();
    while let Some(c) = it.next() {
        if c == '\\' {
            if let Some(&n) = it.peek() {
                if "&%$#_{}".contains(n) {
                    out.push(n);
                    it.next();
                    continue;
                }
            }
        }
        out.push(c);
    }
    out
}

/// Words in capitals that are not surnames.
const ACRONYMS: &[&str] = &[
    "AWS", "API", "PDF", "HTML", "CSS", "SQL", "URL", "URI", "HTTP", "HTTPS", "JSON", "XML",
    "YAML", "CI", "CD", "CEO", "CTO", "DSI", "IT", "IA", "AI", "UE", "EU", "USA", "UK", "SNCF",
    "RATP", "PME", "SAS", "SARL", "SA", "RH", "TVA", "BTS", "DUT", "IUT", "CNRS", "ONU", "GPU",
    "CPU", "RAM", "SSD", "USB", "PC", "OS", "IP", "DNS", "VPN", "SSH", "TCP", "UDP", "LAN", "WAN",
    "ERP", "CRM", "UX", "UI", "QR", "ID", "TV", "FAQ", "PHP", "JS", "GCP", "MIT", "GNU", "GPL",
    "IBM", "EDF", "RER", "TGV", "CV", "PDG", "DRH", "RGPD", "GDPR", "NASA", "OK", "TODO", "README",
    "PNG", "JPEG", "SVG", "DOM", "REST", "SDK", "IDE", "CLI", "GUI", "NFC", "GPS", "ISO", "UTF",
    "ASCII",
];

/// Capitalised words that start sentences, not given names.
const NOT_GIVEN_NAMES: &[&str] = &[
    "Le", "La", "Les", "Un", "Une", "Des", "De", "Du", "Au", "Aux", "En", "Et", "Ou", "Par",
    "Pour", "Sur", "Dans", "Avec", "Sans", "Ce", "Cet", "Cette", "Ces", "Mon", "Ma", "Mes", "Son",
    "Sa", "Ses", "Notre", "Nos", "Votre", "Vos", "Leur", "Leurs", "Il", "Elle", "Ils", "Elles",
    "On", "Nous", "Vous", "Je", "Tu", "Qui", "Que", "Quoi", "Si", "Mais", "Donc", "Or", "Ni",
    "Car", "Voir", "Via", "Chez", "Selon", "Entre", "Vers", "Depuis", "Avant", "Après", "Lors",
    "Chaque", "Tout", "Tous", "Toute", "Toutes", "The", "An", "Of", "In", "At", "For", "With",
    "And", "To", "By", "From", "Cf",
];

/// Surnames in capitals after a given name become small caps.
pub(crate) struct CapsNames {
    /// The document's own acronyms (`acronyms:`).
    acronyms: Vec<String>,
}

fn is_given_name(word: &str) -> bool {
    let word = word.trim_start_matches(['(', '[', '\u{ab}', '"', '\u{201c}', NNBSP, NBSP]);
    let mut chars = word.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    let mut prev = first;
    let mut n = 1;
    for c in chars {
        let ok = if prev == '-' {
            c.is_uppercase()
        } else {
            c.is_lowercase() || c == '-'
        };
        if !ok {
            return false;
        }
        prev = c;
        n += 1;
    }
    first.is_uppercase() && n >= 2 && prev != '-' && !NOT_GIVEN_NAMES.contains(&word)
}

/// Splits `word` into a surname in capitals and trailing punctuation.
fn caps_surname(word: &str) -> Option<(&str, &str)> {
    let core = word.trim_end_matches(|c: char| {
        c.is_ascii_punctuation() && c != '\'' || "\u{bb}\u{2026}\u{a0}\u{202f}".contains(c)
    });
    let letters = core.chars().filter(|c| c.is_alphabetic()).count();
    let ok = letters >= 2
        && core
            .chars()
            .all(|c| c.is_uppercase() || matches!(c, '-' | '\'' | '\u{2019}'))
        && core.starts_with(char::is_uppercase)
        && core.ends_with(char::is_uppercase);
    ok.then(|| (core, &word[core.len()..]))
}

fn title_case(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    let mut start = true;
    for c in word.chars() {
        if start {
            out.push(c);
        } else {
            out.extend(c.to_lowercase());
        }
        start = matches!(c, '-' | '\'' | '\u{2019}');
    }
    out
}

impl CapsNames {
    pub fn new(acronyms: Vec<String>) -> Self {
        CapsNames { acronyms }
    }

    fn is_acronym(&self, word: &str) -> bool {
        ACRONYMS.contains(&word) || self.acronyms.iter().any(|a| a == word)
    }

    /// The surname words in capitals starting at `i`: how many inlines they
    /// span, and the trailing punctuation of the last one.
    fn surname_at(&self, ils: &[Inline], i: usize) -> Option<(usize, Vec<String>, String)> {
        let mut words = Vec::new();
        let mut j = i;
        let mut tail = String::new();
        while let Some(Inline::Str(w)) = ils.get(j) {
            let Some((core, rest)) = caps_surname(w) else {
                break;
            };
            if self.is_acronym(core) {
                break;
            }
            words.push(title_case(core));
            j += 1;
            if !rest.is_empty() {
                tail = rest.to_string();
                break;
            }
            // Another surname word follows (`LE GALL`): take the space too.
            let next_is_surname = matches!(ils.get(j + 1), Some(Inline::Str(n))
                if caps_surname(n).is_some_and(|(c, _)| !self.is_acronym(c)));
            if ils.get(j) != Some(&Inline::Space) || !next_is_surname {
                break;
            }
            j += 1;
        }
        (!words.is_empty()).then_some((j - i, words, tail))
    }
}

impl MutVisitor for CapsNames {
    fn visit_inlines(&mut self, ils: &mut Vec<Inline>) {
        let mut i = 2;
        while i < ils.len() {
            let given = matches!((&ils[i - 2], &ils[i - 1]), (Inline::Str(g), Inline::Space) if is_given_name(g));
            if given {
                if let Some((span, words, tail)) = self.surname_at(ils, i) {
                    let mut caps = Vec::with_capacity(words.len() * 2);
                    for (k, w) in words.into_iter().enumerate() {
                        if k > 0 {
                            caps.push(Inline::Space);
                        }
                        caps.push(Inline::Str(w));
                    }
                    let mut new = vec![Inline::SmallCaps(caps)];
                    if !tail.is_empty() {
                        new.push(Inline::Str(tail));
                    }
                    let n = new.len();
                    ils.splice(i..i + span, new);
                    i += n;
                    continue;
                }
            }
            i += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closings_skip_escaped_braces_and_stop_at_the_range_end() {
        let chars: Vec<char> = r"\emph{a\}b{c}}[x{y]z".chars().collect();
        let close = closings(&chars);
        let tex = Tex {
            chars: &chars,
            close: &close,
        };
        assert_eq!(
            tex.group_end(5),
            Some(13),
            "an escaped brace does not close"
        );
        assert_eq!(tex.group_end(10), Some(12));
        assert_eq!(tex.bracket_end(14), Some(18));
        assert_eq!(tex.group_end(16), None, "never closed");
        assert_eq!(tex.group_end(6), None, "not an opening brace");
        // Inside `{a\}b{c}}`, the group `{c}`; in `[x{`, no `]`.
        assert_eq!(tex.slice(6..13).group_end(4), Some(6));
        assert_eq!(tex.slice(14..17).bracket_end(0), None);
    }

    #[test]
    fn given_names_and_surnames() {
        assert!(is_given_name("Camille"));
        assert!(is_given_name("Jean-Pierre"));
        assert!(!is_given_name("Le"));
        assert!(!is_given_name("CAMILLE"));
        assert_eq!(caps_surname("DURAND,"), Some(("DURAND", ",")));
        assert_eq!(caps_surname("DUPONT-MOREL"), Some(("DUPONT-MOREL", "")));
        assert_eq!(caps_surname("Durand"), None);
        assert_eq!(title_case("DUPONT-MOREL"), "Dupont-Morel");
        assert_eq!(title_case("D'ALEMBERT"), "D'Alembert");
    }

    #[test]
    fn tex_escapes_in_code() {
        let chars: Vec<char> = "a\\_b \\& c".chars().collect();
        assert_eq!(unescape_tex(&chars), "a_b & c");
    }
}

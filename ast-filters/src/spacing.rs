//! `french-spacing`: the no-break spaces of French typography, and `--check`.
//!
//! pandoc splits text into `Str` nodes at ordinary spaces only: `mot\u{a0}:`
//! typed by hand is the single `Str "mot\u{a0}:"`. So a `Space` (or
//! `SoftBreak`) that French typography wants unbreakable becomes the
//! character, merged with the `Str` nodes on both sides of it in the same
//! list; a space beside markup stays on its side of the markup
//! (`Link, Str "\u{a0}:"`), which is what pandoc gives for the typed text.

use ast::{Block, Caption, Inline, Meta, MetaValue, MutVisitor, Pandoc, Visitor, Walkable};

use crate::engine::{Engine, InlinesAt, ListFilter};
use crate::options::{is_french, SpaceKind, SpacingOptions};
use crate::report::{section_place, Diagnostic, Report, Severity};
use crate::text::*;

const FILTER: &str = "french-spacing";

/// Characters that may follow `:`, `;`, `!` or `?` in the same word for it
/// to still be punctuation of the sentence (`mot!)`, `quoi?»`).
const CLOSING: &[char] = &[
    ')', ']', '}', '\u{bb}', '\u{201d}', '\u{2019}', '"', '\'', '.', ',', '\u{2026}',
];

/// Applies French spacing to `doc` (see the crate documentation for the
/// rules). Does nothing, with a note, when the document's `lang` is not French.
pub fn apply_french_spacing(doc: &mut Pandoc, opts: &SpacingOptions) -> Report {
    if let Some(note) = skipped_for_lang(FILTER, opts.lang.as_deref()) {
        return note;
    }
    Engine::new(vec![Box::new(Spacer::new(opts))]).run(doc);
    Report::default()
}

/// `--check`: reports every place where [`apply_french_spacing`] would change
/// a space, and every missing space (as with `add-missing: true`), without
/// changing `doc`.
pub fn check_french_spacing(doc: &Pandoc, opts: &SpacingOptions) -> Report {
    if let Some(note) = skipped_for_lang(FILTER, opts.lang.as_deref()) {
        return note;
    }
    let mut checker = Checker::new(opts);
    checker.check_meta(&doc.meta);
    checker.check_blocks(&doc.blocks);
    checker.take_report()
}

/// `--check`'s read-only walk: each list of inlines is analysed as
/// [`Spacer`] would, and what it would change is reported. It is given the
/// metadata, then the top-level blocks in batches; the section carries over
/// from one batch to the next.
pub(crate) struct Checker(Spacer);

impl Checker {
    pub fn new(opts: &SpacingOptions) -> Self {
        let mut spacer = Spacer::new(&SpacingOptions {
            add_missing: true,
            ..opts.clone()
        });
        spacer.record = true;
        Checker(spacer)
    }

    pub fn check_meta(&mut self, meta: &Meta) {
        for (key, value) in meta {
            self.0.place = format!("metadata field \"{key}\"");
            value.walk(self);
        }
        self.0.place = "before the first heading".into();
    }

    pub fn check_blocks(&mut self, blocks: &[Block]) {
        for block in blocks {
            block.walk(self);
        }
    }

    /// The problems found since the last call.
    pub fn take_report(&mut self) -> Report {
        std::mem::take(&mut self.0.report)
    }
}

impl Visitor for Checker {
    fn visit_block(&mut self, block: &Block) {
        match block {
            Block::Header(_, _, ils) => {
                self.0.place = section_place(block);
                self.0.find_edits(ils);
            }
            Block::Plain(ils) | Block::Para(ils) => {
                self.0.find_edits(ils);
            }
            Block::LineBlock(lines) => lines.iter().for_each(|l| {
                self.0.find_edits(l);
            }),
            Block::DefinitionList(items) => items.iter().for_each(|(term, _)| {
                self.0.find_edits(term);
            }),
            Block::Figure(_, Caption(Some(short), _), _) => {
                self.0.find_edits(short);
            }
            Block::Table(t) => {
                if let Caption(Some(short), _) = &t.caption {
                    self.0.find_edits(short);
                }
            }
            Block::Figure(..)
            | Block::CodeBlock(..)
            | Block::RawBlock(..)
            | Block::BlockQuote(_)
            | Block::OrderedList(..)
            | Block::BulletList(_)
            | Block::HorizontalRule
            | Block::Div(..) => {}
        }
    }

    fn visit_inline(&mut self, il: &Inline) {
        match il {
            Inline::Emph(c)
            | Inline::Underline(c)
            | Inline::Strong(c)
            | Inline::Strikeout(c)
            | Inline::Superscript(c)
            | Inline::Subscript(c)
            | Inline::SmallCaps(c)
            | Inline::Quoted(_, c)
            | Inline::Link(_, c, _)
            | Inline::Image(_, c, _)
            | Inline::Span(_, c) => {
                self.0.find_edits(c);
            }
            Inline::Cite(cits, c) => {
                for cit in cits {
                    self.0.find_edits(&cit.prefix);
                    self.0.find_edits(&cit.suffix);
                }
                self.0.find_edits(c);
            }
            Inline::Str(_)
            | Inline::Code(..)
            | Inline::Space
            | Inline::SoftBreak
            | Inline::LineBreak
            | Inline::Math(..)
            | Inline::RawInline(..)
            | Inline::Note(_) => {}
        }
    }

    fn visit_meta_value(&mut self, value: &MetaValue) {
        if let MetaValue::MetaInlines(ils) = value {
            self.0.find_edits(ils);
        }
    }
}

/// The note for a filter that does not run for the document's language.
pub(crate) fn skipped_for_lang(filter: &'static str, lang: Option<&str>) -> Option<Report> {
    if is_french(lang) {
        return None;
    }
    Some(Report::note(
        filter,
        format!(
            "skipped: the document's lang is \"{}\", not French",
            lang.unwrap_or_default()
        ),
    ))
}

/// Which rule asks for a space, for messages.
#[derive(Clone, Copy)]
enum Rule {
    Before(char),
    AfterOpening,
    BeforeClosing,
    NumberUnit,
}

impl Rule {
    fn describe(self) -> String {
        match self {
            Rule::Before(c) => format!("before \"{c}\""),
            Rule::AfterOpening => "after \"\u{ab}\"".into(),
            Rule::BeforeClosing => "before \"\u{bb}\"".into(),
            Rule::NumberUnit => "between a number and its unit".into(),
        }
    }
}

/// True for a Windows drive letter (`C` in `C:`), possibly after an
/// opening mark.
fn is_drive_letter(before: &str) -> bool {
    let word = before.trim_start_matches(['(', '[', '\u{ab}', '"', '\u{201c}']);
    word.len() == 1 && word.starts_with(|c: char| c.is_ascii_uppercase())
}

/// The text of a few inlines, for a snippet.
fn text_of(ils: &[Inline]) -> String {
    ils.iter().map(ast::stringify).collect()
}

fn kind_name(c: char) -> &'static str {
    if c == NBSP {
        "no-break space U+00A0"
    } else {
        "narrow no-break space U+202F"
    }
}

/// A space as a compiler's message names it.
pub(crate) fn space_name(c: char) -> &'static str {
    if c == NBSP {
        "U+00A0 no-break space"
    } else {
        "U+202F narrow no-break space"
    }
}

enum Edit {
    /// Replace the `Space` at this index by the character.
    Space(usize, char),
    /// Insert characters into the `Str` at this index, at byte offsets.
    Insert(usize, Vec<(usize, char)>),
}

/// Turns the spaces of a list into no-break spaces where French wants them.
pub(crate) struct Spacer {
    opts: SpacingOptions,
    /// Record each change as a `--check` problem.
    record: bool,
    place: String,
    report: Report,
    /// What to change in the list at hand, in the order of the list (kept
    /// from list to list, so that finding edits allocates nothing).
    edits: Vec<Edit>,
    /// The ranges of inlines merged into a `Str` before them, to remove.
    merged: Vec<std::ops::Range<usize>>,
    /// What to change, described for the source (`--check` with positions, `--fix`).
    pub(crate) spots: Option<Vec<Spot>>,
}

/// A change [`Spacer`] would make in a list, as `--fix` makes it in the
/// source: the index of the `Space` to replace, or of the `Str` to insert
/// into at a byte offset.
#[derive(Debug, Clone)]
pub(crate) struct Spot {
    pub index: usize,
    pub insert_at: Option<usize>,
    pub space: char,
    pub message: String,
}

impl Spacer {
    pub fn new(opts: &SpacingOptions) -> Self {
        Spacer {
            opts: opts.clone(),
            record: false,
            place: String::new(),
            report: Report::default(),
            edits: Vec::new(),
            merged: Vec::new(),
            spots: None,
        }
    }

    /// A spacer that only describes what it would change, missing spaces
    /// included (as `--check`), in the spots of [`Spacer::find_spots`].
    pub fn locating(opts: &SpacingOptions) -> Self {
        let mut spacer = Spacer::new(&SpacingOptions {
            add_missing: true,
            ..opts.clone()
        });
        spacer.spots = Some(Vec::new());
        spacer
    }

    /// What would change in `ils`.
    pub fn find_spots(&mut self, ils: &[Inline]) -> Vec<Spot> {
        self.find_edits(ils);
        self.spots.as_mut().map(std::mem::take).unwrap_or_default()
    }
}

impl MutVisitor for Spacer {
    fn visit_inlines(&mut self, ils: &mut Vec<Inline>) {
        self.find_edits(ils);
        if !self.edits.is_empty() {
            apply_edits(ils, &mut self.edits, &mut self.merged);
        }
    }
}

impl ListFilter for Spacer {
    fn inlines(&mut self, ils: &mut Vec<Inline>, _: InlinesAt) -> bool {
        self.visit_inlines(ils);
        false
    }
}

/// True when the space between `prev` and `next` may be one French wants
/// unbreakable, judged on the bytes at the edges of their text (UTF-8: `«`
/// ends with 0xAB, `»` starts with 0xC2 0xBB), without decoding characters
/// or looking at whole words. Nearly every space is between two words and
/// stops here.
#[inline]
fn may_need_space(prev: &Inline, next: &Inline) -> bool {
    let first_byte = match next {
        Inline::Str(s) => s.as_bytes().first().copied(),
        il => first_str(il).and_then(|s| s.as_bytes().first().copied()),
    };
    if matches!(first_byte, Some(b':' | b';' | b'!' | b'?' | 0xC2)) {
        return true;
    }
    let last_byte = match prev {
        Inline::Str(s) => s.as_bytes().last().copied(),
        il => last_str(il).and_then(|s| s.as_bytes().last().copied()),
    };
    matches!(last_byte, Some(0xAB | b'0'..=b'9'))
}

impl Spacer {
    /// Finds what to change in `ils` (into `self.edits`; recorded as
    /// problems in `--check`).
    fn find_edits(&mut self, ils: &[Inline]) {
        self.edits.clear();
        if !self.opts.add_missing {
            // Only spaces change: a space between two inlines, judged first
            // on the bytes at the edges.
            for (i, w) in (1..).zip(ils.windows(3)) {
                if matches!(w[1], Inline::Space | Inline::SoftBreak) && may_need_space(&w[0], &w[2])
                {
                    if let Some((c, _)) = self.space_rule(ils, i) {
                        self.edits.push(Edit::Space(i, c));
                    }
                }
            }
            return;
        }
        for (i, il) in ils.iter().enumerate() {
            match il {
                Inline::Space | Inline::SoftBreak => {
                    if let Some((c, rule)) = self.space_rule(ils, i) {
                        if self.record {
                            self.problem_at_space(ils, i, c, rule);
                        }
                        if let Some(spots) = &mut self.spots {
                            spots.push(Spot {
                                index: i,
                                insert_at: None,
                                space: c,
                                message: format!(
                                    "plain space {} (expected {})",
                                    rule.describe(),
                                    space_name(c)
                                ),
                            });
                        }
                        self.edits.push(Edit::Space(i, c));
                    }
                }
                Inline::Str(s) => {
                    let ins = self.insertions(ils, i, s);
                    if !ins.is_empty() {
                        if self.record {
                            for &(pos, c, rule) in &ins {
                                self.problem_in_str(ils, i, s, pos, c, rule);
                            }
                        }
                        if let Some(spots) = &mut self.spots {
                            spots.extend(ins.iter().map(|&(pos, c, rule)| Spot {
                                index: i,
                                insert_at: Some(pos),
                                space: c,
                                message: format!(
                                    "missing space {} (expected {})",
                                    rule.describe(),
                                    space_name(c)
                                ),
                            }));
                        }
                        self.edits.push(Edit::Insert(
                            i,
                            ins.into_iter().map(|(p, c, _)| (p, c)).collect(),
                        ));
                    }
                }
                _ => {}
            }
        }
    }
}

/// Applies the edits (in the order of the list) in place: characters are
/// inserted into their `Str`, each replaced space is merged with the `Str`
/// nodes on both sides of it, and the inlines merged away are removed at the
/// end, so that the inlines before the first merge do not move at all and
/// the others move once.
fn apply_edits(
    ils: &mut Vec<Inline>,
    edits: &mut Vec<Edit>,
    merged: &mut Vec<std::ops::Range<usize>>,
) {
    merged.clear();
    // Insertions first: they change no index, and a `Str` gets its own
    // before it is merged into another.
    for edit in edits.iter_mut() {
        if let Edit::Insert(j, inserts) = edit {
            if let Inline::Str(s) = &mut ils[*j] {
                let mut new = String::with_capacity(s.len() + 3 * inserts.len());
                let mut from = 0;
                for &(pos, c) in inserts.iter() {
                    new.push_str(&s[from..pos]);
                    new.push(c);
                    from = pos;
                }
                new.push_str(&s[from..]);
                *s = new;
            }
        }
    }
    // The `Str` the current run of merges goes into.
    let mut target = 0;
    for edit in edits.drain(..) {
        let Edit::Space(j, c) = edit else {
            continue;
        };
        // The inline before the space: merged itself into `target` already,
        // a `Str` to merge into, or something else (a new `Str` starts).
        let after_merge = merged.last().is_some_and(|r| r.end == j);
        let next_len = match &ils[j + 1] {
            Inline::Str(next) => next.len(),
            _ => 0,
        };
        if after_merge || matches!(ils[j - 1], Inline::Str(_)) {
            if !after_merge {
                target = j - 1;
            }
            if let Inline::Str(t) = &mut ils[target] {
                t.reserve(c.len_utf8() + next_len);
                t.push(c);
            }
            match merged.last_mut() {
                Some(r) if after_merge => r.end = j + 1,
                _ => merged.push(j..j + 1),
            }
        } else {
            let mut s = String::with_capacity(c.len_utf8() + next_len);
            s.push(c);
            ils[j] = Inline::Str(s);
            target = j;
        }
        // The `Str` after the space joins too.
        if let (head, [Inline::Str(next), ..]) = ils.split_at_mut(j + 1) {
            if let Inline::Str(t) = &mut head[target] {
                t.push_str(next);
            }
            match merged.last_mut() {
                Some(r) if r.end == j + 1 => r.end = j + 2,
                _ => merged.push(j + 1..j + 2),
            }
        }
    }
    // One or two runs (the usual case): the rest of the list moves in bulk,
    // once per run, from the last.
    if merged.len() <= 2 {
        for run in merged.drain(..).rev() {
            ils.drain(run);
        }
        return;
    }
    // One pass that moves each inline after the first run once. The runs
    // are in order and apart (a run that reaches the next one absorbs it).
    let mut runs = merged.iter();
    let mut run = runs.next();
    let mut k = 0;
    ils.retain(|_| {
        let keep = match run {
            Some(r) if k >= r.start => {
                if k + 1 >= r.end {
                    run = runs.next();
                }
                false
            }
            _ => true,
        };
        k += 1;
        keep
    });
}

impl Spacer {
    fn char_for(&self, kind: SpaceKind, rule: Rule) -> Option<(char, Rule)> {
        kind.char().map(|c| (c, rule))
    }

    /// The character the `Space` at `i` should become, if any.
    fn space_rule(&self, ils: &[Inline], i: usize) -> Option<(char, Rule)> {
        if i == 0 || i + 1 >= ils.len() {
            return None;
        }
        let (prev, next) = (&ils[i - 1], &ils[i + 1]);
        if is_break(prev) || is_break(next) {
            return None;
        }
        if !may_need_space(prev, next) {
            return None;
        }
        let prev_str = last_str(prev);
        let next_str = first_str(next);
        let prev_char = prev_str.and_then(|s| s.chars().next_back());
        let next_char = next_str.and_then(|s| s.chars().next());
        // A space beside one that is already there (`mot\u{a0} :`) is left alone.
        if prev_char.is_some_and(is_space_char) || next_char.is_some_and(is_space_char) {
            return None;
        }
        if prev_char != Some('\u{ab}')
            && !matches!(next_char, Some(':' | ';' | '!' | '?' | '\u{bb}'))
            && !prev_char.is_some_and(|c| c.is_ascii_digit())
        {
            return None;
        }
        // A `Str` may hold several words joined by no-break spaces.
        let next_word = next_str.map(|s| s.split(is_space_char).next().unwrap_or(s));
        let o = &self.opts;
        if prev_char == Some('\u{ab}') {
            return self.char_for(o.in_guillemets, Rule::AfterOpening);
        }
        let word = next_word?;
        match next_char? {
            '\u{bb}' => self.char_for(o.in_guillemets, Rule::BeforeClosing),
            ':' if !is_emoticon(word) && !word.starts_with("::") && !is_url_like(word) => {
                self.char_for(o.before_colon, Rule::Before(':'))
            }
            ';' if !is_emoticon(word) && !word.starts_with(";;") => {
                self.char_for(o.before_high, Rule::Before(';'))
            }
            // In a cluster (`? !`) only the first mark gets the space.
            c @ ('!' | '?') if !matches!(prev_char, Some('!' | '?')) && !is_emoticon(word) => {
                self.char_for(o.before_high, Rule::Before(c))
            }
            _ if is_unit(word) && prev_str.is_some_and(ends_with_number) => {
                self.char_for(o.number_unit, Rule::NumberUnit)
            }
            _ => None,
        }
    }

    /// The missing spaces to insert into the `Str` at `i` (`add-missing`):
    /// byte offsets, characters and rules.
    fn insertions(&self, ils: &[Inline], i: usize, s: &str) -> Vec<(usize, char, Rule)> {
        let mut out = Vec::new();
        if !s.contains([':', ';', '!', '?', '\u{ab}', '\u{bb}', '%', '\u{2030}', '€']) {
            return out;
        }
        let o = &self.opts;
        // The character before the word: that of the inline before, if it
        // touches it; an inline without text (code, math) counts as text.
        let before_word = (i > 0 && !is_break(&ils[i - 1])).then(|| {
            last_str(&ils[i - 1])
                .and_then(|t| t.chars().next_back())
                .unwrap_or('x')
        });
        let after_word = (i + 1 < ils.len() && !is_break(&ils[i + 1])).then(|| {
            first_str(&ils[i + 1])
                .and_then(|t| t.chars().next())
                .unwrap_or('x')
        });
        let chars: Vec<(usize, char)> = s.char_indices().collect();
        let prev_of = |k: usize| {
            if k > 0 {
                Some(chars[k - 1].1)
            } else {
                before_word
            }
        };
        let next_of = |k: usize| chars.get(k + 1).map(|&(_, c)| c).or(after_word);
        // The word (between spaces of any kind) around a byte offset.
        let word_at = |pos: usize| {
            let start = s[..pos]
                .rfind(is_space_char)
                .map_or(0, |i| i + s[i..].chars().next().map_or(1, char::len_utf8));
            let end = s[pos..].find(is_space_char).map_or(s.len(), |i| pos + i);
            (start, end)
        };
        for (k, &(pos, c)) in chars.iter().enumerate() {
            let (word_start, word_end) = word_at(pos);
            if is_url_like(&s[word_start..word_end]) {
                continue;
            }
            match c {
                ':' | ';' | '!' | '?' => {
                    let Some(prev) = prev_of(k) else { continue };
                    if is_space_char(prev)
                        || matches!(prev, '!' | '?' | ':' | ';' | '(' | '[' | '{' | '\u{ab}')
                        || is_emoticon(&s[pos..word_end])
                        || (c == ':' && is_drive_letter(&s[word_start..pos]))
                    {
                        continue;
                    }
                    let mut end = k + 1;
                    if matches!(c, '!' | '?') {
                        while end < chars.len() && matches!(chars[end].1, '!' | '?') {
                            end += 1;
                        }
                    }
                    // What follows the mark up to an ordinary space, no-break
                    // spaces left out: they may be ours, inserted before a `»`
                    // in this very pass, and must not change the decision.
                    let after_mark = &s[chars.get(end).map_or(s.len(), |&(p, _)| p)..];
                    let rest_len = after_mark
                        .find(|r: char| r.is_whitespace() && r != NBSP && r != NNBSP)
                        .unwrap_or(after_mark.len());
                    let mut rest = after_mark[..rest_len]
                        .chars()
                        .filter(|&r| r != NBSP && r != NNBSP);
                    if !rest.all(|r| CLOSING.contains(&r)) {
                        continue;
                    }
                    if rest_len == after_mark.len()
                        && after_mark.chars().all(|r| r == NBSP || r == NNBSP)
                        && after_word.is_some_and(|a| !is_space_char(a) && !CLOSING.contains(&a))
                    {
                        continue;
                    }
                    let kind = if c == ':' {
                        o.before_colon
                    } else {
                        o.before_high
                    };
                    if let Some(sp) = kind.char() {
                        out.push((pos, sp, Rule::Before(c)));
                    }
                }
                '\u{ab}' if next_of(k).is_some_and(|n| !is_space_char(n)) => {
                    if let Some(sp) = o.in_guillemets.char() {
                        out.push((pos + c.len_utf8(), sp, Rule::AfterOpening));
                    }
                }
                '\u{bb}' if prev_of(k).is_some_and(|p| !is_space_char(p) && p != '\u{ab}') => {
                    if let Some(sp) = o.in_guillemets.char() {
                        out.push((pos, sp, Rule::BeforeClosing));
                    }
                }
                '%' | '\u{2030}' | '€' => {
                    let number_before = if k > 0 {
                        ends_with_number(&s[..pos])
                    } else {
                        before_word.is_some()
                            && i > 0
                            && last_str(&ils[i - 1]).is_some_and(ends_with_number)
                    };
                    if number_before {
                        if let Some(sp) = o.number_unit.char() {
                            out.push((pos, sp, Rule::NumberUnit));
                        }
                    }
                }
                _ => {}
            }
        }
        out
    }

    fn problem(&mut self, message: String) {
        self.report.diagnostics.push(Diagnostic {
            severity: Severity::Problem,
            filter: FILTER,
            place: Some(self.place.clone()),
            message,
        });
    }

    fn problem_at_space(&mut self, ils: &[Inline], i: usize, c: char, rule: Rule) {
        let before = text_of(&ils[i.saturating_sub(6)..i]);
        let after = text_of(&ils[i + 1..(i + 7).min(ils.len())]);
        self.problem(format!(
            "plain space {} (expected {}): \"{} {}\"",
            rule.describe(),
            kind_name(c),
            clip(before.trim_start(), 25, true),
            clip(after.trim_end(), 25, false)
        ));
    }

    fn problem_in_str(
        &mut self,
        ils: &[Inline],
        i: usize,
        s: &str,
        pos: usize,
        c: char,
        rule: Rule,
    ) {
        let before = text_of(&ils[i.saturating_sub(6)..i]) + &s[..pos];
        let after = s[pos..].to_string() + &text_of(&ils[i + 1..(i + 7).min(ils.len())]);
        self.problem(format!(
            "missing space {} (expected {}): \"{}{}\"",
            rule.describe(),
            kind_name(c),
            clip(before.trim_start(), 25, true),
            clip(after.trim_end(), 25, false)
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(x: &str) -> Inline {
        Inline::Str(x.into())
    }

    /// `n` sentences `mot : « fin » ;` (ending with `Emph [fin] ?` every
    /// third one), separated by spaces, and what french-spacing makes of them.
    fn sentences(n: usize) -> (Vec<Inline>, Vec<Inline>) {
        let (mut input, mut expected) = (Vec::new(), Vec::new());
        for k in 0..n {
            if k > 0 {
                input.push(Inline::Space);
                expected.push(Inline::Space);
            }
            input.extend([s("mot"), Inline::Space, s(":"), Inline::Space, s("«")]);
            input.extend([Inline::Space, s("fin"), Inline::Space, s("»")]);
            expected.extend([s("mot\u{a0}:"), Inline::Space, s("«\u{202f}fin\u{202f}»")]);
            if k % 3 == 2 {
                input.extend([Inline::Space, Inline::Emph(vec![s("fin")])]);
                input.extend([Inline::Space, s("?")]);
                expected.extend([Inline::Space, Inline::Emph(vec![s("fin")])]);
                expected.push(s("\u{202f}?"));
            }
        }
        (input, expected)
    }

    #[test]
    fn merges_are_the_same_whether_few_or_many_runs() {
        for n in [1, 2, 3, 4, 5, 12, 40] {
            let (mut ils, expected) = sentences(n);
            Spacer::new(&SpacingOptions::default()).visit_inlines(&mut ils);
            assert_eq!(ils, expected, "{n} sentences");
        }
    }

    #[test]
    fn a_space_with_no_str_before_starts_a_str() {
        let mut ils = vec![
            Inline::Code(Box::default(), "x".into()),
            Inline::Space,
            s(":"),
            Inline::Space,
            s("a"),
        ];
        Spacer::new(&SpacingOptions::default()).visit_inlines(&mut ils);
        assert_eq!(
            ils,
            vec![
                Inline::Code(Box::default(), "x".into()),
                s("\u{a0}:"),
                Inline::Space,
                s("a")
            ]
        );
    }
}

//! The second pass: block IR to pandoc blocks, parsing inlines with every
//! reference, note and heading identifier known.

use std::collections::{HashMap, HashSet};

use ast::{Attr, Block, Caption, Cell, Error, Inline, Row, Table, TableBody, TableFoot, TableHead};

use crate::block::{CellIr, Collected, TableIr, B};
use crate::inline::{trim, InlineParser};
use crate::{Piece, StreamLimits};

pub(crate) struct Conv {
    pub refs: HashMap<String, (String, String, Attr)>,
    notes: HashMap<String, usize>,
    note_defs: Vec<Vec<B>>,
    /// Notes being expanded, so a note that refers to itself stays text.
    expanding: HashSet<String>,
    /// Implicit header references: normalized heading text to identifier.
    pub header_refs: HashMap<String, String>,
    pub note_counter: i64,
    /// While a note's content is converted: its number, which the
    /// citations in it take (pandoc counts notes and citations together).
    pub in_note: Option<i64>,
    /// While an inline note is read: its citations take the count as it
    /// is when each is read (a note reference inside advances it), and do
    /// not advance it.
    pub in_inline_note: bool,
    /// Where pandoc's last `str` in a chunk ended: depth, line, column
    /// (see `InlineParser::chunk`).
    pub(crate) chunk_str: Option<(u32, u32, u32)>,
    used_ids: HashSet<String>,
    /// Where each identifier's search for a free `-N` suffix stopped.
    id_suffixes: std::collections::HashMap<String, usize>,
    /// Example list labels and their numbers, for `@label` references.
    pub examples: HashMap<String, i64>,
    /// Example items reached so far in document order: a reference to a
    /// later one is read by pandoc as a citation first (it counts).
    pub examples_seen: i64,
    /// The ordinal of the example item that defined each label.
    pub example_ordinals: HashMap<String, i64>,
    /// While headings' identifiers are made: a later example's reference
    /// is still the citation pandoc read (`# Voir @ex` is `voir-ex`).
    pub ids_pass: bool,
    /// The extensions read.
    pub ext: crate::Extensions,
    /// `--abbreviations`: replaces pandoc's default list when given.
    pub abbreviations: Option<HashSet<String>>,
    /// `--strip-comments`: HTML comments are dropped.
    pub strip_comments: bool,
    /// TeX macros defined so far (`latex_macros`).
    pub macros: crate::tex_macros::Macros,
    /// The macros defined before each note definition already passed (by
    /// its index): pandoc reads a note's text there.
    note_macros: HashMap<usize, crate::tex_macros::Macros>,
}

impl Conv {
    pub(crate) fn new(col: Collected) -> Self {
        Conv {
            refs: col.refs,
            notes: col.notes,
            note_defs: col.note_defs,
            expanding: HashSet::new(),
            header_refs: HashMap::new(),
            note_counter: 0,
            in_note: None,
            in_inline_note: false,
            chunk_str: None,
            used_ids: HashSet::new(),
            id_suffixes: std::collections::HashMap::new(),
            examples: col.examples,
            examples_seen: 0,
            example_ordinals: col.example_ordinals,
            ids_pass: false,
            ext: col.ext,
            abbreviations: None,
            strip_comments: col.strip_comments,
            macros: crate::tex_macros::Macros::default(),
            note_macros: HashMap::new(),
        }
    }

    /// The `citationNoteNum` of a citation whose group was counted before
    /// it was read ([`count_citations`](Self::count_citations) first).
    pub(crate) fn note_num_counted(&self) -> i64 {
        self.in_note.unwrap_or(self.note_counter)
    }

    /// Counts a group of citations (not in a note, whose number they share).
    pub(crate) fn count_citations(&mut self) {
        if self.in_note.is_none() && !self.in_inline_note {
            self.note_counter += 1;
        }
    }

    /// Raw TeX as written, with `latex_macros` its definitions recorded
    /// and the macros defined before expanded in it.
    pub(crate) fn process_raw_tex(&mut self, tex: &str) -> String {
        if self.ext.latex_macros {
            self.macros.process_raw(tex)
        } else {
            tex.to_string()
        }
    }

    /// Runs `f` as pandoc's `parseFromString'` (a list item, a quote, a
    /// note, a cell): no word end before it, the one before it after it.
    fn isolated<T>(&mut self, f: impl FnOnce(&mut Self) -> T) -> T {
        let outer = self.chunk_str.take();
        let r = f(self);
        self.chunk_str = outer;
        r
    }

    fn isolated_blocks(&mut self, ir: Vec<B>) -> Vec<Block> {
        self.isolated(|c| c.blocks(ir))
    }

    pub(crate) fn inlines(&mut self, text: &str) -> Vec<Inline> {
        trim(InlineParser::new(text, self).parse())
    }

    /// The blocks of note `label`, converted (each reference gets its copy).
    pub(crate) fn take_note(&mut self, label: &str) -> Option<Vec<Block>> {
        // pandoc resolves no note reference inside a note: it stays text.
        if self.in_note.is_some() || self.expanding.contains(label) {
            return None;
        }
        // pandoc makes a heading's identifier with no note known: a note
        // reference counts as its text (`# Titre[^1]` is `titre1`).
        if self.ids_pass {
            return None;
        }
        let index = *self.notes.get(label)?;
        let ir = self.note_defs[index].clone();
        // pandoc reads the note's raw TeX where the note is defined: with
        // the macros defined before the definition (those defined since
        // when the definition is still to come), and what it defines
        // takes effect from the definition on, not here.
        let outer_macros = self
            .ext
            .latex_macros
            .then(|| match self.note_macros.get(&index) {
                Some(m) => std::mem::replace(&mut self.macros, m.clone()),
                None => self.macros.clone(),
            });
        self.note_counter += 1;
        // Its example items are reached at the definition, not here.
        let examples_seen = self.examples_seen;
        self.expanding.insert(label.to_string());
        let outer = self.in_note.replace(self.note_counter);
        let outer_inline = std::mem::replace(&mut self.in_inline_note, false);
        // pandoc reads the note where it is defined (usually further on):
        // what it counts there does not move the numbers here.
        let counted = self.note_counter;
        let blocks = self.isolated_blocks(ir);
        self.note_counter = counted;
        self.in_inline_note = outer_inline;
        self.in_note = outer;
        self.expanding.remove(label);
        self.examples_seen = examples_seen;
        if let Some(m) = outer_macros {
            self.macros = m;
        }
        Some(blocks)
    }

    /// Gives every heading its identifier, in document order, before the
    /// main pass, so that implicit header references can point forward.
    pub(crate) fn assign_ids(&mut self, blocks: &mut [B]) {
        for b in blocks.iter_mut() {
            match b {
                B::Header(_, attr, text) => {
                    let save = self.note_counter;
                    // pandoc makes the identifier before any reference is
                    // known: reference links count as their source text.
                    let refs = std::mem::take(&mut self.refs);
                    let header_refs = std::mem::take(&mut self.header_refs);
                    self.ids_pass = true;
                    let ils = self.isolated(|c| c.inlines(text));
                    self.ids_pass = false;
                    self.refs = refs;
                    self.header_refs = header_refs;
                    self.note_counter = save;
                    if attr.id.is_empty() {
                        let base = crate::ident::identifier(&ils);
                        attr.id =
                            crate::ident::unique(&base, &mut self.used_ids, &mut self.id_suffixes);
                    } else {
                        self.used_ids.insert(attr.id.clone());
                    }
                    // pandoc keys the heading by its source text, as a link label.
                    let key = crate::block::normalize_label(text);
                    self.header_refs
                        .entry(key)
                        .or_insert_with(|| attr.id.clone());
                }
                // Macros defined before a heading expand in its identifier;
                // the caller starts the main pass with none defined.
                B::Raw(f, t) if f.0 == "tex" => {
                    self.process_raw_tex(t);
                }
                B::Quote(bs) | B::Div(_, bs) => self.assign_ids(bs),
                // pandoc reads a note where it is defined: its headings
                // take their identifiers there, in document order.
                B::NoteDef(index, _) => {
                    if let Some(mut bs) = self.note_defs.get_mut(*index).map(std::mem::take) {
                        self.assign_ids(&mut bs);
                        self.note_defs[*index] = bs;
                    }
                }
                B::BList(items) => {
                    for it in items {
                        self.assign_ids(it);
                    }
                }
                B::OList(la, items) => {
                    let example = la.style == ast::ListNumberStyle::Example;
                    for it in items {
                        self.examples_seen += i64::from(example);
                        self.assign_ids(it);
                    }
                }
                B::DefList(items) => {
                    for (_, defs) in items {
                        for d in defs {
                            self.assign_ids(d);
                        }
                    }
                }
                // A grid table's cells hold blocks, headings among them.
                B::Table(t) => {
                    let TableIr {
                        head, rows, foot, ..
                    } = &mut **t;
                    for row in head.iter_mut().chain(rows).chain(foot) {
                        for cell in row {
                            if let CellIr::Spanned(bs, _, _) = cell {
                                self.assign_ids(bs);
                            }
                        }
                    }
                }
                _ => {}
            }
        }
    }

    pub(crate) fn blocks(&mut self, ir: Vec<B>) -> Vec<Block> {
        let mut out = Vec::with_capacity(ir.len());
        for b in ir {
            match b {
                B::NoteDef(ir, counts) => self.count_note_def(ir, counts),
                B::Counted(text) => {
                    let _ = self.inlines(&text);
                }
                b => out.push(self.block(b)),
            }
        }
        out
    }

    /// A note definition where it stands: pandoc reads it there, in its
    /// note state, so each note and note reference in it advances the
    /// count, and its citations do too once an inline note in it has
    /// ended (which leaves that state). What it reads is not kept here.
    fn count_note_def(&mut self, index: usize, counts: bool) {
        if !counts {
            // Its example items are reached here all the same.
            if let Some(ir) = self.note_defs.get(index) {
                self.examples_seen += example_items(ir);
            }
            return;
        }
        let Some(ir) = self.note_defs.get(index).cloned() else {
            return;
        };
        if self.ext.latex_macros {
            self.note_macros.insert(index, self.macros.clone());
        }
        let outer = self.in_note.take();
        let outer_inline = std::mem::replace(&mut self.in_inline_note, true);
        let _ = self.isolated_blocks(ir);
        self.in_inline_note = outer_inline;
        self.in_note = outer;
    }

    /// Converts a top-level block and hands it to `on_piece`: whole, or,
    /// when larger than `limits` allows, as the pieces of its JSON.
    pub(crate) fn top_block(
        &mut self,
        b: B,
        limits: &StreamLimits,
        on_piece: &mut dyn FnMut(Piece) -> Result<(), Error>,
    ) -> Result<(), Error> {
        if let B::NoteDef(ir, counts) = b {
            self.count_note_def(ir, counts);
            return Ok(());
        }
        if let B::Counted(text) = b {
            let _ = self.inlines(&text);
            return Ok(());
        }
        if ir_size(&b) <= limits.stream_above {
            return on_piece(Piece::Block(self.block(b)));
        }
        on_piece(Piece::StreamStart)?;
        self.stream_block(b, limits, on_piece)
    }

    /// Hands out the JSON of `b` in pieces: paragraphs a chunk of inlines
    /// at a time, block quotes, divs and lists a block at a time, other
    /// blocks whole. The order of conversion is [`Self::block`]'s.
    fn stream_block(
        &mut self,
        b: B,
        limits: &StreamLimits,
        on_piece: &mut dyn FnMut(Piece) -> Result<(), Error>,
    ) -> Result<(), Error> {
        let raw = |bytes: &[u8]| Piece::Raw(bytes.to_vec());
        match b {
            B::Para(t) => self.stream_para(&t, false, limits, on_piece),
            B::Plain(t) => self.stream_para(&t, true, limits, on_piece),
            B::Quote(bs) => {
                on_piece(raw(br#"{"t":"BlockQuote","c":["#))?;
                let outer = self.chunk_str.take();
                self.stream_blocks(bs, limits, on_piece)?;
                self.chunk_str = outer;
                on_piece(raw(b"]}"))
            }
            B::Div(attr, bs) => {
                let Some(open) = json_open(Block::Div(attr.clone(), Vec::new()), b"]]}") else {
                    return on_piece(Piece::Nested(self.block(B::Div(attr, bs))));
                };
                on_piece(Piece::Raw(open))?;
                self.stream_blocks(bs, limits, on_piece)?;
                on_piece(raw(b"]]}"))
            }
            B::BList(items) => {
                on_piece(raw(br#"{"t":"BulletList","c":["#))?;
                self.stream_items(items, limits, on_piece)?;
                on_piece(raw(b"]}"))
            }
            B::OList(la, items) => {
                let whole = la.style == ast::ListNumberStyle::Example;
                let open = json_open(Block::OrderedList(la, Vec::new()), b"]]}");
                let Some(open) = open.filter(|_| !whole) else {
                    return on_piece(Piece::Nested(self.block(B::OList(la, items))));
                };
                on_piece(Piece::Raw(open))?;
                self.stream_items(items, limits, on_piece)?;
                on_piece(raw(b"]]}"))
            }
            b => on_piece(Piece::Nested(self.block(b))),
        }
    }

    /// Blocks separated by commas, each streamed when large.
    fn stream_blocks(
        &mut self,
        bs: Vec<B>,
        limits: &StreamLimits,
        on_piece: &mut dyn FnMut(Piece) -> Result<(), Error>,
    ) -> Result<(), Error> {
        let mut first = true;
        for b in bs {
            if let B::NoteDef(ir, counts) = b {
                self.count_note_def(ir, counts);
                continue;
            }
            if let B::Counted(text) = b {
                let _ = self.inlines(&text);
                continue;
            }
            if !first {
                on_piece(Piece::Raw(b",".to_vec()))?;
            }
            first = false;
            if ir_size(&b) > limits.stream_above {
                self.stream_block(b, limits, on_piece)?;
            } else {
                on_piece(Piece::Nested(self.block(b)))?;
            }
        }
        Ok(())
    }

    /// List items: each an array of blocks, separated by commas.
    fn stream_items(
        &mut self,
        items: Vec<Vec<B>>,
        limits: &StreamLimits,
        on_piece: &mut dyn FnMut(Piece) -> Result<(), Error>,
    ) -> Result<(), Error> {
        for (k, item) in items.into_iter().enumerate() {
            on_piece(Piece::Raw(if k > 0 {
                b",[".to_vec()
            } else {
                b"[".to_vec()
            }))?;
            let outer = self.chunk_str.take();
            self.stream_blocks(item, limits, on_piece)?;
            self.chunk_str = outer;
            on_piece(Piece::Raw(b"]".to_vec()))?;
        }
        Ok(())
    }

    /// A paragraph of more than `limits.para_chunk` inlines in chunks,
    /// otherwise whole.
    fn stream_para(
        &mut self,
        text: &str,
        plain: bool,
        limits: &StreamLimits,
        on_piece: &mut dyn FnMut(Piece) -> Result<(), Error>,
    ) -> Result<(), Error> {
        let mut started = false;
        let chunked =
            InlineParser::new(text, self).parse_chunked(limits.para_chunk, &mut |chunk| {
                let before: &[u8] = match (started, plain) {
                    (true, _) => b",",
                    (false, true) => br#"{"t":"Plain","c":["#,
                    (false, false) => br#"{"t":"Para","c":["#,
                };
                started = true;
                on_piece(Piece::Raw(before.to_vec()))?;
                on_piece(Piece::Inlines(chunk))
            })?;
        match chunked {
            None => on_piece(Piece::Raw(b"]}".to_vec())),
            Some(ils) if plain => on_piece(Piece::Nested(plain_or_figure(
                ils,
                self.ext.implicit_figures,
            ))),
            Some(ils) => on_piece(Piece::Nested(para_or_figure(
                ils,
                self.ext.implicit_figures,
            ))),
        }
    }

    pub(crate) fn block(&mut self, b: B) -> Block {
        match b {
            B::Plain(t) => {
                let ils = self.inlines(&t);
                plain_or_figure(ils, self.ext.implicit_figures)
            }
            B::Para(t) => {
                let ils = self.inlines(&t);
                para_or_figure(ils, self.ext.implicit_figures)
            }
            B::LineBlock(lines) => {
                Block::LineBlock(lines.iter().map(|l| self.inlines_keep_lead(l)).collect())
            }
            B::Code(a, t) => Block::CodeBlock(a, t),
            B::Raw(f, t) if f.0 == "tex" => {
                // An expansion may end in a space (`\\egroup `): a raw
                // block is trimmed after it, as pandoc's is.
                let mut t = self.process_raw_tex(&t);
                t.truncate(t.trim_end().len());
                Block::RawBlock(f, t)
            }
            B::Raw(f, t) => Block::RawBlock(f, t),
            B::Quote(bs) => Block::BlockQuote(self.isolated_blocks(bs)),
            B::OList(la, items) => {
                let example = la.style == ast::ListNumberStyle::Example;
                let items = items
                    .into_iter()
                    .map(|i| {
                        // Each item's number was taken at its marker.
                        self.examples_seen += i64::from(example);
                        self.isolated_blocks(i)
                    })
                    .collect();
                Block::OrderedList(la, items)
            }
            B::BList(items) => {
                Block::BulletList(items.into_iter().map(|i| self.isolated_blocks(i)).collect())
            }
            B::DefList(items) => Block::DefinitionList(
                items
                    .into_iter()
                    .map(|(term, defs)| {
                        let t = self.isolated(|c| c.inlines(&term));
                        (
                            t,
                            defs.into_iter().map(|d| self.isolated_blocks(d)).collect(),
                        )
                    })
                    .collect(),
            ),
            B::Header(level, attr, text) => Block::Header(level, attr, self.inlines(&text)),
            B::HRule => Block::HorizontalRule,
            // Callers take definitions out ([`Self::blocks`]); one reaching
            // here is counted all the same and leaves an empty block.
            B::NoteDef(ir, counts) => {
                self.count_note_def(ir, counts);
                Block::Plain(Vec::new())
            }
            B::Counted(text) => {
                let _ = self.inlines(&text);
                Block::Plain(Vec::new())
            }
            B::Div(a, bs) => Block::Div(a, self.blocks(bs)),
            B::Table(t) => {
                let t = *t;
                let mut caption_text = t.caption;
                let caption = |text: Option<(String, Attr)>, conv: &mut Conv| match text {
                    Some((text, attr)) => {
                        let ils = conv.inlines(&text);
                        (
                            Caption(
                                None,
                                if ils.is_empty() {
                                    vec![]
                                } else {
                                    vec![Block::Plain(ils)]
                                },
                            ),
                            attr,
                        )
                    }
                    None => (Caption(None, vec![]), Attr::default()),
                };
                let row = |cells: Vec<CellIr>, conv: &mut Conv| -> Row {
                    Row(
                        Attr::default(),
                        cells
                            .into_iter()
                            .map(|c| {
                                let (bs, rowspan, colspan) = match c {
                                    CellIr::Inlines(t) => {
                                        let ils = conv.isolated(|c| c.inlines(&t));
                                        if ils.is_empty() {
                                            (vec![], 1, 1)
                                        } else {
                                            (vec![Block::Plain(ils)], 1, 1)
                                        }
                                    }
                                    CellIr::Spanned(bs, r, c) => (conv.isolated_blocks(bs), r, c),
                                };
                                Cell(
                                    Attr::default(),
                                    ast::Alignment::AlignDefault,
                                    rowspan,
                                    colspan,
                                    bs,
                                )
                            })
                            .collect(),
                    )
                };
                // Read in the order of the text, for citation numbers.
                let mut before = None;
                if !t.caption_after {
                    before = Some(caption(caption_text.take(), self));
                }
                let head: Vec<Row> = t.head.into_iter().map(|r| row(r, self)).collect();
                let rows: Vec<Row> = t.rows.into_iter().map(|r| row(r, self)).collect();
                let foot: Vec<Row> = t.foot.into_iter().map(|r| row(r, self)).collect();
                let (caption, attr) = match before {
                    Some(c) => c,
                    None => caption(caption_text, self),
                };
                Block::Table(Box::new(Table {
                    attr,
                    caption,
                    colspecs: t.colspecs,
                    head: TableHead(Attr::default(), head),
                    bodies: vec![TableBody(Attr::default(), 0, vec![], rows)],
                    foot: TableFoot(Attr::default(), foot),
                }))
            }
        }
    }

    /// A line of a line block: leading no-break spaces are kept.
    fn inlines_keep_lead(&mut self, t: &str) -> Vec<Inline> {
        InlineParser::new(t, self).parse()
    }
}

/// Bytes of Markdown text in a block, to tell the large ones.
fn ir_size(b: &B) -> usize {
    let blocks = |bs: &[B]| bs.iter().map(ir_size).sum::<usize>();
    match b {
        B::Plain(t) | B::Para(t) | B::Code(_, t) | B::Raw(_, t) | B::Header(_, _, t) => t.len(),
        B::LineBlock(lines) => lines.iter().map(String::len).sum(),
        B::Quote(bs) | B::Div(_, bs) => blocks(bs),
        B::BList(items) | B::OList(_, items) => items.iter().map(|i| blocks(i)).sum(),
        B::DefList(items) => items
            .iter()
            .map(|(term, defs)| term.len() + defs.iter().map(|d| blocks(d)).sum::<usize>())
            .sum(),
        B::HRule | B::NoteDef(..) => 0,
        B::Counted(text) => text.len(),
        B::Table(t) => t
            .head
            .iter()
            .chain(&t.rows)
            .chain(&t.foot)
            .flatten()
            .map(|c| match c {
                CellIr::Inlines(s) => s.len(),
                CellIr::Spanned(bs, _, _) => blocks(bs),
            })
            .sum(),
    }
}

/// The JSON of `block` (a container with no content) without its closing
/// `close`: what comes before its content.
fn json_open(block: Block, close: &[u8]) -> Option<Vec<u8>> {
    let json = crate::json_stream::block_json(block);
    json.strip_suffix(close).map(<[u8]>::to_vec)
}

/// A paragraph, or (under `implicit_figures`) an implicit figure when it
/// is an image alone with a caption.
fn para_or_figure(ils: Vec<Inline>, implicit_figures: bool) -> Block {
    if let [Inline::Image(_, alt, _)] = &ils[..] {
        if implicit_figures && !alt.is_empty() {
            return implicit_figure(ils);
        }
    }
    Block::Para(ils)
}

/// A `Plain`, or an implicit figure: pandoc reads a tight list item's
/// image alone as a paragraph, a figure, before the item is made tight.
fn plain_or_figure(ils: Vec<Inline>, implicit_figures: bool) -> Block {
    match para_or_figure(ils, implicit_figures) {
        Block::Para(ils) => Block::Plain(ils),
        figure => figure,
    }
}

/// pandoc 3's implicit figure: the image's identifier goes to the figure,
/// and so does a `latex-placement` attribute (pandoc 3.9: the float's
/// placement is the figure's).
fn implicit_figure(mut ils: Vec<Inline>) -> Block {
    let Some(Inline::Image(mut attr, alt, target)) = ils.pop() else {
        return Block::Para(ils);
    };
    let id = std::mem::take(&mut attr.id);
    let (mut attributes, kept): (Vec<_>, Vec<_>) = std::mem::take(&mut attr.attributes)
        .into_iter()
        .partition(|(k, _)| k == "latex-placement");
    // The first one; the image keeps none.
    attributes.truncate(1);
    // An `alt` attribute is the image's description in the figure (the
    // first one, as text), the caption stays.
    let (alts, kept): (Vec<_>, Vec<_>) = kept.into_iter().partition(|(k, _)| k == "alt");
    attr.attributes = kept;
    let image_alt = match alts.into_iter().next() {
        Some((_, text)) => plain_text_inlines(&text),
        None => alt.clone(),
    };
    Block::Figure(
        Attr {
            id,
            attributes,
            ..Attr::default()
        },
        Caption(None, vec![Block::Plain(alt.clone())]),
        vec![Block::Plain(vec![Inline::Image(attr, image_alt, target)])],
    )
}

/// pandoc's `Builder.text`: words as `Str`, white space between them as
/// `Space` (`SoftBreak` when it holds a line end).
fn plain_text_inlines(text: &str) -> Vec<Inline> {
    let mut out = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let ws = rest.len() - rest.trim_start_matches([' ', '\t', '\n', '\r']).len();
        if ws > 0 {
            out.push(if rest[..ws].contains('\n') {
                Inline::SoftBreak
            } else {
                Inline::Space
            });
            rest = &rest[ws..];
            continue;
        }
        let w = rest.find([' ', '\t', '\n', '\r']).unwrap_or(rest.len());
        out.push(Inline::Str(rest[..w].to_string()));
        rest = &rest[w..];
    }
    out
}

/// Puts a pandoc title block's fields in `meta` (`title`, `author` as a
/// list, `date`), as pandoc does before reading YAML blocks.
pub(crate) fn title_block_meta(
    tb: crate::block::TitleBlock,
    conv: &mut Conv,
    meta: &mut ast::Meta,
) {
    use ast::MetaValue;
    if let Some(t) = tb.title {
        meta.insert("title".into(), MetaValue::MetaInlines(conv.inlines(&t)));
    }
    if let Some(authors) = tb.authors {
        let list = authors
            .iter()
            .map(|a| MetaValue::MetaInlines(conv.inlines(a)))
            .collect();
        meta.insert("author".into(), MetaValue::MetaList(list));
    }
    if let Some(d) = tb.date {
        meta.insert("date".into(), MetaValue::MetaInlines(conv.inlines(&d)));
    }
}

/// pandoc's `--shift-heading-level-by`: headings at the very start that
/// the shift brings to level 0 become the title (the last one wins); any
/// other heading brought to level 0 or below is a paragraph.
pub(crate) fn shift_headings(blocks: &mut Vec<B>, by: i64, conv: &mut Conv, meta: &mut ast::Meta) {
    if by < 0 {
        // Note definitions before are no blocks: they stay, to be counted.
        let mut k = 0;
        loop {
            match blocks.get(k) {
                Some(B::NoteDef(..) | B::Counted(..)) => k += 1,
                Some(B::Header(level, _, text)) if level + by == 0 => {
                    let title = conv.inlines(text);
                    meta.insert("title".into(), ast::MetaValue::MetaInlines(title));
                    blocks.remove(k);
                }
                _ => break,
            }
        }
    }
    shift_in(blocks, by);
}

fn shift_in(blocks: &mut [B], by: i64) {
    for b in blocks.iter_mut() {
        match b {
            B::Header(level, _, text) => {
                if *level + by > 0 {
                    *level += by;
                } else {
                    *b = B::Para(std::mem::take(text));
                }
            }
            B::Quote(bs) | B::Div(_, bs) => shift_in(bs, by),
            B::BList(items) | B::OList(_, items) => {
                for it in items {
                    shift_in(it, by);
                }
            }
            B::DefList(items) => {
                for (_, defs) in items {
                    for d in defs {
                        shift_in(d, by);
                    }
                }
            }
            _ => {}
        }
    }
}

/// How many example list items `ir` holds, at any depth.
fn example_items(ir: &[B]) -> i64 {
    ir.iter()
        .map(|b| match b {
            B::Quote(bs) | B::Div(_, bs) => example_items(bs),
            B::BList(items) => items.iter().map(|i| example_items(i)).sum(),
            B::OList(la, items) => {
                let own = if la.style == ast::ListNumberStyle::Example {
                    items.len() as i64
                } else {
                    0
                };
                own + items.iter().map(|i| example_items(i)).sum::<i64>()
            }
            B::DefList(items) => items
                .iter()
                .flat_map(|(_, defs)| defs)
                .map(|d| example_items(d))
                .sum(),
            B::Table(t) => t
                .head
                .iter()
                .chain(&t.rows)
                .chain(&t.foot)
                .flatten()
                .map(|cell| match cell {
                    CellIr::Spanned(bs, _, _) => example_items(bs),
                    _ => 0,
                })
                .sum(),
            _ => 0,
        })
        .sum()
}

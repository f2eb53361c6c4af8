//! The second pass: block IR to pandoc blocks, parsing inlines with every
//! reference, note and heading identifier known.

use std::collections::{HashMap, HashSet};

use ast::{Attr, Block, Caption, Cell, Error, Inline, Row, Table, TableBody, TableFoot, TableHead};

use crate::block::{CellIr, Collected, B};
use crate::inline::{trim, InlineParser};
use crate::Piece;

pub(crate) struct Conv {
    pub refs: HashMap<String, (String, String, Attr)>,
    notes: HashMap<String, Vec<B>>,
    /// Notes being expanded, so a note that refers to itself stays text.
    expanding: HashSet<String>,
    /// Implicit header references: normalized heading text to identifier.
    pub header_refs: HashMap<String, String>,
    pub note_counter: i64,
    used_ids: HashSet<String>,
    /// Example list labels and their numbers, for `@label` references.
    pub examples: HashMap<String, i64>,
    note_order: HashMap<String, usize>,
    /// While identifiers are computed: only notes defined before the heading resolve.
    notes_visible: usize,
}

impl Conv {
    pub(crate) fn new(col: Collected) -> Self {
        Conv {
            refs: col.refs,
            notes: col.notes,
            expanding: HashSet::new(),
            header_refs: HashMap::new(),
            note_counter: 0,
            used_ids: HashSet::new(),
            examples: col.examples,
            note_order: col.note_order,
            notes_visible: usize::MAX,
        }
    }

    pub(crate) fn inlines(&mut self, text: &str) -> Vec<Inline> {
        trim(InlineParser::new(text, self).parse())
    }

    /// The blocks of note `label`, converted (each reference gets its copy).
    pub(crate) fn take_note(&mut self, label: &str) -> Option<Vec<Block>> {
        if self.expanding.contains(label) {
            return None;
        }
        if self
            .note_order
            .get(label)
            .is_some_and(|&o| o >= self.notes_visible)
        {
            return None;
        }
        let ir = self.notes.get(label)?.clone();
        self.note_counter += 1;
        self.expanding.insert(label.to_string());
        let blocks = self.blocks(ir);
        self.expanding.remove(label);
        Some(blocks)
    }

    /// Gives every heading its identifier, in document order, before the
    /// main pass, so that implicit header references can point forward.
    pub(crate) fn assign_ids(&mut self, blocks: &mut [B]) {
        for b in blocks.iter_mut() {
            match b {
                B::Header(_, attr, text, notes_known) => {
                    let save = self.note_counter;
                    self.notes_visible = *notes_known;
                    let ils = self.inlines(text);
                    self.notes_visible = usize::MAX;
                    self.note_counter = save;
                    if attr.id.is_empty() {
                        let base = crate::ident::identifier(&ils);
                        attr.id = crate::ident::unique(&base, &mut self.used_ids);
                    } else {
                        self.used_ids.insert(attr.id.clone());
                    }
                    let key = crate::block::normalize_label(&ast::stringify(&ils));
                    self.header_refs
                        .entry(key)
                        .or_insert_with(|| attr.id.clone());
                }
                B::Quote(bs) | B::Div(_, bs) => self.assign_ids(bs),
                B::BList(items) | B::OList(_, items) => {
                    for it in items {
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
                _ => {}
            }
        }
    }

    pub(crate) fn blocks(&mut self, ir: Vec<B>) -> Vec<Block> {
        let mut out = Vec::with_capacity(ir.len());
        for b in ir {
            out.push(self.block(b));
        }
        out
    }

    /// Converts a top-level block and hands it to `on_piece`; a paragraph
    /// of more than `para_chunk` inlines goes a chunk at a time.
    pub(crate) fn top_block(
        &mut self,
        b: B,
        para_chunk: usize,
        on_piece: &mut dyn FnMut(Piece) -> Result<(), Error>,
    ) -> Result<(), Error> {
        let (text, plain) = match b {
            B::Para(t) => (t, false),
            B::Plain(t) => (t, true),
            b => return on_piece(Piece::Block(self.block(b))),
        };
        let mut started = false;
        let whole = InlineParser::new(&text, self).parse_chunked(para_chunk, &mut |chunk| {
            if !started {
                started = true;
                on_piece(Piece::ParaStart { plain })?;
            }
            on_piece(Piece::Inlines(chunk))
        })?;
        match whole {
            None => on_piece(Piece::ParaEnd),
            Some(ils) if plain => on_piece(Piece::Block(Block::Plain(ils))),
            Some(ils) => on_piece(Piece::Block(para_or_figure(ils))),
        }
    }

    pub(crate) fn block(&mut self, b: B) -> Block {
        match b {
            B::Plain(t) => Block::Plain(self.inlines(&t)),
            B::Para(t) => para_or_figure(self.inlines(&t)),
            B::LineBlock(lines) => {
                Block::LineBlock(lines.iter().map(|l| self.inlines_keep_lead(l)).collect())
            }
            B::Code(a, t) => Block::CodeBlock(a, t),
            B::Raw(f, t) => Block::RawBlock(f, t),
            B::Quote(bs) => Block::BlockQuote(self.blocks(bs)),
            B::OList(la, items) => {
                Block::OrderedList(la, items.into_iter().map(|i| self.blocks(i)).collect())
            }
            B::BList(items) => {
                Block::BulletList(items.into_iter().map(|i| self.blocks(i)).collect())
            }
            B::DefList(items) => Block::DefinitionList(
                items
                    .into_iter()
                    .map(|(term, defs)| {
                        let t = self.inlines(&term);
                        (t, defs.into_iter().map(|d| self.blocks(d)).collect())
                    })
                    .collect(),
            ),
            B::Header(level, attr, text, _) => Block::Header(level, attr, self.inlines(&text)),
            B::HRule => Block::HorizontalRule,
            B::Div(a, bs) => Block::Div(a, self.blocks(bs)),
            B::Table(t) => {
                let t = *t;
                let (caption, attr) = match t.caption {
                    Some((text, attr)) => {
                        let ils = self.inlines(&text);
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
                                let bs = match c {
                                    CellIr::Inlines(t) => {
                                        let ils = conv.inlines(&t);
                                        if ils.is_empty() {
                                            vec![]
                                        } else {
                                            vec![Block::Plain(ils)]
                                        }
                                    }
                                    CellIr::Blocks(bs) => conv.blocks(bs),
                                };
                                Cell(Attr::default(), ast::Alignment::AlignDefault, 1, 1, bs)
                            })
                            .collect(),
                    )
                };
                let head: Vec<Row> = t.head.into_iter().map(|r| row(r, self)).collect();
                let rows: Vec<Row> = t.rows.into_iter().map(|r| row(r, self)).collect();
                Block::Table(Box::new(Table {
                    attr,
                    caption,
                    colspecs: t.colspecs,
                    head: TableHead(Attr::default(), head),
                    bodies: vec![TableBody(Attr::default(), 0, vec![], rows)],
                    foot: TableFoot(Attr::default(), vec![]),
                }))
            }
        }
    }

    /// A line of a line block: leading no-break spaces are kept.
    fn inlines_keep_lead(&mut self, t: &str) -> Vec<Inline> {
        InlineParser::new(t, self).parse()
    }
}

/// A paragraph, or an implicit figure when it is an image alone with a caption.
fn para_or_figure(ils: Vec<Inline>) -> Block {
    if let [Inline::Image(_, alt, _)] = &ils[..] {
        if !alt.is_empty() {
            return implicit_figure(ils);
        }
    }
    Block::Para(ils)
}

/// pandoc 3's implicit figure: the image's identifier goes to the figure.
fn implicit_figure(mut ils: Vec<Inline>) -> Block {
    let Some(Inline::Image(mut attr, alt, target)) = ils.pop() else {
        return Block::Para(ils);
    };
    let id = std::mem::take(&mut attr.id);
    Block::Figure(
        Attr {
            id,
            ..Attr::default()
        },
        Caption(None, vec![Block::Plain(alt.clone())]),
        vec![Block::Plain(vec![Inline::Image(attr, alt, target)])],
    )
}

//! `--sourcepos`: positions kept in the AST with pandoc's
//! `commonmark+sourcepos` convention. On every fixture and the canonical
//! document: taking the positions out gives the document read without
//! them (the option adds, never changes), and each `Str` with a position
//! is found at that position in its source, as the reader makes it.

use std::path::{Path, PathBuf};

use ast::sourcepos::{
    data_pos, find_word, is_wrapper, match_source, LineIndex, SourcePos, DATA_POS,
};
use ast::{Attr, Block, Inline, MetaValue, MutVisitor, Pandoc, Walkable};

fn read(sources: &[md2ast::Source], sourcepos: bool) -> Pandoc {
    let options = md2ast::ReadOptions {
        sourcepos,
        ..md2ast::ReadOptions::default()
    };
    md2ast::read_sources(sources, &options).expect("reads")
}

/// Takes the wrappers and `data-pos` attributes out, and counts the
/// positioned `Str` nodes found where their position says (and those not).
struct Strip<'a> {
    sources: &'a [md2ast::Source],
    lines: Vec<LineIndex>,
    found: usize,
    misplaced: Vec<String>,
}

impl Strip<'_> {
    fn check_str(&mut self, pos: &str, text: &str) {
        let Some(p) = SourcePos::parse(pos) else {
            self.misplaced
                .push(format!("{text:?}: bad data-pos {pos:?}"));
            return;
        };
        let Some(i) = self
            .sources
            .iter()
            .position(|s| s.path == Path::new(&p.path))
        else {
            self.misplaced
                .push(format!("{text:?}: unknown file {}", p.path));
            return;
        };
        let src = &self.sources[i].text;
        let (Some(start), Some(end)) = (
            self.lines[i].offset(src, p.start),
            self.lines[i].offset(src, p.end),
        ) else {
            self.misplaced
                .push(format!("{text:?}: {pos} is not in the file"));
            return;
        };
        match match_source(src, start, text, |_, _| {}) {
            Some(e) if e == end => self.found += 1,
            _ => self.misplaced.push(format!(
                "{text:?} at {pos}: {:?}",
                src.get(start..end.max(start)).unwrap_or("")
            )),
        }
    }

    /// A run of words and spaces: it starts with a word and ends with one,
    /// and each word is found in turn within it.
    fn check_run(&mut self, pos: &str, run: &[Inline]) {
        let (Some(Inline::Str(_)), Some(Inline::Str(_))) = (run.first(), run.last()) else {
            self.misplaced
                .push(format!("{pos}: a run not between words: {run:?}"));
            return;
        };
        let Some(p) = SourcePos::parse(pos) else {
            self.misplaced.push(format!("bad data-pos {pos:?}"));
            return;
        };
        let Some(i) = self
            .sources
            .iter()
            .position(|s| s.path == Path::new(&p.path))
        else {
            self.misplaced.push(format!("unknown file {}", p.path));
            return;
        };
        let src = &self.sources[i].text;
        let (Some(mut at), Some(end)) = (
            self.lines[i].offset(src, p.start),
            self.lines[i].offset(src, p.end),
        ) else {
            self.misplaced.push(format!("{pos} is not in the file"));
            return;
        };
        for il in run {
            match il {
                Inline::Str(s) => match find_word(src, at, end, s) {
                    Some((_, e)) => {
                        self.found += 1;
                        at = e;
                    }
                    None => self
                        .misplaced
                        .push(format!("{s:?} not in the run at {pos}")),
                },
                Inline::Space | Inline::SoftBreak => {}
                other => self
                    .misplaced
                    .push(format!("{other:?} in the run at {pos}")),
            }
        }
        if at != end {
            self.misplaced
                .push(format!("the run at {pos} does not end with its last word"));
        }
    }

    fn strip_attr(attr: &mut Attr) {
        attr.attributes.retain(|(k, _)| k != DATA_POS);
    }
}

impl MutVisitor for Strip<'_> {
    fn visit_inlines(&mut self, ils: &mut Vec<Inline>) {
        let old = std::mem::take(ils);
        for mut il in old {
            if let Inline::Span(attr, c) = &mut il {
                if is_wrapper(attr) {
                    let pos = data_pos(attr).unwrap_or_default().to_string();
                    let inner = std::mem::take(c);
                    if let [Inline::Str(s)] = inner.as_slice() {
                        self.check_str(&pos, s);
                    } else if inner.len() > 1 {
                        self.check_run(&pos, &inner);
                    }
                    ils.extend(inner);
                    continue;
                }
            }
            match &mut il {
                Inline::Code(a, _)
                | Inline::Link(a, ..)
                | Inline::Image(a, ..)
                | Inline::Span(a, _) => Self::strip_attr(a),
                _ => {}
            }
            ils.push(il);
        }
    }

    fn visit_blocks(&mut self, bs: &mut Vec<Block>) {
        for b in bs.iter_mut() {
            if let Block::Div(attr, inner) = b {
                if is_wrapper(attr) && inner.len() == 1 {
                    *b = inner.pop().expect("one");
                }
            }
            match b {
                Block::Header(_, a, _)
                | Block::CodeBlock(a, _)
                | Block::Div(a, _)
                | Block::Figure(a, ..) => Self::strip_attr(a),
                Block::Table(t) => Self::strip_attr(&mut t.attr),
                _ => {}
            }
        }
    }
}

/// Reads `sources` with and without positions: the same document once the
/// positions are out; returns how many `Str` were placed, and the misplaced.
fn compare(sources: &[md2ast::Source]) -> (usize, usize, Vec<String>) {
    let plain = read(sources, false);
    let mut positioned = read(sources, true);
    // md2ast places top-level blocks; their words are placed from there.
    ast::sourcepos::place_words(&mut positioned, |path| {
        sources
            .iter()
            .find(|s| s.path == Path::new(path))
            .map(|s| s.text.clone())
    });
    let mut strip = Strip {
        sources,
        lines: sources.iter().map(|s| LineIndex::new(&s.text)).collect(),
        found: 0,
        misplaced: Vec::new(),
    };
    // The walk is bottom-up: wrappers inside are taken out first.
    for value in positioned.meta.values_mut() {
        value.walk_mut(&mut strip);
        if let MetaValue::MetaInlines(ils) = value {
            strip.visit_inlines(ils);
        }
        if let MetaValue::MetaBlocks(bs) = value {
            strip.visit_blocks(bs);
        }
    }
    positioned.blocks.walk_mut(&mut strip);
    strip.visit_blocks(&mut positioned.blocks);
    assert_eq!(
        ast::to_json_string(&positioned),
        ast::to_json_string(&plain),
        "{:?}: positions taken out, the document differs",
        sources.iter().map(|s| &s.path).collect::<Vec<_>>()
    );
    // Every `Str` of the document, less those placed.
    let mut all = 0;
    ast::query_inlines(&plain, |il: &Inline| {
        all += usize::from(matches!(il, Inline::Str(_)))
    });
    (strip.found, all - strip.found, strip.misplaced)
}

fn source(path: PathBuf) -> md2ast::Source {
    let text = std::fs::read_to_string(&path).expect("read");
    md2ast::Source { path, text }
}

#[test]
fn positions_add_to_the_document_and_point_at_its_text() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut paths: Vec<PathBuf> = std::fs::read_dir(root.join("tests/fixtures"))
        .expect("fixtures")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    paths.sort();
    paths.push(root.join("../tests/fixtures/canonical/canonical.md"));
    let (mut found, mut unplaced, mut misplaced) = (0, Vec::new(), Vec::new());
    let mut unplaced_count = 0;
    for p in paths {
        let (f, u, m) = compare(&[source(p.clone())]);
        found += f;
        unplaced_count += u;
        if u > 0 {
            unplaced.push(format!("{}: {u}", p.display()));
        }
        misplaced.extend(m.into_iter().map(|m| format!("{}: {m}", p.display())));
    }
    // Fixtures are made of hard cases: a few `Str` the reader makes up
    // (example numbers, citations) or that are too far from the text
    // before them have no position.
    assert!(found > 3_000, "{found} Str placed");
    eprintln!("{found} Str placed, {unplaced_count} not");
    assert!(
        unplaced_count * 50 < found,
        "{found} Str placed, {unplaced_count} not:\n{}",
        unplaced.join("\n")
    );
    assert!(
        misplaced.is_empty(),
        "{} misplaced:\n{}",
        misplaced.len(),
        misplaced.join("\n")
    );
}

#[test]
fn several_files_are_named_in_their_positions() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../content");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("content")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    paths.sort();
    let sources: Vec<md2ast::Source> = paths.into_iter().map(source).collect();
    let (found, unplaced, misplaced) = compare(&sources);
    assert!(found > 5_000, "{found} Str placed");
    assert_eq!(unplaced, 0, "Str without a position");
    assert!(misplaced.is_empty(), "{}", misplaced.join("\n"));
}

#[test]
fn positions_follow_pandocs_convention() {
    let sources = [md2ast::Source {
        path: "a.md".into(),
        text: "---\ntitle: Le *titre*\n---\n\n# Titre {#t}\n\nUn **mot** :\n`code` [lien](#t).\n"
            .into(),
    }];
    let doc = read(&sources, true);
    insta::assert_snapshot!(ast::to_json_string(&doc));
}

/// Every block gets a position, nested ones too (a list item's, a quote's,
/// a note's, a table cell's, a definition's), pointing at its text.
#[test]
fn every_block_is_placed_nested_ones_too() {
    let text = "- Un : deux\n    - Sous ; élément\n\n  > Cité ! dans\n  > l'item\n\n\
                > Une\n>\n> > imbriquée\n\nNote[^n] et ^[en ligne].\n\n\
                [^n]: La note.\n\n    Suite.\n\n| a | b |\n|---|---|\n| c : | d |\n\n\
                Terme\n:   Défini ; là.\n\n::: x\nDans\n:::\n";
    let sources = [md2ast::Source {
        path: "n.md".into(),
        text: text.into(),
    }];
    let plain = read(&sources, false);
    let doc = read(&sources, true);
    let mut blocks = 0;
    ast::query_blocks(&plain, |_: &Block| blocks += 1);
    // Each block, wrapper or not, and its position.
    let mut placed = Vec::new();
    ast::query_blocks(&doc, |b: &Block| {
        let pos = match b {
            Block::Div(a, inner) if is_wrapper(a) && inner.len() == 1 => Some((
                format!("{:?}", std::mem::discriminant(&inner[0])),
                data_pos(a),
            )),
            Block::Header(_, a, _) | Block::CodeBlock(a, _) | Block::Div(a, _) => {
                Some(("attr".into(), data_pos(a)))
            }
            Block::Table(t) => Some(("table".into(), data_pos(&t.attr))),
            _ => None,
        };
        if let Some((_, Some(p))) = pos {
            placed.push(p.to_string());
        }
    });
    assert_eq!(placed.len(), blocks, "{placed:#?}");
    let lines = LineIndex::new(text);
    // Each position starts at its block's text: a word, a list or quote
    // mark (the first block inside it starts there too), a table's row.
    let starts: Vec<String> = placed
        .iter()
        .map(|p| {
            let p = SourcePos::parse(p).expect("a position");
            let at = lines.offset(text, p.start).expect("in the text");
            let end = lines.offset(text, p.end).expect("in the text");
            let shown: String = text[at..end].chars().take(12).collect();
            format!("{p}: {shown:?}")
        })
        .collect();
    insta::assert_snapshot!(starts.join("\n"));
}

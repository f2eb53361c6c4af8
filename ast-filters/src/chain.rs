//! A chain of filters run on a document given in pieces: its metadata, then
//! its top-level blocks in batches, as they arrive from a pipe.
//!
//! No filter looks across top-level blocks: the inline filters work inside
//! one list, `pagebreak` replaces a raw block by one block, `raw-tex` a raw
//! LaTeX block by the blocks it stands for, and what is carried from one
//! block to the next (the section named by raw TeX warnings and `--check`
//! problems here, the labels `\ref` links to in `raw-tex`) is kept between
//! batches. So the result and the diagnostics do not depend on how the
//! blocks are batched.

use std::io::{Read, Write};

use ast::{Block, BlockReader, BlockWriter, Error, Meta};
use writer_support::stream::{read_in_batches, Batching};

use crate::engine::Engine;
use crate::options::OptionsMeta;
use crate::rawtex::RawLeft;
use crate::report::{Diagnostic, Report, Severity};
use crate::spacing::{skipped_for_lang, Checker};
use crate::{Filter, FilterOptions, Made, Setup};

/// The filters [`FilterOptions`] asks for, ready to run on the top-level
/// blocks of a document once its metadata is known ([`Chain::new`]), a
/// batch at a time ([`Chain::apply_blocks`]). [`crate::apply`] is this on a
/// whole document.
///
/// ```
/// let mut doc = ast::read_json(
///     r#"{"pandoc-api-version":[1,23,1],"meta":{},"blocks":[{"t":"Para","c":[{"t":"Str","c":"mot"},{"t":"Space"},{"t":"Str","c":":"}]}]}"#,
/// ).unwrap();
/// let mut chain = ast_filters::Chain::new(&mut doc.meta, &Default::default()).unwrap();
/// let mut batch = std::mem::take(&mut doc.blocks);
/// chain.apply_blocks(&mut batch);
/// assert_eq!(batch, vec![ast::Block::Para(vec![ast::Inline::Str("mot\u{a0}:".into())])]);
/// assert!(chain.take_report().diagnostics.is_empty());
/// ```
pub struct Chain {
    /// Each pass is one walk; filters named out of the default chain's
    /// order start a new one.
    passes: Vec<Engine>,
    /// Reports the raw TeX left after the passes (`raw-tex` with a FORMAT
    /// that drops it).
    raw_left: Option<RawLeft>,
    /// `--check`: no pass runs, the checker reports.
    checker: Option<Checker>,
    report: Report,
}

impl Chain {
    /// Reads the options from `meta` and `opts`, and runs the filters on the
    /// metadata (or checks it, with `opts.check`). Fails on an empty `-M`
    /// key; an option not understood gets a warning in the report.
    pub fn new(meta: &mut Meta, opts: &FilterOptions) -> Result<Chain, Error> {
        // Positions (`md2ast --sourcepos`): the filters see through their
        // wrappers, which are taken out (the text they make is no longer
        // the source's); `data-pos` attributes of nodes stay.
        for value in meta.values_mut() {
            ast::sourcepos::remove_wrappers(value, true);
        }
        let options = OptionsMeta::new(meta, &opts.metadata)?;
        let mut report = options.warnings();
        let mut chain = Chain {
            passes: Vec::new(),
            raw_left: None,
            checker: None,
            report: Report::default(),
        };
        if opts.check {
            let spacing = options.spacing();
            match skipped_for_lang("french-spacing", spacing.lang.as_deref()) {
                Some(note) => report.extend(note),
                None => {
                    let mut checker = Checker::new(&spacing);
                    checker.check_meta(meta);
                    report.extend(checker.take_report());
                    chain.checker = Some(checker);
                }
            }
            chain.report = report;
            return Ok(chain);
        }
        let filters: &[Filter] = if opts.filters.is_empty() {
            &Filter::DEFAULT_CHAIN
        } else {
            &opts.filters
        };
        let rank = |f: Filter| Filter::WALK_ORDER.iter().position(|&x| x == f);
        let mut pass = Engine::default();
        let mut last_rank = None;
        let mut raw_tex_in_pass = false;
        for &filter in filters {
            let Some(r) = rank(filter) else {
                continue; // identity
            };
            if last_rank.is_some_and(|l| r <= l) {
                chain.passes.push(std::mem::take(&mut pass));
                raw_tex_in_pass = false;
            }
            last_rank = Some(r);
            let setup = Setup {
                options: &options,
                opts,
                after_raw_tex: raw_tex_in_pass,
            };
            match filter.make(&setup) {
                Made::Filters(parts) => parts.into_iter().for_each(|p| pass.push(p)),
                Made::Skipped(note) => report.extend(note),
            }
            raw_tex_in_pass |= filter == Filter::RawTex;
        }
        chain.passes.push(pass);
        // A pass of filters all skipped (or of `identity`) walks for nothing.
        chain.passes.retain(|p| !p.is_empty());
        if filters.contains(&Filter::RawTex) {
            chain.raw_left = RawLeft::new(opts.format.as_deref());
        }
        for pass in &mut chain.passes {
            pass.run_meta(meta);
        }
        if let Some(finder) = &mut chain.raw_left {
            finder.find_in_meta(meta);
            report.extend(finder.take_report());
        }
        chain.report = report;
        Ok(chain)
    }

    /// Runs the filters on the next top-level blocks of the document (or
    /// checks them, with `--check`, leaving them as they are).
    pub fn apply_blocks(&mut self, blocks: &mut Vec<Block>) {
        ast::sourcepos::remove_wrappers(blocks, true);
        if let Some(checker) = &mut self.checker {
            checker.check_blocks(blocks);
            self.report.extend(checker.take_report());
            return;
        }
        for pass in &mut self.passes {
            pass.run_blocks(blocks);
        }
        if let Some(finder) = &mut self.raw_left {
            finder.find_in_blocks(blocks);
            self.report.extend(finder.take_report());
        }
    }

    /// The diagnostics found since the last call (or since [`Chain::new`]),
    /// in the order of the document: a stream prints them as it goes.
    pub fn take_report(&mut self) -> Report {
        std::mem::take(&mut self.report)
    }
}

/// Top-level blocks handed over at a time: small enough that they are
/// still in the cache when filtered and written.
const BATCH_BLOCKS: usize = 64;

/// The reading thread's stack: dropping a deeply nested block recurses.
const READER_STACK: usize = 1 << 30;

/// What `ast-filters` does: reads the pandoc JSON document on `input`, runs
/// the filters of `opts` on it and writes it to `output` (`--check` writes
/// nothing), a batch of top-level blocks at a time, as the input arrives: in
/// a pipe the stage works while the one before it writes, and its memory is
/// that of a few batches, not of the document. One thread reads the batches
/// (and frees those already written) while this one filters and writes them.
/// Each diagnostic is handed to `diagnostic` as soon as it is found; returns
/// the number of `--check` problems.
///
/// The output is the bytes [`ast::write_json`] gives for the document
/// [`apply`](crate::apply) makes. Nothing is written before the first batch
/// is read, so a small bad input leaves the output empty; an error further
/// on leaves what was written before it, without the end of the document
/// (the next stage then fails on it).
pub fn apply_json<W: Write>(
    input: impl Read + Send,
    output: W,
    opts: &FilterOptions,
    mut diagnostic: impl FnMut(Diagnostic),
) -> Result<usize, Error> {
    let mut reader = BlockReader::new(input, None)?;
    let api_version = reader.api_version().to_vec();
    let mut meta = std::mem::take(reader.meta_mut());
    let mut chain = Chain::new(&mut meta, opts)?;
    let mut problems = 0;
    let mut report = |chain: &mut Chain, problems: &mut usize| {
        for d in chain.take_report().diagnostics {
            *problems += usize::from(d.severity == Severity::Problem);
            diagnostic(d);
        }
    };
    report(&mut chain, &mut problems);
    let mut output = Some(output);
    let mut writer: Option<BlockWriter<W>> = None;
    let batching = Batching {
        blocks: BATCH_BLOCKS,
        queue: 2,
        thread_name: "ast-filters-reader",
        stack: READER_STACK,
    };
    read_in_batches(reader, &batching, |mut batch| {
        chain.apply_blocks(&mut batch);
        report(&mut chain, &mut problems);
        if !opts.check {
            // The output starts once the first batch has been read.
            if let Some(out) = output.take() {
                let w = BlockWriter::new(out, &api_version, &meta);
                writer = Some(w.map_err(stage_cli::stdout_err)?);
            }
            if let Some(w) = &mut writer {
                for block in &batch {
                    w.write_block(block).map_err(stage_cli::stdout_err)?;
                }
            }
        }
        // Freed by the reading thread.
        Ok(Some(batch))
    })?;
    if !opts.check {
        let w = match (writer, output) {
            (Some(w), _) => w,
            // A document with no block.
            (None, Some(out)) => {
                BlockWriter::new(out, &api_version, &meta).map_err(stage_cli::stdout_err)?
            }
            // Its start failed, and that error was returned above.
            (None, None) => return Ok(problems),
        };
        w.finish().map_err(stage_cli::stdout_err)?;
    }
    Ok(problems)
}

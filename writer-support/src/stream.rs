//! The reader thread of the streaming stages (`ast-filters`, `ast2html`):
//! one thread reads the JSON's top-level blocks and hands them over in
//! batches while the stage's thread works on the batch before. In a pipe
//! the two cores overlap, and memory is that of a few batches.

use std::io::Read;
use std::sync::mpsc;

use ast::{Block, BlockReader, Error};

/// How the blocks are handed over.
#[derive(Debug, Clone, Copy)]
pub struct Batching<'a> {
    /// Top-level blocks per batch: small enough that the work starts
    /// early, large enough that handing over costs nothing.
    pub blocks: usize,
    /// Batches read ahead at most (a reader faster than the work waits).
    pub queue: usize,
    /// The reading thread's name.
    pub thread_name: &'a str,
    /// The reading thread's stack: freeing a deeply nested block recurses.
    pub stack: usize,
}

/// Reads the rest of `reader`'s top-level blocks on a thread of their own
/// and gives them to `consume`, a batch at a time, on this thread, in
/// order. `consume` returns the batch when the reading thread should free
/// it (freeing costs the reading thread less than the stage's), or `None`
/// when it kept or freed it. Returns the reader (for metadata after the
/// blocks) once all is read. A read error wins over a `consume` error,
/// which stops the reading.
pub fn read_in_batches<R, C>(
    mut reader: BlockReader<R>,
    batching: &Batching<'_>,
    mut consume: C,
) -> Result<BlockReader<R>, Error>
where
    R: Read + Send,
    C: FnMut(Vec<Block>) -> Result<Option<Vec<Block>>, Error>,
{
    let size = batching.blocks.max(1);
    std::thread::scope(|scope| {
        let (batches, to_consume) = mpsc::sync_channel::<Vec<Block>>(batching.queue);
        let (consumed, to_free) = mpsc::channel::<Vec<Block>>();
        let reading = std::thread::Builder::new()
            .name(batching.thread_name.to_string())
            .stack_size(batching.stack)
            .spawn_scoped(scope, move || -> Result<BlockReader<R>, Error> {
                let mut batch = Vec::with_capacity(size);
                while let Some(block) = reader.next_block()? {
                    batch.push(block);
                    if batch.len() < size {
                        continue;
                    }
                    let full = std::mem::replace(&mut batch, Vec::with_capacity(size));
                    if batches.send(full).is_err() {
                        // The other side stopped (an output error).
                        return Ok(reader);
                    }
                    // Free what was consumed meanwhile.
                    while let Ok(done) = to_free.try_recv() {
                        drop(done);
                    }
                }
                if !batch.is_empty() && batches.send(batch).is_err() {
                    return Ok(reader);
                }
                drop(batches);
                for done in to_free {
                    drop(done);
                }
                Ok(reader)
            })
            .map_err(|e| Error::Other(format!("cannot start the reading thread: {e}")))?;
        let mut result = Ok(());
        for batch in &to_consume {
            match consume(batch) {
                Ok(Some(done)) => {
                    let _ = consumed.send(done);
                }
                Ok(None) => {}
                Err(e) => {
                    result = Err(e);
                    break;
                }
            }
        }
        // Unblocks a reader waiting to send (after an error), and ends the
        // freeing of the batches consumed.
        drop(to_consume);
        drop(consumed);
        let reader = match reading.join() {
            Ok(read) => read?,
            Err(panic) => std::panic::resume_unwind(panic),
        };
        result.map(|()| reader)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = r#"{"pandoc-api-version":[1,23,1],"meta":{},"blocks":[{"t":"HorizontalRule"},{"t":"HorizontalRule"},{"t":"HorizontalRule"}]}"#;

    fn batching() -> Batching<'static> {
        Batching {
            blocks: 2,
            queue: 1,
            thread_name: "test-reader",
            stack: 1 << 20,
        }
    }

    #[test]
    fn every_block_comes_in_order_in_batches() {
        let reader = BlockReader::new(DOC.as_bytes(), None).unwrap();
        let mut sizes = Vec::new();
        read_in_batches(reader, &batching(), |batch| {
            sizes.push(batch.len());
            Ok(Some(batch))
        })
        .unwrap();
        assert_eq!(sizes, [2, 1]);
    }

    #[test]
    fn a_consumer_error_stops_the_reading_and_a_read_error_wins() {
        let reader = BlockReader::new(DOC.as_bytes(), None).unwrap();
        let err = read_in_batches(reader, &batching(), |_| Err(Error::Other("out".into())));
        assert!(err.err().unwrap().to_string().contains("out"));
        let bad = r#"{"pandoc-api-version":[1,23,1],"meta":{},"blocks":[{"t":"HorizontalRule"},{"t":"Nope"}]}"#;
        let reader = BlockReader::new(bad.as_bytes(), None).unwrap();
        let err = read_in_batches(reader, &batching(), |_| Err(Error::Other("out".into())));
        assert!(!err.err().unwrap().to_string().contains("out"));
    }
}

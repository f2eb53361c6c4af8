//! What every binary does around its stage: reading inputs, writing outputs
//! atomically, reporting errors with the stage name and the exit status.
//!
//! Kept out of `ast`, which is the document model and its wire format
//! only: this is process plumbing (threads, files, `tempfile`).

use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use ast::json::{read_json_bytes, write_json};
use ast::{exit, Error, Pandoc};

/// Stack of the thread that runs a stage: deep documents recurse deeply, and
/// the memory is only committed when touched.
const STACK_SIZE: usize = 1 << 30;

/// Runs `body` on a thread with a large stack and turns its result into the
/// process's exit status, printing `stage: message` on error. A write to a
/// closed pipe (`| head`) ends quietly with status 141, as a shell expects.
pub fn run_main(
    stage: &str,
    body: impl FnOnce() -> Result<u8, Error> + Send + 'static,
) -> ExitCode {
    let result = std::thread::Builder::new()
        .name(stage.to_string())
        .stack_size(STACK_SIZE)
        .spawn(body)
        .map_err(|e| Error::Other(format!("cannot start a thread: {e}")))
        .and_then(|h| {
            h.join().map_err(|panic| {
                let what = panic
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "panic".into());
                Error::Internal(what)
            })?
        });
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) if e.is_broken_pipe() => ExitCode::from(exit::BROKEN_PIPE),
        Err(e) => {
            eprintln!("{stage}: {e}");
            ExitCode::from(e.exit_code())
        }
    }
}

/// True when `path` means standard input or output.
fn is_std(path: Option<&Path>) -> bool {
    path.is_none_or(|p| p.as_os_str() == "-")
}

/// Reads a whole input: the file at `path`, or stdin for `None` or `-`.
pub fn read_input(path: Option<&Path>) -> Result<Vec<u8>, Error> {
    let mut bytes = Vec::new();
    match path {
        Some(p) if !is_std(path) => {
            bytes = std::fs::read(p).map_err(|source| Error::Input {
                path: p.to_path_buf(),
                source,
            })?;
        }
        _ => {
            io::stdin()
                .lock()
                .read_to_end(&mut bytes)
                .map_err(|source| Error::Input {
                    path: PathBuf::from("<stdin>"),
                    source,
                })?;
        }
    }
    Ok(bytes)
}

/// Reads a pandoc JSON document from `path` or stdin.
pub fn read_document(path: Option<&Path>) -> Result<Pandoc, Error> {
    let bytes = read_input(path)?;
    read_json_bytes(&bytes).map_err(|source| Error::Json {
        path: path.filter(|_| !is_std(path)).map(Path::to_path_buf),
        source,
    })
}

/// Writes an output produced by `produce`: to stdout for `None` or `-`,
/// otherwise to a temporary file beside `path` that replaces it only once
/// everything was written, so a failure never leaves a partial or clobbered file.
pub fn write_output(
    path: Option<&Path>,
    produce: impl FnOnce(&mut dyn Write) -> Result<(), Error>,
) -> Result<(), Error> {
    match path {
        Some(p) if !is_std(path) => {
            let out_err = |source| Error::Output {
                path: p.to_path_buf(),
                source,
            };
            // A device or a pipe (`-o /dev/null`, `-o /dev/stdout`, a FIFO) is
            // written in place: renaming a file over it would replace it.
            if std::fs::metadata(p).is_ok_and(|m| !m.is_file() && !m.is_dir()) {
                let file = std::fs::OpenOptions::new()
                    .write(true)
                    .open(p)
                    .map_err(out_err)?;
                let mut w = io::BufWriter::with_capacity(1 << 16, file);
                produce(&mut w)?;
                return w.flush().map_err(out_err);
            }
            let dir = match p.parent() {
                Some(d) if !d.as_os_str().is_empty() => d,
                _ => Path::new("."),
            };
            let mut builder = tempfile::Builder::new();
            builder.prefix(".tmp-");
            // A temporary file is private (0600); the output gets the mode of
            // the file it replaces, or a new file's usual mode (0666 less the umask).
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                let mode = std::fs::metadata(p).map_or(0o666, |m| m.permissions().mode() & 0o7777);
                builder.permissions(std::fs::Permissions::from_mode(mode));
            }
            let tmp = builder.tempfile_in(dir).map_err(out_err)?;
            let mut w = io::BufWriter::with_capacity(1 << 16, tmp);
            produce(&mut w)?;
            let tmp = w.into_inner().map_err(|e| out_err(e.into_error()))?;
            tmp.as_file().sync_all().map_err(out_err)?;
            tmp.persist(p).map_err(|e| out_err(e.error))?;
            Ok(())
        }
        _ => {
            let mut w = io::BufWriter::with_capacity(1 << 16, stdout_writer());
            produce(&mut w)?;
            w.flush().map_err(stdout_err)
        }
    }
}

/// Standard output for large writes: the file descriptor itself where it
/// can be had, since `io::stdout()` looks for line breaks in every byte
/// written (it is line-buffered) and the stages buffer their output already.
pub fn stdout_writer() -> Box<dyn Write + Send> {
    #[cfg(unix)]
    {
        use std::os::fd::AsFd;
        if let Ok(fd) = io::stdout().as_fd().try_clone_to_owned() {
            return Box::new(std::fs::File::from(fd));
        }
    }
    Box::new(io::stdout())
}

/// An error writing to standard output.
pub fn stdout_err(source: io::Error) -> Error {
    Error::Output {
        path: PathBuf::from("<stdout>"),
        source,
    }
}

/// Writes `doc` as JSON to `path` or stdout, atomically for a file.
pub fn write_document(path: Option<&Path>, doc: &Pandoc) -> Result<(), Error> {
    write_output(path, |w| {
        write_json(doc, w).map_err(|source| Error::Output {
            path: path.map_or_else(|| PathBuf::from("<stdout>"), Path::to_path_buf),
            source,
        })
    })
}

/// The counterpart of pandoc's `toJSONFilter`: reads a document on stdin,
/// applies `filter` with the target format pandoc passes as the first
/// argument (if any), writes the document on stdout; errors go to stderr
/// prefixed with `name`.
pub fn run_filter(
    name: &str,
    filter: impl FnOnce(&mut Pandoc, Option<&str>) -> Result<(), Error> + Send + 'static,
) -> ExitCode {
    let format = std::env::args().nth(1);
    run_main(name, move || {
        let mut doc = read_document(None)?;
        filter(&mut doc, format.as_deref())?;
        write_document(None, &doc)?;
        Ok(exit::OK)
    })
}

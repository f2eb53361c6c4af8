//! The error type shared by every stage, and the exit statuses (sysexits).

use std::io;
use std::path::PathBuf;

/// Exit statuses, the same in every binary.
pub mod exit {
    /// Success.
    pub const OK: u8 = 0;
    /// A check (`ast-filters --check`) found problems.
    pub const PROBLEMS: u8 = 1;
    /// Bad command line.
    pub const USAGE: u8 = 2;
    /// Bad input data (malformed JSON, invalid UTF-8, bad YAML...).
    pub const DATAERR: u8 = 65;
    /// An input file is missing or unreadable.
    pub const NOINPUT: u8 = 66;
    /// Reading or writing failed (disk full, output not writable...).
    pub const IOERR: u8 = 74;
    /// A bug: the program panicked (reported as an internal error, never as
    /// bad input). EX_SOFTWARE.
    pub const SOFTWARE: u8 = 70;
    /// The reader of our output went away (`| head`): 128 + SIGPIPE, what a
    /// shell reports for a program killed by SIGPIPE.
    pub const BROKEN_PIPE: u8 = 141;
}

/// Why a JSON document could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JsonError {
    /// Malformed JSON or a value that is not pandoc's AST, at a 1-based position.
    #[error("{line}:{column}: {message}")]
    Syntax {
        line: usize,
        column: usize,
        message: String,
    },
    /// The document was written for another major.minor API version.
    #[error("incompatible API versions: encoded with {found} but this reads {expected}")]
    IncompatibleVersion { found: String, expected: String },
    /// The document has no `pandoc-api-version` key.
    #[error(
        "the document has no \"pandoc-api-version\": expected JSON written by pandoc 2.x or 3.x \
         (`pandoc -t json`)"
    )]
    MissingVersion,
}

/// Any error of a stage.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The JSON input could not be read.
    #[error("{}", prefixed(.path, .source))]
    Json {
        /// Where the JSON came from (`None` for stdin).
        path: Option<PathBuf>,
        source: JsonError,
    },
    /// An error in a source file at a position (Markdown, YAML, templates).
    #[error("{}:{line}:{column}: {message}", .path.display())]
    Source {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    /// An input file could not be read.
    #[error("{}: {}", .path.display(), describe_io(.source))]
    Input { path: PathBuf, source: io::Error },
    /// An output could not be written.
    #[error("{}: {}", .path.display(), describe_io(.source))]
    Output { path: PathBuf, source: io::Error },
    /// Bad input data with no position to give.
    #[error("{0}")]
    Data(String),
    /// A usage error (bad option value...).
    #[error("{0}")]
    Usage(String),
    /// Anything else that went wrong, such as an external engine.
    #[error("{0}")]
    Other(String),
    /// A bug in this program (a panic was caught).
    #[error("internal error: {0}\nhint: this is a bug; please report it with the input")]
    Internal(String),
}

fn prefixed(path: &Option<PathBuf>, e: &JsonError) -> String {
    match (path, e) {
        (Some(p), JsonError::Syntax { .. }) => format!("{}:{e}", p.display()),
        (Some(p), _) => format!("{}: {e}", p.display()),
        (None, JsonError::Syntax { .. }) => format!("<stdin>:{e}"),
        (None, _) => e.to_string(),
    }
}

/// `io::Error`'s text without Rust's "(os error 2)" suffix.
pub fn describe_io(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::NotFound => "no such file or directory".into(),
        io::ErrorKind::PermissionDenied => "permission denied".into(),
        io::ErrorKind::IsADirectory => "is a directory".into(),
        _ => {
            let s = e.to_string();
            match s.find(" (os error") {
                Some(i) => s[..i].to_lowercase(),
                None => s,
            }
        }
    }
}

impl From<JsonError> for Error {
    fn from(source: JsonError) -> Self {
        Error::Json { path: None, source }
    }
}

impl Error {
    /// The exit status for this error (see [`exit`]).
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Json { .. } | Error::Source { .. } | Error::Data(_) => exit::DATAERR,
            Error::Input { source, .. } => match source.kind() {
                io::ErrorKind::NotFound
                | io::ErrorKind::PermissionDenied
                | io::ErrorKind::IsADirectory => exit::NOINPUT,
                io::ErrorKind::InvalidData => exit::DATAERR,
                _ => exit::IOERR,
            },
            Error::Output { .. } => exit::IOERR,
            Error::Usage(_) => exit::USAGE,
            Error::Other(_) => exit::DATAERR,
            Error::Internal(_) => exit::SOFTWARE,
        }
    }

    /// True when the error is a write to a closed pipe.
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, Error::Output { source, .. } if source.kind() == io::ErrorKind::BrokenPipe)
    }
}

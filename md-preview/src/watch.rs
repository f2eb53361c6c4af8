//! Which files the preview watches, through `notify` (inotify on Linux)
//! and its debouncer: the events of a file arrive once it has been quiet
//! for the debounce time (an editor's write, rename and chmod are one);
//! the building thread then waits as long again for the other files of
//! the burst (the debouncer gives each file its own time), so several
//! saves in a burst are one rebuild.
//!
//! Watched: the Markdown files (their folders, since editors save by
//! renaming a new file over the old one), the folder of a document given as
//! a folder (a new chapter counts), and the folders of the images and
//! stylesheets the page shows, added as the document names new ones.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;
use std::time::Duration;

use ast::Error;
use notify::{Event, EventHandler, EventKind, RecommendedWatcher, RecursiveMode, WatcherKind};
use notify_debouncer_mini::{
    new_debouncer_opt, Config, DebounceEventResult, DebouncedEventKind, Debouncer,
};

use crate::Inputs;

/// What the building thread is told.
pub enum Message {
    /// File events, debounced.
    Files(DebounceEventResult),
    Stop,
}

/// The system's watcher without the events of files being read: building
/// the page opens every chapter and image, and inotify reports each open
/// (an access event); the debouncer, which forgets the kind of the events,
/// would take them for changes and rebuild for ever.
struct ChangesOnly(RecommendedWatcher);

impl notify::Watcher for ChangesOnly {
    fn new<F: EventHandler>(mut handler: F, config: notify::Config) -> notify::Result<Self> {
        let inner = RecommendedWatcher::new(
            move |event: notify::Result<Event>| {
                if !matches!(&event, Ok(e) if matches!(e.kind, EventKind::Access(_))) {
                    handler.handle_event(event);
                }
            },
            config,
        )?;
        Ok(ChangesOnly(inner))
    }

    fn watch(&mut self, path: &Path, recursive_mode: RecursiveMode) -> notify::Result<()> {
        self.0.watch(path, recursive_mode)
    }

    fn unwatch(&mut self, path: &Path) -> notify::Result<()> {
        self.0.unwatch(path)
    }

    fn configure(&mut self, option: notify::Config) -> notify::Result<bool> {
        self.0.configure(option)
    }

    fn kind() -> WatcherKind {
        RecommendedWatcher::kind()
    }
}

pub struct Watcher {
    debouncer: Debouncer<ChangesOnly>,
    /// The document's folder, canonical, when it was given as one.
    folder: Option<PathBuf>,
    /// The Markdown files given, with their folder canonical.
    files: BTreeSet<PathBuf>,
    /// Folders watched, canonical.
    watched: BTreeSet<PathBuf>,
}

/// A chapter of a folder: a `*.md` file whose name is not hidden (an
/// editor's swap or backup file is not one; `make`'s wildcard skips them too).
pub fn is_chapter(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    !name.starts_with('.') && path.extension().is_some_and(|e| e == "md")
}

/// The path with its folder made canonical (the file itself may be gone,
/// replaced, or not there yet).
fn absolute(path: &Path) -> Option<PathBuf> {
    let name = path.file_name()?;
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    Some(std::fs::canonicalize(parent).ok()?.join(name))
}

impl Watcher {
    pub fn new(debounce: Duration, to: Sender<Message>, inputs: &Inputs) -> Result<Watcher, Error> {
        let config = Config::default()
            .with_timeout(debounce)
            .with_batch_mode(true);
        let debouncer =
            new_debouncer_opt::<_, ChangesOnly>(config, move |result: DebounceEventResult| {
                let _ = to.send(Message::Files(result));
            })
            .map_err(|e| Error::Other(format!("cannot watch the files: {e}")))?;
        let mut watcher = Watcher {
            debouncer,
            folder: None,
            files: BTreeSet::new(),
            watched: BTreeSet::new(),
        };
        let dirs: Vec<PathBuf> = match inputs {
            Inputs::Folder(dir) => {
                let dir = std::fs::canonicalize(dir).map_err(|source| Error::Input {
                    path: dir.clone(),
                    source,
                })?;
                watcher.folder = Some(dir.clone());
                vec![dir]
            }
            Inputs::Files(files) => {
                watcher.files = files.iter().filter_map(|f| absolute(f)).collect();
                watcher
                    .files
                    .iter()
                    .filter_map(|f| f.parent().map(Path::to_path_buf))
                    .collect()
            }
        };
        for dir in dirs {
            watcher.watch(&dir)?;
        }
        Ok(watcher)
    }

    fn watch(&mut self, dir: &Path) -> Result<(), Error> {
        if self.watched.contains(dir) {
            return Ok(());
        }
        self.debouncer
            .watcher()
            .watch(dir, RecursiveMode::NonRecursive)
            .map_err(|e| Error::Other(format!("{}: cannot watch: {e}", dir.display())))?;
        self.watched.insert(dir.to_path_buf());
        Ok(())
    }

    /// Watches the folders of `media` not watched yet (a folder that
    /// cannot be watched gets a warning: its files are not followed).
    pub fn watch_media(&mut self, media: &BTreeSet<PathBuf>) {
        let dirs: BTreeSet<PathBuf> = media
            .iter()
            .filter_map(|m| m.parent().map(Path::to_path_buf))
            .collect();
        for dir in dirs {
            if let Err(e) = self.watch(&dir) {
                eprintln!("md-preview: warning: {e}");
            }
        }
    }

    /// Adds to `changed` the paths of `message` that matter (a Markdown
    /// file of the document, a file the page shows); `false` to stop.
    pub fn relevant(
        &self,
        message: Message,
        media: &BTreeSet<PathBuf>,
        changed: &mut BTreeSet<PathBuf>,
    ) -> bool {
        let events = match message {
            Message::Stop => return false,
            Message::Files(Ok(events)) => events,
            Message::Files(Err(e)) => {
                eprintln!("md-preview: warning: watching the files: {e}");
                return true;
            }
        };
        for event in events {
            // A file still being written (events for longer than the
            // debounce time) comes again as `Any` once it is quiet.
            if event.kind == DebouncedEventKind::AnyContinuous {
                continue;
            }
            let path = event.path;
            let chapter = match &self.folder {
                Some(folder) => path.parent() == Some(folder.as_path()) && is_chapter(&path),
                None => self.files.contains(&path),
            };
            if chapter || media.contains(&path) {
                changed.insert(path);
            }
        }
        true
    }
}

/// What changed, for the terminal: `10_intro.md changed`, `3 files changed
/// (a.md, b.md, c.png)`.
pub fn describe(paths: &BTreeSet<PathBuf>) -> String {
    let names: Vec<String> = paths
        .iter()
        .map(|p| {
            p.file_name().map_or_else(
                || p.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            )
        })
        .collect();
    match names.as_slice() {
        [one] => format!("{one} changed"),
        _ => format!("{} files changed ({})", names.len(), names.join(", ")),
    }
}

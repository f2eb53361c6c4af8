//! Live preview of a pandoc Markdown document: serves its HTML page on
//! `http://127.0.0.1:PORT/`, rebuilds it in process when a Markdown file or
//! an image changes (md2ast, the default filters, ast2html: the pipe's code,
//! see [`stages`]), and the open page follows: told by an event stream, it
//! fetches the new page and swaps in the top-level elements that changed
//! (a full reload when it cannot), keeping the same heading in view.
//! With `pdf`, the PDF is rebuilt in the background too.
//!
//! ```no_run
//! let options = md_preview::PreviewOptions {
//!     inputs: vec!["content".into()],
//!     ..Default::default()
//! };
//! let preview = md_preview::Preview::start(options).unwrap();
//! println!("{}", preview.url());
//! preview.wait();
//! ```
//!
//! The parts: [`stages`] (every call into the stage libraries), `watch`
//! (which files, and the debounced file events), `server` (tiny_http: the
//! page, the event stream, the PDF, the resource folder), `page` (the
//! injected script) and `state` (what they share).

mod page;
mod resources;
mod server;
pub mod stages;
mod state;
mod watch;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::{mpsc, Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

pub use ast::Error;
pub use page::{EVENTS_PATH, INJECTED_END, INJECTED_START, STATE_PATH};
pub use stages::WriterOptions;

use state::{PdfState, Shared};

/// What to preview and how.
#[derive(Debug, Clone)]
pub struct PreviewOptions {
    /// Markdown files, read in this order as one document; or one folder,
    /// whose `*.md` files are read in the order of their names (as the
    /// Makefile does), a new one included at the next change.
    pub inputs: Vec<PathBuf>,
    /// The address to listen on.
    pub host: String,
    /// The port; when taken, the next free one is used (0: any free port).
    pub port: u16,
    /// The options of the page, as ast2html's. An empty `resource_dir`
    /// means the folder of the document.
    pub writer: WriterOptions,
    /// Also rebuild the PDF, in the background, served at `/NAME.pdf`.
    pub pdf: bool,
    /// The NAME of `/NAME.pdf` (default: the folder's or first file's name).
    pub name: Option<String>,
    /// A TeX bundle instead of the one ast2latex embeds.
    pub tex_bundle: Option<PathBuf>,
    /// A file is rebuilt once it has been quiet this long, and the other
    /// files saved within this time join the same rebuild.
    pub debounce: Duration,
}

impl Default for PreviewOptions {
    fn default() -> Self {
        PreviewOptions {
            inputs: Vec::new(),
            host: "127.0.0.1".into(),
            port: 8000,
            writer: WriterOptions::default(),
            pdf: false,
            name: None,
            tex_bundle: None,
            debounce: Duration::from_millis(15),
        }
    }
}

/// The Markdown files of the document.
#[derive(Debug, Clone)]
enum Inputs {
    /// The `*.md` of a folder, looked up at each build.
    Folder(PathBuf),
    Files(Vec<PathBuf>),
}

impl Inputs {
    fn new(inputs: &[PathBuf]) -> Result<Inputs, Error> {
        match inputs {
            [] => Err(Error::Usage(
                "no input: give Markdown files or a folder of them".into(),
            )),
            [one] if one.is_dir() => Ok(Inputs::Folder(one.clone())),
            files => {
                for file in files {
                    if !file.is_file() {
                        let source = std::fs::metadata(file)
                            .err()
                            .unwrap_or_else(|| std::io::ErrorKind::IsADirectory.into());
                        return Err(Error::Input {
                            path: file.clone(),
                            source,
                        });
                    }
                }
                Ok(Inputs::Files(files.to_vec()))
            }
        }
    }

    /// The files, in reading order.
    fn files(&self) -> Result<Vec<PathBuf>, Error> {
        match self {
            Inputs::Files(files) => Ok(files.clone()),
            Inputs::Folder(dir) => {
                let entries = std::fs::read_dir(dir).map_err(|source| Error::Input {
                    path: dir.clone(),
                    source,
                })?;
                let mut files: Vec<PathBuf> = entries
                    .filter_map(Result::ok)
                    .map(|e| e.path())
                    .filter(|p| watch::is_chapter(p) && p.is_file())
                    .collect();
                files.sort();
                if files.is_empty() {
                    return Err(Error::Input {
                        path: dir.join("*.md"),
                        source: std::io::ErrorKind::NotFound.into(),
                    });
                }
                Ok(files)
            }
        }
    }

    /// Where images are looked up when no resource folder is given.
    fn folder(&self) -> PathBuf {
        match self {
            Inputs::Folder(dir) => dir.clone(),
            Inputs::Files(files) => files
                .first()
                .and_then(|f| f.parent())
                .filter(|p| !p.as_os_str().is_empty())
                .map_or_else(|| PathBuf::from("."), Path::to_path_buf),
        }
    }

    /// The default NAME of the PDF.
    fn name(&self) -> String {
        let path = match self {
            Inputs::Folder(dir) => std::fs::canonicalize(dir).unwrap_or_else(|_| dir.clone()),
            Inputs::Files(files) => files.first().cloned().unwrap_or_default(),
        };
        path.file_stem()
            .and_then(|s| s.to_str())
            .filter(|s| !s.is_empty())
            .unwrap_or("document")
            .to_string()
    }
}

/// A running preview.
pub struct Preview {
    url: String,
    shared: Arc<Shared>,
    server: server::Server,
    builder: JoinHandle<()>,
    to_builder: mpsc::Sender<watch::Message>,
    pdf: Option<(Arc<PdfQueue>, JoinHandle<()>)>,
}

impl Preview {
    /// Builds the page once (an error is shown in the page, not returned),
    /// starts serving it and watching the files. Fails on bad options, a
    /// missing input or an address that cannot be listened on.
    pub fn start(options: PreviewOptions) -> Result<Preview, Error> {
        let inputs = Inputs::new(&options.inputs)?;
        let mut writer = options.writer.clone();
        if writer.resource_dir.as_os_str().is_empty() {
            writer.resource_dir = inputs.folder();
        }
        let root = std::fs::canonicalize(&writer.resource_dir).map_err(|source| Error::Input {
            path: writer.resource_dir.clone(),
            source,
        })?;
        let settings = Arc::new(stages::Settings::new(&writer, options.tex_bundle.clone())?);
        let shared = Shared::new(options.pdf);
        let name = options.name.clone().unwrap_or_else(|| inputs.name());

        let pdf = if options.pdf {
            let queue = Arc::new(PdfQueue::default());
            let worker = {
                let queue = Arc::clone(&queue);
                let shared = Arc::clone(&shared);
                let settings = Arc::clone(&settings);
                std::thread::Builder::new()
                    .name("md-preview-pdf".into())
                    .stack_size(BUILD_STACK)
                    .spawn(move || queue.run(&shared, &settings))
                    .map_err(|e| Error::Other(format!("cannot start a thread: {e}")))?
            };
            Some((queue, worker))
        } else {
            None
        };

        let mut builder = Builder {
            inputs,
            settings,
            shared: Arc::clone(&shared),
            pdf: pdf.as_ref().map(|(q, _)| Arc::clone(q)),
            media: BTreeSet::new(),
        };
        builder.rebuild(None);

        let listener = server::bind(&options.host, options.port)?;
        let instance = format!(
            "{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos())
        );
        let site = server::Site {
            shared: Arc::clone(&shared),
            root,
            pdf_path: options.pdf.then(|| format!("/{name}.pdf")),
            instance,
        };
        let server = server::Server::start(listener, site)?;
        let host = if server.addr.is_ipv6() {
            format!("[{}]", server.addr.ip())
        } else {
            server.addr.ip().to_string()
        };
        let url = format!("http://{host}:{}/", server.addr.port());

        let (to_builder, messages) = mpsc::channel();
        let watcher = watch::Watcher::new(options.debounce, to_builder.clone(), &builder.inputs)?;
        let builder = std::thread::Builder::new()
            .name("md-preview-build".into())
            .stack_size(BUILD_STACK)
            .spawn(move || builder.run(watcher, messages, options.debounce))
            .map_err(|e| Error::Other(format!("cannot start a thread: {e}")))?;
        Ok(Preview {
            url,
            shared,
            server,
            builder,
            to_builder,
            pdf,
        })
    }

    /// The address of the page (`http://127.0.0.1:8000/`).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The generation of the page served: bumped at each new page.
    pub fn generation(&self) -> u64 {
        self.shared.lock().generation
    }

    /// How many builds of the page were made (good or not), the first included.
    pub fn builds(&self) -> u64 {
        self.shared.lock().builds
    }

    /// Serves until the process ends.
    pub fn wait(self) {
        self.server.join();
        let _ = self.builder.join();
    }

    /// Stops serving and watching; waits for a PDF build in progress.
    pub fn stop(self) {
        self.shared.update(|s| s.stopping = true);
        let _ = self.to_builder.send(watch::Message::Stop);
        self.server.stop();
        let _ = self.builder.join();
        if let Some((queue, worker)) = self.pdf {
            queue.stop();
            let _ = worker.join();
        }
    }
}

/// The stack of the threads that run the stages: the binaries run them on
/// the main thread's 8 MB; the stages grow their stacks where they recurse.
const BUILD_STACK: usize = 64 << 20;

/// Rebuilds the page when told which files changed.
struct Builder {
    inputs: Inputs,
    settings: Arc<stages::Settings>,
    shared: Arc<Shared>,
    pdf: Option<Arc<PdfQueue>>,
    /// The files the page shows, canonical (watched).
    media: BTreeSet<PathBuf>,
}

impl Builder {
    fn run(
        mut self,
        mut watcher: watch::Watcher,
        messages: mpsc::Receiver<watch::Message>,
        settle: Duration,
    ) {
        watcher.watch_media(&self.media);
        'building: while let Ok(message) = messages.recv() {
            let mut changed = BTreeSet::new();
            if !watcher.relevant(message, &self.media, &mut changed) {
                break;
            }
            if changed.is_empty() {
                continue;
            }
            // The rest of the burst: other files (each has its own debounce
            // time), and what came during the last build.
            loop {
                match messages.recv_timeout(settle) {
                    Ok(more) => {
                        if !watcher.relevant(more, &self.media, &mut changed) {
                            break 'building;
                        }
                    }
                    Err(mpsc::RecvTimeoutError::Timeout) => break,
                    Err(mpsc::RecvTimeoutError::Disconnected) => break 'building,
                }
            }
            self.rebuild(Some(&changed));
            watcher.watch_media(&self.media);
        }
    }

    /// Builds the page; `changed` is `None` for the first build.
    fn rebuild(&mut self, changed: Option<&BTreeSet<PathBuf>>) {
        let started = Instant::now();
        let what = match changed {
            None => "start".to_string(),
            Some(paths) => watch::describe(paths),
        };
        let media_changed =
            changed.is_some_and(|paths| paths.iter().any(|p| self.media.contains(p)));
        let built = self.inputs.files().and_then(|files| {
            let page = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                stages::build_page(&files, &self.settings)
            }))
            .unwrap_or_else(|panic| Err(Error::Internal(panic_message(&panic))))?;
            Ok((files, page))
        });
        let ms = started.elapsed().as_secs_f64() * 1000.0;
        match built {
            Ok((files, page)) => {
                self.media = page
                    .media
                    .iter()
                    .filter_map(|p| std::fs::canonicalize(p).ok())
                    .collect();
                let problems = page.problems.len();
                let warnings = page.warnings.len();
                self.shared.update(|s| {
                    s.builds += 1;
                    if media_changed || *s.page != page.html || s.generation == 0 {
                        s.generation += 1;
                        s.page = Arc::new(page.html);
                    }
                    s.error = None;
                    s.problems = page.problems;
                    s.warnings = page.warnings;
                });
                let mut line = format!(
                    "md-preview: {what}: page of {} file{} built in {ms:.0} ms",
                    files.len(),
                    plural(files.len())
                );
                if problems > 0 {
                    line += &format!(", {problems} typography problem{}", plural(problems));
                }
                if warnings > 0 {
                    line += &format!(", {warnings} warning{}", plural(warnings));
                }
                eprintln!("{line}");
                if let Some(queue) = &self.pdf {
                    self.shared.update(|s| s.pdf = PdfState::Building);
                    queue.request(files);
                }
            }
            Err(e) => {
                let message = e.to_string();
                eprintln!("md-preview: {what}: error after {ms:.0} ms (the page shows the last good version)\n{message}");
                let pdf = self.pdf.is_some();
                self.shared.update(|s| {
                    s.builds += 1;
                    if s.generation == 0 {
                        s.generation = 1;
                        s.page = Arc::new(page::placeholder_page());
                    }
                    // The same error stops the PDF; the last good one stays.
                    if pdf {
                        s.pdf = PdfState::Failed(message.clone());
                    }
                    s.error = Some(message);
                });
            }
        }
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

fn panic_message(panic: &Box<dyn std::any::Any + Send>) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a stage panicked".into())
}

/// The PDF builds: one at a time, the newest request replacing any that
/// waits (the newest change wins), the last good PDF kept.
#[derive(Default)]
struct PdfQueue {
    /// The files of the next build, and whether to stop.
    next: Mutex<(Option<Vec<PathBuf>>, bool)>,
    wake: Condvar,
}

impl PdfQueue {
    fn request(&self, files: Vec<PathBuf>) {
        self.next.lock().unwrap_or_else(|e| e.into_inner()).0 = Some(files);
        self.wake.notify_one();
    }

    fn stop(&self) {
        self.next.lock().unwrap_or_else(|e| e.into_inner()).1 = true;
        self.wake.notify_one();
    }

    fn run(&self, shared: &Shared, settings: &stages::Settings) {
        loop {
            let files = {
                let guard = self.next.lock().unwrap_or_else(|e| e.into_inner());
                let mut guard = self
                    .wake
                    .wait_while(guard, |(next, stop)| next.is_none() && !*stop)
                    .unwrap_or_else(|e| e.into_inner());
                if guard.1 {
                    return;
                }
                match guard.0.take() {
                    Some(files) => files,
                    None => continue,
                }
            };
            let started = Instant::now();
            let built = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                stages::build_pdf(&files, settings)
            }))
            .unwrap_or_else(|panic| Err(Error::Internal(panic_message(&panic))));
            let seconds = started.elapsed().as_secs_f64();
            let newer = self
                .next
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .0
                .is_some();
            match built {
                Ok((pdf, warnings)) => {
                    for w in &warnings {
                        eprintln!("md-preview: PDF warning: {w}");
                    }
                    eprintln!(
                        "md-preview: PDF built in {seconds:.1} s ({} KB)",
                        pdf.len() / 1024
                    );
                    shared.update(|s| {
                        s.pdf_bytes = Some(Arc::new(pdf));
                        // Built from a version before the one now in error: not up to date.
                        s.pdf = match (&s.error, newer) {
                            (_, true) => PdfState::Building,
                            (Some(error), false) => PdfState::Failed(error.clone()),
                            (None, false) => PdfState::UpToDate,
                        };
                    });
                }
                Err(e) => {
                    let message = e.to_string();
                    eprintln!("md-preview: PDF error after {seconds:.1} s (the last good PDF is kept)\n{message}");
                    shared.update(|s| {
                        s.pdf = if newer {
                            PdfState::Building
                        } else {
                            PdfState::Failed(message)
                        };
                    });
                }
            }
        }
    }
}

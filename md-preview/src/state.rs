//! What the server shows, shared by the rebuilding thread, the PDF thread
//! and the request handlers; every change wakes the event streams.

use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::Duration;

use crate::stages::Note;

/// The state of the PDF (with `--pdf`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PdfState {
    /// No `--pdf`.
    Off,
    /// A build is running or waiting.
    Building,
    /// The PDF served is that of the document as it is.
    UpToDate,
    /// The last build failed (the last good PDF, if any, is still served).
    Failed(String),
}

/// Everything the page and the event stream show.
#[derive(Debug, Clone)]
pub struct State {
    /// Bumped when the page served changes (or a medium it shows): the
    /// open pages reload.
    pub generation: u64,
    /// Bumped on any change: the event streams send the state again.
    pub version: u64,
    /// Builds of the page made, good or not.
    pub builds: u64,
    /// The last good page, as the pipe writes it (no script injected).
    pub page: Arc<String>,
    /// The error of the last rebuild; the last good page stays.
    pub error: Option<String>,
    /// The typography problems of the last good rebuild.
    pub problems: Vec<Note>,
    /// The warnings of the last good rebuild.
    pub warnings: Vec<Note>,
    pub pdf: PdfState,
    /// The last good PDF.
    pub pdf_bytes: Option<Arc<Vec<u8>>>,
    /// Set when the server stops: the event streams end.
    pub stopping: bool,
}

/// The state and the condition variable the event streams wait on.
#[derive(Debug)]
pub struct Shared {
    state: Mutex<State>,
    changed: Condvar,
}

impl Shared {
    pub fn new(pdf: bool) -> Arc<Shared> {
        Arc::new(Shared {
            state: Mutex::new(State {
                generation: 0,
                version: 0,
                builds: 0,
                page: Arc::new(String::new()),
                error: None,
                problems: Vec::new(),
                warnings: Vec::new(),
                pdf: if pdf {
                    PdfState::Building
                } else {
                    PdfState::Off
                },
                pdf_bytes: None,
                stopping: false,
            }),
            changed: Condvar::new(),
        })
    }

    /// The state, even if a thread panicked while holding it (the state is
    /// always whole: every change is one assignment under the lock).
    pub fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Changes the state and wakes the event streams.
    pub fn update(&self, change: impl FnOnce(&mut State)) {
        let mut state = self.lock();
        change(&mut state);
        state.version += 1;
        drop(state);
        self.changed.notify_all();
    }

    /// A copy of the state once its version is not `seen`, or after
    /// `timeout` (`None` then: time for a keep-alive).
    pub fn wait_change(&self, seen: u64, timeout: Duration) -> Option<State> {
        let guard = self.lock();
        let (guard, _) = self
            .changed
            .wait_timeout_while(guard, timeout, |s| s.version == seen && !s.stopping)
            .unwrap_or_else(|e| e.into_inner());
        (guard.version != seen || guard.stopping).then(|| guard.clone())
    }
}

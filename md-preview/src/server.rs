//! The HTTP side (tiny_http, a thread per connection and a few handler
//! threads): the page, the event stream, the PDF and the files under the
//! resource folder; 404 for anything else.

use std::io::Write;
use std::net::{SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use ast::Error;
use tiny_http::{Header, Method, Request, Response, StatusCode};

use crate::page;
use crate::resources;
use crate::state::Shared;

/// Threads answering requests (the event streams have their own).
const HANDLERS: usize = 4;
/// Open event streams at most (each is a thread); more get 503.
const MAX_STREAMS: usize = 64;
/// A comment sent on an idle event stream, so that a client gone is noticed.
const KEEP_ALIVE: Duration = Duration::from_secs(15);
/// Ports tried after the one asked for when it is taken.
const PORTS_TRIED: u16 = 100;

/// What the handlers need.
pub struct Site {
    pub shared: Arc<Shared>,
    /// The resource folder, canonical.
    pub root: PathBuf,
    /// `/NAME.pdf`, when the PDF is built.
    pub pdf_path: Option<String>,
    /// Changes at each start, so that a page of an earlier run reloads.
    pub instance: String,
}

/// A running server.
pub struct Server {
    http: Arc<tiny_http::Server>,
    handlers: Vec<JoinHandle<()>>,
    pub addr: SocketAddr,
}

/// Binds `host:port`, or the next free port when it is taken (port 0: any).
pub fn bind(host: &str, port: u16) -> Result<TcpListener, Error> {
    let last = if port == 0 {
        0
    } else {
        port.saturating_add(PORTS_TRIED - 1)
    };
    let mut tried = port;
    loop {
        match TcpListener::bind((host, tried)) {
            Ok(listener) => return Ok(listener),
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse && tried < last => tried += 1,
            Err(source) => {
                return Err(Error::Output {
                    path: PathBuf::from(format!("{host}:{tried}")),
                    source,
                })
            }
        }
    }
}

impl Server {
    /// Serves `site` on `listener` until [`Server::stop`].
    pub fn start(listener: TcpListener, site: Site) -> Result<Server, Error> {
        let addr = listener
            .local_addr()
            .map_err(|e| Error::Other(format!("cannot read the address listened on: {e}")))?;
        let http = tiny_http::Server::from_listener(listener, None)
            .map_err(|e| Error::Other(format!("cannot start the HTTP server: {e}")))?;
        let http = Arc::new(http);
        let site = Arc::new(site);
        let streams = Arc::new(AtomicUsize::new(0));
        let mut handlers = Vec::with_capacity(HANDLERS);
        for i in 0..HANDLERS {
            let http = Arc::clone(&http);
            let site = Arc::clone(&site);
            let streams = Arc::clone(&streams);
            let handler = std::thread::Builder::new()
                .name(format!("md-preview-http-{i}"))
                .spawn(move || {
                    while let Ok(request) = http.recv() {
                        if site.shared.lock().stopping {
                            break;
                        }
                        handle(request, &site, &streams);
                    }
                })
                .map_err(|e| Error::Other(format!("cannot start a thread: {e}")))?;
            handlers.push(handler);
        }
        Ok(Server {
            http,
            handlers,
            addr,
        })
    }

    /// Stops answering (the caller has set the state to stopping, which
    /// ends the event streams).
    pub fn stop(self) {
        for _ in &self.handlers {
            self.http.unblock();
        }
        for handler in self.handlers {
            let _ = handler.join();
        }
    }

    /// Waits for the handlers (they end only when stopped).
    pub fn join(self) {
        for handler in self.handlers {
            let _ = handler.join();
        }
    }
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("ASCII header")
}

/// Nothing served is cached: a reload shows the document as it is now.
fn no_store() -> Header {
    header("Cache-Control", "no-store")
}

fn not_found() -> Response<std::io::Cursor<Vec<u8>>> {
    Response::from_string("404 not found\n")
        .with_status_code(StatusCode(404))
        .with_header(header("Content-Type", "text/plain; charset=utf-8"))
}

fn handle(request: Request, site: &Site, streams: &Arc<AtomicUsize>) {
    let method = request.method().clone();
    let url = request.url();
    let path = url.split(['?', '#']).next().unwrap_or("").to_string();
    if !matches!(method, Method::Get | Method::Head) {
        let response = Response::from_string("405 method not allowed\n")
            .with_status_code(StatusCode(405))
            .with_header(header("Allow", "GET, HEAD"));
        let _ = request.respond(response);
        return;
    }
    let result = match path.as_str() {
        "/" | "/index.html" => {
            let body = {
                let state = site.shared.lock().clone();
                let pdf = site.pdf_path.as_deref().unwrap_or("");
                page::served_page(&state, &site.instance, pdf)
            };
            request.respond(
                Response::from_string(body)
                    .with_header(header("Content-Type", "text/html; charset=utf-8"))
                    .with_header(no_store()),
            )
        }
        page::STATE_PATH => {
            let body = {
                let state = site.shared.lock();
                let pdf = site.pdf_path.as_deref().unwrap_or("");
                page::state_json(&state, &site.instance, pdf)
            };
            request.respond(
                Response::from_string(body)
                    .with_header(header("Content-Type", "application/json"))
                    .with_header(no_store()),
            )
        }
        page::EVENTS_PATH => {
            start_stream(request, site, streams);
            Ok(())
        }
        p if Some(p) == site.pdf_path.as_deref() => {
            let pdf = site.shared.lock().pdf_bytes.clone();
            match pdf {
                Some(bytes) => request.respond(
                    Response::from_data(bytes.as_slice())
                        .with_header(header("Content-Type", "application/pdf"))
                        .with_header(no_store()),
                ),
                None => request.respond(not_found()),
            }
        }
        p => match resources::resolve(&site.root, p) {
            Some(file) => match std::fs::File::open(&file) {
                Ok(f) => request.respond(
                    Response::from_file(f)
                        .with_header(header("Content-Type", resources::content_type(&file)))
                        .with_header(no_store()),
                ),
                Err(_) => request.respond(not_found()),
            },
            None => request.respond(not_found()),
        },
    };
    // A client gone before its answer was written is no error of ours.
    drop(result);
}

/// The event stream (Server-Sent Events) of one page, on its own thread:
/// the state now, then the state after each change. tiny_http buffers a
/// response body until it ends, so the stream takes the connection over
/// after tiny_http has written the head of the response (its `upgrade`, with
/// the `Upgrade` header a server may send to announce a protocol, RFC 9110
/// 7.8); the body has no length and ends when the connection closes.
fn start_stream(request: Request, site: &Site, streams: &Arc<AtomicUsize>) {
    if streams.fetch_add(1, Ordering::SeqCst) >= MAX_STREAMS {
        streams.fetch_sub(1, Ordering::SeqCst);
        let _ = request.respond(
            Response::from_string("503 too many event streams\n").with_status_code(StatusCode(503)),
        );
        return;
    }
    let response = Response::empty(StatusCode(200))
        .with_header(header("Content-Type", "text/event-stream"))
        .with_header(no_store());
    let mut stream = request.upgrade("md-preview-events", response);
    let shared = Arc::clone(&site.shared);
    let instance = site.instance.clone();
    let pdf = site.pdf_path.clone().unwrap_or_default();
    let streams_left = Arc::clone(streams);
    let spawned = std::thread::Builder::new()
        .name("md-preview-events".into())
        .spawn(move || {
            // Reconnect quickly when the server restarts.
            let mut result = stream
                .write_all(b"retry: 300\n\n")
                .and_then(|()| stream.flush());
            let mut seen = u64::MAX;
            while result.is_ok() {
                let event = match shared.wait_change(seen, KEEP_ALIVE) {
                    Some(state) if state.stopping => break,
                    Some(state) => {
                        seen = state.version;
                        format!("data: {}\n\n", page::state_json(&state, &instance, &pdf))
                    }
                    None => ": keep-alive\n\n".to_string(),
                };
                result = stream
                    .write_all(event.as_bytes())
                    .and_then(|()| stream.flush());
            }
            streams_left.fetch_sub(1, Ordering::SeqCst);
        });
    if spawned.is_err() {
        streams.fetch_sub(1, Ordering::SeqCst);
    }
}

//! The preview server on a copy of `content/`: the page is the pipe's, it
//! follows the files, errors are shown, and nothing outside the resource
//! folder is served whatever the request; bursts and clients that go away
//! do not stop it.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Once;
use std::time::{Duration, Instant};

use md_preview::{Preview, PreviewOptions, WriterOptions};

static PANICKED: AtomicBool = AtomicBool::new(false);
static HOOK: Once = Once::new();

/// Records a panic on a thread of the server (named `md-preview-*`, or
/// unnamed as tiny_http's and notify's are), not on a test's own thread.
fn watch_panics() {
    HOOK.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let thread = std::thread::current();
            if thread
                .name()
                .is_none_or(|n| n.starts_with("md-preview") || n.starts_with("notify"))
            {
                PANICKED.store(true, Ordering::SeqCst);
            }
            default(info);
        }));
    });
}

fn content_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../content")
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A copy of content/ in a temporary folder (with a secret beside it).
fn copy_of_content() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    copy_dir(&content_dir(), &content);
    std::fs::write(dir.path().join("secret.txt"), "secret\n").unwrap();
    (dir, content)
}

/// The Makefile's HTML_OPTS: --toc --number-sections --embed-resources --resource-path content.
fn html_opts(content: &Path) -> WriterOptions {
    WriterOptions {
        toc: true,
        number_sections: true,
        embed_resources: true,
        resource_dir: content.to_path_buf(),
        ..WriterOptions::default()
    }
}

fn start(content: &Path, debounce_ms: u64) -> Preview {
    watch_panics();
    Preview::start(PreviewOptions {
        inputs: vec![content.to_path_buf()],
        port: 0,
        writer: html_opts(content),
        debounce: Duration::from_millis(debounce_ms),
        ..PreviewOptions::default()
    })
    .unwrap()
}

fn addr(preview: &Preview) -> SocketAddr {
    let url = preview
        .url()
        .trim_start_matches("http://")
        .trim_end_matches('/');
    url.parse().unwrap()
}

/// One request on its own connection: the status and the body.
fn request(addr: SocketAddr, raw_path: &str) -> (u16, Vec<u8>) {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    write!(
        stream,
        "GET {raw_path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut reader = BufReader::new(stream);
    read_response(&mut reader).unwrap()
}

/// Reads one response with a Content-Length or chunked body.
fn read_response(reader: &mut impl BufRead) -> std::io::Result<(u16, Vec<u8>)> {
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let status: u16 = line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("bad status line {line:?}"));
    let mut length = None;
    let mut chunked = false;
    loop {
        line.clear();
        reader.read_line(&mut line)?;
        let l = line.trim_end();
        if l.is_empty() {
            break;
        }
        let (name, value) = l.split_once(':').unwrap();
        if name.eq_ignore_ascii_case("content-length") {
            length = Some(value.trim().parse::<usize>().unwrap());
        }
        if name.eq_ignore_ascii_case("transfer-encoding") && value.contains("chunked") {
            chunked = true;
        }
    }
    let mut body = Vec::new();
    if chunked {
        loop {
            line.clear();
            reader.read_line(&mut line)?;
            let size = usize::from_str_radix(line.trim(), 16).unwrap();
            let mut chunk = vec![0; size + 2];
            reader.read_exact(&mut chunk)?;
            body.extend_from_slice(&chunk[..size]);
            if size == 0 {
                break;
            }
        }
    } else if let Some(n) = length {
        body.resize(n, 0);
        reader.read_exact(&mut body)?;
    }
    Ok((status, body))
}

fn page(addr: SocketAddr) -> String {
    let (status, body) = request(addr, "/");
    assert_eq!(status, 200);
    String::from_utf8(body).unwrap()
}

/// The page without the block md-preview injects.
fn without_injection(page: &str) -> String {
    let start = page
        .find(md_preview::INJECTED_START)
        .expect("injected block");
    let end = page.find(md_preview::INJECTED_END).unwrap() + md_preview::INJECTED_END.len() + 1;
    format!("{}{}", &page[..start], &page[end..])
}

/// `md2ast FILES | ast-filters html | ast2html HTML_OPTS`, through the JSON.
fn pipe(content: &Path) -> String {
    let mut files: Vec<PathBuf> = std::fs::read_dir(content)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    files.sort();
    let sources: Vec<md2ast::Source> = files
        .iter()
        .map(|p| md2ast::Source {
            path: p.clone(),
            text: std::fs::read_to_string(p).unwrap(),
        })
        .collect();
    let mut json = Vec::new();
    md2ast::write_json_from_sources(&sources, &md2ast::ReadOptions::default(), &mut json).unwrap();
    let mut filtered = Vec::new();
    let options = ast_filters::FilterOptions {
        format: Some("html".into()),
        ..Default::default()
    };
    ast_filters::apply_json(&json[..], &mut filtered, &options, |_| {}).unwrap();
    let options = ast2html::HtmlOptions {
        toc: true,
        number_sections: true,
        embed_resources: true,
        resource_path: vec![content.to_path_buf()],
        ..Default::default()
    };
    let mut html = String::new();
    ast2html::write_html_from_json(&filtered[..], None, &options, &mut html).unwrap();
    html
}

fn wait_for(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn state(addr: SocketAddr) -> serde_json::Value {
    let (status, body) = request(addr, md_preview::STATE_PATH);
    assert_eq!(status, 200);
    serde_json::from_slice(&body).unwrap()
}

#[test]
fn the_page_is_the_pipes_byte_for_byte_and_follows_the_files() {
    let (_dir, content) = copy_of_content();
    let preview = start(&content, 25);
    let addr = addr(&preview);
    assert_eq!(without_injection(&page(addr)), pipe(&content));

    // A chapter edited: a new page, still the pipe's.
    let chapter = content.join("20_genese.md");
    let text = std::fs::read_to_string(&chapter).unwrap();
    let generation = preview.generation();
    std::fs::write(
        &chapter,
        text.replace("Avant d'écrire", "Bien avant d'écrire"),
    )
    .unwrap();
    wait_for("the rebuild", || preview.generation() > generation);
    let new = page(addr);
    assert!(new.contains("Bien avant d’écrire"), "new text in the page");
    assert_eq!(without_injection(&new), pipe(&content));

    // An image changed: the page (which embeds it) too.
    let generation = preview.generation();
    let image = content.join("media/pipeline.png");
    let mut bytes = std::fs::read(&image).unwrap();
    bytes.extend_from_slice(b"\0");
    std::fs::write(&image, bytes).unwrap();
    wait_for("the new image", || preview.generation() > generation);
    assert_eq!(without_injection(&page(addr)), pipe(&content));

    // A new chapter counts.
    let generation = preview.generation();
    std::fs::write(
        content.join("95_annexe.md"),
        "# Annexe {#annexe}\n\nTexte ajouté.\n",
    )
    .unwrap();
    wait_for("the new chapter", || preview.generation() > generation);
    assert!(page(addr).contains("Texte ajouté."));

    // Bad YAML: the error with its place, the last good page kept.
    let metadata = content.join("00_metadata.md");
    let good = std::fs::read_to_string(&metadata).unwrap();
    let generation = preview.generation();
    std::fs::write(&metadata, good.replace("lang: fr-FR", "lang: [fr-FR")).unwrap();
    wait_for("the error", || !state(addr)["error"].is_null());
    let error = state(addr)["error"].as_str().unwrap().to_string();
    assert!(
        error.starts_with(&format!("{}:", metadata.display())),
        "{error}"
    );
    let position: Vec<&str> = error.splitn(4, ':').collect();
    assert!(
        position[1].parse::<u32>().is_ok() && position[2].parse::<u32>().is_ok(),
        "{error}"
    );
    assert_eq!(preview.generation(), generation, "the last good page stays");
    assert!(page(addr).contains("Texte ajouté."));
    // Fixed: the error goes.
    std::fs::write(&metadata, &good).unwrap();
    wait_for("the fix", || state(addr)["error"].is_null());
    preview.stop();
    assert!(!PANICKED.load(Ordering::SeqCst));
}

#[test]
fn a_burst_of_saves_is_one_rebuild() {
    let (_dir, content) = copy_of_content();
    // A long debounce, so that a loaded machine does not split the burst.
    let preview = start(&content, 300);
    let chapter = content.join("10_introduction.md");
    let text = std::fs::read_to_string(&chapter).unwrap();
    let generation = preview.generation();
    for i in 0..20 {
        std::fs::write(&chapter, format!("{text}\nSauvegarde {i}.\n")).unwrap();
        std::fs::write(
            content.join("20_genese.md"),
            std::fs::read(content.join("20_genese.md")).unwrap(),
        )
        .unwrap();
    }
    wait_for("the rebuild", || preview.generation() > generation);
    std::thread::sleep(Duration::from_millis(1500));
    assert_eq!(preview.generation(), generation + 1);
    assert!(page(addr(&preview)).contains("Sauvegarde 19."));
    preview.stop();
}

#[test]
fn typography_problems_are_listed_with_their_section() {
    let dir = tempfile::tempdir().unwrap();
    let doc = dir.path();
    std::fs::write(
        doc.join("00_meta.md"),
        "---\ntitle: Essai\nlang: fr-FR\n---\n",
    )
    .unwrap();
    std::fs::write(
        doc.join("10_texte.md"),
        "Avant le premier titre ; rien.\n\n# Annexe {#annexe}\n\nUne espace manque ici: voilà.\n\n\
         # Suite\n\nEt là !\n",
    )
    .unwrap();
    let preview = start(doc, 25);
    let state = state(addr(&preview));
    let problems = state["problems"].as_array().unwrap();
    let anchors: Vec<(&str, &serde_json::Value)> = problems
        .iter()
        .map(|p| (p["message"].as_str().unwrap(), &p["anchor"]))
        .collect();
    assert_eq!(anchors.len(), 3, "{anchors:?}");
    assert!(
        anchors[0].0.contains("rien") && anchors[0].1.is_null(),
        "{anchors:?}"
    );
    assert!(
        anchors[1].0.contains("ici:") && anchors[1].1 == "annexe",
        "{anchors:?}"
    );
    assert!(
        anchors[2].0.contains("là !") && anchors[2].1 == "suite",
        "{anchors:?}"
    );
    assert_eq!(state["problemCount"], 3);
    preview.stop();
}

#[test]
fn nothing_outside_the_resource_folder_is_served() {
    let (dir, content) = copy_of_content();
    std::os::unix::fs::symlink(dir.path().join("secret.txt"), content.join("lien.txt")).unwrap();
    std::os::unix::fs::symlink(dir.path(), content.join("parent")).unwrap();
    let preview = start(&content, 25);
    let addr = addr(&preview);
    let (status, body) = request(addr, "/media/pipeline.png");
    assert_eq!(status, 200);
    assert_eq!(
        body,
        std::fs::read(content.join("media/pipeline.png")).unwrap()
    );
    // A link that stays inside is followed.
    let (status, _) = request(addr, "/parent/content/00_metadata.md");
    assert_eq!(status, 200);
    for path in [
        "/../secret.txt",
        "/media/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/media%2f..%2f..%2fsecret.txt",
        "/..%5csecret.txt",
        "//etc/passwd",
        "/%2fetc/passwd",
        "/lien.txt",
        "/parent/secret.txt",
        "/nothing.png",
        "/media",
        "/dossier.pdf",
        "/__md-preview/other",
    ] {
        let (status, body) = request(addr, path);
        assert_eq!(status, 404, "{path}");
        assert!(!String::from_utf8_lossy(&body).contains("secret"), "{path}");
    }
    let mut stream = TcpStream::connect(addr).unwrap();
    write!(
        stream,
        "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let (status, _) = read_response(&mut BufReader::new(stream)).unwrap();
    assert_eq!(status, 405);
    preview.stop();
    assert!(!PANICKED.load(Ordering::SeqCst));
}

#[test]
fn ten_thousand_requests_on_one_connection() {
    let (_dir, content) = copy_of_content();
    let preview = start(&content, 25);
    let addr = addr(&preview);
    let stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    let mut writer = stream.try_clone().unwrap();
    const N: usize = 10_000;
    let paths = [
        "/media/pipeline.png",
        "/../secret.txt",
        md_preview::STATE_PATH,
    ];
    // All the requests at once (pipelined), read while they are written.
    let sending = std::thread::spawn(move || {
        let mut all = Vec::new();
        for i in 0..N {
            write!(all, "GET {} HTTP/1.1\r\nHost: x\r\n\r\n", paths[i % 3]).unwrap();
        }
        writer.write_all(&all).unwrap();
    });
    let mut reader = BufReader::new(stream);
    let png = std::fs::read(content.join("media/pipeline.png")).unwrap();
    for i in 0..N {
        let (status, body) = read_response(&mut reader).unwrap();
        match i % 3 {
            0 => assert!(status == 200 && body == png, "response {i}"),
            1 => assert_eq!(status, 404, "response {i}"),
            _ => assert_eq!(status, 200, "response {i}"),
        }
    }
    sending.join().unwrap();
    // Still serving others.
    assert_eq!(request(addr, "/").0, 200);
    preview.stop();
    assert!(!PANICKED.load(Ordering::SeqCst));
}

/// An event stream's first event (after the `retry:` line).
fn open_events(addr: SocketAddr) -> BufReader<TcpStream> {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    write!(
        stream,
        "GET {} HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n",
        md_preview::EVENTS_PATH
    )
    .unwrap();
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    reader.read_line(&mut line).unwrap();
    assert!(line.starts_with("HTTP/1.1 200"), "{line}");
    let mut content_type = false;
    loop {
        line.clear();
        reader.read_line(&mut line).unwrap();
        if line.trim().is_empty() {
            break;
        }
        content_type |= line
            .to_ascii_lowercase()
            .starts_with("content-type: text/event-stream");
    }
    assert!(content_type);
    reader
}

fn next_event(reader: &mut impl BufRead) -> serde_json::Value {
    let mut line = String::new();
    loop {
        line.clear();
        assert!(reader.read_line(&mut line).unwrap() > 0, "stream closed");
        if let Some(data) = line.strip_prefix("data: ") {
            return serde_json::from_str(data).unwrap();
        }
    }
}

#[test]
fn clients_that_go_away_mid_reload_do_not_stop_the_server() {
    let (_dir, content) = copy_of_content();
    let preview = start(&content, 25);
    let addr = addr(&preview);
    let chapter = content.join("30_architecture.md");
    let text = std::fs::read_to_string(&chapter).unwrap();
    let mut kept = open_events(addr);
    let first = next_event(&mut kept);
    for round in 0..5 {
        // Streams that close as the change is sent, and page loads cut short.
        let gone: Vec<_> = (0..4).map(|_| open_events(addr)).collect();
        let generation = preview.generation();
        std::fs::write(&chapter, format!("{text}\nVersion {round}.\n")).unwrap();
        drop(gone);
        for _ in 0..4 {
            let mut stream = TcpStream::connect(addr).unwrap();
            write!(stream, "GET / HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
            let mut some = [0u8; 100];
            let _ = stream.read(&mut some);
            // Dropped with most of the page unread: the server's writes fail.
        }
        wait_for("the rebuild", || preview.generation() > generation);
    }
    // The stream kept open saw the new pages, and the server still answers.
    let mut last = next_event(&mut kept);
    while last["generation"] != preview.generation() {
        last = next_event(&mut kept);
    }
    assert!(last["generation"].as_u64() > first["generation"].as_u64());
    assert!(page(addr).contains("Version 4."));
    preview.stop();
    assert!(!PANICKED.load(Ordering::SeqCst));
}

#[test]
fn a_taken_port_gives_the_next_one() {
    let (_dir, content) = copy_of_content();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    watch_panics();
    let preview = Preview::start(PreviewOptions {
        inputs: vec![content.clone()],
        port,
        writer: html_opts(&content),
        ..PreviewOptions::default()
    })
    .unwrap();
    let got = addr(&preview).port();
    assert!(got > port && got < port + 100, "{got} after {port}");
    assert!(preview.url().starts_with("http://127.0.0.1:"));
    preview.stop();
}

#[test]
fn a_pdf_that_fails_is_shown_as_failed_and_the_page_still_served() {
    let (dir, content) = copy_of_content();
    watch_panics();
    let preview = Preview::start(PreviewOptions {
        inputs: vec![content.clone()],
        port: 0,
        writer: html_opts(&content),
        pdf: true,
        name: Some("dossier".into()),
        tex_bundle: Some(dir.path().join("no-such-bundle.zip")),
        ..PreviewOptions::default()
    })
    .unwrap();
    let addr = addr(&preview);
    wait_for("the PDF's failure", || {
        state(addr)["pdf"]["state"] == "error"
    });
    let state = state(addr);
    assert!(
        state["pdf"]["message"]
            .as_str()
            .unwrap()
            .contains("no-such-bundle.zip"),
        "{state}"
    );
    assert!(state["pdf"]["url"].is_null(), "no PDF to link to yet");
    assert_eq!(request(addr, "/dossier.pdf").0, 404);
    assert!(state["error"].is_null());
    assert!(page(addr).contains("\"state\":\"error\""));
    preview.stop();
    assert!(!PANICKED.load(Ordering::SeqCst));
}

#[test]
fn a_missing_input_is_an_error_before_serving() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("absent.md");
    let error = match Preview::start(PreviewOptions {
        inputs: vec![missing.clone()],
        port: 0,
        ..PreviewOptions::default()
    }) {
        Err(e) => e,
        Ok(_) => panic!("started without its input"),
    };
    assert_eq!(error.exit_code(), ast::exit::NOINPUT);
    assert_eq!(
        error.to_string(),
        format!("{}: no such file or directory", missing.display())
    );
}

/// What a browser does with a page whose images are missing (a common state
/// while writing): the event stream holds one connection, and the images
/// are asked for over 6 keep-alive connections opened at once, in batches
/// (it opens new ones when it has closed idle ones). Every request gets its
/// answer: a connection accepted but never read would leave its client
/// waiting forever (the bound here is liveness, not speed). A server that
/// has just started is the likeliest to leave one unread (few idle threads
/// for the batch), so there are several of them.
#[test]
fn missing_images_over_six_keep_alive_connections_are_all_answered() {
    const IMAGES: usize = 400;
    let dir = tempfile::tempdir().unwrap();
    let doc = dir.path();
    std::fs::create_dir(doc.join("media")).unwrap();
    std::fs::write(doc.join("media/present.png"), b"\x89PNG\r\n\x1a\n").unwrap();
    let mut text = String::from("---\ntitle: Images\nlang: fr-FR\n---\n\n");
    for i in 0..IMAGES {
        text.push_str(&format!("![Figure {i}](media/absente-{i}.png)\n\n"));
    }
    std::fs::write(doc.join("texte.md"), text).unwrap();
    watch_panics();
    for server in 0..8 {
        let preview = Preview::start(PreviewOptions {
            inputs: vec![doc.to_path_buf()],
            port: 0,
            debounce: Duration::from_millis(25),
            ..PreviewOptions::default()
        })
        .unwrap();
        let addr = addr(&preview);
        assert!(page(addr).contains("media/absente-399.png"));
        let mut events = open_events(addr);
        next_event(&mut events);
        for round in 0..3 {
            load_images(addr, IMAGES, &format!("server {server}, round {round}"));
        }
        // The event stream is still live and the page still served.
        assert_eq!(request(addr, "/").0, 200);
        preview.stop();
        drop(events);
    }
    assert!(!PANICKED.load(Ordering::SeqCst));
}

/// Asks for `/media/absente-{0..images}.png` (one in ten present, one in
/// ten by HEAD) over 6 connections opened at once, each asking for its
/// share one request at a time; closes them once all are answered.
fn load_images(addr: SocketAddr, images: usize, what: &str) {
    const CONNECTIONS: usize = 6;
    let what = what.to_string();
    // All the connections first, as a browser opens them, then the
    // requests, each connection asking for its share one at a time.
    let streams: Vec<TcpStream> = (0..CONNECTIONS)
        .map(|_| TcpStream::connect(addr).unwrap())
        .collect();
    let clients: Vec<_> = streams
        .into_iter()
        .enumerate()
        .map(|(c, stream)| {
            let what = what.clone();
            std::thread::spawn(move || -> Result<(usize, TcpStream), String> {
                stream
                    .set_read_timeout(Some(Duration::from_secs(5)))
                    .unwrap();
                let mut writer = stream.try_clone().unwrap();
                let mut reader = BufReader::new(stream);
                let mut answered = 0;
                for i in (c..images).step_by(CONNECTIONS) {
                    let (method, path) = match i % 10 {
                        0 => ("GET", "/media/present.png".to_string()),
                        5 => ("HEAD", format!("/media/absente-{i}.png")),
                        _ => ("GET", format!("/media/absente-{i}.png")),
                    };
                    // In one write, as a browser sends it.
                    let head = format!("{method} {path} HTTP/1.1\r\nHost: x\r\n\r\n");
                    writer.write_all(head.as_bytes()).unwrap();
                    let (status, body) = if method == "HEAD" {
                        read_head(&mut reader)
                    } else {
                        read_response(&mut reader)
                    }
                    .map_err(|e| {
                        format!("{what}, connection {c}: no answer to {method} {path} ({e})")
                    })?;
                    let expected = if i % 10 == 0 { 200 } else { 404 };
                    assert_eq!(status, expected, "{method} {path}");
                    if method == "HEAD" {
                        assert!(body.is_empty());
                    }
                    answered += 1;
                }
                // Kept open, idle, as a browser keeps its connections:
                // one never read waits for another to close.
                Ok((answered, writer))
            })
        })
        .collect();
    let mut answered = 0;
    let mut idle = Vec::new();
    for client in clients {
        let (n, stream) = client.join().unwrap().unwrap_or_else(|e| panic!("{e}"));
        answered += n;
        idle.push(stream);
    }
    assert_eq!(answered, images);
    // Closed together once all are done: the server's threads for them
    // are idle again for the next batch.
    drop(idle);
    std::thread::sleep(Duration::from_millis(50));
}

/// Reads the head of an answer to HEAD (no body follows whatever its
/// Content-Length says).
fn read_head(reader: &mut impl BufRead) -> std::io::Result<(u16, Vec<u8>)> {
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let status: u16 = line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("bad status line {line:?}"));
    loop {
        line.clear();
        if reader.read_line(&mut line)? == 0 || line.trim_end().is_empty() {
            break;
        }
    }
    Ok((status, Vec::new()))
}

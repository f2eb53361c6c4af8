//! Which file a request path names: only a file under the resource folder,
//! by a relative path without `..`, that does not lead out of it through a
//! symbolic link. Anything else is `None` (the server answers 404).

use std::path::{Component, Path, PathBuf};

/// The file under `root` (already canonical) that the URL path `url_path`
/// names (percent-encoded, with its leading `/`, query removed), or `None`.
pub fn resolve(root: &Path, url_path: &str) -> Option<PathBuf> {
    let decoded = percent_decode(url_path.strip_prefix('/')?)?;
    if decoded.is_empty() || decoded.contains('\0') || decoded.contains('\\') {
        return None;
    }
    let relative = Path::new(&decoded);
    // Plain names only: no `..`, no root, no `.` tricks.
    if !relative
        .components()
        .all(|c| matches!(c, Component::Normal(_)))
    {
        return None;
    }
    // The real file, symbolic links followed, must still be under the root.
    let real = std::fs::canonicalize(root.join(relative)).ok()?;
    (real.starts_with(root) && real.is_file()).then_some(real)
}

/// `%XX` decoded, as UTF-8; `None` for a bad escape or bytes that are not
/// UTF-8. (`+` is a plus sign in a path.)
fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3)?;
            let hex = std::str::from_utf8(hex).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The `Content-Type` of a file served, by its extension.
pub fn content_type(path: &Path) -> &'static str {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("gif") => "image/gif",
        Some("svg") => "image/svg+xml",
        Some("webp") => "image/webp",
        Some("avif") => "image/avif",
        Some("ico") => "image/x-icon",
        Some("css") => "text/css; charset=utf-8",
        Some("js" | "mjs") => "text/javascript; charset=utf-8",
        Some("html" | "htm") => "text/html; charset=utf-8",
        Some("txt" | "md") => "text/plain; charset=utf-8",
        Some("json") => "application/json",
        Some("pdf") => "application/pdf",
        Some("woff") => "font/woff",
        Some("woff2") => "font/woff2",
        Some("otf") => "font/otf",
        Some("ttf") => "font/ttf",
        Some("mp4") => "video/mp4",
        Some("webm") => "video/webm",
        Some("mp3") => "audio/mpeg",
        Some("ogg") => "audio/ogg",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn root() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("content");
        std::fs::create_dir_all(root.join("media")).unwrap();
        std::fs::write(root.join("media/a b.png"), b"png").unwrap();
        std::fs::write(root.join("chapter.md"), b"# A").unwrap();
        std::fs::write(dir.path().join("secret.txt"), b"secret").unwrap();
        let root = std::fs::canonicalize(root).unwrap();
        (dir, root)
    }

    #[test]
    fn files_under_the_root_are_found() {
        let (_dir, root) = root();
        assert_eq!(
            resolve(&root, "/media/a%20b.png"),
            Some(root.join("media/a b.png"))
        );
        assert_eq!(resolve(&root, "/chapter.md"), Some(root.join("chapter.md")));
    }

    #[test]
    fn escapes_are_refused() {
        let (_dir, root) = root();
        for path in [
            "/../secret.txt",
            "/media/../../secret.txt",
            "/%2e%2e/secret.txt",
            "/%2E%2E%2Fsecret.txt",
            "/./chapter.md",
            "//etc/passwd",
            "/%2fetc%2fpasswd",
            "/media\\..\\..\\secret.txt",
            "/media/%00",
            "/%zz",
            "/%ff",
            "/media",
            "/",
            "",
        ] {
            assert_eq!(resolve(&root, path), None, "{path}");
        }
    }

    #[test]
    fn symbolic_links_out_are_refused_links_inside_followed() {
        let (dir, root) = root();
        std::os::unix::fs::symlink(dir.path().join("secret.txt"), root.join("out.txt")).unwrap();
        std::os::unix::fs::symlink(dir.path(), root.join("up")).unwrap();
        std::os::unix::fs::symlink(root.join("chapter.md"), root.join("in.md")).unwrap();
        assert_eq!(resolve(&root, "/out.txt"), None);
        assert_eq!(resolve(&root, "/up/secret.txt"), None);
        assert_eq!(resolve(&root, "/in.md"), Some(root.join("chapter.md")));
    }
}

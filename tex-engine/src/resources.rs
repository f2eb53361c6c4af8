//! The resource path: the folders a PDF build may read files from (images,
//! and files that raw LaTeX `\input`s, `\includegraphics` or `\openin`s).
//!
//! A name is resolved the way the kernel would open it (`..` and symbolic
//! links followed) and refused when the real file is outside every folder,
//! unless outside files are explicitly allowed. The TeX engine reads the
//! disk only through [`ResourcePath::find`] (see `pdf.rs`), so no TeX trick
//! (`\csname input\endcsname`, catcode changes...) gets around it.
//!
//! One exception: font files (`.otf`, `.ttf`...) in the system's font
//! folders, the ones fontconfig searches, so that `-V mainfont=NAME` can
//! name an installed font. Fonts are no secret, and nothing else is read
//! from those folders.

use std::fmt;
use std::path::{Path, PathBuf};

use ast::Error;

/// The folders files may be read from, resolved, and whether files outside
/// them are allowed.
#[derive(Debug, Clone)]
pub struct ResourcePath {
    /// The folders as given, for messages.
    given: Vec<PathBuf>,
    /// The same folders with `..` and symbolic links resolved.
    real: Vec<PathBuf>,
    /// The system's font folders, resolved: font files there are allowed.
    font_dirs: Vec<PathBuf>,
    allow_outside: bool,
}

/// A file that exists but lies outside every resource folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    /// The name as the document or the LaTeX wrote it.
    pub name: String,
    /// Where it really is.
    pub real: PathBuf,
}

impl ResourcePath {
    /// The folders `dirs` (the current directory when empty). A folder that
    /// does not exist is an error (exit 66).
    pub fn new(dirs: &[PathBuf], allow_outside: bool) -> Result<Self, Error> {
        let given: Vec<PathBuf> = if dirs.is_empty() {
            vec![PathBuf::from(".")]
        } else {
            dirs.to_vec()
        };
        let mut real = Vec::with_capacity(given.len());
        for dir in &given {
            let resolved = std::fs::canonicalize(dir).map_err(|source| Error::Input {
                path: dir.clone(),
                source,
            })?;
            if !resolved.is_dir() {
                return Err(Error::Usage(format!(
                    "{}: --resource-path names a file, not a folder",
                    dir.display()
                )));
            }
            real.push(resolved);
        }
        Ok(ResourcePath {
            given,
            real,
            font_dirs: system_font_dirs(),
            allow_outside,
        })
    }

    /// The folders as given.
    pub fn dirs(&self) -> &[PathBuf] {
        &self.given
    }

    /// Finds the file `name` opens: an absolute name as it is, a relative one
    /// in each folder in turn. `Ok(None)` when there is no such file (a
    /// folder of that name does not count); `Err` when the first file found
    /// is outside every folder and that is not allowed.
    pub fn find(&self, name: &str) -> Result<Option<PathBuf>, Refused> {
        if name.is_empty() || name.contains('\0') {
            return Ok(None);
        }
        let path = Path::new(name);
        let candidates: Vec<PathBuf> = if path.is_absolute() {
            vec![path.to_path_buf()]
        } else {
            self.real.iter().map(|dir| dir.join(path)).collect()
        };
        for candidate in candidates {
            // Resolves `..` after symbolic links, as the kernel does.
            let Ok(real) = std::fs::canonicalize(&candidate) else {
                continue;
            };
            if real.is_dir() {
                continue;
            }
            if self.allow_outside
                || self.real.iter().any(|dir| real.starts_with(dir))
                || (is_font_file(&real) && self.font_dirs.iter().any(|dir| real.starts_with(dir)))
            {
                return Ok(Some(real));
            }
            return Err(Refused {
                name: name.to_string(),
                real,
            });
        }
        Ok(None)
    }

    /// The error for a refused file: says which and what to do. `subject`
    /// names it, e.g. ``image `../x.png` ``.
    pub fn refusal(&self, subject: &str, refused: &Refused) -> Error {
        let real = refused.real.display().to_string();
        let resolves = if real == refused.name {
            String::new()
        } else {
            format!(" (it resolves to {real})")
        };
        Error::Data(format!(
            "{subject} is outside the resource path `{self}`{resolves}: refused\n\
             hint: put the file under a folder of --resource-path, or pass \
             --allow-outside-resources if the document is trusted"
        ))
    }
}

/// Font files by their extension.
fn is_font_file(path: &Path) -> bool {
    const FONTS: &[&str] = &["otf", "ttf", "ttc", "otc", "pfb", "pfa"];
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| FONTS.iter().any(|f| e.eq_ignore_ascii_case(f)))
}

/// The folders fontconfig searches: the usual ones, and the `<dir>`
/// elements of `/etc/fonts/fonts.conf` and `/etc/fonts/conf.d/*.conf`
/// (`~` and `prefix="xdg"` expanded), those that exist, resolved.
fn system_font_dirs() -> Vec<PathBuf> {
    let home = std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .map(PathBuf::from);
    let xdg_data = std::env::var_os("XDG_DATA_HOME")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .or_else(|| home.as_ref().map(|h| h.join(".local/share")));
    let mut dirs: Vec<PathBuf> = vec![
        PathBuf::from("/usr/share/fonts"),
        PathBuf::from("/usr/local/share/fonts"),
    ];
    dirs.extend(home.as_ref().map(|h| h.join(".fonts")));
    dirs.extend(xdg_data.as_ref().map(|d| d.join("fonts")));
    let mut configs = vec![PathBuf::from("/etc/fonts/fonts.conf")];
    if let Ok(entries) = std::fs::read_dir("/etc/fonts/conf.d") {
        configs.extend(entries.flatten().map(|e| e.path()));
    }
    for config in configs {
        let Ok(text) = std::fs::read_to_string(&config) else {
            continue;
        };
        for element in text.split("<dir").skip(1) {
            let Some((attributes, rest)) = element.split_once('>') else {
                continue;
            };
            let Some((value, _)) = rest.split_once("</dir>") else {
                continue;
            };
            let value = value.trim();
            let dir = if attributes.contains("prefix=\"xdg\"") {
                xdg_data.as_ref().map(|d| d.join(value))
            } else if let Some(rest) = value.strip_prefix("~/") {
                home.as_ref().map(|h| h.join(rest))
            } else if value.starts_with('/') {
                Some(PathBuf::from(value))
            } else {
                None
            };
            dirs.extend(dir);
        }
    }
    let mut real: Vec<PathBuf> = dirs
        .iter()
        .filter_map(|d| std::fs::canonicalize(d).ok())
        .filter(|d| d.is_dir() && d != Path::new("/"))
        .collect();
    real.sort();
    real.dedup();
    real
}

impl fmt::Display for ResourcePath {
    /// The folders, colon-separated, as `--resource-path` takes them.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shown: Vec<String> = self.given.iter().map(|d| d.display().to_string()).collect();
        write!(f, "{}", shown.join(":"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_inside_are_found_outside_refused_absent_none() {
        let top = tempfile::tempdir().unwrap();
        let res = top.path().join("res");
        std::fs::create_dir_all(res.join("media")).unwrap();
        std::fs::write(res.join("media/a.png"), b"x").unwrap();
        std::fs::write(top.path().join("secret.txt"), b"x").unwrap();
        let path = ResourcePath::new(std::slice::from_ref(&res), false).unwrap();
        let real_res = std::fs::canonicalize(&res).unwrap();
        assert_eq!(
            path.find("media/a.png").unwrap(),
            Some(real_res.join("media/a.png"))
        );
        // `..` that comes back inside is fine.
        assert_eq!(
            path.find("media/../media/a.png").unwrap(),
            Some(real_res.join("media/a.png"))
        );
        assert_eq!(path.find("media/absent.png").unwrap(), None);
        assert_eq!(path.find("media").unwrap(), None, "a folder is not a file");
        let refused = path.find("../secret.txt").unwrap_err();
        assert_eq!(refused.name, "../secret.txt");
        let absolute = top.path().join("secret.txt");
        assert!(path.find(absolute.to_str().unwrap()).is_err());
        let message = path.refusal("image `../secret.txt`", &refused).to_string();
        assert!(
            message.starts_with("image `../secret.txt` is outside the resource path `"),
            "{message}"
        );
        assert!(
            message.contains("/secret.txt): refused\nhint: "),
            "{message}"
        );
        let allowed = ResourcePath::new(&[res], true).unwrap();
        assert!(allowed.find("../secret.txt").unwrap().is_some());
    }

    #[test]
    fn font_files_in_the_system_font_folders_are_allowed_nothing_else() {
        let top = tempfile::tempdir().unwrap();
        let fonts = top.path().join("fonts");
        std::fs::create_dir_all(&fonts).unwrap();
        std::fs::write(fonts.join("Some-Regular.TTF"), b"x").unwrap();
        std::fs::write(fonts.join("notes.txt"), b"x").unwrap();
        let mut path = ResourcePath::new(&[top.path().join("fonts/..")], false).unwrap();
        path.real = vec![std::fs::canonicalize(top.path()).unwrap().join("elsewhere")];
        path.font_dirs = vec![std::fs::canonicalize(&fonts).unwrap()];
        let font = fonts.join("Some-Regular.TTF");
        assert!(path.find(font.to_str().unwrap()).unwrap().is_some());
        let text = fonts.join("notes.txt");
        assert!(path.find(text.to_str().unwrap()).is_err());
        assert!(is_font_file(Path::new("a/b.otf")) && !is_font_file(Path::new("a/otf")));
    }

    #[test]
    fn a_missing_folder_is_exit_66() {
        let err = ResourcePath::new(&[PathBuf::from("/nonexistent/folder")], false).unwrap_err();
        assert_eq!(err.exit_code(), ast::exit::NOINPUT);
        assert!(
            err.to_string().starts_with("/nonexistent/folder: "),
            "{err}"
        );
    }
}

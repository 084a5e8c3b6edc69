//! What every file Tend writes for people shares: its type, named by the file's extension,
//! and the write itself (whole or not at all).

use std::path::Path;

use crate::error::{DocumentError, Error, Result};

/// A type of file Tend writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileType {
    /// A self-contained web page.
    Html,
    /// PDF (A4).
    Pdf,
    /// Markdown.
    Md,
    /// Plain text.
    Txt,
    /// A ZIP archive.
    Zip,
    /// A scalable picture.
    Svg,
    /// A bitmap picture.
    Png,
}

impl FileType {
    /// The endings that name this type, the usual one first.
    pub fn endings(self) -> &'static [&'static str] {
        match self {
            FileType::Html => &["html", "htm"],
            FileType::Pdf => &["pdf"],
            FileType::Md => &["md", "markdown"],
            FileType::Txt => &["txt"],
            FileType::Zip => &["zip"],
            FileType::Svg => &["svg"],
            FileType::Png => &["png"],
        }
    }

    /// The usual ending.
    pub fn ending(self) -> &'static str {
        self.endings()[0]
    }

    /// Which of `allowed` the ending of `path` names (any case); anything else is refused
    /// before a document is made, naming the file and the endings `allowed` takes.
    pub fn of(path: &Path, allowed: &[FileType]) -> Result<FileType> {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or("")
            .to_ascii_lowercase();
        allowed
            .iter()
            .copied()
            .find(|t| t.endings().contains(&ext.as_str()))
            .ok_or_else(|| {
                DocumentError::FileType {
                    path: path.to_path_buf(),
                    expected: endings_or(allowed),
                }
                .into()
            })
    }
}

/// ".html, .pdf or .md".
fn endings_or(types: &[FileType]) -> String {
    let endings: Vec<String> = types.iter().map(|t| format!(".{}", t.ending())).collect();
    match endings.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => endings.concat(),
    }
}

/// Reads a text file given by hand (a kit template, a playbook): a regular file, not a link,
/// of at most `limit` bytes, as UTF-8 (a stray invalid byte becomes U+FFFD).
pub fn read_text(path: &Path, limit: u64) -> Result<String> {
    let bytes = crate::limits::read_regular(path, limit).map_err(|source| Error::Read {
        path: path.to_path_buf(),
        source,
    })?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// Writes `bytes` to `path` whole or not at all, readable by this account only: into a new
/// `.part` file beside it (mode 600, never through a link left there), then renamed over
/// it, so a full disk or a crash never leaves half a document under its name. Every file
/// Tend writes for people holds member data (kits, reports, a member's own data), and so do
/// its secrets: all of them are written here.
pub fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    let failed = |source: std::io::Error| Error::Write {
        path: path.to_path_buf(),
        source,
    };
    let mut part = path.as_os_str().to_owned();
    part.push(".part");
    let part = std::path::PathBuf::from(part);
    write_new_private(&part, bytes)
        .and_then(|()| std::fs::rename(&part, path))
        .map_err(|e| {
            let _ = std::fs::remove_file(&part);
            failed(e)
        })
}

/// Creates `path` afresh (a file or link already there is removed, never followed) with
/// mode 600, writes `bytes` and flushes them to disk.
fn write_new_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
        _ => {}
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ending_names_the_type_and_anything_else_is_refused_with_the_choices() {
        let kinds = [FileType::Html, FileType::Pdf];
        assert_eq!(
            FileType::of(Path::new("r.HTM"), &kinds).ok(),
            Some(FileType::Html)
        );
        assert_eq!(
            FileType::of(Path::new("r.pdf"), &kinds).ok(),
            Some(FileType::Pdf)
        );
        let refused = FileType::of(Path::new("/tmp/r.docx"), &kinds).expect_err("docx");
        assert_eq!(
            refused.to_string(),
            "/tmp/r.docx: expected a file name ending in .html or .pdf"
        );
        assert!(FileType::of(Path::new("report"), &kinds).is_err());
    }

    #[test]
    fn a_write_that_fails_leaves_no_part_file_and_names_the_file() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("kit.html");
        write(&path, b"one").expect("write");
        write(&path, b"two").expect("overwrite");
        assert_eq!(std::fs::read(&path).expect("read"), b"two");
        let names: Vec<_> = std::fs::read_dir(dir.path()).expect("list").collect();
        assert_eq!(names.len(), 1);
        let missing = dir.path().join("no/such/folder/kit.html");
        let e = write(&missing, b"x").expect_err("no folder");
        assert!(e.to_string().contains("no/such/folder/kit.html"), "{e}");
    }

    #[cfg(unix)]
    #[test]
    fn a_document_is_for_this_account_only_and_a_planted_link_is_not_followed() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("report.html");
        std::fs::write(&path, b"old").expect("an older report");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).expect("644");
        let elsewhere = dir.path().join("elsewhere");
        std::fs::write(&elsewhere, b"untouched").expect("elsewhere");
        std::os::unix::fs::symlink(&elsewhere, dir.path().join("report.html.part")).expect("link");

        write(&path, b"new").expect("write");

        let mode = std::fs::metadata(&path).expect("meta").permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        assert_eq!(std::fs::read(&path).expect("read"), b"new");
        assert_eq!(std::fs::read(&elsewhere).expect("read"), b"untouched");
        assert!(!dir.path().join("report.html.part").exists());
    }
}

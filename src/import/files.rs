//! An export as a set of named files, whether it arrived as a folder or as a ZIP.

use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};

use super::error::ImportError;
use crate::limits::{self, Refused};

/// The files of one export, read one at a time (never the whole export in memory).
pub enum ExportFiles {
    /// An unpacked folder.
    Dir(PathBuf),
    /// A ZIP archive.
    Zip {
        /// The archive's path.
        path: PathBuf,
        /// The open archive.
        archive: Box<zip::ZipArchive<BufReader<File>>>,
    },
}

impl ExportFiles {
    /// Opens a folder, or a ZIP (checking its directory, so a truncated one fails here).
    pub fn open(path: &Path) -> Result<ExportFiles, ImportError> {
        let refused = |reason| ImportError::Refused {
            path: path.display().to_string(),
            reason,
        };
        if limits::kind_of(path).map_err(refused)?.is_dir() {
            return Ok(ExportFiles::Dir(path.to_path_buf()));
        }
        let file = limits::open_regular(path).map_err(refused)?;
        let archive = zip::ZipArchive::new(BufReader::new(file)).map_err(|e| ImportError::Zip {
            path: path.to_path_buf(),
            message: e.to_string(),
        })?;
        if archive.len() > limits::MAX_ZIP_ENTRIES {
            return Err(ImportError::Malformed {
                path: path.display().to_string(),
                line: None,
                column: None,
                message: format!(
                    "{} entries, more than the {} Tend opens in one archive",
                    archive.len(),
                    limits::MAX_ZIP_ENTRIES
                ),
            });
        }
        Ok(ExportFiles::Zip {
            path: path.to_path_buf(),
            archive: Box::new(archive),
        })
    }

    /// Every file's name, relative, with `/` separators, sorted.
    pub fn names(&self) -> Vec<String> {
        let mut names = match self {
            ExportFiles::Dir(root) => {
                let mut out = Vec::new();
                walk(root, root, &mut out);
                out
            }
            ExportFiles::Zip { archive, .. } => archive
                .file_names()
                .filter(|n| !n.ends_with('/'))
                .map(str::to_string)
                .collect(),
        };
        names.sort();
        names
    }

    /// Whether the export holds `name` (a regular file, not a link).
    pub fn has(&self, name: &str) -> bool {
        match self {
            ExportFiles::Dir(root) => {
                limits::kind_of(&root.join(name)).is_ok_and(|m| m.file_type().is_file())
            }
            ExportFiles::Zip { archive, .. } => archive.index_for_name(name).is_some(),
        }
    }

    /// How to name `name` in a message: `export.zip!general/2016-01-01.json`.
    pub fn label(&self, name: &str) -> String {
        match self {
            ExportFiles::Dir(root) => root.join(name).display().to_string(),
            ExportFiles::Zip { path, .. } => format!("{}!{name}", path.display()),
        }
    }

    /// Reads one file whole: at most [`limits::MAX_FILE_BYTES`], a regular file in a folder,
    /// and in a ZIP an entry whose compression ratio is that of real data. A refused file
    /// is [`ImportError::Refused`], named; the caller may skip it and go on.
    pub fn read(&mut self, name: &str) -> Result<Vec<u8>, ImportError> {
        let label = self.label(name);
        let refused = |reason| ImportError::Refused {
            path: label.clone(),
            reason,
        };
        match self {
            ExportFiles::Dir(root) => {
                let p = root.join(name);
                limits::read_regular(&p, limits::MAX_FILE_BYTES).map_err(|e| match e {
                    Refused::Io(source) => ImportError::Io { path: p, source },
                    other => refused(other),
                })
            }
            ExportFiles::Zip { path, archive } => {
                let zip_err = |e: &dyn std::fmt::Display| ImportError::Zip {
                    path: path.clone(),
                    message: format!("{name}: {e}"),
                };
                let entry = archive.by_name(name).map_err(|e| zip_err(&e))?;
                check_entry(entry.size(), entry.compressed_size()).map_err(&refused)?;
                let size = entry.size();
                limits::read_capped(entry, limits::MAX_FILE_BYTES, size).map_err(|e| match e {
                    Refused::Io(e) => zip_err(&e),
                    other => refused(other),
                })
            }
        }
    }
}

/// Refuses a ZIP entry that claims more than Tend reads, or that is compressed more than
/// real data compresses (a bomb). What is actually read is capped again, whatever the
/// entry claims.
fn check_entry(size: u64, compressed: u64) -> Result<(), Refused> {
    let limit = limits::MAX_FILE_BYTES.min(limits::MAX_ZIP_ENTRY_BYTES);
    if size > limit {
        return Err(Refused::TooLarge { size, limit });
    }
    if size > limits::RATIO_FREE_BYTES && size / compressed.max(1) > limits::MAX_COMPRESSION_RATIO {
        return Err(Refused::Io(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!(
                "compressed {} times ({compressed} bytes unpacking to {size}); real exports compress at most {} times — a ZIP bomb?",
                size / compressed.max(1),
                limits::MAX_COMPRESSION_RATIO
            ),
        )));
    }
    Ok(())
}

/// The regular files under `root`, relative, with `/` separators: never through a link (so
/// no loop and nothing outside the folder), at most [`limits::MAX_FOLDER_DEPTH`] deep and
/// [`limits::MAX_FOLDER_FILES`] many.
pub fn regular_files(root: &Path) -> Vec<String> {
    let mut out = Vec::new();
    walk(root, root, &mut out);
    out
}

fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) {
    walk_at(root, dir, 0, out)
}

fn walk_at(root: &Path, dir: &Path, depth: usize, out: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        if out.len() >= limits::MAX_FOLDER_FILES {
            return;
        }
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        let p = entry.path();
        if kind.is_dir() && depth < limits::MAX_FOLDER_DEPTH {
            walk_at(root, &p, depth + 1, out);
        } else if kind.is_file() {
            if let Ok(rel) = p.strip_prefix(root) {
                out.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
}

//! An export as a set of named files, whether it arrived as a folder or as a ZIP.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

use super::error::ImportError;

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

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> ImportError + '_ {
    move |source| ImportError::Io {
        path: path.to_path_buf(),
        source,
    }
}

impl ExportFiles {
    /// Opens a folder, or a ZIP (checking its directory, so a truncated one fails here).
    pub fn open(path: &Path) -> Result<ExportFiles, ImportError> {
        if path.is_dir() {
            return Ok(ExportFiles::Dir(path.to_path_buf()));
        }
        let file = File::open(path).map_err(io(path))?;
        let archive = zip::ZipArchive::new(BufReader::new(file)).map_err(|e| ImportError::Zip {
            path: path.to_path_buf(),
            message: e.to_string(),
        })?;
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

    /// Whether the export holds `name`.
    pub fn has(&self, name: &str) -> bool {
        match self {
            ExportFiles::Dir(root) => root.join(name).is_file(),
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

    /// Reads one file whole.
    pub fn read(&mut self, name: &str) -> Result<Vec<u8>, ImportError> {
        match self {
            ExportFiles::Dir(root) => {
                let p = root.join(name);
                std::fs::read(&p).map_err(io(&p))
            }
            ExportFiles::Zip { path, archive } => {
                let zip_err = |e: &dyn std::fmt::Display| ImportError::Zip {
                    path: path.clone(),
                    message: format!("{name}: {e}"),
                };
                let mut entry = archive.by_name(name).map_err(|e| zip_err(&e))?;
                let mut buf = Vec::with_capacity(entry.size().min(64 << 20) as usize);
                entry.read_to_end(&mut buf).map_err(|e| zip_err(&e))?;
                Ok(buf)
            }
        }
    }
}

fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let p = entry.path();
        if p.is_dir() {
            walk(root, &p, out);
        } else if let Ok(rel) = p.strip_prefix(root) {
            out.push(rel.to_string_lossy().replace('\\', "/"));
        }
    }
}

//! Watching a folder that others write into (the drop folder, the shared sync folder)
//! without trusting what is in it: one watch per real sub-folder, never through a link (a
//! link to `/` or `/usr` would watch the whole system, or stop at the first folder this
//! account may not read), and a sub-folder that cannot be watched is reported and left to
//! the periodic rescan instead of stopping the watch.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::Duration;

use notify::{RecursiveMode, Watcher};

use crate::limits;

/// A sub-folder left unwatched, and why: changes in it are seen at the next rescan.
#[derive(Debug)]
pub struct Unwatched {
    /// The folder.
    pub path: PathBuf,
    /// Why it could not be watched (or listed).
    pub error: std::io::Error,
}

/// A folder watched safely: wakes on any change in it or in its real sub-folders down to
/// a depth.
pub struct Watching {
    watcher: notify::RecommendedWatcher,
    root: PathBuf,
    depth: usize,
    watched: HashSet<PathBuf>,
    reported: HashSet<PathBuf>,
    wake: tokio::sync::mpsc::UnboundedReceiver<()>,
}

impl Watching {
    /// Starts watching `root` and its real sub-folders down to `depth` levels below it
    /// (0: the folder alone). Fails only when `root` itself cannot be watched; what could
    /// not be watched below it comes back to be reported.
    pub fn start(root: &Path, depth: usize) -> std::io::Result<(Watching, Vec<Unwatched>)> {
        let (tx, wake) = tokio::sync::mpsc::unbounded_channel();
        let config = notify::Config::default().with_follow_symlinks(false);
        let mut watcher = notify::RecommendedWatcher::new(
            move |event: notify::Result<notify::Event>| {
                // A file or folder opened or read (our own listing among them) is no change.
                if !event.is_ok_and(|e| e.kind.is_access()) {
                    let _ = tx.send(());
                }
            },
            config,
        )
        .map_err(std::io::Error::other)?;
        watcher
            .watch(root, RecursiveMode::NonRecursive)
            .map_err(std::io::Error::other)?;
        let mut watching = Watching {
            watcher,
            root: root.to_path_buf(),
            depth,
            watched: HashSet::from([root.to_path_buf()]),
            reported: HashSet::new(),
            wake,
        };
        let unwatched = watching.refresh();
        Ok((watching, unwatched))
    }

    /// Watches the sub-folders that appeared since, forgets those gone, and returns those
    /// that could not be watched and were not reported before.
    pub fn refresh(&mut self) -> Vec<Unwatched> {
        let (found, problems) = sub_folders(&self.root, self.depth);
        self.watched
            .retain(|p| p == &self.root || found.contains(p));
        let mut unwatched = Vec::new();
        for dir in found {
            if self.watched.contains(&dir) {
                continue;
            }
            match self.watcher.watch(&dir, RecursiveMode::NonRecursive) {
                Ok(()) => {
                    self.watched.insert(dir);
                }
                Err(e) => unwatched.push(Unwatched {
                    path: dir,
                    error: std::io::Error::other(e),
                }),
            }
        }
        unwatched.extend(problems);
        unwatched.retain(|u| self.reported.insert(u.path.clone()));
        unwatched
    }

    /// Waits up to `wait` for a change; whether one came.
    pub async fn changed(&mut self, wait: Duration) -> bool {
        tokio::time::timeout(wait, self.wake.recv()).await.is_ok()
    }

    /// Forgets the changes seen so far (those of our own writes).
    pub fn drain(&mut self) {
        while self.wake.try_recv().is_ok() {}
    }

    /// The folders watched now.
    pub fn watched(&self) -> impl Iterator<Item = &Path> {
        self.watched.iter().map(PathBuf::as_path)
    }
}

/// The real sub-folders of `root` down to `depth` levels (never through a link), at most
/// [`limits::MAX_WATCHED_FOLDERS`], and the folders that could not be listed.
fn sub_folders(root: &Path, depth: usize) -> (HashSet<PathBuf>, Vec<Unwatched>) {
    let mut found = HashSet::new();
    let mut problems = Vec::new();
    let mut level = vec![root.to_path_buf()];
    for _ in 0..depth {
        let mut next = Vec::new();
        for dir in level {
            let entries = match std::fs::read_dir(&dir) {
                Ok(entries) => entries,
                Err(error) => {
                    // The root's own failure is the watch's, not a sub-folder's.
                    if dir != root {
                        problems.push(Unwatched { path: dir, error });
                    }
                    continue;
                }
            };
            for entry in entries.flatten().take(limits::MAX_FOLDER_FILES) {
                // The entry's own type: a link is a link, whatever it points at.
                let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
                if is_dir && found.len() < limits::MAX_WATCHED_FOLDERS {
                    found.insert(entry.path());
                    next.push(entry.path());
                }
            }
        }
        level = next;
    }
    (found, problems)
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[tokio::test]
    async fn links_are_never_followed_and_new_sub_folders_are_watched() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("a/b")).unwrap();
        std::os::unix::fs::symlink("/usr", root.join("usr")).unwrap();
        std::os::unix::fs::symlink("/", root.join("all")).unwrap();
        let (mut w, unwatched) = Watching::start(root, 16).unwrap();
        assert!(unwatched.is_empty(), "{unwatched:?}");
        let mut watched: Vec<PathBuf> = w.watched().map(Path::to_path_buf).collect();
        watched.sort();
        assert_eq!(
            watched,
            [root.to_path_buf(), root.join("a"), root.join("a/b")]
        );
        std::fs::create_dir(root.join("c")).unwrap();
        assert!(
            w.changed(Duration::from_secs(5)).await,
            "the root's change wakes"
        );
        w.refresh();
        assert!(w.watched().any(|p| p == root.join("c")));
        w.drain();
        std::fs::write(root.join("a/b/file"), "x").unwrap();
        assert!(
            w.changed(Duration::from_secs(5)).await,
            "a sub-folder's change wakes"
        );
        // Only as far down as asked.
        let (w, _) = Watching::start(root, 1).unwrap();
        assert_eq!(w.watched().count(), 3, "the root, a and c");
    }
}

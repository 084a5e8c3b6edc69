//! Importing what people really export: each format's reader turns a file or folder into
//! people, spaces and activities, and `writer::Writer` stores them in one transaction.
//! The kind of export is found from its content, not only its name.

pub(crate) mod attendance;
pub(crate) mod conversation;
pub(crate) mod csv;
pub(crate) mod csv_rows;
pub(crate) mod dates;
pub(crate) mod discord;
pub(crate) mod discourse;
pub mod discourse_live;
pub mod error;
pub(crate) mod files;
pub mod history;
pub(crate) mod json;
pub(crate) mod mbox;
pub(crate) mod record;
pub(crate) mod skips;
pub(crate) mod slack;
pub(crate) mod telegram;
pub(crate) mod viva;
pub mod whatsapp;
pub(crate) mod writer;

use std::path::{Path, PathBuf};
use std::time::Instant;

use serde::Serialize;
use ts_rs::TS;

pub use error::{ErrorWords, ImportError, Looked};
use files::ExportFiles;
pub use record::Skip;
pub use skips::SkipKind;
use writer::Writer;

use crate::store::Store;

/// The formats Tend reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum ImportKind {
    /// Slack workspace export (ZIP or folder).
    Slack,
    /// Mailing-list archive (mbox, plain or gzip).
    Mbox,
    /// Generic CSV folder (`members.csv` and `activities.csv`).
    Csv,
    /// Discourse API JSON (a topic, a topic list, a post list, a user list, or a folder).
    Discourse,
    /// Webinar or meeting attendance report (Zoom, Teams).
    Attendance,
    /// Viva Engage (Yammer) network data export.
    Viva,
    /// WhatsApp "Export chat" (`.txt`, or the `.zip` with media).
    #[serde(rename = "whatsapp")]
    WhatsApp,
    /// Telegram Desktop export (`result.json`: one chat or a full export).
    Telegram,
    /// Discord channels exported with DiscordChatExporter (JSON per channel, or a folder).
    Discord,
}

impl ImportKind {
    /// The source kind stored for it.
    pub fn as_str(self) -> &'static str {
        match self {
            ImportKind::Slack => "slack",
            ImportKind::Mbox => "mbox",
            ImportKind::Csv => "csv",
            ImportKind::Discourse => "discourse",
            ImportKind::Attendance => "attendance",
            ImportKind::Viva => "viva",
            ImportKind::WhatsApp => "whatsapp",
            ImportKind::Telegram => "telegram",
            ImportKind::Discord => "discord",
        }
    }
}

/// Choices for one import.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// Name of the source (workspace, list, forum); found from the export when `None`.
    pub source_name: Option<String>,
    /// Keep message bodies for this source (off by default: Tend stores who, when, where).
    pub keep_bodies: bool,
    /// Whether a WhatsApp chat's dates are day- or month-first, when the file does not
    /// settle it (no day above 12).
    pub date_order: Option<whatsapp::DateOrder>,
}

/// Progress of a long import, reported by the importer and read by the shells.
pub trait Progress: Sync {
    /// The import will take `total` steps.
    fn start(&self, total: u64);
    /// `n` more steps are done.
    fn advance(&self, n: u64);
    /// Whether the user asked to stop.
    fn cancelled(&self) -> bool {
        false
    }
}

/// Progress that nobody watches.
pub struct Silent;

impl Progress for Silent {
    fn start(&self, _total: u64) {}
    fn advance(&self, _n: u64) {}
}

/// What importing one path did.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct FileReport {
    /// The file or folder.
    pub path: String,
    /// Its format.
    pub kind: ImportKind,
    /// Activities added.
    #[ts(type = "number")]
    pub added: u64,
    /// Activities already in the store.
    #[ts(type = "number")]
    pub already_present: u64,
    /// Members created.
    #[ts(type = "number")]
    pub members_added: u64,
    /// The source it went into (its name).
    pub source: String,
    /// An earlier import of exactly this content, if there was one: nothing new can come
    /// of it, and it went to that import's source.
    pub same_as: Option<history::Earlier>,
    /// The community this import started, named after its source, when the database had
    /// none (rename it with `tend init` or in the app).
    pub community_started: Option<String>,
    /// Records left out, grouped by kind in plain words, most common first.
    pub skip_groups: Vec<skips::SkipGroup>,
    /// Records left out, each with its reason.
    pub skipped: Vec<SkipView>,
    /// Time taken, in milliseconds.
    #[ts(type = "number")]
    pub millis: u64,
}

impl FileReport {
    /// The report of a finished import.
    pub fn new(
        path: String,
        kind: ImportKind,
        counts: writer::Counts,
        skipped: Vec<Skip>,
        millis: u64,
    ) -> FileReport {
        FileReport {
            path,
            kind,
            added: counts.added,
            already_present: counts.present,
            members_added: counts.members_added,
            source: String::new(),
            same_as: None,
            community_started: None,
            skip_groups: skips::group(&skipped),
            skipped: skipped
                .into_iter()
                .map(|s| SkipView {
                    kind: skips::SkipKind::of(&s.reason),
                    location: s.location,
                    reason: s.reason,
                })
                .collect(),
            millis,
        }
    }
}

/// A skipped record as reported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SkipView {
    /// File and line or record, relative to what was imported.
    pub location: String,
    /// Its kind, which the shells word in plain words.
    pub kind: skips::SkipKind,
    /// The importer's own reason (in its terms, for the command line's JSON).
    pub reason: String,
}

/// A skipped record's place said relative to what was imported: inside a folder, from
/// the folder; for a file, from its name (`general/2016-01-01.json line 3`, `chat.txt line
/// 9`), so no absolute path is shown.
fn relative(imported: &Path, location: &str) -> String {
    let root = if imported.is_dir() {
        Some(imported)
    } else {
        imported.parent()
    };
    root.map(|r| r.display().to_string())
        .filter(|r| !r.is_empty())
        .and_then(|r| location.strip_prefix(&r))
        .and_then(|rest| {
            rest.strip_prefix(std::path::MAIN_SEPARATOR)
                .or(rest.strip_prefix('/'))
        })
        .map_or_else(|| location.to_string(), str::to_string)
}

/// Finds which format `path` holds.
pub fn detect(path: &Path) -> Result<ImportKind, ImportError> {
    if !path.exists() {
        return Err(ImportError::Io {
            path: path.to_path_buf(),
            source: std::io::Error::new(std::io::ErrorKind::NotFound, "no such file or folder"),
        });
    }
    let kind = crate::limits::kind_of(path).map_err(|reason| ImportError::Refused {
        path: path.display().to_string(),
        reason,
    })?;
    if !kind.is_dir() && !kind.is_file() {
        return Err(ImportError::Refused {
            path: path.display().to_string(),
            reason: crate::limits::Refused::Special,
        });
    }
    if kind.is_dir() {
        return folder_kind(path);
    }
    file_kind(path)
}

/// The format of a folder: one export laid out as files, or a folder of attendance
/// reports (each file a meeting; files that are no export, such as a meeting's chat, are
/// left out).
fn folder_kind(path: &Path) -> Result<ImportKind, ImportError> {
    let files = ExportFiles::Dir(path.to_path_buf());
    if slack::looks_like(&files) {
        return Ok(ImportKind::Slack);
    }
    if csv::looks_like(&files) {
        return Ok(ImportKind::Csv);
    }
    if viva::looks_like(&files) {
        return Ok(ImportKind::Viva);
    }
    if discord::dir_looks_like(path) {
        return Ok(ImportKind::Discord);
    }
    if discourse::dir_looks_like(path) {
        return Ok(ImportKind::Discourse);
    }
    let (reports, others) = attendance_reports(path);
    if !reports.is_empty() && others.iter().all(|(_, kind)| kind.is_none()) {
        return Ok(ImportKind::Attendance);
    }
    Err(not_an_export(
        path,
        Looked::Folder(files::regular_files(path).len()),
    ))
}

/// The regular files directly in `dir` (never through a link), sorted, at most
/// [`crate::limits::MAX_FOLDER_FILES`].
fn files_in(dir: &Path) -> Vec<PathBuf> {
    entries_in(dir)
        .into_iter()
        .filter(|(_, is_dir)| !is_dir)
        .map(|(p, _)| p)
        .collect()
}

/// The regular files and folders directly in `dir` (never a link), sorted, each with
/// whether it is a folder; at most [`crate::limits::MAX_FOLDER_FILES`].
fn entries_in(dir: &Path) -> Vec<(PathBuf, bool)> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out: Vec<(PathBuf, bool)> = entries
        .flatten()
        .filter_map(|e| {
            let kind = e.file_type().ok()?;
            (kind.is_file() || kind.is_dir()).then(|| (e.path(), kind.is_dir()))
        })
        .take(crate::limits::MAX_FOLDER_FILES)
        .collect();
    out.sort();
    out
}

/// The attendance reports directly in `dir`, and its other files with the format each
/// is, where it is one.
pub(crate) fn attendance_reports(dir: &Path) -> (Vec<PathBuf>, Vec<(PathBuf, Option<ImportKind>)>) {
    let mut reports = Vec::new();
    let mut others = Vec::new();
    for f in files_in(dir) {
        match file_kind(&f) {
            Ok(ImportKind::Attendance) => reports.push(f),
            Ok(kind) => others.push((f, Some(kind))),
            Err(_) => others.push((f, None)),
        }
    }
    (reports, others)
}

/// The exports `path` holds, each to import on its own: `path` itself when it is one
/// export (a file, an export laid out as a folder, a folder of attendance reports);
/// else each file and folder directly in it that is one (a folder of several exports);
/// else `path` itself, whose import then says why it is none.
pub fn parts(path: &Path) -> Vec<PathBuf> {
    if !path.is_dir() || detect(path).is_ok() {
        return vec![path.to_path_buf()];
    }
    let found: Vec<PathBuf> = entries_in(path)
        .into_iter()
        .filter(|(p, is_dir)| {
            if *is_dir {
                folder_kind(p).is_ok()
            } else {
                file_kind(p).is_ok()
            }
        })
        .map(|(p, _)| p)
        .collect();
    if found.is_empty() {
        vec![path.to_path_buf()]
    } else {
        found
    }
}

/// The format of a regular file, from its content.
fn file_kind(path: &Path) -> Result<ImportKind, ImportError> {
    let head = mbox::head(path)?;
    if head.starts_with(b"PK") {
        let files = ExportFiles::open(path)?;
        if slack::looks_like(&files) {
            return Ok(ImportKind::Slack);
        }
        if viva::looks_like(&files) {
            return Ok(ImportKind::Viva);
        }
        let mut files = files;
        if whatsapp::looks_like(&mut files) {
            return Ok(ImportKind::WhatsApp);
        }
        return Err(not_an_export(path, Looked::Zip));
    }
    if mbox::looks_like(&head) {
        return Ok(ImportKind::Mbox);
    }
    let first = head.iter().find(|b| !b.is_ascii_whitespace());
    let text = attendance::decode(&head);
    // Before JSON: an iOS chat's lines start with `[`.
    if whatsapp::looks_like_text(&text) {
        return Ok(ImportKind::WhatsApp);
    }
    if matches!(first, Some(b'{' | b'[')) {
        let bytes = read_file(path)?;
        // A JSON export cut short (or damaged) is named with its line and column, not
        // called "not an export".
        if let Err(e) = serde_json::from_slice::<serde::de::IgnoredAny>(&bytes) {
            return Err(ImportError::json(
                &path.display().to_string(),
                &e,
                "a complete JSON document (the file looks cut short or damaged — export it again)",
            ));
        }
        if discord::looks_like(&bytes) {
            return Ok(ImportKind::Discord);
        }
        if telegram::looks_like(&bytes) {
            return Ok(ImportKind::Telegram);
        }
    }
    if matches!(first, Some(b'{' | b'[')) && discourse::file_looks_like(path) {
        return Ok(ImportKind::Discourse);
    }
    if !matches!(first, Some(b'{' | b'[')) && attendance::looks_like(text.as_bytes()) {
        return Ok(ImportKind::Attendance);
    }
    Err(not_an_export(path, looked_at(path, &head, &text)))
}

/// What a file that is no export looks like, from its first bytes and their text.
fn looked_at(path: &Path, head: &[u8], text: &str) -> Looked {
    if head.iter().all(u8::is_ascii_whitespace) {
        return Looked::Empty;
    }
    if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("zip"))
    {
        return Looked::NotZip;
    }
    let chars = text.chars().count().max(1);
    let odd = text
        .chars()
        .filter(|c| *c == '\u{fffd}' || (c.is_control() && !matches!(c, '\t' | '\r' | '\n')))
        .count();
    if odd * 20 > chars {
        return Looked::Binary;
    }
    if matches!(
        head.iter().find(|b| !b.is_ascii_whitespace()),
        Some(b'{' | b'[')
    ) {
        return Looked::Json;
    }
    let first = text
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or_default();
    let sep = if first.matches('\t').count() > first.matches(',').count() {
        '\t'
    } else {
        ','
    };
    let cells: Vec<&str> = first
        .split(sep)
        .map(|c| c.trim().trim_matches('"').trim())
        .filter(|c| !c.is_empty())
        .collect();
    if cells.len() >= 2 {
        let mut columns = cells.iter().take(8).copied().collect::<Vec<_>>().join(", ");
        if cells.len() > 8 {
            columns.push_str(", …");
        }
        crate::limits::truncate_chars(&mut columns, 200);
        return Looked::Table(crate::limits::strip_bidi_controls(&columns).into_owned());
    }
    Looked::Text
}

/// Reads a file of an export whole: a regular file (no link, pipe or device) of at most
/// [`crate::limits::MAX_FILE_BYTES`].
pub fn read_file(path: &Path) -> Result<Vec<u8>, ImportError> {
    read_file_within(path, crate::limits::MAX_FILE_BYTES)
}

/// Reads a file of an export whole, refusing it past `limit` bytes.
pub fn read_file_within(path: &Path, limit: u64) -> Result<Vec<u8>, ImportError> {
    crate::limits::read_regular(path, limit).map_err(|e| match e {
        crate::limits::Refused::Io(source) => ImportError::Io {
            path: path.to_path_buf(),
            source,
        },
        reason => ImportError::Refused {
            path: path.display().to_string(),
            reason,
        },
    })
}

fn not_an_export(path: &Path, looked: Looked) -> ImportError {
    ImportError::NotAnExport {
        path: path.to_path_buf(),
        looked,
    }
}

fn fallback_name(path: &Path) -> String {
    let stem = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    stem.trim_end_matches(".gz")
        .trim_end_matches(".zip")
        .trim_end_matches(".mbox")
        .to_string()
}

/// What a person calls the export at `path`: its file or folder name as they chose it,
/// without the endings and the words the platform adds ("Acme Slack export Jan 1 2024 -
/// Dec 31 2024.zip" is "Acme", "houstondatavis-slack-export" is "houstondatavis",
/// "WhatsApp Chat with Clean Water Network.txt" is "Clean Water Network"); underscores read
/// as spaces. Empty when nothing of the name is left (`_chat.txt`, `result.json`).
pub fn people_name(path: &Path) -> String {
    let mut name = fallback_name(path);
    for ending in [".txt", ".json", ".csv"] {
        if name.to_lowercase().ends_with(ending) {
            name.truncate(name.len() - ending.len());
        }
    }
    let lower = name.to_lowercase();
    if let Some(at) = lower
        .find("slack export")
        .or_else(|| lower.find("slack-export"))
        .or_else(|| lower.find("slack_export"))
    {
        name.truncate(at);
    }
    for prefix in [
        "whatsapp chat with ",
        "whatsapp chat - ",
        "chat de whatsapp con ",
        "discussion whatsapp avec ",
        "conversa do whatsapp com ",
    ] {
        if name.to_lowercase().starts_with(prefix) {
            name = name[prefix.len()..].to_string();
        }
    }
    let name = name.replace('_', " ");
    let name = name.trim_matches(|c: char| c.is_whitespace() || c == '-' || c == '.');
    let generic = [
        "chat", "result", "export", "messages", "slack", "whatsapp", "telegram",
    ];
    if generic.contains(&name.to_lowercase().as_str()) || name.starts_with("ChatExport") {
        return String::new();
    }
    name.to_string()
}

/// The name of the folder holding `path`, for sources saved as loose files.
fn parent_name(path: &Path) -> String {
    path.parent()
        .and_then(|p| p.file_name())
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| fallback_name(path))
}

/// Imports one file or folder in one transaction, and records it in the import history.
pub async fn import_path(
    store: &Store,
    path: &Path,
    opts: &ImportOptions,
    progress: &dyn Progress,
) -> Result<FileReport, ImportError> {
    // A path the user gave may be a link: it is resolved once, here, and nothing inside
    // what it names is followed through a link.
    let resolved;
    let path = match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => {
            resolved = std::fs::canonicalize(path).map_err(|source| ImportError::Io {
                path: path.to_path_buf(),
                source,
            })?;
            resolved.as_path()
        }
        _ => path,
    };
    let started = Instant::now();
    let started_at = crate::time::now();
    let hash = history::content_hash(path)?;
    // The same bytes go to the source they went to before, whatever the file is called
    // now, so they add nothing (`--source` still chooses).
    let same_as = history::earlier(store, &hash).await?;
    let mut opts = opts.clone();
    if let (None, Some(e)) = (&opts.source_name, &same_as) {
        opts.source_name = Some(e.source_key.clone());
    }
    let outcome = run(store, path, &opts, progress).await;
    let millis = started.elapsed().as_millis() as u64;
    let entry = history::Entry {
        path,
        hash: &hash,
        started_at: &started_at,
    };
    match outcome {
        Ok((kind, source_id, counts, skipped)) => {
            let skipped = skipped
                .into_iter()
                .map(|s| Skip {
                    location: relative(path, &s.location),
                    reason: s.reason,
                })
                .collect();
            let mut report =
                FileReport::new(path.display().to_string(), kind, counts, skipped, millis);
            report.source = history::source_name(store, &source_id).await?;
            report.same_as = same_as;
            // A chat's source holds every chat of its app: the community takes the chat's name.
            let chat = matches!(kind, ImportKind::WhatsApp | ImportKind::Telegram)
                .then(|| people_name(path))
                .filter(|n| !n.is_empty());
            let name = chat.as_deref().unwrap_or(&report.source);
            report.community_started =
                crate::community::start_from_import(store, &source_id, name).await?;
            history::record_ok(store, &entry, &source_id, &report).await?;
            Ok(report)
        }
        Err(e) => {
            history::record_failure(store, &entry, &e).await?;
            Err(e)
        }
    }
}

type Outcome = (ImportKind, String, writer::Counts, Vec<Skip>);

async fn run(
    store: &Store,
    path: &Path,
    opts: &ImportOptions,
    progress: &dyn Progress,
) -> Result<Outcome, ImportError> {
    let kind = detect(path)?;
    let fallback = opts
        .source_name
        .clone()
        .unwrap_or_else(|| fallback_name(path));
    let w = match kind {
        ImportKind::Slack => {
            let mut files = ExportFiles::open(path)?;
            let name = match &opts.source_name {
                Some(n) => n.clone(),
                None => slack::workspace_name(&mut files, &fallback)?,
            };
            let mut w = Writer::begin(store, kind.as_str(), &name, opts.keep_bodies).await?;
            if opts.source_name.is_none() {
                w.label_source(&people_name(path)).await?;
            }
            slack::import(&mut files, &mut w, progress).await?;
            w
        }
        ImportKind::Viva => {
            let mut files = ExportFiles::open(path)?;
            let mut w = Writer::begin(store, kind.as_str(), &fallback, opts.keep_bodies).await?;
            viva::import(&mut files, &mut w, progress).await?;
            w
        }
        ImportKind::Csv => {
            let mut w = Writer::begin(store, kind.as_str(), &fallback, opts.keep_bodies).await?;
            csv::import(&PathBuf::from(path), &mut w, progress).await?;
            w
        }
        ImportKind::Discourse | ImportKind::Attendance => {
            let name = match kind {
                ImportKind::Discourse if opts.source_name.is_none() => {
                    match discourse::known_source(store, path).await? {
                        Some(known) => known,
                        None if path.is_dir() => fallback,
                        None => parent_name(path),
                    }
                }
                // One source for all reports: events are told apart by meeting id or title.
                ImportKind::Attendance => opts
                    .source_name
                    .clone()
                    .unwrap_or_else(|| "attendance".into()),
                _ => fallback,
            };
            let mut w = Writer::begin(store, kind.as_str(), &name, opts.keep_bodies).await?;
            if kind == ImportKind::Discourse {
                discourse::import(path, &mut w, progress).await?;
            } else {
                attendance::import(path, &mut w, progress).await?;
            }
            w
        }
        ImportKind::WhatsApp | ImportKind::Telegram | ImportKind::Discord => {
            let name = match (&opts.source_name, kind) {
                (Some(n), _) => n.clone(),
                (None, ImportKind::Discord) => discord::guild_name(path)?,
                (None, ImportKind::WhatsApp) => "WhatsApp".into(),
                (None, _) => "Telegram".into(),
            };
            let mut w = Writer::begin(store, kind.as_str(), &name, opts.keep_bodies).await?;
            match kind {
                ImportKind::WhatsApp => {
                    whatsapp::import(path, opts.date_order, &mut w, progress).await?
                }
                ImportKind::Telegram => telegram::import(path, &mut w, progress).await?,
                _ => discord::import(path, &mut w, progress).await?,
            }
            w
        }
        ImportKind::Mbox => {
            let name = match &opts.source_name {
                Some(n) => n.clone(),
                None => mbox::list_name(path)?.map_or(fallback, |(name, _)| name),
            };
            let mut w = Writer::begin(store, kind.as_str(), &name, opts.keep_bodies).await?;
            mbox::import(path, &mut w, progress).await?;
            w
        }
    };
    let source_id = w.source_id().to_string();
    let (counts, skipped) = w.finish().await?;
    Ok((kind, source_id, counts, skipped))
}

#[cfg(test)]
mod people_name_tests {
    use super::people_name;
    use std::path::Path;

    #[test]
    fn an_export_is_named_as_a_person_calls_it() {
        for (path, name) in [
            ("/x/Acme Slack export Jan 1 2024 - Dec 31 2024.zip", "Acme"),
            ("/x/houstondatavis-slack-export", "houstondatavis"),
            (
                "/x/WhatsApp Chat with Clean Water Network.txt",
                "Clean Water Network",
            ),
            ("/x/WhatsApp Chat - Field team.zip", "Field team"),
            ("/x/Chat de WhatsApp con Red de Agua.txt", "Red de Agua"),
            ("/x/3GPP_MENTORING.mbox", "3GPP MENTORING"),
            ("/x/_chat.txt", ""),
            ("/x/ChatExport_2024-05-01/result.json", ""),
        ] {
            assert_eq!(people_name(Path::new(path)), name, "{path}");
        }
    }
}

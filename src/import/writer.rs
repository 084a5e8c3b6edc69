//! Writes one import into the store inside one transaction: either all of a file lands,
//! or none of it. Ids are derived from the source and the source's own ids, so importing
//! the same export twice, or on two laptops, makes the same rows.

use std::collections::HashMap;

use sqlx::{QueryBuilder, Sqlite, SqliteConnection};

use super::error::ImportError;
use super::record::{Act, Person, Skip, Space, SpaceKind};
use crate::identity::normalize_email;
use crate::limits;
use crate::store::Store;
use crate::sync::capture::{self, Edit};
use crate::sync::tables::{IDENTITIES, MEMBERS, SOURCES};
use crate::{ids, time};

/// What an import added.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    /// Activities added.
    pub added: u64,
    /// Activities that were already in the store.
    pub present: u64,
    /// Members created.
    pub members_added: u64,
    /// Identities created (joined to new or existing members).
    pub identities_added: u64,
}

/// Activities per multi-row INSERT (12 columns each, well under SQLite's variable limit).
const BATCH: usize = 1024;

/// An activity row ready to insert, in the store's compact shape.
struct Row {
    n: i64,
    gid: [u8; 16],
    member: i64,
    identity: i64,
    space: Option<i64>,
    kind: i64,
    at: i64,
    root: Option<i64>,
    parent: Option<i64>,
    title: Option<String>,
    body: Option<String>,
}

/// A person of the export as the store knows them: their member and identity rows.
#[derive(Debug, Clone, Copy)]
struct Known {
    member: i64,
    identity: i64,
}

/// A link to an activity not seen yet when its reply was written (resolved at the end).
struct Waiting {
    n: i64,
    root: Option<[u8; 16]>,
    parent: Option<[u8; 16]>,
}

/// A batch being written on the database's thread while the importer reads on: it hands
/// the transaction back with the rows added and the rows sent.
type InFlight = tokio::task::JoinHandle<Result<(Edit, u64, u64), ImportError>>;

/// An open import: a transaction on the store for one source.
pub struct Writer {
    /// The transaction; `None` while a batch holds it (`in_flight`) or after one failed.
    edit: Option<Edit>,
    in_flight: Option<InFlight>,
    source_id: String,
    /// The source's row.
    source: i64,
    keep_bodies: bool,
    /// People of the export by their source id.
    people: HashMap<String, Known>,
    /// Spaces of the export by their source id: their rows.
    spaces: HashMap<String, i64>,
    /// Every activity of this source in the store or in this import: its row, by global id.
    acts: HashMap<[u8; 16], i64>,
    /// The row the next new activity takes.
    next: i64,
    /// Links to activities that came later in the export.
    waiting: Vec<Waiting>,
    /// Rows the store left out (already there under another source: a forged record).
    left_out: u64,
    pending: Vec<Row>,
    counts: Counts,
    skipped: Skips,
    /// Each synced table's newest rowid when the import began: its new rows lie above.
    floors: capture::Floors,
}

impl Writer {
    /// Starts an import for the source `kind`/`name` (created on first use).
    pub async fn begin(
        store: &Store,
        kind: &str,
        name: &str,
        keep_bodies: bool,
    ) -> Result<Writer, ImportError> {
        // Replies may come before their thread's first post, and SQLite's own checks would
        // make every batch keep a copy of each page it touches: `finish` checks instead.
        let mut edit = Edit::begin_unchecked(store).await?;
        let source_id = ids::derived(&["source", kind, name]);
        let floors = capture::floors(edit.conn()).await?;
        // What this import may change in rows that exist already, for team sync.
        let mine = "id IN (SELECT member_id FROM identities WHERE source_id = ?)";
        edit.watch(SOURCES, "id = ?", &[&source_id]).await?;
        edit.watch(IDENTITIES, "source_id = ?", &[&source_id])
            .await?;
        edit.watch(MEMBERS, mine, &[&source_id]).await?;
        sqlx::query(
            "INSERT INTO sources (id, kind, name, created_at, keep_bodies) VALUES (?, ?, ?, ?, ?)
             ON CONFLICT(id) DO UPDATE SET keep_bodies = MAX(keep_bodies, excluded.keep_bodies)",
        )
        .bind(&source_id)
        .bind(kind)
        .bind(name)
        .bind(time::now())
        .bind(keep_bodies)
        .execute(edit.conn())
        .await?;
        let (source, keep_bodies): (i64, bool) = sqlx::query_as(
            "SELECT k.n, s.keep_bodies FROM sources s JOIN keys k ON k.id = s.id WHERE s.id = ?",
        )
        .bind(&source_id)
        .fetch_one(edit.conn())
        .await?;
        let acts = known_activities(edit.conn(), source).await?;
        let next = capture::floor_of(&floors, "activities") + 1;
        Ok(Writer {
            edit: Some(edit),
            in_flight: None,
            source_id,
            source,
            keep_bodies,
            people: HashMap::new(),
            spaces: HashMap::new(),
            acts,
            next,
            waiting: Vec::new(),
            left_out: 0,
            pending: Vec::with_capacity(BATCH),
            counts: Counts::default(),
            skipped: Skips::default(),
            floors,
        })
    }

    /// Whether this source keeps message bodies (then importers read them; else they may
    /// skip them unread).
    pub fn keeps_bodies(&self) -> bool {
        self.keep_bodies
    }

    /// The source's global id.
    pub fn source_id(&self) -> &str {
        &self.source_id
    }

    /// Names the source as a person would call it (`label`), where it has no such name yet
    /// and the name differs from its key: the first import's name stays.
    pub async fn label_source(&mut self, label: &str) -> Result<(), ImportError> {
        let Ok(label) = crate::clean::name(label, limits::MAX_NAME_CHARS).map(|n| n.text) else {
            return Ok(());
        };
        sqlx::query("UPDATE sources SET label = ?1 WHERE id = ?2 AND label IS NULL AND name <> ?1")
            .bind(&label)
            .bind(&self.source_id)
            .execute(open(&mut self.edit)?)
            .await?;
        Ok(())
    }

    /// Records a skipped record (the first [`limits::MAX_SKIPS_KEPT`] one by one, the rest
    /// as counts by reason).
    pub fn skip(&mut self, location: impl Into<String>, reason: impl Into<String>) {
        self.skipped.push(location.into(), reason.into());
    }

    /// Adds or refreshes a person's identity, joined to the member already linked to it,
    /// else a member with the same e-mail, else a new one. Names are cleaned first
    /// (direction overrides removed, long ones cut, with a note).
    pub async fn person(&mut self, p: &Person) -> Result<(), ImportError> {
        self.known(p).await.map(|_| ())
    }

    /// [`Writer::person`], as rows.
    async fn known(&mut self, p: &Person) -> Result<Known, ImportError> {
        if let Some(k) = self.people.get(&p.external_id) {
            return Ok(*k);
        }
        let (p, notes) = p.cleaned();
        for note in notes.into_inner() {
            self.skip(format!("person {}", p.external_id), note);
        }
        let p = &p;
        self.settle().await?;
        let identity_id = ids::derived(&["identity", &self.source_id, &p.external_id]);
        let email_norm = p.email.as_deref().and_then(normalize_email);
        let linked: Option<(i64, bool)> = sqlx::query_as(
            "SELECT k.n, i.erased FROM identities i JOIN keys k ON k.id = i.member_id WHERE i.id = ?",
        )
        .bind(&identity_id)
        .fetch_optional(open(&mut self.edit)?)
        .await?;
        let member = match linked {
            // Erased: the placeholder keeps the activities; nothing personal comes back.
            Some((m, true)) => m,
            Some((m, false)) => {
                sqlx::query(
                    "UPDATE identities SET handle = COALESCE(?, handle), email = COALESCE(?, email),
                     email_norm = COALESCE(?, email_norm), display_name = COALESCE(?, display_name) WHERE id = ?",
                )
                .bind(&p.handle)
                .bind(&p.email)
                .bind(&email_norm)
                .bind(&p.name)
                .bind(&identity_id)
                .execute(open(&mut self.edit)?)
                .await?;
                m
            }
            None => {
                let m = match self.member_with_email(p, email_norm.as_deref()).await? {
                    Some(m) => m,
                    None => self.new_member(p).await?,
                };
                sqlx::query(
                    "INSERT INTO identities (id, source_id, external_id, handle, email, email_norm, display_name, member_id)
                     VALUES (?, ?, ?, ?, ?, ?, ?, (SELECT id FROM keys WHERE n = ?))",
                )
                .bind(&identity_id)
                .bind(&self.source_id)
                .bind(&p.external_id)
                .bind(&p.handle)
                .bind(&p.email)
                .bind(&email_norm)
                .bind(&p.name)
                .bind(m)
                .execute(open(&mut self.edit)?)
                .await?;
                self.counts.identities_added += 1;
                m
            }
        };
        let identity: i64 = sqlx::query_scalar("SELECT n FROM keys WHERE id = ?")
            .bind(&identity_id)
            .fetch_one(open(&mut self.edit)?)
            .await?;
        if let Some(preferred) = p.preferred_name.as_deref().filter(|n| !n.trim().is_empty()) {
            // A name a facilitator typed, or an earlier import set, stays.
            sqlx::query(
                "UPDATE members SET preferred_name = ?1
                 WHERE id = (SELECT id FROM keys WHERE n = ?2) AND preferred_name IS NULL
                   AND erased_at IS NULL",
            )
            .bind(preferred.trim())
            .bind(member)
            .execute(open(&mut self.edit)?)
            .await?;
        }
        let known = Known { member, identity };
        self.people.insert(p.external_id.clone(), known);
        Ok(known)
    }

    async fn member_with_email(
        &mut self,
        p: &Person,
        norm: Option<&str>,
    ) -> Result<Option<i64>, ImportError> {
        let (Some(norm), false) = (norm, p.is_bot) else {
            return Ok(None);
        };
        let by_identity: Option<i64> = sqlx::query_scalar(
            "SELECT k.n FROM identities i JOIN keys k ON k.id = i.member_id
             WHERE i.email_norm = ? ORDER BY i.id LIMIT 1",
        )
        .bind(norm)
        .fetch_optional(open(&mut self.edit)?)
        .await?;
        if by_identity.is_some() {
            return Ok(by_identity);
        }
        let raw = p.email.as_deref().unwrap_or_default().trim().to_lowercase();
        Ok(sqlx::query_scalar(
            "SELECT k.n FROM members m JOIN keys k ON k.id = m.id
             WHERE lower(m.email) IN (?, ?) ORDER BY m.id LIMIT 1",
        )
        .bind(norm)
        .bind(raw)
        .fetch_optional(open(&mut self.edit)?)
        .await?)
    }

    async fn new_member(&mut self, p: &Person) -> Result<i64, ImportError> {
        let id = ids::derived(&["member", &self.source_id, &p.external_id]);
        let name = [&p.name, &p.handle]
            .into_iter()
            .flatten()
            .map(|s| s.trim())
            .find(|s| !s.is_empty())
            .map(str::to_string)
            .or_else(|| {
                p.email
                    .as_deref()
                    .and_then(|e| e.split('@').next())
                    .filter(|local| !local.is_empty())
                    .map(str::to_string)
            })
            .or_else(|| {
                // The source's id, made a name by the same rule as every name.
                let max = limits::MAX_NAME_CHARS;
                crate::clean::name(&p.external_id, max).ok().map(|n| n.text)
            })
            .unwrap_or_else(|| id.chars().take(8).collect());
        let now = time::now();
        let done = sqlx::query(
            "INSERT INTO members (id, display_name, email, role, country, organisation, language, joined_at,
             is_bot, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO NOTHING",
        )
        .bind(&id)
        .bind(name)
        .bind(&p.email)
        .bind(p.role.unwrap_or(crate::model::Role::Member).as_str())
        .bind(&p.country)
        .bind(&p.organisation)
        .bind(&p.language)
        .bind(p.joined_at.map(time::format))
        .bind(p.is_bot)
        .bind(&now)
        .bind(&now)
        .execute(open(&mut self.edit)?)
        .await?;
        self.counts.members_added += done.rows_affected();
        Ok(sqlx::query_scalar("SELECT n FROM keys WHERE id = ?")
            .bind(&id)
            .fetch_one(open(&mut self.edit)?)
            .await?)
    }

    /// Adds a space if it is not there yet.
    pub async fn space(&mut self, s: &Space) -> Result<(), ImportError> {
        self.space_row(s, false).await.map(|_| ())
    }

    /// [`Writer::space`], but a space already stored keeps its name: for a name the export
    /// had to make up ("Category 10") where an earlier import learned the real one.
    pub async fn space_keeping_name(&mut self, s: &Space) -> Result<(), ImportError> {
        self.space_row(s, true).await.map(|_| ())
    }

    /// [`Writer::space`], returning the space's row.
    async fn space_row(&mut self, s: &Space, keep_name: bool) -> Result<i64, ImportError> {
        if let Some(n) = self.spaces.get(&s.external_id) {
            return Ok(*n);
        }
        let (s, notes) = s.cleaned();
        for note in notes.into_inner() {
            self.skip(format!("space {}", s.external_id), note);
        }
        let s = &s;
        self.settle().await?;
        let id = ids::derived(&["space", &self.source_id, &s.external_id]);
        let update = if keep_name {
            "NOTHING"
        } else {
            "UPDATE SET name = excluded.name"
        };
        sqlx::query(&format!(
            "INSERT INTO spaces (id, source_id, external_id, name, kind) VALUES (?, ?, ?, ?, ?)
             ON CONFLICT(source_id, external_id) DO {update}"
        ))
        .bind(&id)
        .bind(&self.source_id)
        .bind(&s.external_id)
        .bind(&s.name)
        .bind(s.kind.as_str())
        .execute(open(&mut self.edit)?)
        .await?;
        let n: i64 = sqlx::query_scalar("SELECT n FROM keys WHERE id = ?")
            .bind(&id)
            .fetch_one(open(&mut self.edit)?)
            .await?;
        self.spaces.insert(s.external_id.clone(), n);
        Ok(n)
    }

    fn activity_gid(&self, external_id: &str) -> [u8; 16] {
        ids::derived_bytes(&["activity", &self.source_id, external_id])
    }

    /// Adds an activity unless the source's id is already in the store. Rows are written
    /// in batches; [`Writer::finish`] writes the rest.
    pub async fn activity(&mut self, a: &Act) -> Result<(), ImportError> {
        let gid = self.activity_gid(&a.external_id);
        if self.acts.contains_key(&gid) {
            self.counts.present += 1;
            return Ok(());
        }
        let who = match self.people.get(&a.author) {
            Some(k) => *k,
            None => {
                let stub = Person {
                    external_id: a.author.clone(),
                    ..Person::default()
                };
                self.known(&stub).await?
            }
        };
        let space = match &a.space {
            Some(space) => Some(match self.spaces.get(space) {
                Some(n) => *n,
                None => {
                    let s = Space {
                        external_id: space.clone(),
                        name: space.clone(),
                        kind: SpaceKind::Channel,
                    };
                    self.space_row(&s, false).await?
                }
            }),
            None => None,
        };
        let n = self.next;
        self.next += 1;
        self.acts.insert(gid, n);
        let link = |x: &Option<String>| x.as_ref().map(|x| self.activity_gid(x));
        let root_gid = link(&a.root);
        // Most replies answer their thread's first post: one hash for both.
        let parent_gid = if a.parent.is_some() && a.parent == a.root {
            root_gid
        } else {
            link(&a.parent)
        };
        let found = |g: Option<[u8; 16]>| g.and_then(|g| self.acts.get(&g).copied());
        let (root, parent) = (found(root_gid), found(parent_gid));
        if (root_gid.is_some() && root.is_none()) || (parent_gid.is_some() && parent.is_none()) {
            self.waiting.push(Waiting {
                n,
                root: root_gid.filter(|_| root.is_none()),
                parent: parent_gid.filter(|_| parent.is_none()),
            });
        }
        self.pending.push(Row {
            n,
            gid,
            member: who.member,
            identity: who.identity,
            space,
            kind: a.kind.code(),
            at: a.at.timestamp(),
            root,
            parent,
            title: a
                .title
                .as_deref()
                .and_then(|t| crate::clean::title(t, limits::MAX_TITLE_CHARS)),
            body: if self.keep_bodies {
                a.body.clone()
            } else {
                None
            },
        });
        if self.pending.len() >= BATCH {
            self.flush().await?;
        }
        Ok(())
    }

    /// Waits for the batch being written, if any, and takes its counts and the
    /// transaction back.
    async fn settle(&mut self) -> Result<(), ImportError> {
        let Some(job) = self.in_flight.take() else {
            return Ok(());
        };
        let (edit, added, sent) = job
            .await
            .map_err(|_| ImportError::from(sqlx::Error::WorkerCrashed))??;
        self.counts.added += added;
        self.counts.present += sent - added;
        self.left_out += sent - added;
        self.edit = Some(edit);
        Ok(())
    }

    /// Sends the pending rows to the database's thread and returns at once: the importer
    /// reads the next batch while this one is written (the next flush, or any other write,
    /// waits for it first).
    async fn flush(&mut self) -> Result<(), ImportError> {
        self.settle().await?;
        if self.pending.is_empty() {
            return Ok(());
        }
        let rows = std::mem::replace(&mut self.pending, Vec::with_capacity(BATCH));
        let mut edit = self.edit.take().ok_or(sqlx::Error::WorkerCrashed)?;
        let source = self.source;
        self.in_flight = Some(tokio::spawn(async move {
            let added = insert(edit.conn(), source, &rows).await?;
            Ok((edit, added, rows.len() as u64))
        }));
        // Let the batch start on the database's thread before reading on.
        tokio::task::yield_now().await;
        Ok(())
    }

    /// Unlinks references to activities the export does not hold (a deleted thread's first
    /// post, say), fills unknown joining times from first activity, and commits.
    pub async fn finish(mut self) -> Result<(Counts, Vec<Skip>), ImportError> {
        self.flush().await?;
        self.settle().await?;
        // Only this import's rows: earlier ones were linked by their own import.
        let floor = capture::floor_of(&self.floors, "activities");
        self.link_waiting().await?;
        sqlx::query(&format!(
            "UPDATE members SET joined_at = (SELECT {} FROM activity a
             WHERE a.member = (SELECT n FROM keys WHERE id = members.id))
             WHERE joined_at IS NULL AND id IN (SELECT member_id FROM identities WHERE source_id = ?)",
            time::sql_text("MIN(a.at)")
        ))
        .bind(&self.source_id)
        .execute(open(&mut self.edit)?)
        .await?;
        self.check_references(floor).await?;
        // New rows get their change records at the next sync, if there is one.
        crate::sync::defer_capture(open(&mut self.edit)?, &self.floors).await?;
        // Records what changed in the rows watched at the start, then commits.
        if let Some(edit) = self.edit.take() {
            edit.commit().await?;
        }
        Ok((self.counts, self.skipped.into_list()))
    }
}

impl Writer {
    /// Links the activities that named a thread or parent coming later in the export; a
    /// link to one the export does not hold (a deleted thread's first post) stays empty.
    async fn link_waiting(&mut self) -> Result<(), ImportError> {
        let waiting = std::mem::take(&mut self.waiting);
        let found = |g: Option<[u8; 16]>| g.and_then(|g| self.acts.get(&g).copied());
        let tx = open(&mut self.edit)?;
        for w in &waiting {
            let (root, parent) = (found(w.root), found(w.parent));
            if root.is_none() && parent.is_none() {
                continue;
            }
            sqlx::query(
                "UPDATE activity SET root = COALESCE(?, root), parent = COALESCE(?, parent) WHERE n = ?",
            )
            .bind(root)
            .bind(parent)
            .bind(w.n)
            .execute(&mut *tx)
            .await?;
        }
        Ok(())
    }
}

/// Every activity of `source` in the store: its row by global id (a re-import finds what
/// it holds in memory instead of asking the store row by row).
async fn known_activities(
    tx: &mut SqliteConnection,
    source: i64,
) -> Result<HashMap<[u8; 16], i64>, ImportError> {
    let rows: Vec<(Vec<u8>, i64)> = sqlx::query_as("SELECT gid, n FROM activity WHERE source = ?")
        .bind(source)
        .fetch_all(&mut *tx)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(g, n)| Some((<[u8; 16]>::try_from(g.as_slice()).ok()?, n)))
        .collect())
}

/// Skipped records: the first ones one by one, then counts by reason (a hostile export
/// can hold millions of bad records; the history keeps a page of them).
#[derive(Default)]
struct Skips {
    kept: Vec<Skip>,
    more: std::collections::BTreeMap<String, u64>,
}

impl Skips {
    fn push(&mut self, location: String, reason: String) {
        if self.kept.len() < limits::MAX_SKIPS_KEPT {
            self.kept.push(Skip { location, reason });
            return;
        }
        let reason = if self.more.len() < limits::MAX_SKIPS_KEPT || self.more.contains_key(&reason)
        {
            reason
        } else {
            "other reasons".to_string()
        };
        *self.more.entry(reason).or_default() += 1;
    }

    fn into_list(self) -> Vec<Skip> {
        let mut out = self.kept;
        out.extend(self.more.into_iter().map(|(reason, n)| Skip {
            location: format!("{n} more record{}", if n == 1 { "" } else { "s" }),
            reason,
        }));
        out
    }
}

/// The open transaction, or an error if a failed batch took it with it.
fn open(edit: &mut Option<Edit>) -> Result<&mut SqliteConnection, ImportError> {
    edit.as_mut()
        .map(Edit::conn)
        .ok_or(ImportError::from(sqlx::Error::WorkerCrashed))
}

/// Inserts `rows` of `source` in one statement, skipping those already there; returns how
/// many were added.
async fn insert(tx: &mut SqliteConnection, source: i64, rows: &[Row]) -> Result<u64, ImportError> {
    let mut q: QueryBuilder<Sqlite> = QueryBuilder::new(
        "INSERT OR IGNORE INTO activity (n, gid, source, member, identity, space, kind, at, root,
         parent, title, body) ",
    );
    q.push_values(rows, |mut b, r| {
        b.push_bind(r.n)
            .push_bind(&r.gid[..])
            .push_bind(source)
            .push_bind(r.member)
            .push_bind(r.identity)
            .push_bind(r.space)
            .push_bind(r.kind)
            .push_bind(r.at)
            .push_bind(r.root)
            .push_bind(r.parent)
            .push_bind(&r.title)
            .push_bind(&r.body);
    });
    // OR IGNORE: a row already there (the same global id, which only a forged record can
    // put under another source) is skipped. Unlike ON CONFLICT, and as long as `activity`
    // has no CHECK constraint (migration 15), it lets SQLite write the batch without a
    // statement journal, which halves the import's time.
    Ok(q.build().execute(&mut *tx).await?.rows_affected())
}

/// What must hold before an import commits, checked since SQLite's foreign-key checks are
/// off for it (see `Store::write_unchecked`): the members, identities and spaces its rows
/// name (the writer knows each one it used: `?1`, `?2`, `?3` as JSON arrays of keys) and
/// its source exist, and so does every member an identity of the source points at and the
/// source of its spaces. Threads and parents come from the writer's own map of rows, each
/// one in the store before or written by this import, so they are checked row by row only
/// when a row was left out (`?5`).
const DANGLING: &str = "SELECT
    (SELECT COUNT(*) FROM json_each(?1) j
        WHERE NOT EXISTS (SELECT 1 FROM keys k JOIN members m ON m.id = k.id WHERE k.n = j.value))
  + (SELECT COUNT(*) FROM json_each(?2) j
        WHERE NOT EXISTS (SELECT 1 FROM keys k JOIN identities i ON i.id = k.id WHERE k.n = j.value))
  + (SELECT COUNT(*) FROM json_each(?3) j
        WHERE NOT EXISTS (SELECT 1 FROM keys k JOIN spaces p ON p.id = k.id WHERE k.n = j.value))
  + (SELECT COUNT(*) WHERE NOT EXISTS (SELECT 1 FROM sources WHERE id = ?4))
  + (SELECT COUNT(*) FROM identities i WHERE i.source_id = ?4
        AND NOT EXISTS (SELECT 1 FROM members m WHERE m.id = i.member_id))
  + (SELECT COUNT(*) FROM activity a WHERE ?5 AND a.n > ?6 AND (
        (a.root IS NOT NULL AND NOT EXISTS (SELECT 1 FROM activity r WHERE r.n = a.root))
        OR (a.parent IS NOT NULL AND NOT EXISTS (SELECT 1 FROM activity r WHERE r.n = a.parent))))";

impl Writer {
    /// Fails the import if any of its rows would point at nothing ([`DANGLING`]).
    async fn check_references(&mut self, floor: i64) -> Result<(), ImportError> {
        let keys = |it: &mut dyn Iterator<Item = i64>| {
            let set: std::collections::BTreeSet<i64> = it.collect();
            serde_json::to_string(&set).unwrap_or_default()
        };
        let members = keys(&mut self.people.values().map(|k| k.member));
        let identities = keys(&mut self.people.values().map(|k| k.identity));
        let spaces = keys(&mut self.spaces.values().copied());
        let dangling: i64 = sqlx::query_scalar(DANGLING)
            .bind(members)
            .bind(identities)
            .bind(spaces)
            .bind(&self.source_id)
            .bind(self.left_out > 0)
            .bind(floor)
            .fetch_one(open(&mut self.edit)?)
            .await?;
        if dangling > 0 {
            return Err(ImportError::Store(crate::Error::Inconsistent(format!(
                "{dangling} imported rows would point at nothing"
            ))));
        }
        Ok(())
    }
}

//! Writes one import into the store inside one transaction: either all of a file lands,
//! or none of it. Ids are derived from the source and the source's own ids, so importing
//! the same export twice, or on two laptops, makes the same rows.

use std::collections::{HashMap, HashSet};

use sqlx::{QueryBuilder, Sqlite, Transaction};

use super::error::ImportError;
use super::record::{Act, Person, Skip, Space, SpaceKind};
use crate::identity::normalize_email;
use crate::limits;
use crate::store::Store;
use crate::sync::capture;
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
const BATCH: usize = 256;

/// An activity row ready to insert.
struct Row {
    id: String,
    external_id: String,
    member_id: String,
    identity_id: String,
    space_id: Option<String>,
    kind: &'static str,
    occurred_at: String,
    root: Option<String>,
    parent: Option<String>,
    title: Option<String>,
    body: Option<String>,
}

/// A batch being written on the database's thread while the importer reads on: it hands
/// the transaction back with the rows added and the rows sent.
type InFlight =
    tokio::task::JoinHandle<Result<(Transaction<'static, Sqlite>, u64, u64), ImportError>>;

/// An open import: a transaction on the store for one source.
pub struct Writer {
    /// The transaction; `None` while a batch holds it (`in_flight`) or after one failed.
    tx: Option<Transaction<'static, Sqlite>>,
    in_flight: Option<InFlight>,
    source_id: String,
    keep_bodies: bool,
    members: HashMap<String, String>,
    spaces: HashSet<String>,
    pending: Vec<Row>,
    counts: Counts,
    skipped: Skips,
    store: Store,
    snapshots: Vec<capture::Snapshot>,
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
        let mut tx = store.write_unchecked().await?;
        let source_id = ids::derived(&["source", kind, name]);
        let floors = capture::floors(&mut tx).await?;
        // What this import may change in rows that exist already, for team sync.
        let mine = "id IN (SELECT member_id FROM identities WHERE source_id = ?)";
        let snapshots = vec![
            capture::before(&mut tx, "sources", "id = ?", &[&source_id]).await?,
            capture::before(&mut tx, "identities", "source_id = ?", &[&source_id]).await?,
            capture::before(&mut tx, "members", mine, &[&source_id]).await?,
        ];
        sqlx::query(
            "INSERT INTO sources (id, kind, name, created_at, keep_bodies) VALUES (?, ?, ?, ?, ?)
             ON CONFLICT(id) DO UPDATE SET keep_bodies = MAX(keep_bodies, excluded.keep_bodies)",
        )
        .bind(&source_id)
        .bind(kind)
        .bind(name)
        .bind(time::now())
        .bind(keep_bodies)
        .execute(&mut *tx)
        .await?;
        let keep_bodies: bool = sqlx::query_scalar("SELECT keep_bodies FROM sources WHERE id = ?")
            .bind(&source_id)
            .fetch_one(&mut *tx)
            .await?;
        Ok(Writer {
            tx: Some(tx),
            in_flight: None,
            source_id,
            keep_bodies,
            members: HashMap::new(),
            spaces: HashSet::new(),
            pending: Vec::with_capacity(BATCH),
            counts: Counts::default(),
            skipped: Skips::default(),
            store: store.clone(),
            snapshots,
            floors,
        })
    }

    /// The source's global id.
    pub fn source_id(&self) -> &str {
        &self.source_id
    }

    /// Records a skipped record (the first [`limits::MAX_SKIPS_KEPT`] one by one, the rest
    /// as counts by reason).
    pub fn skip(&mut self, location: impl Into<String>, reason: impl Into<String>) {
        self.skipped.push(location.into(), reason.into());
    }

    /// Adds or refreshes a person's identity and returns the member it belongs to: the
    /// member already linked to it, else a member with the same e-mail, else a new one.
    /// Names are cleaned first (direction overrides removed, long ones cut, with a note).
    pub async fn person(&mut self, p: &Person) -> Result<String, ImportError> {
        if let Some(m) = self.members.get(&p.external_id) {
            return Ok(m.clone());
        }
        let (p, cut) = p.cleaned();
        if cut {
            self.skip(
                format!("person {}", p.external_id),
                format!(
                    "kept, with a name cut to {} characters",
                    limits::MAX_NAME_CHARS
                ),
            );
        }
        let p = &p;
        self.settle().await?;
        let identity_id = ids::derived(&["identity", &self.source_id, &p.external_id]);
        let email_norm = p.email.as_deref().and_then(normalize_email);
        let linked: Option<(String, bool)> =
            sqlx::query_as("SELECT member_id, erased FROM identities WHERE id = ?")
                .bind(&identity_id)
                .fetch_optional(&mut **open(&mut self.tx)?)
                .await?;
        let member_id = match linked {
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
                .execute(&mut **open(&mut self.tx)?)
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
                     VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                )
                .bind(&identity_id)
                .bind(&self.source_id)
                .bind(&p.external_id)
                .bind(&p.handle)
                .bind(&p.email)
                .bind(&email_norm)
                .bind(&p.name)
                .bind(&m)
                .execute(&mut **open(&mut self.tx)?)
                .await?;
                self.counts.identities_added += 1;
                m
            }
        };
        self.members
            .insert(p.external_id.clone(), member_id.clone());
        Ok(member_id)
    }

    async fn member_with_email(
        &mut self,
        p: &Person,
        norm: Option<&str>,
    ) -> Result<Option<String>, ImportError> {
        let (Some(norm), false) = (norm, p.is_bot) else {
            return Ok(None);
        };
        let by_identity: Option<String> = sqlx::query_scalar(
            "SELECT member_id FROM identities WHERE email_norm = ? ORDER BY id LIMIT 1",
        )
        .bind(norm)
        .fetch_optional(&mut **open(&mut self.tx)?)
        .await?;
        if by_identity.is_some() {
            return Ok(by_identity);
        }
        let raw = p.email.as_deref().unwrap_or_default().trim().to_lowercase();
        Ok(sqlx::query_scalar(
            "SELECT id FROM members WHERE lower(email) IN (?, ?) ORDER BY id LIMIT 1",
        )
        .bind(norm)
        .bind(raw)
        .fetch_optional(&mut **open(&mut self.tx)?)
        .await?)
    }

    async fn new_member(&mut self, p: &Person) -> Result<String, ImportError> {
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
                    .map(str::to_string)
            })
            .unwrap_or_else(|| p.external_id.clone());
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
        .execute(&mut **open(&mut self.tx)?)
        .await?;
        self.counts.members_added += done.rows_affected();
        Ok(id)
    }

    /// Adds a space if it is not there yet.
    pub async fn space(&mut self, s: &Space) -> Result<(), ImportError> {
        if !self.spaces.insert(s.external_id.clone()) {
            return Ok(());
        }
        let s = &s.cleaned();
        self.settle().await?;
        sqlx::query(
            "INSERT INTO spaces (id, source_id, external_id, name, kind) VALUES (?, ?, ?, ?, ?)
             ON CONFLICT(source_id, external_id) DO UPDATE SET name = excluded.name",
        )
        .bind(ids::derived(&["space", &self.source_id, &s.external_id]))
        .bind(&self.source_id)
        .bind(&s.external_id)
        .bind(&s.name)
        .bind(s.kind.as_str())
        .execute(&mut **open(&mut self.tx)?)
        .await?;
        Ok(())
    }

    fn activity_id(&self, external_id: &str) -> String {
        ids::derived(&["activity", &self.source_id, external_id])
    }

    /// Adds an activity unless the source's id is already in the store. Rows are written
    /// in batches; [`Writer::finish`] writes the rest.
    pub async fn activity(&mut self, a: &Act) -> Result<(), ImportError> {
        let member = match self.members.get(&a.author) {
            Some(m) => m.clone(),
            None => {
                let stub = Person {
                    external_id: a.author.clone(),
                    ..Person::default()
                };
                self.person(&stub).await?
            }
        };
        if let Some(space) = &a.space {
            if !self.spaces.contains(space) {
                let s = Space {
                    external_id: space.clone(),
                    name: space.clone(),
                    kind: SpaceKind::Channel,
                };
                self.space(&s).await?;
            }
        }
        self.pending.push(Row {
            id: self.activity_id(&a.external_id),
            external_id: a.external_id.clone(),
            member_id: member,
            identity_id: ids::derived(&["identity", &self.source_id, &a.author]),
            space_id: a
                .space
                .as_ref()
                .map(|s| ids::derived(&["space", &self.source_id, s])),
            kind: a.kind.as_str(),
            occurred_at: time::format(a.at),
            root: a.root.as_ref().map(|r| self.activity_id(r)),
            parent: a.parent.as_ref().map(|p| self.activity_id(p)),
            title: a
                .title
                .as_deref()
                .map(|t| super::record::clean_text(t, limits::MAX_TITLE_CHARS).0),
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
        let (tx, added, sent) = job
            .await
            .map_err(|_| ImportError::from(sqlx::Error::WorkerCrashed))??;
        self.counts.added += added;
        self.counts.present += sent - added;
        self.tx = Some(tx);
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
        let mut tx = self.tx.take().ok_or(sqlx::Error::WorkerCrashed)?;
        let source = self.source_id.clone();
        self.in_flight = Some(tokio::spawn(async move {
            let added = insert(&mut tx, &source, &rows).await?;
            Ok((tx, added, rows.len() as u64))
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
        // Only this import's rows: earlier ones were unlinked by their own import.
        let floor = capture::floor_of(&self.floors, "activities");
        for column in ["thread_root_id", "parent_id"] {
            // `column` is one of two constants.
            let sql = format!(
                "UPDATE activities SET {column} = NULL WHERE rowid > ? AND {column} IS NOT NULL
                 AND NOT EXISTS (SELECT 1 FROM activities p WHERE p.id = activities.{column})"
            );
            sqlx::query(&sql)
                .bind(floor)
                .execute(&mut **open(&mut self.tx)?)
                .await?;
        }
        sqlx::query(
            "UPDATE members SET joined_at = (SELECT MIN(occurred_at) FROM activities a WHERE a.member_id = members.id)
             WHERE joined_at IS NULL AND id IN (SELECT member_id FROM identities WHERE source_id = ?)",
        )
        .bind(&self.source_id)
        .execute(&mut **open(&mut self.tx)?)
        .await?;
        check_references(open(&mut self.tx)?, floor, &self.source_id).await?;
        for snap in std::mem::take(&mut self.snapshots) {
            capture::after(&self.store, open(&mut self.tx)?, snap).await?;
        }
        // New rows get their change records at the next sync, if there is one.
        crate::sync::defer_capture(open(&mut self.tx)?, &self.floors).await?;
        if let Some(tx) = self.tx.take() {
            tx.commit().await?;
        }
        Ok((self.counts, self.skipped.into_list()))
    }
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
fn open<'a>(
    tx: &'a mut Option<Transaction<'static, Sqlite>>,
) -> Result<&'a mut Transaction<'static, Sqlite>, ImportError> {
    tx.as_mut()
        .ok_or(ImportError::from(sqlx::Error::WorkerCrashed))
}

/// Inserts `rows` of `source` in one statement, skipping those already there; returns how
/// many were added.
async fn insert(
    tx: &mut Transaction<'static, Sqlite>,
    source: &str,
    rows: &[Row],
) -> Result<u64, ImportError> {
    let mut q: QueryBuilder<Sqlite> = QueryBuilder::new(
        "INSERT OR IGNORE INTO activities (id, source_id, external_id, member_id, identity_id, space_id,
         kind, occurred_at, thread_root_id, parent_id, title, body) ",
    );
    q.push_values(rows, |mut b, r| {
        b.push_bind(&r.id)
            .push_bind(source)
            .push_bind(&r.external_id)
            .push_bind(&r.member_id)
            .push_bind(&r.identity_id)
            .push_bind(&r.space_id)
            .push_bind(r.kind)
            .push_bind(&r.occurred_at)
            .push_bind(&r.root)
            .push_bind(&r.parent)
            .push_bind(&r.title)
            .push_bind(&r.body);
    });
    // OR IGNORE: a row already there (same source and source id) is skipped; unlike ON
    // CONFLICT it lets SQLite write the batch without a statement journal.
    Ok(q.build().execute(&mut **tx).await?.rows_affected())
}

/// What must hold before an import commits, checked on its own rows since SQLite's
/// foreign-key checks are off for it (see `Store::write_unchecked`): every new activity's
/// member, source, identity, space, thread and parent exist, and so does every member an
/// identity of the source points at.
const DANGLING: &str = "SELECT
    (SELECT COUNT(*) FROM activities a WHERE a.rowid > ?1 AND (
        NOT EXISTS (SELECT 1 FROM members m WHERE m.id = a.member_id)
        OR NOT EXISTS (SELECT 1 FROM sources s WHERE s.id = a.source_id)
        OR (a.identity_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM identities i WHERE i.id = a.identity_id))
        OR (a.space_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM spaces p WHERE p.id = a.space_id))
        OR (a.thread_root_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM activities r WHERE r.id = a.thread_root_id))
        OR (a.parent_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM activities r WHERE r.id = a.parent_id))))
  + (SELECT COUNT(*) FROM identities i WHERE i.source_id = ?2
        AND NOT EXISTS (SELECT 1 FROM members m WHERE m.id = i.member_id))
  + (SELECT COUNT(*) FROM spaces p WHERE p.source_id = ?2
        AND NOT EXISTS (SELECT 1 FROM sources s WHERE s.id = p.source_id))";

async fn check_references(
    tx: &mut Transaction<'static, Sqlite>,
    floor: i64,
    source: &str,
) -> Result<(), ImportError> {
    let dangling: i64 = sqlx::query_scalar(DANGLING)
        .bind(floor)
        .bind(source)
        .fetch_one(&mut **tx)
        .await?;
    if dangling > 0 {
        return Err(ImportError::Store(crate::Error::Inconsistent(format!(
            "{dangling} imported rows would point at nothing"
        ))));
    }
    Ok(())
}

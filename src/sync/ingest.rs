//! Another device's segments, applied in sequence whatever else lies beside them.
//!
//! A transport (the folder, the hub) offers a device's segments by their claimed range; they
//! are read lazily, the one that continues the device's sequence furthest first. A segment
//! that cannot be read (junk, unsealed, forged, damaged, too large) is set aside with its
//! reason, remembered (`junk`) so it is never read again, and the next one is tried: only
//! a genuine, verified segment advances a device's sequence, so no stranger can hold a place
//! in it. One sync reads at most [`limits::MAX_SEGMENT_READS_PER_SYNC`] files and
//! [`limits::MAX_SYNC_READ_BYTES`] bytes; the rest waits for the next.

use std::collections::BinaryHeap;
use std::path::PathBuf;

use super::apply::{self, Change};
use super::segment::{self, Header, Keys, Problem};
use super::{junk, signing, Skipped, SyncReport};
use crate::error::Result;
use crate::limits;
use crate::store::Store;

/// One segment offered by a transport.
pub struct Offered {
    /// Where it is (a file name, a hub row), for messages and the junk memory.
    pub name: String,
    /// Its first sequence number, as the transport names it (checked against the header).
    pub first: i64,
    /// Its last sequence number, as the transport names it (checked against the header).
    pub last: i64,
    /// Its size in bytes, as the transport says.
    pub size: u64,
    /// What it is now (size, time): a file set aside is read again only once it changes.
    pub stamp: String,
    /// Where to read its bytes: a segment already applied or set aside is never read.
    pub body: Body,
}

/// Where a segment's bytes are.
pub enum Body {
    /// A file of the shared folder, read (regular files only, capped) when it is needed.
    File(PathBuf),
    /// A row of the hub, fetched when it is needed.
    Hub(super::hub::Row),
    /// Already in memory (tests, benchmarks).
    Bytes(Vec<u8>),
}

impl Body {
    /// Reads the bytes (capped at [`limits::MAX_SEGMENT_BYTES`]).
    pub(crate) async fn load(&self) -> std::result::Result<Vec<u8>, Problem> {
        let refused = |e: limits::Refused| Problem::Refused(e.to_string());
        match self {
            Body::File(path) => {
                limits::read_regular(path, limits::MAX_SEGMENT_BYTES).map_err(refused)
            }
            Body::Hub(row) => row.fetch().await,
            Body::Bytes(b) if b.len() as u64 > limits::MAX_SEGMENT_BYTES => {
                Err(refused(limits::Refused::TooLarge {
                    size: b.len() as u64,
                    limit: limits::MAX_SEGMENT_BYTES,
                }))
            }
            Body::Bytes(b) => Ok(b.clone()),
        }
    }
}

/// What one sync may still read, all devices together.
#[derive(Debug)]
pub struct Budget {
    files: usize,
    bytes: u64,
    /// Whether the sync stopped reading for want of budget.
    pub spent: bool,
}

impl Default for Budget {
    fn default() -> Budget {
        Budget {
            files: limits::MAX_SEGMENT_READS_PER_SYNC,
            bytes: limits::MAX_SYNC_READ_BYTES,
            spent: false,
        }
    }
}

impl Budget {
    /// Takes one read of `size` bytes, if the budget allows it.
    pub fn take(&mut self, size: u64) -> bool {
        if self.files == 0 || self.bytes < size {
            self.spent = true;
            return false;
        }
        self.files -= 1;
        self.bytes -= size;
        true
    }

    /// The notice a sync that stopped reading gives.
    pub fn notice(&self) -> Option<String> {
        self.spent.then(|| {
            format!(
                "this sync read the most it reads at once ({} files, {} MiB); the rest is read at the next sync",
                limits::MAX_SEGMENT_READS_PER_SYNC,
                limits::MAX_SYNC_READ_BYTES >> 20
            )
        })
    }
}

/// A device's offered segments in the order they are tried: of those that continue its
/// sequence now (first ≤ cursor + 1 < last + 1), the one starting latest, then reaching
/// furthest.
struct Queue {
    items: Vec<Offered>,
    next: usize,
    ready: BinaryHeap<(i64, i64, std::cmp::Reverse<usize>)>,
}

impl Queue {
    fn new(mut items: Vec<Offered>) -> Queue {
        items.sort_by(|a, b| (a.first, a.last, &a.name).cmp(&(b.first, b.last, &b.name)));
        Queue {
            items,
            next: 0,
            ready: BinaryHeap::new(),
        }
    }

    fn admit(&mut self, at: i64) {
        while let Some(o) = self.items.get(self.next).filter(|o| o.first <= at + 1) {
            self.ready
                .push((o.first, o.last, std::cmp::Reverse(self.next)));
            self.next += 1;
        }
    }

    /// The next segment to try once the device's changes reach `at`.
    fn pop(&mut self, at: i64) -> Option<usize> {
        self.admit(at);
        while let Some((_, last, std::cmp::Reverse(i))) = self.ready.pop() {
            if last > at {
                return Some(i);
            }
        }
        None
    }

    /// The others that could continue the sequence from `at` too (rivals for a first key).
    fn rivals(&self, at: i64) -> Vec<usize> {
        let mut out: Vec<usize> = self
            .ready
            .iter()
            .filter(|(_, last, _)| *last > at)
            .map(|(_, _, std::cmp::Reverse(i))| *i)
            .collect();
        out.sort_unstable();
        out
    }

    /// The first segment that waits for changes not arrived yet.
    fn waiting(&self, at: i64) -> Option<&Offered> {
        self.items[self.next..].iter().find(|o| o.first > at + 1)
    }
}

/// Applies `device`'s offered segments in sequence order, one transaction each, until a
/// gap, the end, or the budget.
pub async fn ingest(
    store: &Store,
    device: &str,
    offered: Vec<Offered>,
    keys: &mut Keys,
    report: &mut SyncReport,
    budget: &mut Budget,
) -> Result<()> {
    if offered.is_empty() {
        return Ok(());
    }
    let mut at = super::cursor(store, device).await?;
    let known = junk::known(store, device, at).await?;
    let fresh = offered
        .into_iter()
        .filter(|o| o.first >= 1 && o.first <= o.last && o.last > at)
        .filter(|o| !known.contains(&o.name, &stamped(o, keys)))
        .collect();
    let mut queue = Queue::new(fresh);
    let mut found = junk::Found::default();
    while let Some(i) = queue.pop(at) {
        if !budget.take(queue.items[i].size) {
            break;
        }
        let (header, changes) = match open_offered(device, &queue.items[i], keys).await {
            Ok(opened) => opened,
            Err(problem) => {
                set_aside(device, &queue.items[i], &problem, keys, report, &mut found);
                continue;
            }
        };
        if signing::pinned(store, device).await?.is_none() {
            let rivals = rival_keys(device, &queue, i, at, keys, budget).await;
            signing::pin_first(
                store,
                device,
                &header,
                &queue.items[i].name,
                &rivals,
                report,
            )
            .await?;
        }
        if let Some(problem) =
            signing::check(store, device, &header, &queue.items[i].name, report).await?
        {
            set_aside(device, &queue.items[i], &problem, keys, report, &mut found);
            continue;
        }
        apply_segment(store, changes, at, report).await?;
        at = header.last;
    }
    found.remember(store).await?;
    if let Some(o) = queue.waiting(at) {
        report.notices.push(format!(
            "waiting for changes {}–{} of device {device} before {} (not arrived yet)",
            at + 1,
            o.first - 1,
            o.name
        ));
    }
    Ok(())
}

/// The stamp an offered segment is remembered by: the transport's and the reader's.
pub(crate) fn stamped(o: &Offered, keys: &Keys) -> String {
    format!("{}:{}", o.stamp, keys.stamp())
}

/// Sets `o` aside with `problem`, noted in `found` when it is final so it is never read
/// again.
fn set_aside(
    device: &str,
    o: &Offered,
    problem: &Problem,
    keys: &Keys,
    report: &mut SyncReport,
    found: &mut junk::Found,
) {
    if problem.is_final() {
        found.note(device, &o.name, &stamped(o, keys), o.last);
    }
    report.skipped.push(Skipped::new(o.name.clone(), problem));
}

/// Applies a verified segment's records after `at`.
async fn apply_segment(
    store: &Store,
    changes: Vec<Change>,
    at: i64,
    report: &mut SyncReport,
) -> Result<()> {
    let fresh: Vec<Change> = changes.into_iter().filter(|c| c.seq > at).collect();
    let done = apply::apply(store, &fresh).await?;
    if done.held > 0 {
        let why = fresh.iter().find_map(|c| apply::hold_reason(store, c));
        if let Some(why) = why.filter(|w| !report.notices.contains(w)) {
            report.notices.push(why);
        }
    }
    report.applied += done.applied;
    report.duplicates += done.duplicates;
    Ok(())
}

/// The signers of the other sealed segments that could continue `device`'s sequence from
/// `at` as well as segment `chosen` (read within the budget): (key, last change, where).
async fn rival_keys(
    device: &str,
    queue: &Queue,
    chosen: usize,
    at: i64,
    keys: &mut Keys,
    budget: &mut Budget,
) -> Vec<signing::Claim> {
    let mut out = Vec::new();
    for j in queue.rivals(at).into_iter().filter(|j| *j != chosen) {
        let o = &queue.items[j];
        if !budget.take(o.size) {
            break;
        }
        if let Ok((h, _)) = open_offered(device, o, keys).await {
            if let (Some(_), Some(key)) = (&h.sealed, h.signer) {
                out.push(signing::Claim {
                    key,
                    last: h.last,
                    place: o.name.clone(),
                });
            }
        }
    }
    out
}

/// Opens one offered segment of `device` and checks it is what the transport said.
async fn open_offered(
    device: &str,
    o: &Offered,
    keys: &mut Keys,
) -> std::result::Result<(Header, Vec<Change>), Problem> {
    let (h, changes) = segment::decode(&o.body.load().await?, keys)?;
    if h.device != device {
        return Err(Problem::Damaged(format!(
            "it holds device {}'s records",
            h.device
        )));
    }
    if (h.first, h.last) != (o.first, o.last) {
        return Err(Problem::Damaged(format!(
            "it holds changes {}–{}, not {}–{} as its name says",
            h.first, h.last, o.first, o.last
        )));
    }
    Ok((h, changes))
}

/// Of the segments under this laptop's own id that it did not write (`offered`), the name
/// and last change of the first one a copy of this laptop wrote (see
/// [`super::written_by_a_copy`]). Every other one (junk, a forgery, a renamed copy of its
/// own file) is set aside and remembered, and never makes this laptop change its id.
pub async fn find_copy(
    store: &Store,
    device: &str,
    offered: Vec<Offered>,
    keys: &mut Keys,
    report: &mut SyncReport,
    budget: &mut Budget,
) -> Result<Option<(String, i64)>> {
    let known = junk::known(store, device, 0).await?;
    let own = signing::public(&signing::own_key(store)?);
    let mut found = junk::Found::default();
    let mut copy = None;
    for o in offered {
        if known.contains(&o.name, &stamped(&o, keys)) || !budget.take(o.size) {
            continue;
        }
        let problem = match open_offered(device, &o, keys).await {
            Ok((h, changes)) if super::written_by_a_copy(store, &h, &changes).await? => {
                copy = Some((o.name, o.last));
                break;
            }
            Ok((h, _)) if h.signer.as_deref() == Some(own.as_str()) => Problem::ConflictCopy,
            Ok(_) => Problem::Forged(
                "under this laptop's id but signed by another key than its own — written by someone else"
                    .into(),
            ),
            Err(problem) => problem,
        };
        set_aside(device, &o, &problem, keys, report, &mut found);
    }
    found.remember(store).await?;
    Ok(copy)
}

/// Makes a long list of set-aside files short: of each kind, the first
/// [`limits::MAX_SKIPS_SHOWN_PER_KIND`] are named and one more line counts the rest.
pub fn summarise(skipped: Vec<Skipped>) -> Vec<Skipped> {
    let mut out: Vec<Skipped> = Vec::new();
    let mut more: Vec<(segment::ProblemKind, usize, String)> = Vec::new();
    for s in skipped {
        let shown = out.iter().filter(|o| o.kind == s.kind).count();
        if shown < limits::MAX_SKIPS_SHOWN_PER_KIND {
            out.push(s);
        } else if let Some(m) = more.iter_mut().find(|m| m.0 == s.kind) {
            m.1 += 1;
        } else {
            more.push((s.kind, 1, s.reason));
        }
    }
    for (kind, n, reason) in more {
        out.push(Skipped {
            name: format!("{n} more like these"),
            kind,
            reason,
            more: Some(n as u64),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn offered(first: i64, last: i64, name: &str) -> Offered {
        Offered {
            name: name.into(),
            first,
            last,
            size: 1,
            stamp: String::new(),
            body: Body::Bytes(Vec::new()),
        }
    }

    #[test]
    fn the_queue_tries_what_continues_furthest_and_never_what_is_behind() {
        let mut q = Queue::new(vec![
            offered(1, 1, "junk-a"),
            offered(1, 5000, "genuine-1"),
            offered(5001, 7000, "genuine-2"),
            offered(3, 9999, "junk-b"),
            offered(8000, 9000, "later"),
        ]);
        let (mut at, mut order) = (0, Vec::new());
        while let Some(i) = q.pop(at) {
            let o = &q.items[i];
            if o.name.starts_with("genuine") {
                at = o.last;
            }
            order.push(o.name.clone());
        }
        assert_eq!(order, ["genuine-1", "genuine-2", "junk-b"]);
        assert_eq!(q.waiting(7000).map(|o| o.name.as_str()), Some("later"));
    }

    #[test]
    fn ten_thousand_skips_of_one_kind_make_eleven_lines() {
        let junk = Problem::Damaged("not a Tend change file".into());
        let many = (0..10_000)
            .map(|i| Skipped::new(format!("A/{i}.tseg"), &junk))
            .chain([Skipped::new("B/x.tseg", &Problem::Unsealed)])
            .collect();
        let short = summarise(many);
        assert_eq!(short.len(), limits::MAX_SKIPS_SHOWN_PER_KIND + 2);
        assert!(short.iter().any(|s| s.name == "9990 more like these"));
        assert!(short.iter().any(|s| s.name == "B/x.tseg"));
    }
}

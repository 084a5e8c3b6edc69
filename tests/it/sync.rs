//! Team sync through a shared folder: three laptops converge whatever the order, losses and
//! duplicates of their change files; skewed clocks, half-written files, copied data
//! folders, sealed files and erasure.

use crate::common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use tend::guide::onboarding::{self, Stage};
use tend::guide::plan::{self, StepChange};
use tend::guide::today::{self, ActionMark};
use tend::model::MemberPatch;
use tend::report::stories::{self, NewStory, ValueTag};
use tend::sync::{folder, status};
use tend::{erasure, identity, members, Store};

const STEPS: &[&str] = &["purpose", "sponsor_leader", "core_group", "norms"];
const STAGES: &[Stage] = &[
    Stage::Welcomed,
    Stage::Introduced,
    Stage::Regular,
    Stage::Champion,
];

async fn live_members(store: &Store) -> Vec<String> {
    sqlx::query_scalar("SELECT id FROM members WHERE erased_at IS NULL ORDER BY id")
        .fetch_all(store.pool())
        .await
        .expect("members")
}

/// One random edit of the kinds facilitators make.
async fn random_edit(store: &Store, rng: &mut ChaCha8Rng, tag: &str) {
    let ids = live_members(store).await;
    let pick = |rng: &mut ChaCha8Rng| ids[rng.random_range(0..ids.len())].clone();
    let m = pick(rng);
    match rng.random_range(0..20) {
        0..=4 => {
            let patch = MemberPatch {
                notes: Some(format!("note {tag} {}", rng.random::<u16>())),
                ..Default::default()
            };
            members::update(store, &m, &patch).await.expect("notes");
        }
        5..=6 => {
            let country = ["Kenya", "Peru", "Nepal", "Ghana"][rng.random_range(0..4)];
            let role = ["member", "champion", "facilitator"][rng.random_range(0..3)];
            let patch = MemberPatch {
                country: Some(country.into()),
                role: Some(role.into()),
                ..Default::default()
            };
            members::update(store, &m, &patch).await.expect("country");
        }
        7..=8 => {
            let stage = STAGES[rng.random_range(0..STAGES.len())];
            onboarding::set_override(store, &m, stage, tag)
                .await
                .expect("override");
        }
        9 => onboarding::clear_override(store, &m).await.expect("clear"),
        10..=11 => {
            let step = STEPS[rng.random_range(0..STEPS.len())];
            let change = match rng.random_range(0..3) {
                0 => StepChange::Done {
                    note: format!("done on {tag}"),
                },
                1 => StepChange::Skip {
                    reason: format!("skipped on {tag}"),
                },
                _ => StepChange::Reopen,
            };
            plan::change(store, step, &change).await.expect("plan");
        }
        12..=13 => {
            let mark = if rng.random_bool(0.5) {
                ActionMark::Done
            } else {
                ActionMark::Snooze {
                    until: Some("2026-12-01".into()),
                }
            };
            today::mark(store, &format!("welcome:{m}"), &mark)
                .await
                .expect("mark");
        }
        14..=15 => {
            let story = NewStory {
                told_on: Some("2026-11-20".into()),
                tag: ValueTag::Applied,
                member: Some(m),
                title: format!("story from {tag}"),
                text: String::new(),
            };
            stories::add(store, &story).await.expect("story");
        }
        16..=17 if ids.len() > 4 => {
            let other = pick(rng);
            if other != m {
                identity::merge(store, &m, &other).await.expect("merge");
            }
        }
        18 if ids.len() > 4 => {
            erasure::erase(store, &m).await.expect("erase");
        }
        _ => {
            let patch = MemberPatch {
                display_name: Some(format!("Renamed on {tag}")),
                ..Default::default()
            };
            members::update(store, &m, &patch).await.expect("rename");
        }
    }
}

/// Three laptops, each with its own replica of the shared folder (as Syncthing keeps one
/// per laptop), and the files the sync tool has not delivered everywhere yet.
struct Lab {
    _dir: tempfile::TempDir,
    stores: Vec<Store>,
    replicas: Vec<PathBuf>,
    pass: Option<&'static str>,
}

impl Lab {
    async fn new(seed: u64) -> Lab {
        Lab::with_passphrase(seed, None).await
    }

    async fn with_passphrase(seed: u64, pass: Option<&'static str>) -> Lab {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut stores = Vec::new();
        let mut replicas = Vec::new();
        for i in 0..3 {
            let replica = dir.path().join(format!("replica-{i}"));
            std::fs::create_dir_all(&replica).expect("replica");
            replicas.push(replica);
            stores.push(
                Store::open(&dir.path().join(format!("laptop-{i}.db")))
                    .await
                    .expect("open"),
            );
        }
        let mut cfg = common::small_demo(seed);
        cfg.members = 24;
        cfg.months = 2;
        tend::demo::generate(&stores[0], &cfg).await.expect("demo");
        let lab = Lab {
            _dir: dir,
            stores,
            replicas,
            pass,
        };
        // Everyone starts from laptop 0's community.
        lab.sync(0).await;
        lab.deliver_all();
        for i in 1..3 {
            lab.sync(i).await;
        }
        lab
    }

    async fn sync(&self, i: usize) -> tend::sync::SyncReport {
        folder::sync(&self.stores[i], &self.replicas[i], self.pass)
            .await
            .expect("sync")
    }

    /// Every segment file in any replica, whole (the longest copy: the others are
    /// half-written deliveries): (relative path, bytes).
    fn published(&self) -> BTreeMap<PathBuf, Vec<u8>> {
        let mut out = BTreeMap::new();
        for r in &self.replicas {
            for dev in std::fs::read_dir(r).expect("replica").flatten() {
                for f in std::fs::read_dir(dev.path()).expect("device dir").flatten() {
                    let name = f.file_name().to_string_lossy().to_string();
                    if folder::is_segment_name(&name) {
                        let rel = Path::new(&dev.file_name()).join(&name);
                        let bytes = std::fs::read(f.path()).expect("read");
                        let known = out.get(&rel).map_or(0, Vec::len);
                        if bytes.len() > known {
                            out.insert(rel, bytes);
                        }
                    }
                }
            }
        }
        out
    }

    fn put(&self, i: usize, rel: &Path, bytes: &[u8]) {
        let path = self.replicas[i].join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, bytes).expect("write");
    }

    fn deliver_all(&self) {
        for (rel, bytes) in self.published() {
            for i in 0..3 {
                self.put(i, &rel, &bytes);
            }
        }
    }

    /// The sync tool at its worst: files arrive in random order, some not at all (yet),
    /// some half-written, some twice as conflict copies.
    fn deliver_some(&self, rng: &mut ChaCha8Rng) {
        let mut files: Vec<(PathBuf, Vec<u8>)> = self.published().into_iter().collect();
        files.shuffle(rng);
        for (rel, bytes) in files {
            for i in 0..3 {
                if self.replicas[i].join(&rel).exists()
                    && std::fs::read(self.replicas[i].join(&rel)).ok().as_ref() == Some(&bytes)
                {
                    continue;
                }
                match rng.random_range(0..10) {
                    0..=3 => {}                                        // Lost for now.
                    4 => self.put(i, &rel, &bytes[..bytes.len() / 2]), // Half-written.
                    5 => {
                        self.put(i, &rel, &bytes);
                        let copy = rel.with_extension("sync-conflict-20261123-ABCDEF.tseg");
                        self.put(i, &copy, &bytes);
                    }
                    _ => self.put(i, &rel, &bytes),
                }
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_laptops_converge_whatever_the_order_losses_and_duplicates() {
    for seed in 1..=4u64 {
        let lab = Lab::new(seed).await;
        let start = common::canonical(&lab.stores[0]).await;
        for i in 1..3 {
            assert_eq!(
                common::canonical(&lab.stores[i]).await,
                start,
                "seed {seed}: laptop {i} starts as laptop 0"
            );
        }
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        for round in 0..4 {
            for i in 0..3 {
                for _ in 0..rng.random_range(2..7) {
                    random_edit(
                        &lab.stores[i],
                        &mut rng,
                        &format!("laptop {i} round {round}"),
                    )
                    .await;
                }
            }
            let mut order = vec![0, 1, 2];
            order.shuffle(&mut rng);
            for &i in &order {
                lab.sync(i).await;
                lab.deliver_some(&mut rng);
            }
        }
        // The sync tool catches up: every file reaches every replica, whole.
        for _ in 0..2 {
            lab.deliver_all();
            for i in 0..3 {
                let r = lab.sync(i).await;
                assert_eq!(r.held, 0, "seed {seed}: nothing held back");
            }
        }
        let end = common::canonical(&lab.stores[0]).await;
        assert_ne!(end, start, "seed {seed}: the edits changed something");
        for store in &lab.stores {
            assert_eq!(
                dangling(store).await,
                0,
                "seed {seed}: a row lost its member"
            );
        }
        for i in 1..3 {
            let other = common::canonical(&lab.stores[i]).await;
            let only_0: Vec<_> = end.iter().filter(|r| !other.contains(r)).take(4).collect();
            let only_i: Vec<_> = other.iter().filter(|r| !end.contains(r)).take(4).collect();
            assert!(
                only_0.is_empty() && only_i.is_empty(),
                "seed {seed}: laptop {i} differs from laptop 0\nonly on 0: {only_0:#?}\nonly on {i}: {only_i:#?}"
            );
        }
    }
}

/// Writes `changes` as a segment into every replica, under their device's sub-folder.
fn publish(lab: &Lab, changes: &[tend::sync::apply::Change], pass: Option<&str>, tag: &str) {
    use tend::sync::segment::{self, Keys};
    let bytes = segment::encode(
        changes,
        tend::sync::SCHEMA,
        &mut Keys::new(pass),
        b"intruder-salt-01",
        None,
    )
    .expect("encode");
    let (first, last) = (changes[0].seq, changes[changes.len() - 1].seq);
    let rel = Path::new(&changes[0].device).join(format!("{first:012}-{last:012}-{tag}.tseg"));
    for i in 0..3 {
        lab.put(i, &rel, &bytes);
    }
}

/// The highest sequence number any replica's file names give `device`.
fn last_published(lab: &Lab, device: &str) -> i64 {
    lab.published()
        .keys()
        .filter(|rel| rel.starts_with(device))
        .filter_map(|rel| folder::segment_range(rel.file_name()?.to_str()?))
        .map(|(_, last)| last)
        .max()
        .unwrap_or(0)
}

fn record(
    device: &str,
    seq: i64,
    tbl: &str,
    key: &str,
    col: &str,
    value: &str,
) -> tend::sync::apply::Change {
    tend::sync::apply::Change {
        device: device.into(),
        seq,
        hlc: (chrono::Utc::now().timestamp_millis() << 16) + seq,
        base: 0,
        tbl: tbl.into(),
        row_key: key.into(),
        col: col.into(),
        value: value.into(),
        schema: tend::sync::SCHEMA,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sealed_team_converges_beside_a_forger_poisoner_jammer_rekeyer_and_late_joiner() {
    const POISONER: &str = "01930000-0000-7000-8000-0000000b0150";
    for seed in 1..=2u64 {
        let lab = Lab::with_passphrase(seed, Some("team words")).await;
        let mut devices = Vec::new();
        for store in &lab.stores {
            devices.push(status::status(store).await.expect("s").device);
        }
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let mut poison_seq = 0;
        for round in 0..3 {
            for i in 0..3 {
                for _ in 0..rng.random_range(2..5) {
                    random_edit(
                        &lab.stores[i],
                        &mut rng,
                        &format!("laptop {i} round {round}"),
                    )
                    .await;
                }
            }
            // The forger, without the passphrase, writes a laptop's next changes in the clear.
            let victim = status::status(&lab.stores[rng.random_range(0..3)])
                .await
                .expect("s")
                .device;
            let m = live_members(&lab.stores[0]).await.remove(0);
            let next = last_published(&lab, &victim) + 1;
            let forged = [
                record(
                    &victim,
                    next,
                    "members",
                    &m,
                    "display_name",
                    "\"FORGED name\"",
                ),
                record(&victim, next + 1, "members", &m, "-", "null"),
            ];
            publish(&lab, &forged, None, &format!("f0rged{round:02}"));
            // The poisoner holds the passphrase and sends records no edit could make.
            let poison = [
                record(POISONER, poison_seq + 1, "members", &m, "role", "\"god\""),
                record(
                    POISONER,
                    poison_seq + 2,
                    "settings",
                    "sync.folder",
                    "value",
                    "\"/elsewhere\"",
                ),
                record(
                    POISONER,
                    poison_seq + 3,
                    "members",
                    &m,
                    "display_name",
                    "null",
                ),
            ];
            poison_seq += 3;
            publish(
                &lab,
                &poison,
                Some("team words"),
                &format!("00b0150{round}"),
            );
            // The jammer fills the victim's folder with junk named as its next changes.
            for j in 0..50 {
                let rel = Path::new(&victim).join(segment_name(
                    next,
                    next + j % 4,
                    &format!("{round:02}{j:06x}"),
                ));
                for i in 0..3 {
                    lab.put(i, &rel, b"junk");
                }
            }
            // The re-keyer, a teammate, seals changes under the victim's id with its own key.
            let rekeyer = ed25519_dalek::SigningKey::from_bytes(&[round as u8 + 1; 32]);
            let taken = [record(&victim, next, "members", &m, "notes", "\"REKEYED\"")];
            let rel =
                Path::new(&victim).join(segment_name(next, next, &format!("7e7e7e{round:02}")));
            let bytes = segment_of(&taken, Some("team words"), Some(&rekeyer));
            for i in 0..3 {
                lab.put(i, &rel, &bytes);
            }
            let mut order = vec![0, 1, 2];
            order.shuffle(&mut rng);
            for &i in &order {
                lab.sync(i).await;
                lab.deliver_some(&mut rng);
            }
        }
        for _ in 0..2 {
            lab.deliver_all();
            for i in 0..3 {
                lab.sync(i).await;
            }
        }
        let end = common::canonical(&lab.stores[0]).await;
        assert!(
            end.iter()
                .all(|r| !r.contains("FORGED") && !r.contains("REKEYED")),
            "seed {seed}: a forged value applied"
        );
        for (i, store) in lab.stores.iter().enumerate() {
            let now = status::status(store).await.expect("s").device;
            assert_eq!(
                now, devices[i],
                "seed {seed}: laptop {i} was made to re-key"
            );
        }
        // A late joiner reads the whole folder, junk and forgeries included, and ends alike.
        let late = Store::open(&lab.replicas[0].with_file_name("late.db"))
            .await
            .expect("late");
        folder::sync(&late, &lab.replicas[0], lab.pass)
            .await
            .expect("late");
        assert_eq!(
            live_members(&late).await,
            live_members(&lab.stores[0]).await,
            "seed {seed}: the late joiner differs"
        );
        for (i, store) in lab.stores.iter().enumerate() {
            assert_eq!(
                common::canonical(store).await,
                end,
                "seed {seed}: laptop {i} differs"
            );
            let held = status::status(store).await.expect("status").held;
            assert_eq!(
                held.len() as i64,
                poison_seq,
                "seed {seed}: laptop {i} holds every poisoned record"
            );
            members::list(store, &tend::model::MemberFilter::default())
                .await
                .expect("members list");
        }
    }
}

async fn two_laptops() -> (tempfile::TempDir, Store, Store, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let shared = dir.path().join("shared");
    std::fs::create_dir_all(&shared).expect("shared");
    let a = Store::open(&dir.path().join("a.db")).await.expect("a");
    let b = Store::open(&dir.path().join("b.db")).await.expect("b");
    let mut cfg = common::small_demo(7);
    cfg.members = 12;
    cfg.months = 1;
    tend::demo::generate(&a, &cfg).await.expect("demo");
    folder::sync(&a, &shared, None).await.expect("a");
    folder::sync(&b, &shared, None).await.expect("b");
    (dir, a, b, shared)
}

async fn notes(store: &Store, id: &str) -> String {
    members::get(store, id).await.expect("member").notes
}

async fn first_member(store: &Store) -> String {
    live_members(store).await.remove(0)
}

#[tokio::test]
async fn a_clock_far_ahead_is_held_back_until_this_clock_catches_up() {
    let (_dir, a, b, shared) = two_laptops().await;
    let m = first_member(&a).await;
    b.set_clock_offset_ms(2 * 3_600_000); // B's clock runs two hours fast.
    let fast = MemberPatch {
        notes: Some("from the fast clock".into()),
        ..Default::default()
    };
    members::update(&b, &m, &fast).await.expect("edit on b");
    folder::sync(&b, &shared, None).await.expect("b");
    let r = folder::sync(&a, &shared, None).await.expect("a");
    assert!(r.held > 0, "the fast clock's change is held: {r:?}");
    assert_ne!(notes(&a, &m).await, "from the fast clock");
    // A's later edit is not beaten by B's future clock while it is held.
    let later = MemberPatch {
        notes: Some("later, on a good clock".into()),
        ..Default::default()
    };
    members::update(&a, &m, &later).await.expect("edit on a");
    assert_eq!(notes(&a, &m).await, "later, on a good clock");
    let s = status::status(&a).await.expect("status");
    assert!(
        s.devices.iter().any(|d| d.held > 0),
        "the Sync view shows the held changes"
    );
    // Two hours later (A's clock catches up), the held change is an ordinary participant.
    a.set_clock_offset_ms(2 * 3_600_000 + 60_000);
    let r = folder::sync(&a, &shared, None).await.expect("a again");
    assert_eq!(r.held, 0);
    assert_eq!(
        status::status(&a)
            .await
            .expect("status")
            .devices
            .iter()
            .map(|d| d.held)
            .sum::<i64>(),
        0
    );
}

#[tokio::test]
async fn a_later_edit_on_a_slow_clock_is_seen_as_a_conflict_not_lost_silently() {
    let (_dir, a, b, shared) = two_laptops().await;
    let m = first_member(&a).await;
    b.set_clock_offset_ms(-3 * 3_600_000); // B's clock is three hours slow.
    let on_a = MemberPatch {
        notes: Some("written on A".into()),
        ..Default::default()
    };
    members::update(&a, &m, &on_a).await.expect("a");
    // B edits later in real time without having seen A's edit: its clock says earlier.
    let on_b = MemberPatch {
        notes: Some("written on B, later".into()),
        ..Default::default()
    };
    members::update(&b, &m, &on_b).await.expect("b");
    folder::sync(&a, &shared, None).await.expect("a");
    let r = folder::sync(&b, &shared, None).await.expect("b");
    // To B, A's clock is three hours ahead: A's edit waits, and B's Sync view says so.
    assert!(
        r.held > 0 && r.notices.iter().any(|n| n.contains("ahead")),
        "{r:?}"
    );
    assert!(status::status(&b)
        .await
        .expect("status")
        .devices
        .iter()
        .any(|d| d.held > 0));
    folder::sync(&a, &shared, None).await.expect("a again");
    // A sees B's edit lose to its own, listed as a conflict with both values.
    assert_eq!(notes(&a, &m).await, "written on A");
    // B's clock is put right: A's edit applies and both laptops agree.
    b.set_clock_offset_ms(0);
    folder::sync(&b, &shared, None).await.expect("b again");
    assert_eq!(
        notes(&a, &m).await,
        notes(&b, &m).await,
        "both laptops agree"
    );
    // The edit that lost is listed, with both values, on both laptops.
    for store in [&a, &b] {
        let conflicts = status::status(store).await.expect("status").conflicts;
        let c = conflicts
            .iter()
            .find(|c| c.column == "notes" && c.row == m)
            .expect("the conflict is listed");
        assert_eq!(c.kept, "\"written on A\"");
        assert_eq!(c.lost, "\"written on B, later\"");
    }
    // Having seen A's edit, B's next edit wins, whatever its clock says.
    let again = MemberPatch {
        notes: Some("B, after seeing A".into()),
        ..Default::default()
    };
    members::update(&b, &m, &again).await.expect("b again");
    folder::sync(&b, &shared, None).await.expect("b");
    folder::sync(&a, &shared, None).await.expect("a");
    assert_eq!(notes(&a, &m).await, "B, after seeing A");
}

fn own_segments(shared: &Path, device: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(shared.join(device))
        .expect("device dir")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "tseg"))
        .collect();
    files.sort();
    files
}

#[tokio::test]
async fn half_written_files_conflict_copies_and_newer_formats_wait_with_a_reason() {
    let (_dir, a, b, shared) = two_laptops().await;
    let m = first_member(&a).await;
    let patch = MemberPatch {
        notes: Some("arrives in pieces".into()),
        ..Default::default()
    };
    members::update(&a, &m, &patch).await.expect("edit");
    let r = folder::sync(&a, &shared, None).await.expect("a");
    let newest = own_segments(&shared, &r.device).pop().expect("a segment");
    let whole = std::fs::read(&newest).expect("read");
    std::fs::write(&newest, &whole[..whole.len() - 10]).expect("truncate");
    std::fs::write(
        newest.with_extension("sync-conflict-20261123-XYZ.tseg"),
        &whole,
    )
    .expect("copy");
    let r = folder::sync(&b, &shared, None).await.expect("b");
    assert_eq!(r.applied, 0);
    assert!(
        r.skipped.iter().any(|s| s.reason.contains("half-written")),
        "{r:?}"
    );
    assert!(
        r.skipped.iter().any(|s| s.reason.contains("conflict copy")),
        "{r:?}"
    );
    assert_ne!(notes(&b, &m).await, "arrives in pieces");
    // The file completes: it is applied.
    std::fs::write(&newest, &whole).expect("complete");
    folder::sync(&b, &shared, None).await.expect("b again");
    assert_eq!(notes(&b, &m).await, "arrives in pieces");
    // A segment from a newer Tend is skipped and named.
    let text = String::from_utf8(whole)
        .expect("text")
        .replace("\"format\":1", "\"format\":9");
    // Named as the next changes of that device, so it is read (segments already applied,
    // or not yet due, are never opened).
    let name = newest.file_name().and_then(|n| n.to_str()).expect("name");
    let (_, last) = folder::segment_range(name).expect("a segment name");
    let future = newest.with_file_name(format!("{:012}-{:012}-abcdef01.tseg", last + 1, last + 1));
    std::fs::write(&future, text).expect("future");
    let r = folder::sync(&b, &shared, None).await.expect("b once more");
    assert!(
        r.skipped.iter().any(|s| s.reason.contains("newer Tend")),
        "{r:?}"
    );
}

/// The app's *Save* syncs and *Sync now* may be clicked before it ends: two syncs of one
/// database at once must not take each other's fresh file for a copied laptop's.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_syncs_at_once_on_one_laptop_do_not_take_each_other_for_a_copy() {
    let dir = tempfile::tempdir().expect("tempdir");
    let shared = dir.path().join("shared");
    std::fs::create_dir_all(&shared).expect("shared");
    let a = Store::open(&dir.path().join("a.db")).await.expect("a");
    let mut cfg = common::small_demo(11);
    cfg.members = 40;
    tend::demo::generate(&a, &cfg).await.expect("demo");
    let (one, two) = tokio::join!(
        folder::sync(&a, &shared, Some("river stone")),
        folder::sync(&a, &shared, Some("river stone"))
    );
    let (one, two) = (one.expect("first"), two.expect("second"));
    for r in [&one, &two] {
        assert!(r.notices.is_empty(), "{:?}", r.notices);
    }
    assert_eq!(one.device, two.device);
    assert!(one.sent + two.sent > 0, "{one:?} {two:?}");
}

#[tokio::test]
async fn a_copied_data_folder_gets_a_new_device_id_and_nothing_is_lost() {
    let (dir, a, b, shared) = two_laptops().await;
    let m = first_member(&a).await;
    // Laptop A's database is copied to a new laptop, A2.
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
        .execute(&mut *a.local_writer().await.unwrap())
        .await
        .expect("checkpoint");
    std::fs::copy(dir.path().join("a.db"), dir.path().join("a2.db")).expect("copy");
    let a2 = Store::open(&dir.path().join("a2.db")).await.expect("a2");
    let one = MemberPatch {
        notes: Some("from A".into()),
        ..Default::default()
    };
    members::update(&a, &m, &one).await.expect("a");
    let two = MemberPatch {
        country: Some("Peru".into()),
        ..Default::default()
    };
    members::update(&a2, &m, &two).await.expect("a2");
    let ra = folder::sync(&a, &shared, None).await.expect("a");
    let ra2 = folder::sync(&a2, &shared, None).await.expect("a2");
    assert!(
        ra2.notices.iter().any(|n| n.contains("now device")),
        "{ra2:?}"
    );
    assert_ne!(ra.device, ra2.device);
    for _ in 0..2 {
        for s in [&a, &a2, &b] {
            folder::sync(s, &shared, None).await.expect("sync");
        }
    }
    for s in [&a, &a2, &b] {
        let got = members::get(s, &m).await.expect("member");
        assert_eq!(
            (got.notes.as_str(), got.country.as_deref()),
            ("from A", Some("Peru"))
        );
    }
}

#[tokio::test]
async fn sealed_files_hide_member_data_and_need_the_team_passphrase() {
    let dir = tempfile::tempdir().expect("tempdir");
    let shared = dir.path().join("shared");
    std::fs::create_dir_all(&shared).expect("shared");
    let a = Store::open(&dir.path().join("a.db")).await.expect("a");
    let mut cfg = common::small_demo(3);
    cfg.members = 8;
    cfg.months = 1;
    tend::demo::generate(&a, &cfg).await.expect("demo");
    let name = members::get(&a, &first_member(&a).await)
        .await
        .expect("m")
        .display_name;
    folder::sync(&a, &shared, Some("river stone lantern"))
        .await
        .expect("a");
    for f in walk(&shared) {
        let text = String::from_utf8_lossy(&std::fs::read(&f).expect("read")).to_string();
        assert!(!text.contains(&name), "{} shows {name}", f.display());
    }
    let b = Store::open(&dir.path().join("b.db")).await.expect("b");
    let r = folder::sync(&b, &shared, None).await.expect("b without");
    assert!(
        r.skipped.iter().any(|s| s.reason.contains("passphrase")),
        "{r:?}"
    );
    let r = folder::sync(&b, &shared, Some("wrong words"))
        .await
        .expect("b wrong");
    assert!(
        r.skipped.iter().any(|s| s.reason.contains("not the one")),
        "{r:?}"
    );
    folder::sync(&b, &shared, Some("river stone lantern"))
        .await
        .expect("b right");
    assert_eq!(common::canonical(&a).await, common::canonical(&b).await);
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).expect("dir").flatten() {
        if e.path().is_dir() {
            out.extend(walk(&e.path()));
        } else {
            out.push(e.path());
        }
    }
    out
}

#[tokio::test]
async fn an_erasure_reaches_every_laptop_and_no_older_or_concurrent_edit_undoes_it() {
    let (_dir, a, b, shared) = two_laptops().await;
    let m = first_member(&a).await;
    let before = members::get(&a, &m).await.expect("m").display_name;
    // B writes a note about the member, concurrently, a minute *later* by the clock.
    b.set_clock_offset_ms(60_000);
    let patch = MemberPatch {
        notes: Some("lives at 12 Main St".into()),
        email: Some("x@example.org".into()),
        ..Default::default()
    };
    members::update(&b, &m, &patch).await.expect("b");
    erasure::erase(&a, &m).await.expect("erase");
    for s in [&a, &b, &a, &b] {
        folder::sync(s, &shared, None).await.expect("sync");
    }
    for s in [&a, &b] {
        let got = members::get(s, &m).await.expect("m");
        assert_eq!(got.display_name, erasure::placeholder(&m));
        assert_eq!((got.notes.as_str(), got.email.as_deref()), ("", None));
        let kept: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM sync_log WHERE value LIKE '%12 Main St%' OR value LIKE ?",
        )
        .bind(format!("%{before}%"))
        .fetch_one(s.pool())
        .await
        .expect("log");
        assert_eq!(kept, 0, "the history keeps nothing personal");
    }
    assert_eq!(common::canonical(&a).await, common::canonical(&b).await);
}

#[tokio::test]
async fn two_laptops_importing_the_same_export_make_the_same_rows() {
    let dir = tempfile::tempdir().expect("tempdir");
    let shared = dir.path().join("shared");
    std::fs::create_dir_all(&shared).expect("shared");
    let members_csv = "id,name,email,role,country,organisation,language,joined_at
a,Ana Silva,ana@example.org,member,Brazil,OrgA,pt,2026-10-01
k,Kofi Mensah,kofi@example.org,champion,Ghana,OrgB,en,2026-10-01
";
    let acts = "id,member_id,kind,occurred_at,space,thread_id,parent_id,title
p1,a,post,2026-10-01T10:00:00Z,questions,,,Chlorine dosing?
r1,k,reply,2026-10-02T12:00:00Z,questions,p1,p1,
";
    // The same export (same folder name), unpacked on two laptops.
    let (da, db) = (
        dir.path().join("a").join("export"),
        dir.path().join("b").join("export"),
    );
    std::fs::create_dir_all(&da).expect("a");
    std::fs::create_dir_all(&db).expect("b");
    let a = common::csv_community(&da, (members_csv, acts), "WASH", "Water", "2026-09-01").await;
    let b = common::csv_community(&db, (members_csv, acts), "WASH", "Water", "2026-09-01").await;
    for s in [&a, &b, &a] {
        folder::sync(s, &shared, None).await.expect("sync");
    }
    let count = |s: &Store| {
        let pool = s.pool().clone();
        async move {
            sqlx::query_scalar::<_, i64>(
                "SELECT (SELECT COUNT(*) FROM members) * 1000 + (SELECT COUNT(*) FROM activities)",
            )
            .fetch_one(&pool)
            .await
            .expect("count")
        }
    };
    assert_eq!(
        count(&a).await,
        2002,
        "two members, two activities: nothing doubled"
    );
    assert_eq!(count(&b).await, 2002);
    assert_eq!(common::canonical(&a).await, common::canonical(&b).await);
}

#[tokio::test]
async fn files_lost_from_the_folder_are_sent_again() {
    let (dir, a, _b, shared) = two_laptops().await;
    // The team moves to a new, empty stick: A's files are gone.
    std::fs::remove_dir_all(&shared).expect("wipe");
    std::fs::create_dir_all(&shared).expect("new stick");
    let r = folder::sync(&a, &shared, None).await.expect("a");
    assert!(
        r.notices
            .iter()
            .any(|n| n.contains("sending all of them again")),
        "{r:?}"
    );
    let c = Store::open(&dir.path().join("c.db")).await.expect("c");
    folder::sync(&c, &shared, None).await.expect("c");
    assert_eq!(common::canonical(&a).await, common::canonical(&c).await);
    let again = folder::sync(&a, &shared, None).await.expect("a again");
    assert_eq!((again.sent, again.notices.len()), (0, 0), "{again:?}");
}

/// A member written the way a database from before sync holds them: no change record.
async fn insert_uncaptured(store: &Store, id: &str, name: &str) {
    sqlx::query(
        "INSERT INTO members (id, display_name, created_at, updated_at) VALUES (?, ?, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
    )
    .bind(id)
    .bind(name)
    .execute(&mut *store.local_writer().await.unwrap())
    .await
    .expect("insert");
}

#[tokio::test]
async fn rows_from_before_sync_are_sent_once_then_only_newer_ones_are_read() {
    let (_dir, a, b, shared) = two_laptops().await;
    insert_uncaptured(&a, "legacy-1", "Old Member").await;
    for s in [&a, &b] {
        folder::sync(s, &shared, None).await.expect("sync");
    }
    assert!(live_members(&b).await.contains(&"legacy-1".to_string()));
    // Another one after that sync lies above where the catch-up stopped, and is found too.
    insert_uncaptured(&a, "legacy-2", "Older Member").await;
    for s in [&a, &b] {
        folder::sync(s, &shared, None).await.expect("sync");
    }
    assert!(live_members(&b).await.contains(&"legacy-2".to_string()));
    assert_eq!(common::canonical(&a).await, common::canonical(&b).await);
    // The catch-up remembers where it stopped for every synced table.
    let seen: String = sqlx::query_scalar("SELECT value FROM settings WHERE key = 'sync.captured'")
        .fetch_one(a.pool())
        .await
        .expect("floors");
    assert!(
        seen.contains("\"members\"") && seen.contains("\"activities\""),
        "{seen}"
    );
}

/// Rows that point at a member who is not there (identities, activities).
async fn dangling(store: &Store) -> i64 {
    sqlx::query_scalar(
        "SELECT (SELECT COUNT(*) FROM identities i WHERE NOT EXISTS (SELECT 1 FROM members m WHERE m.id = i.member_id))
              + (SELECT COUNT(*) FROM activities a WHERE NOT EXISTS (SELECT 1 FROM members m WHERE m.id = a.member_id))",
    )
    .fetch_one(store.pool())
    .await
    .expect("dangling")
}

#[tokio::test]
async fn opposite_merges_of_the_same_two_people_lose_no_one() {
    let (_dir, a, b, shared) = two_laptops().await;
    let people = live_members(&a).await;
    let (x, y) = (people[1].clone(), people[2].clone());
    let activities = |s: &Store| {
        let pool = s.pool().clone();
        async move {
            sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM activities")
                .fetch_one(&pool)
                .await
                .expect("count")
        }
    };
    let before = activities(&a).await;
    // At the same time, one laptop keeps x and the other keeps y.
    identity::merge(&a, &x, &y).await.expect("merge on a");
    identity::merge(&b, &y, &x).await.expect("merge on b");
    for s in [&a, &b, &a] {
        folder::sync(s, &shared, None).await.expect("sync");
    }
    for s in [&a, &b] {
        assert_eq!(
            dangling(s).await,
            0,
            "every identity and activity has its member"
        );
        assert_eq!(activities(s).await, before);
        let live = live_members(s).await;
        assert!(
            live.contains(&x) || live.contains(&y),
            "the person is still there"
        );
    }
    assert_eq!(common::canonical(&a).await, common::canonical(&b).await);
    // Either laptop can still edit them, and the other sees it.
    let keep = live_members(&a)
        .await
        .into_iter()
        .find(|m| *m == x || *m == y)
        .expect("kept");
    let patch = MemberPatch {
        notes: Some("met at the webinar".into()),
        ..Default::default()
    };
    members::update(&a, &keep, &patch).await.expect("edit");
    for s in [&a, &b] {
        folder::sync(s, &shared, None).await.expect("sync");
    }
    assert_eq!(notes(&b, &keep).await, "met at the webinar");
}

/// Writes a generic CSV export of `people` (id, name) each posting once, in `dir`.
fn csv_export(dir: &Path, people: &[(&str, &str)]) {
    std::fs::create_dir_all(dir).expect("export dir");
    let mut members_csv =
        String::from("id,name,email,role,country,organisation,language,joined_at\n");
    let mut acts = String::from("id,member_id,kind,occurred_at,space,thread_id,parent_id,title\n");
    for (id, name) in people {
        members_csv.push_str(&format!(
            "{id},{name},{id}@example.org,member,Peru,OrgP,es,2026-10-01\n"
        ));
        acts.push_str(&format!(
            "p-{id},{id},post,2026-10-02T10:00:00Z,questions,,,Hello from {name}\n"
        ));
    }
    std::fs::write(dir.join("members.csv"), members_csv).expect("members.csv");
    std::fs::write(dir.join("activities.csv"), acts).expect("activities.csv");
}

async fn import(store: &Store, path: &Path) {
    tend::import::import_path(
        store,
        path,
        &tend::import::ImportOptions::default(),
        &tend::import::Silent,
    )
    .await
    .expect("import");
}

async fn records_of(store: &Store, table: &str) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM sync_log WHERE tbl = ?")
        .bind(table)
        .fetch_one(store.pool())
        .await
        .expect("records")
}

async fn newest_activity(store: &Store) -> (i64, String) {
    sqlx::query_as("SELECT rowid, id FROM activities ORDER BY rowid DESC LIMIT 1")
        .fetch_one(store.pool())
        .await
        .expect("newest")
}

#[tokio::test]
async fn imported_rows_get_their_change_records_at_the_next_sync_and_all_arrive() {
    let (dir, a, b, shared) = two_laptops().await;
    let before = records_of(&a, "activities").await;
    csv_export(
        &dir.path().join("first"),
        &[("ana", "Ana Ramos"), ("luz", "Luz Quispe")],
    );
    import(&a, &dir.path().join("first")).await;
    assert_eq!(
        records_of(&a, "activities").await,
        before,
        "the import itself writes no records"
    );
    // The source, members and identities are recorded by the import's before/after
    // comparison; the new space and the two posts wait for the sync.
    assert_eq!(tend::sync::uncaptured(&a).await.expect("uncaptured"), 3);
    let shown = status::status(&a).await.expect("status");
    // Pending: those three and the records of the source, two members and two identities.
    assert_eq!(shown.transports[0].pending, 3 + 5, "{shown:?}");
    folder::sync(&a, &shared, None).await.expect("a");
    assert_eq!(tend::sync::uncaptured(&a).await.expect("uncaptured"), 0);
    // One bulk record carries both posts.
    assert_eq!(records_of(&a, "activities").await, before + 1);
    let rows: i64 = sqlx::query_scalar(
        "SELECT json_array_length(value, '$.rows') FROM sync_log WHERE tbl = 'activities' AND col = '+'
         ORDER BY rowid DESC LIMIT 1",
    )
    .fetch_one(a.pool())
    .await
    .expect("bulk");
    assert_eq!(rows, 2);

    // The newest activity goes on both laptops (as a removal from a third would do), so
    // the next import's post takes its rowid again, below where the last sync read to.
    folder::sync(&b, &shared, None).await.expect("b");
    let (freed, id) = newest_activity(&a).await;
    for s in [&a, &b] {
        sqlx::query("DELETE FROM activities WHERE id = ?")
            .bind(&id)
            .execute(&mut *s.local_writer().await.unwrap())
            .await
            .expect("delete");
    }
    csv_export(&dir.path().join("second"), &[("rosa", "Rosa Mamani")]);
    import(&a, &dir.path().join("second")).await;
    assert_eq!(
        newest_activity(&a).await.0,
        freed,
        "the rowid was taken again"
    );
    assert_eq!(tend::sync::uncaptured(&a).await.expect("uncaptured"), 2);

    folder::sync(&a, &shared, None).await.expect("a");
    folder::sync(&b, &shared, None).await.expect("b");
    let posts = |s: &Store| {
        let pool = s.pool().clone();
        async move {
            sqlx::query_scalar::<_, String>(
                "SELECT a.title FROM activities a JOIN members m ON m.id = a.member_id WHERE m.display_name = 'Rosa Mamani'",
            )
            .fetch_all(&pool)
            .await
            .expect("posts")
        }
    };
    assert_eq!(posts(&b).await, vec!["Hello from Rosa Mamani".to_string()]);
    assert_eq!(common::canonical(&a).await, common::canonical(&b).await);
}

/// An import's activities travel in bulk records; erasing a member blanks their bodies there
/// too, on the laptop that sent them and on the one that took them.
#[tokio::test]
async fn an_erasure_blanks_bodies_kept_in_bulk_records() {
    let dir = tempfile::tempdir().expect("tempdir");
    let shared = dir.path().join("shared");
    std::fs::create_dir_all(&shared).expect("shared");
    let a = Store::open(&dir.path().join("a.db")).await.expect("a");
    let b = Store::open(&dir.path().join("b.db")).await.expect("b");
    let export = dir.path().join("slack");
    tend::bench::generate_slack(&export, 400).expect("export");
    import(&a, &export).await;
    // A body kept for one member's imported activities, before their first sync.
    let (member, n): (String, i64) = sqlx::query_as(
        "SELECT k.id, COUNT(*) FROM activity a JOIN keys k ON k.n = a.member
         GROUP BY a.member ORDER BY COUNT(*) DESC LIMIT 1",
    )
    .fetch_one(a.pool())
    .await
    .expect("busiest member");
    sqlx::query("UPDATE activity SET body = 'words only this member wrote' WHERE member = (SELECT n FROM keys WHERE id = ?)")
        .bind(&member)
        .execute(&mut *a.local_writer().await.unwrap())
        .await
        .expect("bodies");
    folder::sync(&a, &shared, None).await.expect("a");
    folder::sync(&b, &shared, None).await.expect("b");
    let in_history = |s: &Store| {
        let pool = s.pool().clone();
        async move {
            sqlx::query_scalar::<_, i64>(
                "SELECT COUNT(*) FROM sync_log WHERE col = '+' AND instr(value, 'words only this member wrote') > 0",
            )
            .fetch_one(&pool)
            .await
            .expect("history")
        }
    };
    let bodies: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM activities WHERE body = 'words only this member wrote'",
    )
    .fetch_one(b.pool())
    .await
    .expect("bodies on b");
    assert_eq!(bodies, n, "every body arrived in bulk");
    assert!(in_history(&a).await > 0 && in_history(&b).await > 0);

    tend::erasure::erase(&a, &member).await.expect("erase");
    folder::sync(&a, &shared, None).await.expect("a");
    folder::sync(&b, &shared, None).await.expect("b");
    for s in [&a, &b] {
        assert_eq!(in_history(s).await, 0, "no bulk record keeps their words");
    }
    assert_eq!(common::canonical(&a).await, common::canonical(&b).await);
}

/// Saving the sync settings only saves: a watch started "on change" waits for the folder to
/// change (or the rescan) before it syncs; one started "at once" syncs straight away.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_watch_on_change_waits_and_one_at_once_syncs() {
    use std::sync::atomic::{AtomicBool, Ordering};
    let dir = tempfile::tempdir().expect("tempdir");
    let shared = dir.path().join("shared");
    std::fs::create_dir_all(&shared).expect("shared");
    let a = Store::open(&dir.path().join("a.db")).await.expect("a");
    for (first, want) in [
        (folder::FirstSync::OnChange, 0),
        (folder::FirstSync::AtOnce, 1),
    ] {
        let stop = AtomicBool::new(false);
        let mut reports = 0;
        let deadline = std::time::Instant::now() + std::time::Duration::from_millis(1500);
        folder::watch(
            &a,
            &shared,
            None,
            std::time::Duration::from_secs(60),
            first,
            |r| {
                r.expect("sync");
                reports += 1;
                stop.store(true, Ordering::Relaxed);
            },
            || stop.load(Ordering::Relaxed) || std::time::Instant::now() > deadline,
        )
        .await
        .expect("watch");
        assert_eq!(reports, want, "{first:?}");
    }
}

#[tokio::test]
async fn a_laptop_names_itself_for_the_team_and_nobody_else() {
    let (_dir, a, b, shared) = two_laptops().await;
    let saved = tend::sync::names::set_own(&a, "  Aminata's\tlaptop ")
        .await
        .expect("name");
    assert_eq!(saved.as_deref(), Some("Aminata's laptop"));
    folder::sync(&a, &shared, None).await.expect("a");
    folder::sync(&b, &shared, None).await.expect("b");
    let seen = status::status(&b).await.expect("status");
    let from_a = &seen.devices[0];
    assert_eq!(from_a.name.as_deref(), Some("Aminata's laptop"));
    assert_eq!(seen.name, None, "b has no name yet");
    let own = status::status(&a).await.expect("status");
    assert_eq!(own.name.as_deref(), Some("Aminata's laptop"));
    let long = "x".repeat(61);
    assert!(tend::sync::names::set_own(&a, &long).await.is_err());
}

#[tokio::test]
async fn a_space_tagged_on_one_laptop_shows_its_purposes_on_the_other() {
    use tend::spaces::{self, Purpose};
    let (_dir, a, b, shared) = two_laptops().await;
    let tagged = spaces::tag(&a, "QUESTIONS", &[Purpose::Learn, Purpose::Feedback])
        .await
        .expect("tag");
    assert_eq!(tagged.space, "questions", "the data's own spelling");
    folder::sync(&a, &shared, None).await.expect("a");
    folder::sync(&b, &shared, None).await.expect("b");
    let on_b = spaces::tags(&b).await.expect("tags");
    assert_eq!(
        on_b.get("questions"),
        Some(&vec![Purpose::Learn, Purpose::Feedback])
    );
    // Cleared on B, cleared on A.
    spaces::tag(&b, "questions", &[]).await.expect("clear");
    folder::sync(&b, &shared, None).await.expect("b");
    folder::sync(&a, &shared, None).await.expect("a");
    assert!(spaces::tags(&a).await.expect("tags").is_empty());
    let err = spaces::tag(&a, "nowhere", &[Purpose::Learn])
        .await
        .expect_err("unknown space");
    assert!(
        err.to_string().contains("no space named 'nowhere'"),
        "{err}"
    );
}

/// A segment of `changes` sealed with `pass` and signed by `signer`, as anyone holding them
/// could write it.
fn segment_of(
    changes: &[tend::sync::apply::Change],
    pass: Option<&str>,
    signer: Option<&ed25519_dalek::SigningKey>,
) -> Vec<u8> {
    use tend::sync::segment::{self, Keys};
    segment::encode(
        changes,
        tend::sync::SCHEMA,
        &mut Keys::new(pass),
        b"teammate-salt-01",
        signer,
    )
    .expect("encode")
}

fn segment_name(first: i64, last: i64, tag: &str) -> String {
    format!("{first:012}-{last:012}-{tag}.tseg")
}

#[tokio::test]
async fn ten_thousand_junk_files_and_folders_neither_stop_nor_hide_a_laptop() {
    let (_dir, a, b, shared) = two_laptops().await;
    let device = status::status(&a).await.expect("a").device;
    let next = folder::sync(&a, &shared, None).await.expect("a").sent as i64;
    let next = next.max(status::status(&a).await.expect("a").changes) + 1;
    // A stranger fills A's folder with 10,001 one-byte files named as its next changes
    // (and some that no segment could be), and the shared folder with 3,000 empty folders
    // sorting before A's.
    for i in 0..10_001 {
        let first = if i % 10 == 0 { 0 } else { next };
        let name = segment_name(first, next + i % 3, &format!("{i:08x}"));
        std::fs::write(shared.join(&device).join(name), b"x").expect("junk");
    }
    for i in 0..3_000 {
        std::fs::create_dir(shared.join(format!("0000-{i:05}"))).expect("folder");
    }
    let m = first_member(&a).await;
    let patch = MemberPatch {
        notes: Some("still arrives".into()),
        ..Default::default()
    };
    members::update(&a, &m, &patch).await.expect("edit");
    let ra = folder::sync(&a, &shared, None).await.expect("a");
    assert!(
        !ra.notices.iter().any(|n| n.contains("now device")),
        "{ra:?}"
    );
    let rb = folder::sync(&b, &shared, None).await.expect("b");
    assert_eq!(notes(&b, &m).await, "still arrives", "{:?}", rb.notices);
    assert!(rb.skipped.len() <= 12, "{} lines", rb.skipped.len());
    assert!(rb
        .skipped
        .iter()
        .any(|s| s.name.ends_with("more like these")));
    // Set aside once: the next sync reads none of them again.
    let again = folder::sync(&b, &shared, None).await.expect("b again");
    assert!(
        again.skipped.is_empty(),
        "{:?}",
        &again.skipped[..2.min(again.skipped.len())]
    );
}

#[tokio::test]
async fn a_renamed_copy_of_its_own_file_or_a_teammates_unsigned_one_never_rekeys() {
    let (_dir, a, _b, shared) = two_laptops().await;
    let device = status::status(&a).await.expect("a").device;
    let own = own_segments(&shared, &device);
    let first = own.first().expect("a segment");
    let name = first.file_name().and_then(|n| n.to_str()).expect("name");
    let (lo, hi) = folder::segment_range(name).expect("range");
    std::fs::copy(
        first,
        shared.join(&device).join(segment_name(lo, hi, "0badc0de")),
    )
    .expect("copy");
    // A teammate's sealed but unsigned file under A's id.
    let m = first_member(&a).await;
    let forged = [record(
        &device,
        hi + 1,
        "members",
        &m,
        "notes",
        "\"forged\"",
    )];
    std::fs::write(
        shared
            .join(&device)
            .join(segment_name(hi + 1, hi + 1, "f0f0f0f0")),
        segment_of(&forged, None, None),
    )
    .expect("forged");
    let r = folder::sync(&a, &shared, None).await.expect("a");
    assert_eq!(r.device, device, "{:?}", r.notices);
    assert!(!r.notices.iter().any(|n| n.contains("now device")), "{r:?}");
}

#[tokio::test]
async fn a_copy_with_its_keys_rekeys_on_a_file_signed_by_its_own_key() {
    let (dir, a, _b, shared) = two_laptops().await;
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
        .execute(&mut *a.local_writer().await.expect("w"))
        .await
        .expect("checkpoint");
    for ext in ["db", "db.secrets"] {
        let from = dir.path().join(format!("a.{ext}"));
        if from.exists() {
            std::fs::copy(&from, dir.path().join(format!("a2.{ext}"))).expect("copy");
        }
    }
    let a2 = Store::open(&dir.path().join("a2.db")).await.expect("a2");
    let m = first_member(&a).await;
    let patch = MemberPatch {
        notes: Some("from A".into()),
        ..Default::default()
    };
    members::update(&a, &m, &patch).await.expect("a");
    let ra = folder::sync(&a, &shared, None).await.expect("a");
    let patch = MemberPatch {
        notes: Some("from the copy".into()),
        ..Default::default()
    };
    members::update(&a2, &m, &patch).await.expect("a2");
    let r2 = folder::sync(&a2, &shared, None).await.expect("a2");
    assert!(
        r2.notices.iter().any(|n| n.contains("now device")),
        "{r2:?}"
    );
    assert_ne!(r2.device, ra.device);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_late_joiner_pins_the_device_key_of_its_first_changes_whatever_it_reads_first() {
    let pass = Some("team words");
    let dir = tempfile::tempdir().expect("tempdir");
    let shared = dir.path().join("shared");
    std::fs::create_dir_all(&shared).expect("shared");
    let a = Store::open(&dir.path().join("a.db")).await.expect("a");
    let t = Store::open(&dir.path().join("t.db")).await.expect("t");
    let mut cfg = common::small_demo(5);
    cfg.members = 12;
    tend::demo::generate(&a, &cfg).await.expect("demo");
    let ra = folder::sync(&a, &shared, pass).await.expect("a");
    tend::sync::names::set_own(&t, "Tom's laptop")
        .await
        .expect("name");
    folder::sync(&t, &shared, pass).await.expect("t");
    // The teammate writes A's first changes and more, signed by the teammate's key, named
    // to be read before A's own first file.
    let tkey = t
        .secrets()
        .get("sync.signing_key")
        .expect("vault")
        .expect("t key");
    let tkey = <[u8; 32]>::try_from(
        base64::Engine::decode(&base64::engine::general_purpose::STANDARD, tkey).expect("b64"),
    )
    .expect("32 bytes");
    let m = first_member(&a).await;
    let reach = ra.sent as i64 + 5;
    let forged: Vec<_> = (1..=reach)
        .map(|seq| record(&ra.device, seq, "members", &m, "-", "null"))
        .collect();
    std::fs::write(
        shared
            .join(&ra.device)
            .join(segment_name(1, reach, "00000000")),
        segment_of(
            &forged,
            pass,
            Some(&ed25519_dalek::SigningKey::from_bytes(&tkey)),
        ),
    )
    .expect("forged");
    let c = Store::open(&dir.path().join("c.db")).await.expect("c");
    folder::sync(&c, &shared, pass).await.expect("c");
    let (on_c, on_a) = (live_members(&c).await, live_members(&a).await);
    assert!(
        on_c == on_a,
        "the late joiner has A's {} members, not {}",
        on_a.len(),
        on_c.len()
    );
    let conflicts = status::status(&c).await.expect("c").key_conflicts;
    assert_eq!(conflicts.len(), 1, "{conflicts:?}");
    assert_eq!(conflicts[0].device, ra.device);
    assert_eq!(conflicts[0].other_name.as_deref(), Some("Tom's laptop"));
    // A's later edits still arrive.
    let patch = MemberPatch {
        notes: Some("later".into()),
        ..Default::default()
    };
    members::update(&a, &m, &patch).await.expect("a");
    folder::sync(&a, &shared, pass).await.expect("a");
    folder::sync(&c, &shared, pass).await.expect("c");
    assert_eq!(notes(&c, &m).await, "later");
}

#[tokio::test]
async fn refused_records_are_kept_small_and_never_read_again() {
    let (_dir, _a, b, shared) = two_laptops().await;
    const POISONER: &str = "01930000-0000-7000-8000-00000000beef";
    let big = format!("\"{}\"", "x".repeat(2 << 20)); // over the synced text limit
    let poison: Vec<_> = (1..=6)
        .map(|seq| record(POISONER, seq, "members", "m-1", "notes", &big))
        .collect();
    std::fs::create_dir_all(shared.join(POISONER)).expect("dir");
    std::fs::write(
        shared.join(POISONER).join(segment_name(1, 6, "00000001")),
        segment_of(&poison, None, None),
    )
    .expect("poison");
    folder::sync(&b, &shared, None).await.expect("b");
    let held = status::status(&b).await.expect("b").held;
    assert_eq!(held.len(), 6, "{held:?}");
    assert!(
        held.iter().all(|h| h.reason.contains("longer than")),
        "{held:?}"
    );
    let kept: i64 =
        sqlx::query_scalar("SELECT COALESCE(SUM(length(value)), 0) FROM sync_log WHERE device = ?")
            .bind(POISONER)
            .fetch_one(b.pool())
            .await
            .expect("log");
    assert_eq!(kept, 0, "refused values are not kept");
}

#[tokio::test]
async fn a_teammates_broken_playbook_or_template_is_refused_and_a_stored_one_is_skipped() {
    let (_dir, a, _b, _shared) = two_laptops().await;
    const TEAMMATE: &str = "01930000-0000-7000-8000-0000000000aa";
    let now = "\"2026-12-08T00:00:00Z\"";
    let broken = [
        record(
            TEAMMATE,
            1,
            "playbooks",
            "ours",
            "*",
            &format!(r#"{{"name":"ours","body":"name = [broken","updated_at":{now}}}"#),
        ),
        record(
            TEAMMATE,
            2,
            "kit_templates",
            r#"["welcome","en"]"#,
            "*",
            &format!(
                r#"{{"name":"welcome","lang":"en","body":"title = \"{{nope}}\"","updated_at":{now}}}"#
            ),
        ),
    ];
    let done = tend::sync::apply::apply(&a, &broken).await.expect("apply");
    assert_eq!((done.applied, done.held), (0, 2));
    // A database that took such texts before they were checked still plans and makes kits.
    for sql in [
        "INSERT OR REPLACE INTO playbooks (name, body, updated_at) VALUES ('ours', 'name = [broken', '2026-12-08')",
        "INSERT OR REPLACE INTO settings (key, value) VALUES ('plan.playbook', 'ours')",
        "INSERT OR REPLACE INTO kit_templates (name, lang, body, updated_at) VALUES ('welcome', 'en', 'x = [', '2026-12-08')",
    ] {
        let mut w = a.local_writer().await.expect("writer");
        sqlx::query(sql).execute(&mut *w).await.expect(sql);
    }
    let day = chrono::Utc::now().date_naive();
    let plan = plan::view(&a, day, None)
        .await
        .expect("the default plan serves");
    assert!(
        plan.is_default && plan.playbook_problem.is_some(),
        "{:?}",
        plan.playbook_problem
    );
    let m = first_member(&a).await;
    let req = tend::kit::KitRequest {
        audience: tend::kit::Audience::Member(m),
        template: None,
        lang: Some("en".into()),
        drop_resources: Vec::new(),
    };
    let kit = tend::kit::build(&a, &req, day)
        .await
        .expect("the shipped template serves");
    assert!(kit.template_problem.is_some());
    assert!(!kit.sections.is_empty());
}

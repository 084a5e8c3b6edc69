//! Merge convergence as a property: whatever records three laptops wrote about a few
//! members — whole rows, single columns, tombstones, with interleaved clocks — two laptops
//! that receive them in different orders, in different batches and some twice, end with
//! the same rows. (`sync.rs` checks the same through the shared folder, on demo data.)

use proptest::prelude::*;
use tend::sync::apply::{self, Change};
use tend::Store;

use crate::common;

/// The three writers' device ids.
const DEVICES: [&str; 3] = [
    "0195f000-0000-7000-8000-00000000000a",
    "0195f000-0000-7000-8000-00000000000b",
    "0195f000-0000-7000-8000-00000000000c",
];

/// A moment an hour before the test runs, so no record is held as "from the future".
fn base_ms() -> i64 {
    chrono::Utc::now().timestamp_millis() - 3_600_000
}

/// One edit of a member: `m` picks among three members.
#[derive(Debug, Clone)]
enum Edit {
    Put { m: u8, name: u8 },
    Set { m: u8, col: u8, value: u8 },
    Delete { m: u8 },
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (0..3u8, 0..5u8).prop_map(|(m, name)| Edit::Put { m, name }),
        (0..3u8, 0..3u8, 0..5u8).prop_map(|(m, col, value)| Edit::Set { m, col, value }),
        (0..3u8).prop_map(|m| Edit::Delete { m }),
    ]
}

fn member_id(m: u8) -> String {
    format!("0195f000-0000-7000-8000-0000000001{m:02}")
}

/// The record an edit becomes, as laptop `device` writes it: its `seq`-th, at clock `hlc`.
fn record(device: usize, seq: i64, hlc: i64, e: &Edit) -> Change {
    let roles = ["member", "champion", "facilitator", "leader", "sponsor"];
    let (m, col, value) = match e {
        Edit::Put { m, name } => {
            let row = serde_json::json!({
                "id": member_id(*m), "display_name": format!("Name {name}"), "role": "member",
                "is_bot": 0, "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z",
            });
            (*m, "*", row.to_string())
        }
        Edit::Set { m, col, value } => match col {
            0 => (*m, "display_name", format!("\"Renamed {value}\"")),
            1 => (*m, "role", format!("\"{}\"", roles[*value as usize])),
            _ => (*m, "notes", format!("\"note {value}\"")),
        },
        Edit::Delete { m } => (*m, "-", "null".to_string()),
    };
    Change {
        device: DEVICES[device].to_string(),
        seq,
        hlc,
        base: 0,
        tbl: "members".into(),
        row_key: member_id(m),
        col: col.into(),
        value,
        schema: tend::sync::SCHEMA,
    }
}

/// Each writer's edits as records, numbered from 1 on each device; `steps` moves each
/// writer's clock forward by its own amounts, so the writers' clocks interleave (and may
/// tie in milliseconds, told apart by device).
fn records(writes: &[(usize, u16, Edit)]) -> Vec<Change> {
    let start = base_ms();
    let mut seq = [0i64; 3];
    let mut clock = [start; 3];
    writes
        .iter()
        .map(|(d, step, e)| {
            seq[*d] += 1;
            clock[*d] += i64::from(*step);
            record(*d, seq[*d], clock[*d] << 16, e)
        })
        .collect()
}

/// Applies `batches` in order to a fresh laptop and returns its rows.
async fn receive(batches: &[Vec<Change>]) -> Vec<String> {
    let store = Store::open_in_memory().await.expect("open");
    for batch in batches {
        apply::apply(&store, batch).await.expect("apply");
    }
    common::canonical(&store).await
}

/// The records shuffled by `order`, cut into batches at `cuts`, with those at `twice`
/// sent again in a later batch.
fn deliver(all: &[Change], order: &[usize], cuts: &[usize], twice: &[usize]) -> Vec<Vec<Change>> {
    let mut shuffled: Vec<Change> = order.iter().map(|&i| all[i % all.len()].clone()).collect();
    shuffled.extend(twice.iter().map(|&i| all[i % all.len()].clone()));
    let mut out = vec![Vec::new()];
    for (i, c) in shuffled.into_iter().enumerate() {
        if cuts.contains(&i) {
            out.push(Vec::new());
        }
        if let Some(last) = out.last_mut() {
            last.push(c);
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn laptops_that_receive_the_same_records_in_any_order_end_alike(
        writes in prop::collection::vec((0..3usize, 1..3u16, edit()), 1..24),
        cuts in prop::collection::vec(0..30usize, 0..4),
        twice in prop::collection::vec(0..30usize, 0..5),
        seed in any::<u64>(),
    ) {
        let all = records(&writes);
        let in_order: Vec<usize> = (0..all.len()).collect();
        let mut shuffled = in_order.clone();
        let mut rng = <rand_chacha::ChaCha8Rng as rand::SeedableRng>::seed_from_u64(seed);
        rand::seq::SliceRandom::shuffle(shuffled.as_mut_slice(), &mut rng);
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        let (a, b) = runtime.block_on(async {
            let a = receive(&deliver(&all, &in_order, &[], &[])).await;
            let b = receive(&deliver(&all, &shuffled, &cuts, &twice)).await;
            (a, b)
        });
        prop_assert_eq!(a, b);
    }
}

//! The pure part of the demo: a seeded simulation of a community's life, with no I/O.
//!
//! Participation is heavy-tailed (a Pareto propensity per member, half of them lurkers),
//! newcomers arrive every week after a core group, some members go quiet, questions get
//! replies after a log-normal delay (some never), and a monthly webinar has attendees.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::names::{COUNTRIES, ORGANISATIONS, SPACES, TITLES, TOPICS};
use crate::model::{ActivityKind, Role};

/// What to simulate.
#[derive(Debug, Clone)]
pub struct DemoConfig {
    /// Number of people (one bot is added on top).
    pub members: usize,
    /// Months of activity, ending on `until`.
    pub months: u32,
    /// Seed: the same seed and `until` give the same community.
    pub seed: u64,
    /// Last day of activity.
    pub until: NaiveDate,
    /// Threads started on an average day (6 suits a few hundred members; the health
    /// benchmark raises it to reach a million activities).
    pub threads_per_day: f64,
}

/// A simulated member; index 0 is the leader.
#[derive(Debug, Clone, PartialEq)]
pub struct SimMember {
    /// Display name.
    pub name: String,
    /// E-mail address.
    pub email: String,
    /// Role.
    pub role: Role,
    /// Country.
    pub country: &'static str,
    /// Organisation.
    pub organisation: &'static str,
    /// Preferred language.
    pub language: &'static str,
    /// When they joined.
    pub joined_at: DateTime<Utc>,
    /// An automated account.
    pub is_bot: bool,
    /// Propensity to take part (0 for lurkers).
    pub weight: f64,
    /// From when they stop taking part.
    pub quiet_from: Option<DateTime<Utc>>,
}

/// A simulated activity; `root` and `parent` index earlier activities.
#[derive(Debug, Clone, PartialEq)]
pub struct SimActivity {
    /// Index of the member.
    pub member: usize,
    /// Index into `SPACES`.
    pub space: usize,
    /// What happened.
    pub kind: ActivityKind,
    /// When.
    pub at: DateTime<Utc>,
    /// The thread's first post.
    pub root: Option<usize>,
    /// What this answers or reacts to.
    pub parent: Option<usize>,
    /// Title of a thread's first post.
    pub title: Option<String>,
}

/// A whole simulated community.
#[derive(Debug, Clone, PartialEq)]
pub struct SimCommunity {
    /// Launch day (day 0 of the plan).
    pub launch: NaiveDate,
    /// Members, leader first.
    pub members: Vec<SimMember>,
    /// Activities in the order they were made (parents before children).
    pub activities: Vec<SimActivity>,
}

const SPACE_INTRODUCTIONS: usize = 0;
const SPACE_GENERAL: usize = 2;
const SPACE_WEBINAR: usize = 5;
/// Draws before a weighted pick falls back to scanning every member.
const PICK_TRIES: usize = 256;

struct Sim {
    rng: ChaCha8Rng,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    members: Vec<SimMember>,
    activities: Vec<SimActivity>,
    threads_per_day: f64,
    /// Cumulative weights of every member, per kind of pick (built on first use).
    cumulative: [Vec<f64>; 3],
}

/// Whom a weighted pick favours.
#[derive(Debug, Clone, Copy)]
enum Pick {
    /// Facilitators and leaders (3), champions (1): who welcomes newcomers.
    Welcomer,
    /// Members by their propensity: who replies.
    Replier,
    /// Propensity plus a little: who reacts.
    Reactor,
}

impl Pick {
    fn weight(self, s: &SimMember) -> f64 {
        match self {
            Pick::Welcomer => match s.role {
                Role::Facilitator | Role::Leader => 3.0,
                Role::Champion => 1.0,
                _ => 0.0,
            },
            Pick::Replier => s.weight,
            Pick::Reactor => s.weight + 0.5,
        }
    }
}

/// Runs the simulation.
pub fn simulate(cfg: &DemoConfig) -> SimCommunity {
    let launch = cfg
        .until
        .checked_sub_months(chrono::Months::new(cfg.months.max(1)))
        .unwrap_or(cfg.until);
    let mut sim = Sim {
        rng: ChaCha8Rng::seed_from_u64(cfg.seed),
        start: at_midnight(launch),
        end: at_midnight(cfg.until) + Duration::days(1),
        members: Vec::new(),
        activities: Vec::new(),
        threads_per_day: cfg.threads_per_day,
        cumulative: Default::default(),
    };
    sim.make_members(cfg.members.max(1));
    sim.make_joins_and_introductions();
    sim.make_threads();
    sim.make_webinars();
    sim.make_bot_digests();
    SimCommunity {
        launch,
        members: sim.members,
        activities: sim.activities,
    }
}

fn at_midnight(d: NaiveDate) -> DateTime<Utc> {
    d.and_hms_opt(0, 0, 0)
        .map(|t| t.and_utc())
        .unwrap_or_default()
}

fn role_for(i: usize) -> Role {
    match i {
        0 => Role::Leader,
        1..=3 => Role::Facilitator,
        4 => Role::Sponsor,
        5..=10 => Role::Champion,
        _ => Role::Member,
    }
}

fn email_for(name: &str, i: usize, domain: &str) -> String {
    let local: String = name
        .chars()
        .filter_map(|c| match c {
            'a'..='z' | 'A'..='Z' => Some(c.to_ascii_lowercase()),
            ' ' => Some('.'),
            _ => None,
        })
        .collect();
    let local = local.trim_matches('.');
    if local.len() < 3 {
        format!("member{i}@{domain}")
    } else {
        format!("{local}{i}@{domain}")
    }
}

impl Sim {
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.rng.random_range(0..items.len())]
    }

    fn hours(&mut self, median: f64, spread: f64) -> Duration {
        // Log-normal delay via Box–Muller.
        let u1: f64 = self.rng.random_range(f64::EPSILON..1.0);
        let u2: f64 = self.rng.random();
        let z = (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos();
        let h = (median.ln() + spread * z).exp().min(24.0 * 60.0);
        Duration::minutes((h * 60.0) as i64 + 1)
    }

    fn make_members(&mut self, n: usize) {
        let days = (self.end - self.start).num_days().max(1);
        for i in 0..n {
            let role = role_for(i);
            let pool = self.pick(COUNTRIES);
            let given = *self.pick(pool.given);
            let family = *self.pick(pool.family);
            let name = if pool.family_first {
                format!("{family} {given}")
            } else {
                format!("{given} {family}")
            };
            let (organisation, domain) = *self.pick(ORGANISATIONS);
            let core = i < 25;
            let joined_at = if core {
                self.start - Duration::hours(self.rng.random_range(1..24 * 14))
            } else {
                self.start + Duration::minutes(self.rng.random_range(0..days * 24 * 60))
            };
            let weight = self.weight_for(role);
            let quiet_from = self.quiet_from(role, joined_at);
            self.members.push(SimMember {
                email: email_for(&name, i, domain),
                name,
                role,
                country: pool.country,
                organisation,
                language: pool.language,
                joined_at,
                is_bot: false,
                weight,
                quiet_from,
            });
        }
        self.members.push(SimMember {
            name: "Digest bot".into(),
            email: "digest-bot@example.org".into(),
            role: Role::Member,
            country: "",
            organisation: "",
            language: "en",
            joined_at: self.start,
            is_bot: true,
            weight: 0.0,
            quiet_from: None,
        });
    }

    fn weight_for(&mut self, role: Role) -> f64 {
        match role {
            Role::Leader | Role::Facilitator => 8.0,
            Role::Champion => 5.0,
            Role::Sponsor => 0.3,
            Role::Member if self.rng.random_bool(0.5) => 0.0,
            Role::Member => {
                let u: f64 = self.rng.random_range(0.0..0.999);
                ((1.0 - u).powf(-1.0 / 1.2) - 1.0).min(12.0)
            }
        }
    }

    fn quiet_from(&mut self, role: Role, joined: DateTime<Utc>) -> Option<DateTime<Utc>> {
        if role != Role::Member || !self.rng.random_bool(0.2) {
            return None;
        }
        let left = (self.end - joined).num_days();
        (left > 20).then(|| joined + Duration::days(self.rng.random_range(20..=left)))
    }

    fn active_at(&self, m: usize, t: DateTime<Utc>) -> bool {
        let m = &self.members[m];
        !m.is_bot && m.joined_at <= t && m.quiet_from.is_none_or(|q| t < q) && t < self.end
    }

    /// Picks a member active at `t` (other than `not`) with probability proportional to
    /// their weight for `pick`: draws from every member's weight and rejects the inactive
    /// (exact, and fast when most are active), scanning everyone only after many misses.
    fn pick_weighted(&mut self, t: DateTime<Utc>, pick: Pick, not: usize) -> Option<usize> {
        let slot = pick as usize;
        if self.cumulative[slot].len() != self.members.len() {
            let mut sum = 0.0;
            self.cumulative[slot] = self
                .members
                .iter()
                .map(|m| {
                    sum += pick.weight(m);
                    sum
                })
                .collect();
        }
        let total = self.cumulative[slot].last().copied().unwrap_or(0.0);
        if total <= 0.0 {
            return None;
        }
        for _ in 0..PICK_TRIES {
            let x = self.rng.random_range(0.0..total);
            let m = self.cumulative[slot].partition_point(|&c| c <= x);
            if m < self.members.len() && m != not && self.active_at(m, t) {
                return Some(m);
            }
        }
        self.pick_by_scan(t, pick, not)
    }

    fn pick_by_scan(&mut self, t: DateTime<Utc>, pick: Pick, not: usize) -> Option<usize> {
        let candidates: Vec<(usize, f64)> = (0..self.members.len())
            .filter(|&m| m != not && self.active_at(m, t))
            .map(|m| (m, pick.weight(&self.members[m])))
            .filter(|&(_, w)| w > 0.0)
            .collect();
        let total: f64 = candidates.iter().map(|c| c.1).sum();
        if total <= 0.0 {
            return None;
        }
        let mut x = self.rng.random_range(0.0..total);
        for (m, w) in &candidates {
            if x < *w {
                return Some(*m);
            }
            x -= w;
        }
        candidates.last().map(|c| c.0)
    }

    fn push(&mut self, a: SimActivity) -> Option<usize> {
        (a.at < self.end).then(|| {
            self.activities.push(a);
            self.activities.len() - 1
        })
    }

    fn make_joins_and_introductions(&mut self) {
        for m in 0..self.members.len() {
            let joined = self.members[m].joined_at;
            let bot = self.members[m].is_bot;
            let kind = ActivityKind::Join;
            self.push(SimActivity {
                member: m,
                space: SPACE_GENERAL,
                kind,
                at: joined,
                root: None,
                parent: None,
                title: None,
            });
            if bot || !self.rng.random_bool(0.55) {
                continue;
            }
            let at = joined + self.hours(30.0, 1.2);
            let title = Some(format!("Hello from {}", self.members[m].country));
            let Some(intro) = self.push(SimActivity {
                member: m,
                space: SPACE_INTRODUCTIONS,
                kind: ActivityKind::Post,
                at,
                root: None,
                parent: None,
                title,
            }) else {
                continue;
            };
            if self.rng.random_bool(0.75) {
                let at = at + self.hours(20.0, 1.0);
                if let Some(w) = self.pick_weighted(at, Pick::Welcomer, m) {
                    self.push(SimActivity {
                        member: w,
                        space: SPACE_INTRODUCTIONS,
                        kind: ActivityKind::Reply,
                        at,
                        root: Some(intro),
                        parent: Some(intro),
                        title: None,
                    });
                }
            }
        }
    }

    fn make_threads(&mut self) {
        let days = (self.end - self.start).num_days();
        let total_weight: f64 = self.members.iter().map(|m| m.weight).sum::<f64>().max(1.0);
        for day in 0..days {
            let day_start = self.start + Duration::days(day);
            for m in 0..self.members.len() {
                let p =
                    (self.threads_per_day * self.members[m].weight / total_weight * 2.0).min(0.9);
                if p <= 0.0 || !self.active_at(m, day_start) || !self.rng.random_bool(p) {
                    continue;
                }
                let at = day_start + Duration::minutes(self.rng.random_range(6 * 60..20 * 60));
                self.make_thread(m, at);
            }
        }
    }

    fn thread_space(&mut self) -> usize {
        let total: u32 = SPACES.iter().map(|s| s.2).sum();
        let mut x = self.rng.random_range(0..total);
        for (i, s) in SPACES.iter().enumerate() {
            if x < s.2 {
                return i;
            }
            x -= s.2;
        }
        SPACE_GENERAL
    }

    fn make_thread(&mut self, author: usize, at: DateTime<Utc>) {
        let space = self.thread_space();
        let shape = *self.pick(TITLES);
        let topic = *self.pick(TOPICS);
        let title = shape.replace("{}", topic);
        let kind = ActivityKind::Post;
        let Some(root) = self.push(SimActivity {
            member: author,
            space,
            kind,
            at,
            root: None,
            parent: None,
            title: Some(title),
        }) else {
            return;
        };
        let replies = if self.rng.random_bool(0.12) {
            0
        } else {
            1 + self.rng.random_range(0..4) + self.rng.random_range(0..3)
        };
        let mut t = at;
        let mut parent = root;
        for r in 0..replies {
            t += if r == 0 {
                self.hours(6.0, 1.3)
            } else {
                self.hours(3.0, 1.0)
            };
            let not = if r == 0 { author } else { usize::MAX };
            let Some(replier) = self.pick_weighted(t, Pick::Replier, not) else {
                break;
            };
            let kind = ActivityKind::Reply;
            match self.push(SimActivity {
                member: replier,
                space,
                kind,
                at: t,
                root: Some(root),
                parent: Some(parent),
                title: None,
            }) {
                Some(id) => parent = if self.rng.random_bool(0.3) { id } else { root },
                None => break,
            }
        }
        self.make_reactions(root, author, at, space);
    }

    fn make_reactions(&mut self, root: usize, author: usize, at: DateTime<Utc>, space: usize) {
        let n = self.rng.random_range(0..5);
        for _ in 0..n {
            let t = at + self.hours(10.0, 1.0);
            let Some(m) = self.pick_weighted(t, Pick::Reactor, author) else {
                return;
            };
            let kind = ActivityKind::Reaction;
            self.push(SimActivity {
                member: m,
                space,
                kind,
                at: t,
                root: Some(root),
                parent: Some(root),
                title: None,
            });
        }
    }

    fn make_webinars(&mut self) {
        let mut at = self.start + Duration::days(14) + Duration::hours(13);
        let mut n = 1;
        while at < self.end {
            let host = 1 + (n % 3);
            let title = Some(format!("Practice webinar #{n}"));
            let kind = ActivityKind::Attendance;
            let Some(event) = self.push(SimActivity {
                member: host,
                space: SPACE_WEBINAR,
                kind,
                at,
                root: None,
                parent: None,
                title,
            }) else {
                break;
            };
            for m in 0..self.members.len() {
                let p = 0.08 + 0.02 * self.members[m].weight.min(5.0);
                if m != host && self.active_at(m, at) && self.rng.random_bool(p) {
                    self.push(SimActivity {
                        member: m,
                        space: SPACE_WEBINAR,
                        kind,
                        at,
                        root: Some(event),
                        parent: None,
                        title: None,
                    });
                }
            }
            at += Duration::days(30);
            n += 1;
        }
    }

    fn make_bot_digests(&mut self) {
        let bot = self.members.len() - 1;
        let mut at = self.start + Duration::hours(7);
        while at < self.end {
            let title = Some("Weekly digest".to_string());
            self.push(SimActivity {
                member: bot,
                space: SPACE_GENERAL,
                kind: ActivityKind::Post,
                at,
                root: None,
                parent: None,
                title,
            });
            at += Duration::days(7);
        }
    }
}

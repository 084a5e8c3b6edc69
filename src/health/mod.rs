//! Participation health: the metrics sponsors and facilitators read, with exact
//! definitions (see the README), over a period `[from, to)` and optionally one segment,
//! each with its value for the previous period of equal length.
//!
//! Bots never count. A *contribution* is a post or a reply; an *activity* is anything but
//! a join.

pub mod asks;
mod data;
pub(crate) mod index;
pub(crate) mod load;
pub(crate) mod period;
pub mod segments;
pub mod series;
mod stats;
pub mod threads;

use serde::Serialize;
use ts_rs::TS;

use data::Scope;
pub use data::{Segment, SegmentKey};
pub use load::Cache;
pub use period::{Period, PeriodChoice, Preset};
use stats::Span;

use crate::error::Result;
use crate::store::Store;

/// What a dashboard, a chart or the report looks at: a period, and a segment (no
/// condition: the whole community).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lens {
    /// The period measured.
    pub period: Period,
    /// The segment's conditions (see [`Segment`]).
    pub segment: Vec<Segment>,
}

impl Lens {
    /// The whole community over `period`.
    pub fn whole(period: Period) -> Lens {
        Lens {
            period,
            segment: Vec::new(),
        }
    }
}

/// A lens as the app chooses it: a period choice and a segment's conditions.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, serde::Deserialize, TS)]
pub struct LensChoice {
    /// The period.
    pub period: PeriodChoice,
    /// The conditions (none: the whole community).
    #[serde(default)]
    pub segment: Vec<Segment>,
}

impl LensChoice {
    /// The lens chosen, with today as today (UTC); a bad period is an error.
    pub fn resolve(&self) -> Result<Lens> {
        Ok(Lens {
            period: self.period.resolve(crate::time::today())?,
            segment: self.segment.clone(),
        })
    }
}

/// Creators, contributors and lurkers; they sum to `members_total`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
pub struct Pyramid {
    /// Members with at least one post in the period.
    #[ts(type = "number")]
    pub creators: i64,
    /// Members with activity but no post.
    #[ts(type = "number")]
    pub contributors: i64,
    /// The rest of `members_total`.
    #[ts(type = "number")]
    pub lurkers: i64,
}

/// How threads started in the period were answered.
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
pub struct Response {
    /// Threads (posts) started in the period.
    #[ts(type = "number")]
    pub threads: i64,
    /// How many of them got a first reply by someone else within 48 hours: the count the
    /// card, the CLI and the report all show.
    #[ts(type = "number")]
    pub answered_48h: i64,
    /// Share of them whose first reply by someone else came within 48 hours; none when no
    /// thread was started (a share of nothing is no number).
    pub answered_48h_share: Option<f64>,
    /// Median hours to that first reply, over threads that got one (whenever).
    pub median_first_response_hours: Option<f64>,
    /// 90th percentile (nearest rank) of the same.
    pub p90_first_response_hours: Option<f64>,
    /// Threads with no reply by someone else yet.
    #[ts(type = "number")]
    pub unanswered: i64,
}

/// How the period's new members started contributing.
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
pub struct Activation {
    /// Share of new members whose first contribution came within 30 days of joining; none
    /// when nobody joined.
    pub activated_30d_share: Option<f64>,
    /// Median days from joining to first contribution, over those who contributed.
    pub median_days_to_first_contribution: Option<f64>,
}

/// Replies that crossed countries and organisations.
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
pub struct CrossBoundary {
    /// Of replies where both people's countries are known, the share where they differ;
    /// none when there was no such reply.
    pub country_share: Option<f64>,
    /// Of replies where both organisations are known, the share where they differ; none
    /// when there was no such reply.
    pub organisation_share: Option<f64>,
}

/// A member named in a metric (the at-risk list).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct NamedMember {
    /// Global id.
    pub id: String,
    /// Name as shown.
    pub display_name: String,
}

/// One join cohort's retention: share of the cohort active in each month since joining.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Cohort {
    /// `YYYY-MM`.
    pub month: String,
    /// Members who joined that month.
    #[ts(type = "number")]
    pub size: i64,
    /// Share active in month 0, 1, 2… after joining (up to the period's end).
    pub active_share: Vec<f64>,
}

/// Activity in the spaces tagged with one purpose.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct PurposeUse {
    /// The purpose.
    pub purpose: crate::spaces::Purpose,
    /// Spaces tagged with it.
    #[ts(type = "number")]
    pub spaces: i64,
    /// Activities (joins and bots left out) in those spaces in the period.
    #[ts(type = "number")]
    pub activities: i64,
    /// Members with at least one of those activities.
    #[ts(type = "number")]
    pub active_members: i64,
}

/// Every metric for one period.
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
pub struct Metrics {
    /// Members who joined (or first appeared) before the period's end.
    #[ts(type = "number")]
    pub members_total: i64,
    /// Members with at least one activity in the period.
    #[ts(type = "number")]
    pub members_active: i64,
    /// Members who joined in the period.
    #[ts(type = "number")]
    pub new_members: i64,
    /// Participation pyramid (compare with 90-9-1).
    pub pyramid: Pyramid,
    /// Gini coefficient of contributions per member over `members_total` (zeros included).
    pub gini: f64,
    /// The fewest members whose contributions make at least half of the period's.
    #[ts(type = "number")]
    pub absence_factor: i64,
    /// Share of the period's contributions by its 10 busiest members.
    pub top10_share: f64,
    /// Responsiveness.
    pub response: Response,
    /// Share of the period's replies by members who are neither facilitators nor leaders;
    /// none when nobody replied.
    pub peer_reply_share: Option<f64>,
    /// New-member activation.
    pub activation: Activation,
    /// Members with at least 3 contributions in the previous period and none in this one.
    #[ts(type = "number")]
    pub at_risk: i64,
    /// Who they are.
    pub at_risk_members: Vec<NamedMember>,
    /// Members contributing again after 90 days or more without a contribution.
    #[ts(type = "number")]
    pub reactivated: i64,
    /// New members active in the period + reactivated − at risk.
    #[ts(type = "number")]
    pub net_active_change: i64,
    /// Collaboration across countries and organisations.
    pub cross_boundary: CrossBoundary,
    /// Monthly join cohorts.
    pub retention: Vec<Cohort>,
    /// Each purpose, tagged or not, with its spaces' activity: where the energy goes and
    /// which purposes lie idle.
    pub purposes: Vec<PurposeUse>,
}

/// The metrics of a period and of the one before it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Health {
    /// First day included (RFC 3339).
    pub from: String,
    /// First instant excluded (RFC 3339).
    pub to: String,
    /// First day included, `YYYY-MM-DD`.
    pub first_day: String,
    /// Last day included, `YYYY-MM-DD`.
    pub last_day: String,
    /// Days in the period (and in the previous one).
    #[ts(type = "number")]
    pub days: i64,
    /// The segment's conditions as resolved to the store's own values (none: the whole
    /// community); written out as `key=value` text.
    #[serde(with = "as_text")]
    #[ts(type = "Array<string>")]
    pub segment: Vec<Segment>,
    /// This period's metrics.
    #[serde(flatten)]
    pub current: Metrics,
    /// The previous period's, for trends.
    pub previous: Metrics,
}

/// A segment written as its `key=value` texts, as JSON and the window read it.
mod as_text {
    use super::Segment;

    /// Each condition as `key=value`.
    pub fn serialize<S: serde::Serializer>(segment: &[Segment], out: S) -> Result<S::Ok, S::Error> {
        out.collect_seq(segment.iter().map(Segment::to_string))
    }
}

/// Computes every metric for the lens's period (and the previous period) in its segment; each condition's value is matched as [`segments::resolve`] says.
pub async fn compute(store: &Store, lens: &Lens) -> Result<Health> {
    Scoped::open(store, lens).await?.compute(store).await
}

/// Reads the community into memory ahead of the first dashboard (the app does it at start);
/// an error is left for the dashboard to report.
pub async fn warm(store: &Store) {
    let _ = load::index(store).await;
}

/// The community as a lens sees it: read once, its segment resolved once, so a dashboard's
/// metrics and every chart's figures come from the same members in one pass.
#[derive(Debug, Clone)]
pub struct Scoped {
    ix: std::sync::Arc<index::Index>,
    segment: Vec<Segment>,
    lens: Lens,
}

impl Scoped {
    /// The store's community narrowed to `lens` (a condition matching nothing is an error).
    pub async fn open(store: &Store, lens: &Lens) -> Result<Scoped> {
        let ix = load::index(store).await?;
        let segment = segments::resolve_all(&ix, &lens.segment)?;
        Ok(Scoped {
            ix,
            segment,
            lens: lens.clone(),
        })
    }

    /// The lens it was opened with.
    pub fn lens(&self) -> &Lens {
        &self.lens
    }

    fn scope(&self) -> Scope<'_> {
        Scope::new(&self.ix, &self.segment, self.lens.period.to.timestamp())
    }

    /// Every metric of the period and the previous one (see [`compute`]).
    pub async fn compute(&self, store: &Store) -> Result<Health> {
        let period = self.lens.period;
        let scope = self.scope();
        let span = period.span();
        let tagged = stats::Tagged::new(&self.ix, &crate::spaces::tags(store).await?);
        Ok(Health {
            from: crate::time::format(period.from),
            to: crate::time::format(period.to),
            first_day: period.first_day().to_string(),
            last_day: period.last_day().to_string(),
            days: period.days(),
            segment: self.segment.clone(),
            current: metrics(&scope, span, &tagged),
            previous: metrics(&scope, span.previous(), &tagged),
        })
    }

    /// Hours to the first answer by someone else for each thread started in the period
    /// that got one, and the number that got none (for the response-time histogram).
    pub fn first_responses(&self) -> (Vec<f64>, i64) {
        let (hours, threads) = stats::first_responses(&self.scope(), self.lens.period.span());
        let unanswered = (threads - hours.len()) as i64;
        (hours, unanswered)
    }

    /// Distinct active members in each of the `weeks` weeks ending with the period, oldest
    /// first.
    pub fn weekly_active(&self, weeks: usize) -> Vec<i64> {
        series::weekly_active(&self.scope(), self.lens.period.to.timestamp(), weeks)
    }

    /// Activities per space in the period, busiest first, at most `limit`.
    pub fn by_space(&self, limit: usize) -> Vec<(String, i64)> {
        series::by_space(&self.scope(), self.lens.period.span(), limit)
    }

    /// Replies in the period across countries (`organisations` false) or organisations:
    /// the `limit` groups with most replies and who answers whom among them.
    pub fn boundary_pairs(
        &self,
        organisations: bool,
        limit: usize,
    ) -> (Vec<String>, Vec<Vec<i64>>) {
        let ix = &*self.ix;
        let (names, group_of): (&[String], fn(&index::Member) -> u32) = if organisations {
            (&ix.organisations, |m| m.organisation)
        } else {
            (&ix.countries, |m| m.country)
        };
        series::pairs(
            &self.scope(),
            self.lens.period.span(),
            names,
            group_of,
            limit,
        )
    }

    /// The activation funnel of the period (see [`series::Funnel`]).
    pub fn funnel(&self) -> series::Funnel {
        series::funnel(&self.scope(), self.lens.period.span())
    }
}

/// Runs `f` on the community narrowed to the lens's segment as of its period's end.
async fn scoped<T>(store: &Store, lens: &Lens, f: impl FnOnce(&Scope) -> T) -> Result<T> {
    let scoped = Scoped::open(store, lens).await?;
    Ok(f(&scoped.scope()))
}

/// The `limit` members of the lens with most contributions in its period, busiest first
/// (then by name): id, name and count.
pub async fn top_contributors(
    store: &Store,
    lens: &Lens,
    limit: usize,
) -> Result<Vec<(String, String, u32)>> {
    scoped(store, lens, |scope| {
        let p = lens.period.span();
        let mut per = vec![0u32; scope.ix.members.len()];
        for a in scope
            .acts(p.from, p.to)
            .filter(|a| stats::is_contribution(a.kind))
        {
            per[a.member as usize] += 1;
        }
        let mut rows: Vec<(String, String, u32)> = per
            .iter()
            .enumerate()
            .filter(|(_, n)| **n > 0)
            .map(|(i, n)| {
                let m = &scope.ix.members[i];
                (m.id.clone(), m.name.clone(), *n)
            })
            .collect();
        rows.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| a.1.cmp(&b.1)));
        rows.truncate(limit);
        rows
    })
    .await
}

/// A member gone quiet in a period, as the guide's check-ins name them.
#[derive(Debug, Clone, PartialEq)]
pub struct GoneQuiet {
    /// The member.
    pub member: NamedMember,
    /// Their contributions in the period before.
    pub before: u32,
    /// When the last of those was (Unix seconds).
    pub last: i64,
}

/// The members (bots left out) gone quiet in `period`: the at-risk rule of the metrics
/// (`stats::gone_quiet`), with what the guide says about them.
pub async fn gone_quiet(store: &Store, period: Period) -> Result<Vec<GoneQuiet>> {
    scoped(store, &Lens::whole(period), |scope| {
        let p = period.span();
        stats::gone_quiet(scope, &scope.counted(p.to), p)
            .into_iter()
            .map(|q| GoneQuiet {
                member: stats::named(scope, q.member),
                before: q.before,
                last: q.last,
            })
            .collect()
    })
    .await
}

fn metrics(scope: &Scope, p: Span, tagged: &stats::Tagged) -> Metrics {
    let members = scope.counted(p.to);
    let (pyramid, active) = stats::pyramid(scope, &members, p);
    let contributions = stats::contributions(scope, &members, p);
    let new_members: Vec<u32> = members
        .iter()
        .copied()
        .filter(|&m| {
            scope.ix.members[m as usize]
                .joined
                .is_some_and(|j| p.contains(j))
        })
        .collect();
    let (at_risk_members, reactivated) = stats::churn(scope, &members, p);
    let new_active = new_members.iter().filter(|&&m| active[m as usize]).count() as i64;
    Metrics {
        members_total: members.len() as i64,
        members_active: active.iter().filter(|a| **a).count() as i64,
        new_members: new_members.len() as i64,
        gini: stats::gini(&contributions),
        absence_factor: stats::absence_factor(&contributions),
        top10_share: stats::top_share(&contributions, 10),
        response: stats::response(scope, p),
        peer_reply_share: stats::peer_reply_share(scope, p),
        activation: stats::activation(scope, &new_members),
        at_risk: at_risk_members.len() as i64,
        net_active_change: new_active + reactivated - at_risk_members.len() as i64,
        at_risk_members,
        reactivated,
        cross_boundary: stats::cross_boundary(scope, p),
        retention: stats::retention(scope, &members, p),
        purposes: stats::purposes(scope, p, tagged),
        pyramid,
    }
}

#[cfg(test)]
mod properties {
    //! Whatever the community looks like, the metrics stay within their definitions.
    use proptest::prelude::*;

    use super::index::{Index, Member, RawAct, RawMember, RawSpace};
    use super::*;
    use crate::model::{ActivityKind, Role};

    const DAY: i64 = 86_400;
    const START: i64 = 1_767_225_600; // 2026-01-01

    /// A member: role, bot, days after START they joined (if known).
    fn member() -> impl Strategy<Value = (u8, bool, Option<u8>)> {
        (
            0u8..5,
            prop::bool::weighted(0.1),
            prop::option::of(0u8..120),
        )
    }

    /// An activity: member, kind, day, hour, space, and (for replies and reactions) which
    /// earlier activity it answers.
    fn act() -> impl Strategy<Value = (usize, u8, u8, u8, u8, usize)> {
        (0usize..40, 0u8..5, 0u8..120, 0u8..24, 0u8..3, 0usize..400)
    }

    fn index(members: &[(u8, bool, Option<u8>)], acts: &[(usize, u8, u8, u8, u8, usize)]) -> Index {
        let roles = [
            Role::Member,
            Role::Facilitator,
            Role::Leader,
            Role::Champion,
            Role::Sponsor,
        ];
        let kinds = [
            ActivityKind::Post,
            ActivityKind::Reply,
            ActivityKind::Reaction,
            ActivityKind::Join,
            ActivityKind::Attendance,
        ];
        let raw_members: Vec<RawMember> = members
            .iter()
            .enumerate()
            .map(|(i, &(role, bot, joined))| RawMember {
                rowid: i as i64 + 1,
                member: Member {
                    id: format!("m{i}"),
                    name: format!("M{i}"),
                    preferred_name: None,
                    role: roles[role as usize],
                    country: 0,
                    organisation: 0,
                    language: None,
                    joined: joined.map(|d| START + i64::from(d) * DAY),
                    first_seen: None,
                    bot,
                    erased: false,
                },
                country: Some(["Kenya", "Peru", "Nepal"][i % 3].into()),
                organisation: (i % 4 != 0).then(|| format!("Org{}", i % 2)),
            })
            .collect();
        let spaces = ["questions", "introductions", "webinar"]
            .iter()
            .enumerate()
            .map(|(i, n)| RawSpace {
                rowid: i as i64 + 1,
                name: n.to_string(),
                event: i == 2,
            })
            .collect::<Vec<_>>();
        let mut raw_acts: Vec<RawAct> = Vec::new();
        for (i, &(m, kind, day, hour, space, answers)) in acts.iter().enumerate() {
            let kind = kinds[kind as usize];
            let earlier = (!raw_acts.is_empty()).then(|| raw_acts[answers % raw_acts.len()].rowid);
            let answering = matches!(kind, ActivityKind::Reply | ActivityKind::Reaction);
            raw_acts.push(RawAct {
                rowid: i as i64 + 1,
                member: (m % members.len().max(1)) as i64 + 1,
                kind,
                at: START + i64::from(day) * DAY + i64::from(hour) * 3_600,
                space: Some(i64::from(space) + 1),
                root: if answering { earlier } else { None },
                parent: if answering { earlier } else { None },
                title_asks: None,
            });
        }
        Index::build(raw_members, &spaces, raw_acts)
    }

    fn within(x: f64) -> bool {
        (0.0..=1.0).contains(&x)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        #[test]
        fn metrics_stay_within_their_definitions(
            members in prop::collection::vec(member(), 1..40),
            acts in prop::collection::vec(act(), 0..300),
            days in 1i64..90,
            last in 0i64..120,
        ) {
            let ix = index(&members, &acts);
            let to = START + (last + 1) * DAY;
            let p = stats::Span { from: to - days * DAY, to };
            let scope = Scope::new(&ix, &[], to);
            let m = metrics(&scope, p, &stats::Tagged::default());
            let py = &m.pyramid;
            prop_assert_eq!(py.creators + py.contributors + py.lurkers, m.members_total);
            prop_assert!(m.members_active <= m.members_total);
            prop_assert!(m.new_members <= m.members_total);
            prop_assert!(m.response.answered_48h <= m.response.threads);
            prop_assert!(m.response.unanswered <= m.response.threads);
            let shares = [
                m.response.answered_48h_share, m.peer_reply_share,
                m.activation.activated_30d_share, m.cross_boundary.country_share,
                m.cross_boundary.organisation_share,
            ];
            for share in [m.gini, m.top10_share].into_iter().chain(shares.into_iter().flatten()) {
                prop_assert!(within(share), "{share}");
            }
            // A share is missing exactly when it would be a share of nothing.
            prop_assert_eq!(m.response.answered_48h_share.is_none(), m.response.threads == 0);
            prop_assert_eq!(m.activation.activated_30d_share.is_none(), m.new_members == 0);
            prop_assert!(m.absence_factor <= m.members_total);
            prop_assert!(m.at_risk as usize == m.at_risk_members.len());
            prop_assert!(m.at_risk <= m.members_total);
            prop_assert!(m.retention.iter().flat_map(|c| &c.active_share).all(|s| within(*s)));
            // The funnel nests; the welcomed are among those who joined.
            let f = series::funnel(&scope, p);
            prop_assert!(f.joined >= f.contributed && f.contributed >= f.regular);
            prop_assert!(f.welcomed <= f.joined);
            // The unanswered rule is the metric's count.
            let open = threads::open(&scope, p.from, p.to, i64::MAX).count() as i64;
            prop_assert_eq!(open, m.response.unanswered);
        }
    }
}

//! The sponsor report: headline numbers with their trends, the charts, highlights, the
//! facilitator's note and value-creation stories, as one self-contained HTML file or a PDF;
//! optionally pseudonymised (member names replaced by stable aliases).

pub mod html;
pub mod pdf;
pub mod stories;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::charts::{self, Chart, ChartName, Style};
use crate::community;
use crate::document::FileType;
use crate::error::{Error, Result};
use crate::health::{self, Health, Lens};
use crate::store::Store;
use crate::words::Lang;
use stories::Story;

/// What to put in the report.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
pub struct ReportOptions {
    /// The facilitator's note.
    pub note: String,
    /// Replace member names with stable aliases.
    pub pseudonymise: bool,
    /// US Letter paper for the PDF (A4 otherwise).
    #[serde(default)]
    pub letter: bool,
    /// The language of its charts.
    #[serde(default)]
    pub lang: Lang,
}

/// A member named in the report.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Highlight {
    /// Name or alias.
    pub name: String,
    /// Contributions in the period.
    pub contributions: u32,
}

/// The report's content.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Report {
    /// Community name.
    pub community: String,
    /// First day (YYYY-MM-DD).
    pub from: String,
    /// Last day included.
    pub to: String,
    /// The metrics, with the previous period.
    pub health: Health,
    /// The busiest contributors.
    pub top_contributors: Vec<Highlight>,
    /// Champions now.
    pub champions: Vec<String>,
    /// The facilitator's note.
    pub note: String,
    /// Stories told in the period.
    pub stories: Vec<Story>,
    /// Whether names were replaced by aliases.
    pub pseudonymised: bool,
    /// US Letter rather than A4, for the PDF.
    pub letter: bool,
    /// The language it is written in.
    pub lang: Lang,
    /// Charts, each with its sentence and table.
    #[ts(skip)]
    #[serde(skip)]
    pub charts: Vec<Chart>,
}

/// A stable alias for a member: the same member always gets the same one.
pub fn alias(member_id: &str) -> String {
    let hash = blake3::hash(member_id.as_bytes()).to_hex();
    format!("Member {}", &hash.as_str()[..6].to_uppercase())
}

/// The charts the report shows, in order.
const CHARTS: [ChartName; 6] = [
    ChartName::ActiveMembers,
    ChartName::Pyramid,
    ChartName::ResponseTime,
    ChartName::Activation,
    ChartName::Retention,
    ChartName::Countries,
];

/// Builds the report for the lens's period and segment.
pub async fn build(store: &Store, lens: &Lens, options: &ReportOptions) -> Result<Report> {
    let period = lens.period;
    let community = community::get(store).await?.ok_or(Error::NoCommunity)?;
    let style = Style::new(false, options.lang);
    let (mut health, charts) = charts::with_health(store, &CHARTS, lens, &style).await?;
    let last_day = (period.to - chrono::Duration::seconds(1))
        .date_naive()
        .to_string();
    let first_day = period.from.date_naive().to_string();
    let name = |id: &str, real: &str| {
        if options.pseudonymise {
            alias(id)
        } else {
            real.to_string()
        }
    };
    let top_contributors = health::top_contributors(store, lens, 5)
        .await?
        .into_iter()
        .map(|(id, n, c)| Highlight {
            name: name(&id, &n),
            contributions: c,
        })
        .collect();
    let champions: Vec<(String, String)> =
        sqlx::query_as("SELECT id, display_name FROM members WHERE role = 'champion' AND is_bot = 0 ORDER BY display_name")
            .fetch_all(store.pool())
            .await?;
    let mut stories = stories::list(store, &first_day, &last_day).await?;
    if options.pseudonymise {
        for m in health
            .current
            .at_risk_members
            .iter_mut()
            .chain(health.previous.at_risk_members.iter_mut())
        {
            m.display_name = alias(&m.id);
        }
        for s in &mut stories {
            s.member_name = s.member_id.as_deref().map(alias);
        }
    }
    Ok(Report {
        community: community.name,
        from: first_day,
        to: last_day,
        health,
        top_contributors,
        champions: champions.iter().map(|(id, n)| name(id, n)).collect(),
        note: options.note.clone(),
        stories,
        pseudonymised: options.pseudonymise,
        letter: options.letter,
        lang: options.lang,
        charts,
    })
}

/// How the report words everything it says, the same in HTML and PDF, in the report's
/// language (from [`crate::words`], shared with the app: a headline is its card's title).
pub mod words {
    use super::Report;
    use crate::words::{fill, text};

    /// The text of `key` in the report's language.
    pub fn t(r: &Report, key: &str) -> String {
        text(r.lang, key)
    }

    /// The title: "WASH CoP — participation health".
    pub fn title(r: &Report) -> String {
        fill(r.lang, "report.title", &[("community", &r.community)])
    }

    /// The questions line: the card's own line (answered within two days), then all
    /// answered so far.
    pub fn answered(r: &Report) -> String {
        let q = &r.health.current.response;
        let card = fill(
            r.lang,
            "metric.answered.line",
            &[
                ("answered", &q.answered_48h.to_string()),
                ("threads", &q.threads.to_string()),
            ],
        );
        let so_far = (q.threads - q.unanswered).to_string();
        format!(
            "{card}; {}",
            fill(r.lang, "report.soFar", &[("count", &so_far)])
        )
    }

    /// " · only members in Kenya and Member" (as the charts and the window say the segment),
    /// or nothing for the whole community: what the report's numbers count.
    pub fn segment_line(r: &Report) -> String {
        let segment = crate::health::segments::in_words(&r.health.segment, r.lang);
        if segment.is_empty() {
            return String::new();
        }
        let and = t(r, "segment.and");
        fill(
            r.lang,
            "report.segment",
            &[("segment", &segment.join(&and))],
        )
    }

    /// The line under the title: the days, the segment, whether names are aliases.
    pub fn subtitle(r: &Report) -> String {
        let pseudo = if r.pseudonymised {
            t(r, "report.pseudonymised")
        } else {
            String::new()
        };
        format!(
            "{} – {}{}{pseudo}",
            crate::words::day_label(r.lang, &r.from),
            crate::words::day_label(r.lang, &r.to),
            segment_line(r)
        )
    }

    /// A story's tag line: "Applied value · 2026-06-15".
    pub fn story_tag(r: &Report, tag: &str, date: &str) -> String {
        let tag = t(r, &format!("report.tag.{tag}"));
        fill(r.lang, "report.storyTag", &[("tag", &tag), ("date", date)])
    }

    /// Where the energy goes: a line per purpose with activity, busiest first, then the
    /// purposes tagged but quiet and those no space is tagged for; one line when no space
    /// is tagged at all.
    pub fn purposes(r: &Report) -> Vec<String> {
        let uses = &r.health.current.purposes;
        if uses.iter().all(|u| u.spaces == 0) {
            return vec![t(r, "report.noPurposes")];
        }
        let name = |u: &crate::health::PurposeUse| t(r, u.purpose.word_key());
        let mut busy: Vec<_> = uses.iter().filter(|u| u.activities > 0).collect();
        busy.sort_by_key(|u| std::cmp::Reverse(u.activities));
        let mut out: Vec<String> = busy
            .iter()
            .map(|u| {
                fill(
                    r.lang,
                    "report.purposeLine",
                    &[
                        ("purpose", &name(u)),
                        ("activities", &u.activities.to_string()),
                        ("members", &u.active_members.to_string()),
                        ("spaces", &u.spaces.to_string()),
                    ],
                )
            })
            .collect();
        let listed = |pick: &dyn Fn(&crate::health::PurposeUse) -> bool| {
            uses.iter()
                .filter(|u| pick(u))
                .map(name)
                .collect::<Vec<_>>()
                .join(", ")
        };
        let quiet = listed(&|u| u.spaces > 0 && u.activities == 0);
        if !quiet.is_empty() {
            out.push(fill(
                r.lang,
                "report.purposesQuiet",
                &[("purposes", &quiet)],
            ));
        }
        let untagged = listed(&|u| u.spaces == 0);
        if !untagged.is_empty() {
            out.push(fill(
                r.lang,
                "report.purposesUntagged",
                &[("purposes", &untagged)],
            ));
        }
        out
    }

    /// The facilitator's note, if there is one to print (a blank note leaves the section out).
    pub fn note(r: &Report) -> Option<&str> {
        Some(r.note.trim()).filter(|n| !n.is_empty())
    }
}

/// One headline: label (its card's title), current value, previous value, as text; figures
/// written the report language's way ([`crate::words::numbers`]), a share of nothing as
/// its sentence.
pub fn headlines(r: &Report) -> Vec<(String, String, String)> {
    use crate::words::numbers;
    let (c, p) = (&r.health.current, &r.health.previous);
    let lang = r.lang;
    let count = |n: i64| numbers::number(lang, n as f64, 0);
    // This period's and the previous one's value of a share, each its sentence when missing.
    let shares = |id: &str, now: Option<f64>, before: Option<f64>| {
        (
            numbers::share_or(lang, now, &format!("metric.{id}.none")),
            numbers::share_or(lang, before, &format!("metric.{id}.noneBefore")),
        )
    };
    let hours = |h: Option<f64>, none: &str| {
        h.map_or_else(|| words::t(r, none), |h| numbers::duration(lang, h))
    };
    let pyramid = |m: &crate::health::Metrics| {
        format!(
            "{} / {} / {}",
            count(m.pyramid.creators),
            count(m.pyramid.contributors),
            count(m.pyramid.lurkers)
        )
    };
    let rows = [
        (
            "metric.active",
            (count(c.members_active), count(p.members_active)),
        ),
        ("metric.new", (count(c.new_members), count(p.new_members))),
        (
            "metric.answered",
            shares(
                "answered",
                c.response.answered_48h_share,
                p.response.answered_48h_share,
            ),
        ),
        (
            "metric.median",
            (
                hours(c.response.median_first_response_hours, "metric.median.none"),
                hours(
                    p.response.median_first_response_hours,
                    "metric.median.noneBefore",
                ),
            ),
        ),
        (
            "metric.peer",
            shares("peer", c.peer_reply_share, p.peer_reply_share),
        ),
        (
            "metric.activation",
            shares(
                "activation",
                c.activation.activated_30d_share,
                p.activation.activated_30d_share,
            ),
        ),
        ("metric.atRisk", (count(c.at_risk), count(p.at_risk))),
        (
            "metric.country",
            shares(
                "country",
                c.cross_boundary.country_share,
                p.cross_boundary.country_share,
            ),
        ),
        ("metric.pyramid", (pyramid(c), pyramid(p))),
    ];
    rows.into_iter()
        .map(|(key, (now, before))| (words::t(r, key), now, before))
        .collect()
}

/// Writes the report to `path`: `.html` or `.pdf`.
pub async fn write(
    store: &Store,
    lens: &Lens,
    options: &ReportOptions,
    path: &std::path::Path,
) -> Result<Report> {
    let kind = FileType::of(path, &[FileType::Html, FileType::Pdf])?;
    let report = build(store, lens, options).await?;
    let bytes = if kind == FileType::Pdf {
        pdf::render(&report)?
    } else {
        html::render(&report).into_bytes()
    };
    crate::document::write(path, &bytes)?;
    Ok(report)
}

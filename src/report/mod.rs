//! The sponsor report: headline numbers with their trends, the charts, highlights, the
//! facilitator's note and value-creation stories, as one self-contained HTML file or a PDF;
//! optionally pseudonymised (member names replaced by stable aliases).

pub mod html;
pub mod pdf;
pub mod stories;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::charts::{self, ChartName};
use crate::community;
use crate::error::{Error, Result};
use crate::health::{self, Health, Period};
use crate::model::ActivityKind;
use crate::store::Store;
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
    /// Charts as SVG, with their titles.
    #[ts(skip)]
    #[serde(skip)]
    pub charts: Vec<(String, String)>,
}

/// A stable alias for a member: the same member always gets the same one.
pub fn alias(member_id: &str) -> String {
    let hash = blake3::hash(member_id.as_bytes()).to_hex();
    format!("Member {}", &hash.as_str()[..6].to_uppercase())
}

const CHARTS: [(ChartName, &str); 6] = [
    (ChartName::ActiveMembers, "Active members per week"),
    (ChartName::Pyramid, "Participation pyramid"),
    (ChartName::ResponseTime, "Time to first response"),
    (ChartName::Activation, "Activation"),
    (ChartName::Retention, "Retention"),
    (ChartName::Countries, "Replies between countries"),
];

async fn top(store: &Store, period: Period) -> Result<Vec<(String, String, u32)>> {
    let rows: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT m.id, m.display_name, COUNT(*) AS n FROM activity a JOIN keys mk ON mk.n = a.member JOIN members m ON m.id = mk.id
         WHERE m.is_bot = 0 AND a.kind IN (?, ?) AND a.at >= ? AND a.at < ?
         GROUP BY m.id ORDER BY n DESC, m.display_name LIMIT 5",
    )
    .bind(ActivityKind::Post.code())
    .bind(ActivityKind::Reply.code())
    .bind(period.from.timestamp())
    .bind(period.to.timestamp())
    .fetch_all(store.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, n)| (id, name, u32::try_from(n).unwrap_or(0)))
        .collect())
}

/// Builds the report for `period`.
pub async fn build(store: &Store, period: Period, options: &ReportOptions) -> Result<Report> {
    let community = community::get(store).await?.ok_or(Error::NoCommunity)?;
    let mut health = health::compute(store, period, None).await?;
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
    let top_contributors = top(store, period)
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
    let mut charts = Vec::with_capacity(CHARTS.len());
    for (chart, title) in CHARTS {
        charts.push((
            title.to_string(),
            charts::draw_with(store, chart, period, false, Some(&health.current)).await?,
        ));
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
        charts,
    })
}

/// How the report words its highlights and empty sections, the same in HTML and PDF.
pub mod words {
    use super::Report;

    /// The questions line: the card's count (answered within two days), then all answered.
    pub fn answered(r: &Report) -> String {
        let q = &r.health.current.response;
        format!(
            "{} of {} questions answered within 2 days; {} answered so far.",
            q.answered_48h,
            q.threads,
            q.threads - q.unanswered
        )
    }

    /// When nobody posted or replied in the period.
    pub const NO_CONTRIBUTORS: &str = "Nobody posted or replied in this period.";
    /// When no member has the champion role.
    pub const NO_CHAMPIONS: &str = "No champion is named yet.";
    /// When no story was told in the period.
    pub const NO_STORIES: &str = "No value-creation story was collected for this period.";

    /// The facilitator's note, if there is one to print (a blank note leaves the section out).
    pub fn note(r: &Report) -> Option<&str> {
        Some(r.note.trim()).filter(|n| !n.is_empty())
    }
}

/// One headline: label, current value, previous value, as text.
pub fn headlines(r: &Report) -> Vec<(&'static str, String, String)> {
    let (c, p) = (&r.health.current, &r.health.previous);
    let pct = |v: f64| format!("{:.0}%", v * 100.0);
    vec![
        (
            "Active members",
            c.members_active.to_string(),
            p.members_active.to_string(),
        ),
        (
            "New members",
            c.new_members.to_string(),
            p.new_members.to_string(),
        ),
        (
            "Questions answered within 2 days",
            pct(c.response.answered_48h_share),
            pct(p.response.answered_48h_share),
        ),
        (
            "Replies by peers (not facilitators)",
            pct(c.peer_reply_share),
            pct(p.peer_reply_share),
        ),
        (
            "New members active within 30 days",
            pct(c.activation.activated_30d_share),
            pct(p.activation.activated_30d_share),
        ),
        (
            "Members gone quiet",
            c.at_risk.to_string(),
            p.at_risk.to_string(),
        ),
        (
            "Replies across countries",
            pct(c.cross_boundary.country_share),
            pct(p.cross_boundary.country_share),
        ),
        (
            "Creators / contributors / lurkers",
            format!(
                "{} / {} / {}",
                c.pyramid.creators, c.pyramid.contributors, c.pyramid.lurkers
            ),
            format!(
                "{} / {} / {}",
                p.pyramid.creators, p.pyramid.contributors, p.pyramid.lurkers
            ),
        ),
    ]
}

/// Writes the report to `path`: `.html` or `.pdf`.
pub async fn write(
    store: &Store,
    period: Period,
    options: &ReportOptions,
    path: &std::path::Path,
) -> Result<Report> {
    let report = build(store, period, options).await?;
    let bytes = match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("html") | Some("htm") => html::render(&report).into_bytes(),
        Some("pdf") => pdf::render(&report)?,
        _ => {
            return Err(Error::InvalidValue {
                field: "--out",
                value: path.display().to_string(),
                expected: "a file ending in .html or .pdf",
            })
        }
    };
    std::fs::write(path, bytes).map_err(|e| Error::InvalidValue {
        field: "--out",
        value: format!("{}: {e}", path.display()),
        expected: "a path Tend can write",
    })?;
    Ok(report)
}

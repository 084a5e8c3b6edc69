//! The community's data as the core hands it out: serde types that the CLI prints as JSON
//! and the UI receives (their TypeScript twins are generated, see [`crate::api`]).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::Error;

/// The roles of a community of practice, as the practice literature names them, in the
/// order the app lists them.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS, strum::VariantArray,
)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Holds the purpose and the relationship with the sponsor.
    Leader,
    /// Welcomes, connects and keeps conversations going.
    Facilitator,
    /// Experienced member who helps newcomers.
    Champion,
    /// Gives the community time, money and recognition.
    Sponsor,
    /// Takes part: asks, answers, shares.
    Member,
}

impl Role {
    /// All roles, in the order the app lists them; the declaration's order, so a new one is never
    /// left out.
    pub const ALL: &'static [Role] = <Role as strum::VariantArray>::VARIANTS;

    /// The name stored in the database and shown in the CLI.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Leader => "leader",
            Role::Facilitator => "facilitator",
            Role::Member => "member",
            Role::Sponsor => "sponsor",
            Role::Champion => "champion",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wanted = s.trim().to_ascii_lowercase();
        Role::ALL
            .iter()
            .copied()
            .find(|r| r.as_str() == wanted)
            .ok_or_else(|| Error::UnknownRole(s.to_string()))
    }
}

/// What an activity is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, strum::VariantArray)]
#[serde(rename_all = "lowercase")]
pub enum ActivityKind {
    /// Starts a thread (a question, an announcement, a shared resource).
    Post,
    /// Answers within a thread.
    Reply,
    /// A like or an emoji on someone's message.
    Reaction,
    /// Was at an event.
    Attendance,
    /// Joined a space.
    Join,
}

impl ActivityKind {
    /// Every kind, in the order of their codes; the declaration's order, so a new one is never
    /// left out.
    pub const ALL: &'static [ActivityKind] = <ActivityKind as strum::VariantArray>::VARIANTS;

    /// The small code the store keeps (`activity.kind`; the table `activity_kinds` lists
    /// the same, and a test holds the two together).
    pub fn code(self) -> i64 {
        self as i64
    }

    /// The kind with store code `code`.
    pub fn from_code(code: i64) -> Option<ActivityKind> {
        usize::try_from(code)
            .ok()
            .and_then(|i| Self::ALL.get(i).copied())
    }

    /// The name sync records and the outside world use.
    pub fn as_str(self) -> &'static str {
        match self {
            ActivityKind::Post => "post",
            ActivityKind::Reply => "reply",
            ActivityKind::Reaction => "reaction",
            ActivityKind::Attendance => "attendance",
            ActivityKind::Join => "join",
        }
    }
}

impl FromStr for ActivityKind {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ActivityKind::ALL
            .iter()
            .copied()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| Error::InvalidValue {
                field: "activity kind",
                value: s.to_string(),
                expected: "post, reply, reaction, attendance or join",
            })
    }
}

/// The community itself.
#[derive(Debug, Clone, PartialEq, Serialize, TS, sqlx::FromRow)]
pub struct Community {
    /// Global id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Why it exists, in a sentence or two.
    pub purpose: String,
    /// Day 0 of the 90-day plan, `YYYY-MM-DD`.
    pub launch_date: String,
}

/// How many members hold one role.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct RoleCount {
    /// The role.
    pub role: Role,
    /// Members holding it (bots excluded).
    #[ts(type = "number")]
    pub count: i64,
}

/// The first screen: the community and its size.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Overview {
    /// The community, once set up.
    pub community: Option<Community>,
    /// People in the roster (bots excluded).
    #[ts(type = "number")]
    pub members_total: i64,
    /// Members per role.
    pub by_role: Vec<RoleCount>,
    /// Every country in the roster, sorted.
    pub countries: Vec<String>,
    /// Every organisation in the roster, sorted.
    pub organisations: Vec<String>,
    /// Activities recorded.
    #[ts(type = "number")]
    pub activities_total: i64,
    /// People's activities by kind (`post`, `reply`, …), bots' left out.
    #[ts(type = "Record<string, number>")]
    pub activities_by_kind: std::collections::BTreeMap<String, i64>,
    /// Activities of automated accounts.
    #[ts(type = "number")]
    pub bot_activities: i64,
    /// People with at least one post or reply.
    #[ts(type = "number")]
    pub contributors: i64,
    /// The database holds the demo's made-up community (`tend demo`).
    pub demo: bool,
}

/// One row of the members table.
#[derive(Debug, Clone, PartialEq, Serialize, TS, sqlx::FromRow)]
pub struct MemberSummary {
    /// Global id.
    pub id: String,
    /// Name as shown.
    pub display_name: String,
    /// Role in the community.
    #[sqlx(try_from = "String")]
    pub role: Role,
    /// Country, where known.
    pub country: Option<String>,
    /// Organisation, where known.
    pub organisation: Option<String>,
    /// Preferred language (ISO 639-1), where known.
    pub language: Option<String>,
    /// When they joined (RFC 3339), where known.
    pub joined_at: Option<String>,
    /// Automated account, not a person.
    pub is_bot: bool,
    /// Their latest activity (RFC 3339), if any.
    pub last_active_at: Option<String>,
    /// Number of activities.
    #[ts(type = "number")]
    pub activity_count: i64,
    /// Name, country and organisation folded by [`crate::search::fold`], one per line: what
    /// a search matches against, in the app and the CLI alike.
    #[sqlx(default)]
    pub search_key: String,
}

impl MemberSummary {
    /// This member with its [`MemberSummary::search_key`] filled in.
    pub fn with_search_key(mut self) -> MemberSummary {
        // A country is found by its name in any of the app's languages ("Allemagne" finds
        // members in Germany).
        let country = self.country.as_deref().unwrap_or_default();
        let mut places = vec![country];
        for name in crate::countries::all_names(country) {
            let folded = crate::search::fold(name);
            if !places.iter().any(|p| crate::search::fold(p) == folded) {
                places.push(name);
            }
        }
        self.search_key = crate::search::key(
            [Some(self.display_name.as_str())]
                .into_iter()
                .chain(places.into_iter().map(Some))
                .chain([self.organisation.as_deref()]),
        );
        self
    }
}

impl TryFrom<String> for Role {
    type Error = Error;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        value.parse()
    }
}

/// Which members to list; every field narrows the list.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct MemberFilter {
    /// Only this role.
    #[ts(optional)]
    pub role: Option<Role>,
    /// Only this country (exact).
    #[ts(optional)]
    pub country: Option<String>,
    /// Only this organisation (exact).
    #[ts(optional)]
    pub organisation: Option<String>,
    /// Name, country or organisation containing this text (case-insensitive).
    #[ts(optional)]
    pub search: Option<String>,
    /// Include bots (left out by default).
    #[ts(optional)]
    pub include_bots: Option<bool>,
}

/// One account of a member in one source.
#[derive(Debug, Clone, PartialEq, Serialize, TS, sqlx::FromRow)]
pub struct Identity {
    /// Global id.
    pub id: String,
    /// Kind of source, e.g. `slack`.
    pub source_kind: String,
    /// Name of the source, e.g. the workspace.
    pub source_name: String,
    /// The id the source uses.
    pub external_id: String,
    /// The handle there, where known.
    pub handle: Option<String>,
    /// The e-mail there, where known.
    pub email: Option<String>,
    /// How the account is named to people ([`crate::identity::shown`]): the handle, else
    /// the e-mail, else the source's id without a scheme such as `mailto:`.
    #[sqlx(skip)]
    pub shown: String,
}

/// One entry of a member's activity timeline.
#[derive(Debug, Clone, PartialEq, Serialize, TS, sqlx::FromRow)]
pub struct ActivityItem {
    /// Global id.
    pub id: String,
    /// What happened.
    #[sqlx(try_from = "String")]
    pub kind: ActivityKind,
    /// When (RFC 3339).
    pub occurred_at: String,
    /// Where: channel, category or list name.
    pub space: Option<String>,
    /// The thread's title, where the source has one.
    pub title: Option<String>,
}

impl TryFrom<String> for ActivityKind {
    type Error = Error;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        value.parse()
    }
}

/// A member with everything the member page shows.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Member {
    /// Global id.
    pub id: String,
    /// Name as shown.
    pub display_name: String,
    /// The name they go by, for greetings, where known ([`crate::members::greeting_name`]).
    pub preferred_name: Option<String>,
    /// E-mail, where known.
    pub email: Option<String>,
    /// Role in the community.
    pub role: Role,
    /// Country, where known.
    pub country: Option<String>,
    /// Organisation, where known.
    pub organisation: Option<String>,
    /// Preferred language (ISO 639-1), where known.
    pub language: Option<String>,
    /// When they joined (RFC 3339), where known.
    pub joined_at: Option<String>,
    /// Automated account.
    pub is_bot: bool,
    /// Facilitators' notes.
    pub notes: String,
    /// Accounts in each source.
    pub identities: Vec<Identity>,
    /// Number of activities in all.
    #[ts(type = "number")]
    pub activity_count: i64,
    /// The latest activities, newest first.
    pub recent_activity: Vec<ActivityItem>,
}

/// A change to a member's fields. `None` leaves a field alone; an empty string clears an
/// optional field.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct MemberPatch {
    /// New display name (cannot be empty).
    #[ts(optional)]
    pub display_name: Option<String>,
    /// New name they go by (empty: greet them by their full name).
    #[ts(optional)]
    pub preferred_name: Option<String>,
    /// New e-mail.
    #[ts(optional)]
    pub email: Option<String>,
    /// New role, by name.
    #[ts(optional)]
    pub role: Option<String>,
    /// New country.
    #[ts(optional)]
    pub country: Option<String>,
    /// New organisation.
    #[ts(optional)]
    pub organisation: Option<String>,
    /// New language (ISO 639-1, two letters).
    #[ts(optional)]
    pub language: Option<String>,
    /// New joining time or date.
    #[ts(optional)]
    pub joined_at: Option<String>,
    /// New notes.
    #[ts(optional)]
    pub notes: Option<String>,
}

//! The tables team sync carries, their keys and columns. Names in change records from other
//! laptops are looked up here and never put into SQL otherwise.

/// One synced table.
#[derive(Debug)]
// Sealed to this module, not only to the crate as `#[non_exhaustive]` would be.
#[allow(clippy::manual_non_exhaustive)]
pub struct Table {
    /// The table's name.
    pub name: &'static str,
    /// Its key columns (a single `id`-like column, or two for a composite key).
    pub key: &'static [&'static str],
    /// Every synced column, key columns included.
    pub cols: &'static [&'static str],
    /// Rows that are synced, as an SQL condition on the table (`1` for all).
    pub only: &'static str,
    /// How the store keeps it: a table of its own, or a view over a compact table.
    pub stored: Stored,
    /// Only this module makes a `Table`, so a `&'static Table` always names a synced one.
    _sealed: (),
}

/// How a synced table is kept in the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stored {
    /// A table of that name, keyed by its key columns.
    Table,
    /// A view of that name over the compact table `rows` (whose rowids it shows as
    /// `rowid`), keyed by the 16-byte `gid` behind its UUID `id`: lookups by key go to
    /// `gid`, which has an index, instead of the view's formatted text.
    View {
        /// The compact table.
        rows: &'static str,
    },
}

pub use crate::settings::{is_shared as synced_setting, DEVICE_NAME_PREFIX};

/// The community itself: its name, purpose and launch date.
pub const COMMUNITY: &Table = &Table::all(
    "community",
    &["id"],
    &["id", "name", "purpose", "launch_date", "created_at"],
);

/// The exports and forums activity came from.
pub const SOURCES: &Table = &Table::all(
    "sources",
    &["id"],
    &["id", "kind", "name", "created_at", "keep_bodies", "label"],
);

/// Channels, categories and lists within a source.
pub const SPACES: &Table = &Table::all(
    "spaces",
    &["id"],
    &["id", "source_id", "external_id", "name", "kind"],
);

/// The people of the community.
pub const MEMBERS: &Table = &Table::all(
    "members",
    &["id"],
    &[
        "id",
        "display_name",
        "preferred_name",
        "email",
        "role",
        "country",
        "organisation",
        "language",
        "joined_at",
        "is_bot",
        "notes",
        "created_at",
        "updated_at",
        "erased_at",
    ],
);

/// Each member's accounts on the sources.
pub const IDENTITIES: &Table = &Table::all(
    "identities",
    &["id"],
    &[
        "id",
        "source_id",
        "external_id",
        "handle",
        "email",
        "email_norm",
        "display_name",
        "member_id",
        "erased",
    ],
);

/// Posts, replies, reactions and attendance (a view over `activity`).
pub const ACTIVITIES: &Table = &Table::all(
    "activities",
    &["id"],
    &[
        "id",
        "source_id",
        "member_id",
        "identity_id",
        "space_id",
        "kind",
        "occurred_at",
        "thread_root_id",
        "parent_id",
        "title",
        "body",
    ],
)
.over("activity");

/// Pairs of members a facilitator said are different people.
pub const NOT_SAME_PERSON: &Table = &Table::all(
    "not_same_person",
    &["member_a", "member_b"],
    &["member_a", "member_b", "decided_at"],
);

/// Merges of two members into one, and their undoing.
pub const MEMBER_MERGES: &Table = &Table::all(
    "member_merges",
    &["id"],
    &[
        "id",
        "kept_id",
        "merged_id",
        "merged_row",
        "identities",
        "merged_at",
        "undone_at",
    ],
);

/// The 90-day plans' playbooks.
pub const PLAYBOOKS: &Table = &Table::all("playbooks", &["name"], &["name", "body", "updated_at"]);

/// The settings the team shares (and only those).
pub const SETTINGS: &Table = &Table::all("settings", &["key"], &["key", "value"])
    .only("key = 'plan.playbook' OR key LIKE 'device.name.%' OR key LIKE 'space.purposes.%'");

/// The state of each step of the 90-day plan.
pub const PLAN_PROGRESS: &Table = &Table::all(
    "plan_progress",
    &["step_id"],
    &["step_id", "status", "owner", "note", "reason", "updated_at"],
);

/// Stage checks of the community's growth.
pub const STAGE_CHECKS: &Table = &Table::all(
    "stage_checks",
    &["id"],
    &["id", "checked_on", "stage", "note"],
);

/// Onboarding stages a facilitator set by hand.
pub const ONBOARDING_OVERRIDES: &Table = &Table::all(
    "onboarding_overrides",
    &["member_id"],
    &["member_id", "stage", "note", "set_at"],
);

/// Today's actions marked done or snoozed.
pub const ACTION_MARKS: &Table = &Table::all(
    "action_marks",
    &["key"],
    &["key", "status", "until", "updated_at"],
);

/// Onboarding-kit templates, by name and language.
pub const KIT_TEMPLATES: &Table = &Table::all(
    "kit_templates",
    &["name", "lang"],
    &["name", "lang", "body", "updated_at"],
);

/// The onboarding kits made.
pub const KITS: &Table = &Table::all(
    "kits",
    &["id"],
    &[
        "id",
        "made_at",
        "template",
        "lang",
        "audience",
        "recipient",
        "members",
        "format",
        "path",
    ],
);

/// Stories told for the sponsors' report.
pub const STORIES: &Table = &Table::all(
    "stories",
    &["id"],
    &[
        "id",
        "told_on",
        "tag",
        "member_id",
        "title",
        "text",
        "created_at",
    ],
);

/// Every synced table, in the order rows are first captured (referenced before referencing).
pub const TABLES: &[&Table] = &[
    COMMUNITY,
    SOURCES,
    SPACES,
    MEMBERS,
    IDENTITIES,
    ACTIVITIES,
    NOT_SAME_PERSON,
    MEMBER_MERGES,
    PLAYBOOKS,
    SETTINGS,
    PLAN_PROGRESS,
    STAGE_CHECKS,
    ONBOARDING_OVERRIDES,
    ACTION_MARKS,
    KIT_TEMPLATES,
    KITS,
    STORIES,
];

#[cfg(test)]
#[test]
fn the_settings_table_syncs_exactly_the_shared_settings() {
    let only = Some(SETTINGS.only);
    use crate::settings::{SHARED_KEYS, SPACE_PURPOSES_PREFIX};
    let listed: Vec<String> = SHARED_KEYS.iter().map(|k| format!("'{k}'")).collect();
    let expected = format!(
        "key = {} OR key LIKE '{DEVICE_NAME_PREFIX}%' OR key LIKE '{SPACE_PURPOSES_PREFIX}%'",
        listed.join(", ")
    );
    assert_eq!(only, Some(expected.as_str()));
}

/// The synced table called `name` in a change record from another laptop. Local code names
/// its tables by their constants ([`MEMBERS`], …) instead.
pub fn table(name: &str) -> Option<&'static Table> {
    TABLES.iter().find(|t| t.name == name).copied()
}

impl Table {
    /// A table of its own, keyed by `key`, with every row synced.
    const fn all(
        name: &'static str,
        key: &'static [&'static str],
        cols: &'static [&'static str],
    ) -> Table {
        Table {
            name,
            key,
            cols,
            only: "1",
            stored: Stored::Table,
            _sealed: (),
        }
    }

    /// The same table, syncing only the rows the SQL condition `only` holds for.
    const fn only(self, only: &'static str) -> Table {
        Table { only, ..self }
    }

    /// The same table, kept as a view over the compact table `rows`.
    const fn over(self, rows: &'static str) -> Table {
        Table {
            stored: Stored::View { rows },
            ..self
        }
    }

    /// Whether `col` is one of this table's synced columns.
    pub fn has(&self, col: &str) -> bool {
        self.cols.contains(&col)
    }

    /// The table that holds the rows and their rowids.
    pub fn rows_table(&self) -> &'static str {
        match self.stored {
            Stored::Table => self.name,
            Stored::View { rows } => rows,
        }
    }

    /// An SQL condition matching the rows whose key (as [`Table::key_expr`] writes it) is
    /// in the JSON array bound at the next `?`.
    pub fn key_in_json(&self) -> String {
        match self.stored {
            Stored::View { .. } => format!(
                "gid IN (SELECT {} FROM json_each(?))",
                crate::ids::sql_gid("value")
            ),
            Stored::Table => format!("{} IN (SELECT value FROM json_each(?))", self.key_expr()),
        }
    }

    /// The SQL expression of a row's key as change records write it: the key column itself,
    /// or a JSON array of the key columns.
    pub fn key_expr(&self) -> String {
        match self.key {
            [one] => (*one).to_string(),
            many => format!("json_array({})", many.join(", ")),
        }
    }

    /// An SQL condition matching the row whose key (as [`Table::key_expr`] writes it) is
    /// bound at parameter `?N`.
    pub fn key_match(&self, n: usize) -> String {
        match self.key {
            [_] => self.key_is(&format!("?{n}")),
            many => many
                .iter()
                .enumerate()
                .map(|(i, k)| format!("{k} = json_extract(?{n}, '$[{i}]')"))
                .collect::<Vec<_>>()
                .join(" AND "),
        }
    }

    /// An SQL condition matching the row of a single-column key whose text is the SQL
    /// expression `key` (a parameter, or a column of another table).
    pub fn key_is(&self, key: &str) -> String {
        match (self.stored, self.key) {
            (Stored::View { .. }, _) => format!("gid = {}", crate::ids::sql_gid(key)),
            (Stored::Table, [one]) => format!("{one} = {key}"),
            (Stored::Table, _) => "0".to_string(),
        }
    }

    /// The SQL expression of a whole row as a JSON object of its synced columns.
    pub fn row_json(&self) -> String {
        let pairs: Vec<String> = self.cols.iter().map(|c| format!("'{c}', {c}")).collect();
        format!("json_object({})", pairs.join(", "))
    }
}

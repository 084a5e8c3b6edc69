//! The shape of what crosses into the UI: errors as `{ code, message }`, and the list of
//! types whose TypeScript bindings are generated into `ui/src/lib/bindings/`.

use std::path::Path;

use serde::Serialize;
use ts_rs::TS;

use crate::error::{Error, ErrorCode};

/// An error as the UI receives it: it branches on `code` and shows `message`, or
/// `words` in its own language where the core gives them.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ApiError {
    /// Stable machine-readable code.
    pub code: ErrorCode,
    /// A sentence for people (English).
    pub message: String,
    /// The whole message as words the UI says in its language (import errors).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub words: Option<crate::import::ErrorWords>,
}

impl From<Error> for ApiError {
    fn from(err: Error) -> Self {
        ApiError {
            code: err.code(),
            message: err.to_string(),
            words: None,
        }
    }
}

impl From<crate::import::ImportError> for ApiError {
    fn from(err: crate::import::ImportError) -> Self {
        ApiError {
            code: err.code(),
            message: err.to_string(),
            words: err.words(),
        }
    }
}

/// What importing one path gave: a report, or the error.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ImportOutcome {
    /// The file or folder.
    pub path: String,
    /// The report, when it worked.
    pub report: Option<crate::import::FileReport>,
    /// The error, when it did not.
    pub error: Option<ApiError>,
}

/// Progress of an import, as the window's event `import-progress` carries it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ImportProgress {
    /// Steps done.
    #[ts(type = "number")]
    pub done: u64,
    /// Steps in all.
    #[ts(type = "number")]
    pub total: u64,
}

/// The events the app's window receives, by name (generated into `events.ts` with their
/// payload types, so neither side spells them by hand).
pub mod events {
    /// An import's progress: [`crate::api::ImportProgress`].
    pub const IMPORT_PROGRESS: &str = "import-progress";
    /// The drop folder imported (or failed to import) a file: `ImportOutcome`.
    pub const WATCH_EVENT: &str = "watch-event";
    /// The sync folder's watcher finished a sync: [`super::SyncEvent`].
    pub const SYNC_EVENT: &str = "sync-event";
}

/// What a `sync-event` carries: the report of a sync, or why it failed.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum SyncEvent {
    /// A sync finished.
    Synced {
        /// What it did.
        report: crate::sync::SyncReport,
    },
    /// A sync failed.
    Failed {
        /// Why.
        error: ApiError,
    },
}

impl From<Result<crate::sync::SyncReport, Error>> for SyncEvent {
    fn from(r: Result<crate::sync::SyncReport, Error>) -> Self {
        match r {
            Ok(report) => SyncEvent::Synced { report },
            Err(e) => SyncEvent::Failed { error: e.into() },
        }
    }
}

/// `events.ts`: the event names and each one's payload type.
fn events_typescript() -> String {
    format!(
        "// Generated from tend::api::events by `make bindings`: the window's events.\n\
         import type {{ ImportProgress }} from './ImportProgress';\n\
         import type {{ ImportOutcome }} from './ImportOutcome';\n\
         import type {{ SyncEvent }} from './SyncEvent';\n\n\
         export interface EventPayloads {{\n  '{}': ImportProgress;\n  '{}': ImportOutcome;\n  '{}': SyncEvent;\n}}\n",
        events::IMPORT_PROGRESS,
        events::WATCH_EVENT,
        events::SYNC_EVENT
    )
}

/// The UI's lists of every value of an enum, from the core's own (`strum::VariantArray`, in
/// the declaration's order): roles, onboarding stages, periods, purposes, stages of
/// development, languages, error codes. Each is checked against its generated type, so a
/// value the core adds and a list lacks fails the UI's type check.
fn lists_typescript() -> String {
    use crate::guide::{onboarding::Stage, plan::DevelopmentStage};
    let lists = [
        variants::<crate::model::Role>("ROLES"),
        variants::<Stage>("STAGES"),
        variants::<crate::health::Preset>("PRESETS"),
        variants::<crate::spaces::Purpose>("PURPOSES"),
        variants::<DevelopmentStage>("DEVELOPMENT_STAGES"),
        variants::<crate::words::Lang>("LANGS"),
        variants::<ErrorCode>("ERROR_CODES"),
    ];
    let (imports, consts): (Vec<String>, Vec<String>) = lists.into_iter().unzip();
    format!(
        "// Generated from the core's enums by `make bindings`: every value, in the core's order.\n\
         {}\n\
         /** `true` only when `Listed` names every value of `All`. */\n\
         type Complete<All, Listed> = [Exclude<All, Listed>] extends [never] ? true : false;\n\n\
         {}",
        imports.concat(),
        consts.join("\n")
    )
}

/// The import of `T`'s type, and the constant `name` listing its values, checked complete.
fn variants<T>(name: &str) -> (String, String)
where
    T: strum::VariantArray + Serialize + TS + 'static,
{
    let ty = T::name();
    let values: Vec<String> = T::VARIANTS
        .iter()
        .map(|v| serde_json::to_string(v).unwrap_or_default())
        .collect();
    (
        format!("import type {{ {ty} }} from './{ty}';\n"),
        format!(
            "export const {name} = [{}] as const satisfies readonly {ty}[];\n\
             export const {name}_COMPLETE: Complete<{ty}, (typeof {name})[number]> = true;\n",
            values.join(", ")
        ),
    )
}

/// One generated binding: the file name and its TypeScript text.
pub struct Binding {
    /// File name inside the bindings folder, such as `Member.ts`.
    pub file: String,
    /// The TypeScript declaration file's content.
    pub text: String,
}

fn binding<T: TS + 'static>() -> Binding {
    Binding {
        file: format!("{}.ts", T::name()),
        text: T::export_to_string().unwrap_or_else(|e| format!("// export failed: {e}\n")),
    }
}

/// Every type that crosses IPC, rendered to TypeScript.
pub fn bindings() -> Vec<Binding> {
    use crate::model::*;
    vec![
        binding::<ApiError>(),
        binding::<ErrorCode>(),
        binding::<SyncEvent>(),
        Binding {
            file: "events.ts".into(),
            text: events_typescript(),
        },
        Binding {
            file: "lists.ts".into(),
            text: lists_typescript(),
        },
        binding::<Role>(),
        binding::<Community>(),
        binding::<Overview>(),
        binding::<crate::demo::Removed>(),
        binding::<crate::countries::Country>(),
        binding::<crate::health::segments::SegmentValue>(),
        binding::<RoleCount>(),
        binding::<MemberSummary>(),
        binding::<MemberFilter>(),
        binding::<Member>(),
        binding::<MemberPatch>(),
        binding::<Identity>(),
        binding::<ActivityItem>(),
        binding::<ActivityKind>(),
        binding::<ImportOutcome>(),
        binding::<ImportProgress>(),
        binding::<crate::import::FileReport>(),
        binding::<crate::import::SkipView>(),
        binding::<crate::import::ErrorWords>(),
        binding::<crate::import::skips::SkipGroup>(),
        binding::<crate::import::skips::SkipKind>(),
        binding::<crate::import::history::Earlier>(),
        binding::<crate::import::ImportKind>(),
        binding::<crate::import::history::ImportRecord>(),
        binding::<crate::identity::MergeSuggestion>(),
        binding::<crate::identity::MergeReason>(),
        binding::<crate::health::Health>(),
        binding::<crate::health::Metrics>(),
        binding::<crate::health::Pyramid>(),
        binding::<crate::health::Response>(),
        binding::<crate::health::Activation>(),
        binding::<crate::health::CrossBoundary>(),
        binding::<crate::health::NamedMember>(),
        binding::<crate::health::Cohort>(),
        binding::<crate::health::PurposeUse>(),
        binding::<crate::spaces::Purpose>(),
        binding::<crate::spaces::SpaceTags>(),
        binding::<crate::charts::ChartName>(),
        binding::<crate::charts::Dashboard>(),
        binding::<crate::charts::Chart>(),
        binding::<crate::charts::DataTable>(),
        binding::<crate::health::LensChoice>(),
        binding::<crate::health::PeriodChoice>(),
        binding::<crate::health::Preset>(),
        binding::<crate::health::Segment>(),
        binding::<crate::health::SegmentKey>(),
        binding::<crate::words::Lang>(),
        Binding {
            file: "coreWords.ts".into(),
            text: crate::words::typescript(),
        },
        binding::<crate::guide::playbook::Builds>(),
        binding::<crate::guide::playbook::EvidenceKind>(),
        binding::<crate::guide::playbook::Evidence>(),
        binding::<crate::guide::playbook::Phase>(),
        binding::<crate::guide::playbook::Step>(),
        binding::<crate::guide::playbook::Playbook>(),
        binding::<crate::guide::plan::StepStatus>(),
        binding::<crate::guide::plan::Timing>(),
        binding::<crate::guide::plan::EvidenceProgress>(),
        binding::<crate::guide::plan::PlanStep>(),
        binding::<crate::guide::plan::DevelopmentStage>(),
        binding::<crate::guide::plan::StageCheck>(),
        binding::<crate::guide::plan::PlanView>(),
        binding::<crate::guide::plan::StepChange>(),
        binding::<crate::guide::onboarding::Stage>(),
        binding::<crate::guide::onboarding::Override>(),
        binding::<crate::guide::onboarding::Card>(),
        binding::<crate::guide::onboarding::Stuck>(),
        binding::<crate::guide::onboarding::Column>(),
        binding::<crate::guide::onboarding::Board>(),
        binding::<crate::guide::today::ActionKind>(),
        binding::<crate::guide::today::Action>(),
        binding::<crate::guide::today::Today>(),
        binding::<crate::guide::today::ActionMark>(),
        binding::<crate::guide::texts::RoleGuide>(),
        binding::<crate::kit::Audience>(),
        binding::<crate::kit::KitRequest>(),
        binding::<crate::kit::KitSection>(),
        binding::<crate::kit::Kit>(),
        binding::<crate::kit::template::SectionTemplate>(),
        binding::<crate::kit::template::TemplateForm>(),
        binding::<crate::kit::KitPreview>(),
        binding::<crate::kit::data::Person>(),
        binding::<crate::kit::data::Resource>(),
        binding::<crate::kit::export::Format>(),
        binding::<crate::kit::export::KitRecord>(),
        binding::<crate::report::ReportOptions>(),
        binding::<crate::erasure::Erased>(),
        binding::<crate::sync::SyncReport>(),
        binding::<crate::sync::config::SyncConfig>(),
        binding::<crate::sync::config::SyncConfigInput>(),
        binding::<crate::sync::Skipped>(),
        binding::<crate::sync::segment::ProblemKind>(),
        binding::<crate::sync::status::SyncStatus>(),
        binding::<crate::sync::status::TransportState>(),
        binding::<crate::sync::status::DeviceState>(),
        binding::<crate::sync::status::Conflict>(),
        binding::<crate::sync::status::HeldRecord>(),
        binding::<crate::sync::KeyConflict>(),
        binding::<crate::health::threads::OpenThread>(),
        binding::<crate::report::stories::ValueTag>(),
        binding::<crate::report::stories::Story>(),
        binding::<crate::report::stories::NewStory>(),
    ]
}

/// Writes every binding into `dir` (used by `make bindings`).
pub fn write_bindings(dir: &Path) -> std::io::Result<usize> {
    std::fs::create_dir_all(dir)?;
    let all = bindings();
    for b in &all {
        std::fs::write(dir.join(&b.file), &b.text)?;
    }
    Ok(all.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_sync_reaches_the_window_with_its_own_code() {
        let missing = Error::from(crate::error::SyncError::FolderMissing {
            path: "/media/usb/team".into(),
        });
        let v = serde_json::to_value(SyncEvent::from(Err(missing))).expect("json");
        assert_eq!(v["outcome"], "failed");
        assert_eq!(v["error"]["code"], "sync_folder_missing");
        assert!(v["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("/media/usb/team")));
        let ok = SyncEvent::from(Ok(crate::sync::SyncReport::default()));
        let v = serde_json::to_value(ok).expect("json");
        assert_eq!(v["outcome"], "synced");
        assert!(v["report"].is_object());
    }
}

//! The facilitator's guide: the 90-day plan from a playbook, each member's onboarding path,
//! the Today list of next actions, message templates and role guides.
//!
//! Everything here reads the imported data up to a given day, so results are reproducible
//! for a fixed "today" (`--date` in the CLI).

pub mod facts;
pub mod ics;
pub mod onboarding;
pub mod plan;
pub mod playbook;
pub mod texts;
pub mod today;

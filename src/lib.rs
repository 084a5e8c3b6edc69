//! Tend's core: everything the desktop app and the `tend` command line do.
//!
//! The shells (`src/bin/tend.rs` and `src-tauri/`) only parse input, call one function of
//! this crate and present its result. This crate never knows whether it runs in a window.

#![deny(missing_docs)]

pub mod api;
pub mod bench;
pub mod bench_health;
pub mod bench_hostile;
pub mod bench_sync;
pub mod charts;
pub mod clean;
pub mod community;
pub mod countries;
pub mod demo;
pub mod document;
pub mod erasure;
pub mod error;
pub mod guide;
pub mod health;
pub mod identity;
pub mod ids;
pub mod import;
pub mod kit;
pub mod limits;
pub mod members;
pub mod model;
pub mod report;
pub mod roster;
pub mod search;
pub mod secrets;
pub mod settings;
pub mod spaces;
pub mod store;
pub mod sync;
pub mod time;
pub mod watch;
pub mod watching;
pub mod words;

pub use error::{Error, Result};
pub use store::Store;

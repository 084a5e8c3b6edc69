//! Every integration test in one binary: the core and the CLI on real files, each area in
//! its own module. One binary links the core once instead of once per file (22 times on
//! two cores before). Run one area with `cargo test --test it sync::`.

mod bindings;
mod capture_audit;
mod charts;
mod cli;
mod common;
mod demo;
mod discourse_live;
mod erasure;
mod guide;
mod health;
mod hostile;
mod identity;
mod import_corpus;
mod import_csv;
mod import_formats;
mod kit;
mod kit_csp;
mod report;
mod store;
mod sync;
mod sync_hub;
mod sync_property;
mod upgrade;
mod watch;

// Generated from ErrorCode's variants by `make bindings`: every code the core sends.
import type { ErrorCode } from './ErrorCode';

export const ERROR_CODES = ["db_open", "db", "migrate", "unknown_role", "not_found", "ambiguous_id", "invalid_value", "no_community", "not_empty", "not_an_export", "io", "zip", "malformed", "cancelled", "http", "playbook", "template", "export", "sync", "sync_folder_missing", "hub_unreachable", "passphrase", "sync_not_set_up", "locked"] as const satisfies readonly ErrorCode[];

// Fails to compile when a code is missing from the list above.
type Missing = Exclude<ErrorCode, (typeof ERROR_CODES)[number]>;
export const EVERY_CODE_LISTED: [Missing] extends [never] ? true : false = true;

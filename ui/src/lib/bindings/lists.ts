// Generated from the core's enums by `make bindings`: every value, in the core's order.
import type { Role } from './Role';
import type { Stage } from './Stage';
import type { Preset } from './Preset';
import type { Purpose } from './Purpose';
import type { DevelopmentStage } from './DevelopmentStage';
import type { Lang } from './Lang';
import type { ErrorCode } from './ErrorCode';

/** `true` only when `Listed` names every value of `All`. */
type Complete<All, Listed> = [Exclude<All, Listed>] extends [never] ? true : false;

export const ROLES = ["leader", "facilitator", "champion", "sponsor", "member"] as const satisfies readonly Role[];
export const ROLES_COMPLETE: Complete<Role, (typeof ROLES)[number]> = true;

export const STAGES = ["invited", "joined", "welcomed", "introduced", "first_contribution", "regular", "champion"] as const satisfies readonly Stage[];
export const STAGES_COMPLETE: Complete<Stage, (typeof STAGES)[number]> = true;

export const PRESETS = ["last_7_days", "last_30_days", "last_90_days", "this_month", "last_month", "this_quarter", "this_year"] as const satisfies readonly Preset[];
export const PRESETS_COMPLETE: Complete<Preset, (typeof PRESETS)[number]> = true;

export const PURPOSES = ["inspire", "connect", "learn", "co_create", "educate", "train", "feedback"] as const satisfies readonly Purpose[];
export const PURPOSES_COMPLETE: Complete<Purpose, (typeof PURPOSES)[number]> = true;

export const DEVELOPMENT_STAGES = ["potential", "coalescing", "maturing", "stewardship", "transformation"] as const satisfies readonly DevelopmentStage[];
export const DEVELOPMENT_STAGES_COMPLETE: Complete<DevelopmentStage, (typeof DEVELOPMENT_STAGES)[number]> = true;

export const LANGS = ["en", "fr", "es"] as const satisfies readonly Lang[];
export const LANGS_COMPLETE: Complete<Lang, (typeof LANGS)[number]> = true;

export const ERROR_CODES = ["db_open", "db", "migrate", "unknown_role", "not_found", "ambiguous_id", "invalid_value", "no_community", "not_empty", "not_an_export", "io", "zip", "malformed", "cancelled", "http", "playbook", "template", "export", "sync", "sync_folder_missing", "hub_unreachable", "passphrase", "sync_not_set_up", "locked"] as const satisfies readonly ErrorCode[];
export const ERROR_CODES_COMPLETE: Complete<ErrorCode, (typeof ERROR_CODES)[number]> = true;

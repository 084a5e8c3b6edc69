// The one typed door to the core. Every command's name, arguments and result type come
// from src/lib/bindings/commands.ts, generated from the shell's #[tauri::command]
// functions (and the types from Rust), so a call the shell does not take does not compile.
import { invoke } from '@tauri-apps/api/core';
import { listen, type UnlistenFn } from '@tauri-apps/api/event';
import type { EventPayloads } from './bindings/events';
import type { ApiError } from './bindings/ApiError';
import type { ErrorWords } from './bindings/ErrorWords';
import type { ErrorCode } from './bindings/ErrorCode';
import { ERROR_CODES } from './bindings/lists';
import type { MemberFilter } from './bindings/MemberFilter';
import type { MemberPatch } from './bindings/MemberPatch';
import type { TemplateForm } from './bindings/TemplateForm';
import type { LensChoice } from './bindings/LensChoice';
import type { SegmentKey } from './bindings/SegmentKey';
import type { Lang } from './bindings/Lang';
import type { Purpose } from './bindings/Purpose';
import type { ActionMark } from './bindings/ActionMark';
import type { StepChange } from './bindings/StepChange';
import type { DevelopmentStage } from './bindings/DevelopmentStage';
import type { Playbook } from './bindings/Playbook';
import type { Stage } from './bindings/Stage';
import type { KitRequest } from './bindings/KitRequest';
import type { ReportOptions } from './bindings/ReportOptions';
import type { NewStory } from './bindings/NewStory';
import type { SyncConfigInput } from './bindings/SyncConfigInput';

// Every command with its arguments and result, generated from the shell's source.
import type { Commands } from './bindings/commands';

// Every code the core sends, generated from Rust (`ErrorCode`'s variants).
const CODES: readonly ErrorCode[] = ERROR_CODES;

/** What the UI shows for a failure: the core's `{code, message}`, or `internal`. */
export type UiError = ApiError | { code: 'internal'; message: string };

/** Turns whatever a failed call threw into a `UiError`. */
export function toUiError(err: unknown): UiError {
  if (typeof err === 'object' && err !== null && 'code' in err && 'message' in err) {
    const { code, message, words } = err as { code: unknown; message: unknown; words?: unknown };
    if (typeof code === 'string' && (CODES as readonly string[]).includes(code)) {
      const said = isWords(words) ? { words } : {};
      return { code: code as ErrorCode, message: String(message), ...said };
    }
  }
  return { code: 'internal', message: err instanceof Error ? err.message : String(err) };
}

/** Whether `w` is the core's words for an error: a key and text values. */
function isWords(w: unknown): w is ErrorWords {
  if (typeof w !== 'object' || w === null) return false;
  const { key, values } = w as { key: unknown; values: unknown };
  return (
    typeof key === 'string' &&
    typeof values === 'object' &&
    values !== null &&
    Object.values(values).every((v) => typeof v === 'string')
  );
}

/** Runs `task`, giving any error to `onerror` as a UiError; whether it succeeded. */
export async function attempt(task: () => Promise<unknown>, onerror: (e: UiError) => void): Promise<boolean> {
  try {
    await task();
    return true;
  } catch (e) {
    onerror(toUiError(e));
    return false;
  }
}

async function call<K extends keyof Commands>(cmd: K, args: Commands[K]['args']): Promise<Commands[K]['result']> {
  try {
    return await invoke<Commands[K]['result']>(cmd, args);
  } catch (err) {
    throw toUiError(err);
  }
}

export const rpc = {
  overview: () => call('overview', {}),
  membersList: (filter: MemberFilter = {}) => call('members_list', { filter }),
  memberGet: (id: string) => call('member_get', { id }),
  memberUpdate: (id: string, patch: MemberPatch) => call('member_update', { id, patch }),
  importPaths: (paths: string[], keepBodies = false, source: string | null = null) =>
    call('import_paths', { paths, keepBodies, source }),
  importCancel: () => call('import_cancel', {}),
  searchFold: (text: string) => call('search_fold', { text }),
  demoCreate: () => call('demo_create', {}),
  countries: (lang: string) => call('countries', { lang }),
  healthSegmentValues: (key: SegmentKey) => call('health_segment_values', { key }),
  demoRemovalPreview: () => call('demo_removal_preview', {}),
  demoRemove: () => call('demo_remove', {}),
  rosterExport: (filter: MemberFilter, path: string) => call('roster_export', { filter, path }),
  memberExport: (id: string, path: string) => call('member_export', { id, path }),
  communitySet: (name: string, purpose: string, launchDate: string | null) =>
    call('community_set', { name, purpose, launchDate }),
  importHistory: () => call('import_history', {}),
  mergeSuggestions: () => call('merge_suggestions', {}),
  membersMerge: (keep: string, other: string) => call('members_merge', { keep, other }),
  membersUnmerge: (mergeId: string) => call('members_unmerge', { mergeId }),
  membersNotSame: (a: string, b: string) => call('members_not_same', { a, b }),
  membersSplit: (member: string, identity: string) => call('members_split', { member, identity }),
  dashboard: (lens: LensChoice, dark: boolean, lang: Lang) => call('dashboard', { lens, dark, lang }),
  spacesList: () => call('spaces_list', {}),
  spaceTag: (space: string, purposes: Purpose[]) => call('space_tag', { space, purposes }),
  dropFolderGet: () => call('drop_folder_get', {}),
  dropFolderSet: (path: string | null) => call('drop_folder_set', { path }),
  guideToday: (lang: string) => call('guide_today', { lang }),
  guideMark: (key: string, mark: ActionMark) => call('guide_mark', { key, mark }),
  planView: (lang: string) => call('plan_view', { lang }),
  planChange: (step: string, change: StepChange) => call('plan_change', { step, change }),
  planStage: (stage: DevelopmentStage, note: string) => call('plan_stage', { stage, note }),
  planIcs: (path: string, lang: string) => call('plan_ics', { path, lang }),
  playbookText: () => call('playbook_text', {}),
  playbookGet: (lang: string | null) => call('playbook_get', { lang }),
  playbookSaveForm: (playbook: Playbook) => call('playbook_save_form', { playbook }),
  playbookSave: (text: string) => call('playbook_save', { text }),
  playbookDefault: () => call('playbook_default', {}),
  onboardingBoard: () => call('onboarding_board', {}),
  onboardingSet: (member: string, stage: Stage | null, note = '') => call('onboarding_set', { member, stage, note }),
  roleGuides: (lang: string) => call('role_guides', { lang }),
  kitPreview: (request: KitRequest) => call('kit_preview', { request }),
  kitExport: (request: KitRequest, path: string) => call('kit_export', { request, path }),
  kitHistory: () => call('kit_history', {}),
  kitTemplateText: (name: string, lang: string) => call('kit_template_text', { name, lang }),
  kitTemplateForm: (name: string, lang: string) => call('kit_template_form', { name, lang }),
  kitTemplateSaveForm: (form: TemplateForm) => call('kit_template_save_form', { form }),
  kitTemplateSave: (text: string) => call('kit_template_save', { text }),
  reportExport: (lens: LensChoice, options: ReportOptions, path: string) => call('report_export', { lens, options, path }),
  storiesList: (lens: LensChoice) => call('stories_list', { lens }),
  storyAdd: (story: NewStory) => call('story_add', { story }),
  storyRemove: (id: string) => call('story_remove', { id }),
  healthUnanswered: (lens: LensChoice) => call('health_unanswered', { lens }),
  memberErase: (id: string) => call('member_erase', { id }),
  syncConfigGet: () => call('sync_config_get', {}),
  syncConfigSet: (input: SyncConfigInput) => call('sync_config_set', { input }),
  syncNameSet: (name: string) => call('sync_name_set', { name }),
  syncNow: () => call('sync_now', {}),
  syncStatus: () => call('sync_status', {}),
};

/** Listens to one of the window's events by its generated name, its payload typed. */
export function on<K extends keyof EventPayloads>(name: K, handle: (payload: EventPayloads[K]) => void): Promise<UnlistenFn> {
  return listen<EventPayloads[K]>(name, (e) => handle(e.payload));
}

// The one typed door to the core. Every command's name, arguments and result type are
// listed here, against the types generated from Rust (src/lib/bindings, never edited).
import { invoke } from '@tauri-apps/api/core';
import { listen, type UnlistenFn } from '@tauri-apps/api/event';
import type { EventPayloads } from './bindings/events';
import type { ApiError } from './bindings/ApiError';
import type { ErrorCode } from './bindings/ErrorCode';
import { ERROR_CODES } from './bindings/errorCodes';
import type { Member } from './bindings/Member';
import type { MemberFilter } from './bindings/MemberFilter';
import type { MemberPatch } from './bindings/MemberPatch';
import type { MemberSummary } from './bindings/MemberSummary';
import type { Community } from './bindings/Community';
import type { Removed } from './bindings/Removed';
import type { TemplateForm } from './bindings/TemplateForm';
import type { Country } from './bindings/Country';
import type { SegmentValue } from './bindings/SegmentValue';
import type { Overview } from './bindings/Overview';
import type { ImportOutcome } from './bindings/ImportOutcome';
import type { ImportRecord } from './bindings/ImportRecord';
import type { MergeSuggestion } from './bindings/MergeSuggestion';
import type { Health } from './bindings/Health';
import type { Dashboard } from './bindings/Dashboard';
import type { LensChoice } from './bindings/LensChoice';
import type { SegmentKey } from './bindings/SegmentKey';
import type { Lang } from './bindings/Lang';
import type { Purpose } from './bindings/Purpose';
import type { SpaceTags } from './bindings/SpaceTags';
import type { Today } from './bindings/Today';
import type { ActionMark } from './bindings/ActionMark';
import type { PlanView } from './bindings/PlanView';
import type { StepChange } from './bindings/StepChange';
import type { DevelopmentStage } from './bindings/DevelopmentStage';
import type { Playbook } from './bindings/Playbook';
import type { Board } from './bindings/Board';
import type { Stage } from './bindings/Stage';
import type { RoleGuide } from './bindings/RoleGuide';
import type { KitPreview } from './bindings/KitPreview';
import type { KitRequest } from './bindings/KitRequest';
import type { KitRecord } from './bindings/KitRecord';
import type { Format } from './bindings/Format';
import type { ReportOptions } from './bindings/ReportOptions';
import type { Story } from './bindings/Story';
import type { NewStory } from './bindings/NewStory';
import type { OpenThread } from './bindings/OpenThread';
import type { Erased } from './bindings/Erased';
import type { SyncConfig } from './bindings/SyncConfig';
import type { SyncConfigInput } from './bindings/SyncConfigInput';
import type { SyncReport } from './bindings/SyncReport';
import type { SyncStatus } from './bindings/SyncStatus';

interface Commands {
  overview: { args: Record<string, never>; result: Overview };
  members_list: { args: { filter: MemberFilter }; result: MemberSummary[] };
  member_get: { args: { id: string }; result: Member };
  member_update: { args: { id: string; patch: MemberPatch }; result: Member };
  import_paths: { args: { paths: string[]; keepBodies: boolean; source: string | null }; result: ImportOutcome[] };
  import_cancel: { args: Record<string, never>; result: null };
  search_fold: { args: { text: string }; result: string };
  demo_create: { args: Record<string, never>; result: null };
  countries: { args: { lang: string }; result: Country[] };
  health_segment_values: { args: { key: SegmentKey }; result: SegmentValue[] };
  demo_removal_preview: { args: Record<string, never>; result: Removed };
  demo_remove: { args: Record<string, never>; result: Removed };
  roster_export: { args: { filter: MemberFilter; path: string }; result: number };
  member_export: { args: { id: string; path: string }; result: number };
  community_set: { args: { name: string; purpose: string; launchDate: string | null }; result: Community };
  import_history: { args: Record<string, never>; result: ImportRecord[] };
  merge_suggestions: { args: Record<string, never>; result: MergeSuggestion[] };
  members_merge: { args: { keep: string; other: string }; result: string };
  members_unmerge: { args: { mergeId: string }; result: string };
  members_not_same: { args: { a: string; b: string }; result: null };
  members_split: { args: { member: string; identity: string }; result: string };
  health: { args: { lens: LensChoice }; result: Health };
  dashboard: { args: { lens: LensChoice; dark: boolean; lang: Lang }; result: Dashboard };
  spaces_list: { args: Record<string, never>; result: SpaceTags[] };
  space_tag: { args: { space: string; purposes: Purpose[] }; result: SpaceTags };
  drop_folder_get: { args: Record<string, never>; result: string | null };
  drop_folder_set: { args: { path: string | null }; result: null };
  guide_today: { args: { lang: string }; result: Today };
  guide_mark: { args: { key: string; mark: ActionMark }; result: null };
  plan_view: { args: { lang: string }; result: PlanView };
  plan_change: { args: { step: string; change: StepChange }; result: null };
  plan_stage: { args: { stage: DevelopmentStage; note: string }; result: null };
  plan_ics: { args: { path: string; lang: string }; result: number };
  playbook_text: { args: Record<string, never>; result: string };
  playbook_get: { args: { lang: string | null }; result: Playbook };
  playbook_save_form: { args: { playbook: Playbook }; result: Playbook };
  playbook_save: { args: { text: string }; result: Playbook };
  playbook_default: { args: Record<string, never>; result: null };
  onboarding_board: { args: Record<string, never>; result: Board };
  onboarding_set: { args: { member: string; stage: Stage | null; note: string }; result: null };
  role_guides: { args: { lang: string }; result: RoleGuide[] };
  kit_preview: { args: { request: KitRequest }; result: KitPreview };
  kit_export: { args: { request: KitRequest; path: string }; result: Format };
  kit_history: { args: Record<string, never>; result: KitRecord[] };
  kit_template_text: { args: { name: string; lang: string }; result: string };
  kit_template_form: { args: { name: string; lang: string }; result: TemplateForm };
  kit_template_save_form: { args: { form: TemplateForm }; result: null };
  kit_template_save: { args: { text: string }; result: null };
  report_export: { args: { lens: LensChoice; options: ReportOptions; path: string }; result: null };
  stories_list: { args: { lens: LensChoice }; result: Story[] };
  story_add: { args: { story: NewStory }; result: string };
  story_remove: { args: { id: string }; result: null };
  health_unanswered: { args: { lens: LensChoice }; result: OpenThread[] };
  member_erase: { args: { id: string }; result: Erased };
  sync_config_get: { args: Record<string, never>; result: SyncConfig };
  sync_config_set: { args: { input: SyncConfigInput }; result: SyncConfig };
  sync_name_set: { args: { name: string }; result: string | null };
  sync_now: { args: Record<string, never>; result: SyncReport[] };
  sync_status: { args: Record<string, never>; result: SyncStatus };
}

// Every code the core sends, generated from Rust (`ErrorCode::ALL`).
const CODES: readonly ErrorCode[] = ERROR_CODES;

/** What the UI shows for a failure: the core's `{code, message}`, or `internal`. */
export type UiError = ApiError | { code: 'internal'; message: string };

/** Turns whatever a failed call threw into a `UiError`. */
export function toUiError(err: unknown): UiError {
  if (typeof err === 'object' && err !== null && 'code' in err && 'message' in err) {
    const { code, message } = err as { code: unknown; message: unknown };
    if (typeof code === 'string' && (CODES as readonly string[]).includes(code)) {
      return { code: code as ErrorCode, message: String(message) };
    }
  }
  return { code: 'internal', message: err instanceof Error ? err.message : String(err) };
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
  health: (lens: LensChoice) => call('health', { lens }),
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

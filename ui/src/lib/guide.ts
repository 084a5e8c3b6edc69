// Small pure helpers for the guide's views, kept apart so they can be unit-tested.
import type { Action } from './bindings/Action';
import type { ActionKind } from './bindings/ActionKind';

/** Today's groups, most pressing first: people waiting on someone, then the plan. */
export const GROUP_ORDER: ActionKind[] = ['answer', 'welcome', 'check_in', 'champion', 'plan', 'report'];

/** How long a *Done* or *Snooze* can be undone, in milliseconds. */
export const UNDO_MS = 8000;

/** The actions grouped by kind in [`GROUP_ORDER`], each group keeping the core's ranking. */
export function groupActions(actions: readonly Action[]): { kind: ActionKind; actions: Action[] }[] {
  return GROUP_ORDER.map((kind) => ({ kind, actions: actions.filter((a) => a.kind === kind) })).filter(
    (g) => g.actions.length > 0,
  );
}

/** An id `prefix_N` not among `taken`, for a step or section added in a form. */
export function freshId(prefix: string, taken: readonly string[]): string {
  let n = 1;
  while (taken.includes(`${prefix}_${n}`)) n++;
  return `${prefix}_${n}`;
}

/** A step's tips as the form edits them: one a line. */
export function tipsToText(tips: readonly string[]): string {
  return tips.join('\n');
}

/** The tips typed in the form: one a line, blank lines dropped. */
export function tipsFromText(text: string): string[] {
  return text
    .split('\n')
    .map((t) => t.trim())
    .filter((t) => t.length > 0);
}

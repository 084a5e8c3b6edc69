// The dashboard's period and segment, kept while the app is open: going to another view and
// coming back to Health finds them as they were left.
import type { Preset } from './bindings/Preset';
import type { Segment } from './bindings/Segment';
import { daysBefore, todayIso } from './dates';

/** What the Health view looks at: a preset or a range of days, and a segment's conditions. */
export interface HealthLens {
  preset: Preset | 'range';
  from: string;
  to: string;
  conditions: Segment[];
}

function fresh(): HealthLens {
  const today = todayIso();
  return { preset: 'last_30_days', from: daysBefore(today, 29), to: today, conditions: [] };
}

/** The one kept lens; the Health view binds to its fields. */
export const healthLens: HealthLens = $state(fresh());

/** Back to the last 30 days and the whole community (a new community, or a test). */
export function resetHealthLens(): void {
  Object.assign(healthLens, fresh());
}

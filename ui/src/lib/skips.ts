// Skipped records as the facilitator reads them: grouped by kind, in the core's order of
// first appearance, each kind with the places of its records.
import type { SkipKind } from './bindings/SkipKind';
import type { SkipView } from './bindings/SkipView';

/** The records of each kind, kinds in the order they first appear; at most `limit` each. */
export function skipsByKind(skipped: readonly SkipView[], limit = 200): [SkipKind, string[]][] {
  const groups = new Map<SkipKind, string[]>();
  for (const s of skipped) {
    const places = groups.get(s.kind) ?? [];
    if (places.length < limit) places.push(s.location);
    groups.set(s.kind, places);
  }
  return [...groups];
}

// Narrowing and sorting the members table, as pure functions the table and tests share.
import type { MemberSummary } from './bindings/MemberSummary';
import type { Role } from './bindings/Role';

export interface TableFilter {
  search: string;
  role: Role | '';
  country: string;
  organisation: string;
}

export type SortKey = 'display_name' | 'role' | 'country' | 'organisation' | 'last_active_at' | 'activity_count';
export interface Sort {
  key: SortKey;
  ascending: boolean;
}

export const EMPTY_FILTER: TableFilter = { search: '', role: '', country: '', organisation: '' };

/**
 * Whether a member matches a search already folded by the core (`rpc.searchFold`, the one
 * rule in `src/search.rs`): the folded text is looked up in the key the core made.
 */
export function matchesSearch(m: MemberSummary, folded: string): boolean {
  return !folded || m.search_key.includes(folded);
}

/** The members that pass every part of `f`, the search as the core folded it. */
export function filterMembers(list: readonly MemberSummary[], f: TableFilter, folded: string): MemberSummary[] {
  return list.filter(
    (m) =>
      (!f.role || m.role === f.role) &&
      (!f.country || m.country === f.country) &&
      (!f.organisation || m.organisation === f.organisation) &&
      matchesSearch(m, folded),
  );
}

function compare(a: MemberSummary, b: MemberSummary, key: SortKey): number {
  const x = a[key];
  const y = b[key];
  if (x === y) return 0;
  if (x === null || x === undefined) return 1;
  if (y === null || y === undefined) return -1;
  if (typeof x === 'number' && typeof y === 'number') return x - y;
  return String(x).localeCompare(String(y));
}

/** A sorted copy; members without a value sort last either way, ties by name. */
export function sortMembers(list: readonly MemberSummary[], s: Sort): MemberSummary[] {
  return [...list].sort((a, b) => {
    const c = compare(a, b, s.key);
    const missing = a[s.key] === null || b[s.key] === null;
    const directed = s.ascending || missing ? c : -c;
    return directed || a.display_name.localeCompare(b.display_name);
  });
}

/** The rows to draw for a scroll position: a window of the list with some slack. */
export function visibleRange(scrollTop: number, viewport: number, rowHeight: number, count: number, slack = 8) {
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - slack);
  const last = Math.min(count, Math.ceil((scrollTop + viewport) / rowHeight) + slack);
  return { first, last, before: first * rowHeight, after: (count - last) * rowHeight };
}

/** A local, readable date for an RFC 3339 time, or '' when there is none. */
/** A moment in the UI language and the laptop's time zone ("30 Nov 2026, 14:05"). */
export function localTime(iso: string | null | undefined, locale: string): string {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime())
    ? iso
    : d.toLocaleString(locale, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

/** A sync transport key (`folder:/path`, `hub:postgres://…`) as a person reads it. */
export function transportLabel(key: string): { kind: 'folder' | 'hub' | 'other'; place: string } {
  if (key.startsWith('folder:')) return { kind: 'folder', place: key.slice('folder:'.length) };
  if (key.startsWith('hub:')) return { kind: 'hub', place: key.slice('hub:'.length) };
  return { kind: 'other', place: key };
}

export function shortDate(iso: string | null | undefined, locale: string): string {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleDateString(locale, { year: 'numeric', month: 'short', day: 'numeric' });
}

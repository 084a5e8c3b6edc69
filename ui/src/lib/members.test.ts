import { describe, expect, it } from 'vitest';
import { MEMBERS } from '../test-fixtures';
import { EMPTY_FILTER, filterMembers, sortMembers, visibleRange } from './members';

describe('filterMembers', () => {
  // The search as the core folds it (src/search.rs), matched against the core's keys.
  it.each([
    ['', 5],
    ['nunez', 1],
    ['nguyen', 1],
    ['senegal', 1],
    ['wateraid', 3],
    ['nobody here', 0],
  ])('folded search %j keeps %i members', (folded, count) => {
    expect(filterMembers(MEMBERS, { ...EMPTY_FILTER, search: folded }, folded)).toHaveLength(count);
  });

  it('combines role, country and organisation', () => {
    expect(filterMembers(MEMBERS, { ...EMPTY_FILTER, role: 'champion' }, '').map((m) => m.id)).toEqual(['0005']);
    expect(filterMembers(MEMBERS, { ...EMPTY_FILTER, organisation: 'WaterAid', country: 'Mexico' }, '').map((m) => m.id)).toEqual(['0002']);
    expect(filterMembers(MEMBERS, { ...EMPTY_FILTER, role: 'champion', country: 'Kenya' }, '')).toEqual([]);
  });
});

describe('sortMembers', () => {
  it('sorts numbers both ways', () => {
    const up = sortMembers(MEMBERS, { key: 'activity_count', ascending: true }).map((m) => m.activity_count);
    expect(up).toEqual([0, 3, 3, 12, 40]);
    const down = sortMembers(MEMBERS, { key: 'activity_count', ascending: false }).map((m) => m.activity_count);
    expect(down).toEqual([40, 12, 3, 3, 0]);
  });

  it('puts members without a value last in either direction', () => {
    for (const ascending of [true, false]) {
      const sorted = sortMembers(MEMBERS, { key: 'last_active_at', ascending });
      expect(sorted[sorted.length - 1].id).toBe('0003');
    }
  });

  it('does not change its input', () => {
    const copy = [...MEMBERS];
    sortMembers(MEMBERS, { key: 'display_name', ascending: false });
    expect(MEMBERS).toEqual(copy);
  });
});

describe('visibleRange', () => {
  it('draws only a window of a long list', () => {
    const r = visibleRange(4000, 600, 40, 5000);
    expect(r.first).toBe(92);
    expect(r.last).toBe(123);
    expect(r.before + (r.last - r.first) * 40 + r.after).toBe(5000 * 40);
  });

  it('clamps at both ends', () => {
    expect(visibleRange(0, 600, 40, 3)).toEqual({ first: 0, last: 3, before: 0, after: 0 });
  });
});

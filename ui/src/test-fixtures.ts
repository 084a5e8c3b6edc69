// Data the UI tests hand to the mocked core.
import type { Member } from './lib/bindings/Member';
import type { MemberSummary } from './lib/bindings/MemberSummary';
import type { Overview } from './lib/bindings/Overview';

export function summary(id: string, display_name: string, extra: Partial<MemberSummary> = {}): MemberSummary {
  return {
    id,
    display_name,
    role: 'member',
    country: 'Kenya',
    organisation: 'WaterAid',
    language: 'en',
    joined_at: '2026-03-01T10:00:00Z',
    is_bot: false,
    last_active_at: '2026-05-01T10:00:00Z',
    activity_count: 3,
    search_key: '',
    ...extra,
  };
}

// search_key: as the core makes them (src/search.rs checks these same strings).
export const MEMBERS: MemberSummary[] = [
  summary('0001', 'Aminata Diallo', { country: 'Senegal', organisation: 'Oxfam', role: 'facilitator', activity_count: 40, search_key: 'aminata diallo\nsenegal\noxfam' }),
  summary('0002', 'José Núñez', { country: 'Mexico', activity_count: 12, search_key: 'jose nunez\nmexico\nwateraid' }),
  summary('0003', 'Nguyễn Thị Hương', { country: 'Viet Nam', last_active_at: null, activity_count: 0, search_key: 'nguyen thi huong\nviet nam\nwateraid' }),
  summary('0004', '<img src=x onerror=alert(1)>', { country: 'Peru', search_key: 'img src x onerror alert 1\nperu\nwateraid' }),
  summary('0005', 'محمد عبد الله', { country: 'Jordan', organisation: 'UNICEF', role: 'champion', search_key: 'mhmd bd llh\njordan\nunicef' }),
];

export const OVERVIEW: Overview = {
  community: { id: 'c1', name: 'WASH Practitioners Network', purpose: 'Share what works.', launch_date: '2026-01-15' },
  members_total: MEMBERS.length,
  by_role: [
    { role: 'leader', count: 0 },
    { role: 'facilitator', count: 1 },
    { role: 'champion', count: 1 },
    { role: 'sponsor', count: 0 },
    { role: 'member', count: 3 },
  ],
  countries: ['Jordan', 'Kenya', 'Mexico', 'Peru', 'Senegal', 'Viet Nam'],
  organisations: ['Oxfam', 'UNICEF', 'WaterAid'],
  activities_total: 58,
  activities_by_kind: { post: 20, reply: 30, reaction: 6 },
  bot_activities: 2,
  contributors: 6,
  demo: false,
};

export function member(s: MemberSummary): Member {
  return {
    id: s.id,
    display_name: s.display_name,
    preferred_name: null,
    email: null,
    role: s.role,
    country: s.country,
    organisation: s.organisation,
    language: s.language,
    joined_at: s.joined_at,
    is_bot: false,
    notes: '',
    identities: [{ id: 'i1', source_kind: 'slack', source_name: 'wash', external_id: 'U1', handle: 'jose', email: null, shown: 'jose' }],
    activity_count: s.activity_count,
    recent_activity: [{ id: 'a1', kind: 'post', occurred_at: '2026-05-01T10:00:00Z', space: 'questions', title: 'Chlorine dosing?' }],
  };
}

import { afterEach, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import MemberPage from './MemberPage.svelte';
import { MEMBERS, member } from '../test-fixtures';

afterEach(() => {
  cleanup();
  clearMocks();
});

it('splits an identity off a member with several', async () => {
  const calls: [string, unknown][] = [];
  const two = member(MEMBERS[1]);
  two.identities.push({ id: 'i2', source_kind: 'mbox', source_name: 'list', external_id: 'mailto:j@x.org', handle: null, email: 'j@x.org' });
  let current = two;
  mockIPC((cmd, args) => {
    calls.push([cmd, args]);
    if (cmd === 'members_split') {
      current = { ...two, identities: two.identities.slice(0, 1) };
      return 'new-member';
    }
    return current;
  });
  render(MemberPage, { id: two.id, onback: () => {}, onsaved: () => {}, onerror: () => {} });
  const buttons = await screen.findAllByText('Split off');
  expect(buttons).toHaveLength(2);
  await fireEvent.click(buttons[1]);
  await waitFor(() => expect(screen.queryAllByText('Split off')).toHaveLength(0));
  expect(calls).toContainEqual(['members_split', { member: two.id, identity: 'i2' }]);
});

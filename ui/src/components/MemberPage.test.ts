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
  two.identities.push({ id: 'i2', source_kind: 'mbox', source_name: 'list', external_id: 'mailto:j@x.org', handle: null, email: 'j@x.org', shown: 'j@x.org' });
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

it('erases only after a second, confirming click', async () => {
  const calls: string[] = [];
  const one = member(MEMBERS[1]);
  mockIPC((cmd) => {
    calls.push(cmd);
    if (cmd === 'member_erase') return { id: one.id, placeholder: 'Erased member 1', identities: 1, activities: 3 };
    return one;
  });
  render(MemberPage, { id: one.id, onback: () => {}, onsaved: () => {}, onerror: () => {} });
  const button = await screen.findByTestId('erase');
  await fireEvent.click(button);
  expect(calls).not.toContain('member_erase');
  expect(button.textContent).toContain('Click again');
  await fireEvent.click(button);
  await waitFor(() => expect(calls).toContain('member_erase'));
});

it('asks before leaving with unsaved edits, and shows no internal id', async () => {
  const one = member(MEMBERS[1]);
  mockIPC(() => one);
  let back = 0;
  const { container } = render(MemberPage, { id: one.id, onback: () => back++, onsaved: () => {}, onerror: () => {} });
  await screen.findByTestId('member-name');
  expect(container.textContent).not.toContain(one.id);
  // Nothing edited: back goes back at once.
  await fireEvent.click(screen.getByTestId('back'));
  expect(back).toBe(1);
  await fireEvent.input(screen.getByTestId('member-notes'), { target: { value: 'Met in Lima' } });
  await fireEvent.click(screen.getByTestId('back'));
  expect(back).toBe(1);
  expect(screen.getByTestId('leave-confirm').textContent).toContain('not saved');
  await fireEvent.click(screen.getByTestId('leave-anyway'));
  expect(back).toBe(2);
});

it('offers languages by name and the roster\'s countries as one types', async () => {
  const one = member(MEMBERS[1]);
  mockIPC(() => one);
  render(MemberPage, { id: one.id, onback: () => {}, onsaved: () => {}, onerror: () => {}, countries: ['Mexico', 'Senegal'], organisations: ['Oxfam'] });
  const select = (await screen.findByTestId('language-select')) as HTMLSelectElement;
  expect(select.value).toBe('en');
  expect([...select.options].map((o) => o.textContent)).toContain('Spanish');
  await waitFor(() => expect(document.querySelectorAll('#known-countries option')).toHaveLength(2));
});

it('saves the edits when one chooses to stay and save', async () => {
  const calls: [string, unknown][] = [];
  const one = member(MEMBERS[1]);
  mockIPC((cmd, args) => {
    calls.push([cmd, args]);
    if (cmd === 'member_update') {
      const patch = (args as { patch: { country: string } }).patch;
      return { ...one, country: patch.country };
    }
    return one;
  });
  const saved: string[] = [];
  let back = 0;
  render(MemberPage, { id: one.id, onback: () => back++, onsaved: (m) => saved.push(m.country ?? ''), onerror: () => {} });
  await screen.findByTestId('member-name');
  const country = screen.getByLabelText('Country') as HTMLInputElement;
  await fireEvent.input(country, { target: { value: 'Senegal' } });
  await fireEvent.click(screen.getByTestId('back'));
  await fireEvent.click(await screen.findByTestId('stay-save'));
  await waitFor(() => expect(calls.some(([c]) => c === 'member_update')).toBe(true));
  const update = calls.find(([c]) => c === 'member_update')?.[1] as { id: string; patch: { country: string } };
  expect(update.id).toBe(one.id);
  expect(update.patch.country).toBe('Senegal');
  await waitFor(() => expect(saved).toEqual(['Senegal']));
  expect(screen.getByTestId('saved')).toBeTruthy();
  expect(back).toBe(0);
  expect(screen.queryByTestId('leave-confirm')).toBeNull();
});

it('labels the language menu as what it is and names accounts without mailto:', async () => {
  const one = member(MEMBERS[1]);
  one.identities = [{ id: 'i2', source_kind: 'mbox', source_name: 'list', external_id: 'mailto:j@x.org', handle: null, email: 'j@x.org', shown: 'j@x.org' }];
  mockIPC(() => one);
  const { container } = render(MemberPage, { id: one.id, onback: () => {}, onsaved: () => {}, onerror: () => {} });
  await screen.findByTestId('member-name');
  const select = screen.getByTestId('language-select');
  const label = select.closest('label')?.textContent ?? '';
  expect(label).toContain('Preferred language');
  expect(label).not.toMatch(/two letters/i);
  expect(container.textContent).toContain('j@x.org');
  expect(container.textContent).not.toContain('mailto:');
  // The address is said once, not twice.
  expect(container.textContent?.split('j@x.org').length).toBe(2);
});

it('saves the name a member goes by, shown blank until set', async () => {
  const calls: [string, unknown][] = [];
  const one = member(MEMBERS[1]);
  mockIPC((cmd, args) => {
    calls.push([cmd, args]);
    return one;
  });
  render(MemberPage, { id: one.id, onback: () => {}, onsaved: () => {}, onerror: () => {} });
  const field = (await screen.findByTestId('member-preferred-name')) as HTMLInputElement;
  expect(field.value).toBe('');
  expect(field.placeholder).toBe(one.display_name);
  await fireEvent.input(field, { target: { value: 'Jo' } });
  await fireEvent.click(screen.getByTestId('save'));
  await waitFor(() => expect(calls.some(([c]) => c === 'member_update')).toBe(true));
  const [, args] = calls.find(([c]) => c === 'member_update')!;
  expect((args as { patch: { preferred_name: string } }).patch.preferred_name).toBe('Jo');
});

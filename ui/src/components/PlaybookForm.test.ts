import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import PlaybookForm from './PlaybookForm.svelte';
import KitTemplateForm from './KitTemplateForm.svelte';
import type { Playbook } from '../lib/bindings/Playbook';
import type { TemplateForm } from '../lib/bindings/TemplateForm';

afterEach(() => {
  cleanup();
  clearMocks();
});

const BOOK: Playbook = {
  name: 'Our plan',
  phases: [{ id: 'build', title: 'Build', first_day: 0, last_day: 90 }],
  steps: [
    {
      id: 'purpose', phase: 'build', title: 'Agree the purpose', due_day: 7, owner: 'leader', builds: 'purpose',
      why: 'A shared purpose.', how: 'Write it down.', tips: ['Keep it short.', 'Ask members.'], done_when: null,
    },
  ],
};

describe('PlaybookForm', () => {
  it('edits steps as fields and sends the core a playbook, tips one a line', async () => {
    const saved: Playbook[] = [];
    mockIPC((cmd, args) => {
      if (cmd === 'playbook_get') return structuredClone(BOOK);
      if (cmd === 'playbook_save_form') {
        saved.push((args as { playbook: Playbook }).playbook);
        return (args as { playbook: Playbook }).playbook;
      }
      throw { code: 'db', message: `unexpected ${cmd}` };
    });
    let done = 0;
    render(PlaybookForm, { onerror: (e) => { throw new Error(e.message); }, ondone: () => done++, ontext: () => {} });
    const title = await screen.findByTestId('playbook-step-title');
    await fireEvent.input(title, { target: { value: 'Agree the purpose together' } });
    await fireEvent.click(screen.getByTestId('playbook-add-step'));
    expect(screen.getAllByTestId('playbook-step')).toHaveLength(2);
    const done2 = screen.getAllByTestId('playbook-step-done')[1];
    await fireEvent.change(done2, { target: { value: 'replies' } });
    await fireEvent.click(screen.getByTestId('playbook-save'));
    await waitFor(() => expect(done).toBe(1));
    const book = saved[0];
    expect(book.steps[0].title).toBe('Agree the purpose together');
    expect(book.steps[0].tips).toEqual(['Keep it short.', 'Ask members.']);
    expect(book.steps[1].id).toBe('step_1');
    expect(book.steps[1].done_when).toEqual({ kind: 'replies', count: 1 });
  });

  it('shows the core\'s refusal and stays open', async () => {
    mockIPC((cmd) => {
      if (cmd === 'playbook_get') return structuredClone(BOOK);
      throw { code: 'playbook', message: "playbook the playbook form: step id 'purpose' is used twice" };
    });
    const errors: string[] = [];
    let done = 0;
    render(PlaybookForm, { onerror: (e) => errors.push(e.message), ondone: () => done++, ontext: () => {} });
    await fireEvent.click(await screen.findByTestId('playbook-save'));
    await waitFor(() => expect(errors).toHaveLength(1));
    expect(errors[0]).toContain('used twice');
    expect(done).toBe(0);
  });
});

describe('KitTemplateForm', () => {
  it('edits sections and lists the placeholders the core allows', async () => {
    const form: TemplateForm = {
      name: 'welcome', lang: 'fr', title: 'Bienvenue dans {community}', message: 'Bonjour {first_name}',
      sections: [
        { id: 'welcome', title: 'Bienvenue', body: 'Cher·e {recipient}' },
        { id: 'norms', title: 'Nos règles', body: '- Posez vos questions' },
      ],
      placeholders: ['community', 'first_name', 'recipient'],
    };
    const saved: TemplateForm[] = [];
    mockIPC((cmd, args) => {
      if (cmd === 'kit_template_form') return structuredClone(form);
      if (cmd === 'kit_template_save_form') return void saved.push((args as { form: TemplateForm }).form);
      throw { code: 'db', message: `unexpected ${cmd}` };
    });
    let done = 0;
    const { container } = render(KitTemplateForm, { lang: 'fr', onerror: () => {}, ondone: () => done++, ontext: () => {} });
    const body = (await screen.findAllByTestId('kit-form-body'))[1];
    expect(container.textContent).toContain('{community}, {first_name}, {recipient}');
    await fireEvent.input(body, { target: { value: '- Posez vos questions tôt' } });
    await fireEvent.click(screen.getByTestId('kit-form-save'));
    await waitFor(() => expect(done).toBe(1));
    expect(saved[0].sections[1].body).toBe('- Posez vos questions tôt');
    expect(saved[0].lang).toBe('fr');
  });
});

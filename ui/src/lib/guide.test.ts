import { describe, expect, it } from 'vitest';
import { freshId, tipsFromText, tipsToText } from './guide';

describe('the playbook form', () => {
  it('gives an added step an id no other step has', () => {
    expect(freshId('step', ['purpose', 'norms'])).toBe('step_1');
    expect(freshId('step', ['step_1', 'step_2', 'step_4'])).toBe('step_3');
    expect(freshId('section', ['step_1'])).toBe('section_1');
  });

  it('edits tips one a line and drops blank lines', () => {
    const tips = ['Ask early.', 'Credit others.'];
    expect(tipsFromText(tipsToText(tips))).toEqual(tips);
    expect(tipsFromText('  one \n\n two\n   \n')).toEqual(['one', 'two']);
  });
});

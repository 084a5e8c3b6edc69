// A failure as the facilitator reads it: the core's words in the UI language where the core
// gives them (import errors), else its message.
import type { ErrorWords } from './bindings/ErrorWords';
import type { I18n, MessageKey } from './i18n';

/** Anything that failed: an error from the core, or a failed line of the import history. */
export interface Failure {
  message?: string;
  detail?: string;
  words?: ErrorWords | null;
}

/** The whole message of `f` in the UI language. */
export function failureText(i18n: Pick<I18n, 't'>, f: Failure): string {
  if (f.words) {
    const values: Record<string, string> = {};
    for (const [name, value] of Object.entries(f.words.values)) if (value !== undefined) values[name] = value;
    return i18n.t(f.words.key as MessageKey, values);
  }
  return f.message ?? f.detail ?? '';
}

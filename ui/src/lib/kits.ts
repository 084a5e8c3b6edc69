// Small pure helpers of the kits view.
import type { MessageKey } from './i18n';

/** The export buttons: file extension and label. */
export const EXPORTS: { ext: string; label: MessageKey }[] = [
  { ext: 'html', label: 'kits.exportHtml' },
  { ext: 'pdf', label: 'kits.exportPdf' },
  { ext: 'md', label: 'kits.exportMd' },
  { ext: 'zip', label: 'kits.exportZip' },
  { ext: 'txt', label: 'kits.exportTxt' },
];

/** This month as `YYYY-MM` (local calendar). */
export function thisMonth(d: Date): string {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`;
}

/** A safe default file name for a kit: letters, digits and dashes only. */
export function kitFileName(recipient: string, ext: string): string {
  const base = recipient
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return `welcome-${base || 'kit'}.${ext}`;
}

// Screenshots of the guide for a person to look at: Today grouped by kind (with the undo
// offer after a Done) and the onboarding board, in English, French and Spanish at 1440×900
// and 1024×640. Not a test: `xvfb-run -a --server-args="-screen 0 1600x1000x24" node
// e2e/shots-guide.mjs` writes .e2e/shots/guide-*.png.
import { spawn, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Session, waitFor } from './webdriver.mjs';

const root = resolve(import.meta.dirname, '..');
const TARGET = process.env.CARGO_TARGET_DIR ? resolve(process.env.CARGO_TARGET_DIR) : join(root, 'target');
const TEND = join(TARGET, 'debug/tend');
const APP = join(TARGET, 'debug/tend-app');
const BASE = 'http://127.0.0.1:4452';
const OUT = join(root, '.e2e', 'shots');
const dir = mkdtempSync(join(tmpdir(), 'tend-shots-'));
const db = join(dir, 'tend.db');
mkdirSync(OUT, { recursive: true });
execFileSync(TEND, ['--db', db, 'demo', '--members', '300', '--seed', '7']);

const driver = spawn('tauri-driver', ['--port', '4452', '--native-port', '4453'], { env: { ...process.env, TEND_DB: db }, stdio: 'ignore' });
try {
  await waitFor('tauri-driver', async () => (await fetch(`${BASE}/status`)).ok, 20000);
  const s = await Session.start(BASE, APP, ['--db', db]);
  await s.waitFind('[data-testid="member-count"]', 30000);
  await s.click(await s.find('[data-testid="nav-guide"]'));
  await s.waitFind('[data-testid="today-group"]', 30000);
  await s.click(await s.find('[data-testid="action-done"]'));
  await s.waitFind('[data-testid="today-undo"]');
  for (const [tab, tag] of [['tab-today', 'today'], ['tab-onboarding', 'board']]) {
    await s.click(await s.find(`[data-testid="${tab}"]`));
    await new Promise((r) => setTimeout(r, 800));
    for (const [w, h] of [[1440, 900], [1024, 640]]) {
      await s.cmd('POST', '/window/rect', { x: 0, y: 0, width: w, height: h });
      for (const lang of ['en', 'fr', 'es']) {
        await s.execute(`const el = document.querySelector('[data-testid="locale"]'); el.value = '${lang}'; el.dispatchEvent(new Event('change'));`);
        await new Promise((r) => setTimeout(r, 400));
        writeFileSync(join(OUT, `guide-${tag}-${lang}-${w}x${h}.png`), await s.screenshot());
      }
    }
  }
  await s.end();
} finally {
  driver.kill();
}

// Screenshots of the screens #17 added, for a person to look at: removing the demo, the
// start form's date, countries in the roster, the Sync view's name and leave question, the
// playbook form and the kit template form, in English, French and Spanish at 1440×900 and
// 1024×640. Not a test: `xvfb-run -a --server-args="-screen 0 1600x1000x24" node
// e2e/shots-forms.mjs` writes .e2e/shots/forms-*.png.
import { spawn, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Session, waitFor } from './webdriver.mjs';

const root = resolve(import.meta.dirname, '..');
const TARGET = process.env.CARGO_TARGET_DIR ? resolve(process.env.CARGO_TARGET_DIR) : join(root, 'target');
const TEND = join(TARGET, 'debug/tend');
const APP = join(TARGET, 'debug/tend-app');
const BASE = 'http://127.0.0.1:4470';
const OUT = join(root, '.e2e', 'shots');
const dir = mkdtempSync(join(tmpdir(), 'tend-shots-'));
mkdirSync(OUT, { recursive: true });
const db = join(dir, 'demo.db');
execFileSync(TEND, ['--db', db, 'demo', '--members', '120', '--seed', '3']);
mkdirSync(join(dir, 'shared'));
execFileSync(TEND, ['--db', db, 'sync', 'name', 'Kisumu office']);

const SIZES = [[1440, 900], [1024, 640]];
const pause = (ms) => new Promise((r) => setTimeout(r, ms));

async function shoot(s, tag, prepare) {
  for (const [w, h] of SIZES) {
    await s.cmd('POST', '/window/rect', { x: 0, y: 0, width: w, height: h });
    for (const lang of ['en', 'fr', 'es']) {
      await s.execute(`const el = document.querySelector('[data-testid="locale"]'); el.value = '${lang}'; el.dispatchEvent(new Event('change'));`);
      await pause(500);
      if (prepare) await prepare();
      writeFileSync(join(OUT, `forms-${tag}-${lang}-${w}x${h}.png`), await s.screenshot());
    }
  }
}

const driver = spawn('tauri-driver', ['--port', '4470', '--native-port', '4471'], { stdio: 'ignore' });
try {
  await waitFor('tauri-driver', async () => (await fetch(`${BASE}/status`)).ok, 20000);
  const s = await Session.start(BASE, APP, ['--db', db]);
  await s.waitFind('[data-testid="member-row"]', 30000);
  await shoot(s, 'roster');
  await s.click(await s.find('[data-testid="demo-remove"]'));
  await s.waitFind('[data-testid="demo-remove-confirm"]');
  await shoot(s, 'demo-remove');
  await s.click(await s.find('[data-testid="community-edit"]'));
  await shoot(s, 'community-form');
  await s.click(await s.find('[data-testid="nav-sync"]'));
  await s.waitFind('[data-testid="sync-name"]');
  await s.type(await s.find('[data-testid="sync-folder"]'), join(dir, 'shared'));
  await s.click(await s.find('[data-testid="sync-save"]'));
  await pause(500);
  await s.erase(await s.find('[data-testid="sync-folder"]'));
  await s.click(await s.find('[data-testid="sync-save"]'));
  await s.waitFind('[data-testid="sync-leave-confirm"]');
  await shoot(s, 'sync');
  await s.click(await s.find('[data-testid="nav-guide"]'));
  await s.click(await s.waitFind('[data-testid="tab-plan"]'));
  await s.click(await s.waitFind('[data-testid="plan-edit"]', 30000));
  await shoot(s, 'playbook', async () => {
    const open = await s.findAll('[data-testid="playbook-step"][open]');
    if (open.length === 0) await s.click(await s.waitFind('[data-testid="playbook-step"] summary'));
  });
  await s.click(await s.find('[data-testid="nav-kits"]'));
  await s.click(await s.waitFind('[data-testid="kit-edit-template"]'));
  await shoot(s, 'kit-template', async () => {
    await s.waitFind('[data-testid="kit-form-section"] summary', 30000);
    const open = await s.findAll('[data-testid="kit-form-section"][open]');
    if (open.length === 0) await s.click(await s.find('[data-testid="kit-form-section"] summary'));
  });
  await s.end();
} finally {
  driver.kill();
}

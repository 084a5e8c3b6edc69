// Screenshots of the Sync view for a person to look at: English, French and Spanish, at
// 1440×900 and 1024×640, with a stranger's unsealed files set aside and the confirmation
// before removing the passphrase open. Not a test: `xvfb-run -a --server-args="-screen 0
// 1600x1000x24" node e2e/shots.mjs` writes .e2e/shots/*.png.
import { spawn, execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Session, waitFor } from './webdriver.mjs';

const root = resolve(import.meta.dirname, '..');
const TARGET = process.env.CARGO_TARGET_DIR ? resolve(process.env.CARGO_TARGET_DIR) : join(root, 'target');
const TEND = join(TARGET, 'debug/tend');
const APP = join(TARGET, 'debug/tend-app');
const BASE = 'http://127.0.0.1:4446';
const OUT = join(root, '.e2e', 'shots');
const dir = mkdtempSync(join(tmpdir(), 'tend-shots-'));
const db = join(dir, 'tend.db');
const shared = join(dir, 'shared');

mkdirSync(OUT, { recursive: true });
mkdirSync(shared, { recursive: true });
execFileSync(TEND, ['--db', db, 'demo', '--members', '120', '--seed', '3']);
const plain = { ...process.env };
delete plain.TEND_SYNC_PASSPHRASE;
const theirs = join(dir, 'stranger');
mkdirSync(theirs);
execFileSync(TEND, ['--db', join(dir, 'stranger.db'), 'init', '--name', 'Not yours'], { env: plain });
execFileSync(TEND, ['--db', join(dir, 'stranger.db'), 'sync', '--folder', theirs], { env: plain });

const driver = spawn('tauri-driver', ['--port', '4446', '--native-port', '4447'], { env: { ...process.env, TEND_DB: db }, stdio: 'ignore' });
try {
  await waitFor('tauri-driver', async () => (await fetch(`${BASE}/status`)).ok, 20000);
  const s = await Session.start(BASE, APP, ['--db', db]);
  await s.waitFind('[data-testid="member-count"]', 30000);
  await s.click(await s.find('[data-testid="nav-sync"]'));
  await s.type(await s.waitFind('[data-testid="sync-folder"]'), shared);
  await s.type(await s.find('[data-testid="sync-passphrase"]'), 'river stone lantern');
  await s.click(await s.find('[data-testid="sync-save"]'));
  await s.click(await s.waitFind('[data-testid="sync-now"]:not([disabled])'));
  await s.waitFind('[data-testid="sync-report"]', 60000);
  for (const d of readdirSync(theirs)) cpSync(join(theirs, d), join(shared, d), { recursive: true });
  await s.click(await s.find('[data-testid="sync-now"]'));
  await new Promise((r) => setTimeout(r, 3000));
  for (const [w, h] of [[1440, 900], [1024, 640]]) {
    await s.cmd('POST', '/window/rect', { x: 0, y: 0, width: w, height: h });
    for (const lang of ['en', 'fr', 'es']) {
      await s.execute(`const el = document.querySelector('[data-testid="locale"]'); el.value = '${lang}'; el.dispatchEvent(new Event('change'));`);
      await new Promise((r) => setTimeout(r, 500));
      const unseal = await s.findAll('[data-testid="sync-unseal"]');
      if (unseal.length) await s.click(unseal[0]);
      await s.execute('document.querySelector(\'[data-testid="sync-unseal-confirm"]\')?.scrollIntoView()');
      await new Promise((r) => setTimeout(r, 500));
      writeFileSync(join(OUT, `sync-${lang}-${w}x${h}.png`), await s.screenshot());
    }
  }
  await s.end();
} finally {
  driver.kill();
}

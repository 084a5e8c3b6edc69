// What every screenshot script shares: the app under tauri-driver on its own port, and a
// view shot at 1440×900 and 1024×640 in English, French and Spanish into .e2e/shots/.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Session, waitFor } from './webdriver.mjs';

const root = resolve(import.meta.dirname, '..');
const TARGET = process.env.CARGO_TARGET_DIR ? resolve(process.env.CARGO_TARGET_DIR) : join(root, 'target');
/** The command line and the app, as `make build` leaves them. */
export const TEND = join(TARGET, 'debug/tend');
export const APP = join(TARGET, 'debug/tend-app');
export const OUT = join(root, '.e2e', 'shots');
export const SIZES = [[1440, 900], [1024, 640]];
export const LANGS = ['en', 'fr', 'es'];
export const pause = (ms) => new Promise((r) => setTimeout(r, ms));

/** Opens the app on `db` (tauri-driver on `port` and `port + 1`), waits for `ready`, runs
 * `fn(session)`, closes. */
export async function withApp(port, db, fn, ready = '[data-testid="member-count"]') {
  mkdirSync(OUT, { recursive: true });
  const base = `http://127.0.0.1:${port}`;
  const driver = spawn('tauri-driver', ['--port', String(port), '--native-port', String(port + 1)], { env: { ...process.env, TEND_DB: db }, stdio: 'ignore' });
  try {
    await waitFor('tauri-driver', async () => (await fetch(`${base}/status`)).ok, 20000);
    const s = await Session.start(base, APP, ['--db', db]);
    await s.waitFind(ready, 30000);
    await fn(s);
    await s.end();
  } finally {
    driver.kill();
  }
}

/** Shoots the window as `<tag>-<lang>-<w>x<h>.png` at each size and language; `prepare`
 * runs before each shot (to open, scroll or wait for something). */
export async function shoot(s, tag, prepare) {
  for (const [w, h] of SIZES) {
    await s.cmd('POST', '/window/rect', { x: 0, y: 0, width: w, height: h });
    for (const lang of LANGS) {
      await s.execute(`const el = document.querySelector('[data-testid="locale"]'); el.value = '${lang}'; el.dispatchEvent(new Event('change'));`);
      await pause(800);
      if (prepare) await prepare();
      writeFileSync(join(OUT, `${tag}-${lang}-${w}x${h}.png`), await s.screenshot());
    }
  }
}

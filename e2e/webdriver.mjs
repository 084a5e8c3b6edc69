// A small W3C WebDriver client on Node's fetch: just what Tend's end-to-end run needs.

const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';

export class WebDriverError extends Error {}

async function request(base, method, path, body) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json().catch(() => ({}));
  if (!res.ok) {
    const v = json.value ?? {};
    throw new WebDriverError(`${method} ${path}: ${v.error ?? res.status} ${v.message ?? ''}`.trim());
  }
  return json.value;
}

/** Waits until `fn` returns a truthy value, or throws with `what` after `ms`. */
export async function waitFor(what, fn, ms = 15000) {
  const end = Date.now() + ms;
  let last;
  while (Date.now() < end) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${last.message}` : ''}`);
}

export class Session {
  constructor(base, id) {
    this.base = base;
    this.id = id;
  }

  /** Opens the app through tauri-driver. */
  static async start(base, application, args = []) {
    const caps = { capabilities: { alwaysMatch: { 'tauri:options': { application, args } } } };
    const value = await request(base, 'POST', '/session', caps);
    return new Session(base, value.sessionId);
  }

  cmd(method, path, body) {
    return request(this.base, method, `/session/${this.id}${path}`, body);
  }

  async find(css) {
    const v = await this.cmd('POST', '/element', { using: 'css selector', value: css });
    return v[ELEMENT];
  }

  async findAll(css) {
    const v = await this.cmd('POST', '/elements', { using: 'css selector', value: css });
    return v.map((e) => e[ELEMENT]);
  }

  /** Finds `css`, waiting for it to appear. */
  waitFind(css, ms) {
    return waitFor(css, () => this.find(css), ms);
  }

  click(el) {
    return this.cmd('POST', `/element/${el}/click`, {});
  }

  type(el, text) {
    return this.cmd('POST', `/element/${el}/value`, { text });
  }

  clear(el) {
    return this.cmd('POST', `/element/${el}/clear`, {});
  }

  /** Empties a text field as typing would: WebDriver's clear fires no `input` event, which
   * a Svelte binding listens to. */
  erase(el) {
    return this.execute(
      "const e = arguments[0]; e.value = ''; e.dispatchEvent(new Event('input', { bubbles: true })); e.dispatchEvent(new Event('change', { bubbles: true }));",
      [{ [ELEMENT]: el }],
    );
  }

  text(el) {
    return this.cmd('GET', `/element/${el}/text`);
  }

  property(el, name) {
    return this.cmd('GET', `/element/${el}/property/${name}`);
  }

  execute(script, args = []) {
    return this.cmd('POST', '/execute/sync', { script, args });
  }

  async screenshot() {
    return Buffer.from(await this.cmd('GET', '/screenshot'), 'base64');
  }

  end() {
    return this.cmd('DELETE', '');
  }
}

// Where keyboard focus goes when the element holding it goes away: kept here, apart from the
// views, so the rules can be unit-tested. Focus is never left to fall to the page.

/** The key to focus once `gone` leaves the list `keys` (shown in that order): the item that
 * came after it, else the one before it, else none (the list is empty). A key not in the
 * list keeps focus where it is: the first item. */
export function nextKeyAfter(keys: readonly string[], gone: string): string | null {
  const at = keys.indexOf(gone);
  const rest = keys.filter((k) => k !== gone);
  if (rest.length === 0) return null;
  if (at < 0) return rest[0];
  return rest[Math.min(at, rest.length - 1)];
}

/** Moves focus to `el` (made focusable by script if it is not), or to `fallback` when `el`
 * is gone; returns whether focus moved. */
export function focusOr(el: HTMLElement | null | undefined, fallback?: HTMLElement | null): boolean {
  const target = el?.isConnected ? el : fallback?.isConnected ? fallback : null;
  if (!target) return false;
  if (target.tabIndex < 0 && !target.hasAttribute('tabindex')) target.tabIndex = -1;
  target.focus();
  return document.activeElement === target;
}

/** The control within `node` to focus first: the one marked `data-initial-focus` (the
 * answer that changes nothing), else the first a person can press or type into. */
export function firstControl(node: HTMLElement): HTMLElement | null {
  return node.querySelector<HTMLElement>('[data-initial-focus]') ?? node.querySelector<HTMLElement>('button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), a[href], [tabindex]:not([tabindex="-1"])');
}

/** A Svelte action for an inline question (`role="alertdialog"`): focus moves into it when it
 * opens (its first control), Escape answers it with `oncancel`, and focus goes back to the
 * control that opened it when it closes — if that control is still there and focus was in
 * the question or fell to the page. */
export function dialogFocus(node: HTMLElement, options: { oncancel?: () => void } = {}) {
  let opts = options;
  const opener = document.activeElement instanceof HTMLElement && document.activeElement !== document.body ? document.activeElement : null;
  focusOr(firstControl(node), node);
  const onkey = (e: KeyboardEvent) => {
    if (e.key === 'Escape' && opts.oncancel) {
      e.preventDefault();
      e.stopPropagation();
      opts.oncancel();
    }
  };
  node.addEventListener('keydown', onkey);
  return {
    update(next: { oncancel?: () => void }) {
      opts = next;
    },
    destroy() {
      node.removeEventListener('keydown', onkey);
      const had = node.contains(document.activeElement) || document.activeElement === document.body || document.activeElement === null;
      // After the DOM settles: the opener may come back in the same update.
      queueMicrotask(() => {
        const lost = had || document.activeElement === document.body || document.activeElement === null;
        if (lost && opener?.isConnected) opener.focus();
      });
    },
  };
}

/** A Svelte action for the window's main region: when the element holding focus is taken
 * out of the page (a row opened, a question answered, a view changed) and focus falls to
 * the page, it goes to the region's first heading instead (else the region itself). Views
 * that know better (Today's next action) move it on from there. */
export function keepFocus(root: HTMLElement) {
  let last: Element | null = null;
  const track = (e: FocusEvent) => {
    last = e.target instanceof Element ? e.target : null;
  };
  const observer = new MutationObserver(() => {
    const lost = document.activeElement === null || document.activeElement === document.body;
    if (lost && last && !last.isConnected) {
      last = null;
      focusOr(root.querySelector<HTMLElement>('h1, h2'), root);
    }
  });
  document.addEventListener('focusin', track);
  observer.observe(root, { childList: true, subtree: true });
  return {
    destroy() {
      document.removeEventListener('focusin', track);
      observer.disconnect();
    },
  };
}

// Svelte actions that set styles through the CSSOM, which the strict CSP (no inline
// style attributes) allows.

/** Sets the element's height in pixels, and keeps it in step with the parameter. */
export function cssHeight(node: HTMLElement, px: number) {
  node.style.height = `${px}px`;
  return {
    update(next: number) {
      node.style.height = `${next}px`;
    },
  };
}

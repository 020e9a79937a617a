/**
 * DOM helpers of the dashboard page. Text goes in through textContent only, never as HTML:
 * messages and error texts come from whatever a bot or a test sent.
 *
 * @module
 */

type Child = Node | string | number | undefined | false;

/** An element with attributes and children (strings become text nodes). */
export function h(
  tag: string,
  attrs: Record<string, string | undefined> = {},
  ...children: Child[]
): HTMLElement {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value !== undefined) el.setAttribute(name, value);
  }
  for (const child of children) {
    if (child === undefined || child === false) continue;
    el.append(typeof child === 'number' ? String(child) : child);
  }
  return el;
}

/** The element with this id (the page's markup has them all). */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`dashboard: no #${id}`);
  return el as T;
}

/** A virtual-clock time as `YYYY-MM-DD HH:MM:SS` (UTC). */
export function time(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

/** Keeps a select's options in step with `values`, keeping the choice; `any` labels "all". */
export function fillSelect(
  select: HTMLSelectElement,
  any: string,
  values: readonly string[],
): void {
  const wanted = ['', ...values];
  const have = [...select.options].map((o) => o.value);
  if (have.length === wanted.length && have.every((v, i) => v === wanted[i])) return;
  const chosen = select.value;
  select.replaceChildren(...wanted.map((v) => h('option', { value: v }, v === '' ? any : v)));
  select.value = wanted.includes(chosen) ? chosen : '';
}

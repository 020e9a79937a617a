/**
 * Renders the dashboard's sections from the state the emulator answered.
 *
 * @module
 */
import type { DashboardChannel, DashboardState } from '../snapshot.js';
import type { RequestEntry, TokenEvent } from '../../internal/events.js';
import { byId, fillSelect, h, time } from './dom.js';

/** Channels, each with its 30-slot v2.1 gauge and the counts of the other families. */
export function renderChannels(channels: DashboardChannel[]): void {
  byId('channels').replaceChildren(
    ...channels.map((c) => {
      const slots: HTMLElement[] = [];
      for (let i = 0; i < c.limit; i++) {
        const s = c.v21[i];
        slots.push(
          h('div', {
            class: `slot${s ? ` ${s.state}` : ''}`,
            title: s
              ? `${s.state} · key_id ${s.keyId} · ${s.token} · expires ${s.expiresAt === null ? 'never' : time(s.expiresAt)}`
              : 'free',
          }),
        );
      }
      return h(
        'div',
        { class: 'channel', 'data-channel': c.id },
        h('h3', {}, `Channel ${c.id}`),
        h(
          'div',
          {},
          'v2.1 ',
          h('b', { class: 'v21-count' }, `${c.v21.length} / ${c.limit}`),
          ' live',
        ),
        h(
          'div',
          {
            class: 'gauge',
            role: 'img',
            'aria-label': `${c.v21.length} of ${c.limit} v2.1 slots taken`,
          },
          ...slots,
        ),
        h(
          'div',
          { class: 'muted' },
          'short-lived ',
          h('b', { class: 'short-count' }, c.shortLived),
          ` / ${c.limit} · long-lived `,
          h('b', { class: 'long-count' }, c.longLived),
          ` · keys ${c.keys.length === 0 ? 'none' : c.keys.map((k) => k.slice(0, 8)).join(', ')}`,
        ),
      );
    }),
  );
}

/** One checkbox per operation: a fault rule of its own or none. */
export function renderFaults(
  state: DashboardState,
  toggle: (operation: string, on: boolean) => void,
): void {
  const box = byId('faults');
  if (box.childElementCount !== state.operations.length) {
    box.replaceChildren(
      ...state.operations.map((op) => {
        const input = h('input', { type: 'checkbox', 'data-fault': op }) as HTMLInputElement;
        input.addEventListener('change', () => toggle(op, input.checked));
        return h('label', {}, input, ` ${op}`);
      }),
    );
  }
  for (const input of box.querySelectorAll<HTMLInputElement>('input[data-fault]')) {
    input.checked = state.faults.includes(input.dataset['fault'] ?? '');
  }
}

/** The token timeline of the chosen channel (or all), newest first. */
export function renderTimeline(events: TokenEvent[], channelIds: string[]): void {
  const select = byId<HTMLSelectElement>('timeline-channel');
  fillSelect(select, 'all channels', channelIds);
  const shown = events.filter((e) => select.value === '' || e.channelId === select.value);
  byId('timeline').replaceChildren(
    ...shown
      .slice()
      .reverse()
      .map((e) =>
        h(
          'li',
          { 'data-kind': e.kind, 'data-family': e.family },
          h('code', {}, time(e.at)),
          ` ${e.kind} ${e.family} `,
          h('code', {}, e.token),
          e.keyId !== undefined && ` key_id ${e.keyId.slice(0, 8)}`,
          select.value === '' && h('span', { class: 'muted' }, ` · ${e.channelId}`),
        ),
      ),
  );
}

/** The request log, filtered by channel, operation and status. */
export function renderRequests(requests: RequestEntry[], channelIds: string[]): void {
  const channel = byId<HTMLSelectElement>('log-channel');
  const operation = byId<HTMLSelectElement>('log-operation');
  const status = byId<HTMLSelectElement>('log-status').value;
  fillSelect(channel, 'all channels', channelIds);
  fillSelect(operation, 'all operations', [...new Set(requests.map((r) => r.operation))].sort());
  const refused = (r: RequestEntry) => r.status === 'reset' || r.status >= 400;
  const shown = requests.filter(
    (r) =>
      (channel.value === '' || r.channelId === channel.value) &&
      (operation.value === '' || r.operation === operation.value) &&
      (status === '' || (status === 'refused') === refused(r)),
  );
  byId('requests').replaceChildren(
    ...shown
      .slice()
      .reverse()
      .map((r) =>
        h(
          'tr',
          {
            class: refused(r) ? 'refused' : undefined,
            'data-status': String(r.status),
            'data-operation': r.operation,
          },
          h('td', {}, h('code', {}, time(r.at))),
          h('td', {}, r.channelId ?? '?'),
          h('td', {}, r.operation),
          h('td', {}, String(r.status)),
          h('td', { class: 'error' }, r.error ?? ''),
          h('td', {}, h('code', { class: 'rule' }, r.rule ?? '')),
        ),
      ),
  );
}

/** What the bot sent on the chosen channel. */
export function renderChat(channels: DashboardChannel[]): void {
  const select = byId<HTMLSelectElement>('chat-channel');
  const ids = channels.map((c) => c.id);
  fillSelect(select, 'choose a channel', ids);
  if (select.value === '' && ids[0] !== undefined) select.value = ids[0];
  const channel = channels.find((c) => c.id === select.value);
  byId('chat').replaceChildren(
    ...(channel?.messages ?? []).map((m) =>
      h(
        'div',
        { class: 'message bot', 'data-endpoint': m.endpoint },
        h(
          'div',
          { class: 'muted' },
          `${m.endpoint}${m.to === undefined ? '' : ` to ${m.to}`} · ${time(m.receivedAt)}`,
        ),
        ...m.texts.map((t) => h('div', { class: 'text' }, t)),
      ),
    ),
  );
}

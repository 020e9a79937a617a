/**
 * The emulator dashboard's script: polls the emulator's state through the admin API, renders
 * it, and drives the clock, faults and chat through the same admin routes code uses.
 *
 * @module
 */
import type { DashboardState } from '../snapshot.js';
import type { RequestEntry, TokenEvent } from '../../internal/events.js';
import { byId } from './dom.js';
import {
  renderChannels,
  renderChat,
  renderFaults,
  renderRequests,
  renderTimeline,
} from './render.js';

const ADMIN = '/__emulator/';
// Often enough to feel live, rare enough to cost the emulator nothing.
const POLL_MS = 1000;
const KEPT = 1000;

let seq = 0;
let last: DashboardState | undefined;
let tokenEvents: TokenEvent[] = [];
let requests: RequestEntry[] = [];
let timer: ReturnType<typeof setTimeout> | undefined;

function notice(text: string): void {
  byId('notice').textContent = text;
}

/** Calls an admin route; a refusal is shown with the emulator's message. */
async function admin(method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(ADMIN + path, {
    method,
    ...(body !== undefined && {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }),
  });
  const data = (await res.json().catch(() => ({}))) as { message?: string };
  if (!res.ok) throw new Error(data.message ?? `HTTP ${res.status}`);
  return data;
}

function render(): void {
  if (!last) return;
  const ids = last.channels.map((c) => c.id);
  byId('clock').textContent = new Date(last.now).toISOString().replace('T', ' ').slice(0, 19);
  renderChannels(last.channels);
  renderFaults(last, (op, on) => void toggleFault(op, on));
  renderTimeline(tokenEvents, ids);
  renderRequests(requests, ids);
  renderChat(last.channels);
}

async function poll(): Promise<void> {
  clearTimeout(timer);
  try {
    const state = (await admin('GET', `dashboard/state?since=${seq}`)) as DashboardState;
    // A smaller seq: another emulator answers on this port now; start over.
    if (state.seq < seq) tokenEvents = requests = [];
    tokenEvents = tokenEvents.concat(state.tokenEvents).slice(-KEPT);
    requests = requests.concat(state.requests).slice(-KEPT);
    seq = state.seq;
    last = state;
    render();
    document.body.dataset['seq'] = String(seq);
  } catch (err) {
    notice(`emulator not reachable: ${(err as Error).message}`);
  }
  timer = setTimeout(() => void poll(), POLL_MS);
}

/** Runs a control, shows its refusal if any, and refreshes at once. */
async function act(work: () => Promise<unknown>): Promise<void> {
  try {
    await work();
    notice('');
  } catch (err) {
    notice((err as Error).message);
  }
  await poll();
}

async function toggleFault(operation: string, on: boolean): Promise<void> {
  await act(async () => {
    const current = (await admin('GET', 'faults')) as {
      global?: unknown;
      operations?: Record<string, unknown>;
    };
    const operations = { ...current.operations };
    if (on) {
      operations[operation] = {
        random: [{ probability: 1, fault: { type: 'status', status: 500 } }],
      };
    } else delete operations[operation];
    // The seed is left out: sending it would restart the fault RNG.
    await admin('PUT', 'faults', {
      ...(current.global !== undefined && { global: current.global }),
      ...(Object.keys(operations).length > 0 && { operations }),
    });
  });
}

for (const button of document.querySelectorAll<HTMLButtonElement>('button[data-advance]')) {
  button.addEventListener('click', () => {
    const advanceSec = Number(button.dataset['advance']);
    void act(() => admin('POST', 'clock', { advanceSec }));
  });
}

for (const id of [
  'timeline-channel',
  'log-channel',
  'log-operation',
  'log-status',
  'chat-channel',
]) {
  byId(id).addEventListener('change', render);
}

byId<HTMLFormElement>('send').addEventListener('submit', (event) => {
  event.preventDefault();
  const form = event.currentTarget as HTMLFormElement;
  const data = new FormData(form);
  const channelId = byId<HTMLSelectElement>('chat-channel').value;
  const userId = String(data.get('userId') ?? '');
  const text = String(data.get('text') ?? '');
  if (channelId === '' || text === '') return;
  void act(async () => {
    await admin('POST', `channels/${encodeURIComponent(channelId)}/messages/from-user`, {
      userId,
      text,
    });
    (form.elements.namedItem('text') as HTMLInputElement).value = '';
  });
});

void poll();

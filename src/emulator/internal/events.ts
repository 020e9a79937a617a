/**
 * What happened in the emulator, for its dashboard: a token timeline (issue, refresh,
 * revoke, expiry, eviction) and a request log, each a bounded ring on the virtual clock.
 * Tokens are kept only as a short recognisable prefix, never whole: the log is shown on a
 * web page and must hold nothing that works as a credential.
 *
 * @module
 */
import type { EmulatorTokenFamily } from '../types.js';

/** What happened to a token. `refresh`: issued while the channel held a live one of its family. */
export type TokenEventKind = 'issue' | 'refresh' | 'revoke' | 'expire' | 'evict';

/** One entry of the token timeline. */
export interface TokenEvent {
  seq: number;
  kind: TokenEventKind;
  channelId: string;
  family: EmulatorTokenFamily;
  /** A recognisable prefix of the token, never the whole token. */
  token: string;
  keyId?: string;
  /** When, epoch ms on the emulator clock (an expiry is dated at the token's `expiresAt`). */
  at: number;
}

/** One request to the token API or the Messaging API stand-in. */
export interface RequestEntry {
  seq: number;
  at: number;
  /** Operation name (`issueV21`) or Messaging API endpoint (`push`). */
  operation: string;
  status: number | 'reset';
  channelId?: string;
  /** LINE's error text, for a refusal. */
  error?: string;
  /** The emulator rule that produced the refusal, a short id such as `assertion.signature`. */
  rule?: string;
}

/** A bounded list that forgets its oldest entries; entries carry increasing `seq` numbers. */
export class Ring<T extends { seq: number }> {
  #items: T[] = [];
  readonly #capacity: number;

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  push(item: T): void {
    this.#items.push(item);
    // Trimmed in batches, not one shift() per push: amortised O(1) on the request path.
    if (this.#items.length > this.#capacity * 1.25) {
      this.#items.splice(0, this.#items.length - this.#capacity);
    }
  }

  /** Entries after `seq`, oldest first, at most the capacity. */
  since(seq: number): T[] {
    const items = this.#items;
    let from = Math.max(0, items.length - this.#capacity);
    while (from < items.length && items[from]!.seq <= seq) from++;
    return items.slice(from);
  }

  clear(): void {
    this.#items = [];
  }
}

/** Entries kept per ring: enough to scroll back through a test run, small in memory. */
export const EVENTS_KEPT = 1_000;

/**
 * A token as the dashboard shows it: the first characters of an opaque token, or of a JWS
 * token's signature (its header is the same for every token, so its start says nothing).
 * A JWS here: two non-empty parts, then at least 8 characters with no dot.
 */
export function shortToken(token: string): string {
  const first = token.indexOf('.');
  const second = first > 0 ? token.indexOf('.', first + 1) : -1;
  if (second > first + 1) {
    const start = second + 1;
    const signature = token.slice(start, start + 8);
    if (signature.length === 8 && !signature.includes('.')) return `jws…${signature}…`;
  }
  return `${token.slice(0, 8)}…`;
}

/** The timeline and request log of one emulator. */
export class EmulatorEvents {
  readonly tokens = new Ring<TokenEvent>(EVENTS_KEPT);
  readonly requests = new Ring<RequestEntry>(EVENTS_KEPT);
  #seq = 0;

  /** The number of the last entry recorded (a client asks for what came after it). */
  get seq(): number {
    return this.#seq;
  }

  token(
    kind: TokenEventKind,
    record: { token: string; family: EmulatorTokenFamily; channelId: string; keyId?: string },
    at: number,
  ): void {
    const seq = ++this.#seq;
    const { channelId, family, keyId } = record;
    const token = shortToken(record.token);
    // Two literals rather than a spread: the same members in the same order, made cheaply.
    this.tokens.push(
      keyId === undefined
        ? { seq, kind, channelId, family, token, at }
        : { seq, kind, channelId, family, token, keyId, at },
    );
  }

  /** Adds a request entry, numbering it (its `seq` as given is replaced). */
  request(entry: RequestEntry): void {
    entry.seq = ++this.#seq;
    this.requests.push(entry);
  }

  clear(): void {
    this.tokens.clear();
    this.requests.clear();
  }
}

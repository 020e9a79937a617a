/**
 * LINE's retry keys (`X-Line-Retry-Key`) on the emulator's virtual clock. [doc] A send
 * request carrying a key is executed once: a later request with the same key within 24 hours
 * of the first is refused with 409 `The retry key is already accepted` and the accepted
 * request's id in `x-line-accepted-request-id`; a push's 409 repeats the original
 * `sentMessages`. Only push, multicast, narrowcast and broadcast take a key; any other
 * endpoint answers 400. The key is a UUID in hexadecimal form.
 *
 * @module
 */
import type { Answer } from './internal/responses.js';

/** How long an accepted retry key blocks repeats, ms of the virtual clock. [doc: 24 hours] */
export const RETRY_KEY_LIFETIME_MS = 24 * 60 * 60 * 1000;
// What a tidy test suite never reaches: past it the oldest keys are forgotten. [ours]
const KEYS_KEPT = 10_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The endpoints that take a retry key. [doc] */
export const RETRYABLE_ENDPOINTS: ReadonlySet<string> = new Set([
  'push',
  'multicast',
  'narrowcast',
  'broadcast',
]);

/** A retry key on an endpoint that takes none. [doc: the status; the text is ours] */
export const RETRY_KEY_NOT_SUPPORTED: Answer = {
  status: 400,
  body: { message: 'The X-Line-Retry-Key header is not supported on this endpoint' },
};
/** A retry key that is not a UUID. [doc: the rule; the text is ours] */
export const RETRY_KEY_INVALID: Answer = {
  status: 400,
  body: { message: 'The X-Line-Retry-Key header must be a UUID' },
};

interface Accepted {
  requestId: string;
  acceptedAt: number;
  /** The accepted answer's body, repeated in the 409 (a push's `sentMessages`). */
  sentMessages?: unknown;
}

/** Accepted retry keys per channel. */
export class RetryKeys {
  readonly #accepted = new Map<string, Accepted>();

  /**
   * Checks a request's key before it is executed: undefined to go on, or the answer (400
   * for a key where none is taken or a malformed one, 409 for a repeat).
   */
  check(
    channelId: string,
    endpoint: string,
    key: string | undefined,
    now: number,
  ): Answer | undefined {
    if (key === undefined) return undefined;
    if (!RETRYABLE_ENDPOINTS.has(endpoint)) return RETRY_KEY_NOT_SUPPORTED;
    if (!UUID.test(key)) return RETRY_KEY_INVALID;
    const id = `${channelId}\u0000${key.toLowerCase()}`;
    const seen = this.#accepted.get(id);
    if (seen === undefined) return undefined;
    if (now - seen.acceptedAt >= RETRY_KEY_LIFETIME_MS) {
      this.#accepted.delete(id);
      return undefined;
    }
    return {
      status: 409,
      body: {
        message: 'The retry key is already accepted',
        ...(seen.sentMessages !== undefined && { sentMessages: seen.sentMessages }),
      },
      headers: { 'x-line-accepted-request-id': seen.requestId },
    };
  }

  /** Records a key whose request was accepted (a 200), with what its answer said. */
  accept(
    channelId: string,
    key: string,
    requestId: string,
    now: number,
    sentMessages?: unknown,
  ): void {
    const id = `${channelId}\u0000${key.toLowerCase()}`;
    this.#accepted.set(id, {
      requestId,
      acceptedAt: now,
      ...(sentMessages !== undefined && { sentMessages }),
    });
    if (this.#accepted.size > KEYS_KEPT) {
      const oldest = this.#accepted.keys().next();
      if (!oldest.done) this.#accepted.delete(oldest.value);
    }
  }

  clear(): void {
    this.#accepted.clear();
  }
}

/**
 * The messages between {@link DurableObjectTokenStore} (in every isolate) and
 * {@link LineTokenDurableObject} (one instance per store key): one JSON POST each.
 *
 * @module
 */

/** What a store asks the Durable Object. `value` is the codec's text (JSON or sealed). */
export type StoreRequest =
  | { op: 'get'; key: string }
  | { op: 'set'; key: string; value: string; ttlMs: number }
  | { op: 'delete'; key: string }
  | { op: 'lock'; key: string; owner: string; ttlMs: number }
  | { op: 'release'; key: string; owner: string }
  | { op: 'wait'; key: string; since: string | null; timeoutMs: number };

/** What the Durable Object answers: the value (for `get`), the key's version, and for locks whether it worked. */
export interface StoreResponse {
  value?: string | null;
  version: string;
  ok?: boolean;
}

/** The URL the store posts to; a Durable Object stub needs an absolute URL, never resolved on the network. */
export const STORE_URL = 'https://line-token.durable-object/';

/** The longest a `wait` is held by the Durable Object, in milliseconds, whatever was asked. */
export const MAX_WAIT_MS = 30_000;

/** Whether `body` is a well-formed {@link StoreRequest}. */
export function isStoreRequest(body: unknown): body is StoreRequest {
  if (typeof body !== 'object' || body === null) return false;
  const b = body as Record<string, unknown>;
  if (typeof b['key'] !== 'string' || b['key'] === '') return false;
  const finite = (v: unknown): boolean => typeof v === 'number' && Number.isFinite(v);
  switch (b['op']) {
    case 'get':
    case 'delete':
      return true;
    case 'set':
      return typeof b['value'] === 'string' && finite(b['ttlMs']);
    case 'lock':
      return typeof b['owner'] === 'string' && finite(b['ttlMs']);
    case 'release':
      return typeof b['owner'] === 'string';
    case 'wait':
      return (b['since'] === null || typeof b['since'] === 'string') && finite(b['timeoutMs']);
    default:
      return false;
  }
}

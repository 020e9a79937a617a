/**
 * One attempt at a new token, following the store's lock protocol: adopt a fresh stored
 * token; otherwise the holder of the lock re-reads the store, issues only if the stored
 * token is missing or due, writes it and releases, while the others wait for that write
 * instead of issuing. A store that fails degrades to this process's own token.
 *
 * @module
 */
import type { StoredToken, TokenLock } from '../store.js';
import type { Issued } from './issuer.js';
import type { Settings } from './options.js';
import { TokenStoreError } from '../../errors.js';
import type { StoreGate } from './store-gate.js';
import type { TokenSlot } from './token-slot.js';

/** What an attempt works with. */
export interface AcquireContext {
  readonly gate: StoreGate;
  readonly slot: TokenSlot;
  readonly settings: Settings;
  /** Issues a token from LINE (after the v2.1 limit check). */
  /**
   * Issues a token from LINE (after the v2.1 checks). `storedKeyId` is the store's token,
   * accounted for; `degraded` says the store could not be asked, so other processes'
   * tokens cannot be told from lost ones.
   */
  readonly issue: (storedKeyId: string | undefined, degraded: boolean) => Promise<Issued>;
}

/** Resolves once the slot holds a fresh token; rejects with the failure otherwise. */
export async function acquire(ctx: AcquireContext): Promise<void> {
  const { gate, slot, settings } = ctx;
  let stored: StoredToken | undefined;
  try {
    stored = await gate.get();
  } catch (err) {
    return degraded(ctx, err);
  }
  gate.up();
  if (slot.adoptIfFresh(stored)) return;
  if (!gate.canLock) return issueAndSave(ctx, stored);
  // Waiting for another holder is I/O, measured on the real clock like any timeout. Two
  // lock lifetimes: a holder that crashed keeps the lock until its TTL, and the waiter that
  // takes it over then needs its own turn to issue and write; with one lifetime the other
  // waiters give up just as that write is coming and back off instead of adopting it.
  const waitMs = 2 * settings.lock.ttlMs + settings.lock.pollMs;
  const deadline = Date.now() + waitMs;
  for (;;) {
    let lock: TokenLock | undefined;
    try {
      lock = await gate.lock();
    } catch (err) {
      return degraded(ctx, err);
    }
    if (lock !== undefined) return holder(ctx, lock);
    const left = deadline - Date.now();
    if (left <= 0) {
      // A lock that never expires (a key without TTL, a lock path that is a directory) or a
      // holder that never writes: work on a token of our own, as when the store is down.
      return degraded(
        ctx,
        new TokenStoreError(
          `the store's token lock stayed taken for ${waitMs} ms and no token was written: it may never expire (check the store's lock for "${gate.key}")`,
        ),
      );
    }
    try {
      await gate.wait(Math.min(settings.lock.pollMs, left));
      if (slot.adoptIfFresh(await gate.get())) return;
    } catch (err) {
      return degraded(ctx, err);
    }
  }
}

async function holder(ctx: AcquireContext, lock: TokenLock): Promise<void> {
  try {
    let stored: StoredToken | undefined;
    try {
      stored = await ctx.gate.get();
    } catch (err) {
      return await degraded(ctx, err);
    }
    if (ctx.slot.adoptIfFresh(stored)) return;
    return await issueAndSave(ctx, stored);
  } finally {
    await ctx.gate.release(lock);
  }
}

/** The store failed: this process gets its own token, its share and no more. */
async function degraded(ctx: AcquireContext, err: unknown): Promise<void> {
  ctx.gate.down(err);
  const issued = await ctx.issue(undefined, true);
  ctx.slot.adoptIssued(
    issued,
    ctx.slot.timingOf(issued.issuedAt, issued.expiresAt),
    undefined,
    false,
  );
}

async function issueAndSave(ctx: AcquireContext, replaced: StoredToken | undefined): Promise<void> {
  const issued = await ctx.issue(replaced?.keyId, false);
  const timing = ctx.slot.timingOf(issued.issuedAt, issued.expiresAt);
  let inStore = true;
  try {
    await ctx.gate.set(ctx.slot.recordOf(issued, timing));
  } catch (err) {
    // The token is ours all the same: serve it, never issue a second one for a failed write.
    ctx.gate.down(err);
    inStore = false;
  }
  ctx.slot.adoptIssued(issued, timing, replaced, inStore);
}

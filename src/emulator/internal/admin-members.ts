/**
 * The members each admin input may hold, from the admin client's own parameter types
 * ({@link EmulatorAdmin}): `optionNames` takes a record the compiler checks holds every key
 * of the type and no other, so a member added to a type cannot be refused over HTTP or
 * through `emu.admin` for want of a list entry.
 *
 * @module
 */
import { optionNames } from '../../internal/options-spec.js';
import type { EmulatorEventInput } from '../messaging-types.js';
import type { EmulatorAdmin } from '../types.js';

/** The object argument `index` of the admin method `M`, without `undefined`. */
type AdminInput<M extends keyof EmulatorAdmin, I extends number> = NonNullable<
  Parameters<EmulatorAdmin[M]>[I]
>;
/** Every key of every member of a union (`keyof` alone keeps only the shared ones). */
type AnyMemberOf<T> = { [K in T extends unknown ? keyof T : never]?: unknown };

/** The members each admin input takes. */
export const ADMIN_MEMBERS = {
  createChannel: optionNames<AdminInput<'createChannel', 0>>({ id: true, secret: true }),
  registerKey: optionNames<AdminInput<'registerKey', 2>>({ kid: true }),
  issueLongLived: optionNames<AdminInput<'issueLongLived', 1>>({ graceSec: true }),
  sendMessage: optionNames<AdminInput<'sendMessage', 1>>({
    text: true,
    userId: true,
    displayName: true,
  }),
  sendEvent: optionNames<AnyMemberOf<EmulatorEventInput>>({
    type: true,
    userId: true,
    displayName: true,
    text: true,
    data: true,
  }),
  addFriend: optionNames<AdminInput<'addFriend', 1>>({ userId: true, displayName: true }),
} as const;

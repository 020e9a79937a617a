import { InvalidArgumentError } from '../../errors.js';
import type { TokenManager } from '../manager.js';

/**
 * Refuses anything that cannot hand out and take back tokens, so a wrong argument to a
 * wrapper fails at once, by name, instead of on the first request.
 */
export function requireManager(manager: TokenManager, caller: string): void {
  const m = manager as unknown as Record<string, unknown> | null;
  if (
    typeof m !== 'object' ||
    m === null ||
    typeof m.getToken !== 'function' ||
    typeof m.invalidate !== 'function'
  ) {
    throw new InvalidArgumentError(
      'manager',
      `${caller}() needs a TokenManager (an object with getToken and invalidate)`,
    );
  }
}

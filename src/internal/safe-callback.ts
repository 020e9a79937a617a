/**
 * User callbacks (the manager's hooks, the stores' `onWarning`) made safe to call from
 * inside the library: a callback that throws, or an `async` one whose promise rejects,
 * must not break the call that reported to it nor crash the process with an unhandled
 * rejection. Done once where the options are checked, so no call site can forget it.
 *
 * Core module: no `node:` import.
 *
 * @module
 */

/**
 * `callback` wrapped so that it never throws and never leaves a rejected promise
 * unhandled: either failure goes to `onFailure` (which must not throw itself), and the
 * wrapper returns nothing, so nobody awaits a user's promise by mistake.
 */
export function safeCallback<A>(
  callback: (arg: A) => unknown,
  onFailure: (error: unknown) => void,
): (arg: A) => void {
  return (arg) => {
    let result: unknown;
    try {
      result = callback(arg);
    } catch (err) {
      onFailure(err);
      return;
    }
    // Promise.resolve also catches a thenable whose `then` throws.
    if (result !== undefined) void Promise.resolve(result).then(undefined, onFailure);
  };
}

/** A callback whose failure has no one left to tell (a warning hook): it is dropped. */
export function quietCallback<A>(callback: (arg: A) => unknown): (arg: A) => void {
  return safeCallback(callback, () => {});
}

/**
 * Admin API failures are InvalidArgumentErrors (the same class in-process and through the
 * HTTP admin client); the HTTP status they map to travels beside them, not on the public class.
 *
 * @module
 */
import { InvalidArgumentError } from '../../errors.js';

const statuses = new WeakMap<Error, number>();

/** An admin failure: `argument` names the input at fault, `status` is the HTTP answer. */
export function adminFailure(
  status: number,
  argument: string,
  message: string,
): InvalidArgumentError {
  const err = new InvalidArgumentError(argument, message);
  statuses.set(err, status);
  return err;
}

/** The HTTP status of an admin failure (400 when it was not made by {@link adminFailure}). */
export function adminStatus(err: Error): number {
  return statuses.get(err) ?? 400;
}

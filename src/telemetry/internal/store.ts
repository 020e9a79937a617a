/**
 * Counts a token store's failures without knowing its shape: the manager gets a proxy
 * whose methods are the store's own, each rejection (or throw) counted by store class and
 * method before it passes on unchanged. Optional methods (`acquireLock`, `now`...) stay
 * exactly as present or absent as on the store itself.
 *
 * @module
 */
import type { Counter } from '@opentelemetry/api';
import { ATTR } from './attributes.js';

type AnyFunction = (...args: unknown[]) => unknown;

// A class name is bounded and says which store it is; a plain object literal is "custom".
function storeName(store: object): string {
  const name = (store.constructor as { name?: unknown } | undefined)?.name;
  return typeof name === 'string' && name !== '' && name !== 'Object' ? name : 'custom';
}

/** `store`, with each failing call counted in `counter`. */
export function countedStore<S extends object>(store: S, counter: Counter): S {
  const name = storeName(store);
  const wrappers = new Map<PropertyKey, AnyFunction>();
  return new Proxy(store, {
    get(target, property) {
      // Read on the store itself, not the proxy: its getters may use private fields.
      const value: unknown = Reflect.get(target, property);
      if (typeof value !== 'function' || property === 'constructor') return value;
      let wrapper = wrappers.get(property);
      if (wrapper === undefined) {
        const attributes = { [ATTR.store]: name, [ATTR.storeOperation]: String(property) };
        const fail = (error: unknown): never => {
          counter.add(1, attributes);
          throw error;
        };
        wrapper = (...args: unknown[]): unknown => {
          let result: unknown;
          try {
            // The store's own method, on the store itself (not the proxy): private fields work.
            result = Reflect.apply(Reflect.get(target, property) as AnyFunction, target, args);
          } catch (error) {
            return fail(error);
          }
          return result instanceof Promise ? result.catch(fail) : result;
        };
        wrappers.set(property, wrapper);
      }
      return wrapper;
    },
  });
}

// Runs store-checks.ts under Deno against a real Deno KV file (its path is the argument).
import { DenoKvTokenStore, type DenoKvLike } from '../../dist/deno-kv/index.js';
import { runStoreChecks } from './store-checks.js';

const Deno = (
  globalThis as unknown as {
    Deno: { args: string[]; openKv(path: string): Promise<DenoKvLike>; exit(code: number): never };
  }
).Deno;

try {
  const kv = await Deno.openKv(Deno.args[0]!);
  const passed = await runStoreChecks(
    (o) => new DenoKvTokenStore({ kv, pollIntervalMs: 10, ...o }),
  );
  console.log(JSON.stringify({ ok: true, passed }));
  Deno.exit(0);
} catch (err) {
  console.log(JSON.stringify({ ok: false, error: String((err as Error)?.stack ?? err) }));
  Deno.exit(1);
}

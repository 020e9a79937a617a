// Runs store-checks.ts inside workerd against a real Durable Object binding.
import {
  DurableObjectTokenStore,
  LineTokenDurableObject,
  type DurableObjectNamespaceLike,
} from '../../dist/cloudflare/index.js';
import { runStoreChecks } from './store-checks.js';

export { LineTokenDurableObject };

export default {
  async fetch(_request: Request, env: { TOKENS: DurableObjectNamespaceLike }): Promise<Response> {
    try {
      const passed = await runStoreChecks(
        (o) => new DurableObjectTokenStore({ namespace: env.TOKENS, ...o }),
      );
      return Response.json({ ok: true, passed });
    } catch (err) {
      return Response.json({ ok: false, error: String((err as Error)?.stack ?? err) });
    }
  },
};

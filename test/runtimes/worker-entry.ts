// The Worker that runs the scenario inside workerd: esbuild bundles this file with the
// built package, miniflare serves it on a compatibility date without `nodejs_compat`.
import { runScenario, type ScenarioConfig } from './scenario.js';

export default {
  async fetch(request: Request): Promise<Response> {
    // Proves no Node.js surface leaked in: without nodejs_compat there is no `process`.
    if ('process' in globalThis) {
      return Response.json({ ok: false, error: 'globalThis.process exists in this Worker' });
    }
    try {
      const report = await runScenario((await request.json()) as ScenarioConfig);
      return Response.json({ ok: true, processIsUndefined: true, ...report });
    } catch (err) {
      return Response.json({ ok: false, error: String((err as Error)?.stack ?? err) });
    }
  },
};

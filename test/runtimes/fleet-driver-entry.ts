// The load generator of the Durable Object fleet test, itself a Worker: one request from
// the test fans out into concurrent requests to every bot Worker through service
// bindings, so the requests are real Worker requests (each its own request context)
// without a thousand loopback HTTP connections from Node per round.
interface Fetcher {
  fetch(url: string, init: { headers: Record<string, string> }): Promise<Response>;
}

export default {
  async fetch(request: Request, env: Record<string, Fetcher>): Promise<Response> {
    const { now, workers, requests } = (await request.json()) as {
      now: number;
      workers: number;
      requests: number;
    };
    const answers = await Promise.all(
      Array.from({ length: workers * requests }, async (_, n) => {
        const res = await env[`BOT${n % workers}`]!.fetch('http://bot/', {
          headers: { 'x-virtual-now': String(now) },
        });
        return {
          status: res.status,
          body: (await res.json()) as { token?: string; error?: string; warnings?: string[] },
        };
      }),
    );
    const tokens = [...new Set(answers.flatMap((a) => (a.body.token ? [a.body.token] : [])))];
    const errors = answers
      .filter((a) => a.status !== 200)
      .map((a) => a.body.error ?? `HTTP ${a.status}`);
    const warnings = answers.flatMap((a) => a.body.warnings ?? []);
    return Response.json({
      warnings,
      answered: answers.length,
      tokens,
      errors: errors.slice(0, 3),
      failed: errors.length,
    });
  },
};

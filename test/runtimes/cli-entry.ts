// Bun and Deno run this file directly: the scenario's config comes as one JSON argument
// (so Deno needs no --allow-env), the report goes to stdout as one JSON line.
import { runScenario, type ScenarioConfig } from './scenario.js';

interface RuntimeGlobals {
  Deno?: { args: string[]; exit(code: number): never };
  process?: { argv: string[]; exit(code: number): never };
}
const g = globalThis as RuntimeGlobals;
const args = g.Deno?.args ?? g.process?.argv.slice(2) ?? [];
const exit = (code: number): never => (g.Deno ?? g.process)!.exit(code);

try {
  const report = await runScenario(JSON.parse(args[0] ?? '') as ScenarioConfig);
  console.log(JSON.stringify({ ok: true, ...report }));
  exit(0);
} catch (err) {
  console.log(JSON.stringify({ ok: false, error: String((err as Error)?.stack ?? err) }));
  exit(1);
}

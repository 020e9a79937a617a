// The emulator role of bench/registry.bench.ts: the emulator with N stateless channels in
// its own process, behind a TCP pass-through that counts the client's sockets (the
// emulator does not expose its server), so the bench can report the most sockets open
// at any moment. Commands on stdin, one a line: "peak" answers {sockets, peak} and
// resets the peak; end of stdin closes everything.
import { createServer, connect, type Socket } from 'node:net';
import { createInterface } from 'node:readline';
import { startEmulator } from '../src/emulator/index.js';

/** The channel id and secret of channel `i`, the same on both sides of the bench. */
export function benchChannel(i: number): { id: string; secret: string } {
  const id = String(1_000_000_000 + i);
  return { id, secret: `${id}${id}${id}00`.slice(0, 32) };
}

export async function serveEmulator(n: number): Promise<void> {
  const channels = Array.from({ length: n }, (_, i) => benchChannel(i));
  // Rate limits off: the registry paces itself; this measures what it sends.
  const emu = await startEmulator({ channels, rateLimit: false });
  const target = new URL(emu.url);
  let open = 0;
  let peak = 0;
  let total = 0;
  const proxy = createServer((client: Socket) => {
    open++;
    total++;
    if (open > peak) peak = open;
    const upstream = connect(Number(target.port), target.hostname);
    client.pipe(upstream).pipe(client);
    let closed = false;
    const close = (): void => {
      if (closed) return;
      closed = true;
      open--;
      client.destroy();
      upstream.destroy();
    };
    client.on('close', close).on('error', close);
    upstream.on('close', close).on('error', close);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const address = proxy.address() as { port: number };
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${address.port}` })}\n`);
  const lines = createInterface({ input: process.stdin });
  lines.on('line', (line) => {
    if (line === 'peak') {
      process.stdout.write(`${JSON.stringify({ sockets: open, peak, total })}\n`);
      peak = open;
    }
  });
  lines.on('close', () => {
    proxy.close();
    void emu.close();
  });
}

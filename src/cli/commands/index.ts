/**
 * The command table. Each command's module is imported only when that command runs (or
 * shows its own help), so `line-token --version` and `line-token --help` load none of
 * them, and with them neither jose nor the client. A test checks that each `summary` here
 * matches the loaded command's.
 *
 * @module
 */
import type { CommandEntry } from '../types.js';

/** Every command, in the order `--help` lists them. */
export const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'keygen',
    summary: 'make an RSA-2048 assertion key pair: private JWK to a file, public JWK to stdout',
    load: async () => (await import('./keygen.js')).keygenCommand,
  },
  {
    name: 'assertion',
    summary: 'print a signed JWT assertion (RS256) for the v2.1, stateless or key-id operations',
    load: async () => (await import('./assertion.js')).assertionCommand,
  },
  {
    name: 'issue',
    summary: 'issue a channel access token and print it on stdout',
    load: async () => (await import('./issue.js')).issueCommand,
  },
  {
    name: 'verify',
    summary: 'check a token with LINE: prints its channel, expiry and scope; exit 1 if invalid',
    load: async () => (await import('./verify.js')).verifyCommand,
  },
  {
    name: 'revoke',
    summary: 'revoke a token (v2.1 ones need the channel ID and secret)',
    load: async () => (await import('./revoke.js')).revokeCommand,
  },
  {
    name: 'kids',
    summary: "list the key ids of the channel's live v2.1 tokens (LINE allows 30)",
    load: async () => (await import('./kids.js')).kidsCommand,
  },
  {
    name: 'emulator',
    summary: "run a local emulator of LINE's token API; prints one JSON line with its URL",
    load: async () => (await import('./emulator.js')).emulatorCommand,
  },
  {
    name: 'token',
    summary: 'print a valid token, reusing the one kept in a store file while it is fresh',
    load: async () => (await import('./token.js')).tokenCommand,
  },
  {
    name: 'doctor',
    summary:
      'check keys, kid, secret, clock, token slots and a token: why LINE refuses, and the fix',
    load: async () => (await import('./doctor.js')).doctorCommand,
  },
  {
    name: 'demo',
    summary: "watch the token manager keep a token fresh (npm start's demo, for installed users)",
    load: async () => (await import('./demo.js')).demoCommand,
  },
];

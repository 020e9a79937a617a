import type { Command } from '../types.js';
import { assertionCommand } from './assertion.js';
import { doctorCommand } from './doctor.js';
import { emulatorCommand } from './emulator.js';
import { issueCommand } from './issue.js';
import { keygenCommand } from './keygen.js';
import { kidsCommand } from './kids.js';
import { revokeCommand } from './revoke.js';
import { tokenCommand } from './token.js';
import { verifyCommand } from './verify.js';

/** Every command, in the order `--help` lists them. */
export const COMMANDS: readonly Command[] = [
  keygenCommand,
  assertionCommand,
  issueCommand,
  verifyCommand,
  revokeCommand,
  kidsCommand,
  emulatorCommand,
  tokenCommand,
  doctorCommand,
];

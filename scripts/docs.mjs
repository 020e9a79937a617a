// `npm run docs`: the API reference from the TSDoc, into docs/api/ (not committed). typedoc's
// validation makes it a check as well: an export without TSDoc, a broken {@link} or a
// public type that is not exported fails the run (typedoc.json).
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { entryPoints, root } from './entry-points.mjs';

const typedoc = join(root, 'node_modules/typedoc/bin/typedoc');
const args = entryPoints().flatMap((file) => ['--entryPoints', file]);
execFileSync(process.execPath, [typedoc, ...args], { cwd: root, stdio: 'inherit' });

// The fault matrix (every fault the manager must survive) for v2.1 tokens: see helpers/soak.ts for
// what is measured.
import { faultMatrix } from './helpers/soak-matrix.js';

faultMatrix('v2.1');

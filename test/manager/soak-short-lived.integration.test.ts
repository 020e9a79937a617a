// The fault matrix (every fault the manager must survive) for short-lived tokens: see
// helpers/soak.ts for what is measured.
import { faultMatrix } from './helpers/soak-matrix.js';

faultMatrix('short-lived');

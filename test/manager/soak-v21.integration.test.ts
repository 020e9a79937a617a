// Issue #8's fault matrix for v2.1 tokens: see helpers/soak.ts for what is measured.
import { faultMatrix } from './helpers/soak-matrix.js';

faultMatrix('v2.1');

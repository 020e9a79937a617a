/**
 * Diagnosis: why LINE refuses a configuration, and how to fix it. `diagnose()` runs the
 * checklist `line-token doctor` prints; `explainLineFailure()` turns one refusal into a
 * likely cause and a fix.
 *
 * @module
 */
export { diagnose } from './diagnose.js';
export { explainLineFailure, type FailureContext } from './explain.js';
export type {
  CheckId,
  DiagnoseOptions,
  Diagnosis,
  FailureExplanation,
  Finding,
  FindingStatus,
} from './types.js';

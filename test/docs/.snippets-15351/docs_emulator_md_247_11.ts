await emu.admin.setFaults({
  seed: 42,                                   // optional: restart the RNG, to replay a run
  global: {                                   // every operation without its own rule
    random: [
      { probability: 0.3, fault: { type: 'status', status: 503 } },
      { probability: 0.1, fault: { type: 'rate-limit', retryAfterSec: 2 } },
      { probability: 0.05, fault: { type: 'reset' } },
    ],
    latencyMs: { min: 5, max: 50 },
  },
  operations: {
    issueV21: { sequence: [{ type: 'html-502' }, 'pass', { type: 'malformed' }] },
  },
});
export {};

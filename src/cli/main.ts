#!/usr/bin/env node
// Placeholder until the CLI lands.
console.error("line-token: not built yet");
process.exitCode = 2;

// Messages between the multi-process file-store tests and worker.mjs.

export type ToWorker =
  | { cmd: 'init'; id: number; path: string }
  | { cmd: 'write-own'; round: number }
  | { cmd: 'same-key'; round: number; writes: number }
  | { cmd: 'lock'; round: number; log: string }
  | { cmd: 'exit' };

export type ToParent =
  | { type: 'started' }
  | {
      type: 'done';
      id: number;
      warnings: string[];
      reads?: number;
      torn?: number;
      tries?: number;
    }
  | { type: 'failed'; id: number; error: string };

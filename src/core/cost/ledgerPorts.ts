/**
 * Where the ledger lives (the extension's global storage, shared by every VS Code window on this machine). The Node
 * adapter is src/remote/cost/fileLedgerStore.ts.
 */
export interface LedgerStore {
  /** Complete lines appended since the last call (all of them on the first). A line still missing its newline is held back. */
  readNewLines(): Promise<string[]>;
  /** Appends whole lines at the end, starting on a fresh line even if a crashed writer left a torn one. */
  append(lines: readonly string[]): Promise<void>;
}

/** One writer among several windows: whoever holds the lease appends, everybody reads. */
export interface WriterLease {
  readonly id: string;
  /** Takes the lease if it is free or its holder is gone (expired, or its process is dead). */
  tryAcquire(): Promise<boolean>;
  /** Extends our lease; false when we no longer hold it (taken over after we stalled). */
  renew(): Promise<boolean>;
  release(): Promise<void>;
}

// The extension-side parts the checkpoint benchmark drives, bundled by checkpointBench.mjs with esbuild into
// out/bench/ (the benchmark itself is plain node ESM and cannot import TypeScript).
import { DEFAULT_CHECKPOINT_SETTINGS } from '../../src/core/checkpoints/checkpointSettings';
import { recognise } from '../../src/core/checkpoints/recognise';
import { scanFilterOf } from '../../src/core/checkpoints/scanFilter';
import { scanFiles } from '../../src/remote/checkpoints/checkpointScanner';
import type { SshConnection } from '../../src/remote/sshConnection';
export { connect, type BenchRig } from './benchRig';

export interface ScanRun {
  readonly ms: number[];
  readonly recogniseMs: number[];
  readonly files: number;
  readonly logs: number;
  readonly checkpoints: number;
  readonly truncated: boolean;
}

/**
 * `runs` scans of `root` the given way on one warm connection: wall time of the scan and of recognising its list.
 * `logs`: with the default progress-file globs (the log part of the same pass), or with them off.
 */
export async function timeScans(conn: SshConnection, root: string, via: 'find' | 'sftp', runs: number, logs = true): Promise<ScanRun> {
  const settings = { ...DEFAULT_CHECKPOINT_SETTINGS, root, ...(logs ? {} : { progressFiles: [] }) };
  const filter = scanFilterOf(settings);
  const ms: number[] = [];
  const recogniseMs: number[] = [];
  let last = { files: 0, logs: 0, checkpoints: 0, truncated: false };
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const scan = await scanFiles(conn, root, filter, { via });
    const t1 = performance.now();
    const found = recognise(scan.entries, settings);
    recogniseMs.push(performance.now() - t1);
    ms.push(t1 - t0);
    last = { files: scan.entries.length, logs: scan.logs?.length ?? 0, checkpoints: found.length, truncated: scan.truncated };
  }
  return { ms, recogniseMs, ...last };
}

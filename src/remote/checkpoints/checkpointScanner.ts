import type { Checkpoint, ScanResult } from '../../core/checkpoints/checkpoint';
import type { DetailedCheckpoint } from '../../core/checkpoints/checkpointDetails';
import { applyDetails, detailPaths, readHeadsCommand } from '../../core/checkpoints/checkpointDetails';
import type { CheckpointSettings } from '../../core/checkpoints/checkpointSettings';
import { FindUnsupported, findOutputBudget, findScanCommand, normaliseRoot } from '../../core/checkpoints/findScan';
import { recognise } from '../../core/checkpoints/recognise';
import type { ScanFilter } from '../../core/checkpoints/scanFilter';
import { scanFilterOf } from '../../core/checkpoints/scanFilter';
import { runRemote } from '../../core/remote/remoteCommand';
import type { SshConnection } from '../sshConnection';
import { openSftp } from '../sftpSession';
import { sftpWalk } from './sftpWalk';

/** Connections whose host has no usable `find -printf`: later scans go straight to SFTP instead of failing first. */
const findUnsupported = new WeakSet<SshConnection>();

export interface ScanOptions {
  readonly signal?: AbortSignal;
  /** Skip find (tests and the benchmark compare the two paths). */
  readonly via?: 'find' | 'sftp';
}

/** One scan: one `find` exec, or the SFTP walk where find cannot print (detected once per connection). */
export async function scanFiles(conn: SshConnection, root: string, filter: ScanFilter, o: ScanOptions = {}): Promise<ScanResult> {
  const sig = o.signal ? { signal: o.signal } : {};
  if (o.via !== 'sftp' && !findUnsupported.has(conn)) {
    try {
      const command = findScanCommand(root, filter);
      const result = await conn.exec(command.argv, { ...sig, timeoutMs: 120_000, maxOutputBytes: findOutputBudget(filter) });
      return command.parse(result);
    } catch (e) {
      if (!(e instanceof FindUnsupported) || o.via === 'find') throw e;
      conn.log.info(`${conn.target}: find cannot print (${e.message.split('\n')[0] ?? ''}); scanning checkpoints over SFTP`);
      findUnsupported.add(conn);
    }
  }
  const sftp = await openSftp(conn, o.signal);
  try {
    return await sftpWalk(sftp, root, filter, o.signal);
  } finally {
    sftp.end();
  }
}

export interface CheckpointLook {
  readonly scan: ScanResult;
  /** Newest first, with trainer_state.json / DeepSpeed `latest` folded in for the newest folders. */
  readonly checkpoints: readonly DetailedCheckpoint[];
}

/** Scan + recognise + (when there are folder checkpoints) one more small exec for their details. */
export async function lookAtCheckpoints(conn: SshConnection, settings: CheckpointSettings, o: ScanOptions = {}): Promise<CheckpointLook> {
  const scan = await scanFiles(conn, settings.root, scanFilterOf(settings), o);
  const found: Checkpoint[] = recognise(scan.entries, settings);
  const base = normaliseRoot(settings.root);
  const paths = detailPaths(base, found);
  if (paths.length === 0) return { scan, checkpoints: found };
  try {
    const heads = await runRemote(conn, readHeadsCommand(paths), { ...(o.signal ? { signal: o.signal } : {}), timeoutMs: 30_000 });
    return { scan, checkpoints: applyDetails(base, found, heads) };
  } catch (e) {
    // Details are a bonus: the checkpoints stand without them. A cancel still cancels.
    if (o.signal?.aborted) throw e;
    conn.log.warn(`${conn.target}: reading checkpoint details failed: ${e instanceof Error ? e.message : String(e)}`);
    return { scan, checkpoints: found };
  }
}

import { toRemoteGpuError } from '../errors';
import type { Logger } from '../logger';
import { runRemote, type RemoteExec } from '../remote/remoteCommand';
import type { WatchdogConfig } from './watchdogConfig';
import { updateWatchdogCommand, watchdogStatusCommand, type WatchdogStatus } from './watchdogCommands';
import { watchdogConfigHash } from './watchdogScript';

/**
 * What to do about a watchdog whose settings may have changed since it was installed:
 * - current: it runs the config these settings make;
 * - update: it does not, and this config was not pushed yet: push it now;
 * - outOfDate: it does not, but this config was pushed (or refused) already: show it, do not push again;
 * - none: nothing to compare (not installed there, or the settings it should have are not known).
 */
export type WatchdogDrift = 'current' | 'update' | 'outOfDate' | 'none';

export interface DriftInput {
  readonly status: WatchdogStatus | undefined;
  /** The hash of the config these settings make; undefined: not known now (the instance is not listed yet). */
  readonly wanted: string | undefined;
  /** The last config this window pushed to the host, successfully or not (refused by the instance). */
  readonly tried: string | undefined;
}

/**
 * Pure: one push per wanted config per host, so nothing reinstalls in a loop, even when two windows with different
 * settings disagree (each pushes its own once) or the new copy never writes its state. A changed setting makes a new
 * wanted hash, and so one new push.
 */
export function watchdogDrift(i: DriftInput): WatchdogDrift {
  if (!i.status?.installed || i.wanted === undefined) return 'none';
  // A script from before version 3 carries no hash: it is out of date by definition (and gets the new script once).
  if (i.status.configHash === i.wanted) return 'current';
  return i.tried === i.wanted ? 'outOfDate' : 'update';
}

export interface SyncResult {
  readonly status: WatchdogStatus;
  readonly drift: WatchdogDrift;
}

/**
 * Reads a watchdog's status and brings its settings up to date where they drifted. Remembers per host which config
 * it pushed; a host it cannot reach is tried again at the next read (the push is not recorded).
 */
export class WatchdogSync {
  private readonly tried = new Map<string, string>();

  constructor(
    private readonly logger: Logger,
    private readonly prefer: 'auto' | 'nohup' = 'auto',
  ) {}

  /** `wanted`: the config these settings make now, undefined where it is not known. Rejects when the status cannot be read. */
  async read(hostId: string, exec: RemoteExec, dir: string, wanted: WatchdogConfig | undefined): Promise<SyncResult> {
    const status = await runRemote(exec, watchdogStatusCommand(dir), { timeoutMs: 20_000 });
    const hash = wanted ? watchdogConfigHash(wanted) : undefined;
    const drift = watchdogDrift({ status, wanted: hash, tried: this.tried.get(hostId) });
    if (drift !== 'update' || !wanted || !hash) return { status, drift };
    try {
      const mode = await runRemote(exec, updateWatchdogCommand(wanted, this.prefer), { timeoutMs: 60_000 });
      this.tried.set(hostId, hash);
      this.logger.info(`watchdog on ${hostId}: settings changed (config ${status.configHash ?? 'from before version 3'} -> ${hash}), updated and restarted (${mode}); idle ${wanted.idleWindowSec} s, stop: ${wanted.stop.kind}`);
    } catch (e) {
      const err = toRemoteGpuError(e);
      // The instance ran the update and it failed: the same config would fail again, so it is not repeated each
      // minute. Not reached (or timed out): nothing ran there for sure, so the next read tries again.
      if (err.reason === 'remoteFailed' || err.reason === 'config') this.tried.set(hostId, hash);
      this.logger.warn(`watchdog on ${hostId}: settings changed but the update failed (${err.reason}): ${err.message} ${err.detail ?? ''}`.trim());
      return { status, drift: 'outOfDate' };
    }
    const after = await runRemote(exec, watchdogStatusCommand(dir), { timeoutMs: 20_000 });
    return { status: after, drift: watchdogDrift({ status: after, wanted: hash, tried: hash }) };
  }

  /** Uninstalled: a later install starts with a clean slate. */
  forget(hostId: string): void {
    this.tried.delete(hostId);
  }
}

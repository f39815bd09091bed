import { RemoteGpuError } from '../errors';
import type { IdlePolicy } from '../idle/policy';
import { t } from '../../shared/l10n';
import type { WatchdogProgress } from './watchdogProgress';
import { progressProblems } from './watchdogProgress';

/** How the instance stops itself. None needs an account key on the instance. */
export type WatchdogStop =
  /** EC2: an OS shutdown, with the instance's shutdown behaviour set to stop at provisioning. */
  | { readonly kind: 'shutdown' }
  /** RunPod: the pod-scoped RUNPOD_API_KEY and RUNPOD_POD_ID the pod already has. */
  | { readonly kind: 'runpod' }
  /** Vast.ai: the CONTAINER_ID / CONTAINER_API_KEY the instance already has. */
  | { readonly kind: 'vast' }
  /** SSH hosts: a command the user configured for that host, as argv. */
  | { readonly kind: 'command'; readonly argv: readonly string[] }
  /** Watch and report only (Lambda has no stop, and terminating from the box would need the account key). */
  | { readonly kind: 'none' };

export interface WatchdogConfig {
  /** Where it lives on the instance: relative to $HOME, or absolute. Plain path characters only. */
  readonly dir: string;
  readonly gpuBusyPercent: number;
  readonly busySharePercent: number;
  readonly bucketSec: number;
  readonly sampleSec: number;
  readonly idleWindowSec: number;
  readonly personWindowSec: number;
  readonly stop: WatchdogStop;
  /** The nvidia-smi to run (a test points it at a stub). */
  readonly nvidiaSmi: string;
  /** Log files whose growth counts as work, as in the extension (remoteGpu.autoStop.progressFiles); absent: off. */
  readonly progress?: WatchdogProgress;
}

/**
 * 2: the progress signal (a growing log counts as work), "progress" verdict, logFiles/logGrew in the state.
 * 3: CONFIG_HASH in the script and "config" in the state, so the extension sees settings drift and updates it.
 */
export const WATCHDOG_VERSION = '3';
export const DEFAULT_WATCHDOG_DIR = '.remote-gpu';

/** The same numbers as the extension's idle rule, in whole seconds for sh arithmetic. */
export function watchdogConfigFrom(policy: IdlePolicy, stop: WatchdogStop, over: Partial<WatchdogConfig> = {}): WatchdogConfig {
  const sec = (ms: number) => Math.max(1, Math.round(ms / 1000));
  const bucketSec = sec(policy.bucketMs);
  const config: WatchdogConfig = {
    dir: DEFAULT_WATCHDOG_DIR,
    gpuBusyPercent: Math.round(policy.gpuBusyPercent),
    busySharePercent: Math.max(1, Math.round(policy.gpuBusyShare * 100)),
    bucketSec,
    // Several samples per bucket, so the bucket is judged on its distribution like the extension does.
    sampleSec: Math.max(1, Math.floor(bucketSec / 12)),
    idleWindowSec: sec(policy.idleWindowMs),
    personWindowSec: sec(policy.personWindowMs),
    stop,
    nvidiaSmi: 'nvidia-smi',
    ...over,
  };
  validateWatchdogConfig(config);
  return config;
}

/** Each problem in words for the message, with the field's name for the log (a setting the person can find). */
interface Problem {
  readonly text: string;
  readonly field: string;
}

export function validateWatchdogConfig(c: WatchdogConfig): void {
  const problems: Problem[] = [];
  // The dir also lands in a systemd unit, whose quoting differs from sh's: keep it to characters that need none.
  if (!/^[A-Za-z0-9._/-]+$/.test(c.dir) || c.dir.split('/').includes('..')) problems.push({ field: 'dir', text: t('the folder "{0}" may use only letters, digits, . _ - and /', c.dir) });
  const seconds: ReadonlyArray<readonly [string, number, () => string]> = [
    ['bucketSec', c.bucketSec, () => t('the GPU bucket must be a whole number of seconds, at least 1')],
    ['sampleSec', c.sampleSec, () => t('the sample interval must be a whole number of seconds, at least 1')],
    ['idleWindowSec', c.idleWindowSec, () => t('the idle window must be a whole number of seconds, at least 1')],
    ['personWindowSec', c.personWindowSec, () => t('the activity window must be a whole number of seconds, at least 1')],
  ];
  for (const [field, v, text] of seconds) if (!Number.isInteger(v) || v < 1) problems.push({ field, text: text() });
  if (!Number.isInteger(c.gpuBusyPercent) || c.gpuBusyPercent < 0 || c.gpuBusyPercent > 100) problems.push({ field: 'gpuBusyPercent', text: t('the GPU threshold must be a whole percentage from 0 to 100') });
  if (!Number.isInteger(c.busySharePercent) || c.busySharePercent < 1 || c.busySharePercent > 100) problems.push({ field: 'busySharePercent', text: t('the busy share must be a whole percentage from 1 to 100') });
  if (c.stop.kind === 'command' && c.stop.argv.length === 0) problems.push({ field: 'stop', text: t('the stop command is empty') });
  if (c.nvidiaSmi === '') problems.push({ field: 'nvidiaSmi', text: t('the nvidia-smi path is empty') });
  if (c.progress) problems.push(...progressProblems(c.progress));
  if (problems.length > 0) {
    throw new RemoteGpuError('config', t('The watchdog settings are not usable: {0}.', problems.map((p) => p.text).join(t('; '))), problems.map((p) => p.field).join(', '));
  }
}

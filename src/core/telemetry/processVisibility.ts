import { RemoteGpuError } from '../errors';
import type { ExecResult, RemoteCommand } from '../remote/remoteCommand';
import type { ProcessesView } from '../../shared/telemetryProtocol';
import type { ComputeApp } from './computeApps';
import { t } from '../../shared/l10n';

/**
 * PIDs visible where our SSH session runs. In a rented container the driver reports the host's PIDs for GPU
 * processes, which do not exist in the container's namespace: comparing the two is how we know, and say so.
 */
export const visiblePidsCommand: RemoteCommand<ReadonlySet<number>> = {
  argv: ['ps', '-e', '-o', 'pid='],
  parse: parseVisiblePidsResult,
};

export function parseVisiblePids(text: string): Set<number> {
  const pids = new Set<number>();
  for (const line of text.split(/\r?\n/)) {
    const cell = line.trim();
    if (/^\d{1,10}$/.test(cell)) pids.add(Number(cell));
  }
  return pids;
}

function parseVisiblePidsResult(result: ExecResult): ReadonlySet<number> {
  if (result.code === 127) throw new RemoteGpuError('commandNotFound', t('ps is not installed on this host.'), result.stderr.slice(0, 200));
  const pids = parseVisiblePids(result.stdout);
  // ps always sees at least itself; an empty answer means it failed, not that nothing runs.
  if (result.code !== 0 || pids.size === 0) {
    throw new RemoteGpuError('remoteFailed', t('Could not list the processes of this host.'), `exit=${result.code} ${result.stderr.slice(0, 200)}`);
  }
  return pids;
}

/**
 * `visible`: we can see (some of) the processes the driver lists (`hidden` counts the ones we cannot);
 * `otherPidNamespace`: the driver lists processes and none of their PIDs exist here (a container);
 * `notReported`: no process listed although GPU memory is in use (some container runtimes hide them entirely);
 * `none`: nothing runs.
 */
export type ProcessVisibility =
  | { readonly kind: 'visible'; readonly hidden: number }
  | { readonly kind: 'otherPidNamespace'; readonly count: number }
  | { readonly kind: 'notReported' }
  | { readonly kind: 'none' };

/**
 * Below this much used memory a GPU counts as holding nothing: an idle H100 shows 0-1 MiB, while the smallest CUDA
 * context in the capture took 712 MiB. A display server (graphics, not compute) can hold a few hundred MiB.
 */
export const NOT_REPORTED_MIN_MIB = 256;

export function classifyProcessVisibility(
  apps: readonly ComputeApp[],
  visiblePids: ReadonlySet<number>,
  gpuMemoryUsedMiB: readonly (number | undefined)[] = [],
): ProcessVisibility {
  if (apps.length === 0) {
    return gpuMemoryUsedMiB.some((m) => m !== undefined && m >= NOT_REPORTED_MIN_MIB) ? { kind: 'notReported' } : { kind: 'none' };
  }
  const pids = new Set(apps.map((a) => a.pid));
  const hidden = [...pids].filter((p) => !visiblePids.has(p)).length;
  return hidden === pids.size ? { kind: 'otherPidNamespace', count: pids.size } : { kind: 'visible', hidden };
}

/** The processes part of a dashboard snapshot. Names stay raw: the webview renders them as text, never HTML. */
export function toProcessesView(
  apps: readonly ComputeApp[],
  visibility: ProcessVisibility | undefined,
  gpuIndexByUuid: ReadonlyMap<string, number>,
): ProcessesView {
  if (visibility?.kind === 'otherPidNamespace') {
    const known = apps.filter((a) => a.usedMemoryMiB !== undefined);
    const usedMemoryMiB = known.length === 0 ? null : known.reduce((sum, a) => sum + (a.usedMemoryMiB ?? 0), 0);
    return { kind: 'hiddenByContainer', count: visibility.count, usedMemoryMiB };
  }
  if (visibility?.kind === 'notReported') return { kind: 'notReported' };
  const items = apps.map((a) => ({
    pid: a.pid,
    name: a.name.slice(0, 1_024),
    gpuUuid: a.gpuUuid.slice(0, 256),
    gpuIndex: gpuIndexByUuid.get(a.gpuUuid) ?? null,
    usedMemoryMiB: a.usedMemoryMiB ?? null,
  }));
  return { kind: 'list', items: items.slice(0, 1_024) };
}

// CSI (colours, cursor moves) and OSC (window titles, hyperlinks) escape sequences, then any other C0/C1 control
// character, then the bidi overrides that can make a name read differently from what it is ("Trojan Source").
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const ANSI_CSI = /\u001b\[[0-?]*[ -/]*[@-~]/g;
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const ANSI_OSC = /\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?/g;
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
const BIDI = /[\u202a-\u202e\u2066-\u2069\u200e\u200f]/g;

/**
 * A process name fit for one line of UI text: escapes and control characters removed, whitespace collapsed,
 * cut to `maxLength`. It is still untrusted text (`<img onerror>` stays as typed): render it with textContent.
 */
export function displayProcessName(name: string, maxLength = 120): string {
  const clean = name.replace(ANSI_OSC, '').replace(ANSI_CSI, '').replace(CONTROL, ' ').replace(BIDI, '').replace(/\s+/g, ' ').trim();
  return clean.length > maxLength ? `${clean.slice(0, maxLength - 1)}…` : clean;
}

import { gpuQuietFor } from './gpuSignal';
import type { IdleState, SignalReport } from './idleTypes';
import type { IdlePolicy } from './policy';
import { activitySourceLabel } from './wording';
import { t } from '../../shared/l10n';
import { formatBytes } from '../../shared/localeFormat';

/** Whole minutes (or seconds under a minute) for explanations; windows are scaled down to seconds in tests. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return t('{0} s', s);
  const m = Math.floor(s / 60);
  if (m < 120) return t('{0} min', m);
  return t('{0} h {1} min', Math.floor(m / 60), m % 60);
}

export function gpuReport(s: IdleState, p: IdlePolicy): SignalReport {
  const g = s.gpu;
  if (g.quietSince !== undefined) {
    return { state: 'quiet', since: g.quietSince, text: t('GPUs under {0} % for {1}', p.gpuBusyPercent, formatDuration(gpuQuietFor(g))) };
  }
  if (g.lastBusy?.why === 'unmeasured') {
    return { state: 'unmeasured', since: g.lastBusy.at, text: t('GPU use could not be measured, so the instance counts as busy') };
  }
  if (g.lastBusy) return { state: 'busy', since: g.lastBusy.at, text: t('GPUs working') };
  // Nothing judged yet (the first bucket is still open): not known to be quiet, so busy.
  return { state: 'unmeasured', text: t('GPU use not measured yet, so the instance counts as busy') };
}

/** Quiet means no activity for the person window; an open window is mentioned but does not count. */
export function personReport(s: IdleState, p: IdlePolicy, now: number): SignalReport {
  const since = s.lastActivity?.at ?? s.armedAt;
  if (s.lastActivity && now - s.lastActivity.at < p.personWindowMs) {
    return { state: 'busy', since: s.lastActivity.at, text: t('activity in VS Code {0} ago ({1})', formatDuration(now - s.lastActivity.at), activitySourceLabel(s.lastActivity.source)) };
  }
  const quiet = formatDuration(now - since);
  return { state: 'quiet', since, text: s.windowOpen ? t('no activity in VS Code for {0} (a window is open, but nobody uses it)', quiet) : t('no activity in VS Code for {0}', quiet) };
}

/** "train.log grew by 12 KiB, 3 min ago": the log named first, since it is what a person recognises. */
function logGrewText(path: string, bytes: number | undefined, ago: string): string {
  return bytes !== undefined && bytes > 0 ? t('{0} grew by {1}, {2} ago', path, formatBytes(bytes), ago) : t('{0} grew {1} ago', path, ago);
}

export function progressReport(s: IdleState, p: IdlePolicy, now: number): SignalReport {
  const last = s.lastProgress;
  if (last && now - last.at < p.idleWindowMs) {
    const ago = formatDuration(now - last.at);
    return { state: 'busy', since: last.at, text: last.what === 'checkpoint' ? t('new checkpoint {0} ago ({1})', ago, last.path) : logGrewText(last.path, last.bytes, ago) };
  }
  const since = last?.at ?? s.armedAt;
  return { state: 'quiet', since, text: t('no new checkpoint or log output for {0}', formatDuration(now - since)) };
}

/**
 * When the idle stop is due if every signal stays quiet, or undefined while the GPUs are not judged quiet. Person
 * activity has its own, shorter window.
 */
export function idleStopDueAt(s: IdleState, p: IdlePolicy): number | undefined {
  if (s.gpu.quietSince === undefined) return undefined;
  const person = (s.lastActivity?.at ?? -Infinity) + p.personWindowMs;
  const progress = (s.lastProgress?.at ?? -Infinity) + p.idleWindowMs;
  return Math.max(s.gpu.quietSince + p.idleWindowMs, person, progress, s.armedAt + p.idleWindowMs);
}

/** How long every signal has been quiet (for "idle 12 of 30 min"). */
export function idleFor(s: IdleState, p: IdlePolicy, now: number): number {
  if (s.gpu.quietSince === undefined) return 0;
  const gpu = gpuQuietFor(s.gpu);
  const person = s.lastActivity ? now - s.lastActivity.at - (p.personWindowMs - p.idleWindowMs) : Infinity;
  const progress = s.lastProgress ? now - s.lastProgress.at : Infinity;
  return Math.max(0, Math.min(gpu, person, progress, now - s.armedAt));
}

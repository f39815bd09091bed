import { addGpuTick, advanceGpu, INITIAL_GPU_SIGNAL, markUnmeasured } from './gpuSignal';
import type { IdleEffect, IdleObservation, IdleState, IdleStep, IdleVerdict, StopReason } from './idleTypes';
import type { IdlePolicy } from './policy';
import { formatDuration, gpuReport, idleFor, idleStopDueAt, personReport, progressReport } from './signals';
import { t } from '../../shared/l10n';

export function initialIdleState(now: number): IdleState {
  return { armedAt: now, gpu: INITIAL_GPU_SIGNAL, windowOpen: false };
}

/**
 * The one idle policy: `(state, observation, policy, now) -> { state, effects, verdict }`. Pure: time comes only
 * from `now`, so tests drive it with a virtual clock and a restart resumes from the stored state.
 *
 * Three signals must all be quiet for an idle stop: the GPUs (judged per bucket, see gpuSignal.ts), a person in VS
 * Code (shorter window), and progress (checkpoints, growing logs). Every stop, whatever its reason (idle, maximum
 * runtime, budget), goes through the same warning `warnAheadMs` ahead, which Keep / Keep until I say can hold off.
 * A stop is emitted once; only seeing the instance running again re-arms it.
 */
export function reduceIdle(state: IdleState, obs: IdleObservation, policy: IdlePolicy, now: number): IdleStep {
  const effects: IdleEffect[] = [];
  let s = observe(state, obs, policy, now, effects);
  if (!s.stop) s = decide(s, policy, now, effects);
  return { state: s, effects, verdict: verdictOf(s, policy, now) };
}

function observe(s: IdleState, obs: IdleObservation, p: IdlePolicy, now: number, effects: IdleEffect[]): IdleState {
  if (obs.kind === 'running') return s.stop ? initialIdleState(now) : s;
  if (s.stop) return s;
  switch (obs.kind) {
    case 'tick':
      return { ...s, gpu: advanceGpu(s.gpu, now, p) };
    case 'gpuSample':
      return { ...s, gpu: addGpuTick(s.gpu, obs.utilisationPercent, now, p) };
    case 'gpuUnavailable':
      return { ...s, gpu: markUnmeasured(s.gpu, now, p) };
    case 'activity':
      return { ...s, gpu: advanceGpu(s.gpu, now, p), lastActivity: { at: now, source: obs.source } };
    case 'windowOpen':
      return { ...s, gpu: advanceGpu(s.gpu, now, p), windowOpen: obs.open };
    case 'progress':
      return { ...s, gpu: advanceGpu(s.gpu, now, p), lastProgress: { at: now, what: obs.what, path: obs.path, ...(obs.bytes !== undefined ? { bytes: obs.bytes } : {}) } };
    case 'launched':
      return { ...s, launchedAt: obs.at };
    case 'budgetExceeded':
      return s.budget ? s : { ...s, budget: { at: now, detail: obs.detail } };
    case 'budgetCleared':
      return { ...s, budget: undefined };
    case 'keep': {
      const until = obs.until === 'untilISay' ? 'untilISay' : now + p.keepMs;
      effects.push({ kind: 'kept', at: now, until });
      return { ...s, keep: { at: now, until }, warning: undefined };
    }
    case 'release':
      if (!s.keep) return s;
      effects.push({ kind: 'keepEnded', at: now });
      return { ...s, keep: undefined };
    case 'stopNow':
      effects.push({ kind: 'stop', at: now, reason: 'user', explanation: t('Stopped on request.') });
      return { ...s, warning: undefined, stop: { at: now, reason: 'user' } };
  }
}

/** Why a stop is due, in words (the reason values are data and stay English). */
function reasonLabel(reason: StopReason): string {
  switch (reason) {
    case 'idle': return t('idle');
    case 'maxRuntime': return t('maximum runtime reached');
    case 'budget': return t('budget reached');
    case 'user': return t('on request');
  }
}

interface Due {
  readonly reason: StopReason;
  readonly at: number;
  readonly explanation: string;
}

/** The earliest stop that is due if nothing changes, with its explanation. */
function dueStop(s: IdleState, p: IdlePolicy, now: number): Due | undefined {
  const due: Due[] = [];
  if (s.budget) due.push({ reason: 'budget', at: s.budget.at + p.warnAheadMs, explanation: t('Budget reached: {0}.', s.budget.detail) });
  if (p.maxRuntimeMs !== undefined && s.launchedAt !== undefined) {
    const at = s.launchedAt + p.maxRuntimeMs;
    if (now >= at - p.warnAheadMs) due.push({ reason: 'maxRuntime', at, explanation: t('Maximum runtime of {0} reached.', formatDuration(p.maxRuntimeMs)) });
  }
  const idleAt = idleStopDueAt(s, p);
  if (idleAt !== undefined && personReport(s, p, now + p.warnAheadMs).state === 'quiet') {
    due.push({ reason: 'idle', at: idleAt, explanation: idleExplanation(s, p, now) });
  }
  return due.sort((a, b) => a.at - b.at)[0];
}

function decide(s: IdleState, p: IdlePolicy, now: number, effects: IdleEffect[]): IdleState {
  let state = s;
  if (typeof state.keep?.until === 'number' && now >= state.keep.until) {
    effects.push({ kind: 'keepEnded', at: now });
    state = { ...state, keep: undefined };
  }
  if (state.keep) return state;
  const due = dueStop(state, p, now);
  const w = state.warning;
  if (w) {
    // Any signal that woke up (or a reason that went away) moves the due time past the countdown: withdraw it.
    if (!due || due.at - p.warnAheadMs > now) {
      effects.push({ kind: 'cancelWarning', at: now, reason: w.reason, explanation: cancelText(w.reason, state, p, now) });
      return { ...state, warning: undefined };
    }
    if (now >= w.stopAt) {
      effects.push({ kind: 'stop', at: now, reason: w.reason, explanation: due.explanation });
      return { ...state, warning: undefined, stop: { at: now, reason: w.reason } };
    }
    return state;
  }
  if (due && now >= due.at - p.warnAheadMs) {
    // The countdown is never shorter than promised, even when the stop became due while kept or asleep.
    const stopAt = Math.max(due.at, now + p.warnAheadMs);
    effects.push({ kind: 'warn', at: now, reason: due.reason, stopAt, explanation: due.explanation });
    return { ...state, warning: { reason: due.reason, issuedAt: now, stopAt } };
  }
  return state;
}

function idleExplanation(s: IdleState, p: IdlePolicy, now: number): string {
  const parts = [gpuReport(s, p).text, personReport(s, p, now).text, progressReport(s, p, now).text];
  return t('Idle: {0}.', parts.join(t('; ')));
}

function cancelText(reason: StopReason, s: IdleState, p: IdlePolicy, now: number): string {
  if (reason !== 'idle') return t('The stop reason no longer holds.');
  const busy = [gpuReport(s, p), personReport(s, p, now), progressReport(s, p, now)].filter((r) => r.state !== 'quiet');
  return t('No longer idle: {0}.', busy.map((r) => r.text).join(t('; ')) || t('activity'));
}

function verdictOf(s: IdleState, p: IdlePolicy, now: number): IdleVerdict {
  const signals = { gpu: gpuReport(s, p), person: personReport(s, p, now), progress: progressReport(s, p, now) };
  const base = { idleForMs: idleFor(s, p, now), windowMs: p.idleWindowMs, signals };
  if (s.stop) return { ...base, status: 'stopped', reason: s.stop.reason, explanation: t('Stop requested ({0}).', reasonLabel(s.stop.reason)) };
  if (s.warning) {
    return { ...base, status: 'warning', reason: s.warning.reason, stopAt: s.warning.stopAt, explanation: t('Stopping in {0} ({1}).', formatDuration(s.warning.stopAt - now), reasonLabel(s.warning.reason)) };
  }
  if (s.keep) {
    const explanation = s.keep.until === 'untilISay' ? t('Kept until you say otherwise.') : t('Kept for {0}.', formatDuration(s.keep.until - now));
    return { ...base, status: 'kept', explanation };
  }
  const busy = Object.values(signals).filter((r) => r.state !== 'quiet');
  if (busy.length > 0) return { ...base, status: 'busy', explanation: t('Busy: {0}.', busy.map((r) => r.text).join(t('; '))) };
  return { ...base, status: 'idle', explanation: t('Idle {0} of {1}: {2}.', formatDuration(base.idleForMs), formatDuration(p.idleWindowMs), Object.values(signals).map((r) => r.text).join(t('; '))) };
}

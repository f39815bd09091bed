import { addGpuTick, advanceGpu, INITIAL_GPU_SIGNAL, markUnmeasured } from './gpuSignal';
import type { IdleEffect, IdleObservation, IdleState, IdleStep, IdleVerdict, StopReason } from './idleTypes';
import type { IdlePolicy } from './policy';
import { formatDuration, gpuReport, idleFor, idleStopDueAt, personReport, progressReport } from './signals';

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
      return { ...s, gpu: advanceGpu(s.gpu, now, p), lastProgress: { at: now, what: obs.what, path: obs.path } };
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
      effects.push({ kind: 'stop', at: now, reason: 'user', explanation: 'Stopped on request.' });
      return { ...s, warning: undefined, stop: { at: now, reason: 'user' } };
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
  if (s.budget) due.push({ reason: 'budget', at: s.budget.at + p.warnAheadMs, explanation: `Budget reached: ${s.budget.detail}.` });
  if (p.maxRuntimeMs !== undefined && s.launchedAt !== undefined) {
    const at = s.launchedAt + p.maxRuntimeMs;
    if (now >= at - p.warnAheadMs) due.push({ reason: 'maxRuntime', at, explanation: `Maximum runtime of ${formatDuration(p.maxRuntimeMs)} reached.` });
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
  return `Idle: ${parts.join('; ')}.`;
}

function cancelText(reason: StopReason, s: IdleState, p: IdlePolicy, now: number): string {
  if (reason !== 'idle') return 'The stop reason no longer holds.';
  const busy = [gpuReport(s, p), personReport(s, p, now), progressReport(s, p, now)].filter((r) => r.state !== 'quiet');
  return `No longer idle: ${busy.map((r) => r.text).join('; ') || 'activity'}.`;
}

function verdictOf(s: IdleState, p: IdlePolicy, now: number): IdleVerdict {
  const signals = { gpu: gpuReport(s, p), person: personReport(s, p, now), progress: progressReport(s, p, now) };
  const base = { idleForMs: idleFor(s, p, now), windowMs: p.idleWindowMs, signals };
  if (s.stop) return { ...base, status: 'stopped', reason: s.stop.reason, explanation: `Stop requested (${s.stop.reason}).` };
  if (s.warning) {
    return { ...base, status: 'warning', reason: s.warning.reason, stopAt: s.warning.stopAt, explanation: `Stopping in ${formatDuration(s.warning.stopAt - now)} (${s.warning.reason}).` };
  }
  if (s.keep) {
    const until = s.keep.until === 'untilISay' ? 'until you say otherwise' : `for ${formatDuration(s.keep.until - now)}`;
    return { ...base, status: 'kept', explanation: `Kept ${until}.` };
  }
  const busy = Object.values(signals).filter((r) => r.state !== 'quiet');
  if (busy.length > 0) return { ...base, status: 'busy', explanation: `Busy: ${busy.map((r) => r.text).join('; ')}.` };
  return { ...base, status: 'idle', explanation: `Idle ${formatDuration(base.idleForMs)} of ${formatDuration(p.idleWindowMs)}: ${Object.values(signals).map((r) => r.text).join('; ')}.` };
}

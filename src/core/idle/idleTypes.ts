import type { GpuSignalState } from './gpuSignal';

/** What a person did in VS Code on this instance. An open window by itself is not in this list on purpose. */
export type ActivitySource = 'remoteWindowFocus' | 'terminalInput' | 'terminalOutput' | 'dashboardFocus' | 'editorEdit';

/** Everything the reducer can be told. Its time is the `now` given with it. */
export type IdleObservation =
  | { readonly kind: 'tick' }
  /** One telemetry tick: each GPU's utilisation in percent. Memory is deliberately not part of it. */
  | { readonly kind: 'gpuSample'; readonly utilisationPercent: readonly number[] }
  /** nvidia-smi failing, SSH down, no samples: "cannot measure", which counts as busy. */
  | { readonly kind: 'gpuUnavailable'; readonly why: string }
  | { readonly kind: 'activity'; readonly source: ActivitySource }
  /** A Remote-SSH window is open on the instance. Recorded for the explanation, never counted as activity. */
  | { readonly kind: 'windowOpen'; readonly open: boolean }
  /** A new checkpoint, or a log file that grew (by `bytes` since the previous look, where known). */
  | { readonly kind: 'progress'; readonly what: 'checkpoint' | 'logGrew'; readonly path: string; readonly bytes?: number }
  /** The provider's launch time (for the maximum runtime). */
  | { readonly kind: 'launched'; readonly at: number }
  | { readonly kind: 'budgetExceeded'; readonly detail: string }
  | { readonly kind: 'budgetCleared' }
  /** The warning's buttons. */
  | { readonly kind: 'keep'; readonly until: 'keepWindow' | 'untilISay' }
  | { readonly kind: 'release' }
  | { readonly kind: 'stopNow' }
  /** The instance was seen running again after a stop: arm afresh. */
  | { readonly kind: 'running' };

export type StopReason = 'idle' | 'maxRuntime' | 'budget' | 'user';

export interface IdleState {
  /** When the reducer first saw this instance; person and progress count as quiet from here. */
  readonly armedAt: number;
  readonly gpu: GpuSignalState;
  readonly lastActivity?: { readonly at: number; readonly source: ActivitySource };
  readonly windowOpen: boolean;
  readonly lastProgress?: { readonly at: number; readonly what: 'checkpoint' | 'logGrew'; readonly path: string; readonly bytes?: number };
  readonly launchedAt?: number;
  readonly budget?: { readonly at: number; readonly detail: string };
  readonly keep?: { readonly at: number; readonly until: number | 'untilISay' };
  readonly warning?: { readonly reason: StopReason; readonly issuedAt: number; readonly stopAt: number };
  /** Set once a stop was asked for: it is never asked for twice. */
  readonly stop?: { readonly at: number; readonly reason: StopReason };
}

/** Effects for the caller to carry out; every one of them also belongs in the audit log (describeEffect). */
export type IdleEffect =
  | { readonly kind: 'warn'; readonly at: number; readonly reason: StopReason; readonly stopAt: number; readonly explanation: string }
  | { readonly kind: 'cancelWarning'; readonly at: number; readonly reason: StopReason; readonly explanation: string }
  | { readonly kind: 'stop'; readonly at: number; readonly reason: StopReason; readonly explanation: string }
  | { readonly kind: 'kept'; readonly at: number; readonly until: number | 'untilISay' }
  | { readonly kind: 'keepEnded'; readonly at: number };

export type SignalState = 'busy' | 'quiet' | 'unmeasured';

export interface SignalReport {
  readonly state: SignalState;
  /** Quiet since (state quiet) or last busy at (busy/unmeasured), epoch ms, where known. */
  readonly since?: number;
  readonly text: string;
}

export interface IdleVerdict {
  readonly status: 'busy' | 'idle' | 'warning' | 'kept' | 'stopped';
  /** How long every signal has been quiet; compare with windowMs ("idle 12 of 30 min"). */
  readonly idleForMs: number;
  readonly windowMs: number;
  readonly signals: { readonly gpu: SignalReport; readonly person: SignalReport; readonly progress: SignalReport };
  readonly reason?: StopReason;
  readonly stopAt?: number;
  readonly explanation: string;
}

export interface IdleStep {
  readonly state: IdleState;
  readonly effects: readonly IdleEffect[];
  readonly verdict: IdleVerdict;
}

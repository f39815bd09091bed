import type { ErrorReason } from '../errors';
import type { ConnectionState, ConnectionView } from '../../shared/telemetryProtocol';

/** What happened to a host's stream. Times are the caller's clock (epoch ms). */
export type StreamEvent =
  | { readonly type: 'connecting'; readonly at: number }
  | { readonly type: 'connected'; readonly at: number }
  | { readonly type: 'sample'; readonly at: number }
  /** A failure; with `retryInMs` a reconnect is scheduled, without it the stream gave up (e.g. no nvidia-smi). */
  | { readonly type: 'error'; readonly at: number; readonly error: StreamError; readonly retryInMs?: number }
  /** The stream ended; with `retryInMs` it will be restarted, without it it was stopped on purpose. */
  | { readonly type: 'closed'; readonly at: number; readonly retryInMs?: number }
  | { readonly type: 'tick'; readonly now: number };

export interface StreamError {
  readonly reason: ErrorReason;
  /** Safe to show (RemoteGpuError.message). */
  readonly message: string;
}

type Link = 'connecting' | 'open' | 'waiting' | 'stopped';

/** The reducer's state. Read `phase` and use toConnectionView for the UI. */
export interface StreamState {
  readonly phase: ConnectionState;
  readonly link: Link;
  readonly now: number;
  readonly connectedAt: number | undefined;
  readonly lastSampleAt: number | undefined;
  readonly retryAt: number | undefined;
  readonly lastError: StreamError | undefined;
}

export interface StreamStateConfig {
  readonly intervalMs: number;
}

/**
 * Connected but silent for this long = stale: three intervals, but never less than 2 s, so a 100 ms stream over a
 * WAN link does not flicker between live and stale on ordinary jitter.
 */
export function staleAfterMs(intervalMs: number): number {
  return Math.max(3 * intervalMs, 2_000);
}

export function initialStreamState(now: number): StreamState {
  return { phase: 'stopped', link: 'stopped', now, connectedAt: undefined, lastSampleAt: undefined, retryAt: undefined, lastError: undefined };
}

/** Pure: the next state for an event. `tick` only moves time on, which is how live turns stale. */
export function reduceStreamState(state: StreamState, event: StreamEvent, config: StreamStateConfig): StreamState {
  const now = Math.max(state.now, event.type === 'tick' ? event.now : event.at);
  const next = apply({ ...state, now }, event, now);
  return { ...next, phase: derivePhase(next, config) };
}

function apply(s: StreamState, event: StreamEvent, now: number): StreamState {
  switch (event.type) {
    case 'connecting':
      return { ...s, link: 'connecting', retryAt: undefined };
    case 'connected':
      return { ...s, link: 'open', connectedAt: now, retryAt: undefined };
    case 'sample':
      // A sample proves the stream works: the error that caused the last reconnect is history.
      return { ...s, link: 'open', lastSampleAt: now, lastError: undefined, connectedAt: s.connectedAt ?? now };
    case 'error':
      return retryOrStop({ ...s, lastError: event.error }, now, event.retryInMs);
    case 'closed':
      return retryOrStop(s, now, event.retryInMs);
    case 'tick':
      return s;
  }
}

function retryOrStop(s: StreamState, now: number, retryInMs: number | undefined): StreamState {
  if (retryInMs === undefined) return { ...s, link: 'stopped', connectedAt: undefined, retryAt: undefined };
  return { ...s, link: 'waiting', connectedAt: undefined, retryAt: now + Math.max(0, retryInMs) };
}

function derivePhase(s: StreamState, config: StreamStateConfig): ConnectionState {
  if (s.link === 'stopped') return 'stopped';
  // "Reconnecting" promises the stream worked once: until a first sample arrived, a wait for the next attempt (the
  // first connect failed, nvidia-smi missing) is still connecting, with its countdown in `retryAt`.
  const wasLive = s.lastSampleAt !== undefined;
  if (s.link === 'waiting' || s.link === 'connecting') return wasLive ? 'reconnecting' : 'connecting';
  const limit = staleAfterMs(config.intervalMs);
  const sampledSinceConnect = wasLive && s.connectedAt !== undefined && (s.lastSampleAt as number) >= s.connectedAt;
  if (sampledSinceConnect && s.now - (s.lastSampleAt as number) <= limit) return 'live';
  // Just connected and the first row is not due yet: not stale, still starting.
  if (!sampledSinceConnect && s.connectedAt !== undefined && s.now - s.connectedAt <= limit) return wasLive ? 'reconnecting' : 'connecting';
  return 'stale';
}

/** Age of the newest sample at the state's `now`, or undefined before the first one. */
export function lastSampleAgeMs(state: StreamState): number | undefined {
  return state.lastSampleAt === undefined ? undefined : Math.max(0, state.now - state.lastSampleAt);
}

/** The connection part of a dashboard snapshot. */
export function toConnectionView(state: StreamState): ConnectionView {
  const age = lastSampleAgeMs(state);
  return {
    state: state.phase,
    lastSampleAgeMs: age === undefined ? null : Math.round(age),
    retryInMs: state.retryAt === undefined ? null : Math.max(0, Math.round(state.retryAt - state.now)),
    error: state.lastError ? { reason: state.lastError.reason, message: state.lastError.message.slice(0, 500) } : null,
  };
}

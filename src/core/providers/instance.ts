import type { Micros } from './money';
import type { ProviderId } from './providerId';

/**
 * One lifecycle for every provider. Providers map their own status strings here; a status nobody knows yet is
 * 'unknown' (never a crash), and the raw string stays in `providerStatus` for the log and the tooltip.
 */
export type InstanceState =
  | 'provisioning' // the provider is finding or allocating a machine
  | 'booting' // allocated, OS or container starting; SSH not ready
  | 'running'
  | 'stopping'
  | 'stopped'
  | 'terminating'
  | 'terminated'
  | 'error'
  | 'unknown';

/** Where to SSH. Present only once the provider reports a reachable address. */
export interface SshEndpoint {
  readonly host: string;
  readonly port: number;
  readonly user: string;
}

/** A rented machine, normalised. */
export interface Instance {
  readonly provider: ProviderId;
  readonly id: string;
  readonly name: string;
  readonly state: InstanceState;
  readonly providerStatus: string;
  readonly gpuModel: string;
  /** Can be 0: a RunPod pod restarted on a full host comes back without GPUs. */
  readonly gpuCount: number;
  /** What it bills per hour now, as the provider reports it (RunPod reports 0 while stopped). */
  readonly priceMicrosPerHour: Micros;
  /** Epoch ms; undefined where the provider does not say (Lambda). */
  readonly createdAt?: number;
  /**
   * Epoch ms: when the instance entered its current state, as the provider says (EC2 LaunchTime or the time in
   * StateTransitionReason, RunPod startedAt or lastStatusChange, a running Vast instance's uptime_mins). The cost
   * ledger splits a gap at it, so a stop, start or termination while VS Code was closed is billed from when it
   * happened. Undefined where the provider does not say (a Vast stop, Lambda) or said something implausible (see
   * plausibleStateSince).
   */
  readonly stateSince?: number;
  readonly ssh?: SshEndpoint;
  readonly region?: string;
  /**
   * False where this instance cannot stop although its provider can: a one-time EC2 spot instance (AWS refuses
   * StopInstances for it). Absent means the provider's capabilities decide.
   */
  readonly canStop?: boolean;
}

/**
 * A provider's "in this state since" time, or undefined when it cannot be right: not a finite number, in the
 * future (by our clock), or before the instance was created. Providers send free text here; a wrong time would move
 * money between rates, so doubt means "not known" and the ledger falls back to its plain rule.
 */
export function plausibleStateSince(ms: number | undefined, now: number, createdAt?: number): number | undefined {
  if (ms === undefined || !Number.isFinite(ms) || ms <= 0 || ms > now) return undefined;
  if (createdAt !== undefined && ms < createdAt) return undefined;
  return Math.round(ms);
}

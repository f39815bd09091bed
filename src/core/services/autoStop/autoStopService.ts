import { toRemoteGpuError } from '../../errors';
import { describeEffect } from '../../idle/audit';
import { initialIdleState, reduceIdle } from '../../idle/idleReducer';
import type { IdleEffect, IdleObservation, IdleState, IdleVerdict } from '../../idle/idleTypes';
import type { IdlePolicy } from '../../idle/policy';
import type { Logger } from '../../logger';
import type { Clock } from '../../providers/time';

/** Per-instance idle state as stored (the extension's global state), so timers and keeps survive a restart. */
export type StoredAutoStop = Readonly<Record<string, IdleState>>;

export interface AutoStopStore {
  load(): StoredAutoStop | undefined;
  save(states: StoredAutoStop): Promise<void>;
}

/** What the UI and the lifecycle code do with the reducer's effects. */
export interface AutoStopActions {
  warn(key: string, effect: Extract<IdleEffect, { kind: 'warn' }>): void;
  withdraw(key: string, effect: Extract<IdleEffect, { kind: 'cancelWarning' }>): void;
  stop(key: string, effect: Extract<IdleEffect, { kind: 'stop' }>): Promise<void>;
}

export interface AutoStopPorts {
  readonly clock: Clock;
  readonly store: AutoStopStore;
  readonly actions: AutoStopActions;
  /** The audit log: every warning, keep, stop and its reason. */
  readonly logger: Logger;
  /** The policy for an instance, or undefined where auto-stop is off for it. */
  readonly policyFor: (key: string) => IdlePolicy | undefined;
}

const AUDIT_KEPT = 200;

/**
 * Runs the idle reducer per instance: feeds it observations, stores its state before acting (so a stop is never sent
 * twice, also across a restart), hands effects to the actions and writes each to the audit log.
 */
export class AutoStopService {
  private readonly states = new Map<string, IdleState>();
  private readonly verdicts = new Map<string, IdleVerdict>();
  private readonly audits = new Map<string, string[]>();
  private readonly listeners = new Set<(key: string) => void>();

  constructor(private readonly ports: AutoStopPorts) {
    for (const [key, state] of Object.entries(ports.store.load() ?? {})) this.states.set(key, state);
  }

  async observe(key: string, obs: IdleObservation): Promise<void> {
    const policy = this.ports.policyFor(key);
    if (!policy) return;
    const now = this.ports.clock.now();
    const before = this.states.get(key);
    const step = reduceIdle(before ?? initialIdleState(now), obs, policy, now);
    this.states.set(key, step.state);
    this.verdicts.set(key, step.verdict);
    // Saved before acting, and once per closed bucket: a window reload resumes the count where it was. A longer gap
    // (VS Code closed) has buckets nobody measured, which count as busy; the watchdog covers those hours.
    if (step.effects.length > 0 || before?.gpu.bucketStart !== step.state.gpu.bucketStart) await this.ports.store.save(Object.fromEntries(this.states));
    for (const effect of step.effects) await this.dispatch(key, effect);
    for (const l of this.listeners) l(key);
  }

  /** Time passes for every instance with auto-stop on (the caller's minute timer). */
  async tickAll(): Promise<void> {
    for (const key of [...this.states.keys()]) await this.observe(key, { kind: 'tick' });
  }

  verdict(key: string): IdleVerdict | undefined {
    return this.verdicts.get(key);
  }

  audit(key: string): readonly string[] {
    return this.audits.get(key) ?? [];
  }

  /** The instance is gone (terminated): forget it. */
  async forget(key: string): Promise<void> {
    if (!this.states.delete(key)) return;
    this.verdicts.delete(key);
    await this.ports.store.save(Object.fromEntries(this.states));
  }

  onChange(listener: (key: string) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  private async dispatch(key: string, effect: IdleEffect): Promise<void> {
    const line = `${key}: ${describeEffect(effect)}`;
    this.ports.logger.info(`auto-stop ${line}`);
    const audit = this.audits.get(key) ?? [];
    audit.push(line);
    this.audits.set(key, audit.slice(-AUDIT_KEPT));
    try {
      if (effect.kind === 'warn') this.ports.actions.warn(key, effect);
      else if (effect.kind === 'cancelWarning') this.ports.actions.withdraw(key, effect);
      else if (effect.kind === 'stop') await this.ports.actions.stop(key, effect);
    } catch (e) {
      // The stop stays recorded as sent: a failed stop is reported, never retried behind the user's back.
      this.ports.logger.error(`auto-stop ${key}: ${effect.kind} failed`, toRemoteGpuError(e));
    }
  }
}

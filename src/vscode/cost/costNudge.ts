import { instanceHostId } from '../../core/hosts/instanceSshHost';
import type { Instance } from '../../core/providers/instance';
import type { TimerHandle, Timers } from '../../core/services/telemetry/ports';

export interface CostNudgeDeps {
  readonly timers: Timers;
  /** Whether the ledger has lines for a machine ("provider:id"), i.e. the dashboard can already show its cost. */
  readonly known: (key: string) => boolean;
  /** One cost round (CostFeature.tick: concurrent calls share the round in flight). */
  readonly tick: () => unknown;
  /** How long to gather listings before the round: a poll lists every provider within a moment. */
  readonly delayMs: number;
}

/** A couple of seconds: the providers of one poll arrive together, and the tree's fresh list is then ready for reuse. */
export const COST_NUDGE_DELAY_MS = 2000;

/**
 * Runs a cost round soon, not at the next minute, when a listing shows something the counters do not reflect yet:
 * an instance the ledger has no line for (just launched: the dashboard and the tree would show no "This machine" for
 * up to a minute), or an instance whose state changed (started, stopped, terminated: its rate changed). Each
 * (instance, state) triggers at most once, so an instance that never gets a ledger line (no price) does not make
 * every poll a cost round; rounds asked for within `delayMs` are one.
 */
export class CostNudge {
  private readonly seen = new Map<string, Instance['state']>();
  private timer: TimerHandle | undefined;

  constructor(private readonly deps: CostNudgeDeps) {}

  /** A provider's successful listing (the tree's `onListed`). */
  listed(providerId: string, instances: readonly Instance[]): void {
    let due = false;
    const listed = new Set<string>();
    for (const instance of instances) {
      const key = instanceHostId(instance);
      listed.add(key);
      const before = this.seen.get(key);
      this.seen.set(key, instance.state);
      if (before === undefined ? instance.state !== 'terminated' && !this.deps.known(key) : before !== instance.state) due = true;
    }
    // Gone from the provider's list: forgotten, so the map stays as long as the lists.
    for (const key of [...this.seen.keys()]) if (key.startsWith(`${providerId}:`) && !listed.has(key)) this.seen.delete(key);
    if (due) this.schedule();
  }

  dispose(): void {
    if (this.timer !== undefined) this.deps.timers.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(): void {
    // Not pushed back by later listings: a steady stream of changes still gets its round within delayMs.
    if (this.timer !== undefined) return;
    this.timer = this.deps.timers.setTimeout(() => {
      this.timer = undefined;
      void this.deps.tick();
    }, this.deps.delayMs);
  }
}

import { describe, expect, it } from 'vitest';
import type { Instance, InstanceState } from '../../core/providers/instance';
import { VirtualTime } from '../../core/services/telemetry/telemetryFakes.testkit';
import { CostNudge } from './costNudge';

const pod = (id: string, state: InstanceState): Instance => ({
  provider: 'runpod',
  id,
  name: id,
  state,
  providerStatus: state.toUpperCase(),
  gpuModel: 'H100',
  gpuCount: 1,
  priceMicrosPerHour: 2_690_000,
});

/** A nudge on virtual time whose ledger knows `known`; `rounds` counts the cost rounds it ran. */
function world(known: string[] = []) {
  const time = new VirtualTime();
  const ledger = new Set(known);
  const w = { time, ledger, rounds: 0, nudge: undefined as unknown as CostNudge };
  w.nudge = new CostNudge({ timers: time, known: (k) => ledger.has(k), tick: () => void w.rounds++, delayMs: 2000 });
  return w;
}

describe('a cost round soon after a listing shows something new', () => {
  it('a newly listed instance the ledger does not know gets a round after the delay, not at the next minute', async () => {
    const w = world(['runpod:old']);
    w.nudge.listed('runpod', [pod('old', 'running')]);
    await w.time.advance(60_000);
    expect(w.rounds).toBe(0);
    w.nudge.listed('runpod', [pod('old', 'running'), pod('new', 'booting')]);
    await w.time.advance(1999);
    expect(w.rounds).toBe(0);
    await w.time.advance(1);
    expect(w.rounds).toBe(1);
  });

  it('listings within the delay make one round; the same unknown instance listed again makes none', async () => {
    const w = world();
    w.nudge.listed('runpod', [pod('a', 'running')]);
    await w.time.advance(500);
    w.nudge.listed('lambda', [{ ...pod('b', 'running'), provider: 'lambda' }]);
    await w.time.advance(1500);
    expect(w.rounds).toBe(1);
    // Still not in the ledger (no price, say): later polls do not make every minute a round of its own.
    for (let i = 0; i < 5; i++) {
      w.nudge.listed('runpod', [pod('a', 'running')]);
      await w.time.advance(60_000);
    }
    expect(w.rounds).toBe(1);
  });

  it('a state change (booting → running → stopped) gets a round each time, known to the ledger or not', async () => {
    const w = world(['runpod:p']);
    w.nudge.listed('runpod', [pod('p', 'booting')]);
    await w.time.advance(5000);
    expect(w.rounds).toBe(0);
    w.nudge.listed('runpod', [pod('p', 'running')]);
    await w.time.advance(5000);
    w.nudge.listed('runpod', [pod('p', 'running')]);
    await w.time.advance(5000);
    w.nudge.listed('runpod', [pod('p', 'stopped')]);
    await w.time.advance(5000);
    expect(w.rounds).toBe(2);
  });

  it('a terminated instance first seen needs no round; one gone from the list and back counts as new', async () => {
    const w = world();
    w.nudge.listed('runpod', [pod('t', 'terminated')]);
    await w.time.advance(5000);
    expect(w.rounds).toBe(0);
    w.nudge.listed('runpod', [pod('x', 'running')]);
    await w.time.advance(5000);
    w.nudge.listed('runpod', []);
    w.nudge.listed('runpod', [pod('x', 'running')]);
    await w.time.advance(5000);
    expect(w.rounds).toBe(2);
  });

  it('dispose cancels a round not yet run', async () => {
    const w = world();
    w.nudge.listed('runpod', [pod('a', 'running')]);
    w.nudge.dispose();
    await w.time.advance(5000);
    expect(w.rounds).toBe(0);
    expect(w.time.pending).toBe(0);
  });
});

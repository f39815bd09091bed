import { describe, expect, it } from 'vitest';
import type { IdleEffect } from '../../idle/idleTypes';
import { DEFAULT_IDLE_POLICY } from '../../idle/policy';
import { silentLogger } from '../../logger';
import type { StoredAutoStop } from './autoStopService';
import { AutoStopService } from './autoStopService';

const MIN = 60_000;
const T0 = Date.UTC(2026, 10, 23, 9, 0, 0);

function rig(stored?: StoredAutoStop, failStop = false) {
  const clock = { t: T0, now() { return this.t; } };
  const saved: StoredAutoStop[] = [];
  const calls: string[] = [];
  const service = new AutoStopService({
    clock,
    store: { load: () => stored, save: async (s) => { saved.push(JSON.parse(JSON.stringify(s)) as StoredAutoStop); } },
    actions: {
      warn: (key, e) => calls.push(`warn ${key} ${(e.stopAt - T0) / MIN}`),
      withdraw: (key) => calls.push(`withdraw ${key}`),
      stop: async (key, e: Extract<IdleEffect, { kind: 'stop' }>) => {
        calls.push(`stop ${key} ${e.reason}`);
        if (failStop) throw new Error('provider said no');
      },
    },
    logger: silentLogger,
    policyFor: (key) => (key === 'off' ? undefined : DEFAULT_IDLE_POLICY),
  });
  const quietUntil = async (key: string, m: number) => {
    while (clock.t < T0 + m * MIN) {
      await service.observe(key, { kind: 'gpuSample', utilisationPercent: [0] });
      clock.t += 10_000;
    }
  };
  return { clock, saved, calls, service, quietUntil };
}

describe('AutoStopService', () => {
  it('warns, stops once, and writes each effect to the audit log', async () => {
    const r = rig();
    await r.quietUntil('runpod:a', 45);
    expect(r.calls).toEqual(['warn runpod:a 30', 'stop runpod:a idle']);
    expect(r.service.audit('runpod:a')).toHaveLength(2);
    expect(r.service.audit('runpod:a')[1]).toMatch(/stop \(idle\)\. Idle: GPUs under 5 %/);
    expect(r.service.verdict('runpod:a')?.status).toBe('stopped');
  });

  it('resumes the count and the warning after a window reload; a stop sent before is never sent again', async () => {
    const first = rig();
    await first.quietUntil('k', 25);
    const stored = first.saved.at(-1);
    const second = rig(stored);
    second.clock.t = first.clock.t + 5000; // a reload takes seconds
    await second.quietUntil('k', 40);
    expect(second.calls).toEqual(['stop k idle']);
    const third = rig(second.saved.at(-1));
    third.clock.t = second.clock.t;
    await third.quietUntil('k', 90);
    expect(third.calls).toEqual([]);
  });

  it('after VS Code was closed for hours the unmeasured gap counts as busy: a fresh window, no stop on arrival', async () => {
    const first = rig();
    await first.quietUntil('k', 25);
    const second = rig(first.saved.at(-1));
    second.clock.t = first.clock.t + 3 * 60 * MIN;
    await second.quietUntil('k', 3 * 60 + 44);
    expect(second.calls).toEqual(['withdraw k']);
    await second.quietUntil('k', 3 * 60 + 60);
    expect(second.calls).toEqual(['withdraw k', 'warn k 235', 'stop k idle']);
  });

  it('auto-stop off for an instance: nothing happens; a failing stop is logged and not retried', async () => {
    const r = rig(undefined, true);
    await r.quietUntil('off', 60);
    expect(r.calls).toEqual([]);
    await r.quietUntil('x', 120);
    expect(r.calls.filter((c) => c.startsWith('stop'))).toEqual(['stop x idle']);
  });
});

import { describe, expect, it } from 'vitest';
import type { Instance, InstanceState } from './instance';
import { isReadyForSsh, waitForInstance } from './waitForInstance';

function instance(state: InstanceState, ssh?: Instance['ssh']): Instance {
  return { provider: 'runpod', id: 'i1', name: 'n', state, providerStatus: state, gpuModel: 'A10', gpuCount: 1, priceMicrosPerHour: 1, ...(ssh ? { ssh } : {}) };
}

/** Virtual time: sleep advances the clock, so a ten-minute wait runs in microseconds. */
function virtualTime() {
  let now = 0;
  return { clock: { now: () => now }, sleep: async (ms: number) => void (now += ms) };
}

describe('waitForInstance', () => {
  it('polls until running with SSH and reports each change once', async () => {
    const script = [instance('provisioning'), instance('booting'), instance('booting'), instance('running'), instance('running', { host: 'h', port: 22, user: 'root' })];
    const seen: string[] = [];
    const t = virtualTime();
    const got = await waitForInstance({ getInstance: async () => script.shift() ?? instance('error') }, 'i1', {
      ...t,
      until: isReadyForSsh,
      intervalMs: 5000,
      timeoutMs: 600_000,
      onChange: (i) => seen.push(`${i.state}${i.ssh ? '+ssh' : ''}`),
    });
    expect(got.ssh?.host).toBe('h');
    expect(seen).toEqual(['provisioning', 'booting', 'running', 'running+ssh']);
  });

  it('times out on the injected clock', async () => {
    const t = virtualTime();
    const p = waitForInstance({ getInstance: async () => instance('booting') }, 'i1', { ...t, until: isReadyForSsh, intervalMs: 5000, timeoutMs: 30 * 60_000 });
    await expect(p).rejects.toMatchObject({ reason: 'timeout' });
    expect(t.clock.now()).toBe(30 * 60_000);
  });

  it('fails fast when the instance ends in error or terminated', async () => {
    const t = virtualTime();
    const p = waitForInstance({ getInstance: async () => instance('terminated') }, 'i1', { ...t, until: isReadyForSsh, intervalMs: 5000, timeoutMs: 60_000 });
    await expect(p).rejects.toMatchObject({ reason: 'remoteFailed' });
  });

  it('stops when cancelled', async () => {
    const abort = new AbortController();
    abort.abort();
    const p = waitForInstance({ getInstance: async () => instance('booting') }, 'i1', { ...virtualTime(), until: isReadyForSsh, intervalMs: 1, timeoutMs: 10, signal: abort.signal });
    await expect(p).rejects.toMatchObject({ reason: 'cancelled' });
  });
});

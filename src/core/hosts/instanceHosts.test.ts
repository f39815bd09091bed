import { describe, expect, it } from 'vitest';
import { silentLogger } from '../logger';
import type { Instance } from '../providers/instance';
import { InstanceHosts, LAUNCH_KEYS_STATE, type KeyValueStore } from './instanceHosts';

const pod: Instance = {
  provider: 'runpod',
  id: 'p1',
  name: 'train',
  state: 'running',
  providerStatus: 'RUNNING',
  gpuModel: 'RTX 4090',
  gpuCount: 1,
  priceMicrosPerHour: 690_000,
  ssh: { host: '10.0.0.1', port: 22, user: 'root' },
};

/** A Memento-like store that keeps values as JSON, like globalState does across a reload. */
function memoryStore(initial: Record<string, unknown> = {}): KeyValueStore & { data: Record<string, string> } {
  const data: Record<string, string> = Object.fromEntries(Object.entries(initial).map(([k, v]) => [k, JSON.stringify(v)]));
  return {
    data,
    get: (key) => (key in data ? JSON.parse(data[key] as string) : undefined),
    update: (key, value) => {
      data[key] = JSON.stringify(value);
      return Promise.resolve();
    },
  };
}

describe('InstanceHosts', () => {
  it('offers the launch key first, before the configured keys, and does not list it twice', async () => {
    const hosts = new InstanceHosts({ identityFiles: () => ['/home/u/.ssh/id_ed25519', '/keys/launch'], store: memoryStore(), logger: silentLogger });
    expect(hosts.hostOf(pod)?.identityFiles).toEqual(['/home/u/.ssh/id_ed25519', '/keys/launch']);
    await hosts.rememberLaunchKey(pod, '/keys/launch');
    expect(hosts.hostOf(pod)?.identityFiles).toEqual(['/keys/launch', '/home/u/.ssh/id_ed25519']);
  });

  it('gives equal hosts to every caller, also after a reload (a new instance over the same state)', async () => {
    const store = memoryStore();
    const before = new InstanceHosts({ identityFiles: () => ['/k'], store, logger: silentLogger });
    await before.rememberLaunchKey(pod, '/keys/launch');
    const provisionSide = before.hostOf(pod);
    const treeSide = before.hostOf({ ...pod });
    expect(treeSide).toEqual(provisionSide);
    const afterReload = new InstanceHosts({ identityFiles: () => ['/k'], store, logger: silentLogger });
    expect(afterReload.hostOf(pod)).toEqual(provisionSide);
  });

  it('stores only key paths, keyed by host id, and forgets a terminated instance', async () => {
    const store = memoryStore();
    const hosts = new InstanceHosts({ identityFiles: () => [], store, logger: silentLogger });
    await hosts.rememberLaunchKey(pod, '/keys/launch');
    await hosts.rememberLaunchKey({ provider: 'lambda', id: 'l1' }, '/keys/other');
    expect(store.get(LAUNCH_KEYS_STATE)).toEqual({ 'runpod:p1': '/keys/launch', 'lambda:l1': '/keys/other' });
    await hosts.forget('runpod:p1');
    expect(store.get(LAUNCH_KEYS_STATE)).toEqual({ 'lambda:l1': '/keys/other' });
    expect(hosts.hostOf(pod)?.identityFiles).toEqual([]);
  });

  it('ignores unreadable state instead of failing (the configured keys are still offered)', () => {
    const hosts = new InstanceHosts({ identityFiles: () => ['/k'], store: memoryStore({ [LAUNCH_KEYS_STATE]: ['not', 'a', 'map'] }), logger: silentLogger });
    expect(hosts.hostOf(pod)?.identityFiles).toEqual(['/k']);
  });

  it('has no host for a stopped instance', () => {
    const hosts = new InstanceHosts({ identityFiles: () => ['/k'], store: memoryStore(), logger: silentLogger });
    expect(hosts.hostOf({ ...pod, state: 'stopped' })).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import type { Instance } from '../providers/instance';
import { instanceHostId, instanceSshHost } from './instanceSshHost';

const running: Instance = {
  provider: 'runpod',
  id: 'abc123',
  name: 'train',
  state: 'running',
  providerStatus: 'RUNNING',
  gpuModel: 'RTX 4090',
  gpuCount: 1,
  priceMicrosPerHour: 690_000,
  ssh: { host: '203.0.113.7', port: 10022, user: 'root' },
};

describe('instanceSshHost', () => {
  it('turns a running instance with an endpoint into an SshHost keyed <provider>:<instanceId>', () => {
    expect(instanceSshHost(running, { identityFiles: ['/home/u/.ssh/id_ed25519'] })).toEqual({
      id: 'runpod:abc123',
      label: 'train',
      source: 'cloud',
      hostname: '203.0.113.7',
      port: 10022,
      user: 'root',
      identityFiles: ['/home/u/.ssh/id_ed25519'],
      identitiesOnly: false,
      pricePerHourMicros: 690_000,
    });
  });

  it('has no host while the instance is not running or has no SSH address yet', () => {
    expect(instanceSshHost({ ...running, state: 'stopped' }, { identityFiles: [] })).toBeUndefined();
    const { ssh: _none, ...booting } = running;
    expect(instanceSshHost(booting, { identityFiles: [] })).toBeUndefined();
  });

  it('labels a nameless instance by its id and leaves out a zero price', () => {
    const host = instanceSshHost({ ...running, name: '', priceMicrosPerHour: 0 }, { identityFiles: [] });
    expect(host?.label).toBe('abc123');
    expect(host).not.toHaveProperty('pricePerHourMicros');
  });

  it('offers the launch key first and never twice', () => {
    expect(instanceSshHost(running, { identityFiles: ['/a', '/launch', '/b'], launchKey: '/launch' })?.identityFiles).toEqual(['/launch', '/a', '/b']);
  });

  it('ids differ across providers for the same instance id', () => {
    expect(instanceHostId({ provider: 'lambda', id: 'x' })).not.toBe(instanceHostId({ provider: 'vast', id: 'x' }));
  });
});

import { describe, expect, it } from 'vitest';
import type { ProviderCapabilities } from './capabilities';
import { hasHostKeyFingerprints, isRestartable, isSshKeyManager, isStoppable, type CloudProvider } from './provider';
import { keyComment, keyMaterial, sameKeyMaterial } from './sshKeys';

const caps: ProviderCapabilities = {
  canStop: true,
  stopKeepsBilling: 'disk',
  gpuMayNotReturnOnStart: true,
  canRestart: false,
  hasSpot: false,
  sshKeys: 'account',
  hostKeyFingerprints: false,
  terminateErasesDisk: true,
};

function provider(extra: object, capabilities: ProviderCapabilities = caps): CloudProvider {
  const base: CloudProvider = {
    id: 'runpod',
    displayName: 'X',
    capabilities,
    listInstances: async () => [],
    getInstance: async () => Promise.reject(new Error('no')),
    listOffers: async () => [],
    provision: async () => ({ instanceId: 'x' }),
    terminate: async () => undefined,
  };
  return Object.assign(base, extra);
}

describe('capability guards', () => {
  it('need both the data flag and the methods', () => {
    const stop = { stop: async () => undefined, start: async () => undefined };
    expect(isStoppable(provider(stop))).toBe(true);
    expect(isStoppable(provider({}))).toBe(false);
    expect(isStoppable(provider(stop, { ...caps, canStop: false }))).toBe(false);
    expect(isRestartable(provider({ restart: async () => undefined }))).toBe(false);
    expect(isSshKeyManager(provider({ listSshKeys: async () => [], uploadSshKey: async () => ({}) }))).toBe(true);
    expect(hasHostKeyFingerprints(provider({ hostKeyFingerprints: async () => [] }))).toBe(false);
  });
});

describe('SSH key identity', () => {
  it('ignores comments and whitespace', () => {
    expect(sameKeyMaterial('ssh-ed25519 AAAA laptop\n', ' ssh-ed25519   AAAA other')).toBe(true);
    expect(sameKeyMaterial('ssh-ed25519 AAAA', 'ssh-ed25519 AAAB')).toBe(false);
    expect(keyMaterial('ssh-rsa BBBB me@x y')).toBe('ssh-rsa BBBB');
    expect(keyComment('ssh-rsa BBBB me@x y')).toBe('me@x y');
  });
});

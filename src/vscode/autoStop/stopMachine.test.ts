import { describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../core/logger';
import type { ProviderCapabilities } from '../../core/providers/capabilities';
import type { CloudProvider } from '../../core/providers/provider';
import type { InstanceNode } from '../tree/nodes';

const shown: string[] = [];
vi.mock('vscode', () => ({
  l10n: { t: (m: string, ...a: unknown[]) => m.replace(/\{(\d+)\}/g, (_, i: string) => String(a[Number(i)])) },
  window: { showWarningMessage: (m: string) => (shown.push(m), Promise.resolve(undefined)), showInformationMessage: (m: string) => (shown.push(m), Promise.resolve(undefined)) },
}));
const { stopMachine } = await import('./stopMachine');

const caps: ProviderCapabilities = { canStop: true, stopKeepsBilling: 'disk', gpuMayNotReturnOnStart: true, canRestart: true, hasSpot: false, sshKeys: 'account', hostKeyFingerprints: false, terminateErasesDisk: true };
const node: InstanceNode = {
  kind: 'instance', providerId: 'runpod', capabilities: caps,
  instance: { provider: 'runpod', id: 'p1', name: 'trainer', state: 'running', providerStatus: 'RUNNING', gpuModel: 'H100', gpuCount: 1, priceMicrosPerHour: 2_000_000 },
};

function provider() {
  const calls: string[] = [];
  const p = {
    id: 'runpod', displayName: 'RunPod', capabilities: caps,
    stop: async (id: string) => void calls.push(`stop ${id}`),
    start: async () => undefined,
    terminate: async (id: string) => void calls.push(`terminate ${id}`),
  } as unknown as CloudProvider;
  return { p, calls };
}

describe('an automatic stop asks the job to save first', () => {
  it('runs save-before-stop, then stops; a terminate held back by its checkpoints is not sent', async () => {
    const { p, calls } = provider();
    const asked: string[] = [];
    const deps = {
      provider: async () => p, connection: async () => { throw new Error('unused'); }, forgetHost: () => undefined, refresh: () => undefined, logger: silentLogger,
      beforeStop: async (_n: InstanceNode, action: 'stop' | 'terminate') => (asked.push(action), action === 'stop'),
    };
    await stopMachine(deps, { kind: 'instance', node }, { action: 'stop', why: 'idle' } as never, 'idle');
    await stopMachine(deps, { kind: 'instance', node }, { action: 'terminate', why: 'budget' } as never, 'budget');
    expect(asked).toEqual(['stop', 'terminate']);
    expect(calls).toEqual(['stop p1']);
  });
});

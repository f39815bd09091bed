import { describe, expect, it } from 'vitest';
import { InstanceHosts } from '../../../src/core/hosts/instanceHosts';
import { silentLogger } from '../../../src/core/logger';
import { runProvisionWizard, type LaunchedInstance } from '../../../src/core/provisioning/provisionWizard';
import { accept, choose, deps, FakeProvider, KEY, offer, press, ScriptedProbe, ScriptedUi, type } from './wizardKit';

// The key a launch used must be remembered for every outcome where the instance exists, not only for "ready":
// an instance kept after its SSH never answered is looked at next, and must be offered the key that is on it.
const pod = () => new FakeProvider('runpod', [offer('runpod', 'COMMUNITY/h100/US-TX-3', { gpuModel: 'H100', vramGiB: 80, priceMicrosPerHour: 2_390_000, region: 'US-TX-3' })]);

describe('Provision remembers the launch key', () => {
  it('remembers the launch key once the instance exists, so one kept after SSH never answered is still offered it first', async () => {
    const runpod = pod();
    const probe = new ScriptedProbe(Number.POSITIVE_INFINITY);
    const ui = new ScriptedUi([
      ['filters', choose(/^Show/)],
      ['offer', choose(/2\.39/)],
      ['image', choose(/default/)],
      ['disk', accept],
      ['sshKey', choose(/id_ed25519/)],
      ['name', type('mute-box')],
      ['confirm', press('confirm')],
      ['warn', press('Keep It')],
    ]);
    const state: Record<string, unknown> = {};
    const store = { get: (k: string) => state[k], update: async (k: string, v: unknown) => void (state[k] = v) };
    const configured = () => ['/home/u/.ssh/id_rsa'];
    const hosts = new InstanceHosts({ identityFiles: configured, store, logger: silentLogger });
    const probesAtLaunch: number[] = [];
    const d = {
      ...deps(ui, [runpod], probe),
      timing: { sshTimeoutMs: 30_000, sshIntervalMs: 3_000 },
      // What provisionCommand wires: the one InstanceHosts remembers the key.
      onLaunched: async (l: LaunchedInstance) => {
        probesAtLaunch.push(probe.targets.length);
        await hosts.rememberLaunchKey({ provider: l.provider, id: l.instanceId }, l.identityFile);
      },
    };
    const outcome = await runProvisionWizard(d);
    expect(outcome).toMatchObject({ kind: 'notReady', instanceId: 'i-1', terminated: false });
    // Remembered before the first SSH probe, and kept in the store: a reload (a new InstanceHosts) still knows it.
    expect(probesAtLaunch).toEqual([0]);
    const reloaded = new InstanceHosts({ identityFiles: configured, store, logger: silentLogger });
    const running = await runpod.getInstance('i-1');
    expect(reloaded.hostOf(running)?.identityFiles).toEqual([KEY.privateKeyPath, '/home/u/.ssh/id_rsa']);
  });

  it('a launch whose key cannot be remembered still launches and turns ready', async () => {
    const runpod = pod();
    const ui = new ScriptedUi([
      ['filters', choose(/^Show/)],
      ['offer', choose(/2\.39/)],
      ['image', choose(/default/)],
      ['disk', accept],
      ['sshKey', choose(/id_ed25519/)],
      ['name', type('ok-box')],
      ['confirm', press('confirm')],
      ['inform', press(undefined)],
    ]);
    const seen: LaunchedInstance[] = [];
    const outcome = await runProvisionWizard({ ...deps(ui, [runpod]), onLaunched: (l) => { seen.push(l); throw new Error('globalState is gone'); } });
    expect(seen).toEqual([{ provider: 'runpod', instanceId: 'i-1', identityFile: KEY.privateKeyPath }]);
    expect(outcome).toMatchObject({ kind: 'ready', identityFile: KEY.privateKeyPath });
  });
});

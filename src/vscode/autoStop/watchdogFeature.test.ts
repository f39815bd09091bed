import { afterEach, describe, expect, it, vi } from 'vitest';
import { RemoteGpuError } from '../../core/errors';
import type { SshHost } from '../../core/hosts/sshHost';
import { silentLogger } from '../../core/logger';
import type { ExecResult, RemoteExec } from '../../core/remote/remoteCommand';
import type { AutoStopSettings } from './autoStopSettings';
import type { WatchdogFeature as Feature, WatchdogFeatureDeps } from './watchdogFeature';

// VS Code reduced to what the feature touches on a status read: no project folder is configured anywhere.
vi.mock('vscode', () => ({
  l10n: { t: (m: string, ...a: unknown[]) => m.replace(/\{(\d+)\}/g, (_, i: string) => String(a[Number(i)])) },
  workspace: { getConfiguration: () => ({ get: (_k: string, d: unknown) => d }), workspaceFolders: undefined },
  window: { showInformationMessage: async () => undefined },
}));

const { WatchdogFeature } = await import('./watchdogFeature');

const settings: AutoStopSettings = { enabled: true, enabledFor: {}, gpuThresholdPercent: 5, idleMinutes: 30, personMinutes: 15, warningMinutes: 10, keepMinutes: 30, maxRuntimeHours: 0, terminateAllowed: {}, sshStopCommands: { lab: ['sudo', 'poweroff'] } };
const lab: SshHost = { id: 'lab', label: 'lab', source: 'settings', hostname: '10.0.0.1', port: 22, user: 'me', identityFiles: [], identitiesOnly: false };
const pod: SshHost = { ...lab, id: 'runpod:p1', label: 'p1', source: 'cloud' };

/**
 * A host with a watchdog installed: answers the status program from the script it holds (the config hash the real
 * status reads from the file), takes the install program's script, and can be made unreachable.
 */
function fakeHost(script: string) {
  const host = { script, installs: [] as string[], reachable: true, reads: 0 };
  const exec: RemoteExec = {
    exec: async (argv): Promise<ExecResult> => {
      if (!host.reachable) throw new RemoteGpuError('unreachable', 'Could not reach the host.');
      if (argv[2]?.includes('watchdog.sh.tmp')) {
        host.installs.push(String(argv[7]));
        host.script = String(argv[5]);
        return { stdout: 'mode=systemd\n', stderr: '', code: 0, signal: null };
      }
      host.reads++;
      const hash = /^CONFIG_HASH='([0-9a-f]+)'$/m.exec(host.script)?.[1] ?? '';
      const window = /^IDLE_WINDOW_SEC='?(\d+)'?$/m.exec(host.script)?.[1] ?? '0';
      const state = { version: '3', config: hash, pid: 7, verdict: 'armed', idleSec: 60, windowSec: Number(window), personQuietSec: null, personWindowSec: 900, lastUtil: 0, at: 1, stopKind: 'command' };
      return { stdout: `installed=1\nrunning=1\n${hash ? `config=${hash}\n` : ''}---\n${JSON.stringify(state)}\n`, stderr: '', code: 0, signal: null };
    },
  };
  return { host, exec };
}

const OLD_SCRIPT = "#!/bin/sh\nVERSION='2'\nIDLE_WINDOW_SEC='1800'\n";
const flush = async () => {
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
};

let feature: Feature | undefined;
afterEach(() => feature?.dispose());

function make(hosts: SshHost[], fake: ReturnType<typeof fakeHost>, current: { s: AutoStopSettings }) {
  const memento = new Map<string, unknown>([['remoteGpu.watchdogHosts', hosts.map((h) => h.id)]]);
  const redrawn: string[] = [];
  const deps = {
    tree: { instances: () => [], findHost: (id: string) => hosts.find((h) => h.id === id) },
    connection: async () => fake.exec,
    settings: () => current.s,
    state: { get: (k: string) => memento.get(k), update: async (k: string, v: unknown) => void memento.set(k, v), keys: () => [...memento.keys()] },
    logger: silentLogger,
    redraw: (id: string) => void redrawn.push(id),
  } as unknown as WatchdogFeatureDeps;
  feature = new WatchdogFeature(deps);
  return { feature, redrawn };
}

describe('WatchdogFeature: settings changes reach the watchdog on the instance', () => {
  it('an old watchdog is updated once; a new idle window is pushed once; unreachable shows "out of date" and retries at the next read', async () => {
    const fake = fakeHost(OLD_SCRIPT);
    const current = { s: settings };
    const { feature: f, redrawn } = make([lab], fake, current);
    expect(f.describe('lab')).toBe('watchdog: status not read yet');

    // A watchdog from before version 3 (no hash): brought up to the settings of now, once.
    f.settingsChanged();
    await flush();
    expect(fake.host.installs).toEqual(['update']);
    expect(fake.host.script).toMatch(/^IDLE_WINDOW_SEC='?1800'?$/m);
    expect(fake.host.script).toMatch(/sudo poweroff/);
    expect(f.describe('lab')).toBe('watchdog armed: idle 1 min of 30 min');
    f.settingsChanged();
    await flush();
    expect(fake.host.installs).toEqual(['update']);

    // The user sets 120 min (two change events at once, as when two settings change): one update, and the tree
    // says the new window.
    current.s = { ...settings, idleMinutes: 120 };
    f.settingsChanged();
    f.settingsChanged();
    await flush();
    expect(fake.host.installs).toEqual(['update', 'update']);
    expect(f.describe('lab')).toBe('watchdog armed: idle 1 min of 120 min');
    expect(redrawn).toContain('lab');

    // 60 min while the host cannot be reached: the old status stands, marked out of date; each read tries again.
    fake.host.reachable = false;
    current.s = { ...settings, idleMinutes: 60 };
    f.settingsChanged();
    await flush();
    expect(f.describe('lab')).toBe('watchdog armed: idle 1 min of 120 min (watchdog settings out of date)');
    fake.host.reachable = true;
    f.settingsChanged();
    await flush();
    expect(fake.host.installs).toEqual(['update', 'update', 'update']);
    expect(f.describe('lab')).toBe('watchdog armed: idle 1 min of 60 min');
  });

  it('a cloud host whose instance is not listed yet is only read, never given a watchdog without its stop', async () => {
    const fake = fakeHost(OLD_SCRIPT);
    const { feature: f } = make([pod], fake, { s: settings });
    f.settingsChanged();
    await flush();
    expect(fake.host.reads).toBe(1);
    expect(fake.host.installs).toEqual([]);
    expect(f.describe('runpod:p1')).toBe('watchdog armed: idle 1 min of 30 min');
  });
});

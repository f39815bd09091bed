import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SshHost } from '../../core/hosts/sshHost';
import { silentLogger } from '../../core/logger';
import type { ProviderCapabilities } from '../../core/providers/capabilities';
import type { Instance } from '../../core/providers/instance';
import type { CloudProvider } from '../../core/providers/provider';
import type { ProviderId } from '../../core/providers/providerId';
import type { TelemetryHub } from '../../core/services/telemetry/telemetryHub';
import type { InstanceNode } from '../tree/nodes';
import type { AutoStopFeatureDeps } from './autoStopFeature';
import type { AutoStopSettings } from './autoStopSettings';

// The feature's VS Code surface, reduced to what it touches; notifications are recorded, never answered.
const shown: string[] = [];
vi.mock('vscode', () => {
  class EventEmitter<T> {
    private readonly ls = new Set<(v: T) => void>();
    readonly event = (l: (v: T) => void) => (this.ls.add(l), { dispose: () => this.ls.delete(l) });
    fire(v: T): void {
      for (const l of this.ls) l(v);
    }
    dispose(): void {
      this.ls.clear();
    }
  }
  const note = (m: string) => (shown.push(m), Promise.resolve(undefined));
  return {
    EventEmitter,
    StatusBarAlignment: { Left: 1 },
    l10n: { t: (m: string, ...a: unknown[]) => m.replace(/\{(\d+)\}/g, (_, i: string) => String(a[Number(i)])) },
    env: { remoteName: undefined },
    workspace: { workspaceFolders: undefined },
    window: {
      state: { focused: true },
      onDidChangeWindowState: () => ({ dispose: () => undefined }),
      createStatusBarItem: () => ({ show: () => undefined, hide: () => undefined, dispose: () => undefined }),
      showWarningMessage: note,
      showInformationMessage: note,
    },
  };
});

const { AutoStopFeature } = await import('./autoStopFeature');
const { PersonActivity } = await import('./personActivity');

const MIN = 60_000;
const T0 = Date.UTC(2026, 10, 23, 9);
const canStop: ProviderCapabilities = { canStop: true, stopKeepsBilling: 'disk', gpuMayNotReturnOnStart: true, canRestart: true, hasSpot: false, sshKeys: 'account', hostKeyFingerprints: false, terminateErasesDisk: true };
const onlyTerminate: ProviderCapabilities = { ...canStop, canStop: false, canRestart: false };
const settings: AutoStopSettings = { enabled: false, enabledFor: {}, gpuThresholdPercent: 5, idleMinutes: 30, personMinutes: 15, warningMinutes: 10, keepMinutes: 30, maxRuntimeHours: 0, terminateAllowed: {}, sshStopCommands: {} };

function host(id: string, source: SshHost['source'] = 'cloud'): SshHost {
  return { id, label: id, source, hostname: '10.0.0.1', port: 22, user: 'root', identityFiles: [], identitiesOnly: false };
}

function node(provider: ProviderId, id: string, capabilities: ProviderCapabilities): InstanceNode {
  const instance: Instance = { provider, id, name: id, state: 'running', providerStatus: 'RUNNING', gpuModel: 'H100', gpuCount: 1, priceMicrosPerHour: 2_000_000 };
  return { kind: 'instance', providerId: provider, instance, capabilities, host: host(`${provider}:${id}`) };
}

function rig(s: AutoStopSettings, nodes: InstanceNode[], sshHosts: SshHost[] = [], progress?: AutoStopFeatureDeps['progress'], tickMs: number | null = 1000) {
  const current = { s };
  let listings = 0;
  const clock = { t: T0, now: () => clock.t };
  const calls: string[] = [];
  const held: string[] = [];
  const memento = new Map<string, unknown>();
  const provider = (id: ProviderId) =>
    ({
      id,
      displayName: id,
      capabilities: id === 'lambda' ? onlyTerminate : canStop,
      stop: async (i: string) => void calls.push(`stop ${id}:${i}`),
      start: async () => undefined,
      terminate: async (i: string) => void calls.push(`terminate ${id}:${i}`),
    }) as unknown as CloudProvider;
  const views: ((v: unknown) => void)[] = [];
  const hub = {
    for: () => ({ acquire: (c: string) => (held.push(c), () => held.splice(held.indexOf(c), 1)), onChange: (l: (v: unknown) => void) => (views.push(l), () => undefined) }),
  } as unknown as TelemetryHub;
  /** One live telemetry tick with these utilisations, as HostTelemetry would report it. */
  const sample = (util: number[]) => {
    const gpus = util.map((u, index) => ({ t: clock.t, index, uuid: `GPU-${index}`, name: 'H100', pstate: 'P0', metrics: { utilizationGpu: u } }));
    for (const l of views) l({ state: { phase: 'live' }, gpus, intervalMs: 1000 });
  };
  const feature = new AutoStopFeature({
    hub,
    instances: () => nodes,
    sshHosts: async () => (listings++, sshHosts),
    settings: () => current.s,
    state: { get: (k: string) => memento.get(k), update: async (k: string, v: unknown) => void memento.set(k, v), keys: () => [...memento.keys()] },
    clock,
    logger: silentLogger,
    person: new PersonActivity(),
    stop: { provider: async (n) => provider(n.providerId), connection: async () => ({ exec: async () => ({ stdout: '', stderr: '', code: 0, signal: null }) }), forgetHost: () => undefined, refresh: () => undefined, logger: silentLogger },
    ...(tickMs !== null ? { tickMs } : {}),
    ...(progress ? { progress } : {}),
  });
  const advance = async (ms: number) => {
    clock.t += ms;
    await vi.advanceTimersByTimeAsync(1000);
  };
  return { feature, calls, held, advance, sample, clock, current, listings: () => listings };
}

describe('AutoStopFeature (fake VS Code, providers and telemetry)', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    shown.length = 0;
  });
  afterEach(() => vi.useRealTimers());

  it('a budget at 100 % warns and then stops through the provider once, also with idle auto-stop off; what cannot stop gets no warning', async () => {
    const r = rig(settings, [node('runpod', 'p1', canStop), node('lambda', 'l1', onlyTerminate)], [host('lab', 'settings')]);
    await r.advance(0);
    expect(r.held).toEqual([]); // auto-stop is off: nothing sampled
    r.feature.onBudget([{ kind: 'enforce', action: 'stopStoppable', scope: 'all', budget: { period: 'daily', scope: 'all', limitMicros: 1 }, message: 'Daily budget of $10.00 reached: stopping instances that can stop.' }], ['all']);
    await r.advance(0);
    expect(r.feature.warnings.shown.map((w) => w.key)).toEqual(['runpod:p1']);
    expect(r.held).toEqual(['autostop:runpod:p1']);
    await r.advance(9 * MIN);
    expect(r.calls).toEqual([]);
    await r.advance(MIN);
    await r.advance(MIN);
    expect(r.calls).toEqual(['stop runpod:p1']);
    expect(r.feature.audit('runpod:p1').join('\n')).toMatch(/stop \(budget\)\. Budget reached: Daily budget of \$10\.00/);
    expect(shown.some((m) => /budget reached/.test(m))).toBe(true);
    await r.advance(30 * MIN);
    expect(r.calls).toEqual(['stop runpod:p1']);
  });

  it('idle auto-stop watches only what it may stop: Lambda without the terminate opt-in and an SSH host without a stop command are not sampled', async () => {
    const on = { ...settings, enabled: true };
    const r = rig(on, [node('runpod', 'p1', canStop), node('lambda', 'l1', onlyTerminate)], [host('lab', 'settings'), host('box', 'settings')]);
    await r.advance(0);
    expect(r.held.sort()).toEqual(['autostop:runpod:p1']);
    const allowed = rig({ ...on, terminateAllowed: { lambda: true }, sshStopCommands: { box: ['sudo', 'poweroff'] } }, [node('lambda', 'l1', onlyTerminate)], [host('lab', 'settings'), host('box', 'settings')]);
    await allowed.advance(0);
    expect(allowed.held.sort()).toEqual(['autostop:lambda:l1', 'autostop:ssh:box']);
    r.feature.dispose();
    allowed.feature.dispose();
  });

  it('quiet GPUs from telemetry warn 10 min ahead; Keep holds the machine past the stop time', async () => {
    const r = rig({ ...settings, enabledFor: { runpod: true } }, [node('runpod', 'p1', canStop)]);
    await r.advance(0);
    for (let m = 0; m < 25; m += 0.5) {
      r.sample([97, 0]);
      await r.advance(30_000);
    }
    expect(r.feature.warnings.shown).toEqual([]);
    for (let m = 0; m < 21; m += 0.5) {
      r.sample([0, 0]);
      await r.advance(30_000);
    }
    expect(r.feature.warnings.shown.map((w) => w.key)).toEqual(['runpod:p1']);
    expect(r.feature.warnings.shown[0]?.message).toMatch(/will be stopped in about 10 min\. Idle: GPUs under 5 %/);
    r.feature.warnings.answer('runpod:p1', 'keep');
    for (let m = 0; m < 20; m += 0.5) {
      r.sample([0, 0]);
      await r.advance(30_000);
    }
    expect(r.feature.verdict('runpod:p1')?.status).toBe('kept');
    expect(r.calls).toEqual([]);
    r.feature.dispose();
  });

  it('a growing log keeps a machine with quiet GPUs busy, named in the verdict; once it stops growing the warning comes', async () => {
    const logListeners = new Set<(g: { path: string; grewBytes: number }) => void>();
    const holds: string[] = [];
    const progress = () => ({
      acquire: (id: string) => (holds.push(id), () => void holds.splice(holds.indexOf(id), 1)),
      onNewCheckpoint: () => () => undefined,
      onLogGrew: (l: (g: { path: string; grewBytes: number }) => void) => (logListeners.add(l), () => void logListeners.delete(l)),
    });
    const r = rig({ ...settings, enabledFor: { runpod: true } }, [node('runpod', 'p1', canStop)], [], progress);
    await r.advance(0);
    expect(holds).toEqual(['autoStop:runpod:p1']);
    for (let m = 0; m < 45; m += 0.5) {
      r.sample([0]);
      if (m % 1 === 0) for (const l of logListeners) l({ path: 'logs/train.log', grewBytes: 2048 });
      await r.advance(30_000);
    }
    expect(r.feature.warnings.shown).toEqual([]);
    expect(r.feature.verdict('runpod:p1')?.explanation).toMatch(/logs\/train\.log grew by 2\.0 KiB, 1 min ago/);
    for (let m = 0; m < 21; m += 0.5) {
      r.sample([0]);
      await r.advance(30_000);
    }
    expect(r.feature.warnings.shown.map((w) => w.key)).toEqual(['runpod:p1']);
    r.feature.dispose();
    expect(holds).toEqual([]);
    expect(logListeners.size).toBe(0);
  });

  it('the timer follows the idle window set later: a 6 s window gets 1.2 s ticks after reload(), not the 5 s of the 30 min default', async () => {
    const r = rig({ ...settings, enabledFor: { runpod: true } }, [node('runpod', 'p1', canStop)], [], undefined, null);
    expect(r.feature.tickEveryMs).toBe(5000);
    await vi.advanceTimersByTimeAsync(10_000);
    const before = r.listings();
    expect(before).toBe(2); // one machine-list read per tick
    r.current.s = { ...r.current.s, idleMinutes: 0.1, personMinutes: 0.05, warningMinutes: 0.02, keepMinutes: 0.1 };
    r.feature.reload();
    expect(r.feature.tickEveryMs).toBe(1200);
    await vi.advanceTimersByTimeAsync(0);
    const afterReload = r.listings();
    await vi.advanceTimersByTimeAsync(6000);
    expect(r.listings() - afterReload).toBe(5);
    // Back to the default window: the period goes back up, and one timer runs (not one per reload).
    r.current.s = settings;
    r.feature.reload();
    r.feature.reload();
    expect(r.feature.tickEveryMs).toBe(5000);
    await vi.advanceTimersByTimeAsync(0);
    const settled = r.listings();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(r.listings() - settled).toBe(2);
    r.feature.dispose();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(r.listings() - settled).toBe(2);
  });
});

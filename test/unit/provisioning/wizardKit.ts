import { expect } from 'vitest';
import { RemoteGpuError } from '../../../src/core/errors';
import { silentLogger } from '../../../src/core/logger';
import type { ProviderCapabilities } from '../../../src/core/providers/capabilities';
import type { Instance, InstanceState } from '../../../src/core/providers/instance';
import type { Offer } from '../../../src/core/providers/offer';
import type { CloudProvider, ProvisionRequest, SshKey, SshKeyManager } from '../../../src/core/providers/provider';
import type { ProviderId } from '../../../src/core/providers/providerId';
import type { LocalPublicKey } from '../../../src/core/provisioning/choiceSteps';
import type { ProvisionDeps } from '../../../src/core/provisioning/provisionWizard';
import { BACK, type ConfirmRequest, type InputStep, type PickItem, type PickStep, type ProvisionUi, type StepAnswer } from '../../../src/core/provisioning/provisionUi';
import type { SshProbe, SshProbeTarget } from '../../../src/core/provisioning/sshReady';

export const CAPS: Record<'lambda' | 'runpod', ProviderCapabilities> = {
  lambda: { canStop: false, stopKeepsBilling: 'none', gpuMayNotReturnOnStart: false, canRestart: true, hasSpot: false, sshKeys: 'perLaunch', hostKeyFingerprints: false, terminateErasesDisk: true },
  runpod: { canStop: true, stopKeepsBilling: 'disk', gpuMayNotReturnOnStart: true, canRestart: true, hasSpot: false, sshKeys: 'account', hostKeyFingerprints: false, terminateErasesDisk: true },
};

export function offer(provider: ProviderId, id: string, over: Partial<Offer> = {}): Offer {
  return { provider, id, instanceType: id, gpuModel: 'A10', gpuCount: 1, vramGiB: 24, region: 'us-east-1', available: true, priceMicrosPerHour: 1_000_000, canStop: provider !== 'lambda', ...over };
}

/** An in-process provider: records every call; getInstance walks through `states`, then stays running with SSH. */
export class FakeProvider implements CloudProvider, SshKeyManager {
  readonly provisions: ProvisionRequest[] = [];
  readonly uploads: Array<{ name: string; publicKey: string }> = [];
  readonly terminated: string[] = [];
  states: InstanceState[] = ['provisioning', 'booting', 'running'];
  provisionError?: RemoteGpuError;
  offersError?: RemoteGpuError;
  onGetInstance?: (state: InstanceState) => void;
  private polls = 0;
  readonly displayName: string;
  readonly capabilities: ProviderCapabilities;

  constructor(readonly id: 'lambda' | 'runpod', public offers: Offer[], public keys: SshKey[] = []) {
    this.displayName = id === 'lambda' ? 'Lambda Cloud' : 'RunPod';
    this.capabilities = CAPS[id];
  }
  async listInstances(): Promise<Instance[]> {
    return [];
  }
  async getInstance(instanceId: string): Promise<Instance> {
    const state = this.states[Math.min(this.polls++, this.states.length - 1)] ?? 'running';
    this.onGetInstance?.(state);
    const ssh = state === 'running' ? { ssh: { host: '10.0.0.7', port: 2222, user: 'root' } } : {};
    return { provider: this.id, id: instanceId, name: 'n', state, providerStatus: state.toUpperCase(), gpuModel: 'A10', gpuCount: 1, priceMicrosPerHour: 1_000_000, ...ssh };
  }
  async listOffers(): Promise<Offer[]> {
    if (this.offersError) throw this.offersError;
    return this.offers;
  }
  async provision(request: ProvisionRequest): Promise<{ instanceId: string }> {
    this.provisions.push(request);
    if (this.provisionError) {
      const e = this.provisionError;
      delete this.provisionError;
      throw e;
    }
    return { instanceId: `i-${this.provisions.length}` };
  }
  async terminate(instanceId: string): Promise<void> {
    this.terminated.push(instanceId);
  }
  async listSshKeys(): Promise<SshKey[]> {
    return this.keys;
  }
  async uploadSshKey(key: { name: string; publicKey: string }): Promise<SshKey> {
    this.uploads.push(key);
    const stored = { id: `k${this.uploads.length}`, ...key };
    this.keys.push(stored);
    return stored;
  }
}

type Handler = (step: never) => unknown;
export interface Seen {
  readonly id: string;
  readonly step?: PickStep<unknown> | InputStep;
  readonly message?: string;
}

/** A UI that answers each step from a script, and fails the test when the wizard asks for a different step. */
export class ScriptedUi implements ProvisionUi {
  readonly seen: Seen[] = [];
  readonly progressLog: string[] = [];
  private controller = new AbortController();
  constructor(private readonly script: Array<[string, Handler]>) {}

  /** Presses Cancel on the progress notification that is open now. */
  cancelProgress(): void {
    this.controller.abort();
  }
  get remaining(): string[] {
    return this.script.map(([id]) => id);
  }
  private answer(id: string, step: unknown, message?: string): unknown {
    this.seen.push({ id, step: step as PickStep<unknown>, ...(message !== undefined ? { message } : {}) });
    const next = this.script.shift();
    expect(next?.[0], `the wizard asked for "${id}"`).toBe(id);
    return (next?.[1] as (s: unknown) => unknown)(step);
  }
  async pick<T>(step: PickStep<T>): Promise<StepAnswer<T>> {
    return this.answer(step.id, step) as StepAnswer<T>;
  }
  async input(step: InputStep): Promise<StepAnswer<string>> {
    return this.answer(step.id, step) as StepAnswer<string>;
  }
  async confirm(request: ConfirmRequest): Promise<StepAnswer<'confirm'>> {
    return this.answer('confirm', request, `${request.message}\n${request.detail}`) as StepAnswer<'confirm'>;
  }
  async progress<T>(title: string, task: (p: { report(m: string): void }, signal: AbortSignal) => Promise<T>): Promise<T> {
    this.controller = new AbortController();
    this.progressLog.push(title);
    return task({ report: (m) => this.progressLog.push(`  ${m}`) }, this.controller.signal);
  }
  async inform(message: string, actions: readonly string[]): Promise<string | undefined> {
    return this.answer('inform', { actions }, message) as string | undefined;
  }
  async warn(message: string, actions: readonly string[]): Promise<string | undefined> {
    return this.answer('warn', { actions }, message) as string | undefined;
  }
}

/** Answers a pick with the item whose label (without a leading codicon) matches. */
export function choose(label: RegExp): Handler {
  return ((step: PickStep<unknown>) => {
    const item = step.items.find((i: PickItem<unknown>) => label.test(i.label.replace(/^\$\([a-z-]+\) /, '')));
    expect(item, `no item matching ${label} in ${step.items.map((i) => i.label).join(' | ')}`).toBeDefined();
    return item?.value;
  }) as Handler;
}
/** Accepts an input box's pre-filled value, after checking the validator accepts it. */
export const accept: Handler = ((step: InputStep) => {
  expect(step.validate(step.value)).toBeUndefined();
  return step.value;
}) as Handler;
export const type = (text: string): Handler => ((step: InputStep) => {
  expect(step.validate(text)).toBeUndefined();
  return text;
}) as Handler;
export const back: Handler = () => BACK;
export const escape: Handler = () => undefined;
export const press = (button: string | undefined): Handler => () => button;

export const KEY: LocalPublicKey = { publicKeyPath: '/home/u/.ssh/id_ed25519.pub', privateKeyPath: '/home/u/.ssh/id_ed25519', publicKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIK laptop' };

/** A probe that fails `failures` times with 'unreachable' (sshd not up yet), then answers. */
export class ScriptedProbe implements SshProbe {
  readonly targets: SshProbeTarget[] = [];
  constructor(public failures = 0) {}
  async attempt(target: SshProbeTarget): Promise<void> {
    this.targets.push(target);
    if (this.failures-- > 0) throw new RemoteGpuError('unreachable', 'connection refused');
  }
}

export function deps(ui: ProvisionUi, providers: CloudProvider[], probe: SshProbe = new ScriptedProbe(), keys: LocalPublicKey[] = [KEY]): ProvisionDeps & { changed: string[] } {
  let now = Date.UTC(2026, 10, 23, 11, 9);
  const changed: string[] = [];
  return {
    ui,
    providers: async () => providers,
    localKeys: async () => keys,
    sshProbe: probe,
    clock: { now: () => now },
    sleep: async (ms) => void (now += ms),
    logger: silentLogger,
    onInstancesChanged: (p) => changed.push(p),
    changed,
  };
}

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CloudProvider } from '../../../src/core/providers/provider';
import { isStoppable } from '../../../src/core/providers/provider';
import { waitForInstance } from '../../../src/core/providers/waitForInstance';
import type { ConfirmRequest, InputStep, PickStep, ProvisionUi, StepAnswer } from '../../../src/core/provisioning/provisionUi';
import { Ec2Provider } from '../../../src/providers/awsEc2/provider';
import { RunPodProvider } from '../../../src/providers/runpod/provider';
import { VastProvider } from '../../../src/providers/vast/provider';
import { ConnectionPool } from '../../../src/remote/connectionPool';
import { nodeSleep, systemClock } from '../../../src/remote/http/nodeTimers';
import { startEc2Fake } from '../../fakes/ec2Fake.mjs';
import { startRunPodFake } from '../../fakes/runpodFake.mjs';
import { startVastFake } from '../../fakes/vastFake.mjs';
import { startSshd, type SshdRig } from '../../rig/sshd.mjs';
import { depsFor } from '../providers/harness';
import { makeDeps, scriptedPrompt } from '../sshTestKit';
import { runWizardOnRig } from './rigWizard';
import { listLocalPublicKeys } from '../../../src/remote/localPublicKeys';

/**
 * The Provision flow end to end below the UI for RunPod, Vast.ai and EC2 (Lambda has its own file): the real client
 * on its fake API, the cheapest available offer, the provider's default image, the rig's key, one launch, the
 * provider's states, and readiness proven by a real SSH handshake with the OpenSSH rig; then stop/start where the
 * provider can, and terminate. The UI answers by step id, so each provider may ask its own steps.
 */
class AnsweringUi implements ProvisionUi {
  readonly steps: string[] = [];
  readonly progress_: string[] = [];
  constructor(
    private readonly keyPath: string,
    private readonly name: string,
  ) {}
  async pick<T>(step: PickStep<T>): Promise<StepAnswer<T>> {
    this.steps.push(step.id);
    const items = step.items;
    const byLabel = (re: RegExp) => items.find((i) => re.test(i.label))?.value;
    if (step.id === 'filters') return byLabel(/Show \d+ offer/);
    // The cheapest available on-demand offer: a one-time spot instance cannot be stopped, and the test stops it.
    if (step.id === 'offer') return items.find((i) => !i.label.includes('circle-slash') && !(i.detail ?? '').includes('spot: may be interrupted'))?.value;
    if (step.id === 'sshKey') return items.find((i) => `${i.label} ${i.description ?? ''} ${i.detail ?? ''}`.includes(this.keyPath))?.value ?? items[0]?.value;
    return items[0]?.value;
  }
  async input(step: InputStep): Promise<StepAnswer<string>> {
    this.steps.push(step.id);
    const value = step.id === 'name' ? this.name : step.value;
    expect(step.validate(value), `${step.id}: ${value}`).toBeUndefined();
    return value;
  }
  async confirm(_request: ConfirmRequest): Promise<StepAnswer<'confirm'>> {
    this.steps.push('confirm');
    return 'confirm';
  }
  async progress<T>(title: string, task: (p: { report(m: string): void }, signal: AbortSignal) => Promise<T>): Promise<T> {
    this.progress_.push(title);
    return task({ report: (m) => this.progress_.push(`  ${m}`) }, new AbortController().signal);
  }
  async inform(message: string): Promise<string | undefined> {
    this.steps.push(`inform: ${message}`);
    return undefined;
  }
  async warn(message: string): Promise<string | undefined> {
    this.steps.push(`warn: ${message}`);
    return undefined;
  }
}

describe('Provision on every cloud fake, until OpenSSH answers', () => {
  let rig: SshdRig;
  let pool: ConnectionPool | undefined;
  const stops: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    rig = await startSshd();
  });
  afterAll(async () => {
    await rig?.stop();
  });
  afterEach(async () => {
    pool?.dispose();
    for (const stop of stops.splice(0)) await stop();
  });

  async function provision(provider: CloudProvider) {
    pool = new ConnectionPool(makeDeps({ knownHostsFiles: [rig.knownHostsPath], prompt: scriptedPrompt(false) }));
    const ui = new AnsweringUi(rig.clientKeyPath, `e2e-${provider.id}`);
    return { ...(await runWizardOnRig(ui, provider, pool, rig.dir)), ui };
  }

  async function lifecycle(provider: CloudProvider, instanceId: string) {
    const opts = { clock: systemClock, sleep: nodeSleep, intervalMs: 100, timeoutMs: 30_000 };
    if (isStoppable(provider)) {
      await provider.stop(instanceId);
      expect((await waitForInstance(provider, instanceId, { ...opts, until: (i) => i.state === 'stopped' })).state).toBe('stopped');
      await provider.start(instanceId);
      expect((await waitForInstance(provider, instanceId, { ...opts, until: (i) => i.state === 'running' })).state).toBe('running');
    }
    await provider.terminate(instanceId);
    await provider.terminate(instanceId); // idempotent
  }

  it('RunPod: pod launched once with the uploaded account key, RUNNING, SSH handshake; stop (EXITED) and start; terminate', async () => {
    const fake = await startRunPodFake({ sshEndpoint: { host: rig.host, port: rig.port, user: rig.user }, timings: { provisionMs: 200, bootMs: 300 } });
    stops.push(() => fake.stop());
    const provider = new RunPodProvider(depsFor(fake.apiKey), { endpoint: fake.url });
    const { outcome, ui, ms } = await provision(provider);
    expect(outcome, ui.steps.join(' > ')).toMatchObject({ kind: 'ready', instance: { state: 'running', ssh: { host: rig.host, port: rig.port } } });
    expect(fake.state.requests.filter((r) => r.method === 'POST' && r.path === '/v2/pods')).toHaveLength(1);
    if (outcome.kind === 'ready') await lifecycle(provider, outcome.instance.id);
    console.log(`RunPod fake: ready in ${ms} ms; steps ${ui.steps.join(' > ')}`);
  });

  it('Vast.ai: offer rented once, loading → running, SSH handshake; stop and start; destroy', async () => {
    const fake = await startVastFake({ sshEndpoint: { host: rig.host, port: rig.port }, timings: { provisionMs: 200, bootMs: 300, stopMs: 200, scheduleMs: 200 } });
    stops.push(() => fake.stop());
    const provider = new VastProvider(depsFor(fake.apiKey), { endpoint: fake.url });
    const { outcome, ui, ms } = await provision(provider);
    // Vast containers log in as root, so the rig must run as root to play one (CI does); said, not skipped.
    expect(rig.user, 'the Vast.ai fake needs the OpenSSH rig to run as root').toBe('root');
    expect(outcome, ui.steps.join(' > ')).toMatchObject({ kind: 'ready', instance: { state: 'running' } });
    expect(fake.state.requests.filter((r) => r.method === 'PUT' && /\/asks\//.test(r.path))).toHaveLength(1);
    if (outcome.kind === 'ready') await lifecycle(provider, outcome.instance.id);
    console.log(`Vast fake: ready in ${ms} ms; steps ${ui.steps.join(' > ')}`);
  });

  it('AWS EC2: key pair imported, RunInstances once, pending → running, SSH handshake; stop and start; terminate', async () => {
    const fake = await startEc2Fake({ sshEndpoint: { host: rig.host, port: rig.port }, timings: { bootMs: 300, stopMs: 200, terminateMs: 200 } });
    stops.push(() => fake.stop());
    const { accessKeyId, secretAccessKey } = fake.credentials;
    const provider = new Ec2Provider(depsFor(`${accessKeyId}:${secretAccessKey}`), {
      region: 'us-east-1', endpoint: fake.url, pricingEndpoint: fake.url, imageId: 'ami-0123456789abcdef0', sshPort: rig.port, sshUser: rig.user,
    });
    const { outcome, ui, ms } = await provision(provider);
    expect(outcome, ui.steps.join(' > ')).toMatchObject({ kind: 'ready', instance: { state: 'running', ssh: { host: rig.host, port: rig.port, user: rig.user } } });
    expect(fake.state.actions.filter((a) => a === 'RunInstances')).toHaveLength(1);
    expect(fake.state.actions).toContain('ImportKeyPair');
    if (outcome.kind === 'ready') await lifecycle(provider, outcome.instance.id);
    console.log(`EC2 fake: ready in ${ms} ms; steps ${ui.steps.join(' > ')}`);
  });

  it('AWS EC2: a launched one-time spot instance reports that it cannot stop, as AWS refuses to stop it', async () => {
    const fake = await startEc2Fake({ sshEndpoint: { host: rig.host, port: rig.port }, timings: { bootMs: 100 } });
    stops.push(() => fake.stop());
    const { accessKeyId, secretAccessKey } = fake.credentials;
    const provider = new Ec2Provider(depsFor(`${accessKeyId}:${secretAccessKey}`), { region: 'us-east-1', endpoint: fake.url, pricingEndpoint: fake.url, imageId: 'ami-0123456789abcdef0', sshPort: rig.port });
    const spot = (await provider.listOffers()).find((o) => o.spot && o.available);
    expect(spot?.canStop).toBe(false);
    const [key] = await provider.listSshKeys();
    const keyName = key?.name ?? (await provider.uploadSshKey({ name: 'rig', publicKey: (await listLocalPublicKeys(rig.dir))[0]?.publicKey ?? '' })).name;
    const { instanceId } = await provider.provision({ offerId: spot?.id ?? '', name: 'spot-1', sshKeyName: keyName });
    const running = await waitForInstance(provider, instanceId, { clock: systemClock, sleep: nodeSleep, intervalMs: 100, timeoutMs: 30_000, until: (i) => i.state === 'running' });
    expect(running.canStop).toBe(false);
    await expect(provider.stop(instanceId)).rejects.toMatchObject({ name: 'RemoteGpuError' });
    await provider.terminate(instanceId);
  });
});

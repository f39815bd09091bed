import { describe, expect, it, vi } from 'vitest';
import { RemoteGpuError } from '../../core/errors';
import { instanceSshHost } from '../../core/hosts/instanceSshHost';
import type { SshHost } from '../../core/hosts/sshHost';
import { silentLogger } from '../../core/logger';
import type { Instance } from '../../core/providers/instance';
import type { CloudProvider } from '../../core/providers/provider';
import type { ProviderId } from '../../core/providers/providerId';
import { CloudBranch } from './cloudBranch';
import type { CloudProviderNode, InstanceNode, TreeNode } from './nodes';

// The branch uses vscode only for l10n.t; the unit project has no VS Code.
vi.mock('vscode', () => ({ l10n: { t: (message: string) => message } }));

const caps = { canStop: true, stopKeepsBilling: 'disk', gpuMayNotReturnOnStart: true, canRestart: true, hasSpot: false, sshKeys: 'account', hostKeyFingerprints: false, terminateErasesDisk: true } as const;

function pod(over: Partial<Instance> = {}): Instance {
  return { provider: 'runpod', id: 'p1', name: 'train', state: 'running', providerStatus: 'RUNNING', gpuModel: 'RTX 4090', gpuCount: 1, priceMicrosPerHour: 690_000, ssh: { host: '10.0.0.1', port: 22, user: 'root' }, ...over };
}

/** Providers whose lists the test sets; `fail` makes one provider's listInstances reject. */
function world(initiallyConfigured: ProviderId[]) {
  let configured = initiallyConfigured;
  const lists: Partial<Record<ProviderId, Instance[]>> = {};
  const fail: Partial<Record<ProviderId, RemoteGpuError>> = {};
  const calls: ProviderId[] = [];
  const provider = (id: ProviderId): CloudProvider =>
    ({
      id,
      displayName: id,
      capabilities: caps,
      listInstances: async () => {
        calls.push(id);
        const error = fail[id];
        if (error) throw error;
        return lists[id] ?? [];
      },
    }) as unknown as CloudProvider;
  const fired: (TreeNode | undefined)[] = [];
  const forgotten: string[] = [];
  const changed: SshHost[] = [];
  const gone: string[] = [];
  const branch = new CloudBranch({
    source: {
      all: async () => (['lambda', 'runpod', 'vast', 'ec2'] as const).map((id) => ({ id, displayName: id, configured: configured.includes(id) })),
      get: async (id) => provider(id),
    },
    logger: silentLogger,
    visible: () => ['lambda', 'runpod', 'vast', 'ec2'],
    hostOf: (i) => instanceSshHost(i, { identityFiles: ['/k'] }),
    forgetHost: (id) => forgotten.push(id),
    hostChanged: (h) => changed.push(h),
    hostGone: (id) => gone.push(id),
    fire: (node) => fired.push(node),
  });
  const setConfigured = (ids: ProviderId[]): void => void (configured = ids);
  return { branch, lists, fail, calls, fired, forgotten, changed, gone, setConfigured };
}

async function node(branch: CloudBranch, id: ProviderId): Promise<CloudProviderNode> {
  const found = (await branch.roots()).find((n) => n.providerId === id);
  if (!found) throw new Error(`no ${id} node`);
  return found;
}

describe('CloudBranch', () => {
  it('shows "API key missing" under a provider without a key, and never calls it', async () => {
    const w = world([]);
    const children = await w.branch.children(await node(w.branch, 'lambda'));
    expect(children).toEqual([expect.objectContaining({ kind: 'apiKeyMissing', providerId: 'lambda' })]);
    expect(w.calls).toEqual([]);
  });

  it('a failing provider gets one error child; another provider still lists', async () => {
    const w = world(['lambda', 'runpod']);
    w.fail.lambda = new RemoteGpuError('unavailable', 'Cannot reach cloud.lambda.ai.');
    w.lists.runpod = [pod()];
    expect(await w.branch.children(await node(w.branch, 'lambda'))).toEqual([{ kind: 'providerError', providerId: 'lambda', error: w.fail.lambda }]);
    const runpod = (await w.branch.children(await node(w.branch, 'runpod'))) as InstanceNode[];
    expect(runpod.map((n) => n.kind)).toEqual(['instance']);
  });

  it('a running instance with SSH carries an SshHost; a stopped one has none; terminated ones are not listed', async () => {
    const w = world(['runpod']);
    w.lists.runpod = [pod(), pod({ id: 'p2', state: 'stopped', ssh: undefined }), pod({ id: 'p3', state: 'terminated' })];
    const nodes = (await w.branch.children(await node(w.branch, 'runpod'))) as InstanceNode[];
    expect(nodes.map((n) => n.instance.id)).toEqual(['p1', 'p2']);
    expect(nodes[0]?.host).toMatchObject({ id: 'runpod:p1', hostname: '10.0.0.1', identityFiles: ['/k'] });
    expect(nodes[1]?.host).toBeUndefined();
    expect(w.branch.hosts().map((h) => h.id)).toEqual(['runpod:p1']);
  });

  it('forgets the pooled connection when an instance stops or moves, and redraws only providers whose list changed', async () => {
    const w = world(['runpod', 'lambda']);
    w.lists.runpod = [pod()];
    await w.branch.children(await node(w.branch, 'runpod'));
    await w.branch.poll(); // first poll: the minute tick redraws everything once
    w.fired.length = 0;
    await w.branch.poll();
    expect(w.fired).toEqual([]);
    w.lists.runpod = [pod({ state: 'stopping', ssh: undefined })];
    await w.branch.poll();
    expect(w.fired).toEqual([await node(w.branch, 'runpod')]);
    expect(w.branch.anyTransitional()).toBe(true);
    await w.branch.children(await node(w.branch, 'runpod'));
    expect(w.forgotten).toEqual(['runpod:p1']);
  });

  it('shows "No instances" for a provider with none', async () => {
    const w = world(['vast']);
    expect(await w.branch.children(await node(w.branch, 'vast'))).toEqual([expect.objectContaining({ kind: 'message', label: 'No instances' })]);
  });

  it('lists a configured provider for auto-stop even when the view never showed or expanded it', async () => {
    const w = world(['runpod', 'lambda']);
    w.lists.runpod = [pod(), pod({ id: 'p2', state: 'stopped', ssh: undefined })];
    // No roots(), no children(): the view is collapsed or was never opened.
    await w.branch.poll();
    expect(w.branch.instances().map((n) => [n.instance.id, n.host?.id])).toEqual([
      ['p1', 'runpod:p1'],
      ['p2', undefined],
    ]);
    expect(w.calls.sort()).toEqual(['lambda', 'runpod']);
    // Nothing is drawn for providers the view has not shown.
    expect(w.fired).toEqual([]);
    // Expanded later, the same node objects are shown (the view finds nodes by identity).
    const shown = await w.branch.children(await node(w.branch, 'runpod'));
    expect(shown[0]).toBe(w.branch.instances()[0]);
  });

  it('a terminated or vanished instance is forgotten everywhere; a key removed drops its provider\'s nodes', async () => {
    const w = world(['runpod']);
    w.lists.runpod = [pod(), pod({ id: 'p2' })];
    await w.branch.poll();
    w.lists.runpod = [pod({ state: 'terminated' })];
    await w.branch.poll();
    expect(w.gone.sort()).toEqual(['runpod:p1', 'runpod:p2']);
    expect(w.forgotten.sort()).toEqual(['runpod:p1', 'runpod:p2']);
    expect(w.branch.instances()).toEqual([]);
    w.lists.runpod = [pod()];
    await w.branch.poll();
    expect(w.branch.instances()).toHaveLength(1);
    w.setConfigured([]);
    await w.branch.poll();
    expect(w.branch.instances()).toEqual([]);
    // The key went, not the instance: nothing is forgotten for it.
    expect(w.gone.sort()).toEqual(['runpod:p1', 'runpod:p2']);
  });

  it('an instance that moved drops its connection and tells telemetry the new host; a rename keeps the connection', async () => {
    const w = world(['runpod']);
    w.lists.runpod = [pod()];
    await w.branch.poll();
    expect(w.changed.map((h) => h.hostname)).toEqual(['10.0.0.1']);
    w.lists.runpod = [pod({ name: 'renamed', priceMicrosPerHour: 700_000 })];
    await w.branch.poll();
    expect(w.forgotten).toEqual([]);
    expect(w.branch.instances()[0]?.host?.label).toBe('renamed');
    w.lists.runpod = [pod({ name: 'renamed', ssh: { host: '10.0.0.9', port: 22, user: 'root' } })];
    await w.branch.poll();
    expect(w.forgotten).toEqual(['runpod:p1']);
    expect(w.changed.at(-1)).toMatchObject({ id: 'runpod:p1', hostname: '10.0.0.9' });
  });

  it('keeps each provider\'s newest answer with its time for the cost tracker, through a refresh, failures too', async () => {
    const w = world(['lambda', 'runpod']);
    w.lists.runpod = [pod()];
    w.fail.lambda = new RemoteGpuError('unavailable', 'Lambda is down.');
    expect(await w.branch.latestListing('runpod')).toBeUndefined();
    const before = Date.now();
    await w.branch.poll();
    expect(await w.branch.latestListing('runpod')).toEqual({ at: expect.any(Number), ok: true, instances: [pod()] });
    expect((await w.branch.latestListing('runpod'))?.at).toBeGreaterThanOrEqual(before);
    expect(await w.branch.latestListing('lambda')).toMatchObject({ ok: false, error: { reason: 'unavailable' } });
    // A redraw's refresh drops the tree's list, not the newest answer; a key removed drops it.
    w.branch.refresh('runpod');
    expect(await w.branch.latestListing('runpod')).toMatchObject({ ok: true });
    w.setConfigured(['lambda']);
    await w.branch.poll();
    expect(await w.branch.latestListing('runpod')).toBeUndefined();
    expect(w.calls.filter((id) => id === 'runpod')).toHaveLength(1);
  });
  it('a refresh after a stop is not answered by a listing asked for before it (a poll still in flight)', async () => {
    // The provider answers with the state at the time it was asked; the first answer is held back until released.
    let state: Instance['state'] = 'running';
    let release: () => void = () => undefined;
    const held = new Promise<void>((r) => (release = r));
    let asked = 0;
    const runpod = {
      id: 'runpod',
      displayName: 'RunPod',
      capabilities: caps,
      listInstances: async () => {
        const answer = [pod({ state, providerStatus: state === 'running' ? 'RUNNING' : 'EXITED' })];
        if (asked++ === 0) await held;
        return answer;
      },
    } as unknown as CloudProvider;
    const branch = new CloudBranch({
      source: { all: async () => [{ id: 'runpod', displayName: 'RunPod', configured: true }], get: async () => runpod },
      logger: silentLogger,
      visible: () => ['runpod'],
      hostOf: (i) => instanceSshHost(i, { identityFiles: ['/k'] }),
      forgetHost: () => undefined,
      fire: () => undefined,
    });
    const polling = branch.poll();
    await vi.waitFor(() => expect(asked).toBe(1));
    // The pod is stopped while that listing is on its way; the stop refreshes the provider, the view asks again.
    state = 'stopped';
    branch.refresh('runpod');
    const shown = (await branch.children(await node(branch, 'runpod'))) as InstanceNode[];
    expect(shown.map((n) => n.instance.state)).toEqual(['stopped']);
    // The old answer arrives last: it does not put the pod back to running.
    release();
    await polling;
    expect(branch.instances().map((n) => n.instance.state)).toEqual(['stopped']);
    expect(((await branch.children(await node(branch, 'runpod'))) as InstanceNode[]).map((n) => n.instance.state)).toEqual(['stopped']);
    expect(asked).toBe(2);
  });
});

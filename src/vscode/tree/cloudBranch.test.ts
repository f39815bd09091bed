import { describe, expect, it, vi } from 'vitest';
import { RemoteGpuError } from '../../core/errors';
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
function world(configured: ProviderId[]) {
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
  const branch = new CloudBranch({
    source: {
      all: async () => (['lambda', 'runpod', 'vast', 'ec2'] as const).map((id) => ({ id, displayName: id, configured: configured.includes(id) })),
      get: async (id) => provider(id),
    },
    logger: silentLogger,
    visible: () => ['lambda', 'runpod', 'vast', 'ec2'],
    identityFiles: () => ['/k'],
    forgetHost: (id) => forgotten.push(id),
    fire: (node) => fired.push(node),
  });
  return { branch, lists, fail, calls, fired, forgotten };
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
});

import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { rigInfo } from './env';
import { api, children, describeNodes, extension, settledChildren, waitFor, type Node, type TestApi } from './helpers';

/** The parts of the test API this suite drives (src/vscode/extension.ts RemoteGpuTestApi). */
interface ProvidersApi extends TestApi {
  readonly providers: {
    hasKey(id: string): Promise<boolean>;
    get(id: string): Promise<{ readonly id: string; readonly displayName: string; readonly capabilities: { readonly canStop: boolean } }>;
  };
  readonly instancesTree: TestApi['instancesTree'] & {
    readonly cloud?: { poll(): Promise<void> };
    instances(): readonly { readonly providerId: string; readonly instance: { readonly id: string; readonly name: string }; readonly host?: { readonly id: string } }[];
  };
  readonly autoStop: { watching(key: string): boolean };
  readonly prompts: {
    readonly scriptedConfirms: boolean[];
    readonly scriptedInputs: (string | undefined)[];
    readonly asked: { readonly message: string; readonly detail: string }[];
  };
}

interface MenuEntry {
  readonly command: string;
  readonly when?: string;
}

async function providersApi(): Promise<ProvidersApi> {
  return (await api()) as ProvidersApi;
}

async function root(label: string): Promise<Node> {
  const roots = await children();
  const node = roots.find((n) => n.label === label);
  if (!node) throw new Error(`no "${label}" among the roots: ${describeNodes(roots)}`);
  return node;
}

/** The instance named `name` under a provider, once `ready` holds for it (the fakes boot in a second or two). */
async function instance(provider: string, name: string, ready: (n: Node) => boolean = () => true, timeoutMs = 30_000): Promise<Node> {
  return waitFor(`${name} under ${provider}`, async () => {
    const node = (await children((await root(provider)).element)).find((n) => n.label === name);
    return node && ready(node) ? node : undefined;
  }, timeoutMs);
}

/**
 * The menu rule of the packaged manifest: does the command show in the item's context menu for this contextValue?
 * Evaluates the `viewItem =~ /.../` regexes of package.json, so the test fails if a when clause goes wrong.
 */
function menuOffers(command: string, contextValue: string): boolean {
  const menus = (extension().packageJSON as { contributes: { menus: Record<string, MenuEntry[]> } }).contributes.menus['view/item/context'] ?? [];
  return menus
    .filter((m) => m.command === command && m.when)
    .some((m) => {
      const match = /viewItem =~ \/(.+?)\/(\s|$)/.exec(m.when ?? '');
      return match?.[1] !== undefined && new RegExp(match[1]).test(contextValue);
    });
}

async function setKey(providerId: string, key: string): Promise<void> {
  const a = await providersApi();
  a.prompts.scriptedInputs.push(key);
  await vscode.commands.executeCommand('remoteGpu.setApiKey', providerId);
}

suite('Cloud providers', () => {
  const rig = rigInfo();
  const cloud = rig.cloud;
  if (!cloud) throw new Error('the test world started no cloud fakes (test/rig/cloudFakes.mjs)');

  test('one node per cloud provider after SSH Hosts, each without a key showing "API key missing"', async () => {
    const labels = (await children()).map((n) => n.label);
    assert.deepEqual(labels.slice(labels.indexOf('SSH Hosts')), ['SSH Hosts', 'Lambda Cloud', 'RunPod', 'Vast.ai', 'AWS EC2']);
    const lambda = await root('Lambda Cloud');
    assert.equal(lambda.contextValue, 'provider;cloud;lambda;keyMissing');
    const [missing, ...rest] = await children(lambda.element);
    assert.equal(rest.length, 0);
    assert.equal(missing?.contextValue, 'apiKeyMissing;lambda');
    assert.equal(missing?.item.command?.command, 'remoteGpu.setApiKey', 'clicking it runs Set API Key...');
  });

  test('a wrong key is refused by the provider and not stored', async () => {
    await setKey('lambda', 'not-the-key');
    assert.equal(await (await providersApi()).providers.hasKey('lambda'), false);
    assert.equal((await root('Lambda Cloud')).contextValue, 'provider;cloud;lambda;keyMissing');
  });

  test('Set API Key stores a key the provider accepts; the Lambda instance is listed with GPUs, price and state', async () => {
    await setKey('lambda', cloud.lambdaKey);
    assert.equal(await (await providersApi()).providers.hasKey('lambda'), true);
    assert.equal((await root('Lambda Cloud')).contextValue, 'provider;cloud;lambda;configured');
    const node = await instance('Lambda Cloud', cloud.lambdaInstance, (n) => n.contextValue.includes(';running;'));
    assert.match(node.description, /^H100 x 8 · \$23\.92\/h/);
    assert.equal(node.contextValue, 'instance;lambda;running;restartable;ssh');
    assert.equal((node.item.iconPath as vscode.ThemeIcon).id, 'vm-running');
  });

  test('a running instance expands to its GPUs over SSH, like an SSH host', async () => {
    const node = await instance('Lambda Cloud', cloud.lambdaInstance);
    const gpus = await settledChildren(node.element);
    assert.equal(gpus.filter((g) => g.contextValue === 'gpu').length, rig.gpuCount, describeNodes(gpus));
  });

  test('menus follow capabilities: Lambda has no Stop, RunPod has Stop while running and Start while stopped', async () => {
    const lambda = (await instance('Lambda Cloud', cloud.lambdaInstance)).contextValue;
    assert.equal(menuOffers('remoteGpu.stopInstance', lambda), false, 'no Stop on Lambda');
    assert.equal(menuOffers('remoteGpu.terminateInstance', lambda), true);
    assert.equal(menuOffers('remoteGpu.rebootInstance', lambda), true);
    assert.equal(menuOffers('remoteGpu.openTerminal', lambda), true, 'host commands on a running instance');
    assert.equal(menuOffers('remoteGpu.stopInstance', 'instance;runpod;running;stoppable;restartable;ssh'), true);
    assert.equal(menuOffers('remoteGpu.startInstance', 'instance;runpod;running;stoppable;restartable;ssh'), false);
    assert.equal(menuOffers('remoteGpu.startInstance', 'instance;runpod;stopped;stoppable;restartable'), true);
    assert.equal(menuOffers('remoteGpu.openTerminal', 'instance;runpod;stopped;stoppable;restartable'), false);
  });

  test('RunPod: stop says the volume keeps billing, the pod stops; start brings it back', async () => {
    await setKey('runpod', cloud.runpodKey);
    const running = await instance('RunPod', cloud.runpodPod, (n) => n.contextValue.startsWith('instance;runpod;running;'));
    assert.equal(running.contextValue, 'instance;runpod;running;stoppable;restartable;ssh');
    const a = await providersApi();
    a.prompts.scriptedConfirms.push(true);
    await vscode.commands.executeCommand('remoteGpu.stopInstance', running.element);
    const asked = a.prompts.asked.at(-1);
    assert.match(asked?.message ?? '', /^Stop "demo-rtx4090" on RunPod\?/);
    assert.match(asked?.detail ?? '', /volume disk/);
    assert.match(asked?.detail ?? '', /GPU may not come back/);
    const stopped = await instance('RunPod', cloud.runpodPod, (n) => n.contextValue.startsWith('instance;runpod;stopped;'), 10_000);
    // A stopped pod still bills its volume: the cost loop may add its cost so far after the state.
    assert.match(stopped.description, /stopped( · \$[0-9.]+ so far)?$/);
    assert.equal(stopped.item.collapsibleState, 0, 'a stopped pod has no SSH, so nothing to expand');

    await vscode.commands.executeCommand('remoteGpu.startInstance', stopped.element);
    await instance('RunPod', cloud.runpodPod, (n) => n.contextValue.startsWith('instance;runpod;running;'), 15_000);
  });

  test('Lambda: terminate asks in a modal that names the lost disk; "no" changes nothing, "yes" terminates it', async () => {
    const a = await providersApi();
    const node = await instance('Lambda Cloud', cloud.lambdaInstance);
    a.prompts.scriptedConfirms.push(false);
    await vscode.commands.executeCommand('remoteGpu.terminateInstance', node.element);
    assert.match(a.prompts.asked.at(-1)?.detail ?? '', /deleted for good/);
    assert.match(a.prompts.asked.at(-1)?.detail ?? '', /Lambda Cloud has no stop/);
    assert.ok((await instance('Lambda Cloud', cloud.lambdaInstance)).contextValue.includes(';running;'), 'declined: still running');

    a.prompts.scriptedConfirms.push(true);
    await vscode.commands.executeCommand('remoteGpu.terminateInstance', node.element);
    await waitFor('the Lambda instance to leave the list', async () => {
      const list = await children((await root('Lambda Cloud')).element);
      return list.some((n) => n.label === cloud.lambdaInstance) ? undefined : list;
    }, 15_000);
  });

  test('a provider that cannot be reached shows one error child with Retry; the other providers stay', async () => {
    const config = vscode.workspace.getConfiguration('remoteGpu.providers');
    const endpoint = config.get<string>('runpod.endpoint');
    await config.update('runpod.endpoint', 'http://127.0.0.1:9', vscode.ConfigurationTarget.Global);
    try {
      const runpodChildren = await waitFor('RunPod error child', async () => {
        const list = await children((await root('RunPod')).element);
        return list.some((n) => n.contextValue.startsWith('error;')) ? list : undefined;
      }, 60_000);
      assert.equal(runpodChildren.length, 1, describeNodes(runpodChildren));
      assert.match(runpodChildren[0]?.contextValue ?? '', /^error;unavailable;retryable$/);
      assert.equal(runpodChildren[0]?.item.command?.command, 'remoteGpu.retry');
      const lambda = await children((await root('Lambda Cloud')).element);
      assert.ok(!lambda.some((n) => n.contextValue.startsWith('error;')), describeNodes(lambda));
    } finally {
      await config.update('runpod.endpoint', endpoint, vscode.ConfigurationTarget.Global);
    }
    await instance('RunPod', cloud.runpodPod);
  });

  test('Remove API Key forgets the key after a confirmation', async () => {
    const a = await providersApi();
    a.prompts.scriptedConfirms.push(true);
    await vscode.commands.executeCommand('remoteGpu.removeApiKey', 'runpod');
    assert.equal(await a.providers.hasKey('runpod'), false);
    assert.equal((await root('RunPod')).contextValue, 'provider;cloud;runpod;keyMissing');
  });

  test('a provider never expanded in the view: its running instance is listed for auto-stop, which watches it', async () => {
    const a = await providersApi();
    await setKey('vast', cloud.vastKey);
    const cloudBranch = a.instancesTree.cloud;
    if (!cloudBranch) throw new Error('the tree has no cloud branch');
    // What the InstancePoller runs on its timer; the Vast.ai node is not expanded (this suite never asked for it).
    const listed = await waitFor('the Vast instance among the listed instances', async () => {
      await cloudBranch.poll();
      return a.instancesTree.instances().find((n) => n.providerId === 'vast' && n.instance.name === cloud.vastInstance && n.host);
    }, 20_000);
    const key = `vast:${listed.instance.id}`;
    assert.equal(listed.host?.id, key);
    const config = vscode.workspace.getConfiguration('remoteGpu.autoStop');
    const before = config.get<Record<string, boolean>>('enabledFor');
    await config.update('enabledFor', { ...before, [key]: true }, vscode.ConfigurationTarget.Global);
    try {
      await waitFor(`auto-stop watching ${key}`, async () => (a.autoStop.watching(key) ? true : undefined), 20_000);
    } finally {
      await config.update('enabledFor', before, vscode.ConfigurationTarget.Global);
    }
    await waitFor(`auto-stop no longer watching ${key}`, async () => (a.autoStop.watching(key) ? undefined : true), 20_000);
  });

  test('Vast.ai: a key set, its instance listed with Stop but no Reboot (Vast has none)', async () => {
    await setKey('vast', cloud.vastKey);
    const node = await instance('Vast.ai', cloud.vastInstance, (n) => n.contextValue.startsWith('instance;vast;running;'));
    assert.match(node.description, /^RTX 4090 x 1 · \$0\.41\/h · up /);
    assert.equal(menuOffers('remoteGpu.stopInstance', node.contextValue), true);
    assert.equal(menuOffers('remoteGpu.rebootInstance', node.contextValue), false);
  });

  test('AWS EC2: the key is an access key pair (two inputs); the SDK loads on demand and the instance stops and starts', async () => {
    const a = await providersApi();
    const [keyId, ...secret] = cloud.ec2Key.split(':');
    a.prompts.scriptedInputs.push(keyId, secret.join(':'));
    await vscode.commands.executeCommand('remoteGpu.setApiKey', 'ec2');
    assert.equal(await a.providers.hasKey('ec2'), true, 'the EC2 fake accepted the access key through the separately bundled AWS SDK');
    const running = await instance('AWS EC2', cloud.ec2Instance, (n) => n.contextValue.startsWith('instance;ec2;running;'));
    assert.equal(running.contextValue, 'instance;ec2;running;stoppable;ssh');
    assert.match(running.description, /^A10G x 1 · \$1\.01\/h · up 1h/);
    const gpus = await settledChildren(running.element);
    assert.equal(gpus.filter((g) => g.contextValue === 'gpu').length, rig.gpuCount, describeNodes(gpus));

    a.prompts.scriptedConfirms.push(true);
    await vscode.commands.executeCommand('remoteGpu.stopInstance', running.element);
    assert.match(a.prompts.asked.at(-1)?.detail ?? '', /EBS/);
    assert.doesNotMatch(a.prompts.asked.at(-1)?.detail ?? '', /GPU may not come back/);
    const stopped = await instance('AWS EC2', cloud.ec2Instance, (n) => n.contextValue.startsWith('instance;ec2;stopped;'), 15_000);
    await vscode.commands.executeCommand('remoteGpu.startInstance', stopped.element);
    await instance('AWS EC2', cloud.ec2Instance, (n) => n.contextValue.startsWith('instance;ec2;running;'), 15_000);
  });
});

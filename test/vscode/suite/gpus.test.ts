import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { rigInfo } from './env';
import { describeNodes, hostNode, hostNodes, settledChildren } from './helpers';

suite('Instances tree: expanding hosts over SSH', () => {
  const rig = rigInfo();

  test(`expanding the simulator host lists its GPUs with name and memory`, async () => {
    const gpus = await settledChildren((await hostNode(rig.gpuHost)).element);
    assert.equal(gpus.length, rig.gpuCount, `${rig.gpuCount} GPU children: ${describeNodes(gpus)}`);
    gpus.forEach((gpu, i) => {
      assert.match(gpu.label, new RegExp(`^GPU ${i}: NVIDIA H100`), `label of GPU ${i}`);
      assert.match(gpu.description, /\d+(\.\d+)?\s*Gi?B/i, `memory in the description of GPU ${i} (static "80 GB" or live "3.6/80 GiB")`);
      assert.ok(!gpu.contextValue.startsWith('error'), `GPU ${i} is not an error node`);
    });
  });

  test('the host from Include and the host from settings connect too', async () => {
    for (const label of [rig.includedHost, rig.settingsHost]) {
      const gpus = await settledChildren((await hostNode(label)).element);
      assert.equal(gpus.length, rig.gpuCount, `${label}: ${describeNodes(gpus)}`);
      assert.match(gpus[0]?.label ?? '', /^GPU 0: NVIDIA H100/);
    }
  });

  test('a host without nvidia-smi shows exactly one error child, and the rest of the tree stays', async () => {
    const kids = await settledChildren((await hostNode(rig.noSmiHost)).element);
    assert.equal(kids.length, 1, `one child: ${describeNodes(kids)}`);
    const [err] = kids;
    assert.ok(err);
    assert.match(err.contextValue, /^error;/, `contextValue marks an error: ${describeNodes(kids)}`);
    assert.match(`${err.label} ${err.description}`, /nvidia-smi/i, 'the error names nvidia-smi');
    assert.ok(err.item.command, 'the error child has an action (retry)');

    const labels = (await hostNodes()).map((n) => n.label);
    assert.ok(labels.includes(rig.gpuHost) && labels.includes(rig.settingsHost), `other hosts still listed: ${JSON.stringify(labels)}`);
    const gpus = await settledChildren((await hostNode(rig.gpuHost)).element);
    assert.equal(gpus.length, rig.gpuCount, `GPU host still lists its GPUs: ${describeNodes(gpus)}`);
  });

  test('a host whose key differs from known_hosts is refused before authenticating', async () => {
    const kids = await settledChildren((await hostNode(rig.badKeyHost)).element);
    assert.equal(kids.length, 1, `one child: ${describeNodes(kids)}`);
    const [err] = kids;
    assert.ok(err);
    assert.match(err.contextValue, /^error;/, `contextValue marks an error: ${describeNodes(kids)}`);
    const text = `${err.label} ${err.description} ${typeof err.item.tooltip === 'string' ? err.item.tooltip : (err.item.tooltip?.value ?? '')}`;
    assert.match(text, /host key/i, 'the error is about the host key');
    assert.match(text, /chang|mismatch|differ|not match/i, 'the error says the key changed');
    const sshdLog = readFileSync(rig.badKeySshdLog, 'utf8');
    assert.doesNotMatch(sshdLog, /Accepted (publickey|password|keyboard)/, 'sshd logged no successful authentication');
  });
});

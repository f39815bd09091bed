import * as assert from 'node:assert/strict';
import { rigInfo } from './env';
import { describeNodes, hostNodes, providerNode } from './helpers';

suite('Instances tree: hosts', () => {
  const rig = rigInfo();

  test('the root has the "SSH Hosts" provider node', async () => {
    const provider = await providerNode('SSH Hosts');
    assert.notEqual(provider.item.collapsibleState, undefined);
    assert.notEqual(provider.item.collapsibleState, 0, 'provider node can be expanded');
  });

  test('hosts come from ~/.ssh/config, its Include, and the remoteGpu.sshHosts setting', async () => {
    const labels = (await hostNodes()).map((n) => n.label);
    for (const expected of [rig.gpuHost, rig.includedHost, rig.noSmiHost, rig.badKeyHost, rig.settingsHost]) {
      assert.ok(labels.includes(expected), `host "${expected}" is listed; got ${JSON.stringify(labels)}`);
    }
  });

  test('wildcard and negated Host patterns are not hosts', async () => {
    const hosts = await hostNodes();
    const labels = hosts.map((n) => n.label);
    for (const pattern of rig.wildcardPatterns) assert.ok(!labels.includes(pattern), `"${pattern}" is not a host: ${describeNodes(hosts)}`);
    assert.ok(!labels.some((l) => /[*?]/.test(l)), `no label has a wildcard: ${JSON.stringify(labels)}`);
    assert.equal(new Set(labels).size, labels.length, `no duplicates: ${JSON.stringify(labels)}`);
  });

  test('host nodes are collapsed until expanded (expanding connects; listing does not)', async () => {
    for (const host of await hostNodes()) assert.equal(host.item.collapsibleState, 1, `${host.label} is Collapsed`);
  });
});

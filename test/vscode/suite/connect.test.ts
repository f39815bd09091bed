import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, get as httpGet } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect as tcpConnect } from 'node:net';
import { homedir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { recordMetric, rigInfo } from './env';
import { children, describeNodes, hostNode, hostNodes, sleep, waitFor } from './helpers';

function fetchText(port: number, urlPath: string): Promise<string> {
  return new Promise((resolve, reject) => {
    httpGet({ host: '127.0.0.1', port, path: urlPath, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve(body));
    }).on('error', reject);
  });
}

function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = tcpConnect({ host: '127.0.0.1', port });
    s.on('connect', () => {
      s.destroy();
      resolve(false);
    });
    s.on('error', () => resolve(true));
  });
}

suite('Connect and Forward Port', () => {
  const rig = rigInfo();

  suite('Forward Port', () => {
    let app: Server;
    let appPort: number;
    suiteSetup(async () => {
      // The rig's sshd runs on this machine, so "port N on the host" is a server the suite starts here.
      app = createServer((req, res) => res.end(`app says ${req.url ?? ''}`));
      appPort = await new Promise<number>((resolve) => app.listen(0, '127.0.0.1', () => resolve((app.address() as AddressInfo).port)));
    });
    suiteTeardown(() => {
      app.closeAllConnections();
      app.close();
    });

    test('forwards a host port, lists it under the host, answers HTTP, and Stop frees the local port', async () => {
      const host = await hostNode(rig.gpuHost);
      const started = Date.now();
      const result = await vscode.commands.executeCommand<{ id: string; localPort: number; remotePort: number } | undefined>('remoteGpu.forwardPort', host.element, appPort);
      assert.ok(result, 'forwardPort returned the forward');
      recordMetric('forwardPort', { startMs: Date.now() - started });
      assert.equal(result.remotePort, appPort);
      // The app holds that port on this machine, so the forward must have picked another free one.
      assert.notEqual(result.localPort, appPort);

      const bodies = await Promise.all([1, 2, 3, 4, 5].map((i) => fetchText(result.localPort, `/q${i}`)));
      assert.deepEqual(bodies, [1, 2, 3, 4, 5].map((i) => `app says /q${i}`));

      const label = `localhost:${result.localPort} → ${appPort}`;
      const node = await waitFor(`"${label}" under ${rig.gpuHost}`, async () => (await children((await hostNode(rig.gpuHost)).element)).find((n) => n.label === label));
      assert.equal(node.contextValue, 'forward;active');
      assert.equal(node.item.command?.command, 'remoteGpu.openForwardInBrowser');

      await vscode.commands.executeCommand('remoteGpu.stopForward', node.element);
      assert.equal(await refused(result.localPort), true, 'the local port is closed after Stop Forwarding');
      const after = await children((await hostNode(rig.gpuHost)).element);
      assert.ok(!after.some((n) => n.contextValue.startsWith('forward;')), `no forward left: ${describeNodes(after)}`);
    });

    test('a dropped SSH connection shows the forward as broken; Retry reconnects on the same local port', async () => {
      const host = await hostNode(rig.gpuHost);
      const result = await vscode.commands.executeCommand<{ localPort: number } | undefined>('remoteGpu.forwardPort', host.element, appPort);
      assert.ok(result, 'forwardPort returned the forward');
      const label = `localhost:${result.localPort} → ${appPort}`;
      const forwardNode = async (contextValue: string) =>
        waitFor(`"${label}" as ${contextValue}`, async () => (await children((await hostNode(rig.gpuHost)).element)).find((n) => n.label === label && n.contextValue === contextValue));
      try {
        // The host's Retry drops its pooled SSH connection: the connection this forward rides on.
        await vscode.commands.executeCommand('remoteGpu.retry', (await hostNode(rig.gpuHost)).element);
        const broken = await forwardNode('forward;broken');
        assert.equal(broken.item.command?.command, 'remoteGpu.retryForward');
        assert.equal(await refused(result.localPort), false, 'the local port is kept while broken');
        await vscode.commands.executeCommand('remoteGpu.retryForward', broken.element);
        await forwardNode('forward;active');
        assert.equal(await fetchText(result.localPort, '/after-retry'), 'app says /after-retry');
      } finally {
        const node = (await children((await hostNode(rig.gpuHost)).element)).find((n) => n.label === label);
        if (node) await vscode.commands.executeCommand('remoteGpu.stopForward', node.element);
      }
    });
  });

  suite('Connect', () => {
    const home = homedir();
    const userConfig = path.join(home, '.ssh', 'config');
    const managedConfig = path.join(home, '.ssh', 'remote-gpu', 'config');
    const backup = `${userConfig}.remote-gpu.bak`;

    /**
     * Remote-SSH is not installed in code-server, so Connect ends with a notification offering it; the suite cannot
     * click, so it runs the command, waits for the files, then clears notifications to let the command finish.
     */
    async function runConnect(arg: unknown): Promise<{ alias: string } | undefined> {
      const pending = vscode.commands.executeCommand<{ alias: string } | undefined>('remoteGpu.connect', arg);
      await waitFor('the managed ssh config', () => (existsSync(managedConfig) ? true : undefined));
      await sleep(300);
      await vscode.commands.executeCommand('notifications.clearAll');
      return Promise.race([pending, sleep(5_000).then(() => undefined)]);
    }

    test('writes a managed Host block for a settings host, included before any Host line, original backed up once', async () => {
      const original = readFileSync(userConfig, 'utf8');
      assert.ok(!existsSync(backup), 'no backup before the first Connect');
      const host = await hostNode(rig.settingsHost);
      const result = await runConnect(host.element);

      const managed = readFileSync(managedConfig, 'utf8');
      const alias = result?.alias ?? /^Host (\S+)/m.exec(managed)?.[1];
      assert.ok(alias, `a Host line in the managed file:\n${managed}`);
      assert.match(managed, new RegExp(`^Host ${alias}\\n  HostName 127\\.0\\.0\\.1\\n  Port \\d+\\n`, 'm'));
      assert.doesNotMatch(managed, /StrictHostKeyChecking/i);
      assert.equal(statSync(managedConfig).mode & 0o777, 0o600);

      const text = readFileSync(userConfig, 'utf8');
      const lines = text.split('\n');
      const include = lines.findIndex((l) => l.startsWith('Include ') && l.includes(managedConfig));
      const firstHost = lines.findIndex((l) => /^\s*(Host|Match)\s/i.test(l));
      assert.ok(include >= 0 && include < firstHost, `Include (line ${include}) before the first Host (line ${firstHost})`);
      assert.ok(text.endsWith(original), 'the user config is kept below the Include');
      assert.equal(readFileSync(backup, 'utf8'), original);

      // A second Connect changes nothing.
      await runConnect(host.element);
      assert.equal(readFileSync(userConfig, 'utf8'), text);
      assert.equal(readFileSync(managedConfig, 'utf8'), managed);
      assert.equal(readFileSync(backup, 'utf8'), original);

      // The managed file's hosts are not listed a second time under SSH Hosts (the config watcher refreshes it).
      await vscode.commands.executeCommand('remoteGpu.refresh');
      const hosts = await hostNodes();
      assert.ok(!hosts.some((n) => n.label === alias && n.contextValue === 'host;ssh;sshConfig'), `managed alias ${alias} not listed from ssh config: ${describeNodes(hosts)}`);
      assert.ok(hosts.some((n) => n.label === rig.gpuHost), 'the user hosts are still listed');
    });
  });
});

import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import { GpuInventoryService } from '../core/services/gpuInventoryService';
import { ConnectionPool } from '../remote/connectionPool';
import { HostKeyVerifier } from '../remote/hostKeyVerifier';
import { createHostKeyPrompt } from './adapters/hostKeyPrompt';
import { createOutputLogger } from './adapters/outputLogger';
import { readSshSettings, SECTION } from './adapters/settings';
import { addSshHost } from './commands/addSshHost';
import { registerCommand } from './commands/commandRunner';
import { copySshCommand, openInRemoteSsh, openTerminal, type ConnectDeps } from './commands/connectCommands';
import { openSshConfig, watchSshConfig } from './commands/sshConfigFile';
import { knownHostsPath, loadHostCatalog } from './hosts/hostCatalog';
import { InstancesTreeProvider } from './tree/instancesTree';
import type { TerminalChannel } from './terminal/sshPseudoterminal';

/** What activate() returns: used by the in-host integration suites, not a public API. */
export interface RemoteGpuTestApi {
  readonly instancesTree: InstancesTreeProvider;
  readonly activatedInMs: number;
}

/** The composition root: everything is built and wired here, and owned by the context's subscriptions. */
export function activate(context: vscode.ExtensionContext): RemoteGpuTestApi {
  const started = Date.now();
  const channel = vscode.window.createOutputChannel('Remote GPU', { log: true });
  context.subscriptions.push(channel);
  const logger = createOutputLogger(channel);

  const ssh = new SshRuntime(createOutputLogger(channel, 'ssh'));
  context.subscriptions.push(ssh);
  const inventory = new GpuInventoryService((host) => ssh.pool.get(host), () => readSshSettings().commandTimeoutMs);
  const tree = new InstancesTreeProvider({
    logger: logger.child('tree'),
    loadHosts: () => loadHostCatalog(logger.child('hosts')),
    inventory,
    setContext: (key, value) => void vscode.commands.executeCommand('setContext', key, value),
  });
  context.subscriptions.push(tree, vscode.window.createTreeView('remoteGpu.instances', { treeDataProvider: tree, showCollapseAll: true }));

  const connect: ConnectDeps = {
    tree,
    logger,
    openShell: async (host, size): Promise<TerminalChannel> => (await ssh.pool.get(host)).openShell({ ...size, term: 'xterm-256color' }),
  };
  const commands: Record<string, (...args: unknown[]) => unknown> = {
    'remoteGpu.refresh': () => tree.refreshAll(),
    'remoteGpu.retry': (arg) => retry(arg),
    'remoteGpu.addSshHost': () => addSshHost(() => tree.refreshAll()),
    'remoteGpu.openTerminal': (arg) => openTerminal(connect, arg),
    'remoteGpu.openInRemoteSsh': (arg) => openInRemoteSsh(connect, arg),
    'remoteGpu.copySshCommand': (arg) => copySshCommand(connect, arg),
    'remoteGpu.showLogs': () => channel.show(true),
    'remoteGpu.openSshConfig': () => openSshConfig(),
  };
  for (const [id, handler] of Object.entries(commands)) context.subscriptions.push(registerCommand(id, handler, logger.child('cmd')));

  function retry(arg: unknown): void {
    const hostId = typeof arg === 'string' ? arg : (arg as { host?: { id?: unknown } } | undefined)?.host?.id;
    if (typeof hostId !== 'string') return tree.refreshAll();
    ssh.pool.drop(hostId);
    tree.refreshHost(hostId);
  }

  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration(SECTION)) return;
      if (e.affectsConfiguration(`${SECTION}.ssh`)) ssh.rebuild();
      tree.refreshAll();
    }),
    watchSshConfig(() => tree.refreshAll()),
  );

  const activatedInMs = Date.now() - started;
  logger.info(`activated in ${activatedInMs} ms (VS Code ${vscode.version}, ${process.platform}, node ${process.version})`);
  return { instancesTree: tree, activatedInMs };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}

/** Owns the pool and rebuilds it when SSH settings change, so new timeouts and files apply to new connections. */
class SshRuntime implements vscode.Disposable {
  pool: ConnectionPool;
  constructor(private readonly logger: ReturnType<typeof createOutputLogger>) {
    this.pool = this.create();
  }
  rebuild(): void {
    this.pool.dispose();
    this.pool = this.create();
  }
  dispose(): void {
    this.pool.dispose();
  }
  private create(): ConnectionPool {
    const s = readSshSettings();
    const files = [knownHostsPath(), '/etc/ssh/ssh_known_hosts'].filter((f, i) => i === 0 || existsSync(f));
    const hostKeys = new HostKeyVerifier({ knownHostsFiles: files, prompt: createHostKeyPrompt(this.logger), logger: this.logger.child('hostkeys') });
    return new ConnectionPool({ logger: this.logger, hostKeys, keepaliveIntervalMs: s.keepaliveIntervalMs, readyTimeoutMs: s.connectTimeoutMs });
  }
}

import * as vscode from 'vscode';
import { InstanceHosts } from '../../core/hosts/instanceHosts';
import { GpuInventoryService } from '../../core/services/gpuInventoryService';
import { TelemetryHub } from '../../core/services/telemetry/telemetryHub';
import type { Logger } from '../../core/logger';
import { nodeTimers, poolTelemetryConnect } from '../../remote/telemetry/nodeTelemetryPorts';
import { createOutputLogger } from '../adapters/outputLogger';
import { readSshSettings, readTelemetrySettings } from '../adapters/settings';
import { SshRuntime } from '../adapters/sshRuntime';
import { CheckpointFeature } from '../checkpoints/checkpointFeature';
import { ConnectFeature } from '../connect/connectFeature';
import { ProviderRegistry } from '../providers/providerRegistry';
import { instanceIdentityFiles } from '../providers/providerSettings';
import type { InstancesTreeProvider } from '../tree/instancesTree';

/**
 * The services every feature shares: the log channel, the SSH pool, GPU inventory, telemetry, provider clients,
 * Connect/Forward and checkpoint monitors. Nothing here connects or calls a provider until a view or command asks.
 */
export interface Runtime {
  readonly context: vscode.ExtensionContext;
  readonly channel: vscode.LogOutputChannel;
  readonly logger: Logger;
  readonly ssh: SshRuntime;
  readonly inventory: GpuInventoryService;
  readonly hub: TelemetryHub;
  readonly providers: ProviderRegistry;
  readonly connect: ConnectFeature;
  readonly checkpoints: CheckpointFeature;
  /** A cloud instance's address changed or went away: its pooled connection, GPU list and port forwards are stale. */
  readonly forgetHost: (hostId: string) => void;
  /** The one Instance → SshHost mapping (launch key first): tree, Provision and everything after them share it. */
  readonly instanceHosts: InstanceHosts;
  /** An instance is terminated or no longer listed: its telemetry history and remembered launch key go too. */
  readonly hostGone: (hostId: string) => void;
  /** The tree is built after the runtime (it needs the runtime); features that redraw it go through this. */
  readonly tree: { current?: InstancesTreeProvider };
}

export function buildRuntime(context: vscode.ExtensionContext): Runtime {
  const channel = vscode.window.createOutputChannel('Remote GPU', { log: true });
  const logger = createOutputLogger(channel);
  const ssh = new SshRuntime(createOutputLogger(channel, 'ssh'));
  const inventory = new GpuInventoryService((host) => ssh.pool.get(host), () => readSshSettings().commandTimeoutMs);
  const hub = new TelemetryHub(
    { connect: poolTelemetryConnect({ get: (host) => ssh.pool.get(host) }), clock: Date, timers: nodeTimers, random: Math.random, logger: logger.child('telemetry') },
    () => readTelemetrySettings(),
  );
  context.subscriptions.push(channel, ssh, { dispose: () => hub.dispose() });

  // Cloud provider clients; nothing is built or called until the tree or a command asks (EC2's SDK loads lazily).
  const providers = new ProviderRegistry({ secrets: context.secrets, logger: logger.child('providers') });
  // Connect (managed ssh config) and Forward Port; owns every local forward, closed on dispose.
  const connect = new ConnectFeature({ logger: logger.child('connect'), connection: (host) => ssh.pool.get(host) });
  const tree: Runtime['tree'] = {};
  // Checkpoints: looked at only while a dashboard, an expanded tree node or auto-stop holds the host's monitor.
  const checkpoints = new CheckpointFeature({
    connection: (host) => ssh.pool.get(host),
    hub,
    state: context.globalState,
    logger: logger.child('checkpoints'),
    redrawHost: (id) => tree.current?.redrawHost(id),
  });
  context.subscriptions.push(providers, connect, checkpoints);

  const forgetHost = (hostId: string): void => {
    ssh.pool.drop(hostId);
    inventory.invalidate(hostId);
    void connect.forwards.stopHost(hostId);
  };
  const instanceHosts = new InstanceHosts({ identityFiles: instanceIdentityFiles, store: context.globalState, logger: logger.child('hosts') });
  const hostGone = (hostId: string): void => {
    hub.forget(hostId);
    void instanceHosts.forget(hostId);
  };
  return { context, channel, logger, ssh, inventory, hub, providers, connect, checkpoints, forgetHost, instanceHosts, hostGone, tree };
}

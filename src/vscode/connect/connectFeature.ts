import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import type * as vscode from 'vscode';
import { instanceHostId } from '../../core/hosts/instanceSshHost';
import type { SshHost } from '../../core/hosts/sshHost';
import type { Logger } from '../../core/logger';
import type { Instance } from '../../core/providers/instance';
import type { ProviderId } from '../../core/providers/providerId';
import { keepListed } from '../../core/sshConfig/managedConfig';
import { ManagedSshConfig } from '../../remote/managedSshConfig';
import type { ForwardConnection } from '../../remote/portForward';
import { PortForwards } from '../../remote/portForwards';
import { expandPath } from '../../remote/sshConfigHosts';
import { readSshSettings } from '../adapters/settings';
import type { ConnectDeps } from '../commands/connectCommands';
import type { InstancesTreeProvider } from '../tree/instancesTree';
import type { ForwardNode } from '../tree/nodes';
import { connect } from './connectCommand';
import { forwardPort, openForwardInBrowser, retryForward, stopForward } from './forwardCommands';
import { forwardNodesOf } from './forwardItem';

export interface ConnectFeatureDeps {
  readonly logger: Logger;
  /** The host's pooled SSH connection (read late: the pool is rebuilt when SSH settings change). */
  readonly connection: (host: SshHost) => Promise<ForwardConnection>;
}

/**
 * Connect and Forward Port, built once in activate(): the managed ssh config, the window's port forwards, their
 * commands and the hooks the tree and the host lists call. Disposing it closes every forward.
 */
export class ConnectFeature implements vscode.Disposable {
  readonly forwards: PortForwards;
  private managed: ManagedSshConfig | undefined;
  private managedFor = '';

  constructor(private readonly deps: ConnectFeatureDeps) {
    this.forwards = new PortForwards({ connect: deps.connection, logger: deps.logger.child('forward') });
  }

  /** For InstancesTreeDeps.forwardsOf. */
  forwardsOf = (host: SshHost): ForwardNode[] => forwardNodesOf(this.forwards, host);

  /** The managed config for the ssh config file the settings name now (the same one the tree reads). */
  managedConfig = (): ManagedSshConfig => {
    const home = homedir();
    const userConfig = expandPath(readSshSettings().configFile || join(home, '.ssh', 'config'), home);
    if (!this.managed || this.managedFor !== userConfig) {
      this.managed = new ManagedSshConfig({ home, localUser: safeUser(), userConfig, logger: this.deps.logger.child('sshconfig') });
      this.managedFor = userConfig;
    }
    return this.managed;
  };

  commands(tree: InstancesTreeProvider, connectDeps: ConnectDeps): Record<string, (...args: unknown[]) => unknown> {
    const fwd = { tree, forwards: this.forwards };
    return {
      'remoteGpu.connect': (arg) => connect({ ...connectDeps, managedConfig: this.managedConfig }, arg),
      'remoteGpu.forwardPort': (arg, port) => forwardPort(fwd, arg, port),
      'remoteGpu.openForwardInBrowser': (arg) => openForwardInBrowser(fwd, arg),
      'remoteGpu.stopForward': (arg) => stopForward(fwd, arg),
      'remoteGpu.retryForward': (arg) => retryForward(fwd, arg),
    };
  }

  /**
   * A provider listed its instances: managed entries and forwards of instances it no longer has go away. Only that
   * provider's ids are touched, so a provider whose listing failed (never reported) keeps its entries.
   */
  onInstancesListed = (provider: ProviderId, instances: readonly Instance[]): void => {
    const keep = keepListed(provider, new Set(instances.filter((i) => i.state !== 'terminated').map(instanceHostId)));
    void this.managedConfig()
      .prune(keep)
      .catch((e: unknown) => this.deps.logger.warn(`ssh config: prune failed: ${String(e)}`));
    for (const e of this.forwards.all()) if (!keep(e.host.id)) void this.forwards.stop(e.id);
  };

  /** The SSH host list was re-read: forwards of hosts that are gone from it are closed. */
  onSshHostsListed(hosts: readonly SshHost[]): void {
    const live = new Set(hosts.map((h) => h.id));
    for (const e of this.forwards.all()) if (e.host.source !== 'cloud' && !live.has(e.host.id)) void this.forwards.stop(e.id);
  }

  dispose(): void {
    void this.forwards.dispose();
  }
}

function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env['USER'] ?? 'root';
  }
}

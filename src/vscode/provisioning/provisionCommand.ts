import { homedir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { InstanceHosts } from '../../core/hosts/instanceHosts';
import type { Logger } from '../../core/logger';
import type { CloudProvider } from '../../core/providers/provider';
import type { ProviderId } from '../../core/providers/providerId';
import type { Clock, Sleep } from '../../core/providers/time';
import type { ProvisionOutcome } from '../../core/provisioning/launch';
import type { Candidate } from '../../core/provisioning/offerFilter';
import type { ProvisionUi } from '../../core/provisioning/provisionUi';
import { runProvisionWizard } from '../../core/provisioning/provisionWizard';
import type { SshProbe } from '../../core/provisioning/sshReady';
import { listLocalPublicKeys } from '../../remote/localPublicKeys';
import { isCloudProviderNode, type InstanceNode } from '../tree/nodes';
import { createQuickInputUi } from './quickInputUi';

export interface ProvisionCommandDeps {
  /** ProviderRegistry.configured: the providers with an API key. */
  readonly configured: () => Promise<readonly CloudProvider[]>;
  readonly sshProbe: SshProbe;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly sleep: Sleep;
  /** The one Instance → SshHost mapping; the launch key is remembered there, so the tree offers it first too. */
  readonly hosts: Pick<InstanceHosts, 'hostOf' | 'rememberLaunchKey'>;
  /** A provider's instances changed: refresh its branch of the tree. */
  readonly refresh: (provider: ProviderId) => void;
  /** The command "Connect" runs with the new instance's node. */
  readonly connectCommand: string;
  readonly ui?: ProvisionUi;
  /** "Recommend a GPU..." inside the flow: the advisor, resolving to its chosen offer. */
  readonly recommend?: () => Promise<Candidate | undefined>;
}

/**
 * `remoteGpu.provision`: from the palette or the view title across all configured providers, from a provider node
 * with that provider preselected. A ready instance's Connect / Open Dashboard run the same commands as its tree node.
 */
export async function provisionCommand(deps: ProvisionCommandDeps, arg: unknown, preset?: Candidate): Promise<ProvisionOutcome> {
  const outcome = await runProvisionWizard(
    {
      ui: deps.ui ?? createQuickInputUi(),
      providers: deps.configured,
      localKeys: () => listLocalPublicKeys(join(homedir(), '.ssh')),
      sshProbe: deps.sshProbe,
      clock: deps.clock,
      sleep: deps.sleep,
      logger: deps.logger,
      onInstancesChanged: deps.refresh,
      // Remembered as soon as the instance exists, not only when it turns ready: an instance whose SSH did not answer
      // in time (kept to look at) must still be offered the key it was launched with.
      onLaunched: ({ provider, instanceId, identityFile }) => deps.hosts.rememberLaunchKey({ provider, id: instanceId }, identityFile),
      ...(deps.recommend ? { recommend: deps.recommend } : {}),
    },
    { ...(isCloudProviderNode(arg) ? { provider: arg.providerId } : {}), ...(preset ? { candidate: preset } : {}) },
  );
  if (outcome.kind === 'ready' && outcome.action) {
    const { provider, instance } = outcome;
    // The same host the tree builds (launch key first): the dashboard's stream and the tree's GPU query share one
    // pooled connection instead of each asking for its own and dropping the other's.
    const host = deps.hosts.hostOf(instance);
    const node: InstanceNode = { kind: 'instance', providerId: provider.id, instance, capabilities: provider.capabilities, ...(host ? { host } : {}) };
    await vscode.commands.executeCommand(outcome.action === 'connect' ? deps.connectCommand : 'remoteGpu.openDashboard', node);
  }
  return outcome;
}

import * as vscode from 'vscode';
import { RemoteGpuError } from '../../core/errors';
import type { SshHost } from '../../core/hosts/sshHost';
import type { StopPlan } from '../../core/idle/stopAction';
import type { Logger } from '../../core/logger';
import { lifecycleWording } from '../../core/providers/lifecycleWording';
import { isStoppable, type CloudProvider } from '../../core/providers/provider';
import type { RemoteExec } from '../../core/remote/remoteCommand';
import type { InstanceNode } from '../tree/nodes';

export interface StopMachineDeps {
  readonly provider: (node: InstanceNode) => Promise<CloudProvider>;
  readonly connection: (host: SshHost) => Promise<RemoteExec>;
  readonly forgetHost: (hostId: string) => void;
  readonly refresh: (node: InstanceNode) => void;
  readonly logger: Logger;
  /**
   * Save before stop (checkpoints), unattended: resolves false when the stop must not go ahead (a terminate whose
   * newest checkpoint was never downloaded). Absent: nothing to ask the job.
   */
  readonly beforeStop?: (node: InstanceNode, action: 'stop' | 'terminate') => Promise<boolean>;
}

export type StopSubject = { readonly kind: 'instance'; readonly node: InstanceNode } | { readonly kind: 'sshHost'; readonly host: SshHost };

/**
 * Carries out an automatic stop (auto-stop, maximum runtime, budget) decided by planStop / planBudgetStop. The user
 * was warned minutes before, so no modal here; the words afterwards are the lifecycle commands' own ("stopped: the
 * disk still bills", "terminated: the disk is gone"), so an automatic stop is described as honestly as a manual one.
 */
export async function stopMachine(deps: StopMachineDeps, subject: StopSubject, plan: StopPlan, reason: string): Promise<void> {
  if (plan.action === 'none') {
    void vscode.window.showWarningMessage(vscode.l10n.t('Remote GPU did not stop {0} ({1}): {2}.', label(subject), reason, plan.why));
    return;
  }
  deps.logger.info(`auto-stop: ${plan.action} ${describe(subject)} (${reason}; ${plan.why})`);
  if (subject.kind === 'sshHost') {
    if (plan.action !== 'command') throw new RemoteGpuError('config', vscode.l10n.t('An SSH host can only be stopped by its configured stop command.'));
    const result = await (await deps.connection(subject.host)).exec(plan.argv, { timeoutMs: 60_000 });
    // The command may cut our connection (shutdown): an exit by signal or a dropped channel is what success looks like then.
    if (result.code !== 0 && result.code !== null) {
      throw new RemoteGpuError('remoteFailed', vscode.l10n.t('The stop command on {0} failed (exit {1}).', subject.host.label, String(result.code)), result.stderr.slice(0, 500));
    }
    deps.forgetHost(subject.host.id);
    void vscode.window.showInformationMessage(vscode.l10n.t('Ran the stop command on {0} ({1}).', subject.host.label, reason));
    return;
  }
  const { node } = subject;
  const provider = await deps.provider(node);
  if ((plan.action === 'stop' || plan.action === 'terminate') && deps.beforeStop && !(await deps.beforeStop(node, plan.action))) {
    deps.logger.info(`auto-stop: ${plan.action} ${describe(subject)} held back by its checkpoints`);
    return;
  }
  if (plan.action === 'stop') {
    if (!isStoppable(provider)) throw new RemoteGpuError('config', vscode.l10n.t('{0} instances cannot be stopped; terminate ends billing.', provider.displayName));
    await provider.stop(node.instance.id);
  } else if (plan.action === 'terminate') {
    await provider.terminate(node.instance.id);
  } else {
    throw new RemoteGpuError('config', vscode.l10n.t('A cloud instance is stopped through its provider, not by a command.'));
  }
  deps.forgetHost(`${node.providerId}:${node.instance.id}`);
  deps.refresh(node);
  const words = lifecycleWording(plan.action, { providerId: provider.id, providerName: provider.displayName, capabilities: provider.capabilities, instance: node.instance });
  void vscode.window.showInformationMessage(vscode.l10n.t('{0} ({1})', words.done, reason));
}

function label(s: StopSubject): string {
  return s.kind === 'sshHost' ? s.host.label : s.node.instance.name || s.node.instance.id;
}

function describe(s: StopSubject): string {
  return s.kind === 'sshHost' ? `ssh:${s.host.id}` : `${s.node.providerId}:${s.node.instance.id}`;
}

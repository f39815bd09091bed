import { stateLabel } from '../../core/providers/instanceSummary';
import * as vscode from 'vscode';
import { RemoteGpuError, toRemoteGpuError } from '../../core/errors';
import { instanceHostId } from '../../core/hosts/instanceSshHost';
import type { Logger } from '../../core/logger';
import type { Instance } from '../../core/providers/instance';
import { availableActions, isSettled, lifecycleWording, type LifecycleAction } from '../../core/providers/lifecycleWording';
import { isRestartable, isStoppable, type CallOptions, type CloudProvider } from '../../core/providers/provider';
import { waitForInstance } from '../../core/providers/waitForInstance';
import { nodeSleep, systemClock } from '../../remote/http/nodeTimers';
import type { InstancesTreeProvider } from '../tree/instancesTree';
import { isInstanceNode, type InstanceNode } from '../tree/nodes';
import type { Prompts } from './prompts';
import { providerDisplayName } from './providerSettings';

export interface LifecycleDeps {
  readonly providers: { get(id: InstanceNode['providerId']): Promise<CloudProvider> };
  readonly tree: InstancesTreeProvider;
  readonly prompts: Prompts;
  readonly logger: Logger;
  /** The instance's SSH connection and GPU list are stale after stop/terminate/reboot. */
  readonly forgetHost: (hostId: string) => void;
  /** How often to ask while waiting; 2 s unless a test wants faster. */
  readonly pollMs?: number;
  /**
   * Save before stop and the terminate rule (src/vscode/checkpoints/stopGuard.ts), after the confirmation and before
   * the provider is called; false = the user chose not to go ahead.
   */
  readonly beforeStop?: (node: InstanceNode, action: 'stop' | 'terminate') => Promise<boolean>;
}

/** A stop or a boot can take minutes (EC2, Vast scheduling); after this the notification gives up waiting, not the action. */
const SETTLE_TIMEOUT_MS = 15 * 60_000;
/** A reboot that never shows a non-running state within this long is taken as done (the provider was quick). */
const REBOOT_GRACE_MS = 20_000;

/**
 * Stop / Start / Terminate / Reboot from an instance node (or the palette). The words come from capabilities
 * (core/providers/lifecycleWording); terminate, stop and reboot ask in a modal first. A progress notification follows
 * the state until it settles; cancelling it stops waiting, never the action, which the provider has already taken.
 */
export async function runLifecycle(deps: LifecycleDeps, action: LifecycleAction, arg: unknown): Promise<void> {
  const node = await resolveInstance(deps.tree, action, arg);
  const provider = await deps.providers.get(node.providerId);
  const { instance } = node;
  const name = instance.name || instance.id;
  if (!availableActions(instance.state, provider.capabilities, instance.canStop !== false).includes(action)) {
    throw new RemoteGpuError('config', cannotNow(action, name, provider.displayName, stateLabel(instance.state)));
  }
  const words = lifecycleWording(action, { providerId: provider.id, providerName: provider.displayName, capabilities: provider.capabilities, instance });
  if (words.confirm && !(await deps.prompts.confirm(words.confirm.message, words.confirm.detail, words.confirm.button))) return;
  if ((action === 'stop' || action === 'terminate') && deps.beforeStop && !(await deps.beforeStop(node, action))) return;

  deps.logger.info(`${action} ${provider.id}:${instance.id}`);
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: words.progress, cancellable: true }, async (progress, token) => {
    const abort = new AbortController();
    token.onCancellationRequested(() => abort.abort());
    const options: CallOptions = { signal: abort.signal };
    await act(provider, action, instance.id, options);
    if (action !== 'start') deps.forgetHost(instanceHostId(instance));
    deps.tree.refreshProvider(provider.id);
    const started = systemClock.now();
    let leftRunning = false;
    try {
      await waitForInstance(provider, instance.id, {
        until: (i) => {
          if (action !== 'reboot') return isSettled(action, i.state);
          if (i.state !== 'running') leftRunning = true;
          return i.state === 'running' && (leftRunning || systemClock.now() - started > REBOOT_GRACE_MS);
        },
        clock: systemClock,
        sleep: nodeSleep,
        intervalMs: deps.pollMs ?? 2000,
        timeoutMs: SETTLE_TIMEOUT_MS,
        signal: abort.signal,
        onChange: (i: Instance) => {
          progress.report({ message: i.providerStatus ? `${i.state} (${i.providerStatus})` : i.state });
          deps.tree.refreshProvider(provider.id);
        },
      });
    } catch (e) {
      const error = toRemoteGpuError(e);
      // Terminated instances vanish from some APIs (RunPod: 404, EC2 after a while): gone is what we waited for.
      if (!(action === 'terminate' && error.reason === 'notFound')) throw error;
    }
  });
  deps.tree.refreshProvider(provider.id);
  void vscode.window.showInformationMessage(words.done);
}

async function act(provider: CloudProvider, action: LifecycleAction, id: string, options: CallOptions): Promise<void> {
  switch (action) {
    case 'terminate':
      return provider.terminate(id, options);
    case 'stop':
    case 'start':
      if (!isStoppable(provider)) throw new RemoteGpuError('config', vscode.l10n.t('{0} instances cannot be stopped; terminate ends billing.', provider.displayName));
      return action === 'stop' ? provider.stop(id, options) : provider.start(id, options);
    case 'reboot':
      if (!isRestartable(provider)) throw new RemoteGpuError('config', vscode.l10n.t('{0} has no reboot.', provider.displayName));
      return provider.restart(id, options);
  }
}

/** The node from the menu; an "<provider>:<instanceId>" string (tests); or a quick pick of instances the action fits. */
/** Whole sentences per action, so a translation never has an English verb spliced into it. */
function cannotNow(action: LifecycleAction, name: string, provider: string, state: string): string {
  switch (action) {
    case 'stop': return vscode.l10n.t('Cannot stop {0} on {1} while it is {2}.', name, provider, state);
    case 'start': return vscode.l10n.t('Cannot start {0} on {1} while it is {2}.', name, provider, state);
    case 'reboot': return vscode.l10n.t('Cannot reboot {0} on {1} while it is {2}.', name, provider, state);
    case 'terminate': return vscode.l10n.t('Cannot terminate {0} on {1} while it is {2}.', name, provider, state);
  }
}

function noneCan(action: LifecycleAction): string {
  switch (action) {
    case 'stop': return vscode.l10n.t('No listed instance can stop now.');
    case 'start': return vscode.l10n.t('No listed instance can start now.');
    case 'reboot': return vscode.l10n.t('No listed instance can reboot now.');
    case 'terminate': return vscode.l10n.t('No listed instance can terminate now.');
  }
}

async function resolveInstance(tree: InstancesTreeProvider, action: LifecycleAction, arg: unknown): Promise<InstanceNode> {
  if (isInstanceNode(arg)) return arg;
  const listed = tree.instances();
  if (typeof arg === 'string') {
    const found = listed.find((n) => instanceHostId(n.instance) === arg);
    if (found) return found;
    throw new RemoteGpuError('notFound', vscode.l10n.t('No listed instance "{0}". Expand its provider in Remote GPU first.', arg));
  }
  const fits = listed.filter((n) => availableActions(n.instance.state, n.capabilities, n.instance.canStop !== false).includes(action));
  if (fits.length === 0) throw new RemoteGpuError('config', noneCan(action));
  const picked = await vscode.window.showQuickPick(
    fits.map((n) => ({ label: n.instance.name || n.instance.id, description: `${providerDisplayName(n.providerId)} · ${stateLabel(n.instance.state)}`, node: n })),
    { placeHolder: vscode.l10n.t('Which instance?') },
  );
  if (!picked) throw new RemoteGpuError('cancelled', vscode.l10n.t('Cancelled.'));
  return picked.node;
}

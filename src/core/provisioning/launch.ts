import type { RemoteGpuError} from '../errors';
import { toRemoteGpuError } from '../errors';
import { throwIfAborted } from '../http/jsonClient';
import type { Instance } from '../providers/instance';
import type { CloudProvider, ProvisionRequest } from '../providers/provider';
import { isSshKeyManager } from '../providers/provider';
import { stateLabel } from '../providers/instanceSummary';
import { isReadyForSsh, waitForInstance } from '../providers/waitForInstance';
import type { KeyChoice } from './choiceSteps';
import { formatPerHour } from '../../shared/localeFormat';
import type { Candidate } from './offerFilter';
import { shapeLabel } from './offerRows';
import type { LaunchedInstance, ProvisionDeps } from './provisionWizard';
import type { ProgressReporter } from './provisionUi';
import { waitForSsh } from './sshReady';
import { uploadKeyName } from './validation';
import { keyComment } from '../providers/sshKeys';
import { t } from '../../shared/l10n';

export interface ProvisionTiming {
  readonly pollIntervalMs: number;
  /** From the launch until the provider says running with an SSH address. */
  readonly instanceTimeoutMs: number;
  readonly sshIntervalMs: number;
  /** From that point until an SSH handshake succeeds. */
  readonly sshTimeoutMs: number;
}

export const DEFAULT_TIMING: ProvisionTiming = { pollIntervalMs: 5_000, instanceTimeoutMs: 20 * 60_000, sshIntervalMs: 3_000, sshTimeoutMs: 10 * 60_000 };

export type ProvisionOutcome =
  | { readonly kind: 'cancelled' }
  | { readonly kind: 'ready'; readonly provider: CloudProvider; readonly instance: Instance; readonly identityFile: string; readonly readyAfterMs: number; readonly action?: 'connect' | 'dashboard' }
  | { readonly kind: 'notReady'; readonly provider: CloudProvider; readonly instanceId: string; readonly error: RemoteGpuError; readonly terminated: boolean };

/** The launch was refused for capacity: the wizard goes back to the offers. */
export type LaunchResult = ProvisionOutcome | { readonly kind: 'capacity'; readonly offerId: string };

export interface LaunchDraft {
  readonly candidate: Candidate;
  readonly key: KeyChoice;
  readonly name: string;
  readonly image?: string;
  readonly diskGiB?: number;
}

// Buttons of the closing messages, as functions: translated when shown, not when the module loads.
export const CONNECT = (): string => t('Connect');
export const OPEN_DASHBOARD = (): string => t('Open Dashboard');
export const TERMINATE = (): string => t('Terminate');
export const KEEP = (): string => t('Keep It');

/** The provider's name for the key, uploading it first when the provider lacks it (only now, after the confirmation). */
async function ensureKey(p: CloudProvider, key: KeyChoice, progress: ProgressReporter, signal: AbortSignal): Promise<string | undefined> {
  if (key.stored) return key.stored.name;
  if (!isSshKeyManager(p)) return undefined;
  progress.report(t('adding SSH key {0} to {1}', key.local.publicKeyPath, p.displayName));
  const stored = await p.uploadSshKey({ name: uploadKeyName(key.local.publicKey, keyComment(key.local.publicKey)), publicKey: key.local.publicKey }, { signal });
  return stored.name;
}

function requestOf(d: LaunchDraft, sshKeyName: string | undefined): ProvisionRequest {
  return {
    offerId: d.candidate.offer.id,
    name: d.name,
    ...(d.candidate.requestGpuCount !== undefined ? { gpuCount: d.candidate.requestGpuCount } : {}),
    ...(sshKeyName !== undefined ? { sshKeyName } : {}),
    ...(d.image !== undefined ? { image: d.image } : {}),
    ...(d.diskGiB !== undefined ? { diskGiB: d.diskGiB } : {}),
  };
}

/**
 * Uploads the key if needed, launches once, and waits through the provider's states until SSH answers, all under
 * one cancellable progress. Cancelled before the launch request: nothing exists. After it: the instance exists,
 * and the person is told so and offered Terminate.
 */
export async function launchAndWait(deps: ProvisionDeps, p: CloudProvider, d: LaunchDraft): Promise<LaunchResult> {
  const timing = { ...DEFAULT_TIMING, ...deps.timing };
  const log = deps.logger;
  const started = deps.clock.now();
  let instanceId: string | undefined;
  try {
    const instance = await deps.ui.progress(t('Provisioning {0} on {1}', d.name, p.displayName), async (progress, signal) => {
      const sshKeyName = await ensureKey(p, d.key, progress, signal);
      throwIfAborted(signal);
      progress.report(t('launching'));
      // No signal: once the request is on its way it must finish, or a launch could happen that we never learn of.
      instanceId = (await p.provision(requestOf(d, sshKeyName))).instanceId;
      log.info(`launched ${p.id} instance ${instanceId} (${d.candidate.offer.id}) as ${d.name}`);
      await rememberLaunch(deps, { provider: p.id, instanceId, identityFile: d.key.local.privateKeyPath });
      deps.onInstancesChanged?.(p.id);
      const ready = await waitForInstance(p, instanceId, {
        until: isReadyForSsh,
        clock: deps.clock,
        sleep: deps.sleep,
        intervalMs: timing.pollIntervalMs,
        timeoutMs: timing.instanceTimeoutMs,
        signal,
        // The state in words; the provider's own status word (data) in brackets where it says more.
        onChange: (i) => progress.report(i.providerStatus && i.providerStatus !== i.state ? t('{0} ({1})', stateLabel(i.state), i.providerStatus) : stateLabel(i.state)),
      });
      const ssh = ready.ssh as NonNullable<Instance['ssh']>;
      progress.report(t('waiting for SSH on {0}', `${ssh.user}@${ssh.host}:${ssh.port}`));
      await waitForSsh(deps.sshProbe, { id: `provision:${p.id}:${ready.id}`, label: d.name, endpoint: ssh, identityFile: d.key.local.privateKeyPath }, {
        clock: deps.clock,
        sleep: deps.sleep,
        intervalMs: timing.sshIntervalMs,
        timeoutMs: timing.sshTimeoutMs,
        signal,
        onRetry: (n, e) => log.debug(`ssh probe ${n} on ${d.name}: ${e.reason} ${e.message}`),
      });
      return ready;
    });
    const readyAfterMs = deps.clock.now() - started;
    log.info(`${d.name} answers SSH ${Math.round(readyAfterMs / 1000)} s after the launch`);
    deps.onInstancesChanged?.(p.id);
    const shape = shapeLabel(d.candidate.offer);
    const [connect, dashboard] = [CONNECT(), OPEN_DASHBOARD()];
    const choice = await deps.ui.inform(t('{0} is ready on {1}: {2}, {3}.', d.name, p.displayName, shape, formatPerHour(d.candidate.offer.priceMicrosPerHour)), [connect, dashboard]);
    const action = choice === connect ? 'connect' : choice === dashboard ? 'dashboard' : undefined;
    return { kind: 'ready', provider: p, instance, identityFile: d.key.local.privateKeyPath, readyAfterMs, ...(action ? { action } : {}) };
  } catch (e) {
    const error = toRemoteGpuError(e);
    if (instanceId === undefined) {
      if (error.reason === 'cancelled') return { kind: 'cancelled' };
      if (error.reason === 'capacity') {
        await deps.ui.warn(`${error.message} ${t('Nothing was launched; pick another offer.')}`, []);
        return { kind: 'capacity', offerId: d.candidate.offer.id };
      }
      throw error;
    }
    return afterLaunchTrouble(deps, p, instanceId, d, error);
  }
}

/** Before the wait, so that even an outcome we never reach (a closed window) leaves the key remembered. */
async function rememberLaunch(deps: ProvisionDeps, launch: LaunchedInstance): Promise<void> {
  try {
    await deps.onLaunched?.(launch);
  } catch (e) {
    deps.logger.error(`could not remember the launch key of ${launch.provider} ${launch.instanceId}`, e);
  }
}

/** The instance exists but is not usable (cancelled, timed out, failed): say so, and offer to terminate it. */
async function afterLaunchTrouble(deps: ProvisionDeps, p: CloudProvider, instanceId: string, d: LaunchDraft, error: RemoteGpuError): Promise<ProvisionOutcome> {
  deps.logger.warn(`${d.name} (${p.id} ${instanceId}) launched but not ready: ${error.reason} ${error.detail ?? error.message}`);
  const bills = t('{0} exists on {1} and bills {2} until you terminate it.', d.name, p.displayName, formatPerHour(d.candidate.offer.priceMicrosPerHour));
  const message = error.reason === 'cancelled' ? `${t('Stopped waiting.')} ${bills}` : `${error.message} ${bills}`;
  const terminate = TERMINATE();
  const choice = await deps.ui.warn(message, [terminate, KEEP()]);
  if (choice !== terminate) return { kind: 'notReady', provider: p, instanceId, error, terminated: false };
  await deps.ui.progress(t('Terminating {0} on {1}', d.name, p.displayName), (_r, signal) => p.terminate(instanceId, { signal }));
  deps.logger.info(`terminated ${p.id} instance ${instanceId} at the person's request after: ${error.reason}`);
  deps.onInstancesChanged?.(p.id);
  return { kind: 'notReady', provider: p, instanceId, error, terminated: true };
}

import * as vscode from 'vscode';
import { RemoteGpuError, toRemoteGpuError } from '../../core/errors';
import type { Logger } from '../../core/logger';
import type { ProviderId } from '../../core/providers/providerId';
import { resolveProviderId } from './providerArgument';
import type { ProviderRegistry } from './providerRegistry';
import { providerDisplayName } from './providerSettings';
import type { Prompts } from './prompts';

export interface ApiKeyDeps {
  readonly registry: ProviderRegistry;
  readonly prompts: Prompts;
  readonly logger: Logger;
}

/** Where each provider's key is made; shown in the input box so the user need not search. */
const WHERE: Record<Exclude<ProviderId, 'ec2'>, () => string> = {
  lambda: () => vscode.l10n.t('Lambda Cloud dashboard → API keys (cloud.lambda.ai/api-keys)'),
  runpod: () => vscode.l10n.t('RunPod console → Settings → API Keys (read/write, so stop and start work)'),
  vast: () => vscode.l10n.t('Vast.ai console → Account → API Keys (cloud.vast.ai/manage-keys)'),
};

/** A key has no spaces; this catches a paste of a whole line ("export KEY=...") before any call. */
function validateToken(value: string): string | undefined {
  const v = value.trim();
  if (v === '') return vscode.l10n.t('Paste the key.');
  if (/\s/.test(v)) return vscode.l10n.t('A key has no spaces or line breaks.');
  return undefined;
}

/**
 * "Set API Key...": asks for the key (password box), checks it with a cheap call (listing instances) and stores it
 * in SecretStorage only if the provider accepts it. On failure the previous key stays as it was. The key itself is
 * never logged or shown.
 */
export async function setApiKey(deps: ApiKeyDeps, arg: unknown): Promise<void> {
  const id = await resolveProviderId(arg, () => deps.registry.all(), vscode.l10n.t('Set the API key of which cloud provider?'));
  const name = providerDisplayName(id);
  const key = id === 'ec2' ? await readAwsKey(deps.prompts) : await readToken(deps.prompts, id, name);
  const hadKey = await deps.registry.hasKey(id);
  await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Checking the {0} key...', name), cancellable: true },
    async (_progress, token) => {
      const abort = new AbortController();
      token.onCancellationRequested(() => abort.abort());
      const client = await deps.registry.withKey(id, key);
      try {
        await client.listInstances({ signal: abort.signal });
      } catch (e) {
        throw keyCheckFailure(toRemoteGpuError(e), name, hadKey);
      }
    },
  );
  await deps.registry.storeKey(id, key);
  void vscode.window.showInformationMessage(vscode.l10n.t('{0} API key saved. Its instances are listed under "{0}" in Remote GPU.', name));
}

/** "Remove API Key": forgets the stored key after a confirmation. Instances keep running (and billing). */
export async function removeApiKey(deps: ApiKeyDeps, arg: unknown): Promise<void> {
  const id = await resolveProviderId(arg, () => deps.registry.all(), vscode.l10n.t('Remove the API key of which cloud provider?'), (p) => p.configured);
  const name = providerDisplayName(id);
  if (!(await deps.registry.hasKey(id))) {
    void vscode.window.showInformationMessage(vscode.l10n.t('No {0} API key is stored.', name));
    return;
  }
  const ok = await deps.prompts.confirm(
    vscode.l10n.t('Remove the {0} API key?', name),
    vscode.l10n.t('Remote GPU forgets the key and stops listing {0} instances. The instances themselves keep running, and billing, until you stop or terminate them at {0}.', name),
    vscode.l10n.t('Remove Key'),
  );
  if (!ok) return;
  await deps.registry.removeKey(id);
}

function keyCheckFailure(error: RemoteGpuError, name: string, hadKey: boolean): RemoteGpuError {
  if (error.reason === 'cancelled') return error;
  const kept = hadKey ? vscode.l10n.t('The key stored before is kept.') : vscode.l10n.t('Nothing was stored.');
  if (error.reason === 'auth') return new RemoteGpuError('auth', vscode.l10n.t('{0} refused this API key. {1}', name, kept), error.detail, { cause: error });
  return new RemoteGpuError(error.reason, vscode.l10n.t('Could not check the key with {0}: {1} {2}', name, error.message, kept), error.detail, { cause: error });
}

async function readToken(prompts: Prompts, id: Exclude<ProviderId, 'ec2'>, name: string): Promise<string> {
  const value = await prompts.input({
    title: vscode.l10n.t('{0} API Key', name),
    prompt: vscode.l10n.t('From the {0}. Kept in VS Code secret storage, never in settings.', WHERE[id]()),
    password: true,
    validateInput: validateToken,
  });
  return required(value);
}

/** EC2's "key" is an access key pair, stored as one secret "ACCESS_KEY_ID:SECRET_ACCESS_KEY". */
async function readAwsKey(prompts: Prompts): Promise<string> {
  const accessKeyId = required(
    await prompts.input({
      title: vscode.l10n.t('AWS EC2 Access Key (1/2)'),
      prompt: vscode.l10n.t('Access key ID of an IAM user allowed to use EC2 and the Pricing API (IAM → Users → Security credentials).'),
      placeHolder: 'AKIA...',
      validateInput: (v) => validateToken(v) ?? (v.includes(':') ? vscode.l10n.t('An access key ID has no ":".') : undefined),
    }),
  );
  const secret = required(
    await prompts.input({ title: vscode.l10n.t('AWS EC2 Access Key (2/2)'), prompt: vscode.l10n.t('Secret access key for {0}.', accessKeyId), password: true, validateInput: validateToken }),
  );
  return `${accessKeyId}:${secret}`;
}

function required(value: string | undefined): string {
  if (value === undefined) throw new RemoteGpuError('cancelled', vscode.l10n.t('Cancelled.'));
  const v = value.trim();
  const problem = validateToken(v);
  if (problem) throw new RemoteGpuError('config', problem);
  return v;
}

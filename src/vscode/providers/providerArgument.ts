import * as vscode from 'vscode';
import { RemoteGpuError } from '../../core/errors';
import type { ProviderId } from '../../core/providers/providerId';
import { isProviderId } from './providerSettings';
import type { ProviderInfo } from './providerRegistry';

/**
 * Commands run from a provider node (or its "API key missing" / error child) get the node; the error child and the
 * tests pass the id; from the palette they get nothing and ask.
 */
export async function resolveProviderId(arg: unknown, all: () => Promise<ProviderInfo[]>, placeHolder: string, only?: (p: ProviderInfo) => boolean): Promise<ProviderId> {
  if (isProviderId(arg)) return arg;
  const fromNode = (arg as { providerId?: unknown } | undefined)?.providerId;
  if (isProviderId(fromNode)) return fromNode;
  const choices = (await all()).filter((p) => !only || only(p));
  if (choices.length === 0) throw new RemoteGpuError('config', vscode.l10n.t('No cloud provider has an API key set.'));
  const picked = await vscode.window.showQuickPick(
    choices.map((p) => ({ label: p.displayName, description: p.configured ? vscode.l10n.t('key set') : vscode.l10n.t('no key'), id: p.id })),
    { placeHolder },
  );
  if (!picked) throw new RemoteGpuError('cancelled', vscode.l10n.t('Cancelled.'));
  return picked.id;
}

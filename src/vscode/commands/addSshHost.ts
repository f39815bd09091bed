import { readdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { RemoteGpuError } from '../../core/errors';
import { parseUserHostPort } from '../../core/hosts/userHostPort';
import { SECTION } from '../adapters/settings';

/**
 * Asks for `[user@]host[:port]`, a label, a key and an optional price, then appends the host to the user's
 * `remoteGpu.sshHosts` (global: the setting names key paths, which a workspace must not be able to set).
 */
export async function addSshHost(onAdded: () => void): Promise<void> {
  const target = await vscode.window.showInputBox({
    title: vscode.l10n.t('Add SSH Host (1/3)'),
    prompt: vscode.l10n.t('user@host[:port] of a machine with NVIDIA GPUs'),
    placeHolder: 'ubuntu@203.0.113.10:22',
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim() === '' ? undefined : parseUserHostPort(v).ok ? undefined : (parseUserHostPort(v) as { message: string }).message),
  });
  if (target === undefined) throw cancelled();
  const parsed = parseUserHostPort(target);
  if (!parsed.ok) throw new RemoteGpuError('config', parsed.message);
  const { user, host, port } = parsed.value;

  const identityFile = await pickIdentityFile();
  const name = await vscode.window.showInputBox({
    title: vscode.l10n.t('Add SSH Host (3/3)'),
    prompt: vscode.l10n.t('Label in the tree, and optionally a price: "name" or "name $1.99/h". Leave empty to use the address.'),
    ignoreFocusOut: true,
  });
  if (name === undefined) throw cancelled();
  const priceMatch = /\$?\s*(\d+(?:\.\d+)?)\s*\/\s*h(?:our)?\s*$/i.exec(name);
  const label = (priceMatch ? name.slice(0, priceMatch.index) : name).trim();

  const entry: Record<string, unknown> = { host, port };
  if (label) entry['name'] = label;
  if (user) entry['user'] = user;
  if (identityFile) entry['identityFile'] = identityFile;
  if (priceMatch?.[1]) entry['pricePerHour'] = Number(priceMatch[1]);

  const config = vscode.workspace.getConfiguration(SECTION);
  const current = config.get<unknown[]>('sshHosts', []);
  await config.update('sshHosts', [...(Array.isArray(current) ? current : []), entry], vscode.ConfigurationTarget.Global);
  onAdded();
  void vscode.window.showInformationMessage(vscode.l10n.t('Added {0} to Remote GPU.', label || `${user ? `${user}@` : ''}${host}`));
}

async function pickIdentityFile(): Promise<string | undefined> {
  const agent = { label: vscode.l10n.t('$(key) SSH agent and default keys'), value: undefined as string | undefined };
  const browse = { label: vscode.l10n.t('$(folder-opened) Choose a key file...'), value: 'browse' };
  const keys = await listPrivateKeys();
  const picked = await vscode.window.showQuickPick([agent, ...keys.map((k) => ({ label: `$(file) ${k}`, value: k })), browse], {
    title: vscode.l10n.t('Add SSH Host (2/3)'),
    placeHolder: vscode.l10n.t('Which key logs in?'),
    ignoreFocusOut: true,
  });
  if (!picked) throw cancelled();
  if (picked.value !== 'browse') return picked.value;
  const uris = await vscode.window.showOpenDialog({ canSelectMany: false, defaultUri: vscode.Uri.file(join(homedir(), '.ssh')), title: vscode.l10n.t('Private key') });
  if (!uris?.[0]) throw cancelled();
  return uris[0].fsPath;
}

/** Private keys are the files in ~/.ssh that have a matching .pub beside them. */
async function listPrivateKeys(): Promise<string[]> {
  const dir = join(homedir(), '.ssh');
  try {
    const names = await readdir(dir);
    return names.filter((n) => names.includes(`${n}.pub`)).map((n) => `~/.ssh/${n}`);
  } catch {
    return [];
  }
}

function cancelled(): RemoteGpuError {
  return new RemoteGpuError('cancelled', vscode.l10n.t('Cancelled.'));
}

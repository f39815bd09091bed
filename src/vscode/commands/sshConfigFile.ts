import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { expandPath } from '../../remote/sshConfigHosts';
import { readSshSettings } from '../adapters/settings';

function sshConfigPath(): string {
  const home = homedir();
  return expandPath(readSshSettings().configFile || join(home, '.ssh', 'config'), home);
}

/** Opens the ssh config (creating a commented one with private permissions if there is none). */
export async function openSshConfig(): Promise<void> {
  const file = sshConfigPath();
  if (!existsSync(file)) {
    await mkdir(dirname(file), { recursive: true, mode: 0o700 });
    await writeFile(file, '# Hosts listed here appear in Remote GPU.\n# Host my-gpu\n#   HostName 203.0.113.10\n#   User ubuntu\n', { mode: 0o600, flag: 'wx' });
  }
  await vscode.window.showTextDocument(vscode.Uri.file(file));
}

/**
 * Edits to the ssh config show up without a manual refresh. known_hosts is deliberately not watched: accepting a key
 * writes it, and that must not wipe the tree while a connection is being made.
 */
export function watchSshConfig(onChange: () => void): vscode.Disposable {
  const file = sshConfigPath();
  const pattern = new vscode.RelativePattern(vscode.Uri.file(dirname(file)), '**/*');
  const watcher = vscode.workspace.createFileSystemWatcher(pattern);
  const onFile = (uri: vscode.Uri) => {
    if (!uri.fsPath.endsWith('known_hosts') && !uri.fsPath.endsWith('known_hosts.old')) onChange();
  };
  watcher.onDidChange(onFile);
  watcher.onDidCreate(onFile);
  watcher.onDidDelete(onFile);
  return watcher;
}

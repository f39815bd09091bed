import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { rigInfo } from './env';
import { hostNode, waitFor } from './helpers';

suite('Commands', () => {
  const rig = rigInfo();

  test('Copy SSH Command puts an ssh command line for the host on the clipboard', async () => {
    await vscode.env.clipboard.writeText('before');
    const host = await hostNode(rig.gpuHost);
    await vscode.commands.executeCommand('remoteGpu.copySshCommand', host.element);
    const text = await waitFor('the clipboard to change', async () => {
      const t = await vscode.env.clipboard.readText();
      return t === 'before' ? undefined : t;
    });
    assert.match(text, /^ssh\s/, `clipboard: ${text}`);
    assert.ok(text.includes(rig.gpuHost), `the command names the host alias: ${text}`);
  });

  /** Opens a terminal on the GPU host from its tree node and waits until VS Code lists it. */
  async function openTerminal(): Promise<vscode.Terminal> {
    const host = await hostNode(rig.gpuHost);
    const before = new Set(vscode.window.terminals);
    await vscode.commands.executeCommand('remoteGpu.openTerminal', host.element);
    return waitFor('a new terminal', () => vscode.window.terminals.find((t) => !before.has(t)));
  }

  function shellSessions(): number {
    return (readFileSync(rig.gpuSshdLog, 'utf8').match(/Starting session: shell/g) ?? []).length;
  }

  /** The rig's sshd runs on this machine, so a file the remote shell writes is visible here. */
  async function expectShellRuns(terminal: vscode.Terminal, tag: string): Promise<void> {
    const marker = path.join(rig.scratchDir, `terminal-${tag}-${Date.now()}`);
    rmSync(marker, { force: true });
    terminal.sendText(`echo "$(id -un)@pty" > ${marker}`, true);
    await waitFor(`the remote shell to write ${marker}`, () => (existsSync(marker) && readFileSync(marker, 'utf8').includes('@pty') ? true : undefined), 20_000);
  }

  test('Open Terminal opens a terminal named after the host, with a working shell on it', async () => {
    const sessionsBefore = shellSessions();
    const terminal = await openTerminal();
    try {
      assert.ok(terminal.name.includes(rig.gpuHost), `terminal name "${terminal.name}" contains "${rig.gpuHost}"`);
      await waitFor('sshd to start a shell session for the terminal', () => (shellSessions() > sessionsBefore ? true : undefined), 20_000);
      await expectShellRuns(terminal, 'ready');
    } finally {
      terminal.dispose();
    }
  });

  test('what is typed into a new terminal before its shell is ready is not lost', async () => {
    // Retry drops the pooled connection, so this terminal has to connect first: input arrives before the shell.
    await vscode.commands.executeCommand('remoteGpu.retry', (await hostNode(rig.gpuHost)).element);
    const terminal = await openTerminal();
    try {
      await expectShellRuns(terminal, 'typeahead');
    } finally {
      terminal.dispose();
    }
  });
});

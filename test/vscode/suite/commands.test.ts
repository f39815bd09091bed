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

  test('Open Terminal opens a terminal named after the host, with a working shell on it', async () => {
    const host = await hostNode(rig.gpuHost);
    const before = new Set(vscode.window.terminals);
    await vscode.commands.executeCommand('remoteGpu.openTerminal', host.element);
    const terminal = await waitFor('a new terminal', () => vscode.window.terminals.find((t) => !before.has(t)));
    assert.ok(terminal.name.includes(rig.gpuHost), `terminal name "${terminal.name}" contains "${rig.gpuHost}"`);

    // The rig's sshd runs on this machine, so a file the remote shell writes is visible here.
    const marker = path.join(rig.scratchDir, `terminal-${Date.now()}`);
    rmSync(marker, { force: true });
    terminal.sendText(`echo "$(id -un)@pty" > ${marker}`, true);
    await waitFor(`the remote shell to write ${marker}`, () => (existsSync(marker) && readFileSync(marker, 'utf8').includes('@pty') ? true : undefined), 30_000);
    terminal.dispose();
  });
});

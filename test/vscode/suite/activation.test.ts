import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { recordMetric } from './env';
import { extension } from './helpers';

interface ContributedCommand {
  readonly command: string;
}

suite('Activation', () => {
  test('the extension activates and returns the test API', async () => {
    const ext = extension();
    const alreadyActive = ext.isActive;
    const started = Date.now();
    const exports = await ext.activate();
    const activateMs = Date.now() - started;
    recordMetric('activation', { alreadyActive, activateCallMs: activateMs, activatedInMs: exports?.activatedInMs });
    assert.ok(ext.isActive, 'extension is active');
    assert.equal(typeof exports?.instancesTree?.getChildren, 'function', 'exports.instancesTree.getChildren');
    assert.equal(typeof exports?.instancesTree?.getTreeItem, 'function', 'exports.instancesTree.getTreeItem');
  });

  test('every command in package.json contributes.commands is registered', async () => {
    const ext = extension();
    await ext.activate();
    const contributed = ((ext.packageJSON as { contributes?: { commands?: ContributedCommand[] } }).contributes?.commands ?? []).map((c) => c.command);
    assert.ok(contributed.length >= 7, `package.json contributes ${contributed.length} commands`);
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.filter((id) => !registered.has(id));
    assert.deepEqual(missing, [], `contributed but not registered: ${missing.join(', ')}`);
  });
});

import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { rigInfo } from './env';
import { children, providerNode, waitFor } from './helpers';

suite('Cost report', () => {
  const rig = rigInfo();

  test('Export Cost Report writes a CSV row for the priced settings host once time has passed', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'rgpu-cost-'));
    const target = vscode.Uri.file(path.join(dir, 'cost.csv'));
    try {
      // The first export counts up to now (the cost loop may already have seen the host); the second has something to report.
      await vscode.commands.executeCommand('remoteGpu.exportCostReport', target);
      await new Promise((r) => setTimeout(r, 1500));
      await vscode.commands.executeCommand('remoteGpu.exportCostReport', target);
      assert.ok(existsSync(target.fsPath), 'the report was written');
      const lines = readFileSync(target.fsPath, 'utf8').split('\r\n');
      assert.equal(lines[0], 'date,provider,instance,instance_id,billed_hours,cost_usd');
      const row = lines.find((l) => l.includes(`,ssh,${rig.settingsHost},`));
      assert.ok(row, `a row for ${rig.settingsHost}: ${lines.join(' | ')}`);
      const cost = Number(row.split(',').at(-1));
      // The cost loop bills the host from the extension's activation on, so at most this host process's lifetime.
      const atMost = (2.49 * process.uptime()) / 3600 + 0.01;
      assert.ok(cost > 0 && cost < atMost, `some seconds at 2.49 $/h (at most ${atMost.toFixed(4)}): ${cost}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the cost loop runs from activation: the priced settings host shows its cost so far on its tree line', async () => {
    const ssh = await providerNode();
    const line = await waitFor('cost on the settings host line', async () => {
      const node = (await children(ssh.element)).find((n) => n.label === rig.settingsHost);
      // Billed from first sight at activation: more than nothing once a second or so has passed.
      return node && / · \$(?!0\.0000 )[0-9.]+ so far$/.test(node.description) ? node : undefined;
    }, 70_000);
    // The tooltip is markdown with the text escaped ("\\$", "&nbsp;"): compare the words without the escapes.
    const raw = line.item.tooltip instanceof vscode.MarkdownString ? line.item.tooltip.value : String(line.item.tooltip);
    const tip = raw.replace(/\\/g, '').replace(/&nbsp;/g, ' ');
    assert.match(tip, /Cost so far \$[0-9.]+ \(\$[0-9.]+ today\), now \$2\.49\/h\./);
  });
});

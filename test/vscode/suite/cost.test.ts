import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { rigInfo } from './env';

suite('Cost report', () => {
  const rig = rigInfo();

  test('Export Cost Report writes a CSV row for the priced settings host once time has passed', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'rgpu-cost-'));
    const target = vscode.Uri.file(path.join(dir, 'cost.csv'));
    try {
      // The first round only sees the host (from now on it bills 2.49 $/h); the second one has something to report.
      await vscode.commands.executeCommand('remoteGpu.exportCostReport', target);
      await new Promise((r) => setTimeout(r, 1500));
      await vscode.commands.executeCommand('remoteGpu.exportCostReport', target);
      assert.ok(existsSync(target.fsPath), 'the report was written');
      const lines = readFileSync(target.fsPath, 'utf8').split('\r\n');
      assert.equal(lines[0], 'date,provider,instance,instance_id,billed_hours,cost_usd');
      const row = lines.find((l) => l.includes(`,ssh,${rig.settingsHost},`));
      assert.ok(row, `a row for ${rig.settingsHost}: ${lines.join(' | ')}`);
      const cost = Number(row.split(',').at(-1));
      assert.ok(cost > 0 && cost < 0.01, `a second or two at 2.49 $/h: ${cost}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

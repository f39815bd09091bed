import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { rigInfo } from './env';
import { api, children, hostNode, providerNode, waitFor } from './helpers';

/** The dashboard's budget rows as the extension would post them (src/shared/costStatus.ts). */
interface BudgetRowSeen {
  readonly period: string;
  readonly scope?: string;
  readonly spentMicros: number;
  readonly limitMicros: number;
  readonly reachedPercent?: number;
}
interface CostStatusApi {
  costStatus(host: unknown): { machineMicros?: number; budgets?: BudgetRowSeen[] } | undefined;
}

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

  test('the dashboard cost section shows a row per budget that covers the priced settings host, marked over its limit', async () => {
    const a = (await api()) as unknown as CostStatusApi;
    const host = ((await hostNode(rig.settingsHost)).element as { host: unknown }).host;
    const budget = vscode.workspace.getConfiguration('remoteGpu.budget');
    // A global month and SSH hosts' day (a hundredth of a cent: the host has billed more since activation); RunPod's
    // day does not count this host's spending, so it gets no row here.
    await budget.update('monthlyUsd', 1000, vscode.ConfigurationTarget.Global);
    await budget.update('perProvider', { ssh: { dailyUsd: 0.0001 }, runpod: { dailyUsd: 5 } }, vscode.ConfigurationTarget.Global);
    try {
      const status = await waitFor('budget rows in the cost section', () => {
        const s = a.costStatus(host);
        return s?.machineMicros !== undefined && s.budgets?.length === 2 && (s.budgets[1]?.spentMicros ?? 0) > 100 ? s : undefined;
      }, 70_000);
      const [month, sshDay] = status.budgets ?? [];
      assert.deepEqual({ ...month, spentMicros: 0 }, { period: 'monthly', spentMicros: 0, limitMicros: 1_000_000_000 });
      assert.ok((month?.spentMicros ?? 0) >= (sshDay?.spentMicros ?? 0), 'the month holds at least this day of SSH hosts');
      assert.deepEqual({ ...sshDay, spentMicros: 0 }, { period: 'daily', scope: 'SSH hosts', spentMicros: 0, limitMicros: 100, reachedPercent: 100 });
    } finally {
      for (const k of ['monthlyUsd', 'perProvider']) await budget.update(k, undefined, vscode.ConfigurationTarget.Global);
    }
  });
});

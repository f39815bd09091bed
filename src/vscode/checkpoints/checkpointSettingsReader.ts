import * as vscode from 'vscode';
import type { CheckpointSettings } from '../../core/checkpoints/checkpointSettings';
import { CheckpointSettingsSchema, DEFAULT_CHECKPOINT_SETTINGS } from '../../core/checkpoints/checkpointSettings';
import { DEFAULT_PROGRESS_FILES } from '../../core/checkpoints/progressFiles';
import type { SshHost } from '../../core/hosts/sshHost';
import type { Logger } from '../../core/logger';
import { SECTION } from '../adapters/settings';

export const CHECKPOINTS_SECTION = `${SECTION}.checkpoints`;
/** Auto-stop's log globs; the checkpoint scan lists those logs in the same pass. */
export const PROGRESS_FILES_SETTING = `${SECTION}.autoStop.progressFiles`;

/** Where the Download command remembers the folder it was given, per host (also the monitor's last fallback). */
export const rememberedRootKey = (host: SshHost): string => `remoteGpu.checkpoints.root.${host.id}`;

/**
 * The Remote-SSH folder of this window when it is attached to `host`. Remote-SSH writes the alias either plainly
 * (`ssh-remote+gpu-box`) or as hex-encoded JSON (`ssh-remote+7b22686f73744e616d65...`) when it has odd characters.
 */
export function attachedFolder(host: SshHost, folder: vscode.Uri | undefined): string | undefined {
  if (folder?.scheme !== 'vscode-remote' || !folder.authority.startsWith('ssh-remote+')) return undefined;
  const raw = folder.authority.slice('ssh-remote+'.length);
  let alias = raw;
  if (/^(?:[0-9a-f]{2})+$/i.test(raw) && raw.startsWith('7b')) {
    try {
      const parsed: unknown = JSON.parse(Buffer.from(raw, 'hex').toString('utf8'));
      if (typeof parsed === 'object' && parsed !== null && typeof (parsed as { hostName?: unknown }).hostName === 'string') alias = (parsed as { hostName: string }).hostName;
    } catch {
      // Not the JSON form after all: a plain alias made of hex digits.
    }
  }
  const names = [host.sshConfigAlias, host.label, host.hostname, `${host.user}@${host.hostname}`].filter((n): n is string => !!n);
  return names.includes(alias) ? folder.path : undefined;
}

/** The project folder for a host: per-host setting, global setting, the attached Remote-SSH folder, the remembered one. */
export function projectFolderFor(host: SshHost, remembered: vscode.Memento): string | undefined {
  const c = vscode.workspace.getConfiguration(CHECKPOINTS_SECTION);
  const perHost = c.get<unknown>('hostFolders', {});
  const fromMap = typeof perHost === 'object' && perHost !== null ? ((perHost as Record<string, unknown>)[host.label] ?? (perHost as Record<string, unknown>)[host.id]) : undefined;
  const candidates = [
    typeof fromMap === 'string' ? fromMap : undefined,
    c.get<string>('projectFolder', ''),
    attachedFolder(host, vscode.workspace.workspaceFolders?.[0]?.uri),
    remembered.get<string>(rememberedRootKey(host)),
  ];
  return candidates.map((s) => (typeof s === 'string' ? s.trim() : '')).find((s) => s !== '');
}

/**
 * The checkpoint settings for a host, validated by the core's zod schema; undefined when no project folder is known.
 * A bad value (a pattern with '/') is logged and the defaults stand for that read, so one typo does not stop the scan.
 */
export function checkpointSettingsFor(host: SshHost, remembered: vscode.Memento, logger: Logger): CheckpointSettings | undefined {
  const root = projectFolderFor(host, remembered);
  if (root === undefined) return undefined;
  const c = vscode.workspace.getConfiguration(CHECKPOINTS_SECTION);
  const mode = c.get<string>('saveBeforeStop.mode', 'off');
  const saveBeforeStop =
    mode === 'command' ? { mode, argv: c.get<unknown>('saveBeforeStop.command', []) } : mode === 'triggerFile' ? { mode, path: c.get<unknown>('saveBeforeStop.triggerFile', '') } : { mode: 'off' };
  const raw = {
    root,
    extraPatterns: c.get<unknown>('extraPatterns', []),
    disabled: c.get<unknown>('disabledRecognisers', []),
    overdueFactor: c.get<unknown>('overdueFactor', 3),
    overdueWithoutAnyMinutes: c.get<unknown>('overdueWithoutAnyMinutes', 60),
    saveBeforeStop,
    saveWaitMinutes: c.get<unknown>('saveBeforeStop.waitMinutes', 10),
    progressFiles: vscode.workspace.getConfiguration().get<unknown>(PROGRESS_FILES_SETTING, DEFAULT_PROGRESS_FILES),
  };
  const parsed = CheckpointSettingsSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  logger.warn(`checkpoint settings ignored: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return { ...DEFAULT_CHECKPOINT_SETTINGS, root };
}

export function scanIntervalMs(): number {
  const v = vscode.workspace.getConfiguration(CHECKPOINTS_SECTION).get<unknown>('scanIntervalSeconds', 60);
  const s = typeof v === 'number' && Number.isFinite(v) ? Math.min(3600, Math.max(10, Math.round(v))) : 60;
  return s * 1000;
}

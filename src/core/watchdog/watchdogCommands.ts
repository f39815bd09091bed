import { z } from 'zod';
import { RemoteGpuError } from '../errors';
import type { ExecResult, RemoteCommand } from '../remote/remoteCommand';
import type { WatchdogConfig } from './watchdogConfig';
import { validateWatchdogConfig } from './watchdogConfig';
import { CONFIG_HASH_VAR, watchdogScript } from './watchdogScript';
import { t } from '../../shared/l10n';
import { formatBytes } from '../../shared/localeFormat';

/*
 * Install, uninstall, status and heartbeat as remote commands: fixed sh programs run with `sh -c PROGRAM sh ARGS...`,
 * so every value (the dir, the whole generated script) reaches the remote shell as a quoted positional argument.
 */

const RESOLVE_DIR = `case $1 in /*) dir=$1 ;; *) dir=$HOME/$1 ;; esac`;
const UNIT = '${XDG_CONFIG_HOME:-$HOME/.config}/systemd/user/remote-gpu-watchdog.service';
const STOP_RUNNING = `pid=$(cat "$dir/watchdog.lock/pid" 2>/dev/null || true)
case $pid in ''|*[!0-9]*) pid= ;; *) kill "$pid" 2>/dev/null || true ;; esac
i=0
while [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && [ $i -lt 5 ]; do sleep 1; i=$((i + 1)); done
if [ -n "$pid" ]; then kill -9 "$pid" 2>/dev/null || true; fi
rm -rf "$dir/watchdog.lock"`;

const INSTALL = `set -eu
${RESOLVE_DIR}
mkdir -p "$dir"
chmod 700 "$dir"
printf '%s\\n' "$2" > "$dir/watchdog.sh.tmp"
chmod 700 "$dir/watchdog.sh.tmp"
mv -f "$dir/watchdog.sh.tmp" "$dir/watchdog.sh"
# An install arms afresh; an update (new settings) keeps "stopped this boot", so it never sends a second stop.
if [ "\${4:-}" != update ]; then rm -f "$dir/watchdog-stopped"; fi
# The old copy's state (its window, its config hash) is not shown as the new one's.
rm -f "$dir/watchdog-state.json"
unit=${UNIT}
if [ -f "$unit" ] && command -v systemctl >/dev/null 2>&1; then systemctl --user stop remote-gpu-watchdog.service >/dev/null 2>&1 || true; fi
${STOP_RUNNING}
if [ "$3" = auto ] && command -v systemctl >/dev/null 2>&1 && systemctl --user show-environment >/dev/null 2>&1; then
  mkdir -p "$(dirname "$unit")"
  printf '[Unit]\\nDescription=Remote GPU idle watchdog\\n\\n[Service]\\nExecStart=/bin/sh %s/watchdog.sh\\nRestart=on-failure\\nRestartSec=30\\n\\n[Install]\\nWantedBy=default.target\\n' "$dir" > "$unit"
  systemctl --user daemon-reload
  systemctl --user enable remote-gpu-watchdog.service >/dev/null 2>&1 || true
  systemctl --user restart remote-gpu-watchdog.service
  # Without lingering a user's services end at logout and do not start at boot; allowed on many images, not all.
  loginctl enable-linger "$(id -un)" >/dev/null 2>&1 || true
  echo mode=systemd
else
  if command -v setsid >/dev/null 2>&1; then
    setsid nohup /bin/sh "$dir/watchdog.sh" >> "$dir/watchdog.log" 2>&1 < /dev/null &
  else
    nohup /bin/sh "$dir/watchdog.sh" >> "$dir/watchdog.log" 2>&1 < /dev/null &
  fi
  echo mode=nohup
fi`;

const UNINSTALL = `${RESOLVE_DIR}
unit=${UNIT}
if [ -f "$unit" ] && command -v systemctl >/dev/null 2>&1; then
  systemctl --user disable --now remote-gpu-watchdog.service >/dev/null 2>&1 || true
  rm -f "$unit"
  systemctl --user daemon-reload >/dev/null 2>&1 || true
fi
${STOP_RUNNING}
rm -f "$dir/watchdog.sh" "$dir/watchdog-state.json" "$dir/watchdog-state.json.tmp" "$dir/heartbeat" "$dir/heartbeat.tmp" "$dir/watchdog-stopped" "$dir/watchdog.log"
rm -f "$dir/progress-prev" "$dir/progress-now" "$dir/progress-mark" "$dir/progress-mark.next"
rmdir "$dir" 2>/dev/null || true
echo uninstalled`;

const STATUS = `${RESOLVE_DIR}
if [ -f "$dir/watchdog.sh" ]; then echo installed=1; else echo installed=0; fi
pid=$(cat "$dir/watchdog.lock/pid" 2>/dev/null || true)
case $pid in ''|*[!0-9]*) echo running=0 ;; *) if kill -0 "$pid" 2>/dev/null; then echo running=1; else echo running=0; fi ;; esac
# The config hash of the installed script (hex only), also before its first state write or while it is not running.
if [ -f "$dir/watchdog.sh" ]; then echo "config=$(sed -n "s/^${CONFIG_HASH_VAR}='\\([0-9a-f]*\\)'$/\\1/p" "$dir/watchdog.sh" | head -n 1)"; fi
echo ---
cat "$dir/watchdog-state.json" 2>/dev/null || true`;

const HEARTBEAT = `${RESOLVE_DIR}
mkdir -p "$dir" && date +%s > "$dir/heartbeat.tmp" && mv -f "$dir/heartbeat.tmp" "$dir/heartbeat"`;

export type InstallMode = 'systemd' | 'nohup';

/** One whole sentence per step (a translated sentence, never an English verb spliced into one). */
const FAILED: Record<'install' | 'uninstall' | 'reach' | 'read', () => string> = {
  install: () => t('Could not install the watchdog on the instance.'),
  uninstall: () => t('Could not uninstall the watchdog on the instance.'),
  reach: () => t('Could not reach the watchdog on the instance.'),
  read: () => t('Could not read the watchdog on the instance.'),
};

function ok(r: ExecResult, what: keyof typeof FAILED): void {
  if (r.code === 0) return;
  throw new RemoteGpuError('remoteFailed', FAILED[what](), `exit ${r.code ?? r.signal}: ${r.stderr.slice(0, 500)}`);
}

/** `prefer: 'nohup'` skips systemd even where it runs (tests, and hosts where the user asks for it). */
export function installWatchdogCommand(c: WatchdogConfig, prefer: 'auto' | 'nohup' = 'auto'): RemoteCommand<InstallMode> {
  return installOrUpdate(c, prefer, 'install');
}

/**
 * New settings for a watchdog that runs: the same install path (script rewritten, old copy stopped through systemd or
 * its lock, new one started the same way), but a stop it already sent this boot stays sent. Its idle count starts
 * again from 0: it never stops sooner than the new window (a restart is simpler and safer than a script that re-reads
 * settings each loop, which would have to parse a file without evaluating it and could not change its stop function).
 */
export function updateWatchdogCommand(c: WatchdogConfig, prefer: 'auto' | 'nohup' = 'auto'): RemoteCommand<InstallMode> {
  return installOrUpdate(c, prefer, 'update');
}

function installOrUpdate(c: WatchdogConfig, prefer: 'auto' | 'nohup', what: 'install' | 'update'): RemoteCommand<InstallMode> {
  validateWatchdogConfig(c);
  return {
    argv: ['sh', '-c', INSTALL, 'sh', c.dir, watchdogScript(c), prefer, what],
    parse: (r) => {
      ok(r, 'install');
      return /^mode=systemd$/m.test(r.stdout) ? 'systemd' : 'nohup';
    },
  };
}

export function uninstallWatchdogCommand(dir: string): RemoteCommand<void> {
  return { argv: ['sh', '-c', UNINSTALL, 'sh', dir], parse: (r) => ok(r, 'uninstall') };
}

/** The extension runs this while a person is active on the instance; the watchdog reads it as digits only. */
export function heartbeatCommand(dir: string): RemoteCommand<void> {
  return { argv: ['sh', '-c', HEARTBEAT, 'sh', dir], parse: (r) => ok(r, 'reach') };
}

const stateSchema = z.object({
  version: z.string(),
  // Version 3 on: the hash of the config it runs with.
  config: z.string().optional(),
  pid: z.number().int(),
  verdict: z.enum(['armed', 'busy', 'unmeasured', 'progress', 'person', 'stopping', 'stopped']),
  idleSec: z.number().int().nonnegative(),
  windowSec: z.number().int().positive(),
  personQuietSec: z.number().int().nonnegative().nullable(),
  personWindowSec: z.number().int().positive(),
  lastUtil: z.number().nonnegative().nullable(),
  at: z.number().int(),
  stopKind: z.string(),
  // Version 2 on: logs listed at the last look (null: no project folder or patterns), and the last growth seen.
  logFiles: z.number().int().nonnegative().nullable().optional(),
  logGrew: z.object({ files: z.number().int().positive(), bytes: z.number().nonnegative(), at: z.number().int() }).nullable().optional(),
});

export type WatchdogState = z.infer<typeof stateSchema>;

export interface WatchdogStatus {
  readonly installed: boolean;
  readonly running: boolean;
  /** Undefined before its first write, or when the file is unreadable. */
  readonly state?: WatchdogState;
  /** The installed script's config hash; undefined for a script from before version 3 (or none installed). */
  readonly configHash?: string;
}

export function watchdogStatusCommand(dir: string): RemoteCommand<WatchdogStatus> {
  return {
    argv: ['sh', '-c', STATUS, 'sh', dir],
    parse: (r) => {
      ok(r, 'read');
      const [head = '', json = ''] = r.stdout.split(/^---$/m);
      let state: WatchdogState | undefined;
      try {
        const parsed = stateSchema.safeParse(JSON.parse(json));
        state = parsed.success ? parsed.data : undefined;
      } catch {
        state = undefined;
      }
      const configHash = /^config=([0-9a-f]{16})$/m.exec(head)?.[1];
      return { installed: /^installed=1$/m.test(head), running: /^running=1$/m.test(head), state, ...(configHash ? { configHash } : {}) };
    },
  };
}

/** Whole minutes, or seconds under two minutes when they are not whole minutes ("45 s", "12 min"). */
function duration(sec: number): string {
  return sec < 120 && sec % 60 !== 0 ? t('{0} s', sec) : t('{0} min', Math.floor(sec / 60));
}

/** For the tree and the tooltip: "watchdog armed: idle 12 min of 30 min", one whole sentence per state. */
export function describeWatchdog(s: WatchdogStatus): string {
  if (!s.installed) return t('watchdog not installed');
  if (!s.running) return s.state?.verdict === 'stopped' ? t('watchdog stopped the instance') : t('watchdog installed but not running');
  const st = s.state;
  if (!st) return t('watchdog starting');
  switch (st.verdict) {
    case 'armed':
      return t('watchdog armed: idle {0} of {1}', duration(st.idleSec), duration(st.windowSec));
    case 'busy':
      return t('watchdog armed: GPUs busy');
    case 'unmeasured':
      return t('watchdog armed: GPU use cannot be measured, so it waits');
    case 'progress':
      // The log's growth reset the idle time: say so, or "idle 0 min" would read as a bug.
      return st.logGrew
        ? t('watchdog armed: GPUs quiet, but a log file grew by {0}, so it counts as work', formatBytes(st.logGrew.bytes))
        : t('watchdog armed: GPUs quiet, but a log file grew, so it counts as work');
    case 'person':
      return t('watchdog armed: idle {0} of {1}, kept by your activity', duration(st.idleSec), duration(st.windowSec));
    case 'stopping':
      return t('watchdog is stopping the instance');
    case 'stopped':
      return t('watchdog stopped the instance');
  }
}

import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runRemote } from '../../../src/core/remote/remoteCommand';
import { uninstallWatchdogCommand } from '../../../src/core/watchdog/watchdogCommands';
import { SshConnection } from '../../../src/remote/sshConnection';
import { startSshd } from '../../rig/sshd.mjs';
import type { SshdRig } from '../../rig/sshd.mjs';
import { fakeBin, makeDeps, rigHost, scratchDir } from '../sshTestKit';

// What the watchdog rig tests share: an OpenSSH rig whose session HOME is a scratch folder, one connection to it, and
// the watchdogs each test installed, uninstalled when the rig stops.

export const sec = (s: number): number => s * 1000;
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The lines a recording stop command wrote (one per call), or none when it never ran. */
export async function calls(file: string): Promise<string[]> {
  return existsSync(file) ? (await readFile(file, 'utf8')).trim().split('\n') : [];
}

export interface WatchdogRig {
  readonly rig: SshdRig;
  readonly conn: SshConnection;
  /** The session's HOME on the rig (a local scratch folder). */
  readonly home: string;
  /** Watchdog folders to uninstall when the rig stops. */
  readonly installed: string[];
  /** An nvidia-smi stand-in in HOME/stubs that reports 0 % on `gpus` GPUs (utilisation only, one line per GPU). */
  idleSmi(gpus: number): Promise<string>;
  stop(): Promise<void>;
}

export async function startWatchdogRig(opts: { readonly binDirs?: readonly string[]; readonly env?: Record<string, string> } = {}): Promise<WatchdogRig> {
  const scratch = await scratchDir();
  const rig = await startSshd({ ...(opts.binDirs ? { binDirs: [...opts.binDirs] } : {}), env: { HOME: scratch.dir, ...opts.env } });
  const conn = await SshConnection.connect(rigHost(rig), makeDeps({ knownHostsFiles: [rig.knownHostsPath] }));
  const installed: string[] = [];
  return {
    rig,
    conn,
    home: scratch.dir,
    installed,
    idleSmi: async (gpus) => {
      const stubs = join(scratch.dir, 'stubs');
      await mkdir(stubs, { recursive: true });
      return join(await fakeBin(stubs, `smi-idle-${gpus}`, `#!/bin/sh\nprintf "${'0\\n'.repeat(gpus)}"\n`), `smi-idle-${gpus}`);
    },
    stop: async () => {
      for (const d of installed) await runRemote(conn, uninstallWatchdogCommand(d)).catch(() => undefined);
      conn.dispose();
      await rig.stop();
      await scratch.cleanup();
    },
  };
}

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SshConnection } from '../../src/remote/sshConnection';
import type { ShellChannel } from '../../src/remote/shellChannel';
import { startSshd } from '../rig/sshd.mjs';
import type { SshdRig } from '../rig/sshd.mjs';
import { fakeBin, makeDeps, rigHost, scratchDir } from './sshTestKit';

/** Collects a shell's output and waits for text to appear in it. */
function screen(shell: ShellChannel): { text: () => string; waitFor: (needle: string, ms?: number) => Promise<void> } {
  let out = '';
  shell.onData((d) => (out += d));
  return {
    text: () => out,
    waitFor: async (needle, ms = 10_000) => {
      const end = Date.now() + ms;
      while (!out.includes(needle)) {
        if (Date.now() > end) throw new Error(`"${needle}" did not appear; screen so far:\n${out}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
  };
}

describe('SshConnection.openShell against OpenSSH sshd', () => {
  let rig: SshdRig;
  let conn: SshConnection;
  let scratch: Awaited<ReturnType<typeof scratchDir>>;

  beforeAll(async () => {
    scratch = await scratchDir();
    const bin = await fakeBin(scratch.dir, 'nvidia-smi', '#!/bin/sh\necho "fake nvidia-smi in shell"\n');
    rig = await startSshd({ binDirs: [bin] });
    conn = await SshConnection.connect(rigHost(rig), makeDeps({ knownHostsFiles: [rig.knownHostsPath] }));
  });
  afterAll(async () => {
    conn?.dispose();
    await rig?.stop();
    await scratch?.cleanup();
  });

  it('echoes input, runs it, resizes, decodes UTF-8 and reports the exit code', async () => {
    const shell = await conn.openShell({ cols: 80, rows: 24 });
    const s = screen(shell);
    const exited = new Promise<number | null>((r) => shell.onExit(r));
    // The quotes keep the typed line (echoed by the pty) from matching the result.
    shell.write('echo "hel""lo-$((6*7))"\n');
    await s.waitFor('hello-42');
    shell.resize(120, 40);
    shell.write('stty size\n');
    await s.waitFor('40 120');
    // Multi-byte characters split across packets still decode (printf emits the bytes one by one).
    shell.write("printf '\\303'; sleep 0.1; printf '\\251\\360\\237\\232'; sleep 0.1; printf '\\200|\\n'\n");
    await s.waitFor('é🚀|');
    expect(s.text()).not.toContain('\ufffd');
    shell.write('exit 5\n');
    expect(await exited).toBe(5);
  });

  it('has the rig binDirs on PATH in an interactive login shell', async () => {
    const shell = await conn.openShell({ cols: 100, rows: 30, term: 'xterm' });
    const s = screen(shell);
    shell.write('nvidia-smi; echo "TERM=[$TERM]"\n');
    await s.waitFor('fake nvidia-smi in shell');
    await s.waitFor('TERM=[xterm]');
    const exited = new Promise<number | null>((r) => shell.onExit(r));
    shell.close();
    await exited;
  });

  it('delivers output printed before the first onData listener', async () => {
    const shell = await conn.openShell({ cols: 80, rows: 24 });
    shell.write('echo "ear""ly"\n');
    await new Promise((r) => setTimeout(r, 1_000));
    const s = screen(shell);
    await s.waitFor('early');
    shell.close();
  });
});

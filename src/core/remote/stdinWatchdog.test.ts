import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { withStdinWatchdog } from './stdinWatchdog';

/** Runs argv locally under /bin/sh the way sshd would, with a stdin pipe the test controls. */
function run(argv: string[], closeStdinAfterMs?: number): Promise<{ code: number | null; stdout: string; ms: number }> {
  const started = Date.now();
  const child = spawn(argv[0] as string, argv.slice(1), { stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  if (closeStdinAfterMs !== undefined) setTimeout(() => child.stdin.end(), closeStdinAfterMs);
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, ms: Date.now() - started })));
}

describe('withStdinWatchdog', () => {
  it('stops a silent command as soon as stdin closes', async () => {
    const r = await run(withStdinWatchdog(['sleep', '30']), 100);
    expect(r.ms).toBeLessThan(10_000);
  });

  it('passes the output and the exit status of a command that ends on its own', async () => {
    const r = await run(withStdinWatchdog(['sh', '-c', 'echo "Field \\"x\\" is not a valid field to query."; exit 2']));
    expect(r).toMatchObject({ code: 2, stdout: 'Field "x" is not a valid field to query.\n' });
  });

  it('gives 127 for a command that is not installed', async () => {
    const r = await run(withStdinWatchdog(['no-such-command-rgpu', '--help']));
    expect(r.code).toBe(127);
  });

  it('keeps hostile arguments as data', async () => {
    const r = await run(withStdinWatchdog(['printf', '%s\\n', '$(touch /tmp/rgpu-pwned)', '; exit 9']));
    expect(r).toMatchObject({ code: 0, stdout: '$(touch /tmp/rgpu-pwned)\n; exit 9\n' });
  });
});

import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isRemoteGpuError } from '../../src/core/errors';
import type { RemoteGpuError } from '../../src/core/errors';
import { SshConnection } from '../../src/remote/sshConnection';
import { startSshd } from '../rig/sshd.mjs';
import type { SshdRig } from '../rig/sshd.mjs';
import { makeDeps, rigHost, scratchDir } from './sshTestKit';

async function connectError(p: Promise<SshConnection>): Promise<RemoteGpuError> {
  try {
    (await p).dispose();
  } catch (e) {
    if (isRemoteGpuError(e)) return e;
    throw e;
  }
  throw new Error('expected the connect to fail');
}

function keygen(path: string, passphrase = ''): string {
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', passphrase, '-C', 'test-key', '-f', path]);
  return path;
}

async function closedPort(): Promise<number> {
  const s = createServer().listen(0, '127.0.0.1');
  await new Promise((r) => s.once('listening', r));
  const addr = s.address();
  await new Promise((r) => s.close(r));
  return typeof addr === 'object' && addr ? addr.port : 0;
}

/** A private ssh-agent on its own socket, so the developer's agent is never used or touched. */
async function startAgent(dir: string): Promise<{ sock: string; add(key: string, passphrase?: string): Promise<void>; stop(): void }> {
  const sock = join(dir, `agent-${Date.now()}.sock`);
  const child: ChildProcess = spawn('ssh-agent', ['-D', '-a', sock], { stdio: 'ignore' });
  for (let i = 0; i < 200 && !existsSync(sock); i++) await new Promise((r) => setTimeout(r, 10));
  if (!existsSync(sock)) throw new Error('ssh-agent did not create its socket');
  return {
    sock,
    async add(key, passphrase) {
      const env: NodeJS.ProcessEnv = { ...process.env, SSH_AUTH_SOCK: sock };
      if (passphrase !== undefined) {
        // ssh-add reads a passphrase only from a tty or SSH_ASKPASS; a tiny askpass script answers it.
        const askpass = join(dir, 'askpass.sh');
        await writeFile(askpass, `#!/bin/sh\nprintf '%s\\n' '${passphrase}'\n`, { mode: 0o700 });
        Object.assign(env, { SSH_ASKPASS: askpass, SSH_ASKPASS_REQUIRE: 'force', DISPLAY: ':0' });
      }
      execFileSync('ssh-add', ['-q', key], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    },
    stop: () => child.kill('SIGTERM'),
  };
}

describe('authentication, reachability and ProxyJump against OpenSSH sshd', () => {
  let rig: SshdRig;
  let scratch: Awaited<ReturnType<typeof scratchDir>>;
  const cleanups: (() => void)[] = [];

  beforeAll(async () => {
    rig = await startSshd();
    scratch = await scratchDir();
  });
  afterEach(() => {
    for (const c of cleanups.splice(0)) c();
  });
  afterAll(async () => {
    await rig?.stop();
    await scratch?.cleanup();
  });

  const deps = (agentSocket?: string) => makeDeps({ knownHostsFiles: [rig.knownHostsPath], ...(agentSocket ? { agentSocket } : {}) });

  it('a key the server does not know gives auth, naming user@host and the key path (never its content)', async () => {
    const other = keygen(join(scratch.dir, 'unknown_key'));
    const d = deps();
    const e = await connectError(SshConnection.connect(rigHost(rig, { identityFiles: [other] }), d));
    expect(e.reason).toBe('auth');
    expect(e.message).toContain(`${rig.user}@127.0.0.1:${rig.port}`);
    expect(e.message).toContain(other);
    const secret = (await readFile(other, 'utf8')).split('\n')[1] ?? 'x';
    expect(d.logger.lines.join('\n')).not.toContain(secret);
    expect(JSON.stringify(e)).not.toContain(secret);
  });

  it('a closed port gives unreachable', async () => {
    const e = await connectError(SshConnection.connect(rigHost(rig, { port: await closedPort() }), deps()));
    expect(e.reason).toBe('unreachable');
    expect(e.detail).toContain('ECONNREFUSED');
  });

  it('an unresolvable host name gives unreachable', async () => {
    const e = await connectError(SshConnection.connect(rigHost(rig, { hostname: 'no-such-host.invalid' }), deps()));
    expect(e.reason).toBe('unreachable');
  });

  it('a passphrase-protected key without an agent fails with a hint to use ssh-agent', async () => {
    const enc = keygen(join(scratch.dir, 'encrypted_key'), 'correct horse');
    const e = await connectError(SshConnection.connect(rigHost(rig, { identityFiles: [enc] }), deps()));
    expect(e.reason).toBe('auth');
    expect(e.message).toContain('ssh-agent');
    expect(e.message).toContain(`ssh-add ${enc}`);
  });

  it('authenticates through ssh-agent with no identity files', async () => {
    const agent = await startAgent(scratch.dir);
    cleanups.push(agent.stop);
    await agent.add(rig.clientKeyPath);
    const conn = await SshConnection.connect(rigHost(rig, { identityFiles: [] }), deps(agent.sock));
    cleanups.push(() => conn.dispose());
    expect((await conn.exec(['echo', 'via agent'])).stdout).toBe('via agent\n');
  });

  it('uses an encrypted identity file through the agent that holds it', async () => {
    const enc = keygen(join(scratch.dir, 'encrypted_authorized'), 'pass phrase');
    await appendFile(rig.authorizedKeysPath, await readFile(`${enc}.pub`, 'utf8'));
    const agent = await startAgent(scratch.dir);
    cleanups.push(agent.stop);
    await agent.add(enc, 'pass phrase');
    const conn = await SshConnection.connect(rigHost(rig, { identityFiles: [enc], identitiesOnly: true }), deps(agent.sock));
    cleanups.push(() => conn.dispose());
    expect((await conn.exec(['true'])).code).toBe(0);
  });

  it('IdentitiesOnly keeps agent keys that belong to no identity file out', async () => {
    const agent = await startAgent(scratch.dir);
    cleanups.push(agent.stop);
    await agent.add(rig.clientKeyPath);
    const other = keygen(join(scratch.dir, 'identities_only_other'));
    const host = rigHost(rig, { identityFiles: [other], identitiesOnly: true });
    const e = await connectError(SshConnection.connect(host, deps(agent.sock)));
    expect(e.reason).toBe('auth');
    expect(e.message).toContain('ssh-agent (0 keys)');
    // Without IdentitiesOnly the same agent key is offered and accepted.
    const conn = await SshConnection.connect({ ...host, identitiesOnly: false }, deps(agent.sock));
    conn.dispose();
  });

  it('a dead agent socket is not fatal: the identity file still works', async () => {
    const d = deps(join(scratch.dir, 'no-agent-here.sock'));
    const conn = await SshConnection.connect(rigHost(rig), d);
    conn.dispose();
    expect(d.logger.lines.some((l) => l.startsWith('warn') && l.includes('ssh-agent unavailable'))).toBe(true);
  });

  it('connects through a ProxyJump (the same sshd, to itself)', async () => {
    const before = (await readFile(rig.logPath, 'utf8')).split('Accepted publickey').length;
    const host = rigHost(rig, { proxyJump: { hostname: '127.0.0.1', port: rig.port, user: rig.user } });
    const conn = await SshConnection.connect(host, deps());
    cleanups.push(() => conn.dispose());
    expect((await conn.exec(['printf', '%s', 'through the jump'])).stdout).toBe('through the jump');
    const after = (await readFile(rig.logPath, 'utf8')).split('Accepted publickey').length;
    expect(after - before).toBe(2);
    // Closing the target also closes the jump connection.
    conn.dispose();
    expect(conn.closed).toBe(true);
  });

  it('a ProxyJump whose target is closed gives unreachable naming the jump host', async () => {
    const port = await closedPort();
    const host = rigHost(rig, { port, proxyJump: { hostname: '127.0.0.1', port: rig.port, user: rig.user } });
    const e = await connectError(SshConnection.connect(host, deps()));
    expect(e.reason).toBe('unreachable');
    expect(e.message).toContain(`jump host ${rig.user}@127.0.0.1:${rig.port}`);
  });

  it('honours AbortSignal during connect', async () => {
    const e = await connectError(SshConnection.connect(rigHost(rig), deps(), AbortSignal.abort()));
    expect(e.reason).toBe('cancelled');
  });
});

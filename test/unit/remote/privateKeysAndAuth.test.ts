import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isRemoteGpuError } from '../../../src/core/errors';
import { silentLogger } from '../../../src/core/logger';
import { prepareAuth } from '../../../src/remote/auth';
import { loadPrivateKey } from '../../../src/remote/privateKeys';

let dir: string;
const path = (n: string) => join(dir, n);
const pubBlob = (p: string) => Buffer.from(readFileSync(`${p}.pub`, 'utf8').split(' ')[1] ?? '', 'base64');

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'remote-gpu-keys-'));
  const gen = (name: string, ...args: string[]) => execFileSync('ssh-keygen', ['-q', '-C', 'unit', '-f', path(name), ...args]);
  gen('plain', '-t', 'ed25519', '-N', '');
  gen('enc', '-t', 'ed25519', '-N', 'secret phrase');
  gen('pem_enc', '-t', 'rsa', '-b', '2048', '-m', 'PEM', '-N', 'secret phrase');
  gen('pem_plain', '-t', 'ecdsa', '-m', 'PEM', '-N', '');
  writeFileSync(path('garbage'), 'not a key at all\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('loadPrivateKey', () => {
  it('loads an unencrypted OpenSSH key with its public blob', async () => {
    const k = await loadPrivateKey(path('plain'));
    expect(k.kind).toBe('usable');
    expect(k.kind === 'usable' && k.publicBlob?.equals(pubBlob(path('plain')))).toBe(true);
  });

  it('loads an unencrypted PEM key', async () => {
    const k = await loadPrivateKey(path('pem_plain'));
    expect(k.kind).toBe('usable');
    expect(k.kind === 'usable' && k.publicBlob?.equals(pubBlob(path('pem_plain')))).toBe(true);
  });

  it('recognises a passphrase-protected OpenSSH key and still reads its public half', async () => {
    const k = await loadPrivateKey(path('enc'));
    expect(k.kind).toBe('encrypted');
    expect(k.kind === 'encrypted' && k.publicBlob?.equals(pubBlob(path('enc')))).toBe(true);
  });

  it('recognises a passphrase-protected PEM key (public half from the .pub file)', async () => {
    const k = await loadPrivateKey(path('pem_enc'));
    expect(k.kind).toBe('encrypted');
    expect(k.kind === 'encrypted' && k.publicBlob?.equals(pubBlob(path('pem_enc')))).toBe(true);
  });

  it('reports missing and unparsable files without throwing', async () => {
    expect(await loadPrivateKey(path('missing'))).toEqual({ kind: 'unreadable', path: path('missing'), why: 'ENOENT' });
    expect((await loadPrivateKey(path('garbage'))).kind).toBe('unreadable');
  });
});

describe('prepareAuth', () => {
  const input = (identityFiles: string[], agentSocket?: string) => ({ user: 'root', identityFiles, identitiesOnly: false, agentSocket, logger: silentLogger });

  it('fails before connecting when only a passphrase-protected key and no agent exist, saying how to fix it', async () => {
    try {
      await prepareAuth(input([path('enc')]), 'root@gpu:2222');
      throw new Error('expected auth error');
    } catch (e) {
      expect(isRemoteGpuError(e) && e.reason).toBe('auth');
      expect(String((e as Error).message)).toContain(`ssh-add ${path('enc')}`);
      expect(String((e as Error).message)).toContain('root@gpu:2222');
    }
  });

  it('fails when there is nothing at all to offer', async () => {
    await expect(prepareAuth(input([path('missing')]), 'u@h')).rejects.toMatchObject({ reason: 'auth' });
  });

  it('offers the agent first, then each usable key, then gives up', async () => {
    const plan = await prepareAuth(input([path('plain'), path('enc'), path('pem_plain')], '/nonexistent/agent.sock'), 'u@h');
    const offered: unknown[] = [];
    for (let i = 0; i < 4; i++) plan.authHandler([], false, (m) => offered.push(m));
    expect(offered.map((m) => (m === false ? false : (m as { type: string }).type))).toEqual(['agent', 'publickey', 'publickey', false]);
    const failure = plan.failure('u@h');
    expect(failure.reason).toBe('auth');
    expect(failure.message).toContain(path('plain'));
    expect(failure.message).toContain(path('pem_plain'));
    expect(failure.message).toContain(`ssh-add ${path('enc')}`);
    expect(failure.message).not.toContain('PRIVATE KEY');
  });
});

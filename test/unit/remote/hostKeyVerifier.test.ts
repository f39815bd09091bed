import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Logger } from '../../../src/core/logger';
import { HostKeyVerifier } from '../../../src/remote/hostKeyVerifier';
import type { UnknownHostInfo } from '../../../src/remote/hostKeyVerifier';

let dir: string;
let key: Buffer;
let keyLine: string;
let otherLine: string;

function logger(lines: string[]): Logger {
  const at = (level: string) => (m: string) => void lines.push(`${level} ${m}`);
  const l: Logger = { trace: at('trace'), debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), child: () => l };
  return l;
}

function verifier(files: string[], answer: boolean | (() => Promise<boolean>)) {
  const asked: UnknownHostInfo[] = [];
  const lines: string[] = [];
  const v = new HostKeyVerifier({
    knownHostsFiles: files,
    logger: logger(lines),
    prompt: {
      confirmUnknownHost: (info) => {
        asked.push(info);
        return typeof answer === 'function' ? answer() : Promise.resolve(answer);
      },
    },
  });
  return { v, asked, lines };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'remote-gpu-hkv-'));
  for (const n of ['host', 'other']) execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, n)]);
  keyLine = readFileSync(join(dir, 'host.pub'), 'utf8').split(' ').slice(0, 2).join(' ');
  otherLine = readFileSync(join(dir, 'other.pub'), 'utf8').split(' ').slice(0, 2).join(' ');
  key = Buffer.from(keyLine.split(' ')[1] ?? '', 'base64');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('HostKeyVerifier', () => {
  it('accepts a known key on port 22 under the bare name', async () => {
    const f = join(dir, 'kh22');
    writeFileSync(f, `gpu.example ${keyLine}\n`);
    const { v, asked } = verifier([f], false);
    expect(await v.verify('gpu.example', 22, key)).toEqual({ ok: true });
    expect(asked).toEqual([]);
  });

  it('refuses a changed key without asking, naming the fix', async () => {
    const f = join(dir, 'khchanged');
    writeFileSync(f, `[gpu.example]:2222 ${otherLine}\n`);
    const { v, asked } = verifier([f], true);
    const out = await v.verify('gpu.example', 2222, key);
    expect(out.ok).toBe(false);
    expect(!out.ok && out.error.reason).toBe('hostKeyChanged');
    expect(!out.ok && out.error.message).toContain("ssh-keygen -R '[gpu.example]:2222'");
    expect(asked).toEqual([]);
  });

  it('writes a bare name for port 22 and creates the file 0600', async () => {
    const f = join(dir, 'sub', 'known_hosts');
    const { v, asked } = verifier([f], true);
    expect(await v.verify('gpu.example', 22, key)).toEqual({ ok: true });
    expect(asked[0]?.port).toBe(22);
    expect(readFileSync(f, 'utf8')).toBe(`gpu.example ${keyLine}\n`);
    expect(statSync(f).mode & 0o777).toBe(0o600);
  });

  it('logs malformed lines as warnings and keeps going', async () => {
    const f = join(dir, 'khbad');
    writeFileSync(f, `garbage\n[gpu.example]:2222 ${keyLine}\n`);
    const { v, lines } = verifier([f], false);
    expect(await v.verify('gpu.example', 2222, key)).toEqual({ ok: true });
    expect(lines.some((l) => l.startsWith('warn') && l.includes(`${f}:1`))).toBe(true);
  });

  it('a prompt that throws refuses the key (never accepts)', async () => {
    const f = join(dir, 'khthrow');
    const { v } = verifier([f], () => Promise.reject(new Error('UI gone')));
    await expect(v.verify('gpu.example', 2222, key)).rejects.toThrow('UI gone');
  });

  it('pauses the caller timer while the prompt is open', async () => {
    const f = join(dir, 'khhook');
    const events: boolean[] = [];
    const { v } = verifier([f], false);
    await v.verify('gpu.example', 2222, key, { onPromptOpen: (open) => events.push(open) });
    expect(events).toEqual([true, false]);
  });

  it('needs at least one known_hosts file', () => {
    expect(() => verifier([], true)).toThrow(TypeError);
  });
});

import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileLease } from '../../../src/remote/cost/fileLease';
import { FileLedgerStore } from '../../../src/remote/cost/fileLedgerStore';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rgpu-cost-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('FileLedgerStore', () => {
  it('returns complete lines only, holds back a line still being written, and ends a torn line before appending', async () => {
    const path = join(dir, 'ledger.jsonl');
    const store = new FileLedgerStore(path);
    expect(await store.readNewLines()).toEqual([]); // no file yet
    await writeFile(path, 'one\ntw');
    expect(await store.readNewLines()).toEqual(['one']);
    await appendFile(path, 'o\n');
    expect(await store.readNewLines()).toEqual(['two']);
    await appendFile(path, '{"torn');
    await store.append(['three', 'four']);
    expect(await readFile(path, 'utf8')).toBe('one\ntwo\n{"torn\nthree\nfour\n');
    expect(await store.readNewLines()).toEqual(['{"torn', 'three', 'four']);
  });
});

describe('FileLease', () => {
  it('one holder at a time; an expired lease is taken over and the old holder learns it lost', async () => {
    let now = 1_000_000;
    const path = join(dir, 'lease');
    const alive = () => true;
    const a = new FileLease({ path, ttlMs: 1000, now: () => now, pid: 11, isAlive: alive });
    const b = new FileLease({ path, ttlMs: 1000, now: () => now, pid: 22, isAlive: alive });
    expect(await a.tryAcquire()).toBe(true);
    expect(await b.tryAcquire()).toBe(false);
    now += 900;
    expect(await a.renew()).toBe(true);
    now += 900;
    expect(await b.tryAcquire()).toBe(false); // renewed, still valid
    now += 1100; // a stalled past its expiry
    expect(await b.tryAcquire()).toBe(true);
    expect(await a.renew()).toBe(false);
    expect(await a.tryAcquire()).toBe(false);
    await a.release(); // not ours: leaves b's lease alone
    expect(JSON.parse(await readFile(path, 'utf8'))).toMatchObject({ id: b.id, pid: 22 });
    await b.release();
    expect(await a.tryAcquire()).toBe(true);
  });

  it('a lease whose process is dead is taken over at once; a garbled lease file counts as stale', async () => {
    const path = join(dir, 'lease');
    const dead = new FileLease({ path, ttlMs: 60_000, pid: 999_999, isAlive: () => true });
    expect(await dead.tryAcquire()).toBe(true);
    const b = new FileLease({ path, ttlMs: 60_000, isAlive: (pid) => pid !== 999_999 });
    expect(await b.tryAcquire()).toBe(true);
    await writeFile(path, '{"id":');
    const c = new FileLease({ path, ttlMs: 60_000 });
    expect(await c.tryAcquire()).toBe(true);
  });
});

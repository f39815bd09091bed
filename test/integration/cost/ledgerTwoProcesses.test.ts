import type { ChildProcess } from 'node:child_process';
import { fork } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CostBook } from '../../../src/core/cost/costBook';
import { parseLedger } from '../../../src/core/cost/ledgerEntry';

// Two real processes share one ledger directory, as two VS Code windows share the global storage.
let work: string;
let childJs: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'rgpu-ledger-'));
  childJs = join(work, 'ledgerChild.cjs');
  await build({ entryPoints: [join(import.meta.dirname, 'ledgerChild.ts')], bundle: true, platform: 'node', format: 'cjs', outfile: childJs, logLevel: 'silent' });
});

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await rm(work, { recursive: true, force: true });
});

interface Msg { role?: string; leaseId?: string; done?: boolean }

function start(dir: string, createdAt: number): { child: ChildProcess; messages: Msg[]; next: (pred: (m: Msg) => boolean) => Promise<Msg> } {
  const child = fork(childJs, [dir, '5', String(createdAt), '400'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  children.push(child);
  const messages: Msg[] = [];
  const waiters: { pred: (m: Msg) => boolean; resolve: (m: Msg) => void }[] = [];
  child.on('message', (m: Msg) => {
    messages.push(m);
    for (const w of [...waiters]) if (w.pred(m)) { waiters.splice(waiters.indexOf(w), 1); w.resolve(m); }
  });
  const next = (pred: (m: Msg) => boolean) => new Promise<Msg>((resolve, reject) => {
    const hit = messages.find(pred);
    if (hit) return resolve(hit);
    const timer = setTimeout(() => reject(new Error(`no such message; got ${JSON.stringify(messages)}`)), 10_000);
    waiters.push({ pred, resolve: (m) => { clearTimeout(timer); resolve(m); } });
  });
  return { child, messages, next };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Raw lines in file order, and the folded total. */
async function ledgerOf(dir: string) {
  const text = await readFile(join(dir, 'cost-ledger.jsonl'), 'utf8');
  const parsed = parseLedger(text);
  const book = new CostBook();
  book.add(parsed.entries);
  return { parsed, book, text };
}

/** Every line continues exactly where the previous ended: nothing counted twice, no hour lost. */
function expectContiguous(entries: { from: number; to: number }[], createdAt: number): void {
  expect(entries[0]?.from).toBe(createdAt);
  for (let i = 1; i < entries.length; i++) expect(entries[i]?.from, `line ${i}`).toBe(entries[i - 1]?.to);
}

describe('cost ledger shared by two processes', () => {
  it('one writes while both tick; the other takes over when the first quits; totals exact, no duplicates', async () => {
    const dir = await mkdtemp(join(work, 'a-'));
    // A crash left a torn last line before anyone started: it is skipped, and the next line starts fresh.
    await writeFile(join(dir, 'cost-ledger.jsonl'), '{"v":1,"key":"runpod:p1","prov');
    const createdAt = Date.now() - 3_600_000;
    const a = start(dir, createdAt);
    const aWriter = await a.next((m) => m.role === 'writer');
    const b = start(dir, createdAt);
    await b.next((m) => m.role === 'reader');
    await sleep(400);
    a.child.send('stop');
    await a.next((m) => m.done === true);
    const bWriter = await b.next((m) => m.role === 'writer');
    await sleep(300);
    b.child.send('stop');
    await b.next((m) => m.done === true);

    const { parsed, book } = await ledgerOf(dir);
    expect(parsed.badLines).toBe(1);
    const writers = new Set(parsed.entries.map((e) => e.writer));
    expect(writers).toEqual(new Set([aWriter.leaseId, bWriter.leaseId]));
    expectContiguous(parsed.entries, createdAt);
    const last = parsed.entries.at(-1)?.to ?? 0;
    // 3,600,000 micro-dollars an hour is one per millisecond: the total is exact to the micro-dollar.
    expect(book.totalFor('runpod:p1', last)).toBe(last - createdAt);
    expect(parsed.entries.reduce((sum, e) => sum + (e.to - e.from), 0)).toBe(last - createdAt);
  });

  it('a killed writer\'s lease is taken over (its process is gone) and the count goes on where it stopped', async () => {
    const dir = await mkdtemp(join(work, 'b-'));
    const createdAt = Date.now() - 600_000;
    const a = start(dir, createdAt);
    const aWriter = await a.next((m) => m.role === 'writer');
    const b = start(dir, createdAt);
    await b.next((m) => m.role === 'reader');
    await sleep(200);
    a.child.kill('SIGKILL');
    const killedAt = Date.now();
    const bWriter = await b.next((m) => m.role === 'writer');
    const tookOverMs = Date.now() - killedAt;
    console.log(`ledger lease taken over ${tookOverMs} ms after the writer was killed (lease 400 ms)`);
    await sleep(200);
    b.child.send('stop');
    await b.next((m) => m.done === true);

    const { parsed, book } = await ledgerOf(dir);
    expect(new Set(parsed.entries.map((e) => e.writer))).toEqual(new Set([aWriter.leaseId, bWriter.leaseId]));
    expectContiguous(parsed.entries, createdAt);
    const last = parsed.entries.at(-1)?.to ?? 0;
    expect(book.totalFor('runpod:p1', last)).toBe(last - createdAt);
    // Dead pid: no need to wait out the 400 ms lease.
    expect(tookOverMs).toBeLessThan(400);
  });
});

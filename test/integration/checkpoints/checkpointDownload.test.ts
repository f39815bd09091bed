import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Checkpoint } from '../../../src/core/checkpoints/checkpoint';
import { DEFAULT_CHECKPOINT_SETTINGS } from '../../../src/core/checkpoints/checkpointSettings';
import { lookAtCheckpoints } from '../../../src/remote/checkpoints/checkpointScanner';
import { downloadFiles, downloadPlan } from '../../../src/remote/checkpoints/sftpDownload';
import { ConnectionPool } from '../../../src/remote/connectionPool';
import { openSftp } from '../../../src/remote/sftpSession';
import type { SshConnection } from '../../../src/remote/sshConnection';
import { startSshd } from '../../rig/sshd.mjs';
import type { SshdRig } from '../../rig/sshd.mjs';
import { makeDeps, reasonOf, rigHost, scratchDir } from '../sshTestKit';

const MiB = 1024 * 1024;
const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

describe('checkpoint download over SFTP', () => {
  let rig: SshdRig;
  let pool: ConnectionPool;
  let scratch: Awaited<ReturnType<typeof scratchDir>>;
  let project: string;
  let big: Buffer;
  const bigName = `it's $(big) step_7.pt`;

  const withSftp = async <T>(fn: (conn: SshConnection, sftp: Awaited<ReturnType<typeof openSftp>>) => Promise<T>): Promise<T> => {
    const conn = await pool.get(rigHost(rig));
    const sftp = await openSftp(conn);
    try {
      return await fn(conn, sftp);
    } finally {
      sftp.end();
    }
  };
  const latestOf = async (path: string): Promise<Checkpoint> => {
    const look = await lookAtCheckpoints(await pool.get(rigHost(rig)), { ...DEFAULT_CHECKPOINT_SETTINGS, root: project });
    const c = look.checkpoints.find((x) => x.path === path);
    if (!c) throw new Error(`${path} not found`);
    return c;
  };

  beforeAll(async () => {
    scratch = await scratchDir();
    project = join(scratch.dir, 'remote project');
    await mkdir(join(project, 'ckpt'), { recursive: true });
    big = randomBytes(64 * MiB);
    await writeFile(join(project, 'ckpt', bigName), big);
    const hf = join(project, 'out', 'checkpoint-40');
    await mkdir(hf, { recursive: true });
    await writeFile(join(hf, 'model.safetensors'), randomBytes(3 * MiB));
    await writeFile(join(hf, 'config.json'), '{"a": 1}');
    await writeFile(join(hf, 'trainer_state.json'), '{"global_step": 40}');
    rig = await startSshd();
    pool = new ConnectionPool(makeDeps({ knownHostsFiles: [rig.knownHostsPath] }));
  });
  afterAll(async () => {
    pool?.dispose();
    await rig?.stop();
    await scratch?.cleanup();
  });

  it('a connection cut mid-download leaves a .part; the next call resumes from it and the size checks out', async () => {
    const c = await latestOf(`ckpt/${bigName}`);
    const dest = join(scratch.dir, 'dl-cut');
    const plan = downloadPlan(project, c, dest);
    expect(plan).toEqual([{ remotePath: `${project}/ckpt/${bigName}`, localPath: join(dest, bigName) }]);
    let killed: Promise<number> | undefined;
    const first = reasonOf(
      withSftp((conn, sftp) =>
        downloadFiles(conn, sftp, plan, {
          onProgress: (p) => {
            if (!killed && p.doneBytes > 8 * MiB) killed = rig.killConnections();
          },
        }),
      ),
    );
    expect(await first).toBe('connectionLost');
    expect(await killed).toBeGreaterThan(0);
    const partSize = (await stat(join(dest, `${bigName}.part`))).size;
    expect(partSize).toBeGreaterThan(8 * MiB);
    expect(partSize).toBeLessThan(big.length);
    await expect(stat(join(dest, bigName))).rejects.toThrow();

    const progress: number[] = [];
    const second = await withSftp((conn, sftp) => downloadFiles(conn, sftp, plan, { onProgress: (p) => progress.push(p.doneBytes) }));
    expect(second.totalBytes).toBe(big.length);
    expect(second.transferredBytes).toBe(big.length - partSize);
    expect(progress[0]).toBe(partSize);
    expect(progress.at(-1)).toBe(big.length);
    expect(sha(await readFile(join(dest, bigName)))).toBe(sha(big));
    expect(await readdir(dest)).toEqual([bigName]);
  });

  it('abort stops the download and keeps the .part; a part longer than the remote file starts over', async () => {
    const c = await latestOf(`ckpt/${bigName}`);
    const dest = join(scratch.dir, 'dl-abort');
    const plan = downloadPlan(project, c, dest);
    const ac = new AbortController();
    const aborted = reasonOf(withSftp((conn, sftp) => downloadFiles(conn, sftp, plan, { signal: ac.signal, onProgress: (p) => p.doneBytes > 4 * MiB && ac.abort() })));
    expect(await aborted).toBe('cancelled');
    expect((await stat(join(dest, `${bigName}.part`))).size).toBeGreaterThan(4 * MiB);
    await writeFile(join(dest, `${bigName}.part`), Buffer.alloc(big.length + 10));
    const r = await withSftp((conn, sftp) => downloadFiles(conn, sftp, plan));
    expect(r.transferredBytes).toBe(big.length);
    expect(sha(await readFile(join(dest, bigName)))).toBe(sha(big));
  });

  it('a Hugging Face folder comes whole, under its own name', async () => {
    const c = await latestOf('out/checkpoint-40');
    const dest = join(scratch.dir, 'dl-hf');
    const r = await withSftp((conn, sftp) => downloadFiles(conn, sftp, downloadPlan(project, c, dest)));
    expect(r.files.map((f) => f.slice(dest.length + 1)).sort()).toEqual(['checkpoint-40/config.json', 'checkpoint-40/model.safetensors', 'checkpoint-40/trainer_state.json']);
    for (const name of ['config.json', 'model.safetensors', 'trainer_state.json']) {
      expect(sha(await readFile(join(dest, 'checkpoint-40', name)))).toBe(sha(await readFile(join(project, 'out', 'checkpoint-40', name))));
    }
    // Everything present: a second call transfers nothing.
    expect((await withSftp((conn, sftp) => downloadFiles(conn, sftp, downloadPlan(project, c, dest)))).transferredBytes).toBe(0);
  });
});

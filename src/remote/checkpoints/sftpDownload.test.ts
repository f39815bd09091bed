import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Checkpoint } from '../../core/checkpoints/checkpoint';
import { downloadPlan } from './sftpDownload';

const ck = (over: Partial<Checkpoint>): Checkpoint => ({ path: 'x', kind: 'file', format: 'pytorch', sizeBytes: 1, mtimeMs: 1, files: [], complete: true, ...over });

describe('downloadPlan', () => {
  it('a file lands by its name; remote paths keep the root (~ made relative to the login dir)', () => {
    expect(downloadPlan('~/proj', ck({ path: 'checkpoints/step_1.pt', files: [{ path: 'checkpoints/step_1.pt', size: 1 }] }), '/dl')).toEqual([
      { remotePath: 'proj/checkpoints/step_1.pt', localPath: join('/dl', 'step_1.pt') },
    ]);
  });

  it('a folder comes whole under its own name; shards side by side', () => {
    const folder = ck({ path: 'runs/checkpoint-5', kind: 'folder', files: [{ path: 'runs/checkpoint-5/config.json', size: 1 }, { path: 'runs/checkpoint-5/sub/a.pt', size: 1 }] });
    expect(downloadPlan('/w', folder, '/dl').map((p) => [p.remotePath, p.localPath])).toEqual([
      ['/w/runs/checkpoint-5/config.json', join('/dl', 'checkpoint-5', 'config.json')],
      ['/w/runs/checkpoint-5/sub/a.pt', join('/dl', 'checkpoint-5', 'sub', 'a.pt')],
    ]);
    const shards = ck({ path: 'f/model-*-of-00002.safetensors', kind: 'shards', files: [{ path: 'f/model-00001-of-00002.safetensors', size: 1 }, { path: 'f/model.safetensors.index.json', size: 1 }] });
    expect(downloadPlan('/w', shards, '/dl').map((p) => p.localPath)).toEqual([join('/dl', 'model-00001-of-00002.safetensors'), join('/dl', 'model.safetensors.index.json')]);
  });

  it('refuses a name that would leave the chosen folder', () => {
    const evil = ck({ path: 'runs/checkpoint-5', kind: 'folder', files: [{ path: 'runs/checkpoint-5/../../../etc/passwd', size: 1 }] });
    expect(() => downloadPlan('/w', evil, '/dl')).toThrow(expect.objectContaining({ reason: 'invalidResponse' }));
    expect(() => downloadPlan('/w', ck({ path: '..', files: [{ path: '..', size: 1 }] }), '/dl')).toThrow(expect.objectContaining({ reason: 'invalidResponse' }));
  });
});

// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest';
import type { CheckpointStatus } from '../../../src/shared/checkpointStatus';
import { parseHostMessage } from '../../../src/shared/dashboardMessages';
import type { WebviewToHostMessage } from '../../../src/shared/dashboardMessages';
import { DashboardApp } from '../../../webview/dashboard/dashboardApp';
import { fakeCharts, makeSnapshot } from './fixtures';

const XSS = 'ckpt/<img src=x onerror=alert(1)>/$(rm -rf ~).pt';
const MIN = 60_000;

const READY: CheckpointStatus = {
  state: 'ready',
  root: '/work/proj',
  newest: { path: 'checkpoints/step_001214.pt', format: 'pytorch', kind: 'file', step: 1214, sizeBytes: 2 * 1024 * 1024, ageMs: 5 * MIN },
  writing: [{ path: 'checkpoints/step_001300.pt', format: 'pytorch', kind: 'file', step: 1300, sizeBytes: 512, ageMs: 0 }],
  recent: [
    { path: 'checkpoints/step_001214.pt', format: 'pytorch', kind: 'file', step: 1214, sizeBytes: 2 * 1024 * 1024, ageMs: 5 * MIN },
    { path: 'checkpoints/step_000595.pt', format: 'pytorch', kind: 'file', step: 595, sizeBytes: 1000, ageMs: 15 * MIN },
  ],
  cadenceMs: 10 * MIN,
  truncated: false,
  scannedAgoMs: 1000,
  newestDownloaded: false,
};

let root: HTMLElement;
let posted: WebviewToHostMessage[];
let app: DashboardApp;

beforeEach(() => {
  document.body.replaceChildren();
  root = document.createElement('div');
  document.body.append(root);
  posted = [];
  app = new DashboardApp(document, root, { post: (m) => posted.push(m), createChart: fakeCharts().factory });
});

const text = (selector: string): string[] => [...root.querySelectorAll(selector)].map((n) => n.textContent ?? '');
const section = (): HTMLElement => root.querySelector<HTMLElement>('section.checkpoints') as HTMLElement;

describe('dashboard checkpoint section', () => {
  it('stays hidden when the snapshot has no checkpoint status (GPU Monitor, older hosts)', () => {
    app.render(makeSnapshot());
    expect(section().hidden).toBe(true);
  });

  it('shows the newest checkpoint, cadence, what is being written, and the recent list', () => {
    app.render({ ...makeSnapshot(), checkpoints: READY });
    expect(section().hidden).toBe(false);
    expect(text('.ckpt-newest dt')).toEqual(['Newest', 'Step', 'Size', 'Age', 'Cadence', 'Downloaded']);
    expect(text('.ckpt-newest dd')).toEqual(['checkpoints/step_001214.pt', '1214', '2.0 MiB', '5 min ago', 'every 10 min', 'not yet']);
    expect(text('.ckpt-writing')).toEqual(['Being written: checkpoints/step_001300.pt (512 B)']);
    expect(text('.ckpt-recent tbody td:first-child')).toEqual(['checkpoints/step_001214.pt', 'checkpoints/step_000595.pt']);
    expect(text('.ckpt-recent tbody td:nth-child(2)')).toEqual(['1214', '595']);
    expect((root.querySelector('.ckpt-overdue') as HTMLElement).hidden).toBe(true);
  });

  it('says overdue, in a live region, when the status says so', () => {
    app.render({ ...makeSnapshot(), checkpoints: { ...READY, overdue: { why: 'pastCadence', forMs: 2 * MIN } } });
    const overdue = root.querySelector('.ckpt-overdue') as HTMLElement;
    expect(overdue.hidden).toBe(false);
    expect(overdue.getAttribute('role')).toBe('status');
    expect(overdue.textContent).toContain('2 min late');
  });

  it('Download Latest posts a message the host schema accepts, and is disabled with nothing to download', () => {
    app.render({ ...makeSnapshot(), checkpoints: READY });
    const download = root.querySelector<HTMLElement>('.ckpt-download') as HTMLElement;
    expect(download.tagName.toLowerCase()).toBe('vscode-button');
    download.click();
    expect(posted).toEqual([{ type: 'downloadLatestCheckpoint' }]);
    app.render({ ...makeSnapshot(), checkpoints: { ...READY, state: 'ready', newest: undefined, recent: [], writing: [] } as CheckpointStatus });
    expect(download.hasAttribute('disabled')).toBe(true);
    download.click();
    expect(posted).toHaveLength(1);
    expect(text('.ckpt-status')).toEqual(['No checkpoint in /work/proj yet.']);
  });

  it('keeps hostile file names as text, and the snapshot schema accepts them', () => {
    const entry = { ...READY.recent[0]!, path: XSS };
    const snapshot = { ...makeSnapshot(), checkpoints: { ...READY, newest: entry, recent: [entry], root: XSS } };
    expect(parseHostMessage(snapshot).ok).toBe(true);
    app.render(snapshot);
    expect(root.querySelector('img')).toBeNull();
    expect(text('.ckpt-recent tbody td:first-child')).toEqual([XSS]);
  });

  it('the snapshot schema refuses a status with an unknown field or a negative age', () => {
    expect(parseHostMessage({ ...makeSnapshot(), checkpoints: { ...READY, extra: 1 } }).ok).toBe(false);
    expect(parseHostMessage({ ...makeSnapshot(), checkpoints: { ...READY, newest: { ...READY.newest!, ageMs: -1 } } }).ok).toBe(false);
  });
});

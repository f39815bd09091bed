// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';
import type { SnapshotMessage } from '../../../src/shared/dashboardMessages';
import { PROTOCOL_VERSION } from '../../../src/shared/telemetryProtocol';
import { DashboardApp } from '../../../webview/dashboard/dashboardApp';
import { latestPerFrame } from '../../../webview/shared/frameScheduler';
import { connectHost } from '../../../webview/shared/hostChannel';
import { ThemePalette, watchTheme } from '../../../webview/shared/themePalette';
import { fakeCharts, makeSnapshot } from './fixtures';

/** The in-memory host: a fake acquireVsCodeApi() and a message target that plays the extension host's postMessage. */
function memoryHost() {
  const fromWebview: unknown[] = [];
  const target = new EventTarget();
  const source = {
    addEventListener: (type: 'message', l: (e: MessageEvent) => void) => target.addEventListener(type, l as EventListener),
    removeEventListener: (type: 'message', l: (e: MessageEvent) => void) => target.removeEventListener(type, l as EventListener),
  };
  const send = (data: unknown): void => void target.dispatchEvent(new MessageEvent('message', { data }));
  const log = { warn: vi.fn(), error: vi.fn() };
  return { fromWebview, source, send, log, api: { postMessage: (m: unknown) => void fromWebview.push(m) } };
}

describe('host channel', () => {
  it('posts ready with the protocol version, then renders valid snapshots', () => {
    const host = memoryHost();
    const got: SnapshotMessage[] = [];
    connectHost({ source: host.source, api: host.api, onSnapshot: (s) => got.push(s), log: host.log });
    expect(host.fromWebview).toEqual([{ type: 'ready', protocolVersion: PROTOCOL_VERSION }]);
    host.send(JSON.parse(JSON.stringify(makeSnapshot())));
    expect(got).toHaveLength(1);
    expect(host.log.warn).not.toHaveBeenCalled();
  });

  it('logs and drops every invalid message without throwing, and keeps listening', () => {
    const host = memoryHost();
    const got: SnapshotMessage[] = [];
    connectHost({ source: host.source, api: host.api, onSnapshot: (s) => got.push(s), log: host.log });
    const hostile = Object.defineProperty({}, 'type', { enumerable: true, get: () => { throw new Error('boom'); } });
    const old = { ...makeSnapshot(), protocolVersion: PROTOCOL_VERSION + 1 };
    const bad = [null, 'snapshot', 42, { type: 'delta' }, { ...makeSnapshot(), extra: '<script>' }, old, hostile];
    for (const m of bad) expect(() => host.send(m)).not.toThrow();
    expect(got).toHaveLength(0);
    expect(host.log.warn).toHaveBeenCalledTimes(bad.length);
    host.send(makeSnapshot());
    expect(got).toHaveLength(1);
  });

  it('survives a render that throws, and stops listening once disposed', () => {
    const host = memoryHost();
    let calls = 0;
    const channel = connectHost({ source: host.source, api: host.api, onSnapshot: () => { calls++; throw new Error('render bug'); }, log: host.log });
    expect(() => host.send(makeSnapshot())).not.toThrow();
    expect(host.log.error).toHaveBeenCalledTimes(1);
    channel.dispose();
    host.send(makeSnapshot());
    expect(calls).toBe(1);
  });

  it('drives the dashboard end to end: an invalid message changes nothing on the page', () => {
    const host = memoryHost();
    const root = document.createElement('div');
    const app = new DashboardApp(document, root, { post: (m) => host.api.postMessage(m), createChart: fakeCharts().factory });
    connectHost({ source: host.source, api: host.api, onSnapshot: (s) => app.render(s), log: host.log });
    host.send(makeSnapshot({ label: 'first' }));
    host.send({ ...makeSnapshot({ label: 'second' }), gpus: 'lots' });
    expect(root.querySelector('.host-label')?.textContent).toBe('first');
    root.querySelector<HTMLElement>('.toolbar vscode-button:last-of-type')?.click();
    expect(host.fromWebview.at(-1)).toEqual({ type: 'showLogs' });
  });
});

describe('one render per frame', () => {
  it('renders only the newest value of a burst', () => {
    const frames: (() => void)[] = [];
    const rendered: number[] = [];
    const push = latestPerFrame((v: number) => rendered.push(v), (cb) => frames.push(cb));
    push(1);
    push(2);
    push(3);
    expect(frames).toHaveLength(1);
    frames.shift()?.();
    push(4);
    frames.shift()?.();
    expect(rendered).toEqual([3, 4]);
  });
});

describe('theme', () => {
  it('reads chart colours from the CSS variables and hears the body class change', async () => {
    document.body.style.setProperty('--vscode-charts-blue', '#0000ff');
    const palette = new ThemePalette(document.body);
    expect(palette.colors.blue).toBe('#0000ff');
    expect(palette.colors.red).toBe('#f14c4c');
    const changed = vi.fn();
    const stop = watchTheme(document.body, changed);
    document.body.className = 'vscode-high-contrast';
    await new Promise((r) => setTimeout(r, 0));
    expect(changed).toHaveBeenCalledTimes(1);
    // Another dark theme: same class, new variables on <html>.
    document.documentElement.style.setProperty('--vscode-charts-blue', '#1111ff');
    await new Promise((r) => setTimeout(r, 0));
    expect(changed).toHaveBeenCalledTimes(2);
    stop();
  });
});

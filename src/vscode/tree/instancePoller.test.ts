import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type * as vscode from 'vscode';
import type { CloudBranch } from './cloudBranch';
import { InstancePoller } from './instancePoller';
import type { TreeNode } from './nodes';

/** A tree view whose visibility the test flips, and a cloud branch that counts polls. */
function fakes(visible: boolean) {
  const listeners: (() => void)[] = [];
  const view = {
    visible,
    onDidChangeVisibility: (l: () => void) => {
      listeners.push(l);
      return { dispose: () => listeners.splice(listeners.indexOf(l), 1) };
    },
  };
  const setVisible = (v: boolean): void => {
    view.visible = v;
    for (const l of [...listeners]) l();
  };
  const cloud = { polls: 0, transitional: false, poll: async () => void cloud.polls++, anyTransitional: () => cloud.transitional };
  return { view: view as unknown as vscode.TreeView<TreeNode>, cloud, branch: cloud as unknown as CloudBranch, setVisible };
}

describe('InstancePoller', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('polls every 15 s while the view is visible', async () => {
    const f = fakes(true);
    const poller = new InstancePoller(f.view, f.branch);
    await vi.advanceTimersByTimeAsync(14_999);
    expect(f.cloud.polls).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(f.cloud.polls).toBe(3);
    poller.dispose();
  });

  it('never polls while the view is hidden, and starts again when it shows', async () => {
    const f = fakes(false);
    const poller = new InstancePoller(f.view, f.branch);
    await vi.advanceTimersByTimeAsync(120_000);
    expect(f.cloud.polls).toBe(0);
    f.setVisible(true);
    await vi.advanceTimersByTimeAsync(15_000);
    expect(f.cloud.polls).toBe(1);
    f.setVisible(false);
    await vi.advanceTimersByTimeAsync(120_000);
    expect(f.cloud.polls).toBe(1);
    poller.dispose();
  });

  it('polls every 3 s while an instance is in a transitional state', async () => {
    const f = fakes(true);
    f.cloud.transitional = true;
    const poller = new InstancePoller(f.view, f.branch);
    await vi.advanceTimersByTimeAsync(9_000);
    expect(f.cloud.polls).toBe(3);
    poller.dispose();
  });

  it('stops for good when disposed', async () => {
    const f = fakes(true);
    new InstancePoller(f.view, f.branch).dispose();
    f.setVisible(true);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(f.cloud.polls).toBe(0);
  });

  it('while hidden, polls once a minute only when auto-stop or a budget needs the list', async () => {
    const f = fakes(false);
    let needed = false;
    const poller = new InstancePoller(f.view, f.branch, { background: () => needed });
    await vi.advanceTimersByTimeAsync(120_000);
    expect(f.cloud.polls).toBe(0);
    // Turned on in the settings: no wiring needed, the next minute's tick asks.
    needed = true;
    await vi.advanceTimersByTimeAsync(59_999);
    expect(f.cloud.polls).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(f.cloud.polls).toBe(1);
    await vi.advanceTimersByTimeAsync(120_000);
    expect(f.cloud.polls).toBe(3);
    // Shown: the short interval takes over at once.
    f.setVisible(true);
    await vi.advanceTimersByTimeAsync(15_000);
    expect(f.cloud.polls).toBe(4);
    poller.dispose();
    await vi.advanceTimersByTimeAsync(120_000);
    expect(f.cloud.polls).toBe(4);
  });
});

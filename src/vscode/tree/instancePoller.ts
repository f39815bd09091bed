import type * as vscode from 'vscode';
import type { CloudBranch } from './cloudBranch';
import type { TreeNode } from './nodes';

export const POLL_MS = 15_000;
/** While an instance is booting or stopping the user is watching it: ask more often. */
export const POLL_TRANSITIONAL_MS = 3_000;

/**
 * Re-lists cloud instances while the Instances view is visible, and never while it is hidden: a closed sidebar must
 * not spend the user's API rate limit. One poll at a time; the next is scheduled when the last one ends.
 */
export class InstancePoller implements vscode.Disposable {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly subscription: vscode.Disposable;
  private disposed = false;
  private polling = false;

  constructor(
    private readonly view: vscode.TreeView<TreeNode>,
    private readonly cloud: CloudBranch,
    private readonly intervals = { idleMs: POLL_MS, transitionalMs: POLL_TRANSITIONAL_MS },
  ) {
    this.subscription = view.onDidChangeVisibility(() => this.sync());
    this.sync();
  }

  dispose(): void {
    this.disposed = true;
    this.subscription.dispose();
    this.stop();
  }

  private sync(): void {
    if (this.view.visible && !this.disposed) {
      if (!this.timer && !this.polling) this.schedule();
    } else {
      this.stop();
    }
  }

  private schedule(): void {
    const ms = this.cloud.anyTransitional() ? this.intervals.transitionalMs : this.intervals.idleMs;
    this.timer = setTimeout(() => void this.tick(), ms);
  }

  private async tick(): Promise<void> {
    this.timer = undefined;
    this.polling = true;
    try {
      // poll() never rejects: a failing provider becomes its error child.
      await this.cloud.poll();
    } finally {
      this.polling = false;
    }
    if (this.view.visible && !this.disposed && !this.timer) this.schedule();
  }

  private stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}

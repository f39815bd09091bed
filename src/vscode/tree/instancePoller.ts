import type * as vscode from 'vscode';
import type { CloudBranch } from './cloudBranch';
import type { TreeNode } from './nodes';

export const POLL_MS = 15_000;
/** While an instance is booting or stopping the user is watching it: ask more often. */
export const POLL_TRANSITIONAL_MS = 3_000;
/** View hidden, but auto-stop or a budget acts on cloud instances: often enough to notice one started elsewhere. */
export const POLL_BACKGROUND_MS = 60_000;

export interface InstancePollerOptions {
  readonly idleMs?: number;
  readonly transitionalMs?: number;
  readonly backgroundMs?: number;
  /**
   * Whether something acts on the instance list while the view is hidden (auto-stop or a budget's stop): then the
   * providers are still asked, every backgroundMs. Read at each tick, so a settings change needs no wiring.
   */
  readonly background?: () => boolean;
}

/**
 * Re-lists cloud instances while the Instances view is visible; while it is hidden only when auto-stop or a budget
 * needs the list, and then once a minute: a closed sidebar must not spend the user's API rate limit for nothing.
 * One poll at a time; the next is scheduled when the last one ends.
 */
export class InstancePoller implements vscode.Disposable {
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Whether the pending timer was set for a visible view (the short intervals). */
  private timerForVisible = false;
  private readonly subscription: vscode.Disposable;
  private disposed = false;
  private polling = false;

  constructor(
    private readonly view: vscode.TreeView<TreeNode>,
    private readonly cloud: CloudBranch,
    private readonly options: InstancePollerOptions = {},
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
    if (this.disposed) return this.stop();
    // A poll in flight schedules the next one itself when it ends, at the rate the visibility then asks for.
    if (this.polling || (this.timer && this.timerForVisible === this.view.visible)) return;
    this.stop();
    this.schedule();
  }

  private schedule(): void {
    const visible = this.view.visible;
    const ms = !visible
      ? (this.options.backgroundMs ?? POLL_BACKGROUND_MS)
      : this.cloud.anyTransitional()
        ? (this.options.transitionalMs ?? POLL_TRANSITIONAL_MS)
        : (this.options.idleMs ?? POLL_MS);
    this.timerForVisible = visible;
    this.timer = setTimeout(() => void this.tick(), ms);
  }

  private async tick(): Promise<void> {
    this.timer = undefined;
    if (this.view.visible || this.options.background?.() === true) {
      this.polling = true;
      try {
        // poll() never rejects: a failing provider becomes its error child.
        await this.cloud.poll();
      } finally {
        this.polling = false;
      }
    }
    if (!this.disposed && !this.timer) this.schedule();
  }

  private stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}

import * as vscode from 'vscode';

export type WarningChoice = 'keep' | 'keepUntilISay' | 'stopNow';

export interface ShownWarning {
  readonly key: string;
  readonly message: string;
}

/**
 * The auto-stop warning notifications and the status-bar countdown. Non-modal on purpose: a warning must not block
 * the window, and ignoring it is an answer (the stop goes ahead at its time). The in-host suites cannot click a
 * notification, so `shown` and `answer` are their seam (reachable only through activate()'s return value).
 */
export class StopWarnings implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('remoteGpu.autoStopCountdown', vscode.StatusBarAlignment.Left, 48);
  private readonly countdowns = new Map<string, { label: string; stopAt: number }>();
  private readonly handlers = new Map<string, (choice: WarningChoice) => void>();
  private timer: NodeJS.Timeout | undefined;
  /** Every warning shown, newest last (test seam). */
  readonly shown: ShownWarning[] = [];

  constructor(private readonly now: () => number) {
    this.item.name = vscode.l10n.t('Remote GPU auto-stop');
    this.item.command = 'remoteGpu.showLogs';
  }

  show(key: string, label: string, stopAt: number, keepMinutes: number, explanation: string, onChoice: (choice: WarningChoice) => void): void {
    const left = stopAt - this.now();
    const message =
      left >= 90_000
        ? vscode.l10n.t('{0} will be stopped in about {1} min. {2}', label, Math.round(left / 60_000), explanation)
        : vscode.l10n.t('{0} will be stopped in {1} s. {2}', label, Math.max(0, Math.round(left / 1000)), explanation);
    this.shown.push({ key, message });
    this.handlers.set(key, onChoice);
    this.countdowns.set(key, { label, stopAt });
    this.draw();
    this.timer ??= setInterval(() => this.draw(), 1000);
    const keep = vscode.l10n.t('Keep {0} min', keepMinutes);
    const keepUntil = vscode.l10n.t('Keep until I say');
    const stopNow = vscode.l10n.t('Stop now');
    void vscode.window.showWarningMessage(message, keep, keepUntil, stopNow).then((b) => {
      if (b === keep) this.answer(key, 'keep');
      else if (b === keepUntil) this.answer(key, 'keepUntilISay');
      else if (b === stopNow) this.answer(key, 'stopNow');
    });
  }

  /** The button of the notification (or a suite): handled once; a later click on an old notification does nothing. */
  answer(key: string, choice: WarningChoice): void {
    const handler = this.handlers.get(key);
    if (!handler) return;
    this.clear(key);
    handler(choice);
  }

  clear(key: string): void {
    this.handlers.delete(key);
    this.countdowns.delete(key);
    this.draw();
  }

  dispose(): void {
    if (this.timer) clearInterval(this.timer);
    this.item.dispose();
  }

  private draw(): void {
    const next = [...this.countdowns.values()].sort((a, b) => a.stopAt - b.stopAt)[0];
    if (!next) {
      this.item.hide();
      if (this.timer) clearInterval(this.timer);
      this.timer = undefined;
      return;
    }
    const left = Math.max(0, Math.round((next.stopAt - this.now()) / 1000));
    const clock = `${Math.floor(left / 60)}:${String(left % 60).padStart(2, '0')}`;
    this.item.text = `$(watch) ${vscode.l10n.t('{0} stops in {1}', next.label, clock)}`;
    this.item.tooltip = vscode.l10n.t('Auto-stop countdown. Answer the warning notification to keep the machine.');
    this.item.show();
  }
}

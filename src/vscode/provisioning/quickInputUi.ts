import * as vscode from 'vscode';
import { BACK, type ConfirmRequest, type InputStep, type PickItem, type PickStep, type ProgressReporter, type ProvisionUi, type StepAnswer } from '../../core/provisioning/provisionUi';

interface ValueItem<T> extends vscode.QuickPickItem {
  readonly value: T;
}

function titleOf(step: { title: string }): string {
  return step.title;
}

/** One quick pick per step, with VS Code's Back button where the wizard allows it; hiding it (Escape) is a cancel. */
function pick<T>(step: PickStep<T>): Promise<StepAnswer<T>> {
  return new Promise((resolve) => {
    const qp = vscode.window.createQuickPick<ValueItem<T>>();
    let settled = false;
    const finish = (answer: StepAnswer<T>): void => {
      if (settled) return;
      settled = true;
      resolve(answer);
      qp.hide();
    };
    qp.title = titleOf(step);
    qp.step = step.step;
    qp.totalSteps = step.totalSteps;
    qp.placeholder = step.placeholder;
    qp.matchOnDescription = true;
    qp.matchOnDetail = true;
    qp.ignoreFocusOut = true;
    qp.buttons = step.canGoBack ? [vscode.QuickInputButtons.Back] : [];
    qp.items = step.items.map((i: PickItem<T>) => ({ label: i.label, ...(i.description ? { description: i.description } : {}), ...(i.detail ? { detail: i.detail } : {}), value: i.value }));
    qp.onDidTriggerButton((b) => b === vscode.QuickInputButtons.Back && finish(BACK));
    qp.onDidAccept(() => {
      const chosen = qp.selectedItems[0] ?? qp.activeItems[0];
      if (chosen) finish(chosen.value);
    });
    qp.onDidHide(() => {
      finish(undefined);
      qp.dispose();
    });
    qp.show();
  });
}

/** An input box that shows the step's validation message as the person types and accepts only a valid value. */
function input(step: InputStep): Promise<StepAnswer<string>> {
  return new Promise((resolve) => {
    const box = vscode.window.createInputBox();
    let settled = false;
    const finish = (answer: StepAnswer<string>): void => {
      if (settled) return;
      settled = true;
      resolve(answer);
      box.hide();
    };
    box.title = titleOf(step);
    box.step = step.step;
    box.totalSteps = step.totalSteps;
    box.prompt = step.prompt;
    box.value = step.value;
    box.ignoreFocusOut = true;
    if (step.placeholder) box.placeholder = step.placeholder;
    box.buttons = step.canGoBack ? [vscode.QuickInputButtons.Back] : [];
    box.onDidChangeValue((v) => (box.validationMessage = step.validate(v)));
    box.onDidTriggerButton((b) => b === vscode.QuickInputButtons.Back && finish(BACK));
    box.onDidAccept(() => {
      const problem = step.validate(box.value);
      box.validationMessage = problem;
      if (problem === undefined) finish(box.value);
    });
    box.onDidHide(() => {
      finish(undefined);
      box.dispose();
    });
    box.show();
  });
}

/** The ProvisionUi port on VS Code's quick input, modal dialog, progress notification and message API. */
export function createQuickInputUi(): ProvisionUi {
  const back = vscode.l10n.t('Back');
  return {
    pick,
    input,
    async confirm(request: ConfirmRequest): Promise<StepAnswer<'confirm'>> {
      const choice = await vscode.window.showWarningMessage(request.message, { modal: true, detail: request.detail }, request.confirmLabel, back);
      return choice === request.confirmLabel ? 'confirm' : choice === back ? BACK : undefined;
    },
    progress<T>(title: string, task: (progress: ProgressReporter, signal: AbortSignal) => Promise<T>): Promise<T> {
      return Promise.resolve(
        vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (progress, token) => {
          const abort = new AbortController();
          const sub = token.onCancellationRequested(() => abort.abort());
          return task({ report: (message) => progress.report({ message }) }, abort.signal).finally(() => sub.dispose());
        }),
      );
    },
    async inform(message: string, actions: readonly string[]): Promise<string | undefined> {
      return vscode.window.showInformationMessage(message, ...actions);
    },
    async warn(message: string, actions: readonly string[]): Promise<string | undefined> {
      return vscode.window.showWarningMessage(message, ...actions);
    },
  };
}

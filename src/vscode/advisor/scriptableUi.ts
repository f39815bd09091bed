import type { ConfirmRequest, InputStep, PickStep, ProgressReporter, ProvisionUi, StepAnswer } from '../../core/provisioning/provisionUi';
import { createQuickInputUi } from '../provisioning/quickInputUi';

/**
 * The quick-input port shared by Recommend a GPU and the Provision flow it hands its offer to, with one test seam:
 * while `script` is set, every step goes to it instead of VS Code's quick picks, input boxes and modals, which an
 * extension test cannot click. One object for both commands, so a suite can follow the advisor's choice into
 * Provision's next step. Real users never set it: it is reachable only through activate()'s return value, which
 * only tests read (as with Prompts, src/vscode/providers/prompts.ts).
 */
export class ScriptableUi implements ProvisionUi {
  /** Test seam: the steps go here while set. */
  script: ProvisionUi | undefined;
  private readonly real = createQuickInputUi();

  private get ui(): ProvisionUi {
    return this.script ?? this.real;
  }

  pick<T>(step: PickStep<T>): Promise<StepAnswer<T>> {
    return this.ui.pick(step);
  }

  input(step: InputStep): Promise<StepAnswer<string>> {
    return this.ui.input(step);
  }

  confirm(request: ConfirmRequest): Promise<StepAnswer<'confirm'>> {
    return this.ui.confirm(request);
  }

  progress<T>(title: string, task: (progress: ProgressReporter, signal: AbortSignal) => Promise<T>): Promise<T> {
    return this.ui.progress(title, task);
  }

  inform(message: string, actions: readonly string[]): Promise<string | undefined> {
    return this.ui.inform(message, actions);
  }

  warn(message: string, actions: readonly string[]): Promise<string | undefined> {
    return this.ui.warn(message, actions);
  }
}

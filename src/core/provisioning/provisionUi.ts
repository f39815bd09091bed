/**
 * The provisioning wizard talks to the person only through this port: quick picks, input boxes, a modal
 * confirmation, a cancellable progress and notifications. src/vscode/provisioning implements it with VS Code's
 * window API; unit tests implement it with a script, so every step (back and cancel included) runs in milliseconds.
 */

/** Returned by a step when the person pressed the Back button. */
export const BACK: unique symbol = Symbol('back');
export type Back = typeof BACK;

/** A step's answer: a value, BACK, or undefined when the person dismissed it (Escape), which cancels the wizard. */
export type StepAnswer<T> = T | Back | undefined;

export interface PickItem<T> {
  readonly label: string;
  readonly description?: string;
  readonly detail?: string;
  readonly value: T;
}

/** Shared by every step: the title bar ("Provision (3/7)") and whether Back is offered. */
export interface StepFrame {
  readonly title: string;
  readonly step: number;
  readonly totalSteps: number;
  readonly canGoBack: boolean;
}

export interface PickStep<T> extends StepFrame {
  /** Identifies the step for scripted tests and logs ("offer", "sshKey", ...). */
  readonly id: string;
  readonly placeholder: string;
  readonly items: ReadonlyArray<PickItem<T>>;
}

export interface InputStep extends StepFrame {
  readonly id: string;
  readonly prompt: string;
  readonly value: string;
  readonly placeholder?: string;
  /** A message saying what is wrong, or undefined when the value is fine. */
  readonly validate: (value: string) => string | undefined;
}

export interface ConfirmRequest {
  readonly message: string;
  readonly detail: string;
  readonly confirmLabel: string;
}

export interface ProgressReporter {
  report(message: string): void;
}

export interface ProvisionUi {
  pick<T>(step: PickStep<T>): Promise<StepAnswer<T>>;
  input(step: InputStep): Promise<StepAnswer<string>>;
  /** A modal question with the confirm button and a Back button; undefined when dismissed. */
  confirm(request: ConfirmRequest): Promise<StepAnswer<'confirm'>>;
  /**
   * Runs `task` under a progress notification with a Cancel button; the signal aborts when it is pressed.
   * Resolves or rejects exactly as the task does.
   */
  progress<T>(title: string, task: (progress: ProgressReporter, signal: AbortSignal) => Promise<T>): Promise<T>;
  /** An information message with buttons; resolves to the button pressed, or undefined. */
  inform(message: string, actions: readonly string[]): Promise<string | undefined>;
  /** A warning message with buttons; resolves to the button pressed, or undefined. */
  warn(message: string, actions: readonly string[]): Promise<string | undefined>;
}

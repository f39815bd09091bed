import * as vscode from 'vscode';

/**
 * The modal questions and input boxes of the provider commands, behind one object so the in-host suites can answer
 * them (a modal cannot be clicked from an extension test). Real users never fill the queues: they are reachable only
 * through activate()'s return value, which only tests read.
 */
export class Prompts {
  /** Next answers to confirm(), consumed first-in first-out (test seam). */
  readonly scriptedConfirms: boolean[] = [];
  /** Next answers to input() (test seam); undefined stands for Escape. */
  readonly scriptedInputs: (string | undefined)[] = [];
  /** The questions asked, newest last (test seam: the suites check the words). */
  readonly asked: { readonly message: string; readonly detail: string }[] = [];

  async confirm(message: string, detail: string, button: string): Promise<boolean> {
    this.asked.push({ message, detail });
    if (this.scriptedConfirms.length > 0) return this.scriptedConfirms.shift() === true;
    const choice = await vscode.window.showWarningMessage(message, { modal: true, detail }, button);
    return choice === button;
  }

  async input(options: vscode.InputBoxOptions): Promise<string | undefined> {
    if (this.scriptedInputs.length > 0) return this.scriptedInputs.shift();
    return vscode.window.showInputBox({ ignoreFocusOut: true, ...options });
  }
}

import * as vscode from 'vscode';
import { RemoteGpuError } from '../../core/errors';
import type { PortForwards } from '../../remote/portForwards';
import { resolveHost } from '../commands/hostArgument';
import type { InstancesTreeProvider } from '../tree/instancesTree';

export interface ForwardCommandDeps {
  readonly tree: InstancesTreeProvider;
  readonly forwards: PortForwards;
}

/** What Forward Port returned, for the integration suites. */
export interface ForwardResult {
  readonly id: string;
  readonly localPort: number;
  readonly remotePort: number;
}

const WELL_KNOWN: readonly { readonly port: number; readonly label: string }[] = [
  { port: 6006, label: 'TensorBoard' },
  { port: 8888, label: 'Jupyter' },
];

/**
 * Forward Port...: asks which remote port (a second argument skips the question, for tests and keybindings), then
 * forwards it to 127.0.0.1 on the same port when free. The forward is listed under the host.
 */
export async function forwardPort(deps: ForwardCommandDeps, arg: unknown, portArg?: unknown): Promise<ForwardResult> {
  const host = await resolveHost(arg, deps.tree, vscode.l10n.t('Forward a port of which host?'));
  const remotePort = typeof portArg === 'number' ? portArg : await askPort();
  const entry = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Forwarding port {0} of {1}…', remotePort, host.label) },
    () => deps.forwards.add(host, remotePort),
  );
  const { localPort } = entry.forward;
  const open = vscode.l10n.t('Open in Browser');
  void vscode.window
    .showInformationMessage(vscode.l10n.t('localhost:{0} now reaches port {1} on {2}.', localPort, remotePort, host.label), open)
    .then((choice) => (choice === open ? openLocal(localPort) : undefined));
  return { id: entry.id, localPort, remotePort };
}

async function askPort(): Promise<number> {
  const other = vscode.l10n.t('Other port…');
  const items = [
    ...WELL_KNOWN.map((w) => ({ label: String(w.port), description: w.label, port: w.port })),
    { label: other, description: '', port: 0 },
  ];
  const picked = await vscode.window.showQuickPick(items, { placeHolder: vscode.l10n.t('Which remote port?') });
  if (!picked) throw new RemoteGpuError('cancelled', vscode.l10n.t('Cancelled.'));
  if (picked.port !== 0) return picked.port;
  const typed = await vscode.window.showInputBox({
    prompt: vscode.l10n.t('Remote port to forward (1 to 65535)'),
    validateInput: (v) => (parsePort(v) === undefined ? vscode.l10n.t('A port is a whole number from 1 to 65535.') : undefined),
  });
  const port = typed === undefined ? undefined : parsePort(typed);
  if (port === undefined) throw new RemoteGpuError('cancelled', vscode.l10n.t('Cancelled.'));
  return port;
}

function parsePort(text: string): number | undefined {
  const t = text.trim();
  if (!/^\d{1,5}$/.test(t)) return undefined;
  const n = Number(t);
  return n >= 1 && n <= 65535 ? n : undefined;
}

/** The forward nodes pass `{ forwardId }`; tests and palette pass the id string. */
function forwardIdOf(arg: unknown): string {
  if (typeof arg === 'string') return arg;
  const id = (arg as { forwardId?: unknown } | undefined)?.forwardId;
  if (typeof id === 'string') return id;
  throw new RemoteGpuError('notFound', vscode.l10n.t('Run this from a forwarded port in the Remote GPU view.'));
}

export async function openForwardInBrowser(deps: ForwardCommandDeps, arg: unknown): Promise<void> {
  const entry = deps.forwards.get(forwardIdOf(arg));
  if (!entry) throw new RemoteGpuError('notFound', vscode.l10n.t('That port forward is no longer running.'));
  await openLocal(entry.forward.localPort);
}

export async function stopForward(deps: ForwardCommandDeps, arg: unknown): Promise<void> {
  await deps.forwards.stop(forwardIdOf(arg));
}

export async function retryForward(deps: ForwardCommandDeps, arg: unknown): Promise<void> {
  const entry = deps.forwards.get(forwardIdOf(arg));
  if (!entry) throw new RemoteGpuError('notFound', vscode.l10n.t('That port forward is no longer running.'));
  await entry.forward.retry();
}

async function openLocal(port: number): Promise<void> {
  // openExternal maps a localhost URI through the remote-window port mapping when there is one.
  await vscode.env.openExternal(vscode.Uri.parse(`http://localhost:${port}/`));
}

// Shared by the suites: reach the extension's tree through the test API that activate() returns.
import * as vscode from 'vscode';

export const EXTENSION_ID = 'remote-gpu.remote-gpu';

/** The part of the extension's test API the suites rely on; elements are opaque. */
export interface TreeApi {
  getChildren(element?: unknown): vscode.ProviderResult<unknown[]>;
  getTreeItem(element: unknown): vscode.TreeItem | Thenable<vscode.TreeItem>;
}

export interface TestApi {
  readonly instancesTree: TreeApi;
  readonly activatedInMs?: number;
}

export interface Node {
  readonly element: unknown;
  readonly item: vscode.TreeItem;
  readonly label: string;
  readonly description: string;
  readonly contextValue: string;
}

export function extension(): vscode.Extension<TestApi> {
  const ext = vscode.extensions.getExtension<TestApi>(EXTENSION_ID);
  if (!ext) throw new Error(`extension ${EXTENSION_ID} is not loaded in this extension host`);
  return ext;
}

export async function api(): Promise<TestApi> {
  const ext = extension();
  const exports = ext.isActive ? ext.exports : await ext.activate();
  if (!exports || typeof exports.instancesTree?.getChildren !== 'function') {
    throw new Error('activate() did not return { instancesTree: { getChildren, getTreeItem } }');
  }
  return exports;
}

function labelText(label: string | vscode.TreeItemLabel | undefined): string {
  if (label === undefined) return '';
  return typeof label === 'string' ? label : label.label;
}

export async function children(element?: unknown): Promise<Node[]> {
  const tree = (await api()).instancesTree;
  const elements = (await tree.getChildren(element)) ?? [];
  return Promise.all(
    elements.map(async (el) => {
      const item = await tree.getTreeItem(el);
      const description = typeof item.description === 'string' ? item.description : '';
      return { element: el, item, label: labelText(item.label), description, contextValue: item.contextValue ?? '' };
    }),
  );
}

export function describeNodes(nodes: readonly Node[]): string {
  return JSON.stringify(nodes.map((n) => ({ label: n.label, description: n.description, contextValue: n.contextValue })));
}

const LOADING = /^(loading|connecting)/i;

/** A host's children once they are final (GPUs, or one error); waits out any "Connecting..." placeholder. */
export async function settledChildren(element: unknown, timeoutMs = 45_000): Promise<Node[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const nodes = await children(element);
    const loading = nodes.some((n) => LOADING.test(n.contextValue) || LOADING.test(n.label));
    if (!loading) return nodes;
    if (Date.now() > deadline) throw new Error(`children still loading after ${timeoutMs} ms: ${describeNodes(nodes)}`);
    await sleep(300);
  }
}

export async function providerNode(label = 'SSH Hosts'): Promise<Node> {
  const roots = await children();
  const node = roots.find((n) => n.label === label);
  if (!node) throw new Error(`no "${label}" provider node among the roots: ${describeNodes(roots)}`);
  return node;
}

export async function hostNodes(): Promise<Node[]> {
  return children((await providerNode()).element);
}

export async function hostNode(label: string): Promise<Node> {
  const hosts = await hostNodes();
  const node = hosts.find((n) => n.label === label);
  if (!node) throw new Error(`no host "${label}" under SSH Hosts: ${describeNodes(hosts)}`);
  return node;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Polls until `check` returns a value (not undefined), or fails with `what`. */
export async function waitFor<T>(what: string, check: () => T | undefined | Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(200);
  }
}

import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// Lints snippets as if they lived at a path, with the project's real eslint.config.mjs.
const eslint = new ESLint({ cwd: process.cwd() });

async function ruleErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'layers/dependency-rule').map((m) => m.message);
}

describe('dependency rule', () => {
  it.each([
    ['src/core/telemetry/x.ts', "import * as vscode from 'vscode';\nexport const v = vscode;"],
    ['src/remote/x.ts', "import * as vscode from 'vscode';\nexport const v = vscode;"],
    ['src/shared/x.ts', "import * as vscode from 'vscode';\nexport const v = vscode;"],
    ['src/providers/lambda/x.ts', "import * as vscode from 'vscode';\nexport const v = vscode;"],
    ['webview/x.ts', "import * as vscode from 'vscode';\nexport const v = vscode;"],
    ['test/rig/x.mjs', "import * as vscode from 'vscode';\nexport const v = vscode;"],
    ['src/core/x.ts', "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;"],
    ['src/core/x.ts', "import { Client } from 'ssh2';\nexport const c = Client;"],
    ['src/core/x.ts', "import { a } from '../remote/sshConnection';\nexport const b = a;"],
    ['src/core/x.ts', "import { a } from '../vscode/extension';\nexport const b = a;"],
    ['src/providers/lambda/x.ts', "import { a } from '../runpod/api';\nexport const b = a;"],
    ['src/remote/x.ts', "import { a } from '../vscode/extension';\nexport const b = a;"],
    ['webview/x.ts', "import { a } from '../src/core/errors';\nexport const b = a;"],
  ])('refuses %s: %s', async (file, code) => {
    expect(await ruleErrors(file, code)).toHaveLength(1);
  });

  it.each([
    ['src/vscode/x.ts', "import * as vscode from 'vscode';\nexport const v = vscode;"],
    ['src/core/telemetry/x.ts', "import { shQuote } from '../remote/shellQuote';\nexport const q = shQuote;"],
    ['src/core/x.ts', "import { z } from 'zod';\nexport const s = z;"],
    ['src/remote/x.ts', "import { Client } from 'ssh2';\nimport { shQuote } from '../core/remote/shellQuote';\nexport const c = [Client, shQuote];"],
    ['src/core/x.test.ts', "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;"],
  ])('allows %s: %s', async (file, code) => {
    expect(await ruleErrors(file, code)).toEqual([]);
  });
});

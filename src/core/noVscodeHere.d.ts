// Resolving 'vscode' or 'ssh2' from src/core lands here on purpose: the domain must not use them.
export {};

/** Log port. `component` is a short tag ("ssh", "tree", "pool") shown in every line. Implementations redact secrets. */
export interface Logger {
  trace(message: string): void;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string, error?: unknown): void;
  child(component: string): Logger;
}

/** For tests and for code paths that must not log. */
export const silentLogger: Logger = {
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child: () => silentLogger,
};

const SECRET_PATTERNS: readonly RegExp[] = [
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)/g,
  /\b(authorization|api[_-]?key|token|secret|password|passphrase)(["']?\s*[:=]\s*["']?)[^\s"',}]+/gi,
  /\bBearer\s+[A-Za-z0-9._~+/=-]+/g,
];

/** Removes private keys, bearer tokens and key=value secrets from a line before it is logged. */
export function redact(text: string): string {
  let out = text;
  for (const pattern of SECRET_PATTERNS) {
    out = out.replace(pattern, (match, k?: string, sep?: string) =>
      typeof k === 'string' && typeof sep === 'string' && !match.startsWith('-----') && !/^Bearer/i.test(match)
        ? `${k}${sep}[redacted]`
        : match.startsWith('Bearer') ? 'Bearer [redacted]' : '[redacted private key]',
    );
  }
  return out;
}

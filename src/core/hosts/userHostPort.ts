import { t } from '../../shared/l10n';

/** What a user types into "Add SSH Host...": `[user@]host[:port]`, an IPv6 address in brackets when a port follows. */
export interface UserHostPort {
  readonly user?: string;
  readonly host: string;
  readonly port: number;
}

export type ParseResult = { ok: true; value: UserHostPort } | { ok: false; message: string };

export function parseUserHostPort(input: string): ParseResult {
  const text = input.trim().replace(/^ssh\s+/, '');
  if (text === '') return { ok: false, message: t('Enter a host, for example {0} or {1}.', 'ubuntu@203.0.113.10', 'ubuntu@gpu.example.com:2222') };
  if (/\s/.test(text)) return { ok: false, message: t('A host cannot contain spaces.') };
  const at = text.lastIndexOf('@');
  const user = at >= 0 ? text.slice(0, at) : undefined;
  const rest = at >= 0 ? text.slice(at + 1) : text;
  if (user !== undefined && (user === '' || /[@:/]/.test(user))) return { ok: false, message: t('The user name before @ is not valid.') };
  const m = /^\[([0-9A-Fa-f:.]+)\](?::(\d+))?$/.exec(rest) ?? /^([^:[\]/]+)(?::(\d+))?$/.exec(rest) ?? /^([0-9A-Fa-f:]+:[0-9A-Fa-f:]*)()$/.exec(rest);
  if (!m || !m[1]) return { ok: false, message: t('Expected [user@]host[:port]; put an IPv6 address in brackets when you give a port.') };
  const port = m[2] ? Number(m[2]) : 22;
  if (!Number.isInteger(port) || port < 1 || port > 65535) return { ok: false, message: t('The port must be between 1 and 65535.') };
  return { ok: true, value: { ...(user !== undefined ? { user } : {}), host: m[1], port } };
}

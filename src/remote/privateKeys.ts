import { readFile } from 'node:fs/promises';
import { utils } from 'ssh2';

/** A private key file as read for authentication. The key bytes never leave this module's callers' memory. */
export type LoadedKey =
  | { readonly kind: 'usable'; readonly path: string; readonly data: Buffer; readonly publicBlob: Buffer | undefined }
  /** Passphrase-protected: usable only through ssh-agent, which we ask the user to load it into. */
  | { readonly kind: 'encrypted'; readonly path: string; readonly publicBlob: Buffer | undefined }
  | { readonly kind: 'unreadable'; readonly path: string; readonly why: string };

const OPENSSH_MAGIC = Buffer.from('openssh-key-v1\0', 'latin1');

export async function loadPrivateKey(path: string): Promise<LoadedKey> {
  let data: Buffer;
  try {
    data = await readFile(path);
  } catch (e) {
    return { kind: 'unreadable', path, why: (e as NodeJS.ErrnoException).code ?? 'read error' };
  }
  const text = data.toString('utf8');
  const openssh = parseOpensshEnvelope(text);
  const encrypted = openssh ? openssh.encrypted : /Proc-Type:\s*4,ENCRYPTED|BEGIN ENCRYPTED PRIVATE KEY/.test(text);
  const publicBlob = openssh?.publicBlob ?? (await readPublicFile(`${path}.pub`));
  if (encrypted) return { kind: 'encrypted', path, publicBlob };
  const parsed = utils.parseKey(data);
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  if (key === undefined || key instanceof Error || !key.isPrivateKey()) {
    return { kind: 'unreadable', path, why: 'not a supported private key' };
  }
  return { kind: 'usable', path, data, publicBlob: publicBlob ?? key.getPublicSSH() };
}

/**
 * The new OpenSSH format keeps the public key and the cipher name in clear before the encrypted part:
 * magic, string ciphername, string kdfname, string kdfoptions, uint32 nkeys, string publickey. Reading these
 * tells "encrypted" apart without trying to decrypt or matching any library's error text.
 */
function parseOpensshEnvelope(text: string): { encrypted: boolean; publicBlob: Buffer | undefined } | undefined {
  const m = /-----BEGIN OPENSSH PRIVATE KEY-----([\s\S]*?)-----END OPENSSH PRIVATE KEY-----/.exec(text);
  if (!m?.[1]) return undefined;
  const buf = Buffer.from(m[1].replace(/\s+/g, ''), 'base64');
  if (!buf.subarray(0, OPENSSH_MAGIC.length).equals(OPENSSH_MAGIC)) return undefined;
  let off = OPENSSH_MAGIC.length;
  const readString = (): Buffer | undefined => {
    if (off + 4 > buf.length) return undefined;
    const len = buf.readUInt32BE(off);
    if (off + 4 + len > buf.length) return undefined;
    const s = buf.subarray(off + 4, off + 4 + len);
    off += 4 + len;
    return s;
  };
  const cipher = readString()?.toString('latin1');
  readString(); // kdfname
  readString(); // kdfoptions
  off += 4; // nkeys
  const publicBlob = readString();
  if (cipher === undefined) return undefined;
  return { encrypted: cipher !== 'none', publicBlob: publicBlob ? Buffer.from(publicBlob) : undefined };
}

async function readPublicFile(path: string): Promise<Buffer | undefined> {
  try {
    const b64 = (await readFile(path, 'utf8')).trim().split(/\s+/)[1];
    return b64 ? Buffer.from(b64, 'base64') : undefined;
  } catch {
    return undefined;
  }
}

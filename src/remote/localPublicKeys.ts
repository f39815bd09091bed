import { access, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LocalPublicKey } from '../core/provisioning/choiceSteps';

const KEY_LINE = /^(ssh-(ed25519|rsa|dss)|ecdsa-sha2-nistp(256|384|521)|sk-(ssh-ed25519|ecdsa-sha2-nistp256)@openssh\.com) [A-Za-z0-9+/=]+( .*)?$/;

/**
 * The public keys in an ssh directory (~/.ssh) that have their private key beside them: only those can both be
 * given to a provider and used to log in. Unreadable files and lines that are not one OpenSSH public key are
 * skipped; a missing directory is simply no keys. Private keys are never read here.
 */
export async function listLocalPublicKeys(sshDir: string): Promise<LocalPublicKey[]> {
  let names: string[];
  try {
    names = await readdir(sshDir);
  } catch {
    return [];
  }
  const keys: LocalPublicKey[] = [];
  for (const name of names.filter((n) => n.endsWith('.pub')).sort()) {
    const publicKeyPath = join(sshDir, name);
    const privateKeyPath = publicKeyPath.slice(0, -'.pub'.length);
    try {
      const publicKey = (await readFile(publicKeyPath, 'utf8')).trim();
      if (!KEY_LINE.test(publicKey) || publicKey.includes('\n')) continue;
      await access(privateKeyPath);
      keys.push({ publicKeyPath, privateKeyPath, publicKey });
    } catch {
      // no private half, or unreadable: not a key we can log in with
    }
  }
  // ed25519 first: the key type every provider and OpenSSH version here accepts, and the one ssh-keygen suggests.
  return keys.sort((a, b) => Number(!a.publicKey.startsWith('ssh-ed25519')) - Number(!b.publicKey.startsWith('ssh-ed25519')));
}

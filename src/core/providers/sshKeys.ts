/**
 * Key type and base64 blob decide identity; the comment does not. Providers reuse a stored key whose material
 * matches instead of adding a duplicate (SkyPilot and dstack do the same).
 */
export function sameKeyMaterial(a: string, b: string): boolean {
  return keyMaterial(a) === keyMaterial(b);
}

/** "ssh-ed25519 AAAA..." without the comment. */
export function keyMaterial(publicKey: string): string {
  return publicKey.trim().split(/\s+/).slice(0, 2).join(' ');
}

/** The comment of an OpenSSH public key line ("laptop" in "ssh-ed25519 AAAA... laptop"), or "". */
export function keyComment(publicKey: string): string {
  return publicKey.trim().split(/\s+/).slice(2).join(' ');
}

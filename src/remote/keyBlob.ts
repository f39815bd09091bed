import { createHash } from 'node:crypto';

/**
 * Host and user public keys travel as SSH wire blobs: string keytype, then type-specific fields. The first field
 * names the key type ("ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256"), independent of the signature algorithm
 * negotiated (an RSA key is "ssh-rsa" even when rsa-sha2-512 signs), which is what known_hosts compares.
 */
export function keyTypeOfBlob(blob: Uint8Array): string | undefined {
  if (blob.length < 4) return undefined;
  const buf = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  const len = buf.readUInt32BE(0);
  if (len === 0 || len > 64 || 4 + len > buf.length) return undefined;
  const type = buf.toString('latin1', 4, 4 + len);
  return /^[\x21-\x7e]+$/.test(type) ? type : undefined;
}

/** The fingerprint exactly as `ssh-keygen -lf` prints it: "SHA256:" + unpadded base64 of SHA-256 of the blob. */
export function fingerprintSha256(blob: Uint8Array): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

// @ts-check
// Just enough of the zip format to list a .vsix and read its manifest, so no unzip binary is needed.
import { inflateRawSync } from 'node:zlib';

/**
 * Entry names of a zip file, from its central directory (no unzip binary needed).
 * @param {Buffer} buf
 */
export function zipEntries(buf) {
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 65_535); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('not a zip file (no end-of-central-directory record)');
  const count = buf.readUInt16LE(eocd + 10);
  let off = buf.readUInt32LE(eocd + 16);
  /** @type {string[]} */
  const names = [];
  for (let n = 0; n < count; n++) {
    if (buf.readUInt32LE(off) !== 0x02014b50) throw new Error(`bad central directory entry at ${off}`);
    const nameLen = buf.readUInt16LE(off + 28);
    const extraLen = buf.readUInt16LE(off + 30);
    const commentLen = buf.readUInt16LE(off + 32);
    names.push(buf.toString('utf8', off + 46, off + 46 + nameLen));
    off += 46 + nameLen + extraLen + commentLen;
  }
  return names;
}

/**
 * The text of one entry of a zip file (stored or deflated).
 * @param {Buffer} buf @param {string} name
 */
export function readZipText(buf, name) {
  let off = 0;
  while (off + 30 <= buf.length && buf.readUInt32LE(off) === 0x04034b50) {
    const method = buf.readUInt16LE(off + 8);
    const flags = buf.readUInt16LE(off + 6);
    let size = buf.readUInt32LE(off + 18);
    const nameLen = buf.readUInt16LE(off + 26);
    const extraLen = buf.readUInt16LE(off + 28);
    const entry = buf.toString('utf8', off + 30, off + 30 + nameLen);
    const start = off + 30 + nameLen + extraLen;
    if (flags & 0x08) size = centralSize(buf, entry);
    if (entry === name) {
      const data = buf.subarray(start, start + size);
      return (method === 8 ? inflateRawSync(data) : data).toString('utf8');
    }
    off = start + size + (flags & 0x08 ? 16 : 0);
  }
  throw new Error(`${name} is not in the zip`);
}

/** @param {Buffer} buf @param {string} name */
function centralSize(buf, name) {
  const eocd = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  let off = buf.readUInt32LE(eocd + 16);
  for (let n = buf.readUInt16LE(eocd + 10); n > 0; n--) {
    const nameLen = buf.readUInt16LE(off + 28);
    if (buf.toString('utf8', off + 46, off + 46 + nameLen) === name) return buf.readUInt32LE(off + 20);
    off += 46 + nameLen + buf.readUInt16LE(off + 30) + buf.readUInt16LE(off + 32);
  }
  return 0;
}

/**
 * The regular files of a tar stream as `git archive` writes it (POSIX ustar, with pax headers for
 * paths longer than the 100-byte name field and a pax global header holding the commit id), path
 * to content, in stream order.
 *
 * @see https://pubs.opengroup.org/onlinepubs/9799919799/utilities/pax.html (ustar header, pax records)
 */
export function tarFiles(tar: Buffer): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  let paxPath: string | undefined;
  for (let offset = 0; offset + BLOCK <= tar.length; ) {
    const header = tar.subarray(offset, offset + BLOCK);
    if (header.every((byte) => byte === 0)) break; // the end-of-archive blocks
    const text = (start: number, length: number) => header.toString('utf8', start, start + length).replace(/\0[\s\S]*$/, '');
    const size = parseInt(text(124, 12).trim() || '0', 8);
    const body = tar.subarray(offset + BLOCK, offset + BLOCK + size);
    const type = text(156, 1);
    if (type === 'x') {
      paxPath = paxRecord(body, 'path') ?? paxPath;
    } else if (type !== 'g') {
      const prefix = text(345, 155);
      if (type === '0' || type === '') files.set(paxPath ?? (prefix ? `${prefix}/${text(0, 100)}` : text(0, 100)), body);
      paxPath = undefined;
    }
    offset += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
  }
  return files;
}

const BLOCK = 512;

/** One value of a pax extended header: records are `<length> <key>=<value>\n`. */
function paxRecord(body: Buffer, key: string): string | undefined {
  for (let offset = 0; offset < body.length; ) {
    const space = body.indexOf(0x20, offset);
    const length = Number(body.toString('latin1', offset, space));
    if (!(length > 0)) return undefined;
    const record = body.toString('utf8', space + 1, offset + length - 1);
    if (record.startsWith(`${key}=`)) return record.slice(key.length + 1);
    offset += length;
  }
  return undefined;
}

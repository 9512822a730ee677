// A compressed file or an archive given where a text file (tickets, traces) belongs is told by its
// first bytes and refused with what to do, instead of a parse error per line of binary noise.
const KINDS = [
  { magic: [0x1f, 0x8b], kind: 'gzip-compressed file', hint: 'decompress it first (gunzip)' },
  { magic: [0x50, 0x4b, 0x03, 0x04], kind: 'zip archive', hint: 'extract it first (unzip)' },
  { magic: [0x28, 0xb5, 0x2f, 0xfd], kind: 'zstd-compressed file', hint: 'decompress it first (unzstd)' },
  { magic: [0x42, 0x5a, 0x68], kind: 'bzip2-compressed file', hint: 'decompress it first (bunzip2)' },
  { magic: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], kind: 'xz-compressed file', hint: 'decompress it first (unxz)' },
] as const;

/** The refusal for a file whose first bytes are an archive's, or null for anything else. */
export function archiveRefusal(first: Uint8Array, name: string, what: string): string | null {
  const k = KINDS.find((x) => x.magic.length <= first.length && x.magic.every((b, i) => first[i] === b));
  return k ? `${name}: a ${k.kind}, not a ${what}: ${k.hint}, then give casebench what it holds` : null;
}

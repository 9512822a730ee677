// A streaming scanner for one big JSON document: it walks the structure chunk by chunk and hands
// out the text of the values a caller selects by path (e.g. each element of `observations`), so a
// file with 100,000 records is never held whole. Only the containers on the way to the selected
// values are validated here; each selected value is parsed by the caller, so a broken element is
// reported at its own path and the scan goes on. A structural break outside selected values
// (or a truncated file) stops the scan with the path and character offset where it happened.
// With `multi`, JSON values one after another (pretty-printed documents appended to one file, as
// OTel file exporters write them) are read as a sequence; each event says which value (`doc`,
// from 0) it belongs to, and paths start afresh in each.

export type PathSeg = string | number;
export type Decision = 'value' | 'descend' | 'skip';
export type ScanEvent =
  | { kind: 'value'; path: PathSeg[]; text: string; doc: number }
  | { kind: 'error'; path: PathSeg[]; offset: number; message: string; doc: number };

interface Frame {
  type: 'obj' | 'arr';
  state: 'first' | 'key' | 'colon' | 'value' | 'comma';
  key: string | null;
  index: number;
}

const WS = (c: number): boolean => c === 32 || c === 10 || c === 13 || c === 9;

/** "a.b[3].c" for messages. */
export function formatPath(path: readonly PathSeg[]): string {
  let s = '';
  for (const p of path) s += typeof p === 'number' ? `[${p}]` : s === '' ? p : `.${p}`;
  return s === '' ? '(document)' : s;
}

export class JsonScanner {
  private readonly select: (path: readonly PathSeg[]) => Decision;
  private readonly multi: boolean;
  /** Index of the top-level value being read (always 0 unless `multi`). */
  private doc = 0;
  private readonly stack: Frame[] = [];
  private rootState: 'before' | 'after' = 'before';
  private base = 0;
  private failed = false;
  // key being read
  private inKey = false;
  private keyRaw = '';
  private keyEsc = false;
  // value being consumed
  private consuming = false;
  private capture: string[] | null = null;
  private cPath: PathSeg[] = [];
  private depth = 0;
  private inStr = false;
  private esc = false;
  private scalar = false;
  private out: ScanEvent[] = [];

  constructor(select: (path: readonly PathSeg[]) => Decision, opts: { multi?: boolean } = {}) {
    this.select = select;
    this.multi = opts.multi ?? false;
  }

  /** How many top-level values have started so far. */
  get documents(): number {
    return this.rootState === 'before' && this.doc === 0 ? 0 : this.doc + 1;
  }

  private path(): PathSeg[] {
    const p: PathSeg[] = [];
    for (const f of this.stack) if (f.type === 'obj' ? f.key !== null : true) p.push(f.type === 'obj' ? (f.key as string) : f.index);
    return p;
  }

  private fail(offset: number, message: string, path = this.path()): void {
    this.failed = true;
    this.out.push({ kind: 'error', path, offset, message, doc: this.doc });
  }

  /** Feeds the next chunk; returns the values and errors it completed. */
  push(buf: string): ScanEvent[] {
    this.out = [];
    if (!this.failed) this.scan(buf);
    this.base += buf.length;
    return this.out;
  }

  /** Ends the input; reports a truncated document. */
  end(): ScanEvent[] {
    this.out = [];
    if (this.failed) return this.out;
    if (this.consuming && this.scalar && !this.inStr && this.depth === 0) {
      this.finishValue('');
    }
    if (this.consuming) this.fail(this.base, 'the file ends inside this value (truncated)', this.cPath);
    else if (this.inKey || this.stack.length > 0) this.fail(this.base, 'the file ends before the document is complete (truncated)');
    else if (this.rootState === 'before') this.fail(this.base, 'no JSON value in the file');
    return this.out;
  }

  private afterValue(): void {
    const top = this.stack.at(-1);
    if (!top) this.rootState = 'after';
    else {
      top.state = 'comma';
    }
  }

  private finishValue(tail: string): void {
    this.consuming = false;
    if (this.capture) {
      this.capture.push(tail);
      this.out.push({ kind: 'value', path: this.cPath, text: this.capture.join(''), doc: this.doc });
      this.capture = null;
    }
    this.afterValue();
  }

  private startValue(buf: string, i: number): number {
    const c = buf.charCodeAt(i);
    const path = this.path();
    const d = this.select(path);
    if (d === 'descend' && (c === 123 || c === 91)) {
      this.stack.push({ type: c === 123 ? 'obj' : 'arr', state: 'first', key: null, index: 0 });
      return i + 1;
    }
    this.consuming = true;
    this.cPath = path;
    this.capture = d === 'skip' ? null : [];
    this.inStr = false;
    this.esc = false;
    this.depth = 0;
    this.scalar = false;
    if (c === 123 || c === 91) {
      this.depth = 1;
      return this.consume(buf, i + 1, i);
    }
    if (c === 34) {
      this.inStr = true;
      return this.consume(buf, i + 1, i);
    }
    if (c === 45 || (c >= 48 && c <= 57) || c === 116 || c === 102 || c === 110) {
      this.scalar = true;
      return this.consume(buf, i, i);
    }
    this.consuming = false;
    this.capture = null;
    this.fail(this.base + i, `unexpected \`${buf[i]}\` where a value should start`);
    return buf.length;
  }

  /** Continues consuming a value from i; start is where its text begins in this chunk. */
  private consume(buf: string, i: number, start: number): number {
    const n = buf.length;
    if (this.scalar) {
      while (i < n) {
        const c = buf.charCodeAt(i);
        if (c === 44 || c === 93 || c === 125 || WS(c)) {
          this.capture?.push(buf.slice(start, i));
          this.finishValue('');
          return i;
        }
        i++;
      }
      this.capture?.push(buf.slice(start, n));
      return n;
    }
    for (;;) {
      if (this.inStr) {
        if (this.esc) {
          this.esc = false;
          i++;
        }
        for (;;) {
          const j = buf.indexOf('"', i);
          if (j < 0) {
            let k = n - 1;
            while (k >= i && buf.charCodeAt(k) === 92) k--;
            this.esc = (n - 1 - k) % 2 === 1;
            this.capture?.push(buf.slice(start, n));
            return n;
          }
          let k = j - 1;
          while (k >= i && buf.charCodeAt(k) === 92) k--;
          i = j + 1;
          if ((j - 1 - k) % 2 === 0) break;
        }
        this.inStr = false;
        if (this.depth === 0) {
          this.capture?.push(buf.slice(start, i));
          this.finishValue('');
          return i;
        }
      }
      // inside a container, outside strings
      let found = false;
      while (i < n) {
        const c = buf.charCodeAt(i++);
        if (c === 34) {
          this.inStr = true;
          found = true;
          break;
        }
        if (c === 123 || c === 91) this.depth++;
        else if (c === 125 || c === 93) {
          if (--this.depth === 0) {
            this.capture?.push(buf.slice(start, i));
            this.finishValue('');
            return i;
          }
        }
      }
      if (!found) {
        this.capture?.push(buf.slice(start, n));
        return n;
      }
    }
  }

  private scan(buf: string): void {
    let i = 0;
    const n = buf.length;
    if (this.consuming) i = this.consume(buf, 0, 0);
    else if (this.inKey) i = this.readKey(buf, 0);
    while (i < n && !this.failed) {
      if (this.consuming) {
        i = this.consume(buf, i, i);
        continue;
      }
      const c = buf.charCodeAt(i);
      if (WS(c) || (c === 0xfeff && this.base + i === 0)) {
        i++;
        continue;
      }
      const top = this.stack.at(-1);
      if (!top) {
        if (this.rootState === 'after') {
          if (!this.multi) {
            this.fail(this.base + i, `unexpected \`${buf[i]}\` after the end of the document`, []);
            return;
          }
          // the next of several values one after another
          this.rootState = 'before';
          this.doc++;
        }
        i = this.startValue(buf, i);
        continue;
      }
      if (top.type === 'obj') {
        if ((top.state === 'first' || top.state === 'key') && c === 34) {
          this.inKey = true;
          this.keyRaw = '';
          this.keyEsc = false;
          i = this.readKey(buf, i + 1);
        } else if ((top.state === 'first' || top.state === 'comma') && c === 125) {
          this.stack.pop();
          this.afterValue();
          i++;
        } else if (top.state === 'colon' && c === 58) {
          top.state = 'value';
          i++;
        } else if (top.state === 'value') {
          i = this.startValue(buf, i);
        } else if (top.state === 'comma' && c === 44) {
          top.state = 'key';
          top.key = null;
          i++;
        } else {
          this.fail(
            this.base + i,
            `unexpected \`${buf[i]}\` in an object (expected ${top.state === 'colon' ? '`:`' : top.state === 'comma' ? '`,` or `}`' : 'a "key"'})`,
          );
          return;
        }
      } else {
        if ((top.state === 'first' || top.state === 'comma') && c === 93) {
          this.stack.pop();
          this.afterValue();
          i++;
        } else if (top.state === 'comma' && c === 44) {
          top.state = 'value';
          top.index++;
          i++;
        } else if (top.state === 'first' || top.state === 'value') {
          i = this.startValue(buf, i);
        } else {
          this.fail(this.base + i, `unexpected \`${buf[i]}\` in an array (expected \`,\` or \`]\`)`);
          return;
        }
      }
    }
  }

  private readKey(buf: string, i: number): number {
    const n = buf.length;
    while (i < n) {
      const ch = buf[i]!;
      if (this.keyEsc) this.keyEsc = false;
      else if (ch === '\\') this.keyEsc = true;
      else if (ch === '"') {
        this.inKey = false;
        const top = this.stack.at(-1)!;
        try {
          top.key = JSON.parse(`"${this.keyRaw}"`) as string;
        } catch {
          this.fail(this.base + i, 'a key is not a valid JSON string');
          return n;
        }
        top.state = 'colon';
        return i + 1;
      }
      this.keyRaw += ch;
      i++;
    }
    return n;
  }
}

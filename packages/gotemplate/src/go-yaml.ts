// YAML as Argo CD's toYaml/fromYaml produce and read it: sigs.k8s.io/yaml on go-yaml v2.
// toYaml marshals to JSON first (so errors and number types follow encoding/json), then emits
// block YAML the way go-yaml v2 does: keys in its natural order, two-space indent, sequences at
// their parent's indent, strings quoted when YAML 1.1 would read them as something else, `|-`
// blocks for multi-line text and folding at 80 columns. fromYaml resolves plain scalars with
// go-yaml v2's YAML 1.1 rules (yes/no/on/off, 0777 octal, 1_000) and returns JSON-typed values.

import {
  isAlias,
  isMap,
  isScalar,
  isSeq,
  parseAllDocuments,
  type Document,
  type Node as YamlNode,
} from 'yaml';
import { formatFloat } from './format-float.ts';
import { JsonError, marshalJson, unmarshalJson } from './go-json.ts';
import { parseGoFloat, parseInt64, parseUint64 } from './go-number.ts';
import { GoFuncError, isPlainMap, mapSet, newMap } from './go-values.ts';

// Scalar resolution (go-yaml v2 resolve.go) ---------------------------------------------------

type Resolved =
  | { tag: 'str'; value: string }
  | { tag: 'bool'; value: boolean }
  | { tag: 'null'; value: null }
  | { tag: 'int'; value: number }
  | { tag: 'float'; value: number }
  | { tag: 'timestamp'; value: string }
  | { tag: 'merge'; value: string };

const resolveMap = new Map<string, Resolved>();
for (const s of ['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON']) {
  resolveMap.set(s, { tag: 'bool', value: true });
}
for (const s of ['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF']) {
  resolveMap.set(s, { tag: 'bool', value: false });
}
for (const s of ['', '~', 'null', 'Null', 'NULL']) resolveMap.set(s, { tag: 'null', value: null });
for (const s of ['.nan', '.NaN', '.NAN']) resolveMap.set(s, { tag: 'float', value: NaN });
for (const s of ['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF'])
  resolveMap.set(s, { tag: 'float', value: Infinity });
for (const s of ['-.inf', '-.Inf', '-.INF']) resolveMap.set(s, { tag: 'float', value: -Infinity });
resolveMap.set('<<', { tag: 'merge', value: '<<' });

const yamlStyleFloat = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;

function validDate(y: string, m: string, d: string): boolean {
  const mm = Number(m);
  const dd = Number(d);
  if (mm < 1 || mm > 12 || dd < 1) return false;
  const yy = Number(y);
  const leap = yy % 4 === 0 && (yy % 100 !== 0 || yy % 400 === 0);
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mm - 1]!;
  return dd <= days;
}

/** The timestamp forms go-yaml v2 recognises (time.Parse with its four layouts). */
function isTimestamp(s: string): boolean {
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s);
  if (m !== null) return validDate(m[1]!, m[2]!, m[3]!);
  m = /^(\d{4})-(\d{1,2})-(\d{1,2})([Tt]| )(\d{1,2}):(\d{1,2}):(\d{1,2})(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/.exec(
    s,
  );
  if (m === null) return false;
  if (m[4] === ' ' && m[9] !== undefined) return false;
  if (m[4] !== ' ' && m[9] === undefined) return false;
  return validDate(m[1]!, m[2]!, m[3]!) && Number(m[5]) < 24 && Number(m[6]) < 60 && Number(m[7]) < 60;
}

function resolvePlain(s: string): Resolved {
  const hit = resolveMap.get(s);
  if (hit !== undefined) return hit;
  const c = s[0];
  if (c === '.') {
    const f = parseGoFloat(s);
    if (f !== undefined) return { tag: 'float', value: f };
    return { tag: 'str', value: s };
  }
  if (c === '+' || c === '-' || (c !== undefined && c >= '0' && c <= '9')) {
    if (isTimestamp(s)) return { tag: 'timestamp', value: s };
    const plain = s.replaceAll('_', '');
    const i = parseInt64(plain);
    if (i !== undefined) return { tag: 'int', value: Number(i) };
    const u = parseUint64(plain);
    if (u !== undefined) return { tag: 'int', value: Number(u) };
    if (yamlStyleFloat.test(plain)) {
      const f = parseGoFloat(plain);
      if (f !== undefined) return { tag: 'float', value: f };
    }
    if (plain.startsWith('0b') || plain.startsWith('-0b')) {
      const neg = plain.startsWith('-');
      const digits = plain.slice(neg ? 3 : 2);
      if (/^[01]+$/.test(digits)) return { tag: 'int', value: (neg ? -1 : 1) * parseInt(digits, 2) };
    }
  }
  return { tag: 'str', value: s };
}

const base60float = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;

// Emitting ----------------------------------------------------------------------------------

type YNode =
  | { t: 'map'; entries: [string, YNode][] }
  | { t: 'seq'; items: YNode[] }
  | { t: 'scalar'; text: string; str?: string };

/** go-yaml v2's natural key order (sorter.go) for string keys. */
function keyLess(a: string, b: string): boolean {
  const ar = [...a];
  const br = [...b];
  const isLetter = (r: string): boolean => /\p{L}/u.test(r);
  const isDigitR = (r: string | undefined): boolean => r !== undefined && /\p{Nd}/u.test(r);
  for (let i = 0; i < ar.length && i < br.length; i++) {
    if (ar[i] === br[i]) continue;
    const al = isLetter(ar[i]!);
    const bl = isLetter(br[i]!);
    if (al && bl) return ar[i]!.codePointAt(0)! < br[i]!.codePointAt(0)!;
    if (al || bl) return bl;
    let an = 0;
    let bn = 0;
    if (ar[i] === '0' || br[i] === '0') {
      for (let j = i - 1; j >= 0 && isDigitR(ar[j]); j--) {
        if (ar[j] !== '0') {
          an = 1;
          bn = 1;
          break;
        }
      }
    }
    let ai = i;
    for (; ai < ar.length && isDigitR(ar[ai]); ai++) an = an * 10 + Number(ar[ai]);
    let bi = i;
    for (; bi < br.length && isDigitR(br[bi]); bi++) bn = bn * 10 + Number(br[bi]);
    if (an !== bn) return an < bn;
    if (ai !== bi) return ai < bi;
    return ar[i]!.codePointAt(0)! < br[i]!.codePointAt(0)!;
  }
  return ar.length < br.length;
}

/** Builds the emitter tree from JSON text, typing numbers the way go-yaml reads them back. */
function treeFromJson(v: unknown, numberText: (n: number) => string): YNode {
  if (v === null || v === undefined) return { t: 'scalar', text: 'null' };
  if (typeof v === 'boolean') return { t: 'scalar', text: v ? 'true' : 'false' };
  if (typeof v === 'number') return { t: 'scalar', text: numberText(v) };
  if (typeof v === 'string') return { t: 'scalar', text: v, str: v };
  if (Array.isArray(v)) return { t: 'seq', items: v.map((x) => treeFromJson(x, numberText)) };
  const entries = Object.entries(v as Record<string, unknown>).map(
    ([k, x]) => [k, treeFromJson(x, numberText)] as [string, YNode],
  );
  entries.sort((a, b) => (keyLess(a[0], b[0]) ? -1 : keyLess(b[0], a[0]) ? 1 : 0));
  return { t: 'map', entries };
}

/** The number go-yaml prints for a JSON number: ints stay ints, everything else is 'g'. */
function yamlNumber(n: number): string {
  const json = Object.is(n, -0) ? '-0' : String(n);
  const r = resolvePlain(json);
  if (r.tag === 'int') return String(r.value);
  return formatFloat(n, 'g', -1);
}

function isPrintableCp(cp: number): boolean {
  return (
    cp === 0x0a ||
    (cp >= 0x20 && cp <= 0x7e) ||
    (cp >= 0xa0 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd && cp !== 0xfeff)
  );
}

const isBreakCp = (cp: number): boolean =>
  cp === 0x0a || cp === 0x0d || cp === 0x85 || cp === 0x2028 || cp === 0x2029;

interface Analysis {
  multiline: boolean;
  blockPlainAllowed: boolean;
  singleQuotedAllowed: boolean;
  blockAllowed: boolean;
}

function analyze(value: string): Analysis {
  if (value === '')
    return { multiline: false, blockPlainAllowed: true, singleQuotedAllowed: true, blockAllowed: false };
  const cps = [...value].map((c) => c.codePointAt(0)!);
  let blockIndicators = false;
  let lineBreaks = false;
  let special = false;
  let leadingSpace = false;
  let leadingBreak = false;
  let trailingSpace = false;
  let trailingBreak = false;
  let breakSpace = false;
  let spaceBreak = false;
  let previousSpace = false;
  let previousBreak = false;
  if (value.startsWith('---') || value.startsWith('...')) blockIndicators = true;
  let precededByWhitespace = true;
  for (let i = 0; i < cps.length; i++) {
    const cp = cps[i]!;
    const next = cps[i + 1];
    const followedByWhitespace = next === undefined || next === 0x20 || next === 0x09 || isBreakCp(next);
    const ch = String.fromCodePoint(cp);
    if (i === 0) {
      if ('#,[]{}&*!|>\'"%@`'.includes(ch)) blockIndicators = true;
      else if ((ch === '?' || ch === ':' || ch === '-') && followedByWhitespace) blockIndicators = true;
    } else if (ch === ':' && followedByWhitespace) blockIndicators = true;
    else if (ch === '#' && precededByWhitespace) blockIndicators = true;
    if (!isPrintableCp(cp)) special = true;
    if (cp === 0x20) {
      if (i === 0) leadingSpace = true;
      if (i === cps.length - 1) trailingSpace = true;
      if (previousBreak) breakSpace = true;
      previousSpace = true;
      previousBreak = false;
    } else if (isBreakCp(cp)) {
      lineBreaks = true;
      if (i === 0) leadingBreak = true;
      if (i === cps.length - 1) trailingBreak = true;
      if (previousSpace) spaceBreak = true;
      previousSpace = false;
      previousBreak = true;
    } else {
      previousSpace = false;
      previousBreak = false;
    }
    precededByWhitespace = cp === 0x20 || cp === 0x09 || isBreakCp(cp);
  }
  let blockPlainAllowed = true;
  let singleQuotedAllowed = true;
  let blockAllowed = true;
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) blockPlainAllowed = false;
  if (trailingSpace) blockAllowed = false;
  if (breakSpace) {
    blockPlainAllowed = false;
    singleQuotedAllowed = false;
  }
  if (spaceBreak || special) {
    blockPlainAllowed = false;
    singleQuotedAllowed = false;
    blockAllowed = false;
  }
  if (lineBreaks) blockPlainAllowed = false;
  if (blockIndicators) blockPlainAllowed = false;
  return { multiline: lineBreaks, blockPlainAllowed, singleQuotedAllowed, blockAllowed };
}

const BEST_WIDTH = 80;

class Emitter {
  out = '';
  column = 0;

  put(s: string): void {
    this.out += s;
    const nl = s.lastIndexOf('\n');
    this.column = nl < 0 ? this.column + [...s].length : [...s.slice(nl + 1)].length;
  }

  private newlineIndent(indent: number): void {
    this.put('\n' + ' '.repeat(indent));
  }

  /** Emits a string scalar at the cursor; `indent` is the indent of continuation lines. */
  string(s: string, indent: number, simpleKey: boolean): void {
    const r = resolvePlain(s);
    const canUsePlain = r.tag === 'str' && !base60float.test(s);
    let style: 'plain' | 'single' | 'double' | 'literal' = s.includes('\n')
      ? 'literal'
      : canUsePlain
        ? 'plain'
        : 'double';
    const a = analyze(s);
    if (simpleKey && a.multiline) style = 'double';
    if (style === 'plain') {
      if (!a.blockPlainAllowed) style = 'single';
      if (s === '' && simpleKey) style = 'single';
    }
    if (style === 'single' && !a.singleQuotedAllowed) style = 'double';
    if (style === 'literal' && (!a.blockAllowed || simpleKey)) style = 'double';
    const allowBreaks = !simpleKey;
    switch (style) {
      case 'plain':
        this.plain(s, indent, allowBreaks);
        return;
      case 'single':
        this.single(s, indent, allowBreaks);
        return;
      case 'double':
        this.double(s, indent, allowBreaks);
        return;
      case 'literal':
        this.literal(s, indent);
    }
  }

  private plain(s: string, indent: number, allowBreaks: boolean): void {
    const chars = [...s];
    let spaces = false;
    for (let i = 0; i < chars.length; i++) {
      const ch = chars[i]!;
      if (ch === ' ') {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && chars[i + 1] !== ' ')
          this.newlineIndent(indent);
        else this.put(ch);
        spaces = true;
      } else {
        this.put(ch);
        spaces = false;
      }
    }
  }

  private single(s: string, indent: number, allowBreaks: boolean): void {
    this.put("'");
    const chars = [...s];
    let spaces = false;
    for (let i = 0; i < chars.length; i++) {
      const ch = chars[i]!;
      if (ch === ' ') {
        if (
          allowBreaks &&
          !spaces &&
          this.column > BEST_WIDTH &&
          i > 0 &&
          i < chars.length - 1 &&
          chars[i + 1] !== ' '
        ) {
          this.newlineIndent(indent);
        } else this.put(ch);
        spaces = true;
      } else {
        this.put(ch === "'" ? "''" : ch);
        spaces = false;
      }
    }
    this.put("'");
  }

  private double(s: string, indent: number, allowBreaks: boolean): void {
    this.put('"');
    const chars = [...s];
    let spaces = false;
    for (let i = 0; i < chars.length; i++) {
      const ch = chars[i]!;
      const cp = ch.codePointAt(0)!;
      if (!isPrintableCp(cp) || cp === 0xfeff || isBreakCp(cp) || ch === '"' || ch === '\\') {
        const esc: Record<number, string> = {
          0: '0',
          7: 'a',
          8: 'b',
          9: 't',
          10: 'n',
          11: 'v',
          12: 'f',
          13: 'r',
          27: 'e',
          34: '"',
          92: '\\',
          0x85: 'N',
          0xa0: '_',
          0x2028: 'L',
          0x2029: 'P',
        };
        const e = esc[cp];
        if (e !== undefined) this.put('\\' + e);
        else if (cp <= 0xff) this.put('\\x' + cp.toString(16).toUpperCase().padStart(2, '0'));
        else if (cp <= 0xffff) this.put('\\u' + cp.toString(16).toUpperCase().padStart(4, '0'));
        else this.put('\\U' + cp.toString(16).toUpperCase().padStart(8, '0'));
        spaces = false;
      } else if (ch === ' ') {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && i > 0 && i < chars.length - 1) {
          this.newlineIndent(indent);
          if (chars[i + 1] === ' ') this.put('\\');
        } else this.put(ch);
        spaces = true;
      } else {
        this.put(ch);
        spaces = false;
      }
    }
    this.put('"');
  }

  private literal(s: string, indent: number): void {
    this.put('|');
    const cps = [...s];
    const first = cps[0]!.codePointAt(0)!;
    if (first === 0x20 || isBreakCp(first)) this.put('2');
    const last = cps[cps.length - 1]!.codePointAt(0)!;
    if (!isBreakCp(last)) this.put('-');
    else if (cps.length === 1 || isBreakCp(cps[cps.length - 2]!.codePointAt(0)!)) this.put('+');
    this.put('\n');
    let breaks = true;
    for (const ch of cps) {
      if (isBreakCp(ch.codePointAt(0)!)) {
        this.put('\n');
        breaks = true;
      } else {
        if (breaks) this.put(' '.repeat(indent));
        this.put(ch);
        breaks = false;
      }
    }
  }

  /** Starts a line at `indent`, unless the cursor already sits at the start of an empty line. */
  private lineStart(indent: number): void {
    if (this.out === '') return;
    if (this.column > 0 || !this.out.endsWith('\n')) this.put('\n');
    this.put(' '.repeat(indent));
  }

  private scalar(node: { text: string; str?: string }, indent: number): void {
    if (node.str !== undefined) this.string(node.str, indent, false);
    else this.put(node.text);
  }

  root(node: YNode): void {
    if (node.t === 'scalar') this.scalar(node, 2);
    else if (node.t === 'map') {
      if (node.entries.length === 0) this.put('{}');
      else this.mapping(node.entries, 0, false);
    } else if (node.items.length === 0) this.put('[]');
    else this.sequence(node.items, 0, false);
  }

  /** The value after `key:`, the key sitting at keyIndent. Sequences stay at the key's indent. */
  private afterKey(node: YNode, keyIndent: number): void {
    if (node.t === 'scalar') {
      this.put(' ');
      this.scalar(node, keyIndent + 2);
    } else if (node.t === 'map') {
      if (node.entries.length === 0) this.put(' {}');
      else this.mapping(node.entries, keyIndent + 2, false);
    } else if (node.items.length === 0) this.put(' []');
    else this.sequence(node.items, keyIndent, false);
  }

  /** The value after `- `, the dash sitting at itemIndent; nested collections start on the same line. */
  private inItem(node: YNode, itemIndent: number): void {
    if (node.t === 'scalar') {
      this.put(' ');
      this.scalar(node, itemIndent + 2);
    } else if (node.t === 'map') {
      if (node.entries.length === 0) this.put(' {}');
      else this.mapping(node.entries, itemIndent + 2, true);
    } else if (node.items.length === 0) this.put(' []');
    else this.sequence(node.items, itemIndent + 2, true);
  }

  private mapping(entries: [string, YNode][], indent: number, firstInline: boolean): void {
    entries.forEach(([k, v], i) => {
      if (i === 0 && firstInline) this.put(' ');
      else this.lineStart(indent);
      this.string(k, indent + 2, true);
      this.put(':');
      this.afterKey(v, indent);
    });
  }

  private sequence(items: YNode[], indent: number, firstInline: boolean): void {
    items.forEach((item, i) => {
      if (i === 0 && firstInline) this.put(' ');
      else this.lineStart(indent);
      this.put('-');
      this.inItem(item, indent);
    });
  }
}

/** Argo CD's toYaml: sigs.k8s.io/yaml.Marshal with the final newline trimmed. */
export function toYaml(v: unknown): string {
  let json: string;
  try {
    json = marshalJson(v);
  } catch (e) {
    if (e instanceof JsonError) throw new GoFuncError(`error marshaling into JSON: ${e.message}`);
    throw e;
  }
  const tree = treeFromJson(unmarshalJson(json), yamlNumber);
  const em = new Emitter();
  em.root(tree);
  // go-yaml ends the document with a newline, which Argo trims: a block scalar keeps its own.
  return em.out.endsWith('\n') ? em.out.slice(0, -1) : em.out;
}

// Reading -----------------------------------------------------------------------------------

function fromNode(node: YamlNode | null | undefined, doc: Document, depth: number): unknown {
  if (depth > 1000) throw new GoFuncError('error converting YAML to JSON: yaml: exceeded max depth');
  if (node === null || node === undefined) return null;
  if (isAlias(node)) return fromNode(node.resolve(doc), doc, depth + 1);
  if (isScalar(node)) {
    const raw = node.source ?? String(node.value);
    const tag = node.tag;
    if (tag === '!!str' || tag === 'tag:yaml.org,2002:str') return raw;
    if (node.type !== 'PLAIN' && tag === undefined) return raw;
    const r = resolvePlain(raw);
    switch (r.tag) {
      case 'float':
        if (!Number.isFinite(r.value)) {
          throw new GoFuncError(
            `error converting YAML to JSON: json: unsupported value: ${formatFloat(r.value, 'g', -1)}`,
          );
        }
        return r.value;
      case 'merge':
        return '<<';
      case 'bool':
      case 'int':
      case 'null':
      case 'str':
      case 'timestamp':
        return r.value;
    }
  }
  if (isSeq(node)) return node.items.map((x) => fromNode(x as YamlNode, doc, depth + 1));
  if (isMap(node)) {
    const out = newMap();
    const merges: unknown[] = [];
    for (const pair of node.items) {
      const keyNode = pair.key as YamlNode | null;
      const key = fromNode(keyNode, doc, depth + 1);
      if (key === '<<' && isScalar(keyNode) && keyNode.type === 'PLAIN') {
        const v = fromNode(pair.value as YamlNode, doc, depth + 1);
        if (Array.isArray(v)) merges.push(...(v as unknown[]));
        else merges.push(v);
        continue;
      }
      let k: string;
      if (typeof key === 'string') k = key;
      else if (typeof key === 'number') k = Number.isInteger(key) ? String(key) : formatFloat(key, 'g', -1);
      else if (typeof key === 'boolean') k = key ? 'true' : 'false';
      else
        throw new GoFuncError(
          `error converting YAML to JSON: unsupported map key of type: ${key === null ? '<nil>' : typeof key}`,
        );
      mapSet(out, k, fromNode(pair.value as YamlNode, doc, depth + 1));
    }
    for (const m of merges) {
      if (!isPlainMap(m)) continue;
      for (const [k, v] of Object.entries(m)) if (!Object.hasOwn(out, k)) mapSet(out, k, v);
    }
    return out;
  }
  return null;
}

function readYaml(s: string): unknown {
  const docs = parseAllDocuments(s, { schema: 'failsafe', uniqueKeys: false, strict: false });
  if (!Array.isArray(docs)) return null;
  const doc = docs[0];
  if (doc === undefined) return null;
  if (doc.errors.length > 0) {
    throw new GoFuncError(`error converting YAML to JSON: yaml: ${doc.errors[0]!.message.split('\n')[0]}`);
  }
  return fromNode(doc.contents, doc, 0);
}

function jsonKind(v: unknown): string {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return 'number';
  if (typeof v === 'boolean') return 'bool';
  if (Array.isArray(v)) return 'array';
  return 'object';
}

/** Argo CD's fromYaml: a map, or an error for any other YAML value. */
export function fromYaml(s: string): Record<string, unknown> {
  const v = readYaml(s);
  if (v === null) return newMap();
  if (!isPlainMap(v)) {
    throw new GoFuncError(
      `error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ${jsonKind(v)} into Go value of type map[string]interface {}`,
    );
  }
  return v;
}

/** Argo CD's fromYamlArray: a list, or an error for any other YAML value. */
export function fromYamlArray(s: string): unknown[] {
  const v = readYaml(s);
  if (v === null) return [];
  if (!Array.isArray(v)) {
    throw new GoFuncError(
      `error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ${jsonKind(v)} into Go value of type []interface {}`,
    );
  }
  return v;
}

// The subset of Airtable's formula language that filterByFormula needs here: field references,
// string/number literals, comparisons, `&`, AND/OR/NOT, TRUE/FALSE/BLANK, IS_BEFORE/IS_AFTER,
// NOW/DATEADD/DATETIME_DIFF (in UTC, as Airtable computes formulas without SET_TIMEZONE), LOWER/UPPER
// and RECORD_ID. Text is tokenized, parsed into a tree and walked: never eval'd.
// Anything outside the subset is a FormulaError (Airtable's 422 INVALID_FILTER_BY_FORMULA) rather
// than a guessed meaning, so a project formula that passes here means the same thing in Airtable.
import { DateTime, type DurationUnit } from 'luxon';
import { isIsoDateTimeText, parseIsoDateTime } from './iso-date-time';

/** A value inside a formula. `null` is BLANK(): an empty cell. */
export type FormulaValue = string | number | boolean | Date | null;

/** The formula cannot be parsed or uses something outside the subset. */
export class FormulaError extends Error {}

/** Airtable's #ERROR while evaluating for one record (e.g. IS_BEFORE on text that is not a date): that record is left out. */
export class FormulaRuntimeError extends Error {}

export interface FormulaRecord {
  readonly id: string;
  /** The cell as a formula sees it: null when empty (an unchecked checkbox may be false). */
  field(name: string): FormulaValue;
}

export interface Formula {
  /** Every field the formula refers to, for the caller to check against the table. */
  readonly fieldNames: readonly string[];
  /** Throws FormulaRuntimeError on Airtable's #ERROR. */
  evaluate(record: FormulaRecord): FormulaValue;
  /** Whether filterByFormula keeps the record: a truthy result, and no #ERROR. */
  matches(record: FormulaRecord): boolean;
}

type ComparisonOp = '=' | '!=' | '<' | '>' | '<=' | '>=';
type Node =
  | { readonly kind: 'literal'; readonly value: FormulaValue }
  | { readonly kind: 'field'; readonly name: string }
  | { readonly kind: 'call'; readonly name: FunctionName; readonly args: readonly Node[] }
  | { readonly kind: 'compare'; readonly op: ComparisonOp; readonly left: Node; readonly right: Node }
  | { readonly kind: 'concat'; readonly left: Node; readonly right: Node }
  | { readonly kind: 'negate'; readonly operand: Node };

type Token =
  | { readonly kind: 'number'; readonly value: number; readonly at: number }
  | { readonly kind: 'string'; readonly value: string; readonly at: number }
  | { readonly kind: 'field'; readonly name: string; readonly at: number }
  | { readonly kind: 'ident'; readonly name: string; readonly at: number }
  | { readonly kind: 'punct'; readonly text: string; readonly at: number }
  | { readonly kind: 'end'; readonly at: number };

/** Name → [min args, max args]. Airtable's function names are case-insensitive. */
const FUNCTIONS = {
  AND: [1, Infinity],
  OR: [1, Infinity],
  NOT: [1, 1],
  TRUE: [0, 0],
  FALSE: [0, 0],
  BLANK: [0, 0],
  IS_BEFORE: [2, 2],
  IS_AFTER: [2, 2],
  NOW: [0, 0],
  DATEADD: [3, 3],
  DATETIME_DIFF: [2, 3],
  LOWER: [1, 1],
  UPPER: [1, 1],
  RECORD_ID: [0, 0],
} as const satisfies Record<string, readonly [number, number]>;
type FunctionName = keyof typeof FUNCTIONS;

const COMPARISON_OPS: readonly string[] = ['=', '!=', '<', '>', '<=', '>='];
const ESCAPES: Record<string, string> = { '\\': '\\', "'": "'", '"': '"', n: '\n', t: '\t', r: '\r' };
/** Deeper nesting than any real filter; stops a hostile formula from exhausting the stack. */
const MAX_DEPTH = 100;

export function parseFormula(source: string): Formula {
  const root = new Parser(tokenize(source)).parseAll();
  const fieldNames = [...new Set(collectFieldNames(root))];
  return {
    fieldNames,
    evaluate: (record) => evaluate(root, record),
    matches(record) {
      try {
        return isTruthy(evaluate(root, record));
      } catch (error) {
        if (error instanceof FormulaRuntimeError) return false;
        throw error;
      }
    },
  };
}

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  const number = /(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/y;
  const ident = /[A-Za-z_][A-Za-z0-9_]*/y;
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    if (/\s/.test(c)) {
      i++;
    } else if (c === "'" || c === '"') {
      const [value, next] = readString(source, i);
      tokens.push({ kind: 'string', value, at: i });
      i = next;
    } else if (c === '{') {
      const end = source.indexOf('}', i + 1);
      if (end < 0) throw new FormulaError(`unclosed field reference at ${i}`);
      const name = source.slice(i + 1, end);
      if (name.trim() === '') throw new FormulaError(`empty field reference at ${i}`);
      tokens.push({ kind: 'field', name, at: i });
      i = end + 1;
    } else if (/[\d.]/.test(c)) {
      number.lastIndex = i;
      const match = number.exec(source);
      if (!match) throw new FormulaError(`unexpected '${c}' at ${i}`);
      tokens.push({ kind: 'number', value: Number(match[0]), at: i });
      i += match[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      ident.lastIndex = i;
      const name = ident.exec(source)![0];
      tokens.push({ kind: 'ident', name, at: i });
      i += name.length;
    } else {
      const two = source.slice(i, i + 2);
      const text = ['!=', '<=', '>='].includes(two) ? two : '(),=<>&-'.includes(c) ? c : undefined;
      if (!text) throw new FormulaError(`unexpected '${c}' at ${i}`);
      tokens.push({ kind: 'punct', text, at: i });
      i += text.length;
    }
  }
  tokens.push({ kind: 'end', at: source.length });
  return tokens;
}

/** A quoted string starting at `start`; returns its value and the index after the closing quote. */
function readString(source: string, start: number): [string, number] {
  const quote = source[start];
  let value = '';
  for (let i = start + 1; i < source.length; i++) {
    const c = source[i];
    if (c === quote) return [value, i + 1];
    if (c === '\\') {
      const escaped = ESCAPES[source[i + 1]];
      if (escaped === undefined) throw new FormulaError(`unsupported escape '\\${source[i + 1] ?? ''}' at ${i}`);
      value += escaped;
      i++;
    } else {
      value += c;
    }
  }
  throw new FormulaError(`unterminated string starting at ${start}`);
}

// Precedence, loosest first: comparisons, then `&`, then unary minus.
class Parser {
  private pos = 0;
  private depth = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  parseAll(): Node {
    const node = this.comparison();
    const rest = this.peek();
    if (rest.kind !== 'end') throw new FormulaError(`unexpected ${describe(rest)} at ${rest.at}`);
    return node;
  }

  private comparison(): Node {
    let left = this.concat();
    for (let t = this.peek(); t.kind === 'punct' && COMPARISON_OPS.includes(t.text); t = this.peek()) {
      this.pos++;
      left = { kind: 'compare', op: t.text as ComparisonOp, left, right: this.concat() };
    }
    return left;
  }

  private concat(): Node {
    let left = this.unary();
    while (this.acceptPunct('&')) left = { kind: 'concat', left, right: this.unary() };
    return left;
  }

  private unary(): Node {
    if (this.acceptPunct('-')) return { kind: 'negate', operand: this.nested(() => this.unary()) };
    return this.primary();
  }

  private primary(): Node {
    const t = this.next();
    switch (t.kind) {
      case 'number':
        return { kind: 'literal', value: t.value };
      case 'string':
        return { kind: 'literal', value: t.value };
      case 'field':
        return { kind: 'field', name: t.name };
      case 'ident':
        // A bare word is a field reference unless a call follows, as in Airtable (`Status = 'Booked'`).
        return this.acceptPunct('(') ? this.call(t.name, t.at) : { kind: 'field', name: t.name };
      case 'punct':
        if (t.text === '(') {
          const inner = this.nested(() => this.comparison());
          this.expectPunct(')');
          return inner;
        }
        break;
    }
    throw new FormulaError(`unexpected ${describe(t)} at ${t.at}`);
  }

  private call(rawName: string, at: number): Node {
    const name = rawName.toUpperCase();
    if (!Object.hasOwn(FUNCTIONS, name)) throw new FormulaError(`unknown or unsupported function ${rawName}() at ${at}`);
    const fn = name as FunctionName;
    const args: Node[] = [];
    if (!this.acceptPunct(')')) {
      do args.push(this.nested(() => this.comparison()));
      while (this.acceptPunct(','));
      this.expectPunct(')');
    }
    const [min, max] = FUNCTIONS[fn];
    if (args.length < min || args.length > max) throw new FormulaError(`${fn}() takes ${min === max ? min : `${min} or more`} argument(s), got ${args.length}`);
    return { kind: 'call', name: fn, args };
  }

  private nested(parse: () => Node): Node {
    if (++this.depth > MAX_DEPTH) throw new FormulaError('formula nested too deeply');
    try {
      return parse();
    } finally {
      this.depth--;
    }
  }

  private peek(): Token {
    return this.tokens[this.pos];
  }

  private next(): Token {
    const t = this.tokens[this.pos];
    if (t.kind !== 'end') this.pos++;
    return t;
  }

  private acceptPunct(text: string): boolean {
    const t = this.peek();
    if (t.kind === 'punct' && t.text === text) {
      this.pos++;
      return true;
    }
    return false;
  }

  private expectPunct(text: string): void {
    const t = this.peek();
    if (!this.acceptPunct(text)) throw new FormulaError(`expected '${text}' but found ${describe(t)} at ${t.at}`);
  }
}

function describe(t: Token): string {
  switch (t.kind) {
    case 'end':
      return 'end of formula';
    case 'punct':
      return `'${t.text}'`;
    case 'ident':
      return `'${t.name}'`;
    case 'field':
      return `{${t.name}}`;
    default:
      return `${t.kind} ${JSON.stringify(t.value)}`;
  }
}

function collectFieldNames(node: Node): string[] {
  switch (node.kind) {
    case 'field':
      return [node.name];
    case 'literal':
      return [];
    case 'negate':
      return collectFieldNames(node.operand);
    case 'call':
      return node.args.flatMap(collectFieldNames);
    case 'compare':
    case 'concat':
      return [...collectFieldNames(node.left), ...collectFieldNames(node.right)];
  }
}

function evaluate(node: Node, record: FormulaRecord): FormulaValue {
  switch (node.kind) {
    case 'literal':
      return node.value;
    case 'field':
      return record.field(node.name);
    case 'negate':
      return -toNumber(evaluate(node.operand, record));
    case 'concat':
      return toText(evaluate(node.left, record)) + toText(evaluate(node.right, record));
    case 'compare':
      return compareValues(node.op, evaluate(node.left, record), evaluate(node.right, record));
    case 'call':
      return callFunction(node.name, node.args, record);
  }
}

function callFunction(name: FunctionName, args: readonly Node[], record: FormulaRecord): FormulaValue {
  const arg = (i: number) => evaluate(args[i], record);
  switch (name) {
    case 'AND':
      return args.every((a) => isTruthy(evaluate(a, record)));
    case 'OR':
      return args.some((a) => isTruthy(evaluate(a, record)));
    case 'NOT':
      return !isTruthy(arg(0));
    case 'TRUE':
      return true;
    case 'FALSE':
      return false;
    case 'BLANK':
      return null;
    case 'IS_BEFORE':
    case 'IS_AFTER': {
      const [a, b] = [toDate(arg(0)), toDate(arg(1))];
      if (!a || !b) return null;
      return name === 'IS_BEFORE' ? a.getTime() < b.getTime() : a.getTime() > b.getTime();
    }
    case 'NOW':
      return new Date();
    case 'DATEADD': {
      const date = toDate(arg(0));
      const count = toNumber(arg(1));
      if (!date) return null;
      if (Number.isNaN(count)) throw new FormulaRuntimeError(`DATEADD count is not a number: ${toText(arg(1))}`);
      return DateTime.fromJSDate(date, { zone: 'utc' }).plus({ [toUnit(arg(2))]: count }).toJSDate();
    }
    case 'DATETIME_DIFF': {
      const [a, b] = [toDate(arg(0)), toDate(arg(1))];
      const unit = args.length > 2 ? toUnit(arg(2)) : 'seconds';
      if (!a || !b) return null;
      // date1 − date2 in whole units, truncated toward zero (Airtable answers 0 for less than one unit).
      return Math.trunc(DateTime.fromJSDate(a, { zone: 'utc' }).diff(DateTime.fromJSDate(b, { zone: 'utc' }), unit).as(unit));
    }
    case 'LOWER':
      return toText(arg(0)).toLowerCase();
    case 'UPPER':
      return toText(arg(0)).toUpperCase();
    case 'RECORD_ID':
      return record.id;
  }
}

function compareValues(op: ComparisonOp, a: FormulaValue, b: FormulaValue): boolean {
  if (op === '=') return isEqual(a, b);
  if (op === '!=') return !isEqual(a, b);
  const order = compareOrder(a, b);
  if (order === undefined) return false;
  if (op === '<') return order < 0;
  if (op === '>') return order > 0;
  if (op === '<=') return order <= 0;
  return order >= 0;
}

/** Airtable's blank: an empty cell equals '', 0 and FALSE() as well as BLANK(). */
function isBlankLike(v: FormulaValue): boolean {
  return v === null || v === '' || v === 0 || v === false;
}

function isEqual(a: FormulaValue, b: FormulaValue): boolean {
  if (a === null || b === null) return isBlankLike(a) && isBlankLike(b);
  if (a instanceof Date || b instanceof Date) {
    const [x, y] = [dateOrUndefined(a), dateOrUndefined(b)];
    return x !== undefined && y !== undefined && x.getTime() === y.getTime();
  }
  if (typeof a === 'string' && typeof b === 'string') return a === b;
  if (typeof a === 'string' || typeof b === 'string') {
    // Text against a number or checkbox: equal only when the text is that number.
    const [text, other] = typeof a === 'string' ? [a, b] : [b as string, a];
    if (text === '') return isBlankLike(other);
    const n = numberFromText(text);
    return n !== undefined && n === toNumber(other);
  }
  return toNumber(a) === toNumber(b);
}

/** Negative, zero or positive; undefined when the two cannot be ordered (the comparison is false). */
function compareOrder(a: FormulaValue, b: FormulaValue): number | undefined {
  const dateLike = (v: FormulaValue) => v instanceof Date || (typeof v === 'string' && isIsoDateTimeText(v));
  if (a instanceof Date || b instanceof Date || (dateLike(a) && dateLike(b))) {
    const [x, y] = [dateOrUndefined(a), dateOrUndefined(b)];
    return x && y ? x.getTime() - y.getTime() : undefined;
  }
  const [x, y] = [toNumber(a), toNumber(b)];
  return Number.isNaN(x) || Number.isNaN(y) ? undefined : x - y;
}

function isTruthy(v: FormulaValue): boolean {
  if (v === null) return false;
  if (typeof v === 'string') return v !== '';
  if (typeof v === 'number') return v !== 0 && !Number.isNaN(v);
  if (typeof v === 'boolean') return v;
  return true;
}

function toNumber(v: FormulaValue): number {
  if (v === null) return 0;
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string') return numberFromText(v) ?? NaN;
  return NaN;
}

function numberFromText(text: string): number | undefined {
  const trimmed = text.trim();
  return /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/.test(trimmed) ? Number(trimmed) : undefined;
}

function toText(v: FormulaValue): string {
  if (v === null) return '';
  if (typeof v === 'boolean') return v ? '1' : '0';
  if (v instanceof Date) return v.toISOString();
  return String(v);
}

function dateOrUndefined(v: FormulaValue): Date | undefined {
  if (v instanceof Date) return v;
  return typeof v === 'string' ? parseIsoDateTime(v) : undefined;
}

/** A date argument: null when blank, #ERROR when it is not a date. */
function toDate(v: FormulaValue): Date | null {
  if (v === null || v === '') return null;
  const date = dateOrUndefined(v);
  if (!date) throw new FormulaRuntimeError(`not a date: ${toText(v)}`);
  return date;
}

// Airtable's unit specifiers (moment.js's): long names, plurals and the short forms; `M` is months, `m` minutes.
const UNITS: ReadonlyMap<string, DurationUnit> = new Map<string, DurationUnit>([
  ['ms', 'milliseconds'], ['millisecond', 'milliseconds'], ['milliseconds', 'milliseconds'],
  ['s', 'seconds'], ['second', 'seconds'], ['seconds', 'seconds'],
  ['m', 'minutes'], ['minute', 'minutes'], ['minutes', 'minutes'],
  ['h', 'hours'], ['hour', 'hours'], ['hours', 'hours'],
  ['d', 'days'], ['day', 'days'], ['days', 'days'],
  ['w', 'weeks'], ['week', 'weeks'], ['weeks', 'weeks'],
  ['M', 'months'], ['month', 'months'], ['months', 'months'],
  ['Q', 'quarters'], ['quarter', 'quarters'], ['quarters', 'quarters'],
  ['y', 'years'], ['year', 'years'], ['years', 'years'],
]);

function toUnit(v: FormulaValue): DurationUnit {
  const text = toText(v).trim();
  const unit = UNITS.get(text) ?? UNITS.get(text.toLowerCase());
  if (!unit || (text.length === 1 && !UNITS.has(text))) throw new FormulaRuntimeError(`not a unit: ${text}`);
  return unit;
}

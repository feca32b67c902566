import { EVENT_ACTIONS, EVENT_OUTCOMES, type AccessEvent } from '../ledger/index.js';
import { BytesTable, ID_VALUE, LIST_VALUE, TEXT_VALUE } from './bytes-table.js';

/**
 * A reader specialised for the access-event line (DESIGN.md contract) as the ledger and the simulator write it:
 * one compact JSON object per line, string members with no escape and nothing outside printable ASCII. It works
 * on the bytes of a chunk (indexing bytes is several times cheaper than `charCodeAt`), takes the strings it
 * must create from the chunk's latin1 text (one character per byte, so the offsets are the same), checks each
 * member against the event rules (those of `eventProblem` and `accessEventSchema`: id characters and lengths,
 * the time form and calendar, action and outcome names, text lengths, list sizes, a safe non-negative integer
 * count), and builds the event with one fixed shape, so the detectors' property reads stay monomorphic.
 *
 * Repeated values (actors, sessions, devices, systems, purposes, addresses, action and outcome names, whole
 * `fields` lists) are interned by their bytes in a hash table: a value met again costs no allocation
 * and yields the same string object (or the same frozen list), so the detectors compare and look them up by
 * identity with the hash already cached. Customer, event and ticket ids are checked and cut, not interned
 * (there are too many of them, or they are met once, for a table lookup to pay).
 *
 * Anything it does not fully understand (whitespace between tokens, an escape, a byte outside printable ASCII,
 * a member it does not know or one seen twice, `detail`, `null`, a number that is not a plain integer, a
 * missing required member, a value that breaks a rule) makes it answer `undefined`, and the caller falls back
 * to `JSON.parse` and the usual validation. So the fast path only ever accepts a line that the fallback would
 * accept with the same value; a differential test holds it to that.
 */
export class EventLineReader {
  private readonly table: BytesTable;
  /** The list last read by `subjects` or `fields`, and the string last read by `value`. */
  private list: readonly string[] = EMPTY;
  private last = '';
  /** The offset in the bytes of the text's first character (see `read`). */
  private base = 0;
  /** Milliseconds of the last event read (its `time`), valid after `read` returned an event. */
  timeMs = NaN;
  private cachedDay = -1;
  private cachedMidnight = 0;
  /** The member that followed each member (and, last, the opening brace) in the last line: lines repeat their order. */
  private readonly nextMember = new Int8Array(MEMBER_NAMES.length + 1).fill(-1);
  /** Per member, the table entry of its value in the last line (-1: none): outcomes, actions, systems repeat. */
  private readonly lastOf = new Int32Array(MEMBER_NAMES.length).fill(-1);
  /** Per actor (by table entry), the entries of the session, address, device and fields of its last event (-1: none). */
  private byActor = new Int32Array(BY_ACTOR * 1024).fill(-1);
  /** The table entry of the list `fields` last read (-1: the empty list, or one not kept). */
  private listEntry = -1;
  /** The last action and outcome found on their lists (only ever set to a value that is). */
  private lastAction: string | undefined;
  private lastOutcome: string | undefined;

  /**
   * `maxInterned` values (actors, sessions, devices, texts, lists) at most are kept, whose bytes take at most
   * `maxInternedBytes`; past either, values are still read, not kept (smaller bounds let a test reach them).
   */
  constructor({ maxInterned = MAX_INTERNED, maxInternedBytes = MAX_INTERNED_BYTES }: { maxInterned?: number; maxInternedBytes?: number } = {}) {
    this.table = new BytesTable(maxInterned, maxInternedBytes);
    this.seed([...EVENT_ACTIONS, ...EVENT_OUTCOMES]);
  }

  /** What the reader holds: values kept and their bytes, and the actors it has room to remember guesses for. */
  get held(): { entries: number; bytes: number; actors: number } {
    return { ...this.table.kept, actors: this.byActor.length / BY_ACTOR };
  }

  /** Seeds strings the caller compares against (field names, systems), so that events share these very objects. */
  seed(values: Iterable<string>): void {
    for (const v of values) {
      if (v.length === 0 || v.length > 64 || !TEXT_RE.test(v)) continue;
      const bytes = Buffer.from(v, 'latin1');
      const h = hashOf(bytes, 0, bytes.length);
      if (this.table.find(bytes, 0, bytes.length, h, TEXT_VALUE) < 0) this.table.keepString(bytes, 0, bytes.length, h, TEXT_VALUE, v);
    }
  }

  /**
   * Reads the event on `bytes[from, to)` (no line break inside); `text` is the latin1 decoding of bytes from
   * `base` on, covering the line (`text[k]` is `bytes[base + k]`). Answers undefined when the line is not in
   * the form it understands.
   */
  read(bytes: Uint8Array, text: string, from: number, to: number, base = 0): AccessEvent | undefined {
    this.base = base;
    if (to - from < 2 || bytes[from] !== LBRACE || bytes[to - 1] !== RBRACE) return undefined;
    let seen = 0;
    let prev: number = MEMBER_NAMES.length;
    let id = '';
    let time = '';
    let actor = '';
    let action = '';
    let system = '';
    let subjects: readonly string[] = EMPTY;
    let fields: readonly string[] = EMPTY;
    let purpose: string | undefined;
    let ticket: string | undefined;
    let session: string | undefined;
    let ip: string | undefined;
    let device: string | undefined;
    let outcome = '';
    let count: number | undefined;
    let reason: string | undefined;
    let actorEntry = -1;
    let i = from + 1;
    const end = to - 1;
    if (i === end) return undefined;
    for (;;) {
      // "key":
      if (bytes[i] !== QUOTE) return undefined;
      // The member the last line had here, checked byte by byte, else found by its name.
      const guess = this.nextMember[prev]!;
      const member = guess >= 0 && isMemberAt(bytes, i + 1, guess) ? guess : memberAt(bytes, i + 1);
      if (member < 0) return undefined;
      if (member !== guess) this.nextMember[prev] = member;
      prev = member;
      const bit = 1 << member;
      if ((seen & bit) !== 0) return undefined;
      seen |= bit;
      i += KEY_SKIP[member]!;
      if (member === M_TIME) {
        if (i + 26 > end || bytes[i] !== QUOTE || bytes[i + 25] !== QUOTE) return undefined;
        const ms = this.time(bytes, i + 1);
        if (Number.isNaN(ms)) return undefined;
        this.timeMs = ms;
        time = text.slice(i + 1 - base, i + 25 - base);
        i += 26;
      } else if (member === M_SUBJECTS) {
        i = this.subjects(bytes, text, i, end);
        if (i < 0) return undefined;
        subjects = this.list;
      } else if (member === M_FIELDS) {
        const byActor = actorEntry >= 0 && BY_ACTOR * actorEntry < this.byActor.length;
        i = this.fields(bytes, text, i, end, byActor ? this.byActor[BY_ACTOR * actorEntry + 3]! : this.lastOf[member]!);
        if (i < 0) return undefined;
        this.lastOf[member] = this.listEntry;
        if (byActor) this.byActor[BY_ACTOR * actorEntry + 3] = this.listEntry;
        fields = this.list;
      } else if (member === M_COUNT) {
        let j = i;
        let n = 0;
        for (let c = bytes[j]!; c >= 48 && c <= 57; c = bytes[++j]!) n = n * 10 + (c - 48);
        // Plain digits only: no sign, fraction or exponent, no leading zero, at most 15 digits (a safe integer).
        if (j === i || j - i > 15 || (bytes[i] === 48 && j - i > 1)) return undefined;
        count = n;
        i = j;
      } else if (member === M_ID || member === M_TICKET) {
        // Nearly every event and ticket id is new: checked and cut, not interned.
        if (bytes[i] !== QUOTE) return undefined;
        let j = i + 1;
        while (j - i <= 129 && bytes[j]! < 128 && (CLASS[bytes[j]!]! & ID_VALUE) !== 0) j++;
        if (bytes[j] !== QUOTE || j === i + 1 || j - i > 129) return undefined;
        const v = detach(text.slice(i + 1 - base, j - base));
        if (member === M_ID) id = v;
        else ticket = v;
        i = j + 1;
      } else {
        const cls = member === M_ACTOR || member === M_SESSION || member === M_DEVICE ? ID_VALUE : TEXT_VALUE;
        // The value this member most likely has: an actor's session, address and device are those of its last
        // event, and other members often repeat the last line's. Only a guess: `value` checks it byte by byte.
        const context = member === M_SESSION ? 0 : member === M_IP ? 1 : member === M_DEVICE ? 2 : -1;
        const byActor = context >= 0 && actorEntry >= 0 && BY_ACTOR * actorEntry < this.byActor.length;
        const j = this.value(bytes, text, i, end, cls, byActor ? this.byActor[BY_ACTOR * actorEntry + context]! : this.lastOf[member]!);
        if (j < 0) return undefined;
        const entry = this.table.lastEntry;
        this.lastOf[member] = entry;
        if (member === M_ACTOR) {
          actorEntry = entry;
          if (entry >= 0 && BY_ACTOR * entry >= this.byActor.length) this.growByActor(entry);
        } else if (byActor) this.byActor[BY_ACTOR * actorEntry + context] = entry;
        const len = j - i - 2;
        const v = this.last;
        switch (member) {
          case M_ACTOR:
            actor = v;
            break;
          case M_SESSION:
            session = v;
            break;
          case M_DEVICE:
            device = v;
            break;
          case M_ACTION:
            // The last action and outcome taken are known to be on their lists.
            if (v !== this.lastAction && !ACTIONS.has(v)) return undefined;
            this.lastAction = v;
            action = v;
            break;
          case M_OUTCOME:
            if (v !== this.lastOutcome && !OUTCOMES.has(v)) return undefined;
            this.lastOutcome = v;
            outcome = v;
            break;
          case M_SYSTEM:
            if (len < 1 || len > 64) return undefined;
            system = v;
            break;
          case M_PURPOSE:
            if (len < 1 || len > 64) return undefined;
            purpose = v;
            break;
          case M_IP:
            if (len > 64) return undefined;
            ip = v;
            break;
          default:
            if (len > 64) return undefined;
            reason = v;
        }
        i = j;
      }
      if (i > end) return undefined;
      if (i === end) break;
      if (bytes[i] !== COMMA) return undefined;
      i++;
    }
    if ((seen & REQUIRED) !== REQUIRED) return undefined;
    return { id, time, actor, action, system, subjects, fields, purpose, ticket, session, ip, device, outcome, count, reason } as AccessEvent;
  }

  private growByActor(entry: number): void {
    const bigger = new Int32Array(Math.max(2 * this.byActor.length, BY_ACTOR * (entry + 1))).fill(-1);
    bigger.set(this.byActor);
    this.byActor = bigger;
  }

  /**
   * Reads the string at `i` (its opening quote) whose bytes are all of class `cls` (an id: 1–128 of
   * `[A-Za-z0-9._:@-]`; text: up to 128 printable ASCII but quote and backslash), interned, into `last` (its
   * entry in `table.lastEntry`). `guess` is the entry it most likely is (-1: none): when the bytes there are
   * that entry's bytes followed by the closing quote, the value is that entry (its bytes passed this very check
   * when it was kept, none of them a quote), with no hashing and no probe. Returns the index after its closing
   * quote, or -1.
   */
  private value(bytes: Uint8Array, text: string, i: number, end: number, cls: number, guess = -1): number {
    if (bytes[i] !== QUOTE) return -1;
    const start = i + 1;
    if (guess >= 0) {
      const q = this.table.matchAt(guess, bytes, start, end, cls, QUOTE);
      if (q >= 0) {
        this.last = this.table.stringOf(guess);
        return q + 1;
      }
    }
    let h = FNV_OFFSET;
    let j = start;
    for (let c = bytes[j]!; c !== QUOTE; c = bytes[++j]!) {
      if (!(c < 128 && (CLASS[c]! & cls) !== 0) || j - start >= 128) return -1;
      h = Math.imul(h ^ c, FNV_PRIME);
    }
    if (j >= end || (cls === ID_VALUE && j === start)) return -1;
    const e = this.table.find(bytes, start, j, h, cls);
    this.table.lastEntry = e;
    this.last = e >= 0 ? this.table.stringOf(e) : this.table.keepString(bytes, start, j, h, cls, detach(text.slice(start - this.base, j - this.base)));
    return j + 1;
  }

  /** Reads a `subjects` list (ids, at most 10,000) into `list`; returns the index after `]`, or -1. */
  private subjects(bytes: Uint8Array, text: string, i: number, end: number): number {
    if (bytes[i] !== LBRACKET) return -1;
    i++;
    if (bytes[i] === RBRACKET) {
      this.list = EMPTY;
      return i + 1;
    }
    let out: string[] | undefined;
    for (;;) {
      if (bytes[i] !== QUOTE) return -1;
      let j = i + 1;
      while (j - i <= 129 && bytes[j]! < 128 && (CLASS[bytes[j]!]! & ID_VALUE) !== 0) j++;
      if (bytes[j] !== QUOTE || j === i + 1 || j - i > 129 || j >= end) return -1;
      const v = detach(text.slice(i + 1 - this.base, j - this.base));
      const c = bytes[j + 1];
      // One subject (most events) makes a list of one; more grow one list.
      if (out === undefined && c === RBRACKET) {
        this.list = [v];
        return j + 2;
      }
      (out ??= []).push(v);
      if (out.length > 10_000) return -1;
      if (c === RBRACKET) {
        this.list = out;
        return j + 2;
      }
      if (c !== COMMA) return -1;
      i = j + 2;
    }
  }

  /**
   * Reads a `fields` list (text 1–64, at most 256) into `list` (its entry into `listEntry`): the whole list is
   * interned by its bytes and shared, frozen (a list the table had no room for is neither). `guess` is the list entry it most likely is (as for `value`: a
   * kept list's bytes have no `]` and passed every check). Returns the index after `]`, or -1.
   */
  private fields(bytes: Uint8Array, text: string, i: number, end: number, guess: number): number {
    if (bytes[i] !== LBRACKET) return -1;
    this.listEntry = -1;
    if (bytes[i + 1] === RBRACKET) {
      this.list = EMPTY;
      return i + 2;
    }
    if (guess >= 0) {
      const q = this.table.matchAt(guess, bytes, i + 1, end, LIST_VALUE, RBRACKET);
      if (q >= 0) {
        this.list = this.table.list(guess);
        this.listEntry = guess;
        return q + 1;
      }
    }
    // The list's extent and hash; its members are checked when it is first met.
    let h = FNV_OFFSET;
    let j = i + 1;
    for (let c = bytes[j]!; c !== RBRACKET; c = bytes[++j]!) {
      if (!(c >= 0x20 && c < 0x7f && c !== BACKSLASH) || j >= end) return -1;
      h = Math.imul(h ^ c, FNV_PRIME);
    }
    const close = j;
    const known = this.table.find(bytes, i + 1, close, h, LIST_VALUE);
    if (known >= 0) {
      this.list = this.table.list(known);
      this.listEntry = known;
      return close + 1;
    }
    const out: string[] = [];
    let k = i + 1;
    for (;;) {
      const q = this.value(bytes, text, k, close + 1, TEXT_VALUE);
      if (q < 0 || q > close || q - k - 2 < 1 || q - k - 2 > 64) return -1;
      out.push(this.last);
      if (out.length > 256) return -1;
      if (q === close) break;
      if (bytes[q] !== COMMA) return -1;
      k = q + 1;
    }
    this.table.keepList(bytes, i + 1, close, h, out);
    this.listEntry = this.table.lastEntry;
    // Only a kept list is shared, and only a shared list is frozen: the detector remembers a person's last
    // frozen list, which then costs nothing the table does not already hold (bytes-table.ts's bound).
    this.list = this.listEntry >= 0 ? Object.freeze(out) : out;
    return close + 1;
  }

  /**
   * Milliseconds of a `YYYY-MM-DDTHH:MM:SS.sssZ` time at `i` (the form `accessEventSchema` requires, with a
   * real calendar date), or NaN. The date's midnight is cached: events come in time order.
   */
  private time(b: Uint8Array, i: number): number {
    if (b[i + 4] !== DASH || b[i + 7] !== DASH || b[i + 10] !== 84 || b[i + 13] !== COLON || b[i + 16] !== COLON || b[i + 19] !== DOT || b[i + 23] !== 90) return NaN;
    const year = digits(b, i, 4);
    const month = digits(b, i + 5, 2);
    const day = digits(b, i + 8, 2);
    const h = digits(b, i + 11, 2);
    const m = digits(b, i + 14, 2);
    const s = digits(b, i + 17, 2);
    const ms = digits(b, i + 20, 3);
    if (!(year >= 0 && month >= 1 && month <= 12 && day >= 1 && h >= 0 && h < 24 && m >= 0 && m < 60 && s >= 0 && s < 60 && ms >= 0)) return NaN;
    const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
    const days = month === 2 ? (leap ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
    if (day > days) return NaN;
    const key = (year * 16 + month) * 32 + day;
    if (key !== this.cachedDay) {
      // Date.UTC reads years 0–99 as 1900–1999; such times go to the fallback.
      if (year < 100) return NaN;
      this.cachedDay = key;
      this.cachedMidnight = Date.UTC(year, month - 1, day);
    }
    return this.cachedMidnight + ((h * 60 + m) * 60 + s) * 1000 + ms;
  }
}

function hashOf(bytes: Uint8Array, from: number, to: number): number {
  let h = FNV_OFFSET;
  for (let i = from; i < to; i++) h = Math.imul(h ^ bytes[i]!, FNV_PRIME);
  return h;
}

/** `n` decimal digits at `i`, or a negative number when one is not a digit. */
function digits(b: Uint8Array, i: number, n: number): number {
  let v = 0;
  for (let k = 0; k < n; k++) {
    const d = b[i + k]! - 48;
    if (!(d >= 0 && d <= 9)) return -1;
    v = v * 10 + d;
  }
  return v;
}

const MEMBER_NAMES = ['id', 'time', 'actor', 'action', 'system', 'subjects', 'fields', 'purpose', 'ticket', 'session', 'ip', 'device', 'outcome', 'count', 'reason'] as const;
const M_ID = 0;
const M_TIME = 1;
const M_ACTOR = 2;
const M_ACTION = 3;
const M_SYSTEM = 4;
const M_SUBJECTS = 5;
const M_FIELDS = 6;
const M_PURPOSE = 7;
const M_TICKET = 8;
const M_SESSION = 9;
const M_IP = 10;
const M_DEVICE = 11;
const M_OUTCOME = 12;
const M_COUNT = 13;
const REQUIRED = (1 << M_ID) | (1 << M_TIME) | (1 << M_ACTOR) | (1 << M_ACTION) | (1 << M_SYSTEM) | (1 << M_SUBJECTS) | (1 << M_FIELDS) | (1 << M_OUTCOME);

/** A perfect hash of a member name by its length and first two characters (checked when the module loads). */
const keyHash = (len: number, c0: number, c1: number): number => (len + c0 * 3 + c1 * 7) & 63;
const MEMBER_BY_HASH = new Int8Array(64).fill(-1);
const MEMBER_BYTES = MEMBER_NAMES.map((name) => Uint8Array.from(name, (c) => c.charCodeAt(0)));
/** Per member: bytes from the key's opening quote to its value (`"name":`). */
const KEY_SKIP = Int8Array.from(MEMBER_NAMES, (name) => name.length + 3);
/** Per member, the bytes of `name":` as little-endian words (3 a member) and the masks of its 2nd and 3rd words (2 a member). */
const KEY_WORDS = new Int32Array(3 * MEMBER_NAMES.length);
const KEY_MASKS = new Int32Array(2 * MEMBER_NAMES.length);
for (let m = 0; m < MEMBER_NAMES.length; m++) {
  const key = `${MEMBER_NAMES[m]!}":`;
  if (key.length < 4 || key.length > 10) throw new Error('event-line: member key length');
  for (let k = 0; k < key.length; k++) KEY_WORDS[3 * m + (k >> 2)]! |= key.charCodeAt(k) << (8 * (k & 3));
  for (let k = 4; k < 12; k++) if (k < key.length) KEY_MASKS[2 * m + ((k >> 2) - 1)]! |= 0xff << (8 * (k & 3));
}
for (let m = 0; m < MEMBER_NAMES.length; m++) {
  const name = MEMBER_NAMES[m]!;
  const h = keyHash(name.length, name.charCodeAt(0), name.charCodeAt(1));
  if (MEMBER_BY_HASH[h] !== -1) throw new Error('event-line: member hash collision');
  MEMBER_BY_HASH[h] = m;
}

/**
 * Whether member `m`'s name, its closing quote and a colon (4–10 bytes) start at `i` (what `memberAt` would
 * answer `m` for), compared four bytes at a time against the key's words (bytes past the key masked off; a
 * byte past the end of `b` reads as 0, which no key byte is).
 */
function isMemberAt(b: Uint8Array, i: number, m: number): boolean {
  if ((b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24)) !== KEY_WORDS[3 * m]) return false;
  const len = KEY_SKIP[m]! - 1;
  if (len <= 4) return true;
  if (((b[i + 4]! | (b[i + 5]! << 8) | (b[i + 6]! << 16) | (b[i + 7]! << 24)) & KEY_MASKS[2 * m]!) !== KEY_WORDS[3 * m + 1]) return false;
  return len <= 8 || ((b[i + 8]! | (b[i + 9]! << 8)) & KEY_MASKS[2 * m + 1]!) === KEY_WORDS[3 * m + 2];
}

/** The member whose name (and closing quote and colon) starts at `i`, or -1. */
function memberAt(b: Uint8Array, i: number): number {
  let j = i;
  while (j - i < 9 && b[j] !== QUOTE) j++;
  const len = j - i;
  if (len < 2 || len > 8 || b[j + 1] !== COLON) return -1;
  const m = MEMBER_BY_HASH[keyHash(len, b[i]!, b[i + 1]!)]!;
  if (m < 0) return -1;
  const name = MEMBER_BYTES[m]!;
  if (name.length !== len) return -1;
  for (let k = 0; k < len; k++) if (name[k] !== b[i + k]) return -1;
  return m;
}

const QUOTE = 34;
const COMMA = 44;
const DASH = 45;
const DOT = 46;
const COLON = 58;
const LBRACKET = 91;
const RBRACKET = 93;
const LBRACE = 123;
const RBRACE = 125;
const BACKSLASH = 92;
const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;
/** Byte classes (bytes-table.ts's kinds): ID_VALUE (`[A-Za-z0-9._:@-]`, also text), TEXT_VALUE (printable ASCII but `"` and `\`). */
const CLASS = new Uint8Array(128);
for (let c = 0x20; c < 0x7f; c++) if (c !== QUOTE && c !== BACKSLASH) CLASS[c] = TEXT_VALUE;
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._:@-') CLASS[c.charCodeAt(0)] = ID_VALUE | TEXT_VALUE;
/** Text the fast path takes: printable ASCII with no quote or backslash (so the JSON string had no escape). */
const TEXT_RE = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;
const ACTIONS: ReadonlySet<string> = new Set(EVENT_ACTIONS);
const OUTCOMES: ReadonlySet<string> = new Set(EVENT_OUTCOMES);
const EMPTY: readonly string[] = Object.freeze([]);
/** Values kept at most (actors, sessions, devices, texts, lists), and their bytes at most; past either, values are still read, not kept. */
const MAX_INTERNED = 1 << 19;
const MAX_INTERNED_BYTES = 1 << 24;
/** Entries remembered per actor: session, address, device, fields. */
const BY_ACTOR = 4;

/**
 * A copy of a substring that does not keep its (large) parent chunk alive: V8 makes substrings of 13 characters
 * or more as views of their parent; flattening a short concatenation makes a string of its own. For the ids the
 * reader cuts and does not intern (event, ticket and customer ids) and for the values it keeps.
 */
function detach(s: string): string {
  return s.length < 13 ? s : (' ' + s).slice(1);
}

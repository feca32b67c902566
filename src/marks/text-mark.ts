/**
 * Invisible marks in displayed text: a view code written in zero-width characters (two bits each), between a
 * start and an end character, inserted after the first visible character of a value. Copying the value out of
 * a page (into a chat, a document, a spreadsheet) carries the mark along; retyping, OCR, screenshots and
 * "plain text" cleaners do not. The mark holds the ledger index of the view and a keyed check, so it names the
 * exact access event.
 */
const DIGITS = ['\u200B', '\u200C', '\u200D', '\u2062'] as const; // zero width space, non-joiner, joiner, invisible times
const START = '\u2060'; // word joiner
const END = '\u2063'; // invisible separator
const DIGIT_VALUE = new Map<string, number>(DIGITS.map((d, i) => [d, i]));
const MARK_CHARS: ReadonlySet<string> = new Set([START, END, ...DIGITS]);
const MAX_DIGITS = 64;

/** A payload (index and 16 check bits) as zero-width text. */
export function encodeMark(index: number, check: number): string {
  if (!Number.isSafeInteger(index) || index < 0 || !Number.isInteger(check) || check < 0 || check > 0xffff) throw new RangeError('bad mark payload');
  // index in base 4 (variable length), then the check as exactly 8 base-4 digits.
  let body = '';
  for (let n = index; n > 0; n = Math.floor(n / 4)) body = DIGITS[n % 4]! + body;
  if (body === '') body = DIGITS[0];
  let tail = '';
  for (let i = 7; i >= 0; i--) tail += DIGITS[(check >>> (2 * i)) & 3];
  return START + body + tail + END;
}

/** Every mark found in a text: its payload and where it starts. */
export function findMarks(text: string): { index: number; check: number; at: number }[] {
  const out: { index: number; check: number; at: number }[] = [];
  // A scan rather than a regular expression: the digits include the zero-width joiner, which character classes
  // treat as joining its neighbours.
  for (let at = text.indexOf(START); at >= 0; at = text.indexOf(START, at + 1)) {
    const digits: number[] = [];
    let i = at + 1;
    for (; i < text.length && digits.length <= MAX_DIGITS; i++) {
      const d = DIGIT_VALUE.get(text[i]!);
      if (d === undefined) break;
      digits.push(d);
    }
    if (text[i] !== END || digits.length < 9 || digits.length > MAX_DIGITS) continue;
    let index = 0;
    for (const d of digits.slice(0, -8)) index = index * 4 + d;
    let check = 0;
    for (const d of digits.slice(-8)) check = check * 4 + d;
    if (Number.isSafeInteger(index)) out.push({ index, check, at });
  }
  return out;
}

/** The value with the mark inserted after its first character (values of one character get it at the end). */
export function markValue(value: string, mark: string): string {
  const first = [...value][0];
  if (first === undefined) return value;
  return first + mark + value.slice(first.length);
}

/** The text without any mark characters. */
export function stripMarks(text: string): string {
  let out = '';
  for (const c of text) if (!MARK_CHARS.has(c)) out += c;
  return out;
}

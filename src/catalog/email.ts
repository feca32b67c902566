/** E-mail addresses in text form, read in place (character codes, no substring, no regular expression). */

/** Per ASCII code: 1 for a local-part character (letters, digits, . _ % + -), 2 also for a domain character (letters, digits, . -). */
const EMAIL_CHAR = new Uint8Array(128);
for (let c = 48; c <= 57; c++) EMAIL_CHAR[c] = 3;
for (let c = 65; c <= 90; c++) EMAIL_CHAR[c] = 3;
for (let c = 97; c <= 122; c++) EMAIL_CHAR[c] = 3;
for (const ch of '.-') EMAIL_CHAR[ch.charCodeAt(0)] = 3;
for (const ch of '_%+') EMAIL_CHAR[ch.charCodeAt(0)] = 1;

const isLetter = (c: number): boolean => (c | 32) >= 97 && (c | 32) <= 122;

/**
 * `local@domain.tld` in `start`..`end` of `text`: a local part of letters, digits and . _ % + -, then '@', then a
 * domain of letters, digits, '.' and '-' whose last dot has something before it and two or more letters after it
 * (the same strings as /^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$/).
 */
export function isEmailAt(text: string, start: number, end: number): boolean {
  let k = start;
  for (; k < end; k++) {
    const c = text.charCodeAt(k);
    if (c === 64) break;
    if (c >= 128 || (EMAIL_CHAR[c]! & 1) === 0) return false;
  }
  if (k === start || k === end) return false;
  const domain = k + 1;
  let dot = -1;
  for (k = domain; k < end; k++) {
    const c = text.charCodeAt(k);
    if (c >= 128 || (EMAIL_CHAR[c]! & 2) === 0) return false;
    if (c === 46) dot = k;
  }
  if (dot <= domain || end - dot - 1 < 2) return false;
  for (k = dot + 1; k < end; k++) if (!isLetter(text.charCodeAt(k))) return false;
  return true;
}

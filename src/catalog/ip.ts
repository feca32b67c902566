/**
 * IP addresses in text form, read in place (character codes, no substring, no regular expression): what node:net's
 * isIPv4 and isIPv6 accept, for a span of a longer text (tested against them, ip.test.ts).
 */
import { digitsValue, isDigit } from './digits.js';

const isHex = (c: number): boolean => isDigit(c) || ((c | 32) >= 97 && (c | 32) <= 102);

/** Four decimal octets 0–255 joined by dots, without leading zeros (01.2.3.4 is a version string), in `start`..`end` of `text`. */
export function isIPv4At(text: string, start: number, end: number): boolean {
  let octets = 0;
  let k = start;
  for (;;) {
    const s = k;
    while (k < end && k - s < 4 && isDigit(text.charCodeAt(k))) k++;
    const n = k - s;
    if (n < 1 || n > 3 || (n > 1 && text.charCodeAt(s) === 48) || digitsValue(text, s, n) > 255) return false;
    if (++octets === 4) return k === end;
    if (k === end || text.charCodeAt(k) !== 46) return false;
    k++;
  }
}

/** Zone identifier characters after '%' (fe80::1%eth0): letters, digits, '-', '.' and ':'. */
function isZoneChar(c: number): boolean {
  return isDigit(c) || ((c | 32) >= 97 && (c | 32) <= 122) || c === 45 || c === 46 || c === 58;
}

/**
 * An IPv6 address (RFC 4291 text form) in `start`..`end` of `text`: eight groups of 1–4 hex digits, or fewer with one
 * '::' standing for at least one group; the last two groups may be written as an IPv4 address; an optional zone
 * '%' + identifier.
 */
export function isIPv6At(text: string, start: number, end: number): boolean {
  // The zone: after the first '%', one or more zone characters.
  let last = end;
  for (let k = start; k < end; k++) {
    if (text.charCodeAt(k) !== 37) continue;
    if (k + 1 === end) return false;
    for (let z = k + 1; z < end; z++) if (!isZoneChar(text.charCodeAt(z))) return false;
    last = k;
    break;
  }
  let groups = 0;
  let compressed = false;
  let i = start;
  if (last - start >= 2 && text.charCodeAt(i) === 58 && text.charCodeAt(i + 1) === 58) {
    compressed = true;
    i += 2;
    if (i === last) return true;
  }
  for (;;) {
    let j = i;
    while (j < last && j - i < 5 && isHex(text.charCodeAt(j))) j++;
    // An IPv4 address can only be the last part, and counts for two groups.
    if (j < last && text.charCodeAt(j) === 46) {
      if (!isIPv4At(text, i, last)) return false;
      groups += 2;
      break;
    }
    if (j === i || j - i > 4) return false;
    groups++;
    if (j === last) break;
    if (text.charCodeAt(j) !== 58) return false;
    if (j + 1 < last && text.charCodeAt(j + 1) === 58) {
      if (compressed) return false;
      compressed = true;
      i = j + 2;
      if (i === last) break;
    } else {
      i = j + 1;
      if (i === last) return false; // a single ':' at the end
    }
  }
  return compressed ? groups <= 7 : groups === 8;
}

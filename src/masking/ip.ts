/** IPv4 and IPv6 parsing for masks and tokens (CN-PII.md §4.7: octets 0–255 without leading zeros; IPv6 per RFC 5952). */
import { isIPv6 } from 'node:net';

const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const IPV4_RE = new RegExp(`^${OCTET}(?:\\.${OCTET}){3}$`);

/** The four octets of a dotted IPv4 address, or null when it is not one. */
export function ipv4Octets(value: string): number[] | null {
  return IPV4_RE.test(value) ? value.split('.').map(Number) : null;
}

/** The eight 16-bit groups of an IPv6 address (an embedded IPv4 tail becomes two groups), or null. */
export function ipv6Groups(value: string): number[] | null {
  if (!isIPv6(value) || value.includes('%')) return null;
  let text = value.toLowerCase();
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4 !== null) {
    const o = ipv4Octets(v4[1]!);
    if (o === null) return null;
    text = `${text.slice(0, v4.index)}${((o[0]! << 8) | o[1]!).toString(16)}:${((o[2]! << 8) | o[3]!).toString(16)}`;
  }
  const [left = '', right] = text.split('::');
  const head = left === '' ? [] : left.split(':');
  const tail = right === undefined || right === '' ? [] : right.split(':');
  const zeros = right === undefined ? 0 : 8 - head.length - tail.length;
  const groups = [...head, ...Array<string>(zeros).fill('0'), ...tail].map((g) => parseInt(g, 16));
  return groups.length === 8 ? groups : null;
}

/** RFC 5952 text for eight groups: lower-case, no leading zeros, the longest run (≥ 2) of zero groups as `::`. */
export function formatIpv6(groups: readonly number[]): string {
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < groups.length; i++) {
    let j = i;
    while (j < groups.length && groups[j] === 0) j++;
    if (j - i > bestLen) [best, bestLen] = [i, j - i];
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

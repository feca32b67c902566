/** Mainland mobile numbers: current MIIT prefixes (CN-PII.md §4.3). */

/** The 3-digit prefixes allocated for 11-digit mobile numbers (IoT 140–144 excluded: 13 digits). */
export const MOBILE_PREFIXES: readonly string[] = [
  ...range(130, 139),
  '145', '146', '147', '148', '149',
  '150', '151', '152', '153', '155', '156', '157', '158', '159',
  '162', '165', '166', '167',
  ...range(170, 178),
  ...range(180, 189),
  '190', '191', '192', '193', '195', '196', '197', '198', '199',
];

function range(a: number, b: number): string[] {
  const out: string[] = [];
  for (let i = a; i <= b; i++) out.push(String(i));
  return out;
}

const MOBILE_RE = /^1(?:3\d|4[5-9]|5[0-35-9]|6[2567]|7[0-8]|8\d|9[0-35-9])\d{8}$/;

/** True for a bare 11-digit mobile number with an allocated prefix. */
export function isValidMobile(digits: string): boolean {
  return MOBILE_RE.test(digits);
}

/** Per 3-digit prefix (0–999): 1 when MOBILE_RE allows it (built from the expression, so the two cannot disagree). */
const ALLOCATED = new Uint8Array(1000);
for (let p = 100; p < 200; p++) ALLOCATED[p] = MOBILE_RE.test(`${p}00000000`) ? 1 : 0;

/** {@link isValidMobile} for the 11 characters at `start` of `text`, which the caller knows are digits. */
export function isValidMobileAt(text: string, start: number): boolean {
  const p = (text.charCodeAt(start) - 48) * 100 + (text.charCodeAt(start + 1) - 48) * 10 + (text.charCodeAt(start + 2) - 48);
  return ALLOCATED[p] === 1;
}

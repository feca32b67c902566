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

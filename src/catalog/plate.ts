/** Vehicle plates, GA 36-2018 (CN-PII.md §4.6). */

/** The province characters that begin a plate. */
export const PLATE_PROVINCES = '京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼';
const PLATE = /^[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-HJ-NP-Z](?:[A-HJ-NP-Z0-9]{4}[A-HJ-NP-Z0-9挂学警港澳]|[DF][A-HJ-NP-Z0-9]\d{4}|\d{5}[DF])$/;

/** True for an ordinary (7-character) or new-energy (8-character) plate, without separators. */
export function isValidPlate(s: string): boolean {
  return PLATE.test(s);
}

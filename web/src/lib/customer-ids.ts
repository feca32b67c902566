/** What a customer id looks like: the server's `subjectId` (src/server/routes/schemas.ts), letters, digits, _ and -, at most 64. */
export const CUSTOMER_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** Characters a list of `n` ids may take (64 each and a line break): a paste this long is never cut by the browser. */
export const idListChars = (n: number): number => n * 66;

/** The customer ids of a pasted list (lines, commas, semicolons, full-width ones too), each once, in order. */
export function customerIds(text: string): string[] {
  return [...new Set(text.split(/[\s,;，；]+/).filter((s) => s !== ''))];
}

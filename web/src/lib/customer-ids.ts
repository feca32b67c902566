/** What a customer id looks like (the server's own check: letters, digits and . _ : @ -). */
export const CUSTOMER_ID = /^[A-Za-z0-9._:@-]{1,128}$/;

/** The customer ids of a pasted list (lines, commas, semicolons, full-width ones too), each once, in order. */
export function customerIds(text: string): string[] {
  return [...new Set(text.split(/[\s,;，；]+/).filter((s) => s !== ''))];
}

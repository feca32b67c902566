/** Reading policy and test files from disk, bounded before they are read whole. */
import { readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CustosError } from '../core/errors.js';

/** The demo company's default policy (policies/default.cedar at the project root, from src/ or dist/). */
export const DEFAULT_POLICY_FILE = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'policies', 'default.cedar');

/** A UTF-8 file of at most `limit` bytes, or a CustosError with `code` (too large) or CUSTOS_POLICY_NO_FILE. */
export function readPolicyFile(path: string, limit: number, tooLargeCode: string): string {
  let size: number;
  try {
    const st = statSync(path);
    if (!st.isFile()) throw new Error('not a file');
    size = st.size;
  } catch {
    throw new CustosError('CUSTOS_POLICY_NO_FILE', 400, `Cannot read ${path.slice(-200)}: no such file.`);
  }
  if (size > limit) throw new CustosError(tooLargeCode, 413, `${path.slice(-200)} is ${size} bytes; the limit is ${limit}.`, { bytes: size, limit });
  return readFileSync(path, 'utf8');
}

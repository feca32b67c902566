import { createRequire } from 'node:module';

/** Provinces, prefecture-level cities and districts with their GB/T 2260 codes. */
export interface District {
  readonly code: string;
  readonly name: string;
}
export interface City {
  readonly code: string;
  readonly name: string;
  readonly districts: readonly District[];
}
export interface Province {
  readonly code: string;
  readonly name: string;
  readonly cities: readonly City[];
}
export interface Gazetteer {
  readonly source: string;
  readonly provinces: readonly Province[];
}

let cached: Gazetteer | undefined;

/** The gazetteer (loaded once, on first use; ~3,000 districts). */
export function gazetteer(): Gazetteer {
  cached ??= createRequire(import.meta.url)('./data/gazetteer.json') as Gazetteer;
  return cached;
}

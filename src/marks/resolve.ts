import type { AccessEvent, Checkpoint, InclusionProof, Ledger } from '../ledger/index.js';

/** A page view a mark names: the access event, its index, and the proof that it is in the signed ledger. */
export interface ResolvedView {
  readonly index: number;
  readonly event: AccessEvent;
  readonly checkpoint: Pick<Checkpoint, 'origin' | 'size' | 'root' | 'note'>;
  readonly proof: InclusionProof;
}

/** Reads the ledger entry at `index` with an inclusion proof against a fresh signed checkpoint. */
export async function resolveView(ledger: Pick<Ledger, 'entries' | 'inclusionProof' | 'checkpoint'>, index: number): Promise<ResolvedView | undefined> {
  const [entry] = await ledger.entries(index, 1);
  if (entry === undefined) return undefined;
  const cp = await ledger.checkpoint();
  const proof = await ledger.inclusionProof(index, cp.size);
  return { index, event: entry.event, checkpoint: { origin: cp.origin, size: cp.size, root: cp.root, note: cp.note }, proof };
}

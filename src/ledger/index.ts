/**
 * ledger: the append-only record of every access event and admin action. Group-committed into an RFC 6962
 * Merkle tree, signed checkpoints, queries by subject, actor and time, and verification.
 * Other capabilities import only from this file.
 */
export { accessEventSchema, canonicalJson, eventProblem, EVENT_ACTIONS, EVENT_OUTCOMES, type AccessEvent, type EventAction, type EventOutcome } from './event.js';
export { openLedger, checkpointNote, type LedgerOptions } from './ledger-service.js';
export { createLedgerKey, loadLedgerKey, loadOrCreateLedgerKey, type LedgerSigner } from './signing-key.js';
export type { Ledger, LedgerStorage, LedgerEntry, EventQuery, Checkpoint, VerifyResult, InclusionProof, ConsistencyProof } from './ledger-types.js';
export { verifyInclusion, verifyConsistency } from './proofs.js';
export { leafHash } from './merkle.js';
export { exportBundle, exportCaseBundle, verifyBundle, verifyEvidence, MAX_BUNDLE_ENTRIES, type EvidenceBundle, type BundleCheck } from './bundle.js';
export { openNote, parseCheckpointBody, parseVerifierKey } from './note.js';

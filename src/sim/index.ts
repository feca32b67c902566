/**
 * sim: synthetic companies — the demo company the server starts with, and simulated worlds with insiders
 * and ground truth for detection work. Other capabilities import only from this file.
 */
export { createRandom, type Random } from './random.js';
export { generateMobile, generateIdNumber, generateBirth, generateBankCard, generateAddress, generateEmail, randomPlace, type Place } from './identifiers.js';
export {
  generateStaff, generateCustomers, generateAssignments, generateTickets, pickDemoLogins, customerId,
  type DemoStaff, type DemoCustomer, type DemoTicket, type DemoOptions, type Department, type Role,
} from './demo-company.js';
export { seedDemoCompany, type DemoCredential, type SeedProgress } from './demo-seed.js';
export * from './world/index.js';
export { generatePiiCorpus, generateMixedText, DECOY_KINDS, CORPUS_TEMPLATE_COUNT, type PiiCorpus, type PiiCorpusOptions, type CorpusDocument, type PlantedPii, type PlantedDecoy, type DecoyKind } from './pii-corpus.js';

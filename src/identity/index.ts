/**
 * identity: the staff directory, logins, sessions, API tokens, and the assignments and tickets that relate
 * staff to customers. Other capabilities import only from this file.
 */
export { createIdentity, type Identity, type IdentityOptions, type Ticket } from './identity-service.js';
export { hashPassword, verifyPassword, generatePassword } from './password.js';
export { createLoginLimiter, type LoginLimiter } from './login-limiter.js';
export type { Principal, StaffMember, LoginResult, Relation } from './identity-types.js';

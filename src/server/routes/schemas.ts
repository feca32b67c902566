import { z } from 'zod';
import { MAX_PAGE } from '../../gateway/index.js';

/** Request and response schemas of the HTTP API; the OpenAPI description is generated from them. */

export const loginBody = z.object({
  user: z.string().min(1).max(64),
  password: z.string().min(1).max(1024),
}).strict();

export const subjectId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'a customer id');

const pageQuery = {
  limit: z.coerce.number().int().min(1).max(MAX_PAGE).default(20),
  after: subjectId.optional(),
};

/** A mobile number in any common writing (+86, spaces, dashes) normalised to its 11 digits. */
const phone = z
  .string()
  .max(32)
  .transform((v) => v.replace(/[\s-]/g, '').replace(/^(?:\+?86)(?=1\d{10}$)/, ''))
  .pipe(z.string().regex(/^1\d{10}$/, 'an 11-digit mobile number'));

const idNumber = z
  .string()
  .max(32)
  .transform((v) => v.trim().toUpperCase())
  .pipe(z.string().regex(/^(\d{17}[\dX]|\d{15})$/, 'an 18- or 15-character ID number'));

const name = z
  .string()
  .transform((v) => v.trim())
  .pipe(z.string().min(1).max(50));

export const searchQuery = z
  .object({ phone: phone.optional(), name: name.optional(), idNumber: idNumber.optional(), ...pageQuery })
  .strict()
  .refine((q) => [q.phone, q.name, q.idNumber].filter((v) => v !== undefined).length === 1, {
    message: 'give exactly one of phone, name, idNumber',
  });

export const pageOnlyQuery = z.object(pageQuery).strict();

export const subjectView = z.object({
  id: z.string(),
  fields: z.record(z.string(), z.union([z.string(), z.number()])),
  masked: z.array(z.string()),
  /** Per masked field: the code a reveal would be refused with (or need) and the deciding policy's @why (docs/policy.md). */
  maskReasons: z.record(z.string(), z.object({ code: z.string(), reason: z.string() })),
});

export const subjectPage = z.object({ items: z.array(subjectView), next: z.string().nullable() });

export const errorBody = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

export const meBody = z.object({
  id: z.string(),
  name: z.string(),
  role: z.string(),
  department: z.string(),
  employment: z.string(),
  csrf: z.string().optional(),
});

/** `POST /api/v1/redact`: text in (at most 60,000 characters, within the 64 KiB body limit), text out. */
export const redactBody = z
  .object({
    text: z.string().max(60_000),
    minConfidence: z.number().min(0).max(1).optional(),
  })
  .strict();

export const redactResult = z.object({
  text: z.string(),
  findings: z.array(z.object({ type: z.string(), start: z.number().int(), end: z.number().int(), confidence: z.number() })),
});

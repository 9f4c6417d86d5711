/**
 * What an applicant may send as a company registration, checked before anything is written:
 * bounded lengths (the ERP's fields are not endless, and the application is kept whole), no
 * control or bidirectional characters (the name and address end up on invoices and in logs), a
 * real email, ISO country codes. Every problem is reported at once, each with its field's path.
 *
 * @module
 */
import { z } from 'zod';
import type { UserError } from '../../domain/orders/order-input.ts';
import type { ApplicationInput } from '../../ports/application-store.ts';

/** The `registerCompany` input as GraphQL delivers it (optional fields may be null). */
export interface RegisterCompanyInput {
  companyName: string;
  taxId: string;
  addresses: Array<{
    name?: string | null;
    line1: string;
    line2?: string | null;
    city: string;
    region?: string | null;
    postalCode: string;
    country: string;
  }>;
  contact: { name: string; email: string; subject?: string | null };
}

/** Field lengths, after what ERPs keep (Tryton's party name, SAP's street and city fields). */
export const REGISTRATION_LIMITS = {
  companyName: 200,
  taxId: 40,
  addresses: 10,
  addressName: 100,
  line: 200,
  city: 100,
  region: 100,
  postalCode: 20,
  contactName: 200,
  email: 254,
  subject: 255,
} as const;

// C0/C1 controls, DEL, line/paragraph separators, bidirectional controls, BOM.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/;

/** Trimmed text of at most `max` characters; `min` 1 unless the field may be empty. */
function text(max: number, min = 1) {
  return z
    .string()
    .trim()
    .refine((s) => s.isWellFormed() && !UNSAFE.test(s), { message: 'must not contain control or direction characters' })
    .refine((s) => s.length >= min, { message: min === 1 ? 'must not be empty' : `must be at least ${min} characters` })
    .refine((s) => s.length <= max, { message: `must be at most ${max} characters` });
}

/** Optional text: null, absent or blank is `null`. */
const optional = (max: number) =>
  text(max, 0)
    .nullish()
    .transform((s) => (s ? s : null));

const L = REGISTRATION_LIMITS;

const Schema = z.object({
  companyName: text(L.companyName, 2),
  taxId: text(L.taxId, 2).refine((s) => /^[A-Za-z0-9][A-Za-z0-9 .\-/]*$/.test(s), { message: 'must be letters, digits, spaces and . - /' }),
  addresses: z
    .array(
      z.object({
        name: optional(L.addressName).transform((s) => s ?? ''),
        line1: text(L.line),
        line2: optional(L.line),
        city: text(L.city),
        region: optional(L.region),
        postalCode: text(L.postalCode),
        country: z
          .string()
          .trim()
          .transform((s) => s.toUpperCase())
          .refine((s) => /^[A-Z]{2}$/.test(s), { message: 'must be an ISO 3166-1 alpha-2 country code, e.g. US or DE' }),
      }),
    )
    .min(1, { message: 'must hold at least one address (the first is the invoicing and shipping address)' })
    .max(L.addresses, { message: `must hold at most ${L.addresses} addresses` }),
  contact: z.object({
    name: text(L.contactName),
    email: z
      .string()
      .trim()
      .max(L.email, { message: `must be at most ${L.email} characters` })
      .pipe(z.email({ message: 'must be an email address' })),
    subject: optional(L.subject),
  }),
});

/** The application to store, or every problem of the input. `applicant` is the caller's subject. */
export function validateRegistration(input: RegisterCompanyInput, applicant: string): { application: ApplicationInput } | { userErrors: UserError[] } {
  const parsed = Schema.safeParse(input);
  if (!parsed.success) {
    return {
      userErrors: parsed.error.issues.map((issue) => {
        const field = issue.path.map(String);
        return { code: 'INVALID_INPUT', message: `${field.join('.') || 'input'} ${issue.message}`, field };
      }),
    };
  }
  const { contact, ...company } = parsed.data;
  // The contact becomes the company's admin: the applicant themself unless they name another user.
  return { application: { ...company, contact: { name: contact.name, email: contact.email, subject: contact.subject ?? applicant } } };
}

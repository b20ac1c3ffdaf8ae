import { z } from 'zod';
import type { InsErrorCode } from '../identifiers/ins';
import { INS_OIDS, parseIns } from '../identifiers/ins';
import type { NirErrorCode } from '../identifiers/nir';
import { parseNir } from '../identifiers/nir';
import {
  addCodedIssue,
  DocumentIdSchema,
  InstantSchema,
  IsoDateSchema,
  NirShapeSchema,
  requiredText,
  RppsSchema,
  text,
} from './common';
import { IDENTITY_STATUSES, identityStatusRequiresIns } from './identity-status';
import { patientSearchKey, patientUsedSearchKey, SEARCH_KEY_MAX_LENGTH } from './search-key';

/** INS sex values: F, M, U (unknown/undetermined). */
export const SexSchema = z.enum(['F', 'M', 'U']);
export const IdentityStatusSchema = z.enum(IDENTITY_STATUSES);

/**
 * INSEE code of the birth commune (2A/2B for Corsica) or, for births abroad, of the
 * country (99xxx): both are five characters in the same code space, as in the NIR.
 */
export const BirthplaceCodeSchema = z
  .string()
  .length(5)
  .regex(/^(?:[0-9]{5}|2[AB][0-9]{3})$/);

export const InsSchema = z.strictObject({
  matricule: NirShapeSchema,
  oid: z.enum(INS_OIDS),
});

export const PhoneSchema = z.strictObject({
  kind: z.enum(['mobile', 'home', 'work', 'fax', 'other']),
  number: z
    .string()
    .min(3)
    .max(30)
    .regex(/^\+?[0-9][0-9 ().-]*$/),
});

export const ContactSchema = z.strictObject({
  addressLines: z.array(requiredText(100)).max(4),
  postalCode: text(16).optional(),
  city: text(100).optional(),
  /** ISO 3166-1 alpha-2. */
  country: z
    .string()
    .length(2)
    .regex(/^[A-Z]{2}$/)
    .optional(),
  phones: z.array(PhoneSchema).max(10),
  email: z.email().max(254).optional(),
});

const NAME_MAX = 100;
const FIRST_NAME_MAX = 60;

export const PatientObjectSchema = z.strictObject({
  id: DocumentIdSchema,
  birthName: requiredText(NAME_MAX),
  usedName: requiredText(NAME_MAX).optional(),
  /** All first names of the civil-status record, in order (INS: "liste des prénoms"). */
  firstNames: z.array(requiredText(FIRST_NAME_MAX)).min(1).max(20),
  usedFirstName: requiredText(FIRST_NAME_MAX).optional(),
  birthDate: IsoDateSchema,
  sex: SexSchema,
  birthplaceCode: BirthplaceCodeSchema.optional(),
  nir: NirShapeSchema.optional(),
  ins: InsSchema.optional(),
  identityStatus: IdentityStatusSchema,
  contact: ContactSchema,
  treatingPractitionerRpps: RppsSchema.optional(),
  deceasedDate: IsoDateSchema.optional(),
  /** Derived by patientSearchKey(): birth name + first names, for accent- and case-insensitive search. */
  searchKey: z.string().max(SEARCH_KEY_MAX_LENGTH),
  /** Derived by patientUsedSearchKey(): used name (or birth name) + first names. */
  usedSearchKey: z.string().max(SEARCH_KEY_MAX_LENGTH),
  createdAt: InstantSchema,
  updatedAt: InstantSchema,
});

/**
 * Administrative identity only: nothing clinical lives on this document, so a secretary
 * can be granted patients without any clinical data.
 */
export const PatientSchema = PatientObjectSchema.superRefine((p, ctx) => {
  if (p.nir !== undefined) {
    const nir = parseNir(p.nir);
    if (!nir.ok) addCodedIssue(ctx, nir.error.code as NirErrorCode, ['nir']);
  }
  if (p.ins !== undefined) {
    // Test OIDs are refused at the input boundary (parseIns without testMode); a stored
    // document from a test platform stays readable.
    const ins = parseIns(p.ins, { testMode: true });
    if (!ins.ok) addCodedIssue(ctx, ins.error.code as InsErrorCode | NirErrorCode, ['ins']);
  }
  if (identityStatusRequiresIns(p.identityStatus) && p.ins === undefined) {
    addCodedIssue(ctx, 'PATIENT_INS_REQUIRED', ['ins'], { status: p.identityStatus });
  }
  if (p.deceasedDate !== undefined && p.deceasedDate < p.birthDate) {
    addCodedIssue(ctx, 'PATIENT_DECEASED_BEFORE_BIRTH', ['deceasedDate']);
  }
  const searchKey = patientSearchKey(p);
  if (p.searchKey !== searchKey) {
    addCodedIssue(ctx, 'PATIENT_SEARCH_KEY_STALE', ['searchKey']);
  } else if (p.usedSearchKey !== (p.usedName === undefined ? searchKey : patientUsedSearchKey(p))) {
    // Without a used name, the used-name key is the search key (patientUsedSearchKey).
    addCodedIssue(ctx, 'PATIENT_SEARCH_KEY_STALE', ['usedSearchKey']);
  }
});
export type Patient = z.infer<typeof PatientSchema>;

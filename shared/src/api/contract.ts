import { z } from 'zod';
import { parseIns } from '../identifiers/ins';
import { parseNir } from '../identifiers/nir';
import { AllergySchema, SubstanceSchema } from '../schemas/allergy';
import { addCodedIssue, DocumentIdSchema, InstantSchema, IsoDateSchema, requiredText, RppsSchema, text } from '../schemas/common';
import { ClinicalDocumentObjectSchema } from '../schemas/document';
import { ENCOUNTER_STATUSES, EncounterObjectSchema } from '../schemas/encounter';
import { identityStatusRequiresIns } from '../schemas/identity-status';
import { COLLECTION_NAMES } from '../schemas/names';
import { ObservationObjectSchema } from '../schemas/observation';
import { ContactSchema, IdentityStatusSchema, InsSchema, PatientObjectSchema, SexSchema } from '../schemas/patient';
import { ean13Valid, PrescriptionLineSchema, PrescriptionObjectSchema } from '../schemas/prescription';
import { AuditSearchResponseSchema } from '../sync/audit-protocol';
import { UsernameSchema, UserRoleSchema, WorkstationIdSchema } from '../sync/protocol';
import { AUDIT_ACTIONS } from '../schemas/audit-event';
import { ErrorPayloadSchema, FieldIssueSchema } from './envelope';
import { IMAGING_API, IMAGING_EVENTS } from './imaging-contract';
import { INTEROP_API } from './interop-contract';
import { AUDIT_API } from './audit-contract';
import { RIGHTS_API } from './rights-contract';

/**
 * The typed API between the renderer and the host (main). For each channel a request and
 * a response schema; for each event its payload. The host validates every request and
 * every response; the renderer's client validates every response and event. Responses are
 * plain data (never RxDB documents). Names are also in channels.ts, without zod.
 */

// ---------------------------------------------------------------- common pieces

export const LOCALES = ['fr-FR', 'de-DE', 'en-GB'] as const;
export const LocaleSchema = z.enum(LOCALES);
export type Locale = z.infer<typeof LocaleSchema>;
export const DEFAULT_LOCALE: Locale = 'fr-FR';

/** Requests without fields: `{}` or nothing at all. */
export const EmptyRequestSchema = z.strictObject({}).optional();
export const EmptyResponseSchema = z.strictObject({});

/** A sync server's base address: http(s), no credentials in it. */
export const ServerUrlSchema = z
  .url({ protocol: /^https?$/ })
  .max(2048)
  .refine((u) => !/^[a-z]+:\/\/[^/]*@/i.test(u), { message: 'credentials in URL' });

/** Passphrases and passwords: length-bounded only; the vault and the server judge them. */
const SecretSchema = z.string().min(1).max(1024);

export const PassphraseStrengthSchema = z.strictObject({
  bits: z.number().min(0),
  score: z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3), z.literal(4)]),
});

// ---------------------------------------------------------------- app, setup, vault, session

export const AppInfoSchema = z.strictObject({
  name: z.string().max(100),
  version: z.string().max(64),
  /** Which transport the renderer is running over. */
  mode: z.enum(['electron', 'browser']),
  defaultLocale: LocaleSchema,
  locales: z.array(LocaleSchema),
  /** Dates and times are shown in this zone whatever the machine's. */
  timeZone: z.literal('Europe/Paris'),
});

export const VaultStatusSchema = z.strictObject({
  state: z.enum(['absent', 'locked', 'unlocked']),
  /** Consecutive wrong passphrases (the unlock screen shows the wait before any attempt). */
  failures: z.number().int().min(0),
  retryAfterSeconds: z.number().int().min(0),
});
export type VaultStatus = z.infer<typeof VaultStatusSchema>;

/**
 * Who works on this workstation: the server user remembered in the vault after a login,
 * or, before any login, the local practitioner created at setup ("work offline for now").
 */
export const ProfileSchema = z.strictObject({
  userId: DocumentIdSchema,
  displayName: requiredText(200),
  role: UserRoleSchema,
  rpps: RppsSchema.optional(),
  username: UsernameSchema.optional(),
  source: z.enum(['local', 'server']),
});
export type Profile = z.infer<typeof ProfileSchema>;

export const SessionStateSchema = z.strictObject({
  vault: z.enum(['absent', 'locked', 'unlocked']),
  /** Null while locked or before setup. */
  profile: ProfileSchema.nullable(),
  /** Signed in to the sync server (a replication runs). */
  loggedIn: z.boolean(),
  /** What changed it last, for the UI to explain ("locked after 10 minutes without activity"). */
  reason: z.enum(['startup', 'created', 'unlocked', 'locked', 'idle', 'profile', 'login', 'logout', 'login-required']),
});
export type SessionState = z.infer<typeof SessionStateSchema>;

export const SetupStateSchema = z.strictObject({
  vault: VaultStatusSchema,
  /** A profile (local or server) exists in the vault. */
  hasProfile: z.boolean(),
  serverConfigured: z.boolean(),
  serverUrl: ServerUrlSchema.nullable(),
  loggedIn: z.boolean(),
  /** The screen to show: create the vault, unlock it, set up a profile (or log in), or the app. */
  next: z.enum(['create-vault', 'unlock', 'profile', 'ready']),
});
export type SetupState = z.infer<typeof SetupStateSchema>;

export const SettingsSchema = z.strictObject({
  language: LocaleSchema,
  /** Idle minutes before the vault locks itself. */
  lockDelayMinutes: z.number().int().min(1).max(480),
  serverUrl: ServerUrlSchema.nullable(),
  /** This workstation's id on the sync server (registered by IT); needed to log in. */
  workstationId: WorkstationIdSchema.nullable(),
});
export type Settings = z.infer<typeof SettingsSchema>;

/** What the IT policy (machine-wide policy file) imposes: the settings it locks, the languages it allows. */
export const SettingsPolicySchema = z.strictObject({
  /** A policy file is in force on this workstation. */
  managed: z.boolean(),
  /** Settings set by IT: shown, not editable. */
  locked: z.array(z.enum(['language', 'lockDelayMinutes', 'serverUrl', 'workstationId'])),
  /** The languages users may choose (null: all). */
  allowedLanguages: z.array(LocaleSchema).nullable(),
  updateChannel: z.enum(['stable', 'beta']).nullable(),
});
export type SettingsPolicy = z.infer<typeof SettingsPolicySchema>;
export const DEFAULT_SETTINGS: Settings = {
  language: DEFAULT_LOCALE,
  lockDelayMinutes: 10,
  serverUrl: null,
  workstationId: null,
};

// ---------------------------------------------------------------- patients

/** A row of the patient list: identity only, enough to show and pick. */
export const PatientRowSchema = z.strictObject({
  id: DocumentIdSchema,
  birthName: z.string(),
  usedName: z.string().optional(),
  firstNames: z.array(z.string()),
  usedFirstName: z.string().optional(),
  birthDate: IsoDateSchema,
  sex: SexSchema,
  nir: z.string().optional(),
  identityStatus: IdentityStatusSchema,
  deceasedDate: IsoDateSchema.optional(),
  updatedAt: InstantSchema,
});
export type PatientRow = z.infer<typeof PatientRowSchema>;

/**
 * What the patient form sends: the patient document without its derived and bookkeeping
 * fields. No id creates a patient; an id updates it. The NIR and INS checks run per field
 * so a form gets them while other fields are still incomplete.
 */
export const PatientDraftSchema = PatientObjectSchema.omit({
  id: true,
  searchKey: true,
  usedSearchKey: true,
  createdAt: true,
  updatedAt: true,
})
  .extend({
    id: DocumentIdSchema.optional(),
    nir: PatientObjectSchema.shape.nir.superRefine((nir, ctx) => {
      if (nir === undefined) return;
      const parsed = parseNir(nir);
      if (!parsed.ok) addCodedIssue(ctx, parsed.error.code as Parameters<typeof addCodedIssue>[1], []);
    }),
    ins: InsSchema.optional().superRefine((ins, ctx) => {
      if (ins === undefined) return;
      const parsed = parseIns(ins, { testMode: true });
      if (!parsed.ok) addCodedIssue(ctx, parsed.error.code as Parameters<typeof addCodedIssue>[1], []);
    }),
    contact: ContactSchema,
  })
  .superRefine((p, ctx) => {
    if (identityStatusRequiresIns(p.identityStatus) && p.ins === undefined) {
      addCodedIssue(ctx, 'PATIENT_INS_REQUIRED', ['ins'], { status: p.identityStatus });
    }
    if (p.deceasedDate !== undefined && p.deceasedDate < p.birthDate) {
      addCodedIssue(ctx, 'PATIENT_DECEASED_BEFORE_BIRTH', ['deceasedDate']);
    }
  });
export type PatientDraft = z.infer<typeof PatientDraftSchema>;

/** A stored patient as the API returns it (the stored document's fields). */
export const PatientViewSchema = PatientObjectSchema;
export type PatientView = z.infer<typeof PatientViewSchema>;

export const DuplicateSchema = z.strictObject({
  patient: PatientRowSchema,
  /** Same NIR, or same birth name, first name, birth date and sex. */
  match: z.enum(['nir', 'traits']),
});
export type Duplicate = z.infer<typeof DuplicateSchema>;

const WarningsSchema = z.array(ErrorPayloadSchema).max(50);

// ---------------------------------------------------------------- clinical

/** Vital signs the consultation form records as observations (LOINC, UCUM) and the chart shows. */
export const VITAL_SIGNS = {
  weight: { loincCode: '29463-7', unit: 'kg', display: 'Body weight', min: 0.2, max: 500 },
  height: { loincCode: '8302-2', unit: 'cm', display: 'Body height', min: 20, max: 260 },
  bmi: { loincCode: '39156-5', unit: 'kg/m2', display: 'Body mass index', min: 5, max: 150 },
  systolic: { loincCode: '8480-6', unit: 'mm[Hg]', display: 'Systolic blood pressure', min: 30, max: 300 },
  diastolic: { loincCode: '8462-4', unit: 'mm[Hg]', display: 'Diastolic blood pressure', min: 10, max: 200 },
  heartRate: { loincCode: '8867-4', unit: '/min', display: 'Heart rate', min: 10, max: 300 },
  temperature: { loincCode: '8310-5', unit: 'Cel', display: 'Body temperature', min: 25, max: 45 },
  spo2: { loincCode: '59408-5', unit: '%', display: 'Oxygen saturation (pulse oximetry)', min: 30, max: 100 },
  respiratoryRate: { loincCode: '9279-1', unit: '/min', display: 'Respiratory rate', min: 1, max: 100 },
} as const;
export type VitalKind = keyof typeof VITAL_SIGNS;
export const VITAL_KINDS = Object.keys(VITAL_SIGNS) as VitalKind[];
export const VitalKindSchema = z.enum(VITAL_KINDS as [VitalKind, ...VitalKind[]]);

const vital = (kind: VitalKind) => z.number().min(VITAL_SIGNS[kind].min).max(VITAL_SIGNS[kind].max).optional();
export const VitalsInputSchema = z.strictObject({
  weight: vital('weight'),
  height: vital('height'),
  systolic: vital('systolic'),
  diastolic: vital('diastolic'),
  heartRate: vital('heartRate'),
  temperature: vital('temperature'),
  spo2: vital('spo2'),
  respiratoryRate: vital('respiratoryRate'),
});
export type VitalsInput = z.infer<typeof VitalsInputSchema>;

export const AllergyDraftSchema = z.strictObject({
  substance: SubstanceSchema,
  reaction: text(1000).optional(),
  severity: AllergySchema.shape.severity,
  criticality: AllergySchema.shape.criticality,
});

/**
 * A consultation as the form sends it. No id: a new encounter (with its note as an
 * unsigned entry). With an id: an update of that encounter's reason, status, end and its
 * unsigned note (signed entries never change). Vitals become observations, allergies
 * allergy records, the lines one prescription, all linked to the encounter.
 */
export const EncounterDraftSchema = z.strictObject({
  id: DocumentIdSchema.optional(),
  patientId: DocumentIdSchema,
  start: InstantSchema.optional(),
  end: InstantSchema.optional(),
  reason: text(500),
  status: z.enum(ENCOUNTER_STATUSES).optional(),
  note: text(100_000).optional(),
  vitals: VitalsInputSchema.optional(),
  allergies: z.array(AllergyDraftSchema).max(50).optional(),
  prescription: z
    .strictObject({
      lines: z.array(PrescriptionLineSchema).min(1).max(50),
      renewals: z.number().int().min(0).max(12),
    })
    .superRefine((p, ctx) => {
      for (const [i, line] of p.lines.entries()) {
        if (line.medication.system === 'CIP13' && !ean13Valid(line.medication.code)) {
          addCodedIssue(ctx, 'PRESCRIPTION_CIP13_CHECK_DIGIT', ['lines', i, 'medication', 'code']);
        }
      }
    })
    .optional(),
});
export type EncounterDraft = z.infer<typeof EncounterDraftSchema>;

export const EncounterViewSchema = EncounterObjectSchema;
export const ObservationViewSchema = ObservationObjectSchema;
export const PrescriptionViewSchema = PrescriptionObjectSchema;
export const AllergyViewSchema = AllergySchema;
export const DocumentViewSchema = ClinicalDocumentObjectSchema;

/** One entry of the patient record's timeline, newest first; `at` is what it is sorted by. */
export const TimelineItemSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('encounter'), at: InstantSchema, encounter: EncounterViewSchema }),
  z.strictObject({ kind: z.literal('observation'), at: InstantSchema, observation: ObservationViewSchema }),
  z.strictObject({ kind: z.literal('prescription'), at: InstantSchema, prescription: PrescriptionViewSchema }),
  z.strictObject({ kind: z.literal('allergy'), at: InstantSchema, allergy: AllergyViewSchema }),
  z.strictObject({ kind: z.literal('document'), at: InstantSchema, document: DocumentViewSchema }),
]);
export type TimelineItem = z.infer<typeof TimelineItemSchema>;

export const EncounterSavedSchema = z.strictObject({
  encounter: EncounterViewSchema,
  observations: z.array(ObservationViewSchema),
  allergies: z.array(AllergyViewSchema),
  prescription: PrescriptionViewSchema.nullable(),
});

export const VitalSeriesSchema = z.strictObject({
  kind: VitalKindSchema,
  loincCode: z.string(),
  unit: z.string(),
  points: z.array(z.strictObject({ at: InstantSchema, value: z.number(), observationId: DocumentIdSchema })),
});

// ---------------------------------------------------------------- sync and conflicts

export const SyncStatusSchema = z.strictObject({
  /** The replication client's states, plus `disabled`: no server session (local work only). */
  connection: z.enum(['disabled', 'connecting', 'online', 'offline', 'login-required', 'stopped']),
  serverUrl: ServerUrlSchema.nullable(),
  pendingChanges: z.number().int().min(0),
  lastSyncAt: InstantSchema.nullable(),
  error: ErrorPayloadSchema.nullable(),
  unresolvedConflicts: z.number().int().min(0),
  rejected: z
    .array(
      z.strictObject({
        collection: z.enum(COLLECTION_NAMES),
        documentId: z.string(),
        code: z.string(),
        at: z.string(),
      }),
    )
    .max(1000),
});
export type SyncStatusView = z.infer<typeof SyncStatusSchema>;

/** One conflicting field, both values (and the common base) as JSON values; absent = the field was absent on that side. */
export const ConflictViewSchema = z.strictObject({
  id: z.string().max(128),
  collection: z.enum(COLLECTION_NAMES),
  documentId: DocumentIdSchema,
  patientId: DocumentIdSchema.optional(),
  /** "Dupont Hélène (03/12/1984)"-like label of the patient, when this workstation has them and the actor may see them. */
  patientLabel: z.string().max(300).optional(),
  /** Dotted path of the field (`contact.phones`, `entries.<id>`, `_deleted`). */
  path: z.string().max(512),
  baseValue: z.json().optional(),
  localValue: z.json().optional(),
  serverValue: z.json().optional(),
  detectedAt: InstantSchema,
});
export type ConflictView = z.infer<typeof ConflictViewSchema>;

// ---------------------------------------------------------------- the contract

const PatientIdRequest = z.strictObject({ patientId: DocumentIdSchema });

export const API = {
  'app:info': { request: EmptyRequestSchema, response: AppInfoSchema },
  'setup:state': { request: EmptyRequestSchema, response: SetupStateSchema },
  'vault:create': {
    request: z.strictObject({ passphrase: SecretSchema }),
    response: z.strictObject({ session: SessionStateSchema, strength: PassphraseStrengthSchema }),
  },
  'vault:unlock': { request: z.strictObject({ passphrase: SecretSchema }), response: SessionStateSchema },
  'vault:lock': { request: EmptyRequestSchema, response: SessionStateSchema },
  'vault:status': { request: EmptyRequestSchema, response: VaultStatusSchema },
  'profile:get': { request: EmptyRequestSchema, response: z.strictObject({ profile: ProfileSchema.nullable() }) },
  'profile:setup-offline': {
    request: z.strictObject({ displayName: requiredText(200), rpps: z.string().max(32) }),
    response: z.strictObject({ profile: ProfileSchema, warnings: WarningsSchema }),
  },
  'session:login': {
    request: z.strictObject({
      serverUrl: ServerUrlSchema.optional(),
      username: z.string().min(1).max(64),
      password: SecretSchema,
      workstationId: WorkstationIdSchema.optional(),
    }),
    response: SessionStateSchema,
  },
  'session:logout': { request: EmptyRequestSchema, response: SessionStateSchema },
  'settings:get': { request: EmptyRequestSchema, response: SettingsSchema },
  'settings:set': { request: SettingsSchema.partial().strict(), response: SettingsSchema },
  'settings:policy': { request: EmptyRequestSchema, response: SettingsPolicySchema },
  /** The renderer holds unsaved input (its leave guard): the host installs no update meanwhile. */
  'app:unsaved-work': { request: z.strictObject({ dirty: z.boolean() }), response: EmptyResponseSchema },
  'activity:ping': {
    request: EmptyRequestSchema,
    response: z.strictObject({ lockAt: InstantSchema.nullable() }),
  },
  'patients:search': {
    request: z.strictObject({
      /** Name(s) in any case and accents, a birth date (dd/mm/yyyy or yyyy-mm-dd), or a NIR (spaces allowed). Empty: everyone. */
      query: z.string().max(200),
      offset: z.number().int().min(0).max(1_000_000).optional(),
      limit: z.number().int().min(1).max(1000).optional(),
    }),
    response: z.strictObject({
      rows: z.array(PatientRowSchema),
      /** Number of matches (rows is the page offset..offset+limit). */
      total: z.number().int().min(0),
    }),
  },
  'patients:get': {
    request: z.strictObject({ id: DocumentIdSchema }),
    response: z.strictObject({ patient: PatientViewSchema, warnings: WarningsSchema }),
  },
  'patients:save': {
    request: z.strictObject({
      draft: PatientDraftSchema,
      /** The updatedAt the form was loaded with: a patient changed since is PATIENT_CHANGED_ELSEWHERE. */
      expectedUpdatedAt: InstantSchema.optional(),
    }),
    response: z.strictObject({
      patient: PatientViewSchema,
      warnings: WarningsSchema,
      duplicates: z.array(DuplicateSchema),
    }),
  },
  'patients:check': {
    /** Any partial draft (a form being typed): the answer lists its issues, it is never refused. */
    request: z.strictObject({ draft: z.record(z.string().max(64), z.unknown()) }),
    response: z.strictObject({
      issues: z.array(FieldIssueSchema),
      warnings: WarningsSchema,
      duplicates: z.array(DuplicateSchema),
    }),
  },
  'encounters:list': {
    request: PatientIdRequest,
    response: z.strictObject({ encounters: z.array(EncounterViewSchema) }),
  },
  'encounters:get': {
    request: z.strictObject({ id: DocumentIdSchema }),
    response: z.strictObject({ encounter: EncounterViewSchema }),
  },
  'encounters:save': { request: z.strictObject({ draft: EncounterDraftSchema }), response: EncounterSavedSchema },
  'encounters:sign': {
    request: z.strictObject({ encounterId: DocumentIdSchema, entryId: DocumentIdSchema }),
    response: z.strictObject({ encounter: EncounterViewSchema }),
  },
  'encounters:addendum': {
    request: z.strictObject({
      encounterId: DocumentIdSchema,
      amends: DocumentIdSchema,
      text: requiredText(100_000),
      sign: z.boolean().optional(),
    }),
    response: z.strictObject({ encounter: EncounterViewSchema }),
  },
  'timeline:get': {
    request: PatientIdRequest,
    response: z.strictObject({ patientId: DocumentIdSchema, items: z.array(TimelineItemSchema) }),
  },
  'observations:vitals': {
    request: z.strictObject({ patientId: DocumentIdSchema, kinds: z.array(VitalKindSchema).max(20).optional() }),
    response: z.strictObject({ series: z.array(VitalSeriesSchema) }),
  },
  'sync:status': { request: EmptyRequestSchema, response: SyncStatusSchema },
  'sync:retry': {
    request: z.strictObject({ clearRejected: z.boolean().optional() }).optional(),
    response: SyncStatusSchema,
  },
  'conflicts:list': {
    request: EmptyRequestSchema,
    response: z.strictObject({ conflicts: z.array(ConflictViewSchema) }),
  },
  'conflicts:resolve': {
    request: z.strictObject({
      id: z.string().min(1).max(128),
      choice: z.enum(['local', 'server', 'combined']),
      /** Required for `combined`: the value the user composed for the field. */
      value: z.json().optional(),
    }),
    response: EmptyResponseSchema,
  },
  /** The central audit log, from the sync server (DPO only; needs the server session). Newest first; `before` = the previous page's nextCursor. */
  'audit:search': {
    request: z.strictObject({
      patientId: DocumentIdSchema.optional(),
      userId: z.string().min(1).max(200).optional(),
      action: z.enum(AUDIT_ACTIONS).optional(),
      from: InstantSchema.optional(),
      to: InstantSchema.optional(),
      before: z.number().int().positive().optional(),
      limit: z.number().int().min(1).max(500).optional(),
    }),
    response: AuditSearchResponseSchema,
  },
  /** DICOM import and a patient's studies (imaging-contract.ts). */
  ...IMAGING_API,
  /** HL7 v2 import, quarantine list, patient exports (interop-contract.ts). */
  ...INTEROP_API,
  /** Audit for people and identity vigilance (audit-contract.ts). */
  ...AUDIT_API,
  /** Patients' rights: erasure, restriction, legal hold, rectification, register (rights-contract.ts). */
  ...RIGHTS_API,
} as const;

export const EVENTS = {
  /** Patients written here or pulled from the server; `ids` empty means "reload everything". */
  'patients:changed': z.strictObject({ ids: z.array(DocumentIdSchema).max(1000) }),
  /** Clinical documents (encounters, observations, prescriptions, allergies, documents) of these patients changed. */
  'encounters:changed': z.strictObject({ patientIds: z.array(DocumentIdSchema).max(1000) }),
  'sync:status': SyncStatusSchema,
  'conflicts:changed': z.strictObject({ open: z.number().int().min(0) }),
  'session:changed': SessionStateSchema,
  'settings:changed': SettingsSchema,
  /** Progress of a DICOM import (throttled by the import service); the detail comes from imaging:import-status. */
  ...IMAGING_EVENTS,
} as const;

export type ApiChannel = keyof typeof API;
export type ApiRequest<C extends ApiChannel> = z.input<(typeof API)[C]['request']>;
export type ApiParsedRequest<C extends ApiChannel> = z.output<(typeof API)[C]['request']>;
export type ApiResponse<C extends ApiChannel> = z.output<(typeof API)[C]['response']>;
export type ApiEvent = keyof typeof EVENTS;
export type ApiEventPayload<E extends ApiEvent> = z.output<(typeof EVENTS)[E]>;


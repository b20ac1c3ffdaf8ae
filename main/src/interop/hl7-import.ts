import { createHash } from 'node:crypto';
import type { RxCollection } from 'rxdb';
import type { Hl7ImportResult, PatientDraft, QuarantineItem } from '../../../shared/src/api';
import type { ErrorPayload } from '../../../shared/src/errors';
import { AppError, isAppError } from '../../../shared/src/errors';
import type { Hl7Message, Hl7PatientIdentity, LabReport } from '../../../shared/src/hl7';
import { messageHeader, parseHl7, readAdtIdentity, readLabReport } from '../../../shared/src/hl7';
import { parseIns } from '../../../shared/src/identifiers/ins';
import { parseNir } from '../../../shared/src/identifiers/nir';
import type { Observation, Patient } from '../../../shared/src/schemas';
import type { Access, AccessRequest } from '../services/access';
import { refusalFor } from '../services/access';
import type { ServiceDeps } from '../services/context';
import { defaultNewId, instantOf } from '../services/context';
import type { PatientService } from '../services/patient-service';
import { plain, validDocument } from '../services/plain';
import type { QuarantineDoc } from './quarantine-store';
import { HL7_QUARANTINE_COLLECTION, quarantineCollection } from './quarantine-store';

/**
 * HL7 v2 import on the workstation (files a person chooses or pastes; the lab feed of the
 * sync server's MLLP listener is the other door, see README.md):
 *
 * - ORU^R01 → LOINC-coded observations of the patient matched by INS, then NIR; a match
 *   by traits only (birth name, first name, birth date, sex) is never applied on its own:
 *   the message waits in quarantine for a person to confirm. Clinical: practitioners only.
 * - ADT^A28/A31 → creates the identity (status PROV: a workstation qualifies identities
 *   itself, RNIV) or updates the matched one; traits of a VALI/RECUP/QUAL identity are not
 *   changed by a feed (quarantine, HL7_IDENTITY_QUALIFIED_DIFFERS); a differing INS never
 *   replaces the recorded one. Identity: practitioners and secretaries.
 * - Anything else — unreadable, unsupported, unmatched, ambiguous — is kept whole in the
 *   quarantine list with its reason, until a person attaches or rejects it.
 *
 * Every import, attachment and rejection goes through the access choke point (role check
 * and audit event), like every other read and write of patient data.
 */
export type Hl7Import = {
  importMessage(
    bytes: Uint8Array,
    source: { kind: 'file' | 'paste' | 'mllp'; name?: string },
  ): Promise<Hl7ImportResult>;
  list(status?: QuarantineDoc['status']): Promise<QuarantineItem[]>;
  attach(id: string, patientId: string): Promise<Hl7ImportResult>;
  reject(id: string, reason: string): Promise<QuarantineItem>;
  /**
   * Keeps a message the sync server's lab feed could not apply (claimed from its inbox) in
   * this quarantine list, with the server's reason and the local matcher's proposals.
   */
  adopt(item: {
    readonly rawBase64: string;
    readonly reasonCode: string;
    readonly reasonParams?: Readonly<Record<string, string | number>> | undefined;
    readonly controlId: string;
  }): Promise<string>;
};

type Match =
  | { kind: 'matched'; patientId: string; by: 'ins' | 'nir' }
  | { kind: 'confirm'; candidates: string[] }
  | { kind: 'ambiguous'; candidates: string[] }
  | { kind: 'conflict'; candidates: string[] }
  | { kind: 'none' };

type Read =
  | { kind: 'lab'; message: Hl7Message; report: LabReport; type: string }
  | { kind: 'identity'; message: Hl7Message; event: 'A28' | 'A31'; patient: Hl7PatientIdentity; type: string }
  | { kind: 'unreadable'; error: ErrorPayload; type: string; dataClass: 'administrative' | 'clinical' };

function typeOf(message: Hl7Message): string {
  const t = messageHeader(message).type;
  return [t.code, t.event]
    .filter((s) => s !== '')
    .join('^')
    .slice(0, 32);
}

function read(bytes: Uint8Array): Read {
  const parsed = parseHl7(bytes);
  if (!parsed.ok) return { kind: 'unreadable', error: parsed.error, type: '', dataClass: 'clinical' };
  const message = parsed.value;
  const type = typeOf(message);
  const code = messageHeader(message).type.code;
  if (code === 'ORU') {
    const report = readLabReport(message);
    if (!report.ok) return { kind: 'unreadable', error: report.error, type, dataClass: 'clinical' };
    return { kind: 'lab', message, report: report.value, type };
  }
  if (code === 'ADT') {
    const adt = readAdtIdentity(message);
    if (!adt.ok) return { kind: 'unreadable', error: adt.error, type, dataClass: 'administrative' };
    return { kind: 'identity', message, event: adt.value.event, patient: adt.value.patient, type };
  }
  return {
    kind: 'unreadable',
    error: { code: 'HL7_MESSAGE_TYPE_UNSUPPORTED', params: { type: type || '?' } },
    type,
    dataClass: 'clinical',
  };
}

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const unb64 = (s: string) => new Uint8Array(Buffer.from(s, 'base64'));

/** Observation id of one lab result on one patient: a corrected result sent again replaces the first. */
export function labObservationId(patientId: string, key: string): string {
  return `hl7-${createHash('sha256').update(`${patientId}\u0000${key}`, 'utf8').digest('hex').slice(0, 40)}`;
}

const sameText = (a: string | undefined, b: string | undefined) =>
  (a ?? '').normalize('NFC').toUpperCase().trim() === (b ?? '').normalize('NFC').toUpperCase().trim();

export function createHl7Import(
  deps: ServiceDeps & { readonly access: Access; readonly patients: PatientService },
): Hl7Import {
  const { db, access, patients } = deps;
  const newId = deps.newId ?? defaultNewId;
  let store: Promise<RxCollection<QuarantineDoc>> | undefined;
  const quarantine = () => (store ??= quarantineCollection(db));

  const match = async (identity: Hl7PatientIdentity): Promise<Match> => {
    await patients.index.ready;
    const keys = [identity.ins?.matricule, identity.nir].filter((k): k is string => k !== undefined);
    for (const [i, key] of keys.entries()) {
      const ids = new Set(patients.index.byNir(key));
      if (identity.ins !== undefined && i === 0) {
        for (const d of await db.patient.find({ selector: { 'ins.matricule': key } as never }).exec())
          ids.add(d.id);
      }
      if (ids.size === 0) continue;
      const list = [...ids];
      if (list.length > 1) return { kind: 'ambiguous', candidates: list.slice(0, 20) };
      const id = list[0] as string;
      const doc = await db.patient.findOne(id).exec();
      if (doc === null) continue;
      const p = plain<Patient>(doc.toJSON());
      // Same number, other person: an INS that differs, or a birth date that does not agree, is identity vigilance's business.
      if (identity.ins !== undefined && p.ins !== undefined && p.ins.matricule !== identity.ins.matricule)
        return { kind: 'conflict', candidates: [id] };
      if (identity.birthDate !== undefined && identity.birthDate !== p.birthDate)
        return { kind: 'conflict', candidates: [id] };
      return { kind: 'matched', patientId: id, by: i === 0 && identity.ins !== undefined ? 'ins' : 'nir' };
    }
    if (
      identity.birthName !== undefined &&
      identity.firstNames.length > 0 &&
      identity.birthDate !== undefined
    ) {
      const ids = patients.index.byTraits({
        birthName: identity.birthName,
        firstNames: [...identity.firstNames],
        birthDate: identity.birthDate,
        sex: identity.sex,
      });
      if (ids.length === 1) return { kind: 'confirm', candidates: [...ids] };
      if (ids.length > 1) return { kind: 'ambiguous', candidates: ids.slice(0, 20) };
    }
    return { kind: 'none' };
  };

  const storeQuarantine = async (
    bytes: Uint8Array,
    source: { kind: 'file' | 'paste' | 'mllp'; name?: string },
    r: Read,
    reason: ErrorPayload,
    candidates: readonly string[],
  ): Promise<string> => {
    const now = instantOf(deps.clock);
    const id = newId();
    const doc: QuarantineDoc = {
      id,
      receivedAt: now,
      source: source.kind,
      ...(source.name === undefined ? {} : { sourceName: source.name.slice(0, 255) }),
      messageType: r.type,
      kind: r.kind,
      reasonCode: reason.code,
      ...(reason.params === undefined ? {} : { reasonParams: JSON.stringify(reason.params).slice(0, 2000) }),
      rawBase64: b64(bytes),
      candidates: [...candidates],
      status: 'open',
      updatedAt: now,
    };
    await (await quarantine()).insert(doc);
    return id;
  };

  /** Writes the results of a report on a patient; returns the observations written. */
  const writeObservations = async (report: LabReport, patientId: string): Promise<Observation[]> => {
    const now = instantOf(deps.clock);
    const ids = report.observations.map((o) => labObservationId(patientId, o.key));
    const existing = await db.observation.findByIds(ids).exec();
    const docs = report.observations.map((o, i) => {
      const id = ids[i] as string;
      const before = existing.get(id);
      const prev = before === undefined ? undefined : plain<Observation>(before.toJSON());
      const { key: _key, ...fields } = o;
      void _key;
      return validDocument('observation', {
        ...fields,
        id,
        patientId,
        createdAt: prev?.createdAt ?? now,
        updatedAt:
          prev === undefined
            ? now
            : now > prev.updatedAt
              ? now
              : new Date(Date.parse(prev.updatedAt) + 1).toISOString(),
      });
    });
    // Validated first, written in one go: a refused result never leaves half a report.
    await db.observation.bulkUpsert(docs);
    return docs;
  };

  const draftOf = (p: Hl7PatientIdentity, base?: Patient): PatientDraft => {
    const ins =
      p.ins !== undefined && parseIns(p.ins, { testMode: deps.insTestMode === true }).ok ? p.ins : undefined;
    const nir = p.nir !== undefined && parseNir(p.nir).ok ? p.nir : undefined;
    const contact = {
      addressLines: p.address ? [...p.address.lines] : (base?.contact.addressLines ?? []),
      ...(p.address?.postalCode !== undefined
        ? { postalCode: p.address.postalCode }
        : base?.contact.postalCode !== undefined
          ? { postalCode: base.contact.postalCode }
          : {}),
      ...(p.address?.city !== undefined
        ? { city: p.address.city }
        : base?.contact.city !== undefined
          ? { city: base.contact.city }
          : {}),
      ...(p.address?.country !== undefined
        ? { country: p.address.country }
        : base?.contact.country !== undefined
          ? { country: base.contact.country }
          : {}),
      phones: p.phones.length > 0 ? [...p.phones] : [...(base?.contact.phones ?? [])],
      ...(p.email !== undefined
        ? { email: p.email }
        : base?.contact.email !== undefined
          ? { email: base.contact.email }
          : {}),
    };
    if (base === undefined) {
      return {
        birthName: p.birthName ?? '',
        ...(p.usedName === undefined ? {} : { usedName: p.usedName }),
        firstNames: [...p.firstNames],
        ...(p.usedFirstName === undefined ? {} : { usedFirstName: p.usedFirstName }),
        birthDate: p.birthDate ?? '',
        sex: p.sex,
        ...(p.birthplaceCode === undefined ? {} : { birthplaceCode: p.birthplaceCode }),
        ...(nir === undefined ? {} : { nir }),
        ...(ins === undefined ? {} : { ins }),
        identityStatus: 'PROV',
        contact,
        ...(p.deceasedDate === undefined ? {} : { deceasedDate: p.deceasedDate }),
      } as PatientDraft;
    }
    const { id, searchKey: _s, usedSearchKey: _u, createdAt: _c, updatedAt: _up, ...rest } = base;
    void _s;
    void _u;
    void _c;
    void _up;
    const checked = base.identityStatus !== 'PROV';
    return {
      ...rest,
      id,
      ...(checked
        ? {}
        : {
            birthName: p.birthName ?? base.birthName,
            firstNames: p.firstNames.length > 0 ? [...p.firstNames] : base.firstNames,
            birthDate: p.birthDate ?? base.birthDate,
            sex: p.sex === 'U' ? base.sex : p.sex,
            ...(p.birthplaceCode === undefined ? {} : { birthplaceCode: p.birthplaceCode }),
          }),
      ...(p.usedName === undefined ? {} : { usedName: p.usedName }),
      ...(p.usedFirstName === undefined ? {} : { usedFirstName: p.usedFirstName }),
      ...(base.nir === undefined && nir !== undefined ? { nir } : {}),
      ...(base.ins === undefined && ins !== undefined ? { ins } : {}),
      contact,
      ...(p.deceasedDate === undefined ? {} : { deceasedDate: p.deceasedDate }),
    } as PatientDraft;
  };

  /** Whether the message's traits disagree with a checked (VALI/RECUP/QUAL) identity. */
  const checkedTraitsDiffer = (p: Hl7PatientIdentity, base: Patient): boolean => {
    if (base.identityStatus === 'PROV') return false;
    if (p.birthName !== undefined && !sameText(p.birthName, base.birthName)) return true;
    if (p.firstNames.length > 0 && !sameText(p.firstNames.join(' '), base.firstNames.join(' '))) return true;
    if (p.birthDate !== undefined && p.birthDate !== base.birthDate) return true;
    if (p.sex !== 'U' && p.sex !== base.sex) return true;
    return (
      p.birthplaceCode !== undefined &&
      base.birthplaceCode !== undefined &&
      p.birthplaceCode !== base.birthplaceCode
    );
  };

  const updateIdentity = async (p: Hl7PatientIdentity, patientId: string): Promise<string> => {
    const doc = await db.patient.findOne(patientId).exec();
    if (doc === null) throw new AppError('PATIENT_NOT_FOUND');
    const base = plain<Patient>(doc.toJSON());
    if (p.ins !== undefined && base.ins !== undefined && p.ins.matricule !== base.ins.matricule)
      throw new AppError('HL7_PATIENT_INS_CONFLICT');
    if (checkedTraitsDiffer(p, base)) throw new AppError('HL7_IDENTITY_QUALIFIED_DIFFERS');
    const saved = await patients.save(draftOf(p, base), base.updatedAt);
    return saved.patient.id;
  };

  const createIdentity = async (p: Hl7PatientIdentity): Promise<string> => {
    const saved = await patients.save(draftOf(p));
    return saved.patient.id;
  };

  const identityFailure = (e: unknown): ErrorPayload => {
    if (
      isAppError(e) &&
      (e.code === 'HL7_PATIENT_INS_CONFLICT' || e.code === 'HL7_IDENTITY_QUALIFIED_DIFFERS')
    )
      return { code: e.code };
    return {
      code: 'HL7_IDENTITY_INCOMPLETE',
      params: { detail: isAppError(e) ? e.code : 'APP_INTERNAL_ERROR' },
    };
  };

  const importRequest = (dataClass: 'administrative' | 'clinical', id: string): AccessRequest => ({
    action: 'import',
    dataClass,
    object: { collection: 'hl7_message', id: id || 'unknown' },
  });

  const quarantined = async (
    bytes: Uint8Array,
    source: { kind: 'file' | 'paste' | 'mllp'; name?: string },
    r: Read,
    reason: ErrorPayload,
    candidates: readonly string[],
  ): Promise<Hl7ImportResult> => {
    const quarantineId = await storeQuarantine(bytes, source, r, reason, candidates);
    await access.record(deps.actor(), [
      {
        action: 'create',
        dataClass: r.kind === 'identity' ? 'administrative' : 'clinical',
        object: { collection: HL7_QUARANTINE_COLLECTION, id: quarantineId },
      },
    ]);
    return {
      outcome: 'quarantined',
      messageType: r.type,
      quarantineId,
      reason,
      ...(r.kind === 'lab' ? { observationCount: r.report.observations.length } : {}),
    };
  };

  const importLab = async (
    r: Extract<Read, { kind: 'lab' }>,
    patientId: string,
    actorRecord = true,
  ): Promise<Hl7ImportResult> => {
    const obs = await writeObservations(r.report, patientId);
    if (actorRecord) {
      await access.record(
        deps.actor(),
        obs.map((o) => ({
          action: 'import',
          dataClass: 'clinical',
          patientId,
          object: { collection: 'observation', id: o.id },
        })),
      );
    }
    return { outcome: 'observations-imported', messageType: r.type, patientId, observationCount: obs.length };
  };

  const itemOf = (d: QuarantineDoc): QuarantineItem => {
    const r = read(unb64(d.rawBase64));
    const identity = r.kind === 'lab' ? r.report.patient : r.kind === 'identity' ? r.patient : undefined;
    let params: Record<string, string | number> | undefined;
    try {
      params =
        d.reasonParams === undefined
          ? undefined
          : (JSON.parse(d.reasonParams) as Record<string, string | number>);
    } catch {
      params = undefined;
    }
    return {
      id: d.id,
      receivedAt: d.receivedAt,
      source: d.source,
      ...(d.sourceName === undefined ? {} : { sourceName: d.sourceName }),
      messageType: d.messageType,
      kind: d.kind,
      reason: params === undefined ? { code: d.reasonCode } : { code: d.reasonCode, params },
      status: d.status,
      ...(identity === undefined
        ? {}
        : {
            patient: {
              ...(identity.birthName === undefined ? {} : { birthName: identity.birthName.slice(0, 100) }),
              firstNames: identity.firstNames.slice(0, 20).map((f) => f.slice(0, 60)),
              ...(identity.birthDate === undefined ? {} : { birthDate: identity.birthDate }),
              sex: identity.sex,
              hasIns: identity.ins !== undefined,
            },
          }),
      ...(r.kind === 'lab' ? { observationCount: r.report.observations.length } : {}),
      candidates: [...d.candidates],
      ...(d.resolvedAt === undefined ? {} : { resolvedAt: d.resolvedAt }),
      ...(d.resolvedPatientId === undefined ? {} : { resolvedPatientId: d.resolvedPatientId }),
      ...(d.rejectReason === undefined ? {} : { rejectReason: d.rejectReason }),
    };
  };

  const loadOpen = async (id: string) => {
    const doc = await (await quarantine()).findOne(id).exec();
    if (doc === null) throw new AppError('HL7_QUARANTINE_NOT_FOUND');
    const q = doc.toJSON() as QuarantineDoc;
    if (q.status !== 'open') throw new AppError('HL7_QUARANTINE_RESOLVED');
    return { doc, q };
  };

  return {
    async importMessage(bytes, source) {
      const r = read(bytes);
      const controlId =
        r.kind === 'unreadable' ? '' : messageHeader(r.message).controlId.replace(/[^0-9A-Za-z_-]/g, '_');
      if (r.kind === 'unreadable') {
        // Kept whatever it is; who imported it is on record. Its content is not read further.
        return access.run(importRequest('administrative', controlId), async () =>
          quarantined(bytes, source, r, r.error, []),
        );
      }
      if (r.kind === 'lab') {
        return access.run(importRequest('clinical', controlId), async () => {
          const m = await match(r.report.patient);
          await access.record(deps.actor(), [
            {
              action: 'search',
              dataClass: 'administrative',
              object: { collection: 'patient', id: 'hl7_match' },
            },
          ]);
          switch (m.kind) {
            case 'matched':
              return importLab(r, m.patientId);
            case 'confirm':
              return quarantined(
                bytes,
                source,
                r,
                { code: 'HL7_PATIENT_CONFIRMATION_REQUIRED' },
                m.candidates,
              );
            case 'ambiguous':
              return quarantined(bytes, source, r, { code: 'HL7_PATIENT_AMBIGUOUS' }, m.candidates);
            case 'conflict':
              return quarantined(bytes, source, r, { code: 'HL7_PATIENT_INS_CONFLICT' }, m.candidates);
            case 'none':
              return quarantined(bytes, source, r, { code: 'HL7_PATIENT_UNMATCHED' }, []);
          }
        });
      }
      return access.run(importRequest('administrative', controlId), async () => {
        const m = await match(r.patient);
        await access.record(deps.actor(), [
          {
            action: 'search',
            dataClass: 'administrative',
            object: { collection: 'patient', id: 'hl7_match' },
          },
        ]);
        try {
          switch (m.kind) {
            case 'matched':
              return {
                outcome: 'patient-updated',
                messageType: r.type,
                patientId: await updateIdentity(r.patient, m.patientId),
              };
            case 'none':
              return {
                outcome: 'patient-created',
                messageType: r.type,
                patientId: await createIdentity(r.patient),
              };
            case 'confirm':
              return await quarantined(
                bytes,
                source,
                r,
                { code: 'HL7_PATIENT_CONFIRMATION_REQUIRED' },
                m.candidates,
              );
            case 'ambiguous':
              return await quarantined(bytes, source, r, { code: 'HL7_PATIENT_AMBIGUOUS' }, m.candidates);
            case 'conflict':
              return await quarantined(bytes, source, r, { code: 'HL7_PATIENT_INS_CONFLICT' }, m.candidates);
          }
        } catch (e) {
          return quarantined(bytes, source, r, identityFailure(e), m.kind === 'matched' ? [m.patientId] : []);
        }
      });
    },

    async list(status) {
      const actor = deps.actor();
      const clinicalAllowed = refusalFor(actor.role, 'clinical') === null;
      return access.run(
        {
          action: 'search',
          dataClass: 'administrative',
          object: { collection: HL7_QUARANTINE_COLLECTION, id: 'list' },
        },
        async () => {
          const selector = status === undefined ? {} : { status };
          const docs = await (await quarantine()).find({ selector, sort: [{ receivedAt: 'desc' }] }).exec();
          return docs
            .map((d) => d.toJSON() as QuarantineDoc)
            .filter((d) => clinicalAllowed || d.kind === 'identity')
            .map(itemOf);
        },
      );
    },

    async attach(id, patientId) {
      const probe = await (await quarantine()).findOne(id).exec();
      const kind = probe === null ? 'unreadable' : (probe.toJSON() as QuarantineDoc).kind;
      const dataClass = kind === 'identity' ? 'administrative' : 'clinical';
      return access.run(
        { action: 'import', dataClass, patientId, object: { collection: HL7_QUARANTINE_COLLECTION, id } },
        async (actor) => {
          const { doc, q } = await loadOpen(id);
          const r = read(unb64(q.rawBase64));
          if (r.kind === 'unreadable') throw new AppError(r.error.code, r.error.params);
          const target = await db.patient.findOne(patientId).exec();
          if (target === null) throw new AppError('PATIENT_NOT_FOUND');
          const p = plain<Patient>(target.toJSON());
          let result: Hl7ImportResult;
          if (r.kind === 'lab') {
            const ins = r.report.patient.ins;
            if (ins !== undefined && p.ins !== undefined && ins.matricule !== p.ins.matricule)
              throw new AppError('HL7_PATIENT_INS_CONFLICT');
            result = await importLab(r, patientId);
          } else {
            result = {
              outcome: 'patient-updated',
              messageType: r.type,
              patientId: await updateIdentity(r.patient, patientId),
            };
          }
          const now = instantOf(deps.clock);
          await doc.incrementalPatch({
            status: 'attached',
            resolvedAt: now,
            resolvedBy: actor.userId.slice(0, 64),
            resolvedPatientId: patientId,
            updatedAt: now,
          });
          return { ...result, quarantineId: id };
        },
      );
    },

    async adopt(item) {
      const bytes = unb64(item.rawBase64);
      const r = read(bytes);
      return access.run(
        {
          action: 'import',
          dataClass: 'clinical',
          object: { collection: HL7_QUARANTINE_COLLECTION, id: 'server_inbox' },
        },
        async () => {
          const identity =
            r.kind === 'lab' ? r.report.patient : r.kind === 'identity' ? r.patient : undefined;
          const m = identity === undefined ? undefined : await match(identity);
          const candidates =
            m !== undefined && m.kind !== 'none' ? (m.kind === 'matched' ? [m.patientId] : m.candidates) : [];
          const reason =
            item.reasonParams === undefined
              ? { code: item.reasonCode }
              : { code: item.reasonCode, params: { ...item.reasonParams } };
          return storeQuarantine(
            bytes,
            { kind: 'mllp', name: `MLLP ${item.controlId}`.trim() },
            r,
            reason,
            candidates,
          );
        },
      );
    },

    async reject(id, reason) {
      const probe = await (await quarantine()).findOne(id).exec();
      const kind = probe === null ? 'unreadable' : (probe.toJSON() as QuarantineDoc).kind;
      return access.run(
        {
          action: 'update',
          dataClass: kind === 'identity' ? 'administrative' : 'clinical',
          object: { collection: HL7_QUARANTINE_COLLECTION, id },
        },
        async (actor) => {
          const { doc } = await loadOpen(id);
          const now = instantOf(deps.clock);
          const updated = await doc.incrementalPatch({
            status: 'rejected',
            resolvedAt: now,
            resolvedBy: actor.userId.slice(0, 64),
            rejectReason: reason.trim().slice(0, 500),
            updatedAt: now,
          });
          return itemOf(updated.toJSON() as QuarantineDoc);
        },
      );
    },
  };
}

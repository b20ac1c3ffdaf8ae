import { createHash } from 'node:crypto';
import type { EncounterDraft, TimelineItem, VitalKind } from '../../../shared/src/api';
import { VITAL_KINDS, VITAL_SIGNS } from '../../../shared/src/api';
import { AppError } from '../../../shared/src/errors';
import type { Allergy, ClinicalDocument, Encounter, EncounterEntry, Observation, Prescription } from '../../../shared/src/schemas';
import { checkEncounterUpdate, entryHashPayload } from '../../../shared/src/schemas';
import { parisDateOf } from '../../../shared/src/time';
import type { Access, AccessRequest } from './access';
import { refusalFor } from './access';
import type { Actor, ServiceDeps } from './context';
import { defaultNewId, instantOf } from './context';
import { plain, validDocument } from './plain';

export type EncounterSaved = {
  encounter: Encounter;
  observations: Observation[];
  allergies: Allergy[];
  prescription: Prescription | null;
};

export type VitalSeries = {
  kind: VitalKind;
  loincCode: string;
  unit: string;
  points: { at: string; value: number; observationId: string }[];
};

export type EncounterService = {
  list(patientId: string): Promise<Encounter[]>;
  get(id: string): Promise<Encounter>;
  save(draft: EncounterDraft): Promise<EncounterSaved>;
  sign(encounterId: string, entryId: string): Promise<Encounter>;
  addendum(encounterId: string, amends: string, text: string, sign?: boolean): Promise<Encounter>;
  timeline(patientId: string): Promise<TimelineItem[]>;
  vitals(patientId: string, kinds?: readonly VitalKind[]): Promise<VitalSeries[]>;
};

/** SHA-256 (hex) of the entry's canonical payload: what a signature fixes. */
export function entryContentHash(entry: EncounterEntry): string {
  return createHash('sha256').update(entryHashPayload(entry), 'utf8').digest('hex');
}

function rppsOf(actor: Actor): string {
  if (actor.rpps === undefined) throw new AppError('ENCOUNTER_RPPS_REQUIRED');
  return actor.rpps;
}

/** Instants strictly after `previous`: the replication merges by updatedAt. */
function after(previous: string, now: string): string {
  return now > previous ? now : new Date(Date.parse(previous) + 1).toISOString();
}

const byAtDesc = (a: TimelineItem, b: TimelineItem): number => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0);

/**
 * Consultations and what they record (vitals as observations, allergies, a prescription),
 * the patient record's timeline and the vitals chart. Everything clinical: the access
 * choke point refuses secretaries, the DPO and admins, and audits every read and write.
 */
export function createEncounterService(deps: ServiceDeps & { readonly access: Access }): EncounterService {
  const { db, access } = deps;
  const newId = deps.newId ?? defaultNewId;

  const clinical = (action: AccessRequest['action'], patientId: string | undefined, collection: string, id: string): AccessRequest => ({
    action,
    dataClass: 'clinical',
    patientId,
    object: { collection, id },
  });

  const loadEncounter = async (id: string): Promise<Encounter> => {
    const doc = await db.encounter.findOne(id).exec();
    if (doc === null) throw new AppError('ENCOUNTER_NOT_FOUND');
    return plain<Encounter>(doc.toJSON());
  };

  /**
   * The encounter an operation targets (its patient goes into the audit event). A refused
   * role is refused before the lookup, so it learns nothing of which encounters exist; a
   * missing encounter is an audited failure like any other.
   */
  const target = async (action: AccessRequest['action'], id: string): Promise<Encounter> => {
    const doc = refusalFor(deps.actor().role, 'clinical') === null ? await db.encounter.findOne(id).exec() : null;
    if (doc === null) {
      return access.run(clinical(action, undefined, 'encounter', id), async () => {
        throw new AppError('ENCOUNTER_NOT_FOUND');
      });
    }
    return plain<Encounter>(doc.toJSON());
  };

  /** A new version of an encounter, checked against the signed-entries rule and the schema (nothing written). */
  const checkReplacement = (previous: Encounter, next: Encounter): Encounter => {
    const checked = checkEncounterUpdate(previous, next);
    if (!checked.ok) throw new AppError(checked.error.code, checked.error.params);
    return validDocument('encounter', checked.value);
  };

  /** Writes a checked version; checked again against what is stored now (the replication may have written since). */
  const writeReplacement = async (valid: Encounter): Promise<Encounter> => {
    const doc = await db.encounter.findOne(valid.id).exec();
    if (doc === null) throw new AppError('ENCOUNTER_NOT_FOUND');
    await doc.incrementalModify((current) => {
      const again = checkEncounterUpdate(plain<Encounter>(current), valid);
      if (!again.ok) throw new AppError(again.error.code, again.error.params);
      return valid as never;
    });
    return valid;
  };

  const replaceEncounter = async (previous: Encounter, next: Encounter): Promise<Encounter> => writeReplacement(checkReplacement(previous, next));

  const patientMustExist = async (patientId: string): Promise<void> => {
    if ((await db.patient.findOne(patientId).exec()) === null) throw new AppError('PATIENT_NOT_FOUND');
  };

  const signEntry = (entry: EncounterEntry, actor: Actor, at: string): EncounterEntry => {
    if (entry.signedAt !== undefined) throw new AppError('ENCOUNTER_ENTRY_ALREADY_SIGNED');
    if (rppsOf(actor) !== entry.authorRpps) throw new AppError('ENCOUNTER_SIGN_NOT_AUTHOR');
    return { ...entry, signedAt: at, contentHash: entryContentHash(entry) };
  };

  return {
    async list(patientId) {
      return access.run(clinical('read', patientId, 'encounter', patientId), async () => {
        const docs = await db.encounter.find({ selector: { patientId }, sort: [{ start: 'desc' }] }).exec();
        return docs.map((d) => plain<Encounter>(d.toJSON()));
      });
    },

    async get(id) {
      const enc = await target('read', id);
      return access.run(clinical('read', enc.patientId, 'encounter', id), async () => enc);
    },

    async save(draft) {
      const id = draft.id ?? newId();
      const creating = draft.id === undefined;
      return access.run(clinical(creating ? 'create' : 'update', draft.patientId, 'encounter', id), async (actor) => {
        const rpps = rppsOf(actor);
        await patientMustExist(draft.patientId);
        const now = instantOf(deps.clock);
        let encounter: Encounter;
        // Every document is built and validated first, then written: a refused line never leaves half a consultation.
        let writeEncounter: () => Promise<unknown>;
        if (creating) {
          const entries: EncounterEntry[] =
            draft.note !== undefined && draft.note.trim() !== ''
              ? [{ id: newId(), kind: 'note', text: draft.note, authorRpps: rpps, createdAt: now }]
              : [];
          encounter = validDocument('encounter', {
            id,
            patientId: draft.patientId,
            authorRpps: rpps,
            start: draft.start ?? now,
            ...(draft.end === undefined ? {} : { end: draft.end }),
            reason: draft.reason,
            status: draft.status ?? 'in-progress',
            entries,
            createdAt: now,
            updatedAt: now,
          });
          const created = encounter;
          writeEncounter = () => db.encounter.insert(created);
        } else {
          const previous = await loadEncounter(id);
          if (previous.patientId !== draft.patientId) throw new AppError('ENCOUNTER_PATIENT_CHANGED');
          if (previous.status === 'cancelled' || previous.status === 'entered-in-error') throw new AppError('ENCOUNTER_NOT_EDITABLE');
          const entries = [...previous.entries];
          if (draft.note !== undefined) {
            // The form edits this author's open (unsigned) note; signed entries are never touched.
            const i = entries.map((e) => e.kind === 'note' && e.signedAt === undefined && e.authorRpps === rpps).lastIndexOf(true);
            const current = i >= 0 ? entries[i] : undefined;
            if (current !== undefined) {
              if (draft.note.trim() === '') entries.splice(i, 1);
              else entries[i] = { ...current, text: draft.note };
            } else if (draft.note.trim() !== '') {
              entries.push({ id: newId(), kind: 'note', text: draft.note, authorRpps: rpps, createdAt: now });
            }
          }
          const { end: _end, ...rest } = previous;
          void _end;
          const end = draft.end ?? previous.end;
          encounter = checkReplacement(previous, {
            ...rest,
            ...(end === undefined ? {} : { end }),
            start: draft.start ?? previous.start,
            reason: draft.reason,
            status: draft.status ?? previous.status,
            entries,
            updatedAt: after(previous.updatedAt, now),
          });
          const replaced = encounter;
          writeEncounter = () => writeReplacement(replaced);
        }

        const extra: AccessRequest[] = [];
        // Vitals: one observation per measured sign (BMI derived when weight and height are there), updated in place on a re-save.
        const observations: Observation[] = [];
        const vitals: Partial<Record<VitalKind, number>> = { ...(draft.vitals ?? {}) };
        if (vitals.weight !== undefined && vitals.height !== undefined && vitals.bmi === undefined) {
          vitals.bmi = Math.round((vitals.weight / (vitals.height / 100) ** 2) * 10) / 10;
        }
        const existingObs = creating
          ? new Map<string, Observation>()
          : new Map(
              (await db.observation.find({ selector: { patientId: draft.patientId, encounterId: id } }).exec()).map((d) => {
                const o = plain<Observation>(d.toJSON());
                return [o.loincCode, o] as const;
              }),
            );
        for (const kind of VITAL_KINDS) {
          const value = vitals[kind];
          if (value === undefined) continue;
          const sign = VITAL_SIGNS[kind];
          const previous = existingObs.get(sign.loincCode);
          const obs = validDocument('observation', {
            id: previous?.id ?? newId(),
            patientId: draft.patientId,
            encounterId: id,
            loincCode: sign.loincCode,
            display: sign.display,
            value: { type: 'quantity', value },
            unit: sign.unit,
            effectiveAt: encounter.start,
            status: previous ? 'amended' : 'final',
            createdAt: previous?.createdAt ?? now,
            updatedAt: previous ? after(previous.updatedAt, now) : now,
          });
          observations.push(obs);
          extra.push(clinical(previous ? 'update' : 'create', draft.patientId, 'observation', obs.id));
        }

        const allergies = (draft.allergies ?? []).map((a) =>
          validDocument('allergy', {
            id: newId(),
            patientId: draft.patientId,
            substance: a.substance,
            ...(a.reaction === undefined ? {} : { reaction: a.reaction }),
            ...(a.severity === undefined ? {} : { severity: a.severity }),
            criticality: a.criticality,
            status: 'active',
            recordedAt: now,
            recorderRpps: rpps,
            createdAt: now,
            updatedAt: now,
          }),
        );
        for (const a of allergies) extra.push(clinical('create', draft.patientId, 'allergy', a.id));

        let prescription: Prescription | null = null;
        if (draft.prescription !== undefined) {
          const existing = creating ? null : await db.prescription.findOne({ selector: { encounterId: id, patientId: draft.patientId } }).exec();
          const before = existing === null ? undefined : plain<Prescription>(existing.toJSON());
          prescription = validDocument('prescription', {
            id: before?.id ?? newId(),
            patientId: draft.patientId,
            encounterId: id,
            prescriberRpps: rpps,
            date: parisDateOf(now),
            lines: draft.prescription.lines,
            renewals: draft.prescription.renewals,
            status: 'active',
            createdAt: before?.createdAt ?? now,
            updatedAt: before ? after(before.updatedAt, now) : now,
          });
          extra.push(clinical(before ? 'update' : 'create', draft.patientId, 'prescription', prescription.id));
        }
        await writeEncounter();
        if (observations.length > 0) await db.observation.bulkUpsert(observations);
        if (allergies.length > 0) await db.allergy.bulkInsert(allergies);
        if (prescription !== null) await db.prescription.upsert(prescription);
        await access.record(actor, extra);
        return { encounter, observations, allergies, prescription };
      });
    },

    async sign(encounterId, entryId) {
      const previous = await target('sign', encounterId);
      return access.run(clinical('sign', previous.patientId, 'encounter', encounterId), async (actor) => {
        const now = instantOf(deps.clock);
        const i = previous.entries.findIndex((e) => e.id === entryId);
        const entry = previous.entries[i];
        if (entry === undefined) throw new AppError('ENCOUNTER_ENTRY_NOT_FOUND');
        const entries = [...previous.entries];
        entries[i] = signEntry(entry, actor, now);
        return replaceEncounter(previous, { ...previous, entries, updatedAt: after(previous.updatedAt, now) });
      });
    },

    async addendum(encounterId, amends, text, sign = false) {
      const previous = await target('update', encounterId);
      return access.run(clinical('update', previous.patientId, 'encounter', encounterId), async (actor) => {
        const rpps = rppsOf(actor);
        if (!previous.entries.some((e) => e.id === amends)) throw new AppError('ENCOUNTER_ENTRY_NOT_FOUND');
        const now = instantOf(deps.clock);
        let entry: EncounterEntry = { id: newId(), kind: 'addendum', text, authorRpps: rpps, createdAt: now, amends };
        if (sign) entry = signEntry(entry, actor, now);
        const next = await replaceEncounter(previous, {
          ...previous,
          entries: [...previous.entries, entry],
          updatedAt: after(previous.updatedAt, now),
        });
        if (sign) await access.record(actor, [clinical('sign', previous.patientId, 'encounter', encounterId)]);
        return next;
      });
    },

    async timeline(patientId) {
      return access.run(clinical('read', patientId, 'timeline', patientId), async () => {
        const selector = { selector: { patientId } };
        const [encounters, observations, prescriptions, allergies, documents] = await Promise.all([
          db.encounter.find(selector).exec(),
          db.observation.find(selector).exec(),
          db.prescription.find(selector).exec(),
          db.allergy.find(selector).exec(),
          db.document.find(selector).exec(),
        ]);
        const items: TimelineItem[] = [
          ...encounters.map((d) => {
            const encounter = plain<Encounter>(d.toJSON());
            return { kind: 'encounter' as const, at: encounter.start, encounter };
          }),
          ...observations.map((d) => {
            const observation = plain<Observation>(d.toJSON());
            return { kind: 'observation' as const, at: observation.effectiveAt, observation };
          }),
          ...prescriptions.map((d) => {
            const prescription = plain<Prescription>(d.toJSON());
            return { kind: 'prescription' as const, at: prescription.createdAt, prescription };
          }),
          ...allergies.map((d) => {
            const allergy = plain<Allergy>(d.toJSON());
            return { kind: 'allergy' as const, at: allergy.recordedAt, allergy };
          }),
          ...documents.map((d) => {
            const document = plain<ClinicalDocument>(d.toJSON());
            return { kind: 'document' as const, at: document.createdAt, document };
          }),
        ];
        return items.sort(byAtDesc);
      });
    },

    async vitals(patientId, kinds = VITAL_KINDS) {
      return access.run(clinical('read', patientId, 'observation', patientId), async () => {
        const wanted = new Map<string, VitalKind>(kinds.map((k) => [VITAL_SIGNS[k].loincCode, k]));
        const docs = await db.observation
          .find({ selector: { patientId, loincCode: { $in: [...wanted.keys()] } }, sort: [{ effectiveAt: 'asc' }] })
          .exec();
        const series = new Map<VitalKind, VitalSeries>();
        for (const kind of kinds) {
          const sign = VITAL_SIGNS[kind];
          series.set(kind, { kind, loincCode: sign.loincCode, unit: sign.unit, points: [] });
        }
        for (const d of docs) {
          const o = plain<Observation>(d.toJSON());
          const kind = wanted.get(o.loincCode);
          if (kind === undefined || o.value.type !== 'quantity') continue;
          if (o.status === 'cancelled' || o.status === 'entered-in-error') continue;
          series.get(kind)?.points.push({ at: o.effectiveAt, value: o.value.value, observationId: o.id });
        }
        return [...series.values()];
      });
    },
  };
}

import { INS_OIDS } from '../identifiers/ins';
import type { FhirBundle, FhirResource } from './bundle';
import { FR_CORE_PROFILES, FR_CORE_VITAL_PROFILES, SYSTEMS } from './bundle';

/**
 * The FR Core (and RNIV) rules of an export that can be checked without the FR Core
 * package's StructureDefinitions (not on the npm registry): the INS only on a qualified
 * identity and under an INS OID, the identity reliability extension, the IDNPS of
 * practitioners, profiles matching content, and every reference resolving inside the
 * Bundle. Returns the problems found, one sentence each (empty when none). Used by the
 * tests beside the R4 validation, and usable by anyone who receives an export.
 */
export function frCoreProblems(bundle: FhirBundle): string[] {
  const problems: string[] = [];
  const urls = new Set<string>();
  for (const [i, e] of bundle.entry.entries()) {
    if (e.fullUrl !== `urn:uuid:${e.resource.id ?? ''}`)
      problems.push(`entry ${i}: fullUrl is not urn:uuid:<id>`);
    if (urls.has(e.fullUrl)) problems.push(`entry ${i}: duplicate fullUrl ${e.fullUrl}`);
    urls.add(e.fullUrl);
  }
  const walk = (node: unknown, where: string): void => {
    if (Array.isArray(node)) node.forEach((n, i) => walk(n, `${where}[${i}]`));
    else if (typeof node === 'object' && node !== null) {
      for (const [k, v] of Object.entries(node)) {
        if (k === 'reference' && typeof v === 'string' && !urls.has(v))
          problems.push(`${where}: reference ${v} does not resolve in the Bundle`);
        else walk(v, `${where}.${k}`);
      }
    }
  };
  for (const e of bundle.entry) walk(e.resource, `${e.resource.resourceType}/${e.resource.id ?? ''}`);

  const patients = bundle.entry.filter((e) => e.resource.resourceType === 'Patient');
  if (patients.length !== 1) problems.push(`the Bundle holds ${patients.length} Patient resources, not 1`);
  for (const { resource } of patients) problems.push(...patientProblems(resource));
  for (const { resource } of bundle.entry) {
    const profiles = (resource['meta'] as { profile?: string[] } | undefined)?.profile ?? [];
    if (resource.resourceType === 'Practitioner') {
      const ids =
        (resource['identifier'] as
          { system?: string; value?: string; type?: { coding?: { code?: string }[] } }[] | undefined) ?? [];
      const idnps = ids.find((i) => i.system === SYSTEMS.idnps);
      if (idnps === undefined) problems.push(`Practitioner/${resource.id ?? ''}: no IDNPS identifier`);
      else if (!/^8[0-9]{11}$/.test(idnps.value ?? ''))
        problems.push(`Practitioner/${resource.id ?? ''}: IDNPS is not 8 + RPPS`);
      else if (idnps.type?.coding?.[0]?.code !== 'IDNPS')
        problems.push(`Practitioner/${resource.id ?? ''}: identifier type is not IDNPS`);
      if (!profiles.includes(FR_CORE_PROFILES.practitioner))
        problems.push(`Practitioner/${resource.id ?? ''}: FR Core profile missing`);
    }
    if (resource.resourceType === 'Encounter') {
      if (!profiles.includes(FR_CORE_PROFILES.encounter))
        problems.push(`Encounter/${resource.id ?? ''}: FR Core profile missing`);
      if (resource['class'] === undefined || resource['subject'] === undefined)
        problems.push(`Encounter/${resource.id ?? ''}: class or subject missing`);
    }
    if (resource.resourceType === 'Observation') {
      const code = (resource['code'] as { coding?: { system?: string; code?: string }[] }).coding?.[0];
      const expected = code?.code === undefined ? undefined : FR_CORE_VITAL_PROFILES[code.code];
      if (code?.system !== SYSTEMS.loinc)
        problems.push(`Observation/${resource.id ?? ''}: code is not LOINC`);
      if (expected !== undefined) {
        if (!profiles.includes(expected))
          problems.push(`Observation/${resource.id ?? ''}: FR Core vital-sign profile missing`);
        const category = (resource['category'] as { coding?: { code?: string }[] }[])[0]?.coding?.[0]?.code;
        if (category !== 'vital-signs')
          problems.push(`Observation/${resource.id ?? ''}: vital sign without vital-signs category`);
        const q = resource['valueQuantity'] as { system?: string; code?: string } | undefined;
        if (q !== undefined && (q.system !== SYSTEMS.ucum || q.code === undefined))
          problems.push(`Observation/${resource.id ?? ''}: vital sign value not in UCUM`);
      }
    }
  }
  return problems;
}

function patientProblems(p: FhirResource): string[] {
  const out: string[] = [];
  const id = `Patient/${p.id ?? ''}`;
  const ext =
    (p['extension'] as
      | { url: string; extension?: { url: string; valueCoding?: { code?: string; system?: string } }[] }[]
      | undefined) ?? [];
  const reliability = ext.find((e) => e.url === SYSTEMS.identityReliability);
  const status = reliability?.extension?.find((e) => e.url === 'identityStatus')?.valueCoding;
  if (status === undefined || !['PROV', 'VALI', 'RECUP', 'QUAL'].includes(status.code ?? ''))
    out.push(`${id}: identity reliability status missing or unknown`);
  const ids = (p['identifier'] as { system?: string; value?: string }[] | undefined) ?? [];
  const ins = ids.filter((i) => INS_OIDS.some((oid) => i.system === SYSTEMS.ins(oid)));
  const profiles = (p['meta'] as { profile?: string[] } | undefined)?.profile ?? [];
  if (ins.length > 0 && status?.code !== 'QUAL')
    out.push(`${id}: INS exported on an identity that is not qualified (${status?.code ?? '?'})`);
  if (ins.length > 1) out.push(`${id}: more than one INS`);
  for (const i of ins)
    if (!/^[0-9]{5}(?:[0-9]{2}|2A|2B)[0-9]{8}$/.test(i.value ?? ''))
      out.push(`${id}: INS matricule malformed`);
  if (ins.length > 0 && !profiles.includes(FR_CORE_PROFILES.patientIns))
    out.push(`${id}: INS without the FR Core Patient INS profile`);
  if (ins.length === 0 && !profiles.includes(FR_CORE_PROFILES.patient))
    out.push(`${id}: FR Core Patient profile missing`);
  const names = (p['name'] as { use?: string; family?: string; given?: string[] }[] | undefined) ?? [];
  const official = names.find((n) => n.use === 'official');
  if (official?.family === undefined || (official.given ?? []).length === 0)
    out.push(`${id}: official name (birth name and first names) missing`);
  if (p['birthDate'] === undefined || p['gender'] === undefined)
    out.push(`${id}: birth date or gender missing`);
  return out;
}

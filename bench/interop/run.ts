import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { recordBundle } from '../../shared/src/fhir';
import { sampleObservations, sampleRecord } from '../../shared/src/fhir/sample-record';
import { parseHl7, readLabReport } from '../../shared/src/hl7';
import { openWorkstationStore } from '../../main/src/db/workstation-store';
import { createServices } from '../../main/src/services';
import type { Actor } from '../../main/src/services';
import { createVault, MIN_KDF } from '../../main/src/vault';

export type BenchLine = {
  bench: 'interop';
  workload: string;
  n: number;
  unit: string;
  value: number;
  compare: Record<string, number>;
};

const round = (x: number, digits = 1): number => Math.round(x * 10 ** digits) / 10 ** digits;
const load1 = (): number => round(os.loadavg()[0] ?? 0, 2);
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
};

/** An ORU^R01 as a French lab sends it: one PID with INS, one OBR, `obx` results with units and ranges, accents. */
export function sampleOru(i: number, obx = 20): string {
  const lines = [
    `MSH|^~\\&|LABO|BIOMED 75|CLINIQUE|CAB|20240315083000||ORU^R01^ORU_R01|MSG${i}|P|2.5|||||FRA|UNICODE UTF-8`,
    `PID|1||LAB${i}^^^BIOMED^PI~269054958815753^^^ASIP-SANTE-INS-NIR&1.2.250.1.213.1.4.8&ISO^INS||MÜLLER^Hélène^Hélène Marie^^^^L||19690512|F`,
    `OBR|1|CMD${i}|LAB-${i}|24331-1^Bilan lipidique^LN|||20240314073000`,
  ];
  const codes = ['2093-3^Cholestérol total', '2571-8^Triglycérides', '718-7^Hémoglobine', '2345-7^Glucose'];
  for (let k = 0; k < obx; k += 1) {
    lines.push(
      `OBX|${k + 1}|NM|${codes[k % codes.length] ?? ''}^LN|${k}|${(4 + (k % 7) / 10).toFixed(1)}|mmol/L|3.5-6.5|N|||F|||20240314073000`,
    );
  }
  return lines.join('\r');
}

export async function runInteropBench(options: {
  quick: boolean;
  emit: (line: BenchLine) => void;
  note: (text: string) => void;
}): Promise<void> {
  const { quick, emit, note } = options;
  note(
    `machine: ${os.cpus().length} cores, load average ${os
      .loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')} at start`,
  );

  // ---- HL7: parse + read ORU^R01 (20 results each) from bytes, as the import does.
  const messages = Array.from({ length: 200 }, (_, i) => new TextEncoder().encode(sampleOru(i)));
  const n = quick ? 2_000 : 20_000;
  for (let i = 0; i < 500; i += 1)
    readLabReport((parseHl7(messages[i % messages.length]) as { ok: true; value: never }).value);
  let t0 = performance.now();
  let observations = 0;
  for (let i = 0; i < n; i += 1) {
    const parsed = parseHl7(messages[i % messages.length]);
    if (!parsed.ok) throw new Error(parsed.error.code);
    const report = readLabReport(parsed.value);
    if (!report.ok) throw new Error(report.error.code);
    observations += report.value.observations.length;
  }
  const parseMs = performance.now() - t0;
  // Baseline: only decoding and splitting into segments and fields, no escapes, limits, charset nor reading.
  t0 = performance.now();
  let fields = 0;
  const decoder = new TextDecoder();
  for (let i = 0; i < n; i += 1) {
    for (const seg of decoder.decode(messages[i % messages.length]).split('\r'))
      fields += seg.split('|').length;
  }
  const splitMs = performance.now() - t0;
  note(`hl7: ${n} ORU^R01 messages, ${observations} results, ${fields} fields split by the baseline`);
  emit({
    bench: 'interop',
    workload: 'hl7-oru-parse',
    n,
    unit: 'msgs/s',
    value: round((n / parseMs) * 1000, 0),
    compare: { 'decode-split-only': round((n / splitMs) * 1000, 0), 'load-avg-1m': load1() },
  });

  // ---- FHIR: export of a patient with 500 observations from a real vault (SQLCipher + RxDB).
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-interop-'));
  try {
    const vault = await createVault(path.join(dir, 'vault'), 'cheval agrafe pile correcte', { kdf: MIN_KDF });
    const store = await openWorkstationStore(vault);
    const actor: Actor = {
      userId: 'bench',
      role: 'practitioner',
      displayName: 'Dr Bench',
      rpps: '10003456789',
      workstationId: 'ws-bench',
    };
    const services = createServices({ db: store.db, clock: { now: () => Date.now() }, actor: () => actor });
    try {
      const rec = sampleRecord(0);
      const obs = sampleObservations(rec.patient.id, 500, rec.encounters[0]?.id);
      await store.db.patient.insert(rec.patient);
      await store.db.encounter.bulkInsert([...rec.encounters]);
      await store.db.observation.bulkInsert(obs);
      await store.db.allergy.bulkInsert([...rec.allergies]);
      await store.db.prescription.bulkInsert([...rec.prescriptions]);
      await store.db.imaging_study.bulkInsert([...rec.imagingStudies]);
      const runs = quick ? 3 : 9;
      const exportMs: number[] = [];
      const pdfMs: number[] = [];
      let bytes = 0;
      await services.interop.exports.export(rec.patient.id, 'fhir-bundle');
      for (let i = 0; i < runs; i += 1) {
        const t = performance.now();
        const file = await services.interop.exports.export(rec.patient.id, 'fhir-bundle');
        exportMs.push(performance.now() - t);
        bytes = file.bytes.length;
      }
      // Baseline: the same Bundle built from a record already in memory (no vault read, no audit event, no JSON text).
      const inMemory = { ...rec, observations: obs, documents: [] };
      const bundleMs: number[] = [];
      for (let i = 0; i < runs; i += 1) {
        const t = performance.now();
        recordBundle(inMemory, { at: new Date().toISOString() });
        bundleMs.push(performance.now() - t);
      }
      for (let i = 0; i < Math.min(runs, 3); i += 1) {
        const t = performance.now();
        await services.interop.exports.export(rec.patient.id, 'pdf-summary');
        pdfMs.push(performance.now() - t);
      }
      note(
        `fhir: Bundle of ${bytes} bytes (500 observations + encounter, allergy, 2 MedicationRequests, ImagingStudy), median of ${runs} runs`,
      );
      emit({
        bench: 'interop',
        workload: 'fhir-export-500-observations',
        n: 500,
        unit: 'ms',
        value: round(median(exportMs)),
        compare: { 'bundle-in-memory': round(median(bundleMs)), 'load-avg-1m': load1() },
      });
      emit({
        bench: 'interop',
        workload: 'pdf-summary-500-observations',
        n: 500,
        unit: 'ms',
        value: round(median(pdfMs)),
        compare: { 'load-avg-1m': load1() },
      });
    } finally {
      services.close();
      await store.close();
      await vault.lock();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

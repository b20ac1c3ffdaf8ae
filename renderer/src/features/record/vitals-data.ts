import type { ApiResponse, VitalKind } from '../../../../shared/src/api/contract';

export type VitalSeries = ApiResponse<'observations:vitals'>['series'][number];

/** What the chart offers: blood pressure is one chart of two series; the others one each. */
export const VITAL_GROUPS = {
  weight: ['weight'],
  bloodPressure: ['systolic', 'diastolic'],
  heartRate: ['heartRate'],
  temperature: ['temperature'],
  spo2: ['spo2'],
  bmi: ['bmi'],
  height: ['height'],
  respiratoryRate: ['respiratoryRate'],
} as const satisfies Record<string, readonly VitalKind[]>;
export type VitalGroup = keyof typeof VITAL_GROUPS;
export const VITAL_GROUP_NAMES = Object.keys(VITAL_GROUPS) as VitalGroup[];

/**
 * uPlot's aligned columns: x = seconds since the epoch (every instant of any series,
 * ascending, once), then one column per series with null where it has no value then.
 */
export function alignSeries(series: readonly VitalSeries[]): [number[], ...(number | null)[][]] {
  const xs = [...new Set(series.flatMap((s) => s.points.map((p) => Date.parse(p.at) / 1000)))].sort(
    (a, b) => a - b,
  );
  const index = new Map(xs.map((x, i) => [x, i]));
  const columns = series.map((s) => {
    const col: (number | null)[] = xs.map(() => null);
    for (const p of s.points) {
      const i = index.get(Date.parse(p.at) / 1000);
      if (i !== undefined) col[i] = p.value;
    }
    return col;
  });
  return [xs, ...columns];
}

/** Rows for the table beside the chart (the chart's text alternative): one per instant, newest first. */
export function vitalsTable(series: readonly VitalSeries[]): { at: string; values: (number | null)[] }[] {
  const [xs, ...cols] = alignSeries(series);
  return xs
    .map((x, i) => ({ at: new Date(x * 1000).toISOString(), values: cols.map((c) => c[i] ?? null) }))
    .reverse();
}

import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import type { UiLocale } from '../../i18n/locales';
import { formatDate, formatDateTime, formatNumber } from '../../i18n/format';
import type { VitalSeries } from './vitals-data';
import { alignSeries } from './vitals-data';

const COLOURS = ['#0b5cad', '#b3261e', '#1b7f3b'];

/**
 * A uPlot line chart of one group of vitals. Dates on the axis and in the legend are
 * formatted by our Intl formatters (Paris time, UI language), not uPlot's English
 * templates. The canvas is hidden from screen readers: the table beside it carries the data.
 */
export function VitalsChart(props: {
  readonly series: readonly VitalSeries[];
  readonly labels: readonly string[];
  readonly locale: UiLocale;
  readonly title: string;
  /** Legend label of the time axis (uPlot's default is English "Time"). */
  readonly timeLabel: string;
}) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = host.current;
    if (!el || props.series.length === 0) return;
    const { locale } = props;
    const width = Math.max(320, el.clientWidth || 640);
    const chart = new uPlot(
      {
        title: props.title,
        width,
        height: 280,
        // One measurement alone would get a span of years around it: show a week instead.
        scales: {
          x: {
            time: true,
            range: (_u, min, max) => (min === max ? [min - 3.5 * 86_400, max + 3.5 * 86_400] : [min, max]),
          },
        },
        series: [
          {
            label: props.timeLabel,
            value: (_u, v) => (v == null ? '' : formatDateTime(new Date(v * 1000).toISOString(), locale)),
          },
          ...props.series.map((s, i) => ({
            label: props.labels[i] ?? s.kind,
            stroke: COLOURS[i % COLOURS.length],
            width: 2,
            points: { show: true, size: 6 },
            spanGaps: true,
            value: (_u: uPlot, v: number | null) => (v == null ? '—' : formatNumber(v, locale, 1)),
          })),
        ],
        axes: [
          {
            space: 100,
            // Within two days the date alone would repeat on every tick: show the time too.
            values: (_u, splits) => {
              const span = (splits[splits.length - 1] ?? 0) - (splits[0] ?? 0);
              const format = span < 2 * 86_400 ? formatDateTime : formatDate;
              return splits.map((v) => format(new Date(v * 1000).toISOString(), locale));
            },
          },
          { values: (_u, splits) => splits.map((v) => formatNumber(v, locale, 1)) },
        ],
      },
      alignSeries(props.series),
      el,
    );
    const observer = new ResizeObserver(() =>
      chart.setSize({ width: Math.max(320, el.clientWidth), height: 280 }),
    );
    observer.observe(el);
    return () => {
      observer.disconnect();
      chart.destroy();
    };
  }, [props.series, props.labels, props.locale, props.title, props.timeLabel]);
  return <div ref={host} className="vitals-chart" aria-hidden="true" />;
}

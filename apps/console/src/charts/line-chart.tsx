import { useEffect, useId, useRef } from "react";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";

export interface ChartSeries {
  label: string;
  /** One value per x; null leaves a gap. */
  values: (number | null)[];
}

export interface LineChartProps {
  title: string;
  /** What the y axis measures, e.g. "events / s". */
  unit: string;
  /** The x values: unix seconds for a time axis, plain numbers otherwise. */
  x: number[];
  series: ChartSeries[];
  /** A time axis (seconds) or a numeric one. */
  time?: boolean;
  height?: number;
}

/** Colours that stay apart for the usual kinds of colour blindness (Okabe–Ito). */
export const PALETTE = [
  "#0072b2",
  "#e69f00",
  "#009e73",
  "#cc79a7",
  "#56b4e9",
  "#d55e00",
  "#000000",
  "#f0e442",
];

/**
 * A line chart drawn by uPlot, redrawn in place as data arrives. The canvas is described for screen readers by a
 * table of the latest values beside it.
 */
export function LineChart({ title, unit, x, series, time = true, height = 220 }: LineChartProps) {
  const container = useRef<HTMLDivElement>(null);
  const chart = useRef<uPlot | null>(null);
  const captionId = useId();
  const labels = series.map((entry) => entry.label).join("\u0000");

  // A new set of series needs a new chart; new data for the same series only a redraw (below).
  // biome-ignore lint/correctness/useExhaustiveDependencies: `labels` stands for the series' identity
  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const plot = new uPlot(
      {
        width: Math.max(element.clientWidth, 300),
        height,
        scales: { x: { time } },
        axes: [{}, { label: unit, size: 60 }],
        series: [
          { label: time ? "time" : "x" },
          ...series.map((entry, index) => ({
            label: entry.label,
            stroke: PALETTE[index % PALETTE.length],
            width: 2,
            spanGaps: false,
          })),
        ],
      },
      [x, ...series.map((entry) => entry.values)] as uPlot.AlignedData,
      element,
    );
    chart.current = plot;
    const resize = new ResizeObserver(() =>
      plot.setSize({ width: Math.max(element.clientWidth, 300), height }),
    );
    resize.observe(element);
    return () => {
      resize.disconnect();
      plot.destroy();
      chart.current = null;
    };
  }, [labels, unit, time, height]);

  useEffect(() => {
    chart.current?.setData([x, ...series.map((entry) => entry.values)] as uPlot.AlignedData);
  }, [x, series]);

  const last = x.length - 1;
  return (
    <figure className="chart" aria-labelledby={captionId}>
      <figcaption id={captionId}>
        {title} <span className="hint">({unit})</span>
      </figcaption>
      <div ref={container} role="img" aria-label={`${title}: chart of ${series.length} series`} />
      <table className="visually-hidden">
        <caption>{title}, latest values</caption>
        <tbody>
          {series.map((entry) => (
            <tr key={entry.label}>
              <th scope="row">{entry.label}</th>
              <td>{last >= 0 ? (entry.values[last] ?? "—") : "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}

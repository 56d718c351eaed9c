/** Text for HTML and SVG: the five characters markup gives a meaning. */
export function escapeHtml(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

/** 12,345 — grouping done by hand, so the text never depends on the machine's locale. */
export function formatCount(value: number): string {
  const [whole, fraction] = String(Math.round(value * 100) / 100).split(".");
  const grouped = whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return fraction === undefined ? grouped : `${grouped}.${fraction}`;
}

/** A metric as reports show it: shares with 4 decimals, bits with 2. */
export function formatMetric(value: number, unit: "ratio" | "bits"): string {
  return unit === "bits" ? value.toFixed(2) : value.toFixed(4);
}

/** A UTC date, e.g. 2018-09-24: the same text wherever the report is rendered. */
export function formatDate(timeMs: number | null): string {
  return timeMs === null ? "—" : new Date(timeMs).toISOString().slice(0, 10);
}

/** A UTC time to the second, for spans shorter than a few days. */
export function formatDateTime(timeMs: number | null): string {
  return timeMs === null ? "—" : `${new Date(timeMs).toISOString().slice(0, 19).replace("T", " ")} UTC`;
}

/** The shortest of 0.1, 0.2, 0.25, 0.5, 1 … × a power of ten that is at least `value`: round axis maxima. */
export function niceCeiling(value: number): number {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

import { funPrefixNamer, type Namer } from "quicktype-core";

export const PASCAL_CASE = /^[A-Z][A-Za-z0-9]*$/;
// Go spells initialisms in one case (ItemID, ImageURLs); quicktype's style also upper-cases words it only
// guesses are acronyms (Lte became LTE).
const INITIALISMS = new Set(["api", "html", "http", "id", "ip", "json", "ms", "sku", "uri", "url", "uuid"]);

/** The Go name of a JSON property: Go spelling of its snake_case words, initialisms in one case. */
export function goFieldName(jsonName: string): string {
  return jsonName
    .split(/[^A-Za-z0-9]+/)
    .filter((word) => word.length > 0)
    .map((word) => {
      const lower = word.toLowerCase();
      if (INITIALISMS.has(lower)) return lower.toUpperCase();
      if (lower.endsWith("s") && INITIALISMS.has(lower.slice(0, -1)))
        return `${lower.slice(0, -1).toUpperCase()}s`;
      return lower[0]!.toUpperCase() + lower.slice(1);
    })
    .join("");
}

/** Titles are already Go type names; other names (inferred from property names) get `fallback`'s style. */
export function goTypeNamer(fallback: Namer): Namer {
  return funPrefixNamer("types", (raw) => (PASCAL_CASE.test(raw) ? raw : fallback.nameStyle(raw)));
}

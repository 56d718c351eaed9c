/**
 * Text → search tokens, the same function for indexed text and for queries (so whatever it folds, it folds on
 * both sides). Rules, applied in this order:
 *
 * 1. Unicode NFKD: compatibility characters become their plain forms ("ﬁ" → "fi", full-width "Ａ" → "A",
 *    "²" → "2") and accented letters split into a base letter plus combining marks.
 * 2. Lower case (locale-independent `toLowerCase`, so the result never depends on the host's locale).
 * 3. Every combining mark (`\p{M}`) is removed: "Café" → "cafe", "Ångström" → "angstrom", "İ" → "i".
 * 4. Split on every run of characters that are neither letters (`\p{L}`) nor digits (`\p{N}`): spaces,
 *    punctuation, symbols, ">" of category paths… Empty pieces are dropped. Digits are kept, alone or inside
 *    words ("42", "ps5"). Scripts without spaces (Chinese, Japanese, Thai) are not segmented: a run of their
 *    letters is one token.
 * 5. Light English plural fold: a token of only ASCII letters a–z, longer than 3 letters, ending in "s" but not
 *    in "ss", loses that final "s" ("shoes" → "shoe", "bags" → "bag"; "glass", "bus", "gas" stay). Nothing
 *    smarter (no "ies" → "y"): the fold only has to be the same on both sides.
 *
 * Pure and deterministic: the output depends on `text` only.
 */
export function tokenize(text: string): string[] {
  const tokens: string[] = [];
  if (text.length === 0) return tokens;
  if (!NON_ASCII.test(text)) return tokenizeAscii(text, tokens);
  const folded = text.normalize("NFKD").toLowerCase().replace(COMBINING_MARKS, "");
  for (const piece of folded.split(NON_WORD)) {
    if (piece.length > 0) tokens.push(foldPlural(piece));
  }
  return tokens;
}

/** Pure ASCII text (the common case) skips NFKD and the Unicode regexes: the rules give the same tokens. */
function tokenizeAscii(text: string, tokens: string[]): string[] {
  const lower = text.toLowerCase();
  let start = -1;
  for (let i = 0; i <= lower.length; i++) {
    const c = i < lower.length ? lower.charCodeAt(i) : 0;
    const word = (c >= LOWER_A && c <= LOWER_Z) || (c >= DIGIT_0 && c <= DIGIT_9);
    if (word) {
      if (start < 0) start = i;
    } else if (start >= 0) {
      tokens.push(foldPlural(lower.slice(start, i)));
      start = -1;
    }
  }
  return tokens;
}

const NON_ASCII = /[\u0080-\uFFFF]/;
const COMBINING_MARKS = /\p{M}+/gu;
const NON_WORD = /[^\p{L}\p{N}]+/u;

const LOWER_A = 97;
const LOWER_Z = 122;
const LOWER_S = 115;
const DIGIT_0 = 48;
const DIGIT_9 = 57;

/** Rule 5 of {@link tokenize}. */
function foldPlural(token: string): string {
  const n = token.length;
  if (n <= 3 || token.charCodeAt(n - 1) !== LOWER_S || token.charCodeAt(n - 2) === LOWER_S) return token;
  for (let i = 0; i < n - 1; i++) {
    const c = token.charCodeAt(i);
    if (c < LOWER_A || c > LOWER_Z) return token;
  }
  return token.slice(0, n - 1);
}

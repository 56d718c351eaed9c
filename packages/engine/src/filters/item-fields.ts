/**
 * The read-only view of catalog items that compiled filters use. Items are addressed by their dense index
 * (0..n-1); the catalog implements this interface, tests use small in-memory fakes.
 */
export interface ItemFields {
  itemId(item: number): string;
  /** The item's type; "product" when not set. */
  itemType(item: number): string;
  title(item: number): string | undefined;
  brand(item: number): string | undefined;
  /** Category paths, each normalised by {@link normaliseCategoryPath} ("A > B > C"). */
  categories(item: number): readonly string[];
  tags(item: number): readonly string[];
  price(item: number): number | undefined;
  originalPrice(item: number): number | undefined;
  currency(item: number): string | undefined;
  inStock(item: number): boolean;
  /** Publication time, epoch milliseconds. */
  publishedAt(item: number): number | undefined;
  /** A custom attribute as stored, or undefined when the item does not have it. */
  attribute(item: number, name: string): string | number | boolean | undefined;
}

/**
 * Normalises a category path: splits on ">", trims every level, drops empty levels and joins the rest with
 * " > ". `" Shoes>Running > "` becomes `"Shoes > Running"`; a path without any non-empty level becomes "".
 */
export function normaliseCategoryPath(path: string): string {
  const levels: string[] = [];
  for (const raw of path.split(">")) {
    const level = raw.trim();
    if (level !== "") levels.push(level);
  }
  return levels.join(" > ");
}

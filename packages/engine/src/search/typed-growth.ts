/**
 * Growth helpers for the index's typed arrays: the index keeps no JS object per item, token or posting, only
 * typed arrays that grow by 1.25× (so slack stays under a quarter) and paged arenas whose blocks never straddle
 * a page (so growing an arena appends a page and never copies).
 */

export function grownU32(array: Uint32Array<ArrayBuffer>, min: number): Uint32Array<ArrayBuffer> {
  if (array.length >= min) return array;
  const next = new Uint32Array(Math.max(min, Math.ceil(array.length * 1.25), 64));
  next.set(array);
  return next;
}

export function grownU16(array: Uint16Array<ArrayBuffer>, min: number): Uint16Array<ArrayBuffer> {
  if (array.length >= min) return array;
  const next = new Uint16Array(Math.max(min, Math.ceil(array.length * 1.25), 64));
  next.set(array);
  return next;
}

export function grownU8(array: Uint8Array<ArrayBuffer>, min: number): Uint8Array<ArrayBuffer> {
  if (array.length >= min) return array;
  const next = new Uint8Array(Math.max(min, Math.ceil(array.length * 1.25), 64));
  next.set(array);
  return next;
}

/** `offset` if a block of `size` fits in the rest of its page (of `pageSize`), else the next page's start. */
export function fitInPage(offset: number, size: number, pageSize: number): number {
  const inPage = offset % pageSize;
  return inPage + size <= pageSize ? offset : offset - inPage + pageSize;
}

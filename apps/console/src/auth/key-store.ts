/** Where the server key is kept: this tab's session storage only, so it is gone when the tab closes. */
const STORAGE_KEY = "sibyl.console.serverKey";

export function loadKey(storage: Storage = sessionStorage): string | null {
  return storage.getItem(STORAGE_KEY);
}

export function saveKey(key: string, storage: Storage = sessionStorage): void {
  storage.setItem(STORAGE_KEY, key);
}

export function forgetKey(storage: Storage = sessionStorage): void {
  storage.removeItem(STORAGE_KEY);
}

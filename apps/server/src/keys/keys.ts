import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export type KeyKind = "tracking" | "server";

/**
 * The API keys, compared in constant time: every presented key is hashed and compared with every known key of
 * every kind, so neither which key matched nor how much of it matched shows in the timing.
 */
export class KeyRing {
  private readonly known: { kind: KeyKind; digest: Buffer }[];

  constructor(trackingKeys: readonly string[], serverKeys: readonly string[]) {
    this.known = [
      ...trackingKeys.map((key) => ({ kind: "tracking" as const, digest: digest(key) })),
      ...serverKeys.map((key) => ({ kind: "server" as const, digest: digest(key) })),
    ];
  }

  /** The kind of a presented key, or undefined for an unknown one. */
  kindOf(presented: string): KeyKind | undefined {
    const presentedDigest = digest(presented);
    let found: KeyKind | undefined;
    for (const { kind, digest: knownDigest } of this.known) {
      if (timingSafeEqual(presentedDigest, knownDigest) && found === undefined) found = kind;
    }
    return found;
  }
}

function digest(key: string): Buffer {
  return createHash("sha256").update(key, "utf8").digest();
}

export interface DevelopmentKeys {
  trackingKey: string;
  serverKey: string;
  /** True when they were created by this call (and should be shown once). */
  created: boolean;
  path: string;
}

/**
 * Development mode, when no key is configured: keys are created on first start, kept in `<dataDir>/keys.json`
 * (readable by the owner only) and reused after.
 */
export function developmentKeys(dataDir: string): DevelopmentKeys {
  const path = join(dataDir, "keys.json");
  if (existsSync(path)) {
    const stored = JSON.parse(readFileSync(path, "utf8")) as { trackingKey: string; serverKey: string };
    return { ...stored, created: false, path };
  }
  mkdirSync(dataDir, { recursive: true });
  const keys = {
    trackingKey: `pk_${randomBytes(18).toString("base64url")}`,
    serverKey: `sk_${randomBytes(24).toString("base64url")}`,
  };
  writeFileSync(path, `${JSON.stringify(keys, null, 2)}\n`, { mode: 0o600 });
  return { ...keys, created: true, path };
}

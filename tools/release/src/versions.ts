import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** Where each SDK keeps the version that must equal the schema package's. */
export const SDK_VERSION_FILES = {
  python: "packages/sdk-python/pyproject.toml",
  go: "packages/sdk-go/version.go",
} as const;

export type Sdk = keyof typeof SDK_VERSION_FILES;

// Each pattern matches the one line that carries the version, so a sync rewrites nothing else.
const VERSION_LINES: Record<Sdk, RegExp> = {
  python: /^(version\s*=\s*")([^"]+)(")/m,
  go: /^(const Version\s*=\s*")([^"]+)(")/m,
};

export class ReleaseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ReleaseError";
  }
}

/** The version of @sibyl/events: the schemas' version, which every SDK follows. */
export function schemaVersion(root: string): string {
  const manifest = JSON.parse(readFileSync(join(root, "packages/events/package.json"), "utf8")) as {
    version?: unknown;
  };
  if (typeof manifest.version !== "string") {
    throw new ReleaseError("packages/events/package.json has no version");
  }
  return manifest.version;
}

export function sdkVersion(root: string, sdk: Sdk): string {
  const file = SDK_VERSION_FILES[sdk];
  const match = VERSION_LINES[sdk].exec(readFileSync(join(root, file), "utf8"));
  if (!match?.[2]) throw new ReleaseError(`${file}: no version line matching ${VERSION_LINES[sdk]}`);
  return match[2];
}

export interface VersionChange {
  sdk: Sdk;
  file: string;
  from: string;
  to: string;
}

/**
 * Rewrites the SDKs' version lines to the schema package's version (run after `changeset version`, which only
 * knows npm packages). Returns what changed; with `check`, writes nothing.
 */
export function syncSdkVersions(root: string, options: { check?: boolean } = {}): VersionChange[] {
  const target = schemaVersion(root);
  const changes: VersionChange[] = [];
  for (const sdk of Object.keys(SDK_VERSION_FILES) as Sdk[]) {
    const file = SDK_VERSION_FILES[sdk];
    const path = join(root, file);
    const text = readFileSync(path, "utf8");
    const from = sdkVersion(root, sdk);
    if (from === target) continue;
    changes.push({ sdk, file, from, to: target });
    if (!options.check) writeFileSync(path, text.replace(VERSION_LINES[sdk], `$1${target}$3`));
  }
  return changes;
}

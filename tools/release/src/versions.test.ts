import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { ReleaseError, schemaVersion, sdkVersion, syncSdkVersions } from "./versions.js";

const PYPROJECT = `[project]
name = "sibyl-sdk"
version = "0.1.0"
requires-python = ">=3.9"

[tool.other]
version = "not this one"
`;
const VERSION_GO = `package sibyl

// Version is the SDK's version, equal to the schema package's.
const Version = "0.1.0"
`;

function fixture(eventsVersion: string): string {
  const root = mkdtempSync(join(tmpdir(), "sibyl-release-"));
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  write("packages/events/package.json", JSON.stringify({ name: "@sibyl/events", version: eventsVersion }));
  write("packages/sdk-python/pyproject.toml", PYPROJECT);
  write("packages/sdk-go/version.go", VERSION_GO);
  return root;
}

describe("syncSdkVersions", () => {
  it("rewrites only the version lines of pyproject.toml and version.go", () => {
    const root = fixture("0.2.0");
    const changes = syncSdkVersions(root);
    expect(changes.map((change) => [change.sdk, change.from, change.to])).toEqual([
      ["python", "0.1.0", "0.2.0"],
      ["go", "0.1.0", "0.2.0"],
    ]);
    expect(readFileSync(join(root, "packages/sdk-python/pyproject.toml"), "utf8")).toBe(
      PYPROJECT.replace('version = "0.1.0"', 'version = "0.2.0"'),
    );
    expect(readFileSync(join(root, "packages/sdk-go/version.go"), "utf8")).toBe(
      VERSION_GO.replace('"0.1.0"', '"0.2.0"'),
    );
    expect(syncSdkVersions(root)).toEqual([]);
  });

  it("in check mode reports the difference and writes nothing", () => {
    const root = fixture("1.0.0-rc.1");
    expect(syncSdkVersions(root, { check: true })).toHaveLength(2);
    expect(sdkVersion(root, "python")).toBe("0.1.0");
    expect(sdkVersion(root, "go")).toBe("0.1.0");
  });

  it("names the file when a version line is missing", () => {
    const root = fixture("0.2.0");
    writeFileSync(join(root, "packages/sdk-go/version.go"), "package sibyl\n");
    expect(() => syncSdkVersions(root)).toThrow(ReleaseError);
    expect(() => syncSdkVersions(root)).toThrow(/packages\/sdk-go\/version.go/);
    expect(schemaVersion(root)).toBe("0.2.0");
  });
});

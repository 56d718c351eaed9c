import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

export interface WorkspacePackage {
  name: string;
  version: string;
  /** Folder relative to the repository root. */
  dir: string;
}

const WORKSPACE_FOLDERS = ["packages", "apps", "tools"];

/** The workspace packages that are published to npm (every one not marked private), sorted by folder. */
export function publishedPackages(root: string): WorkspacePackage[] {
  const found: WorkspacePackage[] = [];
  for (const folder of WORKSPACE_FOLDERS) {
    const parent = join(root, folder);
    if (!existsSync(parent)) continue;
    for (const entry of readdirSync(parent).sort()) {
      const manifestPath = join(parent, entry, "package.json");
      if (!existsSync(manifestPath)) continue;
      const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as {
        name: string;
        version: string;
        private?: boolean;
      };
      if (manifest.private) continue;
      found.push({ name: manifest.name, version: manifest.version, dir: `${folder}/${entry}` });
    }
  }
  return found;
}

import { relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { type Artefact, buildPython, packNpm, run } from "./artefacts.js";
import { ReleaseError, SDK_VERSION_FILES, type Sdk, schemaVersion, sdkVersion, syncSdkVersions } from "./versions.js";
import { publishedPackages } from "./workspace.js";

const USAGE = `Usage: sibyl-release sync [--check]
       sibyl-release publish [--dry-run] [--out <dir>]

  sync       set the Python and Go SDK versions to @sibyl/events' version (after \`changeset version\`);
             --check writes nothing and exits 1 when they differ
  publish    build every published package, pack the npm tarballs, build the Python wheel and sdist, then
             publish them and tag the Go module; --dry-run stops after building and prints what would happen
  --out      where artefacts go (default: dist/release)`;

function findRoot(): string {
  return resolve(new URL("../../..", import.meta.url).pathname);
}

function sync(root: string, check: boolean): number {
  const changes = syncSdkVersions(root, { check });
  for (const change of changes) {
    console.log(`${check ? "differs" : "updated"}: ${change.file} ${change.from} → ${change.to}`);
  }
  if (changes.length === 0) console.log(`SDK versions equal @sibyl/events ${schemaVersion(root)}.`);
  return check && changes.length > 0 ? 1 : 0;
}

function publish(root: string, outDir: string, dryRun: boolean): number {
  const version = schemaVersion(root);
  const stale = (Object.keys(SDK_VERSION_FILES) as Sdk[]).filter((sdk) => sdkVersion(root, sdk) !== version);
  if (stale.length > 0) {
    throw new ReleaseError(
      `${stale.map((sdk) => SDK_VERSION_FILES[sdk]).join(", ")} not at ${version}: run \`pnpm version-packages\``,
    );
  }
  console.log(`== building every package (turbo run build)`);
  run("pnpm", ["exec", "turbo", "run", "build"], root);
  const packages = publishedPackages(root);
  console.log(`== packing ${packages.length} npm packages`);
  const artefacts: Artefact[] = packNpm(root, packages, outDir);
  console.log("== building the Python SDK (wheel and sdist)");
  artefacts.push(...buildPython(root, outDir));
  const goTag = `packages/sdk-go/v${version}`;

  console.log(`\n${dryRun ? "Would publish" : "Publishing"} (schemas version ${version}):`);
  for (const artefact of artefacts) {
    console.log(`  ${artefact.kind.padEnd(5)} ${relative(root, artefact.file)} (${artefact.bytes} bytes)`);
  }
  console.log(`  go    tag ${goTag} (module github.com/sibyl-dev/sibyl/packages/sdk-go)`);
  if (dryRun) {
    console.log("\nDry run: nothing was published or tagged.");
    return 0;
  }
  run("pnpm", ["exec", "changeset", "publish"], root);
  const wheels = artefacts.filter((artefact) => artefact.kind !== "npm").map((artefact) => artefact.file);
  run("python3", ["-m", "twine", "upload", ...wheels], root);
  run("git", ["tag", goTag], root);
  console.log(`\nPublished. Push the tags: git push --follow-tags && git push origin ${goTag}`);
  return 0;
}

function main(): number {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      check: { type: "boolean", default: false },
      "dry-run": { type: "boolean", default: false },
      out: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  const [command] = positionals;
  const root = findRoot();
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (command === "sync") return sync(root, values.check);
  if (command === "publish") {
    return publish(root, resolve(values.out ?? resolve(root, "dist/release")), values["dry-run"]);
  }
  console.error(USAGE);
  return 2;
}

try {
  process.exit(main());
} catch (error) {
  if (!(error instanceof ReleaseError)) throw error;
  console.error(`release: ${error.message}`);
  process.exit(1);
}

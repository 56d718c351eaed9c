import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { loadSchemaSet } from "../schema-set.js";
import { generateGo, GO_MODELS_FILE } from "./go.js";
import { generatePython, PYTHON_MODELS_FILE } from "./python.js";

const bin = fileURLToPath(new URL("../../bin/sibyl-codegen.js", import.meta.url));
const packages = fileURLToPath(new URL("../../../../packages", import.meta.url));
const golden = (file: string) => fileURLToPath(new URL(`./golden/${file}`, import.meta.url));

const targets = {
  python: {
    generate: generatePython,
    file: PYTHON_MODELS_FILE,
    committed: join(packages, "sdk-python/src/sibyl_sdk"),
  },
  go: { generate: generateGo, file: GO_MODELS_FILE, committed: join(packages, "sdk-go") },
} as const;

/** The Python declaration of one class or enum: from its decorator or `class` line to the next declaration. */
function pythonSection(source: string, name: string): string {
  const chunk = source
    .split("\n\n\n")
    .find((part) => new RegExp(`^(@dataclass\\n)?class ${name}\\b`).test(part));
  if (chunk === undefined) throw new Error(`no class ${name} in the Python models`);
  return `${chunk}\n`;
}

/** The Go declaration of one type with its methods: from its doc comment to the next type's. */
function goSection(source: string, name: string): string {
  const lines = source.split("\n");
  const start = lines.findIndex((line) => line.startsWith(`// ${name}: `));
  if (start < 0) throw new Error(`no type ${name} in the Go models`);
  const next = lines.findIndex((line, i) => i > start && /^\/\/ [A-Z][A-Za-z0-9]*: /.test(line));
  return `${lines
    .slice(start, next < 0 ? undefined : next)
    .join("\n")
    .trimEnd()}\n`;
}

describe("Python and Go models", () => {
  const generated: Record<keyof typeof targets, string> = { python: "", go: "" };

  beforeAll(async () => {
    const set = loadSchemaSet();
    for (const [language, target] of Object.entries(targets) as [
      keyof typeof targets,
      (typeof targets)["go"],
    ][]) {
      const files = await target.generate(set);
      expect([...files.keys()]).toEqual([target.file]);
      generated[language] = files.get(target.file)!;
    }
  });

  it.each(["ItemUpsert", "PurchaseComplete", "RecoResponse", "Filter", "ItemType"])(
    "render %s as the golden files say",
    async (name) => {
      await expect(pythonSection(generated.python, name)).toMatchFileSnapshot(
        golden(`python/${name}.py.golden`),
      );
      await expect(goSection(generated.go, name)).toMatchFileSnapshot(golden(`go/${name}.go.golden`));
    },
  );

  it("render a union of scalars as a Go struct with one pointer per JSON type", async () => {
    await expect(goSection(generated.go, "FilterValue")).toMatchFileSnapshot(
      golden("go/FilterValue.go.golden"),
    );
  });

  it("are deterministic", async () => {
    const set = loadSchemaSet();
    expect((await generatePython(set)).get(PYTHON_MODELS_FILE)).toBe(generated.python);
    expect((await generateGo(set)).get(GO_MODELS_FILE)).toBe(generated.go);
  });

  it("are committed up to date in the SDK packages", () => {
    for (const [language, target] of Object.entries(targets) as [
      keyof typeof targets,
      (typeof targets)["go"],
    ][]) {
      const committed = readFileSync(join(target.committed, target.file), "utf8");
      expect(committed === generated[language], `${language}: run pnpm generate`).toBe(true);
    }
  });

  it("keep every title as the type's name and never one type per use of a shared shape", () => {
    for (const title of [
      "RecoAck",
      "ItemRef",
      "UserInfo",
      "EventContext",
      "Transaction",
      "Filter",
      "EqCondition",
    ]) {
      expect(generated.python.match(new RegExp(`^class ${title}\\b`, "gm"))).toHaveLength(1);
      expect(generated.go.match(new RegExp(`^type ${title} `, "gm"))).toHaveLength(1);
    }
    expect(generated.python).not.toMatch(/^class (Purple|Fluffy|\w+Class\b|\w+Element\b)/m);
    expect(generated.go).not.toMatch(/^type (Purple|Fluffy|\w+Class\b|\w+Element\b)/m);
  });

  it("use only the standard library and never dateutil", () => {
    const pythonImports = generated.python.match(/^(from|import) \S+/gm) ?? [];
    expect(pythonImports.sort()).toEqual(["from dataclasses", "from enum", "from typing"]);
    const goImports = /^import \(\n([^)]*)\)/m.exec(generated.go)?.[1] ?? "";
    for (const path of goImports.trim().split("\n")) expect(path.trim()).toMatch(/^"[a-z/]+"$/);
    expect(goImports).not.toContain(".");
  });
});

describe("sibyl-codegen python|go", () => {
  function codegen(...args: string[]) {
    const run = spawnSync(process.execPath, [bin, ...args], { encoding: "utf8" });
    return { status: run.status, output: run.stdout + run.stderr };
  }

  it.each(Object.keys(targets) as (keyof typeof targets)[])(
    "%s: manages only its models file in a folder it shares with hand-written code",
    (language) => {
      const target = targets[language];
      const out = mkdtempSync(join(tmpdir(), `sibyl-${language}-`));
      writeFileSync(join(out, "client.txt"), "hand-written\n");
      const stale = codegen(language, "--out", out, "--check");
      expect(stale.status).toBe(1);
      expect(stale.output).toContain(`stale: ${out}/${target.file}`);
      expect(stale.output).not.toContain("client.txt");

      expect(codegen(language, "--out", out)).toMatchObject({ status: 0 });
      expect(existsSync(join(out, "client.txt"))).toBe(true);
      expect(codegen(language, "--out", out, "--check")).toMatchObject({ status: 0 });
      expect(
        readFileSync(join(out, target.file), "utf8") ===
          readFileSync(join(target.committed, target.file), "utf8"),
      ).toBe(true);
    },
  );
});

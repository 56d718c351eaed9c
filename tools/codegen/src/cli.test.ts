import { spawnSync } from "node:child_process";
import { cpSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadSchemaSet } from "./schema-set.js";
import { generateTypescript } from "./targets/typescript.js";
import { copySchemas, editSchema } from "./test-fixtures.js";

const bin = fileURLToPath(new URL("../bin/sibyl-codegen.js", import.meta.url));
const committed = fileURLToPath(new URL("../../../packages/events/src/generated", import.meta.url));

function codegen(...args: string[]) {
  const run = spawnSync(process.execPath, [bin, ...args], { encoding: "utf8" });
  return { status: run.status, output: run.stdout + run.stderr };
}

describe("typescript target", () => {
  it("is deterministic: the same schemas give the same bytes", async () => {
    const set = loadSchemaSet();
    const first = await generateTypescript(set);
    const second = await generateTypescript(loadSchemaSet());
    expect([...second.keys()]).toEqual([...first.keys()]);
    for (const [path, content] of first) expect(second.get(path), path).toBe(content);
  });
});

describe("sibyl-codegen --check", () => {
  it("passes on fresh output, fails listing every stale file after a schema edit, and generate fixes it", () => {
    const schemas = copySchemas();
    const out = join(dirname(schemas), "generated");
    cpSync(committed, out, { recursive: true });
    expect(codegen("typescript", "--schemas", schemas, "--out", out, "--check")).toMatchObject({ status: 0 });

    editSchema(schemas, "events/AddToCart.schema.json", (schema) => {
      schema.properties.cart_id.description = "The cart the items went into.";
    });
    const stale = codegen("typescript", "--schemas", schemas, "--out", out, "--check");
    expect(stale.status).toBe(1);
    expect(stale.output).toContain("stale: ");
    expect(stale.output).toMatch(/types\.ts/);
    expect(stale.output).toMatch(/schemas\.ts/);
    expect(readFileSync(join(out, "types.ts"), "utf8")).not.toContain("The cart the items went into.");

    expect(codegen("typescript", "--schemas", schemas, "--out", out)).toMatchObject({ status: 0 });
    expect(readFileSync(join(out, "types.ts"), "utf8")).toContain("The cart the items went into.");
    expect(codegen("typescript", "--schemas", schemas, "--out", out, "--check")).toMatchObject({ status: 0 });
  });

  it("lists files the generator no longer produces, and generate removes them", () => {
    const schemas = copySchemas();
    const out = join(dirname(schemas), "generated");
    cpSync(committed, out, { recursive: true });
    writeFileSync(join(out, "leftover.ts"), "export {};\n");
    const check = codegen("typescript", "--schemas", schemas, "--out", out, "--check");
    expect(check.status).toBe(1);
    expect(check.output).toContain("leftover.ts");
    codegen("typescript", "--schemas", schemas, "--out", out);
    expect(existsSync(join(out, "leftover.ts"))).toBe(false);
  });

  it("refuses to generate from schemas that fail the lint", () => {
    const schemas = copySchemas();
    editSchema(schemas, "events/RecoShow.schema.json", (schema) => delete schema.description);
    const run = codegen("typescript", "--schemas", schemas, "--out", join(dirname(schemas), "generated"));
    expect(run.status).toBe(1);
    expect(run.output).toContain("schemas/events/RecoShow.schema.json#: has no description");
    expect(existsSync(join(dirname(schemas), "generated"))).toBe(false);
  });
});

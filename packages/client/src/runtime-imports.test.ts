import { readdirSync, readFileSync } from "node:fs";
import { expect, it } from "vitest";

const dist = new URL("../dist/", import.meta.url);

it("the built client imports only its own modules at run time, so a browser bundle gets no validators", () => {
  const files = readdirSync(dist, { recursive: true, encoding: "utf8" }).filter((file) =>
    file.endsWith(".js"),
  );
  expect(files).toContain("index.js");
  for (const file of files) {
    const code = readFileSync(new URL(file, dist), "utf8");
    const statements =
      /^\s*(?:import|export)\b[^;]*?\bfrom\s*"([^"]+)"|^\s*import\s*"([^"]+)"|\bimport\(\s*"([^"]+)"/gm;
    const specifiers = [...code.matchAll(statements)].map((match) => match[1] ?? match[2] ?? match[3]);
    expect(
      specifiers.filter((specifier) => !specifier!.startsWith(".")),
      file,
    ).toEqual([]);
  }
});

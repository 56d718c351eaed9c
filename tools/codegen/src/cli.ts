import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { lintSchemaSet } from "./lint.js";
import { diffOutput, writeOutput } from "./output.js";
import { findSchemasRoot, loadSchemaSet, type SchemaSet } from "./schema-set.js";
import { GO_MODELS_FILE, generateGo } from "./targets/go.js";
import { generatePython, PYTHON_MODELS_FILE } from "./targets/python.js";
import { generateTypescript } from "./targets/typescript.js";

interface Target {
  generate: (set: SchemaSet) => Promise<Map<string, string>>;
  /** The only files of --out the target manages, when the folder also holds hand-written code. */
  owns?: readonly string[];
}

const TARGETS: Record<string, Target> = {
  typescript: { generate: generateTypescript },
  python: { generate: generatePython, owns: [PYTHON_MODELS_FILE] },
  go: { generate: generateGo, owns: [GO_MODELS_FILE] },
};

const USAGE = `Usage: sibyl-codegen <target> --out <dir> [--check] [--schemas <dir>]
       sibyl-codegen lint [--schemas <dir>]

Targets: ${Object.keys(TARGETS).join(", ")}
  --out      folder the target writes (its files only; files it no longer produces are removed; the
             python and go targets share the SDK's folder and manage only their models file)
  --check    write nothing; exit 1 listing every stale, missing or extra file
  --schemas  the schemas/ folder (default: found from the current directory)`;

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      out: { type: "string" },
      check: { type: "boolean", default: false },
      schemas: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  const [command] = positionals;
  if (values.help || !command) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  const set = loadSchemaSet(values.schemas ? resolve(values.schemas) : findSchemasRoot());
  const problems = lintSchemaSet(set);
  for (const problem of problems)
    console.error(`schemas/${problem.file}#${problem.pointer}: ${problem.message}`);
  if (problems.length > 0) {
    console.error(`${problems.length} schema problem(s); nothing generated.`);
    return 1;
  }
  if (command === "lint") {
    console.log(`${set.files.length} schema files, ${set.events.length} event types: no problems.`);
    return 0;
  }
  const target = TARGETS[command];
  if (!target) {
    console.error(`unknown target "${command}"\n\n${USAGE}`);
    return 2;
  }
  if (!values.out) {
    console.error(`--out is required\n\n${USAGE}`);
    return 2;
  }
  const outDir = resolve(values.out);
  const files = await target.generate(set);
  if (values.check) {
    const { stale, extra } = diffOutput(outDir, files, target.owns);
    for (const path of stale) console.error(`stale: ${values.out}/${path}`);
    for (const path of extra) console.error(`extra: ${values.out}/${path}`);
    if (stale.length + extra.length > 0) {
      console.error(`generated ${command} code is out of date: run \`pnpm generate\` and commit the result.`);
      return 1;
    }
    console.log(`${command}: ${files.size} generated files are up to date.`);
    return 0;
  }
  const { stale, extra } = writeOutput(outDir, files, target.owns);
  console.log(
    `${command}: ${stale.length} file(s) written, ${extra.length} removed, ${files.size - stale.length} unchanged.`,
  );
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);

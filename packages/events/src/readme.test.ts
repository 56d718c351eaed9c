import { expectReadmeExampleRuns } from "@sibyl/test-support";
import { it } from "vitest";

it("README example runs and prints what its comments say", () => {
  expectReadmeExampleRuns(new URL("../", import.meta.url));
});

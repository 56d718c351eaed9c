export { expectReadmeExampleRuns } from "./readme-example.js";

export { type ReadmeExampleRun, runReadmeExample } from "./readme-example.js";

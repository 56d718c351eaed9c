export { type ReadmeExampleRun, runReadmeExample } from "./readme-example.js";
export { type SibylServer, type StartSibylServerOptions, startSibylServer } from "./sibyl-server.js";

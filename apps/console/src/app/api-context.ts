import { createContext, useContext } from "react";
import type { ApiClient } from "../api/client.js";

export const ApiContext = createContext<ApiClient | null>(null);

/** The API client of the signed-in console. */
export function useApi(): ApiClient {
  const client = useContext(ApiContext);
  if (!client) throw new Error("useApi() outside the signed-in console (no ApiContext provider)");
  return client;
}

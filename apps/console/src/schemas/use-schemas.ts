import type { ApiClient } from "../api/client.js";
import type { SchemasResponse } from "../api/types.js";
import { useApi } from "../app/api-context.js";
import { type AsyncState, useAsync } from "../app/use-async.js";

/** The schemas never change while a server runs: asked for once per signed-in client. */
const cache = new WeakMap<ApiClient, Promise<SchemasResponse>>();

export function useSchemas(): AsyncState<SchemasResponse> {
  const api = useApi();
  return useAsync(() => {
    let pending = cache.get(api);
    if (!pending) {
      pending = api.schemas();
      cache.set(api, pending);
      // A failed answer is not kept: the next page that needs the schemas asks again.
      pending.catch(() => cache.delete(api));
    }
    return pending;
  }, [api]);
}

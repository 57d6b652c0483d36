/**
 * The graph layout worker: ELK's layered algorithm over the visible subset (elkGraph.ts), off
 * the main thread so panning and typing stay smooth while a big scope is laid out.
 */
import ELK from "elkjs/lib/elk.bundled.js";
import { fromElk, toElk } from "./elkGraph";
import type { LayoutRequest } from "./layoutTypes";

const elk = new ELK();

self.onmessage = (event: MessageEvent<LayoutRequest>): void => {
  const request = event.data;
  const started = performance.now();
  const { root, direct } = toElk(request);
  elk.layout(root).then(
    (laid) => {
      const result = fromElk(request, laid, direct, performance.now() - started);
      (self as unknown as Worker).postMessage(result, [result.boxes.buffer]);
    },
    (error: unknown) => (self as unknown as Worker).postMessage({ id: request.id, error: String(error) }),
  );
};

/**
 * The main thread's side of the projection worker: numbered requests, each answered by one or
 * more responses (a t-SNE run streams its layout), routed back to the caller's handler.
 */
import type { Request, Response } from "./protocol";

type Without<T> = T extends unknown ? Omit<T, "id"> : never;
export type Outgoing = Without<Request>;

export class WorkerClient {
  private readonly worker: Worker;
  private next = 1;
  private readonly handlers = new Map<number, (response: Response) => void>();

  constructor() {
    this.worker = new Worker(new URL("./projection.worker.ts", import.meta.url), { type: "module", name: "heron-projector" });
    this.worker.onmessage = (event: MessageEvent<Response>) => this.handlers.get(event.data.id)?.(event.data);
  }

  /** Sends a request; `handler` gets every response to it until `forget(id)`. Returns the id. */
  send(request: Outgoing, handler: (response: Response) => void, transfer: Transferable[] = []): number {
    const id = this.next++;
    this.handlers.set(id, handler);
    this.worker.postMessage({ ...request, id } as Request, transfer);
    return id;
  }

  forget(id: number): void {
    this.handlers.delete(id);
  }

  /** One request, one answer (an "error" answer rejects). */
  call(request: Outgoing, transfer: Transferable[] = []): Promise<Response> {
    return new Promise((resolve, reject) => {
      const id = this.send(
        request,
        (response) => {
          if (response.kind === "progress") return;
          this.forget(id);
          if (response.kind === "error") reject(new Error(response.message));
          else resolve(response);
        },
        transfer,
      );
    });
  }

  terminate(): void {
    this.worker.terminate();
    this.handlers.clear();
  }
}

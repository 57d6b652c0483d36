import type { JSX } from "preact";

export function ComingSoon({ name }: { name: string }): JSX.Element {
  return (
    <div class="empty" data-testid="coming-soon">
      <h2>{name}</h2>
      <p>This logdir has {name.toLowerCase()} data. Its dashboard is coming soon in Heron's UI; the data is already served by the HTTP API (see docs/http-api.md).</p>
    </div>
  );
}

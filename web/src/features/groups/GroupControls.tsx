/**
 * The scalars toolbar's "group by" control: hparams or a name regex, line and band kinds. The
 * menu picks one hparam in one click (the common case); a checkbox list next to it adds more,
 * so runs are grouped by the combination of their values (e.g. optimizer × learning rate).
 */
import type { JSX } from "preact";
import { useEffect } from "preact/hooks";
import type { GroupBand } from "../../api/runs";
import { fetchRunColumns } from "../../api/runs";
import * as g from "./groupState";
import { syncGroupsWithUrl } from "./groupUrl";

const REGEX_DELAY_MS = 400;

export function GroupControls(): JSX.Element {
  useEffect(syncGroupsWithUrl, []);
  useEffect(() => {
    const abort = new AbortController();
    fetchRunColumns(abort.signal).then(
      (columns) => (g.hparamNames.value = columns.hparams.map((h) => h.name)),
      () => undefined,
    );
    return () => abort.abort();
  }, []);
  const regex = g.groupRegex.value;
  useEffect(() => {
    const timer = setTimeout(() => (g.appliedRegex.value = regex), REGEX_DELAY_MS);
    return () => clearTimeout(timer);
  }, [regex]);

  const mode = g.groupMode.value;
  const picked = g.groupHparams.value;
  const value = mode !== "hparam" ? mode : picked.length === 1 ? `hp:${picked[0] ?? ""}` : "several";
  const onMode = (next: string): void => {
    if (next.startsWith("hp:")) {
      g.groupHparams.value = [next.slice(3)];
      g.groupMode.value = "hparam";
    } else if (next === "several") {
      g.groupMode.value = "hparam";
    } else {
      g.groupMode.value = next === "regex" ? "regex" : "none";
    }
  };
  return (
    <div class="group-controls" data-testid="group-controls">
      <label>
        <span class="muted">Group by</span>
        <select value={value} onChange={(e) => onMode(e.currentTarget.value)} data-testid="group-mode">
          <option value="none">nothing</option>
          {g.hparamNames.value.map((name) => (
            <option key={name} value={`hp:${name}`}>
              {name}
            </option>
          ))}
          {mode === "hparam" && picked.length !== 1 && <option value="several">{picked.length === 0 ? "hparams…" : `${picked.length} hparams`}</option>}
          <option value="regex">run name regex…</option>
        </select>
      </label>
      {mode === "hparam" && <HparamPicker />}
      {mode === "regex" && (
        <input
          class="filter group-regex"
          type="search"
          placeholder="^(.*)/seed-\d+$"
          value={regex}
          onInput={(e) => (g.groupRegex.value = e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter") g.appliedRegex.value = e.currentTarget.value;
          }}
          spellcheck={false}
          title="Runs with equal capture groups (or equal matches) form a group"
          data-testid="group-regex"
        />
      )}
      {mode !== "none" && (
        <>
          <select
            value={g.groupCenter.value}
            onChange={(e) => (g.groupCenter.value = e.currentTarget.value === "median" ? "median" : "mean")}
            aria-label="Line"
            data-testid="group-center"
          >
            <option value="mean">mean</option>
            <option value="median">median</option>
          </select>
          <select
            value={g.groupBand.value}
            onChange={(e) => (g.groupBand.value = e.currentTarget.value as GroupBand)}
            aria-label="Band"
            data-testid="group-band"
          >
            {(Object.keys(g.BAND_NAMES) as GroupBand[]).map((band) => (
              <option key={band} value={band}>
                {g.BAND_NAMES[band]}
              </option>
            ))}
          </select>
          <label class="group-members">
            <input
              type="checkbox"
              checked={g.showMembers.value}
              onChange={(e) => (g.showMembers.value = e.currentTarget.checked)}
              data-testid="group-members"
            />
            runs
          </label>
        </>
      )}
    </div>
  );
}

/** The checkbox list of hparams grouped by: their values together form a group's key. */
function HparamPicker(): JSX.Element {
  const picked = g.groupHparams.value;
  return (
    <details class="group-hparams" data-testid="group-hparams">
      <summary title="Group by several hparams: runs with equal values of all of them form a group">
        {picked.length <= 1 ? "+ hparam" : `${picked.length} hparams`}
      </summary>
      <div class="group-hparams-menu">
        {g.hparamNames.value.map((name) => (
          <label key={name}>
            <input
              type="checkbox"
              checked={picked.includes(name)}
              onChange={(e) => (g.groupHparams.value = g.toggled(g.groupHparams.value, name, e.currentTarget.checked))}
              data-hparam={name}
            />
            {name}
          </label>
        ))}
      </div>
    </details>
  );
}

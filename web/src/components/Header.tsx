import type { JSX } from "preact";
import { reloadAll } from "../state/effects";
import * as s from "../state/store";
import { KNOWN_DASHBOARDS } from "./dashboards";
import { IconAuto, IconMoon, IconReload, IconSettings, IconSidebar, IconSun } from "./icons";

const NEXT_THEME: Record<s.ThemeChoice, s.ThemeChoice> = { auto: "light", light: "dark", dark: "auto" };

function ReloadIndicator(): JSX.Element {
  const mode = s.liveMode.value;
  const last = s.lastUpdate.value;
  const label = mode === "live" ? "Live" : mode === "polling" ? "Polling every 5 s" : "Connecting…";
  return (
    <div class={`reload ${mode}`} title={`${label}. Press r to reload.`}>
      <span class="dot" />
      <span class="when" data-testid="last-update">
        {last ? `Updated ${last.toLocaleTimeString()}` : "Loading…"}
      </span>
      <button class="icon-button" onClick={reloadAll} aria-label="Reload" title="Reload (r)">
        <IconReload />
      </button>
    </div>
  );
}

export function Header(): JSX.Element {
  const dashboards = s.dashboards.value ?? [];
  const theme = s.themeChoice.value;
  return (
    <header class="header">
      <button
        class={`icon-button ${s.sidebarOpen.value ? "active" : ""}`}
        onClick={() => (s.sidebarOpen.value = !s.sidebarOpen.value)}
        aria-label="Toggle runs"
        title="Runs"
      >
        <IconSidebar />
      </button>
      <div class="brand">
        <svg width="20" height="20" viewBox="0 0 16 16" aria-hidden="true">
          <path d="M2 13 L6 7 L9 10 L14 3" stroke="currentColor" stroke-width="2" fill="none" stroke-linecap="round" />
        </svg>
        Heron
      </div>
      <nav class="tabs" role="tablist">
        {dashboards.map((d) => (
          <button
            role="tab"
            key={d.name}
            data-tab={d.name}
            aria-selected={s.tab.value === d.name}
            class={`tab ${s.tab.value === d.name ? "selected" : ""} ${KNOWN_DASHBOARDS.has(d.name) ? "" : "soon"}`}
            onClick={() => (s.tab.value = d.name)}
            title={KNOWN_DASHBOARDS.has(d.name) ? d.tabName : `${d.tabName} (coming soon)`}
          >
            {d.tabName}
          </button>
        ))}
      </nav>
      <div class="spacer" />
      <ReloadIndicator />
      <button
        class={`icon-button ${s.settingsOpen.value ? "active" : ""}`}
        onClick={() => (s.settingsOpen.value = !s.settingsOpen.value)}
        aria-label="Settings"
        title="Settings"
        data-testid="settings-toggle"
      >
        <IconSettings />
      </button>
      <button
        class="icon-button"
        onClick={() => (s.themeChoice.value = NEXT_THEME[theme])}
        aria-label={`Theme: ${theme}`}
        title={`Theme: ${theme} (click to change)`}
        data-testid="theme-toggle"
      >
        {theme === "auto" ? <IconAuto /> : theme === "light" ? <IconSun /> : <IconMoon />}
      </button>
    </header>
  );
}

import type { JSX } from "preact";
import { useLayoutEffect, useRef, useState } from "preact/hooks";
import { reloadAll } from "../state/effects";
import * as s from "../state/store";
import { KNOWN_DASHBOARDS } from "./dashboards";
import { splitTabs } from "./tabOverflow";
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

const MORE_LABEL = "More ▾";
/** The tab strip's gap between tabs (px), as in styles.css `.tabs`. */
const TAB_GAP = 2;

/**
 * The dashboards as tabs; those that do not fit the header's width go into a
 * "More" menu (see tabOverflow.ts). A hidden copy of the strip measures each tab
 * once per set of dashboards; a ResizeObserver follows the header's width.
 */
function DashboardTabs(): JSX.Element {
  const dashboards = s.dashboards.value ?? [];
  const nav = useRef<HTMLElement>(null);
  const measure = useRef<HTMLDivElement>(null);
  const menu = useRef<HTMLDivElement>(null);
  const [available, setAvailable] = useState(Number.POSITIVE_INFINITY);
  // Each tab's width, then the "More" button's (the last child of the measuring row).
  const [widths, setWidths] = useState<number[]>([]);
  const [menuOpen, setMenuOpen] = useState(false);
  const names = dashboards.map((d) => d.name).join("\n");

  useLayoutEffect(() => {
    const row = measure.current;
    if (row) setWidths(Array.from(row.children, (tab) => (tab as HTMLElement).offsetWidth + TAB_GAP));
  }, [names]);

  useLayoutEffect(() => {
    const element = nav.current;
    if (!element) return undefined;
    const observer = new ResizeObserver(() => setAvailable(element.clientWidth));
    observer.observe(element);
    setAvailable(element.clientWidth);
    return () => observer.disconnect();
  }, []);

  // A layout effect, so that the listeners are in place before the menu is painted: with a
  // plain effect (run a frame later) an Escape pressed as soon as the menu shows was missed.
  useLayoutEffect(() => {
    if (!menuOpen) return undefined;
    const close = (event: Event): void => {
      if (event instanceof KeyboardEvent && event.key !== "Escape") return;
      if (event instanceof MouseEvent && menu.current?.contains(event.target as Node)) return;
      setMenuOpen(false);
    };
    document.addEventListener("mousedown", close);
    document.addEventListener("keydown", close);
    return () => {
      document.removeEventListener("mousedown", close);
      document.removeEventListener("keydown", close);
    };
  }, [menuOpen]);

  const selectedIndex = dashboards.findIndex((d) => d.name === s.tab.value);
  const measured = widths.length === dashboards.length + 1;
  const split = measured
    ? splitTabs(widths.slice(0, -1), available, selectedIndex, widths[widths.length - 1] ?? 0)
    : { visible: dashboards.map((_, i) => i), overflow: [] };
  const title = (d: (typeof dashboards)[number]): string =>
    KNOWN_DASHBOARDS.has(d.name) ? d.tabName : `${d.tabName} (coming soon)`;
  const choose = (name: string): void => {
    s.tab.value = name;
    setMenuOpen(false);
  };

  return (
    <nav class="tabs" role="tablist" ref={nav}>
      <div class="tab-measure" ref={measure} aria-hidden="true">
        {dashboards.map((d) => (
          <span key={d.name} class="tab">
            {d.tabName}
          </span>
        ))}
        <span class="tab">{MORE_LABEL}</span>
      </div>
      {split.visible.map((i) => {
        const d = dashboards[i];
        if (!d) return null;
        const selected = s.tab.value === d.name;
        return (
          <button
            role="tab"
            key={d.name}
            data-tab={d.name}
            aria-selected={selected}
            class={`tab ${selected ? "selected" : ""} ${KNOWN_DASHBOARDS.has(d.name) ? "" : "soon"}`}
            onClick={() => choose(d.name)}
            title={title(d)}
          >
            {d.tabName}
          </button>
        );
      })}
      {split.overflow.length > 0 && (
        <div class="tab-more" ref={menu}>
          <button
            class={`tab ${menuOpen ? "selected" : ""}`}
            aria-haspopup="menu"
            aria-expanded={menuOpen}
            data-testid="tabs-more"
            onClick={() => setMenuOpen(!menuOpen)}
            title={`${split.overflow.length} more dashboards`}
          >
            {MORE_LABEL}
          </button>
          {menuOpen && (
            <div class="tab-menu" role="menu">
              {split.overflow.map((i) => {
                const d = dashboards[i];
                if (!d) return null;
                return (
                  <button
                    role="menuitem"
                    key={d.name}
                    data-tab={d.name}
                    class={KNOWN_DASHBOARDS.has(d.name) ? "" : "soon"}
                    onClick={() => choose(d.name)}
                    title={title(d)}
                  >
                    {d.tabName}
                  </button>
                );
              })}
            </div>
          )}
        </div>
      )}
    </nav>
  );
}

export function Header(): JSX.Element {
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
      <DashboardTabs />
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

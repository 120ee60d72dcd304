import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { SCOPE_KEYS, useSettingsStore, type Scope } from '../../stores/settings-store.js';
import type { Notice } from '../../../src-main/core/contract/index.js';
import { BackendTab } from './BackendTab.js';
import { EngineTab } from './EngineTab.js';
import { FileSharingTab } from './FileSharingTab.js';
import { GeneralTab } from './GeneralTab.js';
import { ResourcesTab } from './ResourcesTab.js';
import { ProxiesTab } from './ProxiesTab.js';
import { ResourceSaverTab } from './ResourceSaverTab.js';
import { TroubleshootTab } from './TroubleshootTab.js';
import './settings.css';

type TabId = 'general' | 'resources' | 'proxies' | 'resourceSaver' | 'fileSharing' | 'engine' | 'backend' | 'troubleshoot';

export const TABS: ReadonlyArray<{ id: TabId; label: string; scope?: Scope; /** Shown under Resources, as Docker Desktop does. */ parent?: string }> = [
  { id: 'general', label: 'General', scope: 'general' },
  { id: 'resources', label: 'Resources', scope: 'resources' },
  { id: 'proxies', label: 'Proxies', scope: 'proxies', parent: 'Resources' },
  { id: 'resourceSaver', label: 'Resource Saver', scope: 'resourceSaver', parent: 'Resources' },
  { id: 'fileSharing', label: 'File sharing', scope: 'fileSharing' },
  { id: 'engine', label: 'Docker Engine', scope: 'engine' },
  { id: 'backend', label: 'Virtualization', scope: 'backend' },
  { id: 'troubleshoot', label: 'Troubleshoot' },
];

function Panel({ id }: { id: TabId }) {
  switch (id) {
    case 'general': return <GeneralTab />;
    case 'resources': return <ResourcesTab />;
    case 'proxies': return <ProxiesTab />;
    case 'resourceSaver': return <ResourceSaverTab />;
    case 'fileSharing': return <FileSharingTab />;
    case 'engine': return <EngineTab />;
    case 'backend': return <BackendTab />;
    case 'troubleshoot': return <TroubleshootTab />;
  }
}

const NO_NOTICES: readonly Notice[] = [];

function NoticeBanner() {
  const notices = useSettingsStore((s) => s.engine?.notices ?? NO_NOTICES);
  if (notices.length === 0) return null;
  return (
    <div className="settings-notice" role="status" aria-label="Notices">
      <span className="settings-notice-icon" aria-hidden="true">!</span>
      <ul>
        {notices.map((n) => <li key={`${n.code}:${n.message}`} data-code={n.code}>{n.message}</li>)}
      </ul>
    </div>
  );
}

/**
 * Settings: a vertical ARIA tablist (arrow keys, Home, End move between tabs)
 * and one panel per tab. Each tab applies only its own settings.
 */
export default function SettingsView() {
  const status = useSettingsStore((s) => s.status);
  const loadError = useSettingsStore((s) => s.loadError);
  const dirtyKeys = useSettingsStore((s) => s.dirtyKeys);
  const load = useSettingsStore((s) => s.load);
  const subscribe = useSettingsStore((s) => s.subscribe);
  const [selected, setSelected] = useState<TabId>(() => initialTab());
  const tabRefs = useRef(new Map<TabId, HTMLButtonElement>());
  const baseId = useId();

  useEffect(() => {
    const off = subscribe();
    void load();
    return off;
  }, [load, subscribe]);

  const select = (id: TabId, focus: boolean) => {
    setSelected(id);
    if (focus) tabRefs.current.get(id)?.focus();
    lastTab = id;
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const i = TABS.findIndex((t) => t.id === selected);
    let next: number | undefined;
    if (e.key === 'ArrowDown' || e.key === 'ArrowRight') next = (i + 1) % TABS.length;
    else if (e.key === 'ArrowUp' || e.key === 'ArrowLeft') next = (i - 1 + TABS.length) % TABS.length;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = TABS.length - 1;
    if (next === undefined) return;
    e.preventDefault();
    select(TABS[next]!.id, true);
  };

  return (
    <div className="settings-view">
      <div className="view-header">
        <h1 id={`${baseId}-title`}>Settings</h1>
      </div>
      <NoticeBanner />
      {status === 'error' && (
        <div className="settings-error settings-load-error" role="alert">
          <div><strong>Could not load the settings.</strong> {loadError?.name}: {loadError?.message}</div>
          <button type="button" className="settings-btn" onClick={() => void load()}>Try again</button>
        </div>
      )}
      {(status === 'loading' || status === 'idle') && <p className="settings-muted" role="status">Loading settings…</p>}
      {status === 'ready' && (
        <div className="settings-layout">
          <div
            role="tablist"
            aria-orientation="vertical"
            aria-labelledby={`${baseId}-title`}
            className="settings-tablist"
            onKeyDown={onKeyDown}
          >
            {TABS.map((t) => {
              const active = t.id === selected;
              const dirty = t.scope ? SCOPE_KEYS[t.scope].some((k) => dirtyKeys.includes(k)) : false;
              return (
                <button
                  key={t.id}
                  ref={(el) => { if (el) tabRefs.current.set(t.id, el); else tabRefs.current.delete(t.id); }}
                  type="button"
                  role="tab"
                  id={`${baseId}-tab-${t.id}`}
                  aria-selected={active}
                  aria-controls={active ? `${baseId}-panel-${t.id}` : undefined}
                  tabIndex={active ? 0 : -1}
                  className={t.parent ? 'settings-tab settings-subtab' : 'settings-tab'}
                  onClick={() => select(t.id, false)}
                >
                  {t.label}
                  {dirty && <span className="settings-dirty-dot" title="Unsaved changes"><span className="visually-hidden"> (unsaved changes)</span></span>}
                </button>
              );
            })}
          </div>
          <div
            role="tabpanel"
            id={`${baseId}-panel-${selected}`}
            aria-labelledby={`${baseId}-tab-${selected}`}
            className="settings-panel"
            tabIndex={0}
          >
            <h2 className="settings-panel-title">{(() => { const t = TABS.find((x) => x.id === selected); return t?.parent ? `${t.parent} › ${t.label}` : t?.label; })()}</h2>
            <Panel id={selected} />
          </div>
        </div>
      )}
    </div>
  );
}

/** The tab last shown, so leaving Settings and coming back returns to it. */
let lastTab: TabId = 'general';

function initialTab(): TabId {
  return lastTab;
}

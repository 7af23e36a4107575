// The shell's own state: the side menu folded or not (remembered in
// localStorage, for this browser) and the tabs of the pages opened in this
// browser tab (sessionStorage, per signed-in user, so another account
// signing in starts with the home tab only). The home tab is always first
// and cannot be closed.
import { defineStore } from 'pinia';

const COLLAPSE_KEY = 'yq.menuCollapsed';
const TABS_KEY = 'yq.tabs';
export const HOME_PATH = '/';

export interface PageTab {
  /** route.path: one tab per page (a list keeps one tab whatever its filters). */
  path: string;
  /** route.fullPath last seen on that page, so returning keeps its filters. */
  fullPath: string;
  /** i18n key of the page title. */
  title: string;
  /** The record's own title (i18n key and its values), set by a record's
   * page once loaded, so that two contracts open in two tabs read
   * "合同 QL-001" and "合同 QL-002" rather than "合同详情" twice. */
  label?: TabLabel;
}

export interface TabLabel {
  key: string;
  params: Record<string, string>;
}

const HOME_TAB: PageTab = { path: HOME_PATH, fullPath: HOME_PATH, title: 'route.home' };

function readCollapsed(): boolean {
  try {
    return localStorage.getItem(COLLAPSE_KEY) === '1';
  } catch {
    return false;
  }
}

function readTabs(user: string): PageTab[] {
  try {
    const saved = JSON.parse(sessionStorage.getItem(TABS_KEY) ?? 'null') as { user?: string; tabs?: PageTab[] } | null;
    if (saved?.user === user && Array.isArray(saved.tabs)) {
      const tabs = saved.tabs.filter((t) => typeof t?.path === 'string' && typeof t.fullPath === 'string' && typeof t.title === 'string' && t.path !== HOME_PATH);
      return [{ ...HOME_TAB }, ...tabs];
    }
  } catch {
    // Unreadable or unavailable storage: start with the home tab.
  }
  return [{ ...HOME_TAB }];
}

export const useLayoutStore = defineStore('layout', {
  state: () => ({
    collapsed: readCollapsed(),
    tabs: [{ ...HOME_TAB }] as PageTab[],
    /** Whose tabs these are (username); '' before anyone signed in. */
    owner: '',
  }),
  actions: {
    toggleMenu(): void {
      this.collapsed = !this.collapsed;
      try {
        localStorage.setItem(COLLAPSE_KEY, this.collapsed ? '1' : '0');
      } catch {
        // Storage refused: the choice lasts for this page only.
      }
    },

    /** Take the tabs of `user` saved in this browser tab (or just home). */
    loadTabs(user: string): void {
      if (this.owner === user) return;
      this.owner = user;
      this.tabs = readTabs(user);
    },

    save(): void {
      try {
        sessionStorage.setItem(TABS_KEY, JSON.stringify({ user: this.owner, tabs: this.tabs.slice(1) }));
      } catch {
        // Storage refused: the tabs last for this page only.
      }
    },

    /** The page now shown: add its tab, or update the tab's last address. */
    visit(tab: PageTab): void {
      const found = this.tabs.find((t) => t.path === tab.path);
      if (found) {
        found.fullPath = tab.fullPath;
        found.title = tab.title;
      } else {
        this.tabs.push(tab);
      }
      this.save();
    },

    /** A record's page names its tab after the record (see PageTab.label). */
    labelTab(path: string, label: TabLabel): void {
      const found = this.tabs.find((t) => t.path === path);
      if (!found) return;
      found.label = label;
      this.save();
    },

    /** Close one tab; returns where to go when it was the current one (its right neighbour, else left). */
    close(path: string): string {
      const i = this.tabs.findIndex((t) => t.path === path);
      if (i <= 0) return HOME_PATH;
      this.tabs.splice(i, 1);
      this.save();
      const next = this.tabs[i] ?? this.tabs[i - 1];
      return next ? next.fullPath : HOME_PATH;
    },

    /** Keep the home tab and `path`'s. */
    closeOthers(path: string): void {
      this.tabs = this.tabs.filter((t, i) => i === 0 || t.path === path);
      this.save();
    },

    /** Keep the home tab only. */
    closeAll(): void {
      this.tabs = this.tabs.slice(0, 1);
      this.save();
    },
  },
});

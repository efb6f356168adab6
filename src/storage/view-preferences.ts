/**
 * Settings of the view kept per browser in localStorage, beside the saved classes rather than in them (they are not
 * part of a dataset, nor of an exported file): whether outputs are muted, and whether the bars show raw values.
 */

export interface ViewPreferences {
  readonly muted: boolean;
  readonly showRaw: boolean;
}

export const DEFAULT_VIEW_PREFERENCES: ViewPreferences = { muted: false, showRaw: false };

/** One key per autosave database, as the close journal has. */
export const viewPreferencesKey = (databaseName: string) => `teachable-knn-view:${databaseName}`;

/** localStorage, or null where reading it throws (storage blocked for the site). */
function browserStorage(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

/** The preferences saved under `key`; the defaults for any that are missing or unreadable. */
export function readViewPreferences(key: string, storage = browserStorage()): ViewPreferences {
  try {
    const saved = JSON.parse(storage?.getItem(key) ?? 'null') as Partial<Record<keyof ViewPreferences, unknown>> | null;
    return {
      muted: typeof saved?.muted === 'boolean' ? saved.muted : DEFAULT_VIEW_PREFERENCES.muted,
      showRaw: typeof saved?.showRaw === 'boolean' ? saved.showRaw : DEFAULT_VIEW_PREFERENCES.showRaw,
    };
  } catch {
    return DEFAULT_VIEW_PREFERENCES;
  }
}

/** Saves the preferences under `key`; where storage refuses (full, blocked), they last only for this page. */
export function writeViewPreferences(key: string, preferences: ViewPreferences, storage = browserStorage()): void {
  try {
    storage?.setItem(key, JSON.stringify(preferences));
  } catch {
    // Nothing to tell the user: the setting still applies until the page closes.
  }
}

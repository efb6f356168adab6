/** Settings the serving side gives the page at run time. */
export interface AppConfig {
  /** Base URL of a local model mirror on this origin, or null to load models from their public URLs. */
  readonly modelMirror: string | null;
}

const NO_MIRROR: AppConfig = { modelMirror: null };

/**
 * Reads /app-config.json when the server provides one (the dev, preview and test servers do). A static host
 * without it, or a malformed file, means public model URLs.
 */
export async function loadAppConfig(url = new URL('app-config.json', document.baseURI).href): Promise<AppConfig> {
  try {
    const response = await fetch(url, { cache: 'no-store' });
    if (!response.ok) return NO_MIRROR;
    const body: unknown = await response.json();
    const mirror = (body as { modelMirror?: unknown } | null)?.modelMirror;
    return { modelMirror: typeof mirror === 'string' && mirror.length > 0 ? mirror : null };
  } catch {
    return NO_MIRROR;
  }
}

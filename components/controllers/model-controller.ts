import type { ReactiveController, ReactiveControllerHost } from 'lit';
import {
  chooseFastestBackend,
  forgetSharedBackend,
  sharedBackend,
  useBackend,
  type BackendChoice,
  type BackendName,
} from '../../src/platform/backend';
import { loadAppConfig, type AppConfig } from '../../src/platform/config';
import { DEFAULT_MODEL_ID, findModel, type ModelId } from '../../src/models/catalog';
import type { Embedder } from '../../src/models/embedder';
import { loadEmbedder, ModelLoadError } from '../../src/models/loader';

export type ModelStatus = 'loading' | 'ready' | 'error';

export interface ModelControllerOptions {
  /** Called with null before the current embedder is disposed, and with the new one once it is ready. */
  readonly onEmbedder: (embedder: Embedder | null) => Promise<void> | void;
  /** Where the chosen backend and model are remembered between visits. */
  readonly storage?: Pick<Storage, 'getItem' | 'setItem'> | null;
  /** Skips measuring and uses this backend (tests). */
  readonly backend?: BackendName;
  /** Where the runtime config comes from; read again on retry, as the cause of a failure may be gone. */
  readonly loadConfig?: () => Promise<AppConfig>;
}

const MODEL_KEY = 'teachable.model';
const BACKEND_KEY = 'teachable.backend';

/**
 * The model's lifecycle for the app: reads the runtime config, picks the fastest backend, loads the chosen
 * MobileNet (from the browser cache, the local mirror or the public URL) with progress, and swaps models.
 */
export class ModelController implements ReactiveController {
  status: ModelStatus = 'loading';
  progress: number | null = null;
  progressSource: 'cache' | 'network' | null = null;
  errorMessage: string | null = null;
  backend: BackendChoice | null = null;
  modelId: ModelId;
  private embedder: Embedder | null = null;
  private config: AppConfig | null = null;

  /** The local mirror of the models the config names (null: the public hosts, or not read yet). */
  get modelMirror(): string | null {
    return this.config?.modelMirror ?? null;
  }
  private loadNumber = 0;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly options: ModelControllerOptions,
  ) {
    const remembered = this.storage?.getItem(MODEL_KEY);
    this.modelId = (remembered && findModel(remembered)?.id) || DEFAULT_MODEL_ID;
    host.addController(this);
  }

  hostConnected(): void {
    void this.load();
  }

  hostDisconnected(): void {
    this.loadNumber++;
    void this.release();
  }

  /** Switches to another catalog model; examples recorded with the old one stay with it. */
  select(id: ModelId): Promise<void> {
    if (id === this.modelId && this.status !== 'error') return Promise.resolve();
    this.modelId = id;
    this.storage?.setItem(MODEL_KEY, id);
    return this.load();
  }

  retry(): Promise<void> {
    this.config = null;
    return this.load();
  }

  /** Measures the backends again (the remembered choice is otherwise reused). */
  async remeasureBackend(): Promise<void> {
    this.backend = null;
    forgetSharedBackend();
    this.storage?.setItem(BACKEND_KEY, '');
    await this.load();
  }

  private get storage() {
    if (this.options.storage !== undefined) return this.options.storage;
    try {
      return globalThis.localStorage ?? null;
    } catch {
      return null;
    }
  }

  private async load(): Promise<void> {
    const number = ++this.loadNumber;
    const spec = findModel(this.modelId);
    if (!spec) return;
    this.update({ status: 'loading', progress: null, progressSource: null, errorMessage: null });
    await this.release();
    try {
      this.config ??= await (this.options.loadConfig ?? loadAppConfig)();
      this.backend ??= await sharedBackend(() => this.pickBackend());
      if (number !== this.loadNumber) return;
      const embedder = await loadEmbedder(spec, {
        mirrorBase: this.config.modelMirror,
        onProgress: ({ fraction, source }) => {
          if (number === this.loadNumber) this.update({ progress: fraction, progressSource: source });
        },
      });
      if (number !== this.loadNumber) {
        embedder.dispose();
        return;
      }
      this.embedder = embedder;
      await this.options.onEmbedder(embedder);
      this.update({ status: 'ready', progress: 1 });
    } catch (error) {
      if (number !== this.loadNumber) return;
      const message =
        error instanceof ModelLoadError
          ? error.message
          : `Could not start ${spec.name}: ${error instanceof Error ? error.message : String(error)}`;
      this.update({ status: 'error', errorMessage: message });
    }
  }

  private async pickBackend(): Promise<BackendChoice> {
    if (this.options.backend) return useBackend(this.options.backend);
    const remembered = this.storage?.getItem(BACKEND_KEY) as BackendName | null | undefined;
    if (remembered) {
      try {
        return await useBackend(remembered);
      } catch (error) {
        // The remembered backend is gone (e.g. a browser update); measure again.
        console.warn(`The ${remembered} backend failed to start; measuring the others.`, error);
      }
    }
    const choice = await chooseFastestBackend();
    this.storage?.setItem(BACKEND_KEY, choice.name);
    return choice;
  }

  private async release(): Promise<void> {
    const old = this.embedder;
    if (!old) return;
    this.embedder = null;
    await this.options.onEmbedder(null);
    old.dispose();
  }

  private update(changes: Partial<Pick<ModelController, 'status' | 'progress' | 'progressSource' | 'errorMessage'>>) {
    Object.assign(this, changes);
    this.host.requestUpdate();
  }
}

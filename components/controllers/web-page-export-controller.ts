import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Teachable } from '../../src/app/teachable';
import { WebPageError, webPageZip } from '../../src/web-page/web-page-zip';

export interface WebPageExportOptions {
  /** The app's local mirror of the models (null: the public hosts), once known. */
  readonly modelMirror: () => string | null;
  /** Where the app serves the runtime bundle (server/runtime-bundle.mjs). */
  readonly bundleUrl?: string;
  readonly setStatus: (text: string, isError?: boolean) => void;
}

/** Makes "Export as a web page"'s zip from the current model's examples and downloads it. */
export class WebPageExportController implements ReactiveController {
  busy = false;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly teachable: Teachable,
    private readonly options: WebPageExportOptions,
  ) {
    host.addController(this);
  }

  hostConnected(): void {}

  async exportPage(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    this.host.requestUpdate();
    try {
      this.options.setStatus('Making the web page…');
      const dataset = await this.teachable.exportDataset({ thumbnails: false });
      const zip = await webPageZip(dataset, {
        bundleUrl: this.options.bundleUrl ?? new URL('runtime/tm-classifier.js', document.baseURI).href,
        wasmBaseUrl: new URL('tfjs-wasm/', document.baseURI).href,
        modelMirror: this.options.modelMirror(),
      });
      const url = URL.createObjectURL(new Blob([zip as Uint8Array<ArrayBuffer>], { type: 'application/zip' }));
      Object.assign(document.createElement('a'), { href: url, download: 'teachable-page.zip' }).click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      this.options.setStatus(`Exported the web page (${(zip.length / 1e6).toFixed(1)} MB): unzip it into any web host.`);
    } catch (error) {
      const reason = error instanceof WebPageError ? error.message : 'something went wrong while making it. Try again.';
      this.options.setStatus(`Export as a web page failed: ${reason}`, true);
    } finally {
      this.busy = false;
      this.host.requestUpdate();
    }
  }
}

/** The exported page's index.html: the <tm-classifier> element, the classes' file and the model beside it. */

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export interface PageHtmlOptions {
  /** The page's title (plain text). */
  readonly title: string;
  readonly bundleFile: string;
  readonly classesFile: string;
  /** The folder of the models, one sub-folder per model. */
  readonly modelsFolder: string;
  /** The folder of TensorFlow.js's wasm binaries. */
  readonly wasmFolder: string;
  /** Files the element will fetch, fetched from the start instead (while the script is parsed). */
  readonly preload: readonly string[];
}

export function pageHtml({ title, bundleFile, classesFile, modelsFolder, wasmFolder, preload }: PageHtmlOptions): string {
  const safeTitle = escapeHtml(title);
  // As the element fetches them (fetch's defaults), so that the browser hands it the preloaded response.
  const preloads = preload.map((file) => `\n    <link rel="preload" href="./${escapeHtml(file)}" as="fetch" crossorigin="anonymous" />`).join('');
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>${safeTitle}</title>
    <link rel="icon" href="data:," />
    <!-- Made by Teachable k-NN's "Export as a web page". Serve this folder from any static host (or npx serve);
         the camera needs https or localhost. Everything it needs is here: it works offline. -->
    <script type="module" src="./${escapeHtml(bundleFile)}"></script>${preloads}
    <style>
      :root { color-scheme: light dark; font-family: system-ui, sans-serif; }
      body { margin: 0 auto; padding: 1rem; max-width: 480px; }
      .top { font-size: 1.5rem; }
    </style>
  </head>
  <body>
    <main>
      <h1>${safeTitle}</h1>
      <tm-classifier src="./${escapeHtml(classesFile)}" model-base-url="./${escapeHtml(modelsFolder)}/" wasm-base-url="./${escapeHtml(wasmFolder)}/" camera aria-label="Camera classifier"></tm-classifier>
      <p class="top">Top class: <output id="top">none yet</output></p>
    </main>
    <script type="module">
      const classifier = document.querySelector('tm-classifier');
      classifier.addEventListener('tm-class-change', (event) => {
        document.querySelector('#top').value = event.detail.label ?? 'none of these';
      });
    </script>
  </body>
</html>
`;
}

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { defaultReporter } from '@web/test-runner';
import { chromeLauncher } from '@web/test-runner-chrome';
import puppeteer from 'puppeteer-core';
import { failureSummaryReporter } from './test/failure-summary-reporter.mjs';
import { firefoxPath, firefoxPrefs } from './test/firefox.mjs';
import { inlineWorkers } from './server/inline-workers.mjs';
import { koaMiddleware, modelsDirFromEnv, repoRoot, sharedModelsDir } from './server/local-assets.mjs';

// The real MobileNets are served to the end-to-end tests when they are on this machine; tests that need
// them read /app-config.json and skip with a message when no mirror is configured.
const modelsDir = modelsDirFromEnv() ?? (existsSync(sharedModelsDir) ? sharedModelsDir : null);

/**
 * tfjs's ES modules import CommonJS packages, so each test file is bundled by esbuild before it is served, with
 * the workers the app starts bundled into it (server/inline-workers.mjs).
 */
function bundleTypeScript() {
  return {
    name: 'bundle-typescript',
    resolveMimeType(context) {
      if (context.path.endsWith('.ts')) return 'js';
    },
    async serve(context) {
      if (!context.path.endsWith('.ts')) return;
      const result = await esbuild.build({
        entryPoints: [join(repoRoot, context.path)],
        bundle: true,
        format: 'esm',
        target: 'es2022',
        write: false,
        sourcemap: 'inline',
        logLevel: 'silent',
        define: { 'process.env.NODE_ENV': '"test"' },
        plugins: [inlineWorkers()],
      });
      return { body: result.outputFiles[0].text, type: 'js' };
    },
  };
}

const chromiumArgs = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--use-fake-ui-for-media-stream',
  '--use-fake-device-for-media-stream',
  '--autoplay-policy=no-user-gesture-required',
];

/**
 * The browsers to run, from TEST_BROWSERS (a comma-separated list of `chromium` and `firefox`; both by default).
 * Firefox (test/firefox.mjs) runs through the same launcher as Chromium, given puppeteer-core, which then speaks
 * WebDriver BiDi to it (docs/browsers.md says why).
 */
function browsers() {
  const wanted = (process.env.TEST_BROWSERS ?? 'chromium,firefox').split(',').map((name) => name.trim()).filter(Boolean);
  const unknown = wanted.filter((name) => name !== 'chromium' && name !== 'firefox');
  if (unknown.length > 0) throw new Error(`TEST_BROWSERS: unknown browser(s) ${unknown.join(', ')} (chromium, firefox)`);
  const launchers = [];
  if (wanted.includes('chromium')) {
    launchers.push(
      chromeLauncher({
        launchOptions: { executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium', headless: true, args: chromiumArgs },
      }),
    );
  }
  if (wanted.includes('firefox')) {
    launchers.push(
      chromeLauncher({
        puppeteer,
        launchOptions: {
          browser: 'firefox',
          executablePath: firefoxPath(),
          headless: true,
          extraPrefsFirefox: firefoxPrefs,
        },
      }),
    );
  }
  return launchers;
}

export default {
  files: ['test/**/*.test.ts'],
  nodeResolve: false,
  concurrency: 1,
  testsFinishTimeout: 20 * 60 * 1000,
  testFramework: { config: { timeout: 120000 } },
  browsers: browsers(),
  reporters: [defaultReporter(), failureSummaryReporter()],
  middleware: [koaMiddleware(modelsDir)],
  plugins: [bundleTypeScript()],
};

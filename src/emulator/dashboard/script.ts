/**
 * The page's script, bundled by esbuild from ./page/. The build inlines it
 * (scripts/dashboard-bundle.mjs: `LINE_TOKEN_DASHBOARD_JS` for the CLI bundle, this file's
 * compiled output replaced in dist/); run from source, as the tests do, it is bundled on
 * first use with the same function.
 *
 * @module
 */

declare const LINE_TOKEN_DASHBOARD_JS: string | undefined;

/** The dashboard's script, one self-contained IIFE. */
export async function pageScript(): Promise<string> {
  if (typeof LINE_TOKEN_DASHBOARD_JS === 'string') return LINE_TOKEN_DASHBOARD_JS;
  // A variable, so neither tsc nor esbuild follows it into the build scripts.
  const bundler = '../../../scripts/dashboard-bundle.mjs';
  const { bundleDashboard } = (await import(bundler)) as {
    bundleDashboard: () => Promise<string>;
  };
  return bundleDashboard();
}

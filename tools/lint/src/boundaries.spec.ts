// The workspace's boundaries, proved through ESLint's Node API with the repository's
// own eslint.config.mjs: deep imports, cross-scope and app-to-app imports and the test
// lib in product code are refused, and every project carries one type and one scope.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '../../..');
const BOUNDARIES = '@nx/enforce-module-boundaries';
const DEEP = '@typescript-eslint/no-restricted-imports';

let eslint: ESLint;

beforeAll(async () => {
  // the nx rule reads the cached project graph: refresh it, as `npm run lint` does
  execFileSync(process.execPath, [join(ROOT, 'node_modules/nx/dist/bin/nx.js'), 'show', 'projects'], { cwd: ROOT, stdio: 'ignore' });
  eslint = new ESLint({ cwd: ROOT });
  // the first type-aware lint loads the TypeScript program (tens of seconds on a busy machine)
  await eslint.lintText('export {};\n', { filePath: join(ROOT, 'apps/compliance/src/index.ts') });
}, 180_000);

/** Lints code as if it were the file at `filePath` (an existing file: the lint is type-aware). */
async function lint(filePath: string, code: string): Promise<{ ruleId: string | null; message: string }[]> {
  const [result] = await eslint.lintText(code, { filePath: join(ROOT, filePath) });
  return (result?.messages ?? []).map((m) => ({ ruleId: m.ruleId, message: m.message }));
}

const only = (ruleId: string, message: RegExp) => [{ ruleId, message: expect.stringMatching(message) as unknown as string }];

describe('deep imports', () => {
  it('refuses a package\'s files, from an app and from a tool', async () => {
    expect(await lint('apps/compliance/src/index.ts', "export { importOscalCatalog } from '@packets/catalogs/src/oscal';\n"))
      .toEqual(only(DEEP, /^'@packets\/catalogs\/src\/oscal' import is restricted .*Deep import/));
    expect(await lint('tools/e2e/src/harness.ts', "export { startSmtp } from '@packets/testing/src/smtp';\n"))
      .toEqual(only(DEEP, /^'@packets\/testing\/src\/smtp' import is restricted .*Deep import/));
    expect(await lint('apps/compliance/src/index.ts', "import type { Catalog } from '@packets/catalogs/src/catalog';\nexport type C = Catalog;\n"))
      .toEqual(only(DEEP, /Deep import/));
  });

  it('refuses a relative path into another project', async () => {
    expect(await lint('tools/e2e/src/harness.ts', "export { AiSettingsEntity } from '../../../apps/ai/src/settings/settings.entity';\n"))
      .toEqual(only(BOUNDARIES, /^Projects cannot be imported by a relative or absolute path/));
  });

  it('accepts a subpath the package declares in "exports"', async () => {
    expect(await lint('tools/e2e/src/harness.ts', "export { startSmtp } from '@packets/testing/smtp';\n")).toEqual([]);
  });
});

describe('type and scope', () => {
  it('refuses an app importing another app', async () => {
    expect(await lint('apps/compliance/src/index.ts', "export { startIdentity } from '@packets/identity';\n"))
      .toEqual(only(BOUNDARIES, /tagged with "type:app" can only depend on libs tagged with "type:lib"/));
  });

  it('refuses a lib of another scope, from an app and from a shared lib', async () => {
    expect(await lint('apps/identity/src/index.ts', "export { loadBuiltInCatalogs } from '@packets/catalogs';\n"))
      .toEqual(only(BOUNDARIES, /tagged with "scope:identity" can only depend on libs tagged with "scope:shared", "scope:identity"/));
    expect(await lint('libs/db/src/index.ts', "export { loadBuiltInCatalogs } from '@packets/catalogs';\n"))
      .toEqual(only(BOUNDARIES, /tagged with "scope:shared" can only depend on libs tagged with "scope:shared"$/));
  });

  it('refuses the test lib in product code, accepts it in a spec', async () => {
    expect(await lint('libs/catalogs/src/catalog.ts', "export { gql } from '@packets/testing';\n"))
      .toEqual(only(BOUNDARIES, /tagged with "type:lib" can only depend on libs tagged with "type:lib"$/));
    expect(await lint('libs/catalogs/src/catalog.spec.ts', "export { gql } from '@packets/testing';\n")).toEqual([]);
  });

  it('accepts an app importing its own scope and shared libs', async () => {
    expect(await lint('apps/compliance/src/index.ts', "export { loadBuiltInCatalogs } from '@packets/catalogs';\nexport { createOrm } from '@packets/db';\n")).toEqual([]);
  });
});

describe('tags', () => {
  const projects = ['apps', 'libs', 'tools'].flatMap((dir) => readdirSync(join(ROOT, dir))
    .filter((name) => existsSync(join(ROOT, dir, name, 'package.json')))
    .map((name) => {
      const pkg = JSON.parse(readFileSync(join(ROOT, dir, name, 'package.json'), 'utf8')) as { name: string; nx?: { tags?: string[] } };
      return { dir, folder: name, name: pkg.name, tags: pkg.nx?.tags ?? [] };
    }));
  const TYPES: Record<string, string[]> = { apps: ['type:app'], libs: ['type:lib', 'type:test-lib'], tools: ['type:tool'] };

  it('gives every project one type for its folder and one scope the rules know', () => {
    expect(projects.length).toBeGreaterThan(20);
    for (const p of projects) {
      const types = p.tags.filter((t) => t.startsWith('type:'));
      const scopes = p.tags.filter((t) => t.startsWith('scope:'));
      expect(types, p.name).toHaveLength(1);
      expect(TYPES[p.dir], p.name).toContain(types[0]);
      expect(scopes, p.name).toHaveLength(1);
      const scope = scopes[0] ?? '';
      if (p.dir === 'apps') expect(scope, p.name).toBe(`scope:${p.folder}`);
      else if (p.dir === 'tools') expect(scope, p.name).toBe('scope:tools');
      else expect(['scope:shared', 'scope:test', 'scope:gateway', 'scope:identity', 'scope:compliance', 'scope:audit', 'scope:ai'], p.name).toContain(scope);
      expect(types[0] === 'type:test-lib', p.name).toBe(scope === 'scope:test');
    }
  });
});

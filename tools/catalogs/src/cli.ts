// The catalogue command line: `check` validates catalogue files as the product loads
// them (the shipped data by default), `import-oscal` turns an OSCAL 1.1.2 catalog into
// a catalogue file for libs/catalogs/data. Loading and parsing live in @packets/catalogs.
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import {
  CatalogError, importOscalCatalog, loadBuiltInCatalogs, loadStarterControls, validateCatalog, type Catalog,
} from '@packets/catalogs';

export const USAGE = [
  'usage: catalogs check [catalogue.json ...]',
  '       catalogs import-oscal <oscal-catalog.json> [--key <key>] [--publisher <name>] [--source <url>] [--out <file>]',
].join('\n');

export interface Io {
  log: (line: string) => void;
  error: (line: string) => void;
}

/** Runs one command; the exit code is 0 = valid, 1 = refused input, 2 = usage error. */
export function runCatalogs(argv: readonly string[], io: Io): number {
  const [command, ...rest] = argv;
  try {
    if (command === 'check') return check(rest, io);
    if (command === 'import-oscal') return importOscal(rest, io);
    io.error(USAGE);
    return 2;
  } catch (err) {
    // CatalogError messages already say file:line:column: path: reason
    if (err instanceof CatalogError) {
      io.error(err.message);
      return 1;
    }
    if (err instanceof TypeError && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS')) {
      io.error(`${err.message}\n${USAGE}`);
      return 2;
    }
    throw err;
  }
}

function check(files: readonly string[], io: Io): number {
  if (files.length === 0) {
    const catalogs = loadBuiltInCatalogs();
    for (const c of catalogs) io.log(`${c.key}.json: ${c.requirements.length} requirements`);
    io.log(`starter-controls.json: ${loadStarterControls(catalogs).length} controls`);
    return 0;
  }
  for (const file of files) {
    const c = validateCatalog(readFileSync(file, 'utf8'), basename(file), { requireDescriptions: true });
    io.log(`${basename(file)}: ${c.requirements.length} requirements`);
  }
  return 0;
}

function importOscal(args: readonly string[], io: Io): number {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: { key: { type: 'string' }, publisher: { type: 'string' }, source: { type: 'string' }, out: { type: 'string' } },
  });
  const [file, ...extra] = positionals;
  if (!file || extra.length > 0) {
    io.error(USAGE);
    return 2;
  }
  const imported = importOscalCatalog(readFileSync(file, 'utf8'), { fileName: basename(file), key: values.key });
  const catalog: Catalog = {
    ...imported,
    ...(values.publisher !== undefined ? { publisher: values.publisher } : {}),
    ...(values.source !== undefined ? { source: values.source } : {}),
  };
  // what is written must read back as a catalogue file; `check` adds the rules for shipped data
  const text = `${JSON.stringify(catalog, null, 2)}\n`;
  validateCatalog(text, `${catalog.key}.json`);
  if (values.out) {
    writeFileSync(values.out, text);
    io.log(`${values.out}: ${catalog.requirements.length} requirements (key ${catalog.key})`);
  } else {
    io.log(text.trimEnd());
  }
  return 0;
}

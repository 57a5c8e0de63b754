// npm run -w @packets/tool-catalogs catalogs -- check | import-oscal <file> (see cli.ts)
import { runCatalogs } from './cli';

process.exitCode = runCatalogs(process.argv.slice(2), { log: (l) => console.log(l), error: (l) => console.error(l) });

// `npm run migrate`: roles, schemas and migrations against DATABASE_URL (an
// administrator connection). APP_DB_PASSWORD is the password the services' role gets.
import 'reflect-metadata';
import { reporter } from '@packets/config';
import { cleanEnv, str, url } from 'envalid';
import { migrate } from './stack';

const env = (() => {
  try {
    return cleanEnv(process.env, { DATABASE_URL: url(), APP_DB_PASSWORD: str() }, { reporter });
  } catch (err) {
    console.error((err as Error).message);
    process.exit(1);
  }
})();
migrate(env.DATABASE_URL, env.APP_DB_PASSWORD).then(
  () => console.log('migrations applied'),
  (err: unknown) => { console.error(err); process.exit(1); },
);

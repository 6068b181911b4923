// npm start: install if needed, build, serve the built app on localhost.
import { execFileSync } from 'node:child_process';
import { ensureNodeModules } from './setup.mjs';
import { serveBuild } from './serve.mjs';

ensureNodeModules();
execFileSync('npx', ['vite', 'build'], { stdio: 'inherit' });
await serveBuild({ port: Number(process.env.PORT ?? 4173) });

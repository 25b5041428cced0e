/**
 * The restart baseline: a plain Node process that imports the same graph and
 * serves it: `node _serve-plain.mjs <entry> [port]` (port 0, the default, picks one).
 */
import { createServer } from 'node:http';
import { pathToFileURL } from 'node:url';

const mod = await import(pathToFileURL(process.argv[2]).href);
const total = mod.total ?? mod.default.total;
const server = createServer((req, res) => res.end(String(total())));
server.listen(Number(process.argv[3] ?? 0), '127.0.0.1', () => process.stdout.write(`PORT ${server.address().port}\n`));

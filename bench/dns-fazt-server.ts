/**
 * fazt for the dns-server bench: a real server on a temp data dir with the
 * built-in DNS on a free port and one zone holding the answer. Prints its port.
 */
import { bootServer } from '../src/server/boot.js';

const [dataDir] = process.argv.slice(2);
const s = await bootServer({ port: 0, dataDir, seedExample: false, dnsPort: 0 }, { insecurePermissions: true });
const dns = s.kernel.services.dnsServer;
dns.createZone('bench.test');
dns.set('bench.test', { name: 'www', type: 'A', value: '192.0.2.1' });
process.stdout.write(`listening ${dns.listening()!.port}\n`);
process.on('SIGTERM', () => void s.stop().then(() => process.exit(0)));

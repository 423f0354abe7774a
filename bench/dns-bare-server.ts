/**
 * The baseline for dns-server: the least a dns-packet UDP responder can do —
 * decode, answer every question with one fixed A record, encode. Prints its port.
 */
import { createSocket } from 'node:dgram';
import dnsPacket from 'dns-packet';

const sock = createSocket('udp4');
sock.on('message', (msg, rinfo) => {
  let q: dnsPacket.DecodedPacket;
  try {
    q = dnsPacket.decode(msg);
  } catch {
    return;
  }
  const name = q.questions?.[0]?.name ?? '';
  const out = dnsPacket.encode({
    id: q.id,
    type: 'response',
    flags: dnsPacket.AUTHORITATIVE_ANSWER,
    questions: q.questions,
    answers: [{ name, type: 'A', class: 'IN', ttl: 300, data: '192.0.2.1' }],
  });
  sock.send(out, rinfo.port, rinfo.address);
});
sock.bind(0, '127.0.0.1', () => process.stdout.write(`listening ${sock.address().port}\n`));
process.on('SIGTERM', () => sock.close(() => process.exit(0)));

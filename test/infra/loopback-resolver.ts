import { createSocket, type Socket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import dnsPacket from 'dns-packet';

/** A tiny recursive-resolver stand-in on loopback UDP: answers from a fixed table, NXDOMAIN otherwise. */
export interface LoopbackResolver {
  address: string;
  answers: Map<string, { type: string; data: unknown }[]>;
  close(): Promise<void>;
}

export async function loopbackResolver(): Promise<LoopbackResolver> {
  const answers = new Map<string, { type: string; data: unknown }[]>();
  const sock: Socket = createSocket('udp4');
  sock.on('message', (msg, rinfo) => {
    const q = dnsPacket.decode(msg);
    const question = q.questions?.[0];
    const found = question ? (answers.get(`${question.name.toLowerCase()}/${question.type}`) ?? []) : [];
    const reply = dnsPacket.encode({
      type: 'response',
      id: q.id,
      // The low four flag bits are the response code: 3 is NXDOMAIN.
      flags: dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE | (found.length ? 0 : 3),
      questions: q.questions,
      answers: found.map((a) => ({ type: a.type, name: question!.name, ttl: 60, class: 'IN', data: a.data })) as never,
    } as never);
    sock.send(reply, rinfo.port, rinfo.address);
  });
  await new Promise<void>((resolve) => sock.bind(0, '127.0.0.1', resolve));
  const { port } = sock.address() as AddressInfo;
  return { address: `127.0.0.1:${port}`, answers, close: () => new Promise<void>((r) => sock.close(() => r())) };
}

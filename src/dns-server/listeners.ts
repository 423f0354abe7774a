import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, isIPv6, type Server, type Socket } from 'node:net';
import { answer, decodeQuery, encodeAnswer } from './answer.js';
import type { DnsStats } from './stats.js';
import type { ZoneIndex } from './zone-index.js';

const TCP_IDLE_MS = 10_000;
const MAX_TCP_CONNECTIONS = 256;
/** A client that sends queries but never reads its answers is cut off past this much unsent output. */
const MAX_TCP_BACKLOG = 1024 * 1024;

/** The server's sockets: UDP and TCP on one port, answering from the zone index. */
export class DnsListeners {
  private udp?: UdpSocket;
  private tcp?: Server;
  private readonly conns = new Set<Socket>();
  private bound: { host: string; port: number } | null = null;

  constructor(
    private readonly index: ZoneIndex,
    private readonly stats: DnsStats,
  ) {}

  address(): { host: string; port: number } | null {
    return this.bound;
  }

  /** Binds UDP first (port 0 picks one), then TCP on the same port; retries if TCP finds it taken. */
  async start(host: string, port: number): Promise<{ host: string; port: number }> {
    for (let attempt = 0; ; attempt++) {
      const udp = await this.bindUdp(host, port);
      const udpPort = udp.address().port;
      try {
        this.tcp = await this.bindTcp(host, udpPort);
        this.udp = udp;
        this.bound = { host, port: udpPort };
        return this.bound;
      } catch (err) {
        udp.close();
        if (port !== 0 || attempt >= 5 || (err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
      }
    }
  }

  async stop(): Promise<void> {
    this.bound = null;
    const udp = this.udp;
    const tcp = this.tcp;
    this.udp = this.tcp = undefined;
    for (const c of this.conns) c.destroy();
    await Promise.all([
      udp && new Promise<void>((r) => udp.close(() => r())),
      tcp && new Promise<void>((r) => tcp.close(() => r())),
    ]);
  }

  private bindUdp(host: string, port: number): Promise<UdpSocket> {
    return new Promise((resolve, reject) => {
      const sock = createSocket(isIPv6(host) ? 'udp6' : 'udp4');
      sock.once('error', reject);
      sock.bind(port, host, () => {
        sock.off('error', reject);
        // A send error to one client must not take the socket down.
        sock.on('error', () => this.stats.errors++);
        sock.on('message', (msg, rinfo) => this.onDatagram(sock, msg, rinfo.address, rinfo.port));
        resolve(sock);
      });
    });
  }

  private bindTcp(host: string, port: number): Promise<Server> {
    return new Promise((resolve, reject) => {
      const srv = createServer((sock) => this.onConnection(sock));
      srv.maxConnections = MAX_TCP_CONNECTIONS;
      srv.once('error', reject);
      srv.listen(port, host, () => {
        srv.off('error', reject);
        srv.on('error', () => this.stats.errors++);
        resolve(srv);
      });
    });
  }

  private respond(msg: Buffer, transport: 'udp' | 'tcp'): Buffer | undefined {
    const query = decodeQuery(msg);
    if (!query) {
      this.stats.malformed++;
      return undefined;
    }
    try {
      const a = answer(query, this.index, transport);
      const out = encodeAnswer(a, transport);
      this.stats.queries++;
      this.stats[transport]++;
      this.stats.count(a.rcode);
      if ((out[2] & 0x02) !== 0) this.stats.truncated++;
      return out;
    } catch {
      // A query that decodes but cannot be answered (a name we cannot re-encode): dropped, counted.
      this.stats.errors++;
      return undefined;
    }
  }

  private onDatagram(sock: UdpSocket, msg: Buffer, address: string, port: number): void {
    const out = this.respond(msg, 'udp');
    if (out) sock.send(out, port, address);
  }

  private onConnection(sock: Socket): void {
    this.conns.add(sock);
    sock.setTimeout(TCP_IDLE_MS, () => sock.destroy());
    sock.on('close', () => this.conns.delete(sock));
    sock.on('error', () => sock.destroy());
    let buf: Buffer = Buffer.alloc(0);
    sock.on('data', (chunk: Buffer) => {
      buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
      // RFC 1035 §4.2.2: each message is preceded by its two-byte length; several may follow each other.
      while (buf.length >= 2) {
        const len = buf.readUInt16BE(0);
        if (buf.length < 2 + len) return;
        const msg = buf.subarray(2, 2 + len);
        buf = buf.subarray(2 + len);
        const out = this.respond(msg, 'tcp');
        if (!out) {
          sock.destroy();
          return;
        }
        const frame = Buffer.allocUnsafe(2 + out.length);
        frame.writeUInt16BE(out.length, 0);
        out.copy(frame, 2);
        sock.write(frame);
        if (sock.writableLength > MAX_TCP_BACKLOG) {
          sock.destroy();
          return;
        }
      }
    });
  }
}

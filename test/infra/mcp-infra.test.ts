import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Client } from '@modelcontextprotocol/client';
import { startServer, type TestServer } from '../helpers/server.js';
import { connect } from '../mcp/client.js';
import { digitalOceanFake, type DigitalOceanFake } from './contract/digitalocean.js';

let s: TestServer;
let dof: DigitalOceanFake;
let client: Client;
const asked: string[] = [];

before(async () => {
  dof = await digitalOceanFake();
  s = await startServer();
  await s.op('infra.providers.set', { provider: 'digitalocean', apiToken: dof.token, baseUrl: dof.base });
  client = await connect(`${s.url}/mcp`, { token: s.token, elicit: (p) => (asked.push(p.message), { action: 'accept', content: { decision: 'Approve' } }) });
});

after(async () => {
  await client.close();
  await s.close();
  await dof.close();
});

test('MCP: a model creating a server is asked first with the monthly price; the tool then runs', async () => {
  const r: any = await client.callTool({ name: 'infra_vps_create', arguments: { provider: 'digitalocean', name: 'gallery', type: 's-1vcpu-2gb', region: 'fra1', installFazt: false } });
  assert.equal(r.isError, undefined, JSON.stringify(r));
  assert.equal(asked.length, 1);
  assert.match(asked[0], /Create digitalocean server 'gallery' \(s-1vcpu-2gb in fra1\) for 12\.00 USD\/month/);
  assert.equal(dof.droplets.length, 1);
});

test('MCP resources: fazt://infra/vps lists servers and fazt://infra/dns/{zone} the zone\'s records', async () => {
  const templates = await client.listResourceTemplates();
  assert.ok(templates.resourceTemplates.some((t) => t.uriTemplate === 'fazt://infra/dns/{zone}'));
  const listed = await client.listResources();
  assert.ok(listed.resources.some((x) => x.uri === 'fazt://infra/vps'));
  const vps = await client.readResource({ uri: 'fazt://infra/vps' });
  const body = JSON.parse((vps.contents[0] as { text: string }).text);
  assert.deepEqual(body.servers.map((x: any) => [x.name, x.provider, x.price.monthly]), [['gallery', 'digitalocean', 12]]);
  await s.op('infra.dns.set', { zone: 'example.org', provider: 'digitalocean', name: 'gallery', type: 'A', value: '203.0.113.20' });
  const zone = await client.readResource({ uri: 'fazt://infra/dns/example.org' });
  const recs = JSON.parse((zone.contents[0] as { text: string }).text);
  assert.deepEqual(recs.records.map((r: any) => [r.name, r.type, r.value]), [['gallery', 'A', '203.0.113.20']]);
});

// How twilio-run's own deploy code reaches the emulated Serverless API without a line of it changed: its
// API client (@twilio-labs/serverless-api, dist/client.js) sends every request through `HTTP_PROXY` with
// hpagent's HttpsProxyAgent, a CONNECT tunnel to serverless.twilio.com or serverless-upload.twilio.com
// (dist/api/utils/api-client.js, getApiUrl). This proxy accepts exactly those two tunnels and ends them
// itself: TLS with a certificate for the two hosts, signed by a certificate authority made at start-up that
// the child process trusts through NODE_EXTRA_CA_CERTS. Anything else (another host, a plain proxied
// request) is refused with 403; nothing is ever forwarded to the internet.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import forge from 'node-forge';
import { listen, type Listening } from '../shared/http';

export const SERVERLESS_HOSTS = ['serverless.twilio.com', 'serverless-upload.twilio.com'] as const;

export interface Certificates {
  /** PEM of the certificate authority (what NODE_EXTRA_CA_CERTS points at). */
  readonly caPem: string;
  readonly keyPem: string;
  readonly certPem: string;
}

function keyPair(): { privateKey: forge.pki.rsa.PrivateKey; publicKey: forge.pki.rsa.PublicKey } {
  // Node's own generator: forge's pure-JavaScript one takes seconds.
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return { privateKey: forge.pki.privateKeyFromPem(privateKey) as forge.pki.rsa.PrivateKey, publicKey: forge.pki.publicKeyFromPem(publicKey) as forge.pki.rsa.PublicKey };
}

function certificate(subject: string, publicKey: forge.pki.PublicKey, days: number): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  // A positive serial number (high bit clear), unique per certificate.
  cert.serialNumber = `01${randomBytes(15).toString('hex')}`;
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + days * 24 * 3600_000);
  cert.setSubject([{ name: 'commonName', value: subject }]);
  return cert;
}

/** A certificate authority for this run only, and the two Serverless hosts' certificate it signed. */
export function makeCertificates(): Certificates {
  const ca = keyPair();
  const caCert = certificate('ivr-escalation sandbox CA (this run only)', ca.publicKey, 7);
  caCert.setIssuer(caCert.subject.attributes);
  caCert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
  ]);
  caCert.sign(ca.privateKey, forge.md.sha256.create());

  const leaf = keyPair();
  const leafCert = certificate(SERVERLESS_HOSTS[0], leaf.publicKey, 7);
  leafCert.setIssuer(caCert.subject.attributes);
  leafCert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames: SERVERLESS_HOSTS.map((value) => ({ type: 2, value })) },
  ]);
  leafCert.sign(ca.privateKey, forge.md.sha256.create());
  return { caPem: forge.pki.certificateToPem(caCert), keyPem: forge.pki.privateKeyToPem(leaf.privateKey), certPem: forge.pki.certificateToPem(leafCert) };
}

/** The proxy: `handler` answers the requests that arrive through an accepted tunnel (their Host says which host). */
export async function startTlsProxy(
  handler: http.RequestListener,
  certificates: Certificates,
  opts: { port?: number; host?: string } = {},
): Promise<Listening> {
  const tunnels = new Set<Socket>();
  // Never listening: it only ends TLS on the sockets of accepted tunnels.
  const tlsServer = https.createServer({ key: certificates.keyPem, cert: certificates.certPem }, handler);
  const proxy = await listen((_req, res) => {
    res.writeHead(403, { 'Content-Type': 'text/plain' });
    res.end('This proxy only opens tunnels (CONNECT) to the emulated Serverless API.\n');
  }, opts);
  proxy.server.on('connect', (req: http.IncomingMessage, socket: Socket, head: Buffer) => {
    const [host, port] = (req.url ?? '').split(':');
    if (!(SERVERLESS_HOSTS as readonly string[]).includes(host ?? '') || port !== '443') {
      socket.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    tunnels.add(socket);
    socket.once('close', () => tunnels.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    if (head.length) socket.unshift(head);
    tlsServer.emit('connection', socket);
  });
  return {
    ...proxy,
    close() {
      for (const socket of tunnels) socket.destroy();
      tlsServer.closeAllConnections();
      return proxy.close();
    },
  };
}

import http from 'node:http';
(async () => {
  const server = http.createServer((req, res) => {
    res.once('close', () => { console.log('close: destroyed=', res.destroyed, 'socket destroyed=', req.socket.destroyed); setTimeout(() => { try { res.writeHead(200); res.end('x'); console.log('wrote ok'); } catch (e) { console.log('threw', e); } }, 20); });
    res.on('error', (e) => console.log('res error', e.message));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as any).port;
  const ac = new AbortController();
  fetch(`http://127.0.0.1:${port}/`, { signal: ac.signal }).catch(() => {});
  setTimeout(() => ac.abort(), 50);
  setTimeout(() => server.close(), 200);
})();

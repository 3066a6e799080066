// The emulator's control API over HTTP, for other processes (no auth): GET /__emulator/{calls,
// conferences,messages,recordings,transcripts,incoming-numbers,requests,stats,faults}, POST /__emulator/reset, POST|DELETE
// /__emulator/faults, POST /__emulator/calls/{sid}/status, POST /__emulator/calls/{sid}/recordings,
// POST /__emulator/transcripts/{sid}/complete, GET /__emulator/callbacks, POST
// /__emulator/callbacks/redeliver ({ kind, about? }), POST /__emulator/intelligence/webhook
// ({ url | null, method?, serviceSid? }).
import type http from 'node:http';
import { parseFaults } from '../shared/faults';
import { readBody, sendJson } from '../shared/http';
import type { CallStatus } from './resources/call';
import type { RecordingOptions } from './recordings';
import type { TwilioEmulator } from './index';

export type ControlledEmulator = Omit<TwilioEmulator, 'url' | 'close'>;

export async function handleControl(emulator: ControlledEmulator, req: http.IncomingMessage, res: http.ServerResponse, url: URL) {
  const method = (req.method ?? 'GET').toUpperCase();
  const path = url.pathname.replace(/^\/__emulator/, '');
  let json: unknown = undefined;
  if (method === 'POST' || method === 'PUT') {
    const text = await readBody(req);
    try {
      json = text.trim() === '' ? {} : JSON.parse(text);
    } catch {
      return sendJson(res, 400, { error: 'body must be JSON' });
    }
  }
  const body = (json ?? {}) as Record<string, unknown>;
  const lists: Record<string, () => unknown> = {
    '/calls': emulator.calls,
    '/conferences': emulator.conferences,
    '/messages': emulator.messages,
    '/recordings': emulator.recordings,
    '/transcripts': emulator.transcripts,
    '/incoming-numbers': emulator.incomingNumbers,
    '/requests': emulator.requests,
    '/stats': emulator.stats,
    '/faults': emulator.faults.list,
    '/callbacks': emulator.callbacks,
  };
  try {
    if (method === 'GET' && lists[path]) return sendJson(res, 200, lists[path]());
    if (method === 'POST' && path === '/reset') {
      emulator.reset();
      return sendJson(res, 200, { ok: true });
    }
    if (method === 'POST' && path === '/faults') {
      emulator.faults.set(parseFaults(json));
      return sendJson(res, 200, emulator.faults.list());
    }
    if (method === 'DELETE' && path === '/faults') {
      emulator.faults.clear();
      return sendJson(res, 200, []);
    }
    let m = /^\/calls\/([^/]+)\/status$/.exec(path);
    if (method === 'POST' && m) {
      const extra = { answeredBy: body.answeredBy as string | undefined, durationSeconds: body.durationSeconds as number | undefined };
      return sendJson(res, 200, emulator.setCallStatus(m[1], body.status as CallStatus, extra));
    }
    m = /^\/calls\/([^/]+)\/recordings$/.exec(path);
    if (method === 'POST' && m) {
      const recording = emulator.addRecording(m[1], body as RecordingOptions);
      return sendJson(res, 201, { recording, callbackParams: emulator.recordingCallbackParams(recording.sid) });
    }
    if (method === 'POST' && path === '/callbacks/redeliver') {
      if (typeof body.kind !== 'string') return sendJson(res, 400, { error: 'kind is required: transcript, recording, call-status...' });
      const about = typeof body.about === 'string' ? body.about : undefined;
      return sendJson(res, 200, await emulator.redeliverCallback(body.kind, about));
    }
    if (method === 'POST' && path === '/intelligence/webhook') {
      const serviceSid = typeof body.serviceSid === 'string' ? body.serviceSid : undefined;
      const webhook = typeof body.url === 'string' ? { url: body.url, method: (typeof body.method === 'string' ? body.method.toUpperCase() : 'POST') as 'GET' | 'POST' } : undefined;
      emulator.setIntelligenceWebhook(webhook, serviceSid);
      return sendJson(res, 200, { webhook: webhook ?? null, serviceSid: serviceSid ?? null });
    }
    m = /^\/transcripts\/([^/]+)\/complete$/.exec(path);
    if (method === 'POST' && m) {
      const status = body.status as 'completed' | 'failed' | undefined;
      return sendJson(res, 200, emulator.completeTranscript(m[1], { status }));
    }
  } catch (err) {
    return sendJson(res, 400, { error: (err as Error).message });
  }
  sendJson(res, 404, { error: `no control endpoint ${method} ${url.pathname}` });
}

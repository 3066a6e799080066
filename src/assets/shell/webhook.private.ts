// The shell around every Twilio-facing voice function: it owns the time budget, input hygiene,
// logging and the callback, so that a caller never hears "an application error has occurred".
// Handlers stay small: they get the call's session, load what they need through it, ask the core for
// a Step, and return it.
import type { Context, ServerlessCallback } from '@twilio-labs/serverless-runtime-types/types';
import { noteBot, noteCaller } from '../call/bot-log.private';
import type { Params, WebhookRequest } from '../call/request.private';
import { openCallSession, type CallSession } from '../call/session.private';
import type { Config, Logger } from '../core/model.private';
import { prompt } from '../core/prompts.private';
import { renderStep } from '../core/render-twiml.private';
import type { Step } from '../core/steps.private';
import { readConfig } from './config.private';
import { createLogger } from './log.private';

const IO_SHARE_OF_BUDGET = 0.75;

/** Longest value kept from any parameter: a 10 kB SpeechResult is noise, not a request. */
const MAX_PARAM_LENGTH = 1000;
const PARAM_NAME = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
// Control bytes, and what XML 1.0 cannot hold at all (U+FFFE, U+FFFF, a surrogate without its pair):
// any of them said back in TwiML (a caller's name carried in a step URL) would make the twilio library
// throw while writing the document.
// eslint-disable-next-line no-control-regex
const NOT_TEXT = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uFFFD\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export type VoiceHandler = (call: CallSession) => Promise<Step>;

/** Untrusted input in, plain strings out: unknown shapes are dropped, long values cut, control bytes removed. */
export function cleanParams(event: Readonly<Record<string, unknown>>): Params {
  const params: Record<string, string> = {};
  for (const [name, raw] of Object.entries(event)) {
    if (name === 'request' || !PARAM_NAME.test(name)) continue;
    const value = Array.isArray(raw) ? raw.find((v) => typeof v === 'string') : raw;
    if (typeof value !== 'string') continue;
    // Cut first: a cut can split a surrogate pair, and the half left is removed with the rest.
    params[name] = value.slice(0, MAX_PARAM_LENGTH).replace(NOT_TEXT, '').trim();
  }
  return params;
}

/** The step as TwiML; a step the twilio library refuses to write gives way to the safe answer, never a crash. */
function renderSafely(step: Step, safe: () => Step, log: Logger, callSid: string | undefined): string {
  try {
    return renderStep(step).toString();
  } catch (error) {
    log.error('render-failed', { callSid, step: step.kind, error });
    return renderStep(safe()).toString();
  }
}

/** What the caller hears when a handler fails or runs out of time: a person if we know one, else a kind goodbye. */
export function troubleStep(config: Config): Step {
  if (config.fallbackTransferNumber) {
    return {
      kind: 'dial',
      say: [{ text: prompt('en-US', 'trouble.connecting'), language: 'en-US' }],
      number: config.fallbackTransferNumber,
      action: '/voice/dial-ended',
      timeoutSeconds: 25,
    };
  }
  return { kind: 'say-and-hangup', say: [{ text: prompt('en-US', 'trouble.goodbye'), language: 'en-US' }] };
}

function timeout(ms: number): Promise<'timeout'> {
  return new Promise((resolve) => setTimeout(resolve, ms, 'timeout').unref());
}

/**
 * `trouble` replaces troubleStep for webhooks where a transfer to the fallback number is wrong: the
 * legs of a call we placed to the agent (it would ring the agent from their own call), whispers.
 */
export function voiceWebhook(name: string, handle: VoiceHandler, trouble: (config: Config) => Step = troubleStep) {
  return async function handler(
    context: Context,
    event: Readonly<Record<string, unknown>>,
    callback: ServerlessCallback,
  ): Promise<void> {
    const started = Date.now();
    const config = readConfig(context as unknown as Record<string, unknown>);
    const budgetMs = config.webhookBudgetMs;
    const log = createLogger(name);
    const params = cleanParams(event);
    // I/O gives up at three quarters of the budget, so that what it could not fetch can still be
    // worked around (stale cache, fallback number) before the wrapper's own cut-off.
    const deadline = started + Math.floor(budgetMs * IO_SHARE_OF_BUDGET);
    const request: WebhookRequest = { params, config, log, now: new Date(started), deadline };
    if (params.CallSid) noteCaller(params.CallSid, started, { speech: params.SpeechResult, digits: params.Digits });
    let step: Step;
    try {
      const outcome = await Promise.race([handle(openCallSession(request)), timeout(budgetMs)]);
      if (outcome === 'timeout') {
        log.warn('deadline-exceeded', { callSid: params.CallSid, budgetMs });
        step = trouble(config);
      } else {
        step = outcome;
      }
    } catch (error) {
      log.error('handler-failed', { callSid: params.CallSid, error });
      step = trouble(config);
    }
    if (params.CallSid) noteBot(params.CallSid, started, step);
    log.info('answered', { callSid: params.CallSid, step: step.kind, ms: Date.now() - started });
    // A plain Response with an XML body behaves the same under twilio-run and in production,
    // whichever copy of the twilio library the runtime itself has loaded.
    const response = new Twilio.Response();
    response.appendHeader('Content-Type', 'text/xml');
    response.setBody(renderSafely(step, () => trouble(config), log, params.CallSid));
    callback(null, response);
  };
}

// Lines for pure-decision tests, as the Airtable adapter maps a row: every path switched off and the
// callback settings at their defaults, unless `fields` says otherwise.
import { LINE_DEFAULTS, type Line } from '../../src/assets/core/model.private';

export function testLine(fields: Partial<Line> = {}): Line {
  return {
    ...LINE_DEFAULTS,
    name: '',
    phoneNumber: '',
    language: 'en-US',
    timezone: 'UTC',
    ...fields,
  };
}

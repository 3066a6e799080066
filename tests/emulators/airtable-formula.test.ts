import { FormulaError, FormulaRuntimeError, parseFormula, type FormulaValue } from '../../sandbox/emulators/airtable/formula';

/** A record as the emulator hands it to a formula: empty cells are null, dates are instants. */
function record(fields: Record<string, FormulaValue>, id = 'recAAAAAAAAAAAAAA') {
  return { id, field: (name: string) => (name in fields ? fields[name] : null) };
}

const booked = record({
  Name: 'Dana Whitfield',
  Phone: '+14155550142',
  Status: 'Booked',
  Attempts: 2,
  'Do Not Contact': false,
  'Live Transfer': true,
  'Scheduled For': new Date('2026-11-24T09:30:00.000Z'),
});

describe('filterByFormula evaluation', () => {
  test.each<[string, boolean]>([
    ["{Phone} = '+14155550142'", true],
    ['{Phone} = "+14155550142"', true],
    ["{Phone} = '+14155550143'", false],
    ["{Phone} != '+14155550143'", true],
    ["OR({Phone} = 'x', {Name} = 'Dana Whitfield')", true],
    ["AND({Status} = 'Booked', {Attempts} = 2)", true],
    ["AND({Status} = 'Booked', {Attempts} = 3)", false],
    ["and({Status} = 'Booked', or(TRUE(), FALSE()))", true],
    ['NOT({Do Not Contact})', true],
    ['{Live Transfer}', true],
    ['{Live Transfer} = TRUE()', true],
    ['{Live Transfer} = 1', true],
    ['{Do Not Contact} = FALSE()', true],
    ['{Do Not Contact} = BLANK()', true],
    ['{Reason} = BLANK()', true],
    ["{Reason} = ''", true],
    ['{Reason}', false],
    ['NOT({Reason})', true],
    ['{Name} = BLANK()', false],
    ["{Attempts} = '2'", true],
    ['{Attempts} > 1', true],
    ['{Attempts} >= 2', true],
    ['{Attempts} < 2', false],
    ['{Attempts} <= 2', true],
    ['{Missing Number} < 3', true],
    ['-{Attempts} = -2', true],
    ["IS_BEFORE({Scheduled For}, '2026-11-24T10:00:00.000Z')", true],
    ["IS_AFTER({Scheduled For}, '2026-11-24T10:00:00.000Z')", false],
    ["IS_BEFORE({Scheduled For}, '2026-11-24T09:30:00Z')", false],
    ["{Scheduled For} < '2026-11-24T10:00:00Z'", true],
    ["{Scheduled For} = '2026-11-24T09:30:00Z'", true],
    ["'2026-11-24T08:00:00Z' < '2026-11-24T09:00:00+00:30'", true],
    ["IS_BEFORE({Unscheduled}, '2026-11-24T10:00:00Z')", false],
    ["LOWER({Status}) = 'booked'", true],
    ["UPPER({Status}) = 'BOOKED'", true],
    ["{Status} = 'booked'", false],
    ["{Name} & ' / ' & {Status} = 'Dana Whitfield / Booked'", true],
    ["RECORD_ID() = 'recAAAAAAAAAAAAAA'", true],
    ["Status = 'Booked'", true],
    ["( {Status} = 'Booked' )", true],
    ['BLANK()', false],
    ['1', true],
    ['0', false],
    ["''", false],
    ["'0'", true],
  ])('%s → %s', (formula, expected) => {
    expect(parseFormula(formula).matches(booked)).toBe(expected);
  });

  test.each<[string, string]>([
    ["'it\\'s'", "it's"],
    ['"say \\"hi\\""', 'say "hi"'],
    ["'back\\\\slash'", 'back\\slash'],
    ['"mixed \'quotes\'"', "mixed 'quotes'"],
    ["'line\\nbreak'", 'line\nbreak'],
  ])('string literal %s reads as %j', (literal, value) => {
    expect(parseFormula(literal).evaluate(booked)).toBe(value);
  });

  test('lists the fields a formula refers to, once each', () => {
    expect(parseFormula("OR({Phone} = 'a', {Callback Number} = 'a', {Phone} = 'b', Status)").fieldNames).toEqual([
      'Phone',
      'Callback Number',
      'Status',
    ]);
  });
});

describe('filterByFormula rejects what it does not support instead of guessing', () => {
  test.each([
    ["{Phone} = '+1415", 'unterminated string'],
    ["{Phone = 'x'", 'unclosed field reference'],
    ['{} = 1', 'empty field reference'],
    ["{Phone} == 'x'", "unexpected '='"],
    ["{Phone} = 'x' {Name}", 'unexpected {Name}'],
    ["SEARCH('a', {Name})", 'unknown or unsupported function SEARCH'],
    ['TODAY()', 'unknown or unsupported function TODAY'],
    ['{Attempts} + 1 = 3', "unexpected '+'"],
    ['NOT()', 'NOT() takes 1 argument'],
    ['NOT(1, 2)', 'NOT() takes 1 argument'],
    ['AND()', 'AND() takes 1 or more'],
    ['TRUE(1)', 'TRUE() takes 0 argument'],
    ["AND({A} = 1,)", "unexpected ')'"],
    ["'bad \\q escape'", 'unsupported escape'],
    ['(1 = 1', "expected ')'"],
    ['', 'unexpected end of formula'],
    ['{A} = 1; {B}', "unexpected ';'"],
    ['NOT('.repeat(200) + '1' + ')'.repeat(200), 'nested too deeply'],
  ])('%s', (formula, message) => {
    expect(() => parseFormula(formula)).toThrow(FormulaError);
    expect(() => parseFormula(formula)).toThrow(message);
  });

  test('a date function on text that is not a date is #ERROR: the record is left out, not matched', () => {
    const formula = parseFormula("IS_BEFORE({Name}, '2026-01-01')");
    expect(() => formula.evaluate(booked)).toThrow(FormulaRuntimeError);
    expect(formula.matches(booked)).toBe(false);
    expect(parseFormula("NOT(IS_BEFORE({Name}, '2026-01-01'))").matches(booked)).toBe(false);
  });
});

describe('a caller-supplied value inside an escaped string literal matches only literally', () => {
  const escape = (value: string) => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  const hostile = ["+1' , OR(1,1), '", 'a"b', 'back\\', "') OR(1,1) OR ('", 'OR(1,1)', "\\' OR TRUE() OR '"];

  test.each(hostile)('%s', (value) => {
    const formula = parseFormula(`{Phone} = ${escape(value)}`);
    expect(formula.matches(record({ Phone: value }))).toBe(true);
    expect(formula.matches(record({ Phone: '+14155550142' }))).toBe(false);
    expect(formula.matches(record({}))).toBe(false);
  });
});

describe('date arithmetic (UTC, as Airtable computes formulas)', () => {
  const at = record({ 'Next Attempt At': new Date('2026-11-24T09:30:00.000Z'), 'Scheduled For': new Date('2026-11-24T10:00:00.000Z') });
  test.each<[string, FormulaValue]>([
    ["DATEADD({Next Attempt At}, 15, 'minutes')", new Date('2026-11-24T09:45:00.000Z')],
    ["DATEADD({Next Attempt At}, -1, 'days')", new Date('2026-11-23T09:30:00.000Z')],
    ["DATEADD({Next Attempt At}, 1, 'M')", new Date('2026-12-24T09:30:00.000Z')],
    ["DATEADD({Next Attempt At}, 2, 'h')", new Date('2026-11-24T11:30:00.000Z')],
    ["DATEADD({Reason}, 1, 'days')", null],
    ["DATETIME_DIFF({Scheduled For}, {Next Attempt At}, 'minutes')", 30],
    ["DATETIME_DIFF({Next Attempt At}, {Scheduled For}, 'minutes')", -30],
    ["DATETIME_DIFF({Scheduled For}, {Next Attempt At}, 'hours')", 0],
    ['DATETIME_DIFF({Scheduled For}, {Next Attempt At})', 1800],
    ["DATETIME_DIFF({Scheduled For}, '2026-11-24T09:59:59.000Z', 's')", 1],
  ])('%s → %p', (formula, expected) => {
    expect(parseFormula(formula).evaluate(at)).toEqual(expected);
  });

  test('NOW() is the current instant, so due rows can be found without sending the time', () => {
    const before = Date.now();
    const now = parseFormula('NOW()').evaluate(at) as Date;
    expect(now.getTime()).toBeGreaterThanOrEqual(before);
    expect(now.getTime()).toBeLessThanOrEqual(Date.now());
    expect(parseFormula("IS_BEFORE({Next Attempt At}, NOW())").matches(at)).toBe(true);
    expect(parseFormula("IS_AFTER(DATEADD(NOW(), 1, 'days'), {Next Attempt At})").matches(at)).toBe(true);
  });

  test.each([
    ["DATEADD({Next Attempt At}, 'x', 'days')"],
    ["DATEADD({Next Attempt At}, 1, 'fortnights')"],
    ["DATETIME_DIFF({Scheduled For}, {Next Attempt At}, 'D')"],
  ])('%s is #ERROR: the record is left out', (formula) => {
    expect(() => parseFormula(formula).evaluate(at)).toThrow(FormulaRuntimeError);
    expect(parseFormula(formula).matches(at)).toBe(false);
  });

  test.each([['NOW(1)'], ["DATEADD({Next Attempt At}, 1)"], ['DATETIME_DIFF({Scheduled For})']])('%s: wrong number of arguments is refused', (formula) => {
    expect(() => parseFormula(formula)).toThrow(FormulaError);
  });
});

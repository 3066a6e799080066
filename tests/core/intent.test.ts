import { asksForPerson, yesNo, type YesNo } from '../../src/assets/core/intent.private';

describe('asksForPerson', () => {
  test.each<[string]>([
    ['agent'],
    ['Agent.'],
    ['AGENT!'],
    ['representative'],
    ['Representative, please.'],
    ['I need a rep'],
    ['talk to a human'],
    ['Can I talk to a human?'],
    ['a real person'],
    ['I want a live person'],
    ['operator'],
    ['customer service'],
    ['I want to speak to someone'],
    ['Can I talk to somebody'],
    ['live agent'],
    ['Let me speak with a supervisor'],
    ['Just transfer me'],
    ['No, I want an agent.'],
    ['no I want an agent'],
    ['I don’t want to wait, I want an agent'],
    ["I don't want the menu I need an agent"],
    ["I don't know, agent"],
    ['Can I get an agent?'],
    ['Why can’t I talk to an agent'],
    ['I want to talk to a sales agent'],
  ])('English %j asks for a person', (speech) => {
    expect(asksForPerson({ speech, language: 'en-US' })).toBe(true);
    expect(asksForPerson({ speech, language: 'es-US' })).toBe(true);
  });

  test.each<[string]>([
    ['hablar con un agente'],
    ['Quiero hablar con un agente.'],
    ['representante'],
    ['Necesito una persona'],
    ['una persona real'],
    ['operador'],
    ['Operadora, por favor'],
    ['quiero hablar con alguien'],
    ['servicio al cliente'],
    ['atención al cliente'],
    ['Un ser humano'],
    ['¿Puedo hablar con un agente?'],
    ['No, quiero un agente'],
    ['no quiero esperar quiero un agente'],
  ])('Spanish %j asks for a person on an es-US line', (speech) => {
    expect(asksForPerson({ speech, language: 'es-US' })).toBe(true);
  });

  test.each<[string]>([['hablar con un agente'], ['representante'], ['una persona'], ['operadora']])(
    'Spanish %j does not count on an en-US line',
    (speech) => {
      expect(asksForPerson({ speech, language: 'en-US' })).toBe(false);
    },
  );

  test.each<[string]>([
    ["I don't need an agent"],
    ['I do not need an agent'],
    ['no agent please'],
    ['I don’t want to talk to a human'],
    ['Please don’t transfer me to an operator'],
    ['I never asked for a representative'],
    ["what's an agent?"],
    ['What is a representative'],
    ['check my agenda'],
    ['I am calling from an agency'],
    ['my personal account'],
    ['my travel agent booked it'],
    ['I work in human resources'],
    ['I want to pay my bill'],
    ['yes'],
    [''],
  ])('English %j does not ask for a person', (speech) => {
    expect(asksForPerson({ speech, language: 'en-US' })).toBe(false);
    expect(asksForPerson({ speech, language: 'es-US' })).toBe(false);
  });

  test.each<[string]>([
    ['no quiero un agente'],
    ['No necesito hablar con un agente'],
    ['sin operador'],
    ['¿Qué es un agente?'],
    ['mi agente de seguros'],
    ['revisar mi agenda'],
    ['el personal de la tienda'],
    ['la persona que me llamó'],
  ])('Spanish %j does not ask for a person', (speech) => {
    expect(asksForPerson({ speech, language: 'es-US' })).toBe(false);
  });

  test.each<[string | undefined, boolean]>([
    ['0', true],
    ['0#', true],
    ['1', false],
    ['10', false],
    ['', false],
    [undefined, false],
  ])('keys %j ask for a person: %s', (digits, expected) => {
    expect(asksForPerson({ digits, language: 'en-US' })).toBe(expected);
  });
});

describe('yesNo', () => {
  test.each<[string, YesNo | undefined]>([
    ['yes', 'yes'],
    ['Yes.', 'yes'],
    ['yeah', 'yes'],
    ['yep', 'yes'],
    ['Sure!', 'yes'],
    ['okay', 'yes'],
    ['yes please', 'yes'],
    ["That's right", 'yes'],
    ['of course', 'yes'],
    ['no problem', 'yes'],
    ['uh-huh', 'yes'],
    ['no', 'no'],
    ['No.', 'no'],
    ['nope', 'no'],
    ['no thanks', 'no'],
    ["that's not right", 'no'],
    ['not now', 'no'],
    ['of course not', 'no'],
    ['1', 'yes'],
    ['yes no', undefined],
    ['I don’t know', undefined],
    ['agent', undefined],
    ['', undefined],
    ['sí', undefined], // Spanish only on es-US lines
  ])('on an en-US line, %j means %j', (speech, expected) => {
    expect(yesNo({ speech, language: 'en-US' })).toBe(expected);
  });

  test.each<[string, YesNo | undefined]>([
    ['sí', 'yes'],
    ['Si', 'yes'],
    ['claro', 'yes'],
    ['Sí, claro.', 'yes'],
    ['está bien', 'yes'],
    ['de acuerdo', 'yes'],
    ['correcto', 'yes'],
    ['no', 'no'],
    ['No, gracias', 'no'],
    ['incorrecto', 'no'],
    ['yes', 'yes'],
    ['nope', 'no'],
    ['sí no', undefined],
  ])('on an es-US line, %j means %j', (speech, expected) => {
    expect(yesNo({ speech, language: 'es-US' })).toBe(expected);
  });

  test.each<[string, YesNo | undefined]>([
    ['1', 'yes'],
    ['2', 'no'],
    ['1#', 'yes'],
    ['3', undefined],
    ['12', undefined],
  ])('key %j means %j', (digits, expected) => {
    expect(yesNo({ digits, language: 'en-US' })).toBe(expected);
  });

  test('keys win over speech when both arrive', () => {
    expect(yesNo({ digits: '2', speech: 'yes', language: 'en-US' })).toBe('no');
  });
});

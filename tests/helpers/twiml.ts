// Reads TwiML answers in tests: which verbs came back, in order, and what the caller hears.
import { DOMParser, type Element } from '@xmldom/xmldom';

export interface Verb {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly text: string;
  readonly children: readonly Verb[];
}

function toVerb(element: Element): Verb {
  const attributes: Record<string, string> = {};
  for (let i = 0; i < element.attributes.length; i++) {
    const attribute = element.attributes.item(i)!;
    attributes[attribute.name] = attribute.value;
  }
  const children: Verb[] = [];
  for (let node = element.firstChild; node; node = node.nextSibling) {
    if (node.nodeType === node.ELEMENT_NODE) children.push(toVerb(node as Element));
  }
  return { name: element.tagName, attributes, text: (element.textContent ?? '').trim(), children };
}

/** The verbs of a <Response>, or throws with the document when it is not TwiML. */
export function parseTwiml(xml: string): Verb[] {
  const document = new DOMParser().parseFromString(xml, 'text/xml');
  const root = document.documentElement;
  if (!root || root.tagName !== 'Response') throw new Error(`not TwiML: ${xml.slice(0, 200)}`);
  return toVerb(root).children.slice();
}

/** Everything said, in order, including inside <Gather>. */
export function spoken(xml: string): string[] {
  const walk = (verbs: readonly Verb[]): string[] => verbs.flatMap((v) => (v.name === 'Say' ? [v.text] : walk(v.children)));
  return walk(parseTwiml(xml));
}

export function verbNames(xml: string): string[] {
  return parseTwiml(xml).map((v) => v.name);
}

/** The first top-level verb named `name`, or throws with the document. */
export function verbOf(xml: string, name: string): Verb {
  const verb = parseTwiml(xml).find((v) => v.name === name);
  if (!verb) throw new Error(`no <${name}> in ${xml}`);
  return verb;
}

/** Where the answer sends the call next: its <Redirect> URL. */
export const redirectOf = (xml: string): string => verbOf(xml, 'Redirect').text;

/** The answer's <Gather> (its `action` is where the caller's input goes). */
export const gatherOf = (xml: string): Verb => verbOf(xml, 'Gather');

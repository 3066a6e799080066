// TwiML as plain data: what the driver executes, read with @xmldom/xmldom.
import { DOMParser, type Element, type Node } from '@xmldom/xmldom';

export interface TwimlElement {
  readonly tag: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: readonly TwimlElement[];
  /** The element's own text (children's text excluded), whitespace collapsed. */
  readonly text: string;
  /** All text inside, SSML children included: what text-to-speech reads. */
  readonly allText: string;
}

const ELEMENT_NODE = 1;
const TEXT_NODE = 3;
const CDATA_SECTION_NODE = 4;

function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function toElement(element: Element): TwimlElement {
  const attributes: Record<string, string> = {};
  for (let i = 0; i < element.attributes.length; i++) {
    const attribute = element.attributes.item(i);
    if (attribute) attributes[attribute.name] = attribute.value;
  }
  const children: TwimlElement[] = [];
  let text = '';
  // SSML elements are words of the sentence: `Hi<break/>there` is read "Hi there".
  const spoken: string[] = [];
  for (let node: Node | null = element.firstChild; node; node = node.nextSibling) {
    if (node.nodeType === ELEMENT_NODE) {
      const child = toElement(node as Element);
      children.push(child);
      spoken.push(` ${child.allText} `);
    } else if (node.nodeType === TEXT_NODE || node.nodeType === CDATA_SECTION_NODE) {
      text += node.nodeValue ?? '';
      spoken.push(node.nodeValue ?? '');
    }
  }
  return {
    tag: element.tagName,
    attributes,
    children,
    text: collapse(text),
    allText: collapse(spoken.join('')).replace(/ ([.,!?;:])/g, '$1'),
  };
}

/** Parses a TwiML document; throws with the parser's reason when it is not well-formed XML. */
export function parseTwiml(xml: string): TwimlElement {
  const document = new DOMParser({
    onError: (level, message) => {
      if (level !== 'warning') throw new Error(message);
    },
  }).parseFromString(xml, 'text/xml');
  const root = document.documentElement;
  if (!root) throw new Error('no root element');
  return toElement(root);
}

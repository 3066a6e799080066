// Which TwiML documents the schema cannot tell apart. Two answers of a call differ mostly in what is
// said and where the next webhook is (`<Say>` text, `action` URLs with the call's state): ~600 distinct
// documents in a test run, but only ~140 shapes. The generated schema types every text content and most
// attributes as xs:string, and an xs:string accepts any text a well-formed document can hold, so those
// values cannot change a verdict; validating one document per shape saves ~450 xmllint runs (~20 ms of
// CPU each). Nothing else is touched: enumerations, integers and booleans keep their values, element and
// attribute names their place, whitespace-only text stays whitespace-only, and line breaks stay, so
// xmllint's messages name the same lines.
import { DOMParser, XMLSerializer, type Element, type Node as XmlNode } from '@xmldom/xmldom';

const XS_NAMESPACE = 'http://www.w3.org/2001/XMLSchema';

/** Attribute names the schema declares, wherever it declares them, only as xs:string. */
export function freeTextAttributes(xsd: string): ReadonlySet<string> {
  const schema = new DOMParser().parseFromString(xsd, 'text/xml');
  const typesByName = new Map<string, Set<string>>();
  for (const declaration of Array.from(schema.getElementsByTagNameNS(XS_NAMESPACE, 'attribute'))) {
    const name = declaration.getAttribute('name');
    if (!name) continue;
    const types = typesByName.get(name) ?? new Set<string>();
    // No type attribute: an inline simple type, which may restrict the value.
    types.add(declaration.getAttribute('type') || 'inline');
    typesByName.set(name, types);
  }
  return new Set([...typesByName].filter(([, types]) => types.size === 1 && types.has('xs:string')).map(([name]) => name));
}

/**
 * Characters XML 1.0 forbids. xmldom lets some through that libxml2 rejects, so a document holding one
 * keeps its own bytes: rewriting its text would make it well-formed.
 */
const NOT_XML_CHARACTER = /[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

/**
 * The document that gets `xml`'s verdict under the schema, with every free text ('x', or '' when empty)
 * in place of its own. A document xmldom finds anything wrong with is returned as it is: only libxml2
 * judges it.
 */
export function verdictKey(xml: string, freeAttributes: ReadonlySet<string>): string {
  if (NOT_XML_CHARACTER.test(xml)) return xml;
  let complaint = false;
  let document;
  try {
    document = new DOMParser({ onError: () => void (complaint = true) }).parseFromString(xml, 'text/xml');
  } catch {
    return xml;
  }
  if (complaint || !document.documentElement) return xml;
  const blank = (node: XmlNode): void => {
    if (node.nodeType === node.TEXT_NODE || node.nodeType === node.CDATA_SECTION_NODE) {
      const text = node.nodeValue ?? '';
      if (/\S/.test(text)) node.nodeValue = `x${'\n'.repeat(text.split('\n').length - 1)}`;
    } else if (node.nodeType === node.ELEMENT_NODE) {
      for (const attribute of Array.from((node as Element).attributes)) {
        if (freeAttributes.has(attribute.name) && attribute.value) attribute.value = 'x';
      }
    }
    for (const child of Array.from(node.childNodes ?? [])) blank(child);
  };
  blank(document);
  return new XMLSerializer().serializeToString(document);
}

// An XSD for Voice TwiML, derived from the installed `twilio` package so that it follows the library
// on upgrade. Two sources, because neither holds everything:
// - the type declarations (VoiceResponse.d.ts), read with the TypeScript compiler API: which builder
//   methods each element has (its children), their attribute interfaces and the enum unions, which
//   exist nowhere at run time;
// - the builders themselves, called once per method: the tag each method emits (`sayAs` → `say-as`,
//   `refer().sip()` → `Sip` of class ReferSip), so no name is guessed from a method name.
// Loading the TypeScript compiler takes a third of a second: the simulator reads the schema through
// twiml-xsd-cache.ts, which loads this module only when the schema is not cached yet.
import ts from 'typescript';
import twilio from 'twilio';
import { installedTwilioVersion, voiceResponseDeclarationsPath } from './twiml-xsd-cache';

export { installedTwilioVersion };

export type AttributeType =
  | { readonly kind: 'string' }
  | { readonly kind: 'integer' }
  | { readonly kind: 'boolean' }
  | { readonly kind: 'enum'; readonly name: string; readonly values: readonly string[] }
  | { readonly kind: 'enum-list'; readonly name: string; readonly values: readonly string[] };

export interface AttributeModel {
  readonly name: string;
  readonly type: AttributeType;
}

export interface ElementModel {
  /** The builder class, e.g. `ReferSip`; unique, unlike tags (`Sip` is two classes). */
  readonly className: string;
  readonly tag: string;
  readonly attributes: readonly AttributeModel[];
  readonly children: readonly { readonly tag: string; readonly className: string }[];
  /** The builder takes a body (text content) for this element. */
  readonly hasText: boolean;
  /** Attributes in the xml: namespace (SSML `xml:lang`), which an XSD cannot declare locally. */
  readonly xmlNamespaceAttributes: boolean;
}

export interface TwimlModel {
  readonly twilioVersion: string;
  readonly rootClass: string;
  readonly elements: ReadonlyMap<string, ElementModel>;
}

const ROOT_CLASS = 'VoiceResponse';
/** Builder methods that add no element of their own. */
const NOT_ELEMENTS = new Set(['comment', 'commentAfter', 'commentBefore', 'addText', 'addChild', 'toString']);


interface DeclaredMethod {
  readonly name: string;
  readonly returnClass: string;
  readonly attributesType?: ts.Type;
  readonly hasBody: boolean;
}

/** Reads every builder class (the root and those of the VoiceResponse namespace) from the declarations. */
function readDeclaredClasses(dtsPath: string): { checker: ts.TypeChecker; classes: Map<string, DeclaredMethod[]> } {
  const program = ts.createProgram([dtsPath], { noEmit: true, strict: true, skipLibCheck: true, types: [] });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(dtsPath);
  if (!source) throw new Error(`TypeScript could not read ${dtsPath}`);

  const classDeclarations: ts.ClassDeclaration[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isClassDeclaration(node)) classDeclarations.push(node);
    else ts.forEachChild(node, visit);
  };
  visit(source);

  const classes = new Map<string, DeclaredMethod[]>();
  for (const declaration of classDeclarations) {
    if (!declaration.name) continue;
    const overloads = new Map<string, ts.MethodDeclaration[]>();
    for (const member of declaration.members) {
      if (!ts.isMethodDeclaration(member) || !ts.isIdentifier(member.name)) continue;
      const name = member.name.text;
      if (NOT_ELEMENTS.has(name)) continue;
      overloads.set(name, [...(overloads.get(name) ?? []), member]);
    }
    const methods: DeclaredMethod[] = [];
    for (const [name, declarations] of overloads) {
      const returnNode = declarations[0]?.type;
      const returnClass = returnNode ? checker.getTypeFromTypeNode(returnNode).getSymbol()?.getName() : undefined;
      if (!returnClass) throw new Error(`${declaration.name.text}.${name}() has no declared element class`);
      let attributesType: ts.Type | undefined;
      let hasBody = false;
      for (const overload of declarations) {
        for (const parameter of overload.parameters) {
          const parameterName = parameter.name.getText(source);
          if (parameterName === 'attributes') {
            const type = checker.getNonNullableType(checker.getTypeAtLocation(parameter));
            // `attributes?: object` means the builder knows of no attributes for this element.
            if (!(type.flags & ts.TypeFlags.NonPrimitive)) attributesType = type;
          } else {
            hasBody = true;
          }
        }
      }
      methods.push({ name, returnClass, attributesType, hasBody });
    }
    classes.set(declaration.name.text, methods);
  }
  return { checker, classes };
}

function attributeTypeOf(checker: ts.TypeChecker, declared: ts.Type): AttributeType {
  const type = checker.getNonNullableType(declared);
  if (type.flags & ts.TypeFlags.BooleanLike) return { kind: 'boolean' };
  if (type.flags & ts.TypeFlags.NumberLike) return { kind: 'integer' };
  if (checker.isArrayType(type)) {
    const item = checker.getTypeArguments(type as ts.TypeReference)[0];
    const values = item ? literalValues(item) : undefined;
    const name = item?.aliasSymbol?.getName();
    return values && name ? { kind: 'enum-list', name, values } : { kind: 'string' };
  }
  const values = literalValues(type);
  const name = type.aliasSymbol?.getName();
  if (values && name) return { kind: 'enum', name, values };
  return { kind: 'string' };
}

function literalValues(type: ts.Type): string[] | undefined {
  const members = type.isUnion() ? type.types : [type];
  const values: string[] = [];
  for (const member of members) {
    if (!member.isStringLiteral()) return undefined;
    values.push(member.value);
  }
  return values;
}

type BuilderNode = Record<string, unknown> & { _getXml?: () => { name?: string } };

/** Calls `method` on a fresh parent and returns the tag and builder class of what it adds. */
function probeChild(makeParent: () => BuilderNode, method: string): { tag: string; runtimeClass: string; make: () => BuilderNode } {
  const make = (): BuilderNode => {
    const parent = makeParent();
    const build = parent[method];
    if (typeof build !== 'function') throw new Error(`the twilio builder has no method ${method}()`);
    // Every builder accepts (attributes, body); a body-less one ignores the second argument.
    return (build as (attributes: object, body: string) => BuilderNode).call(parent, {}, 'x');
  };
  const child = make();
  const tag = typeof child._getXml === 'function' ? child._getXml().name : undefined;
  if (!tag) throw new Error(`cannot read the tag that ${method}() emits (twilio's TwiML builder changed shape)`);
  return { tag, runtimeClass: (child.constructor as { name: string }).name, make };
}

export function readTwimlModel(): TwimlModel {
  const { checker, classes } = readDeclaredClasses(voiceResponseDeclarationsPath());
  if (!classes.has(ROOT_CLASS)) throw new Error(`no class ${ROOT_CLASS} in the twilio declarations`);

  const elements = new Map<string, ElementModel>();
  const rootTag = (new twilio.twiml.VoiceResponse() as unknown as BuilderNode)._getXml?.().name ?? 'Response';
  const pending: { className: string; tag: string; make: () => BuilderNode; attributesType?: ts.Type; hasText: boolean }[] = [
    { className: ROOT_CLASS, tag: rootTag, make: () => new twilio.twiml.VoiceResponse() as unknown as BuilderNode, hasText: false },
  ];
  const queued = new Set([ROOT_CLASS]);
  while (pending.length > 0) {
    const current = pending.shift()!;
    const methods = classes.get(current.className);
    if (!methods) throw new Error(`no declaration for the TwiML class ${current.className}`);
    const children: { tag: string; className: string }[] = [];
    for (const method of methods) {
      const probe = probeChild(current.make, method.name);
      if (probe.runtimeClass !== method.returnClass) {
        throw new Error(`${current.className}.${method.name}() builds ${probe.runtimeClass}, declared ${method.returnClass}`);
      }
      children.push({ tag: probe.tag, className: method.returnClass });
      if (!queued.has(method.returnClass)) {
        queued.add(method.returnClass);
        pending.push({ className: method.returnClass, tag: probe.tag, make: probe.make, attributesType: method.attributesType, hasText: method.hasBody });
      }
    }
    const attributes: AttributeModel[] = [];
    let xmlNamespaceAttributes = false;
    if (current.attributesType) {
      for (const property of checker.getPropertiesOfType(current.attributesType)) {
        const name = property.getName();
        if (name.startsWith('xml:')) {
          xmlNamespaceAttributes = true;
          continue;
        }
        const declaration = property.valueDeclaration ?? property.declarations?.[0];
        if (!declaration) continue;
        attributes.push({ name, type: attributeTypeOf(checker, checker.getTypeOfSymbolAtLocation(property, declaration)) });
      }
    }
    attributes.sort((a, b) => a.name.localeCompare(b.name));
    elements.set(current.className, {
      className: current.className,
      tag: current.tag,
      attributes,
      children,
      hasText: current.hasText,
      xmlNamespaceAttributes,
    });
  }
  return { twilioVersion: installedTwilioVersion(), rootClass: ROOT_CLASS, elements };
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

// Type names get a prefix per kind: XSD complex and simple types share one symbol space, and
// builder class names could meet enum alias names.
const elementTypeName = (className: string): string => `element.${className}`;
const enumTypeName = (name: string): string => `enum.${name}`;
const listTypeName = (name: string): string => `list.${name}`;
const BOOLEAN_TYPE = 'twiml.boolean';

function attributeTypeName(type: AttributeType): string {
  switch (type.kind) {
    case 'string':
      return 'xs:string';
    case 'integer':
      return 'xs:integer';
    case 'boolean':
      return BOOLEAN_TYPE;
    case 'enum':
      return enumTypeName(type.name);
    case 'enum-list':
      return listTypeName(type.name);
  }
}

export function renderTwimlXsd(model: TwimlModel): string {
  const lines: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<!-- Voice TwiML as the twilio ${model.twilioVersion} builders emit it. Generated by sandbox/simulator/twiml-xsd.ts; do not edit. -->`,
    '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">',
  ];
  const root = model.elements.get(model.rootClass)!;
  lines.push(`  <xs:element name="${root.tag}" type="${elementTypeName(root.className)}"/>`);

  const enums = new Map<string, readonly string[]>();
  const lists = new Set<string>();
  for (const element of model.elements.values()) {
    const mixed = element.hasText && element.children.length > 0;
    const attributeLines = element.attributes.map(
      (attribute) => `<xs:attribute name="${attribute.name}" type="${attributeTypeName(attribute.type)}"/>`,
    );
    if (element.xmlNamespaceAttributes) {
      attributeLines.push('<xs:anyAttribute namespace="http://www.w3.org/XML/1998/namespace" processContents="skip"/>');
    }
    for (const attribute of element.attributes) {
      if (attribute.type.kind === 'enum' || attribute.type.kind === 'enum-list') enums.set(attribute.type.name, attribute.type.values);
      if (attribute.type.kind === 'enum-list') lists.add(attribute.type.name);
    }
    lines.push(`  <xs:complexType name="${elementTypeName(element.className)}"${mixed ? ' mixed="true"' : ''}>`);
    if (element.hasText && element.children.length === 0) {
      lines.push('    <xs:simpleContent>', '      <xs:extension base="xs:string">');
      for (const line of attributeLines) lines.push(`        ${line}`);
      lines.push('      </xs:extension>', '    </xs:simpleContent>');
    } else {
      if (element.children.length > 0) {
        lines.push('    <xs:choice minOccurs="0" maxOccurs="unbounded">');
        for (const child of element.children) {
          lines.push(`      <xs:element name="${child.tag}" type="${elementTypeName(child.className)}"/>`);
        }
        lines.push('    </xs:choice>');
      }
      for (const line of attributeLines) lines.push(`    ${line}`);
    }
    lines.push('  </xs:complexType>');
  }
  lines.push(
    `  <xs:simpleType name="${BOOLEAN_TYPE}">`,
    '    <xs:restriction base="xs:string"><xs:enumeration value="true"/><xs:enumeration value="false"/></xs:restriction>',
    '  </xs:simpleType>',
  );
  for (const [name, values] of [...enums].sort(([a], [b]) => a.localeCompare(b))) {
    lines.push(`  <xs:simpleType name="${enumTypeName(name)}">`, '    <xs:restriction base="xs:string">');
    for (const value of values) lines.push(`      <xs:enumeration value="${escapeAttribute(value)}"/>`);
    lines.push('    </xs:restriction>', '  </xs:simpleType>');
  }
  for (const name of [...lists].sort()) {
    lines.push(`  <xs:simpleType name="${listTypeName(name)}"><xs:list itemType="${enumTypeName(name)}"/></xs:simpleType>`);
  }
  lines.push('</xs:schema>', '');
  return lines.join('\n');
}

export function generateTwimlXsd(): string {
  return renderTwimlXsd(readTwimlModel());
}

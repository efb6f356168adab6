import { noChange } from 'lit';
import { Directive, directive, PartType, type AttributePart, type PartInfo } from 'lit/directive.js';

/** Property name (dash-case, e.g. 'width' or '--tm-bar-fill') to value; null removes the property. */
export type StyleProperties = Readonly<Record<string, string | null>>;

/**
 * Like Lit's styleMap, but it never writes the `style` attribute: styleMap's first render does, and a
 * Content-Security-Policy without 'unsafe-inline' (the production build's) blocks that. Properties set through
 * CSSOM, as here, are allowed.
 */
class StylePropertiesDirective extends Directive {
  private previous = new Set<string>();

  constructor(partInfo: PartInfo) {
    super(partInfo);
    if (partInfo.type !== PartType.ATTRIBUTE || partInfo.name !== 'style') {
      throw new Error('styleProperties() belongs in a style attribute.');
    }
  }

  render(_properties: StyleProperties) {
    return noChange;
  }

  override update(part: AttributePart, [properties]: [StyleProperties]) {
    const { style } = part.element as HTMLElement;
    for (const name of this.previous) {
      if (properties[name] == null) style.removeProperty(name);
    }
    this.previous = new Set();
    for (const [name, value] of Object.entries(properties)) {
      if (value == null) continue;
      style.setProperty(name, value);
      this.previous.add(name);
    }
    return noChange;
  }
}

export const styleProperties = directive(StylePropertiesDirective);

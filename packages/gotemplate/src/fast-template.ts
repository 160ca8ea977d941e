// Argo CD's ApplicationSet rendering without goTemplate: valyala/fasttemplate with "{{" and "}}".
// A tag is everything up to the next "}}"; its trimmed text names a parameter (dots are part of
// the name, as in `path.basename`). Unknown tags and non-string values are left as written.

import { quote } from './go-quote.ts';
import { TemplateError } from './template-error.ts';

const startTag = '{{';
const endTag = '}}';

/** Renders `{{param}}` substitutions; throws TemplateError ('parse') for an unclosed "{{", as Argo CD does. */
export function renderFastTemplate(text: string, params: Readonly<Record<string, unknown>>): string {
  let out = '';
  let rest = text;
  for (;;) {
    const start = rest.indexOf(startTag);
    if (start < 0) return out + rest;
    out += rest.slice(0, start);
    const afterStart = rest.slice(start + startTag.length);
    const end = afterStart.indexOf(endTag);
    if (end < 0) {
      throw new TemplateError(
        'parse',
        `invalid template: Cannot find end tag=${quote(endTag)} in the template=${quote(text)} starting from ${quote(afterStart)}`,
      );
    }
    const tag = afterStart.slice(0, end);
    const name = tag.trim();
    const value = Object.hasOwn(params, name) ? params[name] : undefined;
    out += name.length > 0 && typeof value === 'string' ? value : `{{${tag}}}`;
    rest = afterStart.slice(end + endTag.length);
  }
}

// npm run bench:languages — the three pure languages on one core: Go templates (ApplicationSet-style, pre-parsed),
// expr (the seed's notification triggers, pre-compiled) and RBAC checks (200 policy lines). Last line: JSON figures.
import { benchExpr } from './languages/expr-bench.ts';
import { benchGotemplate } from './languages/gotemplate-bench.ts';
import { benchRbac } from './languages/rbac-bench.ts';

const template = await benchGotemplate();
console.error(`gotemplate: ${JSON.stringify(template)}`);
const expr = await benchExpr();
console.error(`expr: ${JSON.stringify(expr)}`);
const rbac = await benchRbac();
console.error(`rbac: ${JSON.stringify(rbac)}`);
console.log(JSON.stringify({ bench: 'languages', node: process.version, ...template, ...expr, ...rbac }));

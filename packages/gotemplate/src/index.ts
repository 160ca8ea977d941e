export {
  parseTemplate,
  Template,
  type FuncMap,
  type TemplateOptions,
  type ExecuteOptions,
} from './template.ts';
export { TemplateError, type TemplateErrorPhase } from './template-error.ts';
export { defaultLimits, type Limits } from './limits.ts';
export { applicationSetFuncs, notificationsFuncs, createFuncMap, type FuncMapFlavour } from './func-maps.ts';
export { type FuncEnv } from './func-env.ts';
export { renderFastTemplate } from './fast-template.ts';
export { stringMap, stringSlice, timeValue, durationValue } from './typed-values.ts';
export { normalize, slugify } from './argo-funcs.ts';
export {
  goFunc,
  GoFunc,
  GoFuncError,
  GoInt,
  GoMap,
  GoObject,
  GoSlice,
  goInt,
  goInt64,
  withInt64Integers,
  type GoFuncSig,
} from './go-values.ts';

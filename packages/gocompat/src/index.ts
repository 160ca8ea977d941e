export {
  compileGoRegexp,
  findAllString,
  findString,
  GoRegexpError,
  matchString,
  quoteMeta,
  replaceAll,
  split,
  type GoRegexp,
} from './go-regexp.ts';

export {
  compileGoRegexp,
  findAllString,
  findString,
  GoRegexpError,
  matchBytes,
  matchString,
  quoteMeta,
  replaceAll,
  split,
  type GoRegexp,
} from './go-regexp.ts';
export { formatGoDuration, GoDurationError, parseGoDuration } from './go-duration.ts';

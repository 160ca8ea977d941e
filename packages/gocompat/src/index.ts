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
export {
  civilFromDays,
  daysFromCivil,
  formatGoTime,
  layoutChunks,
  LONG_DAY_NAMES,
  LONG_MONTH_NAMES,
  type LayoutChunk,
  type ZonedInstant,
} from './go-time-layout.ts';

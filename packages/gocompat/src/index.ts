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
  civilTime,
  daysFromCivil,
  formatGoTime,
  layoutChunks,
  LONG_DAY_NAMES,
  LONG_MONTH_NAMES,
  type CivilTime,
  type LayoutChunk,
  type ZonedInstant,
} from './go-time-layout.ts';
export { runeCount } from './rune-count.ts';

// Reaches into another package's internals instead of its index.
import { loadConfig } from '@capstan/runtime/src/config/load-config.ts';

export const deep = loadConfig;

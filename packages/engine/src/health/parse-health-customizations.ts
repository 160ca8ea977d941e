import { InvalidArgumentError } from '@capstan/errors';
import { parseSimpleYaml } from '../diff/parse-simple-yaml.ts';
import { isFields } from './object-fields.ts';

/** A custom health check: Lua source, and whether it may use the clock-only os functions. */
export interface HealthCustomization {
  readonly healthLua: string;
  readonly useOpenLibs?: boolean;
}

/** Keyed `group/Kind` (`Kind` for the core group), with glob wildcards allowed in the legacy form. */
export type HealthCustomizations = Readonly<Record<string, HealthCustomization>>;

const LEGACY_KEY = 'resource.customizations';
const HEALTH_PREFIX = 'resource.customizations.health.';
const OPEN_LIBS_PREFIX = 'resource.customizations.useOpenLibs.';

/** `cert-manager.io_Certificate` → `cert-manager.io/Certificate`, `Pod` → `Pod`, `all` → `*∕*`. */
function keyOf(suffix: string, configKey: string): string {
  if (suffix === 'all') return '*/*';
  const parts = suffix.split('_');
  if (parts.length === 2) return `${parts[0]}/${parts[1]}`;
  if (parts.length === 1 && suffix !== '') return suffix;
  throw new InvalidArgumentError(
    `${configKey}: expected resource.customizations.<type>.<group_Kind> or .<Kind>`,
  );
}

/** Go's strconv.ParseBool, which Argo CD uses for these flags. */
function parseBool(value: unknown, configKey: string): boolean {
  if (typeof value === 'boolean') return value;
  const text = String(value);
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(text)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(text)) return false;
  throw new InvalidArgumentError(`${configKey}: expected a boolean, got ${JSON.stringify(text)}`);
}

/**
 * The custom health checks in argocd-cm's data: the legacy `resource.customizations` YAML map
 * (`group/Kind: {health.lua: …, health.lua.useOpenLibs: true}`, the only form that can hold wildcards), then
 * the split keys `resource.customizations.health.<group_Kind>` and `resource.customizations.useOpenLibs.<group_Kind>`,
 * which override it. Entries without a script are left out. Malformed values throw InvalidArgument.
 */
export function parseHealthCustomizations(
  data: Readonly<Record<string, string>>,
): Record<string, HealthCustomization> {
  const scripts = new Map<string, string>();
  const openLibs = new Map<string, boolean>();
  const legacy = data[LEGACY_KEY];
  if (legacy !== undefined && legacy.trim() !== '') {
    const value = parseSimpleYaml(legacy);
    if (value !== null && !isFields(value)) {
      throw new InvalidArgumentError(`${LEGACY_KEY}: expected a mapping of group/Kind`);
    }
    for (const [key, override] of Object.entries(value ?? {})) {
      if (!isFields(override)) continue;
      const script = override['health.lua'];
      if (typeof script === 'string') scripts.set(key, script);
      const flag = override['health.lua.useOpenLibs'];
      if (flag !== undefined && flag !== null)
        openLibs.set(key, parseBool(flag, `${LEGACY_KEY}.${key}.health.lua.useOpenLibs`));
    }
  }
  for (const [configKey, value] of Object.entries(data)) {
    if (configKey.startsWith(HEALTH_PREFIX))
      scripts.set(keyOf(configKey.slice(HEALTH_PREFIX.length), configKey), value);
    else if (configKey.startsWith(OPEN_LIBS_PREFIX)) {
      openLibs.set(
        keyOf(configKey.slice(OPEN_LIBS_PREFIX.length), configKey),
        parseBool(value.trim(), configKey),
      );
    }
  }
  const out: Record<string, HealthCustomization> = {};
  for (const [key, healthLua] of scripts) {
    if (healthLua === '') continue;
    out[key] = openLibs.get(key) === true ? { healthLua, useOpenLibs: true } : { healthLua };
  }
  return out;
}

// scheme://userinfo@ anywhere in a text; userinfo may hold a password or a token.
const urlUserinfo = /\b([A-Za-z][A-Za-z0-9+.-]*:\/\/)([^\s/@'"]+)@/g;

/**
 * Removes credentials from every URL in `text`: HTTP(S) userinfo entirely (a user name there is often
 * a token), other schemes keep the user name (`ssh://git@…`) and lose any password. Known secret
 * values are masked wherever they appear, in case a server echoes one back.
 */
export function redact(text: string, secrets: readonly string[] = []): string {
  let out = text.replace(urlUserinfo, (_m, scheme: string, userinfo: string) => {
    if (/^https?:\/\/$/i.test(scheme)) return scheme;
    const colon = userinfo.indexOf(':');
    return `${scheme}${colon < 0 ? userinfo : userinfo.slice(0, colon)}@`;
  });
  for (const secret of secrets) if (secret.length >= 3) out = out.split(secret).join('***');
  return out;
}

export interface UrlCredentials {
  /** The URL without HTTP(S) userinfo, safe for command lines and messages. */
  readonly url: string;
  readonly username?: string;
  readonly password?: string;
}

/** Moves `https://user:pass@host/…` credentials out of the URL, so they travel like any other. */
export function splitUrlCredentials(url: string): UrlCredentials {
  const m = /^(https?:\/\/)([^/@]*)@(.*)$/is.exec(url.trim());
  if (m === null) return { url: url.trim() };
  const userinfo = m[2] ?? '';
  const colon = userinfo.indexOf(':');
  const decode = (s: string): string => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  };
  const username = decode(colon < 0 ? userinfo : userinfo.slice(0, colon));
  const password = colon < 0 ? undefined : decode(userinfo.slice(colon + 1));
  return {
    url: `${m[1] ?? ''}${m[3] ?? ''}`,
    ...(username === '' ? {} : { username }),
    ...(password === undefined || password === '' ? {} : { password }),
  };
}

/**
 * `${VAR}` in a scalar value, as shells and docker compose read it:
 * `${VAR}` is the variable's value (an error when it is not set),
 * `${VAR:-default}` the default when it is unset or empty, `$$` one `$`. A
 * `$` followed by anything else stays as written (`price: $5`). The result is
 * always a string: a variable's value never changes the file's structure.
 * @module
 */

export type Environment = Readonly<Record<string, string | undefined>>;

export type Substitution = { ok: true; value: string } | { ok: false; message: string };

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function substitute(value: string, env: Environment): Substitution {
  if (!value.includes('$')) return { ok: true, value };
  let out = '';
  let i = 0;
  while (i < value.length) {
    const dollar = value.indexOf('$', i);
    if (dollar < 0) {
      out += value.slice(i);
      break;
    }
    out += value.slice(i, dollar);
    const next = value[dollar + 1];
    if (next === '$') {
      out += '$';
      i = dollar + 2;
      continue;
    }
    if (next !== '{') {
      out += '$';
      i = dollar + 1;
      continue;
    }
    const close = value.indexOf('}', dollar + 2);
    if (close < 0) return { ok: false, message: `unterminated "\${" in ${quote(value)} (write $$ for a literal $)` };
    const body = value.slice(dollar + 2, close);
    const sep = body.indexOf(':-');
    const name = sep < 0 ? body : body.slice(0, sep);
    if (!NAME.test(name)) {
      return { ok: false, message: `"\${${body}}" is not a variable: a name is letters, digits and _, not starting with a digit (write $$ for a literal $)` };
    }
    const set = lookup(env, name);
    if (sep >= 0) out += set === undefined || set === '' ? body.slice(sep + 2) : set;
    else if (set === undefined) return { ok: false, message: `environment variable ${name} is not set (use \${${name}:-default} for a default)` };
    else out += set;
    i = close + 1;
  }
  return { ok: true, value: out };
}

/** Own entries only: a variable named `constructor` or `__proto__` is not found on Object.prototype. */
function lookup(env: Environment, name: string): string | undefined {
  if (!Object.hasOwn(env, name)) return undefined;
  const value = env[name];
  return typeof value === 'string' ? value : undefined;
}

function quote(text: string): string {
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text);
}

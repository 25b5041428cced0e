/**
 * Values role code may throw (or hand over) that break naive error handling:
 * `instanceof`, `.message` and `String()` each throw for some of them. Each
 * entry builds a fresh value, so a test can revoke or count per case.
 *
 * They are written once, as JavaScript source, so that the child-process
 * reload scenarios (a role file `import`s `HOSTILE_MODULE`) build the very same values.
 */

const SOURCE = `
// A Proxy whose every trap throws: its handler is itself a Proxy that answers every trap lookup with a thrower.
const allTrapsThrow = (target = {}) =>
  new Proxy(target, new Proxy({}, { get: (_t, trap) => () => { throw new Error('trap ' + String(trap)); } }));
const revokedProxy = () => {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy;
};
const HOSTILE_THROWN = [
  ['an Error', () => new Error('boom')],
  ['a string', () => 'boom'],
  ['null', () => null],
  ['undefined', () => undefined],
  ['a Symbol', () => Symbol('boom')],
  ['a number', () => 42],
  ['an object without a prototype', () => Object.create(null)],
  ['an object whose toString throws', () => ({ toString() { throw new Error('toString broke'); } })],
  ['an Error whose message getter throws', () =>
    Object.defineProperty(new Error('x'), 'message', { get() { throw new Error('message getter broke'); } })],
  ['a revoked Proxy', revokedProxy],
  ['a Proxy whose every trap throws', () => allTrapsThrow()],
  ['a Proxy of an Error whose every trap throws', () => allTrapsThrow(new Error('inner'))],
];
`;

const built = new Function(`${SOURCE}\nreturn { allTrapsThrow, revokedProxy, HOSTILE_THROWN };`)() as {
  allTrapsThrow: (target?: object) => object;
  revokedProxy: () => object;
  HOSTILE_THROWN: [string, () => unknown][];
};

export const { allTrapsThrow, revokedProxy } = built;

/** Name and factory of every kind of thrown value the error paths must handle. */
export const HOSTILE_THROWN: readonly [string, () => unknown][] = built.HOSTILE_THROWN;

/** An ES module exporting `thrown(kind)`, `allTrapsThrow` and `revokedProxy`, for scenario apps. */
export const HOSTILE_MODULE = `${SOURCE}
const byKind = new Map(HOSTILE_THROWN);
export const KINDS = HOSTILE_THROWN.map(([kind]) => kind);
export const thrown = (kind) => byKind.get(kind)();
export { allTrapsThrow, revokedProxy };
`;

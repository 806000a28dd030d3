/**
 * MLflow's LIKE and ILIKE patterns (`%` any run of characters, `_` one character, no escape
 * character), written once as a meaning and translated for each evaluator: a JavaScript
 * RegExp (the file store and the reference), an SQLite GLOB and a PostgreSQL regular
 * expression (the SQL store's pushed-down search), so that all three match the same values.
 *
 * The meaning: `_` is one code point, as in every MLflow backend (Python's `.`, SQLite's and
 * PostgreSQL's `_`); ILIKE folds case as JavaScript's non-Unicode `/i` does (two characters
 * match when their single-character upper cases are equal, never folding a non-ASCII
 * character onto an ASCII one), spelled out as explicit classes of characters so that no
 * database locale or case-folding table takes part.
 */

/** How one evaluator writes a pattern's parts. */
interface Spelling {
  /** `%`: any run of characters. */
  readonly any: string;
  /** `_`: one character. */
  readonly one: string;
  /** One character taken literally. */
  literal(char: string): string;
  /** One of several characters (a case class), as a bracket expression. */
  oneOf(members: string): string;
}

function spell(pattern: string, caseInsensitive: boolean, s: Spelling): string {
  let out = "";
  for (const char of pattern) {
    if (char === "%") out += s.any;
    else if (char === "_") out += s.one;
    else {
      const members = caseInsensitive ? caseClass(char) : null;
      out += members === null ? s.literal(char) : s.oneOf(members);
    }
  }
  return out;
}

let caseClasses: Map<number, string> | null = null;

/** JavaScript's non-Unicode `/i` canonical form of one UTF-16 code unit (ECMA-262 Canonicalize). */
function canonicalize(unit: number): number {
  const upper = String.fromCharCode(unit).toUpperCase();
  if (upper.length !== 1) return unit;
  const cu = upper.charCodeAt(0);
  return unit >= 128 && cu < 128 ? unit : cu;
}

/**
 * The characters that `/i` (without `u`) takes as equal to `char`, as one string, when there
 * is more than `char` itself; null otherwise (no case, or an astral character, whose
 * surrogate halves have none).
 */
export function caseClass(char: string): string | null {
  if (caseClasses === null) {
    const byCanon = new Map<number, number[]>();
    for (let unit = 0; unit < 0x10000; unit++) {
      if (unit >= 0xd800 && unit <= 0xdfff) continue;
      const canon = canonicalize(unit);
      const members = byCanon.get(canon);
      if (members === undefined) byCanon.set(canon, [unit]);
      else members.push(unit);
    }
    caseClasses = new Map();
    for (const members of byCanon.values()) {
      if (members.length < 2) continue;
      const text = String.fromCharCode(...members);
      for (const unit of members) caseClasses.set(unit, text);
    }
  }
  return char.length === 1 ? (caseClasses.get(char.charCodeAt(0)) ?? null) : null;
}

const REGEXP_SYNTAX = /[.*+?^${}()|[\]\\/]/g;

let lastRegExp: { pattern: string; caseInsensitive: boolean; re: RegExp } | null = null;

/** The pattern as a JavaScript RegExp over whole values (flag `u`: `_` is one code point). */
export function likeToRegExp(pattern: string, caseInsensitive: boolean): RegExp {
  // A filter tests one pattern against every run: keep the last one compiled.
  if (lastRegExp !== null && lastRegExp.pattern === pattern && lastRegExp.caseInsensitive === caseInsensitive) return lastRegExp.re;
  const source = spell(pattern, caseInsensitive, {
    any: "[^]*",
    one: "[^]",
    literal: (char) => char.replace(REGEXP_SYNTAX, "\\$&"),
    oneOf: (members) => `[${members.replace(/[\]\\^[-]/g, "\\$&")}]`,
  });
  const re = new RegExp(`^${source}$`, "u");
  lastRegExp = { pattern, caseInsensitive, re };
  return re;
}

/** The pattern as an SQLite GLOB (`*`, `?`, `[...]`; GLOB compares characters exactly). */
export function likeToGlob(pattern: string, caseInsensitive: boolean): string {
  return spell(pattern, caseInsensitive, {
    any: "*",
    one: "?",
    literal: (char) => (char === "*" || char === "?" || char === "[" ? `[${char}]` : char),
    // Case classes hold only cased letters, never GLOB's own `]`, `^` or `-`.
    oneOf: (members) => `[${members}]`,
  });
}

/**
 * The pattern as a PostgreSQL advanced regular expression for `~` (case-sensitive), anchored
 * at both ends; `.` matches any character, newlines included, as `~` does by default.
 */
export function likeToPostgresRegex(pattern: string, caseInsensitive: boolean): string {
  const re = spell(pattern, caseInsensitive, {
    any: ".*",
    one: ".",
    // A backslash before a non-alphanumeric ASCII character stands for that character.
    literal: (char) => (/^[\x00-\x7f]$/.test(char) && !/^[A-Za-z0-9]$/.test(char) ? `\\${char}` : char),
    oneOf: (members) => `[${members}]`,
  });
  return `^${re}$`;
}

/** Whether ILIKE with this pattern folds any case (false: it is the same as LIKE). */
export function foldsCase(pattern: string): boolean {
  return Array.from(pattern).some((char) => caseClass(char) !== null);
}

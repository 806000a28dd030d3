/**
 * The YAML that MLflow writes: PyYAML's `safe_dump(data, default_flow_style=False,
 * allow_unicode=True)`, i.e. block style, sorted keys, PyYAML's choice of plain,
 * single- or double-quoted scalars and its folding of long scalars at 80 columns.
 * The scalar writers port PyYAML's `emitter.py` (`analyze_scalar`, `write_plain`,
 * `write_single_quoted`, `write_double_quoted`) so the bytes match.
 * The reader accepts that subset (block mappings and sequences, flow `[]`/`{}`,
 * plain and quoted scalars, folded continuation lines) with YAML 1.1 resolution.
 */
import { formatPythonFloat } from "./pythonRepr";

/** A value that can be written as YAML by {@link dumpYaml}. */
export type YamlValue = string | number | boolean | null | YamlValue[] | { [key: string]: YamlValue };

const BEST_WIDTH = 80;
const BEST_INDENT = 2;
const LINE_BREAKS = "\n\x85\u2028\u2029";
const WHITESPACE_OR_END = "\0 \t\r\n\x85\u2028\u2029";

// PyYAML's implicit resolvers (YAML 1.1): a string matching one of these must be quoted.
const RESOLVE_BOOL = /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/;
const RESOLVE_INT =
  /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/;
const RESOLVE_FLOAT =
  /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
const RESOLVE_NULL = /^(?:~|null|Null|NULL|)$/;
const RESOLVE_TIMESTAMP =
  /^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$/;
const RESOLVE_OTHER = /^(?:<<|=|!|&|\*)$/;

/** True when PyYAML would read `text`, written plain, as something other than a string. */
function resolvesToNonString(text: string): boolean {
  return (
    RESOLVE_BOOL.test(text) ||
    RESOLVE_INT.test(text) ||
    RESOLVE_FLOAT.test(text) ||
    RESOLVE_NULL.test(text) ||
    RESOLVE_TIMESTAMP.test(text) ||
    RESOLVE_OTHER.test(text)
  );
}

interface ScalarAnalysis {
  empty: boolean;
  multiline: boolean;
  allowBlockPlain: boolean;
  allowSingleQuoted: boolean;
}

function isPrintableUnicode(ch: string): boolean {
  const c = ch.codePointAt(0) as number;
  return (
    (c === 0x85 || (c >= 0xa0 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd) || (c >= 0x10000 && c < 0x10ffff)) &&
    c !== 0xfeff
  );
}

/** PyYAML's `Emitter.analyze_scalar` (block context only). */
function analyzeScalar(chars: string[]): ScalarAnalysis {
  if (chars.length === 0) {
    return { empty: true, multiline: false, allowBlockPlain: true, allowSingleQuoted: true };
  }
  const scalar = chars.join("");
  let blockIndicators = false;
  let lineBreaks = false;
  let specialCharacters = false;
  let leadingSpace = false;
  let leadingBreak = false;
  let trailingSpace = false;
  let trailingBreak = false;
  let breakSpace = false;
  let spaceBreak = false;
  if (scalar.startsWith("---") || scalar.startsWith("...")) blockIndicators = true;
  let precededByWhitespace = true;
  let followedByWhitespace = chars.length === 1 || WHITESPACE_OR_END.includes(chars[1] as string);
  let previousSpace = false;
  let previousBreak = false;
  for (let index = 0; index < chars.length; index++) {
    const ch = chars[index] as string;
    if (index === 0) {
      if ("#,[]{}&*!|>'\"%@`".includes(ch)) blockIndicators = true;
      if ("?:".includes(ch) && followedByWhitespace) blockIndicators = true;
      if (ch === "-" && followedByWhitespace) blockIndicators = true;
    } else {
      if (ch === ":" && followedByWhitespace) blockIndicators = true;
      if (ch === "#" && precededByWhitespace) blockIndicators = true;
    }
    if (LINE_BREAKS.includes(ch)) lineBreaks = true;
    const code = ch.codePointAt(0) as number;
    if (!(ch === "\n" || (code >= 0x20 && code <= 0x7e))) {
      if (!isPrintableUnicode(ch)) specialCharacters = true;
    }
    if (ch === " ") {
      if (index === 0) leadingSpace = true;
      if (index === chars.length - 1) trailingSpace = true;
      if (previousBreak) breakSpace = true;
      previousSpace = true;
      previousBreak = false;
    } else if (LINE_BREAKS.includes(ch)) {
      if (index === 0) leadingBreak = true;
      if (index === chars.length - 1) trailingBreak = true;
      if (previousSpace) spaceBreak = true;
      previousSpace = false;
      previousBreak = true;
    } else {
      previousSpace = false;
      previousBreak = false;
    }
    precededByWhitespace = WHITESPACE_OR_END.includes(ch);
    followedByWhitespace = index + 2 >= chars.length || WHITESPACE_OR_END.includes(chars[index + 2] as string);
  }
  let allowBlockPlain = true;
  let allowSingleQuoted = true;
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) allowBlockPlain = false;
  if (breakSpace) allowBlockPlain = allowSingleQuoted = false;
  if (spaceBreak || specialCharacters) allowBlockPlain = allowSingleQuoted = false;
  if (lineBreaks) allowBlockPlain = false;
  if (blockIndicators) allowBlockPlain = false;
  return { empty: false, multiline: lineBreaks, allowBlockPlain, allowSingleQuoted };
}

const ESCAPES: Record<string, string> = {
  "\0": "0",
  "\x07": "a",
  "\x08": "b",
  "\x09": "t",
  "\x0A": "n",
  "\x0B": "v",
  "\x0C": "f",
  "\x0D": "r",
  "\x1B": "e",
  '"': '"',
  "\\": "\\",
  "\x85": "N",
  "\xA0": "_",
  "\u2028": "L",
  "\u2029": "P",
};

/** A port of the parts of PyYAML's `Emitter` that write block collections and scalars. */
class YamlWriter {
  out = "";
  column = 0;
  whitespace = true;
  indention = true;
  indent = 0;

  private write(data: string): void {
    this.out += data;
    this.column += [...data].length;
  }

  writeLineBreak(data = "\n"): void {
    this.whitespace = true;
    this.indention = true;
    this.column = 0;
    this.out += data;
  }

  writeIndent(): void {
    const indent = this.indent;
    if (!this.indention || this.column > indent || (this.column === indent && !this.whitespace)) this.writeLineBreak();
    if (this.column < indent) {
      this.whitespace = true;
      this.out += " ".repeat(indent - this.column);
      this.column = indent;
    }
  }

  writeIndicator(indicator: string, needWhitespace: boolean, whitespace = false, indention = false): void {
    const data = this.whitespace || !needWhitespace ? indicator : " " + indicator;
    this.whitespace = whitespace;
    this.indention = this.indention && indention;
    this.write(data);
  }

  /** Writes a string scalar in the style PyYAML would choose. */
  writeString(text: string, simpleKey: boolean): void {
    const chars = [...text];
    const analysis = analyzeScalar(chars);
    const implicitPlain = !resolvesToNonString(text);
    const split = !simpleKey;
    if (implicitPlain && !(simpleKey && (analysis.empty || analysis.multiline)) && analysis.allowBlockPlain) {
      this.writePlain(chars, split);
    } else if (analysis.allowSingleQuoted && !(simpleKey && analysis.multiline)) {
      this.writeSingleQuoted(chars, split);
    } else {
      this.writeDoubleQuoted(chars, split);
    }
  }

  /** Writes a scalar that needs no quoting (numbers, null, booleans). */
  writeRaw(text: string): void {
    if (!this.whitespace) this.write(" ");
    this.write(text);
    this.whitespace = false;
    this.indention = false;
  }

  private writePlain(chars: string[], split: boolean): void {
    if (chars.length === 0) return;
    if (!this.whitespace) this.write(" ");
    this.whitespace = false;
    this.indention = false;
    let spaces = false;
    let breaks = false;
    let start = 0;
    for (let end = 0; end <= chars.length; end++) {
      const ch = end < chars.length ? (chars[end] as string) : null;
      if (spaces) {
        if (ch !== " ") {
          if (start + 1 === end && this.column > BEST_WIDTH && split) {
            this.writeIndent();
            this.whitespace = false;
            this.indention = false;
          } else {
            this.write(chars.slice(start, end).join(""));
          }
          start = end;
        }
      } else if (breaks) {
        if (ch === null || !LINE_BREAKS.includes(ch)) {
          if (chars[start] === "\n") this.writeLineBreak();
          for (const br of chars.slice(start, end)) this.writeLineBreak(br);
          this.writeIndent();
          this.whitespace = false;
          this.indention = false;
          start = end;
        }
      } else if (ch === null || (" " + LINE_BREAKS).includes(ch)) {
        this.write(chars.slice(start, end).join(""));
        start = end;
      }
      if (ch !== null) {
        spaces = ch === " ";
        breaks = LINE_BREAKS.includes(ch);
      }
    }
  }

  private writeSingleQuoted(chars: string[], split: boolean): void {
    this.writeIndicator("'", true);
    let spaces = false;
    let breaks = false;
    let start = 0;
    for (let end = 0; end <= chars.length; end++) {
      const ch = end < chars.length ? (chars[end] as string) : null;
      if (spaces) {
        if (ch === null || ch !== " ") {
          if (start + 1 === end && this.column > BEST_WIDTH && split && start !== 0 && end !== chars.length) {
            this.writeIndent();
          } else {
            this.write(chars.slice(start, end).join(""));
          }
          start = end;
        }
      } else if (breaks) {
        if (ch === null || !LINE_BREAKS.includes(ch)) {
          if (chars[start] === "\n") this.writeLineBreak();
          for (const br of chars.slice(start, end)) this.writeLineBreak(br);
          this.writeIndent();
          start = end;
        }
      } else if (ch === null || (" " + LINE_BREAKS).includes(ch) || ch === "'") {
        if (start < end) {
          this.write(chars.slice(start, end).join(""));
          start = end;
        }
      }
      if (ch === "'") {
        this.write("''");
        start = end + 1;
      }
      if (ch !== null) {
        spaces = ch === " ";
        breaks = LINE_BREAKS.includes(ch);
      }
    }
    this.writeIndicator("'", false);
  }

  private writeDoubleQuoted(chars: string[], split: boolean): void {
    this.writeIndicator('"', true);
    let start = 0;
    for (let end = 0; end <= chars.length; end++) {
      const ch = end < chars.length ? (chars[end] as string) : null;
      const code = ch === null ? 0 : (ch.codePointAt(0) as number);
      if (
        ch === null ||
        '"\\\x85\u2028\u2029\uFEFF'.includes(ch) ||
        !((code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd))
      ) {
        if (start < end) {
          this.write(chars.slice(start, end).join(""));
          start = end;
        }
        if (ch !== null) {
          let data: string;
          const escape = ESCAPES[ch];
          if (escape !== undefined) data = "\\" + escape;
          else if (code <= 0xff) data = "\\x" + code.toString(16).toUpperCase().padStart(2, "0");
          else if (code <= 0xffff) data = "\\u" + code.toString(16).toUpperCase().padStart(4, "0");
          else data = "\\U" + code.toString(16).toUpperCase().padStart(8, "0");
          this.write(data);
          start = end + 1;
        }
      }
      if (
        end > 0 &&
        end < chars.length - 1 &&
        (ch === " " || start >= end) &&
        this.column + (end - start) > BEST_WIDTH &&
        split
      ) {
        const data = chars.slice(start, end).join("") + "\\";
        if (start < end) start = end;
        this.write(data);
        this.writeIndent();
        this.whitespace = false;
        this.indention = false;
        if (chars[start] === " ") this.write("\\");
      }
    }
    this.writeIndicator('"', false);
  }
}

function isCollection(value: YamlValue): value is YamlValue[] | { [key: string]: YamlValue } {
  return value !== null && typeof value === "object";
}

function isEmptyCollection(value: YamlValue): boolean {
  if (Array.isArray(value)) return value.length === 0;
  return isCollection(value) && Object.keys(value).length === 0;
}

/** PyYAML's `represent_float` / `represent_int` / bool / null, as plain text. */
function representNonString(value: number | boolean | null): string {
  if (value === null) return "null";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (Number.isInteger(value) && !Object.is(value, -0) && Math.abs(value) < 2 ** 53) return String(value);
  if (Number.isNaN(value)) return ".nan";
  if (value === Infinity) return ".inf";
  if (value === -Infinity) return "-.inf";
  const repr = formatPythonFloat(value).toLowerCase();
  return !repr.includes(".") && repr.includes("e") ? repr.replace("e", ".0e") : repr;
}

function writeScalarValue(w: YamlWriter, value: YamlValue): void {
  if (typeof value === "string") w.writeString(value, false);
  else if (!isCollection(value)) w.writeRaw(representNonString(value));
  else w.writeRaw(Array.isArray(value) ? "[]" : "{}");
}

function writeMapping(w: YamlWriter, value: { [key: string]: YamlValue }, indent: number): void {
  const keys = Object.keys(value).sort();
  for (const key of keys) {
    w.indent = indent;
    w.writeIndent();
    w.writeString(key, true);
    w.writeIndicator(":", false);
    const item = value[key] as YamlValue;
    if (isCollection(item) && !isEmptyCollection(item)) {
      if (Array.isArray(item)) writeSequence(w, item, indent);
      else writeMapping(w, item, indent + BEST_INDENT);
    } else {
      w.indent = indent + BEST_INDENT;
      writeScalarValue(w, item);
    }
  }
}

function writeSequence(w: YamlWriter, items: YamlValue[], indent: number): void {
  for (const item of items) {
    w.indent = indent;
    w.writeIndent();
    w.writeIndicator("-", true, false, true);
    if (isCollection(item) && !isEmptyCollection(item)) {
      if (Array.isArray(item)) writeSequence(w, item, indent + BEST_INDENT);
      else writeMapping(w, item, indent + BEST_INDENT);
    } else {
      w.indent = indent + BEST_INDENT;
      writeScalarValue(w, item);
    }
  }
}

/**
 * Writes `value` (a mapping, as every MLflow metadata file is) the way PyYAML's
 * `safe_dump(value, default_flow_style=False, allow_unicode=True)` does.
 */
export function dumpYaml(value: { [key: string]: YamlValue }): string {
  const w = new YamlWriter();
  if (Object.keys(value).length === 0) return "{}\n";
  writeMapping(w, value, 0);
  w.writeLineBreak();
  return w.out;
}

// ---------------------------------------------------------------- reader

/** Resolves a plain scalar the way PyYAML's SafeLoader does (timestamps stay strings). */
function resolvePlain(text: string): YamlValue {
  if (RESOLVE_NULL.test(text)) return null;
  if (RESOLVE_BOOL.test(text)) return /^(?:yes|true|on)$/i.test(text);
  if (RESOLVE_INT.test(text) && !text.includes(":")) {
    const clean = text.replace(/_/g, "");
    const sign = clean.startsWith("-") ? -1 : 1;
    const digits = clean.replace(/^[-+]/, "");
    if (digits.startsWith("0b")) return sign * parseInt(digits.slice(2), 2);
    if (digits.startsWith("0x")) return sign * parseInt(digits.slice(2), 16);
    if (digits.length > 1 && digits.startsWith("0")) return sign * parseInt(digits, 8);
    return sign * Number(digits);
  }
  if (RESOLVE_FLOAT.test(text) && !text.includes(":")) {
    const clean = text.replace(/_/g, "").toLowerCase();
    if (clean.endsWith(".nan")) return NaN;
    if (clean.endsWith(".inf")) return clean.startsWith("-") ? -Infinity : Infinity;
    return Number(clean);
  }
  return text;
}

/** Thrown for YAML outside the subset MLflow writes; names the line. */
export class YamlSyntaxError extends Error {
  override name = "YamlSyntaxError";
}

class YamlReader {
  private pos = 0;
  constructor(private readonly text: string) {}

  private fail(message: string): never {
    const line = this.text.slice(0, this.pos).split("\n").length;
    throw new YamlSyntaxError(`YAML line ${line}: ${message}`);
  }

  /** Skips blank lines and comment lines; returns the indent of the next content line, or -1 at the end. */
  private nextLineIndent(): number {
    for (;;) {
      if (this.pos >= this.text.length) return -1;
      let p = this.pos;
      while (this.text[p] === " ") p++;
      const ch = this.text[p];
      if (ch === undefined) return -1;
      if (ch === "\n" || ch === "#" || (ch === "\r" && this.text[p + 1] === "\n")) {
        const nl = this.text.indexOf("\n", p);
        this.pos = nl < 0 ? this.text.length : nl + 1;
        continue;
      }
      if (this.text.startsWith("---", this.pos) && p === this.pos) {
        const nl = this.text.indexOf("\n", p);
        this.pos = nl < 0 ? this.text.length : nl + 1;
        continue;
      }
      if (this.text.startsWith("...", this.pos) && p === this.pos) return -1;
      return p - this.pos;
    }
  }

  parseDocument(): YamlValue {
    const indent = this.nextLineIndent();
    if (indent < 0) return null;
    const value = this.parseBlockNode(indent);
    if (this.nextLineIndent() >= 0) this.fail("unexpected content after the document");
    return value;
  }

  private parseBlockNode(indent: number): YamlValue {
    this.pos += indent;
    if (this.text[this.pos] === "-" && " \n".includes(this.text[this.pos + 1] ?? "\n")) {
      return this.parseBlockSequence(indent);
    }
    if (this.looksLikeMappingKey()) return this.parseBlockMapping(indent);
    return this.parseInlineValue(indent - 1);
  }

  private looksLikeMappingKey(): boolean {
    const ch = this.text[this.pos];
    if (ch === "'" || ch === '"') {
      const save = this.pos;
      this.parseQuoted();
      const isKey = this.text[this.pos] === ":";
      this.pos = save;
      return isKey;
    }
    const lineEnd = this.lineEnd();
    const line = this.text.slice(this.pos, lineEnd);
    return /^[^#\[{][^\n]*?:(?: |$)/.test(line) && !line.startsWith("- ");
  }

  private lineEnd(): number {
    const nl = this.text.indexOf("\n", this.pos);
    return nl < 0 ? this.text.length : nl;
  }

  private parseBlockSequence(indent: number): YamlValue[] {
    const items: YamlValue[] = [];
    for (;;) {
      if (!(this.text[this.pos] === "-" && " \n".includes(this.text[this.pos + 1] ?? "\n"))) break;
      this.pos += 1;
      while (this.text[this.pos] === " ") this.pos++;
      if (this.text[this.pos] === "\n" || this.pos >= this.text.length) {
        const childIndent = this.nextLineIndent();
        items.push(childIndent > indent ? this.parseBlockNode(childIndent) : null);
      } else {
        const column = this.pos - this.lineStart();
        if (this.looksLikeMappingKey()) items.push(this.parseBlockMapping(column));
        else if (this.text[this.pos] === "-" && this.text[this.pos + 1] === " ") items.push(this.parseBlockSequence(column));
        else items.push(this.parseInlineValue(indent));
      }
      const next = this.nextLineIndent();
      if (next !== indent) break;
      this.pos += indent;
    }
    return items;
  }

  private lineStart(): number {
    return this.text.lastIndexOf("\n", this.pos - 1) + 1;
  }

  private parseBlockMapping(indent: number): { [key: string]: YamlValue } {
    const out: { [key: string]: YamlValue } = {};
    for (;;) {
      const key = this.parseKey();
      if (this.text[this.pos] !== ":") this.fail("expected ':' after a mapping key");
      this.pos += 1;
      while (this.text[this.pos] === " ") this.pos++;
      let value: YamlValue;
      if (this.text[this.pos] === "\n" || this.text[this.pos] === "#" || this.pos >= this.text.length) {
        const childIndent = this.nextLineIndent();
        if (childIndent > indent) value = this.parseBlockNode(childIndent);
        else if (childIndent === indent && this.text[this.pos + indent] === "-" && this.text[this.pos + indent + 1] === " ") {
          this.pos += indent;
          value = this.parseBlockSequence(indent);
        } else value = null;
      } else {
        value = this.parseInlineValue(indent);
      }
      out[key] = value;
      const next = this.nextLineIndent();
      if (next !== indent) {
        if (next > indent) this.fail("bad indentation of a mapping entry");
        break;
      }
      this.pos += indent;
      if (this.text[this.pos] === "-" && this.text[this.pos + 1] === " ") break;
    }
    return out;
  }

  private parseKey(): string {
    const ch = this.text[this.pos];
    if (ch === "'" || ch === '"') return this.parseQuoted();
    const end = this.text.slice(this.pos, this.lineEnd()).search(/:(?: |$)/);
    if (end < 0) this.fail("expected a mapping key");
    const raw = this.text.slice(this.pos, this.pos + end).trimEnd();
    this.pos += end;
    return raw;
  }

  /** A scalar or flow collection starting at `pos`; continuation lines must be indented more than `parentIndent`. */
  private parseInlineValue(parentIndent: number): YamlValue {
    const ch = this.text[this.pos];
    if (ch === "'" || ch === '"') {
      const s = this.parseQuoted();
      this.skipTrailingComment();
      return s;
    }
    if (ch === "[" || ch === "{") {
      const v = this.parseFlow();
      this.skipTrailingComment();
      return v;
    }
    return this.parsePlainMultiline(parentIndent);
  }

  private skipTrailingComment(): void {
    while (this.text[this.pos] === " ") this.pos++;
    if (this.text[this.pos] === "#") this.pos = this.lineEnd();
    if (this.pos < this.text.length && this.text[this.pos] !== "\n") this.fail("unexpected text after a value");
  }

  private parsePlainMultiline(parentIndent: number): YamlValue {
    const lines: string[] = [];
    let first = this.text.slice(this.pos, this.lineEnd());
    const comment = first.search(/ #/);
    if (comment >= 0) first = first.slice(0, comment);
    lines.push(first.trim());
    this.pos = this.lineEnd();
    // Continuation lines: more indented than the parent, not a new key or item.
    for (;;) {
      const save = this.pos;
      if (this.pos >= this.text.length) break;
      this.pos += 1;
      const lineEndPos = this.lineEnd();
      const line = this.text.slice(this.pos, lineEndPos);
      const indentOfLine = line.length - line.trimStart().length;
      if (line.trim() === "") {
        lines.push("");
        this.pos = lineEndPos;
        continue;
      }
      if (indentOfLine <= parentIndent || line.trimStart().startsWith("#")) {
        this.pos = save;
        break;
      }
      if (/:(?: |$)/.test(line)) {
        this.pos += indentOfLine;
        this.fail("mapping values are not allowed here (a key indented under a scalar value?)");
      }
      lines.push(line.trim());
      this.pos = lineEndPos;
    }
    while (lines.length > 1 && lines[lines.length - 1] === "") lines.pop();
    if (lines.length === 1) return resolvePlain(lines[0] as string);
    return foldLines(lines);
  }

  private parseQuoted(): string {
    const quote = this.text[this.pos] as string;
    const start = this.pos;
    this.pos += 1;
    const pieces: string[] = [];
    let current = "";
    for (;;) {
      if (this.pos >= this.text.length) {
        this.pos = start;
        this.fail("unterminated quoted scalar");
      }
      const ch = this.text[this.pos] as string;
      if (quote === "'" && ch === "'") {
        if (this.text[this.pos + 1] === "'") {
          current += "'";
          this.pos += 2;
          continue;
        }
        this.pos += 1;
        break;
      }
      if (quote === '"' && ch === '"') {
        this.pos += 1;
        break;
      }
      if (quote === '"' && ch === "\\") {
        const next = this.text[this.pos + 1] as string;
        if (next === "\n") {
          // Escaped line break: join without a space, skip the next line's indentation.
          this.pos += 2;
          while (this.text[this.pos] === " " || this.text[this.pos] === "\t") this.pos++;
          pieces.push(current);
          current = "";
          pieces.push("\u0000JOIN");
          continue;
        }
        const simple: Record<string, string> = {
          "0": "\0", a: "\x07", b: "\x08", t: "\t", "\t": "\t", n: "\n", v: "\x0b", f: "\x0c", r: "\r",
          e: "\x1b", " ": " ", '"': '"', "/": "/", "\\": "\\", N: "\x85", _: "\xa0", L: "\u2028", P: "\u2029",
        };
        const lengths: Record<string, number> = { x: 2, u: 4, U: 8 };
        if (simple[next] !== undefined) {
          current += simple[next];
          this.pos += 2;
        } else if (lengths[next] !== undefined) {
          const n = lengths[next] as number;
          current += String.fromCodePoint(parseInt(this.text.slice(this.pos + 2, this.pos + 2 + n), 16));
          this.pos += 2 + n;
        } else this.fail(`unknown escape \\${next}`);
        continue;
      }
      if (ch === "\u2028" || ch === "\u2029") {
        // Unicode line/paragraph separators are kept; the next line's indentation is not content.
        current = current.replace(/[ \t]+$/, "") + ch;
        this.pos += 1;
        while (this.text[this.pos] === " " || this.text[this.pos] === "\t") this.pos++;
        continue;
      }
      if (ch === "\n") {
        // Line folding inside a quoted scalar.
        pieces.push(current.replace(/[ \t]+$/, ""));
        current = "";
        this.pos += 1;
        let emptyLines = 0;
        for (;;) {
          while (this.text[this.pos] === " " || this.text[this.pos] === "\t") this.pos++;
          if (this.text[this.pos] === "\n") {
            emptyLines++;
            this.pos++;
          } else break;
        }
        pieces.push(emptyLines > 0 ? "\n".repeat(emptyLines) : " ");
        continue;
      }
      current += ch;
      this.pos += 1;
    }
    pieces.push(current);
    let out = "";
    for (let i = 0; i < pieces.length; i++) {
      const p = pieces[i] as string;
      if (p === "\u0000JOIN") continue;
      if (pieces[i - 1] === "\u0000JOIN" && (p === " " || /^\n+$/.test(p))) continue;
      out += p;
    }
    return out;
  }

  private parseFlow(): YamlValue {
    const open = this.text[this.pos] as string;
    const close = open === "[" ? "]" : "}";
    this.pos += 1;
    const items: YamlValue[] = [];
    const map: { [key: string]: YamlValue } = {};
    const skip = (): void => {
      while (" \n\t".includes(this.text[this.pos] ?? "x")) this.pos++;
    };
    skip();
    while (this.text[this.pos] !== close) {
      if (this.pos >= this.text.length) this.fail("unterminated flow collection");
      const start = this.pos;
      const first = this.parseFlowScalar();
      skip();
      if (open === "{") {
        if (this.text[this.pos] !== ":") this.fail("expected ':' in a flow mapping");
        this.pos += 1;
        skip();
        map[String(first)] = this.parseFlowScalar();
        skip();
      } else items.push(first);
      if (this.text[this.pos] === ",") {
        this.pos += 1;
        skip();
      }
      // A character no rule consumes (e.g. a stray ':') would otherwise loop forever, growing the list.
      if (this.pos === start) this.fail(`unexpected '${this.text[this.pos] ?? ""}' in a flow collection`);
    }
    this.pos += 1;
    return open === "[" ? items : map;
  }

  private parseFlowScalar(): YamlValue {
    const ch = this.text[this.pos];
    if (ch === "'" || ch === '"') return this.parseQuoted();
    if (ch === "[" || ch === "{") return this.parseFlow();
    const m = /^[^,\]}\n]*?(?=\s*(?:[,\]}\n]|: ))/.exec(this.text.slice(this.pos));
    const raw = m === null ? "" : m[0];
    this.pos += raw.length;
    return resolvePlain(raw.trim());
  }
}

/** YAML line folding of plain scalar lines: a single break is a space, empty lines are breaks. */
function foldLines(lines: string[]): string {
  let out = lines[0] as string;
  let pendingBreaks = 0;
  for (const line of lines.slice(1)) {
    if (line === "") {
      pendingBreaks++;
      continue;
    }
    out += pendingBreaks > 0 ? "\n".repeat(pendingBreaks) : " ";
    out += line;
    pendingBreaks = 0;
  }
  return out;
}

/** Reads the YAML subset that MLflow writes (see {@link dumpYaml}); names the line on errors. */
export function loadYaml(text: string): YamlValue {
  return new YamlReader(text.replace(/\r\n/g, "\n")).parseDocument();
}

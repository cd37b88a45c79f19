/**
 * schema-sql -- the column names that a CREATE TABLE or CREATE INDEX statement of sqlite_schema
 * gives, read with SQLite's own tokenizing rules (tokenize.c): identifiers quoted as "a""b",
 * [a b], `a``b` or 'a' (SQLite takes a string where a name is due), `--` and C comments, and
 * nested parentheses, so that only the commas at the statement's top level split its columns.
 *
 * Policy, each in a sentence:
 *  - Only the names are read: a column definition's first token is its name, the rest of it
 *    (type, constraints, DEFAULT and CHECK expressions, GENERATED ALWAYS AS) is scanned only for
 *    the words that change where or whether a column is stored (PRIMARY KEY, UNIQUE, INTEGER as
 *    the type, GENERATED / AS with VIRTUAL or STORED).
 *  - An index column is a name, or an expression kept as it was written (`lower(name)`), with
 *    COLLATE, ASC and DESC dropped, as PRAGMA index_xinfo names the column.
 *  - Anything this reader does not understand gives null, never a guess: the caller then names
 *    the columns `column N`.
 */

/** One token: a word (keyword or name, unquoted), a quoted name, or one punctuation character. */
interface Token {
  kind: 'word' | 'quoted' | 'punct' | 'other'
  /** the name as SQLite reads it: quotes removed, doubled quotes undone */
  text: string
  /** where the token is in the statement, for slicing an expression back out */
  start: number
  end: number
}

const CLOSING: Record<string, string> = {'"': '"', "'": "'", '`': '`', '[': ']'}

/** SQLite's blanks (tokenize.c): space, tab, newline, form feed, carriage return; nothing else. */
const isBlank = (code: number): boolean => code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0c || code === 0x0d

/**
 * SQLite's identifier characters (tokenize.c IdChar): ASCII letters and digits, `_` and `$`, and
 * every character past ASCII, whatever it is. Tested by code, not by a Unicode class: that is
 * SQLite's rule, and a \p{L} pattern costs milliseconds to compile on each command's first use.
 */
const isIdChar = (code: number): boolean =>
  (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a) || (code >= 0x30 && code <= 0x39) || code === 0x5f || code === 0x24 || code >= 0x80

/** tokenize -- the tokens of `sql`, comments and blanks dropped; null if a quote or comment is never closed. */
export function tokenize(sql: string): Token[] | null {
  const tokens: Token[] = []
  let i = 0
  while (i < sql.length) {
    const c = sql[i]!
    if (isBlank(sql.charCodeAt(i))) {
      i++
    } else if (c === '-' && sql[i + 1] === '-') {
      const nl = sql.indexOf('\n', i)
      i = nl < 0 ? sql.length : nl + 1
    } else if (c === '/' && sql[i + 1] === '*') {
      const close = sql.indexOf('*/', i + 2)
      if (close < 0) return null
      i = close + 2
    } else if (c in CLOSING) {
      const q = CLOSING[c]!
      let text = ''
      let j = i + 1
      for (;;) {
        const k = sql.indexOf(q, j)
        if (k < 0) return null
        text += sql.slice(j, k)
        // a doubled quote is the quote itself, except in [..], which has no escape
        if (q !== ']' && sql[k + 1] === q) {
          text += q
          j = k + 2
          continue
        }
        j = k + 1
        break
      }
      tokens.push({kind: 'quoted', text, start: i, end: j})
      i = j
    } else if (isIdChar(sql.charCodeAt(i))) {
      let j = i + 1
      while (j < sql.length && isIdChar(sql.charCodeAt(j))) j++
      tokens.push({kind: 'word', text: sql.slice(i, j), start: i, end: j})
      i = j
    } else {
      tokens.push({kind: '(),'.includes(c) ? 'punct' : 'other', text: c, start: i, end: i + 1})
      i++
    }
  }
  return tokens
}

const is = (t: Token | undefined, word: string): boolean => t !== undefined && t.kind === 'word' && t.text.toUpperCase() === word

/** The parts of a parenthesised list at its top level: the tokens of each, and where the list ends. */
function topLevelParts(tokens: Token[], open: number): {parts: Token[][]; close: number} | null {
  const parts: Token[][] = [[]]
  let depth = 0
  for (let i = open + 1; i < tokens.length; i++) {
    const t = tokens[i]!
    if (t.kind === 'punct' && t.text === '(') depth++
    if (t.kind === 'punct' && t.text === ')') {
      if (depth === 0) return {parts, close: i}
      depth--
    }
    if (depth === 0 && t.kind === 'punct' && t.text === ',') parts.push([])
    else parts[parts.length - 1]!.push(t)
  }
  return null
}

/** A stored column of a table, as its definition says. */
export interface TableColumn {
  name: string
  /** GENERATED ALWAYS AS (...) VIRTUAL (the default) is not stored in the record; STORED is */
  virtual: boolean
  /** the declared type is exactly INTEGER and the column itself says PRIMARY KEY (not DESC) */
  integerPrimaryKey: boolean
}

/** What a CREATE TABLE says of the records of its b-tree. */
export interface TableSchema {
  columns: TableColumn[]
  /** the PRIMARY KEY's columns (a column's own or the table constraint's), in key order */
  primaryKey: string[]
  /** the UNIQUE and PRIMARY KEY constraints, in the order SQLite makes their autoindexes */
  uniques: string[][]
  withoutRowid: boolean
  /** the column whose value is the rowid (stored as NULL): an INTEGER PRIMARY KEY in a rowid table */
  rowidAlias: string | null
}

/** The keywords that start a table constraint instead of a column. */
const TABLE_CONSTRAINT = new Set(['CONSTRAINT', 'PRIMARY', 'UNIQUE', 'CHECK', 'FOREIGN'])

/** nameList -- the column names of `( a, b COLLATE x DESC, ... )`, each one's first token. */
function nameList(tokens: Token[], open: number): string[] | null {
  const list = topLevelParts(tokens, open)
  if (list === null) return null
  const names = list.parts.map((p) => (p[0] !== undefined && (p[0].kind === 'word' || p[0].kind === 'quoted') ? p[0].text : null))
  return names.every((n): n is string => n !== null) ? names : null
}

/** indexOfWord -- the position of the first token that is `word` (a keyword, unquoted), or -1. */
function indexOfWord(tokens: Token[], word: string, from = 0): number {
  for (let i = from; i < tokens.length; i++) if (is(tokens[i], word)) return i
  return -1
}

/** parseCreateTable -- the columns and keys of a CREATE TABLE statement, or null if it is not one this reader follows. */
export function parseCreateTable(sql: string): TableSchema | null {
  const tokens = tokenize(sql)
  if (tokens === null || !is(tokens[0], 'CREATE')) return null
  const open = tokens.findIndex((t) => t.kind === 'punct' && t.text === '(')
  const tableAt = indexOfWord(tokens, 'TABLE')
  if (open < 0 || tableAt < 0 || tableAt > open) return null // CREATE TABLE .. AS SELECT has no column list
  const list = topLevelParts(tokens, open)
  if (list === null) return null
  const after = tokens.slice(list.close + 1)
  const withoutRowid = after.some((t, i) => is(t, 'WITHOUT') && is(after[i + 1], 'ROWID'))
  const columns: TableColumn[] = []
  const primaryKey: string[] = []
  const uniques: string[][] = []
  let pkIsColumn: string | null = null
  for (const part of list.parts) {
    const first = part[0]
    if (first === undefined) return null
    if (first.kind === 'word' && TABLE_CONSTRAINT.has(first.text.toUpperCase())) {
      const body = is(first, 'CONSTRAINT') ? part.slice(2) : part
      const paren = body.findIndex((t) => t.kind === 'punct' && t.text === '(')
      if (is(body[0], 'PRIMARY') || is(body[0], 'UNIQUE')) {
        const names = paren < 0 ? null : nameList(body, paren)
        if (names === null) return null
        if (is(body[0], 'PRIMARY')) primaryKey.push(...names)
        uniques.push(names)
      }
      continue
    }
    if (first.kind !== 'word' && first.kind !== 'quoted') return null
    const rest = part.slice(1)
    const pk = indexOfWord(rest, 'PRIMARY')
    const generated = indexOfWord(rest, 'AS') >= 0 && (indexOfWord(rest, 'GENERATED') >= 0 || isBareAs(rest))
    const virtual = generated && indexOfWord(rest, 'STORED') < 0
    const integerPrimaryKey = pk >= 0 && is(rest[pk + 1], 'KEY') && isIntegerType(rest) && !is(rest[pk + 2], 'DESC')
    columns.push({name: first.text, virtual, integerPrimaryKey})
    if (pk >= 0) {
      pkIsColumn = first.text
      primaryKey.push(first.text)
      uniques.push([first.text])
    }
    if (indexOfWord(rest, 'UNIQUE') >= 0) uniques.push([first.text])
  }
  let rowidAlias: string | null = null
  if (!withoutRowid && primaryKey.length === 1) {
    const col = columns.find((c) => c.name.toLowerCase() === primaryKey[0]!.toLowerCase())
    // a column's own PRIMARY KEY makes an alias only as INTEGER and not DESC; a table constraint PRIMARY KEY(x) does for an INTEGER column
    if (col !== undefined && (pkIsColumn === null ? declaredInteger(list.parts, col.name) : col.integerPrimaryKey)) rowidAlias = col.name
  }
  return {columns, primaryKey, uniques, withoutRowid, rowidAlias}
}

/** The words that start a column constraint: the declared type is the words before the first. */
const COLUMN_CONSTRAINT = new Set(['CONSTRAINT', 'PRIMARY', 'NOT', 'NULL', 'UNIQUE', 'CHECK', 'DEFAULT', 'COLLATE', 'REFERENCES', 'GENERATED', 'AS'])

/** isIntegerType -- whether a column's declared type (its tokens before any constraint) is exactly INTEGER: `INT` or `INTEGER(8)` make no rowid alias. */
function isIntegerType(rest: Token[]): boolean {
  const end = rest.findIndex((t) => t.kind === 'word' && COLUMN_CONSTRAINT.has(t.text.toUpperCase()))
  const type = rest.slice(0, end < 0 ? rest.length : end)
  return type.length === 1 && is(type[0], 'INTEGER')
}

/** isBareAs -- `x AS (expr)`: a generated column without GENERATED ALWAYS. */
function isBareAs(rest: Token[]): boolean {
  const as = indexOfWord(rest, 'AS')
  return as >= 0 && rest[as + 1]?.kind === 'punct' && rest[as + 1]!.text === '('
}

/** declaredInteger -- whether column `name` of the table is declared exactly INTEGER. */
function declaredInteger(parts: Token[][], name: string): boolean {
  const part = parts.find((p) => p[0] !== undefined && p[0].kind !== 'punct' && p[0].text.toLowerCase() === name.toLowerCase() && !(p[0].kind === 'word' && TABLE_CONSTRAINT.has(p[0].text.toUpperCase())))
  if (part === undefined) return false
  return isIntegerType(part.slice(1))
}

/** parseCreateIndex -- the indexed columns of a CREATE INDEX (names, or expressions as written), or null. */
export function parseCreateIndex(sql: string): string[] | null {
  const tokens = tokenize(sql)
  if (tokens === null || !is(tokens[0], 'CREATE') || indexOfWord(tokens, 'INDEX') < 0) return null
  const on = indexOfWord(tokens, 'ON')
  const open = tokens.findIndex((t, i) => i > on && t.kind === 'punct' && t.text === '(')
  if (on < 0 || open < 0) return null
  const list = topLevelParts(tokens, open)
  if (list === null) return null
  const names: string[] = []
  for (const part of list.parts) {
    let end = part.length
    while (end > 0 && (is(part[end - 1], 'ASC') || is(part[end - 1], 'DESC'))) end--
    const collate = part.findIndex((t, i) => i < end && is(t, 'COLLATE'))
    if (collate >= 0) end = collate
    const expr = part.slice(0, end)
    if (expr.length === 0) return null
    names.push(expr.length === 1 && expr[0]!.kind !== 'punct' && expr[0]!.kind !== 'other' ? expr[0]!.text : sql.slice(expr[0]!.start, expr[expr.length - 1]!.end))
  }
  return names
}

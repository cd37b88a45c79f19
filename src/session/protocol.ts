/**
 * protocol -- what pool clients and the pool server say to each other over the Unix socket.
 *
 * Newline-delimited JSON, one message a line, UTF-8:
 *
 *   client → server   {"id": 7, "op": "get", "args": {"pgno": 3}}
 *   server → client   {"id": 7, "ok": true, "result": "<page, base64>", "events": [...]}
 *                     {"id": 7, "ok": false, "error": {"code": "EINVAL", "message": "...", "pgno": 3}, "events": [...]}
 *   server → watcher  {"event": {"type": "hit", "pgno": 3, "frame": 0}}
 *
 * Every line the server reads gets exactly one reply, in the order the lines came; a line that is
 * not JSON, not a request, or too long gets an error reply (id null when no id could be read),
 * and the server goes on. `events` is present only on connections that said `explain` in their
 * hello. Page bytes travel as base64 strings.
 *
 * Requests are checked here by hand against the table ARGS below rather than with a schema
 * library: the messages are eighteen flat shapes, and zod, the obvious choice, costs ~50 ms of
 * import on every command a shell runs in a loop (measured, Node 20). The check is strict:
 * unknown fields, wrong types and non-integers are refused with a message naming the field.
 */
import {MPoolError, type CloseReport, type MPoolStats, type PoolEvent} from '../pool/index.js'
import type {FrameView, PageWrite, PeekResult, PoolInfo, PoolStats} from './handle.js'

/** The ops a client may ask for, with their arguments and results on the wire. */
export interface OpMap {
  /** who is calling (recorded as the holder of pins taken on this connection); `explain` adds events to replies */
  hello: {args: {pid: number; command: string; explain?: boolean}; result: HelloResult}
  /** another opener: a larger maxcache raises the pool's, another pagesize is EINVAL */
  /** policy and hardLimit only when the opener asked for them; record: it asked to record a trace */
  /** file: the FILE the opener named (absolute); a join naming another file than the pool's is refused */
  join: {args: {pagesize: number; maxcache: number; policy?: string; hardLimit?: boolean; readahead?: number; writeBehind?: boolean; journal?: boolean; record?: boolean; file?: string}; result: PoolInfo}
  info: {args: Record<string, never>; result: PoolInfo}
  new: {args: Record<string, never>; result: {pgno: number; page: string}}
  get: {args: {pgno: number}; result: string}
  /** get of pages first to last, pinned whole or not at all; at most maxRangePages(pagesize, false) a request */
  getRange: {args: {first: number; last: number}; result: WirePeek[]}
  put: {args: {pgno: number; dirty?: boolean; write?: {offset: number; bytes: string}}; result: null}
  delete: {args: {pgno: number}; result: null}
  sync: {args: Record<string, never>; result: number}
  stats: {args: Record<string, never>; result: PoolStats}
  frames: {args: Record<string, never>; result: FrameView[]}
  policyState: {args: Record<string, never>; result: Record<string, unknown>}
  peek: {args: {pgno: number; withFile?: boolean}; result: WirePeek}
  /** peek of pages first to last; at most maxRangePages(pagesize, withFile) a request */
  peekRange: {args: {first: number; last: number; withFile?: boolean}; result: WirePeek[]}
  /** start pushing every event of the pool to this connection */
  subscribe: {args: Record<string, never>; result: null}
  unsubscribe: {args: Record<string, never>; result: null}
  /** mpool_close: the pool is dropped (nothing written) and the server exits */
  close: {args: Record<string, never>; result: CloseReport}
  ping: {args: Record<string, never>; result: {pid: number}}
}

export type Op = keyof OpMap

export interface HelloResult {
  info: PoolInfo
  /** the server's pid */
  pid: number
  protocol: number
}

export interface WirePeek {
  pgno: number
  bytes: string
  cached: boolean
  dirty: boolean
  pins: number
  frame: number
  file?: string
}

/** 2: getRange and peekRange (a range of pages in one round trip) */
export const PROTOCOL_VERSION = 2

export interface Request<O extends Op = Op> {
  id: number
  op: O
  args: OpMap[O]['args']
}

export interface WireError {
  code: string
  message: string
  pgno?: number
}

export type Reply =
  | {id: number | null; ok: true; result: unknown; events?: PoolEvent[]}
  | {id: number | null; ok: false; error: WireError; events?: PoolEvent[]}

export interface EventMessage {
  event: PoolEvent
}

/** The longest request line the server reads for a pool of `pagesize`: a put carries one page as base64 (4/3 × pagesize). */
export function maxRequestBytes(pagesize: number): number {
  return Math.min(16 << 20, 4 * pagesize + (64 << 10))
}

/** The longest reply line a client reads: frames() of a very large cache is the biggest reply there is. */
export const MAX_REPLY_BYTES = 256 << 20

/** The most page bytes one getRange or peekRange reply carries (before base64), so a range's reply stays far below MAX_REPLY_BYTES. */
export const MAX_RANGE_BYTES = 16 << 20

/** maxRangePages -- the most pages of `pagesize` one range request may ask for (the file's bytes too, withFile: twice the bytes). */
export function maxRangePages(pagesize: number, withFile: boolean): number {
  return Math.max(1, Math.floor(MAX_RANGE_BYTES / (pagesize * (withFile ? 2 : 1))))
}

/** The longest `command` a hello may name. */
export const MAX_COMMAND_LENGTH = 4096

// ---- request checking -------------------------------------------------------------------

type FieldType = 'uint' | 'int' | 'bool' | 'string' | 'base64' | {[field: string]: Field}

interface Field {
  type: FieldType
  optional?: boolean
}

const uint: Field = {type: 'uint'}
const NO_ARGS: Record<string, Field> = {}

/** The arguments each op takes. */
const ARGS: Record<Op, Record<string, Field>> = {
  hello: {pid: {type: 'int'}, command: {type: 'string'}, explain: {type: 'bool', optional: true}},
  join: {
    pagesize: {type: 'int'},
    maxcache: {type: 'int'},
    policy: {type: 'string', optional: true},
    hardLimit: {type: 'bool', optional: true},
    readahead: {type: 'int', optional: true},
    writeBehind: {type: 'bool', optional: true},
    journal: {type: 'bool', optional: true},
    record: {type: 'bool', optional: true},
    file: {type: 'string', optional: true},
  },
  info: NO_ARGS,
  new: NO_ARGS,
  get: {pgno: uint},
  getRange: {first: uint, last: uint},
  put: {pgno: uint, dirty: {type: 'bool', optional: true}, write: {type: {offset: {type: 'int'}, bytes: {type: 'base64'}}, optional: true}},
  delete: {pgno: uint},
  sync: NO_ARGS,
  stats: NO_ARGS,
  frames: NO_ARGS,
  policyState: NO_ARGS,
  peek: {pgno: uint, withFile: {type: 'bool', optional: true}},
  peekRange: {first: uint, last: uint, withFile: {type: 'bool', optional: true}},
  subscribe: NO_ARGS,
  unsubscribe: NO_ARGS,
  close: NO_ARGS,
  ping: NO_ARGS,
}

/** The ops, in the order they are documented. */
export const OPS = Object.keys(ARGS) as Op[]

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * describe -- a value as a short quote for an error message. Only values already known to be
 * shallow (checkRequest bounds the nesting first) are stringified; a string is cut before it is
 * quoted, so a 16 MB field costs nothing here.
 */
function describe(value: unknown): string {
  if (value === undefined) return 'missing'
  if (nestingExceeds(value)) return Array.isArray(value) ? 'a deeply nested array' : 'a deeply nested object'
  const text = typeof value === 'string' && value.length > 40 ? JSON.stringify(value.slice(0, 40)) : JSON.stringify(value)
  return text.length > 40 ? `${text.slice(0, 37)}...` : text
}

/**
 * The deepest nesting of arrays and objects a message may have. A request is at most three
 * deep (request, args, put's write); anything deeper is refused before any recursive code
 * (JSON.stringify, the field checker) sees it, because 5000 levels overflow V8's stack.
 */
export const MAX_NESTING = 8

/** nestingExceeds -- whether `value` holds arrays or objects more than `limit` deep; iterative, so it cannot overflow. */
export function nestingExceeds(value: unknown, limit = MAX_NESTING): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]]
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!
    if (typeof v !== 'object' || v === null) continue
    if (depth + 1 > limit) return true
    for (const child of Object.values(v)) {
      if (typeof child === 'object' && child !== null) stack.push([child, depth + 1])
    }
  }
  return false
}

/** checkFields -- null if `value` matches `fields`, else what is wrong with it (naming the field by `where`). */
function checkFields(value: unknown, fields: Record<string, Field>, where: string): string | null {
  if (!isPlainObject(value)) return `${where} must be an object, not ${describe(value)}`
  for (const name of Object.keys(value)) {
    if (!Object.hasOwn(fields, name)) {
      const known = Object.keys(fields)
      return `${where} has an unknown field ${JSON.stringify(name)}${known.length > 0 ? ` (it takes ${known.join(', ')})` : ' (it takes none)'}`
    }
  }
  for (const [name, field] of Object.entries(fields)) {
    const v = value[name]
    const at = `${where}.${name}`
    if (v === undefined) {
      if (field.optional) continue
      return `${at} is missing`
    }
    const problem = checkValue(v, field.type, at)
    if (problem !== null) return problem
  }
  return null
}

function checkValue(v: unknown, type: FieldType, at: string): string | null {
  switch (type) {
    case 'uint':
      return Number.isSafeInteger(v) && (v as number) >= 0 ? null : `${at} must be a whole number from 0, not ${describe(v)}`
    case 'int':
      return Number.isSafeInteger(v) ? null : `${at} must be a whole number, not ${describe(v)}`
    case 'bool':
      return typeof v === 'boolean' ? null : `${at} must be true or false, not ${describe(v)}`
    case 'string':
      if (typeof v !== 'string') return `${at} must be a string, not ${describe(v)}`
      return v.length <= MAX_COMMAND_LENGTH ? null : `${at} is ${v.length} characters, more than ${MAX_COMMAND_LENGTH}`
    case 'base64':
      return typeof v === 'string' && BASE64.test(v) ? null : `${at} must be a base64 string`
    default:
      return checkFields(v, type, at)
  }
}

export type Checked = {ok: true; request: Request} | {ok: false; id: number | null; error: WireError}

/**
 * checkRequest -- a parsed line as a request, or the error to reply with. The id is kept when it
 * could be read, so that even a refused request is answered under its own id.
 */
export function checkRequest(message: unknown): Checked {
  if (nestingExceeds(message)) {
    const id = isPlainObject(message) && Number.isSafeInteger(message.id) && (message.id as number) >= 0 ? (message.id as number) : null
    return refuse(id, `a request is nested more than ${MAX_NESTING} levels deep; a request is an object of flat fields`)
  }
  if (!isPlainObject(message)) {
    return refuse(null, `a request must be a JSON object {"id", "op", "args"}, not ${describe(message)}`)
  }
  const id = Number.isSafeInteger(message.id) && (message.id as number) >= 0 ? (message.id as number) : null
  if (id === null) return refuse(null, `a request needs an "id", a whole number from 0, not ${describe(message.id)}`)
  for (const name of Object.keys(message)) {
    if (name !== 'id' && name !== 'op' && name !== 'args') return refuse(id, `a request has only "id", "op" and "args", not ${JSON.stringify(name)}`)
  }
  const op = message.op
  if (typeof op !== 'string' || !Object.hasOwn(ARGS, op)) {
    return refuse(id, `unknown op ${describe(op)}; the ops are ${OPS.join(', ')}`)
  }
  const fields = ARGS[op as Op]
  const args = message.args === undefined ? {} : message.args
  const problem = checkFields(args, fields, `${op} args`)
  if (problem !== null) return {ok: false, id, error: {code: 'EINVAL', message: `bad request: ${problem}`}}
  return {ok: true, request: {id, op: op as Op, args: args as Request['args']}}
}

function refuse(id: number | null, message: string): Checked {
  return {ok: false, id, error: {code: 'EPROTO', message: `bad request: ${message}`}}
}

/**
 * checkServerMessage -- a parsed line from the server as a reply or an event.
 *
 * @throws MPoolError EPROTO if it is neither.
 */
export function checkServerMessage(message: unknown): Reply | EventMessage {
  if (isPlainObject(message)) {
    if (isPlainObject(message.event) && typeof message.event.type === 'string') return message as unknown as EventMessage
    const idOk = message.id === null || Number.isSafeInteger(message.id)
    if (idOk && message.ok === true && 'result' in message && (message.events === undefined || Array.isArray(message.events))) {
      return message as unknown as Reply
    }
    const error = message.error
    if (idOk && message.ok === false && isPlainObject(error) && typeof error.code === 'string' && typeof error.message === 'string') {
      return message as unknown as Reply
    }
  }
  throw new MPoolError('EPROTO', `the pool server sent a message that is not a reply: ${describe(message)}`)
}

// ---- errors -------------------------------------------------------------------------------

/** toWireError -- an error thrown while serving a request, as it goes into a reply. */
export function toWireError(err: unknown): WireError {
  if (err instanceof MPoolError) {
    return err.pgno === undefined ? {code: String(err.code), message: err.message} : {code: String(err.code), message: err.message, pgno: err.pgno}
  }
  const code = (err as NodeJS.ErrnoException)?.code
  return {code: typeof code === 'string' ? code : 'EIO', message: `the pool server failed: ${(err as Error)?.message ?? String(err)}`}
}

/** fromWireError -- an error reply as the MPoolError the caller sees: same code, message and page. */
export function fromWireError(error: WireError): MPoolError {
  return new MPoolError(error.code, error.message, typeof error.pgno === 'number' ? error.pgno : undefined)
}

// ---- page bytes ---------------------------------------------------------------------------
// Pages cross the wire as base64 strings: the server encodes what it sends and decodes what a
// put carries; the client does the reverse. Both ends use these, so the codec is one thing.

/** encodePage -- page bytes as they travel on the wire. */
export function encodePage(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')
}

/** decodePage -- page bytes from the wire, as a Buffer of their own. */
export function decodePage(text: string): Buffer {
  return Buffer.from(text, 'base64')
}

/** The wire form of a put's write. */
export type WireWrite = NonNullable<OpMap['put']['args']['write']>

export function encodeWrite(write: PageWrite): WireWrite {
  return {offset: write.offset, bytes: encodePage(write.bytes)}
}

export function decodeWrite(write: WireWrite): PageWrite {
  return {offset: write.offset, bytes: decodePage(write.bytes)}
}

export function encodePeek(snap: PeekResult): WirePeek {
  const wire: WirePeek = {pgno: snap.pgno, bytes: encodePage(snap.bytes), cached: snap.cached, dirty: snap.dirty, pins: snap.pins, frame: snap.frame}
  if (snap.file !== undefined) wire.file = encodePage(snap.file)
  return wire
}

export function decodePeek(wire: WirePeek): PeekResult {
  const result: PeekResult = {pgno: wire.pgno, bytes: decodePage(wire.bytes), cached: wire.cached, dirty: wire.dirty, pins: wire.pins, frame: wire.frame}
  if (wire.file !== undefined) result.file = decodePage(wire.file)
  return result
}

// ---- framing ------------------------------------------------------------------------------

/** encodeLine -- a message as one line of the protocol. */
export function encodeLine(message: unknown): string {
  return `${JSON.stringify(message)}\n`
}

/**
 * LineSplitter -- cuts a byte stream into lines of at most `maxBytes`.
 *
 * A line longer than that is not kept: `onOversize` is told at once (with the bytes seen so
 * far), and the rest of the line up to its newline is thrown away, so a flood without
 * newlines costs no memory. Lines are decoded as UTF-8 (a newline byte never occurs inside a
 * multi-byte character); the newline and a trailing CR are not part of the line.
 */
export class LineSplitter {
  private parts: Buffer[] = []
  private size = 0
  private discarding = false

  constructor(
    private readonly maxBytes: number,
    private readonly onLine: (line: string) => void,
    private readonly onOversize: (bytes: number) => void,
  ) {}

  /** push -- feed a chunk; calls onLine for each line it completes. */
  push(chunk: Buffer): void {
    let start = 0
    while (start <= chunk.length) {
      const newline = chunk.indexOf(10, start)
      const end = newline === -1 ? chunk.length : newline
      if (!this.discarding && end > start) {
        if (this.size + (end - start) > this.maxBytes) {
          const seen = this.size + (end - start)
          this.parts = []
          this.size = 0
          this.discarding = true
          this.onOversize(seen)
        } else {
          this.parts.push(chunk.subarray(start, end))
          this.size += end - start
        }
      }
      if (newline === -1) return
      start = newline + 1
      if (this.discarding) {
        this.discarding = false
        continue
      }
      const line = this.parts.length === 1 ? this.parts[0]!.toString('utf8') : Buffer.concat(this.parts, this.size).toString('utf8')
      this.parts = []
      this.size = 0
      this.onLine(line.endsWith('\r') ? line.slice(0, -1) : line)
    }
  }

  /** pending -- bytes of an unfinished line held now. */
  get pending(): number {
    return this.size
  }
}

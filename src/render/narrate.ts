/**
 * narrate -- what a pool call did, in plain words, from the events it caused.
 *
 * `get 7` on a full pool whose least recent page is dirty causes miss 7, write 2 (evict),
 * evict 2, read 7, pin 7; that is told as
 *
 *     get 7: miss; evicted page 2 (dirty, written at offset 8192); read page 7 at offset 28672; pinned (1)
 *
 * With read-ahead on, a miss that reads 12-19 in one read is told as
 *
 *     get 12: miss; read pages 12-19 at offset 49152 in one read; 13-19 prefetched; pinned (1)
 *
 * Policy: one phrase per step, in the order the engine took them, joined by "; ". A write
 * that makes room for an eviction is folded into the eviction's phrase. Phrases name page
 * numbers and file offsets, never frames' internals beyond the frame number, and an eviction
 * carries the policy's own reason for its victim when the pool gave one (render/reasons.ts):
 * `evicted page 2 from frame 1 (clean, nothing to write) — lru: least recently used`. Both `--explain`
 * and the REPL print these; nothing here knows about colour or terminals.
 */
import type {PoolEvent, VictimReason} from '../pool/index.js'
import {reasonText} from './reasons.js'

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`
}

/** chosen -- " — lru: least recently used" for an eviction whose policy said why, else nothing. */
function chosen(why: VictimReason | undefined): string {
  return why === undefined ? '' : ` — ${why.policy}: ${reasonText(why)}`
}

function pageList(pgnos: readonly number[]): string {
  return pgnos.length === 1 ? `page ${pgnos[0]}` : `pages ${pgnos.join(', ')}`
}

/**
 * phrases -- one plain phrase per step of `events`, in order (a dirty eviction's write and the
 * eviction make one phrase). An empty list gives no phrases.
 */
export function phrases(events: readonly PoolEvent[]): string[] {
  const out: string[] = []
  for (let i = 0; i < events.length; i++) {
    const e = events[i]
    const next = events[i + 1]
    switch (e.type) {
      case 'hit':
        out.push(e.prefetched === true ? `read ahead earlier: no read (frame ${e.frame})` : `hit (frame ${e.frame})`)
        break
      case 'miss':
        out.push('miss')
        break
      case 'read':
        if (e.pages !== undefined && e.pages > 1) {
          // a read-ahead: the prefetch events that follow are told in this phrase
          const last = e.pgno + e.pages - 1
          let ahead = 0
          while (events[i + 1]?.type === 'prefetch') {
            ahead++
            i++
          }
          const kept = ahead === e.pages - 1 ? `${e.pgno + 1}-${last}` : `${ahead} of ${e.pgno + 1}-${last}`
          out.push(`read pages ${e.pgno}-${last} at offset ${e.offset} in one read; ${kept} prefetched`)
        } else if (e.bytes === 0) out.push(`page ${e.pgno} is not on the file yet: zeros into frame ${e.frame}`)
        else out.push(`read page ${e.pgno} at offset ${e.offset} into frame ${e.frame}`)
        break
      case 'write':
        if (e.reason === 'evict' && e.pages > 1 && next?.type === 'evict' && next.pgno >= e.pgno && next.pgno < e.pgno + e.pages) {
          const behind = e.pages - 1
          out.push(`evicted page ${next.pgno} from frame ${next.frame} (dirty; written with ${plural(behind, 'dirty neighbour')} behind it: pages ${e.pgno}-${e.pgno + e.pages - 1} in one write at offset ${e.offset})${chosen(next.why)}`)
          i++
        } else if ((e.reason === 'evict' || e.reason === 'shrink') && next?.type === 'evict' && next.pgno === e.pgno) {
          const why = next.reason === 'shrink' ? 'gave back' : 'evicted'
          out.push(`${why} page ${e.pgno} from frame ${next.frame} (dirty, written at offset ${e.offset})${chosen(next.why)}`)
          i++
        } else if (e.pages > 1) {
          out.push(`wrote pages ${e.pgno}-${e.pgno + e.pages - 1} at offset ${e.offset} (${e.bytes} bytes)`)
        } else {
          out.push(`wrote page ${e.pgno} at offset ${e.offset}`)
        }
        break
      case 'evict':
        out.push(`${e.reason === 'shrink' ? 'gave back' : 'evicted'} page ${e.pgno} from frame ${e.frame} (${e.dirty ? 'dirty' : 'clean, nothing to write'})${chosen(e.why)}`)
        break
      case 'prefetch':
        out.push(`page ${e.pgno} read ahead into frame ${e.frame}`)
        break
      case 'pin':
        out.push(`pinned (${e.pins})`)
        break
      case 'unpin':
        out.push(`unpinned (${e.pins} left)${e.dirtied ? ', marked dirty' : e.dirty ? ', still dirty' : ''}`)
        break
      case 'new':
        out.push(`new page ${e.pgno} at the end of the file, in frame ${e.frame}`)
        break
      case 'delete':
        out.push(`dropped page ${e.pgno} from frame ${e.frame} without writing it${e.dirty ? ' (its changes are lost)' : ''}`)
        break
      case 'grow':
        out.push(`every frame pinned: the cache grew to ${plural(e.cached, 'page')}, past maxcache ${e.maxcache}`)
        break
      case 'maxcache':
        out.push(`maxcache raised to ${e.maxcache}`)
        break
      case 'sync':
        out.push(e.pages === 0 ? 'nothing dirty to write' : `synced ${plural(e.pages, 'page')} in ${plural(e.writes, 'write')}, then flushed the file`)
        break
      case 'close': {
        const parts = ['closed']
        parts.push(e.dirty.length === 0 ? 'no dirty pages dropped' : `dropped dirty ${pageList(e.dirty)} unwritten`)
        if (e.pinned.length > 0) parts.push(`${pageList(e.pinned)} still pinned`)
        out.push(parts.join(', '))
        break
      }
      default:
        out.push(`${(e as {type: string}).type}`)
    }
  }
  return out
}

/**
 * narrate -- one line: the call's label (e.g. `get 7`), a colon, and its phrases; "nothing
 * happened in the pool" when the call caused no event.
 */
export function narrate(label: string, events: readonly PoolEvent[]): string {
  const said = phrases(events)
  return `${label}: ${said.length === 0 ? 'nothing changed in the pool' : said.join('; ')}`
}

/**
 * app -- the REPL's root: lays the panes out on the whole screen and owns exit().
 *
 *   header        data.db (private) · pagesize 4096 · npages 64 · frames 3/4 · over 0 · policy lru
 *   grid          eviction order →  ▸ next victim  p pins  * dirty  + over maxcache  · free
 *                 ▸2      5 p1    7   *   ·
 *   counters      hits 1 · misses 3 · hit rate 25.0% · reads 3 · writes 0 · evictions 0 · ...
 *   hex pane      page 7 · offset 28672 · frame 2 · pins 0 · dirty · 2 bytes changed since read
 *                 00007000: 68 69 08 08 ...
 *   narration     get 7: miss; read page 7 at offset 28672 into frame 2; pinned (1)
 *   status        ✗ errors, "running…", Tab's candidates
 *   prompt        mpool> _
 *   help          the keys
 *
 * Policy, in a sentence each (Shopify cli-kit's FullScreen, @inkjs/ui's components):
 *  - One root owns exit(): quit, Ctrl-D on an empty line, Ctrl-C, `close`, or the pool going
 *    away end the app here and nowhere else; the caller learns how through onExit.
 *  - The screen is never taller than rows - 1 nor wider than the columns, and follows resizes.
 *  - Each pane is a pure view; input goes to the prompt or the grid, whichever has the focus.
 *  - Ctrl-T, from the prompt or the grid, turns the page pane's decoded view on and off; on a
 *    plain page file it says in one line that there is no format to decode by.
 *  - Lines run one at a time through the dispatcher, the same one the script runner uses;
 *    an error is shown on the status line and the REPL goes on.
 */
import path from 'node:path'
import {useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore} from 'react'
import {Box, Text, useApp, useInput, useStdin, useStdout} from 'ink'
import type {CloseReport, PoolEvent} from '../pool/index.js'
import {narrate} from '../render/narrate.js'
import type {Palette} from '../render/palette.js'
import {shownPage, useAppState} from './app-state.js'
import {counterLines, Counters} from './counters.js'
import type {Dispatcher, LineOutcome} from './dispatch-types.js'
import {GridView, useGridInput} from './frame-grid.js'
import {gridModel, pageCells} from './grid.js'
import {useGridState} from './grid-state.js'
import {Header, policyLine} from './header.js'
import {decodedBody, HexPane, pageBody, textBody, clampScroll, type HexBody} from './hex-pane.js'
import {layout} from './layout.js'
import {narrateForeign, Narration, narrationLines} from './narration.js'
import {PromptView, usePromptInput} from './prompt.js'
import {usePromptState} from './prompt-state.js'
import {HelpLine, Status} from './status.js'
import {ColourContext} from './tint.js'
import {touchedPage, type PoolWatcher} from './watcher.js'

/** How the REPL ended. */
export type ReplEnd =
  | {how: 'quit'}
  /** `close` was typed: the pool is closed, and this is what it dropped */
  | {how: 'closed'; report: CloseReport}
  /** somebody else closed the shared pool */
  | {how: 'closed-elsewhere'; report: CloseReport}
  | {how: 'gone'; message: string}

export interface AppProps {
  watcher: PoolWatcher
  dispatcher: Dispatcher
  /** the key of the shared pool the REPL is attached to; null for a private pool */
  attachedKey: string | null
  palette: Palette | null
  onExit: (end: ReplEnd) => void
  /** a fixed size (tests); by default the terminal's, following resizes */
  size?: {columns: number; rows: number}
}

/** useTerminalSize -- the terminal's columns and rows, updated on 'resize'. */
export function useTerminalSize(fixed?: {columns: number; rows: number}): {columns: number; rows: number} {
  const {stdout} = useStdout()
  const read = () => ({columns: stdout.columns || 80, rows: stdout.rows || 24})
  const [size, setSize] = useState(read)
  useEffect(() => {
    if (fixed !== undefined) return
    const onResize = () => setSize(read())
    stdout.on('resize', onResize)
    return () => {
      stdout.off('resize', onResize)
    }
  }, [stdout, fixed])
  return fixed ?? size
}

/** The verbs whose text is a view of one page: the hex pane shows that page instead. */
const PAGE_VERBS = new Set(['get', 'new', 'put', 'delete'])

/** outcomeLog -- the log lines of a verb's outcome: its narration, and its text when that is one short line. */
export function outcomeLog(outcome: Extract<LineOutcome, {kind: 'verb'}>): {kind: 'own' | 'note'; text: string}[] {
  const out: {kind: 'own' | 'note'; text: string}[] = [{kind: 'own', text: narrate(outcome.label, outcome.events)}]
  const text = outcome.text.trim()
  if (text !== '' && !text.includes('\n') && !PAGE_VERBS.has(outcome.verb)) out.push({kind: 'note', text})
  return out
}

/** longOutput -- the text to show in the hex pane's place, for verbs whose text is long and not a page. */
export function longOutput(outcome: Extract<LineOutcome, {kind: 'verb'}>): {title: string; text: string} | null {
  const text = outcome.text.replace(/\s+$/, '')
  if (!text.includes('\n') || PAGE_VERBS.has(outcome.verb) || outcome.pgno !== null) return null
  return {title: `${outcome.label} (Esc hides it)`, text}
}

/** App -- the REPL. */
export function App({watcher, dispatcher, attachedKey, palette, onExit, size}: AppProps) {
  const {exit} = useApp()
  const {columns, rows} = useTerminalSize(size)
  const picture = useSyncExternalStore(watcher.onChange, watcher.current)
  const [app, dispatch] = useAppState()
  const [prompt, promptDispatch] = usePromptState()
  const [grid, gridDispatch] = useGridState()
  const [decodedOn, setDecodedOn] = useState(false)
  const ended = useRef(false)
  const focusRef = useRef(app.focus)
  focusRef.current = app.focus

  const finish = useCallback(
    (end: ReplEnd) => {
      if (ended.current) return
      ended.current = true
      onExit(end)
      exit()
    },
    [exit, onExit],
  )

  // Ctrl-C quits from anywhere: this root owns exit (Ink's own Ctrl-C handling is off).
  useInput((input, key) => {
    if (key.ctrl && input === 'c') finish({how: 'quit'})
    else if (key.ctrl && input === 't') {
      const info = watcher.current()?.info
      if (info !== undefined && (info.format ?? null) === null) dispatch({type: 'note', kind: 'error', text: `no format: ${info.file === null ? 'the file' : path.basename(info.file)} is a plain page file, nothing to decode`})
      else setDecodedOn((on) => !on)
    }
  })
  useEffect(() => watcher.showDecoded(decodedOn), [watcher, decodedOn])
  // The end of input (the terminal went away, or Ctrl-D before raw mode was on) quits too.
  const {stdin} = useStdin()
  useEffect(() => {
    const onEnd = () => finish({how: 'quit'})
    stdin.on('end', onEnd)
    return () => {
      stdin.off('end', onEnd)
    }
  }, [stdin, finish])

  // Events somebody else caused, and the pool closing under us.
  useEffect(() => {
    watcher.setHandlers({
      onOthers: (events: PoolEvent[]) => dispatch({type: 'others', lines: narrateForeign(events), touched: touchedPage(events)}),
      onClosed: (event) => finish({how: 'closed-elsewhere', report: {dirty: event.dirty, pinned: event.pinned}}),
      onError: (error) => dispatch({type: 'note', kind: 'error', text: `cannot refresh the picture: ${error.message}`}),
      onGone: (error) => finish({how: 'gone', message: error.message}),
    })
  }, [watcher, finish, dispatch])

  // Take the lines the prompt submitted, then run them one at a time. Only the lines taken are
  // drained: keys read between this render and this effect may have submitted more.
  useEffect(() => {
    if (prompt.submitted.length === 0) return
    for (const line of prompt.submitted) dispatch({type: 'enter', line})
    promptDispatch({type: 'drain', count: prompt.submitted.length})
  }, [prompt.submitted, dispatch])
  useEffect(() => {
    if (app.running === null && app.queue.length > 0) dispatch({type: 'start'})
  }, [app.running, app.queue, dispatch])
  useEffect(() => {
    const line = app.running
    if (line === null) return
    watcher.beginCommand()
    const settle = async (outcome: LineOutcome): Promise<void> => {
      watcher.endCommand(outcome.kind === 'verb' ? outcome.events : [])
      switch (outcome.kind) {
        case 'skip':
          dispatch({type: 'done', log: [], touched: null})
          return
        case 'quit':
          finish({how: 'quit'})
          return
        case 'help':
          dispatch({type: 'done', log: [], touched: null, output: {title: 'help (Esc hides it)', text: outcome.text}})
          return
        case 'verb': {
          if (outcome.closed !== null) {
            finish({how: 'closed', report: outcome.closed})
            return
          }
          // The picture is brought up to date first, so the result and the pool show together.
          const touched = outcome.pgno ?? touchedPage(outcome.events)
          if (touched !== null && focusRef.current === 'prompt') watcher.showPage(touched, {schedule: false})
          await watcher.refresh()
          dispatch({type: 'done', log: outcomeLog(outcome), touched, output: longOutput(outcome)})
        }
      }
    }
    dispatcher.run(line).then(settle, (err: unknown) => {
      watcher.endCommand([])
      dispatch({type: 'failed', line, message: err instanceof Error ? err.message : String(err)})
    })
  }, [app.running, dispatcher, watcher, dispatch, finish])

  // The grid: its cells, its window, its selection.
  const frames = picture?.frames ?? []
  const maxcache = picture?.stats.maxcache ?? 0
  const labels = picture?.labels
  const cells = useMemo(() => pageCells(frames, maxcache, labels), [frames, maxcache, labels])
  useEffect(() => gridDispatch({type: 'clamp', count: cells.length}), [cells.length, gridDispatch])
  const gridPage = app.focus === 'grid' ? cells[grid.index]?.pgno ?? null : null
  const target = app.focus === 'grid' ? gridPage : shownPage(app)
  useEffect(() => watcher.showPage(target), [watcher, target])

  // The hex pane's body: a long output, else the page on show.
  let body: HexBody | null = null
  if (app.output !== null && app.focus === 'prompt') body = textBody(app.output.title, app.output.text)
  else if (picture?.page != null && picture.page.pgno === target) {
    // who holds the pins is worth showing only where others can hold them: a shared pool
    const holders = attachedKey === null ? [] : picture.frames.find((f) => f.pgno === target)?.holders ?? []
    const decoded = decodedOn ? picture.page.decoded : undefined
    body = decoded === undefined ? pageBody(picture.page, picture.stats.pagesize, palette, holders) : decodedBody(picture.page, decoded, picture.stats.pagesize, palette, holders)
  }

  const hasPolicyLine = picture !== null && policyLine(picture.policy) !== null
  const {rowsNeeded, perRow} = gridModel(frames, maxcache, columns, 1, -1, labels)
  const narrationNeeded = useMemo(() => narrationLines(app.log, columns, 50).length, [app.log, columns])
  const counterRowsNeeded = picture === null ? 1 : counterLines(picture.stats, columns).length
  const lay = layout({rows, columns, gridRowsNeeded: rowsNeeded, policyLine: hasPolicyLine, counterRowsNeeded, hexRowsNeeded: body?.lines.length ?? 1, narrationRowsNeeded: narrationNeeded})
  const hexRoom = Math.max(0, lay.hexRows - 1)

  usePromptInput({
    isActive: app.focus === 'prompt',
    state: prompt,
    dispatch: promptDispatch,
    completions: dispatcher.completions,
    onFocusGrid: () => dispatch({type: 'focus', focus: 'grid'}),
    onQuit: () => finish({how: 'quit'}),
    onDismiss: () => dispatch({type: 'dismiss'}),
    onScroll: (delta) => dispatch({type: 'scroll', delta, current: body === null ? 0 : clampScroll(body, hexRoom, app.hexScroll)}),
  })
  useGridInput({
    isActive: app.focus === 'grid',
    perRow,
    count: cells.length,
    dispatch: gridDispatch,
    onKeep: () => dispatch({type: 'keep', pgno: gridPage}),
    onLeave: () => dispatch({type: 'keep', pgno: null}),
  })

  const width = columns
  if (picture === null) {
    return (
      <Box width={width} height={lay.height}>
        <Text>opening the pool…</Text>
      </Box>
    )
  }

  const emptyHex = target === null ? 'no page yet: get N shows page N here (or Tab on an empty line to pick one from the grid)' : picture.pageError ?? `page ${target}: loading…`
  // no palette means no colour (NO_COLOR, or a terminal without it): no pane may send one
  return (
    <ColourContext.Provider value={palette !== null}>
      <Box flexDirection="column" width={width} height={lay.height} overflow="hidden">
        {lay.headerRows > 0 ? <Header picture={picture} attachedKey={attachedKey} width={width} rows={lay.headerRows} /> : null}
        {lay.gridRows > 0 ? <GridView frames={frames} maxcache={maxcache} labels={labels} width={width} rows={lay.gridRows} selected={app.focus === 'grid' ? grid.index : -1} focused={app.focus === 'grid'} /> : null}
        {lay.counterRows > 0 ? <Counters stats={picture.stats} width={width} rows={lay.counterRows} /> : null}
        <HexPane body={body} rows={lay.hexRows} width={width} scroll={app.hexScroll} empty={emptyHex} />
        <Narration log={app.log} width={width} rows={lay.narrationRows} />
        {lay.statusRows > 0 ? <Status width={width} error={app.error} running={app.running} queued={app.queue.length} candidates={prompt.candidates} focus={app.focus} gridPage={gridPage} /> : null}
        <PromptView state={prompt} width={width} focused={app.focus === 'prompt'} running={app.running !== null} />
        {lay.helpRows > 0 ? <HelpLine width={width} /> : null}
      </Box>
    </ColourContext.Provider>
  )
}

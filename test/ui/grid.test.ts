/*
 * The frame grid as data: cells in eviction order, the next victim, frames over maxcache,
 * free frames, the window that scrolls; and the selection reducer that moves over it.
 */
import assert from 'node:assert/strict'
import type {FrameView} from '../../src/session/handle.js'
import {cellText, cellWidth, gridModel, pageCells} from '../../src/ui/grid.js'
import {gridReducer} from '../../src/ui/grid-state.js'

function frame(pgno: number, pins = 0, dirty = false, f = pgno): FrameView {
  return {frame: f, pgno, pins, dirty, holders: []}
}

describe('grid', () => {
  describe('pageCells', () => {
    it('marks the first unpinned page in eviction order as the next victim', () => {
      const cells = pageCells([frame(4, 1), frame(2, 0, true), frame(7)], 4)
      assert.deepEqual(cells.map((c) => c.victim), [false, true, false])
      assert.deepEqual(cells.map((c) => c.state), ['pinned', 'dirty', 'clean'])
    })

    it('marks no victim when every page is pinned', () => {
      assert.ok(pageCells([frame(1, 1), frame(2, 2)], 2).every((c) => !c.victim))
    })

    it('marks the cells past maxcache as over the limit', () => {
      const cells = pageCells([frame(1, 1), frame(2, 1), frame(3, 1)], 2)
      assert.deepEqual(cells.map((c) => c.over), [false, false, true])
    })
  })

  describe('cellText', () => {
    it('draws marker, page, pins and dirty in exactly the cell width', () => {
      const w = cellWidth(12)
      const [victim, pinned, over] = pageCells([frame(3, 0, true), frame(12, 2), frame(5, 1)], 2)
      assert.equal(cellText(victim, w), '▸ 3    *')
      assert.equal(cellText(pinned, w), ' 12 p2  ')
      assert.equal(cellText(over, w), '+ 5 p1  ')
      for (const c of [victim, pinned, over]) assert.equal(cellText(c, w).length, w)
    })

    it('marks a page read ahead and not yet asked for with ~', () => {
      const [cell] = pageCells([{...frame(9), prefetched: true}], 4)
      assert.equal(cell.prefetched, true)
      assert.equal(cellText(cell, cellWidth(9)), '▸9    ~')
    })

    it('caps a large pin count so the cell keeps its width', () => {
      const [cell] = pageCells([frame(1, 1234)], 4)
      assert.equal(cellText(cell, cellWidth(1)), ' 1 p99 ')
    })
  })

  describe('gridModel', () => {
    it('fills the rest of the window with free frames up to maxcache', () => {
      const model = gridModel([frame(1), frame(2)], 5, 80, 2)
      const cells = model.rows.flat()
      assert.equal(cells.length, 5)
      assert.deepEqual(cells.map((c) => c.state), ['clean', 'clean', 'free', 'free', 'free'])
    })

    it('draws no more free frames than the window holds, however large maxcache is', () => {
      const model = gridModel([frame(1)], 1_000_000, 80, 2)
      assert.equal(model.rows.flat().length, 2 * model.perRow)
    })

    it('scrolls the window to keep the selected cell in sight', () => {
      const frames = Array.from({length: 50}, (_, i) => frame(i))
      const model = gridModel(frames, 50, 44, 2, 45)
      assert.equal(model.perRow, 5)
      assert.equal(model.rowsNeeded, 10)
      assert.equal(model.above, 8)
      assert.equal(model.below, 0)
      assert.ok(model.rows.flat().some((c) => c.position === 45))
      assert.equal(model.rows.length, 2)
    })

    it('never draws a row wider than the width', () => {
      for (const width of [10, 33, 80, 101]) {
        const model = gridModel(Array.from({length: 30}, (_, i) => frame(i * 1000, i % 3, i % 2 === 0)), 40, width, 10)
        for (const row of model.rows) assert.ok(row.length * (model.cellWidth + 1) - 1 <= Math.max(width, model.cellWidth), `width ${width}`)
      }
    })
  })

  describe('gridReducer', () => {
    const move = (index: number, dx: number, dy: number, count = 10, perRow = 4) => gridReducer({index}, {type: 'move', dx, dy, perRow, count}).index

    it('moves by a cell left and right and by a row up and down', () => {
      assert.equal(move(1, 1, 0), 2)
      assert.equal(move(1, -1, 0), 0)
      assert.equal(move(1, 0, 1), 5)
      assert.equal(move(5, 0, -1), 1)
    })

    it('stays within the cells there are', () => {
      assert.equal(move(0, -1, 0), 0)
      assert.equal(move(9, 1, 0), 9)
      assert.equal(move(8, 0, 1), 8)
      assert.equal(move(1, 0, -1), 1)
      assert.equal(move(3, 0, 0, 0), -1)
    })

    it('clamps the selection when the cache shrinks, and jumps to either end', () => {
      assert.equal(gridReducer({index: 7}, {type: 'clamp', count: 3}).index, 2)
      assert.equal(gridReducer({index: 7}, {type: 'first'}).index, 0)
      assert.equal(gridReducer({index: 0}, {type: 'last', count: 6}).index, 5)
    })
  })
})

/*
 * The REPL's layout: every pane's rows for a terminal size, never more than rows - 1 in all.
 */
import assert from 'node:assert/strict'
import fc from 'fast-check'
import {layout, type Layout} from '../../src/ui/layout.js'

function total(l: Layout): number {
  return l.headerRows + l.gridRows + l.counterRows + l.hexRows + l.narrationRows + l.statusRows + l.promptRows + l.helpRows
}

describe('layout', () => {
  it('gives every pane its place at 80×24 and uses rows - 1 lines in all', () => {
    const l = layout({rows: 24, columns: 80, gridRowsNeeded: 1, policyLine: false})
    assert.equal(l.height, 23)
    assert.equal(total(l), 23)
    assert.equal(l.headerRows, 1)
    assert.equal(l.gridRows, 2)
    assert.equal(l.counterRows, 1)
    assert.equal(l.statusRows, 1)
    assert.equal(l.promptRows, 1)
    assert.equal(l.helpRows, 1)
    assert.ok(l.hexRows >= 10, `hex pane rows ${l.hexRows}`)
    assert.ok(l.narrationRows >= 2)
  })

  it('gives the counters every line they need at 80×24, taken from the hex pane', () => {
    const one = layout({rows: 24, columns: 80, gridRowsNeeded: 1, policyLine: true})
    const two = layout({rows: 24, columns: 80, gridRowsNeeded: 1, policyLine: true, counterRowsNeeded: 2})
    assert.equal(two.counterRows, 2)
    assert.equal(total(two), 23)
    assert.equal(two.hexRows, one.hexRows - 1)
  })

  it('adds the policy line to the header when the policy has state', () => {
    assert.equal(layout({rows: 24, columns: 80, gridRowsNeeded: 1, policyLine: true}).headerRows, 2)
  })

  it('gives the grid the rows it needs, up to a third of the room left', () => {
    assert.equal(layout({rows: 40, columns: 80, gridRowsNeeded: 3, policyLine: false}).gridRows, 4)
    const big = layout({rows: 24, columns: 80, gridRowsNeeded: 100, policyLine: false})
    assert.ok(big.gridRows > 2 && big.gridRows <= 6, `grid rows ${big.gridRows}`)
  })

  it('gives the narration the rows a short hex body leaves', () => {
    const l = layout({rows: 30, columns: 100, gridRowsNeeded: 1, policyLine: false, hexRowsNeeded: 3})
    assert.equal(l.hexRows, 4)
    assert.equal(total(l), 29)
    assert.ok(l.narrationRows > 5)
  })

  it('gives the narration more than 2 rows only when it has more to say', () => {
    const quiet = layout({rows: 30, columns: 100, gridRowsNeeded: 1, policyLine: false, hexRowsNeeded: 100, narrationRowsNeeded: 1})
    const talkative = layout({rows: 30, columns: 100, gridRowsNeeded: 1, policyLine: false, hexRowsNeeded: 100, narrationRowsNeeded: 9})
    assert.equal(quiet.narrationRows, 2)
    assert.equal(talkative.narrationRows, 5)
    assert.equal(quiet.hexRows, talkative.hexRows + 3)
  })

  it('keeps the prompt on a terminal too small for anything else', () => {
    const l = layout({rows: 2, columns: 20, gridRowsNeeded: 5, policyLine: true})
    assert.equal(l.promptRows, 1)
    assert.equal(total(l), 1)
  })

  it('never uses more than rows - 1 lines nor a negative count, whatever the size', () => {
    fc.assert(
      fc.property(fc.integer({min: 1, max: 200}), fc.integer({min: 1, max: 400}), fc.integer({min: 0, max: 1000}), fc.boolean(), fc.option(fc.integer({min: 0, max: 5000})), (rows, columns, needed, policy, hex) => {
        const l = layout({rows, columns, gridRowsNeeded: needed, policyLine: policy, ...(hex === null ? {} : {hexRowsNeeded: hex})})
        for (const [name, value] of Object.entries(l)) assert.ok(Number.isInteger(value) && value >= 0, `${name} = ${value}`)
        assert.ok(total(l) <= Math.max(1, rows - 1), `total ${total(l)} for ${rows} rows`)
        if (rows >= 24) assert.equal(total(l), rows - 1)
      }),
      {seed: 4242, numRuns: 500},
    )
  })
})

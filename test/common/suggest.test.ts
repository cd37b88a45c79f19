import assert from 'node:assert/strict'
import {closest, editDistance} from '../../src/common/suggest.js'

describe('suggestions for a mistyped word', () => {
  it('count a swap of neighbours as one edit, like an insertion, a deletion or a substitution', () => {
    assert.equal(editDistance('gte', 'get'), 1)
    assert.equal(editDistance('stas', 'stats'), 1)
    assert.equal(editDistance('dumpp', 'dump'), 1)
    assert.equal(editDistance('put', 'get'), 2)
    assert.equal(editDistance('', 'ls'), 2)
  })

  it('suggest the nearest command when it is close, and nothing for a word like none of them', () => {
    const commands = ['close', 'delete', 'dump', 'get', 'ls', 'new', 'open', 'put', 'stats', 'sync']
    assert.equal(closest('gte', commands), 'get')
    assert.equal(closest('stast', commands), 'stats')
    assert.equal(closest('oepn', commands), 'open')
    assert.equal(closest('frobnicate', commands), null)
    assert.equal(closest('x', commands), null)
  })
})

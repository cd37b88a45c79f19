import assert from 'node:assert/strict'
import {FORMAT_NAMES, FORMATS, formatNamed} from '../../src/formats/index.js'
import {loadFormat} from '../../src/formats/load.js'

describe('formats/load: the registry, one format at a time', () => {
  it('loads every registered format, with the entry points the registry gives it, and nothing for a name no format has', async () => {
    assert.deepEqual(FORMATS.map((format) => format.name), [...FORMAT_NAMES])
    for (const name of FORMAT_NAMES) {
      const loaded = await loadFormat(name)
      assert.equal(loaded?.name, name)
      assert.deepEqual(Object.entries(loaded!).map(([key, value]) => [key, typeof value === 'function' ? value.name : value]), Object.entries(formatNamed(name)!).map(([key, value]) => [key, typeof value === 'function' ? value.name : value]), name)
    }
    assert.equal(await loadFormat('ext4'), undefined)
  })
})

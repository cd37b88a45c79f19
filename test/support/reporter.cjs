// Mocha's spec reporter, closing with the plain line CI tools read: "N passed, N failed, N skipped".
'use strict'
const Mocha = require('mocha')

const {EVENT_RUN_END} = Mocha.Runner.constants

class SpecWithTally extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options)
    runner.once(EVENT_RUN_END, () => {
      const {passes, failures, pending} = runner.stats
      process.stdout.write(`${passes} passed, ${failures} failed, ${pending} skipped\n`)
    })
  }
}

module.exports = SpecWithTally

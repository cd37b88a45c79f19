/*
 * echo-child -- the server-getput baseline: a bare Unix-socket server (node:net) that answers
 * the pool protocol's get and put lines with replies of the same shape and size, and does
 * nothing else: no pool, no checks beyond JSON.parse, no session layer.
 *
 *   node --import tsx bench/echo-child.ts SOCKET PAGESIZE
 *
 * A get line is answered {"id", "ok": true, "result": <a page of PAGESIZE bytes, base64>}, any
 * other line {"id", "ok": true, "result": null}, as the pool server answers get and put. Prints
 * "ready" on stdout once listening; exits when its stdin closes (the bench ends it that way).
 */
import net from 'node:net'

const [socketPath, pagesizeArg] = process.argv.slice(2)
const pagesize = Number(pagesizeArg)
if (socketPath === undefined || !Number.isInteger(pagesize) || pagesize < 1) {
  process.stderr.write('usage: echo-child.ts SOCKET PAGESIZE\n')
  process.exit(2)
}
const page = Buffer.alloc(pagesize, 0x5a)

const server = net.createServer((socket) => {
  let pending = ''
  socket.setEncoding('utf8')
  socket.on('data', (chunk: string) => {
    pending += chunk
    let nl: number
    while ((nl = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, nl)
      pending = pending.slice(nl + 1)
      const request = JSON.parse(line) as {id: number; op: string}
      const result = request.op === 'get' ? page.toString('base64') : null
      socket.write(`${JSON.stringify({id: request.id, ok: true, result})}\n`)
    }
  })
  socket.on('error', () => socket.destroy())
})
server.listen(socketPath, () => process.stdout.write('ready\n'))
process.stdin.resume()
process.stdin.on('end', () => server.close(() => process.exit(0)))

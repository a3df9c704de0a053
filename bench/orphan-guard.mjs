// Preloaded (`node --import`) into every process the bench starts: when the
// bench's end of our stdin closes — the bench finished, crashed or was killed,
// even with SIGKILL — this process ends itself (SIGTERM first, so the API
// server closes gracefully; exit after 5 s regardless). No process outlives a run.
process.stdin.on('data', () => {})
process.stdin.on('end', () => {
  setTimeout(() => { process.exit(1) }, 5000).unref()
  process.kill(process.pid, 'SIGTERM')
})
process.stdin.on('error', () => {})
// The open stdin keeps the event loop alive: a short-lived script (the load
// worker) must still be able to end by itself.
process.stdin.unref?.()

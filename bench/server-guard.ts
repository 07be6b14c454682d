/**
 * Preloaded into the benchmarked server (`--import`): when the benchmark process goes away
 * (IPC channel closed), the server shuts down like on SIGTERM. It adds nothing else.
 */
process.on('disconnect', () => {
  process.kill(process.pid, 'SIGTERM');
  setTimeout(() => process.exit(1), 20_000).unref();
});

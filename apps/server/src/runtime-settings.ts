/**
 * How production starts the server process (issue 19, item 4: idle memory; figures in
 * docs/PERFORMANCE.md). Not configuration the server reads: settings of Node's V8 and of glibc's
 * allocator, which must be given when the process starts. `npm start` (package.json), the
 * Dockerfile (CMD and ENV) and the bench (bench/server-process.ts) use them;
 * `runtime-settings.test.ts` keeps the three in step with this file.
 */

/**
 * V8 flags: each semi-space of the young generation is at most 4 MiB (V8 sizes it from the
 * machine's memory: 64 MiB on a 24 GiB host, and the server's start-up grows it there and never
 * shrinks it: ≈ 100 MiB resident for ≈ 25 MiB of young objects). Applies to every isolate, so the
 * embedded database's thread too. 4 instead of 8: ≈ 17 MiB less idle RSS, with no CPU cost the
 * bench can see (more, shorter scavenges; docs/PERFORMANCE.md, "the young generation at 2 × 4 MiB").
 */
export const SERVER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=4'];

/**
 * glibc's malloc serves blocks of 8 KiB and more with their own mmap and unmaps them when freed.
 * V8 compiles Postgres' WebAssembly (and tiers its hot functions up) in 8–32 KiB zone segments on
 * its background threads, ≈ 600 MiB at the peak, and compiles each Postgres function on its first
 * call (lazily, with Liftoff) on the database's thread, in the same segments; with glibc's default
 * (a threshold that starts at 128 KiB and only grows) that memory stays in the threads' arenas
 * after it is freed: ≈ 150 MiB of the idle server at 128 KiB, ≈ 20 MiB at 32 KiB (the segments of
 * 8 and 16 KiB, in the database thread's arena; docs/PERFORMANCE.md, third pass). Ignored by
 * other C libraries (musl, macOS); an operator's own GLIBC_TUNABLES wins (`npm start` keeps it).
 */
export const SERVER_PROCESS_ENV: Readonly<Record<string, string>> = {
  GLIBC_TUNABLES: 'glibc.malloc.mmap_threshold=8192',
};

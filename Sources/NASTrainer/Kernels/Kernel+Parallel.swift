import Dispatch

extension Kernel {
    /// Runs `body` on `parallelism` contiguous, disjoint chunks of `0..<count`, concurrently when
    /// `parallelism > 1` (`WorkerTeam.perform`), else on the calling thread.
    ///
    /// Used by the memory-bound kernels (im2col, col2im, ReLU, bias broadcast) whose chunks write
    /// disjoint parts of one buffer, so the result does not depend on `parallelism`. Chunks
    /// smaller than `minimumChunk` are not worth a thread hop.
    static func forEachChunk(of count: Int, parallelism: Int, minimumChunk: Int = 1, _ body: (Range<Int>) -> Void) {
        forEachNumberedChunk(of: count, parallelism: parallelism, minimumChunk: minimumChunk) { _, range in body(range) }
    }

    /// Number of chunks `forEachChunk` and `forEachNumberedChunk` cut `0..<count` into: `parallelism`,
    /// or fewer when chunks would be smaller than `minimumChunk`; at least 1.
    static func chunkCount(of count: Int, parallelism: Int, minimumChunk: Int = 1) -> Int {
        precondition(parallelism >= 1, "parallelism must be at least 1")
        return min(parallelism, max(1, count / max(minimumChunk, 1)))
    }

    /// Like `forEachChunk`, also passing each chunk's number (`0..<chunkCount(...)`, in order of
    /// the ranges), so that a chunk can write its own partial result (e.g. a weight gradient) for
    /// a reduction in fixed chunk order afterwards.
    static func forEachNumberedChunk(of count: Int, parallelism: Int, minimumChunk: Int = 1, _ body: (Int, Range<Int>) -> Void) {
        let chunks = chunkCount(of: count, parallelism: parallelism, minimumChunk: minimumChunk)
        guard chunks > 1 else {
            body(0, 0..<count)
            return
        }
        withoutActuallyEscaping(body) { body in
            // The chunks are disjoint and `body` only writes inside its own chunk.
            nonisolated(unsafe) let work = body
            WorkerTeam.perform(iterations: chunks) { chunk in
                work(chunk, (chunk * count / chunks)..<((chunk + 1) * count / chunks))
            }
        }
    }
}

import Foundation
internal import CLAPACKE

/// OpenBLAS runs on one thread inside Ionics, unless `OPENBLAS_NUM_THREADS` says
/// otherwise. The dense blocks our solvers hand to BLAS (UMFPACK's frontal matrices,
/// LAPACKE's band LU) are small, and OpenBLAS's worker threads spin in `sched_yield`
/// between them: on the 2D example 45 % of the run went to the scheduler. Ionics
/// parallelises at its own level (Dispatch over faces, `--jobs` over presets).
enum BLASThreads {
    /// Applied once, before the first factorisation.
    static let configured: Bool = {
        if ProcessInfo.processInfo.environment["OPENBLAS_NUM_THREADS"] == nil {
            openblas_set_num_threads(1)
        }
        return true
    }()

    static func configure() { _ = configured }
}

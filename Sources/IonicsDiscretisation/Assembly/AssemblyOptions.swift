import Foundation
public import IonicsLinearAlgebra
import Synchronization

/// How an assembly pass runs: which kernel evaluates the interior continuity faces, and
/// on how many threads.
///
/// ``PNPDiscretisation/evaluate(_:time:f:jacobian:)`` (and every solver through it) uses
/// ``automatic(for:)``: the vectorised plan, in 1D as in 2D (on the default device it
/// takes 10 % fewer instructions than the scalar reference, which walks the face kinds and
/// copies each face's record on every pass), on ``defaultThreads`` threads when a 2D mesh
/// has at least ``parallelCells`` cells. Both kernels compute the same formulas; they
/// differ by rounding (the SIMD Bernoulli function and the order of the sums), well below
/// 1e-13 relative. The parallel
/// pass sums every entry in the same order as the vectorised pass on one thread, except
/// where a block of cells is thinner than two rows (see `PlanAssembly.swift`).
public struct AssemblyOptions: Sendable, Equatable {
    public enum Kernel: String, Sendable, CaseIterable {
        /// Every face through its scalar kernel, in face order (the reference).
        case scalar
        /// Interior continuity faces through ``PNPDiscretisation``'s precomputed plan: the
        /// Jacobian positions resolved once, the Bernoulli function eight lanes at a time.
        case vectorised
    }

    public var kernel: Kernel
    /// Threads of the vectorised kernel (≥ 1). Used only where the plan cuts the mesh into
    /// blocks (2D, at least ``parallelCells`` cells) and no face record is being written.
    public var threads: Int

    public init(kernel: Kernel = .vectorised, threads: Int = 1) {
        precondition(threads >= 1, "at least one assembly thread")
        self.kernel = kernel
        self.threads = threads
    }

    /// 2D meshes of at least this many cells are cut into blocks for threads: below it a
    /// pass takes well under a millisecond and threads would cost more than they save.
    public static let parallelCells = 20_000

    private static let threadCount = Atomic<Int>(initialThreads())

    /// Threads of ``automatic(for:)``, process-wide: `IONICS_ASSEMBLY_THREADS` if set, else
    /// the active processor count, at most 8. Benchmarks set it to compare 1 and 2 threads;
    /// a caller that runs several simulations side by side may set it to 1.
    public static var defaultThreads: Int {
        get { threadCount.load(ordering: .relaxed) }
        set {
            precondition(newValue >= 1, "at least one assembly thread")
            threadCount.store(newValue, ordering: .relaxed)
        }
    }

    private static func initialThreads() -> Int {
        if let s = ProcessInfo.processInfo.environment["IONICS_ASSEMBLY_THREADS"], let n = Int(s), n >= 1 { return n }
        return max(1, min(8, ProcessInfo.processInfo.activeProcessorCount))
    }

    /// The options ``PNPDiscretisation/evaluate(_:time:f:jacobian:)`` uses on `mesh` (the
    /// vectorised kernel whatever the dimension; `mesh` is kept for callers and for
    /// choices that may depend on it again).
    public static func automatic(for mesh: Mesh) -> AssemblyOptions {
        AssemblyOptions(kernel: .vectorised, threads: defaultThreads)
    }
}

extension DrivenPNP {
    /// f(u, t) under these drives with the given kernel and threads (tests and benchmarks).
    public func evaluate(_ u: [Double], time: Double, f: inout [Double], jacobian: inout SparseMatrix?, options: AssemblyOptions) throws {
        try discretisation.assemble(u, time: time, drives: drives, f: &f, jacobian: &jacobian, options: options)
    }
}

extension PNPDiscretisation {
    /// f(u, t) under ``standardDrives`` with the given kernel and threads (tests and
    /// benchmarks; ``evaluate(_:time:f:jacobian:)`` chooses them itself).
    public func evaluate(_ state: [Double], time t: Double, f: inout [Double], jacobian: inout SparseMatrix?, options: AssemblyOptions) throws {
        try assemble(state, time: t, drives: standardDrives, f: &f, jacobian: &jacobian, options: options)
    }

    /// Adds the interior continuity faces' terms alone (Gauss's flux and the species'
    /// Scharfetter–Gummel fluxes) of `state` to `f` and `jacobian`, `repeats` times, with
    /// the cells' excess potentials computed once before: what `ionics-bench simd-flux`
    /// times. `.reference` runs ``assembleContinuity(_:links:poisson:_:)`` face by face,
    /// `.scalar` the plan with the scalar Bernoulli function, `.vectorised` the plan with
    /// SIMD lanes.
    public func addInteriorFluxes(
        _ state: [Double], kernel: InteriorFluxKernel, repeats: Int = 1, f: inout [Double], jacobian: inout SparseMatrix
    ) throws {
        precondition(state.count == layout.size && f.count == layout.size && repeats >= 1)
        let plan = continuityPlan
        let nMu = mesh.cellCount * plan.maxSlots
        let scratch = UnsafeMutablePointer<Double>.allocate(capacity: nMu * (1 + plan.maxSlots) + 2 * max(1, layout.terminalCount))
        defer { scratch.deallocate() }
        scratch.initialize(repeating: 0, count: nMu * (1 + plan.maxSlots) + 2 * max(1, layout.terminalCount))
        try jacobian.withAccumulator { acc in
            try state.withUnsafeBufferPointer { u in
                try f.withUnsafeMutableBufferPointer { fp in
                    let ctx = AssemblyPass(
                        u: u, f: fp.baseAddress!, acc: acc, time: 0, drives: standardDrives, mu: scratch, dmu: scratch + nMu,
                        maxSlots: plan.maxSlots, sigma: scratch + nMu * (1 + plan.maxSlots),
                        faradaic: scratch + nMu * (1 + plan.maxSlots) + max(1, layout.terminalCount), record: nil)
                    try computeExcessPotentials(ctx)
                    for _ in 0..<repeats {
                        switch kernel {
                        case .reference:
                            for (fi, kind) in faceKinds.enumerated() {
                                if case .continuity(let links, let ge) = kind { assembleContinuity(fi, links: links, poisson: ge, ctx) }
                            }
                        case .scalar, .vectorised:
                            for part in plan.parts { runPart(part, ctx, form: kernel == .scalar ? .scalar : .vectorised) }
                        }
                    }
                }
            }
        }
    }

    /// The forms of the interior-face kernel (``addInteriorFluxes(_:kernel:repeats:f:jacobian:)``).
    public enum InteriorFluxKernel: String, Sendable, CaseIterable {
        case reference, scalar, vectorised
    }
}

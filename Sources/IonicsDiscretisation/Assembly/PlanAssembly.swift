import Dispatch
import IonicsLinearAlgebra

/// An assembly pass and the workers' error slots, shared by the iterations of one
/// `DispatchQueue.concurrentPerform`. `@unchecked Sendable` because the raw pointers are
/// written from several threads; what makes that safe is the ``PNPDiscretisation/ContinuityPlan``'s
/// invariant, not the compiler: a worker writes only the rows of the cells of its own
/// blocks (residual, Jacobian rows, excess potentials) and its own error slots, and the
/// faces of one colour share no cell, so no two workers write the same entry.
struct SharedAssembly: @unchecked Sendable {
    let pass: AssemblyPass
    let errors: UnsafeMutableBufferPointer<(any Error)?>
}

extension PNPDiscretisation {
    /// One pass with the vectorised interior-face kernel, in three phases:
    ///
    /// 1. `threads` workers, each owning a contiguous run of blocks of cells
    ///    (``ContinuityPlan/blockCells``): for every block, clear its rows of f and the
    ///    Jacobian (and a share of the global rows), its cells' excess potentials and cell
    ///    terms, the faces inside it, then the seam to the block before when the worker
    ///    owns that one too;
    /// 2. on the calling thread, the seams between the workers' runs; then the faces
    ///    between blocks further apart, colour by colour, each colour split among the workers;
    /// 3. on the calling thread: electrode and semiconductor faces, the terminal rows.
    ///
    /// A seam comes after both its blocks, so every entry receives its terms in the same
    /// order whatever `threads` is, and the result does not depend on it — unless a block
    /// is so thin that a cell lies on two seams (a block of less than two rows of a
    /// tensor-product mesh): then the two seams may add to its rows in either order. The pass replaces
    /// the whole-matrix clear of the scalar path (each worker clears its own rows). Throws
    /// the first cell's bulk-law error.
    func assembleByPlan(_ ctx: AssemblyPass, threads: Int) throws {
        let plan = continuityPlan
        let blocks = plan.blocks.count
        let workers = max(1, min(threads, blocks))
        let errors = UnsafeMutableBufferPointer<(any Error)?>.allocate(capacity: blocks)
        errors.initialize(repeating: nil)
        defer {
            _ = errors.deinitialize()
            errors.deallocate()
        }
        let shared = SharedAssembly(pass: ctx, errors: errors)
        // Worker w owns blocks first(w) ..< first(w + 1).
        @Sendable func first(_ w: Int) -> Int { w * blocks / workers }
        if workers == 1 {
            runBlocks(0..<blocks, shared)
        } else {
            DispatchQueue.concurrentPerform(iterations: workers) { w in runBlocks(first(w)..<first(w + 1), shared) }
        }
        if let error = errors.lazy.compactMap({ $0 }).first { throw error }
        for w in 1..<workers {
            for p in plan.seams[first(w) - 1] { runPart(plan.parts[p], ctx) }
        }

        for colour in plan.colours {
            // A colour of a few hundred faces costs less than waking the workers.
            if workers == 1 || colour.count < 4 {
                for p in colour { runPart(plan.parts[p], ctx) }
            } else {
                DispatchQueue.concurrentPerform(iterations: workers) { w in
                    for p in colour { runPart(plan.parts[p], shared.pass, chunk: (w, workers)) }
                }
            }
        }

        let globals = layout.bandSize..<layout.size
        (ctx.f + globals.lowerBound).update(repeating: 0, count: globals.count)
        for fi in plan.otherFaces {
            switch faceKinds[fi] {
            case .electrode(let e): assembleElectrode(fi, e, ctx)
            case .semiconductor(let s): assembleSemiconductor(fi, s, ctx)
            case .mixed(let m): assembleMixed(fi, m, ctx)
            case .continuity, .closed: break
            }
        }
        assembleTerminalRows(ctx)
    }

    /// Phase 1 for one worker: its blocks in order, each followed by the seam to the one
    /// before (rows of both are then cleared and hold their own terms).
    private func runBlocks(_ blocks: Range<Int>, _ shared: SharedAssembly) {
        for k in blocks {
            runBlock(k, shared)
            guard shared.errors[k] == nil else { return }
            if k > blocks.lowerBound {
                for p in continuityPlan.seams[k - 1] { runPart(continuityPlan.parts[p], shared.pass) }
            }
        }
    }

    /// Phase 1 for block k: its rows cleared (and its share of the global rows, which only
    /// phase 3 writes: dense rows, as long as all the cells' rows together), its cells,
    /// its inner faces.
    private func runBlock(_ k: Int, _ shared: SharedAssembly) {
        let ctx = shared.pass
        let cells = continuityPlan.blockCells[k]
        let rows = firstUnknown(cells.lowerBound)..<firstUnknown(cells.upperBound)
        (ctx.f + rows.lowerBound).update(repeating: 0, count: rows.count)
        if let acc = ctx.acc {
            acc.zeroRows(rows)
            let lo = Int(sparsity.rowStart[layout.bandSize]), n = Int(sparsity.rowStart[layout.size]) - lo
            let blocks = continuityPlan.blocks.count
            acc.zero(slots: lo + n * k / blocks ..< lo + n * (k + 1) / blocks)
        }
        let m = ctx.maxSlots
        (ctx.mu + cells.lowerBound * m).initialize(repeating: 0, count: cells.count * m)
        (ctx.dmu + cells.lowerBound * m * m).initialize(repeating: 0, count: cells.count * m * m)
        do {
            try computeExcessPotentials(ctx, cells: cells)
        } catch {
            shared.errors[k] = error
            return
        }
        assembleCells(ctx, cells: cells, chargeSlots: continuityPlan.chargeSlots.base)
        for p in continuityPlan.blocks[k] { runPart(continuityPlan.parts[p], ctx) }
    }

    /// The first unknown of cell i (the band size for i = cellCount): the rows of cells
    /// i..<j are the unknowns firstUnknown(i)..<firstUnknown(j).
    private func firstUnknown(_ i: Int) -> Int {
        guard i < layout.cellCount else { return layout.bandSize }
        return layout.potential[i] >= 0 ? layout.potential[i] : layout.firstSpecies[i]
    }
}

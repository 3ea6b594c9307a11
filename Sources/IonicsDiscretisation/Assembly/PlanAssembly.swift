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
    /// 1. every block of cells (``ContinuityPlan/blockCells``): clear its rows of f and
    ///    the Jacobian (and a share of the global rows), its cells' excess potentials and
    ///    cell terms, the faces inside it;
    ///    blocks on `threads` workers, each a contiguous run of blocks;
    /// 2. the faces between blocks, colour by colour, each colour split among the workers;
    /// 3. on the calling thread: electrode and semiconductor faces, the terminal rows.
    ///
    /// Every entry receives its terms in the same order whatever `threads` is, so the
    /// result does not depend on it. The pass replaces the whole-matrix clear of the scalar
    /// path (each worker clears its own rows). Throws the first cell's bulk-law error.
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
        if workers == 1 {
            for k in 0..<blocks { runBlock(k, shared) }
        } else {
            DispatchQueue.concurrentPerform(iterations: workers) { w in
                for k in (w * blocks / workers)..<((w + 1) * blocks / workers) { runBlock(k, shared) }
            }
        }
        if let error = errors.lazy.compactMap({ $0 }).first { throw error }

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
            case .continuity, .closed: break
            }
        }
        assembleTerminalRows(ctx)
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

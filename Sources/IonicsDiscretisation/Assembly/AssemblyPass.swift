import Foundation
public import IonicsLinearAlgebra
import IonicsPhysics
import IonicsUnits

/// The working set of one assembly pass over the mesh: the state, the residual and
/// Jacobian sinks, the cells' excess chemical potentials, the terminal tallies and the
/// optional face record. Raw pointers, valid only inside
/// ``PNPDiscretisation/assemble(_:time:f:jacobian:record:)``: the kernels (cells, interior
/// faces, electrodes, semiconductor faces, terminal rows) add into it without knowing
/// the Jacobian's storage or each other.
struct AssemblyPass {
    let u: UnsafeBufferPointer<Double>
    let f: UnsafeMutablePointer<Double>
    /// nil for a residual-only pass.
    let acc: JacobianAccumulator?
    /// Time, s.
    let time: Double
    let drives: Drives
    /// μ̂_ex of slot s of cell i at `mu[i·maxSlots + s]`; ∂μ̂_s/∂ĉ_s′ at `dmu[(i·maxSlots + s)·maxSlots + s′]`.
    let mu: UnsafeMutablePointer<Double>
    let dmu: UnsafeMutablePointer<Double>
    let maxSlots: Int
    /// Per terminal: electrode charge Σσ (scaled) and faradaic charge rate Σ z â R̂.
    let sigma: UnsafeMutablePointer<Double>
    let faradaic: UnsafeMutablePointer<Double>
    let record: UnsafeMutablePointer<PNPDiscretisation.FaceRecord>?

    var wantJ: Bool { acc != nil }
}

extension PNPDiscretisation {
    /// f(u, t) under ``standardDrives`` (see ``DrivenPNP`` for any other drives).
    public func evaluate(_ state: [Double], time t: Double, f: inout [Double], jacobian: inout SparseMatrix?) throws {
        try assemble(state, time: t, drives: standardDrives, f: &f, jacobian: &jacobian)
    }

    /// Assembles f in scaled time (the t0 is in the mass matrix). When `record`
    /// is given, the face fluxes, displacements, terminal currents and source totals
    /// are written to it, so diagnostics see exactly the numbers the equations used.
    /// `options` (default ``AssemblyOptions/automatic(for:)``) chooses the interior-face
    /// kernel and the threads; a pass that writes a record runs on one thread.
    func assemble(
        _ state: [Double], time t: Double, drives: Drives, f: inout [Double], jacobian: inout SparseMatrix?,
        record: UnsafeMutablePointer<FaceRecord>? = nil, options: AssemblyOptions? = nil
    ) throws {
        precondition(state.count == layout.size && f.count == layout.size)
        precondition(drives.controls.count == layout.terminalCount, "one control per terminal")
        let options = options ?? .automatic(for: mesh)
        let vectorised = options.kernel == .vectorised
        if !vectorised {
            // (The vectorised pass clears each block's rows where it assembles them.)
            for i in f.indices { f[i] = 0 }
            if jacobian != nil { jacobian!.setZero() }
        }
        let maxSlots = max(1, problem.layers.map(\.species.count).max() ?? 1)
        let nMu = mesh.cellCount * maxSlots
        let scratch = UnsafeMutablePointer<Double>.allocate(capacity: nMu * (1 + maxSlots) + 2 * max(1, layout.terminalCount))
        defer { scratch.deallocate() }
        if vectorised {
            // The terminals' tallies; each block clears its cells' excess potentials.
            (scratch + nMu * (1 + maxSlots)).initialize(repeating: 0, count: 2 * max(1, layout.terminalCount))
        } else {
            scratch.initialize(repeating: 0, count: nMu * (1 + maxSlots) + 2 * max(1, layout.terminalCount))
        }
        func body(_ acc: JacobianAccumulator?) throws {
            try state.withUnsafeBufferPointer { u in
                try f.withUnsafeMutableBufferPointer { fp in
                    let ctx = AssemblyPass(
                        u: u, f: fp.baseAddress!, acc: acc, time: t, drives: drives, mu: scratch, dmu: scratch + nMu, maxSlots: maxSlots,
                        sigma: scratch + nMu * (1 + maxSlots), faradaic: scratch + nMu * (1 + maxSlots) + max(1, layout.terminalCount),
                        record: record)
                    if vectorised {
                        try assembleByPlan(ctx, threads: record == nil ? options.threads : 1)
                        return
                    }
                    try computeExcessPotentials(ctx)
                    assembleCells(ctx)
                    for (fi, kind) in faceKinds.enumerated() {
                        switch kind {
                        case .closed: break
                        case .continuity(let links, let ge): assembleContinuity(fi, links: links, poisson: ge, ctx)
                        case .electrode(let e): assembleElectrode(fi, e, ctx)
                        case .semiconductor(let s): assembleSemiconductor(fi, s, ctx)
                        case .mixed(let m): assembleMixed(fi, m, ctx)
                        }
                    }
                    assembleTerminalRows(ctx)
                }
            }
        }
        if jacobian != nil { try jacobian!.withAccumulator { try body($0) } } else { try body(nil) }
    }

    /// Excess chemical potentials (and derivatives) of `cells` (default: every cell) into the pass.
    func computeExcessPotentials(_ ctx: AssemblyPass, cells: Range<Int>? = nil) throws {
        let maxSlots = ctx.maxSlots
        let cellMu = UnsafeMutablePointer<Double>.allocate(capacity: maxSlots * (1 + maxSlots))
        defer { cellMu.deallocate() }
        cellMu.initialize(repeating: 0, count: maxSlots * (1 + maxSlots))
        let cellDmu = cellMu + maxSlots
        // Calls through the existential copy it per cell, and so does binding a host's law
        // (its tables' arrays are retained): the lattice gas and the host lattice, the laws
        // of most cells, are bound once per run of cells of one region and called directly.
        try bulk.withUnsafeBufferPointer { laws in
            var region = -1
            var lattice: BikermanLattice?
            var host: HostLattice?
            for i in cells ?? 0..<mesh.cellCount {
                let n = layout.speciesCount(i)
                guard n > 0 else { continue }
                let r = mesh.cellRegion[i]
                if r != region {
                    region = r
                    lattice = lattices[r]
                    host = hosts[r]
                }
                do {
                    let c = ctx.u.baseAddress! + layout.firstSpecies[i]
                    if let lattice {
                        try lattice.excess(c, count: n, mu: cellMu, dmu: cellDmu)
                    } else if host != nil {
                        try host!.excess(c, count: n, mu: cellMu, dmu: cellDmu)
                    } else {
                        try excessPotential(ctx.u, i, laws: laws, count: n, mu: cellMu, dmu: cellDmu)
                    }
                } catch {
                    // (The error with its cell and layer.)
                    try excessPotential(ctx.u, i, laws: laws, count: n, mu: cellMu, dmu: cellDmu)
                }
                for s in 0..<n {
                    ctx.mu[i * maxSlots + s] = cellMu[s]
                    for s2 in 0..<n { ctx.dmu[(i * maxSlots + s) * maxSlots + s2] = cellDmu[s * n + s2] }
                }
            }
        }
    }

    /// Cell terms of `cells` (default: every cell): the charge in Poisson (ions, fixed
    /// charge, donors, electrons, holes) and sources. `chargeSlots` (``ContinuityPlan/chargeSlots``)
    /// locates ∂(Poisson row)/∂ĉ without searching the row; the values are the same.
    func assembleCells(_ ctx: AssemblyPass, cells: Range<Int>? = nil, chargeSlots: UnsafePointer<Int32>? = nil) {
        let lengthFactor = pow(scales.length, Double(mesh.dimension) - 2)
        let sourceScaleCharge = 1 / (PhysicalConstants.vacuumPermittivity * scales.thermalVoltage * lengthFactor)
        let sourceScaleSpecies = 1 / (scales.concentration * scales.diffusivity * lengthFactor)
        // Each read (and binding) of the optional existential copies and releases it: once
        // per cell only when there are sources.
        let hasSources = problem.sources != nil
        for i in cells ?? 0..<mesh.cellCount {
            let l = mesh.cellRegion[i]
            let p = layout.potential[i]
            let first = layout.firstSpecies[i]
            if p >= 0 {
                var rho = layerFixed[l]
                for (k, z) in layerCharge[l].enumerated() {
                    rho += z * ctx.u[first + k]
                    if ctx.wantJ && z != 0 {
                        if let chargeSlots {
                            ctx.acc!.add(kappa * volume[i] * z, slot: Int(chargeSlots[i * ctx.maxSlots + k]))
                        } else {
                            ctx.acc!.add(kappa * volume[i] * z, row: p, column: first + k)
                        }
                    }
                }
                if let e = electrons[l] {
                    let (vt, tc) = terminalVoltage(e.terminal, ctx.u, time: ctx.time, drives: ctx.drives)
                    let (q, dq) = e.charge(ctx.u[p] - vt - e.offset)
                    rho += e.doping + q
                    if ctx.wantJ {
                        ctx.acc!.add(kappa * volume[i] * dq, row: p, column: p)
                        if tc >= 0 { ctx.acc!.add(-kappa * volume[i] * dq, row: p, column: tc) }
                    }
                }
                ctx.f[p] += kappa * volume[i] * rho
            }
            if hasSources, let sources = problem.sources {
                let (q, sk) = sources.cellIntegrals(cell: i, time: ctx.time)
                if p >= 0 { ctx.f[p] += q * sourceScaleCharge }
                for (k, sp) in problem.layers[l].species.enumerated() {
                    ctx.f[first + k] += sk[sp.species] * sourceScaleSpecies
                    ctx.record?.pointee.sources[sp.species] += sk[sp.species]
                }
            }
        }
    }
}

import Foundation
public import IonicsLinearAlgebra
public import IonicsPhysics
public import IonicsSolvers

/// The equilibrium (Poisson–Boltzmann) problem of a ``PNPProblem`` at a fixed time:
/// every species has a uniform electrochemical potential μ̄ over each connected
/// region it occupies,
///
///     ln ĉ_k + z_k φ̂ + μ̂_ex + μ°_k/RT = μ̄_g        (each cell, each species)
///
/// with Poisson's equation unchanged. Each region (group) adds one global unknown
/// μ̄_g, fixed either by its inventory (closed regions: Σ v̂ ĉ = N̂, the amount in the
/// initial state) or by a reservoir boundary (μ̄_g = ln ĉ_bc + z φ̂_face + …).
/// These are exactly the states on which the discrete Nernst–Planck fluxes vanish
/// (Scharfetter–Gummel is exact for Boltzmann ratios), so the result is a discrete
/// steady state of ``PNPDiscretisation``, not an approximation of one.
public final class EquilibriumProblem: NonlinearSystem, @unchecked Sendable {
    public let discretisation: PNPDiscretisation
    public let time: Double
    /// A group: one species in a connected run of cells.
    public struct Group: Sendable {
        public var species: Int
        public var cells: [Int]
        /// The boundary side with a fixed concentration, if any.
        public var reservoir: Mesh.BoundarySide?
        /// A face of that side next to the group (reservoirs are laterally uniform: any
        /// one gives the target).
        var reservoirFace = -1
        /// Amount in the initial state, nondimensional (closed groups).
        public var inventory: Double
    }
    public let groups: [Group]
    /// For each band row of a species: its group.
    let rowGroup: [Int]

    public var size: Int { discretisation.size }
    public var unknownKinds: [UnknownKind] { discretisation.unknownKinds }

    /// - Parameter inventorySource: state whose species amounts the closed groups keep
    ///   (default: the uniform initial state).
    ///   `circuit`: per terminal, whether it has circuit unknowns (``StateLayout``; nil:
    ///   all), as in the discretisation the solution is for.
    public init(
        problem: PNPProblem, mesh: Mesh, scales: Scales? = nil, time: Double = 0, inventorySource: [Double]? = nil,
        circuit: [Bool]? = nil
    ) throws {
        let probe = try PNPDiscretisation(problem: problem, mesh: mesh, scales: scales, circuit: circuit)
        var groups: [Group] = []
        var rowGroup = [Int](repeating: -1, count: probe.layout.bandSize)
        let start = inventorySource ?? probe.initialState()
        // Connected components (union–find over faces that carry the species).
        for k in problem.species.indices {
            var parent = Array(0..<mesh.cellCount)
            func root(_ i: Int) -> Int {
                var r = i
                while parent[r] != r { r = parent[r] }
                var j = i
                while parent[j] != r { (parent[j], j) = (r, parent[j]) }
                return r
            }
            for (fi, face) in mesh.faces.enumerated() {
                guard let b = face.b else { continue }
                let la = mesh.cellRegion[face.a]
                if case .continuity(let links, _) = probe.faceKinds[fi],
                    links.contains(where: { problem.layers[la].species[$0.slotA].species == k }) {
                    parent[root(face.a)] = root(b)
                }
                if case .mixed(let m) = probe.faceKinds[fi], problem.layers[la].species[m.link.slotA].species == k {
                    parent[root(face.a)] = root(b)
                }
            }
            var members: [Int: [Int]] = [:]
            var order: [Int] = []
            for i in 0..<mesh.cellCount where problem.layers[mesh.cellRegion[i]].slot(of: k) != nil {
                let r = root(i)
                if members[r] == nil { order.append(r) }
                members[r, default: []].append(i)
            }
            for r in order {
                let cells = members[r]!
                var reservoir: Mesh.BoundarySide?
                var reservoirFace = -1
                // Faces at either end of the stack (lateral sides of a 2D mesh are closed).
                for (fi, face) in mesh.faces.enumerated() where root(face.a) == r
                    && problem.layers[mesh.cellRegion[face.a]].slot(of: k) != nil {
                    guard let side = face.boundary else { continue }
                    let b = side == .first ? problem.first : problem.last
                    if b.condition(for: k).concentration != nil { (reservoir, reservoirFace) = (side, fi) }
                }
                var amount = 0.0
                for i in cells {
                    let slot = problem.layers[mesh.cellRegion[i]].slot(of: k)!
                    amount += probe.volume[i] * start[probe.layout.concentration(i, slot)]
                    rowGroup[probe.layout.concentration(i, slot)] = groups.count
                }
                groups.append(Group(species: k, cells: cells, reservoir: reservoir, reservoirFace: reservoirFace, inventory: amount))
            }
        }
        self.groups = groups
        self.rowGroup = rowGroup
        self.time = time
        terminalCharges = (0..<probe.layout.terminalCount).map { j in probe.layout.terminalCharge(j).map { start[$0] } ?? 0 }
        discretisation = try PNPDiscretisation(problem: problem, mesh: mesh, scales: probe.scales, extraGlobals: groups.count,
                                               circuit: circuit)
        drives = .grounded(terminals: problem.terminals.count)
    }

    /// Electrode charges that current-controlled (open) terminals keep.
    let terminalCharges: [Double]

    /// How the terminals are driven (default: every terminal at 0 V); the bias factor is
    /// the continuation parameter of ``solve(from:options:)``.
    public var drives: Drives

    /// Sets how the terminals are driven.
    public func setControls(_ controls: [TerminalControl]) { drives.controls = controls }

    /// Initial guess: the uniform state with μ̄ from it.
    public func initialGuess(from pnpState: [Double]? = nil) -> [Double] {
        let d = discretisation
        let n = d.layout.bandSize
        var u = [Double](repeating: 0, count: d.size)
        let base = pnpState ?? d.initialState()
        for i in 0..<(n + 2 * d.layout.circuitTerminals.count) { u[i] = base[i] }
        for (g, group) in groups.enumerated() {
            let i = group.cells[group.cells.count / 2]
            let l = d.mesh.cellRegion[i]
            let slot = d.problem.layers[l].slot(of: group.species)!
            let pe = d.layout.potential[i] >= 0 ? d.layout.potential[i] : d.layout.electron[i]
            let zphi = pe >= 0 ? d.layerCharge[l][slot] * u[pe] : 0
            let slots = max(1, d.layout.layerSpecies.map(\.count).max() ?? 1)
            var mu = [Double](repeating: 0, count: slots)
            var dmu = [Double](repeating: 0, count: slots * slots)
            _ = try? u.withUnsafeBufferPointer { try d.excessPotential($0, i, mu: &mu, dmu: &dmu) }
            u[d.layout.extraGlobal(g)] = log(max(u[d.layout.concentration(i, slot)], 1e-300)) + zphi + mu[slot] + d.layerMu0[l][slot]
        }
        return u
    }

    public var sparsity: SparsityPattern { discretisation.sparsity }

    public func evaluate(_ state: [Double], residual f: inout [Double], jacobian: inout SparseMatrix?) throws {
        let d = discretisation
        let lay = d.layout
        try d.assemble(state, time: time, drives: drives, f: &f, jacobian: &jacobian)
        let wantJ = jacobian != nil
        // Replace the Nernst–Planck rows by the Boltzmann conditions.
        try state.withUnsafeBufferPointer { u in
            let slots = max(1, d.layout.layerSpecies.map(\.count).max() ?? 1)
            var mu = [Double](repeating: 0, count: slots)
            var dmu = [Double](repeating: 0, count: slots * slots)
            for i in 0..<d.mesh.cellCount {
                let l = d.mesh.cellRegion[i]
                try d.excessPotential(u, i, mu: &mu, dmu: &dmu)
                let p = lay.potential[i]
                let first = lay.firstSpecies[i]
                let ns = lay.speciesCount(i)
                for k in 0..<ns {
                    let row = first + k
                    let c = u[row]
                    guard c > 0 else { throw DiscretisationError.invalidProblem(["non-positive concentration at \(d.describe(row: row))"]) }
                    let gcol = lay.extraGlobal(rowGroup[row])
                    let z = d.layerCharge[l][k]
                    // In a mixed conductor the ion's electrochemical potential has z·φ_n.
                    let pe = p >= 0 ? p : lay.electron[i]
                    f[row] = log(c) + (pe >= 0 ? z * u[pe] : 0) + mu[k] + d.layerMu0[l][k] - u[gcol]
                    guard wantJ else { continue }
                    jacobian!.zeroRow(row)
                    jacobian!.add(1 / c, row: row, column: row)
                    if pe >= 0 && z != 0 { jacobian!.add(z, row: row, column: pe) }
                    for kk in 0..<ns where dmu[k * ns + kk] != 0 { jacobian!.add(dmu[k * ns + kk], row: row, column: first + kk) }
                    jacobian!.add(-1, row: row, column: gcol)
                }
            }
            // Open (current-controlled) terminals keep their electrode charge.
            // (A resistive terminal stores no charge: its row stays the current balance.)
            for j in 0..<lay.terminalCount where drives.controls[j].mode == .current && !d.resistiveTerminal[j] {
                let rq = lay.terminalCharge(j)!
                f[rq] = u[rq] - terminalCharges[j]
                if wantJ {
                    jacobian!.zeroRow(rq)
                    jacobian!.add(1, row: rq, column: rq)
                }
            }
            // Group rows.
            for (g, group) in groups.enumerated() {
                let row = lay.extraGlobal(g)
                if wantJ { jacobian!.zeroRow(row) }
                if let side = group.reservoir {
                    let face = group.reservoirFace
                    let i = d.mesh.faceCellA[face]
                    let l = d.mesh.cellRegion[i]
                    let slot = d.problem.layers[l].slot(of: group.species)!
                    let z = d.layerCharge[l][slot]
                    let cb = d.boundaryConcentration(side, species: group.species, time: time)!
                    var target = log(cb) + d.stericAtBoundary(side, layer: l, time: time) + d.layerMu0[l][slot]
                    let p = lay.potential[i]
                    if p >= 0, case .electrode(let e) = d.faceKinds[face] {
                        let (v, vColumn) = d.sourcePotential(e.source, u, time, drives: drives)
                        target += z * (u[p] + e.theta * (v - e.pzc - u[p]))
                        if wantJ && z != 0 {
                            jacobian!.add(-z * (1 - e.theta), row: row, column: p)
                            if vColumn >= 0 { jacobian!.add(-z * e.theta, row: row, column: vColumn) }
                        }
                    }
                    f[row] = u[row] - target
                    if wantJ { jacobian!.add(1, row: row, column: row) }
                } else {
                    var amount = 0.0
                    for i in group.cells {
                        let slot = d.problem.layers[d.mesh.cellRegion[i]].slot(of: group.species)!
                        let idx = lay.concentration(i, slot)
                        amount += d.volume[i] * u[idx]
                        if wantJ { jacobian!.add(d.volume[i], row: row, column: idx) }
                    }
                    f[row] = amount - group.inventory
                }
            }
        }
    }

    public func describe(row index: Int) -> String {
        if index >= discretisation.layout.extraGlobal(0) {
            let g = groups[index - discretisation.layout.extraGlobal(0)]
            let name = discretisation.problem.species[g.species].name
            return "electrochemical potential of \(name) in cells \(g.cells.first!)…\(g.cells.last!)"
                + (g.reservoir == nil ? " (inventory)" : " (reservoir)")
        }
        return discretisation.describe(row: index)
    }

    public func equationName(row index: Int) -> String {
        index >= discretisation.layout.extraGlobal(0) ? "group" : discretisation.equationName(row: index)
    }

    /// Solves for the equilibrium with the boundary potentials at time `time`, ramping
    /// the bias from zero when a direct solve fails (continuation with step halving).
    /// Returns the state in the layout of a ``PNPDiscretisation`` without extra globals
    /// (cells, then the terminals' potentials and charges).
    public func solve(from start: [Double]? = nil, options: NewtonOptions = NewtonOptions()) throws -> [Double] {
        let d = discretisation
        defer { drives.biasFactor = 1 }
        var jac: JacobianWorkspace? = nil
        let newton = NewtonSolver(options: options)
        var u = initialGuess(from: start)
        var reached = 0.0
        var step = 1.0
        var lastError: NewtonError?
        drives.biasFactor = 0
        do {
            u = try newton.solve(self, from: u, workspace: &jac).solution
        } catch {
            throw error
        }
        var attempts = 0
        while reached < 1 {
            let target = min(1, reached + step)
            drives.biasFactor = target
            do {
                u = try newton.solve(self, from: u, workspace: &jac).solution
                reached = target
                step = min(1, step * 2)
            } catch let e {
                lastError = e
                step *= 0.5
                attempts += 1
                if step < 1e-6 || attempts > 80 { throw lastError! }
            }
        }
        return Array(u[0..<d.layout.extraGlobal(0)])
    }
}

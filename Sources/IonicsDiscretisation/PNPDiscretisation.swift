import Foundation
public import IonicsLinearAlgebra
public import IonicsPhysics
public import IonicsSolvers
import IonicsUnits

/// Errors of the discretisation.
public enum DiscretisationError: Error, Sendable, CustomStringConvertible {
    case invalidProblem([String])
    /// The steric packing fraction reached 1 (no free volume) at a cell.
    case overpacked(cell: Int, layer: String)

    public var description: String {
        switch self {
        case .invalidProblem(let p): return "invalid problem: " + p.joined(separator: "; ")
        case .overpacked(let c, let l): return "ions fill the whole volume at cell \(c) (layer \(l)): a³N_AΣc ≥ 1"
        }
    }
}

/// Cell-centred finite-volume discretisation of a ``PNPProblem``: the system
/// M·du/dt = f(u, t) the time integrator advances (t in seconds).
///
/// Unknowns (see ``StateLayout``): φ̂ = φ/V_T in cells of Poisson layers and
/// ĉ = c/c0 for every species slot, in the units of ``Scales``. For cell i with
/// volume v̂_i and faces σ of area â_σ, distance d̂_σ between the centres:
///
/// - Nernst–Planck (differential, M = v̂_i): v̂ dĉ_k/dt̂ = −Σ_σ â_σ Ĵ_k,σ + ŝ_k with the
///   Scharfetter–Gummel flux from cell a to b,
///   Ĵ = (D̂_σ/d̂_σ) [B(Δψ) ĉ_a − B(−Δψ) ĉ_b],  Δψ = z(φ̂_b − φ̂_a) + μ̂_ex,b − μ̂_ex,a + (μ°_b − μ°_a)/RT,
///   the steric excess potential inside the Bernoulli argument (the "excess-potential"
///   modified SG scheme, Fuhrmann, Comput. Phys. Commun. 196, 166 (2015)) so a discrete
///   Boltzmann distribution carries exactly zero flux; D̂_σ is the distance-weighted
///   harmonic mean of the two sides.
/// - Poisson (algebraic, M = 0): Σ_σ â_σ ε_σ (φ̂_b − φ̂_a)/d̂_σ + κ v̂_i (Σ z ĉ + ĉ_fix) + ŝ_φ = 0,
///   ε_σ the harmonic mean, exact for a permittivity jump at the face.
///
/// Species rows are divided by t0 so that time is in seconds.
public final class PNPDiscretisation: DifferentialAlgebraicSystem, @unchecked Sendable {
    public let problem: PNPProblem
    public let mesh: Mesh
    public let scales: Scales
    public let layout: StateLayout
    public let mass: [Double]
    public var size: Int { layout.size }
    public var unknownKinds: [UnknownKind] { layout.kinds }

    /// Nondimensional cell volumes v̂ = v/L0^d and face areas â = a/L0^(d−1).
    let volume: [Double]
    let faceArea: [Double]
    let kappa: Double
    let layerPermittivity: [Double]
    let layerCharge: [[Double]]
    let layerMu0: [[Double]]
    let layerFixed: [Double]
    let layerNu: [Double]
    let layerPoisson: [Bool]

    /// A species that crosses an interior face.
    struct Link {
        var slotA: Int
        var slotB: Int
        var z: Double
        /// D̂_σ â_σ / d̂_σ.
        var g: Double
        /// (μ°_b − μ°_a)/RT.
        var dmu0: Double
    }
    /// Per face: the species links (interior faces only).
    let links: [[Link]]
    /// Per face: â ε_σ / d̂_σ (interior) or â ε_a / d̂_A (boundary).
    let poissonConductance: [Double]
    /// Per face: D̂ â / d̂_A for each slot of the boundary cell (boundary faces only).
    let boundarySpeciesConductance: [[Double]]
    let rowScale: [Double]
    let speciesNames: [String]
    /// Factor on every metal potential of the boundary conditions (bias continuation
    /// of the equilibrium solve; 1 otherwise).
    public var biasFactor: Double = 1

    public init(problem: PNPProblem, mesh: Mesh, scales: Scales? = nil, globalUnknowns: Int = 0) throws {
        let issues = problem.validate()
        if !issues.isEmpty { throw DiscretisationError.invalidProblem(issues) }
        self.problem = problem
        self.mesh = mesh
        let s = scales ?? Scales(problem: problem)
        self.scales = s
        let layout = StateLayout(mesh: mesh, problem: problem, globalCount: globalUnknowns)
        self.layout = layout
        let L0 = s.length
        let d = Double(mesh.dimension)
        volume = mesh.cells.map { $0.volume / pow(L0, d) }
        faceArea = mesh.faces.map { $0.area / pow(L0, d - 1) }
        kappa = s.poissonCoupling
        layerPermittivity = problem.layers.map(\.permittivity)
        layerCharge = problem.layers.map { $0.species.map { Double(problem.species[$0.species].charge) } }
        let RT = PhysicalConstants.gasConstant * problem.temperature
        layerMu0 = problem.layers.map { $0.species.map { $0.standardChemicalPotential / RT } }
        layerFixed = problem.layers.map { $0.fixedCharge / s.concentration }
        layerNu = problem.layers.map { l in
            l.stericSize.map { $0 * $0 * $0 * PhysicalConstants.avogadro * s.concentration } ?? 0
        }
        layerPoisson = problem.layers.map { $0.electrostatics == .poisson }
        speciesNames = problem.species.map(\.name)

        var links: [[Link]] = []
        var pg: [Double] = []
        var bsg: [[Double]] = []
        for f in mesh.faces {
            let la = mesh.cells[f.a].layer
            let A = problem.layers[la]
            let area = f.area / pow(L0, d - 1)
            let dA = f.distanceA / L0
            if let b = f.b {
                let lb = mesh.cells[b].layer
                let B = problem.layers[lb]
                let dB = f.distanceB / L0
                let eps = (dA + dB) / (dA / A.permittivity + dB / B.permittivity)
                pg.append(layerPoisson[la] && layerPoisson[lb] ? area * eps / (dA + dB) : 0)
                var faceLinks: [Link] = []
                for (sa, spA) in A.species.enumerated() {
                    guard let sb = B.slot(of: spA.species) else { continue }
                    let spB = B.species[sb]
                    let da = spA.diffusivity / s.diffusivity
                    let db = spB.diffusivity / s.diffusivity
                    let d = (dA + dB) / (dA / da + dB / db)
                    faceLinks.append(Link(
                        slotA: sa, slotB: sb, z: Double(problem.species[spA.species].charge), g: d * area / (dA + dB),
                        dmu0: (spB.standardChemicalPotential - spA.standardChemicalPotential) / RT))
                }
                links.append(faceLinks)
                bsg.append([])
            } else {
                links.append([])
                pg.append(area * A.permittivity / dA)
                bsg.append(A.species.map { $0.diffusivity / s.diffusivity * area / dA })
            }
        }
        self.links = links
        poissonConductance = pg
        boundarySpeciesConductance = bsg
        var m = [Double](repeating: 0, count: layout.size)
        var scale = [Double](repeating: 1, count: layout.size)
        for i in 0..<mesh.cellCount {
            for k in 0..<layout.speciesCount(i) {
                m[layout.concentration(i, k)] = volume[i]
                scale[layout.concentration(i, k)] = 1 / s.time
            }
        }
        mass = m
        rowScale = scale
    }

    // MARK: - State helpers

    /// The initial state: uniform initial concentrations, zero potential, zero globals.
    public func initialState() -> [Double] {
        var u = [Double](repeating: 0, count: layout.size)
        for i in 0..<mesh.cellCount {
            let layer = problem.layers[mesh.cells[i].layer]
            for (k, sp) in layer.species.enumerated() {
                u[layout.concentration(i, k)] = sp.initialConcentration / scales.concentration
            }
        }
        return u
    }

    /// Potential in volts per cell (NaN where no potential is solved).
    public func potential(_ u: [Double]) -> [Double] {
        (0..<mesh.cellCount).map { i in layout.potential[i] >= 0 ? u[layout.potential[i]] * scales.thermalVoltage : .nan }
    }

    /// Concentration of `species` in mol/m³ per cell (NaN where absent).
    public func concentration(_ u: [Double], species: Int) -> [Double] {
        (0..<mesh.cellCount).map { i in
            let layer = problem.layers[mesh.cells[i].layer]
            guard let slot = layer.slot(of: species) else { return .nan }
            return u[layout.concentration(i, slot)] * scales.concentration
        }
    }

    /// Amount of each species per unit area, mol/m².
    public func inventories(_ u: [Double]) -> [Double] {
        var n = [Double](repeating: 0, count: problem.species.count)
        for i in 0..<mesh.cellCount {
            let layer = problem.layers[mesh.cells[i].layer]
            for (k, sp) in layer.species.enumerated() {
                n[sp.species] += u[layout.concentration(i, k)] * mesh.cells[i].volume * scales.concentration
            }
        }
        return n
    }

    /// Charge density per cell, C/m³ (mobile plus fixed).
    public func chargeDensity(_ u: [Double]) -> [Double] {
        (0..<mesh.cellCount).map { i in
            let l = mesh.cells[i].layer
            var rho = layerFixed[l]
            for (k, z) in layerCharge[l].enumerated() { rho += z * u[layout.concentration(i, k)] }
            return PhysicalConstants.faraday * scales.concentration * rho
        }
    }

    // MARK: - Local laws

    /// Steric excess chemical potential μ̂_ex = −ln(1 − ν Σ ĉ) of cell i and its
    /// derivative with respect to any one concentration of the cell.
    @inline(__always)
    func steric(_ u: UnsafeBufferPointer<Double>, _ i: Int) throws -> (mu: Double, dmu: Double) {
        let nu = layerNu[mesh.cells[i].layer]
        if nu == 0 { return (0, 0) }
        var sum = 0.0
        let first = layout.firstSpecies[i]
        for k in 0..<layout.speciesCount(i) { sum += u[first + k] }
        let free = 1 - nu * sum
        if !(free > 0) { throw DiscretisationError.overpacked(cell: i, layer: problem.layers[mesh.cells[i].layer].name) }
        return (-log(free), nu / free)
    }

    /// Potential boundary data of `side` at time t: conductance g (â ε/…, nondim),
    /// metal potential V̂, and the face potential φ̂_f = φ̂_a + θ·(V̂ − φ̂_a) with its θ.
    @inline(__always)
    func potentialBoundary(_ side: Mesh.BoundarySide, face: Int, time t: Double) -> (g: Double, v: Double, theta: Double) {
        let bc = side == .first ? problem.first.potential : problem.last.potential
        let gd = poissonConductance[face]
        switch bc {
        case .potential(let v):
            return (gd, biasFactor * v(t) / scales.thermalVoltage, 1)
        case .stern(let c, let v):
            let cs = c * scales.length / PhysicalConstants.vacuumPermittivity
            let g = 1 / (1 / gd + 1 / (cs * faceArea[face]))
            return (g, biasFactor * v(t) / scales.thermalVoltage, g / gd)
        case .zeroField:
            return (0, 0, 0)
        }
    }

    /// Nondimensional boundary concentration of slot k on `side` at time t, if fixed.
    func boundaryConcentration(_ side: Mesh.BoundarySide, species: Int, time t: Double) -> Double? {
        let b = side == .first ? problem.first : problem.last
        if case .concentration(let c) = b.condition(for: species) { return c(t) / scales.concentration }
        return nil
    }

    /// Excess potential on a reservoir face: from the boundary concentrations of the
    /// layer's species (all must be fixed there when the layer is steric).
    func stericAtBoundary(_ side: Mesh.BoundarySide, layer l: Int, time t: Double) -> Double {
        let nu = layerNu[l]
        if nu == 0 { return 0 }
        var sum = 0.0
        for sp in problem.layers[l].species {
            sum += boundaryConcentration(side, species: sp.species, time: t) ?? sp.initialConcentration / scales.concentration
        }
        return -log(max(1 - nu * sum, 1e-300))
    }

    // MARK: - Residual and Jacobian

    public func makeJacobian() -> BorderedBandMatrix {
        BorderedBandMatrix(bandSize: layout.bandSize, lower: layout.lower, upper: layout.upper, borderCount: layout.globalCount)
    }

    public func evaluate(_ state: [Double], time t: Double, f: inout [Double], jacobian: inout BorderedBandMatrix?) throws {
        try assemble(state, time: t, f: &f, jacobian: &jacobian)
        for i in 0..<layout.bandSize where rowScale[i] != 1 { f[i] *= rowScale[i] }
        if jacobian != nil { jacobian!.scaleRows(by: rowScale) }
    }

    /// Assembles f in nondimensional time (species rows not yet divided by t0). When
    /// `record` is given, the face fluxes and source totals used are written to it, so
    /// diagnostics see exactly the numbers the equations used.
    func assemble(
        _ state: [Double], time t: Double, f: inout [Double], jacobian: inout BorderedBandMatrix?,
        record: UnsafeMutablePointer<FaceRecord>? = nil
    ) throws {
        precondition(state.count == layout.size && f.count == layout.size)
        for i in f.indices { f[i] = 0 }
        let wantJ = jacobian != nil
        if wantJ { jacobian!.setZero() }
        let lay = layout
        try state.withUnsafeBufferPointer { u in
            // Steric potentials per cell.
            var mu = [Double](repeating: 0, count: mesh.cellCount)
            var dmu = [Double](repeating: 0, count: mesh.cellCount)
            for i in 0..<mesh.cellCount { (mu[i], dmu[i]) = try steric(u, i) }

            // Cell terms: charge in Poisson, sources.
            // Cell integrals ∫s dV (SI, m^d) divided by the units of the nondimensional rows.
            let lengthFactor = pow(scales.length, Double(mesh.dimension) - 2)
            let sourceScaleCharge = 1 / (PhysicalConstants.vacuumPermittivity * scales.thermalVoltage * lengthFactor)
            let sourceScaleSpecies = 1 / (scales.concentration * scales.diffusivity * lengthFactor)
            for i in 0..<mesh.cellCount {
                let l = mesh.cells[i].layer
                let p = lay.potential[i]
                let first = lay.firstSpecies[i]
                if p >= 0 {
                    var rho = layerFixed[l]
                    for (k, z) in layerCharge[l].enumerated() {
                        rho += z * u[first + k]
                        if wantJ && z != 0 { jacobian!.add(kappa * volume[i] * z, row: p, column: first + k) }
                    }
                    f[p] += kappa * volume[i] * rho
                }
                if let sources = problem.sources {
                    let (q, sk) = sources.cellIntegrals(cell: i, time: t)
                    if p >= 0 { f[p] += q * sourceScaleCharge }
                    for (k, sp) in problem.layers[l].species.enumerated() {
                        f[first + k] += sk[sp.species] * sourceScaleSpecies
                        record?.pointee.sources[sp.species] += sk[sp.species]
                    }
                }
            }

            for (fi, face) in mesh.faces.enumerated() {
                let a = face.a
                let pa = lay.potential[a]
                let firstA = lay.firstSpecies[a]
                if let b = face.b {
                    let pb = lay.potential[b]
                    let firstB = lay.firstSpecies[b]
                    // Poisson flux.
                    let ge = poissonConductance[fi]
                    if ge != 0 {
                        let q = ge * (u[pb] - u[pa])
                        f[pa] += q
                        f[pb] -= q
                        record?.pointee.displacement[fi] = -q
                        if wantJ {
                            jacobian!.add(-ge, row: pa, column: pa)
                            jacobian!.add(ge, row: pa, column: pb)
                            jacobian!.add(ge, row: pb, column: pa)
                            jacobian!.add(-ge, row: pb, column: pb)
                        }
                    }
                    // Species fluxes.
                    let withField = pa >= 0 && pb >= 0
                    for link in links[fi] {
                        let ia = firstA + link.slotA
                        let ib = firstB + link.slotB
                        var delta = link.dmu0 + mu[b] - mu[a]
                        if withField { delta += link.z * (u[pb] - u[pa]) }
                        let (bp, bm) = Bernoulli.pair(delta)
                        let ca = u[ia]
                        let cb = u[ib]
                        let flux = link.g * (bp * ca - bm * cb)
                        f[ia] -= flux
                        f[ib] += flux
                        record?.pointee.add(face: fi, species: problem.layers[mesh.cells[a].layer].species[link.slotA].species, flux)
                        guard wantJ else { continue }
                        let dca = link.g * bp
                        let dcb = -link.g * bm
                        let dd = link.g * (Bernoulli.derivative(delta) * ca + Bernoulli.derivative(-delta) * cb)
                        jacobian!.add(-dca, row: ia, column: ia)
                        jacobian!.add(-dcb, row: ia, column: ib)
                        jacobian!.add(dca, row: ib, column: ia)
                        jacobian!.add(dcb, row: ib, column: ib)
                        if withField && link.z != 0 {
                            let dz = dd * link.z
                            jacobian!.add(dz, row: ia, column: pa)
                            jacobian!.add(-dz, row: ia, column: pb)
                            jacobian!.add(-dz, row: ib, column: pa)
                            jacobian!.add(dz, row: ib, column: pb)
                        }
                        if dmu[b] != 0 {
                            for k in 0..<lay.speciesCount(b) {
                                jacobian!.add(-dd * dmu[b], row: ia, column: firstB + k)
                                jacobian!.add(dd * dmu[b], row: ib, column: firstB + k)
                            }
                        }
                        if dmu[a] != 0 {
                            for k in 0..<lay.speciesCount(a) {
                                jacobian!.add(dd * dmu[a], row: ia, column: firstA + k)
                                jacobian!.add(-dd * dmu[a], row: ib, column: firstA + k)
                            }
                        }
                    }
                } else {
                    let side = face.boundary!
                    let l = mesh.cells[a].layer
                    // Potential boundary.
                    var phiFace = 0.0
                    var dPhiFace = 0.0
                    if pa >= 0 {
                        let (g, v, theta) = potentialBoundary(side, face: fi, time: t)
                        f[pa] += g * (v - u[pa])
                        if wantJ && g != 0 { jacobian!.add(-g, row: pa, column: pa) }
                        record?.pointee.displacement[fi] = (side == .first ? 1 : -1) * g * (v - u[pa])
                        phiFace = u[pa] + theta * (v - u[pa])
                        dPhiFace = 1 - theta
                    }
                    let boundary = side == .first ? problem.first : problem.last
                    for (k, sp) in problem.layers[l].species.enumerated() {
                        let ia = firstA + k
                        switch boundary.condition(for: sp.species) {
                        case .blocking:
                            break
                        case .influx(let j):
                            let inflow = faceArea[fi] * j(t) / scales.flux
                            f[ia] += inflow
                            record?.pointee.add(face: fi, species: sp.species, side == .first ? inflow : -inflow)
                        case .concentration(let c):
                            let cb = c(t) / scales.concentration
                            let g = boundarySpeciesConductance[fi][k]
                            let z = layerCharge[l][k]
                            var delta = stericAtBoundary(side, layer: l, time: t) - mu[a]
                            if pa >= 0 { delta += z * (phiFace - u[pa]) }
                            let (bp, bm) = Bernoulli.pair(delta)
                            let ca = u[ia]
                            let out = g * (bp * ca - bm * cb)
                            f[ia] -= out
                            record?.pointee.add(face: fi, species: sp.species, side == .first ? -out : out)
                            guard wantJ else { continue }
                            let dd = g * (Bernoulli.derivative(delta) * ca + Bernoulli.derivative(-delta) * cb)
                            jacobian!.add(-g * bp, row: ia, column: ia)
                            if pa >= 0 && z != 0 { jacobian!.add(-dd * z * (dPhiFace - 1), row: ia, column: pa) }
                            if dmu[a] != 0 {
                                for kk in 0..<lay.speciesCount(a) { jacobian!.add(dd * dmu[a], row: ia, column: firstA + kk) }
                            }
                        }
                    }
                }
            }
        }
    }

    // MARK: - Face fluxes

    /// What crossed each face at one state: species fluxes and electric displacement in
    /// the +y direction, in SI units.
    public struct FaceRecord: Sendable {
        public let speciesCount: Int
        /// Species flux ∫J·dA per face, face-major (`face·speciesCount + species`):
        /// nondimensional while assembling, mol/(m²·s) in 1D once converted.
        public var species: [Double]
        /// Electric displacement D_y = −ε ∂φ/∂y per face (C/m² once converted; 0 where no potential).
        public var displacement: [Double]
        /// Total source per species (∫s dV, SI).
        public var sources: [Double]

        init(faces: Int, speciesCount: Int) {
            self.speciesCount = speciesCount
            species = [Double](repeating: 0, count: faces * speciesCount)
            displacement = [Double](repeating: 0, count: faces)
            sources = [Double](repeating: 0, count: speciesCount)
        }

        mutating func add(face: Int, species k: Int, _ value: Double) { species[face * speciesCount + k] += value }

        /// Flux of species k through face f (+y).
        public func flux(face f: Int, species k: Int) -> Double { species[f * speciesCount + k] }

        /// Conduction current density F Σ z_k J_k through face f (+y), A/m².
        public func current(face f: Int, charges: [Int]) -> Double {
            var s = 0.0
            for k in 0..<speciesCount { s += Double(charges[k]) * species[f * speciesCount + k] }
            return PhysicalConstants.faraday * s
        }
    }

    /// Face fluxes and displacement of state u at time t (SI, +y direction).
    public func faceRecord(_ u: [Double], time t: Double) throws -> FaceRecord {
        var rec = FaceRecord(faces: mesh.faces.count, speciesCount: problem.species.count)
        var f = [Double](repeating: 0, count: layout.size)
        var none: BorderedBandMatrix? = nil
        try withUnsafeMutablePointer(to: &rec) { try assemble(u, time: t, f: &f, jacobian: &none, record: $0) }
        let areaScale = pow(scales.length, Double(mesh.dimension) - 1)
        let fluxScale = scales.flux * areaScale
        for i in rec.species.indices { rec.species[i] *= fluxScale }
        let dScale = scales.displacement * areaScale
        for i in rec.displacement.indices { rec.displacement[i] *= dScale / faceAreaSI(i) }
        for i in rec.species.indices { rec.species[i] /= faceAreaSI(i / rec.speciesCount) }
        return rec
    }

    /// Face area in SI (m^(d−1)); 1 in 1D.
    func faceAreaSI(_ f: Int) -> Double { mesh.faces[f].area }

    // MARK: - Descriptions

    public func describe(row index: Int) -> String {
        if index >= layout.bandSize { return "global unknown \(index - layout.bandSize)" }
        let (cell, name) = locate(index)
        let c = mesh.cells[cell]
        let layer = problem.layers[c.layer].name
        return "\(name) at cell \(cell) (layer \(layer), y = \(String(format: "%.4g", c.centre * 1e9)) nm)"
    }

    public func equationName(row index: Int) -> String {
        if index >= layout.bandSize { return "global" }
        return locate(index).1
    }

    func locate(_ index: Int) -> (Int, String) {
        // Binary search on the cells' first unknowns.
        var lo = 0
        var hi = mesh.cellCount - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            let start = layout.potential[mid] >= 0 ? layout.potential[mid] : layout.firstSpecies[mid]
            if start <= index { lo = mid } else { hi = mid - 1 }
        }
        if layout.potential[lo] == index { return (lo, "Poisson") }
        let slot = index - layout.firstSpecies[lo]
        let sp = layout.layerSpecies[mesh.cells[lo].layer][slot]
        return (lo, speciesNames[sp])
    }
}

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
    /// A host's filling left (0, 1).
    case fillingOutOfRange(cell: Int, layer: String, filling: Double)

    public var description: String {
        switch self {
        case .invalidProblem(let p): return "invalid problem: " + p.joined(separator: "; ")
        case .overpacked(let c, let l): return "ions fill the whole volume at cell \(c) (layer \(l)): a³N_AΣc ≥ 1"
        case .fillingOutOfRange(let c, let l, let t): return "filling θ = \(t) outside (0, 1) at cell \(c) (layer \(l))"
        }
    }
}

/// Cell-centred finite-volume discretisation of a ``PNPProblem``: the system
/// M·du/dt = f(u, t) the time integrator advances (t in seconds).
///
/// Unknowns (see ``StateLayout``): φ̂ = φ/V_T in cells of Poisson layers, ĉ = c/c0 for
/// every species slot, and per circuit terminal (one that some segment drives by current
/// or leaves open) its potential V̂ and electrode charge q̂.
/// For cell i with volume v̂_i and faces σ of area â_σ, centre distance d̂_σ:
///
/// - Nernst–Planck (differential, M = v̂_i): v̂ dĉ_k/dt̂ = −Σ_σ â_σ Ĵ_k,σ + ŝ_k with the
///   Scharfetter–Gummel flux from cell a to b,
///   Ĵ = (D̂_σ/d̂_σ) [B(Δψ) ĉ_a − B(−Δψ) ĉ_b],  Δψ = z(φ̂_b − φ̂_a) + μ̂_ex,b − μ̂_ex,a + (μ°_b − μ°_a)/RT,
///   the excess chemical potential (steric, or a host's −zU(θ)/V_T − ln θ) inside the
///   Bernoulli argument (the "excess-potential" modified SG scheme, Fuhrmann, Comput.
///   Phys. Commun. 196, 166 (2015)) so a discrete Boltzmann distribution carries exactly
///   zero flux; D̂_σ is the distance-weighted harmonic mean of the two sides, or D(θ)
///   at the mean filling inside a host, times the species' lateral factor
///   (``SpeciesInLayer/lateralDiffusivityFactor``) on x-normal faces.
/// - Poisson (algebraic, M = 0): Σ_σ â_σ ε_σ (φ̂_b − φ̂_a)/d̂_σ + κ v̂_i (Σ z ĉ + ĉ_fix + N̂_d − n̂) + ŝ_φ = 0,
///   ε_σ the harmonic mean, exact for a permittivity jump at the face.
/// - Electrodes (outer metals, and electrolyte | neutral-host interfaces): the half-cell
///   conductance in series with the Stern capacitance to the electrode potential;
///   Butler–Volmer transfer at the reaction plane.
/// - Terminals: V̂ fixed (voltage control) or solved with dq̂/dt = i + F z R (current
///   control), q̂ the electrode charge; a terminal held at a voltage throughout has no
///   unknowns, V̂ being drive data (``terminalVoltage(_:_:time:drives:)``).
///
/// Rows are assembled in the scaled time t̂ = t/t0 and the mass matrix carries t0
/// (M = v̂·t0), so the integrator's time is in seconds without rescaling any row.
public final class PNPDiscretisation: DifferentialAlgebraicSystem, Sendable {
    public let problem: PNPProblem
    public let mesh: Mesh
    public let scales: Scales
    public let layout: StateLayout
    /// The Jacobian's sparsity pattern (from the layout and the mesh's faces).
    public let sparsity: SparsityPattern
    public var size: Int { layout.size }
    public var unknownKinds: [UnknownKind] { layout.kinds }

    /// How each terminal is driven now; the protocol changes it between segments.
    /// The drives the discretisation's own `evaluate` uses: every terminal held at 0 V
    /// (cases without terminals, verification). Protocols pass theirs through
    /// ``driven(by:)``.
    public let standardDrives: Drives
    /// The mass matrix under ``standardDrives``.
    public let mass: [Double]

    // Geometry and material data in scaled units.
    let volume: [Double]
    let faceArea: [Double]
    let kappa: Double
    let layerPermittivity: [Double]
    let layerCharge: [[Double]]
    let layerMu0: [[Double]]
    let layerFixed: [Double]
    let layerPoisson: [Bool]
    /// The bulk law of each layer (``BulkLaws``) and, for host layers, the same law as a
    /// ``HostLattice`` for the kernels that need c_max, U(θ) or D(θ).
    let bulk: [any BulkLaw]
    let hosts: [HostLattice?]
    /// The same for the lattice-gas layers (called directly by the assembly, see `computeExcessPotentials`).
    let lattices: [BikermanLattice?]
    let electrons: [Electrons?]
    let speciesNames: [String]

    /// Per terminal, the column of its potential unknown, or −1 without circuit unknowns.
    let terminalColumn: [Int]
    // The face records (Electrode, Link, Reaction, …) are in FaceKinds.swift.
    let faceKinds: [FaceKind]
    /// Electrode faces driven by each terminal.
    let terminalElectrodes: [[Int]]
    /// Per terminal, the reference capacitance C_ref its charge unknown is divided by
    /// (scaled, ε0/L0 per L0^(d−1)): Σ over its electrode faces of the face's diffuse-layer
    /// (Debye) capacitance εr·â/λ̂ of the electrolyte there (``referenceCapacitance``). The
    /// unknown then reads as the potential that charge puts across that capacitance and
    /// shares the potentials' absolute tolerance: an error of absolutePotential on it
    /// is a charge error of absolutePotential·C_ref, independent of the mesh.
    let terminalScale: [Double]
    /// Per terminal: connected only through ohmic electron contacts (``ElectronTransport``),
    /// with no double layer: it stores no charge, and under a current drive its charge
    /// row is algebraic (the currents through its contacts balance the drive).
    let resistiveTerminal: [Bool]
    /// Electrode faces whose charge the integrator monitors, and those charges as
    /// linear functionals of the state (``monitoredCharges(faceKinds:layout:)``).
    let monitoredFaces: [Int]
    /// Terminals without circuit unknowns whose charge the integrator monitors.
    let monitoredTerminals: [Int]
    public let monitoredQuantities: [MonitoredQuantity]
    /// The interior continuity faces prepared for the vectorised kernel and for threads
    /// (``ContinuityPlan``); built last, from `faceKinds`.
    let continuityPlan: ContinuityPlan
    /// The last face record's residual, for the integrator's next evaluation (``ResidualCache``).
    let residualCache = ResidualCache()

    /// - Parameter circuit: per terminal, whether it gets circuit unknowns (potential and
    ///   electrode charge; ``StateLayout``). nil: every terminal, so any drives work; a run
    ///   passes the terminals its schedule drives by current or leaves open.
    public init(problem: PNPProblem, mesh: Mesh, scales: Scales? = nil, extraGlobals: Int = 0, circuit: [Bool]? = nil) throws {
        let issues = problem.validate()
        if !issues.isEmpty { throw DiscretisationError.invalidProblem(issues) }
        self.problem = problem
        self.mesh = mesh
        let s = scales ?? Scales(problem: problem)
        self.scales = s
        let layout = StateLayout(mesh: mesh, problem: problem, concentrationScale: s.concentration, extraGlobals: extraGlobals,
                                 circuit: circuit)
        self.layout = layout
        terminalColumn = problem.terminals.indices.map { layout.terminalPotential($0) ?? -1 }
        sparsity = layout.sparsity(mesh: mesh)
        let L0 = s.length
        let d = Double(mesh.dimension)
        let volume = mesh.cells.map { $0.volume / pow(L0, d) }
        self.volume = volume
        let faceArea = mesh.faces.map { $0.area / pow(L0, d - 1) }
        self.faceArea = faceArea
        kappa = s.poissonCoupling
        let vt = problem.thermalVoltage
        layerPermittivity = problem.layers.map(\.permittivity)
        layerCharge = problem.layers.map { $0.species.map { Double(problem.species[$0.species].charge) } }
        let RT = PhysicalConstants.gasConstant * problem.temperature
        layerMu0 = problem.layers.map { $0.species.map { $0.standardChemicalPotential / RT } }
        layerFixed = problem.layers.map { $0.fixedCharge / s.concentration }
        layerPoisson = problem.layers.map { $0.electrostatics == .poisson }
        let bulk = problem.layers.map { l in
            BulkLaws.law(for: l, charge: l.species.first.map { Double(problem.species[$0.species].charge) } ?? 1, scales: s)
        }
        self.bulk = bulk
        hosts = bulk.map { $0 as? HostLattice }
        lattices = bulk.map { $0 as? BikermanLattice }
        let na = PhysicalConstants.avogadro * s.concentration
        electrons = problem.layers.map { l in
            l.semiconductor.map {
                Electrons($0, densityScale: na, thermalVoltage: vt)
            }
        }
        speciesNames = problem.species.map(\.name)

        /// `reversed`: the host receives from a metal (metal | host transfer), which swaps
        /// the roles of the anodic and cathodic coefficients.
        func reaction(
            _ k: ButlerVolmer, species: Int, electrolyteLayer: LayerPhysics, hostCell: Int, fixedU: Double, area: Double,
            reversed: Bool = false
        ) -> Reaction {
            let z = Double(problem.species[species].charge)
            let (alphaA, alphaC) = reversed ? (k.alphaCathodic, k.alphaAnodic) : (k.alphaAnodic, k.alphaCathodic)
            return Reaction(
                slot: electrolyteLayer.slot(of: species)!, species: species, hostCell: hostCell, z: z,
                rate: k.exchangeCurrent * L0 / (z * PhysicalConstants.faraday * s.concentration * s.diffusivity),
                alphaA: alphaA, alphaC: alphaC, cRef: k.referenceConcentration / s.concentration,
                thetaRef: k.referenceFilling, fixedU: fixedU / vt, area: area,
                law: k.law.transferLaw(alphaAnodic: alphaA, alphaCathodic: alphaC,
                                       thermalEnergy: PhysicalConstants.elementaryCharge * vt))
        }
        func source(_ terminal: Int?) -> Source { terminal.map { .terminal($0) } ?? .fixed(.constant(0)) }

        var kinds: [FaceKind] = []
        var byTerminal = [[Int]](repeating: [], count: problem.terminals.count)
        for (fi, f) in mesh.faces.enumerated() {
            let la = mesh.cellRegion[f.a]
            let A = problem.layers[la]
            let area = faceArea[fi]
            let dA = f.distanceA / L0
            guard let b = f.b else {
                // Lateral sides of a 2D mesh ("left", "right"): closed — no species flux
                // and no normal displacement.
                guard let side = f.boundary else {
                    kinds.append(.closed)
                    continue
                }
                // Outer boundary at either end of the stack.
                let bc = side == .first ? problem.first : problem.last
                let poisson = A.electrostatics == .poisson
                var e = Electrode(face: fi, cell: f.a, direction: side == .first ? -1 : 1, g0: 0, sternArea: .infinity,
                                  source: .none, outer: side, reactions: [])
                // The contact laws are read here, once: the assembly sees only the face's record.
                let metal = bc.metal
                if poisson, let metal {
                    e.g0 = area * A.permittivity / dA
                    if let c = metal.sternCapacitance { e.sternArea = c * L0 / PhysicalConstants.vacuumPermittivity * area }
                    switch metal.potential {
                    case .prescribed(let v): e.source = .fixed(v)
                    case .terminal(let t):
                        e.source = .terminal(t)
                        e.pzc = metal.potentialOfZeroCharge / vt
                        byTerminal[t].append(fi)
                    }
                } else if !poisson, let metal, let t = metal.terminal {
                    e.source = .terminal(t)
                    if let et = A.electronTransport {
                        // A mixed conductor's electrons cross the face through its ohmic contact,
                        // which shorts the metal | host double layer (not modelled there).
                        if let r = side == .first ? et.firstContact : et.lastContact {
                            e.electronContact = ElectronContact(terminal: t, cell: f.a, layer: la, area: area, d: dA, resistance: r, inverseLength: 1 / L0)
                        }
                    } else if let c = metal.sternCapacitance, A.host != nil, let ht = A.electronTerminal, ht != t {
                        e.contact = c * L0 / PhysicalConstants.vacuumPermittivity * area
                        e.contactHost = ht
                        byTerminal[t].append(fi)
                        byTerminal[ht].append(fi)
                    }
                }
                for k in bc.species.keys.sorted() {
                    let law = bc.species[k]!
                    if let slot = A.slot(of: k) {
                        if let c = law.concentration { e.reservoirs.append(BoundarySpecies(slot: slot, species: k, value: c)) }
                        if let j = law.influx { e.influxes.append(BoundarySpecies(slot: slot, species: k, value: j)) }
                    }
                    guard let transfer = law.metalTransfer else { continue }
                    let (kin, u0) = (transfer.kinetics, transfer.equilibriumPotential)
                    if A.host != nil && !poisson, let ht = A.electronTerminal {
                        // Metal | neutral host: the ion moves between the host's first cell and the
                        // metal, the host's electrons at its own terminal (see `transfer`).
                        var r = reaction(kin, species: k, electrolyteLayer: A, hostCell: f.a, fixedU: u0, area: area, reversed: true)
                        r.cRef = 1
                        r.hostTerminal = ht
                        e.reactions.append(r)
                    } else {
                        e.reactions.append(reaction(kin, species: k, electrolyteLayer: A, hostCell: -1, fixedU: u0, area: area))
                    }
                }
                kinds.append(.electrode(e))
                continue
            }
            let lb = mesh.cellRegion[b]
            let B = problem.layers[lb]
            let dB = f.distanceB / L0
            if la == lb || (A.host == nil && B.host == nil) {
                // Continuity (inside a layer, or between two electrolytes).
                let bothPoisson = layerPoisson[la] && layerPoisson[lb]
                let eps = (dA + dB) / (dA / A.permittivity + dB / B.permittivity)
                var links: [Link] = []
                for (sa, spA) in A.species.enumerated() {
                    guard let sb = B.slot(of: spA.species) else { continue }
                    let spB = B.species[sb]
                    // In-plane anisotropy on x-normal faces (×1 elsewhere, which is exact).
                    let (fa, fb) = (spA.diffusivityFactor(normal: f.normal), spB.diffusivityFactor(normal: f.normal))
                    let da = spA.diffusivity * fa / s.diffusivity
                    let db = spB.diffusivity * fb / s.diffusivity
                    let dh = (dA + dB) / (dA / da + dB / db)
                    links.append(Link(
                        slotA: sa, slotB: sb, z: Double(problem.species[spA.species].charge), g: dh * area / (dA + dB),
                        hostGeometry: A.host != nil && la == lb ? fa * area / (dA + dB) : 0,
                        dmu0: (spB.standardChemicalPotential - spA.standardChemicalPotential) / RT))
                }
                if la == lb, A.electronTransport != nil, let link = links.first {
                    kinds.append(.mixed(MixedFace(link: link, layer: la, area: area, dA: dA, dB: dB)))
                    continue
                }
                kinds.append(.continuity(links: links, poisson: bothPoisson ? area * eps / (dA + dB) : 0))
                continue
            }
            // An interface between an electrolyte and a host.
            let law = problem.interface(min(la, lb))
            let electrolyteIsA = A.host == nil
            let (ce, ch) = electrolyteIsA ? (f.a, b) : (b, f.a)
            let E = electrolyteIsA ? A : B
            let H = electrolyteIsA ? B : A
            let dE = electrolyteIsA ? dA : dB
            let stern = law.sternCapacitance
            let pzc = law.potentialOfZeroCharge / vt
            let sternArea = stern.map { $0 * L0 / PhysicalConstants.vacuumPermittivity * area } ?? .infinity
            if H.electrostatics == .poisson, E.electrostatics == .poisson, let sc = H.semiconductor {
                let gE = area * E.permittivity / dE
                let gH = area * H.permittivity / (electrolyteIsA ? dB : dA)
                let g = 1 / (1 / gE + 1 / gH + 1 / sternArea)
                var rs: [Reaction] = []
                for t in law.transfers { rs.append(reaction(t.kinetics, species: t.species, electrolyteLayer: E, hostCell: ch, fixedU: 0, area: area)) }
                kinds.append(.semiconductor(SemiconductorFace(face: fi, electrolyte: ce, host: ch, gE: gE, g: g, pzc: pzc, terminal: sc.terminal, reactions: rs)))
            } else if H.isNeutralHost {
                var e = Electrode(face: fi, cell: ce, direction: electrolyteIsA ? 1 : -1,
                                  g0: E.electrostatics == .poisson ? area * E.permittivity / dE : 0,
                                  sternArea: sternArea, pzc: pzc, source: source(H.electronTerminal), outer: nil, reactions: [])
                for t in law.transfers { e.reactions.append(reaction(t.kinetics, species: t.species, electrolyteLayer: E, hostCell: ch, fixedU: 0, area: area)) }
                if let t = H.electronTerminal { byTerminal[t].append(fi) }
                kinds.append(.electrode(e))
            } else {
                kinds.append(.closed)
            }
        }
        faceKinds = kinds
        terminalElectrodes = byTerminal
        let terminalScale = byTerminal.map { faces in
            let c = faces.reduce(0.0) { sum, fi in
                guard case .electrode(let e) = kinds[fi], e.g0 != 0 else { return sum }
                return sum + Self.referenceCapacitance(e, problem: problem, mesh: mesh, area: faceArea[fi], scales: s)
            }
            return c > 0 ? c : 1
        }
        self.terminalScale = terminalScale
        let (faces, faceQuantities) = Self.monitoredCharges(faceKinds: kinds, layout: layout) { e in
            Self.referenceCapacitance(e, problem: problem, mesh: mesh, area: faceArea[e.face], scales: s)
        }
        let (terminals, terminalQuantities) = Self.monitoredTerminalCharges(
            faceKinds: kinds, layout: layout, terminalElectrodes: byTerminal, terminalScale: terminalScale)
        monitoredFaces = faces
        monitoredTerminals = terminals
        monitoredQuantities = faceQuantities + terminalQuantities
        standardDrives = .grounded(terminals: problem.terminals.count)
        // A terminal that meets a mixed conductor only through its ohmic contacts and ion
        // transfers stores no charge: driven by current, its charge row is the algebraic
        // balance of the currents through them.
        let storesCharge = byTerminal.map { faces in
            faces.contains { fi in
                guard case .electrode(let e) = kinds[fi] else { return false }
                return e.g0 != 0 || e.contact > 0
            }
        }
        let touchesMixedConductor = (0..<problem.terminals.count).map { j in
            kinds.contains {
                guard case .electrode(let e) = $0, case .terminal(let t) = e.source, t == j else { return false }
                return problem.layers[mesh.cellRegion[e.cell]].electronTransport != nil
            }
        }
        resistiveTerminal = zip(storesCharge, touchesMixedConductor).map { !$0 && $1 }
        mass = Self.massVector(layout: layout, volume: volume, controls: standardDrives.controls, t0: s.time,
                               resistive: resistiveTerminal)
        continuityPlan = ContinuityPlan(
            problem: problem, mesh: mesh, layout: layout, sparsity: sparsity, faceKinds: kinds, bulk: bulk, hosts: hosts)
    }

    /// M = v̂·t0 on Nernst–Planck rows, t0 on the charge rows of current-controlled
    /// terminals, 0 on algebraic rows.
    static func massVector(layout: StateLayout, volume: [Double], controls: [TerminalControl], t0: Double, resistive: [Bool]) -> [Double] {
        var m = [Double](repeating: 0, count: layout.size)
        for i in 0..<layout.cellCount {
            for k in 0..<layout.speciesCount(i) { m[layout.concentration(i, k)] = volume[i] * t0 }
        }
        for (j, c) in controls.enumerated() where c.mode == .current {
            guard let rq = layout.terminalCharge(j) else { preconditionFailure("terminal \(j) is driven by current but has no circuit unknowns") }
            if !resistive[j] { m[rq] = t0 }
        }
        return m
    }

}

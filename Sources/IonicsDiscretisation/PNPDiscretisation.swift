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
/// every species slot, and per terminal its potential V̂ and electrode charge q̂.
/// For cell i with volume v̂_i and faces σ of area â_σ, centre distance d̂_σ:
///
/// - Nernst–Planck (differential, M = v̂_i): v̂ dĉ_k/dt̂ = −Σ_σ â_σ Ĵ_k,σ + ŝ_k with the
///   Scharfetter–Gummel flux from cell a to b,
///   Ĵ = (D̂_σ/d̂_σ) [B(Δψ) ĉ_a − B(−Δψ) ĉ_b],  Δψ = z(φ̂_b − φ̂_a) + μ̂_ex,b − μ̂_ex,a + (μ°_b − μ°_a)/RT,
///   the excess chemical potential (steric, or a host's −zU(θ)/V_T − ln θ) inside the
///   Bernoulli argument (the "excess-potential" modified SG scheme, Fuhrmann, Comput.
///   Phys. Commun. 196, 166 (2015)) so a discrete Boltzmann distribution carries exactly
///   zero flux; D̂_σ is the distance-weighted harmonic mean of the two sides, or D(θ)
///   at the mean filling inside a host.
/// - Poisson (algebraic, M = 0): Σ_σ â_σ ε_σ (φ̂_b − φ̂_a)/d̂_σ + κ v̂_i (Σ z ĉ + ĉ_fix + N̂_d − n̂) + ŝ_φ = 0,
///   ε_σ the harmonic mean, exact for a permittivity jump at the face.
/// - Electrodes (outer metals, and electrolyte | neutral-host interfaces): the half-cell
///   conductance in series with the Stern capacitance to the electrode potential;
///   Butler–Volmer transfer at the reaction plane.
/// - Terminals: V̂ fixed (voltage control) or solved with dq̂/dt = i + F z R (current
///   control), q̂ the electrode charge.
///
/// Rows are assembled in the scaled time t̂ = t/t0 and the mass matrix carries t0
/// (M = v̂·t0), so the integrator's time is in seconds without rescaling any row.
public final class PNPDiscretisation: DifferentialAlgebraicSystem, @unchecked Sendable {
    public let problem: PNPProblem
    public let mesh: Mesh
    public let scales: Scales
    public let layout: StateLayout
    public var size: Int { layout.size }
    public var unknownKinds: [UnknownKind] { layout.kinds }

    /// How each terminal is driven now; the protocol changes it between segments.
    public var controls: [TerminalControl] {
        didSet { mass = Self.massVector(layout: layout, volume: volume, controls: controls, t0: scales.time) }
    }
    public private(set) var mass: [Double]
    /// Factor on every prescribed potential (bias continuation of the equilibrium solve; 1 otherwise).
    public var biasFactor: Double = 1

    // Geometry and material data in scaled units.
    let volume: [Double]
    let faceArea: [Double]
    let kappa: Double
    let layerPermittivity: [Double]
    let layerCharge: [[Double]]
    let layerMu0: [[Double]]
    let layerFixed: [Double]
    let layerPoisson: [Bool]
    let excess: [Excess]
    let electrons: [Electrons?]
    let speciesNames: [String]

    /// Excess chemical potential model of a layer.
    enum Excess {
        case none
        case steric(nu: Double)
        case host(cmax: Double, ocv: OpenCircuitPotential, z: Double, diffusivity: MonotoneTable)
    }

    /// Semiconductor electrons of a layer, scaled: n̂ = N̂_c F((φ̂ − V̂_T) − ΔÊ).
    struct Electrons {
        var nc: Double
        var offset: Double
        var doping: Double
        var terminal: Int
        var properties: SemiconductorProperties
    }

    /// Potential of an electrode: prescribed, a terminal, or none (zero field).
    enum Source {
        case fixed(TimeFunction)
        case terminal(Int)
        case none
    }

    /// A species that crosses a continuity face.
    struct Link {
        var slotA: Int
        var slotB: Int
        var z: Double
        /// D̂_σ â_σ / d̂_σ (constant diffusivity).
        var g: Double
        /// â_σ/d̂_σ when D depends on the filling (a host); 0 otherwise.
        var hostGeometry: Double
        /// (μ°_b − μ°_a)/RT.
        var dmu0: Double
    }

    /// A Butler–Volmer transfer across an electrode or semiconductor face.
    struct Reaction {
        /// Species slot on the electrolyte side.
        var slot: Int
        var species: Int
        /// Host cell receiving the intercalant, or −1 for a metal reservoir.
        var hostCell: Int
        var z: Double
        /// i0_ref·L0/(z F c0 D0): the scaled exchange rate.
        var rate: Double
        var alphaA: Double
        var alphaC: Double
        var cRef: Double
        var thetaRef: Double
        /// U0/V_T of a metal reservoir.
        var fixedU: Double
        var area: Double
        /// Marcus–Hush–Chidsey: λ/(k_B T) and 1/k(0); λ = 0 selects Butler–Volmer.
        var lambda: Double = 0
        var mhcNorm: Double = 1
        /// ≥ 0 for a metal reservoir | neutral host transfer: the host cell (`hostCell`)
        /// gives or takes the ion itself, its electrons at this terminal.
        var hostTerminal: Int = -1
    }

    /// An electrode face: a cell (with or without Poisson) against a metal or a
    /// neutral host.
    struct Electrode {
        var face: Int
        var cell: Int
        /// +1 if +y points from `cell` into the electrode.
        var direction: Double
        /// Half-cell â ε/d̂ (0 when the cell solves no Poisson or the field is zero).
        var g0: Double
        /// Ĉ_S·â, or ∞ without a Stern layer.
        var sternArea: Double
        /// Potential of zero charge, scaled (V/V_T).
        var pzc: Double = 0
        var source: Source
        var outer: Mesh.BoundarySide?
        var reactions: [Reaction]
        /// Metal | neutral host contact: its double-layer capacitance Ĉ·â (0: none) and the
        /// host's electron terminal, the capacitor's other plate.
        var contact: Double = 0
        var contactHost: Int = -1
        /// Series conductance g and the fraction θ_s = g/g0 of the drop outside the Stern layer.
        var g: Double { g0 == 0 ? 0 : 1 / (1 / g0 + 1 / sternArea) }
        var theta: Double { g0 == 0 ? 0 : g / g0 }
    }

    /// An electrolyte | semiconductor-host face: Poisson on both sides, a Stern layer between.
    struct SemiconductorFace {
        var face: Int
        var electrolyte: Int
        var host: Int
        /// â ε/d̂ of the electrolyte half-cell.
        var gE: Double
        var g: Double
        /// Potential of zero charge of the host against the electrolyte, scaled.
        var pzc: Double = 0
        var terminal: Int
        var reactions: [Reaction]
    }

    enum FaceKind {
        case continuity(links: [Link], poisson: Double)
        case electrode(Electrode)
        case semiconductor(SemiconductorFace)
        case closed
    }
    let faceKinds: [FaceKind]
    /// Electrode faces driven by each terminal.
    let terminalElectrodes: [[Int]]
    /// Per terminal, the scaled charge per thermal voltage of its electrodes, Σ g: the
    /// charge unknown is stored divided by it, so that it has the size of a potential
    /// (in thermal voltages) and shares the potentials' tolerances.
    let terminalScale: [Double]

    public init(problem: PNPProblem, mesh: Mesh, scales: Scales? = nil, extraGlobals: Int = 0) throws {
        let issues = problem.validate()
        if !issues.isEmpty { throw DiscretisationError.invalidProblem(issues) }
        self.problem = problem
        self.mesh = mesh
        let s = scales ?? Scales(problem: problem)
        self.scales = s
        let layout = StateLayout(mesh: mesh, problem: problem, concentrationScale: s.concentration, extraGlobals: extraGlobals)
        self.layout = layout
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
        excess = problem.layers.map { l in
            if let h = l.host {
                let z = Double(problem.species[l.species[0].species].charge)
                return .host(cmax: h.maximumConcentration / s.concentration, ocv: h.openCircuit, z: z == 0 ? 1 : z,
                             diffusivity: h.diffusivity)
            }
            if let a = l.stericSize { return .steric(nu: a * a * a * PhysicalConstants.avogadro * s.concentration) }
            return .none
        }
        let na = PhysicalConstants.avogadro * s.concentration
        electrons = problem.layers.map { l in
            l.semiconductor.map {
                Electrons(nc: $0.effectiveDensity / na, offset: $0.bandOffset / vt, doping: $0.doping / na, terminal: $0.terminal, properties: $0)
            }
        }
        speciesNames = problem.species.map(\.name)

        func reaction(_ k: ButlerVolmer, species: Int, electrolyteLayer: LayerPhysics, hostCell: Int, fixedU: Double, area: Double) -> Reaction {
            let z = Double(problem.species[species].charge)
            var r = Reaction(
                slot: electrolyteLayer.slot(of: species)!, species: species, hostCell: hostCell, z: z,
                rate: k.exchangeCurrent * L0 / (z * PhysicalConstants.faraday * s.concentration * s.diffusivity),
                alphaA: k.alphaAnodic, alphaC: k.alphaCathodic, cRef: k.referenceConcentration / s.concentration,
                thetaRef: k.referenceFilling, fixedU: fixedU / vt, area: area)
            if case .marcusHushChidsey(let lambda) = k.law {
                r.lambda = lambda / (PhysicalConstants.elementaryCharge * vt)
                r.mhcNorm = 1 / MarcusHushChidsey.exchange(lambda: r.lambda)
            }
            return r
        }
        func source(_ terminal: Int?) -> Source { terminal.map { .terminal($0) } ?? .fixed(.constant(0)) }

        var kinds: [FaceKind] = []
        var byTerminal = [[Int]](repeating: [], count: problem.terminals.count)
        for (fi, f) in mesh.faces.enumerated() {
            let la = mesh.cells[f.a].layer
            let A = problem.layers[la]
            let area = faceArea[fi]
            let dA = f.distanceA / L0
            guard let b = f.b else {
                // Outer boundary.
                let side = f.boundary!
                let bc = side == .first ? problem.first : problem.last
                let poisson = A.electrostatics == .poisson
                var e = Electrode(face: fi, cell: f.a, direction: side == .first ? -1 : 1, g0: 0, sternArea: .infinity,
                                  source: .none, outer: side, reactions: [])
                if poisson {
                    switch bc.potential {
                    case .potential(let v): e.g0 = area * A.permittivity / dA; e.source = .fixed(v)
                    case .stern(let c, let v):
                        e.g0 = area * A.permittivity / dA; e.source = .fixed(v)
                        e.sternArea = c * L0 / PhysicalConstants.vacuumPermittivity * area
                    case .terminal(let t, let c, let pzc):
                        e.g0 = area * A.permittivity / dA; e.source = .terminal(t)
                        if let c { e.sternArea = c * L0 / PhysicalConstants.vacuumPermittivity * area }
                        e.pzc = pzc / vt
                        byTerminal[t].append(fi)
                    case .zeroField: break
                    }
                } else if case .terminal(let t, let c, _) = bc.potential {
                    e.source = .terminal(t)
                    if let c, A.host != nil, let ht = A.electronTerminal, ht != t {
                        e.contact = c * L0 / PhysicalConstants.vacuumPermittivity * area
                        e.contactHost = ht
                        byTerminal[t].append(fi)
                        byTerminal[ht].append(fi)
                    }
                }
                for (k, condition) in bc.species {
                    if case .reaction(let kin, let u0) = condition {
                        if A.host != nil && !poisson, let ht = A.electronTerminal {
                            // Metal | neutral host: the ion moves between the host's first cell and the
                            // metal, the host's electrons at its own terminal (see `transfer`).
                            var r = reaction(kin, species: k, electrolyteLayer: A, hostCell: f.a, fixedU: u0, area: area)
                            (r.alphaA, r.alphaC) = (r.alphaC, r.alphaA)
                            r.cRef = 1
                            r.hostTerminal = ht
                            e.reactions.append(r)
                        } else {
                            e.reactions.append(reaction(kin, species: k, electrolyteLayer: A, hostCell: -1, fixedU: u0, area: area))
                        }
                    }
                }
                kinds.append(.electrode(e))
                continue
            }
            let lb = mesh.cells[b].layer
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
                    let da = spA.diffusivity / s.diffusivity
                    let db = spB.diffusivity / s.diffusivity
                    let dh = (dA + dB) / (dA / da + dB / db)
                    links.append(Link(
                        slotA: sa, slotB: sb, z: Double(problem.species[spA.species].charge), g: dh * area / (dA + dB),
                        hostGeometry: A.host != nil && la == lb ? area / (dA + dB) : 0,
                        dmu0: (spB.standardChemicalPotential - spA.standardChemicalPotential) / RT))
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
            var stern: Double?
            var pzc = 0.0
            var kin: (ButlerVolmer, Int)?
            switch law {
            case .intercalation(let c, let k, let sp, let z0): stern = c; kin = (k, sp); pzc = z0 / vt
            case .blocking(let c, let z0): stern = c; pzc = z0 / vt
            case .continuity: break
            }
            let sternArea = stern.map { $0 * L0 / PhysicalConstants.vacuumPermittivity * area } ?? .infinity
            if H.electrostatics == .poisson, E.electrostatics == .poisson, let sc = H.semiconductor {
                let gE = area * E.permittivity / dE
                let gH = area * H.permittivity / (electrolyteIsA ? dB : dA)
                let g = 1 / (1 / gE + 1 / gH + 1 / sternArea)
                var rs: [Reaction] = []
                if let (k, sp) = kin { rs.append(reaction(k, species: sp, electrolyteLayer: E, hostCell: ch, fixedU: 0, area: area)) }
                kinds.append(.semiconductor(SemiconductorFace(face: fi, electrolyte: ce, host: ch, gE: gE, g: g, pzc: pzc, terminal: sc.terminal, reactions: rs)))
            } else if H.isNeutralHost {
                var e = Electrode(face: fi, cell: ce, direction: electrolyteIsA ? 1 : -1,
                                  g0: E.electrostatics == .poisson ? area * E.permittivity / dE : 0,
                                  sternArea: sternArea, pzc: pzc, source: source(H.electronTerminal), outer: nil, reactions: [])
                if let (k, sp) = kin { e.reactions.append(reaction(k, species: sp, electrolyteLayer: E, hostCell: ch, fixedU: 0, area: area)) }
                if let t = H.electronTerminal { byTerminal[t].append(fi) }
                kinds.append(.electrode(e))
            } else {
                kinds.append(.closed)
            }
        }
        faceKinds = kinds
        terminalElectrodes = byTerminal
        terminalScale = byTerminal.map { faces in
            let g = faces.reduce(0.0) { sum, fi in
                if case .electrode(let e) = kinds[fi], e.g0 != 0 { return sum + e.g }
                return sum
            }
            return g > 0 ? g : 1
        }
        controls = [TerminalControl](repeating: .voltage(0), count: problem.terminals.count)
        mass = Self.massVector(layout: layout, volume: volume, controls: controls, t0: s.time)
    }

    /// M = v̂·t0 on Nernst–Planck rows, t0 on the charge rows of current-controlled
    /// terminals, 0 on algebraic rows.
    static func massVector(layout: StateLayout, volume: [Double], controls: [TerminalControl], t0: Double) -> [Double] {
        var m = [Double](repeating: 0, count: layout.size)
        for i in 0..<layout.cellCount {
            for k in 0..<layout.speciesCount(i) { m[layout.concentration(i, k)] = volume[i] * t0 }
        }
        for (j, c) in controls.enumerated() where c.mode == .current { m[layout.terminalCharge(j)] = t0 }
        return m
    }

    // MARK: - State helpers

    /// The initial state: uniform initial concentrations, zero potentials and charges.
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

    /// Filling θ of every host cell (NaN outside hosts).
    public func filling(_ u: [Double]) -> [Double] {
        (0..<mesh.cellCount).map { i in
            guard case .host(let cmax, _, _, _) = excess[mesh.cells[i].layer] else { return .nan }
            return u[layout.firstSpecies[i]] / cmax
        }
    }

    /// Electron density per cell, m⁻³ (NaN outside semiconductors).
    public func electronDensity(_ u: [Double]) -> [Double] {
        (0..<mesh.cellCount).map { i in
            guard let e = electrons[mesh.cells[i].layer], layout.potential[i] >= 0 else { return .nan }
            let vT = u[layout.terminalPotential(e.terminal)]
            return e.nc * e.properties.occupancy(u[layout.potential[i]] - vT - e.offset).value
                * PhysicalConstants.avogadro * scales.concentration
        }
    }

    /// Terminal j's potential (V) and electrode charge (C per m² of cross-section).
    public func terminalState(_ u: [Double], _ j: Int) -> (potential: Double, charge: Double) {
        (u[layout.terminalPotential(j)] * scales.thermalVoltage,
         u[layout.terminalCharge(j)] * terminalScale[j] * scales.displacement * pow(scales.length, Double(mesh.dimension) - 1))
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

    /// Amount of each species per unit area in layer l, mol/m².
    public func inventory(_ u: [Double], layer l: Int) -> [Double] {
        var n = [Double](repeating: 0, count: problem.species.count)
        for i in mesh.cells(inLayer: l) {
            for (k, sp) in problem.layers[l].species.enumerated() {
                n[sp.species] += u[layout.concentration(i, k)] * mesh.cells[i].volume * scales.concentration
            }
        }
        return n
    }

    /// Charge density per cell, C/m³ (mobile ions, fixed charge, donors and electrons;
    /// zero in neutral layers).
    public func chargeDensity(_ u: [Double]) -> [Double] {
        (0..<mesh.cellCount).map { i in
            let l = mesh.cells[i].layer
            guard layout.potential[i] >= 0 else { return 0 }
            var rho = layerFixed[l]
            for (k, z) in layerCharge[l].enumerated() { rho += z * u[layout.concentration(i, k)] }
            if let e = electrons[l] {
                rho += e.doping - e.nc * e.properties.occupancy(u[layout.potential[i]] - u[layout.terminalPotential(e.terminal)] - e.offset).value
            }
            return PhysicalConstants.faraday * scales.concentration * rho
        }
    }

    // MARK: - Local laws

    /// Excess chemical potentials of the slots of cell i (`mu[s]`) and their
    /// derivatives with respect to the cell's concentrations (`dmu[s·n + s′]`).
    @inline(__always)
    func excessPotential(_ u: UnsafeBufferPointer<Double>, _ i: Int, mu: inout [Double], dmu: inout [Double]) throws {
        let l = mesh.cells[i].layer
        let n = layout.speciesCount(i)
        let first = layout.firstSpecies[i]
        switch excess[l] {
        case .none:
            for s in 0..<n { mu[s] = 0 }
            for s in 0..<(n * n) { dmu[s] = 0 }
        case .steric(let nu):
            var sum = 0.0
            for k in 0..<n { sum += u[first + k] }
            let free = 1 - nu * sum
            if !(free > 0) { throw DiscretisationError.overpacked(cell: i, layer: problem.layers[l].name) }
            for s in 0..<n { mu[s] = -log(free) }
            for s in 0..<(n * n) { dmu[s] = nu / free }
        case .host(let cmax, let ocv, let z, _):
            let theta = u[first] / cmax
            if !(theta > 0 && theta < 1) {
                throw DiscretisationError.fillingOutOfRange(cell: i, layer: problem.layers[l].name, filling: theta)
            }
            let (uu, du) = ocv.evaluate(theta, thermalVoltage: scales.thermalVoltage, charge: z)
            let vt = scales.thermalVoltage
            mu[0] = -z * uu / vt - log(theta)
            dmu[0] = (-z * du / vt - 1 / theta) / cmax
        }
    }

    /// Scaled electrode potential and the column of its unknown (−1 when prescribed).
    @inline(__always)
    func sourcePotential(_ s: Source, _ u: UnsafeBufferPointer<Double>, _ t: Double) -> (value: Double, column: Int) {
        switch s {
        case .fixed(let f): return (biasFactor * f(t) / scales.thermalVoltage, -1)
        case .terminal(let j): return (u[layout.terminalPotential(j)], layout.terminalPotential(j))
        case .none: return (0, -1)
        }
    }

    /// Nondimensional boundary concentration of `species` on `side` at time t, if fixed.
    func boundaryConcentration(_ side: Mesh.BoundarySide, species: Int, time t: Double) -> Double? {
        let b = side == .first ? problem.first : problem.last
        if case .concentration(let c) = b.condition(for: species) { return c(t) / scales.concentration }
        return nil
    }

    /// Excess potential on a reservoir face: from the boundary concentrations of the
    /// layer's species (the initial ones where not fixed).
    func stericAtBoundary(_ side: Mesh.BoundarySide, layer l: Int, time t: Double) -> Double {
        guard case .steric(let nu) = excess[l] else { return 0 }
        var sum = 0.0
        for sp in problem.layers[l].species {
            sum += boundaryConcentration(side, species: sp.species, time: t) ?? sp.initialConcentration / scales.concentration
        }
        return -log(max(1 - nu * sum, 1e-300))
    }

    /// Butler–Volmer insertion rate (scaled, per area) and its partial derivatives
    /// with respect to ĉ_e, the electron-minus-reaction-plane potential difference
    /// Δ = V̂ − φ̂_s, and the host concentration ĉ_h.
    @inline(__always)
    func reactionRate(_ r: Reaction, ce: Double, delta: Double, ch: Double) -> (rate: Double, dce: Double, ddelta: Double, dch: Double) {
        var uHat = r.fixedU
        var duHat = 0.0
        var hostFactor = 1.0
        var dHostFactor = 0.0
        if r.hostCell >= 0, case .host(let cmax, let ocv, let z, _) = excess[mesh.cells[r.hostCell].layer] {
            let theta = min(max(ch / cmax, 1e-300), 1 - 1e-16)
            let (uu, du) = ocv.evaluate(theta, thermalVoltage: scales.thermalVoltage, charge: z)
            uHat = uu / scales.thermalVoltage
            duHat = du / scales.thermalVoltage / cmax
            let ref = pow(r.thetaRef, r.alphaC) * pow(1 - r.thetaRef, r.alphaA)
            hostFactor = pow(theta, r.alphaC) * pow(1 - theta, r.alphaA) / ref
            dHostFactor = hostFactor * (r.alphaC / theta - r.alphaA / (1 - theta)) / cmax
        }
        let eta0 = delta - uHat
        let ratio = max(ce, 0) / r.cRef
        let order = r.alphaA + r.alphaC
        if r.lambda > 0 {
            // Marcus–Hush–Chidsey: insertion is the reduction, k_red(x) = k_ox(−x).
            let x = r.z * eta0
            let red = MarcusHushChidsey.oxidation(-x, lambda: r.lambda)
            let ox = MarcusHushChidsey.oxidation(x, lambda: r.lambda)
            let forwardC = pow(ratio, order)
            let k = r.rate * hostFactor * r.mhcNorm
            let rate = k * (forwardC * red.value - ox.value)
            let dForwardC = ratio > 0 ? order * forwardC / ratio / r.cRef : (order == 1 ? 1 / r.cRef : 0)
            let dEta = k * r.z * (-forwardC * red.derivative - ox.derivative)
            return (rate, k * dForwardC * red.value, dEta,
                    r.rate * r.mhcNorm * dHostFactor * (forwardC * red.value - ox.value) - dEta * duHat)
        }
        let argF = min(-r.alphaC * r.z * eta0, 300)
        let argB = min(r.alphaA * r.z * eta0, 300)
        let forwardC = pow(ratio, order)
        let eF = exp(argF)
        let eB = exp(argB)
        let k = r.rate * hostFactor
        let rate = k * (forwardC * eF - eB)
        let dForwardC = ratio > 0 ? order * forwardC / ratio / r.cRef : (order == 1 ? 1 / r.cRef : 0)
        let dEta = k * (-r.alphaC * r.z * forwardC * eF - r.alphaA * r.z * eB)
        return (rate,
                k * dForwardC * eF,
                dEta,
                r.rate * dHostFactor * (forwardC * eF - eB) - dEta * duHat)
    }

    // MARK: - Residual and Jacobian

    public func makeJacobian() -> BorderedBandMatrix {
        BorderedBandMatrix(bandSize: layout.bandSize, lower: layout.lower, upper: layout.upper, borderCount: layout.globalCount)
    }

    public func evaluate(_ state: [Double], time t: Double, f: inout [Double], jacobian: inout BorderedBandMatrix?) throws {
        try assemble(state, time: t, f: &f, jacobian: &jacobian)
    }

    /// Assembles f in scaled time (the t0 is in the mass matrix). When `record`
    /// is given, the face fluxes, displacements, terminal currents and source totals
    /// are written to it, so diagnostics see exactly the numbers the equations used.
    func assemble(
        _ state: [Double], time t: Double, f: inout [Double], jacobian: inout BorderedBandMatrix?,
        record: UnsafeMutablePointer<FaceRecord>? = nil
    ) throws {
        precondition(state.count == layout.size && f.count == layout.size)
        for i in f.indices { f[i] = 0 }
        let wantJ = jacobian != nil
        if wantJ { jacobian!.setZero() }
        let lay = layout
        let maxSlots = max(1, problem.layers.map(\.species.count).max() ?? 1)
        func body(_ acc: JacobianAccumulator?) throws {
        try state.withUnsafeBufferPointer { u in
            // Excess chemical potentials per cell.
            var mu = [Double](repeating: 0, count: mesh.cellCount * maxSlots)
            var dmu = [Double](repeating: 0, count: mesh.cellCount * maxSlots * maxSlots)
            var cellMu = [Double](repeating: 0, count: maxSlots)
            var cellDmu = [Double](repeating: 0, count: maxSlots * maxSlots)
            for i in 0..<mesh.cellCount {
                try excessPotential(u, i, mu: &cellMu, dmu: &cellDmu)
                let n = lay.speciesCount(i)
                for s in 0..<n {
                    mu[i * maxSlots + s] = cellMu[s]
                    for s2 in 0..<n { dmu[(i * maxSlots + s) * maxSlots + s2] = cellDmu[s * n + s2] }
                }
            }

            // Cell terms: charge in Poisson, electrons, sources.
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
                        if wantJ && z != 0 { acc!.add(kappa * volume[i] * z, row: p, column: first + k) }
                    }
                    if let e = electrons[l] {
                        let tc = lay.terminalPotential(e.terminal)
                        let (occ, docc) = e.properties.occupancy(u[p] - u[tc] - e.offset)
                        rho += e.doping - e.nc * occ
                        if wantJ {
                            acc!.add(-kappa * volume[i] * e.nc * docc, row: p, column: p)
                            acc!.add(kappa * volume[i] * e.nc * docc, row: p, column: tc)
                        }
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

            // Terminal bookkeeping: electrode charge Σσ and faradaic charge rate Σ z â R.
            var sigma = [Double](repeating: 0, count: lay.terminalCount)
            var faradaic = [Double](repeating: 0, count: lay.terminalCount)

            /// Adds the reaction r between electrolyte cell `ce` and its host (or metal),
            /// with reaction-plane potential φ_s = φ_ce + θ(V − φ_ce) (or the semiconductor form).
            func react(_ r: Reaction, ce: Int, delta: Double, dDelta: [(Int, Double)], terminal: Int?, face fi: Int, direction: Double) {
                let ie = lay.firstSpecies[ce] + r.slot
                let ih = r.hostCell >= 0 ? lay.firstSpecies[r.hostCell] : -1
                let (rate, dce, dd, dch) = reactionRate(r, ce: u[ie], delta: delta, ch: ih >= 0 ? u[ih] : 0)
                let flux = r.area * rate
                f[ie] -= flux
                if ih >= 0 { f[ih] += flux }
                if let j = terminal { faradaic[j] += r.z * flux }
                record?.pointee.add(face: fi, species: r.species, direction * flux)
                if let j = terminal { record?.pointee.terminalFaradaic[j] -= r.z * flux }
                guard wantJ else { return }
                func both(_ column: Int, _ value: Double) {
                    acc!.add(-r.area * value, row: ie, column: column)
                    if ih >= 0 { acc!.add(r.area * value, row: ih, column: column) }
                    if let j = terminal, controls[j].mode == .current {
                        acc!.add(r.z * r.area * value * kappa / terminalScale[j], row: lay.terminalCharge(j), column: column)
                    }
                }
                both(ie, dce)
                if ih >= 0 { both(ih, dch) }
                for (column, v) in dDelta where column >= 0 { both(column, dd * v) }
            }

            /// Ion transfer between a metal reservoir (potential V_m, equilibrium potential U_m)
            /// and the neutral host cell next to it (electrons at V_h, open-circuit potential
            /// U(θ)): insertion into the host at
            ///     R = k·f(θ)·[e^{α_a x} − e^{−α_c x}],  x = z[(V_m − V_h) − (U_m − U(θ))]/V_T,
            /// i.e. ``reactionRate`` with the host as receiver, a unit concentration factor and
            /// Δ = U_m − (V_m − V_h). R = 0 when the two electrochemical potentials of the ion
            /// agree; a metal driven below it draws the ion out of the host.
            func transfer(_ r: Reaction, metal v: Double, metalColumn: Int, terminal: Int?, face fi: Int, direction: Double) {
                let ih = lay.firstSpecies[r.hostCell] + r.slot
                let hv = lay.terminalPotential(r.hostTerminal)
                let (rate, _, dd, dch) = reactionRate(r, ce: 1, delta: r.fixedU - (v - u[hv]), ch: u[ih])
                let flux = r.area * rate
                f[ih] += flux
                // The metal's terminal takes the electrons the ion leaves, the host's gives them.
                if let j = terminal { faradaic[j] -= r.z * flux }
                faradaic[r.hostTerminal] += r.z * flux
                record?.pointee.add(face: fi, species: r.species, -direction * flux)
                if let j = terminal { record?.pointee.terminalFaradaic[j] += r.z * flux }
                record?.pointee.terminalFaradaic[r.hostTerminal] -= r.z * flux
                guard wantJ else { return }
                func row(_ column: Int, _ value: Double) {
                    acc!.add(r.area * value, row: ih, column: column)
                    if let j = terminal, controls[j].mode == .current {
                        acc!.add(-r.z * r.area * value * kappa / terminalScale[j], row: lay.terminalCharge(j), column: column)
                    }
                    if controls[r.hostTerminal].mode == .current {
                        acc!.add(r.z * r.area * value * kappa / terminalScale[r.hostTerminal], row: lay.terminalCharge(r.hostTerminal), column: column)
                    }
                }
                row(ih, dch)
                if metalColumn >= 0 { row(metalColumn, -dd) }
                row(hv, dd)
            }

            for (fi, kind) in faceKinds.enumerated() {
                switch kind {
                case .closed:
                    break
                case .continuity(let links, let ge):
                    let face = mesh.faces[fi]
                    let a = face.a
                    let b = face.b!
                    let pa = lay.potential[a]
                    let pb = lay.potential[b]
                    let firstA = lay.firstSpecies[a]
                    let firstB = lay.firstSpecies[b]
                    if ge != 0 {
                        let q = ge * (u[pb] - u[pa])
                        f[pa] += q
                        f[pb] -= q
                        record?.pointee.displacement[fi] = -q
                        if wantJ {
                            acc!.add(-ge, row: pa, column: pa)
                            acc!.add(ge, row: pa, column: pb)
                            acc!.add(ge, row: pb, column: pa)
                            acc!.add(-ge, row: pb, column: pb)
                        }
                    }
                    let withField = pa >= 0 && pb >= 0
                    let la = mesh.cells[a].layer
                    for link in links {
                        let ia = firstA + link.slotA
                        let ib = firstB + link.slotB
                        var delta = link.dmu0 + mu[b * maxSlots + link.slotB] - mu[a * maxSlots + link.slotA]
                        if withField { delta += link.z * (u[pb] - u[pa]) }
                        let (bp, bm) = Bernoulli.pair(delta)
                        let ca = u[ia]
                        let cb = u[ib]
                        var g = link.g
                        var dgA = 0.0
                        var dgB = 0.0
                        if link.hostGeometry != 0, case .host(let cmax, _, _, let table) = excess[la] {
                            let (dv, ddv) = table.evaluate(0.5 * (ca + cb) / cmax)
                            g = dv / scales.diffusivity * link.hostGeometry
                            dgA = ddv / scales.diffusivity * link.hostGeometry * 0.5 / cmax
                            dgB = dgA
                        }
                        let flux = g * (bp * ca - bm * cb)
                        f[ia] -= flux
                        f[ib] += flux
                        record?.pointee.add(face: fi, species: problem.layers[la].species[link.slotA].species, flux)
                        guard wantJ else { continue }
                        let core = bp * ca - bm * cb
                        let dca = g * bp + dgA * core
                        let dcb = -g * bm + dgB * core
                        let dd = g * (Bernoulli.derivative(delta) * ca + Bernoulli.derivative(-delta) * cb)
                        acc!.add(-dca, row: ia, column: ia)
                        acc!.add(-dcb, row: ia, column: ib)
                        acc!.add(dca, row: ib, column: ia)
                        acc!.add(dcb, row: ib, column: ib)
                        if withField && link.z != 0 {
                            let dz = dd * link.z
                            acc!.add(dz, row: ia, column: pa)
                            acc!.add(-dz, row: ia, column: pb)
                            acc!.add(-dz, row: ib, column: pa)
                            acc!.add(dz, row: ib, column: pb)
                        }
                        for k in 0..<lay.speciesCount(b) {
                            let m = dmu[(b * maxSlots + link.slotB) * maxSlots + k]
                            if m != 0 {
                                acc!.add(-dd * m, row: ia, column: firstB + k)
                                acc!.add(dd * m, row: ib, column: firstB + k)
                            }
                        }
                        for k in 0..<lay.speciesCount(a) {
                            let m = dmu[(a * maxSlots + link.slotA) * maxSlots + k]
                            if m != 0 {
                                acc!.add(dd * m, row: ia, column: firstA + k)
                                acc!.add(-dd * m, row: ib, column: firstA + k)
                            }
                        }
                    }

                case .electrode(let e):
                    let a = e.cell
                    let pa = lay.potential[a]
                    let firstA = lay.firstSpecies[a]
                    let l = mesh.cells[a].layer
                    let (v, vColumn) = sourcePotential(e.source, u, t)
                    let terminal: Int? = { if case .terminal(let j) = e.source { return j }; return nil }()
                    var phiFace = pa >= 0 ? u[pa] : 0
                    var dFaceA = 1.0
                    var dFaceV = 0.0
                    if pa >= 0 && e.g0 != 0 {
                        let g = e.g
                        let q = g * (v - e.pzc - u[pa])
                        f[pa] += q
                        record?.pointee.displacement[fi] = -e.direction * q
                        if let j = terminal { sigma[j] += q }
                        if wantJ {
                            acc!.add(-g, row: pa, column: pa)
                            if vColumn >= 0 { acc!.add(g, row: pa, column: vColumn) }
                        }
                        phiFace = u[pa] + e.theta * (v - e.pzc - u[pa])
                        dFaceA = 1 - e.theta
                        dFaceV = e.theta
                    }
                    if e.contact > 0, let j = terminal {
                        // The contact's double layer: charge Ĉ(V_m − V_h) on the metal, the opposite on the host.
                        let q = e.contact * (v - u[lay.terminalPotential(e.contactHost)])
                        sigma[j] += q
                        sigma[e.contactHost] -= q
                        record?.pointee.displacement[fi] = -e.direction * q
                    }
                    // Reactions at the reaction plane.
                    for r in e.reactions where r.hostTerminal >= 0 {
                        transfer(r, metal: v, metalColumn: vColumn, terminal: terminal, face: fi, direction: e.direction)
                    }
                    for r in e.reactions where r.hostTerminal < 0 {
                        var dDelta: [(Int, Double)] = [(vColumn, 1)]
                        if pa >= 0 { dDelta.append((pa, -dFaceA)); dDelta[0].1 -= dFaceV }
                        react(r, ce: a, delta: v - (pa >= 0 ? phiFace : 0), dDelta: dDelta, terminal: terminal, face: fi, direction: e.direction)
                    }
                    // Species boundary conditions of outer faces.
                    guard let side = e.outer else { continue }
                    let boundary = side == .first ? problem.first : problem.last
                    for (k, sp) in problem.layers[l].species.enumerated() {
                        let ia = firstA + k
                        switch boundary.condition(for: sp.species) {
                        case .blocking, .reaction:
                            break
                        case .influx(let j):
                            let inflow = faceArea[fi] * j(t) / scales.flux
                            f[ia] += inflow
                            record?.pointee.add(face: fi, species: sp.species, -e.direction * inflow)
                        case .concentration(let c):
                            let cb = c(t) / scales.concentration
                            let g = boundarySpeciesConductance(fi, layer: l, slot: k)
                            let z = layerCharge[l][k]
                            var delta = stericAtBoundary(side, layer: l, time: t) - mu[a * maxSlots + k]
                            if pa >= 0 { delta += z * (phiFace - u[pa]) }
                            let (bp, bm) = Bernoulli.pair(delta)
                            let ca = u[ia]
                            let out = g * (bp * ca - bm * cb)
                            f[ia] -= out
                            record?.pointee.add(face: fi, species: sp.species, e.direction * out)
                            guard wantJ else { continue }
                            let dd = g * (Bernoulli.derivative(delta) * ca + Bernoulli.derivative(-delta) * cb)
                            acc!.add(-g * bp, row: ia, column: ia)
                            if pa >= 0 && z != 0 {
                                acc!.add(-dd * z * (dFaceA - 1), row: ia, column: pa)
                                if vColumn >= 0 { acc!.add(-dd * z * dFaceV, row: ia, column: vColumn) }
                            }
                            for kk in 0..<lay.speciesCount(a) {
                                let m = dmu[(a * maxSlots + k) * maxSlots + kk]
                                if m != 0 { acc!.add(dd * m, row: ia, column: firstA + kk) }
                            }
                        }
                    }

                case .semiconductor(let s):
                    let pe = lay.potential[s.electrolyte]
                    let ph = lay.potential[s.host]
                    let q = s.g * (u[ph] - s.pzc - u[pe])
                    f[pe] += q
                    f[ph] -= q
                    let electrolyteFirst = s.electrolyte < s.host
                    record?.pointee.displacement[fi] = electrolyteFirst ? -q : q
                    if wantJ {
                        acc!.add(-s.g, row: pe, column: pe)
                        acc!.add(s.g, row: pe, column: ph)
                        acc!.add(s.g, row: ph, column: pe)
                        acc!.add(-s.g, row: ph, column: ph)
                    }
                    let theta = s.g / s.gE
                    let phiS = u[pe] + theta * (u[ph] - s.pzc - u[pe])
                    let vc = lay.terminalPotential(s.terminal)
                    for r in s.reactions {
                        react(r, ce: s.electrolyte, delta: u[vc] - phiS, dDelta: [(vc, 1), (pe, -(1 - theta)), (ph, -theta)],
                              terminal: nil, face: fi, direction: electrolyteFirst ? 1 : -1)
                    }
                }
            }

            // Terminal rows.
            let displacementToCurrent = 1 / (scales.displacement * pow(scales.length, Double(mesh.dimension) - 1))
            for j in 0..<lay.terminalCount {
                let rv = lay.terminalPotential(j)
                let rq = lay.terminalCharge(j)
                let control = controls[j]
                let G = terminalScale[j]
                switch control.mode {
                case .voltage:
                    f[rv] = u[rv] - biasFactor * control.value(t) / scales.thermalVoltage
                    f[rq] = u[rq] - sigma[j] / G
                    if wantJ {
                        acc!.add(1, row: rv, column: rv)
                        acc!.add(1, row: rq, column: rq)
                        addSigmaDerivatives(j, row: rq, sign: -1 / G, acc!)
                    }
                case .current:
                    f[rv] = sigma[j] / G - u[rq]
                    // t0·d(q̂/G)/dt = [t0·i/(scaled displacement) + κ Σ z â R̂] / G.
                    f[rq] = (control.value(t) * displacementToCurrent * scales.time + kappa * faradaic[j]) / G
                    if wantJ {
                        acc!.add(-1, row: rv, column: rq)
                        addSigmaDerivatives(j, row: rv, sign: 1 / G, acc!)
                    }
                }
            }
        }
        }
        if wantJ { try jacobian!.withAccumulator { try body($0) } } else { try body(nil) }
    }

    /// Adds sign·∂(Σσ_j)/∂u to `row` (σ = g (V − φ_a) on each electrode face of terminal j;
    /// `sign` carries the 1/G scaling of the charge unknown).
    func addSigmaDerivatives(_ j: Int, row: Int, sign: Double, _ acc: JacobianAccumulator) {
        for fi in terminalElectrodes[j] {
            if case .electrode(let e) = faceKinds[fi], e.contact > 0, case .terminal(let m) = e.source {
                // σ_m = Ĉ(V_m − V_h) and σ_h = −σ_m.
                let s = j == m ? sign : -sign
                acc.add(s * e.contact, row: row, column: layout.terminalPotential(m))
                acc.add(-s * e.contact, row: row, column: layout.terminalPotential(e.contactHost))
                continue
            }
            guard case .electrode(let e) = faceKinds[fi], e.g0 != 0 else { continue }
            let pa = layout.potential[e.cell]
            guard pa >= 0 else { continue }
            acc.add(sign * e.g, row: row, column: layout.terminalPotential(j))
            acc.add(-sign * e.g, row: row, column: pa)
        }
    }

    /// D̂ â / d̂ between cell a's centre and its outer face, for a reservoir species.
    func boundarySpeciesConductance(_ fi: Int, layer l: Int, slot k: Int) -> Double {
        let f = mesh.faces[fi]
        return problem.layers[l].species[k].diffusivity / scales.diffusivity * faceArea[fi] / (f.distanceA / scales.length)
    }

    // MARK: - Face fluxes

    /// What crossed each face at one state: species fluxes and electric displacement in
    /// the +y direction, and the terminals' faradaic currents, in SI units.
    public struct FaceRecord: Sendable {
        public let speciesCount: Int
        /// Species flux per face, face-major (`face·speciesCount + species`): scaled
        /// while assembling, mol/(m²·s) once converted.
        public var species: [Double]
        /// Electric displacement D_y = −ε ∂φ/∂y per face (C/m² once converted; 0 where no potential).
        public var displacement: [Double]
        /// Faradaic current into the device through each terminal, A/m² once converted.
        public var terminalFaradaic: [Double]
        /// Total source per species (∫s dV, SI).
        public var sources: [Double]

        init(faces: Int, speciesCount: Int, terminals: Int) {
            self.speciesCount = speciesCount
            species = [Double](repeating: 0, count: faces * speciesCount)
            displacement = [Double](repeating: 0, count: faces)
            terminalFaradaic = [Double](repeating: 0, count: terminals)
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

    /// Face fluxes, displacement and terminal faradaic currents of state u at time t (SI, +y).
    public func faceRecord(_ u: [Double], time t: Double) throws -> FaceRecord {
        var rec = FaceRecord(faces: mesh.faces.count, speciesCount: problem.species.count, terminals: layout.terminalCount)
        var f = [Double](repeating: 0, count: layout.size)
        var none: BorderedBandMatrix? = nil
        try withUnsafeMutablePointer(to: &rec) { try assemble(u, time: t, f: &f, jacobian: &none, record: $0) }
        let areaScale = pow(scales.length, Double(mesh.dimension) - 1)
        let fluxScale = scales.flux * areaScale
        for i in rec.species.indices { rec.species[i] *= fluxScale / mesh.faces[i / rec.speciesCount].area }
        let dScale = scales.displacement * areaScale
        for i in rec.displacement.indices { rec.displacement[i] *= dScale / mesh.faces[i].area }
        for j in rec.terminalFaradaic.indices {
            rec.terminalFaradaic[j] *= PhysicalConstants.faraday * fluxScale
        }
        return rec
    }

    // MARK: - Descriptions

    public func describe(row index: Int) -> String {
        if index >= layout.bandSize {
            let g = index - layout.bandSize
            if g < 2 * layout.terminalCount {
                let name = problem.terminals[g / 2]
                return g % 2 == 0 ? "potential of terminal \(name)" : "charge of terminal \(name)"
            }
            return "global unknown \(g - 2 * layout.terminalCount)"
        }
        let (cell, name) = locate(index)
        let c = mesh.cells[cell]
        let layer = problem.layers[c.layer].name
        return "\(name) at cell \(cell) (layer \(layer), y = \(String(format: "%.4g", c.centre * 1e9)) nm)"
    }

    public func equationName(row index: Int) -> String {
        if index >= layout.bandSize { return index - layout.bandSize < 2 * layout.terminalCount ? "terminal" : "global" }
        return locate(index).1
    }

    func locate(_ index: Int) -> (Int, String) {
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

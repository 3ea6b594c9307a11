import Foundation
public import IonicsDiscretisation
public import IonicsPhysics
import IonicsSolvers
import IonicsLinearAlgebra

/// The analytic Jacobian of the PNP discretisation and of the equilibrium problem
/// against centred finite differences, on random states of a problem that switches
/// on every term.
public enum JacobianCase {
    struct Sources: ManufacturedSources {
        func cellIntegrals(cell: Int, time: Double) -> (charge: Double, species: [Double]) {
            (1e-3 * Double(cell % 3) * (1 + time), [1e-6 * Double(cell % 5), -2e-6 * (1 + time)])
        }
    }

    /// Two layers of different permittivity, fixed charge, partition, steric sizes,
    /// a Stern layer with an influx on one side and a reservoir on the other, sources.
    public static func everyTermProblem(steric: Bool) -> (PNPProblem, Mesh) {
        let species = [Species(name: "Na+", charge: 1), Species(name: "Cl-", charge: -1)]
        let l1 = LayerPhysics(
            name: "a", thickness: 40e-9, permittivity: 20,
            species: [SpeciesInLayer(species: 0, diffusivity: 1e-10, initialConcentration: 10),
                      SpeciesInLayer(species: 1, diffusivity: 3e-10, initialConcentration: 12)],
            fixedCharge: -2, stericSize: steric ? 0.7e-9 : nil)
        let l2 = LayerPhysics(
            name: "b", thickness: 60e-9, permittivity: 60,
            species: [SpeciesInLayer(species: 0, diffusivity: 2e-10, initialConcentration: 8, standardChemicalPotential: 1500),
                      SpeciesInLayer(species: 1, diffusivity: 1e-10, initialConcentration: 8)],
            stericSize: steric ? 0.5e-9 : nil)
        let problem = PNPProblem(
            species: species, layers: [l1, l2],
            first: Boundary(potential: SternContact(capacitance: 0.2, potential: .constant(0.05)), species: [0: InfluxContact(influx: .constant(1e-7))]),
            last: Boundary(potential: IdealMetalContact(potential: TimeFunction { 0.01 * $0 }),
                           species: [0: ReservoirContact(concentration: .constant(9)), 1: ReservoirContact(concentration: .constant(9))]),
            sources: Sources())
        let mesh = Mesh.stack(thicknesses: [40e-9, 60e-9],
                              specs: [LayerMeshSpec(cells: 7, growth: 1.3), LayerMeshSpec(cells: 9, growth: 1.2, grading: .start)])
        return (problem, mesh)
    }

    /// Device stacks: (1) neutral host gate | electrolyte | semiconductor host channel,
    /// (2) metal reservoir gate | electrolyte | neutral host channel, (3) metal reservoir |
    /// neutral host (ion transfer into the host; both rate laws); intercalation and
    /// reservoir reactions with Stern layers (Butler–Volmer, and Marcus–Hush–Chidsey at the
    /// semiconductor), terminals in voltage or current mode.
    public static func deviceProblems() -> [(PNPProblem, Mesh)] {
        let species = [Species(name: "H+", charge: 1), Species(name: "A-", charge: -1)]
        let kinetics = ButlerVolmer(exchangeCurrent: 5, alphaAnodic: 0.4, alphaCathodic: 0.6, referenceConcentration: 50)
        let marcus = ButlerVolmer(exchangeCurrent: 5, referenceConcentration: 50,
                                  law: .marcusHushChidsey(reorganizationEnergy: 0.2 * 1.602_176_634e-19))
        let hostGate = HostProperties(
            maximumConcentration: 2e3, openCircuit: OpenCircuitPotential(standard: 0.1, interaction: 0.02),
            diffusivity: try! MonotoneTable(x: [0, 0.5, 1], y: [1e-12, 3e-12, 2e-12]))
        let hostChannel = HostProperties(
            maximumConcentration: 3e3,
            openCircuit: OpenCircuitPotential(standard: 0.15, excess: try! MonotoneTable(x: [0, 0.3, 1], y: [0.05, 0.0, -0.02])),
            diffusivity: try! MonotoneTable(x: [0, 1], y: [2e-12, 5e-13]))
        let electrolyte = LayerPhysics(
            name: "electrolyte", thickness: 50e-9, permittivity: 20,
            species: [SpeciesInLayer(species: 0, diffusivity: 1e-10, initialConcentration: 60),
                      SpeciesInLayer(species: 1, diffusivity: 5e-11, initialConcentration: 20)],
            fixedCharge: -40)
        let gate = LayerPhysics(name: "gate", thickness: 20e-9, permittivity: 10, electrostatics: .none,
                                species: [SpeciesInLayer(species: 0, diffusivity: 1e-12, initialConcentration: 900)],
                                host: hostGate, electronTerminal: 0)
        let semiconductor = LayerPhysics(
            name: "channel", thickness: 30e-9, permittivity: 12,
            species: [SpeciesInLayer(species: 0, diffusivity: 1e-12, initialConcentration: 300)],
            host: hostChannel,
            semiconductor: SemiconductorProperties(effectiveDensity: 2e25, bandOffset: 0.05, doping: 1e23, statistics: .fermiDirac, terminal: 1,
                                                   holes: .init(effectiveDensity: 1e25, bandGap: 0.08)))
        let neutralChannel = LayerPhysics(
            name: "channel", thickness: 30e-9, permittivity: 12, electrostatics: .none,
            species: [SpeciesInLayer(species: 0, diffusivity: 1e-12, initialConcentration: 300)],
            host: hostChannel, electronTerminal: 1)
        let mesh1 = Mesh.stack(thicknesses: [20e-9, 50e-9, 30e-9],
                               specs: [LayerMeshSpec(cells: 4, growth: 1.2), LayerMeshSpec(cells: 7, growth: 1.3), LayerMeshSpec(cells: 5, growth: 1.2)])
        let p1 = PNPProblem(
            species: species, layers: [gate, electrolyte, semiconductor],
            first: Boundary.closed, last: Boundary.closed,
            interfaces: [IntercalationInterface(stern: 0.3, kinetics: kinetics, species: 0), IntercalationInterface(stern: 0.5, kinetics: marcus, species: 0)],
            terminals: ["gate", "channel"])
        let mesh2 = Mesh.stack(thicknesses: [50e-9, 30e-9], specs: [LayerMeshSpec(cells: 7, growth: 1.3), LayerMeshSpec(cells: 5, growth: 1.2)])
        let p2 = PNPProblem(
            species: species, layers: [electrolyte, neutralChannel],
            first: Boundary(potential: TerminalContact(terminal: 0, stern: 0.25), species: [0: MetalReactionContact(kinetics: kinetics, equilibriumPotential: 0.03)]),
            last: Boundary.closed,
            interfaces: [IntercalationInterface(stern: 0.4, kinetics: kinetics, species: 0)],
            terminals: ["gate", "channel"])
        // (3) metal reservoir | neutral host (two-terminal vertical cell): ion transfer between
        // the metal and the host with the host's electrons at the other terminal.
        let hostOnly = Mesh.stack(thicknesses: [30e-9], specs: [LayerMeshSpec(cells: 6, growth: 1.2)])
        var p3s: [(PNPProblem, Mesh)] = []
        for law in [kinetics, marcus] {
            p3s.append((PNPProblem(
                species: species, layers: [neutralChannel],
                first: Boundary(potential: TerminalContact(terminal: 0, stern: 0.3), species: [0: MetalReactionContact(kinetics: law, equilibriumPotential: 0.12)]),
                last: Boundary.closed, terminals: ["top", "channel"]), hostOnly))
        }
        // (4) the same cell with electron transport through the host (a mixed conductor):
        // φ_n per cell, σ_e(θ) from a table, an ohmic contact with a law R_c(θ) at the metal
        // that exchanges the ion and one without resistance at the other metal. R_c is of
        // the order of the contact cell's d/σ_e (~1e-6 Ω·m²), so that its θ derivative is a
        // large part of the ĉ column and a wrong sign would show.
        var mixed = neutralChannel
        mixed.electronTransport = ElectronTransport(
            logConductivity: try! MonotoneTable(x: [0, 0.1, 0.2], y: [log(1e-3), log(3e-3), log(2e-2)]),
            firstContact: .filling(try! MonotoneTable(x: [0, 0.1, 0.2], y: [log(4e-6), log(1e-6), log(1e-7)])), lastContact: .constant(0))
        let p4 = PNPProblem(
            species: species, layers: [mixed],
            first: Boundary(potential: TerminalContact(terminal: 0, stern: nil), species: [0: MetalReactionContact(kinetics: kinetics, equilibriumPotential: 0.12)]),
            last: Boundary(potential: TerminalContact(terminal: 1, stern: nil)), terminals: ["top", "bottom"])
        // (5) the same with an electron-blocking first contact (ion transfer only there).
        var blocking = mixed
        blocking.electronTransport!.firstContact = nil
        var p5 = p4
        p5.layers = [blocking]
        return [(p1, mesh1), (p2, mesh2)] + p3s + [(p4, hostOnly), (p5, hostOnly)]
    }

    public static func run(trials: Int = 3) throws -> VerificationOutcome {
        var worstPNP = 0.0
        var worstEquilibrium = 0.0
        for steric in [false, true] {
            let (problem, mesh) = everyTermProblem(steric: steric)
            let d = try PNPDiscretisation(problem: problem, mesh: mesh)
            let eq = try EquilibriumProblem(problem: problem, mesh: mesh, time: 0.5)
            var rng = SystemRandomNumberGenerator.seeded(steric ? 7 : 3)
            for trial in 0..<trials {
                var u = d.initialState()
                for i in u.indices {
                    if d.unknownKinds[i] == .potential { u[i] = rng.uniform(-3, 3) } else { u[i] *= rng.uniform(0.3, 1.7) }
                }
                worstPNP = max(worstPNP, try JacobianCheck.relativeDiscrepancy(d, at: u, time: 0.3 * Double(trial)).error)
                let v = eq.initialGuess(from: u).map { $0 + 0 }
                worstEquilibrium = max(worstEquilibrium, try JacobianCheck.relativeDiscrepancy(StaticSystem(eq), at: v, time: 0).error)
            }
        }
        var worstDevice = 0.0
        for (n, (problem, mesh)) in deviceProblems().enumerated() {
            let d = try PNPDiscretisation(problem: problem, mesh: mesh)
            var rng = SystemRandomNumberGenerator.seeded(UInt64(11 + n))
            for trial in 0..<max(trials, 2) {
                // A mixed conductor's second terminal is driven by current in odd trials.
                let mixed = problem.layers.contains { $0.electronTransport != nil }
                let drives = Drives(controls: mixed && trial % 2 == 1 ? [.voltage(0.05), .currentDensity(-2)]
                                    : [trial % 2 == 0 ? .currentDensity(3) : .voltage(0.05), .voltage(0.01)])
                let u = Self.perturbedState(d, using: &rng)
                worstDevice = max(worstDevice, try JacobianCheck.relativeDiscrepancy(d.driven(by: drives), at: u, time: 0.1).error)
                let eq = try EquilibriumProblem(problem: problem, mesh: mesh)
                eq.setControls(drives.controls)
                let v = eq.initialGuess(from: u)
                worstEquilibrium = max(worstEquilibrium, try JacobianCheck.relativeDiscrepancy(StaticSystem(eq), at: v, time: 0).error)
            }
        }
        return VerificationOutcome(rows: [
            VerificationRow(caseName: "Jacobian vs finite differences", quantity: "devices (hosts, reactions, terminals): max entry error relative to its row",
                            value: worstDevice, tolerance: 1e-6),
            VerificationRow(caseName: "Jacobian vs finite differences", quantity: "PNP: max entry error relative to its row",
                            value: worstPNP, tolerance: 1e-6),
            VerificationRow(caseName: "Jacobian vs finite differences", quantity: "equilibrium: max entry error relative to its row",
                            value: worstEquilibrium, tolerance: 1e-6),
        ])
    }
}

/// A nonlinear system seen as a DAE with no differential rows (for the FD check).
struct StaticSystem<S: NonlinearSystem>: DifferentialAlgebraicSystem {
    let inner: S
    init(_ inner: S) { self.inner = inner }
    var size: Int { inner.size }
    var unknownKinds: [UnknownKind] { inner.unknownKinds }
    var mass: [Double] { [Double](repeating: 0, count: inner.size) }
    var sparsity: SparsityPattern { inner.sparsity }
    func evaluate(_ u: [Double], time: Double, f: inout [Double], jacobian: inout SparseMatrix?) throws {
        try inner.evaluate(u, residual: &f, jacobian: &jacobian)
    }
    func describe(row index: Int) -> String { inner.describe(row: index) }
    func equationName(row index: Int) -> String { inner.equationName(row: index) }
}

/// A deterministic generator (SplitMix64) for reproducible random states.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func uniform(_ lo: Double, _ hi: Double) -> Double { Double.random(in: lo..<hi, using: &self) }
}

extension JacobianCase {
    /// A state near `d`'s initial one, as the Jacobian checks draw them: potentials
    /// uniform in ±`potential` V_T, concentrations times a factor uniform in
    /// [1 − `density`, 1 + `density`), global unknowns uniform in ±`global`.
    public static func perturbedState(
        _ d: PNPDiscretisation, potential: Double = 2, density: Double = 0.5, global: Double = 1,
        using rng: inout some RandomNumberGenerator
    ) -> [Double] {
        var u = d.initialState()
        for i in u.indices {
            switch d.unknownKinds[i] {
            case .potential: u[i] = Double.random(in: -potential..<potential, using: &rng)
            case .density, .bounded: u[i] *= Double.random(in: (1 - density)..<(1 + density), using: &rng)
            case .free, .charge: u[i] = Double.random(in: -global..<global, using: &rng)
            }
        }
        return u
    }
}

extension SystemRandomNumberGenerator {
    static func seeded(_ seed: UInt64) -> SplitMix { SplitMix(state: seed) }
}

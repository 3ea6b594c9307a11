import Foundation
public import IonicsDiscretisation
public import IonicsPhysics
import IonicsSolvers
import IonicsUnits

/// A closed 2D cross-section: two electrolytes (ε 20 | 60, unequal and anisotropic
/// diffusivities, a partition of the cation) between two blocking electrodes stepped to
/// ±2 V_T at t = 0, closed at the lateral sides, from an electroneutral initial state
/// perturbed by c_±(x, y, 0) = c0 [1 + 0.4 sin(π y/L) cos(nπ x/W)]. The step drives
/// charging in y; the perturbation relaxes in x and y. For even n the data, and a
/// lateral mesh built mirror-symmetric about x = W/2, are symmetric about the mid-plane.
///
/// The lateral faces are smoothly graded (cells at the sides and at the middle a
/// quarter of the largest), the layers graded towards their faces.
public struct ClosedCell2D: Sendable {
    public var width = 200e-9
    public var thicknesses = [40e-9, 60e-9]
    public var concentration = 1.0
    public var temperature = 298.15
    /// Lateral cells (even) and cells per layer.
    public var lateralCells = 24
    public var layerCells = 12
    /// The lateral mode n of the initial perturbation.
    public var mode = 2

    public init() {}

    public var vt: Double { PhysicalConstants.thermalVoltage(kelvin: temperature) }
    public var length: Double { thicknesses.reduce(0, +) }

    public func problem() -> PNPProblem {
        let c = concentration
        func ions(_ d: [Double], _ f: [Double], mu0: Double) -> [SpeciesInLayer] {
            [SpeciesInLayer(species: 0, diffusivity: d[0], initialConcentration: c, standardChemicalPotential: mu0,
                            lateralDiffusivityFactor: f[0]),
             SpeciesInLayer(species: 1, diffusivity: d[1], initialConcentration: c, lateralDiffusivityFactor: f[1])]
        }
        let layers = [
            LayerPhysics(name: "a", thickness: thicknesses[0], permittivity: 20, species: ions([1e-10, 2e-10], [3, 0.5], mu0: 0)),
            LayerPhysics(name: "b", thickness: thicknesses[1], permittivity: 60, species: ions([2e-10, 1e-10], [1, 2], mu0: 1000)),
        ]
        let v = 2 * vt
        return PNPProblem(
            species: [Species(name: "+", charge: 1), Species(name: "−", charge: -1)], layers: layers,
            first: Boundary(potential: IdealMetalContact(potential: TimeFunction { $0 > 0 ? -v : 0 })),
            last: Boundary(potential: IdealMetalContact(potential: TimeFunction { $0 > 0 ? v : 0 })), temperature: temperature)
    }

    /// Lateral faces: the left half by u ↦ u − 0.6 sin(2πu)/(2π) on [0, ½], the right
    /// half its exact mirror image W − x.
    public func lateralFaces() -> [Double] {
        precondition(lateralCells % 2 == 0)
        let half = lateralCells / 2
        let left = (0...half).map { k -> Double in
            let u = Double(k) / Double(lateralCells)
            return width * (u - 0.6 * sin(2 * Double.pi * u) / (2 * Double.pi))
        }
        let inner = Array(left[..<half])
        return inner + [0.5 * width] + inner.reversed().map { width - $0 }
    }

    public func mesh() -> Mesh {
        Mesh.tensorProduct(thicknesses: thicknesses, specs: thicknesses.map { _ in LayerMeshSpec(cells: layerCells, growth: 1.15) },
                           lateral: lateralFaces())
    }

    /// The perturbed initial state of `d` (potentials 0; the integrator's
    /// re-initialisation at t = 0 makes them consistent).
    public func initialState(_ d: PNPDiscretisation) -> [Double] {
        var u = d.initialState()
        for i in 0..<d.mesh.cellCount {
            let p = d.mesh.cellCentroid[i]
            let bump = 1 + 0.4 * sin(Double.pi * p.y / length) * cos(Double(mode) * Double.pi * p.x / width)
            for k in 0..<d.layout.speciesCount(i) { u[d.layout.concentration(i, k)] *= bump }
        }
        return u
    }

    /// The transient from t = 0 to `end` (s) under TR-BDF2 with error control; the
    /// re-initialisation at t = 0 and every accepted step go to `observer`.
    func run(_ d: PNPDiscretisation, to end: Double, observer: (StepRecord) -> Void) throws -> [Double] {
        var options = TimeIntegratorOptions()
        options.initialStep = 1e-6 * d.scales.time
        let integrator = TRBDF2Integrator(system: d, state: initialState(d), time: 0, options: options)
        try integrator.advance(to: end, breakpoints: [Breakpoint(0, discontinuous: true)]) { observer($0) }
        return integrator.state
    }
}

/// Symmetry and conservation on the closed 2D cell (``ClosedCell2D``).
public enum ClosedCell2DCase {
    /// What one transient measured.
    public struct Measures: Sendable {
        /// Largest |u(i, j) − u(n_x − 1 − i, j)| over the run, per kind relative to the
        /// largest |φ| (potentials) or c (concentrations) of the state.
        public var mirrorError = 0.0
        /// Largest |N_k(t) − N_k(0)|/N_k(0) of Σ c·V over the run.
        public var inventoryDrift = 0.0
        /// Largest lateral spread (max − min over a row)/max of any concentration at the end:
        /// how far from laterally uniform the fields are (that the checks are not vacuous).
        public var lateralSpread = 0.0
        public var steps = 0
    }

    /// Runs the cell with lateral mode `mode` over 0.05·W²/D_max (2 charging times
    /// λ_D L/D; the lateral mode relaxes to about half).
    public static func measure(mode: Int, cell: ClosedCell2D = ClosedCell2D()) throws -> Measures {
        var cell = cell
        cell.mode = mode
        let mesh = cell.mesh()
        let d = try PNPDiscretisation(problem: cell.problem(), mesh: mesh)
        let nx = mesh.lateralFaces.count - 1
        let ny = mesh.cellCount / nx
        let n0 = d.inventories(cell.initialState(d))
        var m = Measures()
        let kinds = d.unknownKinds
        func mirrorError(_ u: [Double]) -> Double {
            var scale = (phi: 0.0, c: 0.0)
            for i in 0..<mesh.cellCount {
                let p = d.layout.potential[i]
                scale.phi = max(scale.phi, abs(u[p]))
                for k in 0..<2 { scale.c = max(scale.c, abs(u[d.layout.concentration(i, k)])) }
            }
            var worst = 0.0
            for j in 0..<ny {
                for i in 0..<nx / 2 {
                    let (a, b) = (j * nx + i, j * nx + nx - 1 - i)
                    let rows = [(d.layout.potential[a], d.layout.potential[b])]
                        + (0..<2).map { (d.layout.concentration(a, $0), d.layout.concentration(b, $0)) }
                    for (ra, rb) in rows {
                        let s = kinds[ra] == .potential ? scale.phi : scale.c
                        if s > 0 { worst = max(worst, abs(u[ra] - u[rb]) / s) }
                    }
                }
            }
            return worst
        }
        let end = 0.05 * cell.width * cell.width / 2e-10
        let u = try cell.run(d, to: end) { record in
            let u = record.after
            if record.kind == .step { m.steps += 1 }
            m.mirrorError = max(m.mirrorError, mirrorError(u))
            m.inventoryDrift = max(m.inventoryDrift, zip(d.inventories(u), n0).map { abs($0 - $1) / $1 }.max()!)
        }
        for k in 0..<2 {
            let c = d.concentration(u, species: k)
            for j in 0..<ny {
                let row = c[(j * nx)..<((j + 1) * nx)]
                m.lateralSpread = max(m.lateralSpread, (row.max()! - row.min()!) / c.max()!)
            }
        }
        return m
    }

    /// Mode 2 (symmetric about x = W/2): the fields stay mirror-symmetric to 1e-10.
    public static func mirrorSymmetry() throws -> VerificationOutcome {
        let m = try measure(mode: 2)
        return VerificationOutcome(rows: [
            VerificationRow(caseName: "Closed 2D cell, symmetric perturbation (\(m.steps) TR-BDF2 steps)",
                            quantity: "largest mirror asymmetry about x = W/2 of φ, c+, c−, relative", value: m.mirrorError, tolerance: 1e-10)
        ])
    }

    /// Mode 1 (lateral transport across the whole width): Σ c·V of each species is kept to 1e-12.
    public static func inventory() throws -> VerificationOutcome {
        let m = try measure(mode: 1)
        return VerificationOutcome(rows: [
            VerificationRow(caseName: "Closed 2D cell, lateral and vertical relaxation (\(m.steps) TR-BDF2 steps)",
                            quantity: "inventory drift over the run, relative", value: m.inventoryDrift, tolerance: 1e-12)
        ])
    }
}

import Foundation
public import IonicsDiscretisation
public import IonicsPhysics
import IonicsSolvers
import IonicsUnits

/// A symmetric 1:1 electrolyte between two blocking electrodes (the charging and
/// conservation cases, and the benchmark).
public struct BlockingCell: Sendable {
    public var concentration = 1.0
    public var permittivity = 78.5
    public var diffusivity = 1e-9
    public var temperature = 298.15
    /// Half-width L in Debye lengths (electrodes 2L apart).
    public var halfWidth = 100.0
    public var cells = 240
    /// Smallest cell at each electrode, in Debye lengths.
    public var smallest = 0.05
    /// Stern capacitance (F/m²), nil for none.
    public var stern: Double?

    public init() {}

    public var lambda: Double { PNPProblem.debyeLength(concentration: concentration, permittivity: permittivity, temperature: temperature) }
    public var vt: Double { PhysicalConstants.thermalVoltage(kelvin: temperature) }
    /// λ_D·L/D, s.
    public var chargingTime: Double { lambda * halfWidth * lambda / diffusivity }

    /// The cell with ±V/2 on the electrodes after t = 0 (V in volts).
    public func problem(voltage: Double) -> PNPProblem {
        let layer = LayerPhysics(
            name: "electrolyte", thickness: 2 * halfWidth * lambda, permittivity: permittivity,
            species: [SpeciesInLayer(species: 0, diffusivity: diffusivity, initialConcentration: concentration),
                      SpeciesInLayer(species: 1, diffusivity: diffusivity, initialConcentration: concentration)])
        func wall(_ v: Double) -> any PotentialContactLaw {
            let f = TimeFunction { $0 > 0 ? v : 0 }
            if let c = stern { return SternContact(capacitance: c, potential: f) }
            return IdealMetalContact(potential: f)
        }
        return PNPProblem(
            species: [Species(name: "+", charge: 1), Species(name: "−", charge: -1)], layers: [layer],
            first: Boundary(potential: wall(-voltage / 2)), last: Boundary(potential: wall(voltage / 2)),
            temperature: temperature)
    }

    public func mesh() -> Mesh {
        Mesh.stack(thicknesses: [2 * halfWidth * lambda], specs: [LayerMeshSpec(cells: cells, smallest: smallest * lambda)])
    }
}

/// Diffuse charging of a blocking cell (Bazant, Thornton & Ajdari, Phys. Rev. E 70,
/// 021506 (2004)): after a small voltage step the diffuse charge relaxes with the
/// time constant τ_c = λ_D L/D of the RC circuit bulk resistance × double-layer
/// capacitance, and with a Stern layer of relative capacitance δ = ε/(λ_D C_S) with
/// τ = λ_D L/(D(1 + δ)).
public enum ChargingCase {
    /// Relaxation time of the electrode charge fitted to its late exponential tail.
    static func relaxationTime(_ cell: BlockingCell, voltage: Double, expected: Double) throws -> Double {
        let problem = cell.problem(voltage: voltage)
        let mesh = cell.mesh()
        let d = try PNPDiscretisation(problem: problem, mesh: mesh)
        // Final charge: the equilibrium of the closed cell under the bias.
        let eq = try EquilibriumProblem(problem: problem, mesh: mesh, time: 1)
        let final = try eq.solve()
        let qInf = try d.faceRecord(final, time: 1).displacement[0]
        var options = TimeIntegratorOptions()
        options.relativeTolerance = 1e-6
        options.absolutePotential = 1e-9
        options.absoluteDensity = 1e-9
        options.initialStep = 1e-6 * expected
        let samples = (1...60).map { Double($0) * 0.1 * expected }
        let integrator = TRBDF2Integrator(system: d, state: d.initialState(), time: 0, options: options)
        var times: [Double] = []
        var gaps: [Double] = []
        let breakpoints = [Breakpoint(0, discontinuous: true)] + samples.map { Breakpoint($0, discontinuous: false) }
        try integrator.advance(to: samples.last!, breakpoints: breakpoints) { record in
            guard record.kind == .step, samples.contains(record.end) else { return }
            let q = try d.faceRecord(record.after, time: record.end).displacement[0]
            times.append(record.end)
            gaps.append(abs(qInf - q) / abs(qInf))
        }
        // Least-squares slope of ln(gap) over t ∈ [2τ, 5τ]: the slowest mode.
        let pts = zip(times, gaps).filter { $0.0 >= 2 * expected && $0.0 <= 5 * expected }
        let n = Double(pts.count)
        let mt = pts.reduce(0) { $0 + $1.0 } / n
        let ml = pts.reduce(0) { $0 + log($1.1) } / n
        let sxy = pts.reduce(0) { $0 + ($1.0 - mt) * (log($1.1) - ml) }
        let sxx = pts.reduce(0) { $0 + ($1.0 - mt) * ($1.0 - mt) }
        return -sxx / sxy
    }

    public static func run(halfWidth: Double = 100, cells: Int = 240) throws -> VerificationOutcome {
        var cell = BlockingCell()
        cell.halfWidth = halfWidth
        cell.cells = cells
        let v = 0.02 * cell.vt
        let tc = cell.chargingTime
        let tau = try relaxationTime(cell, voltage: v, expected: tc)
        let eps = PhysicalConstants.vacuumPermittivity * cell.permittivity
        let delta = 1.0
        cell.stern = eps / (cell.lambda * delta)
        let expectedStern = tc / (1 + delta)
        let tauStern = try relaxationTime(cell, voltage: v, expected: expectedStern)
        let name = "Diffuse charging (BTA 2004), L = \(Int(halfWidth)) λ_D"
        return VerificationOutcome(rows: [
            VerificationRow(caseName: name, quantity: "τ vs λ_D L/D, relative", value: abs(tau - tc) / tc, tolerance: 0.02),
            VerificationRow(caseName: name, quantity: "τ vs λ_D L/(D(1+δ)), δ = 1, relative",
                            value: abs(tauStern - expectedStern) / expectedStern, tolerance: 0.03),
        ])
    }
}

/// Conservation in a closed cell and the exactness of the discrete equilibrium.
public enum ConservationCase {
    /// A blocking cell driven by a 4-thermal-voltage step over 10 λ_D L/D: inventories
    /// against the (zero) boundary flux, total current across every face, Gauss's law.
    public static func closedCell(halfWidth: Double = 20, cells: Int = 160) throws -> VerificationOutcome {
        var cell = BlockingCell()
        cell.halfWidth = halfWidth
        cell.cells = cells
        let problem = cell.problem(voltage: 4 * cell.vt)
        let d = try PNPDiscretisation(problem: problem, mesh: cell.mesh())
        let monitor = ConservationMonitor(discretisation: d)
        var options = TimeIntegratorOptions()
        options.relativeTolerance = 1e-5
        options.initialStep = 1e-6 * cell.chargingTime
        let u0 = d.initialState()
        let n0 = d.inventories(u0)
        let integrator = TRBDF2Integrator(system: d, state: u0, time: 0, options: options)
        var worstStepInventory = 0.0
        var worstSpread = 0.0
        var worstGauss = 0.0
        try integrator.advance(to: 10 * cell.chargingTime, breakpoints: [Breakpoint(0, discontinuous: true)]) { record in
            let c = try monitor.check(record)
            worstStepInventory = max(worstStepInventory, c.inventoryError)
            worstSpread = max(worstSpread, c.currentSpread)
            worstGauss = max(worstGauss, c.gaussResidual)
        }
        let n1 = d.inventories(integrator.state)
        let drift = zip(n1, n0).map { abs($0 - $1) / $1 }.max()!
        let name = "Closed cell, 4 V_T step, 10 λ_D L/D"
        return VerificationOutcome(rows: [
            VerificationRow(caseName: name, quantity: "inventory drift over the run, relative", value: drift, tolerance: 1e-12),
            VerificationRow(caseName: name, quantity: "worst step inventory error, relative", value: worstStepInventory, tolerance: 1e-12),
            VerificationRow(caseName: name, quantity: "worst spread of total current over faces, relative", value: worstSpread, tolerance: 1e-8),
            VerificationRow(caseName: name, quantity: "worst Gauss-law residual, relative", value: worstGauss, tolerance: 1e-8),
        ])
    }

    /// A two-layer closed cell (partition, fixed charge, Stern layers) started from its
    /// equilibrium with no bias: 100 time steps must leave every unknown unchanged.
    public static func equilibriumIsSteady(steps: Int = 100) throws -> VerificationOutcome {
        let species = [Species(name: "+", charge: 1), Species(name: "−", charge: -1)]
        let layers = [
            LayerPhysics(name: "a", thickness: 30e-9, permittivity: 20,
                         species: [SpeciesInLayer(species: 0, diffusivity: 1e-10, initialConcentration: 5),
                                   SpeciesInLayer(species: 1, diffusivity: 2e-10, initialConcentration: 3)],
                         fixedCharge: 2),
            LayerPhysics(name: "b", thickness: 50e-9, permittivity: 70,
                         species: [SpeciesInLayer(species: 0, diffusivity: 3e-10, initialConcentration: 4, standardChemicalPotential: 2000),
                                   SpeciesInLayer(species: 1, diffusivity: 1e-10, initialConcentration: 4)],
                         stericSize: 0.6e-9),
        ]
        let problem = PNPProblem(
            species: species, layers: layers,
            first: Boundary(potential: SternContact(capacitance: 0.1, potential: .constant(0))),
            last: Boundary(potential: SternContact(capacitance: 0.3, potential: .constant(0))))
        let mesh = Mesh.stack(thicknesses: [30e-9, 50e-9], specs: [LayerMeshSpec(cells: 40, growth: 1.1), LayerMeshSpec(cells: 60, growth: 1.1)])
        let u0 = try EquilibriumProblem(problem: problem, mesh: mesh).solve()
        let d = try PNPDiscretisation(problem: problem, mesh: mesh)
        var options = TimeIntegratorOptions()
        options.fixedStep = 0.05 * d.scales.time
        let integrator = TRBDF2Integrator(system: d, state: u0, time: 0, options: options)
        try integrator.advance(to: Double(steps) * options.fixedStep!) { _ in }
        let u1 = integrator.state
        var worst = 0.0
        let phiScale = max(u0.enumerated().filter { d.unknownKinds[$0.offset] == .potential }.map { abs($0.element) }.max() ?? 0, 1e-3)
        for i in u0.indices {
            let scale = d.unknownKinds[i] == .potential ? max(abs(u0[i]), 1e-3 * phiScale) : abs(u0[i])
            worst = max(worst, abs(u1[i] - u0[i]) / scale)
        }
        return VerificationOutcome(rows: [
            VerificationRow(caseName: "Discrete equilibrium", quantity: "largest relative change of any unknown over \(steps) steps",
                            value: worst, tolerance: 1e-12)
        ])
    }
}

/// Diffusion into a finite film (Cottrell with a blocking back side): c(0, t) = c_s,
/// ∂c/∂y(L, t) = 0, c(y, 0) = 0. The inflow is
///   J(t) = c_s √(D/πt) [1 + 2 Σ_{n≥1} (−1)ⁿ e^(−n²L²/Dt)]   (short times)
///        = (2 c_s D/L) Σ_{n≥0} e^(−(2n+1)²π²Dt/4L²)          (long times),
/// the image and eigenfunction series of the same solution (Crank, The Mathematics of
/// Diffusion, §4.3).
public enum CottrellCase {
    public static func exactFlux(time t: Double, diffusivity D: Double, thickness L: Double, surface cs: Double) -> Double {
        let tau = D * t / (L * L)
        if tau < 0.25 {
            var s = 1.0
            for n in 1...20 { s += 2 * (n % 2 == 0 ? 1 : -1) * exp(-Double(n * n) / tau) }
            return cs * (D / (Double.pi * t)).squareRoot() * s
        }
        var s = 0.0
        for n in 0..<50 {
            let m = Double(2 * n + 1)
            s += exp(-m * m * Double.pi * Double.pi * tau / 4)
        }
        return 2 * cs * D / L * s
    }

    public static func run(smallest: Double = 1e-5, growth: Double = 1.04) throws -> VerificationOutcome {
        let L = 100e-9
        let D = 1e-14
        let cs = 1.0
        let layer = LayerPhysics(name: "film", thickness: L, permittivity: 10, electrostatics: .none,
                                 species: [SpeciesInLayer(species: 0, diffusivity: D, initialConcentration: 0)])
        let problem = PNPProblem(species: [Species(name: "Li", charge: 0)], layers: [layer],
                                 first: Boundary(potential: ZeroFieldContact(), species: [0: ReservoirContact(concentration: .constant(cs))]),
                                 last: Boundary.closed)
        let mesh = Mesh.stack(thicknesses: [L], specs: [LayerMeshSpec(maxCell: 0.01 * L, growth: growth, smallest: smallest * L, grading: .start)])
        let d = try PNPDiscretisation(problem: problem, mesh: mesh, scales: Scales(thermalVoltage: problem.thermalVoltage, concentration: cs, length: L, diffusivity: D))
        let t0 = L * L / D
        let samples = [1e-3, 2e-3, 5e-3, 1e-2, 2e-2, 5e-2, 0.1, 0.2, 0.5, 1].map { $0 * t0 }
        var options = TimeIntegratorOptions()
        options.relativeTolerance = 1e-7
        options.absoluteDensity = 1e-10
        options.initialStep = 1e-10 * t0
        let integrator = TRBDF2Integrator(system: d, state: d.initialState(), time: 0, options: options)
        var worst = 0.0
        try integrator.advance(to: t0, breakpoints: samples.map { Breakpoint($0, discontinuous: false) }) { record in
            guard samples.contains(record.end) else { return }
            let j = try d.faceRecord(record.after, time: record.end).flux(face: 0, species: 0)
            let exact = exactFlux(time: record.end, diffusivity: D, thickness: L, surface: cs)
            worst = max(worst, abs(j - exact) / exact)
        }
        return VerificationOutcome(rows: [
            VerificationRow(caseName: "Finite-slab Cottrell (\(mesh.cellCount) cells)",
                            quantity: "max relative flux error, t ∈ [1e-3, 1]·L²/D", value: worst, tolerance: 1e-3)
        ])
    }
}

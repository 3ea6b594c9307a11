import Foundation
import IonicsDevice
import IonicsDiscretisation
import IonicsPhysics
import IonicsUnits

/// `configs/examples/gouy-chapman.json`: after the bias step has relaxed, the diffuse
/// layer at the electrode against the reservoir is Gouy–Chapman's,
/// tanh(φ/4V_T) = tanh(φ0/4V_T) e^(−y/λ_D) with φ0 = V − pzc − φ_reservoir, holding
/// Grahame's charge σ = √(8ε RT c) sinh(φ0/2V_T) (see ``GouyChapmanCase``). The
/// analytic parameters (c, ε, T, φ0) are read from the loaded device, not restated.
public enum GouyChapmanExample {
    public static func run(name: String = "gouy-chapman", path: String? = nil) throws -> VerificationOutcome {
        let run = try ExampleCells.run(name, path: path)
        let what = "the Gouy–Chapman example"
        let (c, _, er) = try ExampleCells.symmetric(run, what)
        let p = run.device.problem
        let d = run.simulation.discretisation
        guard let first = p.first.potential as? TerminalContact, first.sternCapacitance == nil,
              let reservoir = (p.last.potential as? IdealMetalContact)?.potential,
              p.last.species.count == 2 else {
            throw ExampleCells.ExampleError(message: "\(what) needs an electrode without a Stern layer first and a reservoir last")
        }
        let (sample, u) = run.samples.last!
        let vt = p.thermalVoltage
        let phiBulk = reservoir(sample.time)
        let phi0 = d.terminalState(u, first.terminal, time: sample.time, drives: run.simulation.lastDrives).potential - first.potentialOfZeroCharge - phiBulk
        let lambda = PNPProblem.debyeLength(concentration: c, permittivity: er, temperature: p.temperature)
        let gamma = tanh(phi0 / (4 * vt))
        let phi = d.potential(u)
        var worst = 0.0
        for (i, cell) in d.mesh.cells.enumerated() {
            let exact = 4 * vt * atanh(gamma * exp(-cell.centre / lambda))
            worst = max(worst, abs(phi[i] - phiBulk - exact) / abs(phi0))
        }
        let eps = PhysicalConstants.vacuumPermittivity * er
        let grahame = (8 * eps * PhysicalConstants.gasConstant * p.temperature * c).squareRoot() * sinh(phi0 / (2 * vt))
        let name = "Gouy–Chapman, " + ExampleCells.label(name)
        return VerificationOutcome(rows: [
            VerificationRow(caseName: name, quantity: String(format: "max abs(φ − φ_exact)/φ0 at t = %.3g s (%d cells, φ0 = %.2f V_T)", sample.time, d.mesh.cellCount, phi0 / vt),
                            value: worst, tolerance: 1e-3),
            VerificationRow(caseName: name, quantity: "electrode charge vs Grahame, relative",
                            value: abs(sample.charge[0] - grahame) / abs(grahame), tolerance: 1e-3),
        ])
    }
}

/// `configs/examples/bta-charging.json`: after a small voltage step the electrode
/// charge of a blocking cell relaxes as e^(−t/τ) with τ = λ_D L/D (Bazant, Thornton &
/// Ajdari, Phys. Rev. E 70, 021506 (2004); see ``ChargingCase``). τ is fitted to ln of
/// the gap to the final charge over t ∈ [2τ_c, 5τ_c] (the slowest mode); the final
/// charge is the equilibrium of the closed cell at the final bias.
public enum ChargingExample {
    public static func run(name: String = "bta-charging", path: String? = nil) throws -> VerificationOutcome {
        let run = try ExampleCells.run(name, path: path)
        let what = "the BTA charging example"
        let (c, diffusivity, er) = try ExampleCells.symmetric(run, what)
        let p = run.device.problem
        guard p.first.potential is TerminalContact, p.last.potential is TerminalContact, p.first.species.isEmpty, p.last.species.isEmpty else {
            throw ExampleCells.ExampleError(message: "\(what) needs blocking electrodes at both ends")
        }
        let d = run.simulation.discretisation
        let lambda = PNPProblem.debyeLength(concentration: c, permittivity: er, temperature: p.temperature)
        let halfWidth = p.thickness / 2
        let expected = lambda * halfWidth / diffusivity

        // The final charge: the closed cell's equilibrium at the bias of the end of the run.
        let eq = try EquilibriumProblem(problem: p, mesh: d.mesh, scales: d.scales, time: run.samples.last!.sample.time,
                                        inventorySource: run.simulation.initialState, circuit: d.layout.circuit)
        let drives = run.simulation.lastDrives
        eq.setControls(drives.controls)
        let final = try eq.solve()
        let qInf = try d.faceRecord(final, time: run.samples.last!.sample.time, drives: drives).displacement[0]

        let points = run.samples.map(\.sample).filter { $0.time >= 2 * expected && $0.time <= 5 * expected }
        guard points.count >= 5 else {
            throw ExampleCells.ExampleError(message: "\(what): fewer than 5 output times in [2τ, 5τ] = [\(2 * expected), \(5 * expected)] s")
        }
        let ts = points.map(\.time)
        let ls = points.map { log(abs(qInf - $0.charge[0]) / abs(qInf)) }
        let n = Double(ts.count)
        let mt = ts.reduce(0, +) / n
        let ml = ls.reduce(0, +) / n
        let sxy = zip(ts, ls).reduce(0) { $0 + ($1.0 - mt) * ($1.1 - ml) }
        let sxx = ts.reduce(0) { $0 + ($1 - mt) * ($1 - mt) }
        let tau = -sxx / sxy
        let name = String(format: "Diffuse charging (BTA 2004), L = %.0f λ_D, ", halfWidth / lambda) + ExampleCells.label(name)
        return VerificationOutcome(rows: [
            VerificationRow(caseName: name, quantity: String(format: "τ vs λ_D L/D = %.4g s, relative (%d cells)", expected, d.mesh.cellCount),
                            value: abs(tau - expected) / expected, tolerance: 0.02)
        ])
    }
}

/// `configs/examples/cottrell.json`: an uncharged species whose concentration at the
/// first boundary steps from c0 to c_s at t = 0, blocked at the last: the inflow is
/// (c_s − c0)·f(t) with f the finite-slab Cottrell series of ``CottrellCase/exactFlux(time:diffusivity:thickness:surface:)``,
/// compared at the output times in [1e-3, 1]·L²/D.
public enum CottrellExample {
    public static func run(name: String = "cottrell", path: String? = nil) throws -> VerificationOutcome {
        let run = try ExampleCells.run(name, path: path)
        let what = "the Cottrell example"
        let (_, species) = try ExampleCells.electrolyte(run, what)
        let p = run.device.problem
        guard let b = run.device.config.boundaries.first, p.first.species.count == 1, let k = p.first.species.keys.first,
              let s = species.first(where: { $0.index == k }), s.z == 0, p.last.species.isEmpty else {
            throw ExampleCells.ExampleError(message: "\(what) needs one uncharged species fixed at the first boundary and a blocking last one")
        }
        let speciesName = p.species[k].name
        guard let cs = b.concentrations[speciesName] else { throw ExampleCells.ExampleError(message: "\(what): no concentration for \(speciesName)") }
        let c0 = b.initialConcentrations[speciesName] ?? cs
        let L = p.thickness
        let t0 = L * L / s.d
        var worst = 0.0
        var compared = 0
        for (sample, _) in run.samples where sample.time >= 1e-3 * t0 * (1 - 1e-9) && sample.time <= t0 * (1 + 1e-9) {
            let exact = CottrellCase.exactFlux(time: sample.time, diffusivity: s.d, thickness: L, surface: cs - c0)
            worst = max(worst, abs(sample.flux[0][k] - exact) / abs(exact))
            compared += 1
        }
        guard compared >= 5 else {
            throw ExampleCells.ExampleError(message: "\(what): fewer than 5 output times in [1e-3, 1]·L²/D = [\(1e-3 * t0), \(t0)] s")
        }
        return VerificationOutcome(rows: [
            VerificationRow(caseName: "Finite-slab Cottrell, " + ExampleCells.label(name),
                            quantity: "max relative flux error at \(compared) output times, t ∈ [1e-3, 1]·L²/D (\(run.simulation.discretisation.mesh.cellCount) cells)",
                            value: worst, tolerance: 1e-3)
        ])
    }
}

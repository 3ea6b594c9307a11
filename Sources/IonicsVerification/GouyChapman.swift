import Foundation
import IonicsDiscretisation
import IonicsPhysics
import IonicsUnits

/// Gouy–Chapman(–Stern): the diffuse layer of a 1:1 electrolyte at a charged wall.
///
/// Analytic solution (e.g. Bard & Faulkner, Electrochemical Methods, §13.3):
/// tanh(φ/4V_T) = tanh(φ0/4V_T)·e^(−y/λ_D); Grahame's surface charge
/// σ = √(8 ε RT c) sinh(φ0/2V_T); diffuse-layer capacitance C_d = (ε/λ_D) cosh(φ0/2V_T).
/// With a Stern layer C_S the wall holds V = ψ_d + σ(ψ_d)/C_S and the total
/// differential capacitance is 1/C = 1/C_S + 1/C_d(ψ_d).
public enum GouyChapmanCase {
    public struct Setup: Sendable {
        public var concentration = 100.0  // 0.1 M
        public var permittivity = 78.5
        public var temperature = 298.15
        /// Wall potential in thermal voltages.
        public var wallPotential = 4.0
        /// Domain length in Debye lengths.
        public var domain = 50.0
        public var cells = 200
        /// Smallest cell at the wall, in Debye lengths.
        public var smallest = 0.01
        /// Stern capacitance, F/m² (0.2 F/m² = 20 µF/cm²).
        public var sternCapacitance = 0.2
        public init() {}
    }

    static func problem(_ s: Setup, wall: any PotentialContactLaw) -> PNPProblem {
        let lambda = PNPProblem.debyeLength(concentration: s.concentration, permittivity: s.permittivity, temperature: s.temperature)
        let layer = LayerPhysics(
            name: "electrolyte", thickness: s.domain * lambda, permittivity: s.permittivity,
            species: [SpeciesInLayer(species: 0, diffusivity: 1e-9, initialConcentration: s.concentration),
                      SpeciesInLayer(species: 1, diffusivity: 1e-9, initialConcentration: s.concentration)])
        return PNPProblem(
            species: [Species(name: "Na+", charge: 1), Species(name: "Cl-", charge: -1)], layers: [layer],
            first: Boundary(potential: wall),
            last: Boundary(potential: IdealMetalContact(potential: .constant(0)),
                           species: [0: ReservoirContact(concentration: .constant(s.concentration)), 1: ReservoirContact(concentration: .constant(s.concentration))]),
            temperature: s.temperature)
    }

    static func mesh(_ s: Setup, _ p: PNPProblem) -> Mesh {
        let lambda = p.layers[0].thickness / s.domain
        return Mesh.stack(thicknesses: [p.layers[0].thickness],
                          specs: [LayerMeshSpec(cells: s.cells, smallest: s.smallest * lambda, grading: .start)])
    }

    /// Solves the equilibrium; returns the discretisation, the state and the wall charge (C/m²).
    static func solve(_ s: Setup, wall: any PotentialContactLaw) throws -> (PNPDiscretisation, [Double], Double) {
        let p = problem(s, wall: wall)
        let m = mesh(s, p)
        let eq = try EquilibriumProblem(problem: p, mesh: m)
        let u = try eq.solve()
        let d = try PNPDiscretisation(problem: p, mesh: m, scales: eq.discretisation.scales)
        let rho = d.chargeDensity(u)
        let charge = -zip(rho, m.cells).reduce(0) { $0 + $1.0 * $1.1.volume }
        return (d, u, charge)
    }

    public static func run(_ s: Setup = Setup()) throws -> VerificationOutcome {
        let vt = PhysicalConstants.thermalVoltage(kelvin: s.temperature)
        let eps = PhysicalConstants.vacuumPermittivity * s.permittivity
        let lambda = PNPProblem.debyeLength(concentration: s.concentration, permittivity: s.permittivity, temperature: s.temperature)
        let phi0 = s.wallPotential * vt
        let name = "Gouy–Chapman"

        // Plain Gouy–Chapman.
        let (d, u, sigma) = try solve(s, wall: IdealMetalContact(potential: .constant(phi0)))
        let phi = d.potential(u)
        let gamma = tanh(s.wallPotential / 4)
        var maxError = 0.0
        for (i, c) in d.mesh.cells.enumerated() {
            let exact = 4 * vt * atanh(gamma * exp(-c.centre / lambda))
            maxError = max(maxError, abs(phi[i] - exact) / phi0)
        }
        let grahame = (8 * eps * PhysicalConstants.gasConstant * s.temperature * s.concentration).squareRoot() * sinh(s.wallPotential / 2)
        let chargeError = abs(sigma - grahame) / grahame

        // Gouy–Chapman–Stern: charge and differential capacitance.
        func sigmaGC(_ psi: Double) -> Double {
            (8 * eps * PhysicalConstants.gasConstant * s.temperature * s.concentration).squareRoot() * sinh(psi / (2 * vt))
        }
        let cs = s.sternCapacitance
        // Solve V = ψ + σ(ψ)/C_S for ψ (monotone: Newton from ψ = V/2).
        func diffusePotential(_ v: Double) -> Double {
            var psi = 0.5 * v
            for _ in 0..<100 {
                let r = psi + sigmaGC(psi) / cs - v
                let dr = 1 + (eps / lambda) * cosh(psi / (2 * vt)) / cs
                psi -= r / dr
                if abs(r) < 1e-15 * max(abs(v), vt) { break }
            }
            return psi
        }
        let psiD = diffusePotential(phi0)
        let sigmaStern = sigmaGC(psiD)
        let (_, _, sigmaNum) = try solve(s, wall: SternContact(capacitance: cs, potential: .constant(phi0)))
        let sternChargeError = abs(sigmaNum - sigmaStern) / sigmaStern
        let dv = 0.01 * vt
        let (_, _, sPlus) = try solve(s, wall: SternContact(capacitance: cs, potential: .constant(phi0 + dv)))
        let (_, _, sMinus) = try solve(s, wall: SternContact(capacitance: cs, potential: .constant(phi0 - dv)))
        let cNum = (sPlus - sMinus) / (2 * dv)
        let cd = (eps / lambda) * cosh(psiD / (2 * vt))
        let cExact = 1 / (1 / cs + 1 / cd)
        let capacitanceError = abs(cNum - cExact) / cExact

        return VerificationOutcome(rows: [
            VerificationRow(caseName: name, quantity: "max abs(φ − φ_exact)/φ0 (\(s.cells) graded cells)", value: maxError, tolerance: 1e-3),
            VerificationRow(caseName: name, quantity: "Grahame surface charge, relative", value: chargeError, tolerance: 1e-3),
            VerificationRow(caseName: name + "–Stern", quantity: "surface charge, relative", value: sternChargeError, tolerance: 1e-3),
            VerificationRow(caseName: name + "–Stern", quantity: "1/C = 1/C_S + 1/C_d, relative", value: capacitanceError, tolerance: 1e-3),
        ])
    }
}

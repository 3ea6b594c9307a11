import Foundation
public import IonicsSolvers

/// Checks, step by step, what the discrete equations promise:
///
/// - **inventory**: N_k(after) − N_k(before) equals the boundary inflow (plus sources)
///   integrated with the integrator's own quadrature;
/// - **total current**: conduction plus displacement current,
///   I_σ = [Σ_q w_q F Σ_k z_k J_k,σ(u_q) + D_σ(after) − D_σ(before)] / h,
///   is the same through every face that carries a potential (∇·(J + ∂D/∂t) = 0);
/// - **Gauss's law**: ∫ρ dy = D(last face) − D(first face) at the step's end state.
public final class ConservationMonitor {
    public let discretisation: PNPDiscretisation
    let charges: [Int]
    /// Faces on which the total current is compared: every face with a potential on its side(s).
    public let currentFaces: [Int]

    /// Result of checking one step.
    public struct Check: Sendable {
        public var time: Double
        public var step: Double
        /// Max over species of |ΔN − ∫inflow| / N (N the inventory before the step).
        public var inventoryError: Double
        /// (max − min)/max|I| of the total current over `currentFaces`; 0 for a re-initialisation.
        public var currentSpread: Double
        /// Mean total current through the compared faces, A/m² (+y).
        public var current: Double
        /// Charge that passed each face during the step, C/m² (+y): conduction + displacement.
        public var faceCharge: [Double]
        /// |∫ρ dy − (D_last − D_first)| / max(∫|ρ| dy, |D_first|, |D_last|) at the end state.
        public var gaussResidual: Double
    }

    public init(discretisation: PNPDiscretisation) {
        self.discretisation = discretisation
        charges = discretisation.problem.species.map(\.charge)
        let d = discretisation
        currentFaces = d.mesh.faces.indices.filter { f in
            let face = d.mesh.faces[f]
            let pa = d.layout.potential[face.a] >= 0
            if let b = face.b { return pa && d.layout.potential[b] >= 0 }
            guard pa else { return false }
            let bc = face.boundary == .first ? d.problem.first.potential : d.problem.last.potential
            if case .zeroField = bc { return false }
            return true
        }
    }

    public func check(_ record: StepRecord) throws -> Check {
        let d = discretisation
        let before = try d.faceRecord(record.before, time: record.start)
        let after = try d.faceRecord(record.after, time: record.end)
        let nFaces = d.mesh.faces.count
        let nSpecies = charges.count
        var conduction = [Double](repeating: 0, count: nFaces)
        var inflow = [Double](repeating: 0, count: nSpecies)
        let first = d.mesh.boundaryFace(.first)
        let last = d.mesh.boundaryFace(.last)
        for q in record.quadrature {
            let r = try d.faceRecord(q.state, time: q.time)
            for f in 0..<nFaces { conduction[f] += q.weight * r.current(face: f, charges: charges) }
            for k in 0..<nSpecies {
                inflow[k] += q.weight * (r.flux(face: first, species: k) - r.flux(face: last, species: k) + r.sources[k])
            }
        }
        let n0 = d.inventories(record.before)
        let n1 = d.inventories(record.after)
        var inventoryError = 0.0
        for k in 0..<nSpecies where n0[k] > 0 {
            inventoryError = max(inventoryError, abs(n1[k] - n0[k] - inflow[k]) / n0[k])
        }
        var faceCharge = [Double](repeating: 0, count: nFaces)
        for f in 0..<nFaces { faceCharge[f] = conduction[f] + after.displacement[f] - before.displacement[f] }
        var spread = 0.0
        var mean = 0.0
        let h = record.end - record.start
        if h > 0 && !currentFaces.isEmpty {
            let currents = currentFaces.map { faceCharge[$0] / h }
            let scale = currents.map(abs).max()!
            mean = currents.reduce(0, +) / Double(currents.count)
            spread = scale > 0 ? (currents.max()! - currents.min()!) / scale : 0
        }
        // Gauss's law over the Poisson cells at the end state.
        let rho = d.chargeDensity(record.after)
        var total = 0.0
        var magnitude = 0.0
        for (i, c) in d.mesh.cells.enumerated() where d.layout.potential[i] >= 0 {
            total += rho[i] * c.volume
            magnitude += abs(rho[i]) * c.volume
        }
        let dFirst = after.displacement[first]
        let dLast = after.displacement[last]
        let gauss = abs(total - (dLast - dFirst)) / max(magnitude, abs(dFirst), abs(dLast), 1e-300)
        return Check(time: record.end, step: h, inventoryError: inventoryError, currentSpread: spread, current: mean,
                     faceCharge: faceCharge, gaussResidual: gauss)
    }
}

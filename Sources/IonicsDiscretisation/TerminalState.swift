import Foundation
import IonicsSolvers

extension PNPDiscretisation {
    /// Terminal j's potential (V) and electrode charge (C per m² of cross-section in 1D,
    /// per metre of depth in 2D) in state u at time `time` (s) under `drives`.
    ///
    /// A terminal with circuit unknowns (``StateLayout/circuit``) reads both from the
    /// state. A terminal held at a voltage throughout has none: its potential is the
    /// drive's V(t) (times the bias factor), its charge Σ_faces g (V̂ − Û_pzc − φ̂_a) (plus
    /// the contact double layers), the same functional of the state the charge row of
    /// the full layout imposes. `drives` may be nil only for terminals with unknowns.
    public func terminalState(_ u: [Double], _ j: Int, time: Double = 0, drives: Drives? = nil) -> (potential: Double, charge: Double) {
        precondition(drives != nil || layout.circuit[j], "terminal \(j) is held at a voltage (no circuit unknowns): pass its drives")
        let drives = drives ?? standardDrives
        let toCharge = scales.displacement * pow(scales.length, Double(mesh.dimension) - 1)
        return u.withUnsafeBufferPointer { ub in
            (terminalVoltage(j, ub, time: time, drives: drives).value * scales.thermalVoltage,
             electrodeCharge(j, ub, time: time, drives: drives) * toCharge)
        }
    }

    /// Σσ of terminal j, scaled (ε0·V_T/L0 per L0^(d−1)): the charge unknown times its
    /// reference capacitance, or, without circuit unknowns, the sum the assembly
    /// accumulates in ``AssemblyPass/sigma`` over the terminal's electrode faces.
    func electrodeCharge(_ j: Int, _ u: UnsafeBufferPointer<Double>, time t: Double, drives: Drives) -> Double {
        if let rq = layout.terminalCharge(j) { return u[rq] * terminalScale[j] }
        var sigma = 0.0
        for fi in terminalElectrodes[j] {
            guard case .electrode(let e) = faceKinds[fi] else { continue }
            if e.contact > 0, case .terminal(let m) = e.source {
                // The contact's double layer: Ĉ(V_m − V_h) on the metal, the opposite on the host.
                let q = e.contact * (terminalVoltage(m, u, time: t, drives: drives).value
                    - terminalVoltage(e.contactHost, u, time: t, drives: drives).value)
                sigma += j == m ? q : -q
                continue
            }
            let pa = layout.potential[e.cell]
            guard e.g0 != 0, pa >= 0 else { continue }
            let v = sourcePotential(e.source, u, t, drives: drives).value
            sigma += e.g * (v - e.pzc - u[pa])
        }
        return sigma
    }

    /// The electrode charges of the terminals without circuit unknowns, as quantities
    /// the integrator monitors: Σσ_j as a linear functional of the state (the drive's
    /// part is constant over a step), weighted as the charge unknown of the full layout
    /// was (``MonitoredQuantity/weightedAs``, scale C_ref = ``terminalScale``), so error
    /// control and Newton's convergence test see the same quantity either way. A terminal
    /// whose charge depends on no unknown (only on drives) is not monitored.
    static func monitoredTerminalCharges(
        faceKinds: [FaceKind], layout: StateLayout, terminalElectrodes: [[Int]], terminalScale: [Double]
    ) -> (terminals: [Int], quantities: [MonitoredQuantity]) {
        var terminals: [Int] = []
        var quantities: [MonitoredQuantity] = []
        for j in 0..<layout.terminalCount where !layout.circuit[j] {
            var indices: [Int] = []
            var coefficients: [Double] = []
            for fi in terminalElectrodes[j] {
                guard case .electrode(let e) = faceKinds[fi] else { continue }
                if e.contact > 0, case .terminal(let m) = e.source {
                    let sign = j == m ? 1.0 : -1.0
                    if let c = layout.terminalPotential(m) { indices.append(c); coefficients.append(sign * e.contact) }
                    if let c = layout.terminalPotential(e.contactHost) { indices.append(c); coefficients.append(-sign * e.contact) }
                    continue
                }
                let pa = layout.potential[e.cell]
                guard e.g0 != 0, pa >= 0 else { continue }
                indices.append(pa)
                coefficients.append(-e.g)
                if case .terminal(let m) = e.source, let c = layout.terminalPotential(m) {
                    indices.append(c)
                    coefficients.append(e.g)
                }
            }
            guard !indices.isEmpty else { continue }
            terminals.append(j)
            quantities.append(MonitoredQuantity(indices: indices, coefficients: coefficients, scale: terminalScale[j], weightedAs: .charge))
        }
        return (terminals, quantities)
    }
}

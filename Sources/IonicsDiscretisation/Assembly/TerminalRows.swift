import Foundation
import IonicsLinearAlgebra
import IonicsPhysics
import IonicsUnits

extension PNPDiscretisation {
    /// The two rows of every terminal with circuit unknowns (``StateLayout/circuit``): its
    /// potential (fixed, or solved for with the electrode charge as the unknown of a
    /// current-controlled terminal) and its electrode charge. Terminals held at a voltage
    /// throughout have no rows: their potential is drive data wherever it is used.
    func assembleTerminalRows(_ ctx: AssemblyPass) {
        let displacementToCurrent = 1 / (scales.displacement * pow(scales.length, Double(mesh.dimension) - 1))
        addLeakages(ctx)
        // Terminal rows.
        for j in layout.circuitTerminals {
            let rv = layout.terminalPotential(j)!
            let rq = layout.terminalCharge(j)!
            let control = ctx.drives.controls[j]
            let G = terminalScale[j]
            switch control.mode {
            case .voltage:
                ctx.f[rv] = ctx.u[rv] - ctx.drives.biasFactor * control.value(ctx.time) / scales.thermalVoltage
                ctx.f[rq] = ctx.u[rq] - ctx.sigma[j] / G
                if ctx.wantJ {
                    ctx.acc!.add(1, row: rv, column: rv)
                    ctx.acc!.add(1, row: rq, column: rq)
                    addSigmaDerivatives(j, row: rq, sign: -1 / G, ctx.acc!)
                }
            case .current:
                ctx.f[rv] = ctx.sigma[j] / G - ctx.u[rq]
                // t0·d(q̂/G)/dt = [t0·i/(scaled displacement) + κ Σ z â R̂] / G.
                ctx.f[rq] = (control.value(ctx.time) * displacementToCurrent * scales.time + kappa * ctx.faradaic[j]) / G
                if ctx.wantJ {
                    ctx.acc!.add(-1, row: rv, column: rq)
                    addSigmaDerivatives(j, row: rv, sign: 1 / G, ctx.acc!)
                }
            }
        }
    }

    /// The electronic paths between terminals (``ElectronicLeak``): I = g(V_a − V_b) out of
    /// terminal a into terminal b, added to both terminals' currents as `faradaic` is
    /// (scaled like a reaction's z·â·R̂, so that κ·faradaic is the electrode-charge rate
    /// it removes) and to the record's terminal currents.
    func addLeakages(_ ctx: AssemblyPass) {
        guard !problem.leakages.isEmpty else { return }
        // A current in A per unit cross-section, in the units of Σ z â R̂.
        let perCurrent = 1 / (PhysicalConstants.faraday * scales.flux * pow(scales.length, Double(mesh.dimension) - 1))
        for leak in problem.leakages where leak.conductance > 0 {
            let (va, ra) = terminalVoltage(leak.from, ctx.u, time: ctx.time, drives: ctx.drives)
            let (vb, rb) = terminalVoltage(leak.to, ctx.u, time: ctx.time, drives: ctx.drives)
            let c = leak.conductance * scales.thermalVoltage * perCurrent
            let s = c * (va - vb)
            ctx.faradaic[leak.from] -= s
            ctx.faradaic[leak.to] += s
            ctx.record?.pointee.terminalFaradaic[leak.from] += s
            ctx.record?.pointee.terminalFaradaic[leak.to] -= s
            guard ctx.wantJ else { continue }
            for (j, sign) in [(leak.from, -1.0), (leak.to, 1.0)] where ctx.drives.controls[j].mode == .current {
                let rq = layout.terminalCharge(j)!
                let d = sign * kappa * c / terminalScale[j]
                if ra >= 0 { ctx.acc!.add(d, row: rq, column: ra) }
                if rb >= 0 { ctx.acc!.add(-d, row: rq, column: rb) }
            }
        }
    }

    /// Adds sign·∂(Σσ_j)/∂u to `row` (σ = g (V − φ_a) on each electrode face of terminal j;
    /// `sign` carries the 1/G scaling of the charge unknown).
    func addSigmaDerivatives(_ j: Int, row: Int, sign: Double, _ acc: JacobianAccumulator) {
        for fi in terminalElectrodes[j] {
            if case .electrode(let e) = faceKinds[fi], e.contact > 0, case .terminal(let m) = e.source {
                // σ_m = Ĉ(V_m − V_h) and σ_h = −σ_m.
                let s = j == m ? sign : -sign
                if let c = layout.terminalPotential(m) { acc.add(s * e.contact, row: row, column: c) }
                if let c = layout.terminalPotential(e.contactHost) { acc.add(-s * e.contact, row: row, column: c) }
                continue
            }
            guard case .electrode(let e) = faceKinds[fi], e.g0 != 0 else { continue }
            let pa = layout.potential[e.cell]
            guard pa >= 0 else { continue }
            acc.add(sign * e.g, row: row, column: layout.terminalPotential(j)!)
            acc.add(-sign * e.g, row: row, column: pa)
        }
    }
}

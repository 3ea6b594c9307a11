import Foundation
import IonicsLinearAlgebra
import IonicsPhysics
import IonicsUnits

extension PNPDiscretisation {
    /// The two rows of every terminal: its potential (fixed, or solved for with the
    /// electrode charge as the unknown of a current-controlled terminal) and its
    /// electrode charge.
    func assembleTerminalRows(_ ctx: AssemblyPass) {
        // Terminal rows.
        let displacementToCurrent = 1 / (scales.displacement * pow(scales.length, Double(mesh.dimension) - 1))
        for j in 0..<layout.terminalCount {
            let rv = layout.terminalPotential(j)
            let rq = layout.terminalCharge(j)
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
}

import Foundation
import IonicsLinearAlgebra
import IonicsPhysics
import IonicsUnits

extension PNPDiscretisation {
    /// Adds the reaction r between electrolyte cell `ce` and its host (or metal),
    /// with reaction-plane potential φ_s = φ_ce + θ(V − φ_ce) (or the semiconductor form).
    func react(_ r: Reaction, ce: Int, delta: Double, dDelta: [(Int, Double)], terminal: Int?, face fi: Int, direction: Double, _ ctx: AssemblyPass) {
        let ie = layout.firstSpecies[ce] + r.slot
        let ih = r.hostCell >= 0 ? layout.firstSpecies[r.hostCell] : -1
        let (rate, dce, dd, dch) = reactionRate(r, ce: ctx.u[ie], delta: delta, ch: ih >= 0 ? ctx.u[ih] : 0)
        let flux = r.area * rate
        ctx.f[ie] -= flux
        if ih >= 0 { ctx.f[ih] += flux }
        if let j = terminal { ctx.faradaic[j] += r.z * flux }
        ctx.record?.pointee.add(face: fi, species: r.species, direction * flux)
        if let j = terminal { ctx.record?.pointee.terminalFaradaic[j] -= r.z * flux }
        guard ctx.wantJ else { return }
        func both(_ column: Int, _ value: Double) {
            ctx.acc!.add(-r.area * value, row: ie, column: column)
            if ih >= 0 { ctx.acc!.add(r.area * value, row: ih, column: column) }
            if let j = terminal, ctx.drives.controls[j].mode == .current {
                ctx.acc!.add(r.z * r.area * value * kappa / terminalScale[j], row: layout.terminalCharge(j)!, column: column)
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
    func transfer(_ r: Reaction, metal v: Double, metalColumn: Int, terminal: Int?, face fi: Int, direction: Double, _ ctx: AssemblyPass) {
        let ih = layout.firstSpecies[r.hostCell] + r.slot
        // A mixed conductor's electrons are at the film's own potential φ_n at the face
        // (``ElectronTransport``), and the ion's charge enters that cell's current balance.
        let en = layout.electron[r.hostCell]
        var vh: Double
        var dvh: [(Int, Double)]
        if en >= 0 {
            (vh, dvh) = electronPotentialAtFace(fi, cell: r.hostCell, metal: v, metalColumn: metalColumn, ctx)
        } else {
            let (value, column) = terminalVoltage(r.hostTerminal, ctx.u, time: ctx.time, drives: ctx.drives)
            (vh, dvh) = (value, [(column, 1)])
        }
        let (rate, _, dd, dch) = reactionRate(r, ce: 1, delta: r.fixedU - (v - vh), ch: ctx.u[ih])
        let flux = r.area * rate
        ctx.f[ih] += flux
        // The metal's terminal takes the electrons the ion leaves, the host's gives them.
        if let j = terminal { ctx.faradaic[j] -= r.z * flux }
        if en >= 0 {
            ctx.f[en] += r.z * flux
        } else {
            ctx.faradaic[r.hostTerminal] += r.z * flux
            ctx.record?.pointee.terminalFaradaic[r.hostTerminal] -= r.z * flux
        }
        ctx.record?.pointee.add(face: fi, species: r.species, -direction * flux)
        if let j = terminal { ctx.record?.pointee.terminalFaradaic[j] += r.z * flux }
        guard ctx.wantJ else { return }
        func row(_ column: Int, _ value: Double) {
            ctx.acc!.add(r.area * value, row: ih, column: column)
            if let j = terminal, ctx.drives.controls[j].mode == .current {
                ctx.acc!.add(-r.z * r.area * value * kappa / terminalScale[j], row: layout.terminalCharge(j)!, column: column)
            }
            if en >= 0 {
                ctx.acc!.add(r.z * r.area * value, row: en, column: column)
            } else if ctx.drives.controls[r.hostTerminal].mode == .current {
                ctx.acc!.add(r.z * r.area * value * kappa / terminalScale[r.hostTerminal], row: layout.terminalCharge(r.hostTerminal)!, column: column)
            }
        }
        row(ih, dch)
        if metalColumn >= 0 { row(metalColumn, -dd) }
        for (column, d) in dvh where column >= 0 && d != 0 { row(column, dd * d) }
    }
}

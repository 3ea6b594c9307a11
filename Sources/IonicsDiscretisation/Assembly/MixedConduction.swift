import IonicsLinearAlgebra
import IonicsPhysics
import IonicsUnits

// Mixed ionic–electronic conduction in a neutral host (``ElectronTransport``): the
// faces inside the film and its ohmic electron contacts.
//
// Rows. Each cell of the film has its intercalant's Nernst–Planck row and the row of its
// electron potential φ̂_n: Σ over the cell's faces of the charge current flowing in,
// ionic (z·Ĵ) plus electronic, = 0 — electroneutrality, ∇·(j_i + j_e) = 0. Currents are
// in the units of the species rows times z (mol/(m²·s)·F per c0·D0/L0), so a current I
// (A per unit cross-section) is I·L0/(F c0 D0 L0^(d−1)); a conductance G times a
// potential difference in V_T gives ``electronCurrentUnit``·Ĝ·Δφ̂.

extension PNPDiscretisation {
    /// V_T/(F c0 D0): the scaled current of â/R̂ (R̂ = d̂/σ_e, σ_e in S/m) per thermal
    /// voltage of potential difference.
    var electronCurrentUnit: Double {
        scales.thermalVoltage / (PhysicalConstants.faraday * scales.flux * scales.length)
    }

    /// σ_e (S/m) of a film cell and dσ_e/dĉ of its intercalant.
    @inline(__always)
    func electronConductivity(_ ctx: AssemblyPass, cell i: Int, layer l: Int) -> (value: Double, derivative: Double) {
        let host = hosts[l]!
        let (s, ds) = problem.layers[l].electronTransport!.conductivity(ctx.u[layout.firstSpecies[i]] / host.cmax)
        return (s, ds / host.cmax)
    }

    /// An interior face of a mixed conductor: the host's Scharfetter–Gummel flux with the
    /// electron potential as its field, Ĵ = g(θ̄)[B(Δψ)ĉ_a − B(−Δψ)ĉ_b],
    /// Δψ = Δμ̂ + z(φ̂_n,b − φ̂_n,a), and the electron current Ĝ(φ̂_n,a − φ̂_n,b) with
    /// Ĝ = â/(d̂_a/σ_a + d̂_b/σ_b) (the two half-cells in series).
    func assembleMixed(_ fi: Int, _ m: MixedFace, _ ctx: AssemblyPass) {
        let (a, b) = (mesh.faceCellA[fi], mesh.faceCellB[fi])
        let link = m.link
        let (ia, ib) = (layout.firstSpecies[a] + link.slotA, layout.firstSpecies[b] + link.slotB)
        let (ea, eb) = (layout.electron[a], layout.electron[b])
        let (ca, cb) = (ctx.u[ia], ctx.u[ib])
        let host = hosts[m.layer]!
        let z = link.z
        let ka = a * ctx.maxSlots + link.slotA, kb = b * ctx.maxSlots + link.slotB
        let delta = link.dmu0 + ctx.mu[kb] - ctx.mu[ka] + z * (ctx.u[eb] - ctx.u[ea])
        let (bp, bm) = Bernoulli.pair(delta)
        let (dv, ddv) = host.diffusivity.evaluate(0.5 * (ca + cb) / host.cmax)
        let g = dv / scales.diffusivity * link.hostGeometry
        let dg = ddv / scales.diffusivity * link.hostGeometry * 0.5 / host.cmax
        let core = bp * ca - bm * cb
        let flux = g * core
        // The electrons.
        let k = electronCurrentUnit * m.area
        let (sa, dsa) = electronConductivity(ctx, cell: a, layer: m.layer)
        let (sb, dsb) = electronConductivity(ctx, cell: b, layer: m.layer)
        let r = m.dA / sa + m.dB / sb
        let ge = k / r
        let dphi = ctx.u[ea] - ctx.u[eb]
        let current = ge * dphi
        ctx.f[ia] -= flux
        ctx.f[ib] += flux
        ctx.f[ea] -= z * flux + current
        ctx.f[eb] += z * flux + current
        ctx.record?.pointee.add(face: fi, species: problem.layers[m.layer].species[link.slotA].species, flux)
        ctx.record?.pointee.electronCurrent[fi] += current
        guard let acc = ctx.acc else { return }
        // ∂Ĵ/∂ĉ_a, ∂Ĵ/∂ĉ_b at fixed Δψ, and ∂Ĵ/∂Δψ.
        let dca = g * bp + dg * core
        let dcb = -g * bm + dg * core
        let dd = g * (Bernoulli.derivative(delta) * ca + Bernoulli.derivative(-delta) * cb)
        // ∂(electron current)/∂ĉ through σ_e on either side: Ĝ²/k · d̂/σ² · dσ/dĉ.
        let dea = ge * ge / k * m.dA / (sa * sa) * dsa * dphi
        let deb = ge * ge / k * m.dB / (sb * sb) * dsb * dphi
        let dmuA = ctx.dmu[ka * ctx.maxSlots + link.slotA], dmuB = ctx.dmu[kb * ctx.maxSlots + link.slotB]
        // Derivatives of Ĵ by column: c_a, c_b (including Δμ̂'s), φ_a, φ_b.
        let jColumns: [(Int, Double)] = [(ia, dca - dd * dmuA), (ib, dcb + dd * dmuB), (ea, -dd * z), (eb, dd * z)]
        for (column, v) in jColumns where v != 0 {
            acc.add(-v, row: ia, column: column)
            acc.add(v, row: ib, column: column)
            acc.add(-z * v, row: ea, column: column)
            acc.add(z * v, row: eb, column: column)
        }
        let eColumns: [(Int, Double)] = [(ea, ge), (eb, -ge), (ia, dea), (ib, deb)]
        for (column, v) in eColumns where v != 0 {
            acc.add(-v, row: ea, column: column)
            acc.add(v, row: eb, column: column)
        }
    }

    /// R̂_c of an electron contact at its cell's present filling, and dR̂_c/dĉ.
    @inline(__always)
    func contactResistance(_ c: ElectronContact, _ ctx: AssemblyPass) -> (value: Double, derivative: Double) {
        let cmax = hosts[c.layer]!.cmax
        let (r, dr) = c.resistance.evaluate(ctx.u[layout.firstSpecies[c.cell]] / cmax)
        return (r * c.inverseLength, dr * c.inverseLength / cmax)
    }

    /// φ̂_n at a metal face of film cell `cell` and its derivatives by column: through an
    /// ohmic contact (R̂_c) the face lies on the line between the cell centre and the
    /// metal, φ̂_f = φ̂_c + (V̂ − φ̂_c)·w with w = (d̂/σ_e)/(d̂/σ_e + R̂_c) (w = 1 without a
    /// contact resistance: the face is at the metal's potential); a face that blocks
    /// electrons carries no electron current, φ̂_f = φ̂_c.
    func electronPotentialAtFace(_ fi: Int, cell: Int, metal v: Double, metalColumn: Int, _ ctx: AssemblyPass) -> (Double, [(Int, Double)]) {
        let e = layout.electron[cell]
        guard case .electrode(let face) = faceKinds[fi], let c = face.electronContact else { return (ctx.u[e], [(e, 1)]) }
        let (s, ds) = electronConductivity(ctx, cell: cell, layer: c.layer)
        let (rc, drc) = contactResistance(c, ctx)
        let r1 = c.d / s
        let r = r1 + rc
        let w = r1 / r
        // ∂w/∂ĉ = (∂r1/∂ĉ·R̂_c − r1·∂R̂_c/∂ĉ)/r², ∂r1/∂ĉ = −d̂/σ²·dσ/dĉ.
        let dw = (-c.d / (s * s) * ds * rc - r1 * drc) / (r * r)
        let drop = v - ctx.u[e]
        return (ctx.u[e] + drop * w, [(e, 1 - w), (metalColumn, w), (layout.firstSpecies[cell], drop * dw)])
    }

    /// The ohmic electron contact of a film cell: Î = Ĝ_c(V̂ − φ̂_n) flows from the
    /// terminal into the cell, Ĝ_c = â/(d̂/σ_e + R̂_c(θ)). It is the terminal's current, so it
    /// is added to its faradaic tally (as a leakage is) and to the record.
    /// `direction`: +1 if +y points from the cell into the metal.
    func assembleElectronContact(_ fi: Int, _ c: ElectronContact, direction: Double, _ ctx: AssemblyPass) {
        let e = layout.electron[c.cell]
        let (v, vColumn) = terminalVoltage(c.terminal, ctx.u, time: ctx.time, drives: ctx.drives)
        let k = electronCurrentUnit * c.area
        let (s, ds) = electronConductivity(ctx, cell: c.cell, layer: c.layer)
        let (rc, drc) = contactResistance(c, ctx)
        let r = c.d / s + rc
        let ge = k / r
        let drop = v - ctx.u[e]
        let current = ge * drop
        ctx.f[e] += current
        ctx.faradaic[c.terminal] -= current
        ctx.record?.pointee.terminalFaradaic[c.terminal] += current
        ctx.record?.pointee.electronCurrent[fi] -= direction * current
        guard let acc = ctx.acc else { return }
        let ic = layout.firstSpecies[c.cell]
        // ∂Î/∂ĉ = −Ĝ_c²/k·∂r/∂ĉ·(V̂ − φ̂_n), ∂r/∂ĉ = −d̂/σ²·dσ/dĉ + dR̂_c/dĉ.
        let columns: [(Int, Double)] = [(e, -ge), (vColumn, ge), (ic, ge * ge / k * (c.d / (s * s) * ds - drc) * drop)]
        let currentDriven = ctx.drives.controls[c.terminal].mode == .current
        for (column, d) in columns where column >= 0 && d != 0 {
            acc.add(d, row: e, column: column)
            if currentDriven {
                acc.add(-d * kappa / terminalScale[c.terminal], row: layout.terminalCharge(c.terminal)!, column: column)
            }
        }
    }
}

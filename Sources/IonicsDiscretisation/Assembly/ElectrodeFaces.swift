import Foundation
import IonicsLinearAlgebra
import IonicsPhysics
import IonicsUnits

extension PNPDiscretisation {
    /// An electrode face (an outer metal, or an electrolyte | neutral-host interface): the
    /// half-cell and Stern conductance to the electrode potential, the contact double
    /// layer, reactions at the reaction plane and the species conditions of outer faces.
    func assembleElectrode(_ fi: Int, _ e: Electrode, _ ctx: AssemblyPass) {
        let a = e.cell
        let pa = layout.potential[a]
        let firstA = layout.firstSpecies[a]
        let l = mesh.cellRegion[a]
        let (v, vColumn) = sourcePotential(e.source, ctx.u, ctx.time, drives: ctx.drives)
        let terminal: Int? = { if case .terminal(let j) = e.source { return j }; return nil }()
        var phiFace = pa >= 0 ? ctx.u[pa] : 0
        var dFaceA = 1.0
        var dFaceV = 0.0
        if pa >= 0 && e.g0 != 0 {
            let g = e.g
            let q = g * (v - e.pzc - ctx.u[pa])
            ctx.f[pa] += q
            ctx.record?.pointee.displacement[fi] = -e.direction * q
            if let j = terminal { ctx.sigma[j] += q }
            if ctx.wantJ {
                ctx.acc!.add(-g, row: pa, column: pa)
                if vColumn >= 0 { ctx.acc!.add(g, row: pa, column: vColumn) }
            }
            phiFace = ctx.u[pa] + e.theta * (v - e.pzc - ctx.u[pa])
            dFaceA = 1 - e.theta
            dFaceV = e.theta
        }
        if e.contact > 0, let j = terminal {
            // The contact's double layer: charge Ĉ(V_m − V_h) on the metal, the opposite on the host.
            let q = e.contact * (v - terminalVoltage(e.contactHost, ctx.u, time: ctx.time, drives: ctx.drives).value)
            ctx.sigma[j] += q
            ctx.sigma[e.contactHost] -= q
            ctx.record?.pointee.displacement[fi] = -e.direction * q
        }
        if let c = e.electronContact { assembleElectronContact(fi, c, direction: e.direction, ctx) }
        // Reactions at the reaction plane.
        for r in e.reactions where r.hostTerminal >= 0 {
            transfer(r, metal: v, metalColumn: vColumn, terminal: terminal, face: fi, direction: e.direction, ctx)
        }
        for r in e.reactions where r.hostTerminal < 0 {
            var dDelta: [(Int, Double)] = [(vColumn, 1)]
            if pa >= 0 { dDelta.append((pa, -dFaceA)); dDelta[0].1 -= dFaceV }
            react(r, ce: a, delta: v - (pa >= 0 ? phiFace : 0), dDelta: dDelta, terminal: terminal, face: fi, direction: e.direction, ctx)
        }
        // Species conditions of outer faces (precomputed from their contact laws).
        for b in e.influxes {
            let inflow = faceArea[fi] * b.value(ctx.time) / scales.flux
            ctx.f[firstA + b.slot] += inflow
            ctx.record?.pointee.add(face: fi, species: b.species, -e.direction * inflow)
        }
        guard !e.reservoirs.isEmpty, let side = e.outer else { return }
        let steric = stericAtBoundary(side, layer: l, time: ctx.time)
        for b in e.reservoirs {
            let k = b.slot
            let ia = firstA + k
            let cb = b.value(ctx.time) / scales.concentration
            let g = boundarySpeciesConductance(fi, layer: l, slot: k)
            let z = layerCharge[l][k]
            var delta = steric - ctx.mu[a * ctx.maxSlots + k]
            if pa >= 0 { delta += z * (phiFace - ctx.u[pa]) }
            let (bp, bm) = Bernoulli.pair(delta)
            let ca = ctx.u[ia]
            let out = g * (bp * ca - bm * cb)
            ctx.f[ia] -= out
            ctx.record?.pointee.add(face: fi, species: b.species, e.direction * out)
            guard ctx.wantJ else { continue }
            let dd = g * (Bernoulli.derivative(delta) * ca + Bernoulli.derivative(-delta) * cb)
            ctx.acc!.add(-g * bp, row: ia, column: ia)
            if pa >= 0 && z != 0 {
                ctx.acc!.add(-dd * z * (dFaceA - 1), row: ia, column: pa)
                if vColumn >= 0 { ctx.acc!.add(-dd * z * dFaceV, row: ia, column: vColumn) }
            }
            for kk in 0..<layout.speciesCount(a) {
                let m = ctx.dmu[(a * ctx.maxSlots + k) * ctx.maxSlots + kk]
                if m != 0 { ctx.acc!.add(dd * m, row: ia, column: firstA + kk) }
            }
        }
    }

    /// An electrolyte | semiconductor-host face: Poisson on both sides, a Stern layer
    /// between, and the transfer reactions at the reaction plane.
    func assembleSemiconductor(_ fi: Int, _ s: SemiconductorFace, _ ctx: AssemblyPass) {
        let pe = layout.potential[s.electrolyte]
        let ph = layout.potential[s.host]
        let q = s.g * (ctx.u[ph] - s.pzc - ctx.u[pe])
        ctx.f[pe] += q
        ctx.f[ph] -= q
        let electrolyteFirst = s.electrolyte < s.host
        ctx.record?.pointee.displacement[fi] = electrolyteFirst ? -q : q
        if ctx.wantJ {
            ctx.acc!.add(-s.g, row: pe, column: pe)
            ctx.acc!.add(s.g, row: pe, column: ph)
            ctx.acc!.add(s.g, row: ph, column: pe)
            ctx.acc!.add(-s.g, row: ph, column: ph)
        }
        let theta = s.g / s.gE
        let phiS = ctx.u[pe] + theta * (ctx.u[ph] - s.pzc - ctx.u[pe])
        let (vs, vc) = terminalVoltage(s.terminal, ctx.u, time: ctx.time, drives: ctx.drives)
        for r in s.reactions {
            react(r, ce: s.electrolyte, delta: vs - phiS, dDelta: [(vc, 1), (pe, -(1 - theta)), (ph, -theta)],
                  terminal: nil, face: fi, direction: electrolyteFirst ? 1 : -1, ctx)
        }
    }

    /// D̂ â / d̂ between cell a's centre and its outer face, for a reservoir species.
    func boundarySpeciesConductance(_ fi: Int, layer l: Int, slot k: Int) -> Double {
        problem.layers[l].species[k].diffusivity / scales.diffusivity * faceArea[fi] / (mesh.faceDistanceA[fi] / scales.length)
    }
}

import Foundation
import IonicsLinearAlgebra
import IonicsPhysics
import IonicsUnits

extension PNPDiscretisation {
    /// A face inside a layer or between two electrolytes: Gauss's flux ε∇φ·n and the
    /// excess-potential Scharfetter–Gummel flux of every species that crosses it.
    func assembleContinuity(_ fi: Int, links: [Link], poisson ge: Double, _ ctx: AssemblyPass) {
        let a = mesh.faceCellA[fi]
        let b = mesh.faceCellB[fi]
        let pa = layout.potential[a]
        let pb = layout.potential[b]
        let firstA = layout.firstSpecies[a]
        let firstB = layout.firstSpecies[b]
        if ge != 0 {
            let q = ge * (ctx.u[pb] - ctx.u[pa])
            ctx.f[pa] += q
            ctx.f[pb] -= q
            ctx.record?.pointee.displacement[fi] = -q
            if ctx.wantJ {
                ctx.acc!.add(-ge, row: pa, column: pa)
                ctx.acc!.add(ge, row: pa, column: pb)
                ctx.acc!.add(ge, row: pb, column: pa)
                ctx.acc!.add(-ge, row: pb, column: pb)
            }
        }
        let withField = pa >= 0 && pb >= 0
        let la = mesh.cellRegion[a]
        for link in links {
            let ia = firstA + link.slotA
            let ib = firstB + link.slotB
            var delta = link.dmu0 + ctx.mu[b * ctx.maxSlots + link.slotB] - ctx.mu[a * ctx.maxSlots + link.slotA]
            if withField { delta += link.z * (ctx.u[pb] - ctx.u[pa]) }
            let (bp, bm) = Bernoulli.pair(delta)
            let ca = ctx.u[ia]
            let cb = ctx.u[ib]
            var g = link.g
            var dgA = 0.0
            var dgB = 0.0
            if link.hostGeometry != 0, let host = hosts[la] {
                let (cmax, table) = (host.cmax, host.diffusivity)
                let (dv, ddv) = table.evaluate(0.5 * (ca + cb) / cmax)
                g = dv / scales.diffusivity * link.hostGeometry
                dgA = ddv / scales.diffusivity * link.hostGeometry * 0.5 / cmax
                dgB = dgA
            }
            let flux = g * (bp * ca - bm * cb)
            ctx.f[ia] -= flux
            ctx.f[ib] += flux
            ctx.record?.pointee.add(face: fi, species: problem.layers[la].species[link.slotA].species, flux)
            guard ctx.wantJ else { continue }
            let core = bp * ca - bm * cb
            let dca = g * bp + dgA * core
            let dcb = -g * bm + dgB * core
            let dd = g * (Bernoulli.derivative(delta) * ca + Bernoulli.derivative(-delta) * cb)
            ctx.acc!.add(-dca, row: ia, column: ia)
            ctx.acc!.add(-dcb, row: ia, column: ib)
            ctx.acc!.add(dca, row: ib, column: ia)
            ctx.acc!.add(dcb, row: ib, column: ib)
            if withField && link.z != 0 {
                let dz = dd * link.z
                ctx.acc!.add(dz, row: ia, column: pa)
                ctx.acc!.add(-dz, row: ia, column: pb)
                ctx.acc!.add(-dz, row: ib, column: pa)
                ctx.acc!.add(dz, row: ib, column: pb)
            }
            for k in 0..<layout.speciesCount(b) {
                let m = ctx.dmu[(b * ctx.maxSlots + link.slotB) * ctx.maxSlots + k]
                if m != 0 {
                    ctx.acc!.add(-dd * m, row: ia, column: firstB + k)
                    ctx.acc!.add(dd * m, row: ib, column: firstB + k)
                }
            }
            for k in 0..<layout.speciesCount(a) {
                let m = ctx.dmu[(a * ctx.maxSlots + link.slotA) * ctx.maxSlots + k]
                if m != 0 {
                    ctx.acc!.add(dd * m, row: ia, column: firstA + k)
                    ctx.acc!.add(-dd * m, row: ib, column: firstA + k)
                }
            }
        }
    }
}

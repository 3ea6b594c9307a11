import IonicsLinearAlgebra
import IonicsPhysics

extension PNPDiscretisation {
    /// How the species links of a ``ContinuityPlan`` are evaluated: eight at a time with
    /// ``Bernoulli/lanes(_:)`` (the assembly's kernel), or one at a time with the scalar
    /// Bernoulli function (the same gathers and scatters; for benchmarks of the SIMD part).
    enum LinkForm {
        case vectorised, scalar
    }

    /// Gauss entries and link segments of `part` into the pass; with `chunk` = (t, T) only
    /// the t-th of T equal slices of each (a colour's share for worker t).
    func runPart(_ part: ContinuityPlan.Part, _ ctx: AssemblyPass, form: LinkForm = .vectorised, chunk: (index: Int, of: Int) = (0, 1)) {
        func slice(_ r: Range<Int>) -> Range<Int> {
            guard chunk.of > 1 else { return r }
            return r.lowerBound + r.count * chunk.index / chunk.of ..< r.lowerBound + r.count * (chunk.index + 1) / chunk.of
        }
        runGauss(slice(part.gauss), ctx)
        for s in part.segments {
            let segment = continuityPlan.segments[s]
            switch form {
            case .vectorised: runLinksVectorised(segment, slice(segment.entries), ctx)
            case .scalar: runLinksScalar(segment, slice(segment.entries), ctx)
            }
        }
    }

    /// Gauss's flux â ε_σ (φ̂_b − φ̂_a)/d̂ of the plan's entries `range` (as ``assembleContinuity(_:links:poisson:_:)``).
    func runGauss(_ range: Range<Int>, _ ctx: AssemblyPass) {
        let plan = continuityPlan
        let u = ctx.u.baseAddress!
        for e in range {
            let pa = Int(plan.gaussA[e]), pb = Int(plan.gaussB[e])
            let ge = plan.gaussG[e]
            let q = ge * (u[pb] - u[pa])
            ctx.f[pa] += q
            ctx.f[pb] -= q
            ctx.record?.pointee.displacement[Int(plan.gaussFace[e])] = -q
            guard let acc = ctx.acc else { continue }
            let s = plan.gaussSlots.base + 4 * e
            acc.add(-ge, slot: Int(s[0]))
            acc.add(ge, slot: Int(s[1]))
            acc.add(ge, slot: Int(s[2]))
            acc.add(-ge, slot: Int(s[3]))
        }
    }

    /// Δψ = (μ°_b − μ°_a)/RT + μ̂_b − μ̂_a [+ z(φ̂_b − φ̂_a)] of link e, summed in the scalar kernel's order.
    @inline(__always)
    func linkArgument(_ e: Int, field: Bool, _ u: UnsafePointer<Double>, _ mu: UnsafeMutablePointer<Double>) -> Double {
        let plan = continuityPlan
        var delta = plan.dmu0[e] + mu[Int(plan.muB[e])] - mu[Int(plan.muA[e])]
        if field { delta += plan.z[e] * (u[Int(plan.pb[e])] - u[Int(plan.pa[e])]) }
        return delta
    }

    /// The host's D(θ) at the mean filling of link e: g = D̂(θ̄) â/d̂ and ∂g/∂ĉ on either side.
    @inline(__always)
    func hostConductance(_ e: Int, ca: Double, cb: Double) -> (g: Double, dg: Double) {
        let plan = continuityPlan
        let host = hosts[Int(plan.hostLayer[e])]!
        let (dv, ddv) = host.diffusivity.evaluate(0.5 * (ca + cb) / host.cmax)
        return (dv / scales.diffusivity * plan.g[e], ddv / scales.diffusivity * plan.g[e] * 0.5 / host.cmax)
    }

    /// The residual and Jacobian entries of link e from its flux and derivatives:
    /// ∂J/∂ĉ_a = `dca`, ∂J/∂ĉ_b = `dcb`, ∂J/∂Δψ = `dd`.
    @inline(__always)
    func scatterLink(_ e: Int, _ segment: ContinuityPlan.Segment, flux: Double, dca: Double, dcb: Double, dd: Double, _ ctx: AssemblyPass) {
        let plan = continuityPlan
        ctx.f[Int(plan.ia[e])] -= flux
        ctx.f[Int(plan.ib[e])] += flux
        ctx.record?.pointee.add(face: Int(plan.face[e]), species: Int(plan.species[e]), flux)
        guard let acc = ctx.acc else { return }
        let s = plan.slots.base + 8 * e
        acc.add(-dca, slot: Int(s[0]))
        acc.add(-dcb, slot: Int(s[1]))
        acc.add(dca, slot: Int(s[2]))
        acc.add(dcb, slot: Int(s[3]))
        if segment.field {
            let dz = dd * plan.z[e]
            acc.add(dz, slot: Int(s[4]))
            acc.add(-dz, slot: Int(s[5]))
            acc.add(-dz, slot: Int(s[6]))
            acc.add(dz, slot: Int(s[7]))
        }
        if segment.coupled {
            for c in Int(plan.couplingStart[e])..<Int(plan.couplingStart[e + 1]) {
                let m = ctx.dmu[Int(plan.couplingDmu[c])]
                if m != 0 {
                    let v = plan.couplingSign[c] * dd * m
                    acc.add(v, slot: Int(plan.couplingSlotA[c]))
                    acc.add(-v, slot: Int(plan.couplingSlotB[c]))
                }
            }
        }
    }

    /// The excess-potential Scharfetter–Gummel flux Ĵ = g [B(Δψ) ĉ_a − B(−Δψ) ĉ_b] of the
    /// links `range` of `segment`, eight at a time: the arguments are gathered into
    /// SIMD lanes, B(±Δψ) and B′(±Δψ) come from one vector exponential
    /// (``Bernoulli/lanes(_:)``), flux and derivatives are formed lane-wise and scattered
    /// to the precomputed positions. A last, partial batch repeats its final link in the
    /// spare lanes and scatters only the real ones. The formulas and the order of every
    /// sum are the scalar kernel's; only B and B′ round differently (≤ 2e-15 relative).
    func runLinksVectorised(_ segment: ContinuityPlan.Segment, _ range: Range<Int>, _ ctx: AssemblyPass) {
        let plan = continuityPlan
        let u = ctx.u.baseAddress!
        // Lanes go in and out through a stack buffer: a SIMD subscript with a run-time
        // index spills and reloads the whole vector for every lane.
        withUnsafeTemporaryAllocation(of: Double.self, capacity: 9 * 8) { buffer in
            let stage = buffer.baseAddress!
            let (ca, cb, delta, g, dg) = (stage, stage + 8, stage + 16, stage + 24, stage + 32)
            let (flux, dca, dcb, dd) = (stage + 40, stage + 48, stage + 56, stage + 64)
            var e0 = range.lowerBound
            while e0 < range.upperBound {
                let count = min(8, range.upperBound - e0)
                for l in 0..<8 {
                    let e = e0 + min(l, count - 1)
                    ca[l] = u[Int(plan.ia[e])]
                    cb[l] = u[Int(plan.ib[e])]
                    delta[l] = linkArgument(e, field: segment.field, u, ctx.mu)
                    if segment.hostDiffusivity {
                        (g[l], dg[l]) = hostConductance(e, ca: ca[l], cb: cb[l])
                    } else {
                        g[l] = plan.g[e]
                    }
                }
                let a = Self.lanes(ca), c = Self.lanes(cb), gl = Self.lanes(g)
                let b = Bernoulli.lanes(Self.lanes(delta))
                let core = b.plus * a - b.minus * c
                Self.store(gl * core, flux)
                var ja = gl * b.plus
                var jb = -gl * b.minus
                if segment.hostDiffusivity {
                    let dgl = Self.lanes(dg)
                    ja += dgl * core
                    jb += dgl * core
                }
                Self.store(ja, dca)
                Self.store(jb, dcb)
                Self.store(gl * (b.dPlus * a + b.dMinus * c), dd)
                for l in 0..<count {
                    scatterLink(e0 + l, segment, flux: flux[l], dca: dca[l], dcb: dcb[l], dd: dd[l], ctx)
                }
                e0 += count
            }
        }
    }

    @inline(__always)
    static func lanes(_ p: UnsafeMutablePointer<Double>) -> SIMD8<Double> { UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Double>.self) }

    @inline(__always)
    static func store(_ v: SIMD8<Double>, _ p: UnsafeMutablePointer<Double>) { UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD8<Double>.self) }

    /// The same links one at a time with ``Bernoulli/pair(_:)`` and
    /// ``Bernoulli/derivative(_:)``: the arithmetic of ``assembleContinuity(_:links:poisson:_:)``
    /// with the plan's gathers and scatters (what the SIMD lanes are measured against).
    func runLinksScalar(_ segment: ContinuityPlan.Segment, _ range: Range<Int>, _ ctx: AssemblyPass) {
        let plan = continuityPlan
        let u = ctx.u.baseAddress!
        for e in range {
            let ca = u[Int(plan.ia[e])], cb = u[Int(plan.ib[e])]
            let delta = linkArgument(e, field: segment.field, u, ctx.mu)
            let (bp, bm) = Bernoulli.pair(delta)
            var g = plan.g[e]
            var dg = 0.0
            if segment.hostDiffusivity { (g, dg) = hostConductance(e, ca: ca, cb: cb) }
            let core = bp * ca - bm * cb
            let dd = ctx.acc == nil ? 0 : g * (Bernoulli.derivative(delta) * ca + Bernoulli.derivative(-delta) * cb)
            scatterLink(e, segment, flux: g * core, dca: g * bp + dg * core, dcb: -g * bm + dg * core, dd: dd, ctx)
        }
    }
}

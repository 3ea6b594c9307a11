import Foundation
import IonicsLinearAlgebra
import IonicsPhysics
import IonicsSolvers
import IonicsUnits

// Pointwise laws of the discretisation: excess chemical potentials (steric, host),
// electrode potentials, reservoir boundary values and the interface kinetics.

extension PNPDiscretisation {
    /// Excess chemical potentials of the slots of cell i (`mu[s]`) and their
    /// derivatives with respect to the cell's concentrations (`dmu[s·n + s′]`).
    @inline(__always)
    func excessPotential(_ u: UnsafeBufferPointer<Double>, _ i: Int, mu: inout [Double], dmu: inout [Double]) throws {
        let l = mesh.cellRegion[i]
        let n = layout.speciesCount(i)
        let first = layout.firstSpecies[i]
        guard n > 0 else { return }
        precondition(mu.count >= n && dmu.count >= n * n, "excess-potential buffers smaller than the layer's species")
        do {
            try mu.withUnsafeMutableBufferPointer { m throws(BulkLawError) in
                try dmu.withUnsafeMutableBufferPointer { d throws(BulkLawError) in
                    try bulk[l].excess(u.baseAddress! + first, count: n, mu: m.baseAddress!, dmu: d.baseAddress!)
                }
            }
        } catch .overpacked {
            throw DiscretisationError.overpacked(cell: i, layer: problem.layers[l].name)
        } catch .fillingOutOfRange(let theta) {
            throw DiscretisationError.fillingOutOfRange(cell: i, layer: problem.layers[l].name, filling: theta)
        }
    }

    /// The same for the assembly's loop over cells: the layer's law read in place from
    /// `laws` (``bulk``'s storage; reading `bulk[l]` copies the existential, a retain and a
    /// release per cell and pass) into `mu` and `dmu` of room for `n` = the cell's species.
    @inline(__always)
    func excessPotential(
        _ u: UnsafeBufferPointer<Double>, _ i: Int, laws: UnsafeBufferPointer<any BulkLaw>, count n: Int,
        mu: UnsafeMutablePointer<Double>, dmu: UnsafeMutablePointer<Double>
    ) throws {
        let l = mesh.cellRegion[i]
        do {
            try laws[l].excess(u.baseAddress! + layout.firstSpecies[i], count: n, mu: mu, dmu: dmu)
        } catch .overpacked {
            throw DiscretisationError.overpacked(cell: i, layer: problem.layers[l].name)
        } catch .fillingOutOfRange(let theta) {
            throw DiscretisationError.fillingOutOfRange(cell: i, layer: problem.layers[l].name, filling: theta)
        }
    }

    /// Scaled electrode potential and the column of its unknown (−1 when prescribed or
    /// held by a voltage drive).
    @inline(__always)
    func sourcePotential(_ s: Source, _ u: UnsafeBufferPointer<Double>, _ t: Double, drives: Drives) -> (value: Double, column: Int) {
        switch s {
        case .fixed(let f): return (drives.biasFactor * f(t) / scales.thermalVoltage, -1)
        case .terminal(let j): return terminalVoltage(j, u, time: t, drives: drives)
        case .none: return (0, -1)
        }
    }

    /// Terminal j's potential V̂ = V/V_T and the column of its unknown: the circuit
    /// unknown when the terminal has one, else the voltage drive's value
    /// (bias factor × V(t)/V_T) with column −1.
    @inline(__always)
    func terminalVoltage(_ j: Int, _ u: UnsafeBufferPointer<Double>, time t: Double, drives: Drives) -> (value: Double, column: Int) {
        let c = terminalColumn[j]
        if c >= 0 { return (u[c], c) }
        let control = drives.controls[j]
        precondition(control.mode == .voltage, "terminal \(j) has no circuit unknowns and cannot be driven by current")
        return (drives.biasFactor * control.value(t) / scales.thermalVoltage, -1)
    }

    /// Nondimensional boundary concentration of `species` on `side` at time t, if fixed.
    func boundaryConcentration(_ side: Mesh.BoundarySide, species: Int, time t: Double) -> Double? {
        let b = side == .first ? problem.first : problem.last
        return b.condition(for: species).concentration.map { $0(t) / scales.concentration }
    }

    /// Excess potential on a reservoir face: from the boundary concentrations of the
    /// layer's species (the initial ones where not fixed).
    func stericAtBoundary(_ side: Mesh.BoundarySide, layer l: Int, time t: Double) -> Double {
        let c = problem.layers[l].species.map { sp in
            boundaryConcentration(side, species: sp.species, time: t) ?? sp.initialConcentration / scales.concentration
        }
        return bulk[l].reservoirExcess(c)
    }

    /// Insertion rate of reaction r (scaled, per area; its ``TransferRateLaw`` gives the
    /// overpotential dependence) and its partial derivatives
    /// with respect to ĉ_e, the electron-minus-reaction-plane potential difference
    /// Δ = V̂ − φ̂_s, and the host concentration ĉ_h.
    @inline(__always)
    func reactionRate(_ r: Reaction, ce: Double, delta: Double, ch: Double) -> (rate: Double, dce: Double, ddelta: Double, dch: Double) {
        var uHat = r.fixedU
        var duHat = 0.0
        var hostFactor = 1.0
        var dHostFactor = 0.0
        if r.hostCell >= 0, let host = hosts[mesh.cellRegion[r.hostCell]] {
            let (cmax, ocv, z) = (host.cmax, host.ocv, host.charge)
            let theta = min(max(ch / cmax, 1e-300), 1 - 1e-16)
            let (uu, du) = ocv.evaluate(theta, thermalVoltage: scales.thermalVoltage, charge: z)
            uHat = uu / scales.thermalVoltage
            duHat = du / scales.thermalVoltage / cmax
            let ref = pow(r.thetaRef, r.alphaC) * pow(1 - r.thetaRef, r.alphaA)
            hostFactor = pow(theta, r.alphaC) * pow(1 - theta, r.alphaA) / ref
            dHostFactor = hostFactor * (r.alphaC / theta - r.alphaA / (1 - theta)) / cmax
        }
        let eta0 = delta - uHat
        let ratio = max(ce, 0) / r.cRef
        let order = r.alphaA + r.alphaC
        let forwardC = pow(ratio, order)
        let dForwardC = ratio > 0 ? order * forwardC / ratio / r.cRef : (order == 1 ? 1 / r.cRef : 0)
        // The law's potential factors at x = z·η (insertion is the reduction).
        let k = r.law.factors(r.z * eta0)
        let kHost = r.rate * hostFactor
        let rate = kHost * (forwardC * k.reduction - k.oxidation)
        let dEta = kHost * r.z * (forwardC * k.dReduction - k.dOxidation)
        return (rate, kHost * dForwardC * k.reduction, dEta,
                r.rate * dHostFactor * (forwardC * k.reduction - k.oxidation) - dEta * duHat)
    }
}

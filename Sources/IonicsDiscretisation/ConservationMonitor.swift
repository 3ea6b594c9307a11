import Foundation
public import IonicsSolvers
import IonicsUnits

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
    let isCurrentFace: [Bool]
    /// The current faces grouped into cuts across the stack: faces normal to y at one
    /// height (one face in 1D, a row of faces in 2D). The total current through every
    /// cut is the same; lateral faces carry current inside a cut's slab.
    let cuts: [[Int]]
    /// Outer faces at the two ends of the stack in y (the partial electrodes' closed
    /// remainder carries nothing).
    /// The largest cut's area (1 in 1D; m in 2D), for the current floor.
    let cutArea: Double
    let firstFaces: [Int]
    let lastFaces: [Int]
    /// Current density (A/m²) below which the spread is measured absolutely:
    /// 1e-12 of the natural ionic current F·c0·D0/L0, so that a device at rest, whose
    /// currents are at round-off, does not report a meaningless relative spread.
    public var currentFloor: Double

    /// Result of checking one step.
    public struct Check: Sendable {
        public var time: Double
        public var step: Double
        /// Max over species of |ΔN − ∫inflow| / N (N the inventory before the step).
        public var inventoryError: Double
        /// (max − min) of the total current over the cuts across the stack, relative to the
        /// largest |conduction| + |displacement| part through a cut; 0 for a re-initialisation.
        public var currentSpread: Double
        /// (max − min) of the total current over the cuts, A/m² (1D) or A/m (2D, per depth).
        public var currentSpreadAbsolute: Double
        /// Mean total current through the cuts, A/m² (1D) or A/m (2D), +y.
        public var current: Double
        /// Charge that passed each face during the step, C/m² (+y): conduction + displacement.
        public var faceCharge: [Double]
        /// |∫ρ dy − (D_last − D_first)| / max(∫|ρ| dy, |D_first|, |D_last|) at the end state.
        public var gaussResidual: Double
        /// Charge into the device through each terminal during the step, C/m² (faradaic + electrode charging).
        public var terminalCharge: [Double]
        /// Electrical work done on the device through each terminal, J/m² (∫V·I dt).
        public var terminalEnergy: [Double]
    }

    public init(discretisation: PNPDiscretisation) {
        self.discretisation = discretisation
        charges = discretisation.problem.species.map(\.charge)
        let d = discretisation
        currentFaces = d.mesh.faces.indices.filter { f in
            switch d.faceKinds[f] {
            case .continuity(_, let g): return g != 0
            // (A mixed conductor's faces and contacts carry ionic + electronic current.)
            case .electrode(let e): return e.g0 != 0 || d.layout.electron[e.cell] >= 0
            case .semiconductor, .mixed: return true
            case .closed: return false
            }
        }
        currentFloor = 1e-12 * PhysicalConstants.faraday * d.scales.flux
        var mask = [Bool](repeating: false, count: d.mesh.faceCount)
        for f in currentFaces { mask[f] = true }
        isCurrentFace = mask
        var rows: [Double: [Int]] = [:]
        for f in currentFaces where abs(d.mesh.faceNormal[f].y) > 0.5 { rows[d.mesh.faceCentroid[f].y, default: []].append(f) }
        cuts = rows.keys.sorted().map { rows[$0]! }
        cutArea = cuts.map { $0.reduce(0.0) { $0 + d.mesh.faceArea[$1] } }.max() ?? 1
        firstFaces = d.mesh.faces(tagged: "first")
        lastFaces = d.mesh.faces(tagged: "last")
    }

    /// The last few face records: a step's start is the previous step's end and the
    /// TR-BDF2 quadrature reuses both ends, so of the five records a check reads only
    /// two (the stage and the end) need an assembly.
    private var recent: [(segment: Int, bias: Double, time: Double, state: [Double], record: PNPDiscretisation.FaceRecord)] = []

    func faceRecord(_ u: [Double], time t: Double, drives: Drives) throws -> PNPDiscretisation.FaceRecord {
        let (segment, bias) = (drives.segment, drives.biasFactor)
        if let hit = recent.last(where: { $0.segment == segment && $0.bias == bias && $0.time == t && $0.state == u }) {
            return hit.record
        }
        let r = try discretisation.faceRecord(u, time: t, drives: drives)
        recent.append((segment, bias, t, u, r))
        if recent.count > 3 { recent.removeFirst() }
        return r
    }

    /// Checks one accepted step (or re-initialisation) taken under `drives` (default: the
    /// discretisation's standard drives). `previous` are the drives before a
    /// re-initialisation (default: `drives`): the state before the jump is evaluated under
    /// them, since a terminal held at a voltage carries its potential in the drives, not
    /// in the state.
    public func check(_ record: StepRecord, drives: Drives? = nil, previous: Drives? = nil) throws -> Check {
        let drives = drives ?? discretisation.standardDrives
        let beforeDrives = record.kind == .reinitialisation ? previous ?? drives : drives
        let d = discretisation
        let before = try faceRecord(record.before, time: record.start, drives: beforeDrives)
        let after = try faceRecord(record.after, time: record.end, drives: drives)
        let nFaces = d.mesh.faceCount
        let nSpecies = charges.count
        var conduction = [Double](repeating: 0, count: nFaces)
        // A mixed conductor's electron part, kept apart for the size of the balance.
        var electronic = [Double](repeating: 0, count: nFaces)
        var inflow = [Double](repeating: 0, count: nSpecies)
        let area = d.mesh.faceArea
        let nT = d.layout.terminalCount
        var terminalCharge = [Double](repeating: 0, count: nT)
        var terminalEnergy = [Double](repeating: 0, count: nT)
        for q in record.quadrature {
            let r = try faceRecord(q.state, time: q.time, drives: drives)
            for f in 0..<nFaces {
                conduction[f] += q.weight * r.current(face: f, charges: charges)
                electronic[f] += q.weight * r.electronCurrent[f]
            }
            for k in 0..<nSpecies {
                var net = r.sources[k]
                for f in firstFaces { net += r.flux(face: f, species: k) * area[f] }
                for f in lastFaces { net -= r.flux(face: f, species: k) * area[f] }
                inflow[k] += q.weight * net
            }
            for j in 0..<nT {
                terminalCharge[j] += q.weight * r.terminalFaradaic[j]
                terminalEnergy[j] += q.weight * r.terminalFaradaic[j] * d.terminalState(q.state, j, time: q.time, drives: drives).potential
            }
        }
        // Electrode charging: the change of the electrode charge, at the mean potential
        // (at a re-initialisation the jump happens at the new potential).
        for j in 0..<nT {
            let (v0, s0) = d.terminalState(record.before, j, time: record.start, drives: beforeDrives)
            let (v1, s1) = d.terminalState(record.after, j, time: record.end, drives: drives)
            terminalCharge[j] += s1 - s0
            terminalEnergy[j] += (record.kind == .reinitialisation ? v1 : 0.5 * (v0 + v1)) * (s1 - s0)
        }
        let n0 = d.inventories(record.before)
        let n1 = d.inventories(record.after)
        var inventoryError = 0.0
        for k in 0..<nSpecies where n0[k] > 0 {
            inventoryError = max(inventoryError, abs(n1[k] - n0[k] - inflow[k]) / n0[k])
        }
        var faceCharge = [Double](repeating: 0, count: nFaces)
        for f in 0..<nFaces { faceCharge[f] = conduction[f] + after.displacement[f] - before.displacement[f] }
        // Charge through each cut (per unit cross-section in 1D, per metre of depth in 2D),
        // and the size of the terms that balance in it.
        var cutCharge: [Double] = []
        var magnitude = 0.0
        for cut in cuts {
            var q = 0.0
            var size = 0.0
            for f in cut {
                q += faceCharge[f] * area[f]
                size += (abs(conduction[f] - electronic[f]) + abs(electronic[f]) + abs(after.displacement[f] - before.displacement[f])) * area[f]
            }
            cutCharge.append(q)
            magnitude = max(magnitude, size)
        }
        // The spread is measured against the size of the terms that balance (conduction
        // and displacement), which stays meaningful when the net current is ~0 (open circuit).
        var spread = 0.0
        var spreadAbsolute = 0.0
        var mean = 0.0
        let h = record.end - record.start
        if h > 0 && !cutCharge.isEmpty {
            let currents = cutCharge
            mean = currents.reduce(0, +) / Double(currents.count) / h
            spreadAbsolute = (currents.max()! - currents.min()!) / h
            spread = (currents.max()! - currents.min()!) / max(magnitude, currentFloor * cutArea * h)
        }
        // Gauss's law over the Poisson cells at the end state.
        let rho = d.chargeDensity(record.after, time: record.end, drives: drives)
        var total = 0.0
        var chargeMagnitude = 0.0
        for i in 0..<d.mesh.cellCount where d.layout.potential[i] >= 0 {
            total += rho[i] * d.mesh.cellVolume[i]
            chargeMagnitude += abs(rho[i]) * d.mesh.cellVolume[i]
        }
        // Gauss over the Poisson region: it is bounded by the first and last cuts that
        // carry a displacement (outer boundaries or electrode interfaces); its lateral
        // sides carry no normal field.
        func flux(_ cut: [Int]?) -> Double { cut?.reduce(0.0) { $0 + after.displacement[$1] * area[$1] } ?? 0 }
        let dFirst = flux(cuts.first)
        let dLast = flux(cuts.last)
        let gauss = abs(total - (dLast - dFirst)) / max(chargeMagnitude, abs(dFirst), abs(dLast), 1e-300)
        return Check(time: record.end, step: h, inventoryError: inventoryError, currentSpread: spread,
                     currentSpreadAbsolute: spreadAbsolute, current: mean,
                     faceCharge: faceCharge, gaussResidual: gauss, terminalCharge: terminalCharge, terminalEnergy: terminalEnergy)
    }
}

import Foundation
public import IonicsDiscretisation
import IonicsPhysics
import IonicsUnits

/// What crosses the two outer boundaries of the stack at one output time.
public struct BoundarySample: Sendable {
    public var experiment: Int
    /// Time from the start of the experiment, s.
    public var time: Double
    /// Charge per area on the outer side of each boundary, [first, last], C/m²: the
    /// electric displacement D·n with n pointing into the device (Gauss). For an
    /// electrode it is the metal's charge; the diffuse layer holds the opposite.
    public var charge: [Double]
    /// Total (conduction + displacement) current density into the device through each
    /// boundary, [first, last], A/m².
    public var current: [Double]
    /// Species fluxes into the device through each boundary, mol/(m²·s), by species index.
    public var flux: [[Double]]
    /// True when `current` is the mean over the step that reached the time (stacks where
    /// the instantaneous current is not available from the state; see ``BoundaryProbe``).
    public var currentIsStepMean: Bool
}

/// Evaluates ``BoundarySample``s from states.
///
/// The instantaneous total current of a 1D stack that solves Poisson throughout, with
/// both boundary potentials held, follows from the state alone: the total current
/// I = J_f + ∂D_f/∂t is the same through every face f, and Σ_f w_f D_f is the held
/// potential difference (w_f = d_a/ε_a + d_b/ε_b, plus 1/C_S at a Stern layer, the
/// series resistances of Gauss's law across each face), so
///
///     I = Σ_f w_f J_f / Σ_f w_f,        J_f = F Σ_k z_k J_k,f (conduction).
///
/// The discrete scheme satisfies both facts exactly, so this is the semi-discrete
/// current, not an approximation of it. A boundary without a field (∂φ/∂n = 0) carries
/// no displacement: there I is its conduction current; a current-controlled terminal
/// fixes I. Stacks with hosts or semiconductors (electrons outside the species fluxes)
/// fall back to the mean over the step that reached the output time.
public final class BoundaryProbe {
    public let discretisation: PNPDiscretisation
    let charges: [Int]
    /// w_f per face (m²/F per m² of area), when the formula applies.
    let weights: [Double]?
    let firstFace: Int
    let lastFace: Int
    /// The outer faces at either end (several in 2D: an electrode's row of faces) and
    /// their areas' total; samples are means over them, per area.
    let firstFaces: [Int]
    let lastFaces: [Int]

    public init(discretisation d: PNPDiscretisation) {
        discretisation = d
        charges = d.problem.species.map(\.charge)
        firstFaces = d.mesh.faces(tagged: "first")
        lastFaces = d.mesh.faces(tagged: "last")
        firstFace = firstFaces.first ?? 0
        lastFace = lastFaces.first ?? 0
        let p = d.problem
        let plain = p.layers.allSatisfy { $0.electrostatics == .poisson && $0.host == nil && $0.semiconductor == nil }
        let reacting = [p.first, p.last].contains { b in
            b.species.values.contains { $0.metalTransfer != nil }
        }
        // The series-resistance formula is that of a 1D stack.
        guard plain && !reacting && d.mesh.dimension == 1 else {
            weights = nil
            return
        }
        let eps0 = PhysicalConstants.vacuumPermittivity
        func stern(_ b: Boundary) -> Double { b.metal?.sternCapacitance.map { 1 / $0 } ?? 0 }
        weights = d.mesh.faces.enumerated().map { fi, f in
            let wa = f.distanceA / (eps0 * p.layers[d.mesh.cellRegion[f.a]].permittivity)
            guard let b = f.b else { return wa + stern(fi == 0 ? p.first : p.last) }
            return wa + f.distanceB / (eps0 * p.layers[d.mesh.cellRegion[b]].permittivity)
        }
    }

    /// Whether samples carry the instantaneous current (else the mean over the step).
    public var instantaneous: Bool { weights != nil }

    /// The total current density in +y at `time`, A/m², when the state determines it.
    func instantaneousCurrent(_ record: PNPDiscretisation.FaceRecord, time: Double, drives: Drives) -> Double? {
        guard let weights else { return nil }
        let d = discretisation
        let p = d.problem
        // A boundary without a field: its conduction current is the whole current.
        for (face, b) in [(firstFace, p.first), (lastFace, p.last)] {
            if b.metal == nil { return record.current(face: face, charges: charges) }
        }
        // A current-controlled terminal fixes it (current density into the device).
        for (b, sign) in [(p.first, 1.0), (p.last, -1.0)] {
            if let j = b.metal?.terminal, drives.controls[j].mode == .current { return sign * drives.controls[j].value(time) }
        }
        var num = 0.0
        var den = 0.0
        for (f, w) in weights.enumerated() {
            num += w * record.current(face: f, charges: charges)
            den += w
        }
        return num / den
    }

    /// The sample of `state` at `time`; `stepCharge` is the charge (C/m², +y) through
    /// each face over the step that reached it and `step` its length, for the fallback.
    public func sample(
        experiment: Int, time: Double, state: [Double], drives: Drives, stepCharge: [Double]?, step: Double
    ) throws -> BoundarySample {
        let d = discretisation
        let r = try d.faceRecord(state, time: time, drives: drives)
        let nS = charges.count
        var current: [Double]
        var isMean = false
        if let i = instantaneousCurrent(r, time: time, drives: drives) {
            current = [i, 0 - i]
        } else if let q = stepCharge, step > 0 {
            current = [mean(q, firstFaces) / step, 0 - mean(q, lastFaces) / step]
            isMean = true
        } else {
            current = [.nan, .nan]
            isMean = true
        }
        return BoundarySample(
            experiment: experiment, time: time,
            // 0 − x rather than −x: a zero stays +0 in the output.
            charge: [mean(r.displacement, firstFaces), 0 - mean(r.displacement, lastFaces)], current: current,
            flux: [(0..<nS).map { k in mean(firstFaces) { r.flux(face: $0, species: k) } },
                   (0..<nS).map { k in 0 - mean(lastFaces) { r.flux(face: $0, species: k) } }],
            currentIsStepMean: isMean)
    }

    /// Area-weighted mean of a per-area face quantity over `faces` (0 over none).
    func mean(_ faces: [Int], _ value: (Int) -> Double) -> Double {
        let area = discretisation.mesh.faceArea
        var total = 0.0
        var a = 0.0
        for f in faces {
            total += value(f) * area[f]
            a += area[f]
        }
        return a > 0 ? total / a : 0
    }

    func mean(_ values: [Double], _ faces: [Int]) -> Double { mean(faces) { values[$0] } }
}

import Foundation
public import IonicsDiscretisation
public import IonicsPhysics
import IonicsSolvers
import IonicsUnits

/// A manufactured solution that exercises every term of the electrolyte equations:
/// two species of charge ±1 with unequal diffusivities, fixed charge, and two layers
/// of different permittivity (the potential has a kink at the interface so that
/// ε ∂φ/∂y is continuous).
///
/// With s = y/L and a smooth P(s) = sin(3s) + 0.4 s²,
///
///     φ(y, t) = V_T ε̄ T_φ(t) · [P(s)/ε1]                             (layer 1)
///             = V_T ε̄ T_φ(t) · [P(s_i)/ε1 + (P(s) − P(s_i))/ε2]        (layer 2)
///     c_±(y, t) = w_±(s, t) · exp(∓φ/V_T),   w smooth,
///
/// so that ε φ_y and the fluxes J = −D e^(−zφ/V_T) ∂_y w are continuous at the
/// interface. Sources s_φ = −ε φ_yy − F(Σ z c + c_fix) and s_± = ∂_t c + ∂_y J make
/// it exact; they are integrated over each cell by 3-point Gauss–Legendre.
public struct ManufacturedSolution: Sendable {
    public var length = 100e-9
    public var interface = 0.4
    public var epsilon1 = 20.0
    public var epsilon2 = 60.0
    public var epsilonBar = 30.0
    public var diffusivity = [2e-10, 1e-10]
    public var reference = 1.0
    public var fixedCharge = -0.3
    public var temperature = 298.15
    /// Angular frequency of the time dependence, 1/s (0: steady).
    public var omega = 0.0

    public init() {}

    var vt: Double { PhysicalConstants.thermalVoltage(kelvin: temperature) }

    func timeFactors(_ t: Double) -> (phi: Double, dphi: Double, wp: Double, dwp: Double, wm: Double, dwm: Double) {
        guard omega != 0 else { return (1, 0, 1, 0, 1, 0) }
        return (1 + 0.3 * sin(omega * t), 0.3 * omega * cos(omega * t),
                1 + 0.2 * sin(omega * t + 0.5), 0.2 * omega * cos(omega * t + 0.5),
                1 + 0.2 * cos(omega * t), -0.2 * omega * sin(omega * t))
    }

    /// φ/V_T and its y-derivatives (1/m, 1/m²) and t-derivative at (y, t), in `layer`.
    func phiHat(_ y: Double, _ t: Double, layer: Int) -> (v: Double, dy: Double, dyy: Double, dt: Double) {
        let s = y / length
        let si = interface
        func P(_ s: Double) -> Double { sin(3 * s) + 0.4 * s * s }
        let dP = 3 * cos(3 * s) + 0.8 * s
        let ddP = -9 * sin(3 * s) + 0.8
        let eps = layer == 0 ? epsilon1 : epsilon2
        let shape = layer == 0 ? P(s) / epsilon1 : P(si) / epsilon1 + (P(s) - P(si)) / epsilon2
        let tf = timeFactors(t)
        return (epsilonBar * shape * tf.phi, epsilonBar * dP / (eps * length) * tf.phi,
                epsilonBar * ddP / (eps * length * length) * tf.phi, epsilonBar * shape * tf.dphi)
    }

    /// w_k and its derivatives.
    func w(_ k: Int, _ y: Double, _ t: Double) -> (v: Double, dy: Double, dyy: Double, dt: Double) {
        let s = y / length
        let tf = timeFactors(t)
        let L = length
        if k == 0 {
            let g = reference * (1 + 0.5 * cos(3 * s))
            return (g * tf.wp, -1.5 * reference * sin(3 * s) / L * tf.wp, -4.5 * reference * cos(3 * s) / (L * L) * tf.wp, g * tf.dwp)
        }
        let g = reference * (1.2 + 0.4 * sin(2.5 * s + 0.3))
        return (g * tf.wm, reference * cos(2.5 * s + 0.3) / L * tf.wm,
                -2.5 * reference * sin(2.5 * s + 0.3) / (L * L) * tf.wm, g * tf.dwm)
    }

    public func layer(of y: Double) -> Int { y < interface * length ? 0 : 1 }

    /// Exact φ (V) at y in `layer`.
    public func potential(_ y: Double, _ t: Double, layer: Int) -> Double { phiHat(y, t, layer: layer).v * vt }

    /// Exact c_k (mol/m³).
    public func concentration(_ k: Int, _ y: Double, _ t: Double, layer: Int) -> Double {
        let z = k == 0 ? 1.0 : -1.0
        return w(k, y, t).v * exp(-z * phiHat(y, t, layer: layer).v)
    }

    /// Point sources (s_φ in C/m³, s_k in mol/(m³·s)).
    func sources(_ y: Double, _ t: Double, layer: Int) -> (Double, [Double]) {
        let p = phiHat(y, t, layer: layer)
        let eps0 = PhysicalConstants.vacuumPermittivity
        let epsR = layer == 0 ? epsilon1 : epsilon2
        var rho = layer == 0 ? fixedCharge : 0
        var sk = [0.0, 0.0]
        for k in 0..<2 {
            let z = k == 0 ? 1.0 : -1.0
            let ww = w(k, y, t)
            let e = exp(-z * p.v)
            let c = ww.v * e
            rho += z * c
            let dJ = -diffusivity[k] * e * (ww.dyy - z * p.dy * ww.dy)
            let dc = (ww.dt - z * p.dt * ww.v) * e
            sk[k] = dc + dJ
        }
        let sPhi = -eps0 * epsR * p.dyy * vt - PhysicalConstants.faraday * rho
        return (sPhi, sk)
    }

    /// The PNP problem with Dirichlet data from the exact solution.
    public func problem(mesh: Mesh) -> PNPProblem {
        let t1 = interface * length
        let layers = [
            LayerPhysics(name: "low-ε", thickness: t1, permittivity: epsilon1,
                         species: [SpeciesInLayer(species: 0, diffusivity: diffusivity[0], initialConcentration: reference),
                                   SpeciesInLayer(species: 1, diffusivity: diffusivity[1], initialConcentration: reference)],
                         fixedCharge: fixedCharge),
            LayerPhysics(name: "high-ε", thickness: length - t1, permittivity: epsilon2,
                         species: [SpeciesInLayer(species: 0, diffusivity: diffusivity[0], initialConcentration: reference),
                                   SpeciesInLayer(species: 1, diffusivity: diffusivity[1], initialConcentration: reference)]),
        ]
        let me = self
        let L = length
        let first = Boundary(
            potential: IdealMetalContact(potential: TimeFunction { me.potential(0, $0, layer: 0) }),
            species: [0: ReservoirContact(concentration: TimeFunction { me.concentration(0, 0, $0, layer: 0) }),
                      1: ReservoirContact(concentration: TimeFunction { me.concentration(1, 0, $0, layer: 0) })])
        let last = Boundary(
            potential: IdealMetalContact(potential: TimeFunction { me.potential(L, $0, layer: 1) }),
            species: [0: ReservoirContact(concentration: TimeFunction { me.concentration(0, L, $0, layer: 1) }),
                      1: ReservoirContact(concentration: TimeFunction { me.concentration(1, L, $0, layer: 1) })])
        return PNPProblem(
            species: [Species(name: "+", charge: 1), Species(name: "−", charge: -1)], layers: layers,
            first: first, last: last, temperature: temperature, sources: Sources(solution: self, mesh: mesh))
    }

    struct Sources: ManufacturedSources {
        let solution: ManufacturedSolution
        let mesh: Mesh
        func cellIntegrals(cell: Int, time: Double) -> (charge: Double, species: [Double]) {
            let c = mesh.cells[cell]
            // 3-point Gauss–Legendre on [lower, upper].
            let nodes = [-(0.6).squareRoot(), 0, (0.6).squareRoot()]
            let weights = [5.0 / 9, 8.0 / 9, 5.0 / 9]
            let half = 0.5 * (c.upper - c.lower)
            var q = 0.0
            var s = [0.0, 0.0]
            for (x, w) in zip(nodes, weights) {
                let (sp, sk) = solution.sources(c.centre + half * x, time, layer: c.layer)
                q += w * half * sp
                s[0] += w * half * sk[0]
                s[1] += w * half * sk[1]
            }
            return (q, s)
        }
    }

    /// A mesh of the two layers: uniform, or smoothly graded towards every layer face
    /// by y = T(ξ + a·sin(2πξ)/(2π)) (a = −0.6: face cells a quarter of the middle ones).
    public func mesh(cells: Int, graded: Bool) -> Mesh {
        let n1 = max(2, Int((Double(cells) * interface).rounded()))
        let n2 = max(2, cells - n1)
        func spec(_ n: Int) -> LayerMeshSpec {
            guard graded else { return .uniform(n) }
            let a = -0.6
            let faces = (0...n).map { j -> Double in
                let xi = Double(j) / Double(n)
                return j == n ? 1 : xi + a * sin(2 * Double.pi * xi) / (2 * Double.pi)
            }
            return LayerMeshSpec(relativeFaces: faces)
        }
        return Mesh.stack(thicknesses: [interface * length, (1 - interface) * length], specs: [spec(n1), spec(n2)])
    }

    /// Errors of a discrete state against the exact solution at time t: for φ (relative
    /// to max|φ|) and each c (relative to max c): (L2, max).
    public func errors(_ d: PNPDiscretisation, _ u: [Double], time t: Double) -> [(field: String, l2: Double, max: Double)] {
        let phi = d.potential(u)
        var out: [(String, Double, Double)] = []
        var fields: [(String, [Double], (Mesh.Cell) -> Double)] = [
            ("φ", phi, { self.potential($0.centre, t, layer: $0.layer) })
        ]
        for k in 0..<2 {
            fields.append((k == 0 ? "c+" : "c−", d.concentration(u, species: k), { self.concentration(k, $0.centre, t, layer: $0.layer) }))
        }
        let total = d.mesh.cells.reduce(0) { $0 + $1.volume }
        for (name, values, exact) in fields {
            var l2 = 0.0
            var mx = 0.0
            var scale = 0.0
            for (i, c) in d.mesh.cells.enumerated() {
                let e = exact(c)
                scale = max(scale, abs(e))
                let err = values[i] - e
                l2 += err * err * c.volume
                mx = max(mx, abs(err))
            }
            out.append((name, (l2 / total).squareRoot() / scale, mx / scale))
        }
        return out
    }
}

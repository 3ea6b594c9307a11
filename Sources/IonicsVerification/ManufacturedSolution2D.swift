import Foundation
public import IonicsDiscretisation
public import IonicsPhysics
import IonicsUnits

/// A steady manufactured solution on a 2D cross-section (x along the channel, width W;
/// y through the stack, thickness L) that exercises every term of the electrolyte
/// equations in both directions: two species ±1 with unequal diffusivities, a fixed
/// charge, two layers of different permittivity meeting at y = y_i, and an in-plane
/// diffusivity D_x = f·D_y with a different factor f per layer and species.
///
/// With s = y/L, ξ = x/W and the kinked shape of a smooth F(s),
///
///     K_F(s) = F(s)/ε1                          (layer 1, s < s_i)
///            = F(s_i)/ε1 + (F(s) − F(s_i))/ε2    (layer 2),
///
/// so that ε ∂K_F/∂s = F′(s) is continuous at the interface,
///
///     φ/V_T = ε̄ [K_P(s) + a·K_Q(s)·cos(πξ)],
///     c_± = w_±(x, y) · exp(∓φ/V_T),
///     w_+ = c_r [1 + 0.5 cos 3s + 0.3 sin(πs) cos(πξ)],
///     w_− = c_r [1.2 + 0.4 sin(2.5s + 0.3) + 0.25 sin(πs) cos(2πξ)],
///
/// P(s) = sin 3s + 0.4 s² (as in the 1D ``ManufacturedSolution``), Q(s) = sin 2.2s − λs
/// with λ chosen so that K_Q(1) = 0. Then ε ∂φ/∂y and the fluxes
/// J_y = −D e^(∓φ/V_T) ∂_y w are continuous at the interface, and:
///
/// - on the lateral sides x = 0 and x = W, which the mesh closes (no flux, no normal
///   displacement), ∂φ/∂x = 0 and J_x = −f D e^(∓φ/V_T) ∂_x w = 0: every x-dependent
///   term is a cos(nπξ) mode, so the solution is exact for the closed sides;
/// - on y = 0 and y = L the x-dependent terms vanish (Q(0) = K_Q(1) = 0,
///   sin(0) = sin(π) = 0), so φ and c are constant along each end and the Dirichlet
///   data of the 1D case (fixed potential, fixed concentrations) apply unchanged.
///
/// Sources s_φ = −ε0 εr V_T ∇²(φ/V_T) − F(Σ z c + c_fix) and
/// s_± = ∂_x J_x + ∂_y J_y make it exact; they are integrated over each cell by 3 × 3
/// tensor Gauss–Legendre. (Steady only: the time discretisation is the one of the 1D
/// stack, verified by `mms-time`.)
public struct ManufacturedSolution2D: Sendable {
    public var length = 100e-9
    public var width = 80e-9
    public var interface = 0.4
    public var epsilon1 = 20.0
    public var epsilon2 = 60.0
    /// Scale of φ: max |φ| ≈ 0.75 V_T (half the 1D case's, so that the coarse meshes an
    /// affordable 2D study starts from are already in the asymptotic range of L2).
    public var epsilonBar = 15.0
    /// Amplitude a of the lateral mode of φ.
    public var lateralAmplitude = 0.5
    /// D_y of each species, m²/s (the same in both layers, so that J_y is continuous).
    public var diffusivity = [2e-10, 1e-10]
    /// D_x/D_y per layer and species.
    public var lateralFactor = [[2.5, 0.4], [0.5, 3.0]]
    public var reference = 1.0
    public var fixedCharge = -0.3
    public var temperature = 298.15

    public init() {}

    var vt: Double { PhysicalConstants.thermalVoltage(kelvin: temperature) }

    /// A value and its first and second derivatives in one variable.
    typealias Jet = (v: Double, d: Double, dd: Double)

    /// K_F and its s-derivatives in `layer`, from F at s and F(s_i).
    func kinked(_ f: Jet, atInterface fi: Double, layer: Int) -> Jet {
        let eps = layer == 0 ? epsilon1 : epsilon2
        let v = layer == 0 ? f.v / epsilon1 : fi / epsilon1 + (f.v - fi) / epsilon2
        return (v, f.d / eps, f.dd / eps)
    }

    func P(_ s: Double) -> Jet { (sin(3 * s) + 0.4 * s * s, 3 * cos(3 * s) + 0.8 * s, -9 * sin(3 * s) + 0.8) }

    /// λ of Q(s) = sin 2.2s − λs: K_Q(1) = 0.
    var lambda: Double {
        let si = interface
        let kR = sin(2.2 * si) / epsilon1 + (sin(2.2) - sin(2.2 * si)) / epsilon2
        let kS = si / epsilon1 + (1 - si) / epsilon2
        return kR / kS
    }

    func Q(_ s: Double, lambda l: Double) -> Jet { (sin(2.2 * s) - l * s, 2.2 * cos(2.2 * s) - l, -4.84 * sin(2.2 * s)) }

    /// φ/V_T with its x- and y-derivatives (1/m, 1/m²).
    func phiHat(_ x: Double, _ y: Double, layer: Int) -> (v: Double, dx: Double, dxx: Double, dy: Double, dyy: Double) {
        let s = y / length, xi = x / width, L = length, W = width
        let l = lambda
        let kp = kinked(P(s), atInterface: P(interface).v, layer: layer)
        let kq = kinked(Q(s, lambda: l), atInterface: Q(interface, lambda: l).v, layer: layer)
        let (m, dm, ddm) = (cos(Double.pi * xi), -Double.pi * sin(Double.pi * xi), -Double.pi * Double.pi * cos(Double.pi * xi))
        let a = epsilonBar * lateralAmplitude
        return (epsilonBar * kp.v + a * kq.v * m, a * kq.v * dm / W, a * kq.v * ddm / (W * W),
                (epsilonBar * kp.d + a * kq.d * m) / L, (epsilonBar * kp.dd + a * kq.dd * m) / (L * L))
    }

    /// w_k with its x- and y-derivatives.
    func w(_ k: Int, _ x: Double, _ y: Double) -> (v: Double, dx: Double, dxx: Double, dy: Double, dyy: Double) {
        let s = y / length, xi = x / width, L = length, W = width, pi = Double.pi
        // w = c_r [g(s) + b sin(πs) cos(nπξ)].
        let g: Jet = k == 0 ? (1 + 0.5 * cos(3 * s), -1.5 * sin(3 * s), -4.5 * cos(3 * s))
            : (1.2 + 0.4 * sin(2.5 * s + 0.3), cos(2.5 * s + 0.3), -2.5 * sin(2.5 * s + 0.3))
        let (b, n) = k == 0 ? (0.3, 1.0) : (0.25, 2.0)
        let h: Jet = (b * sin(pi * s), b * pi * cos(pi * s), -b * pi * pi * sin(pi * s))
        let m: Jet = (cos(n * pi * xi), -n * pi * sin(n * pi * xi), -n * n * pi * pi * cos(n * pi * xi))
        let r = reference
        return (r * (g.v + h.v * m.v), r * h.v * m.d / W, r * h.v * m.dd / (W * W),
                r * (g.d + h.d * m.v) / L, r * (g.dd + h.dd * m.v) / (L * L))
    }

    public func layer(of y: Double) -> Int { y < interface * length ? 0 : 1 }

    /// Exact φ (V) at (x, y) in `layer`.
    public func potential(_ x: Double, _ y: Double, layer: Int) -> Double { phiHat(x, y, layer: layer).v * vt }

    /// Exact c_k (mol/m³).
    public func concentration(_ k: Int, _ x: Double, _ y: Double, layer: Int) -> Double {
        let z = k == 0 ? 1.0 : -1.0
        return w(k, x, y).v * exp(-z * phiHat(x, y, layer: layer).v)
    }

    /// Point sources at (x, y) in `layer`: s_φ (C/m³, added to the charge density) and
    /// s_k (mol/(m³·s), ∂_t c_k + ∇·J_k = s_k).
    public func pointSources(_ x: Double, _ y: Double, layer: Int) -> (charge: Double, species: [Double]) {
        let p = phiHat(x, y, layer: layer)
        let epsR = layer == 0 ? epsilon1 : epsilon2
        var rho = layer == 0 ? fixedCharge : 0
        var sk = [0.0, 0.0]
        for k in 0..<2 {
            let z = k == 0 ? 1.0 : -1.0
            let ww = w(k, x, y)
            let e = exp(-z * p.v)
            rho += z * ww.v * e
            let dy = diffusivity[k]
            let dx = lateralFactor[layer][k] * dy
            sk[k] = -dx * e * (ww.dxx - z * p.dx * ww.dx) - dy * e * (ww.dyy - z * p.dy * ww.dy)
        }
        let sPhi = -PhysicalConstants.vacuumPermittivity * epsR * (p.dxx + p.dyy) * vt - PhysicalConstants.faraday * rho
        return (sPhi, sk)
    }

    /// The PNP problem with the exact solution's (constant) Dirichlet data at y = 0, L.
    public func problem(mesh: Mesh) -> PNPProblem {
        let t1 = interface * length
        func species(_ l: Int) -> [SpeciesInLayer] {
            (0..<2).map {
                SpeciesInLayer(species: $0, diffusivity: diffusivity[$0], initialConcentration: reference,
                               lateralDiffusivityFactor: lateralFactor[l][$0])
            }
        }
        let layers = [
            LayerPhysics(name: "low-ε", thickness: t1, permittivity: epsilon1, species: species(0), fixedCharge: fixedCharge),
            LayerPhysics(name: "high-ε", thickness: length - t1, permittivity: epsilon2, species: species(1)),
        ]
        func end(_ y: Double, layer: Int) -> Boundary {
            Boundary(potential: IdealMetalContact(potential: .constant(potential(0, y, layer: layer))),
                     species: [0: ReservoirContact(concentration: .constant(concentration(0, 0, y, layer: layer))),
                               1: ReservoirContact(concentration: .constant(concentration(1, 0, y, layer: layer)))])
        }
        return PNPProblem(
            species: [Species(name: "+", charge: 1), Species(name: "−", charge: -1)], layers: layers,
            first: end(0, layer: 0), last: end(length, layer: 1), temperature: temperature,
            sources: Sources(solution: self, mesh: mesh))
    }

    struct Sources: ManufacturedSources {
        let solution: ManufacturedSolution2D
        let mesh: Mesh
        /// ∫∫ over the cell per metre of depth, 3 × 3 Gauss–Legendre.
        func cellIntegrals(cell: Int, time: Double) -> (charge: Double, species: [Double]) {
            let nx = mesh.lateralFaces.count - 1
            let (x0, x1) = (mesh.lateralFaces[cell % nx], mesh.lateralFaces[cell % nx + 1])
            let (y0, y1) = (mesh.cellLowerY[cell], mesh.cellUpperY[cell])
            let layer = mesh.cellRegion[cell]
            let nodes = [-(0.6).squareRoot(), 0, (0.6).squareRoot()]
            let weights = [5.0 / 9, 8.0 / 9, 5.0 / 9]
            let (hx, hy) = (0.5 * (x1 - x0), 0.5 * (y1 - y0))
            var q = 0.0
            var s = [0.0, 0.0]
            for (a, wa) in zip(nodes, weights) {
                for (b, wb) in zip(nodes, weights) {
                    let (sp, sk) = solution.pointSources(0.5 * (x0 + x1) + hx * a, 0.5 * (y0 + y1) + hy * b, layer: layer)
                    let w = wa * wb * hx * hy
                    q += w * sp
                    s[0] += w * sk[0]
                    s[1] += w * sk[1]
                }
            }
            return (q, s)
        }
    }

    /// A tensor-product mesh of n cells across the stack (split between the layers in
    /// proportion) and n along x: uniform, or smoothly graded in both directions by
    /// u ↦ u + a·sin(2πu)/(2π) (a = −0.6: cells at the layer faces and at the lateral
    /// sides a quarter of the middle ones) applied to each layer's relative faces and
    /// to x/W.
    public func mesh(cells n: Int, graded: Bool) -> Mesh {
        func faces(_ n: Int) -> [Double] {
            (0...n).map { j in
                let u = Double(j) / Double(n)
                return j == n ? 1 : graded ? u - 0.6 * sin(2 * Double.pi * u) / (2 * Double.pi) : u
            }
        }
        let n1 = max(2, Int((Double(n) * interface).rounded()))
        let n2 = max(2, n - n1)
        return Mesh.tensorProduct(thicknesses: [interface * length, (1 - interface) * length],
                                  specs: [LayerMeshSpec(relativeFaces: faces(n1)), LayerMeshSpec(relativeFaces: faces(n2))],
                                  lateral: faces(n).map { $0 * width })
    }

    /// Errors of a discrete state against the exact solution at the cell centroids: for
    /// φ (relative to max|φ|) and each c (relative to max c): (L2 over the area, max).
    public func errors(_ d: PNPDiscretisation, _ u: [Double]) -> [(field: String, l2: Double, max: Double)] {
        let m = d.mesh
        var fields: [(String, [Double], (Int) -> Double)] = [
            ("φ", d.potential(u), { self.potential(m.cellCentroid[$0].x, m.cellCentroid[$0].y, layer: m.cellRegion[$0]) })
        ]
        for k in 0..<2 {
            fields.append((k == 0 ? "c+" : "c−", d.concentration(u, species: k),
                           { self.concentration(k, m.cellCentroid[$0].x, m.cellCentroid[$0].y, layer: m.cellRegion[$0]) }))
        }
        let total = m.cellVolume.reduce(0, +)
        return fields.map { name, values, exact in
            var (l2, mx, scale) = (0.0, 0.0, 0.0)
            for i in 0..<m.cellCount {
                let e = exact(i)
                scale = max(scale, abs(e))
                let err = values[i] - e
                l2 += err * err * m.cellVolume[i]
                mx = max(mx, abs(err))
            }
            return (name, (l2 / total).squareRoot() / scale, mx / scale)
        }
    }
}

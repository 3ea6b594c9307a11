import Foundation
import IonicsVerification
import Testing

/// The 2D cross-section cases: the manufactured solution's construction, mirror
/// symmetry and inventories of a closed cell under TR-BDF2, and a lateral diffusion
/// front against its closed form. (The MMS orders are asserted by
/// ``VerificationTests`` through the `mms-2d-*` cases.)
@Suite("2D cross-sections")
struct CrossSection2DTests {
    static let m = ManufacturedSolution2D()
    /// V_T = RT/F at the solution's temperature (CODATA 2018 R and F).
    static let vt = 8.314462618 * m.temperature / 96485.33212

    /// Central difference of `f` at `v` with step h.
    func derivative(_ v: Double, _ h: Double, _ f: (Double) -> Double) -> Double { (f(v + h) - f(v - h)) / (2 * h) }

    @Test("the exact solution is continuous with ε∂φ/∂y and J_y continuous at the interface")
    func interface() {
        let m = Self.m
        let yi = m.interface * m.length
        let h = 1e-5 * m.length
        for x in [0.0, 0.3, 0.71, 1].map({ $0 * m.width }) {
            let phi = (0..<2).map { l in m.potential(x, yi, layer: l) }
            #expect(abs(phi[0] - phi[1]) <= 1e-14 * Self.vt)
            let eps = [m.epsilon1, m.epsilon2]
            let dDisp = (0..<2).map { l in eps[l] * derivative(yi, h) { m.potential(x, $0, layer: l) } }
            #expect(abs(dDisp[0] - dDisp[1]) <= 1e-7 * abs(dDisp[0]), "x = \(x)")
            for k in 0..<2 {
                let z = k == 0 ? 1.0 : -1.0
                let flux = (0..<2).map { l in
                    -m.diffusivity[k] * (derivative(yi, h) { m.concentration(k, x, $0, layer: l) }
                        + z * m.concentration(k, x, yi, layer: l) * derivative(yi, h) { m.potential(x, $0, layer: l) } / Self.vt)
                }
                #expect(abs(flux[0] - flux[1]) <= 1e-6 * abs(flux[0]), "x = \(x), species \(k)")
            }
        }
    }

    @Test("no normal field or flux at the closed sides; constant Dirichlet data along both ends")
    func boundaries() {
        let m = Self.m
        let h = 1e-5 * m.width
        for y in [0.05, 0.3, 0.6, 0.95].map({ $0 * m.length }) {
            let l = m.layer(of: y)
            for x in [0, m.width] {
                #expect(abs(derivative(x, h) { m.potential($0, y, layer: l) }) * m.width <= 1e-9 * Self.vt)
                for k in 0..<2 {
                    #expect(abs(derivative(x, h) { m.concentration(k, $0, y, layer: l) }) * m.width <= 1e-9 * m.reference)
                }
            }
        }
        for (y, l) in [(0.0, 0), (m.length, 1)] {
            let xs = stride(from: 0.0, through: 1, by: 0.125).map { $0 * m.width }
            let phi = xs.map { m.potential($0, y, layer: l) }
            #expect(phi.max()! - phi.min()! <= 1e-14 * Self.vt)
            for k in 0..<2 {
                let c = xs.map { m.concentration(k, $0, y, layer: l) }
                #expect(c.max()! - c.min()! <= 1e-14 * m.reference)
            }
        }
    }

    @Test("the point sources equal −ε0εr∇²φ − Fρ and ∇·J of the exact solution by finite differences")
    func sources() {
        let m = Self.m
        let (eps0, faraday) = (8.8541878128e-12, 96485.33212)
        let h = 1e-4 * m.length
        var worst = [0.0, 0.0, 0.0]
        var scale = [0.0, 0.0, 0.0]
        for x in [0.02, 0.13, 0.47, 0.81, 0.99].map({ $0 * m.width }) {
            for y in [0.05, 0.25, 0.36, 0.45, 0.7, 0.97].map({ $0 * m.length }) {
                let l = m.layer(of: y)
                let phi = { (x: Double, y: Double) in m.potential(x, y, layer: l) }
                let lap = (phi(x + h, y) + phi(x - h, y) + phi(x, y + h) + phi(x, y - h) - 4 * phi(x, y)) / (h * h)
                var rho = l == 0 ? m.fixedCharge : 0
                for k in 0..<2 { rho += (k == 0 ? 1 : -1) * m.concentration(k, x, y, layer: l) }
                let exact = m.pointSources(x, y, layer: l)
                // The charge source without the (shared) charge density: −ε0εr∇²φ alone.
                let expected = [-eps0 * (l == 0 ? m.epsilon1 : m.epsilon2) * lap]
                    + (0..<2).map { k -> Double in
                        let z = k == 0 ? 1.0 : -1.0
                        let c = { (x: Double, y: Double) in m.concentration(k, x, y, layer: l) }
                        let dy = m.diffusivity[k]
                        let dx = m.lateralFactor[l][k] * dy
                        let jx = { (x: Double) in
                            -dx * (self.derivative(x, h) { c($0, y) } + z * c(x, y) * self.derivative(x, h) { phi($0, y) } / Self.vt)
                        }
                        let jy = { (y: Double) in
                            -dy * (self.derivative(y, h) { c(x, $0) } + z * c(x, y) * self.derivative(y, h) { phi(x, $0) } / Self.vt)
                        }
                        return derivative(x, h, jx) + derivative(y, h, jy)
                    }
                let got = [exact.charge + faraday * rho] + exact.species
                for f in 0..<3 {
                    worst[f] = max(worst[f], abs(got[f] - expected[f]))
                    scale[f] = max(scale[f], abs(expected[f]))
                }
            }
        }
        for f in 0..<3 { #expect(worst[f] <= 1e-5 * scale[f], "field \(f): \(worst[f]) of \(scale[f])") }
    }

    @Test("a closed cell symmetric about x = W/2 stays mirror-symmetric to 1e-10 under TR-BDF2")
    func mirror() throws {
        let symmetric = try ClosedCell2DCase.measure(mode: 2)
        #expect(symmetric.mirrorError <= 1e-10, "\(symmetric)")
        // Not vacuous: the fields still vary along x at the end.
        #expect(symmetric.lateralSpread > 0.01, "\(symmetric)")
        #expect(symmetric.steps > 20)
    }

    @Test("a closed cell relaxing along x and y keeps Σ c·V of each species to 1e-12")
    func inventory() throws {
        let m = try ClosedCell2DCase.measure(mode: 1)
        #expect(m.inventoryDrift <= 1e-12, "\(m)")
        #expect(m.lateralSpread > 0.1, "\(m)")
        #expect(m.mirrorError > 0.1, "the antisymmetric mode breaks the mirror symmetry: \(m)")
    }

    @Test("a constant-flux front along x matches its closed form to 1e-3 of its height at three times")
    func lateralFront() throws {
        let r = try LateralFrontCase.errors()
        #expect(r.errors.count == 3)
        for (t, e) in zip(r.times, r.errors) { #expect(e <= 1e-3, "t = \(t) s") }
    }
}

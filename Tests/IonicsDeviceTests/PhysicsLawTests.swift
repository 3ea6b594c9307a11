import Foundation
import IonicsPhysics
import IonicsUnits
import Testing

@Suite("Physics laws")
struct PhysicsLawTests {
    let vt = PhysicalConstants.thermalVoltage(kelvin: 298.15)

    @Test("monotone interpolation preserves monotone data and has a continuous, correct derivative")
    func monotoneTable() throws {
        let t = try MonotoneTable(x: [0, 0.1, 0.2, 0.5, 1], y: [5, 4, 3.9, 1, 0])
        var previous = Double.infinity
        for k in 0...1000 {
            let x = Double(k) / 1000
            let (v, d) = t.evaluate(x)
            #expect(v <= previous + 1e-15)
            #expect(d <= 1e-12)
            previous = v
            if k > 0 && k < 1000 {
                let h = 1e-6
                let fd = (t.value(x + h) - t.value(x - h)) / (2 * h)
                #expect(abs(fd - d) < 1e-4 * max(1, abs(d)))
            }
        }
        #expect(t.value(0.2) == 3.9)
        #expect(t.isOutside(1.5) && t.value(1.5) == 0)
        #expect(throws: MonotoneTable.TableError.self) { _ = try MonotoneTable(x: [0, 0.5, 0.4], y: [1, 2, 3]) }
    }

    @Test("the lattice-gas U(θ) and a measured U(θ) table: derivative, continuity at the table ends, monotonicity check")
    func openCircuit() throws {
        let ocv = OpenCircuitPotential(standard: 0.3, interaction: 0.2)
        for theta in [0.01, 0.3, 0.5, 0.9] {
            let (_, d) = ocv.evaluate(theta, thermalVoltage: vt, charge: 1)
            let h = 1e-7
            let fd = (ocv.evaluate(theta + h, thermalVoltage: vt, charge: 1).value - ocv.evaluate(theta - h, thermalVoltage: vt, charge: 1).value) / (2 * h)
            #expect(abs(fd - d) / abs(d) < 1e-6)
        }
        #expect(abs(ocv.evaluate(0.5, thermalVoltage: vt, charge: 1).value - (0.3 - 0.1)) < 1e-15)
        let table = OpenCircuitPotential(table: try MonotoneTable(x: [0.45, 0.6, 0.8, 0.95], y: [4.3, 4.03, 3.91, 3.72]))
        for end in [0.45, 0.95] {
            let inside = table.evaluate(end, thermalVoltage: vt, charge: 1).value
            let outside = table.evaluate(end + (end < 0.5 ? -1e-9 : 1e-9), thermalVoltage: vt, charge: 1).value
            #expect(abs(inside - outside) < 1e-6)
        }
        #expect(table.evaluate(0.999999, thermalVoltage: vt, charge: 1).value < 3.5)
        #expect(table.validate(temperature: 298.15, charge: 1).isEmpty)
        let rising = OpenCircuitPotential(table: try MonotoneTable(x: [0.1, 0.5, 0.9], y: [3.0, 3.5, 3.2]))
        #expect(rising.validate(temperature: 298.15, charge: 1).first?.contains("not strictly decreasing") == true)
        #expect(OpenCircuitPotential(standard: 0, interaction: -0.2).validate(temperature: 298.15, charge: 1).count == 1)
    }

    @Test("the Fermi–Dirac integral F_1/2 is within 0.4 % of quadrature and has the right derivative")
    func fermiDirac() {
        // Reference: (2/√π)∫₀^∞ √ε/(1 + e^(ε−η)) dε by the midpoint rule on ε = s², dε = 2s ds.
        func reference(_ eta: Double) -> Double {
            let n = 200_000
            let top = (max(eta, 0) + 60).squareRoot()
            var sum = 0.0
            for i in 0..<n {
                let s = (Double(i) + 0.5) / Double(n) * top
                sum += 2 * s * s / (1 + exp(s * s - eta))
            }
            return 2 / Double.pi.squareRoot() * sum * top / Double(n)
        }
        for eta in [-20.0, -5, -1, 0, 1, 3, 10, 30] {
            let (v, d) = FermiDirac.half(eta)
            #expect(abs(v - reference(eta)) / reference(eta) < 4e-3, "η = \(eta)")
            let h = 1e-6
            let fd = (FermiDirac.half(eta + h).value - FermiDirac.half(eta - h).value) / (2 * h)
            #expect(abs(fd - d) / d < 1e-6)
        }
        #expect(abs(FermiDirac.half(-30).value / exp(-30) - 1) < 1e-9)
        // Continuous across the switch to the Boltzmann branch, and finite when fully depleted.
        #expect(abs(FermiDirac.half(-40 + 1e-9).value / FermiDirac.half(-40 - 1e-9).value / exp(2e-9) - 1) < 1e-12)
        for eta in [-700.0, -750, -2000] {
            let f = FermiDirac.half(eta)
            #expect(f.value.isFinite && f.derivative.isFinite && f.value >= 0)
        }
    }

    /// The Chidsey integral k_ox(x) = ∫ exp(−(ε − λ + x)²/(4λ)) / (1 + e^ε) dε (trapezoid rule).
    func chidseyIntegral(_ x: Double, lambda: Double) -> Double {
        let n = 60_000, lo = -300.0, hi = 300.0, h = (hi - lo) / Double(n)
        var sum = 0.0
        for k in 0...n {
            let e = lo + Double(k) * h
            let f = exp(-(e - lambda + x) * (e - lambda + x) / (4 * lambda)) / (1 + exp(e))
            sum += (k == 0 || k == n) ? f / 2 : f
        }
        return sum * h
    }

    @Test("Marcus–Hush–Chidsey: detailed balance, Butler–Volmer slope at η = 0, saturation, derivative, and the Chidsey integral")
    func marcusHushChidsey() {
        let lambda = 8.0
        let k0 = MarcusHushChidsey.exchange(lambda: lambda)
        for x in stride(from: -40.0, through: 40.0, by: 2.5) {
            let ox = MarcusHushChidsey.oxidation(x, lambda: lambda)
            let red = MarcusHushChidsey.oxidation(-x, lambda: lambda)
            // k_ox/k_red = e^x exactly.
            #expect(abs(ox.value / red.value / exp(x) - 1) < 1e-10)
            // The closed form stays within 5 % of the integral it approximates (Zeng et al. 2014).
            #expect(abs(ox.value / chidseyIntegral(x, lambda: lambda) - 1) < 0.05)
            let h = 1e-5
            let fd = (MarcusHushChidsey.oxidation(x + h, lambda: lambda).value - MarcusHushChidsey.oxidation(x - h, lambda: lambda).value) / (2 * h)
            // Centred differences: O(h²) truncation plus round-off ε·k/h ≈ 1e-10.
            #expect(abs(fd - ox.derivative) <= 1e-6 * abs(ox.derivative) + 3e-10)
        }
        // Linear regime: the same slope as Butler–Volmer with α = 1/2.
        #expect(abs(MarcusHushChidsey.oxidation(0, lambda: lambda).derivative / k0 - 0.5) < 1e-12)
        // Saturation: bounded by 2√(πλ) where Butler–Volmer grows as e^{x/2}.
        let far = MarcusHushChidsey.oxidation(200, lambda: lambda).value
        #expect(abs(far / (2 * (Double.pi * lambda).squareRoot()) - 1) < 1e-9)
        #expect(far / k0 < 50 && exp(100.0) > 1e40)
    }
}


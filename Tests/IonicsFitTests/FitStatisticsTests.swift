import Foundation
import IonicsFit
import IonicsLinearAlgebra
import Testing

@Suite("Fit statistics")
struct FitStatisticsTests {
    @Test("straight line y = a + b·x: covariance s²(XᵀX)⁻¹ in closed form, t interval with m − 2 dof")
    func linearModel() throws {
        let x: [Double] = [0, 1, 2, 3, 4, 5, 6]
        let noise: [Double] = [0.1, -0.2, 0.05, 0.15, -0.1, 0.02, -0.07]
        let y = zip(x, noise).map { 1 + 2 * $0 + $1 }
        // Least-squares solution and residuals in closed form.
        let n = Double(x.count)
        let sx = x.reduce(0, +), sxx = x.reduce(0) { $0 + $1 * $1 }
        let sy = y.reduce(0, +), sxy = zip(x, y).reduce(0) { $0 + $1.0 * $1.1 }
        let det = n * sxx - sx * sx
        let b = (n * sxy - sx * sy) / det
        let a = (sy - b * sx) / n
        let r = zip(x, y).map { a + b * $0 - $1 }
        let s2 = r.reduce(0) { $0 + $1 * $1 } / (n - 2)
        // Closed form: (XᵀX)⁻¹ = [[Σx², −Σx], [−Σx, n]] / det.
        let expected = [[sxx / det, -sx / det], [-sx / det, n / det]].map { $0.map { $0 * s2 } }
        let jacobian = DenseMatrix(x.map { [1, $0] })
        let st = try FitStatistics.compute(jacobian: jacobian, residuals: r, absoluteWeights: false)
        for i in 0..<2 { for j in 0..<2 { #expect(abs(st.covariance[i, j] - expected[i][j]) < 1e-12 * max(1, abs(expected[i][j]))) } }
        #expect(st.degreesOfFreedom == 5)
        #expect(abs(st.tQuantile - 2.570582) < 1e-6)
        #expect(abs(st.halfWidths[1] - st.tQuantile * (s2 * n / det).squareRoot()) < 1e-12)
        #expect(abs(st.correlation[0, 1] - (-sx / (sxx * n).squareRoot())) < 1e-12)
        #expect(st.undetermined.isEmpty)
    }

    @Test("absolute weights: s² = 1 and the normal quantile")
    func absolute() throws {
        let jacobian = DenseMatrix([[2, 0], [0, 4], [1, 1]])
        let st = try FitStatistics.compute(jacobian: jacobian, residuals: [3, 3, 3], absoluteWeights: true)
        #expect(st.varianceScale == 1)
        #expect(abs(st.tQuantile - 1.959964) < 1e-6)
        // (JᵀJ)⁻¹ of [[5, 1], [1, 17]] is [[17, −1], [−1, 5]]/84.
        #expect(abs(st.covariance[0, 0] - 17.0 / 84) < 1e-12)
        #expect(abs(st.covariance[0, 1] + 1.0 / 84) < 1e-12)
    }

    @Test("two columns that only enter as a sum: the undetermined direction is (1, −1)")
    func unidentifiable() throws {
        // r = c·(p₀ + p₁) for every point: the data fix p₀ + p₁, not p₀ − p₁.
        let jacobian = DenseMatrix((0..<10).map { i in [Double(i), Double(i) * (1 + 1e-9)] })
        let st = try FitStatistics.compute(jacobian: jacobian, residuals: [Double](repeating: 0.1, count: 10), absoluteWeights: false)
        #expect(st.undetermined.count == 1)
        let v = st.undetermined[0].components
        #expect(abs(v[0] - 1) < 1e-6 && abs(v[1] + 1) < 1e-6)
        #expect(st.conditionNumber > 1e6)
    }
}

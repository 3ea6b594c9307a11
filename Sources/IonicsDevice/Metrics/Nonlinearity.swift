import Foundation

/// The pulse-response nonlinearity of NeuroSim (MLP_NeuroSim_V3.0 `NonlinearWeight`):
/// a branch of conductances g_0 … g_N (before the first pulse, then after each) is
/// fitted by
///
///     G(P) = B (1 − e^(−P/A)) + G_start,   B = (G_end − G_start)/(1 − e^(−N/A)),
///
/// i.e. in normalised form y(P) = (G(P) − G_start)/(G_end − G_start) =
/// (1 − e^(−P/A))/(1 − e^(−N/A)), for both potentiation and depression. A > 0 is a
/// saturating (concave) branch, A < 0 a convex one, |A| → ∞ linear. Reported as A and
/// A/N ("normalised A"); the fit is a one-parameter least-squares problem in s = N/A,
/// solved by golden-section search on s ∈ [−60, 60] after a coarse scan.
public enum NonlinearityFit {
    public struct Result: Sendable, Equatable {
        /// A in pulses (±∞ for a linear branch).
        public var a: Double
        /// A/N.
        public var normalisedA: Double
        /// s = N/A (0 for linear).
        public var curvature: Double
        /// RMS of the normalised residuals.
        public var rms: Double

        public init(a: Double, normalisedA: Double, curvature: Double, rms: Double) {
            self.a = a
            self.normalisedA = normalisedA
            self.curvature = curvature
            self.rms = rms
        }
    }

    static func shape(_ p: Double, _ n: Double, _ s: Double) -> Double {
        if abs(s) < 1e-9 { return p / n }
        return -expm1(-s * p / n) / -expm1(-s)
    }

    /// Fits one branch; nil when the branch does not change.
    public static func fit(_ g: [Double]) -> Result? {
        guard g.count >= 3, let first = g.first, let last = g.last, last != first else { return nil }
        let n = Double(g.count - 1)
        let y = g.map { ($0 - first) / (last - first) }
        func cost(_ s: Double) -> Double {
            var c = 0.0
            for (p, yp) in y.enumerated() {
                let r = shape(Double(p), n, s) - yp
                c += r * r
            }
            return c
        }
        // Coarse scan, then golden section around the best point.
        let grid = stride(from: -60.0, through: 60.0, by: 0.25).map { $0 }
        let best = grid.min { cost($0) < cost($1) }!
        var lo = max(-60, best - 0.25)
        var hi = min(60, best + 0.25)
        let phi = (5.0.squareRoot() - 1) / 2
        var x1 = hi - phi * (hi - lo)
        var x2 = lo + phi * (hi - lo)
        var f1 = cost(x1)
        var f2 = cost(x2)
        for _ in 0..<200 {
            if f1 < f2 { hi = x2; x2 = x1; f2 = f1; x1 = hi - phi * (hi - lo); f1 = cost(x1) }
            else { lo = x1; x1 = x2; f1 = f2; x2 = lo + phi * (hi - lo); f2 = cost(x2) }
            if hi - lo < 1e-12 { break }
        }
        let s = 0.5 * (lo + hi)
        let a = abs(s) < 1e-9 ? Double.infinity : n / s
        return Result(a: a, normalisedA: a / n, curvature: s, rms: (cost(s) / Double(g.count)).squareRoot())
    }
}

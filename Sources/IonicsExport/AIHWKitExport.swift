import Foundation

/// aihwkit's `PiecewiseStepDevice` fitted to the LTP/LTD branches (docs/exports.md).
///
/// Weights map linearly onto conductance: w = w_min + (G − Gmin)/(Gmax − Gmin)·(w_max − w_min)
/// with Gmin, Gmax (S) the extremes of both branches; "up" is the direction that raises G.
/// The update rule, from aihwkit's `PiecewiseStepDevice` documentation and its C++
/// `update_once` (src/rpucuda/rpu_piecewisestep_device.cpp), without noise: with n nodes
/// equally spaced over [w_min, w_max], s = max(0, (w − w_min)/(w_max − w_min)·(n − 1)),
/// i = min(⌊s⌋, n − 2), q = min(s − i, 1),
///
///     up:   w ← w + dw_min (1 + up_down) ((1 − q) v↑[i] + q v↑[i+1])
///     down: w ← w − dw_min (1 − up_down) ((1 − q) v↓[i] + q v↓[i+1])
///
/// then w is clipped to [w_min, w_max] (`PulsedDevice.up_down`: Δw^d = d·dw_min(1 + d·β)).
public struct PiecewiseStepDevice: Sendable, Codable, Equatable {
    public var wMin: Double
    public var wMax: Double
    /// Mean of the up and down step sizes, in weight units.
    public var dwMin: Double
    /// (up − down)/(up + down) of the mean step sizes: the up/down asymmetry.
    public var upDown: Double
    /// Relative step sizes on the nodes, n each (mean ≈ 1).
    public var piecewiseUp: [Double]
    public var piecewiseDown: [Double]
    /// Conductances of w_min and w_max, S.
    public var gAtWMin: Double
    public var gAtWMax: Double

    /// One pulse of the documented rule (no noise); `up` raises w.
    public func step(_ w: Double, up: Bool) -> Double {
        let n = piecewiseUp.count
        var next = w
        if n < 2 || wMax <= wMin {
            next += up ? dwMin * (1 + upDown) * (piecewiseUp.first ?? 1) : -dwMin * (1 - upDown) * (piecewiseDown.first ?? 1)
        } else {
            let s = max((w - wMin) / (wMax - wMin) * Double(n - 1), 0)
            let i = min(Int(s.rounded(.down)), n - 2)
            let q = min(s - Double(i), 1)
            if up {
                next += dwMin * (1 + upDown) * ((1 - q) * piecewiseUp[i] + q * piecewiseUp[i + 1])
            } else {
                next -= dwMin * (1 - upDown) * ((1 - q) * piecewiseDown[i] + q * piecewiseDown[i + 1])
            }
        }
        return min(max(next, wMin), wMax)
    }

    public func weight(_ g: Double) -> Double { wMin + (g - gAtWMin) / (gAtWMax - gAtWMin) * (wMax - wMin) }
    public func conductance(_ w: Double) -> Double { gAtWMin + (w - wMin) / (wMax - wMin) * (gAtWMax - gAtWMin) }

    /// Replays `pulses` pulses from conductance `g0` (S); returns G_0 … G_N (S).
    public func replay(from g0: Double, pulses: Int, up: Bool) -> [Double] {
        var w = weight(g0)
        var out = [g0]
        for _ in 0..<pulses {
            w = step(w, up: up)
            out.append(conductance(w))
        }
        return out
    }

    enum CodingKeys: String, CodingKey {
        case wMin = "w_min", wMax = "w_max", dwMin = "dw_min", upDown = "up_down"
        case piecewiseUp = "piecewise_up", piecewiseDown = "piecewise_down"
        case gAtWMin = "conductance_at_w_min", gAtWMax = "conductance_at_w_max"
    }

    /// Fits the node vectors to the observed steps by linear least squares on the
    /// interpolation weights of the rule (plus a 10⁻³ first-difference penalty, which
    /// holds nodes the branches do not reach at their neighbours' values).
    /// `nodes` defaults to N/2 + 1 clamped to 3…33 (aihwkit's GPU limit is below 64).
    public static func fit(_ b: PulseBranches, nodes: Int? = nil, wMin: Double = -1, wMax: Double = 1) -> PiecewiseStepDevice {
        // "up" raises G: the potentiation branch, unless the device's potentiation lowers G.
        let potentiationRaises = (b.potentiation.last! - b.potentiation.first!) >= 0
        let upBranch = potentiationRaises ? b.potentiation : b.depression
        let downBranch = potentiationRaises ? b.depression : b.potentiation
        let n = nodes ?? min(33, max(3, (max(upBranch.count, downBranch.count) - 1) / 2 + 1))
        var device = PiecewiseStepDevice(
            wMin: wMin, wMax: wMax, dwMin: 1, upDown: 0, piecewiseUp: Array(repeating: 1, count: n),
            piecewiseDown: Array(repeating: 1, count: n), gAtWMin: b.gMin, gAtWMax: b.gMax)
        let wUp = upBranch.map(device.weight)
        let wDown = downBranch.map(device.weight)
        let stepsUp = zip(wUp, wUp.dropFirst()).map { $1 - $0 }
        let stepsDown = zip(wDown, wDown.dropFirst()).map { $0 - $1 }
        let meanUp = stepsUp.reduce(0, +) / Double(max(1, stepsUp.count))
        let meanDown = stepsDown.reduce(0, +) / Double(max(1, stepsDown.count))
        device.dwMin = 0.5 * (meanUp + meanDown)
        device.upDown = meanUp + meanDown != 0 ? (meanUp - meanDown) / (meanUp + meanDown) : 0
        func nodesFor(_ w: [Double], _ steps: [Double], scale: Double) -> [Double] {
            var rows: [[Double]] = []
            var rhs: [Double] = []
            for (wk, dw) in zip(w, steps) {
                var row = [Double](repeating: 0, count: n)
                let s = max((wk - wMin) / (wMax - wMin) * Double(n - 1), 0)
                let i = min(Int(s.rounded(.down)), n - 2)
                let q = min(s - Double(i), 1)
                row[i] = (1 - q) * scale
                row[i + 1] = q * scale
                rows.append(row)
                rhs.append(dw)
            }
            let penalty = 1e-3 * abs(scale)
            for j in 0..<(n - 1) {
                var row = [Double](repeating: 0, count: n)
                row[j] = penalty
                row[j + 1] = -penalty
                rows.append(row)
                rhs.append(0)
            }
            return DenseSolve.leastSquares(rows: rows, rhs: rhs, n: n) ?? Array(repeating: 1, count: n)
        }
        device.piecewiseUp = nodesFor(wUp, stepsUp, scale: device.dwMin * (1 + device.upDown))
        device.piecewiseDown = nodesFor(wDown, stepsDown, scale: device.dwMin * (1 - device.upDown))
        return device
    }
}

/// aihwkit's `SoftBoundsDevice`: steps fall linearly to zero at the bounds,
/// up Δw = dw_min(1 + up_down)(1 − w/w_max), down |Δw| = dw_min(1 − up_down)(1 − w/w_min)
/// (its `LinearStepDevice` with γ = 1 relative to the bounds). Fitted by a straight line
/// through each branch's steps against w; suitable only when both lines fall towards
/// their bound (saturating branches).
public struct SoftBoundsFit: Sendable, Codable, Equatable {
    public var wMin: Double
    public var wMax: Double
    public var dwMin: Double
    public var upDown: Double
    /// Whether the fit describes the branches (both steps shrink towards the bounds).
    public var suitable: Bool
    public var note: String

    enum CodingKeys: String, CodingKey {
        case wMin = "w_min", wMax = "w_max", dwMin = "dw_min", upDown = "up_down", suitable, note
    }

    public static func fit(_ b: PulseBranches, mapping d: PiecewiseStepDevice) -> SoftBoundsFit {
        let potentiationRaises = (b.potentiation.last! - b.potentiation.first!) >= 0
        let wUp = (potentiationRaises ? b.potentiation : b.depression).map(d.weight)
        let wDown = (potentiationRaises ? b.depression : b.potentiation).map(d.weight)
        guard let up = DenseSolve.line(Array(wUp.dropLast()), zip(wUp, wUp.dropFirst()).map { $1 - $0 }),
              let down = DenseSolve.line(Array(wDown.dropLast()), zip(wDown, wDown.dropFirst()).map { $0 - $1 })
        else { return SoftBoundsFit(wMin: .nan, wMax: .nan, dwMin: .nan, upDown: .nan, suitable: false, note: "too few pulses") }
        // up: a_u + b_u w = a_u (1 − w/w_max) ⇒ w_max = −a_u/b_u; down: a_d + b_d w ⇒ w_min = −a_d/b_d.
        let wMax = -up.a / up.b
        let wMin = -down.a / down.b
        let dwMin = 0.5 * (up.a + down.a)
        let suitable = up.a > 0 && down.a > 0 && up.b < 0 && down.b > 0 && wMax > 0 && wMin < 0
        let note = suitable
            ? "both branches saturate: the steps shrink linearly towards w_min and w_max"
            : "not suitable: the steps do not shrink towards both bounds (near-linear or accelerating branches); use the piecewise-step device"
        return SoftBoundsFit(
            wMin: wMin, wMax: wMax, dwMin: dwMin, upDown: dwMin != 0 ? (up.a - down.a) / (up.a + down.a) : 0,
            suitable: suitable, note: note)
    }
}

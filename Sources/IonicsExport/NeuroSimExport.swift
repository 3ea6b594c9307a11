import Foundation
import IonicsDevice

/// The device parameters of NeuroSim's MLP/DNN simulators (`RealDevice` in
/// MLP_NeuroSim V3.0 Cell.cpp / Param.cpp) from the LTP/LTD branches (docs/exports.md).
///
/// NeuroSim's weight-update curve is G(P) = B(1 − e^(−P/A)) + Gmin with
/// B = (Gmax − Gmin)/(1 − e^(−N/A)), P = 0 … N counted from Gmin for both LTP and LTD
/// (LTD walks the curve backwards). Each branch is fitted by `NonlinearityFit` on its
/// own end points; LTP's A is the fit's A, LTD's is minus the fit's A (the fit counts
/// depression pulses from the top, NeuroSim from the bottom).
public struct NeuroSimParameters: Sendable, Codable, Equatable {
    public struct Branch: Sendable, Codable, Equatable {
        /// Pulses of the branch: NeuroSim's maxNumLevelLTP/LTD.
        public var levels: Int
        /// A in pulses in NeuroSim's form (paramALTP/paramALTD); ±∞ is written as ±1e300.
        public var a: Double
        /// A/N, NeuroSim's normalised A (what its getParamA returns).
        public var normalisedA: Double
        /// ν = N/A: 0 linear, > 0 steps shrink along NeuroSim's P, < 0 they grow.
        public var nu: Double
        /// RMS residual of the fit, as a fraction of the branch's range and in S.
        public var residual: Double
        public var residualSiemens: Double
        /// G at NeuroSim's P = 0 and P = N of this branch (the branch's own low and high end), S.
        public var gLow: Double
        public var gHigh: Double
        /// Mean pulse width (s), peak |V| (V) and write energy ∫|V·I| dt (J) per pulse; NaN → null.
        public var pulseWidth: Double?
        public var voltage: Double?
        public var energy: Double?

        enum CodingKeys: String, CodingKey {
            case levels = "max_num_levels", a = "param_A_pulses", normalisedA = "param_A_over_N", nu
            case residual = "fit_residual_rms_of_range", residualSiemens = "fit_residual_rms_S"
            case gLow = "G_low_S", gHigh = "G_high_S"
            case pulseWidth = "write_pulse_width_s", voltage = "write_voltage_V", energy = "write_energy_per_pulse_J"
        }

        /// NeuroSim's curve at pulse position P (0 … N), S.
        public func conductance(_ p: Double) -> Double {
            let n = Double(levels)
            if !a.isFinite || abs(a) > 1e250 { return gLow + (gHigh - gLow) * p / n }
            let b = (gHigh - gLow) / -expm1(-n / a)
            return b * -expm1(-p / a) + gLow
        }
    }

    public var maxConductance: Double
    public var minConductance: Double
    public var onOffRatio: Double
    public var ltp: Branch
    public var ltd: Branch

    enum CodingKeys: String, CodingKey {
        case maxConductance = "maxConductance_S", minConductance = "minConductance_S", onOffRatio = "on_off_ratio", ltp = "LTP", ltd = "LTD"
    }

    public static func make(_ b: PulseBranches) throws -> NeuroSimParameters {
        func branch(_ g: [Double], depression: Bool, width: Double, voltage: Double, energy: Double) throws -> Branch {
            guard let fit = NonlinearityFit.fit(g) else {
                throw ExportError("the \(depression ? "depression" : "potentiation") branch does not change G: no nonlinearity to fit")
            }
            let n = g.count - 1
            let a = depression ? -fit.a : fit.a
            let lo = min(g.first!, g.last!), hi = max(g.first!, g.last!)
            func finite(_ x: Double) -> Double? { x.isFinite ? x : nil }
            return Branch(
                levels: n, a: a.isFinite ? a : (a > 0 ? 1e300 : -1e300), normalisedA: a / Double(n), nu: Double(n) / a,
                residual: fit.rms, residualSiemens: fit.rms * (hi - lo), gLow: lo, gHigh: hi,
                pulseWidth: finite(width), voltage: finite(abs(voltage)), energy: finite(energy))
        }
        return NeuroSimParameters(
            maxConductance: b.gMax, minConductance: b.gMin, onOffRatio: b.gMax / b.gMin,
            ltp: try branch(b.potentiation, depression: false, width: b.pulseWidth.potentiation, voltage: b.pulseVoltage.potentiation, energy: b.writeEnergy.potentiation),
            ltd: try branch(b.depression, depression: true, width: b.pulseWidth.depression, voltage: b.pulseVoltage.depression, energy: b.writeEnergy.depression))
    }

    /// The branches regenerated from the parameters: LTP from P = 0 up, LTD from P = N down, S.
    /// (NeuroSim's convention: potentiation raises G.)
    public func regenerate() -> (potentiation: [Double], depression: [Double]) {
        (Self.walk(ltp, forward: true), Self.walk(ltd, forward: false))
    }

    static func walk(_ br: Branch, forward: Bool) -> [Double] {
        (0...br.levels).map { k in br.conductance(Double(forward ? k : br.levels - k)) }
    }

    /// Lines in the style of NeuroSim's Param.cpp / Cell.cpp `RealDevice` constructor.
    public func paramText(device: String) -> String {
        func f(_ x: Double?) -> String { x.map { String(format: "%.6g", $0) } ?? "/* not in the run file */ 0" }
        return """
            // Ionics export for NeuroSim (MLP_NeuroSim V3.0 RealDevice / DNN+NeuroSim Param.cpp style)
            // device: \(device)
            // The nonlinearity is given as A directly: replace the getParamA(NL_LTP)/getParamA(NL_LTD)
            // lines of RealDevice::RealDevice with the paramALTP/paramALTD values below.
            maxConductance = \(f(maxConductance));\t// S
            minConductance = \(f(minConductance));\t// S  (on/off ratio \(f(onOffRatio)))
            maxNumLevelLTP = \(ltp.levels);\t// pulses from Gmin to Gmax
            maxNumLevelLTD = \(ltd.levels);
            paramALTP = \(f(ltp.a));\t// A/N = \(f(ltp.normalisedA)), fit residual \(f(100 * ltp.residual)) % of range
            paramALTD = \(f(ltd.a));\t// A/N = \(f(ltd.normalisedA)), fit residual \(f(100 * ltd.residual)) % of range
            writeVoltageLTP = \(f(ltp.voltage));\t// V (peak |V| of the simulated pulses)
            writeVoltageLTD = \(f(ltd.voltage));
            writePulseWidthLTP = \(f(ltp.pulseWidth));\t// s
            writePulseWidthLTD = \(f(ltd.pulseWidth));
            // write energy per pulse (J): LTP \(f(ltp.energy)), LTD \(f(ltd.energy))

            """
    }
}

import Foundation

/// The aihwkit export's JSON document and Python snippet.
struct AIHWKitDocument: Encodable {
    var format = "ionics.export.aihwkit"
    var device: String
    var source: String
    var piecewise: PiecewiseStepDevice
    var softBounds: SoftBoundsFit
    var replayError: Double
    var mapping = "w = w_min + (G - conductance_at_w_min)/(conductance_at_w_max - conductance_at_w_min)*(w_max - w_min); up raises G"

    enum CodingKeys: String, CodingKey {
        case format, device, source, mapping
        case piecewise = "PiecewiseStepDevice", softBounds = "SoftBoundsDevice", replayError = "replay_error_of_range"
    }

    func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return String(decoding: try encoder.encode(self), as: UTF8.self) + "\n"
    }

    static func python(_ d: PiecewiseStepDevice, _ s: SoftBoundsFit, device: String) -> String {
        func list(_ v: [Double]) -> String { "[" + v.map { String(format: "%.6g", $0) }.joined(separator: ", ") + "]" }
        func g(_ x: Double) -> String { String(format: "%.8g", x) }
        let soft = s.suitable
            ? """
            # SoftBounds fit (steps shrink linearly to zero at the bounds):
            soft_bounds = SoftBoundsDevice(
                w_min=\(g(s.wMin)), w_max=\(g(s.wMax)), dw_min=\(g(s.dwMin)), up_down=\(g(s.upDown)),
                w_min_dtod=0.0, w_max_dtod=0.0, dw_min_dtod=0.0, dw_min_std=0.0, up_down_dtod=0.0,
            )
            """
            : "# SoftBoundsDevice: \(s.note)\nsoft_bounds = None"
        return """
            \"\"\"aihwkit devices fitted by Ionics to the simulated LTP/LTD branches of \(device).

            Weights map linearly onto conductance: w_min <-> \(g(d.gAtWMin)) S, w_max <-> \(g(d.gAtWMax)) S.
            Device-to-device and cycle-to-cycle variations are set to zero: the fit is of the
            deterministic simulation; add your own variability.
            \"\"\"
            from aihwkit.simulator.configs import SingleRPUConfig
            from aihwkit.simulator.configs.devices import PiecewiseStepDevice, SoftBoundsDevice

            device = PiecewiseStepDevice(
                w_min=\(g(d.wMin)), w_max=\(g(d.wMax)), dw_min=\(g(d.dwMin)), up_down=\(g(d.upDown)),
                piecewise_up=\(list(d.piecewiseUp)),
                piecewise_down=\(list(d.piecewiseDown)),
                w_min_dtod=0.0, w_max_dtod=0.0, dw_min_dtod=0.0, dw_min_std=0.0, up_down_dtod=0.0,
            )
            rpu_config = SingleRPUConfig(device=device)

            \(soft)

            """
    }
}

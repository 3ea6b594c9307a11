import Foundation
public import IonicsHDF5

/// The verification cases of Ionics, shared by `ionics verify` (full refinement
/// studies) and the test suite (`quick`, same thresholds, fewer refinements where
/// that saves time).
public enum VerificationSuite {
    public enum Size: Sendable { case quick, full }

    public struct Case: Sendable {
        public let name: String
        public let run: @Sendable () throws -> VerificationOutcome
    }

    public static func cases(_ size: Size) -> [Case] {
        let full = size == .full
        return [
            Case(name: "bernoulli") { BernoulliCase.run(grid: full ? 2_000_000 : 200_000) },
            Case(name: "jacobian") { try JacobianCase.run(trials: full ? 5 : 2) },
            Case(name: "mms-space-uniform") {
                try ManufacturedCase.spatial(cells: full ? [160, 320, 640, 1280, 2560, 5120] : [160, 320, 640, 1280, 2560], graded: false)
            },
            Case(name: "mms-space-graded") {
                try ManufacturedCase.spatial(cells: full ? [20, 40, 80, 160, 320, 640] : [20, 40, 80, 160, 320], graded: true)
            },
            // n × n cells.
            Case(name: "mms-2d-uniform") { try ManufacturedCase2D.spatial(cells: full ? [10, 20, 40, 80, 160] : [10, 20, 40, 80], graded: false) },
            Case(name: "mms-2d-graded") { try ManufacturedCase2D.spatial(cells: full ? [20, 40, 80, 160] : [20, 40, 80], graded: true) },
            Case(name: "2d-mirror") { try ClosedCell2DCase.mirrorSymmetry() },
            Case(name: "2d-inventory") { try ClosedCell2DCase.inventory() },
            Case(name: "2d-lateral-front") { try LateralFrontCase.run() },
            Case(name: "mms-time") { try ManufacturedCase.temporal(steps: full ? [8, 16, 32, 64, 128, 256] : [8, 16, 32, 64, 128]) },
            Case(name: "gouy-chapman") { try GouyChapmanCase.run() },
            Case(name: "charging") { try ChargingCase.run() },
            Case(name: "cottrell") { try CottrellCase.run() },
            Case(name: "equilibrium") { try ConservationCase.equilibriumIsSteady() },
            Case(name: "closed-cell") { try ConservationCase.closedCell() },
            // The example cells of configs/examples, loaded and run as `ionics run` does.
            Case(name: "example-gouy-chapman") { try GouyChapmanExample.run() },
            Case(name: "example-bta-charging") { try ChargingExample.run() },
            Case(name: "example-cottrell") { try CottrellExample.run() },
        ]
    }

    /// Writes the table and the convergence data of `outcomes` to `group`.
    public static func write(_ outcomes: [(name: String, outcome: VerificationOutcome)], to group: HDF5Group) throws {
        for (name, outcome) in outcomes {
            let g = try group.createGroup(name)
            try g.setAttribute("passed", outcome.passed ? 1 : 0)
            try g.setAttribute("quantities", outcome.rows.map(\.quantity))
            try g.write("values", outcome.rows.map(\.value))
            try g.write("tolerances", outcome.rows.map(\.tolerance))
            try g.write("passed", outcome.rows.map { $0.passed ? 1.0 : 0.0 })
            for s in outcome.series {
                let sg = try g.createGroup(s.name)
                try sg.write("resolution", s.resolution).setAttribute("label", s.resolutionLabel)
                for (q, values) in s.errors {
                    try sg.write(q.replacingOccurrences(of: " ", with: "_"), values)
                }
            }
        }
    }
}

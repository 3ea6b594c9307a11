import ArgumentParser
import Foundation
import IonicsConfig
import IonicsHDF5
import IonicsOutput
import IonicsVerification

struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the verification suite (analytic and manufactured solutions, conservation) and print the results.",
        discussion: "Exits with status 1 if any case misses its threshold. Convergence data go to the HDF5 file.")

    @Option(name: .shortAndLong, help: "HDF5 file for the convergence data (default: results/verification.h5).")
    var output: String = "results/verification.h5"

    @Flag(help: "Replace an existing output file.")
    var force = false

    @Flag(help: "Smaller refinement studies (the sizes the test suite uses).")
    var quick = false

    @Option(help: "Run only the cases whose names contain this text.")
    var only: String?

    @Flag(help: "Print the results as JSON on stdout instead of a Markdown table (schema ionics.verify, docs/cli.md).")
    var json = false

    /// A line of the Markdown table (not printed with --json).
    func table(_ line: String) { if !json { print(line) } }

    func run() throws {
        // Checked and locked before the cases run (see docs/cli.md, "Output files").
        let target: OutputTarget
        do { target = try OutputTarget.acquire(output, overwrite: force) } catch { throw fail(error.description, Exit.file) }
        defer { target.release() }
        let cases = VerificationSuite.cases(quick ? .quick : .full).filter { only == nil || $0.name.contains(only!) }
        var outcomes: [(name: String, outcome: VerificationOutcome)] = []
        table("| case | quantity | value | threshold | result |")
        table("|---|---|---|---|---|")
        var rows: [JSON] = []
        var errors: [JSON] = []
        var failed = false
        for c in cases {
            let start = Date()
            printError("verify: \(c.name) …")
            do {
                let o = try c.run()
                outcomes.append((c.name, o))
                for r in o.rows {
                    let value = r.isOrder ? String(format: "%.3f", r.value) : String(format: "%.2e", r.value)
                    let threshold = (r.isOrder ? "≥ " : "≤ ") + (r.isOrder ? String(format: "%.1f", r.tolerance) : String(format: "%.0e", r.tolerance))
                    table("| \(r.caseName) | \(r.quantity) | \(value) | \(threshold) | \(r.passed ? "pass" : "**FAIL**") |")
                    rows.append(verificationRowJSON(r))
                    if !r.passed { failed = true }
                }
            } catch {
                failed = true
                table("| \(c.name) | (error) | – | – | **FAIL**: \(error) |")
                errors.append(.object([("case", .string(c.name)), ("message", .string("\(error)"))]))
            }
            printError(String(format: "verify: %@ done in %.2f s", c.name, Date().timeIntervalSince(start)))
        }
        do {
            let file = try HDF5File.create(at: output, overwrite: force, workingPath: target.workingPath)
            let root = try file.root()
            try root.setAttribute("code_version", IonicsVersion.string)
            try root.setAttribute("status", failed ? "failed" : "passed")
            try root.setAttribute("created", ISO8601DateFormatter().string(from: Date()))
            try VerificationSuite.write(outcomes, to: root)
            try file.commit()
        } catch {
            throw fail(OutputError.writing(error, path: output).description, Exit.output)
        }
        printError("verify: convergence data written to \(output)")
        if json {
            printJSON([JSON.schema("ionics.verify"), ("output", .string(output)), ("passed", .bool(!failed)),
                       ("rows", .array(rows)), ("errors", .array(errors))])
        }
        if failed { throw ExitCode(1) }
    }
}

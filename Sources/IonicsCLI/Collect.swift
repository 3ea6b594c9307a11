import ArgumentParser
import Foundation
import IonicsBatch

struct Collect: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Merge the points of a sweep folder into TABLE.csv and TABLE.h5 (metrics over the sweep's axes).",
        discussion: """
            Reads every manifest in DIR (manifest.json and each shard's manifest-shard-I-of-N.json) and each \
            point's run file: its status (from the file) and its metrics. TABLE.csv has one row per point, the \
            axes first; TABLE.h5 has one dimension per axis with its coordinates (HDF5 dimension scales) and every \
            metric as an array over them, NaN where a point did not complete (docs/batch.md).
            """)

    @Argument(help: "The sweep's output folder.")
    var folder: String

    @Option(name: .shortAndLong, help: "The table: TABLE, TABLE.csv or TABLE.h5 (both TABLE.csv and TABLE.h5 are written).")
    var output: String

    @Flag(help: "Replace existing table files.")
    var force = false

    func run() throws {
        var stem = output
        for ext in [".csv", ".h5"] where stem.hasSuffix(ext) { stem = String(stem.dropLast(ext.count)) }
        guard !stem.isEmpty, !stem.hasSuffix("/") else { throw fail("-o \(output): expected a file name such as results/table", Exit.file) }
        let csvPath = stem + ".csv", h5Path = stem + ".h5"
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw fail("\(folder): no such folder", Exit.file)
        }
        // The output's folder is checked before anything is read.
        var ancestor = (stem as NSString).deletingLastPathComponent
        while !ancestor.isEmpty && ancestor != "/" && ancestor != "." {
            if FileManager.default.fileExists(atPath: ancestor, isDirectory: &isDirectory) {
                if !isDirectory.boolValue { throw fail("-o \(output): \(ancestor) is a file, not a folder", Exit.file) }
                break
            }
            ancestor = (ancestor as NSString).deletingLastPathComponent
        }
        for p in [csvPath, h5Path] where FileManager.default.fileExists(atPath: p, isDirectory: &isDirectory) && isDirectory.boolValue {
            throw fail("-o \(output): \(p) is a folder", Exit.file)
        }
        let existing = [csvPath, h5Path].filter { FileManager.default.fileExists(atPath: $0) }
        if !existing.isEmpty && !force {
            throw fail("\(existing.joined(separator: " and ")) exist\(existing.count == 1 ? "s" : ""); use --force to replace or -o to write elsewhere", Exit.file)
        }
        let collection: SweepCollection
        do {
            collection = try SweepCollection.read(folder: folder)
        } catch {
            throw fail(error.description, Exit.failure)
        }
        let parent = (stem as NSString).deletingLastPathComponent
        if !parent.isEmpty { try? FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true) }
        // Both tables are written beside their places first and renamed at the end, so
        // that a failure leaves neither half-written nor one new beside one old.
        let suffix = ".\(getpid())-\(UInt32.random(in: 0...UInt32.max)).tmp"
        let csvTemporary = csvPath + suffix, h5Temporary = h5Path + suffix
        do {
            try AtomicFile.write(Data(collection.csv().utf8), to: csvTemporary)
            try collection.writeHDF5(to: h5Temporary, overwrite: false)
        } catch {
            unlink(csvTemporary)
            unlink(h5Temporary)
            throw fail(error.description, Exit.output)
        }
        let taken = [csvPath, h5Path].filter { FileManager.default.fileExists(atPath: $0) }
        if !force && !taken.isEmpty {
            unlink(csvTemporary)
            unlink(h5Temporary)
            throw fail("\(taken.joined(separator: " and ")) appeared while collecting; use --force to replace", Exit.file)
        }
        for (from, to) in [(h5Temporary, h5Path), (csvTemporary, csvPath)] where rename(from, to) != 0 {
            let why = String(cString: strerror(errno))
            unlink(csvTemporary)
            unlink(h5Temporary)
            throw fail("cannot rename \(from) to \(to): \(why)", Exit.output)
        }
        let dims = collection.axes.map { "\($0.name)=\($0.length)" }.joined(separator: " × ")
        let counts = collection.statusCounts.map { "\($0.1) \($0.0)" }.joined(separator: ", ")
        print("collect: \(collection.points.count) points (\(counts)) from \(collection.manifests.count) manifest(s); dimensions \(dims)")
        print("table       \(csvPath)")
        print("hdf5        \(h5Path)")
    }
}

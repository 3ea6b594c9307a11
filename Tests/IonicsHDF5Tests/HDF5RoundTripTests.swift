import Foundation
import IonicsHDF5
import IonicsTestSupport
import Testing

@Suite("HDF5 files")
struct HDF5RoundTripTests {
    @Test("datasets of rank 1, 2 and 3 read back exactly, including empty ones")
    func datasets() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let path = dir.file("d.h5")
        let v1 = (0..<1000).map { sin(Double($0)) }
        let v2 = (0..<(7 * 13)).map { Double($0) * 0.5 - 3 }
        let v3 = (0..<(2 * 3 * 4)).map { Double($0 * $0) }
        do {
            let file = try HDF5File.create(at: path)
            let root = try file.root()
            try root.write("line", v1)
            let g = try root.createGroup("fields")
            try g.write("matrix", v2, shape: [7, 13])
            try g.write("cube", v3, shape: [2, 3, 4])
            try g.write("empty", [], shape: [0, 5])
            try g.write("tiny", [42], options: HDF5DatasetOptions(deflateLevel: 0))
            try file.commit()
        }
        let file = try HDF5File.open(at: path)
        let root = try file.root()
        #expect(try root.read("line") == HDF5Array(shape: [1000], values: v1))
        let m = try root.read("fields/matrix")
        #expect(m.shape == [7, 13])
        #expect(m.values == v2)
        #expect(m[2, 5] == v2[2 * 13 + 5])
        let c = try root.openGroup("fields").read("cube")
        #expect(c.shape == [2, 3, 4])
        #expect(c[1, 2, 3] == v3[23])
        #expect(try root.read("fields/empty").shape == [0, 5])
        #expect(try root.read("fields/tiny").values == [42])
        #expect(try root.childNames() == ["fields", "line"])
        #expect(try root.isGroup("fields"))
        #expect(try !root.isGroup("line"))
    }

    @Test("a shape that does not fit the data, or rank 4, is refused")
    func badShape() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let file = try HDF5File.create(at: dir.file("s.h5"))
        let root = try file.root()
        #expect(throws: HDF5Error.self) { try root.write("x", [1, 2, 3], shape: [2, 2]) }
        #expect(throws: HDF5Error.self) { try root.write("y", [1], shape: [1, 1, 1, 1]) }
        file.close()
    }

    @Test("appendable datasets grow row by row while the file is open, and read back")
    func appending() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let path = dir.file("a.h5")
        do {
            let file = try HDF5File.create(at: path)
            let root = try file.root()
            let t = try root.createAppendable("time")
            let profile = try root.createAppendable("profile", rowShape: [3])
            let block = try root.createAppendable("block", rowShape: [2, 2])
            for k in 0..<5000 {
                try t.append(Double(k) * 1e-3)
            }
            for k in 0..<4 { try profile.append([Double(k), Double(k) + 0.5, -Double(k)]) }
            try profile.append(rows: [9, 9, 9, 8, 8, 8], count: 2)
            try block.append([1, 2, 3, 4])
            #expect(try t.shape() == [5000])
            #expect(throws: HDF5Error.self) { try profile.append([1, 2]) }
            try file.flush()
            try file.commit()
        }
        let root = try HDF5File.open(at: path).root()
        let t = try root.read("time")
        #expect(t.shape == [5000])
        #expect(t.values[4321] == 4.321)
        let p = try root.read("profile")
        #expect(p.shape == [6, 3])
        #expect(p[3, 1] == 3.5)
        #expect(p[5, 2] == 8)
        #expect(try root.read("block") == HDF5Array(shape: [1, 2, 2], values: [1, 2, 3, 4]))
    }

    @Test("numeric and string attributes round-trip on groups and datasets, and can be replaced")
    func attributes() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let path = dir.file("at.h5")
        let config = "{\n  \"name\": \"µ-device ±\",\n  \"layers\": []\n}"
        do {
            let file = try HDF5File.create(at: path)
            let root = try file.root()
            try root.setAttribute("status", "running")
            try root.setAttribute("status", "completed")
            try root.setAttribute("config", config)
            try root.setAttribute("temperature", 298.15)
            try root.setAttribute("steps", 123_456_789_012)
            try root.setAttribute("scales", [1.5, 2.5, -3])
            try root.setAttribute("species", ["H+", "SO3-"])
            let d = try root.write("x", [1, 2])
            try d.setAttribute("units", "V")
            try file.commit()
        }
        let root = try HDF5File.open(at: path).root()
        #expect(try root.stringAttribute("status") == "completed")
        #expect(try root.stringAttribute("config") == config)
        #expect(try root.doubleAttribute("temperature") == 298.15)
        #expect(try root.attribute("steps") == .int(123_456_789_012))
        #expect(try root.attribute("scales") == .doubles([1.5, 2.5, -3]))
        #expect(try root.attribute("species") == .strings(["H+", "SO3-"]))
        #expect(try root.openDataset("x").stringAttribute("units") == "V")
        #expect(Set(try root.attributeNames()) == ["status", "config", "temperature", "steps", "scales", "species"])
        #expect(throws: HDF5Error.self) { _ = try root.doubleAttribute("status") }
        do {
            _ = try root.attribute("nope")
            Issue.record("missing attribute read")
        } catch {
            #expect(error.kind == .missing)
            #expect(error.path.hasSuffix(":/@nope"))
        }
    }

    @Test("a file that is not HDF5 gives a clear error naming it")
    func notHDF5() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let path = dir.file("config.json")
        try "{\"a\": 1}".write(toFile: path, atomically: true, encoding: .utf8)
        do {
            _ = try HDF5File.open(at: path)
            Issue.record("opened a JSON file as HDF5")
        } catch {
            #expect(error.kind == .notHDF5)
            #expect(error.description.contains("not an HDF5 file"))
            #expect(error.description.contains(path))
        }
        do {
            _ = try HDF5File.open(at: dir.file("missing.h5"))
            Issue.record("opened a missing file")
        } catch {
            #expect(error.kind == .fileNotFound)
        }
    }

    @Test("C failures carry the function, the object path and HDF5's error stack")
    func errorStack() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let file = try HDF5File.create(at: dir.file("e.h5"))
        let root = try file.root()
        _ = try root.createGroup("g")
        do {
            _ = try root.createGroup("g")
            Issue.record("created a duplicate group")
        } catch {
            #expect(error.kind == .callFailed)
            #expect(error.function == "H5Gcreate2")
            #expect(error.path.hasSuffix(":/g"))
            #expect(!error.stack.isEmpty)
            #expect(error.description.contains("HDF5 error stack"))
        }
        do {
            _ = try root.openDataset("missing")
            Issue.record("opened a missing dataset")
        } catch {
            #expect(error.kind == .missing)
        }
        file.close()
    }

    @Test("new files live under .partial until committed; existing files are not replaced")
    func atomicCommit() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let path = dir.file("run.h5")
        let file = try HDF5File.create(at: path)
        try file.root().write("x", [1])
        try file.flush()
        #expect(!FileManager.default.fileExists(atPath: path))
        #expect(FileManager.default.fileExists(atPath: path + ".partial"))
        #expect(try HDF5File.open(at: path + ".partial").root().read("x").values == [1])
        try file.commit()
        #expect(FileManager.default.fileExists(atPath: path))
        #expect(!FileManager.default.fileExists(atPath: path + ".partial"))
        #expect(throws: HDF5Error.self) { try file.commit() }

        do {
            _ = try HDF5File.create(at: path)
            Issue.record("an existing file would be replaced")
        } catch {
            #expect(error.kind == .fileExists)
        }
        let again = try HDF5File.create(at: path, overwrite: true)
        try again.root().write("y", [2, 3])
        try again.commit()
        #expect(try HDF5File.open(at: path).root().read("y").values == [2, 3])

        // A file closed without commit keeps its data under the working name.
        let abandoned = try HDF5File.create(at: dir.file("crash.h5"))
        try abandoned.root().write("z", [7])
        abandoned.close()
        #expect(try HDF5File.open(at: dir.file("crash.h5.partial")).root().read("z").values == [7])
    }

    @Test("files written from several threads at once are all complete")
    func concurrentWriters() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        DispatchQueue.concurrentPerform(iterations: 8) { k in
            let file = try! HDF5File.create(at: dir.file("c\(k).h5"))
            let series = try! file.root().createAppendable("s")
            for i in 0..<200 { try! series.append(Double(k * 1000 + i)) }
            try! file.commit()
        }
        for k in 0..<8 {
            let s = try HDF5File.open(at: dir.file("c\(k).h5")).root().read("s")
            #expect(s.values == (0..<200).map { Double(k * 1000 + $0) })
        }
    }

    @Test("chunks are clamped to the data and stay near the target size")
    func chunks() {
        #expect(HDF5Group.chunkShape([5], target: 32_768) == [5])
        #expect(HDF5Group.chunkShape([0, 3], target: 100) == [1, 3])
        let c = HDF5Group.chunkShape([1000, 1000], target: 32_768)
        #expect(c.reduce(1, *) <= 32_768)
        #expect(c.allSatisfy { $0 >= 1 && $0 <= 1000 })
    }
}

import Foundation
import IonicsTestSupport
import Testing

/// `make install PREFIX=…` puts the tool in PREFIX/bin and the material tables in
/// PREFIX/share/ionics/materials, where the tool finds them for a config kept anywhere.
/// The test builds that layout by hand (running make inside `swift test` would wait on
/// the build lock) and runs the installed copy from a folder with no materials.
@Suite("Installed layout")
struct InstallLayoutTests {
    @Test("an installed ionics validates a config kept elsewhere with the materials of PREFIX/share; without them it says where it looked")
    func installedMaterials() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let fm = FileManager.default
        let prefix = dir.file("prefix")
        try fm.createDirectory(atPath: prefix + "/bin", withIntermediateDirectories: true)
        try fm.createDirectory(atPath: prefix + "/share/ionics", withIntermediateDirectories: true)
        try fm.copyItem(atPath: ionicsExecutable(), toPath: prefix + "/bin/ionics")
        let elsewhere = dir.file("elsewhere")
        try fm.createDirectory(atPath: elsewhere, withIntermediateDirectories: true)
        try fm.copyItem(atPath: repositoryRoot() + "/configs/default.json", toPath: elsewhere + "/mine.json")
        let unset = ["IONICS_MATERIALS": ""]

        let missing = try runCommand(prefix + "/bin/ionics", ["validate", "mine.json"], in: elsewhere, environment: unset)
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("share/ionics/materials") && missing.stderr.contains("--materials"), "\(missing.stderr)")

        try fm.copyItem(atPath: repositoryRoot() + "/configs/materials", toPath: prefix + "/share/ionics/materials")
        let found = try runCommand(prefix + "/bin/ionics", ["validate", "mine.json"], in: elsewhere, environment: unset)
        #expect(found.status == 0, "\(found.stderr)")
        #expect(found.stdout.contains("OK"))
    }
}
